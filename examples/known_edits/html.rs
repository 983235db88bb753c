//! HTML sides for the known-edit benchmark (`--html`): a [`Document`] rendered as a page
//! that looks like a site capture (navigation, logo, cookie banner, sidebar, footer
//! around the policy), in one of three templates, so that pairs exercise the whole
//! pipeline: the HTML normalizer, then the differ.
//!
//! A side is made HTML only when the HTML normalizer reads the page back to the same
//! Document modulo white space, quotes and dashes ([`crate::gen::folded`]); the pages
//! it does not read back are counted and listed (a renderer bug or a normalizer
//! limitation), never patched over in the renderer.

use policydiff::document::{Block, Document};
use policydiff::normalize::{normalize, InputKind, Options};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::gen::{cell_lines, folded, slug, toc_entry, Extras, Pair, Toc, BR_SEPS, CELL_BR_SEPS};

/// The page templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// `<header>`/`<nav>`/`<aside>`/`<main><article>`/`<footer>`.
    Modern,
    /// Divs only: `#header`, `#menu`, `.sidebar`, `.content`, `#footer`.
    Divs,
    /// A 2000s page: a layout `<table>` of `<td>` columns, `<font>` everywhere.
    Tables,
}

pub const TEMPLATES: [Template; 3] = [Template::Modern, Template::Divs, Template::Tables];

impl Template {
    pub fn name(self) -> &'static str {
        match self {
            Template::Modern => "modern",
            Template::Divs => "divs",
            Template::Tables => "tables",
        }
    }
}

const SITES: [&str; 5] = ["Acme", "Northwind", "Globex", "Initech", "Umbrella"];
const NAV: [&str; 7] = ["Home", "Products", "Solutions", "Pricing", "About us", "Blog", "Contact"];
const SIDEBAR: [&str; 6] =
    ["Terms of Service", "Cookie Settings", "Security", "Accessibility", "Careers", "Press"];

/// Cookie-consent banners, as sites inject them (before the page's own markup).
const COOKIE_BANNERS: [&str; 2] = [
    "<div class=\"cookie-banner\" id=\"cookie-consent\"><p>We use cookies to improve your experience on \
     our website. By continuing to browse you agree to our use of cookies.</p>\
     <button>Accept all</button> <a href=\"/cookies\">Manage preferences</a></div>\n",
    "<div class=\"cookie-banner cc-window\" role=\"dialog\" aria-label=\"cookieconsent\">\
     <span>This website uses cookies to ensure you get the best experience on our website and to \
     show you personalised advertising and content.</span> <a href=\"/privacy\">Learn more</a> \
     <a class=\"cc-btn cc-dismiss\" role=\"button\">Got it!</a></div>\n",
];

/// HTML-escapes text (`&`, `<`, `>`, `"`); with `entities`, also `'` as `&#39;` and
/// curly quotes and dashes as named entities, as older sites write them.
pub fn escape(s: &str, entities: bool) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' if entities => out.push_str("&#39;"),
            '’' if entities => out.push_str("&rsquo;"),
            '‘' if entities => out.push_str("&lsquo;"),
            '“' if entities => out.push_str("&ldquo;"),
            '”' if entities => out.push_str("&rdquo;"),
            '—' if entities => out.push_str("&mdash;"),
            '–' if entities => out.push_str("&ndash;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
    out
}

/// Text hard-wrapped at `width` columns (HTML white space collapses, so this is how
/// hand-written and generated pages look), each line indented by `indent`.
fn wrap(s: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in s.split(' ') {
        if line > 0 && line + 1 + word.len() > width {
            out.push('\n');
            out.push_str(indent);
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

struct Style {
    template: Template,
    entities: bool,
    wrap: Option<usize>,
    /// Share of paragraphs and items given inline markup (emphasis, a link, a span,
    /// a `&nbsp;`) inside them.
    inline: f64,
}

/// Inline markup put around one or two words inside a sentence (never the first or
/// the last word, so a block is never wholly bold and its full stop stays outside).
const INLINE: [(&str, &str); 7] = [
    ("<strong>", "</strong>"),
    ("<em>", "</em>"),
    ("<b>", "</b>"),
    ("<i>", "</i>"),
    ("<a href=\"/privacy#details\">", "</a>"),
    ("<span class=\"highlight\">", "</span>"),
    ("<abbr title=\"see above\">", "</abbr>"),
];

impl Style {
    fn text(&self, s: &str) -> String {
        let e = escape(s, self.entities);
        match self.wrap {
            Some(w) => wrap(&e, w, "      "),
            None => e,
        }
    }

    /// A paragraph's or item's text, with inline markup in `inline` of them.
    fn prose(&self, s: &str, rng: &mut StdRng) -> String {
        let words: Vec<String> = escape(s, self.entities).split(' ').map(str::to_string).collect();
        if words.len() < 5 || !rng.gen_bool(self.inline) {
            return self.text(s);
        }
        let mut words = words;
        let n = words.len();
        let k = rng.gen_range(1..n - 2);
        let m = rng.gen_range(k..(k + 2).min(n - 2));
        if rng.gen_bool(0.2) {
            // A no-break space written as an entity, as editors do.
            words[k] = format!("&nbsp;{}", words[k]);
            let joined = words.join(" ").replace(" &nbsp;", "&nbsp;");
            return self.wrap_escaped(&joined);
        }
        let (open, close) = INLINE[rng.gen_range(0..INLINE.len())];
        words[k] = format!("{open}{}", words[k]);
        words[m] = format!("{}{close}", words[m]);
        self.wrap_escaped(&words.join(" "))
    }

    fn wrap_escaped(&self, e: &str) -> String {
        match self.wrap {
            Some(w) => wrap(e, w, "      "),
            None => e.to_string(),
        }
    }

    /// An opening block tag: `<P>`, `<LI>` in upper case on the 2000s template.
    fn tag(&self, name: &str) -> String {
        if self.template == Template::Tables {
            format!("<{}>", name.to_uppercase())
        } else {
            format!("<{name}>")
        }
    }
}

/// A table of contents as sites write one: a list of links, a numbered `<nav>` list,
/// numbered links separated by `<br>` in a paragraph, or a paragraph per link.
fn toc_html(toc: &Toc) -> String {
    let link = |i: usize| {
        format!("<a href=\"#{}\">{}</a>", slug(&toc.headings[i]), escape(&toc_entry(toc, i), false))
    };
    let n = toc.headings.len();
    let items =
        |open: &str, close: &str| (0..n).map(|i| format!("{open}{}{close}", link(i))).collect::<String>();
    match toc.style {
        0 => format!("<ul class=\"toc\">\n{}</ul>\n", items("<li>", "</li>\n")),
        1 => format!("<nav class=\"toc\"><ol>\n{}</ol></nav>\n", items("<li>", "</li>\n")),
        2 => format!("<p class=\"toc\">{}</p>\n", (0..n).map(link).collect::<Vec<_>>().join("<br>\n")),
        _ => format!("<div class=\"toc\">\n{}</div>\n", items("<p>", "</p>\n")),
    }
}

/// The policy itself: headings, paragraphs, lists (nested by depth), tables; the side's
/// table of contents above the first heading of level 2 or more, and its `<br>` lines.
fn render_policy(doc: &Document, extras: &Extras, style: &Style, rng: &mut StdRng) -> String {
    let mut out = String::new();
    let mut toc = extras.toc.as_ref();
    // A title that is not the first heading is rendered as `to_markdown` does.
    if let Some(title) = &doc.title {
        let first_is_title = doc
            .sections
            .first()
            .is_some_and(|s| s.level == 1 && s.heading.as_deref() == Some(title.as_str()));
        if !first_is_title {
            out.push_str(&format!("<h1>{}</h1>\n", style.text(title)));
        }
    }
    for (si, section) in doc.sections.iter().enumerate() {
        if section.level >= 2 {
            if let Some(t) = toc.take() {
                out.push_str(&toc_html(t));
            }
        }
        if let Some(h) = &section.heading {
            let l = section.level.clamp(1, 6);
            let text = style.text(h);
            if style.template == Template::Tables && l >= 2 {
                out.push_str(&format!("<h{l}><font color=\"#003366\">{text}</font></h{l}>\n"));
            } else {
                out.push_str(&format!("<h{l}>{text}</h{l}>\n"));
            }
        }
        // Open lists: (ordered) per depth; an item's `<li>` is left open for nesting.
        let mut lists: Vec<bool> = Vec::new();
        let close_lists = |lists: &mut Vec<bool>, to: usize, out: &mut String| {
            while lists.len() > to {
                let ordered = lists.pop().unwrap_or(false);
                out.push_str(if ordered { "</li></ol>\n" } else { "</li></ul>\n" });
            }
        };
        let mut in_table = false;
        let br = extras.br.filter(|b| b.section == si);
        for (bi, block) in section.blocks.iter().enumerate() {
            // `<br>` lines: one paragraph, its lines joined by the side's `<br>`s.
            if let Some(br) = br.filter(|b| (b.start..b.start + b.count).contains(&bi)) {
                close_lists(&mut lists, 0, &mut out);
                if bi == br.start {
                    out.push_str(&style.tag("p"));
                }
                out.push_str(&style.text(&block.text()));
                if bi + 1 < br.start + br.count {
                    out.push_str(BR_SEPS[br.sep % BR_SEPS.len()]);
                } else {
                    out.push_str("</p>\n");
                }
                continue;
            }
            if !matches!(block, Block::ListItem { .. }) {
                close_lists(&mut lists, 0, &mut out);
            }
            if !matches!(block, Block::TableRow { .. }) && in_table {
                out.push_str("</table>\n");
                in_table = false;
            }
            match block {
                Block::Paragraph { text } => {
                    // 2000s pages leave paragraphs unclosed.
                    let close = if style.template == Template::Tables { "" } else { "</p>" };
                    out.push_str(&format!("{}{}{close}\n", style.tag("p"), style.prose(text, rng)))
                }
                Block::ListItem { text, depth, ordered } => {
                    let depth = *depth as usize;
                    // Close deeper lists, and a list of the other kind at this depth.
                    close_lists(&mut lists, depth + 1, &mut out);
                    if lists.len() == depth + 1 && lists[depth] != *ordered {
                        close_lists(&mut lists, depth, &mut out);
                    }
                    if lists.len() == depth + 1 {
                        out.push_str("</li>\n");
                    }
                    while lists.len() < depth + 1 {
                        let o = if lists.len() == depth { *ordered } else { false };
                        out.push_str(if o { "<ol>\n" } else { "<ul>\n" });
                        lists.push(o);
                        if lists.len() < depth + 1 {
                            out.push_str("<li>");
                        }
                    }
                    out.push_str(&format!("{}{}", style.tag("li"), style.prose(text, rng)));
                }
                Block::TableRow { cells } => {
                    if !in_table {
                        out.push_str("<table border=\"1\" class=\"data\">\n");
                        in_table = true;
                    }
                    out.push_str("<tr>");
                    let br_cell = extras.cell_br.filter(|c| c.section == si && c.block == bi);
                    for (ci, c) in cells.iter().enumerate() {
                        match br_cell.filter(|b| b.cell == ci) {
                            Some(b) => {
                                let sep = CELL_BR_SEPS[b.sep % CELL_BR_SEPS.len()];
                                let lines = cell_lines(c, "\u{e001}");
                                let html: Vec<String> =
                                    lines.split('\u{e001}').map(|l| style.text(l)).collect();
                                out.push_str(&format!("<td>{}</td>", html.join(sep)));
                            }
                            None => out.push_str(&format!("<td>{}</td>", style.text(c))),
                        }
                    }
                    out.push_str("</tr>\n");
                }
                Block::Term { text } => out.push_str(&format!("<dl><dt>{}</dt></dl>\n", style.text(text))),
                Block::Definition { text } => {
                    out.push_str(&format!("<dl><dd>{}</dd></dl>\n", style.text(text)))
                }
                Block::Quote { text } => {
                    out.push_str(&format!("<blockquote><p>{}</p></blockquote>\n", style.text(text)))
                }
                Block::Preformatted { text } => {
                    out.push_str(&format!("<pre>{}</pre>\n", escape(text, false)))
                }
            }
        }
        close_lists(&mut lists, 0, &mut out);
        if in_table {
            out.push_str("</table>\n");
        }
    }
    out
}

fn links(items: &[&str], sep: &str) -> String {
    items
        .iter()
        .map(|t| format!("<a href=\"/{}\">{t}</a>", t.to_lowercase().replace(' ', "-")))
        .collect::<Vec<_>>()
        .join(sep)
}

/// A whole page holding `doc` in `template`; the site name, links, wrapping and
/// entities vary with `rng`.
pub fn render(doc: &Document, extras: &Extras, template: Template, rng: &mut StdRng) -> String {
    let site = SITES[rng.gen_range(0..SITES.len())];
    let year = rng.gen_range(2003..=2025);
    let style = Style {
        template,
        entities: template == Template::Tables || rng.gen_bool(0.3),
        wrap: if rng.gen_bool(0.5) { Some(rng.gen_range(60..=100)) } else { None },
        inline: [0.0, 0.2, 0.5][rng.gen_range(0..3)],
    };
    let title = escape(doc.title.as_deref().unwrap_or("Privacy Policy"), false);
    let policy = render_policy(doc, extras, &style, rng);
    let nav_n = rng.gen_range(4..=NAV.len());
    let nav = &NAV[..nav_n];
    let side = &SIDEBAR[..rng.gen_range(3..=SIDEBAR.len())];
    let cookie = COOKIE_BANNERS[rng.gen_range(0..COOKIE_BANNERS.len())];
    match template {
        Template::Modern => {
            let nav_html: String =
                nav.iter().map(|t| format!("<li>{}</li>", links(&[t], ""))).collect::<Vec<_>>().join("");
            let side_html: String =
                side.iter().map(|t| format!("<li>{}</li>", links(&[t], ""))).collect::<Vec<_>>().join("");
            format!(
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title} | {site}</title>\n\
                 <link rel=\"stylesheet\" href=\"/assets/site.css\">\n<script>window.dataLayer=[];</script>\n</head>\n<body>\n\
                 {cookie}<header class=\"site-header\"><a class=\"logo\" href=\"/\"><img src=\"/logo.svg\" alt=\"{site}\"></a>\n\
                 <nav class=\"main-nav\"><ul>{nav_html}</ul></nav></header>\n<div class=\"page\">\n\
                 <aside class=\"sidebar\"><h3>Legal</h3><ul>{side_html}</ul></aside>\n\
                 <main id=\"content\">\n<article class=\"policy\">\n{policy}</article>\n</main>\n</div>\n\
                 <footer class=\"site-footer\"><p>&copy; {year} {site} Inc. All rights reserved.</p>\n\
                 <ul><li>{}</li></ul></footer>\n</body>\n</html>\n",
                links(&["Privacy", "Terms", "Sitemap", "Contact"], "</li><li>")
            )
        }
        Template::Divs => {
            format!(
                "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">\n<html>\n<head>\n\
                 <meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n<title>{site} - {title}</title>\n</head>\n\
                 <body>\n<div id=\"wrapper\">\n<div id=\"header\"><div class=\"logo\"><a href=\"/\">{site}</a></div>\n\
                 <div id=\"menu\" class=\"menu\">{}</div></div>\n\
                 {cookie}<div id=\"sidebar\" class=\"sidebar\">{}</div>\n\
                 <div class=\"content\">\n{policy}</div>\n\
                 <div id=\"footer\" class=\"footer\">Copyright &copy; {year} {site}. All rights reserved. {}</div>\n\
                 </div>\n</body>\n</html>\n",
                links(nav, " | "),
                links(side, "<br>\n"),
                links(&["Privacy", "Terms", "Contact"], " | ")
            )
        }
        Template::Tables => {
            format!(
                "<html>\n<head>\n<title>{site}: {title}</title>\n</head>\n\
                 <body bgcolor=\"#FFFFFF\" leftmargin=\"0\" topmargin=\"0\">\n{cookie}\
                 <table width=\"760\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\">\n\
                 <tr><td colspan=\"2\"><img src=\"/images/logo.gif\" alt=\"{site}\" width=\"200\" height=\"60\"><br>\n\
                 <font face=\"Arial\" size=\"1\">{}</font></td></tr>\n\
                 <tr><td width=\"160\" valign=\"top\" bgcolor=\"#EEEEEE\"><font face=\"Verdana\" size=\"1\">{}</font></td>\n\
                 <td valign=\"top\"><font face=\"Verdana, Arial, Helvetica\" size=\"2\">\n{policy}</font></td></tr>\n\
                 <tr><td colspan=\"2\" align=\"center\"><font size=\"1\">Copyright &copy; {year} {site}, Inc. \
                 All rights reserved.<br>{}</font></td></tr>\n</table>\n</body>\n</html>\n",
                links(nav, " | "),
                links(side, "<br>\n"),
                links(&["Privacy Policy", "Terms of Use", "Contact Us"], " | ")
            )
        }
    }
}

/// The HTML normalizer's Document of a page (`None` when it finds no text).
pub fn read(html: &str) -> Option<Document> {
    normalize(html.as_bytes(), InputKind::Html, &Options::default()).ok()
}

/// A page whose normalized Document differs from the intended one.
#[derive(Debug, Clone)]
pub struct Mismatch {
    pub pair: usize,
    pub base: String,
    pub template: Template,
    /// The first differing section/block, intended vs read back.
    pub intended: String,
    pub read: String,
    /// False when the page is kept (it reads back modulo white space, quotes and
    /// dashes) but not to the very same Document.
    pub rejected: bool,
}

/// The first exact difference (title, level, heading, block) between two Documents.
pub fn exact_difference(want: &Document, got: &Document) -> Option<(String, String)> {
    if want.title != got.title {
        return Some((format!("title {:?}", want.title), format!("title {:?}", got.title)));
    }
    for (i, (x, y)) in want.sections.iter().zip(&got.sections).enumerate() {
        if (x.level, &x.heading, &x.path) != (y.level, &y.heading, &y.path) {
            return Some((format!("section {i}: {x:?}"), format!("{y:?}")));
        }
        for (p, q) in x.blocks.iter().zip(&y.blocks) {
            if p != q {
                return Some((format!("section {i}: {p:?}"), format!("{q:?}")));
            }
        }
    }
    (want != got).then(|| ("the rest".to_string(), "differs".to_string()))
}

/// The first difference between two Documents, as (intended, read) descriptions.
fn first_difference(want: &Document, got: Option<&Document>) -> (String, String) {
    let Some(got) = got else { return ("a document".into(), "no text".into()) };
    let (a, b) = (folded(want), folded(got));
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        if x.0 != y.0 || x.1 != y.1 {
            return (format!("section {i}: h{} {:?}", x.0, x.1), format!("section {i}: h{} {:?}", y.0, y.1));
        }
        for (j, (p, q)) in x.2.iter().zip(&y.2).enumerate() {
            if p != q {
                return (format!("section {i} ({:?}) block {j}: {p}", x.1), format!("block {j}: {q}"));
            }
        }
        if x.2.len() != y.2.len() {
            let extra = |a: &Vec<String>, b: &Vec<String>| a.get(b.len()).cloned().unwrap_or_default();
            return (
                format!("section {i} ({:?}): {} blocks, last {:?}", x.1, x.2.len(), extra(&x.2, &y.2)),
                format!("{} blocks, last {:?}", y.2.len(), extra(&y.2, &x.2)),
            );
        }
    }
    (format!("{} sections", a.len()), format!("{} sections", b.len()))
}

/// Which sides of a pair get HTML.
const SIDES: [&str; 3] = ["old", "new", "both"];

/// Gives `share` of the pairs HTML sides (old only, new only or both, in different
/// templates), with their own generator so that the Markdown pairs stay the same as
/// without `--html`. A side is made HTML only if the page reads back to the side's
/// Document modulo white space, quotes and dashes; the others are returned (with
/// `rejected`), and so are the kept pages that do not read back to the very same
/// Document (list depth, ordered, title, exact text).
///
/// With `keep_rejected`, the rejected pages are kept too (their Document is whatever
/// the normalizer made of them), to measure what their normalizer errors cost the
/// report; the expected changes are still those of the Markdown pair.
pub fn add_html_sides(pairs: &mut [Pair], seed: u64, share: f64, keep_rejected: bool) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    for pair in pairs.iter_mut() {
        let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(7_000_003).wrapping_add(pair.id as u64 + 1));
        if !rng.gen_bool(share) {
            continue;
        }
        let sides = SIDES[rng.gen_range(0..SIDES.len())];
        let first = TEMPLATES[rng.gen_range(0..TEMPLATES.len())];
        let second =
            TEMPLATES[(TEMPLATES.iter().position(|t| *t == first).unwrap_or(0) + rng.gen_range(1..3)) % 3];
        let plan: Vec<(bool, Template)> = match sides {
            "old" => vec![(false, first)],
            "new" => vec![(true, first)],
            _ => vec![(false, first), (true, second)],
        };
        let mut made = Vec::new();
        for (on_new, template) in plan {
            let (doc, extras) =
                if on_new { (&pair.new, &pair.new_extras) } else { (&pair.old, &pair.old_extras) };
            let page = render(doc, extras, template, &mut rng);
            let got = read(&page);
            // A page with `<br>` lines or a table of contents is always kept: what the
            // normalizer makes of them is what these pairs measure.
            if !extras.is_empty() || got.as_ref().is_some_and(|g| folded(g) == folded(doc)) {
                if let Some((intended, read)) = got.as_ref().and_then(|g| exact_difference(doc, g)) {
                    let (pair, base) = (pair.id, pair.base.clone());
                    mismatches.push(Mismatch { pair, base, template, intended, read, rejected: false });
                }
                made.push((on_new, template, page, got.unwrap_or_default()));
            } else {
                let (intended, read) = first_difference(doc, got.as_ref());
                let (id, base) = (pair.id, pair.base.clone());
                mismatches.push(Mismatch { pair: id, base, template, intended, read, rejected: true });
                if keep_rejected {
                    made.push((on_new, template, page, got.unwrap_or_default()));
                }
            }
        }
        for (on_new, template, page, got) in made {
            let side = if on_new { "new" } else { "old" };
            pair.what.push(format!("{side} side HTML ({} template)", template.name()));
            if on_new {
                (pair.new_html, pair.new) = (Some(page), got);
            } else {
                (pair.old_html, pair.old) = (Some(page), got);
            }
        }
    }
    mismatches
}

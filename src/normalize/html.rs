//! HTML into a [`Document`]: the policy text alone, with its section structure.
//!
//! 1. Charset ([`super::charset`]) and archive artifacts ([`super::wayback`]).
//! 2. Parse (html5ever, into the compact tree of [`super::dom`]; `scraper` only to match
//!    `--select`/`--remove`) and copy the tree into a compact arena, marking
//!    what is never content: scripts, styles, forms' controls, navigation, headers and
//!    footers outside the article, hidden elements — except collapsed accordion and tab
//!    panels, which hold policy text — and elements whose class or id names chrome
//!    (cookie banners, share widgets, menus, …) unless they hold most of the page.
//! 3. Choose the main content: the element that maximises its own prose minus the
//!    link text it would drag in (a boilerplate-detection score), with policy
//!    vocabulary weighing for prose. `--select` replaces this choice.
//! 4. Walk the content into sections and blocks: headings (`h1`–`h6` and
//!    pseudo-headings, see [`super::builder`]), paragraphs (also text separated only by
//!    `<br>`), nested lists, data tables (a block per row; layout tables of the 2000s
//!    are read as containers), definition lists.

use std::collections::HashSet;
use std::sync::LazyLock;

use ego_tree::NodeId;
use scraper::{Html, Selector};

use super::builder::Builder;
use super::dom::{self, Dom, Kind};
use super::{NormalizeError, Options};
use crate::document::{Block, Document};

/// Normalizes an HTML page.
pub fn normalize_html(bytes: &[u8], options: &Options) -> Result<Document, NormalizeError> {
    let (text, _) = super::charset::decode(bytes, options.content_type.as_deref());
    let html = super::wayback::strip_replay_artifacts(&text);
    let html = super::inert::strip_inert(&html);
    let html = super::nesting::cap_nesting(&html, super::nesting::MAX_CONTAINER_DEPTH);
    // CSS selectors need scraper's DOM: the elements they match are found there, as
    // positions in document order, and that DOM is gone before the compact one is built.
    let (mut removed, mut selected) = (None, None);
    if options.remove.is_some() || options.select.is_some() {
        let html = Html::parse_document(&html);
        if let Some(css) = &options.remove {
            removed = Some(select_positions(&html, css, "remove")?);
        }
        if let Some(css) = &options.select {
            let positions = select_positions(&html, css, "select")?;
            if positions.is_empty() {
                return Err(NormalizeError::SelectMatchesNothing(css.clone()));
            }
            selected = Some(positions);
        }
    }
    let dom = Dom::parse(&html);
    let by_position = |positions: Option<HashSet<usize>>| {
        positions.map(|p| {
            let order = dom.preorder();
            p.into_iter().filter_map(|i| order.get(i).copied()).collect::<HashSet<u32>>()
        })
    };
    let (removed, selected) = (by_position(removed).unwrap_or_default(), by_position(selected));

    let arena = Arena::build(&dom, &removed, selected.as_ref());
    // The arena holds its own copy of the text: the DOM (the larger of the two) goes
    // before the Document is built.
    drop(dom);
    let roots = match &selected {
        Some(_) => arena.selected_roots(),
        None => arena.main_content(),
    };
    let mut writer = Writer::new(&arena);
    for root in roots {
        writer.container(root, 0);
        writer.flush();
    }
    let doc = writer.builder.finish(arena.title.as_deref());
    if doc.is_empty() {
        return Err(NormalizeError::NoText);
    }
    Ok(doc)
}

/// The positions, in document order (the order of [`Dom::preorder`]), of the
/// elements a CSS selector matches.
fn select_positions(html: &Html, css: &str, option: &'static str) -> Result<HashSet<usize>, NormalizeError> {
    let selector = Selector::parse(css)
        .map_err(|_| NormalizeError::BadSelector { option, selector: css.to_string() })?;
    let ids: HashSet<NodeId> = html.select(&selector).map(|e| e.id()).collect();
    Ok(html
        .tree
        .root()
        .descendants()
        .enumerate()
        .filter(|(_, n)| ids.contains(&n.id()))
        .map(|(i, _)| i)
        .collect())
}

/// What an element is to the extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Heading(u8),
    Paragraph,
    /// Other elements that start a new block (`div`, `section`, …).
    Block,
    List {
        ordered: bool,
    },
    ListItem,
    Table,
    Row,
    Cell,
    DefList,
    Term,
    Definition,
    Pre,
    Quote,
    Break,
    Rule,
    Bold,
    Link,
    /// Collapsible titles (`summary`, accordion buttons): read as pseudo-headings.
    Toggle,
    Inline,
}

/// One node of the arena: 48 bytes (a page of a million tiny paragraphs has two
/// million nodes), its text and children kept in the arena's shared buffers.
#[derive(Debug)]
struct ArenaNode {
    tag: Tag,
    /// Byte range of a text node's text in [`Arena::text`] (empty for elements).
    text: (u32, u32),
    is_text: bool,
    /// [`NONE`] for the root.
    parent: u32,
    /// Range of its children in [`Arena::child_list`].
    children: (u32, u32),
    dropped: bool,
    /// Candidate for dropping once sizes are known: hidden, or chrome by class/id.
    hidden: bool,
    chrome_name: bool,
    /// `header`/`footer`: chrome outside `main`/`article`, the policy's own inside them.
    landmark: bool,
    /// `main`, `article` or `role=main`.
    article: bool,
    /// Class, id or role says accordion/tab/collapse: hidden but still policy text.
    collapsible: bool,
    /// Inside an element matched by `--select`.
    selected: bool,
    /// Characters of prose (text outside links) and of link text, below this node.
    prose: u32,
    links: u32,
    /// Policy words below this node.
    vocab: u32,
    /// `h1` elements at or below this node.
    h1s: u32,
    /// A link to a place in a page (`href="#…"`, or a URL with a fragment): maybe a
    /// table of contents' entry.
    in_page: bool,
}

/// The parent of the root.
const NONE: u32 = u32::MAX;

struct Arena {
    nodes: Vec<ArenaNode>,
    /// The text of every text node, one after another.
    text: String,
    /// Every node's children, in document order, node after node.
    child_list: Vec<u32>,
    body: usize,
    title: Option<String>,
}

/// Class/id words that name page chrome rather than content.
fn is_chrome_word(w: &str) -> bool {
    matches!(
        w,
        "cookie"
            | "cookies"
            | "consent"
            | "gdpr"
            | "cc-banner"
            | "cookiebanner"
            | "newsletter"
            | "subscribe"
            | "subscription"
            | "share"
            | "sharing"
            | "social"
            | "breadcrumb"
            | "breadcrumbs"
            | "menu"
            | "navbar"
            | "nav"
            | "navigation"
            | "sidebar"
            | "footer"
            | "masthead"
            | "skip"
            | "skiplink"
            | "modal"
            | "popup"
            | "related"
            | "comments"
            | "advert"
            | "advertisement"
            | "ads"
            | "promo"
            | "toolbar"
            | "login"
            | "signin"
            | "search"
            | "pagination"
            | "pager"
            | "backtotop"
            | "topbar"
            | "sitemap"
            | "widget"
            | "banner"
            | "overlay"
            | "notification"
    )
}

/// Class/id words of collapsible containers (accordions, tabs) whose hidden content is
/// still policy text.
fn is_collapsible_word(w: &str) -> bool {
    matches!(
        w,
        "accordion"
            | "collapse"
            | "collapsible"
            | "collapsed"
            | "tab"
            | "tabs"
            | "tabpanel"
            | "tab-pane"
            | "panel"
            | "toggle"
            | "expand"
            | "expandable"
            | "faq"
            | "answer"
            | "drawer"
            | "reveal"
            | "content"
            | "body"
    )
}

/// How many words of `text` belong to the vocabulary of privacy policies and terms
/// (a cheap scan: ASCII words, lower-cased on a small stack buffer).
fn policy_words(text: &str) -> u32 {
    let mut count = 0;
    for word in text.as_bytes().split(|b| !b.is_ascii_alphabetic()) {
        if word.len() < 4 || word.len() > 16 {
            continue;
        }
        let mut buf = [0u8; 16];
        let w = &mut buf[..word.len()];
        w.copy_from_slice(word);
        w.make_ascii_lowercase();
        let w: &[u8] = w;
        let hit = matches!(
            w,
            b"privacy"
                | b"personal"
                | b"information"
                | b"data"
                | b"cookie"
                | b"cookies"
                | b"consent"
                | b"policy"
                | b"policies"
                | b"rights"
                | b"retain"
                | b"retention"
                | b"share"
                | b"security"
                | b"children"
                | b"terms"
                | b"party"
                | b"parties"
        ) || w.starts_with(b"collect")
            || w.starts_with(b"disclos")
            || w.starts_with(b"process")
            || w.starts_with(b"law");
        count += u32::from(hit);
    }
    count
}

/// Whether a class/id value holds a word `is_word` accepts: as a whole class token
/// (`tab-pane`) or as a part of one (`cookie` in `site-cookie-notice`), any case.
fn has_word(value: &str, is_word: fn(&str) -> bool) -> bool {
    let mut buf = [0u8; 24];
    let mut check = |part: &str| {
        if part.is_empty() || part.len() > buf.len() {
            return false;
        }
        let lower = &mut buf[..part.len()];
        lower.copy_from_slice(part.as_bytes());
        lower.make_ascii_lowercase();
        std::str::from_utf8(lower).is_ok_and(is_word)
    };
    value
        .split_ascii_whitespace()
        .any(|token| check(token) || token.split(|c: char| !c.is_ascii_alphanumeric()).any(&mut check))
}

fn classify(name: &str) -> Option<Tag> {
    Some(match name {
        "h1" => Tag::Heading(1),
        "h2" => Tag::Heading(2),
        "h3" => Tag::Heading(3),
        "h4" => Tag::Heading(4),
        "h5" => Tag::Heading(5),
        "h6" => Tag::Heading(6),
        "p" => Tag::Paragraph,
        "ul" | "menu" | "dir" => Tag::List { ordered: false },
        "ol" => Tag::List { ordered: true },
        "li" => Tag::ListItem,
        "table" => Tag::Table,
        "tr" => Tag::Row,
        "td" | "th" => Tag::Cell,
        "dl" => Tag::DefList,
        "dt" => Tag::Term,
        "dd" => Tag::Definition,
        "pre" | "listing" | "xmp" => Tag::Pre,
        "blockquote" => Tag::Quote,
        "br" => Tag::Break,
        "hr" => Tag::Rule,
        "b" | "strong" => Tag::Bold,
        "a" => Tag::Link,
        "summary" => Tag::Toggle,
        "div" | "section" | "article" | "main" | "center" | "address" | "figure" | "figcaption"
        | "details" | "header" | "footer" | "body" | "html" | "form" | "fieldset" | "caption" | "thead"
        | "tbody" | "tfoot" | "nav" | "aside" | "hgroup" | "noframes" => Tag::Block,
        // Never content.
        "script" | "style" | "noscript" | "template" | "iframe" | "object" | "embed" | "svg" | "canvas"
        | "head" | "title" | "meta" | "link" | "input" | "select" | "textarea" | "option" | "button"
        | "label" | "img" | "map" | "area" | "audio" | "video" | "source" | "math" | "dialog" => return None,
        _ => Tag::Inline,
    })
}

/// The attributes the extractor looks at, read in one pass over the element's list.
#[derive(Default)]
struct Attrs<'a> {
    id: &'a str,
    class: &'a str,
    role: &'a str,
    style: &'a str,
    hidden: bool,
    aria_hidden: bool,
    labelledby: bool,
    expanded: bool,
    controls: bool,
    href: &'a str,
}

impl<'a> Attrs<'a> {
    fn read(el: &'a dom::Element) -> Self {
        let mut a = Attrs::default();
        for attr in &el.attrs {
            let value: &str = &attr.value;
            match &*attr.name.local {
                "id" => a.id = value,
                "class" => a.class = value,
                "role" => a.role = value,
                "style" => a.style = value,
                "hidden" => a.hidden = true,
                "aria-hidden" => a.aria_hidden = value.trim() == "true",
                "aria-labelledby" => a.labelledby = true,
                "aria-expanded" => a.expanded = true,
                "aria-controls" => a.controls = true,
                "href" => a.href = value,
                _ => {}
            }
        }
        a
    }

    /// `hidden`, `aria-hidden="true"`, or inline `display:none`/`visibility:hidden`.
    fn is_hidden(&self) -> bool {
        if self.hidden || self.aria_hidden {
            return true;
        }
        if self.style.is_empty() {
            return false;
        }
        let s: String =
            self.style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    }
}

/// A length or position in the arena as a `u32` (a page is capped far below 4 GiB).
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Arena {
    fn node_text(&self, i: usize) -> &str {
        let (start, end) = self.nodes[i].text;
        &self.text[start as usize..end as usize]
    }

    fn children(&self, i: usize) -> &[u32] {
        let (start, end) = self.nodes[i].children;
        &self.child_list[start as usize..end as usize]
    }

    /// The children of node `i` as indices.
    fn kids(&self, i: usize) -> impl DoubleEndedIterator<Item = usize> + '_ {
        self.children(i).iter().map(|&c| c as usize)
    }

    fn parent(&self, i: usize) -> Option<usize> {
        let p = self.nodes[i].parent;
        (p != NONE).then_some(p as usize)
    }

    fn build(dom: &Dom, removed: &HashSet<u32>, selected: Option<&HashSet<u32>>) -> Arena {
        let title = dom.title();
        let mut arena = Arena {
            nodes: Vec::with_capacity(dom.nodes.len()),
            text: String::new(),
            child_list: Vec::new(),
            body: 0,
            title,
        };
        // Iterative pre-order copy: (DOM node, arena parent, inherited "selected").
        let mut stack = vec![(0u32, NONE, false)];
        while let Some((node, parent, in_selected)) = stack.pop() {
            let idx = arena.nodes.len();
            let mut entry = ArenaNode {
                tag: Tag::Inline,
                text: (0, 0),
                is_text: false,
                parent,
                children: (0, 0),
                dropped: false,
                hidden: false,
                chrome_name: false,
                landmark: false,
                article: false,
                collapsible: false,
                selected: in_selected,
                prose: 0,
                links: 0,
                vocab: 0,
                h1s: 0,
                in_page: false,
            };
            let mut descend = true;
            match dom.nodes[node as usize].kind {
                Kind::Text(t) => {
                    let t: &str = &dom.texts[t as usize];
                    entry.is_text = true;
                    let start = to_u32(arena.text.len());
                    arena.text.push_str(t);
                    entry.text = (start, to_u32(arena.text.len()));
                    descend = false;
                }
                Kind::Element(el) => {
                    let el = &dom.elements[el as usize];
                    let name: &str = &el.local;
                    let a = Attrs::read(el);
                    entry.selected = in_selected || selected.is_some_and(|s| s.contains(&node));
                    match classify(name) {
                        None => {
                            entry.dropped = true;
                            descend = false;
                            // A collapsible's button carries the panel's title.
                            if name == "button" && (a.expanded || a.controls) {
                                entry.dropped = false;
                                entry.tag = Tag::Toggle;
                                descend = true;
                            }
                        }
                        Some(tag) => entry.tag = tag,
                    }
                    if name == "body" {
                        arena.body = idx;
                    }
                    if removed.contains(&node) {
                        entry.dropped = true;
                        descend = false;
                    }
                    let named =
                        |is_word: fn(&str) -> bool| has_word(a.id, is_word) || has_word(a.class, is_word);
                    if matches!(a.role, "navigation" | "banner" | "contentinfo" | "search" | "complementary")
                        || matches!(name, "nav" | "aside")
                    {
                        entry.chrome_name = true;
                    }
                    entry.landmark = matches!(name, "header" | "footer");
                    entry.article = matches!(name, "main" | "article") || a.role == "main";
                    // Names mark chrome on containers only: a heading `id="sharing"` is the
                    // policy's own "Information Sharing".
                    if matches!(entry.tag, Tag::Block | Tag::List { .. } | Tag::Inline | Tag::Table)
                        && named(is_chrome_word)
                    {
                        entry.chrome_name = true;
                    }
                    entry.hidden = a.is_hidden();
                    entry.collapsible = matches!(a.role, "tabpanel" | "region")
                        || name == "details"
                        || a.labelledby
                        || named(is_collapsible_word);
                    // `#cookies`, or a full URL with a fragment (often the page's own).
                    entry.in_page = entry.tag == Tag::Link && a.href.contains('#');
                    if a.expanded && matches!(entry.tag, Tag::Inline | Tag::Link) {
                        entry.tag = Tag::Toggle;
                    }
                }
                Kind::Document | Kind::Fragment => {
                    entry.tag = Tag::Block;
                }
                Kind::Other => {
                    entry.dropped = true;
                    descend = false;
                }
            }
            let child_selected = entry.selected;
            arena.nodes.push(entry);
            if descend {
                // Push in reverse so children are visited (and numbered) in order.
                let mut child = dom.nodes[node as usize].last_child;
                while child != dom::NONE {
                    stack.push((child, to_u32(idx), child_selected));
                    child = dom.nodes[child as usize].prev_sibling;
                }
            }
        }
        arena.link_children();
        arena.measure();
        arena.drop_chrome();
        arena
    }

    /// Fills `child_list` from the parents: children are numbered after their
    /// parents and in document order, so one pass in index order lists them.
    fn link_children(&mut self) {
        // Count each node's children (in `children.1`), give each node its range,
        // empty at first, then place the children, each at its parent's range end.
        for i in 0..self.nodes.len() {
            let p = self.nodes[i].parent;
            if p != NONE {
                self.nodes[p as usize].children.1 += 1;
            }
        }
        let mut start = 0u32;
        for node in &mut self.nodes {
            let count = node.children.1;
            node.children = (start, start);
            start += count;
        }
        self.child_list = vec![0; start as usize];
        for i in 0..self.nodes.len() {
            let p = self.nodes[i].parent;
            if p != NONE {
                let slot = &mut self.nodes[p as usize].children.1;
                self.child_list[*slot as usize] = to_u32(i);
                *slot += 1;
            }
        }
    }

    /// Sizes bottom-up: children are numbered after their parents.
    fn measure(&mut self) {
        for i in (0..self.nodes.len()).rev() {
            let (prose, links, vocab) = {
                let n = &self.nodes[i];
                if n.dropped {
                    (0, 0, 0)
                } else if n.is_text {
                    // Bytes, not characters: a size measure, and a cheap one.
                    let text = self.node_text(i);
                    let chars = text.bytes().filter(|b| !b.is_ascii_whitespace()).count() as u32;
                    let vocab = if chars > 3 { policy_words(text) } else { 0 };
                    (chars, 0, vocab)
                } else if n.tag == Tag::Link {
                    let (p, l, v) = self.sum_children(i);
                    (0, p + l, v)
                } else {
                    self.sum_children(i)
                }
            };
            let h1s = if self.nodes[i].dropped {
                0
            } else {
                self.kids(i).map(|c| self.nodes[c].h1s).sum::<u32>()
                    + u32::from(self.nodes[i].tag == Tag::Heading(1))
            };
            let n = &mut self.nodes[i];
            n.prose = prose;
            n.links = links;
            n.vocab = vocab;
            n.h1s = h1s;
        }
    }

    fn sum_children(&self, i: usize) -> (u32, u32, u32) {
        self.kids(i).fold((0, 0, 0), |(p, l, v), c| {
            let n = &self.nodes[c];
            (p + n.prose, l + n.links, v + n.vocab)
        })
    }

    /// Drops hidden elements and elements named as chrome, outermost first, unless
    /// they are collapsed policy text or hold most of the page's prose.
    fn drop_chrome(&mut self) {
        let total = self.nodes.get(self.body).map_or(0, |b| b.prose).max(1);
        // Whether a node lies inside `main`/`article`, filled in pre-order (parents first).
        let mut in_article = vec![false; self.nodes.len()];
        for i in 0..self.nodes.len() {
            let parent = self.parent(i);
            if let Some(parent) = parent {
                in_article[i] = in_article[parent] || self.nodes[parent].article;
            }
            let n = &self.nodes[i];
            let parent_dropped = parent.is_some_and(|p| self.nodes[p].dropped);
            if n.is_text || n.dropped || parent.is_none() || parent_dropped {
                // A dropped parent: mark the subtree dropped as we pass.
                if parent_dropped {
                    self.nodes[i].dropped = true;
                }
                continue;
            }
            let inside_article = in_article[i];
            let dominant = n.prose as f64 >= 0.4 * total as f64;
            let mut drop = false;
            if n.hidden && !n.selected {
                let keep = n.collapsible || (n.prose >= 200 && !n.chrome_name);
                drop = !keep;
            }
            if (n.chrome_name || n.landmark && !inside_article) && !n.selected && !dominant {
                drop = true;
            }
            if drop {
                self.drop_subtree_sizes(i);
            }
        }
    }

    fn drop_subtree_sizes(&mut self, i: usize) {
        let n = &self.nodes[i];
        let (prose, links, vocab, h1s) = (n.prose, n.links, n.vocab, n.h1s);
        self.nodes[i].dropped = true;
        let mut p = self.nodes[i].parent;
        while p != NONE {
            let n = &mut self.nodes[p as usize];
            n.prose = n.prose.saturating_sub(prose);
            n.links = n.links.saturating_sub(links);
            n.vocab = n.vocab.saturating_sub(vocab);
            n.h1s = n.h1s.saturating_sub(h1s);
            p = n.parent;
        }
    }

    /// The element whose prose, weighted by policy words, most outweighs the link
    /// text it holds.
    fn main_content(&self) -> Vec<usize> {
        let mut best: Option<(f64, usize)> = None;
        for (i, n) in self.nodes.iter().enumerate() {
            if n.is_text || n.dropped || n.prose == 0 {
                continue;
            }
            if !matches!(
                n.tag,
                Tag::Block | Tag::Cell | Tag::Table | Tag::Quote | Tag::DefList | Tag::List { .. }
            ) {
                continue;
            }
            let score = n.prose as f64 + 6.0 * n.vocab as f64 - 1.5 * n.links as f64;
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, i));
            }
        }
        let mut chosen = best.map_or(self.body, |(_, i)| i);
        let mut continuations: Vec<Vec<usize>> = Vec::new();
        // Narrow down past side columns: into the child that holds most of the prose
        // and the page's title (`h1`), or nearly all the prose when there is no `h1`.
        loop {
            let node = &self.nodes[chosen];
            let Some(child) =
                self.kids(chosen).filter(|&c| !self.nodes[c].dropped).max_by_key(|&c| self.nodes[c].prose)
            else {
                break;
            };
            let c = &self.nodes[child];
            let share = c.prose as f64 / node.prose.max(1) as f64;
            let holds_title = node.h1s > 0 && c.h1s == node.h1s;
            if c.is_text || !(share >= 0.75 && holds_title || node.h1s == 0 && share >= 0.92) {
                break;
            }
            // What the child leaves out must not read as policy text itself: a closing
            // section outside the `<font>` wrapper of a 2000s page is still the policy.
            let (rest_prose, rest_links) = (node.prose - c.prose, node.links - c.links);
            if rest_prose >= 200 && node.vocab - c.vocab >= 2 && rest_links * 4 < rest_prose {
                break;
            }
            continuations.push(self.continuations(chosen, child));
            chosen = child;
        }
        // The chosen element, then what continues it at each level, innermost first.
        std::iter::once(chosen).chain(continuations.into_iter().rev().flatten()).collect()
    }

    /// The paragraphs right after `child` (inside `parent`) that the parser moved out of
    /// it: `<font><p>a<p>b</font>` parses as `<font><p>a</font><p><font>b</font></p>`,
    /// so the last paragraph of a 2000s page sits beside its `<font>` wrapper, starting
    /// with a clone of it. Mostly prose, and in a row.
    fn continuations(&self, parent: usize, child: usize) -> Vec<usize> {
        let siblings = self.children(parent);
        let after =
            siblings.iter().position(|&c| c as usize == child).map_or(&[][..], |p| &siblings[p + 1..]);
        let blank = |i: usize| self.nodes[i].is_text && self.node_text(i).trim().is_empty();
        let mut out = Vec::new();
        for s in after.iter().map(|&s| s as usize) {
            let n = &self.nodes[s];
            if n.dropped || blank(s) {
                continue;
            }
            let starts_with_clone = self
                .kids(s)
                .find(|&c| !blank(c))
                .map(|c| &self.nodes[c])
                .is_some_and(|c| !c.is_text && matches!(c.tag, Tag::Inline | Tag::Bold));
            let prose = n.prose > 0 && n.links * 4 < n.prose;
            if n.is_text || !matches!(n.tag, Tag::Paragraph | Tag::Block) || !starts_with_clone || !prose {
                break;
            }
            out.push(s);
        }
        out
    }

    /// Outermost elements matched by `--select`, in document order.
    fn selected_roots(&self) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| {
                let n = &self.nodes[i];
                n.selected && !n.is_text && self.parent(i).is_none_or(|p| !self.nodes[p].selected)
            })
            .collect()
    }
}

static CALL_TO_ACTION: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^\W*(?:click here to (?:join|sign up|register|log ?in|subscribe)|join (?:now|us|today)|sign up(?: now| today)?|register now|log ?in|(?:back|return|go) to (?:the )?top(?: of (?:the )?page)?|top of page|print (?:this )?page)\b[^.]{0,30}$",
    )
    .expect("static regex")
});

static CLOCK: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?i)^\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*$").expect("static regex")
});

/// Walks the chosen content and feeds the [`Builder`].
struct Writer<'a> {
    arena: &'a Arena,
    builder: Builder,
    /// Inline text waiting for the end of its block.
    inline: String,
    /// Non-space characters of `inline` outside and inside bold.
    plain_chars: usize,
    bold_chars: usize,
    bold_depth: usize,
    /// Link text in `inline`, and how many links it holds.
    link_chars: usize,
    link_count: usize,
    link_depth: usize,
    /// Open in-page links (`href="#…"`); in `inline`, the text of each and the letters
    /// outside them (a table-of-contents line has no such letters).
    anchor_depth: usize,
    anchor_texts: Vec<String>,
    other_letters: usize,
    /// Open lists: (ordered).
    lists: Vec<bool>,
    /// Inside a list item: its text goes to `inline` and is emitted as a ListItem.
    item_depth: usize,
    /// Inside a data table row.
    row: Option<Vec<String>>,
    /// The pending line is not a heading even if wholly bold: it is one line of a bold
    /// run broken by `<br>` (an address), or follows a line ending in a colon.
    no_bold_heading: bool,
}

const MAX_DEPTH: usize = 400;

impl<'a> Writer<'a> {
    fn new(arena: &'a Arena) -> Self {
        Writer {
            arena,
            builder: Builder::new(),
            inline: String::new(),
            plain_chars: 0,
            bold_chars: 0,
            bold_depth: 0,
            link_chars: 0,
            link_count: 0,
            link_depth: 0,
            anchor_depth: 0,
            anchor_texts: Vec::new(),
            other_letters: 0,
            lists: Vec::new(),
            item_depth: 0,
            row: None,
            no_bold_heading: false,
        }
    }

    /// Emits the pending inline text as a paragraph, list item or pseudo-heading.
    fn flush(&mut self) {
        let visible = self.plain_chars + self.bold_chars;
        // A line of three or more links and little else is a link bar (an in-page
        // table of contents, "Print | E-mail | Share"), not policy text.
        let link_bar = self.link_count >= 3 && self.link_chars * 10 >= visible * 8;
        // A lone sign-up or navigation link ("Click here to join", "Back to top") or a
        // server clock ("07:50:32 AM") is page furniture, not policy text.
        let furniture = self.item_depth == 0
            && visible <= 40
            && (self.link_count == 1
                && self.link_chars * 10 >= visible * 9
                && CALL_TO_ACTION.is_match(&self.inline)
                || CLOCK.is_match(&self.inline));
        // A line of in-page links and numbering only: maybe a table of contents' line.
        let anchor_texts = std::mem::take(&mut self.anchor_texts);
        let contents = std::mem::take(&mut self.other_letters) == 0
            && anchor_texts.iter().any(|t| t.chars().any(char::is_alphanumeric));
        self.link_count = 0;
        self.link_chars = 0;
        let no_bold_heading = std::mem::take(&mut self.no_bold_heading);
        if self.inline.trim().is_empty() || link_bar && self.item_depth == 0 || furniture {
            if contents {
                self.builder.contents_dropped();
            }
            self.inline.clear();
            self.plain_chars = 0;
            self.bold_chars = 0;
            return;
        }
        // Copy out and keep the buffer's capacity for the next block.
        let text = self.inline.clone();
        self.inline.clear();
        if self.item_depth > 0 {
            let depth = self.lists.len().saturating_sub(1).min(u8::MAX as usize) as u8;
            let ordered = self.lists.last().copied().unwrap_or(false);
            let item = Block::ListItem { text, depth, ordered };
            if contents {
                self.builder.contents_candidate(item, anchor_texts);
            } else {
                self.builder.block(item);
            }
        } else if contents {
            self.builder.contents_candidate(Block::Paragraph { text }, anchor_texts);
        } else {
            let wholly_bold = self.plain_chars == 0 && self.bold_chars > 0 && !no_bold_heading;
            self.builder.clean_paragraph_or_heading(text, wholly_bold);
        }
        self.plain_chars = 0;
        self.bold_chars = 0;
    }

    /// A word break in the pending text (never doubled, never leading).
    fn space(&mut self) {
        if !self.inline.is_empty() && !self.inline.ends_with(' ') {
            self.inline.push(' ');
        }
    }

    fn text(&mut self, s: &str) {
        let before = self.inline.len();
        super::text::push_collapsed(&mut self.inline, s);
        let visible = self.inline[before..].bytes().filter(|&b| b != b' ').count();
        if self.link_depth > 0 {
            self.link_chars += visible;
        }
        if self.anchor_depth > 0 {
            if let Some(t) = self.anchor_texts.last_mut() {
                t.push_str(&self.inline[before..]);
            }
        } else {
            self.other_letters += self.inline[before..].chars().filter(|c| c.is_alphabetic()).count();
        }
        if self.bold_depth > 0 {
            self.bold_chars += visible;
        } else {
            self.plain_chars += visible;
        }
    }

    fn children(&mut self, i: usize, depth: usize) {
        let arena = self.arena;
        for c in arena.kids(i) {
            self.node(c, depth + 1);
        }
    }

    /// A block container: its content starts and ends on block boundaries.
    fn container(&mut self, i: usize, depth: usize) {
        self.flush();
        self.children(i, depth);
        self.flush();
    }

    fn node(&mut self, i: usize, depth: usize) {
        let n = &self.arena.nodes[i];
        if n.dropped {
            return;
        }
        if n.is_text {
            let arena = self.arena;
            self.text(arena.node_text(i));
            return;
        }
        if depth > MAX_DEPTH {
            // Pathologically deep markup: keep the text, give up on structure.
            let mut s = String::new();
            self.collect_text(i, &mut s);
            self.text(&s);
            return;
        }
        match n.tag {
            Tag::Heading(level) => {
                self.flush();
                let text = self.inline_text(i);
                let words = text.split_whitespace().count();
                if words > 40 {
                    // A paragraph marked up as a heading.
                    self.builder.block(Block::Paragraph { text });
                } else {
                    self.builder.heading(level, &text);
                }
            }
            Tag::Toggle => {
                self.flush();
                let text = self.inline_text(i);
                let t = super::text::clean(&text);
                if !t.is_empty() && t.split_whitespace().count() <= 20 {
                    self.builder.pseudo_heading(&t);
                } else {
                    self.builder.paragraph_or_heading(&t, false);
                }
            }
            Tag::Paragraph | Tag::Block | Tag::Quote => {
                if self.item_depth > 0 || self.row.is_some() {
                    // Inside a list item or a table cell the text stays together.
                    self.space();
                    self.children(i, depth);
                    self.space();
                } else {
                    self.container(i, depth);
                }
            }
            Tag::Break => {
                if self.item_depth > 0 || self.row.is_some() {
                    self.space();
                } else {
                    // `<b>Jumbo Electronics Co.<br>P.O. Box 3426</b>`: bold lines of one
                    // run are an address or a callout, not headings; nor is the line
                    // after "Our postal address is:".
                    let bold_goes_on = self.bold_depth > 0 && self.bold_chars > 0 && self.text_follows(i);
                    let after_colon = self.inline.trim_end().ends_with(':');
                    self.no_bold_heading |= bold_goes_on;
                    self.flush();
                    self.no_bold_heading = bold_goes_on || after_colon;
                }
            }
            Tag::Rule => self.flush(),
            Tag::List { ordered } => {
                self.flush();
                self.lists.push(ordered);
                let saved = self.item_depth;
                self.item_depth = 0;
                let arena = self.arena;
                for c in arena.kids(i) {
                    let child = &arena.nodes[c];
                    if child.tag == Tag::ListItem || child.is_text {
                        self.node(c, depth + 1);
                    } else {
                        // Stray content between items.
                        self.item_depth = 1;
                        self.node(c, depth + 1);
                        self.flush();
                        self.item_depth = 0;
                    }
                }
                self.flush();
                self.item_depth = saved;
                self.lists.pop();
            }
            Tag::ListItem => {
                self.flush();
                if self.lists.is_empty() {
                    self.lists.push(false);
                    self.item(i, depth);
                    self.lists.pop();
                } else {
                    self.item(i, depth);
                }
            }
            Tag::Table => {
                self.flush();
                if self.is_data_table(i) {
                    self.data_table(i, depth);
                } else {
                    self.children(i, depth);
                    self.flush();
                }
            }
            Tag::Row | Tag::Cell => {
                // Layout tables: rows and cells are plain containers.
                if self.row.is_some() {
                    self.children(i, depth);
                } else {
                    self.container(i, depth);
                }
            }
            Tag::DefList => {
                self.flush();
                self.children(i, depth);
                self.flush();
            }
            Tag::Term | Tag::Definition => {
                self.flush();
                let text = self.inline_text(i);
                let block =
                    if n.tag == Tag::Term { Block::Term { text } } else { Block::Definition { text } };
                self.builder.block(block);
            }
            Tag::Pre => {
                self.flush();
                let mut s = String::new();
                self.collect_text(i, &mut s);
                self.builder.block(Block::Preformatted { text: s });
            }
            Tag::Bold => {
                self.bold_depth += 1;
                self.children(i, depth);
                self.bold_depth -= 1;
            }
            Tag::Link => {
                let in_page = usize::from(n.in_page);
                self.link_count += 1;
                self.link_depth += 1;
                self.anchor_depth += in_page;
                if n.in_page {
                    self.anchor_texts.push(String::new());
                }
                self.children(i, depth);
                self.link_depth -= 1;
                self.anchor_depth -= in_page;
            }
            Tag::Inline => self.children(i, depth),
        }
    }

    fn item(&mut self, i: usize, depth: usize) {
        self.item_depth += 1;
        let arena = self.arena;
        for c in arena.kids(i) {
            let child = &arena.nodes[c];
            if matches!(child.tag, Tag::List { .. }) && !child.is_text {
                // The item's own text comes before its nested list.
                self.flush();
                let saved = self.item_depth;
                self.node(c, depth + 1);
                self.item_depth = saved;
            } else {
                self.node(c, depth + 1);
            }
        }
        self.flush();
        self.item_depth -= 1;
    }

    /// A table of data (not layout): no nested tables or block content, at least two
    /// rows of two cells, and short cells on average, or (a data table of long cells,
    /// as LinkedIn's and Google's legal-basis tables) three rows or more, every one of
    /// two cells or more, no cell holding a quarter of the text (a layout table holds
    /// the page in one cell).
    fn is_data_table(&self, table: usize) -> bool {
        let mut rows = 0;
        let mut multi_cell_rows = 0;
        let mut cells = 0;
        let mut cell_chars = 0u32;
        let mut longest_cell = 0u32;
        let mut stack = vec![table];
        let mut first = true;
        while let Some(i) = stack.pop() {
            let n = &self.arena.nodes[i];
            if n.dropped || n.is_text {
                continue;
            }
            if !first {
                match n.tag {
                    Tag::Table | Tag::Heading(_) | Tag::Pre | Tag::DefList => return false,
                    Tag::Row => {
                        rows += 1;
                        let c = self
                            .arena
                            .kids(i)
                            .filter(|&c| self.arena.nodes[c].tag == Tag::Cell && !self.arena.nodes[c].dropped)
                            .count();
                        if c >= 2 {
                            multi_cell_rows += 1;
                        }
                    }
                    Tag::Cell => {
                        cells += 1;
                        cell_chars += n.prose + n.links;
                        longest_cell = longest_cell.max(n.prose + n.links);
                    }
                    _ => {}
                }
            }
            first = false;
            stack.extend(self.arena.kids(i));
        }
        let spread = rows >= 3 && multi_cell_rows == rows && longest_cell.saturating_mul(4) <= cell_chars;
        rows >= 2 && multi_cell_rows * 2 >= rows && cells > 0 && ((cell_chars / cells as u32) < 400 || spread)
    }

    fn data_table(&mut self, table: usize, depth: usize) {
        let mut rows = Vec::new();
        self.find_rows(table, &mut rows);
        for r in rows {
            let mut cells = Vec::new();
            for c in self.arena.kids(r) {
                let n = &self.arena.nodes[c];
                if n.tag == Tag::Cell && !n.dropped {
                    cells.push(self.inline_text(c));
                }
            }
            let _ = depth;
            self.builder.block(Block::TableRow { cells });
        }
    }

    fn find_rows(&self, i: usize, out: &mut Vec<usize>) {
        for c in self.arena.kids(i) {
            let n = &self.arena.nodes[c];
            if n.dropped || n.is_text {
                continue;
            }
            if n.tag == Tag::Row {
                out.push(c);
            } else if n.tag != Tag::Table {
                self.find_rows(c, out);
            }
        }
    }

    /// The text below `i`, with block boundaries and `<br>` as spaces.
    /// Whether visible text follows node `i` inside its parent.
    fn text_follows(&self, i: usize) -> bool {
        let Some(parent) = self.arena.parent(i) else {
            return false;
        };
        let siblings = self.arena.children(parent);
        let after = siblings.iter().position(|&c| c as usize == i).map_or(&[][..], |p| &siblings[p + 1..]);
        let mut s = String::new();
        after.iter().any(|&c| {
            s.clear();
            self.collect_text(c as usize, &mut s);
            s.chars().any(|ch| !ch.is_whitespace() && ch != '\u{a0}')
        })
    }

    fn inline_text(&self, i: usize) -> String {
        let mut s = String::new();
        self.collect_text(i, &mut s);
        super::text::clean(&s)
    }

    fn collect_text(&self, i: usize, out: &mut String) {
        let mut stack = vec![i];
        while let Some(j) = stack.pop() {
            let n = &self.arena.nodes[j];
            if n.dropped {
                continue;
            }
            if n.is_text {
                out.push_str(self.arena.node_text(j));
                continue;
            }
            if !matches!(n.tag, Tag::Inline | Tag::Bold | Tag::Link) {
                out.push(if n.tag == Tag::Break && out.ends_with('\n') { ' ' } else { '\n' });
            }
            stack.extend(self.arena.kids(j).rev());
        }
    }
}

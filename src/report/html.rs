//! The HTML report: one self-contained page (inline style, no script, nothing
//! fetched), with the same content as the Markdown report: `<del>`/`<ins>` inside
//! reworded clauses, set apart from each other; links to both captures (raw `id_` and
//! the Wayback view) with their dates for people; a long section list collapsed
//! (`<details>`); long unchanged stretches inside a reworded clause shortened to the
//! words around the change; a print style sheet.

use crate::diff::{ChangeKind, DocumentDiff, SectionStatus, WordOp, WordOpKind};
use crate::provenance::SourceInfo;

/// The page's style sheet (a changelog page embedding step bodies uses it too).
pub const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}\
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}\
ul{padding-left:1.2rem}li{margin:.4rem 0}.kind{font-weight:600;margin-right:.4rem}\
del{background:#fde2e1;color:#8b1a10}ins{background:#dcf5dc;color:#13591a;text-decoration:none}\
.added .kind{color:#13591a}.removed .kind{color:#8b1a10}.moved .kind{color:#0b5394}.reworded .kind{color:#7a5b00}\
.summary{background:#f4f4f4;padding:.5rem .8rem;border-radius:4px}code{font-size:.9em}\
del+ins,ins+del{margin-left:.3em}.elided{color:#6b6b6b}.sides a{color:#0b5394}.when{color:#555}\
summary{cursor:pointer;font-weight:600}\
@media print{body{max-width:none;margin:0;padding:0;font-size:11pt;color:#000}\
h2{break-after:avoid}li{break-inside:avoid}.summary{background:none;border:1px solid #999}\
del{background:none;color:#000;text-decoration:line-through}ins{background:none;color:#000;text-decoration:underline}\
.sides a::after{content:\" <\" attr(href) \">\";font-size:.8em;word-break:break-all}}";

/// An unchanged stretch inside a reworded clause longer than this many words is
/// shortened to [`CONTEXT`] words on each side of the change.
const LONG_EQUAL: usize = 60;
const CONTEXT: usize = 20;

/// A section list longer than this is collapsed under a `<details>` summary.
const LONG_SECTION_LIST: usize = 8;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

fn words(ops: &[WordOp]) -> String {
    let last = ops.len().saturating_sub(1);
    ops.iter()
        .enumerate()
        .map(|(i, op)| match op.op {
            WordOpKind::Equal => equal_run(&op.text, i > 0, i < last),
            WordOpKind::Delete => format!("<del>{}</del>", escape(&op.text)),
            WordOpKind::Insert => format!("<ins>{}</ins>", escape(&op.text)),
        })
        .collect()
}

/// An unchanged run, shortened when long: the words next to a change (`before`: a
/// change precedes it, `after`: one follows) stay, the middle becomes an ellipsis
/// whose title holds the whole text.
fn equal_run(text: &str, before: bool, after: bool) -> String {
    let words: Vec<&str> = text.split_inclusive(char::is_whitespace).collect();
    if words.len() <= LONG_EQUAL {
        return escape(text);
    }
    let head = if before { CONTEXT } else { 0 };
    let tail = if after { CONTEXT } else { 0 };
    let (kept_head, kept_tail) = (words[..head].concat(), words[words.len() - tail..].concat());
    let hidden = words[head..words.len() - tail].concat();
    format!(
        "{}<span class=\"elided\" title=\"{}\">… </span>{}",
        escape(&kept_head),
        escape(hidden.trim()),
        escape(&kept_tail)
    )
}

fn describe(info: &SourceInfo) -> String {
    let mut s = format!("<code>{}</code>", escape(&info.source));
    if let (Some(id), Some(view)) = (info.memento_url(), info.view_url()) {
        let when = info.date().unwrap_or_else(|| info.timestamp.clone().unwrap_or_default());
        s.push_str(&format!(
            " — <span class=\"when\">captured {}</span> (<a href=\"{}\">raw capture</a> · <a href=\"{}\">Wayback Machine view</a>)",
            escape(&when),
            escape(&id),
            escape(&view)
        ));
    } else if info.timestamp_adds_information() {
        s.push_str(&format!(" (capture {})", escape(info.timestamp.as_deref().unwrap_or_default())));
    }
    s
}

/// The HTML page: a head with the style sheet, both sides, the summary, then [`body`].
pub fn render(diff: &DocumentDiff, old: &SourceInfo, new: &SourceInfo) -> String {
    let title = new.title.as_deref().or(old.title.as_deref()).unwrap_or("the policy");
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Changes to {t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>Changes to {t}</h1>\n\
         <ul class=\"sides\">\n<li>Old: {}</li>\n<li>New: {}</li>\n</ul>\n<p class=\"summary\">{}</p>\n",
        describe(old),
        describe(new),
        escape(&super::summary_line(diff)),
        t = escape(title),
    );
    out.push_str(&body(diff, 2));
    out.push_str("</body>\n</html>\n");
    out
}

/// The section changes and each changed clause under its section's heading, as an
/// HTML fragment with headings at `level` (`<h2>` in the page).
pub fn body(diff: &DocumentDiff, level: usize) -> String {
    let lvl = level.clamp(1, 6);
    let mut out = String::new();
    let name = |h: &Option<String>| format!("“{}”", escape(h.as_deref().unwrap_or("(untitled)")));
    let notable: Vec<_> = super::notable_sections(diff).collect();
    let collapsed = notable.len() > LONG_SECTION_LIST;
    if !notable.is_empty() {
        out.push_str(&format!("<h{lvl}>Sections</h{lvl}>\n"));
        if collapsed {
            out.push_str(&format!(
                "<details><summary>{} sections added, removed, renamed or moved</summary>\n",
                notable.len()
            ));
        }
        out.push_str("<ul>\n");
        for s in notable {
            let line = match s.status {
                SectionStatus::Renamed => {
                    format!("Renamed: {} → {}", name(&s.old_heading), name(&s.new_heading))
                }
                SectionStatus::Added => format!("Added: {}", name(&s.new_heading)),
                SectionStatus::Removed => format!("Removed: {}", name(&s.old_heading)),
                _ => format!("Moved: {}", name(&s.new_heading)),
            };
            out.push_str(&format!("<li>{line}</li>\n"));
        }
        out.push_str("</ul>\n");
        if collapsed {
            out.push_str("</details>\n");
        }
    }
    let mut current: Option<Option<&str>> = None;
    for change in &diff.changes {
        let section = super::change_section(change);
        if current != Some(section) {
            if current.is_some() {
                out.push_str("</ul>\n");
            }
            out.push_str(&format!("<h{lvl}>{}</h{lvl}>\n<ul>\n", escape(section.unwrap_or("(untitled)"))));
            current = Some(section);
        }
        let text = |t: &Option<String>| escape(t.as_deref().unwrap_or_default());
        let (class, label, body) = match change.kind {
            ChangeKind::Added => ("added", "Added".to_string(), format!("<ins>{}</ins>", text(&change.new))),
            ChangeKind::Removed => {
                ("removed", "Removed".to_string(), format!("<del>{}</del>", text(&change.old)))
            }
            ChangeKind::Reworded => (
                "reworded",
                "Reworded".to_string(),
                change.words.as_deref().map(words).unwrap_or_else(|| text(&change.new)),
            ),
            ChangeKind::Moved => (
                "moved",
                format!("Moved from {}", name(&change.old_section)),
                change.words.as_deref().map(words).unwrap_or_else(|| text(&change.new)),
            ),
        };
        out.push_str(&format!("<li class=\"{class}\"><span class=\"kind\">{label}:</span>{body}</li>\n"));
    }
    if current.is_some() {
        out.push_str("</ul>\n");
    }
    out
}

//! The HTML report: one self-contained page (inline style, no script, nothing
//! fetched), with the same content as the Markdown report: `<del>`/`<ins>` inside
//! reworded clauses, set apart from each other; links to both captures (raw `id_` and
//! the Wayback view) with their dates for people; a long section list collapsed
//! (`<details>`); long unchanged stretches inside a reworded clause shortened to the
//! words around the change; the unchanged clause before and after each change, dimmed
//! ([`Context`], taken from the two documents: the diff itself holds only changes); a
//! print style sheet.

use std::collections::HashSet;

use crate::diff::{segment, ChangeKind, DocumentDiff, WordOp, WordOpKind};
use crate::document::Document;
use crate::provenance::SourceInfo;

/// The page's style sheet (a changelog page embedding step bodies uses it too).
pub const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}\
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}\
ul{padding-left:1.2rem}li{margin:.4rem 0}.kind{font-weight:600;margin-right:.4rem}\
del{background:#fde2e1;color:#8b1a10}ins{background:#dcf5dc;color:#13591a;text-decoration:none}\
.added .kind{color:#13591a}.removed .kind{color:#8b1a10}.moved .kind{color:#0b5394}.reworded .kind{color:#7a5b00}\
.summary{background:#f4f4f4;padding:.5rem .8rem;border-radius:4px}code{font-size:.9em}\
del+ins,ins+del{margin-left:.3em}.elided{color:#6b6b6b}.sides a{color:#0b5394}.when{color:#555}\
summary{cursor:pointer;font-weight:600}li.context{list-style:none;color:#6b6b6b;font-size:.93em}\
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

/// A context clause longer than this many words shows only the [`CONTEXT`] words
/// nearest the change.
const LONG_CONTEXT: usize = 30;

/// The unchanged clause just before and just after each change of a diff (same section,
/// in the version the change is read in: the old one for a removed clause, the new one
/// otherwise), so that an added or removed clause is read where it stands.
#[derive(Debug, Clone, Default)]
pub struct Context {
    before: Vec<Option<Neighbour>>,
    after: Vec<Option<Neighbour>>,
    /// The first unchanged clause after each change and the changes right after it
    /// (same section, same version): where its run of changes ends. A block replaced
    /// by another (old lines removed, new ones added at the same place) ends at the
    /// same clause on both sides, which is shown once, after the whole run.
    run_end: Vec<Option<String>>,
    /// Where each change is read (the old version for a removed clause, else the new),
    /// and the heading of its section when it is that section's first clause.
    place: Vec<Option<Place>>,
}

/// Where a change's clause stands in the version it is read in.
#[derive(Debug, Clone, PartialEq)]
struct Place {
    in_new: bool,
    /// The section's heading when the clause is its first one (`Some(None)`: untitled).
    opens: Option<Option<String>>,
}

/// An unchanged clause, and the text of the clause before it in its version (to tell
/// whether two context clauses shown one after the other are neighbours).
#[derive(Debug, Clone, PartialEq)]
struct Neighbour {
    text: String,
    follows: Option<String>,
}

impl Context {
    /// The context of `diff`'s changes, from the two versions it was made of.
    pub fn new(diff: &DocumentDiff, old: &Document, new: &Document) -> Context {
        let (oc, nc) = (segment::clauses(old), segment::clauses(new));
        let (mut old_at, mut new_at) = (Finder::new(&oc), Finder::new(&nc));
        // Where each change stands, and which clauses of each version are changes.
        let places: Vec<(bool, Option<usize>)> = diff
            .changes
            .iter()
            .map(|c| {
                let in_old = c.old.as_deref().and_then(|t| old_at.find(t));
                let in_new = c.new.as_deref().and_then(|t| new_at.find(t));
                match c.kind {
                    ChangeKind::Removed => (false, in_old),
                    _ => (true, in_new),
                }
            })
            .collect();
        let mut context = Context::default();
        for (in_new, at) in places {
            let (clauses, changed) = if in_new { (&nc, &new_at.used) } else { (&oc, &old_at.used) };
            let doc = if in_new { new } else { old };
            context.place.push(at.map(|at| {
                let section = clauses[at].section;
                let first = at == 0 || clauses[at - 1].section != section;
                let opens = first.then(|| doc.sections.get(section).and_then(|s| s.heading.clone()));
                Place { in_new, opens }
            }));
            let neighbour = |step: isize| {
                let at = at?;
                let index = at.checked_add_signed(step)?;
                let c = clauses.get(index)?;
                (c.section == clauses[at].section && !changed.contains(&index)).then(|| Neighbour {
                    text: c.text.clone(),
                    follows: index.checked_sub(1).and_then(|p| clauses.get(p)).map(|p| p.text.clone()),
                })
            };
            let run_end = at.and_then(|at| {
                let section = clauses[at].section;
                clauses[at + 1..]
                    .iter()
                    .enumerate()
                    .take_while(|(_, c)| c.section == section)
                    .find(|(i, _)| !changed.contains(&(at + 1 + i)))
                    .map(|(_, c)| c.text.clone())
            });
            context.before.push(neighbour(-1));
            context.after.push(neighbour(1));
            context.run_end.push(run_end);
        }
        context
    }

    fn run_end(&self, change: usize) -> Option<&str> {
        self.run_end.get(change)?.as_deref()
    }

    fn place(&self, change: usize) -> Option<&Place> {
        self.place.get(change)?.as_ref()
    }

    /// True when change `change`, shown under `heading`, opens another section of that
    /// heading than the changes shown before it (`seen`: whether those were read in the
    /// old and in the new version): two sections that share a heading, one after the
    /// other, each get theirs.
    fn opens_another(&self, change: usize, heading: Option<&str>, seen: [bool; 2]) -> bool {
        self.place(change).is_some_and(|p| {
            p.opens.as_ref().is_some_and(|h| h.as_deref() == heading) && seen[usize::from(p.in_new)]
        })
    }

    fn before(&self, change: usize) -> Option<&Neighbour> {
        self.before.get(change)?.as_ref()
    }

    fn after(&self, change: usize) -> Option<&Neighbour> {
        self.after.get(change)?.as_ref()
    }
}

/// Finds the clauses of a change in one version, in reading order: the next unused
/// clause with that text after the last one found, else the first unused anywhere (a
/// moved clause is out of order).
struct Finder<'a> {
    by_text: std::collections::HashMap<&'a str, Vec<usize>>,
    next: usize,
    used: HashSet<usize>,
}

impl<'a> Finder<'a> {
    fn new(clauses: &'a [segment::Clause]) -> Self {
        let mut by_text: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
        for (i, c) in clauses.iter().enumerate() {
            by_text.entry(c.text.as_str()).or_default().push(i);
        }
        Finder { by_text, next: 0, used: HashSet::new() }
    }

    fn find(&mut self, text: &str) -> Option<usize> {
        let all = self.by_text.get(text.trim())?;
        let free = |i: &&usize| !self.used.contains(*i);
        let at = *all.iter().filter(free).find(|i| **i >= self.next).or_else(|| all.iter().find(free))?;
        self.used.insert(at);
        self.next = at + 1;
        Some(at)
    }
}

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

/// An unchanged clause next to a change, dimmed; a long one keeps only the words nearest
/// the change (`leading`: the change follows it), the whole clause in its title.
fn context_item(text: &str, leading: bool) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= LONG_CONTEXT {
        return format!("<li class=\"context\">{}</li>\n", escape(text));
    }
    let shown = if leading {
        format!("… {}", escape(&words[words.len() - CONTEXT..].join(" ")))
    } else {
        format!("{} …", escape(&words[..CONTEXT].join(" ")))
    };
    format!("<li class=\"context\" title=\"{}\">{shown}</li>\n", escape(text))
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

/// The HTML page: a head with the style sheet, both sides, the summary, then [`body`]
/// (with the unchanged clauses around each change when `context` is given).
pub fn render(diff: &DocumentDiff, old: &SourceInfo, new: &SourceInfo, context: Option<&Context>) -> String {
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
    out.push_str(&body(diff, 2, context));
    out.push_str("</body>\n</html>\n");
    out
}

/// What a collapsed section list holds: "12 sections: 9 added, 2 removed, 1 split", or
/// "12 sections added" when they are all of one kind.
fn section_counts(entries: &[(&str, String)]) -> String {
    let kinds: Vec<String> = ["Added", "Removed", "Renamed", "Moved", "Split", "Merged"]
        .iter()
        .map(|kind| (kind, entries.iter().filter(|(label, _)| label == kind).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(kind, n)| format!("{n} {}", kind.to_lowercase()))
        .collect();
    match kinds.as_slice() {
        [one] => one.replacen(' ', " sections ", 1),
        _ => format!("{} sections: {}", entries.len(), kinds.join(", ")),
    }
}

/// The section changes and each changed clause under its section's heading, as an
/// HTML fragment with headings at `level` (`<h2>` in the page); with `context`, the
/// unchanged clause before and after each run of changes, each shown once.
pub fn body(diff: &DocumentDiff, level: usize, context: Option<&Context>) -> String {
    let lvl = level.clamp(1, 6);
    let mut out = String::new();
    let heading = |h: Option<&str>| format!("“{}”", escape(h.unwrap_or("(untitled)")));
    let name = |h: &Option<String>| heading(h.as_deref());
    let entries: Vec<_> =
        super::notable_sections(diff).filter_map(|s| super::section_entry(s, heading)).collect();
    let collapsed = entries.len() > LONG_SECTION_LIST;
    if !entries.is_empty() {
        out.push_str(&format!("<h{lvl}>Sections</h{lvl}>\n"));
        if collapsed {
            out.push_str(&format!("<details><summary>{}</summary>\n", section_counts(&entries)));
        }
        out.push_str("<ul>\n");
        for (label, what) in &entries {
            out.push_str(&format!("<li>{label}: {what}</li>\n"));
        }
        out.push_str("</ul>\n");
        if collapsed {
            out.push_str("</details>\n");
        }
    }
    let empty = Context::default();
    let context = context.unwrap_or(&empty);
    let mut current: Option<Option<&str>> = None;
    // Context clauses already shown under the current heading (each is shown once), and
    // the last one shown, to mark a gap between two that are not neighbours.
    let mut shown: HashSet<&str> = HashSet::new();
    let mut last_after: Option<&Neighbour> = None;
    // Whether the changes under the current heading were read in the old / new version.
    let mut seen = [false; 2];
    for (i, change) in diff.changes.iter().enumerate() {
        let section = super::change_section(change);
        if current != Some(section) || context.opens_another(i, section, seen) {
            if current.is_some() {
                out.push_str("</ul>\n");
            }
            out.push_str(&format!("<h{lvl}>{}</h{lvl}>\n<ul>\n", escape(section.unwrap_or("(untitled)"))));
            current = Some(section);
            shown.clear();
            last_after = None;
            seen = [false; 2];
        }
        if let Some(p) = context.place(i) {
            seen[usize::from(p.in_new)] = true;
        }
        if let Some(before) = context.before(i).filter(|b| shown.insert(&b.text)) {
            let apart = last_after.is_some_and(|a| before.follows.as_deref() != Some(a.text.as_str()));
            if apart {
                out.push_str("<li class=\"context gap\">⋯</li>\n");
            }
            out.push_str(&context_item(&before.text, true));
        }
        last_after = None;
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
        // The clause after a change waits when the next change stands beside this one
        // (the same clause before it, the same after, or the same clause ending its run:
        // the added lines that replace removed ones): it then follows that one.
        let next = diff.changes.get(i + 1).filter(|n| super::change_section(n) == section);
        let waits = next.is_some_and(|_| {
            context.before(i + 1).is_some_and(|b| shown.contains(b.text.as_str()))
                || context.after(i + 1).map(|a| &a.text) == context.after(i).map(|a| &a.text)
                || context.run_end(i + 1).is_some_and(|end| context.run_end(i) == Some(end))
        });
        if let Some(after) = context.after(i).filter(|a| !waits && shown.insert(&a.text)) {
            out.push_str(&context_item(&after.text, false));
            last_after = Some(after);
        }
    }
    if current.is_some() {
        out.push_str("</ul>\n");
    }
    out
}

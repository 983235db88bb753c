//! The Markdown report: a summary, the section changes, then each changed clause
//! under its section heading, with `~~deleted~~` (`<del>` where a run begins or ends
//! with punctuation) and `<ins>inserted</ins>` words — not bold, which the labels are.
//! Clause text is escaped (`*`, `&`, `<`, backticks…) and source names are code spans
//! that hold any backtick.

use crate::diff::{ChangeKind, DocumentDiff, WordOp, WordOpKind};
use crate::provenance::SourceInfo;

/// Escapes the characters that would turn clause text into markup (`&` too, which
/// would start an entity), and makes control characters visible.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::escape::control_chars(text).chars() {
        if matches!(c, '\\' | '*' | '_' | '~' | '`' | '[' | ']' | '<' | '>' | '#' | '|' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A code span holding `text` whatever backticks it contains (CommonMark: a fence
/// longer than any run inside, padded when the text starts or ends with one).
fn code(text: &str) -> String {
    let text = crate::escape::one_line(text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A deleted (`~~`) or inserted (`ins`) run, with its outer white space kept outside
/// the markers (`~~word~~ `, never `~~word ~~`, which Markdown does not read as such).
fn mark(text: &str, marker: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return text.to_string();
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    // Emphasis next to punctuation (`**, United States**`) is not read as emphasis
    // by CommonMark; the HTML tags always are.
    let edges_are_words =
        trimmed.starts_with(char::is_alphanumeric) && trimmed.ends_with(char::is_alphanumeric);
    // Insertions are never bold: the labels (`**Reworded:**`) are.
    if !edges_are_words || marker != "~~" {
        let tag = if marker == "~~" { "del" } else { "ins" };
        return format!("{lead}<{tag}>{}</{tag}>{trail}", escape(trimmed));
    }
    format!("{lead}{marker}{}{marker}{trail}", escape(trimmed))
}

fn words(ops: &[WordOp]) -> String {
    let mut out = String::new();
    let mut prev: Option<WordOpKind> = None;
    for op in ops {
        match op.op {
            WordOpKind::Equal => out.push_str(&escape(&op.text)),
            WordOpKind::Delete => out.push_str(&mark(&op.text, "~~")),
            WordOpKind::Insert => {
                // `~~a~~<ins>b</ins>` reads as one word; a space keeps them apart.
                if prev == Some(WordOpKind::Delete) && !out.ends_with(char::is_whitespace) {
                    out.push(' ');
                }
                out.push_str(&mark(&op.text, "ins"));
            }
        }
        prev = Some(op.op);
    }
    out
}

fn describe(info: &SourceInfo) -> String {
    let mut s = code(&info.source);
    if let Some(ts) = &info.timestamp {
        if !info.source.contains(ts.as_str()) {
            s.push_str(&format!(" (capture {ts})"));
        }
    }
    s
}

/// The Markdown report: a title, both sides, the summary, then [`body`].
pub fn render(diff: &DocumentDiff, old: &SourceInfo, new: &SourceInfo) -> String {
    let mut out = String::new();
    let title = new.title.as_deref().or(old.title.as_deref()).unwrap_or("the policy");
    out.push_str(&format!("# Changes to {}\n\n", escape(title)));
    out.push_str(&format!("- Old: {}\n- New: {}\n\n", describe(old), describe(new)));
    out.push_str(&format!("**Summary:** {}\n", super::summary_line(diff)));
    out.push_str(&body(diff, 2));
    out
}

/// The section changes and each changed clause under its section's heading, headings
/// at `level` (2 in the page; deeper where a changelog step embeds it).
pub fn body(diff: &DocumentDiff, level: usize) -> String {
    let mut out = String::new();
    let hashes = "#".repeat(level.clamp(1, 6));
    let heading = |h: Option<&str>| format!("“{}”", escape(h.unwrap_or("(untitled)")));
    let name = |h: &Option<String>| heading(h.as_deref());
    let notable: Vec<_> = super::notable_sections(diff).collect();
    if !notable.is_empty() {
        out.push_str(&format!("\n{hashes} Sections\n\n"));
        for (label, what) in notable.iter().filter_map(|s| super::section_entry(s, heading)) {
            out.push_str(&format!("- {label}: {what}\n"));
        }
    }
    let mut current: Option<Option<&str>> = None;
    for change in &diff.changes {
        let section = super::change_section(change);
        if current != Some(section) {
            out.push_str(&format!("\n{hashes} {}\n\n", escape(section.unwrap_or("(untitled)"))));
            current = Some(section);
        }
        let text = |t: &Option<String>| escape(t.as_deref().unwrap_or_default());
        let line = match change.kind {
            ChangeKind::Added => format!("- **Added:** {}", text(&change.new)),
            ChangeKind::Removed => {
                format!("- **Removed:** {}", mark(change.old.as_deref().unwrap_or(""), "~~"))
            }
            ChangeKind::Reworded => format!(
                "- **Reworded:** {}",
                change.words.as_deref().map(words).unwrap_or_else(|| text(&change.new))
            ),
            ChangeKind::Moved => format!(
                "- **Moved** from {}: {}",
                name(&change.old_section),
                change.words.as_deref().map(words).unwrap_or_else(|| text(&change.new))
            ),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

//! The terminal report: section headings, each changed clause on its own line,
//! deletions red and struck through and insertions green inside reworded clauses,
//! and a summary line. Without colour (NO_COLOR, `--color never`, a pipe) the word
//! changes read as `[-deleted-]{+inserted+}`, as wdiff writes them.

use crate::diff::{ChangeKind, DocumentDiff, SectionStatus, WordOp, WordOpKind};
use crate::escape::control_chars as safe;
use crate::provenance::SourceInfo;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const RED_STRUCK: &str = "\x1b[31;9m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const YELLOW: &str = "\x1b[33m";

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    fn words(&self, ops: &[WordOp]) -> String {
        let mut out = String::new();
        for op in ops {
            match (op.op, self.color) {
                (WordOpKind::Equal, _) => out.push_str(&safe(&op.text)),
                (WordOpKind::Delete, true) => out.push_str(&self.paint(RED_STRUCK, &safe(&op.text))),
                (WordOpKind::Insert, true) => out.push_str(&self.paint(GREEN, &safe(&op.text))),
                (WordOpKind::Delete, false) => out.push_str(&format!("[-{}-]", safe(&op.text))),
                (WordOpKind::Insert, false) => out.push_str(&format!("{{+{}+}}", safe(&op.text))),
            }
        }
        out
    }
}

fn describe(info: &SourceInfo) -> String {
    let mut s = crate::escape::one_line(&info.source).into_owned();
    if let Some(ts) = &info.timestamp {
        if !info.source.contains(ts.as_str()) {
            s.push_str(&format!(" (capture {ts})"));
        }
    }
    s
}

/// The terminal report: both sides, [`body`], the summary line; `color` adds ANSI styles.
pub fn render(diff: &DocumentDiff, old: &SourceInfo, new: &SourceInfo, color: bool) -> String {
    let p = Painter { color };
    let mut out = String::new();
    out.push_str(&p.paint(RED, &format!("--- {}", describe(old))));
    out.push('\n');
    out.push_str(&p.paint(GREEN, &format!("+++ {}", describe(new))));
    out.push('\n');
    out.push_str(&body(diff, color));
    out.push('\n');
    out.push_str(&p.paint(BOLD, &super::summary_line(diff)));
    out.push('\n');
    out
}

/// The section changes and each changed clause under its section's heading.
pub fn body(diff: &DocumentDiff, color: bool) -> String {
    let p = Painter { color };
    let mut out = String::new();
    let notable: Vec<_> = super::notable_sections(diff).collect();
    if !notable.is_empty() {
        out.push('\n');
        out.push_str(&p.paint(BOLD, "Sections"));
        out.push('\n');
        for s in notable {
            // Headings bare in a list ("renamed  A → B"), quoted inside a sentence (split, merged).
            let bare = |h: Option<&str>| safe(h.unwrap_or("(untitled)")).into_owned();
            let quoted = |h: Option<&str>| format!("“{}”", bare(h));
            let sentence = matches!(s.status, SectionStatus::Split | SectionStatus::Merged);
            let entry =
                if sentence { super::section_entry(s, quoted) } else { super::section_entry(s, bare) };
            let Some((label, what)) = entry else { continue };
            let line = format!("  {:<8} {what}", label.to_lowercase());
            let line = match s.status {
                SectionStatus::Added => p.paint(GREEN, &line),
                SectionStatus::Removed => p.paint(RED, &line),
                _ => line,
            };
            out.push_str(&line);
            out.push('\n');
        }
    }
    let mut current: Option<Option<&str>> = None;
    for change in &diff.changes {
        let section = super::change_section(change);
        if current != Some(section) {
            out.push('\n');
            out.push_str(&p.paint(BOLD, &format!("== {} ==", safe(section.unwrap_or("(untitled)")))));
            out.push('\n');
            current = Some(section);
        }
        let text = |t: &Option<String>| safe(t.as_deref().unwrap_or_default()).into_owned();
        let line = match change.kind {
            ChangeKind::Added => p.paint(GREEN, &format!("+ {}", text(&change.new))),
            ChangeKind::Removed => p.paint(RED, &format!("- {}", text(&change.old))),
            ChangeKind::Reworded => {
                let body = change.words.as_deref().map(|w| p.words(w)).unwrap_or_else(|| text(&change.new));
                format!("{} {body}", p.paint(YELLOW, "~"))
            }
            ChangeKind::Moved => {
                let from = safe(change.old_section.as_deref().unwrap_or("(untitled)"));
                let body = change.words.as_deref().map(|w| p.words(w)).unwrap_or_else(|| text(&change.new));
                format!("{} {body}", p.paint(CYAN, &format!("> moved from \"{from}\":")))
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The report wrapped to `width` columns: a long line continues under its text, after
/// a hanging indent of two spaces (colour codes take no width).
pub fn wrap(report: &str, width: usize) -> String {
    // The hanging indent goes two columns past the line's own indentation.
    wrap_lines(report, width, |line| leading_spaces(line) + 2)
}

/// Wraps a policy's plain text (`text` on a terminal) to `width` columns at word
/// boundaries: a paragraph's lines start where it starts, a list item's hang past its
/// `* ` marker.
pub fn wrap_prose(text: &str, width: usize) -> String {
    wrap_lines(text, width, |line| {
        let own = leading_spaces(line);
        own + if line[own..].starts_with("* ") { 2 } else { 0 }
    })
}

fn wrap_lines(report: &str, width: usize, hang: impl Fn(&str) -> usize) -> String {
    let mut out = String::with_capacity(report.len() + report.len() / 16);
    for line in report.lines() {
        if textwrap::core::display_width(line) <= width {
            out.push_str(line);
        } else {
            let indent = " ".repeat(hang(line));
            let options = textwrap::Options::new(width).subsequent_indent(&indent);
            out.push_str(&textwrap::wrap(line, options).join("\n"));
        }
        out.push('\n');
    }
    out
}

/// The spaces a line starts with, colour codes (`ESC [ … m`) before or among them skipped.
fn leading_spaces(line: &str) -> usize {
    let mut rest = line;
    let mut spaces = 0;
    loop {
        if let Some(r) = rest.strip_prefix(' ') {
            spaces += 1;
            rest = r;
        } else if let Some(end) = rest.strip_prefix("\x1b[").and_then(|r| r.find('m')) {
            rest = &rest[2 + end + 1..];
        } else {
            return spaces;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_report_wraps_clauses_with_a_hanging_indent() {
        let report = "== Cookies ==\n+ We use cookies to remember your preferences and to measure how the site is used.\n";
        let wrapped = wrap(report, 30);
        let lines: Vec<&str> = wrapped.lines().collect();
        assert_eq!(lines[0], "== Cookies ==");
        assert!(lines[1].starts_with("+ We use"));
        assert!(lines.len() > 3, "{wrapped}");
        assert!(lines[2..].iter().all(|l| l.starts_with("  ") && !l.starts_with("   ")), "{wrapped}");
        assert!(lines.iter().all(|l| textwrap::core::display_width(l) <= 30), "{wrapped}");
    }

    #[test]
    fn an_indented_line_hangs_past_its_own_indentation() {
        let wrapped = wrap("  after  https://example.com/privacy@2015, 2015-11-04 03:06 UTC\n", 30);
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(lines.len() > 1 && lines[1..].iter().all(|l| l.starts_with("    ")), "{wrapped}");
        let coloured =
            format!("  {GREEN}after{RESET}  https://example.com/privacy@2015, 2015-11-04 03:06 UTC\n");
        let wrapped = wrap(&coloured, 30);
        assert!(
            wrapped.lines().skip(1).all(|l| l.starts_with("    ")),
            "colour codes are not text: {wrapped}"
        );
    }

    #[test]
    fn prose_wraps_at_words_and_list_items_hang_past_their_marker() {
        let text = "We collect the information you give us when you sign up.\n  * names, e-mail addresses and postal addresses\n";
        let wrapped = wrap_prose(text, 24);
        let lines: Vec<&str> = wrapped.lines().collect();
        assert_eq!(
            lines[..3],
            ["We collect the", "information you give us", "when you sign up."],
            "{wrapped}"
        );
        assert_eq!(lines[3], "  * names, e-mail");
        assert!(lines[4..].iter().all(|l| l.starts_with("    ") && !l.starts_with("     ")), "{wrapped}");
    }

    #[test]
    fn colour_codes_take_no_width_when_wrapping() {
        let line = format!("{GREEN}+ twelve chars{RESET}\n");
        assert_eq!(wrap(&line, 14), line);
    }
}

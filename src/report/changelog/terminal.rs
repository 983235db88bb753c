//! The changelog on a terminal: the versions as a timeline, then each step with its
//! window and its clause changes in the diff report's terminal body (colour when the
//! terminal shows it).

use super::{echo_text, flag_text, seen, short_summary, step_title, when, Changelog};
use crate::history::CaptureRef;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const MAGENTA: &str = "\x1b[35m";
const YELLOW: &str = "\x1b[33m";

fn paint(color: bool, style: &str, text: &str) -> String {
    if color && !text.is_empty() {
        format!("{style}{text}{RESET}")
    } else {
        text.to_string()
    }
}

fn capture(c: &CaptureRef) -> String {
    match &c.memento {
        Some(m) => format!("{} <{m}>", seen(c)),
        None => c.label.clone(),
    }
}

/// The terminal changelog; `color` adds ANSI styles.
pub fn render(log: &Changelog<'_>, color: bool) -> String {
    let h = log.history;
    let mut out = paint(color, BOLD, &format!("Changelog of {}", log.title()));
    out.push('\n');
    if let Some(url) = log.url {
        out.push_str(&format!("{url}\n"));
    }
    if let Some((from, to)) = log.range {
        out.push_str(&format!("{} to {}\n", when(from), when(to)));
    }
    out.push_str(&format!("{}\n", log.captures_line()));
    if let Some(note) = log.assumed_note() {
        out.push_str(&paint(color, YELLOW, &note));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&paint(color, BOLD, "Versions"));
    out.push('\n');
    for v in &h.versions {
        let mut line = format!(
            "  {:>3}  {} – {}  {} capture{}",
            v.index,
            when(&v.first_seen),
            when(&v.last_seen),
            v.captures,
            super::plural(v.captures)
        );
        if let Some(d) = &v.stated_date {
            line.push_str(&format!(", states {d}"));
        }
        if let Some(s) = v.same_as {
            line.push_str(&paint(color, MAGENTA, &format!("  (the text of version {s} again)")));
        }
        out.push_str(&line);
        out.push('\n');
    }
    if h.steps.is_empty() {
        out.push_str("\nNo change in the range.\n");
    }
    for (i, step) in h.steps.iter().enumerate() {
        out.push('\n');
        out.push_str(&paint(
            color,
            BOLD,
            &format!("Step {}: {} ({})", i + 1, step_title(step), short_summary(&step.diff)),
        ));
        out.push('\n');
        let (a, b) = if step.window().is_some() { ("after ", "before") } else { ("from  ", "to    ") };
        out.push_str(&paint(
            color,
            DIM,
            &format!("  {a} {}\n  {b} {}", capture(&step.after), capture(&step.before)),
        ));
        out.push('\n');
        for flag in &step.flags {
            let text = flag_text(*flag, log.version(step.from_version), log.version(step.to_version));
            out.push_str(&paint(color, YELLOW, &format!("  note: {text}")));
            out.push('\n');
        }
        match echo_text(log, step) {
            Some(echo) => out.push_str(&paint(color, MAGENTA, &format!("  {echo}\n"))),
            None => out.push_str(&crate::report::terminal::body(&step.diff, color)),
        }
    }
    if !h.unusable.is_empty() {
        out.push('\n');
        out.push_str(&paint(color, BOLD, "Captures that show no policy"));
        out.push('\n');
        for s in &h.unusable {
            out.push_str(&format!("  {}: {}\n", capture(&s.capture), s.reason));
        }
    }
    out
}

//! The changelog in Markdown: the range and its captures, a table of versions, then
//! each step with its window, the links to both captures and its clause changes.

use super::{echo_text, flag_text, seen, short_summary, step_title, when, Changelog};
use crate::history::CaptureRef;

/// Escapes what would turn a label or a title into markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '~' | '`' | '[' | ']' | '<' | '>' | '#' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A capture as "2016-04-01 00:00 UTC ([capture](…))", or a SOURCE name.
fn capture(c: &CaptureRef) -> String {
    match &c.memento {
        Some(m) => format!("{} ([capture]({m}))", escape(&seen(c))),
        None => format!("`{}`", c.label.replace('`', "'")),
    }
}

/// The whole Markdown changelog.
pub fn render(log: &Changelog<'_>) -> String {
    let h = log.history;
    let mut out = format!("# Changelog of {}\n\n", escape(log.title()));
    if let Some(url) = log.url {
        out.push_str(&format!("- **URL:** <{url}>\n"));
    }
    if let Some((from, to)) = log.range {
        out.push_str(&format!("- **Range:** {} to {}\n", when(from), when(to)));
    }
    out.push_str(&format!("- **Captures:** {}\n", log.captures_line()));
    let reverts = h.steps.iter().filter(|s| s.reverts_to.is_some()).count();
    out.push_str(&format!(
        "- **Versions:** {}; **steps:** {}{}\n",
        h.versions.len(),
        h.steps.len(),
        if reverts > 0 { format!(" ({reverts} back to an earlier text)") } else { String::new() }
    ));
    if let Some(note) = log.assumed_note() {
        out.push_str(&format!("\n> {note}\n"));
    }
    if h.steps.is_empty() {
        out.push_str("\nNo change in the range.\n");
    }
    out.push_str("\n## Versions\n\n| version | first seen | last seen | captures | stated date | note |\n|---|---|---|---|---|---|\n");
    for v in &h.versions {
        let note = v.same_as.map(|s| format!("the text of version {s} again")).unwrap_or_default();
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            v.index,
            escape(&when(&v.first_seen)),
            escape(&when(&v.last_seen)),
            v.captures,
            v.stated_date.as_deref().unwrap_or("–"),
            note
        ));
    }
    if !h.steps.is_empty() {
        out.push_str("\n## Steps\n");
    }
    for (i, step) in h.steps.iter().enumerate() {
        out.push_str(&format!(
            "\n### Step {}: {} ({})\n\n",
            i + 1,
            escape(&step_title(step)),
            short_summary(&step.diff)
        ));
        match step.window() {
            Some(_) => out.push_str(&format!(
                "- **Window:** after {}, before {}\n",
                capture(&step.after),
                capture(&step.before)
            )),
            None => out.push_str(&format!(
                "- **From** {} **to** {}\n",
                capture(&step.after),
                capture(&step.before)
            )),
        }
        if let (Some(a), Some(b)) = (&step.after.digest, &step.before.digest) {
            out.push_str(&format!("- **Digests:** `{a}` → `{b}`\n"));
        }
        for flag in &step.flags {
            let text = flag_text(*flag, log.version(step.from_version), log.version(step.to_version));
            out.push_str(&format!("- **Note:** {}\n", escape(&text)));
        }
        match echo_text(log, step) {
            // The clauses were shown at the step this one undoes or repeats.
            Some(echo) => out.push_str(&format!("- {echo}\n")),
            None => out.push_str(&crate::report::markdown::body(&step.diff, 4)),
        }
    }
    if !h.unusable.is_empty() {
        out.push_str("\n## Captures that show no policy\n\n");
        for s in &h.unusable {
            out.push_str(&format!("- {}: {}\n", capture(&s.capture), escape(&s.reason.to_string())));
        }
    }
    if !h.assumed_unchanged.is_empty() {
        out.push_str("\n## Stretches assumed unchanged\n\n");
        for s in &h.assumed_unchanged {
            out.push_str(&format!(
                "- {} to {}: {} capture{} not fetched\n",
                escape(&when(&s.from)),
                escape(&when(&s.to)),
                s.captures,
                super::plural(s.captures)
            ));
        }
    }
    out
}

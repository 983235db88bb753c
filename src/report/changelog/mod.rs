//! Rendering of a policy's history (`policydiff changelog`): Markdown, a terminal
//! rendering, JSON (`policydiff.changelog/1`), Atom and a self-contained HTML page.
//!
//! Each renderer takes a [`Changelog`] — the [`History`] and the range it covers — and
//! returns the whole report; a step's clause changes are the diff report's body
//! ([`super::markdown::body`], [`super::html::body`], [`super::terminal::body`]).
//! Nothing here fetches, normalizes or diffs.

pub mod atom;
pub mod html;
pub mod json;
pub mod markdown;
pub mod terminal;

use crate::diff::DocumentDiff;
use crate::history::{Flag, History, Step, Version};

/// A history and what it covers.
#[derive(Debug, Clone, Copy)]
pub struct Changelog<'a> {
    pub history: &'a History,
    /// The policy's URL; `None` for versions given as local SOURCEs.
    pub url: Option<&'a str>,
    /// The range asked for (14-digit timestamps); `None` for local SOURCEs.
    pub range: Option<(&'a str, &'a str)>,
    /// Captures the CDX listing holds in the range (all rows) and distinct digests.
    pub listed: Option<usize>,
    pub distinct_digests: Option<usize>,
}

impl Changelog<'_> {
    /// The policy's title: the newest version's.
    pub fn title(&self) -> &str {
        self.history.versions.iter().rev().find_map(|v| v.title.as_deref()).unwrap_or("the policy")
    }

    fn version(&self, index: usize) -> Option<&Version> {
        self.history.versions.iter().find(|v| v.index == index)
    }

    /// The unchanged clauses around a step's changes (none when a version is missing).
    fn context(&self, step: &Step) -> crate::report::html::Context {
        match (self.version(step.from_version), self.version(step.to_version)) {
            (Some(old), Some(new)) => {
                crate::report::html::Context::new(&step.diff, &old.document, &new.document)
            }
            _ => crate::report::html::Context::default(),
        }
    }

    /// Which text a version shows (equal texts, equal ids).
    fn text_of(&self, index: usize) -> usize {
        self.version(index).and_then(|v| v.same_as).unwrap_or(index)
    }

    /// For a step back to a text seen earlier: the earlier step it repeats (A→B
    /// again) or, failing that, the one it undoes (B→A after A→B), by position in
    /// `steps`; the repeat is told first, so A→B→A→B reads as one change and its reverts.
    pub fn echo(&self, step: &Step) -> Option<(usize, Echo)> {
        step.reverts_to?;
        let at = self.history.steps.iter().position(|s| std::ptr::eq(s, step))?;
        let texts = |s: &Step| (self.text_of(s.from_version), self.text_of(s.to_version));
        let (from, to) = texts(step);
        let earlier = || self.history.steps[..at].iter().enumerate().rev();
        earlier()
            .find(|(_, s)| texts(s) == (from, to))
            .map(|(i, _)| (i, Echo::Repeats))
            .or_else(|| earlier().find(|(_, s)| texts(s) == (to, from)).map(|(i, _)| (i, Echo::Undoes)))
    }

    /// "After 2 stretches … assumed unchanged", for a bisected history.
    pub fn assumed_note(&self) -> Option<String> {
        let h = self.history;
        if !h.bisected {
            return None;
        }
        let skipped: usize = h.assumed_unchanged.iter().map(|s| s.captures).sum();
        Some(format!(
            "Fetched by bisection: {} of the captures were fetched; {} stretch{} whose two ends show the same \
             version {} assumed unchanged ({} capture{} not fetched), so a change undone inside such a stretch is not seen.",
            h.fetched,
            h.assumed_unchanged.len(),
            if h.assumed_unchanged.len() == 1 { "" } else { "es" },
            if h.assumed_unchanged.len() == 1 { "was" } else { "were" },
            skipped,
            plural(skipped),
        ))
    }

    /// One line about the captures: listed, fetched, unusable.
    pub fn captures_line(&self) -> String {
        let h = self.history;
        match (self.listed, self.distinct_digests) {
            (Some(listed), Some(distinct)) => format!(
                "{listed} capture{} listed, {distinct} distinct, {} fetched, {} unusable",
                plural(listed),
                h.fetched,
                h.unusable.len()
            ),
            _ => format!("{} version{} given, {} unusable", h.fetched, plural(h.fetched), h.unusable.len()),
        }
    }
}

/// How a revert relates to an earlier step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Echo {
    Undoes,
    Repeats,
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// "3 reworded, 1 added" (kinds with a count only; sections after clauses).
pub fn short_summary(diff: &DocumentDiff) -> String {
    let s = &diff.summary;
    let parts: Vec<String> = [
        (s.reworded, "reworded"),
        (s.added, "added"),
        (s.removed, "removed"),
        (s.moved, "moved"),
        (s.sections_added, "sections added"),
        (s.sections_removed, "sections removed"),
        (s.sections_renamed, "sections renamed"),
        (s.sections_split, "sections split"),
        (s.sections_merged, "sections merged"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| {
        if *n == 1 && what.starts_with("sections") {
            format!("1 {}", what.replacen("sections", "section", 1))
        } else {
            format!("{n} {what}")
        }
    })
    .collect();
    if parts.is_empty() {
        "sections reordered".to_string()
    } else {
        parts.join(", ")
    }
}

/// A capture's time for people (`2016-04-01 00:00 UTC`); other labels as they are.
pub fn when(label: &str) -> String {
    match chrono::NaiveDateTime::parse_from_str(label, "%Y%m%d%H%M%S") {
        Ok(t) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => label.to_string(),
    }
}

/// When a capture was made, for people; a SOURCE name as it is. A SOURCE named
/// `URL@DATE` gets the time of the capture it named: `name, 2015-11-04 03:06 UTC`.
pub fn seen(c: &crate::history::CaptureRef) -> String {
    match &c.timestamp {
        Some(ts) if *ts != c.label => format!("{}, {}", c.label, when(ts)),
        _ => when(&c.label),
    }
}

/// A flag as a sentence.
pub fn flag_text(flag: Flag, old: Option<&Version>, new: Option<&Version>) -> String {
    let date = |v: Option<&Version>| v.and_then(|v| v.stated_date.clone()).unwrap_or_default();
    match flag {
        Flag::StatedDateUnchanged => {
            format!("The text changed but the date it states did not ({}).", date(new))
        }
        Flag::StatedDateOnly => {
            format!(
                "Only the stated date changed ({} → {}); no other word of the policy.",
                date(old),
                date(new)
            )
        }
    }
}

/// The title line of a step: "version 0 → version 1" and what it does.
pub fn step_title(step: &Step) -> String {
    let mut s = format!("Version {} → version {}", step.from_version, step.to_version);
    if let Some(to) = step.reverts_to {
        s.push_str(&format!(", back to the text of version {to}"));
    }
    s
}

/// For a revert: which earlier step it undoes or repeats ("Undoes step 1.").
pub fn echo_text(log: &Changelog<'_>, step: &Step) -> Option<String> {
    let (i, echo) = log.echo(step)?;
    Some(match echo {
        Echo::Undoes => format!("Undoes step {} (the same clauses, the other way).", i + 1),
        Echo::Repeats => format!("Makes the change of step {} again.", i + 1),
    })
}

#[cfg(test)]
mod tests;

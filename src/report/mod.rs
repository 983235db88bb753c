//! Rendering of diffs (and changelogs): JSON, terminal, Markdown, HTML.
//!
//! Each format has a `render` that takes a [`crate::diff::DocumentDiff`] and the
//! [`crate::provenance::SourceInfo`] of both versions and returns the whole page, and a
//! `body` with only the section and clause changes, for pages that embed several diffs
//! (changelog steps, Atom entries). JSON is written from the wire types of [`wire`],
//! not from the differ's structs. This module imports only [`crate::diff`],
//! [`crate::document`] and [`crate::provenance`]: nothing here diffs, reads files or
//! touches the network.

pub mod changelog;
pub mod html;
pub mod json;
pub mod markdown;
pub mod terminal;
pub mod wire;

use crate::diff::{Change, ChangeKind, DocumentDiff, SectionChange, SectionStatus};

/// The sections a report lists on their own: added, removed, renamed, moved, split or
/// merged (a changed section shows through its clauses), in the order of
/// [`DocumentDiff::sections`]: the new version's reading order, a removed or merged
/// section at its old place.
pub fn notable_sections(diff: &DocumentDiff) -> impl Iterator<Item = &SectionChange> {
    diff.sections.iter().filter(|s| section_entry(s, |_| String::new()).is_some())
}

/// How a report lists a section: its label and what became of it, each heading written
/// by `name` (escaped and quoted as the format wants); `None` for an unchanged or
/// changed section. A split and a merge read as mirrors of each other, the way a diff
/// and its reverse show them:
/// `Split: heading “Cookies” added; its text was part of “Data We Collect”` and
/// `Merged: heading “Cookies” removed; its text is now part of “Data We Collect”`.
pub fn section_entry(
    s: &SectionChange,
    name: impl Fn(Option<&str>) -> String,
) -> Option<(&'static str, String)> {
    let (old, new) = (|| name(s.old_heading.as_deref()), || name(s.new_heading.as_deref()));
    Some(match s.status {
        SectionStatus::Unchanged | SectionStatus::Changed => return None,
        SectionStatus::Added => ("Added", new()),
        SectionStatus::Removed => ("Removed", old()),
        SectionStatus::Renamed => ("Renamed", format!("{} → {}", old(), new())),
        SectionStatus::Moved => ("Moved", new()),
        SectionStatus::Split => ("Split", format!("heading {} added; its text was part of {}", new(), old())),
        SectionStatus::Merged => {
            ("Merged", format!("heading {} removed; its text is now part of {}", old(), new()))
        }
    })
}

/// The section a change is shown under: where the clause is now, or would be.
pub fn change_section(change: &Change) -> Option<&str> {
    match change.kind {
        // Removed clauses show where they were in the new version's reading order.
        ChangeKind::Removed if change.new_section.is_some() => change.new_section.as_deref(),
        ChangeKind::Removed => change.old_section.as_deref(),
        _ => change.new_section.as_deref(),
    }
}

/// "3 added, 1 removed, 2 reworded, 0 moved; sections: 1 added, 0 removed, 1 renamed,
/// 0 moved", then ", 1 split" and ", 1 merged" where there are any.
pub fn summary_line(diff: &DocumentDiff) -> String {
    let s = &diff.summary;
    if diff.is_empty() {
        return "No changes.".to_string();
    }
    let mut line =
        format!("{} added, {} removed, {} reworded, {} moved", s.added, s.removed, s.reworded, s.moved);
    let moved_sections = diff.sections.iter().filter(|x| x.status == SectionStatus::Moved).count();
    line.push_str(&format!(
        "; sections: {} added, {} removed, {} renamed, {} moved",
        s.sections_added, s.sections_removed, s.sections_renamed, moved_sections
    ));
    for (n, what) in [(s.sections_split, "split"), (s.sections_merged, "merged")] {
        if n > 0 {
            line.push_str(&format!(", {n} {what}"));
        }
    }
    line
}

#[cfg(test)]
mod tests;

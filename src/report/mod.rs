//! Rendering of diffs (and later changelogs): JSON, terminal, Markdown, HTML.
//!
//! Each renderer takes a [`crate::diff::DocumentDiff`] and the [`crate::source::SourceInfo`]
//! of both versions and returns the whole report as a string; nothing here diffs or
//! reads files.

pub mod html;
pub mod json;
pub mod markdown;
pub mod terminal;

use crate::diff::{Change, ChangeKind, DocumentDiff, SectionChange, SectionStatus};

/// The sections a report lists on their own: added, removed, renamed or moved (a
/// changed section shows through its clauses).
pub(crate) fn notable_sections(diff: &DocumentDiff) -> impl Iterator<Item = &SectionChange> {
    diff.sections.iter().filter(|s| !matches!(s.status, SectionStatus::Unchanged | SectionStatus::Changed))
}

/// The section a change is shown under: where the clause is now, or would be.
pub(crate) fn change_section(change: &Change) -> Option<&str> {
    match change.kind {
        // Removed clauses show where they were in the new version's reading order.
        ChangeKind::Removed if change.new_section.is_some() => change.new_section.as_deref(),
        ChangeKind::Removed => change.old_section.as_deref(),
        _ => change.new_section.as_deref(),
    }
}

/// "3 added, 1 removed, 2 reworded, 0 moved; sections: 1 added, 0 removed, 1 renamed".
pub(crate) fn summary_line(diff: &DocumentDiff) -> String {
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
    line
}

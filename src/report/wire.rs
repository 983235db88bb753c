//! The JSON reports' wire types: what `policydiff.diff/1` (and the step bodies of
//! `policydiff.changelog/1`) put on the wire, built from the differ's results and the
//! provenance but not tied to their internal structs. They deserialize too, so tests
//! and other programs can read a report back.

use serde::{Deserialize, Serialize};

use crate::diff::{self, ChangeKind, DocumentDiff, SectionStatus, WordOpKind};
use crate::provenance::SourceInfo;

/// The schema name of `diff --format json`.
pub const DIFF_SCHEMA: &str = "policydiff.diff/1";

/// `diff --format json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffReport {
    pub schema: String,
    pub old: Source,
    pub new: Source,
    #[serde(flatten)]
    pub body: DiffBody,
}

impl DiffReport {
    pub fn new(diff: &DocumentDiff, old: &SourceInfo, new: &SourceInfo) -> Self {
        DiffReport {
            schema: DIFF_SCHEMA.to_string(),
            old: Source::from(old),
            new: Source::from(new),
            body: DiffBody::from(diff),
        }
    }
}

/// What changed, without the two sides: `summary`, `sections`, `changes` (a changelog
/// step embeds the same three).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffBody {
    pub summary: Summary,
    pub sections: Vec<Section>,
    pub changes: Vec<Change>,
}

impl From<&DocumentDiff> for DiffBody {
    fn from(d: &DocumentDiff) -> Self {
        DiffBody {
            summary: Summary::from(&d.summary),
            sections: d.sections.iter().map(Section::from).collect(),
            changes: d.changes.iter().map(Change::from).collect(),
        }
    }
}

/// One side of a diff (`old`, `new`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub source: String,
    pub url: Option<String>,
    pub timestamp: Option<String>,
    pub title: Option<String>,
}

impl From<&SourceInfo> for Source {
    fn from(p: &SourceInfo) -> Self {
        Source {
            source: p.source.clone(),
            url: p.url.clone(),
            timestamp: p.timestamp.clone(),
            title: p.title.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub reworded: usize,
    pub moved: usize,
    pub sections_added: usize,
    pub sections_removed: usize,
    pub sections_renamed: usize,
    /// Added after the first releases: absent in reports written before.
    #[serde(default)]
    pub sections_split: usize,
    #[serde(default)]
    pub sections_merged: usize,
}

impl From<&diff::Summary> for Summary {
    fn from(s: &diff::Summary) -> Self {
        Summary {
            added: s.added,
            removed: s.removed,
            reworded: s.reworded,
            moved: s.moved,
            sections_added: s.sections_added,
            sections_removed: s.sections_removed,
            sections_renamed: s.sections_renamed,
            sections_split: s.sections_split,
            sections_merged: s.sections_merged,
        }
    }
}

/// A section and what became of it; `status` is `unchanged`, `changed`, `added`,
/// `removed`, `renamed`, `moved`, `split` or `merged` (for these two, `old_*` and
/// `new_*` name the section the text was in and the one it is in now).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub status: String,
    pub old_heading: Option<String>,
    pub new_heading: Option<String>,
    pub old_path: Option<Vec<String>>,
    pub new_path: Option<Vec<String>>,
}

impl From<&diff::SectionChange> for Section {
    fn from(s: &diff::SectionChange) -> Self {
        let status = match s.status {
            SectionStatus::Unchanged => "unchanged",
            SectionStatus::Changed => "changed",
            SectionStatus::Added => "added",
            SectionStatus::Removed => "removed",
            SectionStatus::Renamed => "renamed",
            SectionStatus::Moved => "moved",
            SectionStatus::Split => "split",
            SectionStatus::Merged => "merged",
        };
        Section {
            status: status.to_string(),
            old_heading: s.old_heading.clone(),
            new_heading: s.new_heading.clone(),
            old_path: s.old_path.clone(),
            new_path: s.new_path.clone(),
        }
    }
}

/// One changed clause; `kind` is `added`, `removed`, `reworded` or `moved`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub kind: String,
    pub old_section: Option<String>,
    pub new_section: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
    pub similarity: Option<f64>,
    pub words: Option<Vec<Word>>,
}

impl From<&diff::Change> for Change {
    fn from(c: &diff::Change) -> Self {
        let kind = match c.kind {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Reworded => "reworded",
            ChangeKind::Moved => "moved",
        };
        Change {
            kind: kind.to_string(),
            old_section: c.old_section.clone(),
            new_section: c.new_section.clone(),
            old: c.old.clone(),
            new: c.new.clone(),
            similarity: c.similarity,
            words: c.words.as_ref().map(|w| w.iter().map(Word::from).collect()),
        }
    }
}

/// A run of a word-level diff; `op` is `equal`, `delete` or `insert`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Word {
    pub op: String,
    pub text: String,
}

impl From<&diff::WordOp> for Word {
    fn from(w: &diff::WordOp) -> Self {
        let op = match w.op {
            WordOpKind::Equal => "equal",
            WordOpKind::Delete => "delete",
            WordOpKind::Insert => "insert",
        };
        Word { op: op.to_string(), text: w.text.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize_markdown;

    #[test]
    fn json_report_reads_back_into_its_wire_types() {
        let old = normalize_markdown("# P\n\n## Cookies\n\nWe may share data with partners.\n");
        let new = normalize_markdown(
            "# P\n\n## Cookies\n\nWe will share data with partners.\n\nWe sell nothing.\n",
        );
        let d = crate::diff::diff(&old, &new);
        let json = super::super::json::render(&d, &SourceInfo::file("a.md"), &SourceInfo::file("b.md"));
        let back: DiffReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, DiffReport::new(&d, &SourceInfo::file("a.md"), &SourceInfo::file("b.md")));
        assert_eq!(back.schema, "policydiff.diff/1");
        let kinds: Vec<_> = back.body.changes.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(kinds, ["reworded", "added"]);
        let ops: Vec<_> =
            back.body.changes[0].words.as_ref().unwrap().iter().map(|w| w.op.as_str()).collect();
        assert!(ops.contains(&"delete") && ops.contains(&"insert"), "{ops:?}");
    }
}

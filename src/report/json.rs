//! `--format json`: the schema `policydiff.diff/1` of PRODUCT.md.

use serde::Serialize;

use crate::diff::{Change, DocumentDiff, SectionChange, Summary};
use crate::source::SourceInfo;

/// The schema name every report carries.
pub const SCHEMA: &str = "policydiff.diff/1";

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    old: &'a SourceInfo,
    new: &'a SourceInfo,
    summary: &'a Summary,
    sections: &'a [SectionChange],
    changes: &'a [Change],
}

/// The pretty JSON report, ending in a newline.
pub fn render(diff: &DocumentDiff, old: &SourceInfo, new: &SourceInfo) -> String {
    let report = Report {
        schema: SCHEMA,
        old,
        new,
        summary: &diff.summary,
        sections: &diff.sections,
        changes: &diff.changes,
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}

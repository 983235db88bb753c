//! `--format json`: the schema `policydiff.diff/1` of PRODUCT.md, written from the
//! wire types of [`super::wire`].

use crate::diff::DocumentDiff;
use crate::provenance::SourceInfo;

use super::wire::DiffReport;

/// The schema name every diff report carries.
pub const SCHEMA: &str = super::wire::DIFF_SCHEMA;

/// Pretty JSON of any wire value, ending in a newline.
pub fn to_pretty<T: serde::Serialize>(value: &T) -> String {
    // The wire types hold strings, numbers and lists: serializing them cannot fail.
    let mut out = serde_json::to_string_pretty(value).unwrap_or_default();
    out.push('\n');
    out
}

/// The pretty JSON report, ending in a newline.
pub fn render(diff: &DocumentDiff, old: &SourceInfo, new: &SourceInfo) -> String {
    to_pretty(&DiffReport::new(diff, old, new))
}

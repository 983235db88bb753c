//! The differ under test, behind the one call the benchmark needs: its
//! `policydiff.diff/1` JSON for two Documents, exactly as `diff --format json` prints it.

use policydiff::document::Document;
use policydiff::source::SourceInfo;
use serde_json::Value;

/// policydiff's JSON report of `old` → `new` (`None` if it is not valid JSON).
pub fn policydiff_json(old: &Document, new: &Document) -> Option<Value> {
    let info = |source: &str, doc: &Document| SourceInfo {
        source: source.to_string(),
        url: None,
        timestamp: None,
        title: doc.title.clone(),
        ..Default::default()
    };
    let diff = policydiff::diff::diff(old, new);
    let json = policydiff::report::json::render(&diff, &info("old.md", old), &info("new.md", new));
    serde_json::from_str(&json).ok()
}

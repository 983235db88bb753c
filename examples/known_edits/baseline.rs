//! The baseline: a sentence-level difflib-style differ. Both documents are split into
//! sentences naïvely (after `.`, `!` or `?` and a space), the sentence sequences are
//! aligned by LCS (`similar`), and each run of unmatched sentences pairs its removed and
//! added sentences in order: a pair with a character ratio ≥ 0.6 is `reworded`, the rest
//! are `removed` and `added`. No moves, no section renames, no folding of cosmetics.
//! Its output is `policydiff.diff/1` JSON, so it is scored exactly as policydiff is.

use policydiff::document::Document;
use serde_json::{json, Value};
use similar::{capture_diff_slices, Algorithm, ChangeTag, DiffOp, TextDiff};

/// Sentences of every block in reading order, each with its section's heading.
pub fn sentences(doc: &Document) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for section in &doc.sections {
        for block in &section.blocks {
            let text = block.text();
            let mut start = 0;
            let bytes = text.as_bytes();
            for i in 0..bytes.len() {
                if matches!(bytes[i], b'.' | b'!' | b'?') && bytes.get(i + 1) == Some(&b' ') {
                    out.push((text[start..=i].trim().to_string(), section.heading.clone()));
                    start = i + 1;
                }
            }
            if !text[start..].trim().is_empty() {
                out.push((text[start..].trim().to_string(), section.heading.clone()));
            }
        }
    }
    out
}

/// A word-level diff in the schema's `words` form (adjacent ops of one kind merged).
fn word_diff(old: &str, new: &str) -> Vec<Value> {
    let mut ops: Vec<(&'static str, String)> = Vec::new();
    for change in TextDiff::from_words(old, new).iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => "equal",
            ChangeTag::Delete => "delete",
            ChangeTag::Insert => "insert",
        };
        match ops.last_mut() {
            Some((last, text)) if *last == op => text.push_str(change.value()),
            _ => ops.push((op, change.value().to_string())),
        }
    }
    ops.into_iter().map(|(op, text)| json!({"op": op, "text": text})).collect()
}

/// The baseline's report of `old` → `new`.
pub fn diff_json(old: &Document, new: &Document) -> Value {
    let a = sentences(old);
    let b = sentences(new);
    let keys_a: Vec<&str> = a.iter().map(|(t, _)| t.as_str()).collect();
    let keys_b: Vec<&str> = b.iter().map(|(t, _)| t.as_str()).collect();
    let mut changes = Vec::new();
    // Indices of the unmatched sentences of the current run.
    let (mut removed, mut added): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let mut flush = |removed: &mut Vec<usize>, added: &mut Vec<usize>| {
        let gone = |o: usize| json!({"kind": "removed", "old_section": a[o].1, "new_section": null, "old": a[o].0, "new": null});
        let came = |n: usize| json!({"kind": "added", "old_section": null, "new_section": b[n].1, "old": null, "new": b[n].0});
        for i in 0..removed.len().max(added.len()) {
            match (removed.get(i).copied(), added.get(i).copied()) {
                (Some(o), Some(n)) => {
                    let ratio = TextDiff::from_chars(a[o].0.as_str(), b[n].0.as_str()).ratio();
                    if ratio >= 0.6 {
                        changes.push(
                            json!({"kind": "reworded", "old_section": a[o].1, "new_section": b[n].1,
                                            "old": a[o].0, "new": b[n].0, "similarity": ratio,
                                            "words": word_diff(&a[o].0, &b[n].0)}),
                        );
                    } else {
                        changes.push(gone(o));
                        changes.push(came(n));
                    }
                }
                (Some(o), None) => changes.push(gone(o)),
                (None, Some(n)) => changes.push(came(n)),
                (None, None) => {}
            }
        }
        removed.clear();
        added.clear();
    };
    for op in capture_diff_slices(Algorithm::Myers, &keys_a, &keys_b) {
        match op {
            DiffOp::Equal { .. } => flush(&mut removed, &mut added),
            DiffOp::Delete { old_index, old_len, .. } => removed.extend(old_index..old_index + old_len),
            DiffOp::Insert { new_index, new_len, .. } => added.extend(new_index..new_index + new_len),
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                removed.extend(old_index..old_index + old_len);
                added.extend(new_index..new_index + new_len);
            }
        }
    }
    flush(&mut removed, &mut added);
    let count = |k: &str| changes.iter().filter(|c| c["kind"] == k).count();
    json!({
        "schema": "policydiff.diff/1",
        "old": {"source": "old.md", "url": null, "timestamp": null, "title": old.title},
        "new": {"source": "new.md", "url": null, "timestamp": null, "title": new.title},
        "summary": {"added": count("added"), "removed": count("removed"), "reworded": count("reworded"),
                    "moved": 0, "sections_added": 0, "sections_removed": 0, "sections_renamed": 0},
        "sections": [],
        "changes": changes,
    })
}

//! The baseline: a sentence-level difflib-style differ. Both documents are split into
//! sentences naïvely (after `.`, `!` or `?` and a space), the sentence sequences are
//! aligned by LCS (`similar`), and each run of unmatched sentences pairs its removed and
//! added sentences in order: a pair with a character ratio ≥ 0.6 is `reworded`, the rest
//! are `removed` and `added`. No moves, no section renames, no folding of cosmetics.
//! Its output is `policydiff.diff/1` JSON, so it is scored exactly as policydiff is.

use policydiff::document::Document;
use serde_json::{json, Value};
use similar::{capture_diff_slices, Algorithm, ChangeTag, DiffOp, TextDiff};

/// Sentences of every block, in reading order.
pub fn sentences(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for block in doc.blocks() {
        let text = block.text();
        let mut start = 0;
        let bytes = text.as_bytes();
        for i in 0..bytes.len() {
            if matches!(bytes[i], b'.' | b'!' | b'?') && bytes.get(i + 1) == Some(&b' ') {
                out.push(text[start..=i].trim().to_string());
                start = i + 1;
            }
        }
        if !text[start..].trim().is_empty() {
            out.push(text[start..].trim().to_string());
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
    let mut changes = Vec::new();
    let (mut removed, mut added): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    let flush = |removed: &mut Vec<&str>, added: &mut Vec<&str>, changes: &mut Vec<Value>| {
        let n = removed.len().max(added.len());
        for i in 0..n {
            match (removed.get(i), added.get(i)) {
                (Some(o), Some(n)) => {
                    let ratio = TextDiff::from_chars(*o, *n).ratio();
                    if ratio >= 0.6 {
                        changes.push(json!({"kind": "reworded", "old": o, "new": n, "similarity": ratio,
                                            "words": word_diff(o, n)}));
                    } else {
                        changes.push(json!({"kind": "removed", "old": o, "new": null}));
                        changes.push(json!({"kind": "added", "old": null, "new": n}));
                    }
                }
                (Some(o), None) => changes.push(json!({"kind": "removed", "old": o, "new": null})),
                (None, Some(n)) => changes.push(json!({"kind": "added", "old": null, "new": n})),
                (None, None) => {}
            }
        }
        removed.clear();
        added.clear();
    };
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        match op {
            DiffOp::Equal { .. } => flush(&mut removed, &mut added, &mut changes),
            DiffOp::Delete { old_index, old_len, .. } => {
                removed.extend(a[old_index..old_index + old_len].iter().map(String::as_str))
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                added.extend(b[new_index..new_index + new_len].iter().map(String::as_str))
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                removed.extend(a[old_index..old_index + old_len].iter().map(String::as_str));
                added.extend(b[new_index..new_index + new_len].iter().map(String::as_str));
            }
        }
    }
    flush(&mut removed, &mut added, &mut changes);
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

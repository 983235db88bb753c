//! The HTML normalizer on arbitrary bytes: never a panic; the Document it makes renders
//! to Markdown and text, and normalizing is deterministic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policydiff::normalize::{normalize, InputKind, Options};

fuzz_target!(|data: &[u8]| {
    let options = Options::default();
    let first = normalize(data, InputKind::Html, &options);
    if let Ok(doc) = &first {
        let _ = doc.to_markdown();
        let _ = doc.to_text();
        let again = normalize(data, InputKind::Html, &options).expect("the same bytes normalize again");
        assert_eq!(doc, &again, "normalizing is deterministic");
    }
});

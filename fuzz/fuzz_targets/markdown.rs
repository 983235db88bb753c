//! The Markdown reader on arbitrary text: never a panic, and what it reads renders.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let doc = policydiff::normalize::normalize_markdown(&text);
    let _ = doc.to_markdown();
    let _ = doc.to_text();
    let _ = policydiff::normalize::normalize(data, policydiff::normalize::InputKind::Sniff, &Default::default());
});

//! The CDX parser on arbitrary answers: never a panic; every capture it accepts has a
//! 14-digit timestamp, an http(s) URL without control characters and a sane digest.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(page) = policydiff::archive::cdx::parse(data) {
        for c in &page.captures {
            assert_eq!(c.timestamp.len(), 14, "{c:?}");
            assert!(policydiff::date::parse_timestamp(&c.timestamp).is_some(), "{c:?}");
            assert!(c.original.to_ascii_lowercase().starts_with("http"), "{c:?}");
            assert!(!c.original.chars().any(char::is_control), "{c:?}");
            assert!(!c.mimetype.chars().any(char::is_control), "{c:?}");
            assert!(!c.digest.is_empty() && c.digest.len() <= 64, "{c:?}");
        }
        for s in &page.skipped {
            assert!(!s.chars().any(char::is_control), "{s:?}");
        }
    }
});

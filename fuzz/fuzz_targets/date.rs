//! The DATE parser on arbitrary text: never a panic; a DATE it accepts is a span whose
//! start is not after its end, both 14-digit timestamps that read back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policydiff::date::{format_timestamp, parse_timestamp, DateSpec};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(date) = text.parse::<DateSpec>() {
        let (start, end) = (date.start(), date.end());
        assert_eq!(start.len(), 14, "{text:?} → {start}");
        assert_eq!(end.len(), 14, "{text:?} → {end}");
        assert!(start <= end, "{text:?}: {start} after {end}");
        assert!(parse_timestamp(&start).is_some(), "{text:?} → {start}");
        let _ = date.target();
        // Printed as precisely as given, it reads back as the same span.
        let printed = date.to_string();
        let back: DateSpec = printed.parse().expect("a printed DATE parses");
        assert_eq!((back.start(), back.end()), (start, end), "{text:?} printed as {printed:?}");
    }
    if let Some(t) = parse_timestamp(text) {
        assert_eq!(format_timestamp(t), text, "a timestamp reads back");
    }
});

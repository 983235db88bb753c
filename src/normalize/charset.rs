//! From bytes to text: BOM, then the HTTP charset, then `<meta charset>` /
//! `http-equiv`, then detection (chardetng). A declaration is trusted only when the
//! bytes agree with it: valid non-ASCII UTF-8 declared as ISO-8859-1/windows-1252 (the
//! classic source of `Â` and `â€™` in extracted text) is read as UTF-8, and a page
//! declared UTF-8 that is not is detected instead. Invalid bytes never panic; they
//! become U+FFFD.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// Decodes `bytes`, using the HTTP `Content-Type` when known. Returns the text and the
/// encoding that was used.
pub fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>) -> (Cow<'a, str>, &'static Encoding) {
    let encoding = choose(bytes, content_type);
    let (text, _, _) = encoding.decode(bytes);
    (text, encoding)
}

/// Decodes a Markdown or plain-text file: a BOM's encoding, else UTF-8. Bytes that are
/// not UTF-8 are said so in the returned note (for one warning line): a text holding
/// UTF-8 sequences, or too few other bytes to tell, is read as UTF-8 with each invalid
/// byte a U+FFFD; one without any UTF-8 sequence but with at least
/// [`MIN_BYTES_TO_GUESS`] non-ASCII bytes is a legacy single-byte text, whose encoding
/// is guessed (chardetng) and named.
pub fn decode_text(bytes: &[u8]) -> (Cow<'_, str>, Option<String>) {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        let (text, _, had_errors) = enc.decode(bytes);
        let note = had_errors
            .then(|| format!("the text is not valid {}: invalid bytes shown as U+FFFD", enc.name()));
        return (text, note);
    }
    let Err(first) = std::str::from_utf8(bytes) else {
        return (Cow::Borrowed(std::str::from_utf8(bytes).unwrap_or_default()), None);
    };
    let at = first.valid_up_to();
    let high = bytes.iter().filter(|b| !b.is_ascii()).count();
    if !has_utf8_sequence(bytes) && high >= MIN_BYTES_TO_GUESS {
        let enc = detect(bytes);
        let (text, _, _) = enc.decode(bytes);
        let note = format!(
            "the text is not UTF-8 (first non-UTF-8 byte at {at}): read as {}, guessed from its bytes",
            enc.name()
        );
        return (text, Some(note));
    }
    let invalid = count_invalid_utf8(bytes);
    let note = format!(
        "the text is not valid UTF-8 ({invalid} invalid byte{}, the first at byte {at}): read as UTF-8, each shown as U+FFFD",
        if invalid == 1 { "" } else { "s" }
    );
    (String::from_utf8_lossy(bytes), Some(note))
}

/// Non-ASCII bytes a text needs before its single-byte encoding is guessed.
pub const MIN_BYTES_TO_GUESS: usize = 8;

/// Whether `bytes` hold at least one well-formed multi-byte UTF-8 sequence.
fn has_utf8_sequence(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => return !s.is_ascii(),
            Err(e) => {
                let valid = e.valid_up_to();
                if !rest[..valid].is_ascii() {
                    return true;
                }
                let skip = valid + e.error_len().unwrap_or(rest.len() - valid).max(1);
                rest = &rest[skip.min(rest.len())..];
            }
        }
    }
}

/// How many bytes of `bytes` are not part of well-formed UTF-8.
fn count_invalid_utf8(bytes: &[u8]) -> usize {
    let mut rest = bytes;
    let mut invalid = 0;
    while let Err(e) = std::str::from_utf8(rest) {
        let valid = e.valid_up_to();
        let bad = e.error_len().unwrap_or(rest.len() - valid).max(1);
        invalid += bad;
        rest = &rest[(valid + bad).min(rest.len())..];
    }
    invalid
}

/// Picks the encoding as described in the module docs.
pub fn choose(bytes: &[u8], content_type: Option<&str>) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return enc;
    }
    let declared = content_type
        .and_then(charset_param)
        .and_then(|label| Encoding::for_label(label.as_bytes()))
        .or_else(|| meta_charset(bytes));
    let utf8_valid = std::str::from_utf8(bytes).is_ok();
    match declared {
        Some(enc) if enc == UTF_8 => {
            if utf8_valid {
                UTF_8
            } else {
                detect(bytes)
            }
        }
        Some(enc) => {
            // Valid UTF-8 with non-ASCII bytes is almost never a single-byte text.
            if utf8_valid && !bytes.is_ascii() && is_single_byte(enc) {
                UTF_8
            } else {
                // UTF-16 declared in a meta tag cannot be true of an ASCII-compatible page.
                if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                    return if utf8_valid { UTF_8 } else { detect(bytes) };
                }
                enc
            }
        }
        None => {
            if utf8_valid {
                UTF_8
            } else {
                detect(bytes)
            }
        }
    }
}

fn is_single_byte(enc: &'static Encoding) -> bool {
    enc.is_single_byte()
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    // chardetng never says UTF-8 for invalid UTF-8; windows-1252 is the web's fallback.
    if guess == UTF_8 {
        WINDOWS_1252
    } else {
        guess
    }
}

/// The `charset=` parameter of a Content-Type value.
pub fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        if k.trim().eq_ignore_ascii_case("charset") {
            Some(v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        } else {
            None
        }
    })
}

/// The HTML prescan's answer, simplified: `<meta charset=…>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">` in the first 4 KiB.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut i = 0;
    while let Some(pos) = find(&lower[i..], b"<meta") {
        let start = i + pos;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(cs) = find(tag, b"charset") {
            let rest = &tag[cs + 7..];
            let rest = trim_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_start(rest);
                let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
                let label_end = rest
                    .iter()
                    .position(|b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                    .unwrap_or(rest.len());
                if let Some(enc) = Encoding::for_label(&rest[..label_end]) {
                    return Some(enc);
                }
            }
        }
        i = end;
        if i >= lower.len() {
            break;
        }
    }
    None
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_wins_over_everything() {
        let bytes = b"\xef\xbb\xbf<meta charset=windows-1252><p>caf\xc3\xa9";
        assert_eq!(decode(bytes, Some("text/html; charset=iso-8859-1")).1, UTF_8);
    }

    #[test]
    fn the_http_charset_comes_before_the_meta_tag() {
        let bytes = b"<meta charset=utf-8><p>caf\xe9";
        assert_eq!(decode(bytes, Some("text/html; charset=windows-1252")).0, "<meta charset=utf-8><p>café");
    }

    #[test]
    fn utf8_declared_as_latin1_still_comes_out_right() {
        let bytes = "<meta charset=\"iso-8859-1\"><p>We don’t sell data – ever.".as_bytes();
        let (text, enc) = decode(bytes, None);
        assert_eq!(enc, UTF_8);
        assert!(text.contains("don’t sell data – ever"));
        assert!(!text.contains('Â') && !text.contains("â€"));
    }

    #[test]
    fn windows_1252_bytes_are_read_as_windows_1252() {
        let bytes =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><p>We don\x92t";
        assert!(decode(bytes, None).0.ends_with("We don\u{2019}t"));
    }

    #[test]
    fn undeclared_latin1_is_detected() {
        let bytes = b"<p>Les donn\xe9es personnelles sont prot\xe9g\xe9es et trait\xe9es avec soin.";
        assert!(decode(bytes, None).0.contains("données personnelles sont protégées"));
    }

    #[test]
    fn utf8_declared_but_invalid_is_detected_not_garbled() {
        let bytes = b"<meta charset=utf-8><p>caf\xe9 cr\xe8me br\xfbl\xe9e";
        assert!(decode(bytes, None).0.contains("café crème brûlée"));
    }

    #[test]
    fn invalid_utf8_text_is_read_as_utf8_with_replacement_characters() {
        let (text, note) = decode_text(b"We collect data.\xc3\x28 We \xff\xfeuse it. Caf\xc3\xa9.");
        assert_eq!(text, "We collect data.\u{fffd}( We \u{fffd}\u{fffd}use it. Caf\u{e9}.");
        let note = note.expect("a warning");
        assert!(note.contains("3 invalid bytes, the first at byte 16"), "{note}");
        assert!(!text.contains('\u{44f}') && !text.contains('\u{413}'), "no Windows-1251 letters: {text}");
    }

    #[test]
    fn a_legacy_single_byte_text_is_guessed_and_named() {
        let (text, note) = decode_text(
            b"Les donn\xe9es personnelles sont prot\xe9g\xe9es, trait\xe9es et conserv\xe9es avec le plus grand soin \xe0 tout moment par la soci\xe9t\xe9.",
        );
        assert!(text.contains("données personnelles sont protégées"), "{text}");
        assert!(note.expect("a warning").contains("windows-1252"));
    }

    #[test]
    fn utf8_text_says_nothing() {
        assert_eq!(
            decode_text("Caf\u{e9} cr\u{e8}me.".as_bytes()),
            (Cow::Borrowed("Caf\u{e9} cr\u{e8}me."), None)
        );
        assert_eq!(decode_text(b"\xef\xbb\xbfplain").1, None);
    }

    #[test]
    fn invalid_bytes_never_panic() {
        for bytes in [&b"\xff\xfe\xfd"[..], b"\xc3", b"<meta charset=\"\xff\">\x80\x81", b"<meta charset="] {
            let _ = decode(bytes, Some("text/html; charset=bogus"));
            let _ = decode_text(bytes);
        }
    }
}

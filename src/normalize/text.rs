//! Text clean-up shared by the HTML and Markdown readers: white space collapsed,
//! invisible characters handled; the wording itself is kept as written.

/// Characters that are never visible and never separate words.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' // soft hyphen
            | '\u{200B}' // zero-width space
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2060}' // word joiner
            | '\u{FEFF}' // BOM / zero-width no-break space
            | '\u{200E}' // LRM
            | '\u{200F}' // RLM
    )
}

/// White space as HTML and readers see it, no-break and other Unicode spaces included.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{00A0}' || c == '\u{202F}' || c == '\u{2007}'
}

/// Collapses runs of white space to one space, drops invisible characters, trims.
pub fn clean(s: &str) -> String {
    if is_clean(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if is_invisible(c) {
            continue;
        }
        if is_space(c) {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// True when [`clean`] would change nothing.
pub fn is_clean(s: &str) -> bool {
    let mut prev_space = true; // no leading space
    for c in s.chars() {
        if c == ' ' {
            if prev_space {
                return false;
            }
            prev_space = true;
        } else if is_space(c) || is_invisible(c) {
            return false;
        } else {
            prev_space = false;
        }
    }
    !s.ends_with(' ')
}

/// A line of rule characters only (`=====`, `-----`, `*****`, `_____`, `━━━`), three
/// or more: a divider drawn with text, not text.
pub fn is_rule_line(s: &str) -> bool {
    let mut marks = 0;
    for c in s.chars() {
        if is_space(c) || is_invisible(c) {
            continue;
        }
        if !matches!(
            c,
            '=' | '-'
                | '_'
                | '*'
                | '~'
                | '#'
                | '+'
                | '\u{2013}'
                | '\u{2014}'
                | '\u{2015}'
                | '\u{2500}'
                | '\u{2501}'
                | '\u{2550}'
        ) {
            return false;
        }
        marks += 1;
    }
    marks >= 3
}

/// Appends `s` to `buf` collapsing white space across the boundary.
pub fn push_collapsed(buf: &mut String, s: &str) {
    // A vertical tab is white space (`is_space`) but not ASCII white space to
    // `split_ascii_whitespace`: such text takes the slow path (found by fuzzing).
    if s.is_ascii() && !s.as_bytes().contains(&0x0B) {
        // Fast path: whole words at a time.
        let starts_with_space = s.as_bytes().first().is_some_and(u8::is_ascii_whitespace);
        let mut first = true;
        for word in s.split_ascii_whitespace() {
            if (!first || starts_with_space) && !buf.is_empty() && !buf.ends_with(' ') {
                buf.push(' ');
            }
            buf.push_str(word);
            first = false;
        }
        if s.as_bytes().last().is_some_and(u8::is_ascii_whitespace) && !buf.is_empty() && !buf.ends_with(' ')
        {
            buf.push(' ');
        }
        return;
    }
    for c in s.chars() {
        if is_invisible(c) {
            continue;
        }
        if is_space(c) {
            if !buf.is_empty() && !buf.ends_with(' ') {
                buf.push(' ');
            }
        } else {
            buf.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_lines_are_recognised() {
        for rule in [
            "===",
            "==================",
            "- - -",
            "\u{2014}\u{2014}\u{2014}",
            "*****",
            "\u{2550}\u{2550}\u{2550}",
        ] {
            assert!(is_rule_line(rule), "{rule}");
        }
        for text in ["--", "a ===", "1. ---", "=== Cookies ===", ""] {
            assert!(!is_rule_line(text), "{text}");
        }
    }

    #[test]
    fn a_vertical_tab_is_collapsed_like_any_white_space() {
        let mut buf = String::new();
        push_collapsed(&mut buf, "Privacy\u{b}\u{b}Policy \u{b}");
        assert_eq!(buf, "Privacy Policy ");
        assert!(is_clean(buf.trim_end()), "{buf:?}");
    }

    #[test]
    fn invisible_and_no_break_characters_are_handled() {
        assert_eq!(
            clean("  pri\u{00AD}vacy\u{00A0}\u{00A0}policy\u{200B} \n\t of  us "),
            "privacy policy of us"
        );
    }
}

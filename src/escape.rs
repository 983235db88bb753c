//! Control characters made visible, for everything printed to a terminal or a log
//! line: clause text, headings, file names and fields the archive sends could hold
//! ESC, OSC or C1 sequences that clear the screen, set the window title or write the
//! clipboard. They are shown as `\x1b`, `\u{9b}`, never passed through.
//!
//! ```
//! use policydiff::escape::{control_chars, one_line};
//! assert_eq!(control_chars("a\x1b]0;pwned\x07b\n"), "a\\x1b]0;pwned\\x07b\n");
//! assert_eq!(one_line("two\nlines"), "two\\nlines");
//! ```

use std::borrow::Cow;

fn is_unsafe(c: char, keep_layout: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_layout,
        c => c.is_control(),
    }
}

fn escape(text: &str, keep_layout: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c, keep_layout)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !is_unsafe(c, keep_layout) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// Text with its line breaks and tabs kept, every other control character (C0, DEL,
/// C1) shown escaped.
pub fn control_chars(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// One line: control characters, line breaks and tabs shown escaped (error and log
/// lines, table cells).
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

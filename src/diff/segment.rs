//! Clauses: the units the differ reports on, and the comparison key that makes
//! cosmetic noise (white space, quote and dash styles, no-break spaces, emphasis
//! markup, bullet markers) invisible.
//!
//! A paragraph (or quote, definition) is split into sentences by a splitter that
//! knows legal text: abbreviations (`e.g.`, `i.e.`, `Inc.`, `U.S.`, `No. 5`),
//! numbered items (`1.`), URLs, e-mail addresses, decimals and section references
//! (`Section 3.2`) do not end a sentence. A list item, a table row, a term and a
//! preformatted block are one clause each.

use unicode_normalization::UnicodeNormalization;

use crate::document::{Block, Document};

/// One clause of a document: its text as written and its comparison key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// The text as the document has it (for display).
    pub text: String,
    /// The text with cosmetic noise removed (for comparison).
    pub key: String,
    /// Index of the section in [`Document::sections`].
    pub section: usize,
}

/// All clauses of a document in reading order.
pub fn clauses(doc: &Document) -> Vec<Clause> {
    let mut out = Vec::new();
    for (si, section) in doc.sections.iter().enumerate() {
        for block in &section.blocks {
            push_block(block, si, &mut out);
        }
    }
    out
}

/// The clauses of one block, appended to `out`.
fn push_block(block: &Block, section: usize, out: &mut Vec<Clause>) {
    let mut push = |text: &str| {
        let key = key(text);
        if !key.is_empty() {
            out.push(Clause { text: text.trim().to_string(), key, section });
        }
    };
    match block {
        Block::Paragraph { text } | Block::Quote { text } | Block::Definition { text } => {
            for sentence in split_sentences(text) {
                push(sentence);
            }
        }
        Block::ListItem { text, .. } | Block::Term { text } | Block::Preformatted { text } => push(text),
        Block::TableRow { cells } => push(&cells.join(" | ")),
    }
}

/// Words that end with a period without ending the sentence (compared lowercase,
/// without the final period).
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "u.s", "u.k", "u.s.a", "e.u", "no", "nos", "vs", "v", "mr", "mrs", "ms", "dr", "st", "art",
    "arts", "sec", "secs", "para", "paras", "fig", "approx", "cf", "al", "etc", "p", "pp", "ch", "cl", "ref",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "incl", "esp",
    "viz", "resp", "min", "max", "dept", "govt", "jr", "sr", "prof", "n.a",
];

/// Company forms of many countries (compared as [`ABBREVIATIONS`]). One ends no
/// sentence when another form or a bracket or quote follows ("Example Pte. Ltd.",
/// "Reddit Netherlands B.V. (“Reddit”)"), and, like any full stop, when a lower-case
/// word does ("Acme Inc. and its affiliates"); before a capitalised word it does
/// ("… between you and Reddit, Inc. If you have any questions").
const COMPANY_FORMS: &[&str] = &[
    "inc", "ltd", "llc", "l.l.c", "llp", "l.l.p", "l.p", "corp", "co", "cos", "plc", "pte", "pty", "pvt",
    "gmbh", "mbh", "ag", "a.g", "kg", "e.v", "s.a", "s.a.s", "s.a.r.l", "s.p.a", "s.r.l", "s.l", "s.c",
    "b.v", "n.v", "bv", "nv", "k.k", "sdn", "bhd", "ltda", "cia", "p.c", "oy", "ab", "a.s", "s.e",
];

/// Splits a paragraph into sentences (slices of `text`, trimmed).
pub fn split_sentences(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'.' || b == b'!' || b == b'?' {
            // Swallow repeated terminators and closing quotes/brackets.
            let mut end = i + 1;
            while end < bytes.len() {
                let c = bytes[end];
                if matches!(c, b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']') {
                    end += 1;
                } else if text[end..].starts_with('\u{201d}') || text[end..].starts_with('\u{2019}') {
                    end += 3;
                } else {
                    break;
                }
            }
            if is_boundary(text, start, i, end) {
                let sentence = text[start..end].trim();
                if !sentence.is_empty() {
                    out.push(sentence);
                }
                start = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Whether the terminator at `dot` (whose run ends at `end`) ends a sentence.
fn is_boundary(text: &str, start: usize, dot: usize, end: usize) -> bool {
    // Followed by white space, then a capital letter, digit-free opener or quote.
    let after = &text[end..];
    let trimmed = after.trim_start();
    if trimmed.len() == after.len() || trimmed.is_empty() {
        return false;
    }
    let next = trimmed.chars().find(|c| !matches!(c, '"' | '\'' | '(' | '[' | '\u{201c}' | '\u{2018}'));
    if !next.is_some_and(|c| c.is_uppercase()) {
        return false;
    }
    if text.as_bytes()[dot] != b'.' {
        return true;
    }
    // The word before the period.
    let before = &text[start..dot];
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    if word.is_empty() {
        return true;
    }
    let lower = word.trim_start_matches(['"', '\'', '(', '[']).to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return false;
    }
    if COMPANY_FORMS.contains(&lower.as_str()) {
        let opener = trimmed.starts_with(['(', '[', '"', '\'', '\u{201c}', '\u{2018}']);
        let next_word = trimmed
            .split(char::is_whitespace)
            .next()
            .unwrap_or("")
            .trim_end_matches(['.', ',', ')', ';', ':'])
            .to_lowercase();
        return !opener && !COMPANY_FORMS.contains(&next_word.as_str());
    }
    // Initials ("J. Smith") and numbered items ("1.", "iv.", "a.").
    let is_short_number = lower.len() <= 3 && lower.chars().all(|c| c.is_ascii_digit());
    let is_single_letter = lower.chars().count() == 1 && lower.chars().all(|c| c.is_alphabetic());
    let is_roman = lower.len() <= 4 && lower.chars().all(|c| matches!(c, 'i' | 'v' | 'x'));
    let is_item = before.trim() == word && (is_roman || is_short_number);
    if is_single_letter || is_item || is_short_number && before.trim() == word {
        return false;
    }
    // Dotted abbreviations like "U.S.A" or "p.m".
    if lower.len() <= 6 && lower.contains('.') && lower.split('.').all(|p| p.chars().count() <= 2) {
        return false;
    }
    true
}

/// The comparison key of a clause: NFKC, one style of quotes, dashes and
/// apostrophes, no invisible characters, no emphasis markers or leading bullets,
/// white space collapsed. Case is kept: a changed capital is a changed word.
pub fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut push = |c: char, out: &mut String| {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            return;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    };
    let fold = |c: char| -> Option<char> {
        Some(match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{00b4}' | '`' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{00ab}' | '\u{00bb}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' => '-',
            '\u{00a0}' | '\u{202f}' | '\u{2007}' => ' ',
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{00ad}' => return None,
            '*' => return None,
            c => c,
        })
    };
    if text.is_ascii() {
        for c in text.chars().filter_map(fold) {
            push(c, &mut out);
        }
    } else {
        for c in text.chars().filter_map(fold).nfkc().filter_map(fold) {
            push(c, &mut out);
        }
    }
    strip_markup(out)
}

/// Drops what only decorates: a leading bullet, `_emphasis_` underscores at word
/// edges, and white space left before punctuation.
fn strip_markup(mut s: String) -> String {
    for bullet in ["- ", "+ ", "\u{2022} ", "\u{00b7} ", "\u{25aa} ", "\u{25cf} "] {
        if let Some(rest) = s.strip_prefix(bullet) {
            s = rest.to_string();
            break;
        }
    }
    if s.contains('_') {
        let bytes = s.as_bytes();
        let mut kept = String::with_capacity(s.len());
        for (i, c) in s.char_indices() {
            if c == '_' {
                let prev_word = i > 0 && bytes[i - 1].is_ascii_alphanumeric();
                let next_word = bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphanumeric());
                // snake_case stays; an underscore at a word's edge is emphasis.
                if !(prev_word && next_word) {
                    continue;
                }
            }
            kept.push(c);
        }
        s = kept;
    }
    squeeze_punctuation_spaces(s.trim())
}

/// White space next to a punctuation mark or symbol is not a word boundary that
/// matters: `and/ or` is `and/or`, `businesses,organizations` is `businesses,
/// organizations`, `data .` is `data.`. Drops it and collapses the rest to one space
/// — but keeps the space after a sentence's end (`.`, `!`, `?`, then closing quotes
/// or brackets), so that the key of a paragraph is the keys of its sentences joined
/// by spaces, and around the ` | ` between table cells.
fn squeeze_punctuation_spaces(s: &str) -> String {
    // `|` is kept apart: table cells are joined by ` | ` and the differ finds a
    // row's label by it.
    let is_mark = |c: char| !c.is_alphanumeric() && !c.is_whitespace() && c != '|';
    let ends_sentence = |out: &str| {
        let t = out.trim_end_matches(['"', '\'', ')', ']', '\u{201d}', '\u{2019}']);
        t.ends_with(['.', '!', '?'])
    };
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            let last = out.chars().next_back();
            let after_mark = last.is_some_and(is_mark);
            let cell_edge = c == '|' || last == Some('|');
            if cell_edge || ends_sentence(&out) || !is_mark(c) && !after_mark {
                out.push(' ');
            }
        }
        pending_space = false;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_abbreviations_do_not_end_sentences() {
        let text = "We share data with Acme Inc. and its affiliates, e.g. Beta Ltd. in the U.S. Government \
                    programmes. See Section 3.2 and No. 5 at https://example.com/a.b. Write to j.doe@example.com. \
                    The fee is 2.50 USD. Thanks!";
        assert_eq!(
            split_sentences(text),
            [
                "We share data with Acme Inc. and its affiliates, e.g. Beta Ltd. in the U.S. Government programmes.",
                "See Section 3.2 and No. 5 at https://example.com/a.b.",
                "Write to j.doe@example.com.",
                "The fee is 2.50 USD.",
                "Thanks!",
            ]
        );
    }

    #[test]
    fn numbered_items_and_initials_are_not_sentences() {
        assert_eq!(split_sentences("1. Introduction to the Policy"), ["1. Introduction to the Policy"]);
        assert_eq!(split_sentences("IV. Your Rights. You may ask."), ["IV. Your Rights.", "You may ask."]);
        assert_eq!(split_sentences("Signed by J. Smith today."), ["Signed by J. Smith today."]);
        assert_eq!(split_sentences("Is it? \"Yes.\" Fine."), ["Is it?", "\"Yes.\"", "Fine."]);
    }

    #[test]
    fn company_forms_do_not_end_sentences() {
        for text in [
            "Example Pte. Ltd.) provide the service.",
            "Example Pty. Ltd. provides the service.",
            "Acme Co., Ltd. (the controller) provides the service.",
            "Beta GmbH. and Gamma S.A. provide the service.",
            "Reddit Netherlands B.V. (\u{201c}Reddit\u{201d}) provides the service.",
            "Delta Corp. (US) and Epsilon plc. (UK) provide the service.",
            "Zeta Inc. (\"Zeta\") and Eta LLC. (\"Eta\") provide the service.",
            "Theta Co. Ltd. provides the service.",
        ] {
            assert_eq!(split_sentences(text), [text], "{text}");
        }
    }

    #[test]
    fn a_company_form_before_a_new_sentence_ends_it() {
        assert_eq!(
            split_sentences(
                "This is an agreement between you and Reddit, Inc. If you have questions, write."
            ),
            ["This is an agreement between you and Reddit, Inc.", "If you have questions, write."]
        );
    }

    #[test]
    fn white_space_next_to_punctuation_is_not_a_change() {
        assert_eq!(key("We collect and/ or use data."), key("We collect and/or use data."));
        assert_eq!(
            key("businesses, organizations , and persons"),
            key("businesses,organizations, and persons")
        );
        assert_eq!(key("( see below )"), key("(see below)"));
        assert_ne!(key("data sharing"), key("datasharing"));
        assert_eq!(key("  We  use it .  "), "We use it.");
        assert_eq!(key("Requests | 1,204 | (est.)"), "Requests | 1,204 | (est.)");
        // A paragraph's key is its sentences' keys joined by spaces.
        let text = "We use it (often). \u{201c}Cookies.\u{201d} They help, e.g. here! Fine.";
        let joined: Vec<String> = split_sentences(text).iter().map(|s| key(s)).collect();
        assert_eq!(joined.join(" "), key(text));
    }

    #[test]
    fn cosmetic_noise_has_one_key() {
        let plain = key("We don't \"sell\" data - ever.");
        assert_eq!(key("We\u{a0}don\u{2019}t  \u{201c}sell\u{201d} data \u{2013} ever."), plain);
        assert_eq!(key("We **don't** \"sell\" _data_ - ever. "), plain);
        assert_eq!(key("- We don't \"sell\" data - ever."), plain);
        assert_eq!(key("We don\u{200b}'t \"sell\"\ndata - ever."), plain);
        assert_ne!(key("We don't \"sell\" Data - ever."), plain);
        assert_eq!(key("snake_case_name"), "snake_case_name");
    }
}

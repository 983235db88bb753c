//! Builds a [`Document`] from a stream of headings and blocks, the same way for HTML
//! and Markdown: pseudo-headings (a wholly bold short paragraph, `1.2 Cookies`,
//! `ARTICLE 3`, a short all-caps line) get a level just below the last real heading,
//! and the title is the first level-1 heading, else the page title.

use std::sync::LazyLock;

use regex::Regex;

use super::text;
use crate::document::{Block, Document};

#[derive(Debug, Default)]
pub struct Builder {
    doc: Document,
    /// Level of the most recent real (`h1`–`h6`, `#`) heading; 0 before any.
    last_real_level: u8,
    first_h1: Option<String>,
}

impl Builder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A real heading (`<h2>`, `## `). Empty text is ignored.
    pub fn heading(&mut self, level: u8, raw: &str) {
        let heading = text::clean(raw);
        if heading.is_empty() {
            return;
        }
        let level = level.clamp(1, 6);
        if level == 1 && self.first_h1.is_none() {
            self.first_h1 = Some(heading.clone());
        }
        self.last_real_level = level;
        self.doc.push_heading(level, heading);
    }

    /// A heading recognised by its look rather than its markup.
    pub fn pseudo_heading(&mut self, raw: &str) {
        let heading = text::clean(raw);
        if heading.is_empty() {
            return;
        }
        self.doc.push_heading(self.pseudo_level(), heading);
    }

    fn pseudo_level(&self) -> u8 {
        if self.last_real_level == 0 {
            2
        } else {
            (self.last_real_level + 1).min(6)
        }
    }

    /// A block; its text is cleaned and an empty one dropped.
    pub fn block(&mut self, block: Block) {
        let block = match block {
            Block::Paragraph { text } => clean_or_skip(text).map(|text| Block::Paragraph { text }),
            Block::ListItem { text, depth, ordered } => {
                clean_or_skip(text).map(|text| Block::ListItem { text, depth, ordered })
            }
            Block::TableRow { cells } => {
                let cells: Vec<String> = cells.iter().map(|c| text::clean(c)).collect();
                if cells.iter().all(|c| c.is_empty()) {
                    None
                } else {
                    Some(Block::TableRow { cells })
                }
            }
            Block::Term { text } => clean_or_skip(text).map(|text| Block::Term { text }),
            Block::Definition { text } => clean_or_skip(text).map(|text| Block::Definition { text }),
            Block::Quote { text } => clean_or_skip(text).map(|text| Block::Quote { text }),
            Block::Preformatted { text } => {
                let t = text.trim_matches('\n').to_string();
                if t.trim().is_empty() {
                    None
                } else {
                    Some(Block::Preformatted { text: t })
                }
            }
        };
        if let Some(block) = block {
            self.doc.push_block(block);
        }
    }

    /// The paragraph, or a pseudo-heading when its look says so.
    pub fn paragraph_or_heading(&mut self, raw: &str, wholly_bold: bool) {
        self.clean_paragraph_or_heading(text::clean(raw), wholly_bold);
    }

    /// As [`Self::paragraph_or_heading`], for text whose white space is already
    /// collapsed (a trailing space is allowed).
    pub fn clean_paragraph_or_heading(&mut self, mut t: String, wholly_bold: bool) {
        let trimmed = t.trim_end_matches(' ').len();
        t.truncate(trimmed);
        debug_assert!(text::is_clean(&t), "{t:?}");
        if t.is_empty() {
            return;
        }
        if looks_like_heading(&t, wholly_bold) {
            self.doc.push_heading(self.pseudo_level(), t);
        } else {
            self.doc.push_block(Block::Paragraph { text: t });
        }
    }

    pub fn finish(mut self, page_title: Option<&str>) -> Document {
        self.doc.prune_empty_sections();
        let title = self.first_h1.or_else(|| page_title.map(text::clean).filter(|t| !t.is_empty()));
        self.doc.title = title;
        self.doc
    }
}

fn clean_or_skip(s: String) -> Option<String> {
    let t = text::clean(&s);
    (!t.is_empty()).then_some(t)
}

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:article|section|part|chapter|clause)\s+(?:\d+(?:\.\d+)*|[ivxlc]+)\b\.?|\d{1,2}(?:\.\d{1,2})*\.?\s|[ivx]{1,5}\.\s|[A-H]\.\s)",
    )
    .expect("static regex")
});

/// Whether a short line of text is a heading by its look.
pub fn looks_like_heading(t: &str, wholly_bold: bool) -> bool {
    // Cheap exits first: most paragraphs are long sentences.
    if t.len() > 480 {
        return false;
    }
    let words = t.split_whitespace().take(16).count();
    if words == 0 || words > 15 || t.chars().count() > 120 {
        return false;
    }
    let last = t.chars().last().unwrap_or(' ');
    if matches!(last, ',' | ';') {
        return false;
    }
    if wholly_bold && words <= 15 && !t.ends_with(':') {
        return true;
    }
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    let upper = t.chars().filter(|c| c.is_uppercase()).count();
    if letters >= 4 && upper == letters && words <= 12 {
        return true;
    }
    if words <= 10 && !matches!(last, '.' | ':' | '!' | '?') && NUMBERED.is_match(t) {
        // "1. Information We Collect", "Article 3 Data", "Section II Cookies":
        // title-like (most words capitalised), not a numbered sentence.
        let caps =
            t.split_whitespace().filter(|w| w.chars().next().is_some_and(|c| c.is_uppercase())).count();
        let long_words = t.split_whitespace().filter(|w| w.chars().count() > 3).count();
        return caps * 2 >= long_words;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudo_headings_are_recognised_by_look() {
        assert!(looks_like_heading("Information We Collect", true));
        assert!(looks_like_heading("INFORMATION COLLECTION AND USE.", false));
        assert!(looks_like_heading("1. Information We Collect", false));
        assert!(looks_like_heading("1.2 Cookies", false));
        assert!(looks_like_heading("Article 3 Data Retention", false));
        assert!(looks_like_heading("Section II Cookies", false));
        assert!(!looks_like_heading("1. We collect your name and e-mail address when you register.", false));
        assert!(!looks_like_heading("We use cookies.", false));
        assert!(!looks_like_heading("Please read this:", true));
        assert!(!looks_like_heading("USA", false));
    }

    #[test]
    fn pseudo_headings_nest_below_the_last_real_heading() {
        let mut b = Builder::new();
        b.heading(1, "Privacy Policy");
        b.paragraph_or_heading("Cookies", true);
        b.paragraph_or_heading("We use cookies.", false);
        let doc = b.finish(None);
        assert_eq!(doc.title.as_deref(), Some("Privacy Policy"));
        assert_eq!(doc.sections[1].level, 2);
        assert_eq!(doc.sections[1].path, vec!["Privacy Policy", "Cookies"]);
    }
}

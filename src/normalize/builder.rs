//! Builds a [`Document`] from a stream of headings and blocks, the same way for HTML
//! and Markdown: pseudo-headings (a wholly bold short paragraph, `1.2 Cookies`,
//! `ARTICLE 3`, a short all-caps line) get a level just below the last real heading,
//! and the title is the first level-1 heading, else the page title. Rule lines
//! (`=====`) are dropped. Lines of in-page links ([`Builder::contents_candidate`]) are
//! dropped when they are a table of contents: most of their links name headings of
//! the document. A heading left without text by that goes too.

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
    /// Lines of in-page links: (section, block index, the text of each link).
    candidates: Vec<(usize, usize, Vec<String>)>,
    /// Sections (index in the document) that held a table of contents.
    contents_sections: Vec<usize>,
}

impl Builder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A real heading (`<h2>`, `## `). Empty text is ignored.
    pub fn heading(&mut self, level: u8, raw: &str) {
        let heading = text::clean(raw);
        if heading.is_empty() || text::is_rule_line(&heading) {
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
        if heading.is_empty() || text::is_rule_line(&heading) {
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
                if cells.iter().all(|c| c.is_empty() || text::is_rule_line(c)) {
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

    /// A paragraph or list item made of in-page links (`#…`) and numbering only, with
    /// the text of each link: kept as a block (never a heading) unless, with the lines
    /// around it, it is a table of contents (see [`Self::finish`]).
    pub fn contents_candidate(&mut self, block: Block, links: Vec<String>) {
        let before = self.doc.blocks().count();
        self.block(block);
        if self.doc.blocks().count() > before {
            let section = self.doc.sections.len() - 1;
            let index = self.doc.sections[section].blocks.len() - 1;
            self.candidates.push((section, index, links));
        }
    }

    /// A line of in-page links dropped by a reader for another reason (a link bar):
    /// its section held a table of contents.
    pub fn contents_dropped(&mut self) {
        if let Some(last) = self.doc.sections.len().checked_sub(1) {
            if self.contents_sections.last() != Some(&last) {
                self.contents_sections.push(last);
            }
        }
    }

    /// Drops the runs of in-page link lines whose links mostly (half or more) name a
    /// heading of the document: a table of contents repeats the headings, and one added
    /// or removed is no change of the policy. "Learn more" links to footnotes stay.
    fn drop_contents(&mut self) {
        if self.candidates.is_empty() {
            return;
        }
        let headings: std::collections::HashSet<String> =
            self.doc.sections.iter().filter_map(|s| s.heading.as_deref()).map(heading_words).collect();
        let mut runs: Vec<Vec<(usize, usize)>> = Vec::new();
        let (mut total, mut matched) = (Vec::new(), Vec::new());
        let mut prev: Option<(usize, usize)> = None;
        for (section, index, links) in &self.candidates {
            let continues = prev.is_some_and(|(s, i)| s == *section && i + 1 == *index);
            if !continues {
                runs.push(Vec::new());
                total.push(0usize);
                matched.push(0usize);
            }
            let r = runs.len() - 1;
            runs[r].push((*section, *index));
            total[r] += links.len();
            matched[r] += links.iter().filter(|l| headings.contains(&heading_words(l))).count();
            prev = Some((*section, *index));
        }
        let mut drop: Vec<(usize, usize)> = Vec::new();
        for (r, run) in runs.into_iter().enumerate() {
            if matched[r] > 0 && matched[r] * 2 >= total[r] {
                drop.extend(run);
            }
        }
        drop.sort_unstable();
        for &(section, index) in drop.iter().rev() {
            self.doc.sections[section].blocks.remove(index);
            if self.contents_sections.last() != Some(&section) {
                self.contents_sections.push(section);
            }
        }
        self.contents_sections.sort_unstable();
        self.contents_sections.dedup();
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
        if t.is_empty() || text::is_rule_line(&t) {
            return;
        }
        if looks_like_heading(&t, wholly_bold) {
            self.doc.push_heading(self.pseudo_level(), t);
        } else {
            self.doc.push_block(Block::Paragraph { text: t });
        }
    }

    pub fn finish(mut self, page_title: Option<&str>) -> Document {
        self.drop_contents();
        // A table of contents' own heading ("Contents"), now empty and enclosing no
        // section, goes too (from the last, so that indices stay right).
        for &i in self.contents_sections.iter().rev() {
            let sections = &self.doc.sections;
            let encloses_next = sections.get(i + 1).is_some_and(|next| next.level > sections[i].level);
            if sections[i].blocks.is_empty() && sections[i].heading.is_some() && !encloses_next {
                if self.first_h1.is_some() && self.first_h1 == sections[i].heading && sections[i].level == 1 {
                    continue;
                }
                self.doc.sections.remove(i);
            }
        }
        self.doc.prune_empty_sections();
        let title = self.first_h1.or_else(|| page_title.map(text::clean).filter(|t| !t.is_empty()));
        self.doc.title = title;
        self.doc
    }
}

/// The cleaned text, or nothing for empty text and rule lines.
fn clean_or_skip(s: String) -> Option<String> {
    let t = text::clean(&s);
    (!t.is_empty() && !text::is_rule_line(&t)).then_some(t)
}

/// A heading's words for matching a table of contents' entry to it: lowercase, no
/// punctuation, no leading numbering (`1.2`, `IV.`, `a)`).
fn heading_words(h: &str) -> String {
    let words: Vec<String> =
        h.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let numbering = |w: &String| {
        w.chars().all(|c| c.is_ascii_digit())
            || w.len() <= 4 && w.chars().all(|c| matches!(c, 'i' | 'v' | 'x'))
            || w.chars().count() == 1
    };
    let start = words.iter().take_while(|w| numbering(w)).count();
    words[start.min(words.len())..].join(" ")
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

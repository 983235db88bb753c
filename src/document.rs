//! The Document model every stage shares: the normalized policy as a title and a
//! flat list of sections in reading order, each holding its blocks.
//!
//! A section knows its heading, its level (1–6; 0 for the text before the first
//! heading) and its path: the headings of the sections that enclose it, then its
//! own. Blocks are the units a reader sees (paragraph, list item, table row, …);
//! the differ splits them further into clauses.
//!
//! Rendering is deterministic: the same Document always gives the same bytes.
//!
//! ```
//! use policydiff::document::{Block, Document, Section};
//! let mut doc = Document::new(Some("Privacy Policy".into()));
//! doc.push_heading(2, "Cookies".into());
//! doc.push_block(Block::paragraph("We use cookies."));
//! assert_eq!(doc.sections[0].path, vec!["Cookies".to_string()]);
//! assert!(doc.to_markdown().contains("## Cookies\n\nWe use cookies.\n"));
//! ```

use serde::{Deserialize, Serialize};

/// The normalized policy.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Document {
    pub title: Option<String>,
    pub sections: Vec<Section>,
    /// The open headings, outermost first, as of the first `outline.seen` sections:
    /// what makes [`Document::push_heading`] constant time instead of a walk back
    /// over every earlier section. Not part of the model (not serialized, not
    /// compared).
    #[serde(skip)]
    outline: Outline,
}

/// The chain of enclosing headings: `(level, heading)` with strictly increasing levels.
#[derive(Debug, Clone, Default)]
struct Outline {
    open: Vec<(u8, String)>,
    /// How many of `sections` the chain accounts for.
    seen: usize,
}

impl Outline {
    /// Takes in a titled section: the open headings at its level or deeper close.
    fn enter(&mut self, level: u8, heading: &str) {
        while self.open.last().is_some_and(|(l, _)| *l >= level) {
            self.open.pop();
        }
        self.open.push((level, heading.to_string()));
    }
}

impl PartialEq for Document {
    fn eq(&self, other: &Self) -> bool {
        self.title == other.title && self.sections == other.sections
    }
}

impl Eq for Document {}

/// One section: a heading (none for the text before the first heading) and its blocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub heading: Option<String>,
    /// 1–6 as in HTML; 0 for the untitled preamble.
    pub level: u8,
    /// Headings from the outermost enclosing section down to this one.
    pub path: Vec<String>,
    pub blocks: Vec<Block>,
}

/// A unit of text as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Paragraph {
        text: String,
    },
    /// `depth` 0 is a top-level item; nested lists count up.
    ListItem {
        text: String,
        depth: u8,
        ordered: bool,
    },
    /// One row of a table, a cell each.
    TableRow {
        cells: Vec<String>,
    },
    /// A term of a definition list (`<dt>`); its definitions follow as `Definition`.
    Term {
        text: String,
    },
    Definition {
        text: String,
    },
    Quote {
        text: String,
    },
    /// Preformatted text, kept line for line.
    Preformatted {
        text: String,
    },
}

impl Block {
    pub fn paragraph(text: impl Into<String>) -> Self {
        Block::Paragraph { text: text.into() }
    }

    /// The block's text as one line (table cells joined by ` | `).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Block::Paragraph { text }
            | Block::ListItem { text, .. }
            | Block::Term { text }
            | Block::Definition { text }
            | Block::Quote { text }
            | Block::Preformatted { text } => std::borrow::Cow::Borrowed(text),
            Block::TableRow { cells } => std::borrow::Cow::Owned(cells.join(" | ")),
        }
    }
}

impl Section {
    fn untitled() -> Self {
        Section { heading: None, level: 0, path: Vec::new(), blocks: Vec::new() }
    }
}

impl Document {
    pub fn new(title: Option<String>) -> Self {
        Document { title, sections: Vec::new(), outline: Outline::default() }
    }

    /// A document of these sections, as they are (their paths are not recomputed).
    pub fn from_sections(title: Option<String>, sections: Vec<Section>) -> Self {
        Document { title, sections, outline: Outline::default() }
    }

    /// Opens a new section; its path is computed from the open sections of lower level:
    /// the enclosing sections are the nearest earlier one of strictly lower level, the
    /// nearest earlier than that of lower level still, and so on. Constant time per
    /// heading (amortized): the chain of open headings is kept, not searched for.
    pub fn push_heading(&mut self, level: u8, heading: String) {
        let level = level.clamp(1, 6);
        self.sync_outline();
        self.outline.enter(level, &heading);
        let path = self.outline.open.iter().map(|(_, h)| h.clone()).collect();
        self.sections.push(Section { heading: Some(heading), level, path, blocks: Vec::new() });
        self.outline.seen = self.sections.len();
    }

    /// Brings the chain of open headings up to date with `sections`, which callers may
    /// have changed directly (the fields are public): sections appended are taken in,
    /// and after sections were removed the chain is rebuilt from the start.
    fn sync_outline(&mut self) {
        if self.outline.seen > self.sections.len() {
            self.outline = Outline::default();
        }
        for section in &self.sections[self.outline.seen..] {
            if section.level > 0 {
                self.outline.enter(section.level, section.heading.as_deref().unwrap_or_default());
            }
        }
        self.outline.seen = self.sections.len();
    }

    /// Appends a block to the current section, opening the untitled preamble if needed.
    pub fn push_block(&mut self, block: Block) {
        if self.sections.is_empty() {
            self.sections.push(Section::untitled());
        }
        if let Some(section) = self.sections.last_mut() {
            section.blocks.push(block);
        }
    }

    /// All blocks in reading order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.sections.iter().flat_map(|s| s.blocks.iter())
    }

    /// True when the document holds no text at all beyond its title.
    pub fn is_empty(&self) -> bool {
        self.sections.iter().all(|s| s.heading.is_none() && s.blocks.is_empty())
    }

    /// Number of words in headings and blocks (a cheap size measure).
    pub fn word_count(&self) -> usize {
        self.sections
            .iter()
            .map(|s| {
                s.heading.as_deref().map_or(0, |h| h.split_whitespace().count())
                    + s.blocks.iter().map(|b| b.text().split_whitespace().count()).sum::<usize>()
            })
            .sum()
    }

    /// Drops untitled sections that hold nothing.
    pub fn prune_empty_sections(&mut self) {
        self.sections.retain(|s| s.heading.is_some() || !s.blocks.is_empty());
        // Only untitled sections went: the open headings are the same.
        self.outline.seen = self.outline.seen.min(self.sections.len());
    }

    /// Markdown: ATX headings, `-`/`1.` lists indented two spaces a level, pipe tables.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        if let Some(title) = &self.title {
            let first_is_title = self
                .sections
                .first()
                .is_some_and(|s| s.level == 1 && s.heading.as_deref() == Some(title.as_str()));
            if !first_is_title {
                out.push_str(&format!("# {title}\n\n"));
            }
        }
        for section in &self.sections {
            if let Some(heading) = &section.heading {
                out.push_str(&"#".repeat(section.level.max(1) as usize));
                out.push(' ');
                out.push_str(heading);
                out.push_str("\n\n");
            }
            let mut prev_list = false;
            for block in &section.blocks {
                let is_list = matches!(block, Block::ListItem { .. } | Block::TableRow { .. });
                if prev_list && !is_list {
                    out.push('\n');
                }
                match block {
                    Block::Paragraph { text } => out.push_str(&format!("{text}\n\n")),
                    Block::ListItem { text, depth, ordered } => {
                        let indent = "  ".repeat(*depth as usize);
                        let bullet = if *ordered { "1." } else { "-" };
                        out.push_str(&format!("{indent}{bullet} {text}\n"));
                    }
                    Block::TableRow { cells } => {
                        out.push_str(&format!("| {} |\n", cells.join(" | ")));
                    }
                    Block::Term { text } => out.push_str(&format!("**{text}**\n\n")),
                    Block::Definition { text } => out.push_str(&format!(": {text}\n\n")),
                    Block::Quote { text } => out.push_str(&format!("> {text}\n\n")),
                    Block::Preformatted { text } => out.push_str(&format!("```\n{text}\n```\n\n")),
                }
                prev_list = is_list;
            }
            if prev_list {
                out.push('\n');
            }
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }

    /// Plain text: headings on their own lines, list items with bullets, cells by tabs.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if let Some(title) = &self.title {
            let first_is_title =
                self.sections.first().is_some_and(|s| s.heading.as_deref() == Some(title.as_str()));
            if !first_is_title {
                out.push_str(&format!("{title}\n\n"));
            }
        }
        for section in &self.sections {
            if let Some(heading) = &section.heading {
                out.push_str(&format!("{heading}\n\n"));
            }
            for block in &section.blocks {
                match block {
                    Block::ListItem { text, depth, .. } => {
                        out.push_str(&format!("{}* {text}\n", "  ".repeat(*depth as usize)))
                    }
                    Block::TableRow { cells } => out.push_str(&format!("{}\n", cells.join("\t"))),
                    Block::Definition { text } => out.push_str(&format!("    {text}\n")),
                    other => out.push_str(&format!("{}\n", other.text())),
                }
                out.push('\n');
            }
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }

    /// Pretty JSON of the model (stable field order).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| String::from("{}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_paths_follow_nesting() {
        let mut doc = Document::new(None);
        doc.push_heading(1, "Policy".into());
        doc.push_heading(2, "Data".into());
        doc.push_heading(3, "Cookies".into());
        doc.push_heading(2, "Rights".into());
        let paths: Vec<_> = doc.sections.iter().map(|s| s.path.join(" > ")).collect();
        assert_eq!(paths, ["Policy", "Policy > Data", "Policy > Data > Cookies", "Policy > Rights"]);
    }

    /// The definition the chain of open headings must agree with: a walk back over
    /// every earlier section (what `push_heading` did, in quadratic time).
    fn walked_back_path(sections: &[Section], level: u8, heading: &str) -> Vec<String> {
        let mut path = Vec::new();
        let mut want = level;
        for section in sections.iter().rev() {
            if section.level > 0 && section.level < want {
                path.push(section.heading.clone().unwrap_or_default());
                want = section.level;
            }
        }
        path.reverse();
        path.push(heading.to_string());
        path
    }

    #[test]
    fn heading_paths_agree_with_the_walk_back_definition_on_any_level_sequence() {
        let mut state = 0x2545_f491_u32;
        let mut doc = Document::new(None);
        for n in 0..3000 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let level = (state % 6) as u8 + 1;
            let heading = format!("h{n}");
            let expected = walked_back_path(&doc.sections, level, &heading);
            if n % 7 == 0 {
                doc.push_block(Block::paragraph("text"));
            }
            doc.push_heading(level, heading);
            assert_eq!(doc.sections.last().unwrap().path, expected, "heading {n}");
        }
    }

    #[test]
    fn heading_paths_stay_right_after_sections_are_changed_directly() {
        let mut doc = Document::new(None);
        doc.push_heading(1, "A".into());
        doc.push_heading(2, "B".into());
        // Appended by hand, then removed by hand: the next heading still sees them right.
        doc.sections.push(Section {
            heading: Some("C".into()),
            level: 1,
            path: vec!["C".into()],
            blocks: vec![],
        });
        doc.push_heading(2, "D".into());
        assert_eq!(doc.sections.last().unwrap().path, ["C", "D"]);
        doc.sections.truncate(2);
        doc.push_heading(3, "E".into());
        assert_eq!(doc.sections.last().unwrap().path, ["A", "B", "E"]);
        // A document read back from JSON keeps its outline too.
        let mut back: Document = serde_json::from_str(&doc.to_json()).unwrap();
        assert_eq!(back, doc);
        back.push_heading(2, "F".into());
        assert_eq!(back.sections.last().unwrap().path, ["A", "F"]);
    }

    #[test]
    fn blocks_before_any_heading_go_to_an_untitled_section() {
        let mut doc = Document::new(None);
        doc.push_block(Block::paragraph("Intro."));
        assert_eq!(doc.sections[0].level, 0);
        assert!(doc.sections[0].heading.is_none());
    }

    #[test]
    fn markdown_rendering_is_deterministic_and_lists_are_indented() {
        let mut doc = Document::new(Some("P".into()));
        doc.push_heading(2, "A".into());
        doc.push_block(Block::ListItem { text: "one".into(), depth: 0, ordered: false });
        doc.push_block(Block::ListItem { text: "two".into(), depth: 1, ordered: true });
        doc.push_block(Block::paragraph("after"));
        let md = doc.to_markdown();
        assert_eq!(md, "# P\n\n## A\n\n- one\n  1. two\n\nafter\n");
        assert_eq!(md, doc.clone().to_markdown());
    }
}

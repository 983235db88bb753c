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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Document {
    pub title: Option<String>,
    pub sections: Vec<Section>,
}

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
        Document { title, sections: Vec::new() }
    }

    /// Opens a new section; its path is computed from the open sections of lower level.
    pub fn push_heading(&mut self, level: u8, heading: String) {
        let level = level.clamp(1, 6);
        let mut path: Vec<String> = Vec::new();
        // The enclosing sections are the nearest earlier ones of strictly lower level.
        let mut want = level;
        for section in self.sections.iter().rev() {
            if section.level > 0 && section.level < want {
                path.push(section.heading.clone().unwrap_or_default());
                want = section.level;
                if want == 1 {
                    break;
                }
            }
        }
        path.reverse();
        path.push(heading.clone());
        self.sections.push(Section { heading: Some(heading), level, path, blocks: Vec::new() });
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

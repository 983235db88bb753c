//! Markdown and plain text into a [`Document`]: ATX and setext headings, wholly bold
//! lines as headings, nested lists, tables (a block per row), block quotes, and
//! paragraphs whose wrapped lines are joined. Links keep their text; images, HTML
//! tags and emphasis markers are dropped, so the text matches what an HTML capture of
//! the same policy yields. An inline `<br>` is a line break (white space in a table
//! cell, list item or heading); a line of rule characters (`=====`) and a table of
//! contents (lines of links to `#…` places naming the headings: `[1. Cookies](#cookies)`)
//! are not text.

use pulldown_cmark::{Event, HeadingLevel, Options as MdOptions, Parser, Tag, TagEnd};

use super::builder::Builder;
use crate::document::{Block, Document};

/// Parses Markdown (or plain text, which is Markdown without markup).
pub fn normalize_markdown(input: &str) -> Document {
    normalize_in_pieces(input, PIECE)
}

/// The parser holds the block tree of all it reads (about 50 bytes a block, 48 times the
/// size of a file of one-letter paragraphs): a long file is read in pieces of at least
/// this many bytes, cut where the pieces parse as the whole does (see [`pieces`]).
const PIECE: usize = 1 << 16;

fn normalize_in_pieces(input: &str, piece: usize) -> Document {
    let mut opts = MdOptions::empty();
    opts.insert(MdOptions::ENABLE_TABLES);
    opts.insert(MdOptions::ENABLE_STRIKETHROUGH);
    let mut r = Reader::default();
    for part in pieces(input, piece) {
        for event in Parser::new_ext(part, opts) {
            r.event(event);
        }
    }
    r.flush_item();
    r.builder.finish(None)
}

/// Cuts Markdown into consecutive pieces of at least `min` bytes that parse, one after
/// the other, to the events the whole gives. A cut goes only after a blank line and
/// before a line that starts at the margin and is no list item or quote: every block
/// open there (paragraph, list, quote, table, indented code, HTML up to a blank line)
/// has ended. Blocks that run across blank lines to an end marker (fenced code, `<pre>`,
/// `<script>`, `<style>`, `<textarea>`, comments and other `<!…>`/`<?…>` HTML) and
/// link reference definitions (used anywhere in the file) rule cutting out: such a
/// file is read whole.
fn pieces(input: &str, min: usize) -> Vec<&str> {
    if input.len() <= min || input.lines().any(needs_whole_file) {
        return vec![input];
    }
    let mut out = Vec::new();
    let (mut start, mut pos) = (0, 0);
    let mut after_blank = false;
    for line in input.split_inclusive('\n') {
        let blank = line.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        if after_blank && !blank && pos - start >= min && starts_a_top_level_block(line) {
            out.push(&input[start..pos]);
            start = pos;
        }
        after_blank = blank;
        pos += line.len();
    }
    out.push(&input[start..]);
    out
}

/// A line that opens a fenced code block or an HTML block that only an end marker
/// closes, or that is a link reference definition.
fn needs_whole_file(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with("```") || t.starts_with("~~~") || t.starts_with("<!") || t.starts_with("<?") {
        return true;
    }
    let lower = t.get(..10).unwrap_or(t).to_ascii_lowercase();
    if ["<pre", "<script", "<style", "<textarea"].iter().any(|tag| lower.starts_with(tag)) {
        return true;
    }
    // `[label]: destination`
    t.starts_with('[') && t.find("]:").is_some()
}

/// A line at the margin that is not a list item (`-`, `+`, `*`, `1.`, `1)`) or a quote.
fn starts_a_top_level_block(line: &str) -> bool {
    let bytes = line.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    let marker_then_space = |rest: &[u8]| rest.first().is_none_or(|b| b.is_ascii_whitespace());
    match first {
        b' ' | b'\t' | b'>' => false,
        b'-' | b'+' | b'*' => !marker_then_space(&bytes[1..]),
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            let ordered =
                matches!(bytes.get(digits), Some(b'.' | b')')) && marker_then_space(&bytes[digits + 1..]);
            !ordered
        }
        _ => true,
    }
}

#[derive(Default)]
struct Reader {
    builder: Builder,
    buf: String,
    /// Text of the current paragraph outside any `**strong**` span.
    plain_chars: usize,
    strong_depth: usize,
    heading: Option<u8>,
    /// One entry per open list: ordered?
    lists: Vec<bool>,
    /// Text of the innermost open list item not yet emitted.
    item: Option<String>,
    quote_depth: usize,
    code: Option<String>,
    row: Option<Vec<String>>,
    image_depth: usize,
    /// One entry per open link: does it point to a place in a page (`#…`)?
    links: Vec<bool>,
    /// In the current paragraph or list item: the text of each in-page link, and the
    /// letters outside them (a table-of-contents line has links and no such letters).
    anchor_texts: Vec<String>,
    other_letters: usize,
}

impl Reader {
    fn text(&mut self, s: &str) {
        if self.image_depth > 0 {
            return;
        }
        if let Some(code) = self.code.as_mut() {
            code.push_str(s);
            return;
        }
        if self.strong_depth == 0 && !s.trim().is_empty() {
            self.plain_chars += s.trim().len();
        }
        if self.links.last() == Some(&true) {
            if let Some(t) = self.anchor_texts.last_mut() {
                t.push_str(s);
            }
        } else {
            self.other_letters += s.chars().filter(|c| c.is_alphabetic()).count();
        }
        match self.item.as_mut() {
            Some(item) if self.heading.is_none() && self.row.is_none() => item.push_str(s),
            _ => self.buf.push_str(s),
        }
    }

    /// The texts of the in-page links of the pending paragraph or item when it is made
    /// of them and numbering only (maybe a table of contents' line); starts afresh.
    fn take_contents_line(&mut self) -> Option<Vec<String>> {
        let links = std::mem::take(&mut self.anchor_texts);
        let letters = std::mem::take(&mut self.other_letters);
        let linked = links.iter().any(|l| l.chars().any(char::is_alphanumeric));
        (linked && letters == 0).then_some(links)
    }

    fn end_paragraph(&mut self) {
        let text = std::mem::take(&mut self.buf);
        if let Some(links) = self.take_contents_line() {
            self.builder.contents_candidate(Block::Paragraph { text }, links);
        } else if self.quote_depth > 0 {
            self.builder.block(Block::Quote { text });
        } else {
            let wholly_bold = self.plain_chars == 0 && !text.trim().is_empty();
            self.builder.paragraph_or_heading(&text, wholly_bold);
        }
        self.plain_chars = 0;
    }

    fn flush_item(&mut self) {
        if let Some(text) = self.item.take() {
            let depth = self.lists.len().saturating_sub(1).min(u8::MAX as usize) as u8;
            let ordered = self.lists.last().copied().unwrap_or(false);
            let item = Block::ListItem { text, depth, ordered };
            match self.take_contents_line() {
                Some(links) => self.builder.contents_candidate(item, links),
                None => self.builder.block(item),
            }
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) => self.text(&t),
            Event::SoftBreak => self.text(" "),
            // A hard line break ends a paragraph, as `<br>` does in HTML, so a bold line
            // broken off its text reads as a heading in both.
            Event::HardBreak => self.line_break(),
            Event::InlineHtml(html) if is_line_break_tag(&html) => self.line_break(),
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::FootnoteReference(_) | Event::TaskListMarker(_) | Event::Rule => {}
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
        }
    }

    /// A hard break or `<br>`: the end of a paragraph; white space anywhere else.
    fn line_break(&mut self) {
        if self.item.is_none() && self.heading.is_none() && self.row.is_none() && self.code.is_none() {
            self.end_paragraph();
        } else {
            self.text(" ");
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush_item();
                self.buf.clear();
                self.heading = Some(heading_level(level));
            }
            Tag::Paragraph if self.item.is_none() => {
                self.buf.clear();
                self.plain_chars = 0;
                self.take_contents_line();
            }
            Tag::Link { dest_url, .. } => {
                // `#cookies`, or a full URL with a fragment (often the page's own).
                let in_page = dest_url.contains('#');
                if in_page {
                    self.anchor_texts.push(String::new());
                }
                self.links.push(in_page);
            }
            Tag::List(start) => {
                // A nested list ends the text of the item that holds it.
                self.flush_item();
                self.lists.push(start.is_some());
            }
            Tag::Item => {
                self.flush_item();
                self.item = Some(String::new());
                self.take_contents_line();
            }
            Tag::Strong => self.strong_depth += 1,
            Tag::Image { .. } => self.image_depth += 1,
            Tag::BlockQuote(_) => self.quote_depth += 1,
            Tag::CodeBlock(_) => self.code = Some(String::new()),
            Tag::TableHead | Tag::TableRow => self.row = Some(Vec::new()),
            Tag::TableCell => self.buf.clear(),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                let level = self.heading.take().unwrap_or(2);
                let text = std::mem::take(&mut self.buf);
                self.take_contents_line();
                self.builder.heading(level, &text);
            }
            TagEnd::Link => {
                self.links.pop();
            }
            TagEnd::Paragraph => {
                if let Some(item) = self.item.as_mut() {
                    item.push(' ');
                    return;
                }
                self.end_paragraph();
            }
            TagEnd::Item => self.flush_item(),
            TagEnd::List(_) => {
                self.flush_item();
                self.lists.pop();
            }
            TagEnd::Strong => self.strong_depth = self.strong_depth.saturating_sub(1),
            TagEnd::Image => self.image_depth = self.image_depth.saturating_sub(1),
            TagEnd::BlockQuote(_) => self.quote_depth = self.quote_depth.saturating_sub(1),
            TagEnd::CodeBlock => {
                if let Some(text) = self.code.take() {
                    self.builder.block(Block::Preformatted { text });
                }
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.buf);
                if let Some(row) = self.row.as_mut() {
                    row.push(cell);
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(cells) = self.row.take() {
                    self.builder.block(Block::TableRow { cells });
                }
            }
            _ => {}
        }
    }
}

/// `<br>`, `<br/>`, `<BR />`: a line break written as HTML.
fn is_line_break_tag(html: &str) -> bool {
    let t = html.trim();
    let Some(inner) = t.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else {
        return false;
    };
    let inner = inner.trim_end_matches('/').trim();
    inner.eq_ignore_ascii_case("br")
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atx_setext_and_bold_headings_make_sections() {
        let doc = normalize_markdown(
            "Privacy Policy\n==============\n\nIntro text\nwrapped here.\n\n## Cookies\n\n**Opting out**\n\nYou may opt out.\n",
        );
        assert_eq!(doc.title.as_deref(), Some("Privacy Policy"));
        let headings: Vec<_> =
            doc.sections.iter().map(|s| (s.level, s.heading.clone().unwrap_or_default())).collect();
        assert_eq!(
            headings,
            [(1, "Privacy Policy".to_string()), (2, "Cookies".into()), (3, "Opting out".into())]
        );
        assert_eq!(doc.sections[0].blocks, [Block::paragraph("Intro text wrapped here.")]);
    }

    #[test]
    fn nested_lists_keep_their_depth_and_links_their_text() {
        let doc = normalize_markdown("* one [link](http://x)\n    * inner\n* two\n\n1. first\n");
        let items: Vec<_> = doc
            .blocks()
            .map(|b| match b {
                Block::ListItem { text, depth, ordered } => (text.clone(), *depth, *ordered),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            items,
            [
                ("one link".to_string(), 0, false),
                ("inner".into(), 1, false),
                ("two".into(), 0, false),
                ("first".into(), 0, true)
            ]
        );
    }

    #[test]
    fn tables_give_a_block_per_row() {
        let doc = normalize_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert_eq!(doc.sections[0].blocks.len(), 2);
        assert_eq!(doc.sections[0].blocks[1], Block::TableRow { cells: vec!["1".into(), "2".into()] });
    }

    #[test]
    fn a_file_read_in_pieces_gives_the_document_read_whole() {
        let files = [
            "# Policy\n\nIntro.\n\n- tight\n- list\n\nAfter the list.\n\n- loose\n\n- list\n\n  continued\n\nText\n",
            "1. one\n\n2. two\n\nNot an item.\n\n3) three\n\n> quote\n\n> another\n\nplain\n\n---\n\nbelow\n",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n| c | d |\n|---|---|\n| 3 | 4 |\n\nSetext\n======\n\nTitle\n---\n",
            "Para\n\n    indented code\n\n    more code\n\nPara <br> two\n\n<div>\n\ninside div\n\n</div>\n\n**Bold heading**\n\ntext\n",
            "* a\n    * nested\n\n        deep para\n\n* b\n\n[in page](#x) [other](#y)\n\n## Contents\n\n[1. Cookies](#cookies)\n\n## Cookies\n\nWe use them.\n",
            "\u{feff}Text\r\n\r\nCRLF lines\r\n\r\n- item\r\n\r\nafter\r\n",
        ];
        for file in files {
            let whole = normalize_in_pieces(file, usize::MAX);
            assert_eq!(normalize_in_pieces(file, 1), whole, "{file}");
            assert_eq!(normalize_markdown(file), whole);
        }
    }

    #[test]
    fn fences_comments_and_link_definitions_keep_a_file_whole() {
        for file in [
            "a\n\n```\ncode\n\nstill code\n```\n\nb\n",
            "a\n\n<!-- note\n\nstill note -->\n\nb\n",
            "a\n\n<pre>\nx\n\ny\n</pre>\n\nb\n",
            "See [the terms][t].\n\nMore.\n\n[t]: https://example.com/terms\n",
        ] {
            assert_eq!(pieces(file, 1), [file]);
        }
        assert_eq!(pieces("a\n\nb\n\n- c\n\nd\n", 1), ["a\n\n", "b\n\n- c\n\n", "d\n"]);
    }

    #[test]
    fn emphasis_inside_a_sentence_is_not_a_heading() {
        let doc = normalize_markdown("We **never** sell data.\n");
        assert_eq!(doc.sections[0].blocks, [Block::paragraph("We never sell data.")]);
    }
}

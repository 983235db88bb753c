//! The known-edit generator: real policies with a few edits whose expected changes are
//! known exactly, and cosmetic-only variants that must diff as unchanged.
//!
//! Edits are made on the [`Document`] (never on raw Markdown), the edited Document is
//! rendered with `to_markdown()` and read back through the real Markdown reader; an edit
//! is kept only when the read-back Document equals the edited one, so the expected
//! changes are exactly what the differ sees. Cosmetic variants are made on the Markdown
//! text (wrapping, quotes, dashes, spaces, bullets, emphasis) and kept only when both
//! sides read back to the same Document modulo those differences.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use policydiff::document::{Block, Document};
use policydiff::normalize::normalize_markdown;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::score::norm;

/// The kinds of edit the benchmark makes and scores, in report order. The first five are
/// also the kinds of change the differ reports; the others are edits whose expected
/// report is made of those (see [`Expected::kind`]).
pub const KINDS: [&str; 12] = [
    "added",
    "removed",
    "reworded",
    "moved",
    "renamed",
    "moved+reworded",
    "split",
    "merged",
    "table row",
    "heading deleted",
    "br line",
    "heading inserted",
];

/// Headings the `heading inserted` edit may insert (one the document does not hold).
const INSERTED_HEADINGS: [&str; 6] = [
    "Further details",
    "Additional information",
    "Other provisions",
    "More about this",
    "In particular",
    "Specifics",
];

/// The kinds of cosmetic-only pair: Markdown restyling, a table of contents added or
/// removed, `<br>` line breaks written differently.
pub const COSMETIC_KINDS: [&str; 3] = ["cosmetic", "toc", "br spacing"];

/// How a `<br>` between two lines is written, from plain to noisy.
pub const BR_SEPS: [&str; 5] = ["<br>", "<br><br>", "<br/>\n", "<br>\n<br>  <br>", " <BR />"];

/// Lines of a paragraph written with `<br>` between them (in Markdown and in HTML): the
/// paragraphs `start..start + count` of section `section` of the side's Document, which
/// is what a reader makes of such lines (a `<br>` ends a paragraph).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BrLines {
    pub section: usize,
    pub start: usize,
    pub count: usize,
    /// Index into [`BR_SEPS`].
    pub sep: usize,
}

/// How a `<br>` inside a table cell is written (a Markdown table cell holds no newline).
pub const CELL_BR_SEPS: [&str; 5] = ["<br>", "<br><br>", "<br/>", " <BR /> ", "<br><br>  <br><br>"];

/// The sentences of one table cell written with `<br>` between them: cell `cell` of the
/// row that is block `block` of section `section`. A reader takes such a `<br>` for
/// white space, so the Document is the same either way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellBr {
    pub section: usize,
    pub block: usize,
    pub cell: usize,
    /// Index into [`CELL_BR_SEPS`].
    pub sep: usize,
}

/// A table of contents above the first section heading: links to the headings' anchors.
#[derive(Debug, Clone, PartialEq)]
pub struct Toc {
    pub headings: Vec<String>,
    /// 0: a list of links; 1: a numbered list; 2: lines of numbered links in one
    /// paragraph; 3: a paragraph per link.
    pub style: usize,
}

/// What a side shows beyond its Document, in Markdown and HTML alike.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extras {
    pub br: Option<BrLines>,
    pub cell_br: Option<CellBr>,
    pub toc: Option<Toc>,
}

impl Extras {
    pub fn is_empty(&self) -> bool {
        self.br.is_none() && self.cell_br.is_none() && self.toc.is_none()
    }
}

/// The lines of a table cell written with `<br>`s: its sentences joined by `sep`.
pub fn cell_lines(cell: &str, sep: &str) -> String {
    split_sentences(cell).into_iter().map(|r| &cell[r]).collect::<Vec<_>>().join(sep)
}

/// The anchor a site gives a heading: lower case, words joined by `-`.
pub fn slug(heading: &str) -> String {
    let mut out = String::new();
    for c in heading.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if (c == ' ' || c == '-') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// The text of a table of contents entry: numbered in styles 1–2.
pub fn toc_entry(toc: &Toc, i: usize) -> String {
    match toc.style {
        2 => format!("{}. {}", i + 1, toc.headings[i]),
        _ => toc.headings[i].clone(),
    }
}

/// The Markdown of a Document as the benchmark writes it: `to_markdown()`, with a
/// delimiter row under the first row of each table (so that pipe tables read back as
/// tables), and the side's `<br>` lines and table of contents.
pub fn markdown(doc: &Document, extras: &Extras) -> String {
    const JOIN: char = '\u{e000}';
    let mut doc = doc.clone();
    if let Some(br) = extras.br {
        if let Some(section) = doc.sections.get_mut(br.section) {
            let end = (br.start + br.count).min(section.blocks.len());
            let lines: Vec<String> =
                section.blocks.drain(br.start.min(end)..end).map(|b| b.text().into_owned()).collect();
            let joined: String = lines.join(&JOIN.to_string());
            section.blocks.insert(br.start.min(section.blocks.len()), Block::paragraph(joined));
        }
    }
    const CELL_JOIN: char = '\u{e001}';
    if let Some(c) = extras.cell_br {
        let block = doc.sections.get_mut(c.section).and_then(|s| s.blocks.get_mut(c.block));
        if let Some(Block::TableRow { cells }) = block {
            if let Some(cell) = cells.get_mut(c.cell) {
                *cell = cell_lines(cell, &CELL_JOIN.to_string());
            }
        }
    }
    let rows: Vec<usize> = doc
        .blocks()
        .filter_map(|b| match b {
            Block::TableRow { cells } => Some(cells.len()),
            _ => None,
        })
        .collect();
    let mut out = String::new();
    let mut row = 0;
    let mut in_table = false;
    let mut toc_done = extras.toc.is_none();
    for line in doc.to_markdown().lines() {
        if !toc_done && line.starts_with("##") {
            if let Some(toc) = &extras.toc {
                out.push_str(&toc_markdown(toc));
            }
            toc_done = true;
        }
        out.push_str(line);
        out.push('\n');
        let is_row = line.starts_with("| ") && row < rows.len();
        if is_row && !in_table {
            out.push('|');
            out.push_str(&" --- |".repeat(rows[row].max(1)));
            out.push('\n');
        }
        if is_row {
            row += 1;
        }
        in_table = is_row;
    }
    while out.ends_with('\n') {
        out.pop();
    }
    if let Some(br) = extras.br {
        out = out.replace(JOIN, BR_SEPS[br.sep % BR_SEPS.len()]);
    }
    if let Some(c) = extras.cell_br {
        out = out.replace(CELL_JOIN, CELL_BR_SEPS[c.sep % CELL_BR_SEPS.len()]);
    }
    out
}

fn toc_markdown(toc: &Toc) -> String {
    let mut out = String::new();
    for (i, h) in toc.headings.iter().enumerate() {
        let link = format!("[{}](#{})", toc_entry(toc, i), slug(h));
        match toc.style {
            0 => out.push_str(&format!("- {link}\n")),
            1 => out.push_str(&format!("{}. {link}\n", i + 1)),
            2 => out.push_str(&format!("{link}\n")),
            _ => out.push_str(&format!("{link}\n\n")),
        }
    }
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
    out
}

/// A real policy the pairs are made from.
#[derive(Debug, Clone)]
pub struct Base {
    pub name: String,
    pub markdown: String,
}

/// One change the differ must report.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    /// The kind of change the differ must report: `added`, `removed`, `reworded`,
    /// `moved`, or a `sections[]` entry: `renamed`, `section merged` (old: the deleted
    /// heading, new: the section its text joined), `section split` (old: the section
    /// the text was in, new: the inserted heading).
    pub kind: &'static str,
    /// The kind of edit it comes from, one of [`KINDS`] (what it is scored under).
    pub label: &'static str,
    /// The clause (or heading, for `renamed`) before; `None` for `added`.
    pub old: Option<String>,
    /// The clause (or heading) after; `None` for `removed`.
    pub new: Option<String>,
    /// The heading of the section holding the old clause (`None` for `added`,
    /// `renamed`, or text before the first heading); filled in once a pair is done.
    pub old_section: Option<String>,
    /// The same for the new clause.
    pub new_section: Option<String>,
}

/// An old/new pair of one policy and what a differ must report for it.
#[derive(Debug, Clone)]
pub struct Pair {
    pub id: usize,
    pub base: String,
    /// True for a cosmetic-only pair: nothing may be reported.
    pub cosmetic: bool,
    /// For a cosmetic-only pair, its kind (one of [`COSMETIC_KINDS`]); else "".
    pub cosmetic_kind: &'static str,
    /// `<br>` lines and a table of contents of the old side, in its Markdown and HTML.
    pub old_extras: Extras,
    /// The same for the new side.
    pub new_extras: Extras,
    /// What was done, for the verbose listing.
    pub what: Vec<String>,
    pub old_markdown: String,
    pub new_markdown: String,
    pub old: Document,
    pub new: Document,
    pub expected: Vec<Expected>,
    /// With `--html`: the old side's page, when the old side is HTML (then `old` is
    /// what the HTML normalizer makes of it, and `old_markdown` the Markdown it was
    /// rendered from).
    pub old_html: Option<String>,
    /// The same for the new side.
    pub new_html: Option<String>,
}

/// Reads the bases of a corpus directory: every `wayback-policies/*/*.princeton.md`
/// (Princeton's first line dropped) and the newest dated `.md` of every
/// `ota-histories/*/` document. Sorted by name, so runs are repeatable.
pub fn load_corpus(dir: &Path) -> std::io::Result<Vec<Base>> {
    let mut bases = Vec::new();
    for domain in sorted_dirs(&dir.join("wayback-policies"))? {
        for file in sorted_files(&domain)? {
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if !name.ends_with(".princeton.md") {
                continue;
            }
            let text = std::fs::read_to_string(&file)?;
            let markdown = match text.split_once('\n') {
                Some((first, rest)) if first.starts_with("> *The following text is extracted") => rest,
                _ => text.as_str(),
            };
            let domain_name =
                domain.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            bases.push(Base { name: format!("{domain_name}/{name}"), markdown: markdown.to_string() });
        }
    }
    for document in sorted_dirs(&dir.join("ota-histories"))? {
        // Versions are named by date, so the newest sorts last.
        let newest = sorted_files(&document)?.into_iter().rfind(|f| {
            f.extension().is_some_and(|e| e == "md")
                && f.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(|c: char| c.is_ascii_digit()))
        });
        if let Some(file) = newest {
            let doc_name = document.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let file_name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            bases.push(Base {
                name: format!("{doc_name}/{file_name}"),
                markdown: std::fs::read_to_string(&file)?,
            });
        }
    }
    Ok(bases)
}

fn sorted_dirs(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out: Vec<_> =
        std::fs::read_dir(dir)?.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_dir()).collect();
    out.sort();
    Ok(out)
}

fn sorted_files(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut out: Vec<_> =
        std::fs::read_dir(dir)?.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect();
    out.sort();
    Ok(out)
}

/// A base read to the fixed point of Markdown → Document → Markdown, so that both sides
/// of a pair go through the same reader in the same way. `None` when it never settles.
pub fn settle(markdown: &str) -> Option<Document> {
    let mut doc = normalize_markdown(markdown);
    for _ in 0..4 {
        let again = normalize_markdown(&self::markdown(&doc, &Extras::default()));
        if again == doc {
            return Some(doc);
        }
        doc = again;
    }
    None
}

/// Byte ranges of the sentences of a clean (single-spaced) text: a boundary is `.`, `!`
/// or `?` (closing quotes and brackets included), a space, then a capital or an opening
/// quote, unless the word before the full stop is an abbreviation or an initial.
pub fn split_sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if !matches!(c, '.' | '!' | '?') || i < start {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(n) = text[end..].chars().next() {
            if matches!(n, '"' | '\'' | '”' | '’' | ')') {
                end += n.len_utf8();
            } else {
                break;
            }
        }
        if !text[end..].starts_with(' ') {
            continue;
        }
        let Some(next) = text[end + 1..].chars().next() else { continue };
        if !(next.is_uppercase() || matches!(next, '"' | '“' | '(')) {
            continue;
        }
        if c == '.' && is_abbreviation(&text[start..i]) {
            continue;
        }
        out.push(start..end);
        start = end + 1;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

fn last_word(before: &str) -> &str {
    let word = before.rsplit(' ').next().unwrap_or("");
    word.trim_start_matches(|c: char| !c.is_alphanumeric())
}

fn is_abbreviation(before: &str) -> bool {
    const ABBREVIATIONS: [&str; 16] = [
        "Mr", "Mrs", "Ms", "Dr", "Inc", "Ltd", "Co", "Corp", "St", "No", "no", "vs", "etc", "Jr", "Sr", "Art",
    ];
    let w = last_word(before);
    w.chars().count() <= 1 || w.contains('.') || ABBREVIATIONS.contains(&w)
}

/// Whether a sentence is one clause beyond doubt: 6–60 words, no inner sentence
/// punctuation, no Markdown-active characters, ending in a full stop after a word that
/// is not an abbreviation (or, for a whole list item, in no punctuation at all).
fn is_plain_clause(s: &str, list_item: bool, hard: bool) -> bool {
    let words = s.split_whitespace().count();
    if !(6..=60).contains(&words) || !s.starts_with(|c: char| c.is_uppercase()) {
        return false;
    }
    if s.contains(['*', '_', '`', '[', ']', '<', '>', '|', '#', '\\', '~', '{', '}']) {
        return false;
    }
    let body = s.strip_suffix('.').unwrap_or(s);
    if hard {
        // Semicolons, colons and full stops that cannot end a sentence (`e.g. cookies`,
        // `Inc. and`, `example.com`, `3.5`) are allowed: a splitter must not cut there.
        let cuttable = body.match_indices('.').any(|(i, _)| {
            let rest = &body[i + 1..];
            rest.starts_with(' ') && !rest[1..].starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit())
        });
        if cuttable || body.contains(['!', '?']) {
            return false;
        }
    } else if body.contains(['.', '!', '?', ';', ':']) {
        return false;
    }
    if s.ends_with('.') {
        !is_abbreviation(body)
    } else {
        list_item && s.ends_with(|c: char| c.is_alphanumeric())
    }
}

/// Whether a clause holds a semicolon, a colon or a full stop before its end.
fn is_tricky(s: &str) -> bool {
    s.strip_suffix('.').unwrap_or(s).contains([';', ':', '.'])
}

/// A clause of the document that an edit can take.
#[derive(Debug, Clone)]
struct Slot {
    section: usize,
    block: usize,
    range: Range<usize>,
    text: String,
    /// The clause is the whole block.
    whole: bool,
}

fn block_text_mut(block: &mut Block) -> Option<&mut String> {
    match block {
        Block::Paragraph { text } | Block::ListItem { text, .. } => Some(text),
        _ => None,
    }
}

/// Normalized text of every clause of the document, counted.
fn clause_counts(doc: &Document) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for block in doc.blocks() {
        let text = block.text();
        for r in split_sentences(&text) {
            *counts.entry(norm(&text[r])).or_insert(0) += 1;
        }
    }
    counts
}

/// Clauses an edit may take: plain, unique in the document, not the text of an earlier
/// edit (a sentence next to one may be edited too), in a section with a heading.
fn slots(doc: &Document, touched: &[String], hard: bool) -> Vec<Slot> {
    let counts = clause_counts(doc);
    let mut out = Vec::new();
    for (si, section) in doc.sections.iter().enumerate() {
        if section.heading.is_none() {
            continue;
        }
        for (bi, block) in section.blocks.iter().enumerate() {
            let (text, list_item) = match block {
                Block::Paragraph { text } => (text, false),
                Block::ListItem { text, .. } => (text, true),
                _ => continue,
            };
            let ranges = split_sentences(text);
            if list_item && ranges.len() != 1 {
                continue;
            }
            for (k, r) in ranges.iter().enumerate() {
                let s = &text[r.clone()];
                // The sentence before must end cleanly too, or a differ may not split there.
                let clean_start = k == 0 || {
                    let prev = &text[ranges[k - 1].clone()];
                    prev.ends_with('.') && !is_abbreviation(prev.trim_end_matches('.'))
                };
                let key = norm(s);
                if clean_start
                    && is_plain_clause(s, list_item, hard)
                    && counts.get(&key) == Some(&1)
                    && !touched.contains(&key)
                {
                    out.push(Slot {
                        section: si,
                        block: bi,
                        range: r.clone(),
                        text: s.to_string(),
                        whole: ranges.len() == 1,
                    });
                }
            }
        }
    }
    out
}

/// Plain sentences of a base, for other bases to borrow as added text.
pub fn donor_sentences(doc: &Document) -> Vec<String> {
    slots(doc, &[], false).into_iter().filter(|s| s.text.ends_with('.')).map(|s| s.text).collect()
}

/// Removes a clause; a clause that is its whole block removes the block.
fn cut(doc: &mut Document, slot: &Slot) -> bool {
    let section = &mut doc.sections[slot.section];
    if slot.whole {
        if section.blocks.len() < 2 {
            return false;
        }
        section.blocks.remove(slot.block);
        return true;
    }
    let Some(text) = block_text_mut(&mut section.blocks[slot.block]) else { return false };
    let new = if slot.range.end >= text.len() {
        text[..slot.range.start].trim_end().to_string()
    } else {
        format!("{}{}", &text[..slot.range.start], &text[slot.range.end + 1..])
    };
    *text = new;
    true
}

/// Inserts a sentence into a paragraph of the blocks, after one of its sentences that
/// ends cleanly (so any splitter starts a new sentence there).
fn insert_into_paragraph(blocks: &mut [Block], sentence: &str, rng: &mut StdRng) -> Option<()> {
    let paragraphs: Vec<usize> =
        (0..blocks.len()).filter(|&i| matches!(blocks[i], Block::Paragraph { .. })).collect();
    let bi = *paragraphs.choose(rng)?;
    let text = block_text_mut(&mut blocks[bi])?;
    let ranges = split_sentences(text);
    let r = ranges.choose(rng)?.clone();
    let prev = &text[r.clone()];
    if !prev.ends_with('.') || is_abbreviation(prev.trim_end_matches('.')) {
        return None;
    }
    *text = if r.end >= text.len() {
        format!("{text} {sentence}")
    } else {
        format!("{} {} {}", &text[..r.end], sentence, &text[r.end + 1..])
    };
    Some(())
}

/// Positions in a section where a new paragraph can go without splitting a list.
fn paragraph_positions(blocks: &[Block]) -> Vec<usize> {
    let is_list = |b: &Block| matches!(b, Block::ListItem { .. } | Block::TableRow { .. });
    (0..=blocks.len())
        .filter(|&i| i == 0 || i == blocks.len() || !(is_list(&blocks[i - 1]) && is_list(&blocks[i])))
        .collect()
}

/// Sections that can receive text: headed, not the title, holding some text.
fn headed_sections(doc: &Document) -> Vec<usize> {
    doc.sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.heading.is_some() && s.level >= 2 && !s.blocks.is_empty())
        .map(|(i, _)| i)
        .collect()
}

/// Word and phrase swaps for `reworded` (whole words, first occurrence).
const SWAPS: [(&str, &str); 22] = [
    ("may", "will"),
    ("will", "may"),
    ("third parties", "our partners"),
    ("third party", "partner"),
    ("personal information", "personal data"),
    ("personal data", "personal information"),
    ("collect", "gather"),
    ("share", "disclose"),
    ("must", "should"),
    ("all", "some"),
    ("not", "never"),
    ("never", "not"),
    ("sell", "rent"),
    ("you", "users"),
    ("we", "we and our affiliates"),
    ("our", "the Company's"),
    ("can", "cannot"),
    ("only", "also"),
    ("reasonable", "appropriate"),
    ("information", "data"),
    ("use", "process"),
    ("request", "demand"),
];

/// Qualifiers inserted before the final full stop for `reworded`.
const QUALIFIERS: [&str; 6] = [
    " without your consent",
    " at any time",
    " from time to time",
    " where required by law",
    " in our sole discretion",
    " unless you object",
];

fn replace_word(s: &str, from: &str, to: &str) -> Option<String> {
    let mut search = 0;
    while let Some(pos) = s[search..].find(from).map(|p| p + search) {
        let before_ok = s[..pos].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let end = pos + from.len();
        let after_ok = s[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return Some(format!("{}{}{}", &s[..pos], to, &s[end..]));
        }
        search = end;
    }
    None
}

/// The possible rewordings of a sentence: [`word_changes`], or a qualifier before its
/// full stop.
pub fn rewordings(s: &str) -> Vec<String> {
    let mut out = word_changes(s);
    if let Some(body) = s.strip_suffix('.') {
        for q in QUALIFIERS {
            out.push(format!("{body}{q}."));
        }
    }
    out
}

/// A word or phrase swapped, or a number changed.
pub fn word_changes(s: &str) -> Vec<String> {
    let mut out: Vec<String> = SWAPS.iter().filter_map(|(from, to)| replace_word(s, from, to)).collect();
    // A number: 30 → 90, 13 → 16.
    if let Some((start, len)) = first_number(s) {
        if let Ok(n) = s[start..start + len].parse::<u64>() {
            let m = match n {
                0 => 1,
                13 => 16,
                30 => 90,
                n if n < 1000 => n * 3,
                n => n + 1,
            };
            out.push(format!("{}{}{}", &s[..start], m, &s[start + len..]));
        }
    }
    out
}

fn first_number(s: &str) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    let start = bytes.iter().position(u8::is_ascii_digit)?;
    let len = bytes[start..].iter().take_while(|b| b.is_ascii_digit()).count();
    // A number glued to a word, a date, a decimal or a list of numbers is left alone.
    let glued = |b: Option<&u8>| {
        b.is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b',' | b'/' | b'-' | b':'))
    };
    let before = start.checked_sub(1).and_then(|i| bytes.get(i));
    let after = bytes.get(start + len);
    let decimal = after == Some(&b'.') && bytes.get(start + len + 1).is_some_and(u8::is_ascii_digit);
    if len > 4 || glued(before) || before == Some(&b'.') || glued(after) || decimal {
        return None;
    }
    Some((start, len))
}

/// Renamed headings: a word swap, else a suffix.
fn rename(heading: &str, rng: &mut StdRng) -> String {
    const HEADING_SWAPS: [(&str, &str); 8] = [
        ("Information", "Data"),
        ("Data", "Information"),
        ("Cookies", "Cookies and Similar Technologies"),
        ("Policy", "Notice"),
        ("Use", "Processing"),
        ("Collect", "Gather"),
        ("Rights", "Choices"),
        ("Security", "Safeguards"),
    ];
    let swaps: Vec<String> = HEADING_SWAPS
        .iter()
        .flat_map(|(from, to)| {
            [replace_word(heading, from, to), replace_word(heading, &from.to_uppercase(), &to.to_uppercase())]
        })
        .flatten()
        .collect();
    if let Some(s) = swaps.choose(rng) {
        return s.clone();
    }
    const SUFFIXES: [&str; 3] = [" and Your Choices", " in Detail", " for Users"];
    let suffix = SUFFIXES[rng.gen_range(0..SUFFIXES.len())];
    let trimmed = heading.trim_end_matches(['.', ':']);
    let tail = &heading[trimmed.len()..];
    let letters: Vec<char> = trimmed.chars().filter(|c| c.is_alphabetic()).collect();
    let suffix = if !letters.is_empty() && letters.iter().all(|c| c.is_uppercase()) {
        suffix.to_uppercase()
    } else {
        suffix.to_string()
    };
    format!("{trimmed}{suffix}{tail}")
}

/// Whether a block holds the clause: a table row as a whole, any other block as one of
/// its sentences (or as a whole).
fn block_has(b: &Block, clause: &str) -> bool {
    let text = b.text();
    match b {
        Block::TableRow { .. } => text == clause,
        _ => split_sentences(&text).into_iter().any(|r| text[r] == *clause),
    }
}

/// The clauses a differ sees in an expected text: a table row is one; a split or merged
/// text is its sentences.
fn parts(e: &Expected, text: &str) -> Vec<String> {
    // A table row's text has its cells joined by ` | ` (never in a plain sentence).
    if e.label == "table row" || text.contains(" | ") {
        return vec![text.to_string()];
    }
    split_sentences(text).into_iter().map(|r| text[r].to_string()).collect()
}

/// Whether the clause is a sentence of some block of the document (or a whole block).
fn has_clause(doc: &Document, clause: &str) -> bool {
    doc.blocks().any(|b| block_has(b, clause))
}

/// The heading of the section where a clause is a sentence of a block.
fn section_of(doc: &Document, clause: &str) -> Option<String> {
    doc.sections
        .iter()
        .find(|s| s.blocks.iter().any(|b| block_has(b, clause)))
        .and_then(|s| s.heading.clone())
}

/// Whether the sentence before a boundary ends it beyond doubt for any splitter: a full
/// stop after a lower-case word or a number (never `Inc.`, `Sec.`, `U.S.`, an initial).
fn ends_cleanly(sentence: &str) -> bool {
    let Some(body) = sentence.strip_suffix('.') else { return false };
    let w = last_word(body);
    w.len() >= 2 && w.chars().all(|c| c.is_lowercase() || c.is_ascii_digit())
}

/// The sentences of a paragraph when every boundary between them is clean and none
/// holds a full stop another splitter could cut at (`None` otherwise).
fn clean_sentences(text: &str) -> Option<Vec<String>> {
    let ranges = split_sentences(text);
    let sentences: Vec<String> = ranges.into_iter().map(|r| text[r].to_string()).collect();
    let inner_ok = |s: &str| {
        let body = s.strip_suffix(['.', '!', '?']).unwrap_or(s);
        !body.contains(['!', '?'])
            && !body.match_indices('.').any(|(i, _)| {
                let rest = &body[i + 1..];
                rest.starts_with(' ')
                    && !rest[1..].starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit())
            })
    };
    let ok = sentences.iter().all(|s| inner_ok(s))
        && sentences[..sentences.len().saturating_sub(1)].iter().all(|s| ends_cleanly(s));
    ok.then_some(sentences)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn expect(kind: &'static str, label: &'static str, old: Option<String>, new: Option<String>) -> Expected {
    Expected { kind, label, old, new, old_section: None, new_section: None }
}

/// Puts a sentence into section `to`: after a sentence of one of its paragraphs (half
/// the time) or as a paragraph of its own. True when it joined a paragraph.
fn place(doc: &mut Document, to: usize, text: &str, rng: &mut StdRng) -> Option<bool> {
    let blocks = &mut doc.sections[to].blocks;
    let joined = rng.gen_bool(0.5) && insert_into_paragraph(blocks, text, rng).is_some();
    if !joined {
        let at = *paragraph_positions(blocks).choose(rng)?;
        blocks.insert(at, Block::paragraph(text.to_string()));
    }
    Some(joined)
}

/// Paragraphs that can be written as `<br>` lines: 2–6 sentences, every boundary clean.
/// (section, block, the sentences).
fn br_paragraphs(doc: &Document) -> Vec<(usize, usize, Vec<String>)> {
    let mut out = Vec::new();
    for (si, section) in doc.sections.iter().enumerate() {
        for (bi, block) in section.blocks.iter().enumerate() {
            let Block::Paragraph { text } = block else { continue };
            if let Some(lines) = clean_sentences(text).filter(|l| (2..=6).contains(&l.len())) {
                out.push((si, bi, lines));
            }
        }
    }
    out
}

/// The Document with paragraph `bi` of section `si` made one paragraph per line, as a
/// reader reads the lines written with `<br>` between them.
fn split_lines(doc: &Document, si: usize, bi: usize, lines: &[String]) -> Document {
    let mut doc = doc.clone();
    let blocks = &mut doc.sections[si].blocks;
    blocks.remove(bi);
    for (k, line) in lines.iter().enumerate() {
        blocks.insert(bi + k, Block::paragraph(line.clone()));
    }
    doc
}

/// Table cells that can be written as `<br>` lines: 2–6 clean sentences, in a row whose
/// label (first cell) is unique. (section, block, cell, the sentences).
fn br_cells(doc: &Document) -> Vec<(usize, usize, usize, Vec<String>)> {
    let mut out = Vec::new();
    for (si, bi, cells) in uniquely_labelled_rows(doc) {
        for (ci, cell) in cells.iter().enumerate().skip(1) {
            if let Some(lines) = clean_sentences(cell).filter(|l| (2..=6).contains(&l.len())) {
                out.push((si, bi, ci, lines));
            }
        }
    }
    out
}

/// The table rows whose label (first cell, normalized) is not empty and no other row's:
/// (section, block, cells), in document order. Such a row pairs with itself after an edit.
fn uniquely_labelled_rows(doc: &Document) -> Vec<(usize, usize, &Vec<String>)> {
    let label = |cells: &[String]| norm(cells.first().map(String::as_str).unwrap_or(""));
    let mut labels: HashMap<String, usize> = HashMap::new();
    for b in doc.blocks() {
        if let Block::TableRow { cells } = b {
            *labels.entry(label(cells)).or_insert(0) += 1;
        }
    }
    let mut out = Vec::new();
    for (si, section) in doc.sections.iter().enumerate() {
        for (bi, block) in section.blocks.iter().enumerate() {
            let Block::TableRow { cells } = block else { continue };
            let l = label(cells);
            if !l.is_empty() && labels.get(&l) == Some(&1) {
                out.push((si, bi, cells));
            }
        }
    }
    out
}

/// The `br line` edit in a table cell: one line of a cell written with `<br>`s reworded;
/// the row is the clause that changes. Returns (new, the cell, expected, what was done).
fn br_cell_edit(
    doc: &Document,
    hard: bool,
    rng: &mut StdRng,
) -> Option<(Document, CellBr, Expected, String)> {
    let (si, bi, ci, lines) = br_cells(doc).choose(rng)?.clone();
    let k = rng.gen_range(0..lines.len());
    let options: Vec<String> = rewordings(&lines[k])
        .into_iter()
        .filter(|r| clean_sentences(r).is_some_and(|l| l.len() == 1))
        .collect();
    let new_line = options.choose(rng)?.clone();
    let Block::TableRow { cells } = &doc.sections[si].blocks[bi] else { return None };
    let old_row = cells.join(" | ");
    let mut new_cells = cells.clone();
    let mut new_lines = lines.clone();
    new_lines[k] = new_line.clone();
    new_cells[ci] = new_lines.join(" ");
    let new_row = new_cells.join(" | ");
    let mut new = doc.clone();
    new.sections[si].blocks[bi] = Block::TableRow { cells: new_cells };
    let _ = hard;
    let cell = CellBr { section: si, block: bi, cell: ci, sep: rng.gen_range(0..CELL_BR_SEPS.len()) };
    let what = format!(
        "<br> lines ({}) in a table cell, line {} reworded {:?} -> {:?}",
        lines.len(),
        k + 1,
        lines[k],
        new_line
    );
    Some((new, cell, expect("reworded", "br line", Some(old_row), Some(new_row)), what))
}

/// A `br line` edit: a paragraph of the base written as `<br>` lines on both sides, one
/// of its lines reworded. Returns (old, new, the lines, what is expected, what was done).
#[allow(clippy::type_complexity)]
fn br_edit(
    doc: &Document,
    hard: bool,
    rng: &mut StdRng,
) -> Option<(Document, Document, BrLines, Expected, String)> {
    let counts = clause_counts(doc);
    let candidates: Vec<_> = br_paragraphs(doc)
        .into_iter()
        .filter(|(si, _, _)| doc.sections[*si].heading.is_some())
        .flat_map(|(si, bi, lines)| {
            let plain: Vec<usize> = (0..lines.len())
                .filter(|&k| {
                    is_plain_clause(&lines[k], false, hard) && counts.get(&norm(&lines[k])) == Some(&1)
                })
                .collect();
            plain.into_iter().map(move |k| (si, bi, lines.clone(), k))
        })
        .collect();
    let (si, bi, lines, k) = candidates.choose(rng)?.clone();
    let options: Vec<String> = rewordings(&lines[k])
        .into_iter()
        .filter(|r| is_plain_clause(r, false, hard) && !counts.contains_key(&norm(r)))
        .collect();
    let new_line = options.choose(rng)?.clone();
    let old = split_lines(doc, si, bi, &lines);
    let mut new_lines = lines.clone();
    new_lines[k] = new_line.clone();
    let new = split_lines(doc, si, bi, &new_lines);
    let br = BrLines { section: si, start: bi, count: lines.len(), sep: rng.gen_range(0..BR_SEPS.len()) };
    let what =
        format!("<br> lines ({}), line {} reworded {:?} -> {:?}", lines.len(), k + 1, lines[k], new_line);
    Some((old, new, br, expect("reworded", "br line", Some(lines[k].clone()), Some(new_line)), what))
}

/// Words that can start a sentence joined to the one before by `, and` (lower-cased),
/// or one split off a sentence at `, and`/`;` (capitalized).
const JOINABLE: [&str; 22] = [
    "We", "You", "Our", "Your", "This", "These", "It", "They", "The", "If", "When", "Any", "All", "Some",
    "In", "For", "Such", "Each", "There", "That", "Those", "Where",
];

/// Tries one edit of the given kind; returns what it expects of the differ.
fn try_edit(
    kind: &'static str,
    doc: &mut Document,
    touched: &[String],
    donors: &[String],
    hard: bool,
    rng: &mut StdRng,
) -> Option<(Vec<Expected>, String)> {
    let mut slots = slots(doc, touched, hard);
    // In hard mode most edits take a clause a splitter could get wrong, when there is one.
    let tricky: Vec<Slot> = slots.iter().filter(|s| is_tricky(&s.text)).cloned().collect();
    if hard && !tricky.is_empty() && rng.gen_bool(0.7) {
        slots = tricky;
    }
    match kind {
        "removed" => {
            let slot = slots.choose(rng)?.clone();
            if !cut(doc, &slot) {
                return None;
            }
            let what = format!("removed {:?}", slot.text);
            Some((
                vec![Expected {
                    kind,
                    label: kind,
                    old: Some(slot.text),
                    new: None,
                    old_section: None,
                    new_section: None,
                }],
                what,
            ))
        }
        "reworded" => {
            let slot = slots.choose(rng)?.clone();
            let counts = clause_counts(doc);
            let options: Vec<String> = rewordings(&slot.text)
                .into_iter()
                .filter(|r| {
                    is_plain_clause(r, !slot.text.ends_with('.'), hard) && !counts.contains_key(&norm(r))
                })
                .collect();
            let mut new = options.choose(rng)?.clone();
            // Now and then two changes in one longer sentence (a swap and a qualifier, …).
            if slot.text.split_whitespace().count() >= 10 && rng.gen_bool(0.3) {
                let second: Vec<String> = rewordings(&new)
                    .into_iter()
                    .filter(|r| {
                        *r != slot.text
                            && is_plain_clause(r, !slot.text.ends_with('.'), hard)
                            && !counts.contains_key(&norm(r))
                            && !options.contains(r)
                    })
                    .collect();
                if let Some(r) = second.choose(rng) {
                    new = r.clone();
                }
            }
            let text = block_text_mut(&mut doc.sections[slot.section].blocks[slot.block])?;
            *text = format!("{}{}{}", &text[..slot.range.start], new, &text[slot.range.end..]);
            let what = format!("reworded {:?} -> {:?}", slot.text, new);
            Some((
                vec![Expected {
                    kind,
                    label: kind,
                    old: Some(slot.text),
                    new: Some(new),
                    old_section: None,
                    new_section: None,
                }],
                what,
            ))
        }
        "added" => {
            let counts = clause_counts(doc);
            let sentence = donors.choose(rng)?.clone();
            if counts.contains_key(&norm(&sentence)) {
                return None;
            }
            let sections = headed_sections(doc);
            let si = *sections.choose(rng)?;
            let blocks = &mut doc.sections[si].blocks;
            match rng.gen_range(0..3) {
                // Into a paragraph, after one of its sentences.
                0 => insert_into_paragraph(blocks, &sentence, rng)?,
                // A new list item after an existing one.
                1 => {
                    let items: Vec<usize> =
                        (0..blocks.len()).filter(|&i| matches!(blocks[i], Block::ListItem { .. })).collect();
                    let bi = *items.choose(rng)?;
                    let Block::ListItem { depth, ordered, .. } = blocks[bi] else { return None };
                    blocks.insert(bi + 1, Block::ListItem { text: sentence.clone(), depth, ordered });
                }
                // A new paragraph.
                _ => {
                    let at = *paragraph_positions(blocks).choose(rng)?;
                    blocks.insert(at, Block::paragraph(sentence.clone()));
                }
            }
            let what =
                format!("added {:?} in {:?}", sentence, doc.sections[si].heading.as_deref().unwrap_or(""));
            Some((
                vec![Expected {
                    kind,
                    label: kind,
                    old: None,
                    new: Some(sentence),
                    old_section: None,
                    new_section: None,
                }],
                what,
            ))
        }
        "moved" if rng.gen_bool(0.4) => move_paragraph(doc, touched, hard, rng),
        "moved" => {
            let slot = slots
                .iter()
                .filter(|s| s.text.ends_with('.'))
                .collect::<Vec<_>>()
                .choose(rng)
                .cloned()?
                .clone();
            let from = doc.sections[slot.section].heading.clone();
            let targets: Vec<usize> =
                headed_sections(doc).into_iter().filter(|&i| doc.sections[i].heading != from).collect();
            let to = *targets.choose(rng)?;
            if !cut(doc, &slot) {
                return None;
            }
            // Half the moved sentences join a paragraph there, half stand alone.
            let joined = place(doc, to, &slot.text, rng)?;
            let what = format!(
                "moved {:?} from {:?} to {:?}{}",
                slot.text,
                from.unwrap_or_default(),
                doc.sections[to].heading.as_deref().unwrap_or(""),
                if joined { ", into a paragraph" } else { "" }
            );
            Some((
                vec![Expected {
                    kind,
                    label: kind,
                    old: Some(slot.text.clone()),
                    new: Some(slot.text),
                    old_section: None,
                    new_section: None,
                }],
                what,
            ))
        }
        "renamed" => {
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for s in &doc.sections {
                *seen.entry(s.heading.as_deref().unwrap_or("")).or_insert(0) += 1;
            }
            let candidates: Vec<usize> = headed_sections(doc)
                .into_iter()
                .filter(|&i| {
                    let s = &doc.sections[i];
                    let heading = s.heading.as_deref().unwrap_or("");
                    let words: usize = s.blocks.iter().map(|b| b.text().split_whitespace().count()).sum();
                    seen.get(heading) == Some(&1)
                        && words >= 12
                        && heading.chars().any(char::is_alphabetic)
                        && !touched.contains(&norm(heading))
                        && Some(heading) != doc.title.as_deref()
                })
                .collect();
            let si = *candidates.choose(rng)?;
            let old = doc.sections[si].heading.clone()?;
            let new = rename(&old, rng);
            if seen.contains_key(new.as_str()) {
                return None;
            }
            // The path of this section and of every section under it changes with it.
            let level = doc.sections[si].level;
            let depth = doc.sections[si].path.len().saturating_sub(1);
            doc.sections[si].heading = Some(new.clone());
            for j in si..doc.sections.len() {
                if j > si && doc.sections[j].level <= level {
                    break;
                }
                if let Some(p) = doc.sections[j].path.get_mut(depth) {
                    *p = new.clone();
                }
            }
            let what = format!("renamed {old:?} -> {new:?}");
            Some((
                vec![Expected {
                    kind,
                    label: kind,
                    old: Some(old),
                    new: Some(new),
                    old_section: None,
                    new_section: None,
                }],
                what,
            ))
        }
        "moved+reworded" => {
            let counts = clause_counts(doc);
            let slot = slots
                .iter()
                .filter(|s| s.text.ends_with('.'))
                .collect::<Vec<_>>()
                .choose(rng)
                .cloned()?
                .clone();
            // One change, or two in three of ten sentences of 10+ words, as for `reworded`.
            let fits = |r: &String| is_plain_clause(r, false, hard) && !counts.contains_key(&norm(r));
            let options: Vec<String> = rewordings(&slot.text).into_iter().filter(fits).collect();
            let mut new = options.choose(rng)?.clone();
            if slot.text.split_whitespace().count() >= 10 && rng.gen_bool(0.3) {
                let second: Vec<String> = rewordings(&new)
                    .into_iter()
                    .filter(|r| *r != slot.text && fits(r) && !options.contains(r))
                    .collect();
                if let Some(r) = second.choose(rng) {
                    new = r.clone();
                }
            }
            let from = doc.sections[slot.section].heading.clone();
            let targets: Vec<usize> =
                headed_sections(doc).into_iter().filter(|&i| doc.sections[i].heading != from).collect();
            let to = *targets.choose(rng)?;
            if !cut(doc, &slot) {
                return None;
            }
            let joined = place(doc, to, &new, rng)?;
            let what = format!(
                "moved and reworded {:?} -> {:?} from {:?} to {:?}{}",
                slot.text,
                new,
                from.unwrap_or_default(),
                doc.sections[to].heading.as_deref().unwrap_or(""),
                if joined { ", into a paragraph" } else { "" }
            );
            Some((vec![expect("moved", kind, Some(slot.text), Some(new))], what))
        }
        "split" => {
            let counts = clause_counts(doc);
            let mut options = Vec::new();
            for slot in slots.iter().filter(|s| s.text.ends_with('.')) {
                for (sep, lead) in [(", and ", ""), (", but ", "But "), (", so ", "So "), ("; ", "")] {
                    let Some(pos) = slot.text.find(sep) else { continue };
                    let (a, b) = (&slot.text[..pos], &slot.text[pos + sep.len()..]);
                    if a.split_whitespace().count() < 4 || b.split_whitespace().count() < 4 {
                        continue;
                    }
                    // What follows `, and` or `;` must be able to start a sentence.
                    let subject = capitalize(b.split(' ').next().unwrap_or(""));
                    if lead.is_empty() && !JOINABLE.contains(&subject.as_str()) {
                        continue;
                    }
                    let second = if lead.is_empty() { capitalize(b) } else { format!("{lead}{b}") };
                    let first = format!("{a}.");
                    if !ends_cleanly(&first)
                        || counts.contains_key(&norm(&first))
                        || counts.contains_key(&norm(&second))
                    {
                        continue;
                    }
                    options.push((slot.clone(), format!("{first} {second}")));
                }
            }
            let (slot, new) = options.choose(rng)?.clone();
            let text = block_text_mut(&mut doc.sections[slot.section].blocks[slot.block])?;
            *text = format!("{}{}{}", &text[..slot.range.start], new, &text[slot.range.end..]);
            let what = format!("split {:?} -> {:?}", slot.text, new);
            Some((vec![expect("reworded", kind, Some(slot.text), Some(new))], what))
        }
        "merged" => {
            let counts = clause_counts(doc);
            let mut options = Vec::new();
            for w in slots.windows(2) {
                let (a, b) = (&w[0], &w[1]);
                let neighbours =
                    a.section == b.section && a.block == b.block && a.range.end + 1 == b.range.start;
                if !neighbours || !ends_cleanly(&a.text) || !b.text.ends_with('.') {
                    continue;
                }
                let body = &a.text[..a.text.len() - 1];
                let first_word = b.text.split(' ').next().unwrap_or("");
                let merged = if JOINABLE.contains(&first_word) {
                    format!("{body}, and {}", lowercase_first(&b.text))
                } else {
                    format!("{body}; {}", b.text)
                };
                if !counts.contains_key(&norm(&merged)) {
                    options.push((a.clone(), b.clone(), merged));
                }
            }
            let (a, b, merged) = options.choose(rng)?.clone();
            let text = block_text_mut(&mut doc.sections[a.section].blocks[a.block])?;
            *text = format!("{}{}{}", &text[..a.range.start], merged, &text[b.range.end..]);
            let old = format!("{} {}", a.text, b.text);
            let what = format!("merged {old:?} -> {merged:?}");
            Some((vec![expect("reworded", kind, Some(old), Some(merged))], what))
        }
        "table row" => {
            let mut texts: HashMap<String, usize> = HashMap::new();
            for b in doc.blocks() {
                if let Block::TableRow { .. } = b {
                    *texts.entry(norm(&b.text())).or_insert(0) += 1;
                }
            }
            let mut options = Vec::new();
            for (si, bi, cells) in uniquely_labelled_rows(doc) {
                let row = doc.sections[si].blocks[bi].text();
                if cells.len() < 2 || touched.contains(&norm(&row)) {
                    continue;
                }
                for (ci, cell) in cells.iter().enumerate().skip(1) {
                    for changed in word_changes(cell) {
                        let mut new_cells = cells.clone();
                        new_cells[ci] = changed;
                        let new_row = new_cells.join(" | ");
                        if !texts.contains_key(&norm(&new_row)) {
                            options.push((si, bi, row.to_string(), new_cells, new_row));
                        }
                    }
                }
            }
            let (si, bi, old, new_cells, new) = options.choose(rng)?.clone();
            doc.sections[si].blocks[bi] = Block::TableRow { cells: new_cells };
            let what = format!("table row changed {old:?} -> {new:?}");
            Some((vec![expect("reworded", kind, Some(old), Some(new))], what))
        }
        "heading deleted" => {
            let counts = clause_counts(doc);
            let mut headings: HashMap<&str, usize> = HashMap::new();
            for s in &doc.sections {
                *headings.entry(s.heading.as_deref().unwrap_or("")).or_insert(0) += 1;
            }
            let mut candidates = Vec::new();
            for si in 1..doc.sections.len() {
                let s = &doc.sections[si];
                let Some(heading) = s.heading.as_deref() else { continue };
                let leaf = doc.sections.get(si + 1).is_none_or(|n| n.level <= s.level);
                if s.level < 2
                    || !leaf
                    || headings.get(heading) != Some(&1)
                    || Some(heading) == doc.title.as_deref()
                    || touched.contains(&norm(heading))
                    || s.blocks.is_empty()
                {
                    continue;
                }
                // Every clause of the section, as any splitter cuts it.
                let mut clauses = Vec::new();
                let mut ok = true;
                for b in &s.blocks {
                    match b {
                        Block::ListItem { text, .. } => clauses.push(text.clone()),
                        Block::Paragraph { text } => match clean_sentences(text) {
                            Some(sentences) => clauses.extend(sentences),
                            None => ok = false,
                        },
                        _ => ok = false,
                    }
                }
                let unique = clauses.iter().all(|c| {
                    let key = norm(c);
                    counts.get(&key) == Some(&1)
                        && !touched.contains(&key)
                        && c.split_whitespace().count() >= 2
                });
                if ok && unique && (1..=6).contains(&clauses.len()) {
                    candidates.push((si, clauses));
                }
            }
            let (si, clauses) = candidates.choose(rng)?.clone();
            let removed = doc.sections.remove(si);
            let prev = &mut doc.sections[si - 1];
            let into = prev.heading.clone().unwrap_or_default();
            if touched.contains(&norm(&into)) {
                return None;
            }
            prev.blocks.extend(removed.blocks);
            let heading = removed.heading.unwrap_or_default();
            let what = format!("heading {heading:?} deleted: its {} clauses join {into:?}", clauses.len());
            // Its clauses stay in place: the section merged into the one before, no move.
            Some((vec![expect("section merged", kind, Some(heading), Some(into))], what))
        }
        "heading inserted" => {
            let counts = clause_counts(doc);
            let taken = |h: &str| {
                doc.sections.iter().any(|s| s.heading.as_deref().map(norm) == Some(norm(h)))
                    || counts.contains_key(&norm(h))
                    || touched.contains(&norm(h))
            };
            let fresh: Vec<&str> = INSERTED_HEADINGS.iter().copied().filter(|h| !taken(h)).collect();
            let heading = fresh.choose(rng)?.to_string();
            // A block after the first of a leaf section, the blocks from it on plain
            // sentences or list items, each clause unique and untouched.
            let mut candidates = Vec::new();
            for (si, s) in doc.sections.iter().enumerate() {
                let Some(h) = s.heading.as_deref() else { continue };
                let leaf = doc.sections.get(si + 1).is_none_or(|n| n.level <= s.level);
                if s.level < 1 || s.level > 5 || !leaf || touched.contains(&norm(h)) || s.blocks.len() < 2 {
                    continue;
                }
                for bi in 1..s.blocks.len() {
                    let mut clauses = Vec::new();
                    let ok = s.blocks[bi..].iter().all(|b| match b {
                        Block::ListItem { text, depth: 0, .. } => {
                            clauses.push(text.clone());
                            true
                        }
                        Block::Paragraph { text } => {
                            clean_sentences(text).map(|c| clauses.extend(c)).is_some()
                        }
                        _ => false,
                    });
                    let unique = clauses.iter().all(|c| {
                        let key = norm(c);
                        counts.get(&key) == Some(&1)
                            && !touched.contains(&key)
                            && c.split_whitespace().count() >= 2
                    });
                    // Not inside a list: a heading there would end it.
                    let after_list = matches!(s.blocks[bi - 1], Block::ListItem { .. })
                        && matches!(s.blocks[bi], Block::ListItem { .. });
                    if ok && unique && !after_list && (1..=6).contains(&clauses.len()) {
                        candidates.push((si, bi, clauses.len()));
                    }
                }
            }
            let (si, bi, n) = *candidates.choose(rng)?;
            let from = doc.sections[si].heading.clone().unwrap_or_default();
            let tail = doc.sections[si].blocks.split_off(bi);
            let mut path = doc.sections[si].path.clone();
            path.push(heading.clone());
            let level = doc.sections[si].level + 1;
            doc.sections.insert(
                si + 1,
                policydiff::document::Section { heading: Some(heading.clone()), level, path, blocks: tail },
            );
            let what = format!("heading {heading:?} inserted in {from:?} above its last {n} clauses");
            Some((vec![expect("section split", kind, Some(from), Some(heading))], what))
        }
        _ => None,
    }
}

/// Moves a whole paragraph of two to four plain sentences to another section: each
/// sentence is a moved clause.
fn move_paragraph(
    doc: &mut Document,
    touched: &[String],
    hard: bool,
    rng: &mut StdRng,
) -> Option<(Vec<Expected>, String)> {
    let counts = clause_counts(doc);
    let mut candidates = Vec::new();
    for (si, section) in doc.sections.iter().enumerate() {
        if section.heading.is_none() || section.blocks.len() < 2 {
            continue;
        }
        for (bi, block) in section.blocks.iter().enumerate() {
            let Block::Paragraph { text } = block else { continue };
            let sentences: Vec<&str> = split_sentences(text).into_iter().map(|r| &text[r]).collect();
            let plain = (2..=4).contains(&sentences.len())
                && sentences.iter().all(|s| {
                    let key = norm(s);
                    s.ends_with('.')
                        && is_plain_clause(s, false, hard)
                        && counts.get(&key) == Some(&1)
                        && !touched.contains(&key)
                });
            if plain {
                candidates.push((si, bi, sentences.iter().map(|s| s.to_string()).collect::<Vec<_>>()));
            }
        }
    }
    let (si, bi, sentences) = candidates.choose(rng)?.clone();
    let from = doc.sections[si].heading.clone();
    let targets: Vec<usize> =
        headed_sections(doc).into_iter().filter(|&i| doc.sections[i].heading != from).collect();
    let to = *targets.choose(rng)?;
    let block = doc.sections[si].blocks.remove(bi);
    let blocks = &mut doc.sections[to].blocks;
    let at = *paragraph_positions(blocks).choose(rng)?;
    blocks.insert(at, block);
    let what = format!(
        "moved paragraph of {} sentences from {:?} to {:?}: {:?}",
        sentences.len(),
        from.unwrap_or_default(),
        doc.sections[to].heading.as_deref().unwrap_or(""),
        sentences.join(" ")
    );
    let expected = sentences
        .into_iter()
        .map(|s| Expected {
            kind: "moved",
            label: "moved",
            old: Some(s.clone()),
            new: Some(s),
            old_section: None,
            new_section: None,
        })
        .collect();
    Some((expected, what))
}

/// Whether an expected change is visible as such: its old clause a sentence of the old
/// document only, its new clause one of the new document only (both, for a move).
fn findable(e: &Expected, old: &Document, new: &Document) -> bool {
    // A split or merged text is findable when each of its sentences is.
    let all_in = |doc: &Document, c: &str| parts(e, c).iter().all(|p| has_clause(doc, p));
    // Merged sentences were neighbours in the old version, and split ones are neighbours
    // in the new one: nothing removed or added between them (that would be a rewording
    // of three clauses, not two).
    let together = |doc: &Document, c: &Option<String>| {
        c.as_deref().is_some_and(|c| doc.blocks().any(|b| b.text().contains(c)))
    };
    if (e.label == "merged" && !together(old, &e.old)) || (e.label == "split" && !together(new, &e.new)) {
        return false;
    }
    let in_old = |c: &Option<String>| c.as_deref().is_some_and(|c| all_in(old, c));
    let in_new = |c: &Option<String>| c.as_deref().is_some_and(|c| all_in(new, c));
    match e.kind {
        "removed" => in_old(&e.old) && !in_new(&e.old),
        "added" => in_new(&e.new) && !in_old(&e.new),
        "reworded" => in_old(&e.old) && in_new(&e.new) && !in_new(&e.old) && !in_old(&e.new),
        "moved" => in_old(&e.old) && in_new(&e.new),
        _ => true,
    }
}

/// Whether an expected change is a `sections[]` entry (its texts are headings).
pub fn is_section_entry(kind: &str) -> bool {
    matches!(kind, "renamed" | "section split" | "section merged")
}

/// Whether an edit of this kind can be tried on the document at all.
fn possible(kind: &str, doc: &Document, first: bool) -> bool {
    match kind {
        "table row" => doc.blocks().any(|b| matches!(b, Block::TableRow { cells } if cells.len() >= 2)),
        // The lines are written on both sides, so this is a pair's first (and only) edit.
        "br line" => first,
        _ => true,
    }
}

/// A pair with one to three known edits, or `None` when the base offers no edit.
///
/// `made` counts the edits of each kind made so far: the next edit is of the rarest kind
/// (some kinds fail more often, e.g. a base without lists), so the kinds stay balanced.
pub fn edit_pair(
    id: usize,
    base: &Base,
    doc: &Document,
    donors: &[String],
    made: &mut [usize; KINDS.len()],
    hard: bool,
    rng: &mut StdRng,
) -> Option<Pair> {
    let n = KINDS.len();
    let wanted = rng.gen_range(1..=3);
    let mut old = doc.clone();
    let mut edited = doc.clone();
    let (mut old_extras, mut new_extras) = (Extras::default(), Extras::default());
    let mut expected: Vec<Expected> = Vec::new();
    let mut what = Vec::new();
    let mut attempts = 0;
    let mut skip = vec![false; n];
    for (k, kind) in KINDS.iter().enumerate() {
        skip[k] = !possible(kind, doc, true);
    }
    while expected.len() < wanted && attempts < 50 {
        attempts += 1;
        if attempts % 10 == 0 {
            // This kind keeps failing on this base: try the others.
            if let Some(k) = (0..n).filter(|&k| !skip[k]).min_by_key(|&k| made[k]) {
                skip[k] = true;
            }
        }
        let Some(ki) = (0..n)
            .filter(|&k| !skip[k] && possible(KINDS[k], &edited, expected.is_empty()))
            .min_by_key(|&k| (made[k], (k + id) % n))
        else {
            break;
        };
        let kind = KINDS[ki];
        // `<br>` lines in a table cell: a `br line` edit, also tried in place of a table
        // row edit (few bases have tables, so it would seldom come up otherwise).
        let cell_turn = match kind {
            "br line" => rng.gen_bool(0.6),
            "table row" => expected.is_empty() && rng.gen_bool(0.3),
            _ => false,
        };
        if cell_turn && !br_cells(doc).is_empty() {
            let ki = KINDS.iter().position(|k| *k == "br line").unwrap_or(ki);
            let Some((e, cell, exp, w)) = br_cell_edit(doc, hard, rng) else { continue };
            if normalize_markdown(&markdown(&e, &Extras::default())) != e || !findable(&exp, doc, &e) {
                continue;
            }
            edited = e;
            old_extras.cell_br = Some(cell);
            let sep = if rng.gen_bool(0.5) { cell.sep } else { rng.gen_range(0..CELL_BR_SEPS.len()) };
            new_extras.cell_br = Some(CellBr { sep, ..cell });
            made[ki] += 1;
            expected.push(exp);
            what.push(w);
            break;
        }
        if kind == "br line" {
            let Some((o, e, br, exp, w)) = br_edit(doc, hard, rng) else { continue };
            if normalize_markdown(&markdown(&e, &Extras::default())) != e || !findable(&exp, &o, &e) {
                continue;
            }
            old = o;
            edited = e;
            old_extras.br = Some(br);
            // The same lines, written the same way or otherwise on the new side.
            let sep = if rng.gen_bool(0.5) { br.sep } else { rng.gen_range(0..BR_SEPS.len()) };
            new_extras.br = Some(BrLines { sep, ..br });
            made[ki] += 1;
            expected.push(exp);
            what.push(w);
            break;
        }
        let touched: Vec<String> =
            expected.iter().flat_map(|e| [e.old.as_deref(), e.new.as_deref()]).flatten().map(norm).collect();
        let mut candidate = edited.clone();
        let Some((found, w)) = try_edit(kind, &mut candidate, &touched, donors, hard, rng) else { continue };
        // Kept only if the Markdown reader gives back exactly the edited Document and
        // the clauses are where the expectation says.
        let reread = normalize_markdown(&markdown(&candidate, &Extras::default()));
        if reread != candidate {
            continue;
        }
        // Later edits must not blur earlier ones either.
        if !expected.iter().chain(&found).all(|e| findable(e, &old, &candidate)) {
            continue;
        }
        edited = candidate;
        made[ki] += 1;
        expected.extend(found);
        what.push(w);
        // A later edit could change every clause of the split or merged section (its
        // clauses are in no expectation): a heading edit is a pair's last.
        if matches!(kind, "heading deleted" | "heading inserted") {
            break;
        }
    }
    if expected.is_empty() {
        return None;
    }
    for e in &mut expected {
        if !is_section_entry(e.kind) {
            let first = |c: &str| parts(e, c).into_iter().next().unwrap_or_default();
            let old_section = e.old.as_deref().and_then(|c| section_of(&old, &first(c)));
            let new_section = e.new.as_deref().and_then(|c| section_of(&edited, &first(c)));
            (e.old_section, e.new_section) = (old_section, new_section);
        }
    }
    let old_markdown = markdown(&old, &old_extras);
    let new_markdown = markdown(&edited, &new_extras);
    Some(Pair {
        id,
        base: base.name.clone(),
        cosmetic: false,
        cosmetic_kind: "",
        what,
        old: normalize_markdown(&old_markdown),
        new: normalize_markdown(&new_markdown),
        old_markdown,
        new_markdown,
        expected,
        old_extras,
        new_extras,
        old_html: None,
        new_html: None,
    })
}

/// The cosmetic transformations of a Markdown text.
pub const COSMETICS: [&str; 8] = [
    "rewrap",
    "quotes",
    "dashes",
    "double-spaces",
    "no-break-spaces",
    "bullets",
    "emphasis",
    "trailing-spaces",
];

/// A line's Markdown marker (`## `, `  - `, `1. `, or nothing for a paragraph line) and
/// its text; `None` for lines cosmetics leave alone (tables, quotes, code, terms,
/// continuation lines, blank lines).
fn split_marker(line: &str) -> Option<(&str, &str)> {
    if line.is_empty() || line.starts_with(['|', '>', ':', '`', '+']) || line.starts_with("**") {
        return None;
    }
    if line.starts_with('#') {
        let hashes = line.len() - line.trim_start_matches('#').len();
        return line[hashes..].starts_with(' ').then(|| line.split_at(hashes + 1));
    }
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker = if rest.starts_with("- ") || rest.starts_with("* ") {
        2
    } else if digits > 0 && rest[digits..].starts_with(". ") {
        digits + 2
    } else if indent == 0 && digits == 0 && !rest.starts_with(['-', '*']) {
        0
    } else {
        return None;
    };
    Some(line.split_at(indent + marker))
}

fn is_heading_marker(marker: &str) -> bool {
    marker.starts_with('#')
}

/// Whether a word would start a Markdown construct at the beginning of a line.
fn starts_construct(word: &str) -> bool {
    word.starts_with(['-', '+', '*', '#', '>', '|', '=', '`', ':', '~', '_'])
        || (word.starts_with(|c: char| c.is_ascii_digit())
            && word.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with(['.', ')']))
}

fn rewrap(md: &str, width: usize) -> String {
    let mut out = String::new();
    for line in md.lines() {
        let Some((marker, text)) = split_marker(line).filter(|(m, _)| !is_heading_marker(m)) else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        if line.len() <= width {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        // A list item's continuation lines are indented under its text.
        let indent = " ".repeat(marker.len());
        let mut current = marker.to_string();
        for word in text.split(' ') {
            if current.len() > marker.len()
                && current.len() + 1 + word.len() > width
                && !starts_construct(word)
            {
                out.push_str(&current);
                out.push('\n');
                current = indent.clone();
            }
            if current.len() > marker.len() && !current.ends_with(' ') {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push_str(&current);
        out.push('\n');
    }
    out
}

fn swap_quotes(md: &str) -> String {
    if md.contains(['‘', '’', '“', '”']) {
        return md.replace(['‘', '’'], "'").replace(['“', '”'], "\"");
    }
    let chars: Vec<char> = md.chars().collect();
    let mut out = String::with_capacity(md.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { chars[i - 1] } else { ' ' };
        match c {
            '\'' if prev.is_alphanumeric() => out.push('’'),
            '\'' => out.push('‘'),
            '"' if prev.is_whitespace() || prev == '(' => out.push('“'),
            '"' => out.push('”'),
            c => out.push(c),
        }
    }
    out
}

fn swap_dashes(md: &str) -> String {
    if md.contains(['–', '—']) {
        return md.replace(['–', '—'], "-");
    }
    md.lines()
        .map(|line| {
            // Bullets and rules are structure, not dashes.
            let keep = line.len() - line.trim_start_matches([' ', '-', '*']).len();
            format!("{}{}\n", &line[..keep], line[keep..].replace(" - ", " – ").replace(" -- ", " — "))
        })
        .collect()
}

/// Applies some spaces or emphasis to the text of paragraph, list item and heading lines
/// (half of them), word positions chosen by `rng`.
fn per_paragraph(md: &str, rng: &mut StdRng, f: impl Fn(&[&str], &mut StdRng) -> Option<String>) -> String {
    md.lines()
        .map(|line| {
            let changed = split_marker(line).and_then(|(marker, text)| {
                let words: Vec<&str> = text.split(' ').collect();
                let enough = if is_heading_marker(marker) { 4 } else { 6 };
                if words.len() >= enough && rng.gen_bool(0.5) {
                    f(&words, rng).map(|t| format!("{marker}{t}"))
                } else {
                    None
                }
            });
            format!("{}\n", changed.unwrap_or_else(|| line.to_string()))
        })
        .collect()
}

pub fn cosmetic(md: &str, which: &str, rng: &mut StdRng) -> String {
    match which {
        "rewrap" => rewrap(md, rng.gen_range(60..=80)),
        "quotes" => swap_quotes(md),
        "dashes" => swap_dashes(md),
        "double-spaces" => {
            per_paragraph(md, rng, |words, _| Some(words.join(" ").replace(". ", ".  ").replace(", ", ",  ")))
        }
        "no-break-spaces" => per_paragraph(md, rng, |words, rng| {
            let mut out = words[0].to_string();
            for w in &words[1..] {
                out.push(if rng.gen_bool(0.2) { '\u{a0}' } else { ' ' });
                out.push_str(w);
            }
            Some(out)
        }),
        "bullets" => md
            .lines()
            .map(|line| {
                let indent = line.len() - line.trim_start_matches(' ').len();
                match line[indent..].strip_prefix("- ") {
                    Some(rest) => format!("{}* {}\n", &line[..indent], rest),
                    None => format!("{line}\n"),
                }
            })
            .collect(),
        "emphasis" => per_paragraph(md, rng, |words, rng| {
            let i = rng.gen_range(1..words.len() - 2);
            let plain = |w: &str| !w.is_empty() && w.chars().all(char::is_alphabetic);
            let mut words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            if rng.gen_bool(0.5) && plain(&words[i]) && plain(&words[i + 1]) {
                words[i] = format!("**{}", words[i]);
                words[i + 1] = format!("{}**", words[i + 1]);
            } else if plain(&words[i]) {
                words[i] =
                    if rng.gen_bool(0.5) { format!("*{}*", words[i]) } else { format!("_{}_", words[i]) };
            } else {
                return None;
            }
            Some(words.join(" "))
        }),
        "trailing-spaces" => {
            let lines: Vec<&str> = md.lines().collect();
            let mut out = String::new();
            for (i, line) in lines.iter().enumerate() {
                out.push_str(line);
                // Two spaces before a continuation line would be a hard break.
                let next_blank = lines.get(i + 1).is_none_or(|n| n.is_empty());
                if !line.is_empty() && rng.gen_bool(0.5) {
                    out.push_str(if next_blank { "   " } else { " " });
                }
                out.push('\n');
            }
            out
        }
        _ => md.to_string(),
    }
}

/// A Document reduced to what a reader sees modulo cosmetics: per section its level and
/// folded heading, per block its kind and folded text.
pub fn folded(doc: &Document) -> Vec<(u8, String, Vec<String>)> {
    doc.sections
        .iter()
        .map(|s| {
            let blocks = s.blocks.iter().map(|b| format!("{}:{}", block_kind(b), norm(&b.text()))).collect();
            (s.level, norm(s.heading.as_deref().unwrap_or("")), blocks)
        })
        .collect()
}

fn block_kind(block: &Block) -> &'static str {
    match block {
        Block::Paragraph { .. } => "p",
        Block::ListItem { .. } => "li",
        Block::TableRow { .. } => "tr",
        Block::Term { .. } => "dt",
        Block::Definition { .. } => "dd",
        Block::Quote { .. } => "q",
        Block::Preformatted { .. } => "pre",
    }
}

/// A cosmetic-only pair: two to four transformations, on either side.
pub fn cosmetic_pair(id: usize, base: &Base, doc: &Document, rng: &mut StdRng) -> Option<Pair> {
    let original = markdown(doc, &Extras::default());
    let want = folded(doc);
    for _ in 0..10 {
        let n = rng.gen_range(2..=4);
        let mut chosen: Vec<&str> = COSMETICS.choose_multiple(rng, n).copied().collect();
        // Wrapping last, so spaces and emphasis are applied to whole paragraph lines.
        chosen.sort_by_key(|c| *c == "rewrap");
        let mut md = original.clone();
        for c in &chosen {
            md = cosmetic(&md, c, rng);
        }
        let variant = normalize_markdown(&md);
        if folded(&variant) != want {
            continue;
        }
        let (old_markdown, new_markdown) =
            if rng.gen_bool(0.5) { (original.clone(), md) } else { (md, original.clone()) };
        let old = normalize_markdown(&old_markdown);
        let new = normalize_markdown(&new_markdown);
        return Some(Pair {
            id,
            base: base.name.clone(),
            cosmetic: true,
            cosmetic_kind: "cosmetic",
            what: vec![format!("cosmetic: {}", chosen.join(", "))],
            old_markdown,
            new_markdown,
            old,
            new,
            expected: Vec::new(),
            old_extras: Extras::default(),
            new_extras: Extras::default(),
            old_html: None,
            new_html: None,
        });
    }
    None
}

/// A cosmetic-only pair of one Document whose sides differ only in their extras: both
/// read by the Markdown reader, whatever it makes of them (nothing is filtered: that is
/// what is measured).
fn extras_pair(
    id: usize,
    base: &Base,
    doc: &Document,
    kind: &'static str,
    what: String,
    (old_extras, new_extras): (Extras, Extras),
) -> Pair {
    let old_markdown = markdown(doc, &old_extras);
    let new_markdown = markdown(doc, &new_extras);
    Pair {
        id,
        base: base.name.clone(),
        cosmetic: true,
        cosmetic_kind: kind,
        what: vec![what],
        old: normalize_markdown(&old_markdown),
        new: normalize_markdown(&new_markdown),
        old_markdown,
        new_markdown,
        expected: Vec::new(),
        old_extras,
        new_extras,
        old_html: None,
        new_html: None,
    }
}

/// A table of contents (links to the headings of level 2, in one of four styles) added
/// on one side: not policy text, so nothing may be reported.
pub fn toc_pair(id: usize, base: &Base, doc: &Document, rng: &mut StdRng) -> Option<Pair> {
    let headings: Vec<String> = doc
        .sections
        .iter()
        .filter(|s| s.level == 2)
        .filter_map(|s| s.heading.clone())
        .filter(|h| {
            !h.contains(['[', ']', '*', '_', '`', '<', '>', '\\', '|', '#', '(', ')']) && !slug(h).is_empty()
        })
        .collect();
    if headings.len() < 2 {
        return None;
    }
    let toc = Toc { headings, style: rng.gen_range(0..4) };
    let on_new = rng.gen_bool(0.5);
    let with = Extras { toc: Some(toc.clone()), ..Extras::default() };
    let sides = if on_new { (Extras::default(), with) } else { (with, Extras::default()) };
    let what = format!(
        "table of contents of {} headings (style {}) {}",
        toc.headings.len(),
        toc.style,
        if on_new { "added" } else { "removed" }
    );
    Some(extras_pair(id, base, doc, "toc", what, sides))
}

/// A paragraph written as `<br>` lines on both sides, the breaks written differently.
pub fn br_pair(id: usize, base: &Base, doc: &Document, rng: &mut StdRng) -> Option<Pair> {
    let cells = br_cells(doc);
    if !cells.is_empty() && rng.gen_bool(0.5) {
        let (section, block, cell, lines) = cells.choose(rng)?.clone();
        let old_sep = rng.gen_range(0..CELL_BR_SEPS.len());
        let new_sep = (old_sep + rng.gen_range(1..CELL_BR_SEPS.len())) % CELL_BR_SEPS.len();
        let br = |sep| Extras { cell_br: Some(CellBr { section, block, cell, sep }), ..Extras::default() };
        let what = format!(
            "{} <br> lines in a table cell written {:?} -> {:?}",
            lines.len(),
            CELL_BR_SEPS[old_sep],
            CELL_BR_SEPS[new_sep]
        );
        return Some(extras_pair(id, base, doc, "br spacing", what, (br(old_sep), br(new_sep))));
    }
    let (si, bi, lines) = br_paragraphs(doc).choose(rng)?.clone();
    let split = split_lines(doc, si, bi, &lines);
    let old_sep = rng.gen_range(0..BR_SEPS.len());
    let new_sep = (old_sep + rng.gen_range(1..BR_SEPS.len())) % BR_SEPS.len();
    let br = |sep| Extras {
        br: Some(BrLines { section: si, start: bi, count: lines.len(), sep }),
        ..Extras::default()
    };
    let what = format!("{} <br> lines written {:?} -> {:?}", lines.len(), BR_SEPS[old_sep], BR_SEPS[new_sep]);
    Some(extras_pair(id, base, &split, "br spacing", what, (br(old_sep), br(new_sep))))
}

/// Gives one side of an edit pair one or two cosmetic changes too: policies are often
/// reformatted and edited at once, and only the edits may be reported.
fn dress(pair: &mut Pair, rng: &mut StdRng) {
    if !pair.old_extras.is_empty() || !pair.new_extras.is_empty() {
        return;
    }
    for _ in 0..5 {
        let n = rng.gen_range(1..=2);
        let mut chosen: Vec<&str> = COSMETICS.choose_multiple(rng, n).copied().collect();
        chosen.sort_by_key(|c| *c == "rewrap");
        let on_new = rng.gen_bool(0.5);
        let (markdown, doc) =
            if on_new { (&pair.new_markdown, &pair.new) } else { (&pair.old_markdown, &pair.old) };
        let mut md = markdown.clone();
        for c in &chosen {
            md = cosmetic(&md, c, rng);
        }
        let dressed = normalize_markdown(&md);
        if folded(&dressed) != folded(doc) {
            continue;
        }
        pair.what.push(format!(
            "plus cosmetic on the {} side: {}",
            if on_new { "new" } else { "old" },
            chosen.join(", ")
        ));
        if on_new {
            (pair.new_markdown, pair.new) = (md, dressed);
        } else {
            (pair.old_markdown, pair.old) = (md, dressed);
        }
        return;
    }
}

/// `count` pairs from the bases with a fixed seed: every fifth pair cosmetic-only, the
/// others one to three known edits (half of them with cosmetic changes on one side too). Bases that never settle are left out.
///
/// With `hard`, the edited clauses may also hold semicolons, colons and full stops that
/// do not end a sentence (`e.g. cookies`, `Inc. and`, `example.com`), which a clause
/// splitter must not cut at.
pub fn generate(bases: &[Base], count: usize, seed: u64, hard: bool) -> Vec<Pair> {
    let docs: Vec<(usize, Document)> =
        bases.iter().enumerate().filter_map(|(i, b)| settle(&b.markdown).map(|d| (i, d))).collect();
    if docs.is_empty() {
        return Vec::new();
    }
    let donors: Vec<Vec<String>> = docs.iter().map(|(_, d)| donor_sentences(d)).collect();
    let mut pairs = Vec::new();
    let mut made = [0; KINDS.len()];
    let mut id = 0;
    let mut tries = 0;
    while pairs.len() < count && tries < count * 4 {
        let k = tries % docs.len();
        tries += 1;
        let (bi, doc) = &docs[k];
        let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(1_000_003).wrapping_add(tries as u64));
        let pair = if pairs.len() % 5 == 4 {
            // Of four cosmetic-only pairs, two restyle the Markdown, one adds or removes
            // a table of contents, one writes `<br>` lines differently.
            match (pairs.len() / 5) % 4 {
                1 => toc_pair(id, &bases[*bi], doc, &mut rng),
                3 => br_pair(id, &bases[*bi], doc, &mut rng),
                _ => cosmetic_pair(id, &bases[*bi], doc, &mut rng),
            }
        } else {
            // Added text comes from the other bases.
            let pool: Vec<String> = donors
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != k)
                .flat_map(|(_, d)| d.iter().cloned())
                .collect();
            edit_pair(id, &bases[*bi], doc, &pool, &mut made, hard, &mut rng).map(|mut p| {
                if rng.gen_bool(0.5) {
                    dress(&mut p, &mut rng);
                }
                p
            })
        };
        if let Some(p) = pair {
            pairs.push(p);
            id += 1;
        }
    }
    pairs
}

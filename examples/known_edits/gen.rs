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

/// The kinds of change the benchmark scores, in report order.
pub const KINDS: [&str; 5] = ["added", "removed", "reworded", "moved", "renamed"];

/// A real policy the pairs are made from.
#[derive(Debug, Clone)]
pub struct Base {
    pub name: String,
    pub markdown: String,
}

/// One change the differ must report.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    /// One of [`KINDS`].
    pub kind: &'static str,
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
        let again = normalize_markdown(&doc.to_markdown());
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

/// The possible rewordings of a sentence.
pub fn rewordings(s: &str) -> Vec<String> {
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
    if let Some(body) = s.strip_suffix('.') {
        for q in QUALIFIERS {
            out.push(format!("{body}{q}."));
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

/// Whether the clause is a sentence of some block of the document (or a whole block).
fn has_clause(doc: &Document, clause: &str) -> bool {
    doc.blocks().any(|b| {
        let text = b.text();
        split_sentences(&text).into_iter().any(|r| text[r] == *clause)
    })
}

/// The heading of the section where a clause is a sentence of a block.
fn section_of(doc: &Document, clause: &str) -> Option<String> {
    doc.sections
        .iter()
        .find(|s| {
            s.blocks.iter().any(|b| {
                let text = b.text();
                split_sentences(&text).into_iter().any(|r| text[r] == *clause)
            })
        })
        .and_then(|s| s.heading.clone())
}

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
                vec![Expected { kind, old: None, new: Some(sentence), old_section: None, new_section: None }],
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
            let blocks = &mut doc.sections[to].blocks;
            // Half the moved sentences join a paragraph there, half stand alone.
            let joined = rng.gen_bool(0.5) && insert_into_paragraph(blocks, &slot.text, rng).is_some();
            if !joined {
                let at = *paragraph_positions(blocks).choose(rng)?;
                blocks.insert(at, Block::paragraph(slot.text.clone()));
            }
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
                vec![Expected { kind, old: Some(old), new: Some(new), old_section: None, new_section: None }],
                what,
            ))
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
    let in_old = |c: &Option<String>| c.as_deref().is_some_and(|c| has_clause(old, c));
    let in_new = |c: &Option<String>| c.as_deref().is_some_and(|c| has_clause(new, c));
    match e.kind {
        "removed" => in_old(&e.old) && !in_new(&e.old),
        "added" => in_new(&e.new) && !in_old(&e.new),
        "reworded" => in_old(&e.old) && in_new(&e.new) && !in_new(&e.old) && !in_old(&e.new),
        "moved" => in_old(&e.old) && in_new(&e.new),
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
    made: &mut [usize; 5],
    hard: bool,
    rng: &mut StdRng,
) -> Option<Pair> {
    let wanted = rng.gen_range(1..=3);
    let mut edited = doc.clone();
    let mut expected: Vec<Expected> = Vec::new();
    let mut what = Vec::new();
    let mut attempts = 0;
    let mut skip = [false; 5];
    while expected.len() < wanted && attempts < 50 {
        attempts += 1;
        if attempts % 10 == 0 {
            // This kind keeps failing on this base: try the others.
            if let Some(k) = (0..5).filter(|&k| !skip[k]).min_by_key(|&k| made[k]) {
                skip[k] = true;
            }
        }
        let Some(ki) = (0..5).filter(|&k| !skip[k]).min_by_key(|&k| (made[k], (k + id) % 5)) else { break };
        let kind = KINDS[ki];
        let touched: Vec<String> =
            expected.iter().flat_map(|e| [e.old.as_deref(), e.new.as_deref()]).flatten().map(norm).collect();
        let mut candidate = edited.clone();
        let Some((found, w)) = try_edit(kind, &mut candidate, &touched, donors, hard, rng) else { continue };
        // Kept only if the Markdown reader gives back exactly the edited Document and
        // the clauses are where the expectation says.
        let reread = normalize_markdown(&candidate.to_markdown());
        if reread != candidate {
            continue;
        }
        // Later edits must not blur earlier ones either.
        if !expected.iter().chain(&found).all(|e| findable(e, doc, &candidate)) {
            continue;
        }
        edited = candidate;
        made[ki] += 1;
        expected.extend(found);
        what.push(w);
    }
    if expected.is_empty() {
        return None;
    }
    for e in &mut expected {
        if e.kind != "renamed" {
            e.old_section = e.old.as_deref().and_then(|c| section_of(doc, c));
            e.new_section = e.new.as_deref().and_then(|c| section_of(&edited, c));
        }
    }
    Some(Pair {
        id,
        base: base.name.clone(),
        cosmetic: false,
        what,
        old_markdown: doc.to_markdown(),
        new_markdown: edited.to_markdown(),
        old: doc.clone(),
        new: edited,
        expected,
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
    let original = doc.to_markdown();
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
            what: vec![format!("cosmetic: {}", chosen.join(", "))],
            old_markdown,
            new_markdown,
            old,
            new,
            expected: Vec::new(),
            old_html: None,
            new_html: None,
        });
    }
    None
}

/// Gives one side of an edit pair one or two cosmetic changes too: policies are often
/// reformatted and edited at once, and only the edits may be reported.
fn dress(pair: &mut Pair, rng: &mut StdRng) {
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
    let mut made = [0; 5];
    let mut id = 0;
    let mut tries = 0;
    while pairs.len() < count && tries < count * 4 {
        let k = tries % docs.len();
        tries += 1;
        let (bi, doc) = &docs[k];
        let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(1_000_003).wrapping_add(tries as u64));
        let pair = if pairs.len() % 5 == 4 {
            cosmetic_pair(id, &bases[*bi], doc, &mut rng)
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

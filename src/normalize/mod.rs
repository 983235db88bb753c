//! Normalization: raw bytes of a capture (or a Markdown/plain-text file) into the
//! [`Document`] of the policy alone.
//!
//! For HTML the stages are: charset ([`charset`]) → archive artifacts removed
//! ([`wayback`]) → scripts and styles cut ([`inert`]) and container nesting capped
//! ([`nesting`]) → DOM → chrome removed and the policy's main content chosen
//! ([`html`]) → sections and blocks. Markdown and plain text go through
//! [`markdown`] into the same model, so a Markdown version and an HTML capture of the
//! same policy compare cleanly.
//!
//! What this module does not do: fetch anything, split clauses, or decide what a
//! change is. Quotes and dashes are kept as written; the differ folds them.

pub mod builder;
pub mod charset;
pub mod dom;
pub mod html;
pub mod inert;
pub mod markdown;
pub mod nesting;
pub mod text;
pub mod wayback;

use std::path::Path;

use crate::document::Document;

pub use markdown::normalize_markdown;

/// Overrides for pages the automatic extraction gets wrong, and what the HTTP layer knows.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Take the policy from the elements matching this CSS selector.
    pub select: Option<String>,
    /// Remove the elements matching this CSS selector first.
    pub remove: Option<String>,
    /// The HTTP `Content-Type` the page was served with, when known (its charset counts).
    pub content_type: Option<String>,
}

/// How to read an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Html,
    Markdown,
    /// Decide from the bytes (HTML if it looks like markup).
    Sniff,
}

impl InputKind {
    /// `.html`/`.htm` are HTML; `.md`/`.markdown`/`.txt` are Markdown; else sniffed.
    pub fn from_path(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).as_deref() {
            Some("html" | "htm" | "xhtml") => InputKind::Html,
            Some("md" | "markdown" | "txt" | "text") => InputKind::Markdown,
            _ => InputKind::Sniff,
        }
    }
}

/// Why an input holds no policy text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NormalizeError {
    #[error("the file is empty")]
    Empty,
    #[error("this is a PDF, not an HTML page or text; policydiff reads HTML, Markdown and plain text")]
    Pdf,
    #[error("this is a binary file ({0}), not an HTML page or text")]
    Binary(&'static str),
    #[error("no policy text found in this page (try --select CSS to point at it)")]
    NoText,
    #[error("--{option} '{selector}' is not a valid CSS selector")]
    BadSelector { option: &'static str, selector: String },
    #[error("--select '{0}' matches nothing in this page")]
    SelectMatchesNothing(String),
}

/// Normalizes raw bytes into a Document.
pub fn normalize(bytes: &[u8], kind: InputKind, options: &Options) -> Result<Document, NormalizeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(NormalizeError::Empty);
    }
    if let Some(what) = binary_kind(bytes) {
        return Err(match what {
            "PDF" => NormalizeError::Pdf,
            other => NormalizeError::Binary(other),
        });
    }
    let kind = match kind {
        InputKind::Sniff if looks_like_html(bytes) => InputKind::Html,
        InputKind::Sniff => InputKind::Markdown,
        k => k,
    };
    let doc = match kind {
        InputKind::Html => html::normalize_html(bytes, options)?,
        _ => {
            let (text, note) = charset::decode_text(bytes);
            if let Some(note) = note {
                tracing::warn!("{note}");
            }
            normalize_markdown(&text)
        }
    };
    // A page must show some prose to be a policy; a Markdown or text file is taken
    // as the user wrote it (one heading and one item is a document).
    let enough = match kind {
        InputKind::Html => has_words(&doc, 3),
        _ => doc.sections.iter().any(|s| !s.blocks.is_empty()) || has_words(&doc, 3),
    };
    if doc.is_empty() || !enough {
        return Err(NormalizeError::NoText);
    }
    Ok(doc)
}

/// Whether the document holds at least `n` words (stops counting there).
fn has_words(doc: &Document, n: usize) -> bool {
    let mut seen = 0;
    for section in &doc.sections {
        seen += section.heading.as_deref().map_or(0, |h| h.split_whitespace().take(n).count());
        for block in &section.blocks {
            if seen >= n {
                return true;
            }
            seen += block.text().split_whitespace().take(n).count();
        }
    }
    seen >= n
}

/// Recognises common binary formats by their magic bytes, and other binaries by NULs.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "PDF"),
        (b"\x89PNG", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\x1f\x8b", "gzip data"),
        (b"\x7fELF", "executable"),
        (b"\xd0\xcf\x11\xe0", "Office document"),
    ];
    let head = &bytes[..bytes.len().min(1024)];
    let trimmed = head.iter().position(|b| !b.is_ascii_whitespace()).map_or(head, |i| &head[i..]);
    for (magic, name) in MAGIC {
        if trimmed.starts_with(magic) {
            return Some(name);
        }
    }
    // UTF-16 text has NULs but a BOM; anything else with NULs in its head is binary.
    let utf16 = head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff");
    if !utf16 && head.contains(&0) {
        return Some("unknown binary data");
    }
    None
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    ["<!doctype html", "<html", "<body", "<head", "<div", "<p>", "<table", "<meta", "<title"]
        .iter()
        .any(|tag| lower.contains(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_inputs_are_named() {
        let o = Options::default();
        assert_eq!(normalize(b"%PDF-1.4\n...", InputKind::Html, &o), Err(NormalizeError::Pdf));
        assert_eq!(normalize(b"  \n", InputKind::Html, &o), Err(NormalizeError::Empty));
        assert!(matches!(normalize(b"\x89PNG\r\n", InputKind::Sniff, &o), Err(NormalizeError::Binary(_))));
        assert!(matches!(normalize(b"ab\0cd", InputKind::Markdown, &o), Err(NormalizeError::Binary(_))));
    }
}

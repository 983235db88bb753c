//! policydiff: how a privacy policy or terms page changed over time, from the
//! copies the Internet Archive's Wayback Machine holds.
//!
//! The modules are the pipeline, and data flows one way through them:
//!
//! ```text
//! archive (CDX listing, capture fetch) ─► store (plain files, offline replay)
//!   ─► normalize (bytes ─► Document) ─► diff (Document × Document ─► changes)
//!   ─► report (terminal, JSON, Markdown, HTML, Atom)
//! ```
//!
//! [`document`] is the model every stage shares. A stage never reaches past its
//! neighbours: the differ knows nothing of HTTP, the normalizer nothing of terminals.
//!
//! ```
//! use policydiff::normalize::{normalize_markdown};
//! let doc = normalize_markdown("# Privacy Policy\n\n## Cookies\n\nWe use cookies.\n");
//! assert_eq!(doc.title.as_deref(), Some("Privacy Policy"));
//! assert_eq!(doc.sections[1].heading.as_deref(), Some("Cookies"));
//! ```

pub mod archive;
pub mod cli;
pub mod commands;
pub mod date;
pub mod diff;
pub mod document;
pub mod error;
pub mod exit_codes;
pub mod history;
pub mod monitor;
pub mod normalize;
pub mod report;
pub mod source;
pub mod store;

pub use document::{Block, Document, Section};
pub use error::{Error, Result};

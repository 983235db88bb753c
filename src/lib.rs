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
//! The layers, each importing only from layers below it (no import cycle):
//!
//! 1. the model: [`document`] (the policy as sections and blocks), [`provenance`] (where a
//!    version came from), [`date`], [`error`], [`exit_codes`], [`escape`] (control
//!    characters made visible);
//! 2. the stages: [`archive`] (HTTP with the archive's etiquette), [`store`] (on top of
//!    `archive`'s types), [`normalize`] (bytes to Document), [`diff`] (two Documents);
//! 3. [`acquire`] (a SOURCE or a capture to a Document with its provenance: archive,
//!    store and normalize together, async, offline as "no client") and [`report`]
//!    (renderers: only `diff`, `document` and `provenance`);
//! 4. the library's services built on them: `history` and [`monitor`];
//! 5. the program: [`config`] (run-time settings, logging), [`output`] (stdout or
//!    `-o FILE`, progress bars), [`cli`] (clap definitions), [`commands`] (one module per
//!    command: parse, call, print); `main.rs` starts the one tokio runtime.
//!
//! A stage never reaches past its neighbours: the differ knows nothing of HTTP, the
//! normalizer nothing of terminals, a renderer nothing of the store.
//!
//! ```
//! use policydiff::normalize::{normalize_markdown};
//! let doc = normalize_markdown("# Privacy Policy\n\n## Cookies\n\nWe use cookies.\n");
//! assert_eq!(doc.title.as_deref(), Some("Privacy Policy"));
//! assert_eq!(doc.sections[1].heading.as_deref(), Some("Cookies"));
//! ```

pub mod acquire;
pub mod archive;
pub mod cli;
pub mod commands;
pub mod config;
pub mod date;
pub mod diff;
pub mod document;
pub mod error;
pub mod escape;
pub mod exit_codes;
pub mod history;
pub mod monitor;
pub mod normalize;
pub mod output;
pub mod provenance;
pub mod report;
pub mod source;
pub mod store;

pub use document::{Block, Document, Section};
pub use error::{Error, Result};

/// The layering of the module docs above, checked: a module imports only from lower
/// layers (a new module gets a line in `LAYERS`).
#[cfg(test)]
mod layering {
    const LAYERS: &[(&str, u8)] = &[
        ("error", 0),
        ("escape", 0),
        ("exit_codes", 0),
        ("date", 0),
        ("document", 0),
        ("provenance", 0),
        ("archive", 1),
        ("normalize", 1),
        ("store", 2),
        ("diff", 2),
        ("acquire", 3),
        ("history", 3),
        ("report", 4),
        ("source", 4),
        ("monitor", 5),
        ("config", 6),
        ("output", 7),
        ("cli", 7),
        ("commands", 8),
    ];

    fn layer(module: &str) -> u8 {
        LAYERS
            .iter()
            .find(|(m, _)| *m == module)
            .map(|(_, l)| *l)
            .unwrap_or_else(|| panic!("module `{module}` has no layer: add it to LAYERS in src/lib.rs"))
    }

    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn modules_import_only_from_lower_layers() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let uses = regex::Regex::new(r"crate::([a-z_]+)").unwrap();
        let mut wrong = Vec::new();
        for file in files {
            let rel = file.strip_prefix(&src).unwrap();
            let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
            let module = first.trim_end_matches(".rs").to_string();
            if module == "lib" || module == "main" {
                continue;
            }
            let own = layer(&module);
            let text = std::fs::read_to_string(&file).unwrap();
            for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for used in uses.captures_iter(line) {
                    let used = &used[1];
                    if used != module && !matches!(used, "Error" | "Result") && layer(used) >= own {
                        wrong.push(format!("{} uses crate::{used}", rel.display()));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "imports against the layering:\n{}", wrong.join("\n"));
    }
}

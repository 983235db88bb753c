//! The real-history audit of the differ (issue 8): every consecutive pair of versions
//! of every document under `ota-histories/`, diffed in both directions, counted per
//! kind of change, and put through mechanical checks that must all find nothing.
//!
//! ```text
//! cargo run --release --example audit -- [PATH] [--examples N]
//! ```
//!
//! PATH is the `ota-histories/` directory (default `../shared/corpus/ota-histories`):
//! one directory per document, its versions as `*.md` files whose names sort in time
//! order. Prints a Markdown table of the counts and of the checks, then, for each
//! check that found something, the first N cases (default 3) with their pair, so a
//! developer can reproduce them with `policydiff diff OLD NEW`. Exit status: 0 when
//! every check finds nothing, 1 when one does, 2 when PATH holds no history.
//! See docs/audit.md for what each check means.

#[path = "audit/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use policydiff::diff::diff;
use policydiff::normalize::{normalize, InputKind, Options};

use crate::checks::{Audit, Direction};

fn main() -> ExitCode {
    let mut path = PathBuf::from("../shared/corpus/ota-histories");
    let mut examples = 3usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--examples" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => examples = n,
                None => return usage("--examples wants a number"),
            },
            "-h" | "--help" => {
                println!("usage: cargo run --release --example audit -- [PATH] [--examples N]");
                println!("PATH: the ota-histories/ directory (default ../shared/corpus/ota-histories)");
                return ExitCode::SUCCESS;
            }
            other if other.starts_with('-') => return usage(&format!("unknown option {other}")),
            other => path = PathBuf::from(other),
        }
    }
    let histories = match histories(&path) {
        Ok(h) if !h.is_empty() => h,
        Ok(_) => {
            eprintln!(
                "audit: no history in {} (want one directory per document holding its versions as *.md)",
                path.display()
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!(
                "audit: cannot read {}: {e} (pass the ota-histories/ directory of the corpus as PATH)",
                path.display()
            );
            return ExitCode::from(2);
        }
    };
    let mut audit = Audit { keep: examples, ..Audit::default() };
    for (name, files) in &histories {
        let mut docs = Vec::new();
        for file in files {
            let bytes = match std::fs::read(file) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("audit: cannot read {}: {e}", file.display());
                    return ExitCode::from(2);
                }
            };
            match normalize(&bytes, InputKind::Markdown, &Options::default()) {
                Ok(doc) => docs.push((file, doc)),
                Err(e) => {
                    eprintln!("audit: {}: {e}", file.display());
                    return ExitCode::from(2);
                }
            }
        }
        for (file, doc) in &docs {
            audit.version(&format!("{name}/{}", file_name(file)), doc);
        }
        for w in docs.windows(2) {
            let ((a_file, a), (b_file, b)) = (&w[0], &w[1]);
            let label = format!("{name}: {} → {}", file_name(a_file), file_name(b_file));
            let back = format!("{name}: {} → {}", file_name(b_file), file_name(a_file));
            let forward = diff(a, b);
            let backward = diff(b, a);
            audit.pair(&label, Direction::Forward, a, b, &forward);
            audit.pair(&back, Direction::Backward, b, a, &backward);
            audit.mirror(&label, &forward, &backward);
        }
    }
    // A closed pipe (`| head`) is not an error of the audit.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), audit.render(examples).as_bytes());
    if audit.clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn usage(message: &str) -> ExitCode {
    eprintln!("audit: {message} (usage: audit [PATH] [--examples N])");
    ExitCode::from(2)
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Each document's directory name and its `*.md` versions in name (time) order.
fn histories(root: &Path) -> std::io::Result<Vec<(String, Vec<PathBuf>)>> {
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(root)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect();
    dirs.sort();
    let mut out = Vec::new();
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        if files.len() >= 2 {
            out.push((file_name(&dir), files));
        }
    }
    Ok(out)
}

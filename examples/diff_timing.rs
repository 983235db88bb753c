//! Diffs every consecutive pair of versions in the corpus's `ota-histories/` and
//! times it: each pair must diff without error.
//!
//! `cargo run --release --example diff_timing -- [CORPUS]` (default `../shared/corpus`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use policydiff::diff::diff;
use policydiff::normalize::normalize_markdown;

fn versions(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "md"));
    v.sort();
    v
}

fn main() {
    let corpus = std::env::args().nth(1).unwrap_or_else(|| "../shared/corpus".into());
    let root = Path::new(&corpus).join("ota-histories");
    let Ok(entries) = std::fs::read_dir(&root) else {
        eprintln!("no corpus at {}", root.display());
        std::process::exit(2);
    };
    let mut docs: Vec<PathBuf> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect();
    docs.sort();
    let (mut pairs, mut total, mut slowest) = (0usize, Duration::ZERO, (Duration::ZERO, String::new()));
    let mut counts = [0usize; 4];
    for doc in docs {
        let files = versions(&doc);
        let texts: Vec<String> =
            files.iter().map(|f| std::fs::read_to_string(f).unwrap_or_default()).collect();
        let parsed: Vec<_> = texts.iter().map(|t| normalize_markdown(t)).collect();
        for i in 1..parsed.len() {
            let start = Instant::now();
            let d = diff(&parsed[i - 1], &parsed[i]);
            let took = start.elapsed();
            pairs += 1;
            total += took;
            counts[0] += d.summary.added;
            counts[1] += d.summary.removed;
            counts[2] += d.summary.reworded;
            counts[3] += d.summary.moved;
            if took > slowest.0 {
                slowest = (took, files[i].display().to_string());
            }
        }
    }
    println!(
        "{pairs} pairs diffed in {:.1} ms (diff only, Markdown parsing excluded)",
        total.as_secs_f64() * 1e3
    );
    println!("slowest: {:.2} ms {}", slowest.0.as_secs_f64() * 1e3, slowest.1);
    println!(
        "changes: {} added, {} removed, {} reworded, {} moved",
        counts[0], counts[1], counts[2], counts[3]
    );
}

//! Speed of the differ (Markdown parsing excluded): the largest real policy
//! (Facebook's privacy policy, ~290 KB a version), every consecutive pair of the
//! corpus's `ota-histories/`, synthetic documents of 1k–10k clauses with a few
//! per cent of edits, to show how time grows with size, and the corners where
//! a differ turns quadratic (`diff_scaling`: a section of 2.5k–160k clauses all
//! reworded or all shuffled, 2.5k–160k sections all renamed).
//!
//! `cargo bench --bench diff`; `POLICYDIFF_CORPUS` points at the corpus (default
//! `../shared/corpus`); without it only the synthetic benchmarks run.
//!
//! The corners' pairs are in `support/scaling.rs`; `examples/diff_scaling.rs` times one
//! diff of each in CPU and wall time, which stays meaningful when the machine is loaded,
//! and callgrind counts its instructions (commands and figures: the README's performance
//! section). Real pairs, CPU time of the diff: `cargo run --release --example diff_timing
//! -- ../shared/corpus`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use policydiff::diff::diff;
use policydiff::normalize::normalize_markdown;
use policydiff::Document;

fn corpus() -> Option<PathBuf> {
    let root = std::env::var("POLICYDIFF_CORPUS").unwrap_or_else(|_| "../shared/corpus".into());
    let dir = Path::new(&root).join("ota-histories");
    dir.is_dir().then_some(dir)
}

/// Every document's versions, parsed, in order.
fn histories(dir: &Path) -> Vec<(String, Vec<Document>)> {
    let mut docs: Vec<PathBuf> =
        std::fs::read_dir(dir).into_iter().flatten().filter_map(|e| e.ok().map(|e| e.path())).collect();
    docs.retain(|p| p.is_dir());
    docs.sort();
    docs.iter()
        .map(|d| {
            let mut files: Vec<PathBuf> =
                std::fs::read_dir(d).into_iter().flatten().filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.retain(|p| p.extension().is_some_and(|e| e == "md"));
            files.sort();
            let versions = files
                .iter()
                .map(|f| normalize_markdown(&std::fs::read_to_string(f).unwrap_or_default()))
                .collect();
            (d.file_name().unwrap_or_default().to_string_lossy().into_owned(), versions)
        })
        .collect()
}

fn bench_real(c: &mut Criterion) {
    let Some(dir) = corpus() else {
        eprintln!("diff bench: no corpus (set POLICYDIFF_CORPUS); real-pair benchmarks skipped");
        return;
    };
    let histories = histories(&dir);
    let mut group = c.benchmark_group("diff_real");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    if let Some((_, fb)) = histories.iter().find(|(name, _)| name == "Facebook__Privacy_Policy") {
        // 2026-01-15 → 2026-02-25: ~285 KB each, a small edit; 2025-12-17 → 2026-01-15: the
        // restructuring (217 KB → 285 KB, 26 headings added), the slowest pair of the corpus.
        for (name, i) in
            [("facebook_privacy_policy_pair_285kb", 8), ("facebook_privacy_policy_restructured", 7)]
        {
            if i + 1 < fb.len() {
                group.bench_function(name, |b| b.iter(|| black_box(diff(&fb[i], &fb[i + 1]))));
            }
        }
    }
    let pairs: usize = histories.iter().map(|(_, v)| v.len().saturating_sub(1)).sum();
    group.bench_function(format!("all_{pairs}_ota_pairs"), |b| {
        b.iter(|| {
            for (_, versions) in &histories {
                for w in versions.windows(2) {
                    black_box(diff(&w[0], &w[1]));
                }
            }
        })
    });
    group.finish();
}

#[path = "support/scaling.rs"]
mod scaling;
use scaling::{scaling_pair, sentence, Lcg};

/// A Markdown policy of about `clauses` sentences and the same with ~3 % of
/// them reworded, removed, added or moved.
fn synthetic(clauses: usize) -> (Document, Document) {
    let mut rng = Lcg(clauses as u64);
    let mut sections: Vec<Vec<String>> = Vec::new();
    let mut count = 0;
    while count < clauses {
        let n = 5 + rng.next(30);
        sections.push((0..n).map(|_| sentence(&mut rng)).collect());
        count += n;
    }
    let render = |sections: &Vec<Vec<String>>| {
        let mut md = String::from("# Policy\n\n");
        for (i, s) in sections.iter().enumerate() {
            md.push_str(&format!("## Section {i}\n\n"));
            for chunk in s.chunks(3) {
                md.push_str(&chunk.join(" "));
                md.push_str("\n\n");
            }
        }
        md
    };
    let old = render(&sections);
    for _ in 0..clauses / 30 {
        let s = rng.next(sections.len());
        if sections[s].is_empty() {
            continue;
        }
        let i = rng.next(sections[s].len());
        match rng.next(4) {
            0 => sections[s][i] = sections[s][i].replacen(" ", " never ", 1),
            1 => {
                sections[s].remove(i);
            }
            2 => {
                let new = sentence(&mut rng);
                sections[s].insert(i, new);
            }
            _ => {
                let moved = sections[s].remove(i);
                let t = rng.next(sections.len());
                sections[t].push(moved);
            }
        }
    }
    (normalize_markdown(&old), normalize_markdown(&render(&sections)))
}

fn bench_synthetic(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff_synthetic");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    for clauses in [1_000, 2_000, 5_000, 10_000] {
        let (old, new) = synthetic(clauses);
        group.throughput(Throughput::Elements(clauses as u64));
        group.bench_with_input(BenchmarkId::new("clauses", clauses), &(old, new), |b, (old, new)| {
            b.iter(|| black_box(diff(old, new)))
        });
    }
    group.finish();
}

fn bench_scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff_scaling");
    group.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    for (kind, sizes) in scaling::SIZES {
        for &n in sizes {
            let pair = scaling_pair(kind, n);
            group.throughput(Throughput::Elements(n as u64));
            group.bench_with_input(BenchmarkId::new(kind, n), &pair, |b, (old, new)| {
                b.iter(|| black_box(diff(old, new)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_real, bench_synthetic, bench_scaling);
criterion_main!(benches);

//! Diffs every consecutive pair of versions in the corpus's `ota-histories/` and
//! times it: each pair must diff without error. Wall time and CPU time (user + system,
//! from `getrusage`: what the diff costs whatever else runs on the machine), in total and
//! for the Facebook pair of `benches/diff.rs` (~285 KB a version, a small edit).
//!
//! `cargo run --release --example diff_timing -- [CORPUS]` (default `../shared/corpus`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

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
    let (mut cpu_total, mut facebook) = (Duration::ZERO, None);
    let mut counts = [0usize; 4];
    for doc in docs {
        let files = versions(&doc);
        let texts: Vec<String> =
            files.iter().map(|f| std::fs::read_to_string(f).unwrap_or_default()).collect();
        let parsed: Vec<_> = texts.iter().map(|t| normalize_markdown(t)).collect();
        let is_facebook = doc.file_name().is_some_and(|n| n == "Facebook__Privacy_Policy");
        for i in 1..parsed.len() {
            let (start, cpu) = (Instant::now(), cpu_time());
            let d = diff(&parsed[i - 1], &parsed[i]);
            let (took, cpu) = (start.elapsed(), cpu_time() - cpu);
            cpu_total += cpu;
            if is_facebook && i == 9 {
                // 2026-01-15 → 2026-02-25, the benchmark's `facebook_privacy_policy_pair_285kb`:
                // the median of 11 runs.
                let mut runs: Vec<(Duration, Duration)> = (0..11)
                    .map(|_| {
                        let (start, cpu) = (Instant::now(), cpu_time());
                        std::hint::black_box(diff(&parsed[i - 1], &parsed[i]));
                        (cpu_time() - cpu, start.elapsed())
                    })
                    .collect();
                runs.sort();
                facebook = Some(runs[5]);
            }
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
        "{pairs} pairs diffed in {:.1} ms wall, {:.1} ms CPU (diff only, Markdown parsing excluded)",
        total.as_secs_f64() * 1e3,
        cpu_total.as_secs_f64() * 1e3
    );
    if let Some((cpu, wall)) = facebook {
        println!(
            "Facebook pair (2026-01-15 -> 2026-02-25): {:.1} ms CPU, {:.1} ms wall (median of 11)",
            cpu.as_secs_f64() * 1e3,
            wall.as_secs_f64() * 1e3
        );
    }
    println!("slowest: {:.2} ms {}", slowest.0.as_secs_f64() * 1e3, slowest.1);
    println!(
        "changes: {} added, {} removed, {} reworded, {} moved",
        counts[0], counts[1], counts[2], counts[3]
    );
}

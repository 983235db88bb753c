//! One diff of a generated quadratic-corner pair (see `benches/support/scaling.rs`),
//! timed alone: CPU time (user + system, from `getrusage`, with the minor page
//! faults) and wall time of the diff, Markdown parsing excluded. Repeatable where
//! `cargo bench` under load is not; for a figure no load changes, count the diff's
//! instructions: `valgrind --tool=callgrind --toggle-collect='policydiff::diff::diff'
//! target/release/examples/diff_scaling shuffled 40000`.
//!
//! ```text
//! cargo run --release --example diff_scaling -- rewritten 40000
//! cargo run --release --example diff_scaling -- all          # every kind at every size
//! cargo run --release --example diff_scaling -- rewritten 40000 --write DIR  # old.md, new.md
//! ```
//! With `--write` it only writes the pair, for `policydiff diff DIR/old.md DIR/new.md`
//! under `/usr/bin/time -v`.

use std::time::{Duration, Instant};

#[path = "../benches/support/scaling.rs"]
mod scaling;

/// User and system CPU time of this process, and its minor page faults so far.
fn usage() -> (Duration, Duration, i64) {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (tv(usage.ru_utime), tv(usage.ru_stime), usage.ru_minflt)
}

fn run(kind: &str, n: usize) {
    let (old, new) = scaling::scaling_pair(kind, n);
    let (before, wall) = (usage(), Instant::now());
    let d = policydiff::diff::diff(&old, &new);
    let (after, wall) = (usage(), wall.elapsed());
    let (user, sys) = (after.0 - before.0, after.1 - before.1);
    let s = d.summary;
    println!(
        "{kind:>9} {n:>6}: cpu {:>7.3} s (user {:.3}, sys {:.3}, {} page faults)  wall {:>7.3} s  \
         ({} reworded, {} moved, {} added, {} removed, {} renamed)",
        (user + sys).as_secs_f64(),
        user.as_secs_f64(),
        sys.as_secs_f64(),
        after.2 - before.2,
        wall.as_secs_f64(),
        s.reworded,
        s.moved,
        s.added,
        s.removed,
        s.sections_renamed
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let kind = args.first().map_or("rewritten", String::as_str);
    if kind == "all" {
        for (kind, sizes) in scaling::SIZES {
            for &n in sizes {
                run(kind, n);
            }
        }
        return;
    }
    if !scaling::SIZES.iter().any(|(k, _)| *k == kind) {
        eprintln!("the kind must be rewritten, shuffled, headings, grown or all");
        std::process::exit(2);
    }
    let n: usize = match args.get(1).map(|a| a.parse()) {
        Some(Ok(n)) => n,
        None => 40_000,
        Some(Err(_)) => {
            eprintln!("the size must be a number of clauses");
            std::process::exit(2);
        }
    };
    if let (Some("--write"), Some(dir)) = (args.get(2).map(String::as_str), args.get(3)) {
        let (old, new) = scaling::scaling_markdown(kind, n);
        let dir = std::path::Path::new(dir);
        for (name, text) in [("old.md", old), ("new.md", new)] {
            if let Err(e) = std::fs::write(dir.join(name), text) {
                eprintln!("cannot write {}: {e}", dir.join(name).display());
                std::process::exit(2);
            }
        }
        return;
    }
    run(kind, n);
}

//! Cost of `policydiff changelog` from the store: the whole command (read every
//! capture, normalize it, compare it with the current version, render JSON) on a
//! stand-in history of 25 / 50 / 100 / 200 captures — X's privacy policy (two real
//! versions, ~38 KB of Markdown each) rendered into archived pages whose chrome differs
//! on every capture, so every capture is a distinct digest that must be read.
//!
//! The store is filled once per size through the Wayback stand-in (not timed); then
//! `policydiff --offline changelog URL --format json` is timed. Once, for 100 captures,
//! it also runs the online command at the archive's default limits (CDX 0.4/s,
//! captures 8/s) with and without `--bisect` and prints the fetch counts and times.
//!
//! `cargo bench --bench changelog`

#[path = "../tests/support/mod.rs"]
#[allow(unused_imports)]
mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use support::history::{Plan, Shows};

const URL: &str = "https://example.com/legal/privacy";

/// The archive's default limits (the tests' fast limits are the support's default).
const DEFAULT_LIMITS: &[(&str, &str)] =
    &[("POLICYDIFF_CDX_RATE", "0.4"), ("POLICYDIFF_CAPTURE_RATE", "8"), ("POLICYDIFF_CONCURRENCY", "4")];

fn x_versions() -> Vec<String> {
    ["x-pp-2024-11-16.md", "x-pp-2025-04-17.md"]
        .iter()
        .map(|f| std::fs::read_to_string(support::history::fixtures().join("diff").join(f)).unwrap())
        .collect()
}

/// `n` captures: the first 40 % show the older version, the rest the newer.
fn plan(n: usize) -> Plan {
    let shows: Vec<Shows> = (0..n).map(|i| Shows::Version(usize::from(i * 5 >= n * 2))).collect();
    Plan::new(URL, x_versions(), &shows)
}

fn run(store: &Path, base: &str, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let out = support::policydiff(store, base, env, args);
    assert!(out.status.code() == Some(1), "{}", support::stderr(&out));
    out
}

fn bench_from_store(c: &mut Criterion) {
    let mut group = c.benchmark_group("changelog_from_store");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(8));
    for n in [25usize, 50, 100, 200] {
        let plan = plan(n);
        let standin = plan.serve();
        let store = tempfile::tempdir().unwrap();
        run(store.path(), &standin.base, &[], &["changelog", URL, "--format", "json"]);
        group.bench_with_input(BenchmarkId::new("captures", n), &n, |b, _| {
            b.iter(|| {
                run(store.path(), &standin.base, &[], &["--offline", "changelog", URL, "--format", "json"])
            })
        });
    }
    group.finish();
}

/// Not a criterion benchmark: one run each at the real archive's limits.
fn online_at_default_limits(_c: &mut Criterion) {
    let plan = plan(100);
    for bisect in [false, true] {
        let standin = plan.serve();
        let store = tempfile::tempdir().unwrap();
        let mut args = vec!["changelog", URL, "--format", "json"];
        if bisect {
            args.push("--bisect");
        }
        let start = Instant::now();
        run(store.path(), &standin.base, DEFAULT_LIMITS, &args);
        println!(
            "changelog online, 100 captures{}, default limits: {} CDX request(s), {} capture fetches, {:.1} s",
            if bisect { " --bisect" } else { "" },
            standin.cdx_requests().len(),
            standin.capture_requests().len(),
            start.elapsed().as_secs_f64()
        );
    }
}

criterion_group!(benches, bench_from_store, online_at_default_limits);
criterion_main!(benches);

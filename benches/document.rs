//! Cost of building a Document's outline: `Document::push_heading` for 10k, 20k, 40k and
//! 80k headings (h2 and h3 alternating under one h1, the shape that made the old walk
//! back over every earlier section quadratic), beside that walk back itself as the
//! reference (10k and 20k only: it takes 5.6 s at 40k). Linear shows as the time per heading staying flat as the count doubles.
//!
//! `cargo bench --bench document`; end to end (`policydiff text` on generated pages,
//! time and peak memory): `scripts/normalize-scaling.sh`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use policydiff::{Document, Section};

fn level(i: usize) -> u8 {
    if i % 2 == 0 {
        2
    } else {
        3
    }
}

fn outline(n: usize) -> Document {
    let mut doc = Document::new(None);
    doc.push_heading(1, "Privacy Policy".into());
    for i in 0..n {
        doc.push_heading(level(i), format!("Heading {i}"));
    }
    doc
}

/// What `push_heading` did before: the path found by walking back over every earlier
/// section to the nearest of each lower level.
fn walk_back(n: usize) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let push = |sections: &mut Vec<Section>, level: u8, heading: String| {
        let mut path = Vec::new();
        let mut want = level;
        for s in sections.iter().rev() {
            if s.level > 0 && s.level < want {
                path.push(s.heading.clone().unwrap_or_default());
                want = s.level;
                if want == 1 {
                    break;
                }
            }
        }
        path.reverse();
        path.push(heading.clone());
        sections.push(Section { heading: Some(heading), level, path, blocks: Vec::new() });
    };
    push(&mut sections, 1, "Privacy Policy".into());
    for i in 0..n {
        push(&mut sections, level(i), format!("Heading {i}"));
    }
    sections
}

fn bench_outline(c: &mut Criterion) {
    let mut group = c.benchmark_group("push_heading");
    group.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    for n in [10_000, 20_000, 40_000, 80_000] {
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("outline", n), &n, |b, &n| b.iter(|| black_box(outline(n))));
        // The reference only where it takes seconds, not minutes.
        if n <= 20_000 {
            group.bench_with_input(BenchmarkId::new("walk_back", n), &n, |b, &n| {
                b.iter(|| black_box(walk_back(n)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_outline);
criterion_main!(benches);

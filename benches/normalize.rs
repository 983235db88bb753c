//! Throughput of the HTML normalizer over the archived policy pages of the bundled
//! store `snapshots/`: one iteration normalizes every page once. Beside it, the
//! parse-only baseline (`scraper::Html::parse_document`, the floor any DOM-based
//! normalizer pays) and, with `--features compare`, dom_smoothie (Readability) over
//! the same bytes.
//!
//! `cargo bench --bench normalize` (add `--features compare` for dom_smoothie);
//! `scripts/bench-normalize.sh` prints MB/s for all three.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use policydiff::normalize::{normalize, InputKind, Options};

/// Every capture of the bundled store `snapshots/` (21 real archived policy pages).
fn pages() -> Vec<Vec<u8>> {
    let store = policydiff::store::Store::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    let captures = store.all_captures().expect("the bundled store reads");
    assert!(!captures.is_empty(), "no captures in {}", store.root().display());
    captures.iter().map(|c| store.read_body(c).expect("an intact capture")).collect()
}

fn bench_normalize(c: &mut Criterion) {
    let pages = pages();
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let texts: Vec<String> = pages.iter().map(|p| String::from_utf8_lossy(p).into_owned()).collect();
    let options = Options::default();

    let mut group = c.benchmark_group("normalize");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Bytes(bytes as u64));

    group.bench_function("policydiff", |b| {
        b.iter(|| {
            for page in &pages {
                // The result (a Document or why there is none) is what is measured.
                let _ = black_box(normalize(black_box(page), InputKind::Html, &options));
            }
        })
    });

    group.bench_function("scraper_parse", |b| {
        b.iter(|| {
            for text in &texts {
                black_box(scraper::Html::parse_document(black_box(text)));
            }
        })
    });

    #[cfg(feature = "compare")]
    group.bench_function("dom_smoothie", |b| {
        b.iter(|| {
            for text in &texts {
                if let Ok(mut r) = dom_smoothie::Readability::new(black_box(text.as_str()), None, None) {
                    let _ = black_box(r.parse());
                }
            }
        })
    });

    group.finish();
}

criterion_group!(benches, bench_normalize);
criterion_main!(benches);

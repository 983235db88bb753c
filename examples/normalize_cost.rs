//! Runs one stage over every page of the bundled store `snapshots/` once, for instruction counting under
//! `valgrind --tool=callgrind` (repeatable on a noisy machine, unlike wall time):
//!
//! ```text
//! cargo build --release --example normalize_cost
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/normalize_cost parse
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/normalize_cost normalize
//! ```
//! (`scripts/normalize-cost.sh` runs both and prints the ratio.)

use std::path::Path;

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "normalize".into());
    // The bundled store's captures, or every `.html` of a folder given as second argument.
    let mut pages: Vec<Vec<u8>> = match std::env::args().nth(2) {
        Some(dir) => std::fs::read_dir(Path::new(&dir))
            .expect("page folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .filter_map(|p| std::fs::read(p).ok())
            .collect(),
        None => {
            let store =
                policydiff::store::Store::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
            let captures = store.all_captures().expect("the bundled store reads");
            // Plain reads: a SHA-1 check would add to the instructions counted.
            captures.iter().map(|c| std::fs::read(&c.html).expect("a readable capture")).collect()
        }
    };
    pages.sort();
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let mut sink = 0usize;
    // Five passes, so one-off costs (compiling the static regexes) weigh as little as
    // they do in a long run.
    for page in pages.iter().cycle().take(pages.len() * 5) {
        match mode.as_str() {
            "parse" => {
                let html = String::from_utf8_lossy(page);
                sink += scraper::Html::parse_document(&html).tree.nodes().count();
            }
            #[cfg(feature = "compare")]
            "dom_smoothie" => {
                let html = String::from_utf8_lossy(page);
                if let Ok(mut r) = dom_smoothie::Readability::new(html.as_ref(), None, None) {
                    sink += r.parse().map_or(0, |a| a.text_content.len());
                }
            }
            _ => {
                let opts = policydiff::normalize::Options::default();
                let doc =
                    policydiff::normalize::normalize(page, policydiff::normalize::InputKind::Html, &opts);
                sink += doc.map_or(0, |d| d.sections.len());
            }
        }
    }
    println!("{mode}: {} pages x 5, {bytes} bytes ({sink})", pages.len());
}

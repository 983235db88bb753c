//! Snapshot tests of the Markdown the normalizer makes of each real archived page in
//! `tests/fixtures/pages/` (sources and licence in its README). A reviewer sees in the
//! snapshot diff exactly what a change to the normalizer does to real pages.

use std::path::Path;

use policydiff::normalize::{normalize, InputKind, Options};

#[test]
fn every_real_page_normalizes_to_its_reviewed_markdown() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 20, "expected the real fixture pages, found {}", pages.len());
    for page in pages {
        let name = page.file_stem().and_then(|s| s.to_str()).unwrap_or("page").to_string();
        let bytes = std::fs::read(&page).expect("readable fixture");
        let doc =
            normalize(&bytes, InputKind::Html, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::with_settings!({ snapshot_path => "snapshots/pages", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, doc.to_markdown());
        });
    }
}

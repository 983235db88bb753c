//! Snapshot tests of the Markdown the normalizer makes of each real archived page in the
//! bundled store `snapshots/` (sources and licence in its README). A reviewer sees in the
//! snapshot diff exactly what a change to the normalizer does to real pages.

use std::path::Path;

use policydiff::normalize::{normalize, InputKind, Options};
use policydiff::store::Store;

/// `www.nakivo.com/…` filed at 20171211160722 → `nakivo.com-20171211160722`.
fn page_name(url: &str, timestamp: &str) -> String {
    let host = url.split("://").nth(1).unwrap_or(url).split('/').next().unwrap_or_default();
    format!("{}-{timestamp}", host.strip_prefix("www.").unwrap_or(host))
}

#[test]
fn every_real_page_normalizes_to_its_reviewed_markdown() {
    let store = Store::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    let captures = store.all_captures().expect("the bundled store reads");
    assert_eq!(captures.len(), 22, "the bundled store holds 22 captures");
    for capture in captures {
        let name = page_name(&capture.meta.url, &capture.meta.timestamp);
        let bytes = store.read_body(&capture).expect("an intact capture");
        let options = Options { content_type: capture.meta.content_type.clone(), ..Options::default() };
        let doc = normalize(&bytes, InputKind::Html, &options).unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::with_settings!({ snapshot_path => "snapshots/pages", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, doc.to_markdown());
        });
    }
}

//! Names from URLs are sanitised: nothing a URL holds can put a file outside the store.

use std::path::{Component, Path};

use policydiff::archive::Fetched;
use policydiff::store::names::{capture_dir, segment, MAX_SEGMENT};
use policydiff::store::Store;
use proptest::prelude::*;

fn assert_confined(url: &str) {
    let Ok(dir) = capture_dir(url) else { return };
    assert!(dir.components().count() >= 1, "{url}");
    for c in dir.components() {
        let Component::Normal(name) = c else { panic!("{url} → {dir:?}: {c:?}") };
        let name = name.to_str().expect("names are ASCII");
        assert!(!name.is_empty() && !name.starts_with('.'), "{url} → {dir:?}");
        assert!(name.len() <= MAX_SEGMENT, "{url} → {name} is too long");
        assert!(name.bytes().all(|b| b.is_ascii_graphic()), "{url} → {name:?}");
        assert!(!name.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']), "{url} → {name:?}");
    }
}

#[test]
fn the_common_case_reads_like_the_url() {
    assert_eq!(
        capture_dir("https://www.nakivo.com/support/privacy-policy").unwrap(),
        Path::new("www.nakivo.com/support/privacy-policy")
    );
    assert_eq!(capture_dir("http://www.cnn.com:80/").unwrap(), Path::new("www.cnn.com"));
    assert_eq!(capture_dir("HTTP://Example.COM/Privacy").unwrap(), Path::new("example.com/Privacy"));
    assert_eq!(capture_dir("http://a.com:8080/x").unwrap(), Path::new("a.com+8080/x"));
}

#[test]
fn traversal_and_absolute_paths_are_neutralised() {
    for url in [
        "http://a.com/../../../etc/passwd",
        "http://a.com/%2e%2e/%2E%2E/%2e%2E/x",
        "http://a.com/..%2f..%2fetc",
        "http://../x",
        "http://a.com//etc/passwd",
        "http://a.com/C:\\Windows",
        "http://a.com/.locks/x",
        "http://a.com/%00/x\u{7}y",
        "/etc/passwd",
        "http://a.com/\u{202e}evil",
    ] {
        assert_confined(url);
    }
    assert_eq!(capture_dir("http://a.com/../x").unwrap(), Path::new("a.com/%2E%2E/x"));
    assert_eq!(capture_dir("http://a.com/.locks").unwrap(), Path::new("a.com/%2Elocks"));
    assert!(capture_dir("http://../x").is_err(), "no host left");
}

#[test]
fn percent_encoding_has_one_spelling() {
    assert_eq!(segment("caf%c3%a9"), segment("caf%C3%A9"));
    assert_eq!(segment("café"), "caf%C3%A9");
    assert_eq!(segment("a b"), "a%20b");
    assert_eq!(capture_dir("http://a.com/p%2fq").unwrap(), capture_dir("http://a.com/p%2Fq").unwrap());
}

#[test]
fn query_strings_become_one_encoded_segment() {
    assert_eq!(
        capture_dir("http://www.bookcloseouts.com/bc/docs/UHPolicy.asp?TAB=W").unwrap(),
        Path::new("www.bookcloseouts.com/bc/docs/UHPolicy.asp/%3FTAB=W")
    );
    assert_eq!(capture_dir("http://a.com/p?x=../../y#frag").unwrap(), Path::new("a.com/p/%3Fx=..%2F..%2Fy"));
    assert_ne!(capture_dir("http://a.com/p?a=1").unwrap(), capture_dir("http://a.com/p?a=2").unwrap());
}

#[test]
fn long_names_are_bounded_and_still_distinct() {
    let a = format!("http://a.com/{}", "x".repeat(500));
    let b = format!("http://a.com/{}y", "x".repeat(499));
    assert_confined(&a);
    assert_ne!(capture_dir(&a).unwrap(), capture_dir(&b).unwrap());
    assert_confined(&format!("http://a.com/{}", "%C3%A9".repeat(200)));
}

#[test]
fn a_hostile_url_is_written_inside_the_store() {
    let root = tempfile::tempdir().unwrap();
    let store = Store::new(root.path().join("store"));
    let url = "http://a.com/../../../outside?x=/../../y";
    let fetched = Fetched {
        url: url.into(),
        requested_timestamp: "20180101000000".into(),
        timestamp: "20180101000000".into(),
        final_url: url.into(),
        hops: vec![],
        headers: Default::default(),
        body: b"<p>x</p>".to_vec().into(),
        gzip_decoded: false,
    };
    let stored = store.put(&fetched, "20180101000000", None).unwrap();
    assert!(stored.html.starts_with(root.path().join("store")));
    let outside: Vec<_> = std::fs::read_dir(root.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(outside, [std::ffi::OsString::from("store")]);
    assert!(store.put(&fetched, "../../x", None).is_err(), "timestamps are 14 digits");
    assert_eq!(store.captures(url).unwrap().len(), 1);
}

proptest! {
    #[test]
    fn no_url_escapes_the_store(path in "[a-zA-Z0-9./%?#:@\\\\ \\x00-\\x1f\u{80}-\u{10ffff}-]{0,300}") {
        assert_confined(&format!("http://host.example/{path}"));
        assert_confined(&format!("https://{path}"));
        assert_confined(&path);
    }
}

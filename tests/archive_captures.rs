//! `policydiff captures URL` against the Wayback stand-in: CDX query, JSON and plain
//! answers, resume keys, real recorded listings (including malformed ones), blocked URLs.

mod support;

use support::*;

const URL: &str = "https://example.com/privacy";

fn three() -> Archive {
    let mut a = Archive::default();
    a.add(URL, "20170101000000", &page(1)).add(URL, "20180101000000", &page(2)).add(
        URL,
        "20190101000000",
        &page(3),
    );
    a
}

#[test]
fn captures_asks_cdx_politely_and_caches_the_listing() {
    let archive = three();
    let s = StandIn::start(move |r| archive.answer(r));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["captures", URL, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ts: Vec<&str> =
        v["captures"].as_array().unwrap().iter().map(|c| c["timestamp"].as_str().unwrap()).collect();
    assert_eq!(ts, ["20170101000000", "20180101000000", "20190101000000"]);
    assert_eq!(v["captures"][0]["status"], 200);
    assert_eq!(v["captures"][0]["digest"], digest(&page(1)));

    let reqs = s.cdx_requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.param("url"), Some(URL));
    assert_eq!(r.param("output"), Some("json"));
    assert_eq!(r.param("collapse"), Some("digest"));
    assert_eq!(r.param("showResumeKey"), Some("true"));
    assert!(r
        .params("filter")
        .iter()
        .any(|f| f.starts_with("statuscode:") && f.contains("200") && f.contains("301")));
    assert!(r.params("filter").iter().any(|f| f.starts_with("mimetype:") && f.contains("text/html")));
    assert!(r.param("resolveRevisits").is_none(), "resolveRevisits must not be used");
    let agent = &r.headers["user-agent"];
    assert!(agent.starts_with(&format!("policydiff/{} (+", env!("CARGO_PKG_VERSION"))), "{agent}");

    let listing: serde_json::Value = serde_json::from_slice(
        &std::fs::read(store.path().join("example.com/privacy/captures.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(listing["captures"].as_array().unwrap().len(), 3);
    assert!(listing["taken_at"].as_str().unwrap().starts_with("20"));
}

#[test]
fn from_to_and_all_shape_the_query() {
    let archive = three();
    let s = StandIn::start(move |r| archive.answer(r));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(
        store.path(),
        &s.base,
        &[],
        &["captures", URL, "--from", "2018", "--to", "2018-06", "--all"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("20180101000000") && !out.contains("20170101000000") && !out.contains("20190101000000"),
        "{out}"
    );
    let r = &s.cdx_requests()[0];
    assert_eq!(r.param("from"), Some("20180101000000"));
    assert_eq!(r.param("to"), Some("20180630235959"));
    assert!(r.param("collapse").is_none() && r.params("filter").is_empty(), "--all lists every capture");
}

#[test]
fn long_histories_are_read_page_by_page_with_resume_keys() {
    let mut archive = Archive::default();
    for i in 0..7 {
        archive.add(URL, &format!("20{:02}0101000000", 10 + i), &page(i));
    }
    for plain in [false, true] {
        let mut a = archive.clone();
        a.plain = plain;
        let s = StandIn::start(move |r| a.answer(r));
        let store = tempfile::tempdir().unwrap();
        let o = policydiff(
            store.path(),
            &s.base,
            &[("POLICYDIFF_CDX_PAGE_SIZE", "3"), ("POLICYDIFF_CDX_RATE", "10")],
            &["captures", URL, "--format", "json"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["captures"].as_array().unwrap().len(), 7, "plain={plain}");
        let reqs = s.cdx_requests();
        let keys: Vec<Option<&str>> = reqs.iter().map(|r| r.param("resumeKey")).collect();
        assert_eq!(keys, [None, Some("3"), Some("6")], "plain={plain}");
        assert_rate(&reqs, 10.0);
    }
}

#[test]
fn recorded_multipage_listing_with_gzip_bodies_is_read_in_full() {
    // 15 real pages of cnn.com captures (plain text, gzip-compressed, with resume keys).
    let pages = cassette("test_search_multipage.yaml");
    let expected: usize = pages
        .iter()
        .map(|p| {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&p.body[..]), &mut text).unwrap();
            text.lines()
                .take_while(|l| !l.trim().is_empty())
                .map(|l| l.split(' ').nth(1).unwrap().to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        })
        .sum();
    let by_key: Vec<(Option<String>, Interaction)> = pages
        .into_iter()
        .map(|p| {
            let q = parse_query(p.uri.split_once('?').unwrap().1);
            (q.into_iter().find(|(k, _)| k == "resumeKey").map(|(_, v)| v), p)
        })
        .collect();
    let s = StandIn::start(move |r| {
        let key = r.param("resumeKey").map(String::from);
        match by_key.iter().find(|(k, _)| *k == key) {
            Some((_, p)) => p.reply("http://unused"),
            None => Reply::status(404),
        }
    });
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(
        store.path(),
        &s.base,
        &[("POLICYDIFF_CDX_RATE", "50")],
        &["captures", "cnn.com", "--all", "--format", "json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(s.cdx_requests().len(), 15, "every page, then stop");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = v["captures"].as_array().unwrap();
    // Pages repeat rows (the recording used resolveRevisits); each capture is listed once.
    let distinct: std::collections::BTreeSet<_> =
        rows.iter().map(|c| c["timestamp"].as_str().unwrap()).collect();
    assert_eq!(distinct.len(), rows.len().min(distinct.len()));
    assert!(rows.len() >= expected, "{} rows, {expected} distinct timestamps recorded", rows.len());
}

fn serve_text(body: Vec<u8>) -> StandIn {
    StandIn::start(move |_| Reply::ok(body.clone()))
}

#[test]
fn malformed_recorded_listings_skip_bad_rows_with_a_warning() {
    for (file, good, bad) in [
        ("malformed_cdx.txt", "20200418003811", "data:image"),
        ("bad_timestamp_cdx.txt", "20011120210446", "20000012170449"),
        ("zero_length_cdx.txt", "20100215131836", ""),
    ] {
        let body = std::fs::read(fixtures().join(file)).unwrap();
        let s = serve_text(body);
        let store = tempfile::tempdir().unwrap();
        let o = policydiff(store.path(), &s.base, &[], &["captures", "x.com", "--all", "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{file}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{file}");
        let out = stdout(&o);
        assert!(out.contains(good), "{file}");
        if !bad.is_empty() {
            assert!(!out.contains(bad), "{file}: the bad row is listed");
            assert!(!out.contains("some/not/even/url/thing") && !out.contains("mailto:"), "{file}");
            assert!(stderr(&o).contains("skipped a row"), "{file}: {}", stderr(&o));
        }
    }
    // bad_timestamp: months and days 00 are not dates.
    let s = serve_text(std::fs::read(fixtures().join("bad_timestamp_cdx.txt")).unwrap());
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["captures", "x.com", "--all", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["captures"].as_array().unwrap().len(), 3);
}

#[test]
fn a_listing_with_no_readable_row_is_a_clear_error() {
    let s = serve_text(b"<html><body>Service temporarily unavailable</body></html>\n".to_vec());
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["captures", "https://x.com/p"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("https://x.com/p") && err.contains("could not be read"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn blocked_urls_name_the_url() {
    let recorded = cassette("test_search_raises_for_blocked_urls.yaml").remove(0);
    let s = StandIn::start(move |r| recorded.reply(&format!("http://{}", r.headers["host"])));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["captures", "https://nationalpost.com/health"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("https://nationalpost.com/health") && err.contains("blocked"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
}

#[test]
fn offline_captures_reads_the_cached_listing_and_makes_no_request() {
    let archive = three();
    let s = StandIn::start(move |r| archive.answer(r));
    let store = tempfile::tempdir().unwrap();
    assert!(policydiff(store.path(), &s.base, &[], &["captures", URL]).status.success());
    let before = s.requests().len();
    let o = policydiff(store.path(), &s.base, &[], &["--offline", "captures", URL, "--from", "2018"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("20190101000000") && !stdout(&o).contains("20170101000000"));
    assert_eq!(s.requests().len(), before, "--offline made a request");
    let o = policydiff(store.path(), &s.base, &[], &["--offline", "captures", "https://other.example/"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("https://other.example/") && stderr(&o).contains("no cached capture listing")
    );
    assert_eq!(s.requests().len(), before);
}

//! `policydiff fetch` and `text URL@DATE` against the Wayback stand-in: raw captures
//! stored byte-exact with metadata, closest-capture and archived redirects (and loops),
//! blocked and never-archived URLs, the gzip quirk, original charsets, offline replay.

mod support;

use std::path::Path;

use support::*;

const URL: &str = "https://example.com/privacy";

fn meta(store: &Path, rel: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(store.join(rel)).unwrap()).unwrap()
}

#[test]
fn fetch_stores_every_capture_byte_exact_with_its_metadata() {
    let mut archive = Archive::default();
    archive.add(URL, "20170101000000", &page(1)).add(URL, "20180101000000", &page(2));
    let a = archive.clone();
    let s = StandIn::start(move |r| a.answer(r));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 downloaded, 0 already"), "{}", stdout(&o));
    assert!(o.stderr.is_empty(), "no progress bar (nor anything else) when piped: {}", stderr(&o));
    for (ts, n) in [("20170101000000", 1), ("20180101000000", 2)] {
        let dir = "example.com/privacy";
        assert_eq!(std::fs::read(store.path().join(format!("{dir}/{ts}.html"))).unwrap(), page(n));
        let m = meta(store.path(), &format!("{dir}/{ts}.json"));
        assert_eq!(m["url"], URL);
        assert_eq!(m["final_url"], URL);
        assert_eq!(m["capture_timestamp"], ts);
        assert_eq!(m["cdx_digest"], digest(&page(n)));
        assert_eq!(m["sha1"], digest(&page(n)));
        assert_eq!(m["digest_matches"], true);
        assert_eq!(m["content_type"], "text/html; charset=utf-8");
        assert_eq!(m["headers"]["orig-server"], "Apache");
        assert!(m["fetched_at"].as_str().unwrap().starts_with("20"));
    }
    let reqs = s.capture_requests();
    let mut targets: Vec<String> = reqs.iter().map(|r| r.target.clone()).collect();
    targets.sort();
    assert_eq!(targets, [format!("/web/20170101000000id_/{URL}"), format!("/web/20180101000000id_/{URL}")]);
    assert_eq!(reqs[0].headers.get("accept-encoding").map(String::as_str), Some("identity"));

    // Again: nothing downloaded.
    let o = policydiff(store.path(), &s.base, &[], &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("0 downloaded, 2 already"), "{}", stdout(&o));
    assert_eq!(s.capture_requests().len(), 2);
}

#[test]
fn fetch_at_takes_the_capture_closest_to_the_date() {
    let mut archive = Archive::default();
    archive.add(URL, "20150601000000", &page(1)).add(URL, "20171211160722", &page(2)).add(
        URL,
        "20190101000000",
        &page(3),
    );
    let s = StandIn::start(move |r| archive.answer(r));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["fetch", URL, "--at", "2017"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stored: Vec<String> = files(store.path()).into_keys().filter(|k| k.ends_with(".html")).collect();
    assert_eq!(stored, ["example.com/privacy/20171211160722.html"]);
}

#[test]
fn closest_capture_redirects_are_followed_and_recorded() {
    let mut archive = Archive::default();
    archive.add(URL, "20180101000000", &page(7));
    archive.add(URL, "20180105000000", &page(8));
    // Listed at the 1st, played back from the 5th.
    archive.mementos[0].plays_as = Some("20180105000000".into());
    archive.mementos[1].listed = false;
    let s = StandIn::start(move |r| archive.answer(r));
    let store = tempfile::tempdir().unwrap();
    let o =
        policydiff(store.path(), &s.base, &[], &["text", &format!("{URL}@2018-01-01"), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["source"]["timestamp"], "20180105000000");
    assert_eq!(v["source"]["url"], URL);
    let m = meta(store.path(), "example.com/privacy/20180101000000.json");
    assert_eq!(m["capture_timestamp"], "20180105000000");
    assert_eq!(m["redirects"].as_array().unwrap().len(), 2);
    assert_eq!(std::fs::read(store.path().join("example.com/privacy/20180101000000.html")).unwrap(), page(8));
}

#[test]
fn archived_redirects_lead_to_the_moved_policy() {
    let moved = "https://example.com/legal/privacy";
    let mut archive = Archive::default();
    archive.redirect(URL, "20190101000000", 301, moved);
    archive.add(moved, "20190101000000", &page(4));
    let s = StandIn::start(move |r| archive.answer(r));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["text", &format!("{URL}@2019")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Version 4."), "{}", stdout(&o));
    let m = meta(store.path(), "example.com/privacy/20190101000000.json");
    assert_eq!(m["final_url"], moved);
    assert_eq!(m["url"], URL);
}

#[test]
fn redirect_loops_stop_with_an_error_and_store_nothing() {
    let (a, b) = ("https://example.com/a", "https://example.com/b");
    let mut archive = Archive::default();
    archive.redirect(a, "20190101000000", 302, b).redirect(b, "20190101000000", 302, a);
    let s = StandIn::start(move |r| archive.answer(r));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["fetch", a]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(a) && stderr(&o).contains("loop"), "{}", stderr(&o));
    assert!(s.capture_requests().len() <= 3, "{} requests", s.capture_requests().len());
    assert!(!files(store.path()).keys().any(|k| k.ends_with(".html")));
}

#[test]
fn recorded_historical_redirects_are_followed_to_the_final_page() {
    // epa.gov/climatechange: closest-capture 302, archived 301, closest-capture 302, 200 (gzip).
    let recorded = cassette("test_get_memento_follows_historical_redirects.yaml");
    let final_body = {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&recorded[3].body[..]), &mut out)
            .unwrap();
        out
    };
    let url = "http://epa.gov/climatechange";
    let s = serve_cassette(recorded, vec![(url.into(), "20200201020357".into())]);
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["fetch", url]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m = meta(store.path(), "epa.gov/climatechange/20200201020357.json");
    assert_eq!(m["final_url"], "https://www.epa.gov/sites/production/files/signpost/cc.html");
    assert_eq!(m["capture_timestamp"], "20200201024405");
    assert_eq!(m["gzip_decoded"], true);
    assert_eq!(m["redirects"].as_array().unwrap().len(), 4);
    assert_eq!(
        std::fs::read(store.path().join("epa.gov/climatechange/20200201020357.html")).unwrap(),
        final_body
    );
    assert!(final_body.starts_with(b"<!DOCTYPE html>"));
}

#[test]
fn recorded_redirect_loop_is_an_error() {
    let recorded = cassette("test_get_memento_raises_for_mementos_that_redirect_in_a_loop.yaml");
    let url = "https://link.springer.com/article/10.1007/s00382-012-1331-2";
    let s = serve_cassette(recorded, vec![(url.into(), "20200925075402".into())]);
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["fetch", url]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(url) && stderr(&o).contains("loop"), "{}", stderr(&o));
}

#[test]
fn recorded_blocked_and_never_archived_captures_name_the_url() {
    for (file, url, ts, says) in [
        (
            "test_get_memento_raises_blocked_error.yaml",
            "https://nationalpost.com/health/",
            "20170929002712",
            "excluded",
        ),
        (
            "test_get_memento_raises_no_memento_error.yaml",
            "https://this-is-not-real-url.whatever/",
            "20170929002712",
            "not archived",
        ),
    ] {
        let s = serve_cassette(cassette(file), vec![(url.into(), ts.into())]);
        let store = tempfile::tempdir().unwrap();
        let o = policydiff(store.path(), &s.base, &[], &["fetch", url]);
        assert_eq!(o.status.code(), Some(2), "{file}");
        let err = stderr(&o);
        assert!(err.contains(url) && err.contains(says), "{file}: {err}");
        assert!(!files(store.path()).keys().any(|k| k.ends_with(".html")), "{file}");
    }
}

#[test]
fn blocked_captures_by_header_are_errors() {
    let mut archive = Archive::default();
    archive.add(URL, "20180101000000", &page(1));
    archive.blocked.push(URL.into());
    let s = StandIn::start(move |r| archive.answer(r));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["text", &format!("{URL}@2018")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(URL) && stderr(&o).contains("blocked"), "{}", stderr(&o));
}

#[test]
fn the_gzip_quirk_never_corrupts_a_body() {
    let plain = page(5);
    let zipped = {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, &page(6)).unwrap();
        gz.finish().unwrap()
    };
    let mut archive = Archive::default();
    archive.add(URL, "20180101000000", &plain).add(URL, "20190101000000", &page(6));
    let s = StandIn::start(move |r| {
        if r.target.contains("20180101000000id_") {
            // Labelled gzip, but plain.
            Reply::ok(plain.clone())
                .with_header("Content-Encoding", "gzip")
                .with_header("Memento-Datetime", "x")
        } else if r.target.contains("20190101000000id_") {
            // gzip, unlabelled.
            Reply::ok(zipped.clone()).with_header("Memento-Datetime", "x")
        } else {
            archive.answer(r)
        }
    });
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(store.path().join("example.com/privacy/20180101000000.html")).unwrap(), page(5));
    assert_eq!(std::fs::read(store.path().join("example.com/privacy/20190101000000.html")).unwrap(), page(6));
    assert_eq!(meta(store.path(), "example.com/privacy/20190101000000.json")["digest_matches"], true);
}

#[test]
fn the_original_charset_reaches_the_normalizer() {
    let body = b"<html><body><h1>Privacy Policy</h1><p>Caf\xe9 cookies are used by us to remember you.</p></body></html>";
    let mut archive = Archive::default();
    archive.add(URL, "20180101000000", body);
    archive.mementos[0].content_type = "text/html; charset=windows-1252".into();
    let s = StandIn::start(move |r| archive.answer(r));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["text", &format!("{URL}@2018")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Café cookies"), "{}", stdout(&o));
    // Offline, from the stored metadata.
    let o =
        policydiff(store.path(), "http://127.0.0.1:9", &[], &["--offline", "text", &format!("{URL}@2018")]);
    assert!(stdout(&o).contains("Café cookies"), "{}", stderr(&o));
}

#[test]
fn text_online_then_offline_gives_the_same_policy_and_offline_makes_no_request() {
    let mut archive = Archive::default();
    archive.add(URL, "20170101000000", &page(1)).add(URL, "20180101000000", &page(2));
    let s = StandIn::start(move |r| archive.answer(r));
    let store = tempfile::tempdir().unwrap();
    let online = policydiff(store.path(), &s.base, &[], &["text", URL]);
    assert!(online.status.success(), "{}", stderr(&online));
    assert!(stdout(&online).contains("Version 2."), "bare URL is the newest capture");
    let n = s.requests().len();
    let offline = policydiff(store.path(), &s.base, &[], &["--offline", "text", URL]);
    assert_eq!(stdout(&offline), stdout(&online));
    let missing = policydiff(store.path(), &s.base, &[], &["--offline", "text", &format!("{URL}@2017")]);
    assert_eq!(missing.status.code(), Some(2));
    let err = stderr(&missing);
    assert!(err.contains(URL) && err.contains("20170101000000") && err.contains("not in the store"), "{err}");
    assert_eq!(s.requests().len(), n, "--offline made a request");
}

#[test]
fn bundled_snapshots_replay_offline() {
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    for (url, says) in [
        ("https://www.nakivo.com/support/privacy-policy@2017", "NAKIVO"),
        ("http://www.kaseya.com/company/privacy-statement.aspx", "Kaseya"),
        ("https://www.kashoo.com/privacypolicy.html@2012", "Kashoo"),
        ("https://www.jivochat.com/privacy@2015-03", "JivoSite"),
    ] {
        let o = policydiff(&snapshots, "http://127.0.0.1:9", &[], &["--offline", "text", url]);
        assert!(o.status.success(), "{url}: {}", stderr(&o));
        assert!(stdout(&o).contains(says), "{url}: {}", &stdout(&o)[..stdout(&o).len().min(500)]);
    }
}

#[test]
fn offline_without_a_cached_listing_uses_the_stored_captures() {
    let mut archive = Archive::default();
    archive.add(URL, "20170101000000", &page(1)).add(URL, "20180101000000", &page(2));
    let s = StandIn::start(move |r| archive.answer(r));
    let store = tempfile::tempdir().unwrap();
    assert!(policydiff(store.path(), &s.base, &[], &["fetch", URL]).status.success());
    std::fs::remove_file(store.path().join("example.com/privacy/captures.json")).unwrap();
    let n = s.requests().len();
    let o = policydiff(store.path(), &s.base, &[], &["--offline", "captures", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("20170101000000") && stdout(&o).contains("20180101000000"), "{}", stdout(&o));
    let o = policydiff(store.path(), &s.base, &[], &["--offline", "text", &format!("{URL}@2017-03")]);
    assert!(stdout(&o).contains("Version 1."), "{}", stderr(&o));
    assert_eq!(s.requests().len(), n);
}

#[test]
fn a_digest_already_stored_is_not_downloaded_again() {
    let mut archive = Archive::default();
    // The same bytes captured twice (the stand-in does not collapse by digest).
    archive.add(URL, "20170101000000", &page(1)).add(URL, "20170601000000", &page(1)).add(
        URL,
        "20180101000000",
        &page(2),
    );
    let s = StandIn::start(move |r| archive.answer(r));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 downloaded"), "{}", stdout(&o));
    assert_eq!(s.capture_requests().len(), 2);
    // The second capture of the same digest is served from the first.
    let o = policydiff(store.path(), &s.base, &[], &["text", &format!("{URL}@2017-06"), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(s.capture_requests().len(), 2);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["source"]["timestamp"], "20170101000000");
}

/// The base URL of a port nothing listens on: every connection is refused.
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    base
}

#[test]
fn an_unreachable_archive_is_said_at_once_then_the_last_line_names_offline() {
    use std::io::{BufRead, BufReader};
    let store = tempfile::tempdir().unwrap();
    let base = closed_port();
    let started = std::time::Instant::now();
    let mut child = policydiff_cmd(
        store.path(),
        &base,
        &[("POLICYDIFF_MAX_TRIES", "3"), ("POLICYDIFF_RETRY_BASE_MS", "1000")],
        &["text", &format!("{URL}@2017")],
    )
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    err.read_line(&mut first).unwrap();
    let said_after = started.elapsed();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    let status = child.wait().unwrap();
    let ended_after = started.elapsed();
    assert_eq!(status.code(), Some(2));
    // On a pipe: one plain line at once (no spinner), one error line at the end.
    assert!(
        first.contains("the archive cannot be reached (could not connect")
            && first.contains("retrying, up to 3 tries"),
        "{first}"
    );
    assert!(!first.contains('\r') && !first.contains('\u{1b}'), "no spinner on a pipe: {first:?}");
    let lines: Vec<&str> = rest.lines().collect();
    assert_eq!(lines.len(), 1, "{first}{rest}");
    assert!(lines[0].contains("try again later, or use --offline"), "{rest}");
    // Said before the retries' backoff (1 s, then 2 s), not after it.
    assert!(said_after < std::time::Duration::from_millis(900), "said after {said_after:?}");
    assert!(ended_after >= std::time::Duration::from_secs(3), "ended after {ended_after:?}");
}

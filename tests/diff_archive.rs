//! `policydiff diff` on archive sources: `URL --from DATE --to DATE` and `URL@DATE` pairs,
//! against the Wayback stand-in, then offline from the store; and on the bundled
//! `snapshots/` store, where nakivo.com's policy moved to a new URL between captures.

mod support;

use std::path::Path;

use support::*;

const URL: &str = "https://example.com/privacy";

fn policy(retention: &str, extra: &str) -> Vec<u8> {
    format!(
        r#"<!DOCTYPE html><html><head><title>Privacy Policy | Example</title></head><body>
        <nav><a href="/">Home</a> <a href="/about">About</a> <a href="/blog">Blog</a></nav>
        <main><h1>Privacy Policy</h1>
        <h2>Information We Collect</h2>
        <p>We collect your name and e-mail address when you register. We collect the pages you visit.</p>
        <h2>Retention</h2>
        <p>We keep your personal information for {retention} after you close your account.</p>
        {extra}
        <h2>Contact</h2><p>Write to privacy@example.com with any question about this policy.</p></main>
        <footer>© Example Inc. All rights reserved.</footer></body></html>"#
    )
    .into_bytes()
}

fn archive() -> Archive {
    let mut archive = Archive::default();
    archive
        .add(URL, "20170301000000", &policy("30 days", ""))
        .add(
            URL,
            "20180601000000",
            &policy("90 days", "<p>We share your data with our advertising partners.</p>"),
        )
        .add(
            URL,
            "20190101000000",
            &policy("90 days", "<p>We share your data with our advertising partners.</p>"),
        );
    archive
}

fn changes(json: &serde_json::Value) -> Vec<(String, String, String)> {
    json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (s("kind"), s("old"), s("new"))
        })
        .collect()
}

#[test]
fn diff_url_from_to_compares_two_captures_and_replays_offline() {
    let a = archive();
    let s = StandIn::start(move |r| a.answer(r));
    let store = tempfile::tempdir().unwrap();
    let args = ["diff", URL, "--from", "2017", "--to", "2018-06", "--format", "json"];
    let o = policydiff(store.path(), &s.base, &[], &args);
    assert_eq!(o.status.code(), Some(1), "changes found: {}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(json["schema"], "policydiff.diff/1");
    assert_eq!(json["old"]["url"], URL);
    assert_eq!(json["old"]["timestamp"], "20170301000000");
    assert_eq!(json["new"]["timestamp"], "20180601000000");
    assert_eq!(json["new"]["source"], format!("{URL}@2018-06"));
    let found = changes(&json);
    assert!(
        found.contains(&(
            "reworded".into(),
            "We keep your personal information for 30 days after you close your account.".into(),
            "We keep your personal information for 90 days after you close your account.".into()
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "added".into(),
            String::new(),
            "We share your data with our advertising partners.".into()
        )),
        "{found:?}"
    );
    assert_eq!(found.len(), 2, "nothing else changed (nav and footer are not policy): {found:?}");
    let fetched = s.capture_requests().len();
    assert_eq!(fetched, 2, "only the two captures compared are downloaded");

    // The same comparison again, offline: the same report, no request at all.
    let before = s.requests().len();
    let mut offline = vec!["--offline"];
    offline.extend(args);
    let again = policydiff(store.path(), &s.base, &[], &offline);
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert_eq!(again.stdout, o.stdout);
    assert_eq!(s.requests().len(), before, "--offline makes no request");
}

#[test]
fn url_at_date_sources_give_the_same_diff_as_from_to() {
    let a = archive();
    let s = StandIn::start(move |r| a.answer(r));
    let store = tempfile::tempdir().unwrap();
    let from_to = policydiff(store.path(), &s.base, &[], &["diff", URL, "--from", "2018", "--to", "2019"]);
    let at =
        policydiff(store.path(), &s.base, &[], &["diff", &format!("{URL}@2018"), &format!("{URL}@2019")]);
    assert_eq!(from_to.status.code(), Some(0), "identical captures: {}", stderr(&from_to));
    assert_eq!(at.status.code(), Some(0), "{}", stderr(&at));
}

#[test]
fn diff_of_a_capture_missing_offline_names_it_and_exits_2() {
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(
        store.path(),
        "http://127.0.0.1:9",
        &[],
        &["--offline", "diff", URL, "--from", "2017", "--to", "2018"],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains("example.com/privacy"), "{err}");
}

#[test]
fn bundled_snapshots_diff_offline_across_the_policy_s_move_to_a_new_url() {
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let o = policydiff(
        &snapshots,
        "http://127.0.0.1:9",
        &[],
        &[
            "--offline",
            "diff",
            "https://www.nakivo.com/en/privacy.html@2015",
            "https://www.nakivo.com/support/privacy-policy@2017",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(json["old"]["timestamp"], "20151104030641");
    assert_eq!(json["new"]["timestamp"], "20171211160722");
    let found = changes(&json);
    // The company moved from Campbell, California to Sparks, Nevada.
    assert!(found.iter().any(|(k, _, new)| k == "added" && new.contains("Sparks")), "{found:?}");
    assert!(found.iter().any(|(k, old, _)| k == "removed" && old.contains("Campbell")), "{found:?}");
}

#[test]
fn diff_url_from_to_asks_the_cdx_server_once() {
    let a = archive();
    let s = StandIn::start(move |r| a.answer(r));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(
        store.path(),
        &s.base,
        &[],
        &["diff", URL, "--from", "2017", "--to", "2019", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(s.cdx_requests().len(), 1, "both sides resolve from one listing");
}

/// An archive that answers every request with 503.
fn down() -> StandIn {
    StandIn::start(|_| Reply::status(503))
}

#[test]
fn archive_down_with_the_capture_stored_uses_the_store_and_says_so() {
    let a = archive();
    let up = StandIn::start(move |r| a.answer(r));
    let store = tempfile::tempdir().unwrap();
    let args = ["diff", URL, "--from", "2017", "--to", "2018-06", "--format", "json"];
    let first = policydiff(store.path(), &up.base, &[], &args);
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    let s = down();
    let started = std::time::Instant::now();
    let o = policydiff(
        store.path(),
        &s.base,
        &[("POLICYDIFF_MAX_TRIES", "6"), ("POLICYDIFF_RETRY_BASE_MS", "400")],
        &args,
    );
    let took = started.elapsed();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(o.stdout, first.stdout, "the same report, from the store");
    let err = stderr(&o);
    assert!(err.contains("the archive cannot be reached") && err.contains("from the store"), "{err}");
    assert_eq!(err.lines().count(), 2, "one line per side: {err}");
    assert_eq!(s.cdx_requests().len(), 2, "one try per side, no retries");
    assert!(took < std::time::Duration::from_secs(5), "no retry backoff: {took:?}");
}

#[test]
fn archive_down_with_nothing_stored_says_so_at_once_and_names_offline() {
    let s = down();
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["diff", &format!("{URL}@2017"), &format!("{URL}@2018")]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines[0].contains("the archive cannot be reached") && lines[0].contains("retrying"), "{err}");
    assert!(lines.last().unwrap().contains("--offline"), "{err}");
}

//! `watch add --live`: the page itself is fetched once per check from a local site,
//! politely (User-Agent, conditional GET with ETag and Last-Modified, robots.txt), kept
//! in the store marked as live; a change seen live is announced once, and not again
//! when the archive later captures the same text.

mod support;

use std::sync::{Arc, Mutex};

use support::webhook::{Receiver, Script};
use support::*;

/// A site whose policy page is version `n` (set by the test), served with an ETag and
/// a Last-Modified; 304 when the validators match. robots.txt disallows /private.
fn site(version: Arc<Mutex<usize>>) -> StandIn {
    StandIn::start(move |r| {
        let n = *version.lock().unwrap();
        let etag = format!("\"v{n}\"");
        let modified = format!("Mon, 0{} Dec 2025 10:00:00 GMT", n + 1);
        match r.path.as_str() {
            "/robots.txt" => {
                Reply::ok("User-agent: *\nDisallow: /private\n").with_header("Content-Type", "text/plain")
            }
            "/privacy" | "/private/policy" => {
                if r.headers.get("if-none-match") == Some(&etag) {
                    return Reply::status(304).with_header("ETag", &etag);
                }
                Reply::ok(page(n))
                    .with_header("Content-Type", "text/html; charset=utf-8")
                    .with_header("ETag", &etag)
                    .with_header("Last-Modified", &modified)
            }
            _ => Reply::status(404),
        }
    })
}

#[test]
fn a_change_seen_live_is_announced_once_and_not_again_when_the_archive_catches_up() {
    let store = tempfile::tempdir().unwrap();
    let archive: Arc<Mutex<Archive>> = Arc::default();
    let served = archive.clone();
    let wayback = StandIn::start(move |r| served.lock().unwrap().answer(r));
    let version = Arc::new(Mutex::new(0));
    let site = site(version.clone());
    let url = format!("{}/privacy", site.base);
    let hook = Receiver::start(Script::default());
    let run = |args: &[&str]| policydiff(store.path(), &wayback.base, &[], args);

    let o = run(&["watch", "add", &url, "--live", "--name", "site"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The archive has nothing yet: the live page is the baseline.
    let o = run(&["check", "--webhook", &hook.url]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("site: baseline recorded"), "{}", stdout(&o));
    let got: Vec<Request> = site.requests();
    assert_eq!(got.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(), ["/robots.txt", "/privacy"]);
    assert!(got[1].headers["user-agent"].starts_with("policydiff/"), "{:?}", got[1].headers);
    // Kept in the store, marked as live.
    let metas: Vec<serde_json::Value> = files(store.path())
        .into_iter()
        .filter(|(k, _)| k.ends_with(".json") && k.contains("privacy/"))
        .map(|(_, v)| serde_json::from_slice(&v).unwrap())
        .collect();
    assert_eq!(metas.len(), 1);
    assert_eq!(metas[0]["headers"]["policydiff-live"], "true");

    // Unchanged: a conditional GET, answered 304.
    let o = run(&["check", "--webhook", &hook.url]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), "site: unchanged\n".to_string()), "{}", stderr(&o));
    let last = site.requests().into_iter().rfind(|r| r.path == "/privacy").unwrap();
    assert_eq!(last.headers.get("if-none-match").map(String::as_str), Some("\"v0\""));
    assert_eq!(
        last.headers.get("if-modified-since").map(String::as_str),
        Some("Mon, 01 Dec 2025 10:00:00 GMT")
    );

    // The page changes: announced once.
    *version.lock().unwrap() = 1;
    let o = run(&["check", "--webhook", &hook.url]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("site: changed: 2 reworded"), "{}", stdout(&o));
    assert_eq!(hook.accepted().len(), 1);
    assert_eq!(hook.accepted()[0].body["step"]["new_capture"], url);

    // Later the archive captures the same text (in its own chrome): nothing to announce.
    let later = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y%m%d%H%M%S").to_string();
    let archived = String::from_utf8(page(1))
        .unwrap()
        .replace("<body>", "<body><nav><a href=\"/?sid=42\">Home</a></nav>");
    archive.lock().unwrap().add(&url, &later, archived.as_bytes());
    let o = run(&["check", "--webhook", &hook.url]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), "site: unchanged\n".to_string()), "{}", stderr(&o));
    assert_eq!(hook.posts().len(), 1);
}

#[test]
fn a_live_page_that_robots_txt_disallows_is_not_fetched() {
    let store = tempfile::tempdir().unwrap();
    let wayback = StandIn::start(|r| Archive::default().answer(r));
    let site = site(Arc::new(Mutex::new(0)));
    let url = format!("{}/private/policy", site.base);
    let o = policydiff(store.path(), &wayback.base, &[], &["watch", "add", &url, "--live"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = policydiff(store.path(), &wayback.base, &[], &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("robots.txt does not allow policydiff"), "{}", stdout(&o));
    assert!(site.requests().iter().all(|r| r.path == "/robots.txt"));
}

#[test]
fn a_live_page_over_the_size_limit_fails_the_watch_with_one_line() {
    let store = tempfile::tempdir().unwrap();
    let wayback = StandIn::start(|r| Archive::default().answer(r));
    let site = StandIn::start(|r| match r.path.as_str() {
        "/privacy" => Reply::ok(vec![b'a'; 3 << 20]).with_header("Content-Type", "text/html"),
        _ => Reply::status(404),
    });
    let url = format!("{}/privacy", site.base);
    let env = [("POLICYDIFF_MAX_BODY_MB", "1")];
    let o = policydiff(store.path(), &wayback.base, &env, &["watch", "add", &url, "--live", "--name", "big"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = policydiff(store.path(), &wayback.base, &env, &["check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("big: error: ") && out.contains("larger than 1 MB"), "{out}");
}

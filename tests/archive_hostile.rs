//! A hostile archive (tests/support/hostile.rs): what the network sends is capped in
//! size and time, an empty or cut body is never a capture, a huge `Retry-After` neither
//! hangs a run nor holds another archive, and URLs and control characters from the
//! archive leave short, inert error lines and an unchanged request path.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::hostile::{cdx, gzip_bomb, Act, Hostile};
use support::*;

const URL: &str = "https://example.com/privacy";
const TS: &str = "20180101000000";

/// The archive lists one capture of URL and plays it with `capture(nth try)`.
fn archive(capture: impl Fn(usize) -> Act + Send + Sync + 'static) -> Hostile {
    Hostile::start(
        move |target, nth| {
            if target.starts_with("/cdx/") {
                cdx(&[(TS, URL)])
            } else {
                capture(nth)
            }
        },
    )
}

fn stored_captures(store: &Path) -> Vec<String> {
    files(store).into_keys().filter(|k| k.ends_with(".html")).collect()
}

/// What is left in the store's spool folder, where bodies are written as they come.
fn spooled(store: &Path) -> Vec<String> {
    files(store).into_keys().filter(|k| k.starts_with(".tmp/")).collect()
}

/// The error is one line, and it is the last thing on stderr.
fn one_error_line(stderr: &str) -> String {
    let last = stderr.trim_end().lines().last().unwrap_or_default();
    assert!(last.len() < 600, "a {} byte error line: {last}", last.len());
    last.to_string()
}

#[test]
fn an_endless_body_fails_the_capture_at_the_size_limit() {
    let a = archive(|_| Act::Endless);
    let store = tempfile::tempdir().unwrap();
    let t0 = Instant::now();
    let o = policydiff(store.path(), &a.base, &[("POLICYDIFF_MAX_BODY_MB", "2")], &["fetch", URL]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let line = one_error_line(&stderr(&o));
    assert!(line.contains("more than 2 MB") && line.contains("POLICYDIFF_MAX_BODY_MB"), "{line}");
    assert!(stored_captures(store.path()).is_empty());
    assert_eq!(spooled(store.path()), Vec::<String>::new(), "the part written is removed");
    // Not retried (the answer is not transient), and read no further than the limit
    // plus what was in flight.
    assert_eq!(a.capture_targets().len(), 1);
    assert!(t0.elapsed() < Duration::from_secs(20), "{:?}", t0.elapsed());
    std::thread::sleep(Duration::from_millis(200));
    assert!(*a.endless_bytes.lock().unwrap() < 64 << 20, "{} bytes sent", a.endless_bytes.lock().unwrap());
}

#[test]
fn a_gzip_bomb_over_the_default_limit_is_refused_and_nothing_is_stored() {
    // 40 MiB of zeros in about 40 KB: over the default 32 MB once inflated.
    let bomb = gzip_bomb(40 << 20);
    assert!(bomb.len() < 100_000);
    let a = archive(move |_| Act::capture(bomb.clone()));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &a.base, &[], &["fetch", URL]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let line = one_error_line(&stderr(&o));
    assert!(line.contains("inflates to more than 32 MB"), "{line}");
    assert!(stored_captures(store.path()).is_empty());
    assert_eq!(spooled(store.path()), Vec::<String>::new());
}

#[test]
fn a_large_body_is_streamed_through_the_spool_into_place_byte_exact() {
    let body: Vec<u8> = (0..12u32 << 20).map(|i| b"<p>policy text</p>\n"[(i % 19) as usize]).collect();
    let sent = body.clone();
    let a = archive(move |_| Act::capture(sent.clone()));
    let store = tempfile::tempdir().unwrap();
    // Left by a run that was killed while a body came (no process has this pid).
    std::fs::create_dir_all(store.path().join(".tmp")).unwrap();
    std::fs::write(store.path().join(".tmp/body-4194303-dead"), "partial").unwrap();
    let o = policydiff(store.path(), &a.base, &[("POLICYDIFF_MAX_BODY_MB", "16")], &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    let all = files(store.path());
    assert!(all[&format!("example.com/privacy/{TS}.html")] == body, "stored byte-exact");
    let meta: serde_json::Value =
        serde_json::from_slice(&all[&format!("example.com/privacy/{TS}.json")]).unwrap();
    assert_eq!(meta["sha1"], digest(&body));
    assert_eq!(meta["length"], body.len());
    assert_eq!(spooled(store.path()), Vec::<String>::new(), "moved into place; a dead run's part removed");
}

#[test]
fn a_gzip_body_under_the_limit_is_stored_inflated() {
    let a = archive(|_| Act::capture(gzip_bomb(3 << 20)));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &a.base, &[("POLICYDIFF_MAX_BODY_MB", "4")], &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    let all = files(store.path());
    assert_eq!(all[&format!("example.com/privacy/{TS}.html")].len(), 3 << 20);
}

#[test]
fn a_content_length_over_the_limit_is_refused_before_the_body_is_read() {
    let a = archive(|_| Act::Stall { promised: 50 << 20, sent: Vec::new(), stall: Duration::from_secs(30) });
    let store = tempfile::tempdir().unwrap();
    let t0 = Instant::now();
    let o = policydiff(store.path(), &a.base, &[("POLICYDIFF_MAX_BODY_MB", "1")], &["fetch", URL]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(one_error_line(&stderr(&o)).contains("announces an answer of more than 1 MB"), "{}", stderr(&o));
    // Refused at the headers: no waiting for the stalled body.
    assert!(t0.elapsed() < Duration::from_secs(10), "{:?}", t0.elapsed());
}

#[test]
fn an_empty_200_is_retried_and_never_stored() {
    let a = archive(|_| Act::capture(Vec::new()));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &a.base, &[], &["fetch", URL]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let line = one_error_line(&stderr(&o));
    assert!(line.contains("empty body") && line.contains("4 tries"), "{line}");
    assert_eq!(a.capture_targets().len(), 4, "retried up to POLICYDIFF_MAX_TRIES");
    assert!(stored_captures(store.path()).is_empty());
}

#[test]
fn an_empty_200_then_the_page_stores_the_page() {
    let a = archive(|nth| Act::capture(if nth == 0 { Vec::new() } else { page(1) }));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &a.base, &[], &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files(store.path())[&format!("example.com/privacy/{TS}.html")], page(1));
}

#[test]
fn a_cut_gzip_body_is_retried_not_stored() {
    let whole = gzip_bomb(100_000);
    let cut = whole[..whole.len() - 20].to_vec();
    let a = archive(move |nth| Act::capture(if nth == 0 { cut.clone() } else { whole.clone() }));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &a.base, &[], &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(a.capture_targets().len(), 2);
    assert_eq!(files(store.path())[&format!("example.com/privacy/{TS}.html")], vec![0u8; 100_000]);
}

/// A capture as an older version stored it: `body` with metadata claiming `sha1`.
fn plant_capture(store: &Path, body: &[u8], sha1: &str) {
    let dir = store.join("example.com/privacy");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{TS}.html")), body).unwrap();
    let meta = serde_json::json!({
        "url": URL, "timestamp": TS, "capture_timestamp": TS, "final_url": URL,
        "cdx_digest": null, "sha1": sha1, "digest_matches": null, "length": body.len(),
        "fetched_at": "2020-01-01T00:00:00Z", "content_type": "text/html"
    });
    std::fs::write(dir.join(format!("{TS}.json")), serde_json::to_vec(&meta).unwrap()).unwrap();
}

#[test]
fn a_stored_empty_capture_is_fetched_again_and_repaired() {
    let a = archive(|_| Act::capture(page(1)));
    let store = tempfile::tempdir().unwrap();
    plant_capture(store.path(), b"", &digest(b""));
    let o = policydiff(store.path(), &a.base, &[], &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 downloaded"), "{}", stdout(&o));
    assert_eq!(files(store.path())[&format!("example.com/privacy/{TS}.html")], page(1));
}

#[test]
fn a_stored_capture_whose_bytes_were_damaged_is_fetched_again_and_repaired() {
    let a = archive(|_| Act::capture(page(1)));
    let store = tempfile::tempdir().unwrap();
    let mut damaged = page(1);
    damaged[40] ^= 0x20;
    plant_capture(store.path(), &damaged, &digest(&page(1)));
    let o = policydiff(store.path(), &a.base, &[], &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 downloaded"), "{}", stdout(&o));
    assert_eq!(files(store.path())[&format!("example.com/privacy/{TS}.html")], page(1));
    // Repaired: the next run downloads nothing.
    let again = policydiff(store.path(), &a.base, &[], &["fetch", URL]);
    assert!(stdout(&again).contains("0 downloaded"), "{}", stdout(&again));
}

#[test]
fn a_huge_retry_after_fails_at_once_and_holds_no_other_archive() {
    let limited = archive(|nth| {
        if nth == 0 {
            Act::from(Reply::status(429).with_header("Retry-After", "1000000000"))
        } else {
            Act::capture(page(1))
        }
    });
    let healthy = archive(|_| Act::capture(page(2)));
    let store = tempfile::tempdir().unwrap();
    let env = [("POLICYDIFF_MAX_PAUSE_MS", "3000")];

    let t0 = Instant::now();
    let o = policydiff(store.path(), &limited.base, &env, &["fetch", URL]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let line = one_error_line(&stderr(&o));
    assert!(line.contains("wait 31.7 years") && line.contains("POLICYDIFF_MAX_PAUSE_MS"), "{line}");
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());

    // Another archive on the same store: no wait, no word of a pause.
    let t1 = Instant::now();
    let o = policydiff(store.path(), &healthy.base, &env, &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(t1.elapsed() < Duration::from_millis(2500), "{:?}", t1.elapsed());
    assert!(!stderr(&o).contains("waiting"), "{}", stderr(&o));

    // The archive that asked: the next run waits out the capped pause, and says so.
    let o = policydiff(store.path(), &limited.base, &env, &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("waiting") && err.contains("another policydiff run"), "{err}");
    let waited = t0.elapsed();
    assert!(waited >= Duration::from_millis(2900), "the pause of 3 s was not honoured: {waited:?}");
}

#[test]
fn dot_segments_in_a_cdx_original_keep_the_raw_request_path() {
    let a = Hostile::start(|target, _| {
        if target.starts_with("/cdx/") {
            cdx(&[(TS, "https://example.com/a/../../../../privacy")])
        } else {
            Act::capture(page(1))
        }
    });
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &a.base, &[], &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    let captures = a.capture_targets();
    assert_eq!(captures, [format!("/web/{TS}id_/https://example.com/privacy")]);
}

#[test]
fn a_five_kilobyte_url_from_the_archive_leaves_a_short_error_line() {
    // A 4 KB URL in the listing that the archive has not archived, and a 4.9 KB
    // redirect leading out of the archive: each error is one short line.
    let listed = format!("https://example.com/{}", "segment/".repeat(495));
    let away = format!("https://elsewhere.example/{}", "segment/".repeat(610));
    assert!(away.len() > 4900);
    for (original, capture) in [
        (listed.clone(), Act::Answer { status: 404, headers: vec![], body: b"not archived".to_vec() }),
        (URL.to_string(), Act::from(Reply::status(302).with_header("Location", &away))),
    ] {
        let a = Hostile::start(move |target, _| {
            if target.starts_with("/cdx/") {
                cdx(&[(TS, &original)])
            } else {
                capture.clone()
            }
        });
        let store = tempfile::tempdir().unwrap();
        let o = policydiff(store.path(), &a.base, &[], &["fetch", URL]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let line = one_error_line(&stderr(&o));
        assert!(line.contains('…'), "{line}");
        assert!(line.contains("has not archived") || line.contains("out of the archive"), "{line}");
    }
}

#[test]
fn a_body_that_stalls_past_the_time_limit_says_timed_out() {
    let a =
        archive(|_| Act::Stall { promised: 1000, sent: b"<html>".to_vec(), stall: Duration::from_secs(5) });
    let store = tempfile::tempdir().unwrap();
    let env = [("POLICYDIFF_TIMEOUT_MS", "500"), ("POLICYDIFF_MAX_TRIES", "2")];
    let o = policydiff(store.path(), &a.base, &env, &["fetch", URL]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let line = one_error_line(&stderr(&o));
    assert!(line.contains("timed out") && line.contains("body"), "{line}");
    assert!(stored_captures(store.path()).is_empty());
}

#[test]
fn escape_sequences_in_cdx_fields_never_reach_the_terminal_raw() {
    let a = Hostile::start(|target, _| {
        if target.starts_with("/cdx/") {
            cdx(&[(TS, "https://example.com/privacy\u{1b}]0;pwned\u{7}\u{1b}[2J")])
        } else {
            Act::from(Reply::status(404))
        }
    });
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &a.base, &[], &["captures", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!o.stdout.contains(&0x1b) && !o.stderr.contains(&0x1b), "{}", stdout(&o));
    assert!(stdout(&o).contains("%1B]0;pwned%07%1B[2J"), "{}", stdout(&o));
    let o = policydiff(store.path(), &a.base, &[], &["fetch", URL]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!o.stdout.contains(&0x1b) && !o.stderr.contains(&0x1b), "{}", stderr(&o));
}

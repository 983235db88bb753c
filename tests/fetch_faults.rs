//! Fault tests: the stand-in answers 429 (with and without Retry-After), 503, resets
//! connections, cuts bodies short and answers slowly. Every capture still ends in the
//! store byte-exact, no partial file exists, the request rate stays under the limit,
//! each capture is downloaded once, and --offline makes no request.

mod support;

use std::time::Duration;

use support::*;

const URL: &str = "https://example.com/privacy";

fn ts(i: usize) -> String {
    format!("201801{:02}000000", i + 1)
}

fn archive(n: usize) -> Archive {
    let mut a = Archive::default();
    for i in 0..n {
        a.add(URL, &ts(i), &page(i));
    }
    a
}

/// Only `.html`, `.json` and `captures.json`: no temporary or partial file.
fn assert_clean_store(store: &std::path::Path, n: usize) {
    let all = files(store);
    for name in all.keys() {
        let file = name.rsplit('/').next().unwrap();
        assert!(!file.starts_with('.'), "left behind: {name}");
        assert!(file.ends_with(".html") || file.ends_with(".json"), "unexpected: {name}");
    }
    for i in 0..n {
        let html = format!("example.com/privacy/{}.html", ts(i));
        assert_eq!(all.get(&html), Some(&page(i)), "{html} is not byte-exact");
    }
}

#[test]
fn every_fault_ends_in_a_byte_exact_store_within_the_rate_limit() {
    let a = archive(6);
    let target = |i: usize| format!("/web/{}id_/{URL}", ts(i));
    let (t0, t1, t2, t3, t4, t5) = (target(0), target(1), target(2), target(3), target(4), target(5));
    let s = StandIn::start(move |r| {
        if r.nth == 0 {
            if r.target == t0 {
                return Reply::status(503);
            } else if r.target == t1 {
                return Reply::Reset;
            } else if r.target == t2 {
                let full = page(2);
                return Reply::CutShort { body: full[..full.len() / 2].to_vec(), promised: full.len() };
            } else if r.target == t3 {
                return Reply::Slow(Duration::from_millis(900), Box::new(a.answer(r)));
            } else if r.target == t4 {
                return Reply::status(429);
            } else if r.target == t5 {
                return Reply::Slow(Duration::from_millis(150), Box::new(a.answer(r)));
            }
        }
        a.answer(r)
    });
    let store = tempfile::tempdir().unwrap();
    let env = [
        ("POLICYDIFF_CAPTURE_RATE", "10"),
        ("POLICYDIFF_TIMEOUT_MS", "400"),
        ("POLICYDIFF_RATE_LIMIT_WAIT_MS", "400"),
    ];
    let o = policydiff(store.path(), &s.base, &env, &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("6 downloaded"), "{}", stdout(&o));
    assert_clean_store(store.path(), 6);

    let reqs = s.capture_requests();
    for i in 0..6 {
        let n = reqs.iter().filter(|r| r.target == target(i)).count();
        assert_eq!(n, if i == 5 { 1 } else { 2 }, "requests for capture {i}");
    }
    assert_rate(&reqs, 10.0);
    // After the 429 (no Retry-After: the configured 400 ms), nothing at all was sent.
    let all = s.requests();
    let t429 = all.iter().find(|r| r.target == target(4) && r.nth == 0).unwrap().at;
    for r in &all {
        assert!(
            r.at <= t429 || r.at >= t429 + Duration::from_millis(400),
            "{} sent {:?} after the 429",
            r.target,
            r.at - t429
        );
    }
    println!("capture requests: {}, highest rate seen {:.2}/s (limit 10/s)", reqs.len(), max_rate(&reqs));

    // A second fetch of the same range downloads nothing.
    let o = policydiff(store.path(), &s.base, &env, &["fetch", URL]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("0 downloaded, 6 already"), "{}", stdout(&o));
    assert_eq!(s.capture_requests().len(), reqs.len());

    // Offline: zero requests.
    let n = s.requests().len();
    let o = policydiff(store.path(), &s.base, &[], &["--offline", "text", &format!("{URL}@2018-01-03")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Version 2."));
    assert_eq!(s.requests().len(), n, "--offline made a request");
}

#[test]
fn retry_after_pauses_every_task() {
    let a = archive(4);
    let first = format!("/web/{}id_/{URL}", ts(0));
    let s = StandIn::start(move |r| {
        if r.is_cdx() && r.nth == 0 {
            return Reply::status(429).with_header("Retry-After", "1");
        }
        if r.target == first && r.nth == 0 {
            return Reply::status(429).with_header("Retry-After", "1");
        }
        a.answer(r)
    });
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(store.path(), &s.base, &[("POLICYDIFF_CAPTURE_RATE", "20")], &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_clean_store(store.path(), 4);
    let cdx = s.cdx_requests();
    assert_eq!(cdx.len(), 2);
    let gap = cdx[1].at - cdx[0].at;
    assert!(gap >= Duration::from_millis(1000), "CDX retried {gap:?} after Retry-After: 1");
    let all = s.requests();
    let t = all.iter().find(|r| r.target.contains(&ts(0)) && r.nth == 0).unwrap().at;
    let during: Vec<_> = all.iter().filter(|r| r.at > t && r.at < t + Duration::from_millis(1000)).collect();
    assert!(
        during.is_empty(),
        "requests during the pause: {:?}",
        during.iter().map(|r| &r.target).collect::<Vec<_>>()
    );
    println!("CDX retry after {:.3} s; no request during the 1 s pause", gap.as_secs_f64());
}

#[test]
fn persistent_5xx_gives_up_after_the_configured_tries() {
    let a = archive(3);
    let bad = format!("/web/{}id_/{URL}", ts(1));
    let s = StandIn::start(move |r| if r.target == bad { Reply::status(503) } else { a.answer(r) });
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(
        store.path(),
        &s.base,
        &[("POLICYDIFF_MAX_TRIES", "3"), ("POLICYDIFF_RETRY_BASE_MS", "50")],
        &["fetch", URL],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains(URL) && err.contains("after 3 tries"), "{err}");
    let tries: Vec<_> = s.capture_requests().into_iter().filter(|r| r.target.contains(&ts(1))).collect();
    assert_eq!(tries.len(), 3);
    // Exponential backoff: the second wait is longer than the first, each at least the base.
    let (g1, g2) = (tries[1].at - tries[0].at, tries[2].at - tries[1].at);
    assert!(g1 >= Duration::from_millis(45) && g2 >= Duration::from_millis(95), "{g1:?} {g2:?}");
    // The others are stored; the failed one left nothing.
    let all = files(store.path());
    assert_eq!(all.get(&format!("example.com/privacy/{}.html", ts(0))), Some(&page(0)));
    assert!(!all.keys().any(|k| k.contains(&ts(1))), "{:?}", all.keys());
}

#[test]
fn endless_429_is_not_called_through() {
    let s = StandIn::start(|r| if r.is_cdx() { Reply::status(429) } else { Reply::status(404) });
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(
        store.path(),
        &s.base,
        &[("POLICYDIFF_MAX_TRIES", "3"), ("POLICYDIFF_RATE_LIMIT_WAIT_MS", "300")],
        &["captures", URL],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("429"), "{}", stderr(&o));
    let reqs = s.cdx_requests();
    assert_eq!(reqs.len(), 3);
    for w in reqs.windows(2) {
        assert!(w[1].at - w[0].at >= Duration::from_millis(300), "{:?}", w[1].at - w[0].at);
    }
}

#[test]
fn cdx_pages_respect_the_cdx_rate() {
    let a = archive(8);
    let s = StandIn::start(move |r| a.answer(r));
    let store = tempfile::tempdir().unwrap();
    let o = policydiff(
        store.path(),
        &s.base,
        &[("POLICYDIFF_CDX_RATE", "4"), ("POLICYDIFF_CDX_PAGE_SIZE", "2")],
        &["captures", URL],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let reqs = s.cdx_requests();
    assert_eq!(reqs.len(), 4);
    assert_rate(&reqs, 4.0);
    println!("CDX: {} pages, highest rate seen {:.2}/s (limit 4/s)", reqs.len(), max_rate(&reqs));
}

#[test]
fn the_default_limits_hold_cdx_0_4_and_captures_8_per_second() {
    let a = archive(16);
    let s = StandIn::start(move |r| a.answer(r));
    let store = tempfile::tempdir().unwrap();
    // Empty values fall back to the defaults of PRODUCT.md.
    let env =
        [("POLICYDIFF_CDX_RATE", ""), ("POLICYDIFF_CAPTURE_RATE", ""), ("POLICYDIFF_CDX_PAGE_SIZE", "8")];
    let o = policydiff(store.path(), &s.base, &env, &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_clean_store(store.path(), 16);
    let (cdx, caps) = (s.cdx_requests(), s.capture_requests());
    assert_eq!((cdx.len(), caps.len()), (2, 16));
    assert_rate(&cdx, 0.4);
    assert_rate(&caps, 8.0);
    println!(
        "defaults: CDX gap {:.3} s (limit 2.5 s); captures highest rate {:.2}/s over {} requests (limit 8/s)",
        (cdx[1].at - cdx[0].at).as_secs_f64(),
        max_rate(&caps),
        caps.len()
    );
}

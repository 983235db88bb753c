//! `policydiff check` at scale, against the Wayback stand-in of the tests on 127.0.0.1
//! with the rate limits raised (not a timed test: run `cargo bench --bench check`).
//!
//! 1. 1,000 watches, first check: 1,000 baselines (a CDX listing and a capture each).
//! 2. The same 1,000 watches with nothing new: one CDX listing each and the state
//!    update. Wall time per watch is an upper bound of the cost outside the network
//!    (state, CDX parse), the local round trip included. Needed: ≤ 5 ms.
//! 3. 200 of them with one new capture each: fetch, normalize, diff, record.

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};
use std::time::Instant;

use policydiff::monitor::state::{Db, NewWatch};
use support::{page, policydiff, stderr, Archive, StandIn};

const RAISED: &[(&str, &str)] = &[
    ("POLICYDIFF_CDX_RATE", "100000"),
    ("POLICYDIFF_CAPTURE_RATE", "100000"),
    ("POLICYDIFF_CHECK_LOCK_WAIT_MS", "0"),
];

fn url(i: usize) -> String {
    format!("https://site{i}.example/privacy")
}

fn main() {
    let watches: usize = std::env::var("WATCHES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let changed: usize = std::env::var("CHANGED").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let store = tempfile::tempdir().unwrap();
    let archive: Arc<Mutex<Archive>> = Arc::default();
    for i in 0..watches {
        archive.lock().unwrap().add(&url(i), "20240101000000", &page(i));
    }
    let served = archive.clone();
    let standin = StandIn::start(move |r| served.lock().unwrap().answer(r));
    {
        let mut db = Db::open(store.path()).unwrap();
        for i in 0..watches {
            let new =
                NewWatch { name: format!("site{i}"), url: url(i), select: None, remove: None, live: false };
            db.add_watch(&new).unwrap();
        }
    }
    let check = |what: &str, expect: i32| {
        let t = Instant::now();
        let o = policydiff(store.path(), &standin.base, RAISED, &["check"]);
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(o.status.code(), Some(expect), "{what}: {}", stderr(&o));
        secs
    };
    let first = check("baselines", 0);
    println!(
        "first check, {watches} baselines: {first:.2} s ({:.2} ms per watch)",
        first * 1000.0 / watches as f64
    );
    let requests_before = standin.requests().len();
    let idle = check("nothing new", 0);
    let requests = standin.requests().len() - requests_before;
    println!(
        "check with nothing new, {watches} watches: {idle:.2} s ({:.2} ms per watch, network included; {requests} requests)",
        idle * 1000.0 / watches as f64
    );
    for i in 0..changed.min(watches) {
        archive.lock().unwrap().add(&url(i), "20250101000000", &page(i + 100_000));
    }
    let busy = check("one new capture", 1);
    println!(
        "check with {changed} of {watches} watches changed: {busy:.2} s ({:.2} ms per changed watch, over the idle cost)",
        (busy - idle * (watches - changed) as f64 / watches as f64) * 1000.0 / changed as f64
    );
}

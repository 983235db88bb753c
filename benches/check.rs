//! `policydiff check` at scale, against the Wayback stand-in of the tests on 127.0.0.1
//! with the rate limits raised (not a timed test: run `cargo bench --bench check`).
//!
//! 1. 1,000 watches, first check (the binary): 1,000 baselines, a CDX listing and a
//!    capture each.
//! 2. The same 1,000 watches with nothing new, checked in this process through the
//!    library (as `check` does it), with each check's time on the network (requests
//!    and the rate limiter's waits) told apart from its own work (state, CDX parse).
//!    Needed: own work ≤ 5 ms per watch. Then the same with the binary, for the wall
//!    time a user sees (the etiquette keeps ≥ 15 ms between two requests of a class,
//!    whatever the rate, so that is the floor per watch there).
//! 3. 200 of them with one new capture each: fetch, normalize, diff, record.
//!
//! `WATCHES=` and `CHANGED=` change the sizes.

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use policydiff::acquire::Acquirer;
use policydiff::monitor::check::{Checker, Outcome};
use policydiff::monitor::state::{Db, NewWatch};
use policydiff::store::Store;
use support::{page, policydiff, stderr, Archive, StandIn};

const RAISED: &[(&str, &str)] = &[
    ("POLICYDIFF_CDX_RATE", "100000"),
    ("POLICYDIFF_CAPTURE_RATE", "100000"),
    ("POLICYDIFF_CHECK_LOCK_WAIT_MS", "0"),
];

fn url(i: usize) -> String {
    format!("https://site{i}.example/privacy")
}

/// Checks every watch in this process; returns (wall, network) time and the changed count.
fn check_in_process(store: &std::path::Path, base: &str) -> (Duration, Duration, usize) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        let mut db = Db::open(store).unwrap();
        let acquirer = Acquirer::online(Store::new(store), base).unwrap();
        let mut checker = Checker::new(acquirer, Vec::new()).unwrap();
        let started = Instant::now();
        let (mut network, mut changed) = (Duration::ZERO, 0);
        for watch in db.watches_by_last_check().unwrap() {
            let checked = checker.check(&mut db, &watch).await.unwrap();
            network += checked.network_time;
            changed += matches!(checked.outcome, Outcome::Changed { .. }) as usize;
        }
        (started.elapsed(), network, changed)
    })
}

fn main() {
    for (k, v) in support::FAST.iter().chain(RAISED) {
        std::env::set_var(k, v);
    }
    let watches: usize = std::env::var("WATCHES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let changed: usize =
        std::env::var("CHANGED").ok().and_then(|v| v.parse().ok()).unwrap_or(200).min(watches);
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
    let cli = |what: &str, expect: i32| {
        let t = Instant::now();
        let o = policydiff(store.path(), &standin.base, RAISED, &["check"]);
        assert_eq!(o.status.code(), Some(expect), "{what}: {}", stderr(&o));
        t.elapsed().as_secs_f64()
    };
    let ms = |d: Duration, n: usize| d.as_secs_f64() * 1000.0 / n.max(1) as f64;

    let first = cli("baselines", 0);
    println!(
        "first check (binary), {watches} baselines: {first:.2} s, {:.2} ms per watch",
        first * 1000.0 / watches as f64
    );

    let (wall, network, _) = check_in_process(store.path(), &standin.base);
    let idle_own = (wall - network).as_secs_f64() / watches as f64;
    println!(
        "nothing new, {watches} watches (library): {:.2} s; per watch {:.2} ms, of which network and rate limiter {:.2} ms, own work {:.2} ms",
        wall.as_secs_f64(),
        ms(wall, watches),
        ms(network, watches),
        ms(wall - network, watches)
    );
    let idle = cli("nothing new", 0);
    println!(
        "nothing new, {watches} watches (binary): {idle:.2} s, {:.2} ms per watch",
        idle * 1000.0 / watches as f64
    );

    for i in 0..changed {
        archive.lock().unwrap().add(&url(i), "20250101000000", &page(i + 100_000));
    }
    let (wall, network, found) = check_in_process(store.path(), &standin.base);
    assert_eq!(found, changed);
    let own_changed =
        ((wall - network).as_secs_f64() - idle_own * (watches - changed) as f64) / changed as f64;
    println!(
        "{changed} of {watches} watches with one new capture (library): {:.2} s; own work {:.2} ms per changed watch (fetch into the store, normalize, diff, record), network and rate limiter {:.2} ms per watch",
        wall.as_secs_f64(),
        own_changed * 1000.0,
        ms(network, watches)
    );
}

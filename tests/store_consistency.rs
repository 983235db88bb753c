//! The store stays consistent when a fetch is killed mid-way, when a crash left
//! temporary or orphaned files, and when two processes fetch into it at once.

mod support;

use std::time::Duration;

use support::*;

const URL: &str = "https://example.com/privacy";

fn ts(i: usize) -> String {
    format!("201801{:02}000000", i + 1)
}

fn slow_archive(n: usize, delay_ms: u64) -> StandIn {
    let mut a = Archive::default();
    for i in 0..n {
        a.add(URL, &ts(i), &page(i));
    }
    StandIn::start(move |r| {
        if r.is_capture() {
            Reply::Slow(Duration::from_millis(delay_ms), Box::new(a.answer(r)))
        } else {
            a.answer(r)
        }
    })
}

/// Every visible capture file is complete and byte-exact; returns how many there are.
fn visible_captures_are_exact(store: &std::path::Path) -> usize {
    let all = files(store);
    let mut n = 0;
    for (name, bytes) in &all {
        let file = name.rsplit('/').next().unwrap();
        if let Some(stem) = file.strip_suffix(".html") {
            let i = (1..=31).position(|d| ts(d - 1) == stem).expect("a known timestamp");
            assert_eq!(bytes, &page(i), "{name} is partial or wrong");
            if all.contains_key(&name.replace(".html", ".json")) {
                n += 1;
            }
        }
    }
    n
}

fn assert_complete_and_clean(store: &std::path::Path, n: usize) {
    let all = files(store);
    assert!(
        !all.keys().any(|k| k.rsplit('/').next().unwrap().starts_with('.')),
        "temporary files left: {:?}",
        all.keys()
    );
    for i in 0..n {
        assert_eq!(all.get(&format!("example.com/privacy/{}.html", ts(i))), Some(&page(i)));
        assert!(all.contains_key(&format!("example.com/privacy/{}.json", ts(i))));
    }
}

#[test]
fn a_killed_fetch_leaves_no_partial_capture_and_the_rerun_completes() {
    let s = slow_archive(10, 150);
    let store = tempfile::tempdir().unwrap();
    let env = [("POLICYDIFF_CAPTURE_RATE", "50"), ("POLICYDIFF_CONCURRENCY", "2")];
    let mut child = policydiff_cmd(store.path(), &s.base, &env, &["fetch", URL])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once some captures are stored and others are on their way.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while visible_captures_are_exact(store.path()) < 3 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let done = visible_captures_are_exact(store.path());
    assert!((3..10).contains(&done), "killed after {done} captures");

    let complete: Vec<String> = (0..10)
        .map(ts)
        .filter(|t| store.path().join(format!("example.com/privacy/{t}.json")).exists())
        .collect();
    assert_eq!(complete.len(), done);
    let before = s.capture_requests();
    let o = policydiff(store.path(), &s.base, &env, &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(&format!("{} downloaded, {done} already", 10 - done)), "{}", stdout(&o));
    assert_complete_and_clean(store.path(), 10);
    // What the first run completed was not downloaded again; the rest once each.
    let after = s.capture_requests();
    let rerun = &after[before.len()..];
    assert_eq!(rerun.len(), 10 - done);
    for r in rerun {
        assert!(!complete.iter().any(|t| r.target.contains(t.as_str())), "{} downloaded again", r.target);
    }
    println!("killed after {done}/10 captures; rerun downloaded {}", after.len() - before.len());
}

#[test]
fn leftovers_of_a_crash_are_repaired_by_the_next_run() {
    let s = slow_archive(4, 0);
    let store = tempfile::tempdir().unwrap();
    let dir = store.path().join("example.com/privacy");
    std::fs::create_dir_all(&dir).unwrap();
    // Killed while writing: a hidden temporary with half a body.
    std::fs::write(dir.join(format!(".{}.html.tmp-999-deadbeef", ts(0))), &page(0)[..50]).unwrap();
    // Killed between the two renames: the body but no metadata.
    std::fs::write(dir.join(format!("{}.html", ts(1))), page(1)).unwrap();
    // Damaged by hand: metadata promises more than the file holds.
    std::fs::write(dir.join(format!("{}.html", ts(2))), &page(2)[..10]).unwrap();
    std::fs::write(
        dir.join(format!("{}.json", ts(2))),
        serde_json::json!({"url": URL, "timestamp": ts(2), "capture_timestamp": ts(2), "final_url": URL,
            "cdx_digest": null, "sha1": digest(&page(2)), "digest_matches": null, "length": page(2).len(),
            "fetched_at": "2020-01-01T00:00:00Z", "content_type": null})
        .to_string(),
    )
    .unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("4 downloaded"), "{}", stdout(&o));
    assert_complete_and_clean(store.path(), 4);
}

#[test]
fn two_processes_fetching_into_one_store_download_each_capture_once() {
    let s = slow_archive(8, 80);
    let store = tempfile::tempdir().unwrap();
    let env = [("POLICYDIFF_CAPTURE_RATE", "40"), ("POLICYDIFF_CONCURRENCY", "2")];
    let spawn = || {
        policydiff_cmd(store.path(), &s.base, &env, &["fetch", URL])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success(), "{}", stderr(&a));
    assert!(b.status.success(), "{}", stderr(&b));
    assert_complete_and_clean(store.path(), 8);
    let reqs = s.capture_requests();
    let mut targets: Vec<_> = reqs.iter().map(|r| r.target.clone()).collect();
    targets.sort();
    targets.dedup();
    assert_eq!(reqs.len(), 8, "each capture downloaded once across both processes ({} requests)", reqs.len());
    assert_eq!(targets.len(), 8);
    println!("A: {}B: {}", stdout(&a), stdout(&b));
}

#[test]
fn two_processes_sharing_a_store_share_its_rate_limit() {
    // Each fetches a different URL, so they never wait on each other's capture locks:
    // only the store's shared slot file keeps them, together, within the limit.
    const OTHER: &str = "https://example.com/terms";
    let mut a = Archive::default();
    for i in 0..6 {
        a.add(URL, &ts(i), &page(i)).add(OTHER, &ts(i), &page(100 + i));
    }
    let s = StandIn::start(move |r| a.answer(r));
    let store = tempfile::tempdir().unwrap();
    let env = [("POLICYDIFF_CAPTURE_RATE", "10"), ("POLICYDIFF_CONCURRENCY", "3")];
    let spawn = |url: &str| {
        policydiff_cmd(store.path(), &s.base, &env, &["fetch", url])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (x, y) = (spawn(URL), spawn(OTHER));
    let (x, y) = (x.wait_with_output().unwrap(), y.wait_with_output().unwrap());
    assert!(x.status.success(), "{}", stderr(&x));
    assert!(y.status.success(), "{}", stderr(&y));
    let reqs = s.capture_requests();
    assert_eq!(reqs.len(), 12);
    println!("two processes together: at most {:.2} captures/s (limit 10/s)", max_rate(&reqs));
    assert_rate(&reqs, 10.0);
}

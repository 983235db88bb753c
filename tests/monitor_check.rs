//! `watch` and `check` against a Wayback stand-in whose captures grow between checks:
//! a real policy history (two versions of X's privacy policy, Open Terms Archive)
//! rendered into captures with varying site chrome, plus an error page; a webhook
//! receiver on 127.0.0.1. Each real step is announced exactly once — also when a
//! check is killed with SIGKILL at any point, and when two checks start together.

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::webhook::{Receiver, Script};
use support::*;

const URL: &str = "https://example.com/privacy";
const NAME: &str = "Example privacy policy";

fn version(n: usize) -> String {
    let file = ["x-pp-2024-11-16.md", "x-pp-2025-04-17.md"][n];
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff").join(file))
        .unwrap()
}

/// Version `v` of the policy as the site served it on crawl `i`: the same text in
/// different chrome each time (navigation with a session token, a cookie banner, a
/// rotating promo, the footer year, the server's clock).
fn capture(v: usize, i: usize) -> Vec<u8> {
    let body = html(&policydiff::normalize::normalize_markdown(&version(v)));
    let promos = ["Try Premium today!", "Download our app", "Join the Spaces beta"];
    format!(
        "<!DOCTYPE html><html><head><title>Privacy Policy</title></head><body>\
         <header><nav><a href=\"/home?sid=s{i}x{}\">Home</a> <a href=\"/explore?sid=s{i}\">Explore</a></nav></header>\
         <div class=\"cookie-banner\" id=\"cookies\">We use cookies (banner {i}). <button>Accept</button></div>\
         <aside class=\"promo\">{}</aside>\
         <main><article>{body}</article></main>\
         <footer><p>© {} X Corp.</p><p class=\"clock\">Served at 12:{:02}:07 by web-{i}</p></footer>\
         </body></html>",
        i * 7919,
        promos[i % promos.len()],
        2020 + i,
        i % 60
    )
    .into_bytes()
}

/// The policy as a site's HTML: headings, paragraphs, lists, tables.
fn html(doc: &policydiff::Document) -> String {
    use policydiff::Block;
    let esc = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut out = format!("<h1>{}</h1>", esc(doc.title.as_deref().unwrap_or("Privacy Policy")));
    for section in &doc.sections {
        if let Some(h) = &section.heading {
            let level = section.level.clamp(2, 6);
            out.push_str(&format!("<h{level}>{}</h{level}>", esc(h)));
        }
        for block in &section.blocks {
            match block {
                Block::ListItem { text, .. } => out.push_str(&format!("<ul><li>{}</li></ul>", esc(text))),
                Block::TableRow { cells } => out.push_str(&format!(
                    "<table><tr>{}</tr></table>",
                    cells.iter().map(|c| format!("<td>{}</td>", esc(c))).collect::<String>()
                )),
                other => out.push_str(&format!("<p>{}</p>", esc(&other.text()))),
            }
        }
    }
    out
}

fn error_page() -> Vec<u8> {
    b"<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Something went wrong.</h1>\
      <p>Refresh this page or try again later.</p></body></html>"
        .to_vec()
}

/// A stand-in whose archive can grow while it runs.
fn growing_archive() -> (StandIn, Arc<Mutex<Archive>>) {
    let archive: Arc<Mutex<Archive>> = Arc::default();
    let served = archive.clone();
    let standin = StandIn::start(move |r| served.lock().unwrap().answer(r));
    (standin, archive)
}

/// Two captures of version 0: what the archive holds when the watch is added.
fn first_captures(archive: &Mutex<Archive>) {
    let mut a = archive.lock().unwrap();
    a.add(URL, "20241120101010", &capture(0, 0));
    a.add(URL, "20241201101010", &capture(0, 1));
}

/// Then: version 0 again, the change to version 1, an error page, version 1 again.
fn the_change(archive: &Mutex<Archive>) {
    let mut a = archive.lock().unwrap();
    a.add(URL, "20250105101010", &capture(0, 2));
    a.add(URL, "20250420101010", &capture(1, 3));
    a.add(URL, "20250501101010", &error_page());
    a.add(URL, "20250601101010", &capture(1, 4));
}

fn run(store: &Path, base: &str, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    policydiff(store, base, env, args)
}

fn add_watch(store: &Path, base: &str) {
    let o = run(store, base, &[], &["watch", "add", URL, "--name", NAME]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

fn check(store: &Path, base: &str, hook: &str) -> std::process::Output {
    run(store, base, &[], &["check", "--webhook", hook])
}

#[test]
fn a_real_step_is_announced_once_with_retries_and_nothing_on_the_next_check() {
    let store = tempfile::tempdir().unwrap();
    let (standin, archive) = growing_archive();
    let hook = Receiver::start(Script { fail_first: 1, ..Script::default() });
    first_captures(&archive);
    add_watch(store.path(), &standin.base);

    // The first check records the baseline and announces nothing.
    let o = check(store.path(), &standin.base, &hook.url);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("{NAME}: baseline recorded (the version seen 2024-12-01)\n"));
    assert!(hook.posts().is_empty());

    // The archive grows: one real change among chrome-only captures and an error page.
    the_change(&archive);
    let o = check(store.path(), &standin.base, &hook.url);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with(&format!("{NAME}: changed: ")), "{out}");
    assert!(out.trim_end().ends_with("/web/20250420101010id_/https://example.com/privacy"), "{out}");
    // The receiver failed the first POST: it was retried, and accepted once.
    let posts = hook.posts();
    assert_eq!(posts.iter().map(|p| p.status).collect::<Vec<_>>(), [503, 200]);
    assert_eq!(posts[0].id(), posts[1].id());
    let accepted = hook.accepted();
    let p = &accepted[0].body;
    assert_eq!(p["schema"], "policydiff.check/1");
    assert_eq!((p["watch"].as_str(), p["url"].as_str()), (Some(NAME), Some(URL)));
    assert_eq!(p["step"]["window"]["after"], "20250105101010");
    assert_eq!(p["step"]["window"]["before"], "20250420101010");
    assert_eq!(p["step"]["from_version"], 0);
    assert_eq!(p["step"]["reverts_to"], serde_json::Value::Null);
    assert!(p["step"]["changes"].as_array().is_some_and(|c| !c.is_empty()));
    let text = p["text"].as_str().unwrap();
    assert!(
        text.starts_with(&format!("{NAME}: ")) && text.ends_with("(between 2025-01-05 and 2025-04-20)"),
        "{text}"
    );
    assert_eq!(accepted[0].headers.get("idempotency-key").map(String::as_str), p["id"].as_str());

    // Nothing new: nothing announced.
    let o = check(store.path(), &standin.base, &hook.url);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), format!("{NAME}: unchanged\n")), "{}", stderr(&o));
    assert_eq!(hook.posts().len(), 2);

    // The old text comes back: a revert, announced once.
    archive.lock().unwrap().add(URL, "20250801101010", &capture(0, 5));
    let o = check(store.path(), &standin.base, &hook.url);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let accepted = hook.accepted();
    assert_eq!(accepted.len(), 2);
    assert_eq!(accepted[1].body["step"]["reverts_to"], 0);
    assert!(accepted[1].body["text"].as_str().unwrap().contains("back to version 0"));

    // The watch list tells it.
    let o = run(store.path(), &standin.base, &[], &["watch", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let w = &list["watches"][0];
    assert_eq!((w["versions"].as_i64(), w["pending_notifications"].as_i64()), (Some(3), Some(0)));
    assert_eq!(w["last_version"], "20250801101010");

    // Afterwards, the history of the watch is the changelog over the store, offline.
    let o = run(store.path(), &standin.base, &[], &["--offline", "changelog", URL, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let log: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let windows: Vec<&serde_json::Value> =
        log["steps"].as_array().unwrap().iter().map(|s| &s["window"]).collect();
    assert_eq!(windows.len(), 2, "{log}");
    assert_eq!(windows[0]["before"], "20250420101010");
    assert_eq!(windows[1]["before"], "20250801101010");
}

#[test]
fn a_notify_command_gets_the_json_on_stdin_and_a_failing_one_is_retried_next_time() {
    let store = tempfile::tempdir().unwrap();
    let (standin, archive) = growing_archive();
    first_captures(&archive);
    add_watch(store.path(), &standin.base);
    let out = store.path().join("notified");
    let flag = store.path().join("fail");
    std::fs::write(&flag, "").unwrap();
    // Fails while the flag file exists; otherwise appends its input.
    let cmd = format!("test ! -e '{}' && cat >> '{}'", flag.display(), out.display());
    let o = run(store.path(), &standin.base, &[], &["check", "--notify-cmd", &cmd]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    the_change(&archive);
    let o = run(store.path(), &standin.base, &[], &["check", "--notify-cmd", &cmd]);
    // Recorded, but not delivered: the command failed; exit 2 says so.
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("kept for the next check"), "{}", stderr(&o));
    assert!(!out.exists());
    let o = run(store.path(), &standin.base, &[], &["watch", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list["watches"][0]["pending_notifications"], 1);
    // The next check (even without the option) delivers what is pending, once.
    std::fs::remove_file(&flag).unwrap();
    let o = run(store.path(), &standin.base, &[], &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let got = std::fs::read_to_string(&out).unwrap();
    assert_eq!(got.lines().count(), 1);
    let p: serde_json::Value = serde_json::from_str(got.trim()).unwrap();
    assert_eq!(p["step"]["window"]["before"], "20250420101010");
    run(store.path(), &standin.base, &[], &["check"]);
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 1);
}

/// Starts `check` with a pause point and waits until it is there.
fn check_paused_at(store: &Path, base: &str, hook: &str, point: &str) -> Child {
    let mut child =
        policydiff_cmd(store, base, &[("POLICYDIFF_TEST_PAUSE_AT", point)], &["check", "--webhook", hook])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(err.read_line(&mut line).unwrap() > 0, "check ended before reaching {point}");
        if line.contains(&format!("paused at {point}")) {
            break;
        }
    }
    child
}

/// Baseline, then the change; the check that finds it is killed at `point`; a rerun
/// then completes the work. Returns the receiver.
fn killed_then_rerun(point: &str) -> Receiver {
    let store = tempfile::tempdir().unwrap();
    let (standin, archive) = growing_archive();
    let hook = Receiver::start(Script::default());
    first_captures(&archive);
    add_watch(store.path(), &standin.base);
    assert_eq!(check(store.path(), &standin.base, &hook.url).status.code(), Some(0));
    the_change(&archive);
    let mut child = check_paused_at(store.path(), &standin.base, &hook.url, point);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let o = check(store.path(), &standin.base, &hook.url);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    // And nothing more after that.
    let before = hook.posts().len();
    let o = check(store.path(), &standin.base, &hook.url);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(hook.posts().len(), before);
    hook
}

const STEP_ID: &str = "https://example.com/privacy#20250420101010";

/// What a receiver that keeps the ids it has seen counts: each step once.
fn distinct_ids(hook: &Receiver) -> Vec<String> {
    let mut ids: Vec<String> = hook.accepted().iter().map(|p| p.id()).collect();
    ids.dedup();
    ids
}

/// Whether the POSTs were flagged as a possible repeat (`"redelivery": true`).
fn redeliveries(hook: &Receiver) -> Vec<bool> {
    hook.posts().iter().map(|p| p.body["redelivery"] == true).collect()
}

#[test]
fn killed_before_the_transaction_the_step_is_found_again_and_announced_once() {
    let hook = killed_then_rerun("before-record");
    let ids: Vec<String> = hook.posts().iter().map(|p| p.id()).collect();
    assert_eq!(ids, [STEP_ID]);
    assert_eq!(redeliveries(&hook), [false]);
}

#[test]
fn killed_after_the_transaction_the_pending_step_is_announced_once_by_the_next_check() {
    let hook = killed_then_rerun("after-record");
    let ids: Vec<String> = hook.posts().iter().map(|p| p.id()).collect();
    assert_eq!(ids, [STEP_ID]);
    assert_eq!(redeliveries(&hook), [false]);
}

#[test]
fn killed_before_delivery_the_step_is_announced_once_by_the_next_check() {
    let hook = killed_then_rerun("before-deliver");
    let ids: Vec<String> = hook.posts().iter().map(|p| p.id()).collect();
    assert_eq!(ids, [STEP_ID]);
    assert_eq!(redeliveries(&hook), [false], "nothing was sent before the kill: no repeat to flag");
}

#[test]
fn killed_between_an_answered_post_and_its_mark_the_repeat_carries_the_same_id() {
    // The one window no sender can close: the receiver answered, the mark was not
    // written. The step is sent again with the same id and Idempotency-Key.
    let hook = killed_then_rerun("after-deliver");
    let posts = hook.posts();
    let ids: Vec<String> = posts.iter().map(|p| p.id()).collect();
    assert_eq!(ids, [STEP_ID, STEP_ID]);
    assert_eq!(posts[0].headers.get("idempotency-key"), posts[1].headers.get("idempotency-key"));
    assert_eq!(distinct_ids(&hook), [STEP_ID], "a receiver keeping ids sees the step once");
    // The repeat says it may be one, for receivers that keep no ids (a chat channel).
    assert_eq!(redeliveries(&hook), [false, true]);
    let text = posts[1].body["text"].as_str().unwrap();
    assert!(
        text.ends_with("(sent again: an earlier delivery was interrupted and may have arrived)"),
        "{text}"
    );
    assert_eq!(posts[0].body["step"], posts[1].body["step"]);
}

#[test]
fn killed_in_the_middle_of_a_post_the_step_is_sent_again_with_the_same_id() {
    let store = tempfile::tempdir().unwrap();
    let (standin, archive) = growing_archive();
    let hook = Receiver::start(Script { delay: Duration::from_secs(30), slow_first: 1, ..Script::default() });
    first_captures(&archive);
    add_watch(store.path(), &standin.base);
    assert_eq!(check(store.path(), &standin.base, &hook.url).status.code(), Some(0));
    the_change(&archive);
    let mut child = policydiff_cmd(store.path(), &standin.base, &[], &["check", "--webhook", &hook.url])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    hook.wait_for(1, Duration::from_secs(60));
    child.kill().unwrap();
    child.wait().unwrap();
    let o = check(store.path(), &standin.base, &hook.url);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ids: Vec<String> = hook.posts().iter().map(|p| p.id()).collect();
    assert_eq!(ids, [STEP_ID, STEP_ID]);
    assert_eq!(distinct_ids(&hook), [STEP_ID], "a receiver keeping ids sees the step once");
    assert_eq!(redeliveries(&hook), [false, true]);
    let o = check(store.path(), &standin.base, &hook.url);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(hook.posts().len(), 2);
}

#[test]
fn two_checks_started_together_take_turns_and_announce_once() {
    let store = tempfile::tempdir().unwrap();
    let archive: Arc<Mutex<Archive>> = Arc::default();
    let served = archive.clone();
    // Slow captures, so that the second check starts while the first one works.
    let standin = StandIn::start(move |r| {
        let reply = served.lock().unwrap().answer(r);
        if r.is_capture() {
            Reply::Slow(Duration::from_millis(300), Box::new(reply))
        } else {
            reply
        }
    });
    let hook = Receiver::start(Script::default());
    first_captures(&archive);
    add_watch(store.path(), &standin.base);
    assert_eq!(check(store.path(), &standin.base, &hook.url).status.code(), Some(0));
    the_change(&archive);
    let spawn = |env: &[(&str, &str)]| {
        policydiff_cmd(store.path(), &standin.base, env, &["check", "--webhook", &hook.url])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(&[]), spawn(&[]));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let mut codes = vec![a.status.code(), b.status.code()];
    codes.sort();
    assert_eq!(codes, [Some(0), Some(1)], "{}\n{}", stderr(&a), stderr(&b));
    assert_eq!(hook.posts().iter().map(|p| p.id()).collect::<Vec<_>>(), [STEP_ID]);

    // With a short wait, the second gives up naming the lock.
    archive.lock().unwrap().add(URL, "20250801101010", &capture(0, 5));
    let first = spawn(&[]);
    std::thread::sleep(Duration::from_millis(150));
    let second = spawn(&[("POLICYDIFF_CHECK_LOCK_WAIT_MS", "100")]).wait_with_output().unwrap();
    let first = first.wait_with_output().unwrap();
    assert_eq!(second.status.code(), Some(2));
    let err = stderr(&second);
    assert_eq!(err.lines().filter(|l| l.contains("check.lock")).count(), 1, "{err}");
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
}

#[test]
fn a_killed_check_never_blocks_the_next() {
    let store = tempfile::tempdir().unwrap();
    let (standin, archive) = growing_archive();
    let hook = Receiver::start(Script::default());
    first_captures(&archive);
    add_watch(store.path(), &standin.base);
    let mut child = check_paused_at(store.path(), &standin.base, &hook.url, "before-record");
    child.kill().unwrap();
    child.wait().unwrap();
    let o = run(store.path(), &standin.base, &[("POLICYDIFF_CHECK_LOCK_WAIT_MS", "0")], &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_failing_watch_is_one_line_and_the_others_are_still_checked() {
    let store = tempfile::tempdir().unwrap();
    let (standin, archive) = growing_archive();
    first_captures(&archive);
    archive.lock().unwrap().blocked.push("https://blocked.example/privacy".into());
    add_watch(store.path(), &standin.base);
    let o = run(store.path(), &standin.base, &[], &["watch", "add", "https://blocked.example/privacy"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(store.path(), &standin.base, &[], &["check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines.iter().any(|l| l.starts_with("blocked.example/privacy: error: ") && l.contains("blocked")),
        "{out}"
    );
    assert!(lines.iter().any(|l| l.starts_with(&format!("{NAME}: baseline recorded"))), "{out}");
    // The JSON form says the same.
    let o = run(store.path(), &standin.base, &[], &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let statuses: Vec<&str> =
        v["watches"].as_array().unwrap().iter().map(|w| w["status"].as_str().unwrap()).collect();
    assert!(statuses.contains(&"failed") && statuses.contains(&"unchanged"), "{v}");
}

#[test]
fn max_time_starts_no_watch_after_it_and_the_least_recently_checked_go_first() {
    let store = tempfile::tempdir().unwrap();
    let (standin, archive) = growing_archive();
    let urls: Vec<String> = (0..3).map(|i| format!("https://site{i}.example/privacy")).collect();
    for u in &urls {
        archive.lock().unwrap().add(u, "20240101000000", &page(1));
        let o = run(store.path(), &standin.base, &[], &["watch", "add", u]);
        assert_eq!(o.status.code(), Some(0));
    }
    // A budget of zero: no watch is started.
    let o = run(store.path(), &standin.base, &[], &["check", "--max-time", "0s"]);
    assert!(stdout(&o).lines().all(|l| l.ends_with("not checked (--max-time reached)")), "{}", stdout(&o));
    // One named check makes site1 the most recently checked: it goes last next time.
    run(store.path(), &standin.base, &[], &["check", "site1.example/privacy"]);
    let o = run(store.path(), &standin.base, &[], &["check"]);
    let out = stdout(&o);
    let order: Vec<&str> = out.lines().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(order, ["site0.example/privacy", "site2.example/privacy", "site1.example/privacy"]);
}

const BROKEN: &str = "20250301101010";

/// The growing archive, except that the memento at [`BROKEN`] always gets `reply`.
fn archive_with_a_broken_memento(reply: Reply) -> (StandIn, Arc<Mutex<Archive>>) {
    let archive: Arc<Mutex<Archive>> = Arc::default();
    let served = archive.clone();
    let standin = StandIn::start(move |r| {
        if r.is_capture() && r.path.contains(&format!("/web/{BROKEN}id_/")) {
            reply.clone()
        } else {
            served.lock().unwrap().answer(r)
        }
    });
    (standin, archive)
}

fn broken_requests(standin: &StandIn) -> usize {
    standin.capture_requests().iter().filter(|r| r.path.contains(BROKEN)).count()
}

#[test]
fn a_capture_the_archive_refuses_is_reported_once_and_the_real_step_still_announced() {
    let store = tempfile::tempdir().unwrap();
    let (standin, archive) = archive_with_a_broken_memento(Reply::status(404));
    let hook = Receiver::start(Script::default());
    first_captures(&archive);
    add_watch(store.path(), &standin.base);
    assert_eq!(check(store.path(), &standin.base, &hook.url).status.code(), Some(0));
    // Between the last capture of version 0 and the change: one the archive refuses.
    archive.lock().unwrap().add(URL, BROKEN, &capture(0, 9));
    the_change(&archive);
    let o = check(store.path(), &standin.base, &hook.url);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with(&format!("{NAME}: changed: ")), "{out}");
    assert!(
        lines[1].starts_with(&format!("{NAME}: capture skipped: {BROKEN}: could not be fetched: ")),
        "{out}"
    );
    assert_eq!(broken_requests(&standin), 1, "a definite answer is not retried");
    let ids: Vec<String> = hook.accepted().iter().map(|p| p.id()).collect();
    assert_eq!(ids, [STEP_ID]);
    assert_eq!(hook.accepted()[0].body["step"]["window"]["after"], "20250105101010");

    // The next check is quiet, and does not ask for the refused capture again.
    let o = run(store.path(), &standin.base, &[], &["check", "--webhook", &hook.url, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["watches"][0]["status"], "unchanged", "{v}");
    assert_eq!(v["watches"][0]["unusable"], serde_json::json!([]), "{v}");
    assert_eq!(broken_requests(&standin), 1);
    assert_eq!(hook.posts().len(), 1);
}

#[test]
fn a_capture_the_archive_keeps_failing_is_held_then_skipped_after_the_give_up_checks() {
    let store = tempfile::tempdir().unwrap();
    let (standin, archive) = archive_with_a_broken_memento(Reply::status(503));
    let hook = Receiver::start(Script::default());
    let env = [("POLICYDIFF_GIVE_UP_CHECKS", "2")];
    let check = |format: &str| {
        run(store.path(), &standin.base, &env, &["check", "--webhook", &hook.url, "--format", format])
    };
    first_captures(&archive);
    add_watch(store.path(), &standin.base);
    assert_eq!(check("text").status.code(), Some(0));
    archive.lock().unwrap().add(URL, BROKEN, &capture(0, 9));
    the_change(&archive);

    // First failure: what came before it is recorded, the check stops there (exit 2).
    let o = check("text");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with(&format!("{NAME}: error: capture {BROKEN} could not be fetched: "))
            && out.contains("tries it again next time"),
        "{out}"
    );
    assert!(hook.posts().is_empty(), "the change lies behind the held capture");
    let tries = broken_requests(&standin);
    assert_eq!(tries, 4, "the client's own retries (POLICYDIFF_MAX_TRIES)");

    // Second failure in a row: skipped; the check goes on and finds the change.
    let o = check("json");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let w = &v["watches"][0];
    assert_eq!(w["status"], "changed", "{v}");
    let unusable: Vec<&str> = w["unusable"].as_array().unwrap().iter().filter_map(|u| u.as_str()).collect();
    assert!(unusable.iter().any(|u| u.starts_with(&format!("{BROKEN}: could not be fetched"))), "{v}");
    assert_eq!(w["steps"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(broken_requests(&standin), 2 * tries);
    let ids: Vec<String> = hook.accepted().iter().map(|p| p.id()).collect();
    assert_eq!(ids, [STEP_ID]);

    // Then quiet: nothing announced, the skipped capture not asked for again.
    let o = check("text");
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), format!("{NAME}: unchanged\n")), "{}", stderr(&o));
    assert_eq!(broken_requests(&standin), 2 * tries);
    assert_eq!(hook.posts().len(), 1);
}

#[test]
fn a_first_check_whose_newest_capture_is_refused_takes_the_one_before_as_baseline() {
    let store = tempfile::tempdir().unwrap();
    let (standin, archive) = archive_with_a_broken_memento(Reply::status(404));
    first_captures(&archive);
    archive.lock().unwrap().add(URL, BROKEN, &capture(0, 9));
    add_watch(store.path(), &standin.base);
    let o = run(store.path(), &standin.base, &[], &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], format!("{NAME}: baseline recorded (the version seen 2024-12-01)"), "{out}");
    assert!(lines[1].starts_with(&format!("{NAME}: capture skipped: {BROKEN}: ")), "{out}");
    let o = run(store.path(), &standin.base, &[], &["check"]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), format!("{NAME}: unchanged\n")), "{}", stderr(&o));
    assert_eq!(broken_requests(&standin), 1);
}

//! `policydiff changelog` end to end: a stand-in history (real Open Terms Archive
//! versions rendered into captures with changing chrome, error pages, captchas and a
//! capture the archive fails to serve) behind the Wayback stand-in, every format, the
//! errors, local SOURCEs and `--offline`.

mod support;

use std::collections::BTreeSet;

use serde_json::Value;
use support::history::{linkedin_versions, parler_versions, Plan, Shows, PARLER_TEXT};
use support::{policydiff, stderr, stdout};

const URL: &str = "https://example.com/legal/privacy";

use Shows::{Captcha, ErrorPage, Missing, Version as V};

fn parler_plan() -> Plan {
    Plan::new(
        URL,
        parler_versions(),
        &[
            V(0),
            V(0),
            ErrorPage,
            V(0),
            V(1),
            Captcha,
            V(1),
            V(2),
            V(3),
            Missing,
            V(3),
            V(4),
            V(4),
            ErrorPage,
            V(5),
        ],
    )
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", stdout(out), stderr(out)))
}

fn windows(report: &Value) -> Vec<(String, String)> {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["window"]["after"].as_str().unwrap().to_string(),
                s["window"]["before"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_changelog_of_a_stand_in_history_is_exactly_its_real_steps() {
    let plan = parler_plan();
    let standin = plan.serve();
    let store = tempfile::tempdir().unwrap();
    let out = policydiff(store.path(), &standin.base, &[], &["changelog", URL, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["schema"], "policydiff.changelog/1");
    assert_eq!(report["url"], URL);
    assert_eq!(windows(&report), plan.expected_windows(&PARLER_TEXT));
    assert_eq!(report["versions"].as_array().unwrap().len(), 4);
    let captures = &report["captures"];
    assert_eq!(captures["listed"], plan.captures.len());
    assert_eq!(captures["bisect"], false);
    // Error pages, the captcha, the failed fetch and the home page: listed, not versions.
    let unusable = 2 + 1 + 1 + 1;
    assert_eq!(captures["failed"], unusable);
    assert_eq!(report["unusable"].as_array().unwrap().len(), unusable);
    let step = &report["steps"][0];
    assert_eq!(
        step["old_capture"],
        format!("{}/web/{}id_/{URL}", standin.base, step["window"]["after"].as_str().unwrap())
    );
    assert!(step["old_digest"].is_string() && step["new_digest"].is_string());
    assert_eq!(step["summary"]["added"], 2);
    assert_eq!(step["changes"][0]["kind"], "added");
    // Every distinct capture was fetched once.
    assert_eq!(
        standin.capture_requests().iter().map(|r| r.target.clone()).collect::<BTreeSet<_>>().len(),
        plan.captures.len()
    );
}

#[test]
fn a_flip_flop_is_reported_as_one_change_and_its_reverts() {
    let plan = Plan::runs(URL, linkedin_versions(), &[0, 1, 0, 1], 2);
    let standin = plan.serve();
    let store = tempfile::tempdir().unwrap();
    let report = json(&policydiff(store.path(), &standin.base, &[], &["changelog", URL, "--format", "json"]));
    let reverts: Vec<Value> =
        report["steps"].as_array().unwrap().iter().map(|s| s["reverts_to"].clone()).collect();
    assert_eq!(reverts, [Value::Null, Value::from(0), Value::from(1)]);
    let same: Vec<Value> =
        report["versions"].as_array().unwrap().iter().map(|v| v["same_as"].clone()).collect();
    assert_eq!(same, [Value::Null, Value::Null, Value::from(0), Value::from(1)]);
    let md = stdout(&policydiff(store.path(), &standin.base, &[], &["--offline", "changelog", URL]));
    assert!(md.contains("Undoes step 1") && md.contains("Makes the change of step 1 again"), "{md}");
}

#[test]
fn bisection_finds_the_same_steps_with_fewer_fetches() {
    let plan = Plan::runs(URL, parler_versions(), &[0, 1, 3, 5], 10);
    let full_standin = plan.serve();
    let store = tempfile::tempdir().unwrap();
    let full =
        json(&policydiff(store.path(), &full_standin.base, &[], &["changelog", URL, "--format", "json"]));
    let bisect_standin = plan.serve();
    let store = tempfile::tempdir().unwrap();
    let out = policydiff(
        store.path(),
        &bisect_standin.base,
        &[],
        &["changelog", URL, "--bisect", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let bisected = json(&out);
    assert_eq!(windows(&bisected), windows(&full));
    assert_eq!(windows(&bisected).len(), 3);
    let fetches = bisect_standin.capture_requests().len();
    println!("--bisect: {fetches} of 40 captures fetched");
    assert_eq!(full_standin.capture_requests().len(), 40);
    assert!(fetches <= 3 * 6 + 2, "{fetches} fetches for 40 captures and 3 changes");
    assert_eq!(bisected["captures"]["fetched"], fetches);
    assert_eq!(bisected["captures"]["bisect"], true);
    assert!(!bisected["assumed_unchanged"].as_array().unwrap().is_empty());
    // Every format says what was assumed.
    let md = stdout(&policydiff(store.path(), &bisect_standin.base, &[], &["changelog", URL, "--bisect"]));
    assert!(md.contains("assumed unchanged"), "{md}");
}

#[test]
fn offline_the_changelog_comes_from_the_store_alone() {
    let plan = Plan::runs(URL, parler_versions(), &[0, 1], 3);
    let standin = plan.serve();
    let store = tempfile::tempdir().unwrap();
    let online = policydiff(store.path(), &standin.base, &[], &["changelog", URL, "--format", "json"]);
    let requests = standin.requests().len();
    let offline =
        policydiff(store.path(), &standin.base, &[], &["--offline", "changelog", URL, "--format", "json"]);
    assert_eq!(offline.status.code(), Some(1), "{}", stderr(&offline));
    assert_eq!(standin.requests().len(), requests, "no request with --offline");
    assert_eq!(windows(&json(&offline)), windows(&json(&online)));
}

#[test]
fn on_a_pipe_the_changelog_is_markdown_without_a_progress_bar() {
    let plan = Plan::runs(URL, parler_versions(), &[0, 1], 2);
    let standin = plan.serve();
    let store = tempfile::tempdir().unwrap();
    let out = policydiff(store.path(), &standin.base, &[], &["changelog", URL]);
    let md = stdout(&out);
    assert!(md.starts_with("# Changelog of "), "{md}");
    assert!(!md.contains('\x1b'));
    assert!(md.contains("### Step 1: Version 0 → version 1"), "{md}");
    assert!(!stderr(&out).contains('\r') && !stderr(&out).contains("captures"), "{}", stderr(&out));
}

#[test]
fn the_report_goes_to_the_file_of_dash_o_whole() {
    let plan = Plan::runs(URL, parler_versions(), &[0, 1], 2);
    let standin = plan.serve();
    let store = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("changelog.html");
    let out = policydiff(
        store.path(),
        &standin.base,
        &[],
        &["changelog", URL, "--format", "html", "-o", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
}

#[test]
fn the_html_page_is_self_contained_with_a_timeline_and_word_diffs() {
    let plan = Plan::runs(URL, parler_versions(), &[0, 1, 3], 2);
    let standin = plan.serve();
    let store = tempfile::tempdir().unwrap();
    let html = stdout(&policydiff(store.path(), &standin.base, &[], &["changelog", URL, "--format", "html"]));
    for external in ["<script", "<link", "src=", "@import", "url("] {
        assert!(!html.contains(external), "{external} in the page");
    }
    assert!(html.contains("<ol class=\"timeline\">"));
    assert!(html.contains("<del>") && html.contains("<ins>"), "inline word diffs");
    assert!(
        html.contains(&format!("{}/web/{}/{URL}", standin.base, plan.captures[2].0)),
        "a link to the new capture"
    );
}

#[test]
fn the_atom_feed_reads_in_a_feed_parser_with_stable_ids() {
    let plan = Plan::runs(URL, parler_versions(), &[0, 1, 3, 5], 2);
    let standin = plan.serve();
    let store = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = policydiff(store.path(), &standin.base, &[], args);
        feed_rs::parser::parse(out.stdout.as_slice()).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)))
    };
    let feed = run(&["changelog", URL, "--format", "atom"]);
    assert_eq!(feed.entries.len(), 3);
    let updated: Vec<_> = feed.entries.iter().map(|e| e.updated.unwrap()).collect();
    assert!(updated.windows(2).all(|w| w[0] > w[1]), "newest first: {updated:?}");
    let newest = &feed.entries[0];
    assert_eq!(newest.updated.unwrap().format("%Y%m%d%H%M%S").to_string(), plan.captures[6].0);
    // "<title>: 1 added, …, 1 section added": the policy's title and the step's summary.
    let title = &newest.title.as_ref().unwrap().content;
    assert!(
        title.starts_with("Parler Privacy Policy: 1 added") && title.ends_with(", 1 section added"),
        "{title}"
    );
    assert!(newest.links[0].href.contains(&format!("/web/{}/", plan.captures[6].0)));
    assert!(newest.content.as_ref().unwrap().body.as_deref().unwrap().contains("<ins>"));
    // A shorter range keeps the ids its entries have in the longer one.
    let to = &plan.captures[5].0;
    let shorter = run(&["changelog", URL, "--to", to, "--format", "atom"]);
    assert_eq!(shorter.entries.len(), 2);
    let ids = |f: &feed_rs::model::Feed| f.entries.iter().map(|e| e.id.clone()).collect::<BTreeSet<_>>();
    assert!(ids(&shorter).is_subset(&ids(&feed)), "{:?} {:?}", ids(&shorter), ids(&feed));
    assert_eq!(shorter.id, feed.id);
    assert!(feed.entries[0].id.starts_with("tag:example.com,"));
}

#[test]
fn local_versions_make_the_same_report_without_captures() {
    let dir = support::history::fixtures().join("history/parler-pp");
    let files: Vec<String> = [
        "2026-02-06T12-47-52Z.md",
        "2026-02-19T00-48-03Z.md",
        "2026-04-24T00-48-41Z.md",
        "2026-05-20T00-48-22Z.md",
    ]
    .iter()
    .map(|f| dir.join(f).to_string_lossy().into_owned())
    .collect();
    let store = tempfile::tempdir().unwrap();
    let mut args = vec!["--offline", "changelog"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--format", "json"]);
    let out = policydiff(store.path(), "http://127.0.0.1:9", &[], &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = json(&out);
    assert!(report["url"].is_null() && report["captures"].is_null() && report["range"].is_null());
    let versions = report["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 3, "the last two files hold the same text");
    assert_eq!(versions[2]["first_seen"], files[2].as_str());
    assert_eq!(versions[2]["last_seen"], files[3].as_str());
    let step = &report["steps"][0];
    assert!(step["window"].is_null() && step["old_capture"].is_null() && step["new_digest"].is_null());
}

fn error_line(out: &std::process::Output) -> String {
    assert_eq!(out.status.code(), Some(2), "{}{}", stdout(out), stderr(out));
    let err = stderr(out);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    err
}

#[test]
fn errors_are_one_line_with_exit_status_2() {
    let plan = Plan::runs(URL, parler_versions(), &[0, 1], 2);
    let standin = plan.serve();
    let store = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| policydiff(store.path(), &standin.base, &[], args);
    let never = error_line(&run(&["changelog", "https://example.com/never-archived"]));
    assert!(never.contains("no capture of this URL"), "{never}");
    let empty = error_line(&run(&["changelog", URL, "--from", "2015", "--to", "2016"]));
    assert!(empty.contains("no capture between 2015 and 2016"), "{empty}");
    let reversed = error_line(&run(&["changelog", URL, "--from", "2021", "--to", "2020"]));
    assert!(reversed.contains("--from 2021 is after --to 2020"), "{reversed}");
    let one = error_line(&run(&["changelog", "tests/fixtures/diff/nakivo-2017.md"]));
    assert!(one.contains("two or more SOURCEs"), "{one}");
    let missing = error_line(&run(&["changelog", "tests/fixtures/diff/nakivo-2017.md", "no-such-file.md"]));
    assert!(missing.contains("no-such-file.md"), "{missing}");
}

#[test]
fn one_version_in_the_range_is_no_change_with_exit_status_0() {
    let plan = Plan::runs(URL, parler_versions(), &[3, 4], 3);
    let standin = plan.serve();
    let store = tempfile::tempdir().unwrap();
    let out = policydiff(store.path(), &standin.base, &[], &["changelog", URL]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("no change in the range"), "{}", stderr(&out));
    assert!(stdout(&out).contains("No change in the range."));
}

#[test]
fn the_terminal_rendering_has_colour_only_when_asked() {
    let plan = Plan::runs(URL, parler_versions(), &[0, 1], 2);
    let standin = plan.serve();
    let store = tempfile::tempdir().unwrap();
    let run = |color: &str| {
        stdout(&policydiff(
            store.path(),
            &standin.base,
            &[],
            &["--color", color, "changelog", URL, "--format", "terminal"],
        ))
    };
    let coloured = run("always");
    assert!(coloured.starts_with("\x1b[1mChangelog of "), "{coloured}");
    assert!(coloured.contains("\x1b[32m"), "insertions in green");
    let plain = run("never");
    assert!(!plain.contains('\x1b'));
    assert!(plain.contains("Step 1: Version 0 → version 1 (2 added)") && plain.contains("\n+ "), "{plain}");
}

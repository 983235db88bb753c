//! The HTML diff report (issue #11 item 8): links to both captures with human dates,
//! deletions and insertions set apart, long lists collapsed, long unchanged stretches
//! shortened, a print style sheet.

use std::path::Path;
use std::process::Command;

fn report(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_policydiff"))
        .args(args)
        .args(["--format", "html"])
        .env_remove("RUST_LOG")
        .output()
        .expect("runs");
    assert!(o.status.code() == Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn files(old: &str, new: &str) -> (tempfile::TempDir, String, String) {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("old.md"), old).unwrap();
    std::fs::write(d.path().join("new.md"), new).unwrap();
    let p = |n: &str| d.path().join(n).to_string_lossy().into_owned();
    let (a, b) = (p("old.md"), p("new.md"));
    (d, a, b)
}

#[test]
fn html_report_links_both_captures_with_human_dates() {
    let store = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let html = report(&[
        "--store",
        store.to_str().unwrap(),
        "--offline",
        "diff",
        "https://www.nakivo.com/en/privacy.html@2015",
        "https://www.nakivo.com/support/privacy-policy@2017",
    ]);
    assert!(html.contains(
        "<a href=\"https://web.archive.org/web/20151104030641id_/https://www.nakivo.com/en/privacy.html\">raw capture</a>"
    ));
    assert!(html.contains(
        "<a href=\"https://web.archive.org/web/20171211160722/https://www.nakivo.com/support/privacy-policy\">Wayback Machine view</a>"
    ));
    assert!(
        html.contains("captured 2015-11-04 03:06:41 UTC")
            && html.contains("captured 2017-12-11 16:07:22 UTC")
    );
}

#[test]
fn html_report_sets_deletions_and_insertions_apart_and_has_a_print_stylesheet() {
    let (_d, a, b) = files("## Terms\n\nWe may share data.\n", "## Terms\n\nWe will share data.\n");
    let html = report(&["diff", &a, &b]);
    assert!(html.contains("<del>may</del><ins>will</ins>"), "{html}");
    assert!(html.contains("del+ins,ins+del{margin-left:.3em}"), "a visible gap between the two");
    assert!(html.contains("@media print{"), "a print style sheet");
}

#[test]
fn html_report_collapses_a_long_section_list() {
    let new: String =
        (1..=12).map(|i| format!("## Part {i}\n\nClause number {i} of the new terms.\n\n")).collect();
    let (_d, a, b) =
        files("## Intro\n\nThese are the terms.\n", &format!("## Intro\n\nThese are the terms.\n\n{new}"));
    let html = report(&["diff", &a, &b]);
    assert!(
        html.contains("<details><summary>12 sections added, removed, renamed or moved</summary>"),
        "{html}"
    );
    let (_d, a, b) = files(
        "## Intro\n\nThese are the terms.\n",
        "## Intro\n\nThese are the terms.\n\n## Part\n\nOne more clause here.\n",
    );
    assert!(!report(&["diff", &a, &b]).contains("<details>"), "a short list stays open");
}

#[test]
fn html_report_shortens_long_unchanged_stretches_around_a_change() {
    let long: String = (0..150).map(|i| format!("word{i} ")).collect();
    let (_d, a, b) = files(
        &format!("## Terms\n\n{long}we may share data {long}end.\n"),
        &format!("## Terms\n\n{long}we will share data {long}end.\n"),
    );
    let html = report(&["diff", &a, &b]);
    let li = html.lines().find(|l| l.contains("<del>may</del>")).expect("the reworded clause");
    assert!(li.contains("class=\"elided\""), "{li}");
    assert!(
        li.contains("word149 we <del>may</del><ins>will</ins> share data word0"),
        "the words next to the change stay: {li}"
    );
    let visible =
        li.split("title=\"").map(|s| s.split_once('"').map_or(s, |(_, rest)| rest)).collect::<String>();
    assert!(visible.matches("word").count() < 100, "{visible}");
}

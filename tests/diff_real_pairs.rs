//! Snapshots of the terminal (no colour) and Markdown reports for real pairs of
//! policy versions: nakivo.com's GDPR rewrite (2017 → 2018) and small edits from
//! Open Terms Archive histories (see tests/fixtures/diff/README.md).

use policydiff::diff::{diff, ChangeKind};
use policydiff::normalize::normalize_markdown;
use policydiff::report;
use policydiff::source::SourceInfo;

fn pair(old: &str, new: &str) -> (String, String, policydiff::diff::DocumentDiff) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/diff/");
    let read = |name: &str| std::fs::read_to_string(format!("{dir}{name}")).expect("fixture");
    let (a, b) = (normalize_markdown(&read(old)), normalize_markdown(&read(new)));
    let info = |name: &str, doc: &policydiff::Document| SourceInfo {
        source: name.to_string(),
        url: None,
        timestamp: None,
        title: doc.title.clone(),
        ..Default::default()
    };
    let d = diff(&a, &b);
    let (oi, ni) = (info(old, &a), info(new, &b));
    (report::terminal::render(&d, &oi, &ni, false), report::markdown::render(&d, &oi, &ni), d)
}

fn count(d: &policydiff::diff::DocumentDiff, kind: ChangeKind) -> usize {
    d.changes.iter().filter(|c| c.kind == kind).count()
}

#[test]
fn nakivo_gdpr_rewrite() {
    let (term, md, d) = pair("nakivo-2017.md", "nakivo-2018.md");
    assert!(count(&d, ChangeKind::Added) > 30, "the GDPR sections are new");
    assert!(count(&d, ChangeKind::Reworded) > 10, "much of the old text survives reworded");
    insta::assert_snapshot!("nakivo_terminal", term);
    insta::assert_snapshot!("nakivo_markdown", md);
}

#[test]
fn linkedin_community_guidelines_small_edit() {
    let (term, md, d) = pair("linkedin-cg-2025-05-29.md", "linkedin-cg-2025-07-29.md");
    assert_eq!((count(&d, ChangeKind::Reworded), count(&d, ChangeKind::Removed)), (2, 1));
    insta::assert_snapshot!("linkedin_cg_terminal", term);
    insta::assert_snapshot!("linkedin_cg_markdown", md);
}

#[test]
fn wechat_privacy_policy_adds_the_united_states() {
    let (term, md, d) = pair("wechat-pp-2024-12-16.md", "wechat-pp-2025-06-09.md");
    assert_eq!(d.changes.len(), 3);
    assert!(d.changes.iter().all(|c| c.kind == ChangeKind::Reworded));
    insta::assert_snapshot!("wechat_pp_terminal", term);
    insta::assert_snapshot!("wechat_pp_markdown", md);
    // The JSON report of a small real edit, byte for byte as `--format json` writes it.
    let info = |s: &str| SourceInfo { source: s.into(), ..Default::default() };
    insta::assert_snapshot!("wechat_pp_json", report::json::render(&d, &info("old.md"), &info("new.md")));
}

#[test]
fn x_privacy_policy_renames_its_irish_company() {
    let (term, md, d) = pair("x-pp-2024-11-16.md", "x-pp-2025-04-17.md");
    assert_eq!(d.summary.sections_renamed, 1);
    assert_eq!(count(&d, ChangeKind::Reworded), 2);
    insta::assert_snapshot!("x_pp_terminal", term);
    insta::assert_snapshot!("x_pp_markdown", md);
}

//! The reports of split and merged sections, on hand-built diffs: a heading inserted
//! above text that stayed in place ("Cookies" cut from "Data We Collect") and its
//! mirror, the heading deleted again.

use super::*;
use crate::diff::{SectionChange, SectionStatus, WordOp, WordOpKind};
use crate::provenance::SourceInfo;

fn section(status: SectionStatus, old: Option<&str>, new: Option<&str>) -> SectionChange {
    SectionChange {
        status,
        old_heading: old.map(str::to_string),
        new_heading: new.map(str::to_string),
        old_path: old.map(|h| vec![h.to_string()]),
        new_path: new.map(|h| vec![h.to_string()]),
    }
}

/// `## Data We Collect` with a cookie sentence, then that sentence under a new
/// `## Cookies` heading (split), or the reverse (merged); `## Links` after both.
fn regrouped(status: SectionStatus, changes: Vec<Change>) -> DocumentDiff {
    let (old, new) = match status {
        SectionStatus::Split => ("Data We Collect", "Cookies"),
        _ => ("Cookies", "Data We Collect"),
    };
    let same = |h| section(SectionStatus::Unchanged, Some(h), Some(h));
    DocumentDiff::from_parts(
        vec![same("Data We Collect"), section(status, Some(old), Some(new)), same("Links")],
        changes,
    )
}

/// "We use cookies to remember you." reworded to "…remember your choices.", in the
/// cookie text: under "Cookies" in the split version, "Data We Collect" in the other.
fn reworded_cookie_clause(old_section: &str, new_section: &str) -> Change {
    let op = |op, text: &str| WordOp { op, text: text.to_string() };
    Change {
        kind: ChangeKind::Reworded,
        old_section: Some(old_section.to_string()),
        new_section: Some(new_section.to_string()),
        old: Some("We use cookies to remember you.".into()),
        new: Some("We use cookies to remember your choices.".into()),
        similarity: Some(0.71),
        words: Some(vec![
            op(WordOpKind::Equal, "We use cookies to remember "),
            op(WordOpKind::Delete, "you."),
            op(WordOpKind::Insert, "your choices."),
        ]),
    }
}

fn sides() -> (SourceInfo, SourceInfo) {
    (SourceInfo::file("old.md"), SourceInfo::file("new.md"))
}

const SPLIT: &str = "heading “Cookies” added; its text was part of “Data We Collect”";
const MERGED: &str = "heading “Cookies” removed; its text is now part of “Data We Collect”";

fn every_format(d: &DocumentDiff) -> [(&'static str, String); 4] {
    let (old, new) = sides();
    [
        ("terminal", terminal::render(d, &old, &new, false)),
        ("markdown", markdown::render(d, &old, &new)),
        ("html", html::render(d, &old, &new, None)),
        ("json", json::render(d, &old, &new)),
    ]
}

#[test]
fn a_split_or_merged_section_without_clause_changes_is_a_change() {
    for status in [SectionStatus::Split, SectionStatus::Merged] {
        let d = regrouped(status, vec![]);
        assert!(!d.is_empty(), "{status:?}");
        assert_eq!(notable_sections(&d).count(), 1, "{status:?}");
        assert_ne!(summary_line(&d), "No changes.");
    }
}

#[test]
fn a_split_section_is_listed_in_every_format() {
    let d = regrouped(SectionStatus::Split, vec![]);
    let [(_, term), (_, md), (_, html), (_, json)] = every_format(&d);
    assert!(term.contains(&format!("\n  split    {SPLIT}\n")), "{term}");
    assert!(md.contains(&format!("\n## Sections\n\n- Split: {SPLIT}\n")), "{md}");
    assert!(html.contains(&format!("<li>Split: {SPLIT}</li>")), "{html}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["summary"]["sections_split"], 1);
    assert_eq!(v["sections"][1]["status"], "split");
    assert_eq!(v["sections"][1]["old_heading"], "Data We Collect");
    assert_eq!(v["sections"][1]["new_heading"], "Cookies");
}

#[test]
fn a_merged_section_is_listed_in_every_format() {
    let d = regrouped(SectionStatus::Merged, vec![]);
    let [(_, term), (_, md), (_, html), (_, json)] = every_format(&d);
    assert!(term.contains(&format!("\n  merged   {MERGED}\n")), "{term}");
    assert!(md.contains(&format!("\n## Sections\n\n- Merged: {MERGED}\n")), "{md}");
    assert!(html.contains(&format!("<li>Merged: {MERGED}</li>")), "{html}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["summary"]["sections_merged"], 1);
    assert_eq!(v["sections"][1]["status"], "merged");
    assert_eq!(v["sections"][1]["old_heading"], "Cookies");
    assert_eq!(v["sections"][1]["new_heading"], "Data We Collect");
}

#[test]
fn a_split_and_the_merge_that_undoes_it_read_as_mirrors() {
    let entry = |status| {
        let d = regrouped(status, vec![]);
        let s = notable_sections(&d).next().cloned().unwrap();
        section_entry(&s, |h| format!("“{}”", h.unwrap_or("(untitled)"))).unwrap()
    };
    let (split, merged) = (entry(SectionStatus::Split), entry(SectionStatus::Merged));
    assert_eq!(split, ("Split", SPLIT.to_string()));
    assert_eq!(merged, ("Merged", MERGED.to_string()));
    // Word for word the same sentence, with "added … was" for "removed … is now".
    let back = merged.1.replace("removed", "added").replace("is now", "was");
    assert_eq!(back, split.1);
}

#[test]
fn the_summary_line_counts_split_and_merged_sections_only_when_there_are_some() {
    let d = regrouped(SectionStatus::Split, vec![]);
    assert_eq!(
        summary_line(&d),
        "0 added, 0 removed, 0 reworded, 0 moved; sections: 0 added, 0 removed, 0 renamed, 0 moved, 1 split"
    );
    let d = regrouped(SectionStatus::Merged, vec![reworded_cookie_clause("Cookies", "Data We Collect")]);
    assert!(summary_line(&d).ends_with("0 renamed, 0 moved, 1 merged"), "{}", summary_line(&d));
    let plain = DocumentDiff::from_parts(vec![], vec![reworded_cookie_clause("Cookies", "Cookies")]);
    assert!(summary_line(&plain).ends_with("0 renamed, 0 moved"), "{}", summary_line(&plain));
}

#[test]
fn a_clause_changed_in_a_split_section_shows_under_its_new_heading() {
    let d = regrouped(SectionStatus::Split, vec![reworded_cookie_clause("Data We Collect", "Cookies")]);
    let [(_, term), (_, md), (_, html), _] = every_format(&d);
    assert!(
        term.contains("\n== Cookies ==\n~ We use cookies to remember [-you.-]{+your choices.+}\n"),
        "{term}"
    );
    assert!(md.contains("\n## Cookies\n\n- **Reworded:** We use cookies to remember "), "{md}");
    assert!(html.contains("<h2>Cookies</h2>\n<ul>\n<li class=\"reworded\">"), "{html}");
    // The section list comes first, then the clause under the split section's heading.
    assert!(md.find("- Split:") < md.find("## Cookies"), "{md}");
}

#[test]
fn a_clause_changed_in_a_merged_section_shows_under_the_section_it_joined() {
    let d = regrouped(SectionStatus::Merged, vec![reworded_cookie_clause("Cookies", "Data We Collect")]);
    let [(_, term), (_, md), _, _] = every_format(&d);
    assert!(term.contains("\n== Data We Collect ==\n~ We use cookies"), "{term}");
    assert!(!term.contains("== Cookies =="), "{term}");
    assert!(md.contains("\n## Data We Collect\n\n- **Reworded:**"), "{md}");
}

#[test]
fn the_section_list_keeps_the_diffs_order_a_merged_section_at_its_old_place() {
    let same = |h| section(SectionStatus::Unchanged, Some(h), Some(h));
    let d = DocumentDiff::from_parts(
        vec![
            section(SectionStatus::Added, None, Some("Summary")),
            same("Links"),
            section(SectionStatus::Merged, Some("Cookies"), Some("Links")),
            same("Data We Collect"),
            section(SectionStatus::Split, Some("Data We Collect"), Some("Retention")),
            section(SectionStatus::Removed, Some("Children"), None),
        ],
        vec![],
    );
    let md = markdown::body(&d, 2);
    let lines: Vec<&str> = md.lines().filter(|l| l.starts_with("- ")).collect();
    assert_eq!(
        lines,
        [
            "- Added: “Summary”",
            "- Merged: heading “Cookies” removed; its text is now part of “Links”",
            "- Split: heading “Retention” added; its text was part of “Data We Collect”",
            "- Removed: “Children”",
        ]
    );
}

#[test]
fn a_collapsed_html_section_list_counts_its_kinds() {
    let mut sections: Vec<SectionChange> =
        (0..9).map(|i| section(SectionStatus::Added, None, Some(&format!("Part {i}")))).collect();
    sections.push(section(SectionStatus::Split, Some("Part 1"), Some("Cookies")));
    sections.push(section(SectionStatus::Merged, Some("Links"), Some("Part 2")));
    let d = DocumentDiff::from_parts(sections, vec![]);
    let html = html::body(&d, 2, None);
    assert!(html.contains("<details><summary>11 sections: 9 added, 1 split, 1 merged</summary>"), "{html}");
    let all_added = DocumentDiff::from_parts(
        (0..9).map(|i| section(SectionStatus::Added, None, Some(&format!("Part {i}")))).collect(),
        vec![],
    );
    assert!(html::body(&all_added, 2, None).contains("<summary>9 sections added</summary>"));
}

#[test]
fn an_untitled_section_is_named_as_such_in_a_merge() {
    let d = DocumentDiff::from_parts(vec![section(SectionStatus::Merged, Some("Intro"), None)], vec![]);
    let md = markdown::body(&d, 2);
    assert!(md.contains("- Merged: heading “Intro” removed; its text is now part of “(untitled)”"), "{md}");
}

#[test]
fn headings_in_a_split_are_escaped_for_each_format() {
    let d = DocumentDiff::from_parts(
        vec![section(SectionStatus::Split, Some("Data <b>& *you*"), Some("Cookies\u{1b}[31m"))],
        vec![],
    );
    let md = markdown::body(&d, 2);
    assert!(md.contains("part of “Data \\<b\\>\\& \\*you\\*”"), "{md}");
    let html = html::body(&d, 2, None);
    assert!(html.contains("part of “Data &lt;b&gt;&amp; *you*”"), "{html}");
    let term = terminal::body(&d, false);
    assert!(!term.contains('\u{1b}'), "no control character reaches the terminal: {term:?}");
}

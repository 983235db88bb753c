use super::*;
use crate::history::{CaptureRef, History};
use crate::normalize::normalize_markdown;

fn doc(sharing: &str) -> crate::document::Document {
    normalize_markdown(&format!(
        "# Privacy Policy\n\n## Sharing\n\n{sharing} We collect personal information and data about your account.\n\n## Cookies\n\nWe use cookies with your consent.\n"
    ))
}

fn flip_flop() -> History {
    let texts = ["We may share data.", "We will share data.", "We may share data.", "We will share data."];
    History::from_captures(
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let c = CaptureRef::archived(
                    "https://web.archive.org",
                    "https://example.com/privacy",
                    &format!("2020{:02}01000000", i + 1),
                    Some(format!("D{i}")),
                );
                (c, Ok(doc(t)))
            })
            .collect(),
    )
}

fn log(h: &History) -> Changelog<'_> {
    Changelog {
        history: h,
        url: Some("https://example.com/privacy"),
        range: Some(("20200101000000", "20201231235959")),
        listed: Some(4),
        distinct_digests: Some(4),
    }
}

#[test]
fn a_summary_names_only_the_kinds_that_occur() {
    let h = flip_flop();
    assert_eq!(short_summary(&h.steps[0].diff), "1 reworded");
}

#[test]
fn reverts_say_which_step_they_undo_or_repeat() {
    let h = flip_flop();
    let l = log(&h);
    assert_eq!(l.echo(&h.steps[0]), None);
    assert_eq!(l.echo(&h.steps[1]), Some((0, Echo::Undoes)));
    assert_eq!(l.echo(&h.steps[2]), Some((0, Echo::Repeats)));
}

#[test]
fn the_library_step_and_the_report_step_serialize_alike() {
    let h = flip_flop();
    let lib = serde_json::to_value(&h.steps[0]).unwrap();
    let wire = serde_json::to_value(json::Step::from(&h.steps[0])).unwrap();
    assert_eq!(lib, wire);
}

#[test]
fn markdown_tells_a_flip_flop_as_one_change_and_its_reverts() {
    let h = flip_flop();
    let md = markdown::render(&log(&h));
    assert!(md.contains("### Step 2: Version 1 → version 2, back to the text of version 0"), "{md}");
    assert!(md.contains("Undoes step 1"), "{md}");
    assert!(md.contains("Makes the change of step 1 again"), "{md}");
    // The clauses are told once, at step 1.
    assert_eq!(md.matches("**Reworded:**").count(), 1, "{md}");
}

/// A two-version history whose step is `diff` (a hand-built one).
fn one_step(diff: crate::diff::DocumentDiff) -> History {
    let mut h = flip_flop();
    h.steps.truncate(1);
    h.steps[0].diff = diff;
    h
}

fn regrouped(status: crate::diff::SectionStatus, old: &str, new: &str) -> crate::diff::DocumentDiff {
    let s = crate::diff::SectionChange {
        status,
        old_heading: Some(old.into()),
        new_heading: Some(new.into()),
        old_path: Some(vec![old.into()]),
        new_path: Some(vec![new.into()]),
    };
    crate::diff::DocumentDiff::from_parts(vec![s], vec![])
}

#[test]
fn a_step_that_only_splits_a_section_is_told_in_every_changelog_format() {
    use crate::diff::SectionStatus;
    let h = one_step(regrouped(SectionStatus::Split, "Data We Collect", "Cookies"));
    let l = log(&h);
    assert_eq!(short_summary(&h.steps[0].diff), "1 section split");
    let said = "heading “Cookies” added; its text was part of “Data We Collect”";
    let term = terminal::render(&l, false);
    assert!(term.contains("Step 1: Version 0 → version 1 (1 section split)"), "{term}");
    assert!(term.contains(&format!("  split    {said}")), "{term}");
    let md = markdown::render(&l);
    assert!(md.contains("### Step 1: Version 0 → version 1 (1 section split)"), "{md}");
    assert!(md.contains(&format!("- Split: {said}")), "{md}");
    let page = html::render(&l);
    assert!(page.contains("<small>(1 section split)</small>"), "{page}");
    assert!(page.contains(&format!("<li>Split: {said}</li>")), "{page}");
    let feed = atom::render(&l);
    assert!(feed.contains(": 1 section split</title>"), "{feed}");
    assert!(feed.contains(&format!("&lt;li&gt;Split: {said}&lt;/li&gt;")), "{feed}");
    let v: serde_json::Value = serde_json::from_str(&json::render(&l)).unwrap();
    assert_eq!(v["steps"][0]["summary"]["sections_split"], 1);
    assert_eq!(v["steps"][0]["sections"][0]["status"], "split");
}

#[test]
fn a_step_that_merges_sections_says_how_many() {
    use crate::diff::SectionStatus;
    let mut two = regrouped(SectionStatus::Merged, "Cookies", "Data We Collect");
    two.sections.push(two.sections[0].clone());
    let two = crate::diff::DocumentDiff::from_parts(two.sections, vec![]);
    assert_eq!(short_summary(&two), "2 sections merged");
    let h = one_step(regrouped(SectionStatus::Merged, "Cookies", "Data We Collect"));
    let md = markdown::render(&log(&h));
    assert!(md.contains("(1 section merged)"), "{md}");
    assert!(
        md.contains("- Merged: heading “Cookies” removed; its text is now part of “Data We Collect”"),
        "{md}"
    );
}

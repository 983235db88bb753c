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

use super::*;
use crate::normalize::normalize_markdown;

fn policy(sharing: &str, date: &str) -> Document {
    let filler: String =
        (0..40).map(|i| format!("We keep record {i} of your personal data safe. ")).collect();
    normalize_markdown(&format!(
        "# Privacy Policy\n\nLast updated: {date}\n\n## Collection\n\nWe collect personal information \
         when you create an account. {filler}\n\n## Sharing\n\n{sharing}\n\n## Cookies\n\nWe use cookies with your consent.\n"
    ))
}

fn a() -> Document {
    policy("We may share data with partners.", "March 1, 2020")
}
fn b() -> Document {
    policy("We will share data with partners.", "June 1, 2021")
}
fn c() -> Document {
    policy("We will share data with partners and advertisers.", "May 5, 2022")
}

fn error_page() -> Document {
    normalize_markdown("# Privacy Policy\n\nSomething went wrong. Refresh this page or try again later.\n")
}

fn capture(i: usize) -> CaptureRef {
    CaptureRef::archived(
        "https://web.archive.org",
        "https://example.com/privacy",
        &format!("2020{:02}01000000", i + 1),
        Some(format!("DIGEST{i}")),
    )
}

fn history_of(docs: Vec<Document>) -> History {
    History::from_captures(docs.into_iter().enumerate().map(|(i, d)| (capture(i), Ok(d))).collect())
}

fn windows(h: &History) -> Vec<(String, String)> {
    h.steps.iter().map(|s| (s.after.label.clone(), s.before.label.clone())).collect()
}

#[test]
fn cosmetic_differences_between_captures_make_no_version() {
    let mut cosmetic = a();
    if let Some(crate::document::Block::Paragraph { text }) = cosmetic.sections[2].blocks.first_mut() {
        *text = text.replace("We may", "We  may").replace("partners.", "partners .").replace(' ', "\u{a0}");
    }
    let h = history_of(vec![a(), cosmetic, a()]);
    assert_eq!(h.versions.len(), 1);
    assert_eq!(h.versions[0].captures, 3);
    assert!(h.steps.is_empty());
}

#[test]
fn a_step_has_the_window_between_the_last_old_and_the_first_new_capture() {
    let h = history_of(vec![a(), a(), a(), b(), b(), c()]);
    assert_eq!(h.versions.len(), 3);
    assert_eq!(
        windows(&h),
        [
            ("20200301000000".into(), "20200401000000".into()),
            ("20200501000000".into(), "20200601000000".into())
        ]
    );
    let step = &h.steps[0];
    assert_eq!(step.after.digest.as_deref(), Some("DIGEST2"));
    assert_eq!(
        step.before.memento.as_deref(),
        Some("https://web.archive.org/web/20200401000000id_/https://example.com/privacy")
    );
    assert_eq!(step.diff.summary.reworded, 2, "the sharing clause and the stated date");
    assert_eq!(
        (h.versions[0].first_seen.as_str(), h.versions[0].last_seen.as_str()),
        ("20200101000000", "20200301000000")
    );
}

#[test]
fn an_error_page_between_two_captures_of_a_version_is_no_step() {
    let h = history_of(vec![a(), error_page(), a(), b()]);
    assert_eq!(h.versions.len(), 2, "{:?}", h.versions);
    assert_eq!(h.steps.len(), 1);
    assert_eq!(h.unusable.len(), 1);
    assert_eq!(h.unusable[0].capture.label, "20200201000000");
    assert!(matches!(h.unusable[0].reason, Unusable::ErrorPage { .. }));
    assert_eq!(windows(&h), [("20200301000000".into(), "20200401000000".into())]);
}

#[test]
fn captures_that_cannot_be_fetched_are_listed_and_skipped() {
    let mut captures: Vec<(CaptureRef, Result<Document, Unusable>)> =
        vec![a(), a(), b()].into_iter().enumerate().map(|(i, d)| (capture(i), Ok(d))).collect();
    captures[1].1 = Err(Unusable::FetchFailed { message: "HTTP 503".into() });
    let h = History::from_captures(captures);
    assert_eq!(h.versions.len(), 2);
    assert_eq!(h.unusable.len(), 1);
    assert_eq!(windows(&h), [("20200101000000".into(), "20200301000000".into())]);
}

#[test]
fn a_stub_without_policy_words_is_not_a_version() {
    let stub = normalize_markdown("# Example\n\nWelcome! Go to the home page.\n");
    let h = history_of(vec![a(), stub.clone(), a()]);
    assert_eq!(h.versions.len(), 1);
    assert!(matches!(h.unusable[0].reason, Unusable::TooShort { .. }));
    // A stub at the very start is measured against the next capture.
    let h = history_of(vec![stub, a(), b()]);
    assert_eq!(h.versions.len(), 2);
    assert_eq!(h.unusable.len(), 1);
}

#[test]
fn a_flip_flop_is_told_as_one_change_and_its_reverts() {
    let h = history_of(vec![a(), b(), a(), b()]);
    let same: Vec<Option<usize>> = h.versions.iter().map(|v| v.same_as).collect();
    assert_eq!(same, [None, None, Some(0), Some(1)]);
    let reverts: Vec<Option<usize>> = h.steps.iter().map(|s| s.reverts_to).collect();
    assert_eq!(reverts, [None, Some(0), Some(1)]);
}

#[test]
fn bisection_finds_the_same_steps_with_fewer_fetches() {
    let mut docs = vec![a(); 20];
    docs.extend(vec![b(); 25]);
    docs.extend(vec![c(); 19]);
    let full = history_of(docs.clone());
    let refs: Vec<CaptureRef> = (0..docs.len()).map(capture).collect();
    let mut calls = 0;
    let bisected = bisect(&refs, |i| {
        calls += 1;
        Ok(docs[i].clone())
    });
    assert_eq!(windows(&bisected), windows(&full));
    assert_eq!(bisected.fetched, calls);
    assert!(calls <= 2 * 7 + 2, "{calls} fetches for 64 captures with 2 changes");
    let counts: Vec<usize> = bisected.versions.iter().map(|v| v.captures).collect();
    assert_eq!(counts, [20, 25, 19]);
    assert!(!bisected.assumed_unchanged.is_empty());
    let assumed: usize = bisected.assumed_unchanged.iter().map(|s| s.captures).sum();
    assert_eq!(assumed + calls, 64);
}

#[test]
fn bisection_steps_around_error_pages() {
    let mut docs = vec![a(); 10];
    docs.extend(vec![b(); 10]);
    let refs: Vec<CaptureRef> = (0..docs.len()).map(capture).collect();
    let broken = [0usize, 9, 10, 15];
    let h = bisect(&refs, |i| if broken.contains(&i) { Ok(error_page()) } else { Ok(docs[i].clone()) });
    assert_eq!(h.steps.len(), 1);
    assert_eq!(
        (h.steps[0].after.label.as_str(), h.steps[0].before.label.as_str()),
        (refs[8].label.as_str(), refs[11].label.as_str())
    );
    assert!(h.unusable.iter().all(|s| broken.iter().any(|&b| refs[b].label == s.capture.label)));
}

#[test]
fn a_step_whose_stated_date_did_not_change_is_flagged() {
    let changed_same_date = policy("We will share data with partners.", "March 1, 2020");
    let h = history_of(vec![a(), changed_same_date]);
    assert_eq!(h.steps[0].flags, [Flag::StatedDateUnchanged]);
    assert_eq!(h.versions[0].stated_date.as_deref(), Some("2020-03-01"));
}

#[test]
fn a_version_whose_stated_date_alone_changed_is_flagged() {
    let redated = policy("We may share data with partners.", "April 2, 2020");
    let h = history_of(vec![a(), redated]);
    assert_eq!(h.steps.len(), 1);
    assert_eq!(h.steps[0].flags, [Flag::StatedDateOnly]);
    assert_eq!(h.versions[1].stated_date.as_deref(), Some("2020-04-02"));
    // A real change with a new date carries no flag.
    assert!(history_of(vec![a(), b()]).steps[0].flags.is_empty());
}

#[test]
fn a_recorded_history_goes_on_with_new_captures() {
    let last = Version::recorded(4, capture(0), capture(1), 2, a());
    let mut h = History::resume(vec![last]);
    assert!(h.push(capture(2), Ok(a())).is_none());
    assert!(h.push(capture(3), Ok(error_page())).is_none());
    let step = h.push(capture(4), Ok(b())).expect("a new version");
    assert_eq!((step.from_version, step.to_version), (4, 5));
    assert_eq!(step.after.label, "20200301000000");
    assert_eq!(h.steps.len(), 1);
    assert_eq!(h.unusable.len(), 1);
    // Back to the recorded text: a revert.
    let back = h.push(capture(5), Ok(a())).expect("a revert");
    assert_eq!(back.reverts_to, Some(4));
}

#[test]
fn a_step_serializes_to_the_changelog_step_form() {
    let h = history_of(vec![a(), b()]);
    let json = serde_json::to_value(&h.steps[0]).unwrap();
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "from_version",
        "to_version",
        "reverts_to",
        "window",
        "old_capture",
        "new_capture",
        "old_digest",
        "new_digest",
        "flags",
        "summary",
        "sections",
        "changes",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    assert_eq!(json["window"]["after"], "20200101000000");
    assert_eq!(json["changes"][0]["kind"], "reworded");
    // Local versions have no window, capture or digest.
    let local = History::from_captures(vec![
        (CaptureRef::local("a.md"), Ok(a())),
        (CaptureRef::local("b.md"), Ok(b())),
    ]);
    let json = serde_json::to_value(&local.steps[0]).unwrap();
    assert!(json["window"].is_null() && json["old_capture"].is_null() && json["new_digest"].is_null());
}

#[test]
fn another_page_between_captures_of_the_policy_is_not_a_version() {
    let home = normalize_markdown(&format!(
        "# Social media that respects you\n\n{}\n",
        "Speak freely. Connect directly. Build value. Real people, real community, more than likes and views. "
            .repeat(6)
    ));
    let h = history_of(vec![a(), home.clone(), home.clone(), a(), b()]);
    assert_eq!(h.versions.len(), 2);
    assert_eq!(h.unusable.len(), 2);
    assert!(h.unusable.iter().all(|s| s.reason == Unusable::NotThePolicy));
    // The policy page that became another page for good: that page is the last version.
    let h = history_of(vec![a(), b(), home.clone(), home]);
    assert_eq!(h.versions.len(), 3);
}

//! The history library on a stand-in history: real Open Terms Archive versions
//! rendered into archived HTML captures with chrome that changes on every capture,
//! error pages and captchas among them, read by the HTML normalizer (no HTTP here;
//! tests/changelog_cli.rs runs the same through the command and the Wayback stand-in).

mod support;

use policydiff::document::Document;
use policydiff::history::{bisect, CaptureRef, History, Unusable};
use policydiff::normalize::{normalize, InputKind, Options};
use support::history::{linkedin_versions, parler_versions, Plan, Shows, PARLER_TEXT};

const URL: &str = "https://example.com/legal/privacy";

fn read(plan: &Plan, n: usize) -> Result<Document, Unusable> {
    if plan.captures[n].1 == Shows::Missing {
        return Err(Unusable::FetchFailed { message: "HTTP 503".into() });
    }
    normalize(&plan.body(n), InputKind::Html, &Options::default())
        .map_err(|e| Unusable::NoPolicyText { message: e.to_string() })
}

fn capture_ref(plan: &Plan, n: usize) -> CaptureRef {
    CaptureRef::archived("https://web.archive.org", &plan.url, &plan.captures[n].0, None)
}

fn full(plan: &Plan) -> History {
    History::from_captures((0..plan.captures.len()).map(|n| (capture_ref(plan, n), read(plan, n))).collect())
}

fn windows(h: &History) -> Vec<(String, String)> {
    h.steps.iter().map(|s| (s.after.label.clone(), s.before.label.clone())).collect()
}

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
            V(1),
            V(2),
            V(2),
            V(3),
            Missing,
            V(3),
            V(4),
            ErrorPage,
            V(4),
            V(4),
            V(5),
            V(5),
        ],
    )
}

#[test]
fn steps_are_exactly_the_real_changes_of_a_history_with_chrome_and_error_pages() {
    let plan = parler_plan();
    let h = full(&plan);
    let expected = plan.expected_windows(&PARLER_TEXT);
    assert_eq!(expected.len(), 3);
    assert_eq!(windows(&h), expected, "versions: {:#?}", h.versions);
    assert_eq!(h.versions.len(), 4);
    // Every capture accounted for: versions plus the unusable ones.
    let shown: usize = h.versions.iter().map(|v| v.captures).sum();
    assert_eq!(shown + h.unusable.len(), plan.captures.len());
    assert_eq!(h.fetched, plan.captures.len());
}

#[test]
fn error_pages_captchas_failed_fetches_and_another_page_are_listed_with_their_reason() {
    let plan = parler_plan();
    let h = full(&plan);
    let reason = |ts: &String| h.unusable.iter().find(|s| &s.capture.label == ts).map(|s| s.reason.clone());
    for ts in plan.timestamps(ErrorPage) {
        assert!(matches!(reason(&ts), Some(Unusable::ErrorPage { .. })), "{ts}: {:?}", reason(&ts));
    }
    for ts in plan.timestamps(Captcha) {
        assert!(matches!(reason(&ts), Some(Unusable::Captcha { .. })), "{ts}: {:?}", reason(&ts));
    }
    for ts in plan.timestamps(Missing) {
        assert!(matches!(reason(&ts), Some(Unusable::FetchFailed { .. })), "{ts}");
    }
    let home: Vec<String> = plan.timeline().into_iter().filter(|(_, v)| *v == 2).map(|(ts, _)| ts).collect();
    for ts in &home {
        assert_eq!(reason(ts), Some(Unusable::NotThePolicy), "{ts}");
    }
    assert_eq!(h.unusable.len(), 2 + 1 + 1 + home.len());
}

#[test]
fn chrome_alone_never_makes_a_version() {
    // Twelve captures of one version, each in other chrome and layout.
    let plan = Plan::runs(URL, parler_versions(), &[3], 12);
    let h = full(&plan);
    assert_eq!(h.versions.len(), 1, "{:#?}", h.steps.first().map(|s| &s.diff));
    assert_eq!(h.versions[0].captures, 12);
    assert!(h.unusable.is_empty());
}

#[test]
fn a_flip_flop_is_one_change_and_its_reverts() {
    let plan = Plan::runs(URL, linkedin_versions(), &[0, 1, 0, 1], 3);
    let h = full(&plan);
    assert_eq!(h.versions.len(), 4);
    let reverts: Vec<Option<usize>> = h.steps.iter().map(|s| s.reverts_to).collect();
    assert_eq!(reverts, [None, Some(0), Some(1)]);
    let same: Vec<Option<usize>> = h.versions.iter().map(|v| v.same_as).collect();
    assert_eq!(same, [None, None, Some(0), Some(1)]);
    assert_eq!(windows(&h), plan.expected_windows(&[Some(0), Some(1)]));
}

#[test]
fn bisection_finds_the_same_steps_with_fewer_fetches() {
    // 48 captures, no revert: versions 0, 1, 3, 5 of Parler in runs of 12.
    let plan = Plan::runs(URL, parler_versions(), &[0, 1, 3, 5], 12);
    let all = full(&plan);
    let refs: Vec<CaptureRef> = (0..plan.captures.len()).map(|n| capture_ref(&plan, n)).collect();
    let mut fetched = 0;
    let h = bisect(&refs, |n| {
        fetched += 1;
        read(&plan, n)
    });
    assert_eq!(windows(&h), windows(&all));
    assert_eq!(windows(&h).len(), 3);
    assert_eq!(h.fetched, fetched);
    // K·log2(N) with K = 3 changes, N = 48: about 17, and never all 48.
    assert!(fetched <= 3 * 6 + 2, "{fetched} fetches");
    assert!(fetched < all.fetched / 2, "{fetched} of {}", all.fetched);
    let counts: Vec<usize> = h.versions.iter().map(|v| v.captures).collect();
    assert_eq!(counts, [12, 12, 12, 12]);
    assert!(h.bisected && !h.assumed_unchanged.is_empty());
}

#[test]
fn bisection_steps_around_error_pages_and_failed_fetches() {
    let mut shows = vec![V(0); 10];
    shows.extend(vec![V(1); 10]);
    shows[0] = ErrorPage;
    shows[9] = Missing;
    shows[10] = Captcha;
    let plan = Plan::new(URL, parler_versions(), &shows);
    let refs: Vec<CaptureRef> = (0..plan.captures.len()).map(|n| capture_ref(&plan, n)).collect();
    let h = bisect(&refs, |n| read(&plan, n));
    assert_eq!(windows(&h), plan.expected_windows(&PARLER_TEXT));
    assert_eq!(windows(&h), windows(&full(&plan)));
}

#[test]
fn rendered_captures_of_two_versions_diff_like_the_versions_themselves() {
    // Each real version rendered into site HTML (with per-capture chrome and layout)
    // reports the same changes as the Markdown versions it was rendered from.
    use policydiff::diff::diff;
    use policydiff::normalize::normalize_markdown;
    let versions: Vec<Document> = parler_versions().iter().map(|v| normalize_markdown(v)).collect();
    let html = |doc: &Document, k: usize| {
        normalize(support::history::render_capture(doc, k).as_bytes(), InputKind::Html, &Options::default())
            .unwrap()
    };
    // Version 2 is Parler's home page, recorded by mistake: not a policy version.
    let policies: Vec<usize> = (0..versions.len()).filter(|&v| PARLER_TEXT[v].is_some()).collect();
    for (k, &i) in policies.iter().enumerate() {
        for &j in &policies[k + 1..] {
            let want = diff(&versions[i], &versions[j]).summary;
            for (a, b) in (0..6).flat_map(|a| (0..6).map(move |b| (a, b))) {
                let got = diff(&html(&versions[i], a), &html(&versions[j], b));
                assert_eq!(got.summary, want, "versions {i} → {j}, captures {a} → {b}: {:#?}", got);
            }
        }
    }
}

//! The differ read both ways: diffing new → old reports every change of old → new
//! turned around (added ↔ removed, the two sides of each rewording and move swapped),
//! on the cases where it once did not.

use super::*;
use crate::normalize::normalize_markdown;

fn d(old: &str, new: &str) -> DocumentDiff {
    diff(&normalize_markdown(old), &normalize_markdown(new))
}

/// The changes of a report as (kind, old, new), sorted; `turned` reads them as the
/// reverse diff should report them.
type Change3 = (String, Option<String>, Option<String>);

fn changes(r: &DocumentDiff, turned: bool) -> Vec<Change3> {
    let mut v: Vec<_> = r
        .changes
        .iter()
        .map(|c| {
            let kind = match (c.kind, turned) {
                (ChangeKind::Added, true) => ChangeKind::Removed,
                (ChangeKind::Removed, true) => ChangeKind::Added,
                (k, _) => k,
            };
            let (old, new) =
                if turned { (c.new.clone(), c.old.clone()) } else { (c.old.clone(), c.new.clone()) };
            (format!("{kind:?}"), old, new)
        })
        .collect();
    v.sort();
    v
}

fn assert_mirrors(a: &str, b: &str) -> (DocumentDiff, DocumentDiff) {
    let (forward, backward) = (d(a, b), d(b, a));
    let (there, back) = (changes(&forward, true), changes(&backward, false));
    let only =
        |x: &[Change3], y: &[Change3]| x.iter().filter(|c| !y.contains(c)).cloned().collect::<Vec<_>>();
    assert!(
        there == back,
        "forward only (turned): {:#?}\nbackward only: {:#?}",
        only(&there, &back),
        only(&back, &there)
    );
    (forward, backward)
}

/// A long changed stretch (Facebook privacy 2025-11 ↔ 12: a table of ~90 rows rewritten
/// as ~900 lines) pairs its rewordings from a short list of candidates per clause. A
/// short clause whose rewording lies among many clauses sharing its common words is
/// found from its own side only: each side must propose its candidates, or the pair is
/// a rewording one way and a removal plus an addition the other.
#[test]
fn a_rewording_in_a_long_changed_stretch_is_found_both_ways() {
    let short_old = "If you are a registered user of the products.";
    let short_new = "If we cannot associate you or your device with a registered user of the products.";
    let mut old = String::from("## Legal basis\n\n");
    for k in 0..16 {
        old += &format!(
            "If we cannot associate you or your device with the products, we use item {k} of \
             the record for research, analytics, safety, measurement, marketing, advertising, \
             billing and the development of features across our services in region {k}.\n\n"
        );
    }
    old += short_old;
    old += "\n";
    let mut new = format!("## Legal basis\n\n{short_new}\n\n");
    for k in 0..300 {
        new += &format!(
            "Paragraph {k} applies if you are a user of the products, and names the terms, \
             rates, forms and notices that govern clause {k} in full.\n\n"
        );
    }
    let (forward, _) = assert_mirrors(&old, &new);
    let reworded: Vec<_> = forward.changes.iter().filter(|c| c.kind == ChangeKind::Reworded).collect();
    assert_eq!(reworded.len(), 1, "{reworded:#?}");
    assert_eq!((reworded[0].old.as_deref(), reworded[0].new.as_deref()), (Some(short_old), Some(short_new)));
}

/// A wholly emphasised line is a heading to the normalizer, so a clause of one version
/// that is a bold line of the other is that clause, not a new section, when it stands at
/// the same place. X's privacy page (2024-10 → 07) had "Effective: September 29, 2023" as a
/// plain line at the end of its contact section in one version and as a bold line at
/// the top of the page in the other: read as the same line in place, the clause left its
/// section with no change saying so (and only one way round).
#[test]
fn a_clause_that_is_a_bold_line_elsewhere_is_reported_where_it_went() {
    let at_end = "# Policy\n\n## Use\n\nWe use your data.\n\n## Contact\n\nWrite to us.\n\n\
                  Effective: September 29, 2023\n";
    let at_top = "# Policy\n\n**Effective: September 29, 2023**\n\n## Use\n\nWe use your data.\n\n\
                  ## Contact\n\nWrite to us.\n";
    let (forward, backward) = assert_mirrors(at_end, at_top);
    let effective =
        |c: &Change| [&c.old, &c.new].iter().any(|t| t.as_deref() == Some("Effective: September 29, 2023"));
    assert!(
        forward.changes.iter().any(|c| c.kind == ChangeKind::Removed
            && effective(c)
            && c.old_section.as_deref() == Some("Contact")),
        "{forward:#?}"
    );
    assert!(backward.changes.iter().any(|c| c.kind == ChangeKind::Added && effective(c)), "{backward:#?}");
    let headed = |r: &DocumentDiff, status: SectionStatus| {
        r.sections.iter().any(|s| {
            s.status == status
                && [&s.old_heading, &s.new_heading]
                    .iter()
                    .any(|h| h.as_deref() == Some("Effective: September 29, 2023"))
        })
    };
    assert!(headed(&forward, SectionStatus::Added) && headed(&backward, SectionStatus::Removed));
    // At the same place, a bold line and a plain one are the same clause.
    let plain_top = at_top.replace("**Effective: September 29, 2023**", "Effective: September 29, 2023");
    assert!(d(&plain_top, at_top).is_empty() && d(at_top, &plain_top).is_empty());
}

/// A section renamed while the heading of the next one was deleted holds the text of
/// both, and more of the next one's (the known-edit benchmark, seed 2, pair 601). Its
/// heading, at the same place, keeps every word of the renamed one's: it is that section
/// renamed, and the next one's heading is the one that went, whichever body is larger.
#[test]
fn a_renamed_section_that_took_in_the_next_ones_text_is_still_the_renamed_one() {
    let old = "# Policy\n\n## Contact\n\nWrite to us at privacy@example.com.\n\n\
               ## Mailing lists\n\nIf you sign up to our mailing lists, we email you our news. \
               You can opt out of these emails at any time.\n\n\
               ## Forums\n\nBy creating an account on our forums, you give us an email address. \
               Anything you post on the forums can be read by anyone. \
               To remove your data, write to forum@example.com.\n\n\
               ## Cookies\n\nWe use cookies to remember your language.\n";
    let new =
        old.replace("## Mailing lists", "## Mailing lists and Your Choices").replace("## Forums\n\n", "");
    let (forward, backward) = assert_mirrors(old, &new);
    for (r, (from, to)) in [
        (&forward, ("Mailing lists", "Mailing lists and Your Choices")),
        (&backward, ("Mailing lists and Your Choices", "Mailing lists")),
    ] {
        let renamed: Vec<_> = r
            .sections
            .iter()
            .filter(|s| s.status == SectionStatus::Renamed)
            .map(|s| (s.old_heading.as_deref(), s.new_heading.as_deref()))
            .collect();
        assert_eq!(renamed, [(Some(from), Some(to))], "{r:#?}");
        // The mailing-list text stayed in its section: no change names it.
        assert!(
            r.changes.iter().all(|c| !c.old.as_deref().unwrap_or("").contains("mailing lists")),
            "{r:#?}"
        );
    }
}

//! The differ's behaviour on small documents, one behaviour a test.

use super::*;
use crate::normalize::normalize_markdown;

fn d(old: &str, new: &str) -> DocumentDiff {
    diff(&normalize_markdown(old), &normalize_markdown(new))
}

fn kinds(diff: &DocumentDiff) -> Vec<ChangeKind> {
    diff.changes.iter().map(|c| c.kind).collect()
}

const POLICY: &str = "# Privacy Policy\n\nThis policy explains what we do with your data. It applies to all our services.\n\n\
## Information We Collect\n\nWe collect your name and e-mail address when you register. We collect usage data automatically.\n\n\
- Account data such as your password.\n- Payment data such as your card number.\n\n\
## Cookies\n\nWe use cookies to remember your preferences. You can disable cookies in your browser settings.\n\n\
## Sharing\n\nWe may share data with partners. We never sell your personal data to anyone.\n\n\
## Contact\n\nWrite to privacy@example.com with any question about this policy.\n";

#[test]
fn a_document_diffed_with_itself_has_no_changes() {
    let r = d(POLICY, POLICY);
    assert!(r.is_empty(), "{r:#?}");
}

#[test]
fn cosmetic_edits_are_not_changes() {
    let cosmetic = POLICY
        .replace("We collect usage data automatically.", "We collect usage\ndata  automatically.")
        .replace("- Account", "* Account")
        .replace("We may", "We\u{a0}may")
        .replace("never sell", "*never* sell")
        .replace("what we do", "what we **do**");
    let r = d(POLICY, &cosmetic);
    assert!(r.is_empty(), "{r:#?}");
    let quotes = POLICY.replace("This policy", "This \u{201c}policy\u{201d}");
    let quotes2 = POLICY.replace("This policy", "This \"policy\"");
    assert!(d(&quotes, &quotes2).is_empty());
}

#[test]
fn a_changed_word_is_a_rewording_with_a_word_diff() {
    let r = d(POLICY, &POLICY.replace("We may share data", "We will share data"));
    assert_eq!(kinds(&r), [ChangeKind::Reworded]);
    let c = &r.changes[0];
    assert_eq!(c.old.as_deref(), Some("We may share data with partners."));
    assert_eq!(c.new.as_deref(), Some("We will share data with partners."));
    assert_eq!(c.similarity, Some(0.83));
    assert_eq!(c.old_section.as_deref(), Some("Sharing"));
    let ops: Vec<_> = c.words.as_ref().unwrap().iter().map(|w| (w.op, w.text.as_str())).collect();
    assert_eq!(ops[1], (WordOpKind::Delete, "may"));
    assert_eq!(ops[2], (WordOpKind::Insert, "will"));
    assert_eq!(r.sections.iter().filter(|s| s.status == SectionStatus::Changed).count(), 1);
}

#[test]
fn added_and_removed_clauses_are_reported_one_by_one() {
    let new = POLICY.replace("We collect usage data automatically.", "").replace(
        "any question about this policy.",
        "any question about this policy. We answer within 30 days.",
    );
    let r = d(POLICY, &new);
    assert_eq!(kinds(&r), [ChangeKind::Removed, ChangeKind::Added]);
    assert_eq!(r.changes[0].old.as_deref(), Some("We collect usage data automatically."));
    assert_eq!(r.changes[1].new.as_deref(), Some("We answer within 30 days."));
    assert_eq!((r.summary.added, r.summary.removed), (1, 1));
}

#[test]
fn a_renamed_section_is_renamed_not_removed_and_added() {
    let r = d(POLICY, &POLICY.replace("## Cookies", "## Cookies and Similar Technologies"));
    assert!(r.changes.is_empty(), "{:#?}", r.changes);
    assert_eq!(r.summary.sections_renamed, 1);
    let s = r.sections.iter().find(|s| s.status == SectionStatus::Renamed).unwrap();
    assert_eq!(s.old_heading.as_deref(), Some("Cookies"));
    assert_eq!(s.new_heading.as_deref(), Some("Cookies and Similar Technologies"));
}

#[test]
fn a_paragraph_moved_to_another_section_is_moved() {
    let new = POLICY
        .replace("We use cookies to remember your preferences. You can disable cookies in your browser settings.\n\n", "")
        .replace(
            "## Contact\n\n",
            "## Contact\n\nWe use cookies to remember your preferences. You can disable cookies in your browser settings.\n\n",
        );
    let r = d(POLICY, &new);
    assert_eq!(kinds(&r), [ChangeKind::Moved, ChangeKind::Moved]);
    assert_eq!(r.changes[0].old_section.as_deref(), Some("Cookies"));
    assert_eq!(r.changes[0].new_section.as_deref(), Some("Contact"));
}

#[test]
fn a_reordered_section_is_moved_and_its_clauses_unchanged() {
    let cookies = "## Cookies\n\nWe use cookies to remember your preferences. You can disable cookies in your browser settings.\n\n";
    let new = POLICY.replace(cookies, "").replace("## Contact", &format!("{cookies}## Contact"));
    let r = d(POLICY, &new);
    assert!(r.changes.is_empty(), "{:#?}", r.changes);
    assert!(r.sections.iter().any(|s| s.status == SectionStatus::Moved));
}

#[test]
fn new_and_dropped_sections_report_each_clause() {
    let new = POLICY.replace(
        "## Contact",
        "## Your Rights\n\nYou may ask for a copy of your data. You may ask us to delete it.\n\n## Contact",
    );
    let r = d(POLICY, &new);
    assert_eq!(kinds(&r), [ChangeKind::Added, ChangeKind::Added]);
    assert_eq!(r.summary.sections_added, 1);
    let back = d(&new, POLICY);
    assert_eq!(kinds(&back), [ChangeKind::Removed, ChangeKind::Removed]);
    assert_eq!(back.summary.sections_removed, 1);
}

#[test]
fn a_clause_split_in_two_is_one_rewording() {
    let new = POLICY.replace(
        "We collect your name and e-mail address when you register.",
        "We collect your name when you register. We also collect your e-mail address.",
    );
    let r = d(POLICY, &new);
    assert_eq!(kinds(&r), [ChangeKind::Reworded], "{r:#?}");
    assert_eq!(
        r.changes[0].new.as_deref(),
        Some("We collect your name when you register. We also collect your e-mail address.")
    );
    let merged = d(&new, POLICY);
    assert_eq!(kinds(&merged), [ChangeKind::Reworded]);
}

#[test]
fn documents_without_headings_diff_too() {
    let r = d("First sentence here. Second one here.\n", "First sentence here. Second one there.\n");
    assert_eq!(kinds(&r), [ChangeKind::Reworded]);
    assert_eq!(r.changes[0].new_section, None);
}

#[test]
fn deep_nesting_keeps_paths() {
    let old = "# P\n\n## A\n\n### B\n\n#### C\n\nDeep text stays here.\n\n## D\n\n### B\n\nOther text.\n";
    let new = old.replace("Other text.", "Other words.");
    let r = d(old, &new);
    assert_eq!(kinds(&r), [ChangeKind::Reworded]);
    assert_eq!(r.changes[0].new_section.as_deref(), Some("B"));
    let changed = r.sections.iter().find(|s| s.status == SectionStatus::Changed).unwrap();
    assert_eq!(changed.new_path.as_deref(), Some(&["P".to_string(), "D".into(), "B".into()][..]));
}

#[test]
fn changes_follow_the_new_reading_order() {
    let new = POLICY
        .replace("It applies to all our services.", "It applies to every service we offer.")
        .replace("We never sell", "We do not sell")
        .replace("We use cookies to remember your preferences. ", "");
    let r = d(POLICY, &new);
    assert_eq!(kinds(&r), [ChangeKind::Reworded, ChangeKind::Removed, ChangeKind::Reworded]);
}

/// The sections reported split or merged, as (status, old heading, new heading).
fn joined(diff: &DocumentDiff) -> Vec<(SectionStatus, Option<&str>, Option<&str>)> {
    diff.sections
        .iter()
        .filter(|s| matches!(s.status, SectionStatus::Split | SectionStatus::Merged))
        .map(|s| (s.status, s.old_heading.as_deref(), s.new_heading.as_deref()))
        .collect()
}

#[test]
fn a_heading_inserted_above_text_that_stayed_splits_the_section_and_moves_nothing() {
    let new = POLICY.replace("- Account data", "### Kinds of data\n\n- Account data");
    let r = d(POLICY, &new);
    assert!(r.changes.is_empty(), "{:#?}", r.changes);
    assert_eq!(joined(&r), [(SectionStatus::Split, Some("Information We Collect"), Some("Kinds of data"))]);
    assert_eq!((r.summary.sections_split, r.summary.sections_added), (1, 0));
    let split = r.sections.iter().find(|s| s.status == SectionStatus::Split).unwrap();
    assert_eq!(
        split.old_path.as_deref(),
        Some(&["Privacy Policy".to_string(), "Information We Collect".into()][..])
    );
    // The section the text was cut from keeps its place and the rest of its text.
    let from =
        r.sections.iter().find(|s| s.new_heading.as_deref() == Some("Information We Collect")).unwrap();
    assert_eq!(from.status, SectionStatus::Unchanged);
    assert!(!r.is_empty());
}

#[test]
fn a_clause_added_or_reworded_in_a_split_section_names_the_section_it_was_cut_from() {
    let new = POLICY
        .replace("- Account data", "### Kinds of data\n\n- Account data")
        .replace("such as your card number.", "such as your card number and its expiry date.")
        .replace("## Cookies", "- Location data such as your city.\n\n## Cookies");
    let r = d(POLICY, &new);
    assert_eq!(kinds(&r), [ChangeKind::Reworded, ChangeKind::Added], "{:#?}", r.changes);
    for c in &r.changes {
        assert_eq!(
            (c.old_section.as_deref(), c.new_section.as_deref()),
            (Some("Information We Collect"), Some("Kinds of data"))
        );
    }
    assert_eq!(r.summary.sections_split, 1);
    // The other way round: removed under the merged section, shown in the one it joined.
    let back = d(&new, POLICY);
    assert_eq!(kinds(&back), [ChangeKind::Reworded, ChangeKind::Removed], "{:#?}", back.changes);
    for c in &back.changes {
        assert_eq!(
            (c.old_section.as_deref(), c.new_section.as_deref()),
            (Some("Kinds of data"), Some("Information We Collect"))
        );
    }
    assert_eq!(back.summary.sections_merged, 1);
}

#[test]
fn a_real_reorder_next_to_an_inserted_heading_is_still_a_move() {
    // "fraud" went after "scams" and "bots": the one clause out of the longest run.
    let old = "## Rules\n\nWe ban spam. We ban fraud. We ban scams. We ban bots. We ban theft.\n\n\
               ## Contact\n\nWrite to us.\n";
    let new = "## Rules\n\nWe ban spam.\n\n## Details\n\nWe ban scams. We ban bots. We ban fraud. We ban theft.\n\n\
               ## Contact\n\nWrite to us.\n";
    for (a, b) in [(old, new), (new, old)] {
        let r = d(a, b);
        assert_eq!(kinds(&r), [ChangeKind::Moved], "{r:#?}");
        assert_eq!(r.summary.sections_split + r.summary.sections_merged, 1, "{r:#?}");
    }
    let r = d(old, new);
    assert_eq!(joined(&r), [(SectionStatus::Split, Some("Rules"), Some("Details"))]);
    let moved = &r.changes[0];
    assert_eq!(
        (moved.old_section.as_deref(), moved.new_section.as_deref()),
        (Some("Rules"), Some("Details"))
    );
    assert_eq!(moved.old.as_deref(), Some("We ban fraud."));
    // Two clauses swapped: which one moved is a tie, so both are reported, both ways.
    let swapped =
        new.replace("We ban scams. We ban bots. We ban fraud.", "We ban scams. We ban fraud. We ban bots.");
    assert_eq!(kinds(&d(old, &swapped)), [ChangeKind::Moved, ChangeKind::Moved], "{swapped}");
    assert_eq!(kinds(&d(&swapped, old)), [ChangeKind::Moved, ChangeKind::Moved]);
}

#[test]
fn a_clause_that_crossed_a_heading_both_versions_have_is_moved() {
    // Both sections stay; the boundary between them moved, not a heading inserted.
    let old = "## Data\n\nWe keep logs. We keep them a year.\n\n## Sharing\n\nWe never sell data.\n";
    let new = "## Data\n\nWe keep logs.\n\n## Sharing\n\nWe keep them a year. We never sell data.\n";
    let r = d(old, new);
    assert_eq!(kinds(&r), [ChangeKind::Moved], "{r:#?}");
    assert_eq!(
        (r.changes[0].old_section.as_deref(), r.changes[0].new_section.as_deref()),
        (Some("Data"), Some("Sharing"))
    );
    assert_eq!((r.summary.sections_split, r.summary.sections_merged), (0, 0));
}

#[test]
fn split_and_merged_sections_mirror_each_other() {
    let new = "## Links\n\nSee our links.\n\n## Tracking\n\nWe use cookies. We set them for a year.\n\n\
               ## Pixels\n\nWe use pixels.\n\n## Children\n\nNo data of children.\n";
    let old = "## Links\n\nSee our links.\n\n## Tracking\n\nWe use cookies. We set them for a year. We use pixels.\n\n\
               ## Children\n\nNo data of children.\n";
    let (f, b) = (d(old, new), d(new, old));
    assert!(f.changes.is_empty() && b.changes.is_empty(), "{f:#?} {b:#?}");
    let turned: Vec<_> = joined(&b).into_iter().map(|(_, o, n)| (SectionStatus::Split, n, o)).collect();
    assert_eq!(joined(&f), turned);
    assert_eq!(joined(&b), [(SectionStatus::Merged, Some("Pixels"), Some("Tracking"))]);
    assert_eq!((f.summary.sections_split, b.summary.sections_merged), (1, 1));
}

#[test]
fn a_split_section_is_cut_from_the_section_holding_most_of_its_text() {
    // "Retention" holds one clause of "Data" and two of "Sharing", all in place: it is cut
    // from "Sharing" (the heading "Sharing" went down two clauses), and the clause of
    // "Data" crossed the boundary between two sections both versions have: a move.
    let old = "## Data\n\nWe keep logs. We keep them a year.\n\n## Sharing\n\nWe share with banks. \
               We share with courts. We share with police. We share with auditors. We share with lawyers. \
               We share with insurers.\n\n## Contact\n\nWrite to us.\n";
    let new = "## Data\n\nWe keep logs.\n\n## Retention\n\nWe keep them a year. We share with banks. \
               We share with courts.\n\n## Sharing\n\nWe share with police. We share with auditors. \
               We share with lawyers. We share with insurers.\n\n## Contact\n\nWrite to us.\n";
    let r = d(old, new);
    assert_eq!(joined(&r), [(SectionStatus::Split, Some("Sharing"), Some("Retention"))], "{r:#?}");
    assert_eq!(kinds(&r), [ChangeKind::Moved]);
    assert_eq!(
        (r.changes[0].old_section.as_deref(), r.changes[0].new_section.as_deref()),
        (Some("Data"), Some("Retention"))
    );
    let back = d(new, old);
    assert_eq!(joined(&back), [(SectionStatus::Merged, Some("Retention"), Some("Sharing"))], "{back:#?}");
    assert_eq!(kinds(&back), [ChangeKind::Moved]);
}

#[test]
fn a_changed_number_and_an_inserted_qualifier_are_rewordings() {
    let new = POLICY
        .replace("We collect usage data automatically.", "We collect usage data automatically for 30 days.")
        .replace("We never sell your personal data", "We never sell or rent your personal data");
    let r = d(POLICY, &new);
    assert_eq!(kinds(&r), [ChangeKind::Reworded, ChangeKind::Reworded]);
    let numbers =
        d("## Retention\n\nWe keep logs for 30 days.\n", "## Retention\n\nWe keep logs for 90 days.\n");
    assert_eq!(kinds(&numbers), [ChangeKind::Reworded]);
}

#[test]
fn list_items_and_table_rows_are_clauses() {
    let old = "## Data\n\n- Name\n- E-mail address\n- Phone number\n\n| Kind | Kept |\n|---|---|\n| Logs | 30 days |\n| Backups | 1 year |\n";
    let new =
        old.replace("- Phone number\n", "- Phone number\n- Postal address\n").replace("1 year", "2 years");
    let r = d(old, &new);
    assert_eq!(kinds(&r), [ChangeKind::Added, ChangeKind::Reworded], "{r:#?}");
    assert_eq!(r.changes[0].new.as_deref(), Some("Postal address"));
    assert_eq!(r.changes[1].new.as_deref(), Some("Backups | 2 years"));
}

#[test]
fn a_sentence_added_next_to_a_rewording_stays_an_addition() {
    let new = POLICY.replace(
        "We may share data with partners.",
        "We may share limited data with partners. Partners must protect it under contract.",
    );
    let r = d(POLICY, &new);
    assert_eq!(kinds(&r), [ChangeKind::Reworded, ChangeKind::Added], "{r:#?}");
    assert_eq!(r.changes[0].new.as_deref(), Some("We may share limited data with partners."));
}

#[test]
fn a_wholly_emphasised_paragraph_is_not_a_new_section() {
    let plain = "# P\n\n## Data\n\nWe collect your name.\n\nWe keep it safe.\n";
    let bold = "# P\n\n## Data\n\n**We collect your name.**\n\nWe keep it safe.\n";
    let r = d(plain, bold);
    assert!(r.is_empty(), "{r:#?}");
    assert!(d(bold, plain).is_empty());
}

// Issue 8: real histories, reduced.

const LINKS_COOKIES: &str =
    "## Links\n\nSee our links.\n\n## Cookies\n\nWe use cookies.\n\n## Children\n\nNo data of children.\n";

fn rebuilds(c: &Change) -> (String, String) {
    let ops = c.words.as_deref().unwrap_or_default();
    let side =
        |skip: WordOpKind| ops.iter().filter(|o| o.op != skip).map(|o| o.text.as_str()).collect::<String>();
    (side(WordOpKind::Insert), side(WordOpKind::Delete))
}

#[test]
fn a_heading_deleted_merges_its_section_into_the_one_before() {
    let new = LINKS_COOKIES.replace("## Cookies\n\n", "");
    let r = d(LINKS_COOKIES, &new);
    // The cookie sentence is accounted for: unchanged, in the section "Cookies" merged
    // into, which holds it now (issue 8 item 1: it must never vanish).
    assert!(r.changes.is_empty(), "{r:#?}");
    assert_eq!(joined(&r), [(SectionStatus::Merged, Some("Cookies"), Some("Links"))]);
    assert_eq!((r.summary.sections_merged, r.summary.sections_removed), (1, 0));
    let links = normalize_markdown(&new);
    let holds = segment::clauses(&links).iter().any(|c| {
        c.text == "We use cookies." && links.sections[c.section].heading.as_deref() == Some("Links")
    });
    assert!(holds);
    // The other way round: a heading inserted above it splits its section.
    let back = d(&new, LINKS_COOKIES);
    assert!(back.changes.is_empty(), "{back:#?}");
    assert_eq!(joined(&back), [(SectionStatus::Split, Some("Links"), Some("Cookies"))]);
    // Reworded under the deleted heading: a rewording from the merged section.
    let reworded = new.replace("We use cookies.", "We use some cookies.");
    let r = d(LINKS_COOKIES, &reworded);
    assert_eq!(kinds(&r), [ChangeKind::Reworded], "{r:#?}");
    assert_eq!(
        (r.changes[0].old_section.as_deref(), r.changes[0].new_section.as_deref()),
        (Some("Cookies"), Some("Links"))
    );
}

#[test]
fn a_heading_replaced_above_the_same_text_with_more_added_is_a_rename() {
    // "Fax" and "Payments" share no word, but all of "Fax" stays in place under
    // "Payments", which adds three clauses: one section renamed, three clauses added.
    let old = "## Intro\n\nHello there.\n\n## Fax\n\nSend us a fax.\n\n## End\n\nGoodbye now.\n";
    let new = "## Intro\n\nHello there.\n\n## Payments\n\nSend us a fax. We take cards. We take cash. We take cheques.\n\n\
               ## End\n\nGoodbye now.\n";
    let r = d(old, new);
    assert_eq!(kinds(&r), [ChangeKind::Added; 3], "{r:#?}");
    assert!(r.changes.iter().all(|c| c.old_section.as_deref() == Some("Fax")));
    assert_eq!((r.summary.sections_renamed, r.summary.sections_added, r.summary.sections_removed), (1, 0, 0));
    let back = d(new, old);
    assert_eq!(kinds(&back), [ChangeKind::Removed; 3], "{back:#?}");
    assert_eq!(back.summary.sections_renamed, 1);
    // When neither holds only the other's text, the old one merged into the new one and
    // the new one split from it: the kept clause is in neither list.
    let partly = old.replace("Send us a fax.", "Send us a fax. Faxes take a day.");
    let r = d(&partly, new);
    assert_eq!(
        joined(&r),
        [
            (SectionStatus::Split, Some("Fax"), Some("Payments")),
            (SectionStatus::Merged, Some("Fax"), Some("Payments"))
        ],
        "{r:#?}"
    );
    assert_eq!(
        kinds(&r),
        [ChangeKind::Removed, ChangeKind::Added, ChangeKind::Added, ChangeKind::Added],
        "{r:#?}"
    );
    assert!(r.changes.iter().all(|c| c.old.as_deref() != Some("Send us a fax.")));
}

#[test]
fn removed_clauses_are_reported_under_their_old_section() {
    let old = "## Links\n\nSee our links.\n\n## Cookies\n\nWe use cookies.\n\nWe set them for a year.\n\n\
               ## Children\n\nNo data of children.\n";
    let new = "## Links\n\nSee our links.\n\n## Children\n\nNo data of children.\n";
    let r = d(old, new);
    assert_eq!(kinds(&r), [ChangeKind::Removed, ChangeKind::Removed], "{r:#?}");
    for c in &r.changes {
        assert_eq!((c.old_section.as_deref(), c.new_section.as_deref()), (Some("Cookies"), None));
    }
    // A clause removed from a section that stays is shown under that section.
    let r =
        d(POLICY, &POLICY.replace("Write to privacy@example.com with any question about this policy.", ""));
    assert_eq!(kinds(&r), [ChangeKind::Removed]);
    assert_eq!(r.changes[0].new_section.as_deref(), Some("Contact"));
    let first = POLICY.replace("We use cookies to remember your preferences. ", "");
    let r = d(POLICY, &first);
    assert_eq!(r.changes[0].new_section.as_deref(), Some("Cookies"), "{r:#?}");
}

#[test]
fn a_renamed_section_whose_body_was_rewritten_is_renamed() {
    let old = "## Intro\n\nHello there.\n\n## Contact\n\nWrite to us by post at our head office.\n\n## Security\n\nWe protect data.\n";
    let new = "## Intro\n\nHello there.\n\n## Contact Us\n\nEmail us at privacy@example.com.\n\n## Security\n\nWe protect data.\n";
    let r = d(old, new);
    assert_eq!(r.summary.sections_renamed, 1, "{r:#?}");
    assert_eq!((r.summary.sections_added, r.summary.sections_removed), (0, 0));
    assert_eq!(kinds(&r), [ChangeKind::Removed, ChangeKind::Added]);
    // A heading with none of the old one's words is another section.
    let other = new.replace("## Contact Us", "## Payments");
    let r = d(old, &other);
    assert_eq!((r.summary.sections_added, r.summary.sections_removed, r.summary.sections_renamed), (1, 1, 0));
}

#[test]
fn a_rewording_keeps_the_words_both_sides_share() {
    let old =
        "## Terms\n\nAs part of complying with these Terms, you must also follow our Community Guidelines.\n";
    let new =
        "## Terms\n\nYou must also follow our Community Guidelines and any other terms that apply to you.\n";
    let r = d(old, new);
    assert_eq!(kinds(&r), [ChangeKind::Reworded], "{r:#?}");
    let c = &r.changes[0];
    assert!(c.similarity.unwrap() >= 0.4, "{c:#?}");
    let equal: String = c
        .words
        .as_ref()
        .unwrap()
        .iter()
        .filter(|w| w.op == WordOpKind::Equal)
        .map(|w| w.text.as_str())
        .collect();
    assert!(equal.contains("must also follow our Community Guidelines"), "{c:#?}");
}

#[test]
fn clauses_sharing_only_common_words_are_not_paired() {
    // The same words in another case and order are not the same clause.
    let old = "## Terms\n\nPLEASE READ THESE TERMS OF SERVICE CAREFULLY. They bind you.\n";
    let new = "## Terms\n\nModification of these Terms of Service. They bind you.\n";
    assert_eq!(kinds(&d(old, new)), [ChangeKind::Removed, ChangeKind::Added]);
    let old = "## Security\n\nThe security of your personal information is important to us.\n";
    let new = "## Security\n\nKashoo is committed to protecting your personal information, the privacy of everyone and their security.\n";
    assert_eq!(kinds(&d(old, new)), [ChangeKind::Removed, ChangeKind::Added]);
}

#[test]
fn an_unchanged_clause_in_its_own_section_is_never_moved() {
    // A table of contents moved above "Last modified" moves the contents, not the date.
    let old = "# Terms\n\nLast modified on 1 May 2024.\n\n- Accounts\n- Payments\n- Disputes\n\n## Accounts\n\nKeep your password safe.\n";
    let new = "# Terms\n\n- Accounts\n- Payments\n- Disputes\n\nLast modified on 1 May 2024.\n\n## Accounts\n\nKeep your password safe.\n";
    let r = d(old, new);
    assert_eq!(kinds(&r), [ChangeKind::Moved], "{r:#?}");
    assert_eq!(r.changes[0].old.as_deref(), Some("Last modified on 1 May 2024."));
    assert_eq!(d(new, old).changes.len(), 1);
    // A rewritten stretch beside a block of unchanged clauses moves none of them.
    let block: String = (0..40).map(|i| format!("Rule {i} applies to every dispute we have.\n\n")).collect();
    let old = format!("## Disputes\n\nWe settle disputes in court.\n\n{block}We pay the fees.\n");
    let new =
        format!("## Disputes\n\n{block}We settle disputes by arbitration in court.\n\nYou pay the fees.\n");
    let r = d(&old, &new);
    assert!(r.summary.moved <= 1, "{:#?}", r.changes);
}

#[test]
fn every_word_diff_rebuilds_both_clauses() {
    let old = "## Account\n\nVisit https://example.com/delete_account to close it, 2*3 times.\n";
    let new = "## Account\n\nVisit https://example.com/delete_account to remove it, 2*3 times.\n";
    let r = d(old, new);
    assert_eq!(kinds(&r), [ChangeKind::Reworded]);
    let c = &r.changes[0];
    assert_eq!(rebuilds(c), (c.old.clone().unwrap(), c.new.clone().unwrap()));
}

#[test]
fn changed_table_rows_pair_by_their_key_cell() {
    let old = "## Metrics\n\n| Metric | H1 | H2 | Q4 |\n|---|---|---|---|\n| Requests | 1204 | 1380 | 310 |\n| Accounts | 3310 | 4025 | 977 |\n";
    let new = "## Metrics\n\n| Metric | H1 | H2 | Q4 |\n|---|---|---|---|\n| Requests | 1198 | 1402 | 322 |\n| Accounts | 3287 | 4110 | 958 |\n";
    let r = d(old, new);
    assert_eq!(kinds(&r), [ChangeKind::Reworded, ChangeKind::Reworded], "{r:#?}");
}

#[test]
fn shuffled_list_items_are_moves_and_only_moves() {
    let items: Vec<String> = (0..50)
        .map(|i| format!("We may share item {i} of your data with partner number {}", i % 7))
        .collect();
    let list = |order: &[usize]| -> String {
        let mut md = String::from("## Sharing\n\n");
        for &i in order {
            md.push_str(&format!("- {}\n", items[i]));
        }
        md
    };
    let ident: Vec<usize> = (0..50).collect();
    let mut shuffled = ident.clone();
    let mut x = 7usize;
    for i in (1..50).rev() {
        x = (x * 1103515245 + 12345) % 2147483648;
        shuffled.swap(i, x % (i + 1));
    }
    let r = d(&list(&ident), &list(&shuffled));
    assert!(r.changes.iter().all(|c| c.kind == ChangeKind::Moved), "{:#?}", r.summary);
    // Only those outside the longest run kept in order: 50 minus its length.
    let lis = {
        let mut tails: Vec<usize> = Vec::new();
        for &v in &shuffled {
            let p = tails.partition_point(|&t| t < v);
            if p == tails.len() {
                tails.push(v)
            } else {
                tails[p] = v
            }
        }
        tails.len()
    };
    assert_eq!(r.summary.moved, 50 - lis);
    // One item taken to the end is one move.
    let mut one = ident.clone();
    one.remove(3);
    one.push(3);
    assert_eq!(d(&list(&ident), &list(&one)).summary.moved, 1);
}

#[test]
fn a_policy_shown_above_its_next_version_pairs_with_its_own_copy() {
    // X's page showed the upcoming policy above the current one: dropping the upcoming
    // copy removes it whole; the current copy is the new version, in place.
    let current = "# Policy\n\n## Summary\n\nWe keep it short.\n\n## Collect\n\nWe collect your name.\n\n\
## Share\n\nWe share with partners.\n\n## Contact\n\nWrite to us.\n";
    let upcoming = "# Policy\n\nThis version takes effect in January.\n\n## Summary\n\nWe keep it short.\n\n\
## Collect\n\nWe collect your name and your e-mail address and phone number.\n\n\
## Share\n\nWe share with partners and affiliates worldwide today.\n\n## Contact\n\nWrite to us.\n";
    let both = format!("{upcoming}\n{current}");
    for (old, new) in [(both.as_str(), current), (current, both.as_str())] {
        let r = d(old, new);
        assert!(r.sections.iter().all(|s| s.status != SectionStatus::Moved), "{:#?}", r.sections);
        assert_eq!(r.summary.moved, 0, "{:#?}", r.changes);
        assert_eq!(r.summary.sections_removed + r.summary.sections_added, 5, "{:#?}", r.sections);
        let texts: Vec<&str> =
            r.changes.iter().map(|c| c.old.as_deref().or(c.new.as_deref()).unwrap_or("")).collect();
        assert_eq!(
            texts,
            [
                "This version takes effect in January.",
                "We keep it short.",
                "We collect your name and your e-mail address and phone number.",
                "We share with partners and affiliates worldwide today.",
                "Write to us."
            ],
            "{:#?}",
            r.changes
        );
    }
}

#[test]
fn a_clause_removed_under_an_emphasised_line_is_shown_in_the_section_holding_that_line() {
    // The old version's bold line reads as a heading, the new one numbers it (a list
    // item): emphasis is cosmetic, so the removed clause belongs to "Rights", whose text
    // the bold line is part of, on both sides.
    let bold = "## Rights\n\nYou have rights.\n\n**Extra rights**\n\nYou may delete your data.\n\n\
                You may correct your data.\n";
    let numbered = "## Rights\n\nYou have rights.\n\n1. **Extra rights**\n\nYou may correct your data.\n";
    let r = d(bold, numbered);
    assert_eq!(kinds(&r), [ChangeKind::Removed], "{r:#?}");
    assert_eq!(r.changes[0].old_section.as_deref(), Some("Extra rights"));
    assert_eq!(r.changes[0].new_section.as_deref(), Some("Rights"), "{r:#?}");
    let back = d(numbered, bold);
    assert_eq!(kinds(&back), [ChangeKind::Added], "{back:#?}");
    assert_eq!(back.changes[0].old_section.as_deref(), Some("Rights"), "{back:#?}");
}

#[test]
fn labels_sharing_one_word_are_not_rewordings_of_each_other() {
    // A menu's labels changed: "Parler Play" is not "Join Parler" reworded, and the two
    // directions of the diff say the same.
    let old = "## Menu\n\n- Parler Play\n- Parler Social\n\n## Terms\n\nYou agree to these terms.\n";
    let new = "## Menu\n\n- Join Parler\n- Parler Earn\n- Parler Ads\n- Social context\n\n\
               ## Terms\n\nYou agree to these terms.\n";
    let r = d(old, new);
    assert_eq!((r.summary.removed, r.summary.added, r.summary.reworded), (2, 4, 0), "{r:#?}");
    let back = d(new, old);
    assert_eq!((back.summary.removed, back.summary.added, back.summary.reworded), (4, 2, 0), "{back:#?}");
    // A label that keeps its one word is that label reworded.
    let r = d(
        "## Regions\n\n- Brazil 🇧🇷\n- Canada 🇨🇦\n\n## Terms\n\nYou agree.\n",
        "## Regions\n\n- Brazil\n- Canada\n- Mexico\n\n## Terms\n\nYou agree.\n",
    );
    assert_eq!(kinds(&r), [ChangeKind::Reworded, ChangeKind::Reworded, ChangeKind::Added], "{r:#?}");
    // Alone at the same place, a label with one word changed is still that label reworded.
    let r = d(
        "## Menu\n\n- Cookie Policy\n\n## Terms\n\nYou agree.\n",
        "## Menu\n\n- Cookies Policy\n\n## Terms\n\nYou agree.\n",
    );
    assert_eq!(kinds(&r), [ChangeKind::Reworded], "{r:#?}");
}

#[test]
fn a_clause_moved_to_another_section_with_a_qualifier_added_is_one_move() {
    // The whole old clause is in the new one, which gained a four-word qualifier: a
    // similarity below the 0.8 of a move, but the clause kept all its words.
    let new = POLICY.replace("We collect usage data automatically.", "").replace(
        "with any question about this policy.",
        "with any question about this policy. We collect usage data automatically where required by law.",
    );
    let r = d(POLICY, &new);
    assert_eq!(kinds(&r), [ChangeKind::Moved], "{:#?}", r.changes);
    let c = &r.changes[0];
    assert_eq!(c.old.as_deref(), Some("We collect usage data automatically."));
    assert_eq!(c.new.as_deref(), Some("We collect usage data automatically where required by law."));
    assert_eq!(
        (c.old_section.as_deref(), c.new_section.as_deref()),
        (Some("Information We Collect"), Some("Contact"))
    );
    assert!(c.words.is_some(), "a moved clause whose words changed carries its word diff");
}

#[test]
fn a_short_clause_inside_a_longer_one_elsewhere_is_not_a_move() {
    // Shared words alone, without most of the longer clause, make no move.
    let new = POLICY.replace("We collect usage data automatically.", "").replace(
        "with any question about this policy.",
        "with any question about this policy. We collect usage data automatically from partners, advertisers, public sources and the devices you connect.",
    );
    let r = d(POLICY, &new);
    assert_eq!(kinds(&r), [ChangeKind::Removed, ChangeKind::Added], "{:#?}", r.changes);
}

/// The headings a report shows, one per run of changes under the same section
/// (a removed clause under its section's counterpart, as `report::change_section`).
fn section_runs(diff: &DocumentDiff) -> Vec<Option<&str>> {
    let mut runs: Vec<Option<&str>> = Vec::new();
    for c in &diff.changes {
        let s = match c.kind {
            ChangeKind::Removed if c.new_section.is_none() => c.old_section.as_deref(),
            _ => c.new_section.as_deref(),
        };
        if runs.last() != Some(&s) {
            runs.push(s);
        }
    }
    runs
}

#[test]
fn changes_of_one_section_are_listed_together() {
    // The shape of NAKIVO 2015 → 2017: the heading "Acme" above the first paragraph
    // was dropped (its clauses now read under "Overview") and the address changed.
    let old = "## Overview\n\n## Acme\n\nrecognizes that privacy matters. The Site is operated by Acme. \
               Write to us at:\n\n## Headquarters\n\n1999 Bascom Avenue.\n\nCampbell, California.\n\nWe answer within a week.\n\n\
               ## Sharing\n\nWe never sell data.\n";
    let new = "## Overview\n\nAcme recognizes that privacy matters. The Site is operated by Acme. \
               Write to us at:\n\n## Headquarters\n\n4894 Sparks Blvd.\n\nSparks, Nevada.\n\nWe answer within a week.\n\n\
               ## Sharing\n\nWe never sell data.\n";
    let r = d(old, new);
    assert_eq!(section_runs(&r), [Some("Overview"), Some("Headquarters")], "{r:#?}");
    assert_eq!(joined(&r), [(SectionStatus::Merged, Some("Acme"), Some("Overview"))]);
    assert_eq!(
        kinds(&r),
        [
            ChangeKind::Reworded,
            ChangeKind::Removed,
            ChangeKind::Removed,
            ChangeKind::Added,
            ChangeKind::Added
        ],
        "{r:#?}"
    );
}

#[test]
fn a_removed_sections_clauses_read_where_it_stood() {
    let old = "## Data\n\nWe keep logs.\n\n## Fax\n\nSend us a fax. We answer faxes.\n\n\
               ## Cookies\n\nWe use cookies.\n\n## Contact\n\nWrite to us.\n";
    let new =
        "## Data\n\nWe keep all logs.\n\n## Cookies\n\nWe use no cookies.\n\n## Contact\n\nWrite to us.\n";
    let r = d(old, new);
    assert_eq!(section_runs(&r), [Some("Data"), Some("Fax"), Some("Cookies")], "{r:#?}");
}

#[test]
fn a_bold_heading_reworded_where_its_lines_became_headings_is_renamed_and_its_text_stays() {
    // Pinterest privacy 2024-05 → 09: the bold heading lost a word ("here") and the plain
    // lines below it were written as headings. The bold heading is that section renamed, so
    // its text is not reported as a removed section's text silently reading elsewhere.
    let old = "Statement\n\n**Residents: please see our notice here.**\n\nSummary of changes\n\n\
               We added more details about the data we collect.\n\nScope of the policy\n\n\
               This is our global policy.\n";
    let new =
        "Contents\n\nStatement\n=========\n\n**Residents: please see our notice.**\n\nSummary of changes\n\
               ==================\n\nWe added more details about the data we collect.\n\n\
               Scope of the policy\n===================\n\nThis is our global policy.\n";
    for (a, b) in [(old, new), (new, old)] {
        let r = d(a, b);
        assert_eq!((r.summary.sections_removed, r.summary.sections_added), (0, 0), "{r:#?}");
        assert_eq!(r.summary.sections_renamed, 1, "{r:#?}");
        let text = |c: &Change| c.old.clone().or(c.new.clone()).unwrap_or_default();
        let kept = ["We added more details about the data we collect.", "This is our global policy."];
        assert!(r.changes.iter().all(|c| !kept.contains(&text(c).as_str())), "{r:#?}");
        assert_eq!(r.changes.len(), 1, "only the line `Contents` changed: {r:#?}");
    }
}

//! The HTML diff report (issue #11 item 8): links to both captures with human dates,
//! deletions and insertions set apart, long lists collapsed, long unchanged stretches
//! shortened, the unchanged clauses around each change, a print style sheet.

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
    assert!(html.contains("<details><summary>12 sections added</summary>"), "{html}");
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

/// The `<li>` lines under the first `<h2>` naming `heading`, as (class, text) pairs.
fn items(html: &str, heading: &str) -> Vec<(String, String)> {
    let start = html.find(&format!("<h2>{heading}</h2>")).expect("the section's heading");
    let list = &html[start..];
    let list = &list[..list.find("</ul>").expect("its list")];
    list.lines()
        .filter_map(|l| l.strip_prefix("<li class=\""))
        .map(|l| {
            let (class, rest) = l.split_once('"').unwrap();
            let text = rest.split_once('>').unwrap().1.trim_end_matches("</li>");
            (class.to_string(), text.replace("<span class=\"kind\">", "").replace("</span>", ""))
        })
        .collect()
}

const OLD_SHARING: &str = "# Privacy Policy\n\n## Sharing\n\nWe collect your name. We keep it for a year. \
    We never sell it.\n\n* Partners\n* Advertisers\n* Auditors\n\n## Cookies\n\nWe use cookies to remember \
    you. Cookies expire after a month.\n";
const NEW_SHARING: &str = "# Privacy Policy\n\n## Sharing\n\nWe collect your name. We keep it for a year. \
    We share it with our partners. We never sell it.\n\n* Partners\n* Auditors\n\n## Cookies\n\nWe use \
    cookies to remember you and to measure visits. Cookies expire after a month.\n";

#[test]
fn html_report_shows_the_unchanged_clause_before_and_after_an_added_or_removed_clause() {
    let (_d, a, b) = files(OLD_SHARING, NEW_SHARING);
    let html = report(&["diff", &a, &b]);
    let got = items(&html, "Sharing");
    let want = [
        ("context", "We keep it for a year."),
        ("added", "Added:<ins>We share it with our partners.</ins>"),
        ("context", "We never sell it."),
        ("context", "Partners"),
        ("removed", "Removed:<del>Advertisers</del>"),
        ("context", "Auditors"),
    ];
    let want: Vec<(String, String)> = want.iter().map(|(c, t)| (c.to_string(), t.to_string())).collect();
    assert_eq!(got, want, "{html}");
    // A reworded clause gets its neighbour too; unchanged clauses far from any change do not.
    let cookies = items(&html, "Cookies");
    assert_eq!(
        cookies.last().unwrap(),
        &("context".to_string(), "Cookies expire after a month.".to_string())
    );
    assert!(!html.contains("We collect your name"), "only the neighbours of changes: {html}");
    assert!(html.contains("li.context{list-style:none;color:#6b6b6b"), "context is dimmed");
}

#[test]
fn html_report_shows_a_context_clause_between_two_changes_once() {
    let (_d, a, b) = files(
        "## Terms\n\nOne stays. Two stays. Three stays.\n",
        "## Terms\n\nOne stays. New A here. Two stays. New B here. Three stays.\n",
    );
    let got: Vec<String> = items(&report(&["diff", &a, &b]), "Terms").into_iter().map(|(c, _)| c).collect();
    assert_eq!(got, ["context", "added", "context", "added", "context"]);
}

#[test]
fn html_report_marks_a_gap_between_context_clauses_that_are_not_neighbours() {
    let (_d, a, b) = files(
        "## Terms\n\nOne stays. Two stays. Hidden stays. Three stays. Four stays.\n",
        "## Terms\n\nOne stays. New A here. Two stays. Hidden stays. Three stays. New B here. Four stays.\n",
    );
    let got: Vec<String> = items(&report(&["diff", &a, &b]), "Terms").into_iter().map(|(c, _)| c).collect();
    assert_eq!(got, ["context", "added", "context", "context gap", "context", "added", "context"]);
    // Two context clauses that are neighbours in the policy have no gap between them.
    let (_d, a, b) = files(
        "## Terms\n\nOne stays. Two stays. Three stays. Four stays.\n",
        "## Terms\n\nOne stays. New A here. Two stays. Three stays. New B here. Four stays.\n",
    );
    let got: Vec<String> = items(&report(&["diff", &a, &b]), "Terms").into_iter().map(|(c, _)| c).collect();
    assert_eq!(got, ["context", "added", "context", "context", "added", "context"]);
}

#[test]
fn html_report_shows_the_clause_after_a_replaced_block_once_after_the_new_lines() {
    // NAKIVO's address, 2015 → 2017: the old lines removed and the new ones added at the
    // same place, at the start of their section; the clause after both follows the new
    // lines, not the removed ones (where it would read as standing between the two).
    let (_d, a, b) = files(
        "## Headquarters\n\n1999 S. Bascom Avenue\n\nCampbell, California, USA\n\n95008\n\nWe answer letters.\n",
        "## Headquarters\n\n4894 Sparks Blvd.\n\nSparks, NV USA\n\n89436-8202\n\nWe answer letters.\n",
    );
    let got: Vec<String> =
        items(&report(&["diff", &a, &b]), "Headquarters").into_iter().map(|(c, _)| c).collect();
    assert_eq!(got, ["removed", "removed", "removed", "added", "added", "added", "context"]);
}

#[test]
fn html_report_gives_two_sections_sharing_a_heading_one_heading_each() {
    // NAKIVO 2015 → 2017 again: the address at the top and again under "Contacting Us",
    // both under a "Headquarters" heading; the second is not part of the first's list.
    let old = "## Headquarters\n\n1999 S. Bascom Avenue\n\nCampbell, California, USA\n\n\
               We answer every letter within a week.\n\n## Headquarters\n\n\
               1999 S. Bascom Avenue, Campbell, California, USA\n";
    let new = old
        .replace("1999 S. Bascom Avenue", "4894 Sparks Blvd.")
        .replace("Campbell, California, USA", "Sparks, NV USA");
    let (_d, a, b) = files(old, &new);
    let html = report(&["diff", &a, &b]);
    assert_eq!(html.matches("<h2>Headquarters</h2>").count(), 2, "{html}");
    let second = &html[html.rfind("<h2>Headquarters</h2>").unwrap()..];
    assert!(second.starts_with("<h2>Headquarters</h2>\n<ul>\n<li class=\"removed\"><span class=\"kind\">Removed:</span><del>1999 S. Bascom Avenue, Campbell"), "{html}");
}

#[test]
fn html_report_shortens_a_long_context_clause_to_the_words_next_to_the_change() {
    let long: String = (0..80).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
    let (_d, a, b) = files(
        &format!("## Terms\n\n{long} ends here. Short after.\n"),
        &format!("## Terms\n\n{long} ends here. A new clause. Short after.\n"),
    );
    let got = items(&report(&["diff", &a, &b]), "Terms");
    let before = &got[0].1;
    assert!(before.starts_with("… ") && before.ends_with("w79 ends here."), "{before}");
    assert!(!before.contains("w10 "), "the far words are hidden: {before}");
    assert_eq!(got[2].1, "Short after.");
}

#[test]
fn html_changelog_shows_context_around_the_changes_of_each_step() {
    let (d, a, b) = files(OLD_SHARING, NEW_SHARING);
    let to = d.path().join("log.html");
    let o = Command::new(env!("CARGO_BIN_EXE_policydiff"))
        .args(["changelog", &a, &b, "-o", to.to_str().unwrap()])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&to).unwrap();
    assert!(
        html.contains("<li class=\"context\">We keep it for a year.</li>\n<li class=\"added\">"),
        "{html}"
    );
}

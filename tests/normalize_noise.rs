//! Noise that must never reach a report (issue 8, items 6, 7, 10 and 12): white space
//! written as `<br>` or around punctuation, rule lines, tables of contents, company
//! forms cut as sentence ends, and text files that are not UTF-8. Each case is a real
//! one, reduced; both readers (Markdown and HTML) where both can meet it.

use std::process::Command;

use policydiff::diff::{diff, segment, ChangeKind};
use policydiff::document::{Block, Document};
use policydiff::normalize::{normalize, normalize_markdown, InputKind, Options};

fn html(page: &str) -> Document {
    normalize(page.as_bytes(), InputKind::Html, &Options::default()).expect("normalizes")
}

fn page(body: &str) -> String {
    format!("<html><head><title>Privacy</title></head><body><main><h1>Privacy Policy</h1>{body}</main></body></html>")
}

fn headings(doc: &Document) -> Vec<String> {
    doc.sections.iter().filter_map(|s| s.heading.clone()).collect()
}

fn clause_texts(doc: &Document) -> Vec<String> {
    segment::clauses(doc).into_iter().map(|c| c.text).collect()
}

const BODY: &str = "## Cookies\n\nWe use cookies to remember your preferences.\n\n## Your rights\n\nYou may ask us to delete your data.\n\n## Contact\n\nWrite to privacy@example.com.\n";

// Item 6: white space.

#[test]
fn and_slash_or_with_a_space_is_not_a_rewording() {
    let old = normalize_markdown(
        "## Data\n\nWe collect and/ or use data. We keep businesses, organizations and people apart.\n",
    );
    let new = normalize_markdown(
        "## Data\n\nWe collect and/or use data. We keep businesses,organizations and people apart.\n",
    );
    let d = diff(&old, &new);
    assert!(d.is_empty(), "{:?}", d.changes);
}

#[test]
fn br_runs_in_a_paragraph_are_white_space() {
    let old = normalize_markdown("## Data\n\nWe collect data.<br><br>  <br><br>We use it.\n");
    let new = normalize_markdown("## Data\n\nWe collect data.<br><br>We use it.\n");
    assert!(diff(&old, &new).is_empty(), "{:?}", diff(&old, &new).changes);
    assert_eq!(clause_texts(&new), ["We collect data.", "We use it."]);
}

#[test]
fn br_in_a_table_cell_is_white_space() {
    let table = |cell: &str| format!("## Data\n\n| what | why |\n|---|---|\n| Name | {cell} |\n");
    let old = normalize_markdown(&table("We collect data.<br><br>  <br><br>We use it."));
    let new = normalize_markdown(&table("We collect data.<br><br>We use it."));
    assert!(diff(&old, &new).is_empty(), "{:?}", diff(&old, &new).changes);
    assert_eq!(
        new.sections[0].blocks[1],
        Block::TableRow { cells: vec!["Name".into(), "We collect data. We use it.".into()] }
    );
    let old = html(&page("<table><tr><td>Name</td><td>We collect data.<br><br> <br><br>We use it.</td></tr><tr><td>Age</td><td>Line one<br>line two</td></tr></table>"));
    let new = html(&page("<table><tr><td>Name</td><td>We collect data.<br><br>We use it.</td></tr><tr><td>Age</td><td>Line one<br>line two</td></tr></table>"));
    assert!(diff(&old, &new).is_empty(), "{:?}", diff(&old, &new).changes);
}

#[test]
fn br_never_glues_two_words() {
    for doc in [
        normalize_markdown("# www.kashoo.com<br>Privacy Policy\n\nLine one<br>line two.\n\n- item one<br/>item two\n\n| a | b |\n|---|---|\n| Line one<BR>line two | x |\n"),
        html(&page("<h2>www.kashoo.com<br>Privacy Policy</h2><p>Line one<br>line two.</p><ul><li>item one<br>item two</li></ul>")),
    ] {
        let text = doc.to_markdown();
        assert!(text.contains("www.kashoo.com Privacy Policy"), "{text}");
        for glued in ["comPrivacy", "oneline", "oneitem"] {
            assert!(!text.contains(glued), "{glued} in {text}");
        }
    }
}

// Item 7: rule lines and tables of contents.

#[test]
fn rule_only_lines_are_neither_clauses_nor_headings() {
    let md = normalize_markdown("Privacy Policy\n\n\n==================\n\nWe use cookies.\n\n- ======\n\n| a | b |\n|---|---|\n| ---- | ==== |\n| 1 | 2 |\n");
    let doc_html = html(&page("<p>==================</p><p>We use cookies.</p><p><b>----------</b></p><h2>=====</h2><ul><li>______</li></ul>"));
    for doc in [md, doc_html] {
        for text in clause_texts(&doc).iter().chain(headings(&doc).iter()) {
            assert!(!text.chars().all(|c| "=-_*~| ".contains(c)), "rule line kept: {text:?} in {doc:?}");
        }
        for block in doc.blocks() {
            assert!(!block.text().chars().all(|c| "=-_*~| ".contains(c)), "rule line kept: {block:?}");
        }
        assert!(clause_texts(&doc).iter().any(|c| c == "We use cookies."));
    }
}

const TOC_MD: &str = "## Contents\n\n- [1. Cookies](#cookies)\n- [2. Your rights](#your-rights)\n- [3. Contact](https://example.com/privacy#contact)\n\n";

#[test]
fn a_table_of_contents_removed_from_the_top_is_no_change() {
    let with = normalize_markdown(&format!("# Privacy Policy\n\n{TOC_MD}{BODY}"));
    let without = normalize_markdown(&format!("# Privacy Policy\n\n{BODY}"));
    assert_eq!(with, without);
    let d = diff(&with, &without);
    assert!(d.is_empty(), "{:?} {:?}", d.summary, d.changes);
}

#[test]
fn a_table_of_contents_is_dropped_by_the_html_reader_too() {
    let body = "<h2 id='cookies'>1. Cookies</h2><p>We use cookies to remember your preferences on every visit.</p><h2 id='rights'>2. Your rights</h2><p>You may ask us to delete the personal data we hold about you.</p>";
    let toc = "<h2>Table of Contents</h2><ol><li><a href='#cookies'>1. Cookies</a></li><li><a href='#rights'>2. Your rights</a></li></ol><p><a href='https://example.com/privacy#rights'>2. Your rights</a></p>";
    let with = html(&page(&format!("{toc}{body}")));
    let without = html(&page(body));
    assert_eq!(headings(&with), ["Privacy Policy", "1. Cookies", "2. Your rights"]);
    assert!(diff(&with, &without).is_empty(), "{:?}", diff(&with, &without).changes);
}

#[test]
fn numbered_table_of_contents_lines_do_not_become_headings() {
    let doc = normalize_markdown(&format!(
        "# Privacy Policy\n\n[1. Cookies](#cookies)\n\n[2. Your rights](#your-rights)\n\n[3. Contact](#contact)\n\n{}",
        BODY.replace("## ", "## 1. ").replacen("1. Your", "2. Your", 1).replacen("1. Contact", "3. Contact", 1)
    ));
    assert_eq!(headings(&doc), ["Privacy Policy", "1. Cookies", "2. Your rights", "3. Contact"]);
}

#[test]
fn link_only_lines_that_name_no_heading_are_kept() {
    let doc = normalize_markdown(&format!(
        "{BODY}\n[Learn more](#annotation-6)\n\n- [See some examples](https://example.com/privacy#annotation-7)\n"
    ));
    let clauses = clause_texts(&doc);
    assert!(clauses.contains(&"Learn more".to_string()), "{clauses:?}");
    assert!(clauses.contains(&"See some examples".to_string()), "{clauses:?}");
}

// Item 10: company forms.

#[test]
fn company_forms_do_not_split_clauses() {
    let doc = normalize_markdown(
        "## Who we are\n\nWeChat International Pte. Ltd.) provide the service. Example Pty. Ltd. (ABN 1) and Acme GmbH. and Beta S.A. and Gamma B.V. (the \"Controllers\") act together. Delta Co., Ltd. and Epsilon Corp. (US) and Zeta plc. (UK) too.\n",
    );
    assert_eq!(
        clause_texts(&doc),
        [
            "WeChat International Pte. Ltd.) provide the service.",
            "Example Pty. Ltd. (ABN 1) and Acme GmbH. and Beta S.A. and Gamma B.V. (the \"Controllers\") act together.",
            "Delta Co., Ltd. and Epsilon Corp. (US) and Zeta plc. (UK) too.",
        ]
    );
    // An edit after the company's name is one rewording, not a sentence cut in two.
    let new = normalize_markdown(
        "## Who we are\n\nWeChat International Pte. Ltd.) provides the service. Example Pty. Ltd. (ABN 1) and Acme GmbH. and Beta S.A. and Gamma B.V. (the \"Controllers\") act together. Delta Co., Ltd. and Epsilon Corp. (US) and Zeta plc. (UK) too.\n",
    );
    let d = diff(&doc, &new);
    assert_eq!(d.changes.len(), 1);
    assert_eq!(d.changes[0].kind, ChangeKind::Reworded);
}

// Item 12: text files that are not UTF-8.

fn policydiff(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_policydiff"))
        .args(args)
        .env_remove("POLICYDIFF_STORE")
        .env_remove("POLICYDIFF_OFFLINE")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn invalid_utf8_in_a_text_file_is_read_as_utf8_and_said_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.md");
    std::fs::write(
        &path,
        b"## Data\n\nWe collect data.\xc3\x28 We keep it \xff\xfe safe. Caf\xc3\xa9 and cr\xc3\xa8me.\n",
    )
    .unwrap();
    let (code, out, err) = policydiff(&["text", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("We collect data.\u{fffd}( We keep it \u{fffd}\u{fffd} safe. Caf\u{e9} and cr\u{e8}me."),
        "{out}"
    );
    assert!(!out.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c)), "read as Cyrillic: {out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("not valid UTF-8") && err.contains("3 invalid bytes"), "{err}");
    // Valid UTF-8 says nothing.
    std::fs::write(&path, "## Data\n\nCaf\u{e9} and cr\u{e8}me.\n").unwrap();
    let (code, _, err) = policydiff(&["text", path.to_str().unwrap()]);
    assert_eq!((code, err.as_str()), (0, ""));
}

//! A heading inserted above text that stayed in place is one section split, not a
//! move per clause; the heading deleted again is the mirror, one section merged (issue
//! 8 item 5). Each format says so, and a report with nothing else is still a change
//! (exit status 1).

use std::path::Path;
use std::process::Command;

/// A policy whose cookie sentences read under "Data We Collect"; with `cookies_heading`
/// a `## Cookies` heading stands above them, the words unchanged.
fn policy(cookies_heading: bool) -> String {
    let heading = if cookies_heading { "## Cookies\n\n" } else { "" };
    format!(
        "# Privacy Policy\n\n## Data We Collect\n\nWe collect your name and e-mail address when you sign up.\n\n\
         We keep them while your account is open.\n\n{heading}We use cookies to remember your settings.\n\n\
         You can refuse cookies in your browser.\n\n## Third Party Links\n\n\
         Other sites we link to have their own privacy policies.\n"
    )
}

/// Runs `diff OLD NEW --format FORMAT`; its standard output and exit status.
fn diff(old: &str, new: &str, format: &str) -> (String, Option<i32>) {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("old.md"), dir.path().join("new.md"));
    std::fs::write(&a, old).unwrap();
    std::fs::write(&b, new).unwrap();
    run(&["diff", a.to_str().unwrap(), b.to_str().unwrap(), "--format", format])
}

fn run(args: &[&str]) -> (String, Option<i32>) {
    let o = Command::new(env!("CARGO_BIN_EXE_policydiff"))
        .args(args)
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(o.stderr.is_empty() || o.status.code() == Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    (String::from_utf8(o.stdout).unwrap(), o.status.code())
}

const SPLIT: &str = "heading “Cookies” added; its text was part of “Data We Collect”";
const MERGED: &str = "heading “Cookies” removed; its text is now part of “Data We Collect”";

#[test]
fn a_heading_inserted_above_text_that_stayed_is_one_split_in_every_format() {
    let (old, new) = (policy(false), policy(true));
    let (term, status) = diff(&old, &new, "terminal");
    assert_eq!(status, Some(1), "a split alone is a change");
    assert!(term.contains(&format!("\nSections\n  split    {SPLIT}\n")), "{term}");
    assert!(!term.contains("moved from"), "no clause reads as moved: {term}");
    assert!(term.contains("0 added, 0 removed, 0 reworded, 0 moved; sections: 0 added, 0 removed, 0 renamed, 0 moved, 1 split"), "{term}");
    let (md, _) = diff(&old, &new, "markdown");
    assert!(md.contains(&format!("## Sections\n\n- Split: {SPLIT}\n")), "{md}");
    assert!(!md.contains("**Moved**"), "{md}");
    let (html, _) = diff(&old, &new, "html");
    assert!(html.contains(&format!("<li>Split: {SPLIT}</li>")), "{html}");
    assert!(!html.contains("class=\"moved\""), "{html}");
    let (json, _) = diff(&old, &new, "json");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["summary"]["sections_split"], 1, "{json}");
    assert_eq!(v["summary"]["moved"], 0, "{json}");
    let split: Vec<_> = v["sections"].as_array().unwrap().iter().filter(|s| s["status"] == "split").collect();
    assert_eq!(split.len(), 1, "{json}");
    assert_eq!(split[0]["old_heading"], "Data We Collect");
    assert_eq!(split[0]["new_heading"], "Cookies");
}

#[test]
fn the_heading_deleted_again_is_one_merge_the_mirror_of_the_split() {
    let (old, new) = (policy(true), policy(false));
    let (term, status) = diff(&old, &new, "terminal");
    assert_eq!(status, Some(1), "a merge alone is a change");
    assert!(term.contains(&format!("\nSections\n  merged   {MERGED}\n")), "{term}");
    assert!(!term.contains("moved from"), "{term}");
    let (md, _) = diff(&old, &new, "markdown");
    assert!(md.contains(&format!("## Sections\n\n- Merged: {MERGED}\n")), "{md}");
    let (html, _) = diff(&old, &new, "html");
    assert!(html.contains(&format!("<li>Merged: {MERGED}</li>")), "{html}");
    let (json, _) = diff(&old, &new, "json");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["summary"]["sections_merged"], 1, "{json}");
    let merged: Vec<_> =
        v["sections"].as_array().unwrap().iter().filter(|s| s["status"] == "merged").collect();
    assert_eq!(merged.len(), 1, "{json}");
    assert_eq!(merged[0]["old_heading"], "Cookies");
    assert_eq!(merged[0]["new_heading"], "Data We Collect");
}

#[test]
fn a_clause_reworded_in_a_split_section_reads_under_its_new_heading() {
    let old = policy(false);
    let new = policy(true).replace("remember your settings", "remember your language and settings");
    let (md, status) = diff(&old, &new, "markdown");
    assert_eq!(status, Some(1));
    assert!(md.contains(&format!("- Split: {SPLIT}\n")), "{md}");
    assert!(md.contains("\n## Cookies\n\n- **Reworded:** We use cookies to remember your "), "{md}");
    let (term, _) = diff(&old, &new, "terminal");
    assert!(
        term.contains("== Cookies ==\n~ We use cookies to remember your {+language and +}settings."),
        "{term}"
    );
}

#[test]
fn nakivos_deleted_cookies_heading_is_a_merge_into_third_party_links() {
    // The bundled snapshots: NAKIVO's 2017 policy has no "Cookies" heading; its six
    // cookie sentences read on under "Third Party Links".
    let store = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let store = store.to_str().unwrap();
    let (old, new) =
        ("https://www.nakivo.com/en/privacy.html@2015", "https://www.nakivo.com/support/privacy-policy@2017");
    let (md, status) = run(&["--store", store, "--offline", "diff", old, new, "--format", "markdown"]);
    assert_eq!(status, Some(1));
    assert!(
        md.contains("- Merged: heading “Cookies” removed; its text is now part of “Third Party Links”\n"),
        "{md}"
    );
    assert!(!md.contains("**Moved** from “Cookies”"), "{md}");
    // And the other way, the heading inserted: a split.
    let (md, _) = run(&["--store", store, "--offline", "diff", new, old, "--format", "markdown"]);
    assert!(
        md.contains("- Split: heading “Cookies” added; its text was part of “Third Party Links”\n"),
        "{md}"
    );
}

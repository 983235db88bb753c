//! `policydiff diff` on local files: exit statuses, formats, `-o`, mixed HTML and
//! Markdown sources, and one-line errors with exit status 2.

use std::path::Path;
use std::process::Command;

fn policydiff(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_policydiff"))
        .args(args)
        .env_remove("POLICYDIFF_STORE")
        .env_remove("POLICYDIFF_OFFLINE")
        .env("POLICYDIFF_WAYBACK_URL", "http://127.0.0.1:9")
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

const OLD: &str = "# Privacy Policy\n\n## Cookies\n\nWe may share data with partners. We use cookies.\n\n## Contact\n\nWrite to us.\n";
const NEW: &str = "# Privacy Policy\n\n## Cookies and Similar Technologies\n\nWe will share data with partners. We use cookies.\n\n## Contact\n\nWrite to us. We answer within 30 days.\n";

#[test]
fn identical_versions_exit_0_and_changes_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (write(dir.path(), "old.md", OLD), write(dir.path(), "new.md", NEW));
    let (code, out, err) = policydiff(&["diff", &old, &old]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(out.contains("No changes."), "{out}");
    let (code, _, err) = policydiff(&["diff", &old, &new]);
    assert_eq!((code, err.as_str()), (1, ""));
}

#[test]
fn json_follows_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (write(dir.path(), "old.md", OLD), write(dir.path(), "new.md", NEW));
    let (code, out, _) = policydiff(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "policydiff.diff/1");
    assert_eq!(v["old"]["source"], old.as_str());
    assert_eq!(v["old"]["url"], serde_json::Value::Null);
    assert_eq!(v["new"]["title"], "Privacy Policy");
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for k in ["schema", "old", "new", "summary", "sections", "changes"] {
        assert!(keys.contains(&k), "{k} missing");
    }
    assert_eq!(
        v["summary"],
        serde_json::json!({"added": 1, "removed": 0, "reworded": 1, "moved": 0,
            "sections_added": 0, "sections_removed": 0, "sections_renamed": 1,
            "sections_split": 0, "sections_merged": 0})
    );
    let renamed = v["sections"].as_array().unwrap().iter().find(|s| s["status"] == "renamed").unwrap();
    assert_eq!(renamed["old_heading"], "Cookies");
    assert_eq!(
        renamed["new_path"],
        serde_json::json!(["Privacy Policy", "Cookies and Similar Technologies"])
    );
    let reworded = &v["changes"][0];
    assert_eq!(reworded["kind"], "reworded");
    assert_eq!(reworded["old_section"], "Cookies");
    assert_eq!(reworded["new_section"], "Cookies and Similar Technologies");
    assert_eq!(reworded["old"], "We may share data with partners.");
    assert_eq!(reworded["new"], "We will share data with partners.");
    assert_eq!(reworded["similarity"], 0.83);
    assert_eq!(
        reworded["words"],
        serde_json::json!([{"op": "equal", "text": "We "}, {"op": "delete", "text": "may"},
            {"op": "insert", "text": "will"}, {"op": "equal", "text": " share data with partners."}])
    );
    assert_eq!(v["changes"][1]["kind"], "added");
    assert_eq!(v["changes"][1]["new"], "We answer within 30 days.");
}

#[test]
fn terminal_and_markdown_show_word_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (write(dir.path(), "old.md", OLD), write(dir.path(), "new.md", NEW));
    let (_, term, _) = policydiff(&["diff", &old, &new, "--format", "terminal"]);
    assert!(term.contains("~ We [-may-]{+will+} share data with partners."), "{term}");
    assert!(term.contains("renamed  Cookies → Cookies and Similar Technologies"), "{term}");
    assert!(term.contains("+ We answer within 30 days."), "{term}");
    assert!(term.contains("1 added, 0 removed, 1 reworded, 0 moved"), "{term}");
    assert!(!term.contains('\x1b'), "no colour with NO_COLOR");
    let (_, coloured, _) = policydiff(&["diff", &old, &new, "--format", "terminal", "--color", "always"]);
    assert!(coloured.contains("\x1b[31;9mmay\x1b[0m"), "{coloured}");
    assert!(coloured.contains("\x1b[32mwill\x1b[0m"), "{coloured}");
    // Not a terminal: Markdown by default.
    let (_, md, _) = policydiff(&["diff", &old, &new]);
    assert!(md.contains("- **Reworded:** We ~~may~~ <ins>will</ins> share data with partners."), "{md}");
    assert!(md.contains("## Cookies and Similar Technologies"), "{md}");
}

#[test]
fn html_is_one_self_contained_page() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (
        write(dir.path(), "old.md", OLD),
        write(dir.path(), "new.md", NEW.replace("partners", "partners & 2 < 3 affiliates").as_str()),
    );
    let (code, html, err) = policydiff(&["diff", &old, &new, "--format", "html"]);
    assert_eq!((code, err.as_str()), (1, ""));
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"), "{html}");
    assert!(html.contains("<del>may</del><ins>will</ins>"), "{html}");
    assert!(html.contains("&amp; 2 &lt; 3 affiliates"), "{html}");
    assert!(!html.contains("<script") && !html.contains("http"), "nothing fetched");
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (write(dir.path(), "old.md", OLD), write(dir.path(), "new.md", NEW));
    let target = dir.path().join("report.json");
    let (code, out, err) =
        policydiff(&["diff", &old, &new, "--format", "json", "-o", target.to_str().unwrap()]);
    assert_eq!((code, out.as_str(), err.as_str()), (1, "", ""));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(v["schema"], "policydiff.diff/1");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).collect();
    assert_eq!(leftovers.len(), 3, "no temporary file left");
}

#[test]
fn html_and_markdown_versions_of_one_policy_compare_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let html = "<html><head><title>Privacy Policy</title></head><body><nav><a href='/'>Home</a></nav><main>\
        <h1>Privacy Policy</h1><h2>Cookies</h2><p>We may share data with <em>partners</em>.\n We use\n cookies.</p>\
        <h2>Contact</h2><p>Write to us.</p></main></body></html>";
    let page = write(dir.path(), "old.html", html);
    let md = write(dir.path(), "old.md", OLD);
    let (code, out, err) = policydiff(&["diff", &page, &md, "--format", "json"]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    let new = write(dir.path(), "new.md", NEW);
    let (code, _, _) = policydiff(&["diff", &page, &new]);
    assert_eq!(code, 1);
}

#[test]
fn errors_are_one_line_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.md", OLD);
    let missing = dir.path().join("missing.md");
    let (code, out, err) = policydiff(&["diff", &old, missing.to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("missing.md") && err.contains("no such file"), "{err}");

    let empty = write(dir.path(), "empty.md", "");
    let (code, _, err) = policydiff(&["diff", &old, &empty]);
    assert_eq!((code, err.lines().count()), (2, 1), "{err}");

    let (code, _, err) = policydiff(&["diff", &old]);
    assert_eq!((code, err.lines().count()), (2, 1), "{err}");
    let (code, _, err) = policydiff(&["diff", &old, &old, "--from", "2018"]);
    assert_eq!((code, err.lines().count()), (2, 1), "{err}");
    let (code, _, err) = policydiff(&["diff", &old, "--from", "2018", "--to", "2019"]);
    assert_eq!(code, 2);
    assert!(err.contains("URL"), "{err}");
    let unwritable = dir.path().join("no/such/dir/out.md");
    let (code, _, err) = policydiff(&["diff", &old, &old, "-o", unwritable.to_str().unwrap()]);
    assert_eq!((code, err.lines().count()), (2, 1), "{err}");
}

#[test]
fn archive_sources_that_cannot_be_loaded_are_one_line_errors() {
    // Offline with an empty store: whatever the archive layer answers, it is one line and 2.
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().to_str().unwrap();
    let old = write(dir.path(), "old.md", OLD);
    for args in [
        vec!["diff", "https://example.com/privacy", "--from", "2018", "--to", "2019"],
        vec!["diff", "https://example.com/privacy@2018", &old],
        vec!["diff", &old, "https://example.com/privacy@2019-05-25"],
    ] {
        let mut args = args.clone();
        args.extend(["--offline", "--store", store]);
        let (code, out, err) = policydiff(&args);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
    let (code, _, err) = policydiff(&["diff", "https://example.com/privacy@someday", &old]);
    assert_eq!((code, err.lines().count()), (2, 1), "{err}");
}

//! `policydiff text` on local files: output formats, several sources, and the one-line
//! errors with exit status 2.

use std::path::Path;
use std::process::Command;

fn policydiff(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_policydiff"))
        .args(args)
        .env_remove("POLICYDIFF_STORE")
        .env_remove("POLICYDIFF_OFFLINE")
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

const PAGE: &str = "<html><head><title>Privacy</title></head><body><nav><a href='/'>Home</a></nav><main><h1>Privacy Policy</h1><h2>Data</h2><p>We collect your e-mail address to send you receipts.</p></main></body></html>";

#[test]
fn text_prints_the_policy_in_each_format() {
    let dir = tempfile::tempdir().unwrap();
    let page = write(dir.path(), "p.html", PAGE.as_bytes());
    let (code, out, err) = policydiff(&["text", &page]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, "Privacy Policy\n\nData\n\nWe collect your e-mail address to send you receipts.\n");
    let (_, md, _) = policydiff(&["text", "--format", "markdown", &page]);
    assert_eq!(md, "# Privacy Policy\n\n## Data\n\nWe collect your e-mail address to send you receipts.\n");
    let (_, json, _) = policydiff(&["text", "--format", "json", &page]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["document"]["title"], "Privacy Policy");
    assert_eq!(v["document"]["sections"][1]["path"], serde_json::json!(["Privacy Policy", "Data"]));
    assert_eq!(v["source"]["source"], page.as_str());
}

#[test]
fn several_sources_are_each_introduced_by_their_path() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.html", PAGE.as_bytes());
    let b = write(dir.path(), "b.md", b"# Terms\n\nBe nice to each other, always.\n");
    let (code, out, _) = policydiff(&["text", &a, &b]);
    assert_eq!(code, 0);
    assert!(out.starts_with(&format!("==> {a} <==\n")), "{out}");
    assert!(out.contains(&format!("\n==> {b} <==\n\nTerms\n\nBe nice to each other, always.\n")), "{out}");
}

#[test]
fn bad_inputs_give_one_line_and_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: Vec<(String, &str)> = vec![
        (d.join("missing.html").to_string_lossy().into_owned(), "no such file"),
        (d.to_string_lossy().into_owned(), "is a directory"),
        (write(d, "empty.html", b""), "empty"),
        (write(d, "doc.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "PDF"),
        (write(d, "image.html", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "binary"),
        (write(d, "blob.md", b"\x00\x01\x02\x03binary"), "binary"),
        (
            write(d, "app.html", b"<html><body><div id=root></div><script>start()</script></body></html>"),
            "no policy text",
        ),
    ];
    for (path, expected) in cases {
        let (code, out, err) = policydiff(&["text", &path]);
        assert_eq!(code, 2, "{path}: {err}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(&path) && err.contains(expected), "{path}: {err}");
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn bad_selectors_and_dates_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let page = write(dir.path(), "p.html", PAGE.as_bytes());
    let (code, _, err) = policydiff(&["text", "--select", "div[", &page]);
    assert_eq!(code, 2);
    assert!(err.contains("not a valid CSS selector"), "{err}");
    let (code, _, err) = policydiff(&["text", "https://example.com/privacy@someday"]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("'someday' is not a DATE"), "{err}");
    let (code, _, _) = policydiff(&["text", "--format", "yaml", &page]);
    assert_eq!(code, 2);
}

#[test]
fn global_options_are_accepted_after_the_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let page = write(dir.path(), "p.html", PAGE.as_bytes());
    let (code, out, _) =
        policydiff(&["text", &page, "--offline", "--color", "never", "-v", "--store", "/nonexistent"]);
    assert_eq!(code, 0);
    assert!(out.contains("We collect"));
    let (code, out, _) = policydiff(&["text", &page, "--offline", "-q", "--store", "/nonexistent"]);
    assert_eq!((code, out.as_str()), (0, ""), "-q after the subcommand is -q too");
}

#[test]
fn warnings_on_a_pipe_carry_no_colour_codes() {
    // NO_COLOR is not set here: a pipe alone must be enough.
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let out = Command::new(env!("CARGO_BIN_EXE_policydiff"))
        .args(["--store", snapshots.to_str().unwrap(), "--offline", "captures", "--all"])
        .arg("https://www.kashoo.com/privacypolicy.html")
        .env_remove("NO_COLOR")
        .env_remove("RUST_LOG")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("WARN"), "a warning is expected here: {stderr:?}");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
}

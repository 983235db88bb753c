//! `watch add|list|remove` and the state database's refusals: one line, exit 2, the
//! file untouched.

mod support;

use support::*;

const NOWHERE: &str = "http://127.0.0.1:9";

fn run(store: &std::path::Path, args: &[&str]) -> std::process::Output {
    policydiff(store, NOWHERE, &[], args)
}

#[test]
fn a_url_or_a_name_watched_twice_is_one_line_and_exit_2() {
    let store = tempfile::tempdir().unwrap();
    let o = run(store.path(), &["watch", "add", "https://example.com/legal/privacy/"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("as 'example.com/legal/privacy'"), "{}", stdout(&o));
    let o = run(store.path(), &["watch", "add", "https://example.com/legal/privacy/", "--name", "other"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("already watched as 'example.com/legal/privacy'"), "{}", stderr(&o));
    let o = run(
        store.path(),
        &["watch", "add", "https://example.org/terms", "--name", "example.com/legal/privacy"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("is already taken"), "{}", stderr(&o));
}

#[test]
fn a_url_that_cannot_be_watched_is_refused() {
    let store = tempfile::tempdir().unwrap();
    for bad in ["not a url", "ftp://example.com/privacy", "file:///etc/passwd"] {
        let o = run(store.path(), &["watch", "add", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    }
    let o = run(store.path(), &["watch", "add", "https://example.com/p", "--select", "main[[["]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a CSS selector"), "{}", stderr(&o));
}

#[test]
fn list_shows_each_watch_and_remove_keeps_the_stores_captures() {
    let store = tempfile::tempdir().unwrap();
    let o = run(store.path(), &["watch", "list"]);
    assert_eq!(stdout(&o), "no watches; add one with `policydiff watch add URL`\n");
    run(store.path(), &["watch", "add", "https://b.example/privacy", "--live"]);
    run(
        store.path(),
        &["--select", "article", "watch", "add", "https://a.example/terms", "--name", "A terms"],
    );
    let o = run(store.path(), &["watch", "list"]);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("NAME") && lines[0].contains("LAST VERSION") && lines[0].contains("PENDING")
    );
    assert!(lines[1].starts_with("A terms") && lines[1].ends_with("https://a.example/terms"), "{out}");
    assert!(lines[2].ends_with("https://b.example/privacy (+live)"), "{out}");
    let o = run(store.path(), &["watch", "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["watches"][0]["select"], "article");
    assert_eq!(v["watches"][1]["live"], true);
    assert_eq!(v["watches"][1]["last_checked"], serde_json::Value::Null);

    // A capture in the store stays when its watch goes.
    let dir = store.path().join("b.example/privacy");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("20240101000000.html"), b"<p>kept</p>").unwrap();
    let o = run(store.path(), &["watch", "remove", "b.example/privacy"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.join("20240101000000.html").exists());
    let o = run(store.path(), &["watch", "remove", "b.example/privacy"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no watch has this name"), "{}", stderr(&o));
}

#[test]
fn a_damaged_or_foreign_database_is_one_line_exit_2_and_left_untouched() {
    let store = tempfile::tempdir().unwrap();
    let db = store.path().join("policydiff.db");
    let foreign = {
        let other = store.path().join("other.db");
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('mine');").unwrap();
        drop(c);
        std::fs::read(&other).unwrap()
    };
    let mut truncated = {
        let s = tempfile::tempdir().unwrap();
        run(s.path(), &["watch", "add", "https://example.com/privacy"]);
        std::fs::read(s.path().join("policydiff.db")).unwrap()
    };
    truncated.truncate(100);
    let cases: [(&str, Vec<u8>); 4] = [
        ("text", b"this is not a database\n".to_vec()),
        ("empty", Vec::new()),
        ("foreign", foreign),
        ("truncated", truncated),
    ];
    for (what, bytes) in cases {
        std::fs::write(&db, &bytes).unwrap();
        for args in [&["watch", "list"][..], &["watch", "add", "https://x.example/"], &["check"]] {
            let o = run(store.path(), args);
            assert_eq!(o.status.code(), Some(2), "{what} {args:?}: {}", stderr(&o));
            let err = stderr(&o);
            assert_eq!(err.lines().count(), 1, "{what} {args:?}: {err}");
            assert!(err.contains("policydiff.db"), "{what}: {err}");
            assert_eq!(std::fs::read(&db).unwrap(), bytes, "{what} {args:?} touched the file");
        }
    }
}

#[test]
fn a_check_with_no_watches_says_so_and_succeeds() {
    let store = tempfile::tempdir().unwrap();
    let o = run(store.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "policydiff: no watches to check; add one with `policydiff watch add URL`\n");
    assert_eq!(stdout(&o), "");
}

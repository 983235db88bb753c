//! Hostile stores: symbolic links planted inside a store never make policydiff read or
//! write outside it. A folder that is a link is refused with one line naming it; a file
//! that is a link is never written through (the slot file, the lock files) nor read
//! as a capture.
#![cfg(unix)]

mod support;

use std::os::unix::fs::symlink;
use std::path::Path;

use support::*;

const URL: &str = "https://example.com/privacy";
const TS: &str = "20180101000000";

fn one_capture() -> StandIn {
    let mut a = Archive::default();
    a.add(URL, TS, &page(1));
    StandIn::start(move |r| a.answer(r))
}

/// Every file below `dir`, links not followed, with their bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = files(dir).into_iter().collect();
    out.sort();
    out
}

fn victim_folder() -> tempfile::TempDir {
    let victim = tempfile::tempdir().unwrap();
    std::fs::write(victim.path().join("keep.txt"), "precious").unwrap();
    victim
}

#[test]
fn a_capture_folder_that_is_a_link_is_refused_and_nothing_is_written_through_it() {
    let s = one_capture();
    let store = tempfile::tempdir().unwrap();
    let victim = victim_folder();
    symlink(victim.path(), store.path().join("example.com")).unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["fetch", URL]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    let last = err.trim_end().lines().last().unwrap_or_default();
    assert!(last.contains("example.com") && last.contains("symbolic link"), "{err}");
    assert_eq!(snapshot(victim.path()), [("keep.txt".to_string(), b"precious".to_vec())]);
}

#[test]
fn offline_reading_through_a_linked_folder_is_refused() {
    let store = tempfile::tempdir().unwrap();
    let victim = victim_folder();
    symlink(victim.path(), store.path().join("example.com")).unwrap();
    let o = policydiff(store.path(), "http://127.0.0.1:9", &[], &["--offline", "text", URL]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
}

#[test]
fn a_locks_folder_that_is_a_link_is_refused() {
    let s = one_capture();
    let store = tempfile::tempdir().unwrap();
    let victim = victim_folder();
    symlink(victim.path(), store.path().join(".locks")).unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["fetch", URL]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(".locks") && stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert_eq!(snapshot(victim.path()), [("keep.txt".to_string(), b"precious".to_vec())]);
}

#[test]
fn the_etiquette_file_is_never_truncated_through_a_link() {
    let s = one_capture();
    let store = tempfile::tempdir().unwrap();
    let victim = tempfile::NamedTempFile::new().unwrap();
    let precious = "x".repeat(588_895);
    std::fs::write(victim.path(), &precious).unwrap();
    std::fs::create_dir(store.path().join(".locks")).unwrap();
    symlink(victim.path(), store.path().join(".locks/etiquette")).unwrap();
    let o = policydiff(store.path(), &s.base, &[], &["fetch", URL]);
    // The fetch itself goes ahead (the limits are then this process's own)...
    assert!(o.status.success(), "{}", stderr(&o));
    // ...and the file the link points to is untouched.
    assert_eq!(std::fs::read_to_string(victim.path()).unwrap(), precious);
}

#[test]
fn a_lock_file_that_is_a_link_is_not_opened_through() {
    let s = one_capture();
    let store = tempfile::tempdir().unwrap();
    // A first run makes the lock files; each is then replaced by a link to a victim.
    assert!(policydiff(store.path(), &s.base, &[], &["fetch", URL]).status.success());
    std::fs::remove_dir_all(store.path().join("example.com")).unwrap();
    let victim = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(victim.path(), "precious").unwrap();
    for entry in std::fs::read_dir(store.path().join(".locks")).unwrap().flatten() {
        if entry.file_name().to_string_lossy().ends_with(".lock") {
            std::fs::remove_file(entry.path()).unwrap();
            symlink(victim.path(), entry.path()).unwrap();
        }
    }
    let o = policydiff(store.path(), &s.base, &[], &["fetch", URL]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(victim.path()).unwrap(), "precious");
}

#[test]
fn a_capture_file_that_is_a_link_is_not_read_and_is_replaced_by_the_real_capture() {
    let s = one_capture();
    let store = tempfile::tempdir().unwrap();
    assert!(policydiff(store.path(), &s.base, &[], &["fetch", URL]).status.success());
    let html = store.path().join(format!("example.com/privacy/{TS}.html"));
    let victim = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(victim.path(), page(1)).unwrap();
    std::fs::remove_file(&html).unwrap();
    symlink(victim.path(), &html).unwrap();
    // Offline, the linked file is not a capture.
    let o = policydiff(store.path(), &s.base, &[], &["--offline", "text", &format!("{URL}@2018")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // Online, it is fetched again: the link is replaced, its target untouched.
    let o = policydiff(store.path(), &s.base, &[], &["fetch", URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 downloaded"), "{}", stdout(&o));
    assert!(!std::fs::symlink_metadata(&html).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read(victim.path()).unwrap(), page(1));
}

//! The check lock: one `check` at a time per store.
//!
//! An advisory `flock` on `<store>/.locks/check.lock`. The kernel releases it when the
//! holding process ends, however it ends, so a check killed with SIGKILL never blocks
//! the next one. A second check waits for the lock, then gives up with an error that
//! names the lock file and the process holding it.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fs2::FileExt;

use crate::error::{Error, Result};

/// How long a check waits for another one by default (`POLICYDIFF_CHECK_LOCK_WAIT_MS`).
pub const DEFAULT_WAIT: Duration = Duration::from_secs(300);

/// Held for the whole check; released on drop or when the process ends.
#[derive(Debug)]
pub struct CheckLock {
    file: File,
    path: PathBuf,
}

impl Drop for CheckLock {
    fn drop(&mut self) {
        let _ = FileExt::unlock(&self.file);
    }
}

impl CheckLock {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The wait from `POLICYDIFF_CHECK_LOCK_WAIT_MS`, or [`DEFAULT_WAIT`].
pub fn wait_from_env() -> Duration {
    std::env::var("POLICYDIFF_CHECK_LOCK_WAIT_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(DEFAULT_WAIT, Duration::from_millis)
}

/// Takes the check lock of the store at `store`, waiting up to `wait` for a check
/// that holds it. `on_wait` is called once if the lock is busy (to say so).
pub fn acquire(store: &Path, wait: Duration, on_wait: impl FnOnce(&Path)) -> Result<CheckLock> {
    let dir = store.join(".locks");
    fs::create_dir_all(&dir).map_err(|e| Error::store(&dir, e.to_string()))?;
    let path = dir.join("check.lock");
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| Error::store(&path, e.to_string()))?;
    let start = Instant::now();
    let mut on_wait = Some(on_wait);
    loop {
        match file.try_lock_exclusive() {
            Ok(()) => break,
            Err(e) if e.kind() == fs2::lock_contended_error().kind() => {
                if let Some(f) = on_wait.take() {
                    f(&path);
                }
                if start.elapsed() >= wait {
                    let holder = holder(&mut file);
                    return Err(Error::store(
                        &path,
                        format!(
                            "another check{holder} still holds the check lock after {:.0} s; it is released when that check ends (wait longer with POLICYDIFF_CHECK_LOCK_WAIT_MS)",
                            wait.as_secs_f64()
                        ),
                    ));
                }
                std::thread::sleep(Duration::from_millis(50).min(wait));
            }
            Err(e) => return Err(Error::store(&path, format!("cannot lock: {e}"))),
        }
    }
    // Say who holds it, for the error of the next one.
    let _ =
        file.set_len(0).and_then(|_| file.rewind()).and_then(|_| writeln!(file, "{}", std::process::id()));
    Ok(CheckLock { file, path })
}

fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind().and_then(|_| file.read_to_string(&mut text));
    match text.trim().parse::<u32>() {
        Ok(pid) => format!(" (process {pid})"),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_then_fails_naming_the_lock_and_a_dropped_lock_frees_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path(), Duration::ZERO, |_| {}).unwrap();
        let mut waited = false;
        let e = acquire(dir.path(), Duration::from_millis(120), |_| waited = true).unwrap_err().to_string();
        assert!(waited);
        assert!(e.contains("check.lock") && e.contains(&format!("process {}", std::process::id())), "{e}");
        drop(first);
        acquire(dir.path(), Duration::ZERO, |_| {}).unwrap();
    }
}

//! The snapshot store: captures as plain files, `<store>/<host>/<path>/<timestamp>.html`,
//! with metadata beside them, written atomically; offline replay reads only this.
//!
//! Layout, for `https://www.nakivo.com/support/privacy-policy`:
//!
//! ```text
//! <store>/www.nakivo.com/support/privacy-policy/
//!     20171211160722.html    the capture's bytes exactly as served in raw (id_) mode
//!     20171211160722.json    CaptureMeta: URLs, digests, fetch time, original headers
//!     captures.json          the CDX listing last taken, with the time it was taken
//! <store>/.locks/            lock files, so that processes sharing a store take turns
//! ```
//!
//! A capture exists in the store when both its `.html` and its `.json` exist and the
//! body's SHA-1 is the one recorded: the `.json` is written last, so a run killed at any
//! moment leaves either a complete capture or none (temporary files are hidden
//! dot-files, removed by the next run). This module knows nothing of HTTP.
//!
//! Links are never followed inside a store: a folder below the root that is a
//! symbolic link makes the store unusable (one error line naming it), and files are
//! opened with `O_NOFOLLOW`, so nothing is read or written outside the store through a
//! link. The root itself may be a link.

pub mod names;

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use fs2::FileExt;
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

pub use crate::archive::{open_no_follow, read_no_follow};
use crate::archive::{Body, Capture, Fetched};
use crate::error::{Error, Result};

/// The metadata file beside each capture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureMeta {
    /// The URL asked for.
    pub url: String,
    /// The timestamp this capture is filed under (the listing's).
    pub timestamp: String,
    /// The timestamp of the capture served, after closest-capture redirects.
    pub capture_timestamp: String,
    /// The URL whose capture was served, after archived redirects.
    pub final_url: String,
    /// The archive URLs requested, in order (more than one after redirects).
    #[serde(default)]
    pub redirects: Vec<String>,
    /// SHA-1 (base32) from the CDX listing, when known.
    pub cdx_digest: Option<String>,
    /// SHA-1 (base32) of the stored body.
    pub sha1: String,
    /// Whether the two agree (the archive's digest is of the payload as crawled, which
    /// a replay can differ from: a mismatch is recorded, not fatal).
    pub digest_matches: Option<bool>,
    /// Bytes in the `.html` file.
    pub length: u64,
    /// When it was downloaded, RFC 3339.
    pub fetched_at: String,
    /// The original Content-Type (charset included), as the archive reported it.
    pub content_type: Option<String>,
    /// Original headers (`orig-*`) and `memento-datetime`, lower case.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The body came gzip-compressed from the archive and was decoded.
    #[serde(default)]
    pub gzip_decoded: bool,
}

/// The cached CDX listing of one URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub url: String,
    /// When the listing was taken, RFC 3339.
    pub taken_at: String,
    /// Whether it lists every capture (`--all`) or one per digest.
    #[serde(default)]
    pub all: bool,
    pub captures: Vec<Capture>,
}

/// A complete capture in the store.
#[derive(Debug, Clone)]
pub struct Stored {
    pub html: PathBuf,
    pub meta: CaptureMeta,
}

/// A store rooted at a directory.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// Held while a process works on one capture or listing; released on drop.
#[derive(Debug)]
pub struct Lock {
    file: File,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = FileExt::unlock(&self.file);
    }
}

/// SHA-1 of bytes, base32 as the CDX server writes digests.
pub fn sha1_base32(bytes: &[u8]) -> String {
    data_encoding::BASE32.encode(&Sha1::digest(bytes))
}

const LISTING: &str = "captures.json";

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The directory of a URL's captures (not created). An error when a folder on the
    /// way to it, below the root, is a symbolic link.
    pub fn dir(&self, url: &str) -> Result<PathBuf> {
        let rel = names::capture_dir(url).map_err(|m| Error::input(url, m))?;
        let dir = self.root.join(rel);
        self.refuse_links(&dir)?;
        Ok(dir)
    }

    /// Errs when `path`, or a folder between the root and it, is a symbolic link (or
    /// not a folder). Parts that do not exist yet are fine.
    fn refuse_links(&self, path: &Path) -> Result<()> {
        let Ok(rel) = path.strip_prefix(&self.root) else { return Ok(()) };
        let mut at = self.root.clone();
        for part in rel.components() {
            at.push(part);
            match fs::symlink_metadata(&at) {
                Ok(m) if m.file_type().is_symlink() => return Err(link_error(&at)),
                Ok(m) if !m.is_dir() => {
                    return Err(Error::store(short_path(&at), "is not a folder; the store is damaged"))
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                Err(e) => return Err(Error::store(short_path(&at), e.to_string())),
            }
        }
        Ok(())
    }

    /// `<store>/.locks`, created, and not a link.
    fn locks_dir(&self) -> Result<PathBuf> {
        let locks = self.root.join(".locks");
        self.refuse_links(&locks)?;
        fs::create_dir_all(&locks).map_err(|e| Error::store(short_path(&locks), e.to_string()))?;
        self.refuse_links(&locks)?;
        Ok(locks)
    }

    /// Creates a capture folder (and its parents), refusing links on the way.
    fn create_dir(&self, dir: &Path) -> Result<()> {
        fs::create_dir_all(dir).map_err(|e| Error::store(short_path(dir), e.to_string()))?;
        // Checked again once created: a link planted meanwhile is still refused.
        self.refuse_links(dir)
    }

    /// Every complete capture of `url`, oldest first.
    pub fn captures(&self, url: &str) -> Result<Vec<Stored>> {
        let dir = self.dir(url)?;
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::store(short_path(&dir), e.to_string())),
        };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(ts) = name.to_str().and_then(|n| n.strip_suffix(".json")) else { continue };
            if names::is_timestamp(ts) {
                if let Some(s) = self.read_capture(&dir, ts) {
                    out.push(s);
                }
            }
        }
        out.sort_by(|a, b| a.meta.timestamp.cmp(&b.meta.timestamp));
        Ok(out)
    }

    /// Every complete capture in the store, of every URL, ordered by URL then
    /// timestamp. Hidden folders (`.locks`) are passed over.
    pub fn all_captures(&self) -> Result<Vec<Stored>> {
        let mut out = Vec::new();
        let mut dirs = vec![self.root.clone()];
        while let Some(dir) = dirs.pop() {
            let entries = fs::read_dir(&dir).map_err(|e| Error::store(short_path(&dir), e.to_string()))?;
            for entry in entries.flatten() {
                let path = entry.path();
                let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
                if name.starts_with('.') {
                    continue;
                }
                let kind = entry.file_type().map_err(|e| Error::store(short_path(&path), e.to_string()))?;
                if kind.is_symlink() && fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                    return Err(link_error(&path));
                }
                if kind.is_dir() {
                    dirs.push(path);
                } else if let Some(ts) = name.strip_suffix(".json").filter(|ts| names::is_timestamp(ts)) {
                    if let Some(stored) = self.read_capture(&dir, ts) {
                        out.push(stored);
                    }
                }
            }
        }
        out.sort_by(|a, b| (&a.meta.url, &a.meta.timestamp).cmp(&(&b.meta.url, &b.meta.timestamp)));
        Ok(out)
    }

    /// The capture filed under `timestamp`, if complete and intact: one whose bytes
    /// no longer match their SHA-1 counts as missing, so the next fetch replaces it.
    pub fn capture(&self, url: &str, timestamp: &str) -> Result<Option<Stored>> {
        if !names::is_timestamp(timestamp) {
            return Ok(None);
        }
        let Some(stored) = self.read_capture(&self.dir(url)?, timestamp) else { return Ok(None) };
        // Checked in pieces: a large capture is not read into memory for this.
        let intact = open_no_follow(OpenOptions::new().read(true), &stored.html)
            .and_then(|f| sha1_of(std::io::BufReader::new(f)))
            .is_ok_and(|sha1| sha1 == stored.meta.sha1);
        if !intact {
            tracing::warn!(
                "{}: the file's SHA-1 differs from its metadata (edited or damaged); it is fetched again",
                short_path(&stored.html)
            );
            return Ok(None);
        }
        Ok(Some(stored))
    }

    /// A complete capture with this CDX digest, under any timestamp.
    pub fn capture_with_digest(&self, url: &str, digest: &str) -> Result<Option<Stored>> {
        Ok(self.captures(url)?.into_iter().find(|s| s.meta.cdx_digest.as_deref() == Some(digest)))
    }

    /// A capture's two files, when both are there, are plain files (not links), agree
    /// in length, and the body is not empty (an empty body is not a capture: an older
    /// version stored some, and the next fetch replaces them).
    fn read_capture(&self, dir: &Path, ts: &str) -> Option<Stored> {
        let meta_path = dir.join(format!("{ts}.json"));
        let html = dir.join(format!("{ts}.html"));
        let meta: CaptureMeta = serde_json::from_slice(&read_no_follow(&meta_path).ok()?).ok()?;
        let file = fs::symlink_metadata(&html).ok()?;
        if !file.is_file() {
            tracing::warn!("{}: not a plain file; treated as missing", html.display());
            return None;
        }
        if file.len() != meta.length {
            tracing::warn!("{}: length differs from its metadata; treated as missing", html.display());
            return None;
        }
        if meta.length == 0 {
            tracing::warn!("{}: an empty body is not a capture; treated as missing", html.display());
            return None;
        }
        Some(Stored { html, meta })
    }

    /// Reads a stored capture's bytes, checking them against the recorded SHA-1.
    pub fn read_body(&self, stored: &Stored) -> Result<Vec<u8>> {
        let bytes = read_no_follow(&stored.html)
            .map_err(|e| Error::store(short_path(&stored.html), e.to_string()))?;
        if sha1_base32(&bytes) != stored.meta.sha1 {
            return Err(Error::store(
                &stored.html,
                "the file's SHA-1 differs from its metadata (edited or damaged); delete it and fetch again",
            ));
        }
        Ok(bytes)
    }

    /// Takes the lock named `what` for `url` (blocking until another process releases
    /// it). Lock files live in `<store>/.locks/`, never among the captures.
    pub fn lock(&self, url: &str, what: &str) -> Result<Lock> {
        let dir = self.dir(url)?;
        let locks = self.locks_dir()?;
        let key = format!("{}\n{what}", dir.display());
        let path = locks.join(format!("{}.lock", &sha1_base32(key.as_bytes())[..16]));
        let file = open_no_follow(OpenOptions::new().create(true).truncate(false).write(true), &path)
            .map_err(|e| Error::store(short_path(&path), describe_open(&e)))?;
        file.lock_exclusive().map_err(|e| Error::store(short_path(&path), format!("cannot lock: {e}")))?;
        Ok(Lock { file })
    }

    /// Files a fetched capture under `timestamp`: the body first, the metadata last,
    /// each atomically. The caller holds the capture's lock.
    pub fn put(&self, fetched: &Fetched, timestamp: &str, cdx: Option<&Capture>) -> Result<Stored> {
        if !names::is_timestamp(timestamp) {
            return Err(Error::archive(&fetched.url, format!("'{timestamp}' is not a 14-digit timestamp")));
        }
        if fetched.body.is_empty() {
            return Err(Error::archive(&fetched.url, "an empty body is not a capture; nothing stored"));
        }
        let dir = self.dir(&fetched.url)?;
        self.create_dir(&dir)?;
        remove_stale_temporaries(&dir, timestamp);
        let sha1 = body_sha1(&fetched.body).map_err(|e| Error::store(short_path(&dir), e.to_string()))?;
        let cdx_digest = cdx.map(|c| c.digest.clone()).filter(|d| d != "-");
        let digest_matches = cdx_digest.as_ref().map(|d| d.eq_ignore_ascii_case(&sha1));
        if digest_matches == Some(false) {
            tracing::info!(
                "{} at {timestamp}: SHA-1 of the body differs from the archive's digest (recorded)",
                fetched.url
            );
        }
        let meta = CaptureMeta {
            url: fetched.url.clone(),
            timestamp: timestamp.to_string(),
            capture_timestamp: fetched.timestamp.clone(),
            final_url: fetched.final_url.clone(),
            redirects: fetched.hops.clone(),
            cdx_digest,
            sha1,
            digest_matches,
            length: fetched.body.len(),
            fetched_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            content_type: fetched.original_content_type().map(String::from),
            headers: fetched.headers.clone(),
            gzip_decoded: fetched.gzip_decoded,
        };
        let html = dir.join(format!("{timestamp}.html"));
        match &fetched.body {
            Body::Bytes(bytes) => write_atomic(&html, bytes)?,
            Body::Spooled { path, .. } => move_into_place(path, &html)?,
        }
        let json =
            serde_json::to_vec_pretty(&meta).map_err(|e| Error::store(short_path(&dir), e.to_string()))?;
        write_atomic(&dir.join(format!("{timestamp}.json")), &json)?;
        Ok(Stored { html, meta })
    }

    /// The cached listing of `url`, if any.
    pub fn listing(&self, url: &str) -> Result<Option<Listing>> {
        let path = self.dir(url)?.join(LISTING);
        match read_no_follow(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                Error::store(short_path(&path), format!("unreadable listing ({e}); delete it and list again"))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::store(short_path(&path), describe_open(&e))),
        }
    }

    /// Caches a listing, merged with the one already cached (a listing of a date range
    /// adds to, never shrinks, what is known).
    pub fn save_listing(&self, url: &str, captures: &[Capture], all: bool) -> Result<Listing> {
        let _lock = self.lock(url, LISTING)?;
        let dir = self.dir(url)?;
        self.create_dir(&dir)?;
        let mut merged: BTreeMap<(String, String), Capture> = BTreeMap::new();
        let mut was_all = all;
        if let Ok(Some(old)) = self.listing(url) {
            was_all &= old.all;
            for c in old.captures {
                merged.insert((c.timestamp.clone(), c.digest.clone()), c);
            }
        }
        for c in captures {
            merged.insert((c.timestamp.clone(), c.digest.clone()), c.clone());
        }
        let listing = Listing {
            url: url.to_string(),
            taken_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            all: was_all,
            captures: merged.into_values().collect(),
        };
        remove_stale_temporaries(&dir, LISTING);
        let json =
            serde_json::to_vec_pretty(&listing).map_err(|e| Error::store(short_path(&dir), e.to_string()))?;
        write_atomic(&dir.join(LISTING), &json)?;
        Ok(listing)
    }
}

/// An open error in words; `ELOOP` from `O_NOFOLLOW` means the file is a link.
fn describe_open(e: &std::io::Error) -> String {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return "is a symbolic link; policydiff never writes through links inside a store".into();
    }
    e.to_string()
}

fn link_error(path: &Path) -> Error {
    Error::store(
        short_path(path),
        "is a symbolic link; policydiff does not follow links inside a store \
         (replace it with the folder itself, or point --store at the real folder)",
    )
}

/// A path for an error line: a long one (a 5 KB URL makes a 5 KB path) is cut.
fn short_path(path: &Path) -> String {
    crate::archive::clip(&path.display().to_string(), 200).into_owned()
}

/// Writes `bytes` to a hidden temporary file in the same directory, syncs it, then
/// renames it over `path`: readers see the old file or the new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.tmp-{}-{:08x}", std::process::id(), rand::random::<u32>()));
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        // The rename itself must reach the disk too.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok::<(), std::io::Error>(())
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::store(short_path(path), e.to_string())
    })
}

/// Moves a complete spooled body (a temporary file in `<store>/.tmp/`, on the same
/// file system) to `path`: synced first, then renamed, then the folder synced, as
/// [`write_atomic`] does for bytes in memory.
fn move_into_place(spooled: &Path, path: &Path) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let moved = (|| {
        File::open(spooled)?.sync_all()?;
        fs::rename(spooled, path)?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok::<(), std::io::Error>(())
    })();
    moved.map_err(|e| Error::store(short_path(path), e.to_string()))
}

/// SHA-1 (base32) of a body, read in pieces.
fn body_sha1(body: &Body) -> std::io::Result<String> {
    sha1_of(body.reader()?)
}

fn sha1_of(mut reader: impl std::io::Read) -> std::io::Result<String> {
    let mut hasher = Sha1::new();
    let mut buf = vec![0; 64 * 1024];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(data_encoding::BASE32.encode(&hasher.finalize()))
}

/// Temporary files a killed run left for `stem` (the caller holds its lock).
fn remove_stale_temporaries(dir: &Path, stem: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if let Some(name) = entry.file_name().to_str() {
            if name.starts_with(&format!(".{stem}")) && name.contains(".tmp-") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

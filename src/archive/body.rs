//! Answer bodies: kept in memory (CDX listings), or streamed to a temporary file in a
//! spool folder (capture bodies, when the client has one: `<store>/.tmp/`), so that
//! memory stays flat however large a body is, up to the size limit. A spooled body is
//! renamed into place by the store once complete, or removed when dropped.

use std::fs::{self, File};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use reqwest::header::HeaderMap;

/// A body read to its end.
#[derive(Debug)]
pub enum Body {
    Bytes(Vec<u8>),
    /// In a temporary file (deleted when dropped, unless moved into place).
    Spooled {
        path: tempfile::TempPath,
        len: u64,
    },
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Body {
        Body::Bytes(bytes)
    }
}

impl Body {
    pub fn len(&self) -> u64 {
        match self {
            Body::Bytes(b) => b.len() as u64,
            Body::Spooled { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Its bytes, in pieces.
    pub fn reader(&self) -> io::Result<Box<dyn Read + '_>> {
        Ok(match self {
            Body::Bytes(b) => Box::new(&b[..]),
            Body::Spooled { path, .. } => Box::new(BufReader::with_capacity(64 * 1024, File::open(path)?)),
        })
    }

    /// At most the first `n` bytes.
    pub fn head(&self, n: usize) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        self.reader()?.take(n as u64).read_to_end(&mut out)?;
        Ok(out)
    }

    /// The whole body in memory (a spooled one is read).
    pub fn into_bytes(self) -> io::Result<Vec<u8>> {
        match self {
            Body::Bytes(b) => Ok(b),
            spooled => spooled.to_bytes(),
        }
    }

    /// The whole body in memory, copied (a spooled one is read).
    pub fn to_bytes(&self) -> io::Result<Vec<u8>> {
        match self {
            Body::Bytes(b) => Ok(b.clone()),
            Body::Spooled { .. } => self.head(usize::MAX),
        }
    }
}

/// Where a body is being written while it comes.
pub(crate) enum Sink {
    Memory(Vec<u8>),
    File { file: File, path: tempfile::TempPath, len: u64 },
}

impl Sink {
    /// In memory, or in a new temporary file in `spool`.
    pub(crate) fn new(spool: Option<&Path>, capacity: usize) -> io::Result<Sink> {
        match spool {
            None => Ok(Sink::Memory(Vec::with_capacity(capacity))),
            Some(dir) => {
                let (file, path) = spool_file(dir)?.into_parts();
                Ok(Sink::File { file, path, len: 0 })
            }
        }
    }

    pub(crate) fn len(&self) -> u64 {
        match self {
            Sink::Memory(b) => b.len() as u64,
            Sink::File { len, .. } => *len,
        }
    }

    pub(crate) fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        match self {
            Sink::Memory(b) => b.extend_from_slice(chunk),
            Sink::File { file, len, .. } => {
                file.write_all(chunk)?;
                *len += chunk.len() as u64;
            }
        }
        Ok(())
    }

    pub(crate) fn finish(self) -> io::Result<Body> {
        Ok(match self {
            Sink::Memory(b) => Body::Bytes(b),
            Sink::File { mut file, path, len } => {
                file.flush()?;
                Body::Spooled { path, len }
            }
        })
    }
}

/// Why a body read whole cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// It decompresses to more than the size limit.
    TooLarge,
    /// Its gzip stream ends before its end: the body was cut short.
    Truncated,
}

/// The archive's gzip quirk: bodies labelled gzip that are not, and gzip bodies with no
/// label. The bytes decide: gzip magic and a clean decode, or the bytes as they came. A
/// gzip stream that ends early is a cut body; one that inflates to more than `max`
/// bytes is refused (it is decoded at most `max + 1` bytes far, never further). A
/// spooled body is decoded into a new file beside it, never into memory.
pub fn decode(headers: &HeaderMap, body: Body, max: u64) -> Result<(Body, bool), BodyError> {
    let magic = body.head(2).unwrap_or_default();
    if magic == [0x1f, 0x8b] {
        let spool = match &body {
            Body::Spooled { path, .. } => path.parent().map(Path::to_path_buf),
            Body::Bytes(_) => None,
        };
        let inflated = (|| -> io::Result<Body> {
            let mut sink =
                Sink::new(spool.as_deref(), (body.len() as usize).saturating_mul(4).min(max as usize))?;
            let mut decoder = flate2::read::MultiGzDecoder::new(body.reader()?).take(max.saturating_add(1));
            let mut buf = vec![0; 64 * 1024];
            loop {
                let n = decoder.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                sink.write(&buf[..n])?;
            }
            sink.finish()
        })();
        match inflated {
            Ok(out) if out.len() > max => return Err(BodyError::TooLarge),
            Ok(out) => return Ok((out, true)),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Err(BodyError::Truncated),
            Err(e) => tracing::warn!("a body starts like gzip but does not decode ({e}); kept as it came"),
        }
    } else if headers
        .get(reqwest::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"))
    {
        tracing::debug!("a body labelled gzip is not gzip; kept as it came");
    }
    Ok((body, false))
}

/// The prefix of this process's spool files: `body-<pid>-`.
fn prefix() -> String {
    format!("body-{}-", std::process::id())
}

/// A new temporary file in `dir` (created; never through a link: `dir` itself must
/// not be one, and the file is created new).
fn spool_file(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    fs::create_dir_all(dir)?;
    if fs::symlink_metadata(dir)?.file_type().is_symlink() {
        return Err(io::Error::other(format!(
            "{} is a symbolic link; policydiff does not follow links inside a store",
            dir.display()
        )));
    }
    tempfile::Builder::new().prefix(&prefix()).tempfile_in(dir)
}

/// Removes the spool files that runs no longer alive left in `dir` (a killed run
/// cannot remove its own).
pub fn remove_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("body-"))
            .and_then(|n| n.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !alive(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn alive(pid: u32) -> bool {
    // Signal 0 checks only that the process exists (EPERM: it does, another user's).
    let r = unsafe { libc::kill(pid as libc::pid_t, 0) };
    r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}

/// The spool folder of a store.
pub fn spool_dir(store: &Path) -> PathBuf {
    store.join(".tmp")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn gzip_is_decided_by_the_bytes_not_the_label() {
        let mut labelled = HeaderMap::new();
        labelled.insert(reqwest::header::CONTENT_ENCODING, "gzip".parse().unwrap());
        let (b, d) = decode(&labelled, b"<html>plain</html>".to_vec().into(), 1000).unwrap();
        assert_eq!((b.to_bytes().unwrap(), d), (b"<html>plain</html>".to_vec(), false));
        let (b, d) = decode(&HeaderMap::new(), gzip(b"<html>zipped</html>").into(), 1000).unwrap();
        assert_eq!((b.to_bytes().unwrap(), d), (b"<html>zipped</html>".to_vec(), true));
    }

    #[test]
    fn a_gzip_body_inflating_past_the_limit_is_refused_without_inflating_it_all() {
        let bomb = gzip(&vec![b'a'; 10 << 20]);
        assert!(bomb.len() < 100_000);
        assert_eq!(decode(&HeaderMap::new(), bomb.clone().into(), 1 << 20).err(), Some(BodyError::TooLarge));
        assert_eq!(
            decode(&HeaderMap::new(), bomb.into(), 10 << 20).map(|(b, _)| b.len()).ok(),
            Some(10 << 20)
        );
    }

    #[test]
    fn a_gzip_stream_that_ends_early_is_a_cut_body() {
        let whole = gzip(b"<html>a page long enough to be cut somewhere in its middle</html>");
        let cut = whole[..whole.len() - 12].to_vec();
        assert_eq!(decode(&HeaderMap::new(), cut.into(), 1000).err(), Some(BodyError::Truncated));
    }

    #[test]
    fn a_spooled_gzip_body_is_inflated_into_a_file_beside_it_and_the_original_removed() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = Sink::new(Some(dir.path()), 0).unwrap();
        sink.write(&gzip(b"<html>zipped on disk</html>")).unwrap();
        let body = sink.finish().unwrap();
        let (b, d) = decode(&HeaderMap::new(), body, 1000).unwrap();
        assert!(d && matches!(b, Body::Spooled { .. }));
        assert_eq!(b.to_bytes().unwrap(), b"<html>zipped on disk</html>");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "the compressed file is gone");
        drop(b);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "a body dropped is removed");
    }

    #[test]
    fn spool_files_of_dead_runs_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        // No process has pid 4194303 (above the kernel's pid_max default).
        fs::write(dir.path().join("body-4194303-abc"), "left by a killed run").unwrap();
        fs::write(dir.path().join("other"), "not a spool file").unwrap();
        let mine = Sink::new(Some(dir.path()), 0).unwrap().finish().unwrap();
        remove_stale(dir.path());
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left.len(), 2, "{left:?}");
        assert!(left.contains(&"other".to_string()));
        drop(mine);
    }
}

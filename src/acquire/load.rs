//! Bytes to Documents: a local file, or a capture the store holds.

use std::path::Path;

use crate::error::{Error, Result};
use crate::normalize::{self, InputKind};
use crate::provenance::SourceInfo;
use crate::store::Stored;

use super::{Acquirer, Loaded};

/// Inputs larger than this are refused unless `--max-input-size` says otherwise.
pub const DEFAULT_MAX_INPUT: u64 = 64 * 1024 * 1024;

/// Reads and normalizes a local file, or standard input for `-`; `arg` is the name the
/// user gave it. Only regular files are read (a FIFO with no writer would block for
/// ever, `/dev/zero` never ends), and none larger than `max_size` bytes.
pub fn load_file(arg: &str, path: &Path, options: &normalize::Options, max_size: u64) -> Result<Loaded> {
    let (bytes, kind) = if arg == "-" {
        (read_capped(arg, std::io::stdin().lock(), max_size)?, InputKind::Sniff)
    } else {
        let meta = std::fs::metadata(path).map_err(|e| Error::input(arg, io_message(&e)))?;
        if meta.is_dir() {
            return Err(Error::input(arg, "is a directory, not a file"));
        }
        if !meta.is_file() {
            return Err(Error::input(
                arg,
                "is not a regular file (a FIFO, device or socket); give a file, or - for standard input",
            ));
        }
        if meta.len() > max_size {
            return Err(too_large(arg, max_size));
        }
        let file = std::fs::File::open(path).map_err(|e| Error::input(arg, io_message(&e)))?;
        (read_capped(arg, file, max_size)?, InputKind::from_path(path))
    };
    let document =
        normalize::normalize(&bytes, kind, options).map_err(|e| Error::input(arg, e.to_string()))?;
    let info = SourceInfo::file(arg).with_title(document.title.clone());
    Ok(Loaded { info, document })
}

fn too_large(arg: &str, max_size: u64) -> Error {
    Error::input(
        arg,
        format!(
            "is larger than the input limit of {} (raise it with --max-input-size)",
            human_size(max_size)
        ),
    )
}

/// Reads at most `max_size` bytes; more is an error, not a truncated document.
fn read_capped(arg: &str, reader: impl std::io::Read, max_size: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::input(arg, io_message(&e)))?;
    if bytes.len() as u64 > max_size {
        return Err(too_large(arg, max_size));
    }
    Ok(bytes)
}

/// `64 MB`, `1.5 GB`, `900 bytes`.
pub fn human_size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    match bytes {
        b if b >= 1024 * MB => format!("{:.1} GB", b as f64 / (1024 * MB) as f64).replace(".0 ", " "),
        b if b >= MB => format!("{:.1} MB", b as f64 / MB as f64).replace(".0 ", " "),
        b if b >= 1024 => format!("{:.1} KB", b as f64 / 1024.0).replace(".0 ", " "),
        b => format!("{b} bytes"),
    }
}

impl Acquirer {
    /// Reads and normalizes a capture the store holds (no network); `source` names it
    /// in messages and in the provenance, `url` is the URL it is a capture of.
    pub fn load_stored(&self, source: &str, url: &str, stored: &Stored) -> Result<Loaded> {
        let bytes = self.store.read_body(stored)?;
        let mut options = self.options.clone();
        options.content_type = stored.meta.content_type.clone();
        let kind = match &options.content_type {
            Some(ct) if !ct.to_ascii_lowercase().contains("html") => InputKind::Sniff,
            _ => InputKind::Html,
        };
        let document = normalize::normalize(&bytes, kind, &options).map_err(|e| {
            Error::input(
                source,
                format!("{e} (capture {} in {})", stored.meta.timestamp, stored.html.display()),
            )
        })?;
        let digest = stored.meta.cdx_digest.clone().unwrap_or_else(|| stored.meta.sha1.clone());
        let info = SourceInfo::capture(source, url, stored.meta.capture_timestamp.clone())
            .with_title(document.title.clone())
            .with_digest(Some(digest))
            .with_archive(self.archive.clone());
        Ok(Loaded { info, document })
    }
}

/// An I/O error as a user reads it ("no such file", not "os error 2").
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_string()
        }
    }
}

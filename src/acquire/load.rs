//! Bytes to Documents: a local file, or a capture the store holds.

use std::path::Path;

use crate::error::{Error, Result};
use crate::normalize::{self, InputKind};
use crate::provenance::SourceInfo;
use crate::store::Stored;

use super::{Acquirer, Loaded};

/// Reads and normalizes a local file; `arg` is the name the user gave it.
pub fn load_file(arg: &str, path: &Path, options: &normalize::Options) -> Result<Loaded> {
    let meta = std::fs::metadata(path).map_err(|e| Error::input(arg, io_message(&e)))?;
    if meta.is_dir() {
        return Err(Error::input(arg, "is a directory, not a file"));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::input(arg, io_message(&e)))?;
    let document = normalize::normalize(&bytes, InputKind::from_path(path), options)
        .map_err(|e| Error::input(arg, e.to_string()))?;
    let info = SourceInfo::file(arg).with_title(document.title.clone());
    Ok(Loaded { info, document })
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

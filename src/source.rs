//! A SOURCE as the user names it — a local file, `URL@DATE` or a bare URL — and its
//! loading into a [`Document`] with the facts reports show about it.

use std::path::{Path, PathBuf};

use crate::cli::Config;
use crate::date::DateSpec;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::normalize::{self, InputKind};

/// Where a version of a policy comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    /// A URL in the archive; `None` means its newest capture.
    Archive {
        url: String,
        date: Option<DateSpec>,
    },
}

/// What reports say about a loaded source (`old`/`new` in the JSON schema).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceInfo {
    /// As the user wrote it.
    pub source: String,
    pub url: Option<String>,
    /// 14-digit timestamp of the capture, for archive sources.
    pub timestamp: Option<String>,
    pub title: Option<String>,
}

/// A normalized version of a policy and where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub info: SourceInfo,
    pub document: Document,
}

impl Source {
    /// Reads a SOURCE argument. A string that looks like a URL (has a scheme, or starts
    /// like a host name and is not an existing file) is an archive source.
    pub fn parse(arg: &str) -> Result<Source> {
        let looks_like_url = arg.starts_with("http://") || arg.starts_with("https://");
        if !looks_like_url {
            return Ok(Source::File(PathBuf::from(arg)));
        }
        // The date follows the last '@' (URLs rarely hold one, and then before a '/').
        if let Some((url, date)) = arg.rsplit_once('@') {
            if !date.contains('/') && !date.is_empty() {
                let date = date.parse::<DateSpec>().map_err(|e| Error::Usage(e.to_string()))?;
                return Ok(Source::Archive { url: url.to_string(), date: Some(date) });
            }
        }
        Ok(Source::Archive { url: arg.to_string(), date: None })
    }
}

/// Loads and normalizes one SOURCE.
pub fn load(arg: &str, config: &Config) -> Result<Loaded> {
    match Source::parse(arg)? {
        Source::File(path) => load_file(arg, &path, config),
        Source::Archive { url, date } => crate::commands::load_archived(arg, &url, date, config),
    }
}

fn load_file(arg: &str, path: &Path, config: &Config) -> Result<Loaded> {
    let meta = std::fs::metadata(path).map_err(|e| Error::input(arg, io_message(&e)))?;
    if meta.is_dir() {
        return Err(Error::input(arg, "is a directory, not a file"));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::input(arg, io_message(&e)))?;
    let kind = InputKind::from_path(path);
    let document = normalize::normalize(&bytes, kind, &config.normalize_options())
        .map_err(|e| Error::input(arg, e.to_string()))?;
    Ok(Loaded {
        info: SourceInfo {
            source: arg.to_string(),
            url: None,
            timestamp: None,
            title: document.title.clone(),
        },
        document,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_told_apart() {
        assert_eq!(Source::parse("old.html").unwrap(), Source::File("old.html".into()));
        match Source::parse("https://example.com/privacy@2018-05").unwrap() {
            Source::Archive { url, date } => {
                assert_eq!(url, "https://example.com/privacy");
                assert_eq!(date.unwrap().start(), "20180501000000");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            Source::parse("https://example.com/privacy").unwrap(),
            Source::Archive { url: "https://example.com/privacy".into(), date: None }
        );
        assert!(Source::parse("https://example.com/privacy@someday").is_err());
    }
}

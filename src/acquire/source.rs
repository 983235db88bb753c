//! A SOURCE as the user names it: a local file, `URL@DATE` or a bare URL.

use std::path::PathBuf;

use crate::date::DateSpec;
use crate::error::{Error, Result};

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

impl Source {
    /// Reads a SOURCE argument: `http://` or `https://` makes it an archive source
    /// (with the DATE after the last `@`), anything else names a file.
    pub fn parse(arg: &str) -> Result<Source> {
        if !is_url(arg) {
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

/// True for what the archive can be asked about (`http://`, `https://`).
pub fn is_url(arg: &str) -> bool {
    arg.starts_with("http://") || arg.starts_with("https://")
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

//! Where a version of a policy came from: the record every report shows beside the text
//! (`old`/`new` in `policydiff.diff/1`, a version's capture in a changelog).
//!
//! It sits on the bottom floor beside [`crate::document`]: the acquiring stage fills it
//! in, reports only read it. Nothing here does I/O.
//!
//! ```
//! use policydiff::provenance::SourceInfo;
//! let p = SourceInfo::capture("https://example.com/privacy@2019", "https://example.com/privacy", "20190103121212")
//!     .with_archive("https://web.archive.org");
//! assert_eq!(
//!     p.memento_url().as_deref(),
//!     Some("https://web.archive.org/web/20190103121212id_/https://example.com/privacy")
//! );
//! assert_eq!(p.date().as_deref(), Some("2019-01-03 12:12:12 UTC"));
//! ```

/// What reports say about a loaded source. `source`, `url`, `timestamp` and `title` are
/// the fields of the JSON schemas; the others serve links and changelog versions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceInfo {
    /// As the user wrote it (a file name, `URL@DATE`, a URL).
    pub source: String,
    /// The archived URL, for archive sources.
    pub url: Option<String>,
    /// 14-digit timestamp of the capture, for archive sources.
    pub timestamp: Option<String>,
    /// The Document's title.
    pub title: Option<String>,
    /// The capture's content digest (the CDX digest when known, else the SHA-1 of the
    /// stored bytes, base32).
    pub digest: Option<String>,
    /// Base URL of the Wayback Machine the capture came from (for links to it).
    pub archive: Option<String>,
}

/// The name the crate uses in new code; [`SourceInfo`] is kept for the reports' callers.
pub type Provenance = SourceInfo;

impl SourceInfo {
    /// A local file (or standard input) as named by the user.
    pub fn file(source: impl Into<String>) -> Self {
        SourceInfo { source: source.into(), ..SourceInfo::default() }
    }

    /// A capture of `url` taken at `timestamp`.
    pub fn capture(source: impl Into<String>, url: impl Into<String>, timestamp: impl Into<String>) -> Self {
        SourceInfo {
            source: source.into(),
            url: Some(url.into()),
            timestamp: Some(timestamp.into()),
            ..SourceInfo::default()
        }
    }

    pub fn with_title(mut self, title: Option<String>) -> Self {
        self.title = title;
        self
    }

    pub fn with_digest(mut self, digest: Option<String>) -> Self {
        self.digest = digest;
        self
    }

    pub fn with_archive(mut self, base: impl Into<String>) -> Self {
        self.archive = Some(base.into().trim_end_matches('/').to_string());
        self
    }

    /// The raw capture as archived: `<archive>/web/<timestamp>id_/<url>`.
    pub fn memento_url(&self) -> Option<String> {
        let (url, ts) = (self.url.as_ref()?, self.timestamp.as_ref()?);
        Some(format!("{}/web/{ts}id_/{url}", self.archive_base()))
    }

    /// The Wayback Machine's own view of the capture: `<archive>/web/<timestamp>/<url>`.
    pub fn view_url(&self) -> Option<String> {
        let (url, ts) = (self.url.as_ref()?, self.timestamp.as_ref()?);
        Some(format!("{}/web/{ts}/{url}", self.archive_base()))
    }

    /// The capture's time for people: `2019-01-03 12:12:12 UTC`.
    pub fn date(&self) -> Option<String> {
        let ts = self.timestamp.as_deref()?;
        let t = chrono::NaiveDateTime::parse_from_str(ts, "%Y%m%d%H%M%S").ok()?;
        Some(t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
    }

    /// True when the source name does not already show the capture's timestamp.
    pub fn timestamp_adds_information(&self) -> bool {
        self.timestamp.as_deref().is_some_and(|ts| !self.source.contains(ts))
    }

    fn archive_base(&self) -> &str {
        self.archive.as_deref().unwrap_or("https://web.archive.org")
    }
}

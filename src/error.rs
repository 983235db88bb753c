//! The one error type of the crate. Every variant names the input it is about, so the
//! user sees a single line saying what failed and on what.

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A SOURCE (file, URL@DATE) that cannot be read or holds no policy.
    #[error("{input}: {message}")]
    Input { input: String, message: String },
    /// Bad arguments that clap could not catch (a malformed DATE, conflicting options).
    #[error("{0}")]
    Usage(String),
    /// The archive refused, failed or has nothing for a URL; `failure` says whether
    /// trying again later may help.
    #[error("{url}: {message}")]
    Archive { url: String, message: String, failure: ArchiveFailure },
    /// The store cannot be read or written.
    #[error("store {path}: {message}")]
    Store { path: String, message: String },
    /// A command or option that a later version provides.
    #[error("{0} is not yet available in this version")]
    NotYetAvailable(&'static str),
}

/// What an archive error says about asking again. Set by [`crate::archive`], where
/// each failure is classified once, and read by its callers (the stand-in of the store
/// when the archive is down; a check going on past a capture the archive refuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveFailure {
    /// A definite answer about the URL or the capture: not archived, blocked, a 4xx,
    /// an answer over the size limit, a redirect loop or one leaving the archive.
    /// Asking again gets the same answer.
    Answered,
    /// No usable answer after the retries: the connection failed or timed out, every
    /// answer was a 5xx or cut short, or the archive kept rate limiting. It may work
    /// later.
    Unreachable,
}

impl Error {
    pub fn input(input: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Input { input: input.into(), message: message.into() }
    }

    /// The archive's definite answer about `url` (see [`ArchiveFailure::Answered`]).
    pub fn archive(url: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Archive { url: url.into(), message: message.into(), failure: ArchiveFailure::Answered }
    }

    /// No usable answer from the archive after the retries (see
    /// [`ArchiveFailure::Unreachable`]).
    pub fn unreachable(url: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Archive { url: url.into(), message: message.into(), failure: ArchiveFailure::Unreachable }
    }

    /// The archive could not be reached (or kept failing, or rate limiting) after the
    /// retries: the same request may well work later.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Error::Archive { failure: ArchiveFailure::Unreachable, .. })
    }

    pub fn store(path: impl AsRef<std::path::Path>, message: impl Into<String>) -> Self {
        Error::Store { path: path.as_ref().display().to_string(), message: message.into() }
    }
}

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
    /// The archive refused, failed or has nothing for a URL.
    #[error("{url}: {message}")]
    Archive { url: String, message: String },
    /// The store cannot be read or written.
    #[error("store {path}: {message}")]
    Store { path: String, message: String },
    /// A command or option that a later version provides.
    #[error("{0} is not yet available in this version")]
    NotYetAvailable(&'static str),
}

impl Error {
    pub fn input(input: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Input { input: input.into(), message: message.into() }
    }

    pub fn archive(url: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Archive { url: url.into(), message: message.into() }
    }

    pub fn store(path: impl AsRef<std::path::Path>, message: impl Into<String>) -> Self {
        Error::Store { path: path.as_ref().display().to_string(), message: message.into() }
    }
}

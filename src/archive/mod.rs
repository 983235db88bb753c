//! The Wayback Machine client: CDX listings and raw (`id_`) capture fetches, with the
//! archive's etiquette (rate limits, `Retry-After`, bounded retries).
//!
//! [`Client::list`] gives the [`Capture`]s of a URL; [`Client::fetch`] gives one
//! capture's bytes as archived, after following closest-capture and archived redirects
//! inside the archive. What this module does not do: store anything (see
//! [`crate::store`]) or look inside the HTML.

pub mod body;
pub mod cdx;
pub mod client;
pub mod etiquette;

/// Whether an archive error may go away later: set here, where each failure is met.
pub use crate::error::ArchiveFailure;
pub use body::Body;
pub use cdx::{Capture, Query};
pub use client::{Client, Fetched};
pub use etiquette::{Etiquette, Limits, RequestClass};

use std::path::Path;

/// Opens `path` with `options`, never through a symbolic link (`O_NOFOLLOW`): a link
/// there is an error (`ELOOP`), not the file it points to.
pub fn open_no_follow(options: &mut std::fs::OpenOptions, path: &Path) -> std::io::Result<std::fs::File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(std::io::Error::other("is a symbolic link"));
    }
    options.open(path)
}

/// Reads a whole file, never through a symbolic link.
pub fn read_no_follow(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut open_no_follow(std::fs::OpenOptions::new().read(true), path)?,
        &mut bytes,
    )?;
    Ok(bytes)
}

/// `text` for an error line: control characters escaped (`\u{1b}`), then cut to at
/// most `max` characters with `…` in the middle, so that a 5 KB URL from the archive
/// still leaves a one-line, readable, inert error.
pub fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        let escaped: String = text
            .chars()
            .flat_map(|c| if c.is_control() { c.escape_unicode().collect() } else { vec![c] })
            .collect();
        return std::borrow::Cow::Owned(clip(&escaped, max).into_owned());
    }
    let count = text.chars().count();
    if count <= max {
        return std::borrow::Cow::Borrowed(text);
    }
    let head = max.saturating_sub(1) * 3 / 4;
    let tail = max.saturating_sub(1) - head;
    let mut out: String = text.chars().take(head).collect();
    out.push('…');
    out.extend(text.chars().skip(count - tail));
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_text_is_clipped_in_the_middle() {
        assert_eq!(super::clip("short", 10), "short");
        let long = format!("https://a.com/{}end", "x".repeat(4900));
        let c = super::clip(&long, 200);
        assert_eq!(c.chars().count(), 200);
        assert!(c.starts_with("https://a.com/xx") && c.ends_with("xxend") && c.contains('…'));
        assert_eq!(super::clip("a\u{1b}[2Jb", 50), "a\\u{1b}[2Jb");
    }
}

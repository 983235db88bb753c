//! File names from URLs. A URL becomes `<host>/<segment>/…` below the store root, every
//! part sanitised so that nothing can escape the store: no `..`, no absolute paths, no
//! control or reserved characters, bounded lengths, percent-encoding in one form
//! (upper-case hex), and the query string kept as one encoded last segment.

use std::path::PathBuf;

use sha1::{Digest, Sha1};

/// Longest name written for one path segment, in bytes.
pub const MAX_SEGMENT: usize = 120;

/// Characters kept as they are; every other byte is written `%XX`.
fn is_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b',' | b'=' | b'@' | b'&')
}

/// The directory of a URL's captures, relative to the store root.
///
/// ```
/// use policydiff::store::names::capture_dir;
/// assert_eq!(
///     capture_dir("https://www.nakivo.com/support/privacy-policy").unwrap(),
///     std::path::PathBuf::from("www.nakivo.com/support/privacy-policy")
/// );
/// assert_eq!(capture_dir("http://EXAMPLE.com:80/a/../b%2f").unwrap(), std::path::PathBuf::from("example.com/a/%2E%2E/b%2F"));
/// ```
pub fn capture_dir(url: &str) -> Result<PathBuf, String> {
    let url = url.trim();
    let rest = match url.find("://") {
        Some(i)
            if url[..i].chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.') =>
        {
            &url[i + 3..]
        }
        _ => url,
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path_query) = rest.split_at(end);
    let host_port = authority.rsplit('@').next().unwrap_or_default().to_ascii_lowercase();
    let host_port =
        host_port.strip_suffix(":80").or_else(|| host_port.strip_suffix(":443")).unwrap_or(&host_port);
    let host_port = host_port.trim_end_matches('.');
    if host_port.is_empty() {
        return Err(format!("'{url}' has no host name"));
    }
    let mut dir = PathBuf::from(segment(&host_port.replace(':', "+")));
    let (path, query) = match path_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_query, None),
    };
    for part in path.split('/').filter(|p| !p.is_empty()) {
        dir.push(segment(part));
    }
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        dir.push(segment(&format!("?{q}")));
    }
    Ok(dir)
}

/// One sanitised path segment: existing `%xx` decoded then every unsafe byte encoded
/// again in upper case, so `%2f` and `%2F` name the same file; `.` and `..` and a
/// leading dot (hidden files, the store's own `.locks`) encoded; long names cut with a
/// hash of the whole.
pub fn segment(raw: &str) -> String {
    let bytes = percent_encoding::percent_decode_str(raw).collect::<Vec<u8>>();
    let mut out = String::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        if is_safe(b) && !(i == 0 && b == b'.') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out == "%2E." {
        out = "%2E%2E".into();
    }
    if out.is_empty() {
        out.push('_');
    }
    if out.len() > MAX_SEGMENT {
        let hash = Sha1::digest(out.as_bytes());
        let mut cut = MAX_SEGMENT - 18;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        // Do not end inside a %XX escape.
        if let Some(p) = out[cut.saturating_sub(2)..cut].find('%') {
            cut = cut - 2 + p;
        }
        out = format!("{}~{}", &out[..cut], data_encoding::HEXLOWER.encode(&hash[..8]));
    }
    out
}

/// Whether a 14-digit timestamp is safe as a file name stem.
pub fn is_timestamp(ts: &str) -> bool {
    ts.len() == 14 && ts.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_and_escapes_never_climb_out() {
        for url in ["http://a.com/../../etc/passwd", "http://a.com/%2e%2e/%2E%2E/x", "http://a.com/./.hidden"]
        {
            let d = capture_dir(url).unwrap();
            for c in d.components() {
                assert!(matches!(c, std::path::Component::Normal(_)), "{url} → {d:?}");
                let s = c.as_os_str().to_str().unwrap();
                assert!(!s.starts_with('.'), "{url} → {d:?}");
            }
        }
    }
}

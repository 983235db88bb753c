//! The CDX listing: one [`Capture`] per row of the archive's capture index, parsed from
//! its JSON or plain-text answers, and the query that asks for them.
//!
//! Real answers are not always well formed (a row cut short, a timestamp with month
//! `00`, a data URI where a URL key should be): such rows are skipped with a warning;
//! an answer with no readable row at all is an error. Nothing here panics on input.
//! Control characters (ESC, C1, …) in the server's fields never pass through raw: they
//! are percent-encoded in `original` and replaced in `mimetype` and in warnings.

use serde::{Deserialize, Serialize};

use crate::date::{format_timestamp, parse_timestamp, DateSpec};

/// The fields asked for, in this order (`fl=`).
pub const FIELDS: &str = "urlkey,timestamp,original,mimetype,statuscode,digest,length";

/// One Wayback copy of a URL, as the CDX server lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capture {
    /// 14-digit timestamp.
    pub timestamp: String,
    /// The URL as it was crawled.
    pub original: String,
    pub mimetype: String,
    /// HTTP status as crawled; `None` for revisit records (`-`).
    pub status: Option<u16>,
    /// SHA-1 of the payload as crawled, base32.
    pub digest: String,
    /// Compressed record length; `None` when the server gives `-`.
    pub length: Option<u64>,
}

impl Capture {
    pub fn is_redirect(&self) -> bool {
        self.status.is_some_and(|s| (300..400).contains(&s))
    }
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub from: Option<DateSpec>,
    pub to: Option<DateSpec>,
    /// Every capture: no collapsing by digest, no status/type filter.
    pub all: bool,
}

impl Query {
    /// The query parameters, without `url` and `resumeKey`.
    pub fn params(&self, page_size: usize) -> Vec<(&'static str, String)> {
        let mut p = vec![("output", "json".to_string()), ("fl", FIELDS.to_string())];
        if let Some(from) = &self.from {
            p.push(("from", from.start()));
        }
        if let Some(to) = &self.to {
            p.push(("to", to.end()));
        }
        if !self.all {
            // Status 200 HTML pages, plus redirect captures (the policy moved).
            p.push(("filter", "statuscode:(200|301|302|303|307|308)".to_string()));
            p.push(("filter", "mimetype:(text/html|application/xhtml\\+xml|unk)".to_string()));
            p.push(("collapse", "digest".to_string()));
        }
        p.push(("showResumeKey", "true".to_string()));
        p.push(("limit", page_size.to_string()));
        p
    }

    /// Whether a capture's timestamp falls in the query's range.
    pub fn contains(&self, timestamp: &str) -> bool {
        self.from.as_ref().is_none_or(|f| timestamp >= f.start().as_str())
            && self.to.as_ref().is_none_or(|t| timestamp <= t.end().as_str())
    }
}

/// One page of a listing.
#[derive(Debug, Default, PartialEq)]
pub struct Page {
    pub captures: Vec<Capture>,
    /// Present when more rows follow: pass it back as `resumeKey`.
    pub resume_key: Option<String>,
    /// Rows that could not be read, with the reason (already logged as warnings).
    pub skipped: Vec<String>,
}

/// Why a listing could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

/// Parses a CDX answer in either output format (JSON arrays or space-separated lines).
pub fn parse(body: &[u8]) -> Result<Page, ParseError> {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Ok(Page::default());
    }
    let page = if trimmed.starts_with('[') { parse_json(trimmed)? } else { parse_plain(&text) };
    for reason in &page.skipped {
        tracing::warn!("skipped a row of the capture listing: {reason}");
    }
    if page.captures.is_empty() && !page.skipped.is_empty() {
        return Err(ParseError(format!(
            "the archive's capture listing could not be read ({} rows, none valid; first: {})",
            page.skipped.len(),
            page.skipped[0]
        )));
    }
    Ok(page)
}

fn parse_json(text: &str) -> Result<Page, ParseError> {
    let rows: Vec<Vec<serde_json::Value>> = serde_json::from_str(text)
        .map_err(|e| ParseError(format!("the archive's capture listing is not valid JSON ({e})")))?;
    let mut page = Page::default();
    let mut rows = rows.into_iter();
    let header: Vec<String> = match rows.next() {
        Some(h) => h.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect(),
        None => return Ok(page),
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    let cols =
        [col("timestamp"), col("original"), col("mimetype"), col("statuscode"), col("digest"), col("length")];
    let key_col = col("urlkey");
    let (Some(ts), Some(orig)) = (cols[0], cols[1]) else {
        return Err(ParseError(format!("the capture listing has no timestamp/original columns: {header:?}")));
    };
    let mut after_blank = false;
    for row in rows {
        if row.is_empty() {
            // With showResumeKey an empty row precedes the resume key.
            after_blank = true;
            continue;
        }
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).map(json_cell);
        if after_blank && row.len() == 1 {
            page.resume_key = Some(json_cell(&row[0]));
            continue;
        }
        let fields = [
            cell(Some(ts)).unwrap_or_default(),
            cell(Some(orig)).unwrap_or_default(),
            cell(cols[2]).unwrap_or_else(|| "-".into()),
            cell(cols[3]).unwrap_or_else(|| "-".into()),
            cell(cols[4]).unwrap_or_else(|| "-".into()),
            cell(cols[5]).unwrap_or_else(|| "-".into()),
        ];
        let key = cell(key_col).unwrap_or_default();
        match capture_from_fields(&key, &fields) {
            Ok(c) => page.captures.push(c),
            Err(reason) => page.skipped.push(reason),
        }
    }
    Ok(page)
}

fn json_cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn parse_plain(text: &str) -> Page {
    let mut page = Page::default();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let line = line.trim();
        if line.is_empty() {
            // With showResumeKey: a blank line, then the key alone on the last line.
            if let Some(key) = lines.find(|l| !l.trim().is_empty()) {
                if lines.peek().is_none() && !key.trim().contains(' ') {
                    page.resume_key = Some(key.trim().to_string());
                } else {
                    page.skipped.push(format!("unexpected text after a blank line: {}", shorten(key)));
                }
            }
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        // urlkey timestamp original mimetype statuscode digest length
        if f.len() != 7 {
            page.skipped.push(format!("expected 7 fields, found {}: {}", f.len(), shorten(line)));
            continue;
        }
        let fields = [f[1], f[2], f[3], f[4], f[5], f[6]].map(String::from);
        match capture_from_fields(f[0], &fields) {
            Ok(c) => page.captures.push(c),
            Err(reason) => page.skipped.push(reason),
        }
    }
    page
}

/// A row from its URL key and timestamp, original, mimetype, statuscode, digest, length.
fn capture_from_fields(urlkey: &str, f: &[String; 6]) -> Result<Capture, String> {
    let [ts, original, mimetype, status, digest, length] = f;
    if ts.len() != 14 || parse_timestamp(ts).is_none() {
        return Err(format!("bad timestamp '{}' for {}", shorten(ts), shorten(original)));
    }
    // A raw quote cannot be in the key of a real URL: the crawler followed a broken link
    // (a data: URI in an attribute, say).
    if urlkey.contains('"') {
        return Err(format!("malformed URL key at {ts}: {}", shorten(urlkey)));
    }
    let valid_url = reqwest::Url::parse(original)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()))
        // `http://mailto:someone@host/`: a mail link crawled as a web page.
        .filter(|u| u.username().is_empty() && u.password().is_none());
    if valid_url.is_none() || original.len() > 4096 {
        return Err(format!("not a URL at {ts}: {}", shorten(original)));
    }
    let status = match status.as_str() {
        "-" => None,
        s => Some(
            s.parse::<u16>()
                .ok()
                .filter(|s| (100..600).contains(s))
                .ok_or_else(|| format!("bad status '{}' at {ts}", shorten(s)))?,
        ),
    };
    if digest.is_empty()
        || digest.len() > 64
        || !digest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(format!("bad digest '{}' at {ts}", shorten(digest)));
    }
    Ok(Capture {
        timestamp: ts.clone(),
        original: encode_controls(original),
        mimetype: mimetype.chars().map(|c| if c.is_control() { '\u{FFFD}' } else { c }).collect(),
        status,
        digest: digest.clone(),
        length: length.parse().ok(),
    })
}

/// A URL with its control characters percent-encoded (as a browser would send them).
fn encode_controls(url: &str) -> String {
    if !url.chars().any(char::is_control) {
        return url.to_string();
    }
    let mut out = String::with_capacity(url.len() + 8);
    for c in url.chars() {
        if c.is_control() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Server text for a warning: at most 80 characters, control characters escaped.
fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(80).flat_map(char::escape_default_controls).collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

/// `char::escape_default` for control characters only.
trait EscapeControls {
    fn escape_default_controls(self) -> Box<dyn Iterator<Item = char>>;
}

impl EscapeControls for char {
    fn escape_default_controls(self) -> Box<dyn Iterator<Item = char>> {
        if self.is_control() {
            Box::new(self.escape_unicode())
        } else {
            Box::new(std::iter::once(self))
        }
    }
}

/// The capture closest to DATE: the first one inside DATE's span (`2017` is the whole
/// year) when there is one, otherwise the one nearest to the span's start.
pub fn closest<'a>(captures: &'a [Capture], date: &DateSpec) -> Option<&'a Capture> {
    let (start, end) = (date.start(), date.end());
    if let Some(inside) = captures
        .iter()
        .filter(|c| c.timestamp >= start && c.timestamp <= end)
        .min_by(|a, b| a.timestamp.cmp(&b.timestamp))
    {
        return Some(inside);
    }
    let target = date.target();
    captures
        .iter()
        .filter_map(|c| parse_timestamp(&c.timestamp).map(|t| (c, (t - target).num_seconds().unsigned_abs())))
        .min_by_key(|(c, d)| (*d, c.timestamp.clone()))
        .map(|(c, _)| c)
}

/// The newest capture.
pub fn newest(captures: &[Capture]) -> Option<&Capture> {
    captures.iter().max_by(|a, b| a.timestamp.cmp(&b.timestamp))
}

/// Today as a 14-digit timestamp (for messages about "newest").
pub fn now_timestamp() -> String {
    format_timestamp(chrono::Utc::now().naive_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_answer_with_resume_key() {
        let body = br#"[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],
["com,example)/","20180101000000","https://example.com/","text/html","200","AAAA","123"],
["com,example)/","20180201000000","https://example.com/","warc/revisit","-","AAAA","-"],
[],
["com%2Cexample%29%2F+20180201000000"]]"#;
        let page = parse(body).unwrap();
        assert_eq!(page.captures.len(), 2);
        assert_eq!(page.captures[1].status, None);
        assert_eq!(page.resume_key.as_deref(), Some("com%2Cexample%29%2F+20180201000000"));
    }

    #[test]
    fn plain_answer_with_resume_key() {
        let body = b"com,cnn)/ 20010410213930 http://www.cnn.com:80/ text/html 200 YTEQ 12942\n\ncom%2Ccnn%29%2F+2001041400593%3A\n";
        let page = parse(body).unwrap();
        assert_eq!(page.captures.len(), 1);
        assert_eq!(page.resume_key.as_deref(), Some("com%2Ccnn%29%2F+2001041400593%3A"));
    }

    #[test]
    fn control_characters_in_fields_never_pass_through_raw() {
        let body = r#"[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],
["com,example)/","20180101000000","https://example.com/a\u001b[2J","text/html\u001b]52;c;eA==\u0007","200","AAAA","1"],
["com,example)/","2018\u001b[31m","https://example.com/","text/html","200","AAAA","1"]]"#;
        let page = parse(body.as_bytes()).unwrap();
        assert_eq!(page.captures[0].original, "https://example.com/a%1B[2J");
        assert_eq!(page.captures[0].mimetype, "text/html\u{FFFD}]52;c;eA==\u{FFFD}");
        assert_eq!(page.skipped.len(), 1);
        assert!(!page.skipped[0].contains('\u{1b}'), "{:?}", page.skipped[0]);
    }

    #[test]
    fn closest_prefers_the_dates_span() {
        let cap = |ts: &str| Capture {
            timestamp: ts.into(),
            original: "u".into(),
            mimetype: "text/html".into(),
            status: Some(200),
            digest: "D".into(),
            length: None,
        };
        let caps = [cap("20151104030641"), cap("20171211160722")];
        assert_eq!(closest(&caps, &"2017".parse().unwrap()).unwrap().timestamp, "20171211160722");
        assert_eq!(closest(&caps, &"2016-02".parse().unwrap()).unwrap().timestamp, "20151104030641");
        assert_eq!(closest(&caps, &"2030".parse().unwrap()).unwrap().timestamp, "20171211160722");
        assert!(closest(&[], &"2030".parse().unwrap()).is_none());
    }
}

//! HTTP to the archive: every request goes through [`Client::get`], which applies the
//! [`Etiquette`] (rate limit per class, the 429 pause, retries with backoff) and reads
//! the whole body within the time limit, refusing one shorter than its
//! `Content-Length`, and failing one larger than the size limit (compressed or
//! decompressed) as soon as it is seen: nothing the network sends can grow without end.
//!
//! Error lines stay one short line: URLs and server text in them are clipped.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use reqwest::header::{HeaderMap, ACCEPT_ENCODING, CONTENT_LENGTH, LOCATION, RETRY_AFTER};

use super::body::{self, Body, BodyError, Sink};
use super::cdx::{self, Capture, Query};
use super::clip;
use super::etiquette::{Etiquette, RequestClass};
use crate::error::{Error, Result};

/// The longest URL (or other server-supplied text) quoted in an error line.
const QUOTED: usize = 200;

/// A one-line archive error about `url`, both parts clipped: a definite answer.
fn fail(url: &str, message: impl AsRef<str>) -> Error {
    Error::archive(clip(url, QUOTED), clip(message.as_ref(), 2 * QUOTED))
}

/// A one-line error about `url` when no usable answer came after the retries (the
/// archive down, failing or rate limiting): [`Error::is_unreachable`] is true.
fn unreachable(url: &str, message: impl AsRef<str>) -> Error {
    Error::unreachable(clip(url, QUOTED), clip(message.as_ref(), 2 * QUOTED))
}

/// Archived redirects and closest-capture redirects followed for one fetch, at most.
pub const MAX_HOPS: usize = 10;

/// `policydiff/<version> (+repository)`: the archive asks clients to say who they are.
pub const USER_AGENT: &str =
    concat!("policydiff/", env!("CARGO_PKG_VERSION"), " (+https://github.com/policydiff/policydiff)");

/// A client of one Wayback Machine (the real one, or a test's stand-in).
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    /// `host[:port]` of the base: the etiquette's clocks are kept per archive host.
    host: String,
    etiquette: Arc<Etiquette>,
    /// Where capture bodies are streamed while they come (`None`: in memory).
    spool: Option<PathBuf>,
}

/// An answer read to its end.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Body,
    /// The body came gzip-compressed and was decoded here.
    pub gzip_decoded: bool,
}

/// One capture as the archive played it back in raw mode.
#[derive(Debug)]
pub struct Fetched {
    /// The URL asked for.
    pub url: String,
    /// The timestamp asked for.
    pub requested_timestamp: String,
    /// The capture's own timestamp, after the redirects.
    pub timestamp: String,
    /// The URL whose capture was finally served (differs after archived redirects).
    pub final_url: String,
    /// Every archive URL requested, in order.
    pub hops: Vec<String>,
    /// The original headers (`x-archive-orig-*`, prefix removed, lower case), plus
    /// `content-type` and `memento-datetime` as served.
    pub headers: BTreeMap<String, String>,
    /// In a temporary file when the client spools (a client of a store does).
    pub body: Body,
    pub gzip_decoded: bool,
}

impl Fetched {
    /// The page's original Content-Type (its charset matters to the normalizer).
    pub fn original_content_type(&self) -> Option<&str> {
        self.headers.get("orig-content-type").or_else(|| self.headers.get("content-type")).map(String::as_str)
    }
}

enum Attempt {
    Done(Answer),
    /// Worth another try after a backoff: a 5xx, timeout, reset or a body cut short.
    Transient(String),
}

impl Client {
    /// A client with the process-wide etiquette (limits from the environment).
    pub fn new(base: &str) -> Result<Client> {
        Client::with_etiquette(base, Etiquette::shared())
    }

    /// A client whose limits are shared with every process using the store at `store`,
    /// streaming capture bodies to `<store>/.tmp/` (the store renames them into place).
    pub fn for_store(base: &str, store: &Path) -> Result<Client> {
        let etiquette = Etiquette::shared();
        etiquette.share_with_processes(&store.join(".locks"));
        let spool = body::spool_dir(store);
        body::remove_stale(&spool);
        Ok(Client { spool: Some(spool), ..Client::with_etiquette(base, etiquette)? })
    }

    pub fn with_etiquette(base: &str, etiquette: Arc<Etiquette>) -> Result<Client> {
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            // Redirects are the archive's own statements about captures: followed by hand.
            .redirect(reqwest::redirect::Policy::none())
            // Bodies are decoded here, after sniffing, because of the archive's gzip quirk.
            .no_gzip()
            // The time limit of a whole request, body included, is kept in `send_once`.
            .connect_timeout(etiquette.limits.timeout)
            .build()
            .map_err(|e| fail(base, format!("cannot start the HTTP client: {e}")))?;
        let base = base.trim_end_matches('/').to_string();
        let host = reqwest::Url::parse(&base)
            .ok()
            .and_then(|u| {
                Some(format!("{}{}", u.host_str()?, u.port().map_or(String::new(), |p| format!(":{p}"))))
            })
            .unwrap_or_else(|| base.clone());
        Ok(Client { http, base, host, etiquette, spool: None })
    }

    /// `host[:port]` of the archive this client talks to.
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn etiquette(&self) -> &Arc<Etiquette> {
        &self.etiquette
    }

    /// GET with the etiquette: waits for the class's rate limit, honours 429 with a
    /// pause every task observes (a `Retry-After` longer than the longest pause fails at
    /// once), retries 5xx/timeouts/resets/short bodies (and empty capture bodies) with
    /// exponential backoff, up to the configured number of tries. `about` names the
    /// user's URL in errors.
    pub async fn get(&self, class: RequestClass, url: &str, about: &str) -> Result<Answer> {
        let limits = &self.etiquette.limits;
        let mut tries = 0;
        loop {
            tries += 1;
            self.etiquette.acquire(&self.host, class).await;
            tracing::debug!("GET {}", clip(url, QUOTED));
            let spool = if class == RequestClass::Capture { self.spool.as_deref() } else { None };
            let reason = match self.send_once(url, about, spool).await? {
                Attempt::Done(answer) if answer.status == 429 => {
                    let asked = retry_after(&answer.headers);
                    if let Some(asked) = asked.filter(|w| *w > limits.max_pause) {
                        // Other runs sharing the store hold off too, for the longest pause.
                        self.etiquette.pause(&self.host, asked).await;
                        return Err(unreachable(
                            about,
                            format!(
                                "the archive asks us to wait {} (429, Retry-After), longer than the {} this tool waits (POLICYDIFF_MAX_PAUSE_MS); try again later",
                                human_duration(asked),
                                human_duration(limits.max_pause)
                            ),
                        ));
                    }
                    if tries >= limits.max_tries {
                        return Err(unreachable(
                            about,
                            format!("the archive is still rate limiting us (429) after {tries} tries; try again later"),
                        ));
                    }
                    self.etiquette.pause(&self.host, asked.unwrap_or(limits.rate_limit_wait)).await;
                    continue;
                }
                Attempt::Done(answer) if answer.status >= 500 => {
                    format!("the archive answered {}", answer.status)
                }
                // An empty body is not a capture (a CDX answer may be empty: no rows).
                Attempt::Done(answer)
                    if class == RequestClass::Capture
                        && (200..300).contains(&answer.status)
                        && answer.body.is_empty() =>
                {
                    format!("the archive answered {} with an empty body", answer.status)
                }
                Attempt::Done(answer) => return Ok(answer),
                Attempt::Transient(reason) => reason,
            };
            if tries >= limits.max_tries {
                return Err(unreachable(
                    about,
                    format!(
                        "no complete answer from the archive after {tries} tries ({reason}); try again later"
                    ),
                ));
            }
            let delay = limits.backoff(tries);
            tracing::info!("{reason}; retrying in {:.1} s", delay.as_secs_f64());
            tokio::time::sleep(delay).await;
        }
    }

    /// One request, its body read to the end within the time limit and the size limit,
    /// into memory or, with a `spool` folder, into a temporary file there.
    async fn send_once(&self, url: &str, about: &str, spool: Option<&Path>) -> Result<Attempt> {
        let limits = &self.etiquette.limits;
        let deadline = tokio::time::Instant::now() + limits.timeout;
        let limit = format!("{:.1} s", limits.timeout.as_secs_f64());
        let request = self.http.get(url).header(ACCEPT_ENCODING, "identity").send();
        let mut resp = match tokio::time::timeout_at(deadline, request).await {
            Err(_) => return Ok(Attempt::Transient(format!("timed out: no answer within {limit}"))),
            Ok(Err(e)) if e.is_builder() => {
                return Err(fail(about, format!("not a valid request URL ({})", innermost(&e))))
            }
            Ok(Err(e)) => return Ok(Attempt::Transient(describe(&e))),
            Ok(Ok(r)) => r,
        };
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let promised = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
        let max = limits.max_body;
        if promised.is_some_and(|n| n > max) {
            return Err(fail(about, too_large("announces an answer of", max)));
        }
        let spool_error = |e: std::io::Error| {
            Error::store(spool.unwrap_or(Path::new(".")), format!("cannot write a body there: {e}"))
        };
        let mut body = Sink::new(spool, promised.unwrap_or(0) as usize).map_err(spool_error)?;
        loop {
            let chunk = match tokio::time::timeout_at(deadline, resp.chunk()).await {
                Err(_) => {
                    return Ok(Attempt::Transient(format!(
                        "timed out: the body was not complete within {limit} ({} bytes came)",
                        body.len()
                    )))
                }
                Ok(Err(e)) => {
                    return Ok(Attempt::Transient(format!("the body was cut short ({})", describe(&e))))
                }
                Ok(Ok(None)) => break,
                Ok(Ok(Some(chunk))) => chunk,
            };
            if body.len() + chunk.len() as u64 > max {
                return Err(fail(about, too_large("sent an answer of", max)));
            }
            body.write(&chunk).map_err(spool_error)?;
        }
        if let Some(n) = promised {
            if body.len() < n {
                return Ok(Attempt::Transient(format!(
                    "the body was cut short ({} of {n} bytes)",
                    body.len()
                )));
            }
        }
        let body = body.finish().map_err(spool_error)?;
        let (body, gzip_decoded) = match body::decode(&headers, body, max) {
            Ok(decoded) => decoded,
            Err(BodyError::TooLarge) => {
                return Err(fail(about, too_large("sent a body that inflates to", max)))
            }
            Err(BodyError::Truncated) => {
                return Ok(Attempt::Transient("the body was cut short (its gzip stream ends early)".into()))
            }
        };
        Ok(Attempt::Done(Answer { status, headers, body, gzip_decoded }))
    }

    /// The capture listing of `url`, every page of it (`showResumeKey`/`resumeKey`).
    pub async fn list(&self, url: &str, query: &Query) -> Result<Vec<Capture>> {
        let page_size = std::env::var("POLICYDIFF_CDX_PAGE_SIZE")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(10_000);
        let mut captures: Vec<Capture> = Vec::new();
        let mut seen = HashSet::new();
        let mut resume: Option<String> = None;
        for _page in 0..10_000 {
            let mut request = reqwest::Url::parse(&format!("{}/cdx/search/cdx", self.base))
                .map_err(|e| fail(&self.base, format!("not a valid archive URL: {e}")))?;
            {
                let mut q = request.query_pairs_mut();
                q.append_pair("url", url);
                for (k, v) in query.params(page_size) {
                    q.append_pair(k, &v);
                }
                if let Some(key) = &resume {
                    q.append_pair("resumeKey", key);
                }
            }
            let answer = self.get(RequestClass::Cdx, request.as_str(), url).await?;
            if let Some(why) = blocked(&answer) {
                return Err(fail(url, why));
            }
            if answer.status != 200 {
                return Err(fail(url, format!("the archive's capture search answered {}", answer.status)));
            }
            let bytes = answer.body.into_bytes().map_err(|e| fail(url, e.to_string()))?;
            let page = cdx::parse(&bytes).map_err(|e| fail(url, e.to_string()))?;
            for c in page.captures {
                // Pages can overlap; a row is listed once.
                if seen.insert((c.timestamp.clone(), c.digest.clone(), c.original.clone())) {
                    captures.push(c);
                }
            }
            match page.resume_key {
                Some(key) if resume.as_ref() != Some(&key) => resume = Some(key),
                _ => break,
            }
        }
        captures.sort_by(|a, b| a.timestamp.cmp(&b.timestamp));
        if !query.all {
            // Collapsing is per page on the server; finish it across pages.
            captures.dedup_by(|b, a| a.digest == b.digest && a.status == b.status);
        }
        Ok(captures)
    }

    /// The capture of `url` at `timestamp` in raw mode (`/web/<ts>id_/<url>`), following
    /// the archive's closest-capture redirects and archived redirects within the archive.
    pub async fn fetch(&self, url: &str, timestamp: &str) -> Result<Fetched> {
        let mut current = (timestamp.to_string(), url.to_string());
        let mut hops = Vec::new();
        let mut visited = HashSet::new();
        loop {
            let archive_url = self.capture_url(&current.0, &current.1).ok_or_else(|| {
                fail(url, format!("cannot make an archive request of the capture's URL {}", current.1))
            })?;
            if !visited.insert(archive_url.clone()) {
                return Err(fail(
                    url,
                    format!(
                        "the archived redirects at {timestamp} loop (back to {})",
                        clip(&current.1, QUOTED)
                    ),
                ));
            }
            if hops.len() >= MAX_HOPS {
                return Err(fail(url, format!("more than {MAX_HOPS} archived redirects at {timestamp}")));
            }
            hops.push(archive_url.clone());
            let answer = self.get(RequestClass::Capture, &archive_url, url).await?;
            if let Some(why) = blocked(&answer) {
                return Err(fail(url, why));
            }
            match answer.status {
                200..=299 => {
                    let mut headers = BTreeMap::new();
                    for (name, value) in &answer.headers {
                        let name = name.as_str().to_ascii_lowercase();
                        let keep = name.starts_with("x-archive-orig-")
                            || name == "content-type"
                            || name == "memento-datetime";
                        if keep {
                            let key = name.strip_prefix("x-archive-").unwrap_or(&name).to_string();
                            headers.insert(key, String::from_utf8_lossy(value.as_bytes()).into_owned());
                        }
                    }
                    return Ok(Fetched {
                        url: url.to_string(),
                        requested_timestamp: timestamp.to_string(),
                        timestamp: current.0,
                        final_url: current.1,
                        hops,
                        headers,
                        body: answer.body,
                        gzip_decoded: answer.gzip_decoded,
                    });
                }
                300..=399 => {
                    let location = answer
                        .headers
                        .get(LOCATION)
                        .and_then(|v| v.to_str().ok())
                        .ok_or_else(|| fail(url, "the archive answered a redirect without Location"))?;
                    current = self.within_archive(&archive_url, location).ok_or_else(|| {
                        fail(
                            url,
                            format!(
                                "the archived redirect leads out of the archive, to {}",
                                clip(location, QUOTED)
                            ),
                        )
                    })?;
                }
                404 if !answer.headers.contains_key("memento-datetime") => {
                    return Err(fail(
                        url,
                        "the Wayback Machine has not archived this URL (check it with `policydiff captures`)",
                    ));
                }
                status => {
                    return Err(fail(
                        url,
                        format!("the archive answered {status} for the capture at {timestamp}"),
                    ))
                }
            }
        }
    }

    /// `{base}/web/{timestamp}id_/{original}`, with `original`'s dot segments resolved
    /// inside it first: `..` in a URL from the archive never climbs out of
    /// `/web/<ts>id_/`. `None` when the request would still leave that prefix.
    fn capture_url(&self, timestamp: &str, original: &str) -> Option<String> {
        let parsed = reqwest::Url::parse(original)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .or_else(|| reqwest::Url::parse(&format!("http://{original}")).ok());
        let original = parsed.map_or_else(|| original.to_string(), |u| u.to_string());
        let candidate = format!("{}/web/{timestamp}id_/{original}", self.base);
        let prefix = format!(
            "{}/web/{timestamp}id_/",
            reqwest::Url::parse(&self.base).ok()?.path().trim_end_matches('/')
        );
        let request = reqwest::Url::parse(&candidate).ok()?;
        request.path().starts_with(&prefix).then_some(candidate)
    }

    /// `(timestamp, url)` of a redirect target inside the archive, or `None`.
    fn within_archive(&self, from: &str, location: &str) -> Option<(String, String)> {
        let base = reqwest::Url::parse(&self.base).ok()?;
        let target = reqwest::Url::parse(from).ok()?.join(location).ok()?;
        if target.origin() != base.origin() {
            return None;
        }
        let s = target.as_str();
        let path = &s[s.find("://")? + 3..];
        let path = &path[path.find('/')?..];
        let prefix = format!("{}/web/", base.path().trim_end_matches('/'));
        let rest = path.strip_prefix(&prefix)?;
        let (stamp, original) = rest.split_once('/')?;
        let ts: String = stamp.chars().take_while(char::is_ascii_digit).collect();
        if ts.is_empty() || ts.len() > 14 {
            return None;
        }
        let original = if original.contains("://") {
            // `https:/host` can appear when slashes were merged along the way.
            original.to_string()
        } else if let Some(rest) =
            original.strip_prefix("http:/").or_else(|| original.strip_prefix("https:/"))
        {
            format!("{}://{rest}", if original.starts_with("https") { "https" } else { "http" })
        } else {
            format!("http://{original}")
        };
        Some((format!("{ts:0<14}"), original))
    }
}

/// Blocked or excluded URLs, as the archive reports them.
fn blocked(answer: &Answer) -> Option<String> {
    let runtime = answer
        .headers
        .get("x-archive-wayback-runtime-error")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if runtime.contains("RobotAccessControlException") {
        return Some("blocked: the site's robots.txt excludes it from the Wayback Machine".into());
    }
    if runtime.contains("AccessControlException") {
        return Some("blocked: this URL is excluded from the Wayback Machine".into());
    }
    // The playback of an excluded URL is an archive page, not a memento.
    if !answer.headers.contains_key("memento-datetime") && answer.status < 500 {
        let head = answer.body.head(200_000).unwrap_or_default();
        let text = String::from_utf8_lossy(&head);
        if text.contains("has been excluded from the Wayback Machine") {
            return Some("blocked: this URL is excluded from the Wayback Machine".into());
        }
    }
    None
}

/// The error for a body over the size limit.
fn too_large(what: &str, max: u64) -> String {
    format!(
        "the archive {what} more than {} (the limit, POLICYDIFF_MAX_BODY_MB); nothing stored",
        human_bytes(max)
    )
}

fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.0} MB", n as f64 / 1048576.0)
    } else {
        format!("{n} bytes")
    }
}

/// `12 s`, `5 min`, `2.0 h`, `31.7 years`: how long a wait is, for a person.
fn human_duration(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    match s {
        s if s >= 365.25 * 86400.0 => format!("{:.1} years", s / (365.25 * 86400.0)),
        s if s >= 2.0 * 86400.0 => format!("{:.1} days", s / 86400.0),
        s if s >= 2.0 * 3600.0 => format!("{:.1} h", s / 3600.0),
        s if s >= 120.0 => format!("{:.0} min", s / 60.0),
        s => format!("{s:.0} s"),
    }
}

/// `Retry-After` as seconds or an HTTP date, however long it asks for.
fn retry_after(headers: &HeaderMap) -> Option<std::time::Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(std::time::Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let ms = (when.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_milliseconds().max(0);
    Some(std::time::Duration::from_millis(ms as u64))
}

/// The innermost cause says what happened ("connection reset", "unexpected EOF").
fn innermost(e: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = e;
    while let Some(s) = source.source() {
        source = s;
    }
    clip(&source.to_string(), QUOTED).into_owned()
}

fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "connection failed"
    };
    format!("{kind}: {}", innermost(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_in_a_capture_url_stay_below_the_raw_prefix() {
        let c = Client::with_etiquette("http://127.0.0.1:9", Arc::new(Etiquette::new(Default::default())))
            .unwrap();
        let u = c.capture_url("20200101000000", "http://a.com/x/../../../y").unwrap();
        assert_eq!(u, "http://127.0.0.1:9/web/20200101000000id_/http://a.com/y");
        let u = c.capture_url("20200101000000", "a.com/%2e%2e/%2E%2E/p").unwrap();
        assert_eq!(u, "http://127.0.0.1:9/web/20200101000000id_/http://a.com/p");
        let request = reqwest::Url::parse(&u).unwrap();
        assert!(request.path().starts_with("/web/20200101000000id_/"), "{request}");
    }

    #[test]
    fn waits_are_said_in_human_units() {
        use std::time::Duration;
        assert_eq!(human_duration(Duration::from_secs(1_000_000_000)), "31.7 years");
        assert_eq!(human_duration(Duration::from_secs(300)), "5 min");
        assert_eq!(human_duration(Duration::from_secs(12)), "12 s");
    }

    #[test]
    fn redirects_are_read_within_the_archive_only() {
        let c = Client::with_etiquette("http://127.0.0.1:9", Arc::new(Etiquette::new(Default::default())))
            .unwrap();
        let from = "http://127.0.0.1:9/web/2020id_/http://a.com/x";
        assert_eq!(
            c.within_archive(from, "/web/20200201023757id_/https://www.epa.gov/cc?x=1"),
            Some(("20200201023757".into(), "https://www.epa.gov/cc?x=1".into()))
        );
        assert_eq!(
            c.within_archive(from, "http://127.0.0.1:9/web/20200201023757id_/www.epa.gov/cc"),
            Some(("20200201023757".into(), "http://www.epa.gov/cc".into()))
        );
        assert_eq!(c.within_archive(from, "https://evil.example/web/2020id_/x"), None);
    }
}

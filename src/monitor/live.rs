//! The live page of a watch with `--live`: fetched once per check, politely — a
//! User-Agent naming policydiff, a conditional GET (`If-None-Match` with the ETag,
//! `If-Modified-Since` with the Last-Modified of the previous answer), and the site's
//! robots.txt honoured (read once per host and check).
//!
//! What comes back is filed in the store beside the archive's captures, under the time
//! it was fetched, its metadata marked `policydiff-live` (see [`LIVE_HEADER`]).

use std::collections::{BTreeMap, HashMap};

use reqwest::header::{CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};

use crate::archive::client::USER_AGENT;
use crate::archive::{Fetched, Limits};
use crate::error::{Error, Result};

/// The header in a stored capture's metadata that marks it as fetched live.
pub const LIVE_HEADER: &str = "policydiff-live";

/// The product token robots.txt rules are matched against.
const ROBOTS_AGENT: &str = "policydiff";

/// What a conditional GET of the live page gave.
#[derive(Debug)]
pub enum LiveAnswer {
    /// 304: the page has not changed since the validators were taken.
    NotModified,
    /// The page, ready for the store, with its new validators.
    Page { fetched: Box<Fetched>, etag: Option<String>, last_modified: Option<String> },
}

/// Fetches live pages for one check.
#[derive(Debug)]
pub struct Live {
    http: reqwest::Client,
    limits: Limits,
    /// robots.txt per origin, read once per check: `None` when there is none.
    robots: HashMap<String, Option<texting_robots::Robot>>,
}

impl Live {
    pub fn new(limits: Limits) -> Result<Live> {
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(limits.timeout)
            .connect_timeout(limits.timeout)
            .build()
            .map_err(|e| Error::Usage(format!("cannot start the HTTP client: {e}")))?;
        Ok(Live { http, limits, robots: HashMap::new() })
    }

    /// GETs `url` unless robots.txt forbids it, conditionally on the validators given.
    /// `timestamp` is the 14-digit time it is filed under.
    pub async fn get(
        &mut self,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
        timestamp: &str,
    ) -> Result<LiveAnswer> {
        if !self.allowed(url).await? {
            return Err(Error::input(
                url,
                "the site's robots.txt does not allow policydiff to fetch the live page; remove the watch's --live (watch remove, then add without it)",
            ));
        }
        let mut request = self.http.get(url);
        if let Some(tag) = etag {
            request = request.header(IF_NONE_MATCH, tag);
        }
        if let Some(date) = last_modified {
            request = request.header(IF_MODIFIED_SINCE, date);
        }
        let resp = self.send(request, url).await?;
        let status = resp.status().as_u16();
        if status == 304 {
            return Ok(LiveAnswer::NotModified);
        }
        if !(200..300).contains(&status) {
            return Err(Error::input(url, format!("the live page answered {status}")));
        }
        let header = |name: reqwest::header::HeaderName| {
            resp.headers().get(name).and_then(|v| v.to_str().ok()).map(String::from)
        };
        let (etag, last_modified, content_type) = (header(ETAG), header(LAST_MODIFIED), header(CONTENT_TYPE));
        let final_url = resp.url().to_string();
        // Capped like the archive's answers (POLICYDIFF_MAX_BODY_MB): a page never grows
        // without end in memory.
        let max = self.limits.max_body;
        let mut resp = resp;
        let mut body = Vec::new();
        while let Some(chunk) =
            resp.chunk().await.map_err(|e| Error::input(url, format!("the live page was cut short: {e}")))?
        {
            if (body.len() + chunk.len()) as u64 > max {
                return Err(Error::input(
                    url,
                    format!(
                        "the live page is larger than {} MB (the limit, POLICYDIFF_MAX_BODY_MB)",
                        max >> 20
                    ),
                ));
            }
            body.extend_from_slice(&chunk);
        }
        let mut headers = BTreeMap::new();
        headers.insert(LIVE_HEADER.to_string(), "true".to_string());
        if let Some(ct) = &content_type {
            headers.insert("content-type".into(), ct.clone());
        }
        for (k, v) in [("etag", &etag), ("last-modified", &last_modified)] {
            if let Some(v) = v {
                headers.insert(k.into(), v.clone());
            }
        }
        let fetched = Fetched {
            url: url.to_string(),
            requested_timestamp: timestamp.to_string(),
            timestamp: timestamp.to_string(),
            final_url,
            hops: vec![url.to_string()],
            headers,
            body: body.into(),
            gzip_decoded: false,
        };
        Ok(LiveAnswer::Page { fetched: Box::new(fetched), etag, last_modified })
    }

    /// Sends with a retry or two on 5xx, timeouts and connection errors.
    async fn send(&self, request: reqwest::RequestBuilder, url: &str) -> Result<reqwest::Response> {
        let tries = self.limits.max_tries.min(3);
        let mut n = 0;
        loop {
            n += 1;
            let attempt = request.try_clone().map(|r| r.send());
            let why = match attempt {
                None => return Err(Error::input(url, "cannot repeat the request")),
                Some(sent) => match sent.await {
                    Ok(resp) if resp.status().is_server_error() && n < tries => {
                        format!("the live page answered {}", resp.status().as_u16())
                    }
                    Ok(resp) => return Ok(resp),
                    Err(e) if e.is_builder() => {
                        return Err(Error::input(url, format!("not a valid URL: {e}")))
                    }
                    Err(e) if n >= tries => return Err(Error::input(url, format!("the live page: {e}"))),
                    Err(e) => e.to_string(),
                },
            };
            tracing::info!("{url}: {why}; retrying");
            tokio::time::sleep(self.limits.backoff(n)).await;
        }
    }

    /// Whether robots.txt lets policydiff fetch `url`. No robots.txt (4xx) allows all;
    /// one that cannot be read now (5xx, unreachable) allows nothing, this time.
    async fn allowed(&mut self, url: &str) -> Result<bool> {
        let robots_url = texting_robots::get_robots_url(url)
            .map_err(|e| Error::input(url, format!("not a URL a live page can be fetched from: {e}")))?;
        if !self.robots.contains_key(&robots_url) {
            let resp = self.send(self.http.get(&robots_url), &robots_url).await?;
            let status = resp.status().as_u16();
            let robot = match status {
                200..=299 => {
                    let text = resp.bytes().await.map_err(|e| Error::input(&robots_url, e.to_string()))?;
                    texting_robots::Robot::new(ROBOTS_AGENT, &text).ok()
                }
                400..=499 => None,
                _ => {
                    return Err(Error::input(
                        &robots_url,
                        format!(
                            "robots.txt answered {status}; the live page is not fetched until it can be read"
                        ),
                    ))
                }
            };
            self.robots.insert(robots_url.clone(), robot);
        }
        Ok(self.robots.get(&robots_url).and_then(Option::as_ref).is_none_or(|r| r.allowed(url)))
    }
}

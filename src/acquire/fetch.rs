//! Captures into the store: one at a time, or a range with a progress callback.

use std::collections::HashSet;

use futures_util::stream::{self, StreamExt};

use crate::archive::Capture;
use crate::error::{Error, Result};
use crate::store::Stored;

use super::Acquirer;

/// A capture in the store, and whether this call downloaded it.
#[derive(Debug, Clone)]
pub struct Fetch {
    pub stored: Stored,
    pub downloaded: bool,
}

/// How far a [`Acquirer::download`] has come; given to its callback after each capture.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// Captures finished (stored, found stored, or failed).
    pub done: usize,
    /// Captures to do (distinct digests of the range).
    pub total: usize,
    /// The capture just finished.
    pub capture: &'a Capture,
}

/// A capture that could not be fetched, and why.
#[derive(Debug)]
pub struct Failed {
    pub capture: Capture,
    pub error: Error,
}

/// What a download did.
#[derive(Debug, Default)]
pub struct Summary {
    pub downloaded: usize,
    pub already: usize,
    /// Every capture now in the store, oldest first.
    pub stored: Vec<Stored>,
    /// Oldest first.
    pub failed: Vec<Failed>,
}

/// Redirect captures share the digest of an empty body: only 200s are told by digest.
fn has_content_digest(c: &Capture) -> bool {
    c.status == Some(200) && c.digest != "-"
}

impl Acquirer {
    /// One capture of `url` into the store, under its lock, unless the store holds it
    /// (same timestamp, or same content digest). Offline, a capture missing from the
    /// store is an error naming `--offline`.
    pub async fn fetch(&self, url: &str, capture: &Capture) -> Result<Fetch> {
        let store = &self.store;
        let lock = {
            let (s, u, ts) = (store.clone(), url.to_string(), capture.timestamp.clone());
            tokio::task::spawn_blocking(move || s.lock(&u, &ts))
                .await
                .map_err(|e| Error::store(store.root(), e.to_string()))??
        };
        if let Some(stored) = store.capture(url, &capture.timestamp)? {
            return Ok(Fetch { stored, downloaded: false });
        }
        if has_content_digest(capture) {
            if let Some(stored) = store.capture_with_digest(url, &capture.digest)? {
                return Ok(Fetch { stored, downloaded: false });
            }
        }
        let Some(client) = &self.client else {
            return Err(Error::archive(
                url,
                format!(
                    "capture {} is not in the store {} and --offline is set; run `policydiff fetch {url} --at {}` online",
                    capture.timestamp,
                    store.dir(url).map(|d| d.display().to_string()).unwrap_or_default(),
                    capture.timestamp
                ),
            ));
        };
        // The listing's own URL (scheme, port) names the capture most exactly.
        let mut fetched = client.fetch(&capture.original, &capture.timestamp).await?;
        fetched.url = url.to_string();
        let stored = store.put(&fetched, &capture.timestamp, Some(capture))?;
        drop(lock);
        Ok(Fetch { stored, downloaded: true })
    }

    /// Every capture of `captures` (of `url`) into the store, a bounded number at once;
    /// a digest listed twice is fetched once. `progress` is called after each capture.
    /// Failures do not stop the others: they are in [`Summary::failed`].
    pub async fn download(
        &self,
        url: &str,
        captures: &[Capture],
        progress: &(dyn Fn(Progress<'_>) + Sync),
    ) -> Summary {
        let mut seen = HashSet::new();
        let unique: Vec<&Capture> =
            captures.iter().filter(|c| !has_content_digest(c) || seen.insert(c.digest.as_str())).collect();
        let total = unique.len();
        let concurrency = self.client.as_ref().map_or(1, |c| c.etiquette().limits.concurrency.max(1));
        let done = std::sync::atomic::AtomicUsize::new(0);
        let results: Vec<(&Capture, Result<Fetch>)> = stream::iter(unique)
            .map(|c| {
                let done = &done;
                async move {
                    let r = self.fetch(url, c).await;
                    let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    progress(Progress { done: n, total, capture: c });
                    (c, r)
                }
            })
            .buffer_unordered(concurrency)
            .collect()
            .await;
        let mut summary = Summary::default();
        for (capture, r) in results {
            match r {
                Ok(f) => {
                    if f.downloaded {
                        summary.downloaded += 1;
                    } else {
                        summary.already += 1;
                    }
                    summary.stored.push(f.stored);
                }
                Err(error) => summary.failed.push(Failed { capture: capture.clone(), error }),
            }
        }
        summary.stored.sort_by(|a, b| a.meta.timestamp.cmp(&b.meta.timestamp));
        summary.failed.sort_by(|a, b| a.capture.timestamp.cmp(&b.capture.timestamp));
        summary
    }
}

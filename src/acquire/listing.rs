//! Which captures a URL has, and which one a DATE means.

use crate::archive::{cdx, Capture, Query};
use crate::date::DateSpec;
use crate::error::{Error, Result};
use crate::store::{Listing, Store};

use super::Acquirer;

/// The capture a DATE names: the first inside its span, else the nearest; without a
/// DATE the newest.
pub fn choose<'a>(captures: &'a [Capture], date: Option<&DateSpec>) -> Option<&'a Capture> {
    match date {
        Some(d) => cdx::closest(captures, d),
        None => cdx::newest(captures),
    }
}

fn describe_date(date: Option<&DateSpec>) -> String {
    date.map_or("the newest capture".to_string(), |d| format!("the capture closest to {d}"))
}

fn cache_key(url: &str, query: &Query) -> String {
    let bound = |d: &Option<DateSpec>| d.map(|d| d.to_string()).unwrap_or_default();
    format!("{url} {} {} {}", bound(&query.from), bound(&query.to), query.all)
}

impl Acquirer {
    /// The captures of `url` in `query`'s range, oldest first. Online: the CDX listing,
    /// asked once per URL and range in this process and cached in the store. Offline:
    /// the listing cached in the store, or without one the captures the store holds.
    pub async fn list(&self, url: &str, query: &Query) -> Result<Vec<Capture>> {
        let Some(client) = &self.client else {
            return self.list_offline(url, query);
        };
        let key = cache_key(url, query);
        if let Some(known) = self.listings.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(known);
        }
        let listed = client.list(url, query).await?;
        if let Err(e) = self.store.save_listing(url, &listed, query.all) {
            tracing::warn!("could not cache the listing: {e}");
        }
        if let Ok(mut m) = self.listings.lock() {
            m.insert(key, listed.clone());
        }
        Ok(listed)
    }

    fn list_offline(&self, url: &str, query: &Query) -> Result<Vec<Capture>> {
        let listing = match self.store.listing(url)? {
            Some(listing) => {
                if query.all && !listing.all {
                    tracing::warn!("the cached listing has one row per distinct digest, not every capture");
                }
                listing
            }
            None => stored_as_listing(&self.store, url)?.ok_or_else(|| {
                Error::archive(
                    url,
                    format!(
                        "no cached capture listing and nothing stored for this URL in the store {} \
                         (and --offline is set); run `policydiff fetch {url}` online first",
                        self.store.root().display()
                    ),
                )
            })?,
        };
        let mut captures: Vec<Capture> =
            listing.captures.into_iter().filter(|c| query.contains(&c.timestamp)).collect();
        captures.sort_by(|a, b| a.timestamp.cmp(&b.timestamp));
        Ok(captures)
    }

    /// The capture of `url` that DATE names (the newest without one), from the whole
    /// listing.
    pub async fn resolve(&self, url: &str, date: Option<&DateSpec>) -> Result<Capture> {
        let listed = self.list(url, &Query::default()).await?;
        choose(&listed, date).cloned().ok_or_else(|| {
            let why = if self.is_offline() {
                format!(
                    "the cached listing in {} has no capture for {}",
                    self.store.dir(url).map(|d| d.display().to_string()).unwrap_or_default(),
                    describe_date(date)
                )
            } else {
                "the Wayback Machine lists no capture of this URL (status 200 HTML)".to_string()
            };
            Error::archive(url, why)
        })
    }
}

/// Without a cached listing, the captures the store holds, as a listing.
fn stored_as_listing(store: &Store, url: &str) -> Result<Option<Listing>> {
    let stored = store.captures(url)?;
    if stored.is_empty() {
        return Ok(None);
    }
    tracing::debug!("no cached listing for {url}: listing the captures in the store");
    Ok(Some(Listing {
        url: url.to_string(),
        taken_at: String::new(),
        all: false,
        captures: stored
            .into_iter()
            .map(|s| Capture {
                timestamp: s.meta.timestamp,
                original: s.meta.url,
                mimetype: s.meta.content_type.unwrap_or_default(),
                status: Some(200),
                digest: s.meta.cdx_digest.unwrap_or(s.meta.sha1),
                length: Some(s.meta.length),
            })
            .collect(),
    }))
}

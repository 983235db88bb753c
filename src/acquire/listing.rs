//! Which captures a URL has, and which one a DATE means.

use std::sync::Arc;

use crate::archive::{cdx, Capture, Client, Etiquette, Limits, Query};
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
        Ok(self.remember(url, query, listed))
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
    ///
    /// When the archive cannot be reached, the store stands in: if it holds the capture
    /// the date names (by its cached listing, or its captures), that capture is used
    /// after one try, with one line on stderr saying so; if not, a line says at once
    /// that the archive is being retried, and the final error names `--offline`.
    pub async fn resolve(&self, url: &str, date: Option<&DateSpec>) -> Result<Capture> {
        let listed = match self.list_or_fall_back(url, date).await? {
            Listed::Archive(listed) => listed,
            Listed::Store(capture) => return Ok(capture),
        };
        let chosen = choose(&listed, date).cloned();
        if let (Some(c), Some(d)) = (&chosen, date) {
            if c.timestamp < d.start() || c.timestamp > d.end() {
                tracing::warn!(
                    "{}: no capture in {d}; using the nearest, {} ({})",
                    crate::escape::one_line(url),
                    c.timestamp,
                    crate::provenance::SourceInfo::capture("", url, c.timestamp.clone())
                        .date()
                        .unwrap_or_default()
                );
            }
        }
        chosen.ok_or_else(|| {
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

    /// The whole listing from the archive; or, when the archive cannot be reached, the
    /// stored capture that stands in for it.
    async fn list_or_fall_back(&self, url: &str, date: Option<&DateSpec>) -> Result<Listed> {
        let query = Query::default();
        let Some(client) = &self.client else {
            return Ok(Listed::Archive(self.list(url, &query).await?));
        };
        let known = self.listings.lock().ok().and_then(|m| m.get(&cache_key(url, &query)).cloned());
        if let Some(known) = known {
            return Ok(Listed::Archive(known));
        }
        // One try first: a healthy archive answers it; a down one is found out at once.
        let once = Client::with_etiquette(&self.archive, one_try(client))?;
        let reason = match once.list(url, &query).await {
            Ok(listed) => return Ok(Listed::Archive(self.remember(url, &query, listed))),
            Err(e) if !e.is_unreachable() => return Err(e),
            Err(e) => short_reason(&e.to_string()),
        };
        if let Some(stored) = self.stored_stand_in(url, date) {
            tracing::warn!(
                "the archive cannot be reached ({reason}); using capture {} of {} from the store",
                stored.timestamp,
                crate::escape::one_line(url)
            );
            return Ok(Listed::Store(stored));
        }
        let retrying = Retrying::start(&format!(
            "the archive cannot be reached ({reason}); retrying, up to {} tries…",
            client.etiquette().limits.max_tries
        ));
        let listed = self.list(url, &query).await;
        retrying.finish();
        match listed {
            Ok(listed) => Ok(Listed::Archive(listed)),
            Err(e) if e.is_unreachable() => Err(Error::unreachable(
                url,
                format!(
                    "{}; nothing for it is in the store {}: try again later, or use --offline with a store that holds it",
                    short_reason(&e.to_string()),
                    self.store.root().display()
                ),
            )),
            Err(e) => Err(e),
        }
    }

    fn remember(&self, url: &str, query: &Query, listed: Vec<Capture>) -> Vec<Capture> {
        if let Err(e) = self.store.save_listing(url, &listed, query.all) {
            tracing::warn!("could not cache the listing: {e}");
        }
        if let Ok(mut m) = self.listings.lock() {
            m.insert(cache_key(url, query), listed.clone());
        }
        listed
    }

    /// The capture DATE names among what the store knows, if the store holds it.
    fn stored_stand_in(&self, url: &str, date: Option<&DateSpec>) -> Option<Capture> {
        let known = self.list_offline(url, &Query::default()).ok()?;
        let pick = choose(&known, date)?;
        let held = self.store.capture(url, &pick.timestamp).ok().flatten().is_some()
            || (pick.status == Some(200)
                && self.store.capture_with_digest(url, &pick.digest).ok().flatten().is_some());
        held.then(|| pick.clone())
    }
}

enum Listed {
    Archive(Vec<Capture>),
    Store(Capture),
}

/// The client's limits with a single try, sharing the store's cross-process limits.
fn one_try(client: &Client) -> Arc<Etiquette> {
    let limits = Limits { max_tries: 1, ..client.etiquette().limits.clone() };
    Arc::new(Etiquette::new(limits))
}

/// Says at once that the archive is being retried: a spinner on a terminal, one line
/// cut to the terminal's width (a wrapped line would not redraw in place), cleared
/// when the retries end: the answer, or the error line naming `--offline`, follows),
/// one plain warning line otherwise (a pipe, a log, `-q` shows neither).
enum Retrying {
    Spinner(indicatif::ProgressBar),
    Line,
}

impl Retrying {
    fn start(message: &str) -> Retrying {
        use std::io::IsTerminal;
        let shown = tracing::enabled!(tracing::Level::WARN);
        if shown && std::io::stderr().is_terminal() {
            let spinner = indicatif::ProgressBar::new_spinner();
            let style = indicatif::ProgressStyle::with_template("{spinner} {elapsed:>3} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
            spinner.set_style(style);
            // "⠒  4s " takes 7 columns; one more keeps the cursor off the last column.
            let width = terminal_size::terminal_size_of(std::io::stderr()).map_or(80, |(w, _)| w.0 as usize);
            spinner.set_message(cut_to(&format!("policydiff: {message}"), width.saturating_sub(8)));
            spinner.enable_steady_tick(std::time::Duration::from_millis(120));
            return Retrying::Spinner(spinner);
        }
        tracing::warn!("{message}");
        Retrying::Line
    }

    fn finish(self) {
        if let Retrying::Spinner(spinner) = self {
            spinner.finish_and_clear();
        }
    }
}

/// `text` cut to `columns` characters, the last one an ellipsis when cut.
fn cut_to(text: &str, columns: usize) -> String {
    if text.chars().count() <= columns {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(columns.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// "no complete answer from the archive after 1 tries (the archive answered 503); try
/// again later" → "the archive answered 503".
fn short_reason(text: &str) -> String {
    let inner = text.split_once(" (").and_then(|(_, rest)| rest.rsplit_once(')')).map(|(r, _)| r);
    crate::escape::one_line(inner.unwrap_or(text)).into_owned()
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

#[cfg(test)]
mod tests {
    use super::cut_to;

    #[test]
    fn a_retrying_line_is_cut_to_the_terminal_width_with_an_ellipsis() {
        assert_eq!(cut_to("policydiff: retrying", 40), "policydiff: retrying");
        let cut = cut_to("policydiff: the archive cannot be reached (could not connect)", 20);
        assert_eq!(cut.chars().count(), 20);
        assert!(cut.ends_with('…'));
        assert_eq!(cut_to("abc", 0), "…");
    }
}

//! One module per command: each turns parsed arguments into work for the pipeline
//! stages and writes the result. Nothing here parses HTML or diffs text.

pub mod captures;
pub mod diff;
pub mod fetch;
pub mod text;

use std::collections::HashMap;

use crate::archive::{cdx, Capture, Client, Query};
use crate::cli::Config;
use crate::date::DateSpec;
use crate::error::{Error, Result};
use crate::normalize::{self, InputKind};
use crate::source::{Loaded, SourceInfo};
use crate::store::{Store, Stored};

/// Loads `URL@DATE` (or the newest capture of `URL`) from the store or the archive.
///
/// Online, the capture closest to DATE is chosen from a fresh CDX listing and fetched
/// unless the store has it. With `--offline`, the choice is made from the cached listing
/// (or, without one, from the captures in the store) and nothing is requested.
pub fn load_archived(arg: &str, url: &str, date: Option<DateSpec>, config: &Config) -> Result<Loaded> {
    let store = Store::new(&config.store);
    let stored = if config.offline {
        resolve_offline(&store, url, date.as_ref())?
    } else {
        fetch::runtime()?.block_on(resolve_online(&store, url, date.as_ref(), config))?
    };
    let bytes = store.read_body(&stored)?;
    let mut options = config.normalize_options();
    options.content_type = stored.meta.content_type.clone();
    let kind = match &options.content_type {
        Some(ct) if !ct.to_ascii_lowercase().contains("html") => InputKind::Sniff,
        _ => InputKind::Html,
    };
    let document = normalize::normalize(&bytes, kind, &options).map_err(|e| {
        Error::input(arg, format!("{e} (capture {} in {})", stored.meta.timestamp, stored.html.display()))
    })?;
    Ok(Loaded {
        info: SourceInfo {
            source: arg.to_string(),
            url: Some(url.to_string()),
            timestamp: Some(stored.meta.capture_timestamp.clone()),
            title: document.title.clone(),
        },
        document,
    })
}

fn choose<'a>(captures: &'a [Capture], date: Option<&DateSpec>) -> Option<&'a Capture> {
    match date {
        Some(d) => cdx::closest(captures, d),
        None => cdx::newest(captures),
    }
}

fn describe_date(date: Option<&DateSpec>) -> String {
    date.map_or("the newest capture".to_string(), |d| format!("the capture closest to {d}"))
}

fn resolve_offline(store: &Store, url: &str, date: Option<&DateSpec>) -> Result<Stored> {
    let stored = store.captures(url)?;
    let dir = store.dir(url)?;
    if let Some(listing) = store.listing(url)? {
        let Some(pick) = choose(&listing.captures, date) else {
            return Err(Error::archive(url, format!("the cached listing in {} is empty", dir.display())));
        };
        let found = stored.iter().find(|s| s.meta.timestamp == pick.timestamp).or_else(|| {
            stored
                .iter()
                .find(|s| pick.status == Some(200) && s.meta.cdx_digest.as_deref() == Some(&pick.digest))
        });
        return found.cloned().ok_or_else(|| {
            Error::archive(
                url,
                format!(
                    "{} ({}) is not in the store {} and --offline is set; run `policydiff fetch {url} --at {}` online",
                    describe_date(date),
                    pick.timestamp,
                    dir.display(),
                    pick.timestamp
                ),
            )
        });
    }
    // No listing cached: choose among the captures the store holds.
    let as_captures: Vec<Capture> = stored
        .iter()
        .map(|s| Capture {
            timestamp: s.meta.timestamp.clone(),
            original: s.meta.url.clone(),
            mimetype: String::new(),
            status: Some(200),
            digest: s.meta.sha1.clone(),
            length: Some(s.meta.length),
        })
        .collect();
    let pick = choose(&as_captures, date).ok_or_else(|| {
        Error::archive(
            url,
            format!(
                "nothing stored for this URL in {} and --offline is set; run `policydiff fetch {url}` online first",
                dir.display()
            ),
        )
    })?;
    let timestamp = pick.timestamp.clone();
    stored
        .into_iter()
        .find(|s| s.meta.timestamp == timestamp)
        .ok_or_else(|| Error::store(&dir, format!("capture {timestamp} vanished while reading")))
}

async fn resolve_online(
    store: &Store,
    url: &str,
    date: Option<&DateSpec>,
    config: &Config,
) -> Result<Stored> {
    let client = Client::for_store(&config.wayback_url, &config.store)?;
    // One CDX request per URL and process: `diff URL --from --to` loads two captures.
    static LISTED: std::sync::OnceLock<std::sync::Mutex<HashMap<String, Vec<Capture>>>> =
        std::sync::OnceLock::new();
    let memo = LISTED.get_or_init(Default::default);
    let known = memo.lock().ok().and_then(|m| m.get(url).cloned());
    let listed = match known {
        Some(listed) => listed,
        None => {
            let listed = client.list(url, &Query::default()).await?;
            if let Err(e) = store.save_listing(url, &listed, false) {
                tracing::warn!("could not cache the listing: {e}");
            }
            if let Ok(mut m) = memo.lock() {
                m.insert(url.to_string(), listed.clone());
            }
            listed
        }
    };
    let pick = choose(&listed, date).ok_or_else(|| {
        Error::archive(url, "the Wayback Machine lists no capture of this URL (status 200 HTML)")
    })?;
    let (stored, _) = fetch::fetch_one(&client, store, url, pick).await?;
    Ok(stored)
}

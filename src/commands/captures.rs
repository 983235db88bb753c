//! `policydiff captures URL`: list a URL's captures (from the archive, or the cached
//! listing with --offline).

use std::io::Write;

use crate::archive::{Capture, Client, Query};
use crate::cli::{CapturesArgs, Config, TableFormat};
use crate::date::parse_timestamp;
use crate::error::{Error, Result};
use crate::exit_codes;
use crate::store::Store;

pub fn run(args: &CapturesArgs, config: &Config) -> Result<u8> {
    let store = Store::new(&config.store);
    let query = Query { from: args.from, to: args.to, all: args.all };
    let captures: Vec<Capture> = if config.offline {
        let listing = store.listing(&args.url)?.or_else(|| stored_as_listing(&store, &args.url)).ok_or_else(|| {
            Error::archive(
                &args.url,
                format!(
                    "no cached capture listing in the store {} (and --offline is set); run `policydiff captures {}` online first",
                    store.root().display(),
                    args.url
                ),
            )
        })?;
        if args.all && !listing.all {
            tracing::warn!("the cached listing has one row per distinct digest, not every capture");
        }
        listing.captures.into_iter().filter(|c| query.contains(&c.timestamp)).collect()
    } else {
        let rt = super::fetch::runtime()?;
        let captures = rt.block_on(async {
            Client::for_store(&config.wayback_url, &config.store)?.list(&args.url, &query).await
        })?;
        if let Err(e) = store.save_listing(&args.url, &captures, args.all) {
            tracing::warn!("could not cache the listing: {e}");
        }
        captures
    };
    let text = match args.format {
        TableFormat::Json => {
            let rows: Vec<_> = captures
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "timestamp": c.timestamp, "date": date_of(&c.timestamp), "original": c.original,
                        "mimetype": c.mimetype, "status": c.status, "digest": c.digest, "length": c.length,
                    })
                })
                .collect();
            let value = serde_json::json!({"url": args.url, "captures": rows});
            format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default())
        }
        TableFormat::Table => table(&captures),
    };
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => Ok(exit_codes::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(exit_codes::SUCCESS),
        Err(e) => Err(Error::Usage(format!("writing output: {e}"))),
    }
}

/// Without a cached listing, the captures the store holds.
fn stored_as_listing(store: &Store, url: &str) -> Option<crate::store::Listing> {
    let stored = store.captures(url).ok().filter(|s| !s.is_empty())?;
    tracing::warn!("no cached listing for {url}: listing the captures in the store");
    Some(crate::store::Listing {
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
    })
}

fn date_of(ts: &str) -> String {
    parse_timestamp(ts).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_default()
}

fn table(captures: &[Capture]) -> String {
    let mut out = format!(
        "{:<14}  {:<20}  {:>6}  {:<24}  {:>8}  {:<32}  {}\n",
        "TIMESTAMP", "DATE", "STATUS", "MIME", "LENGTH", "DIGEST", "URL"
    );
    for c in captures {
        out.push_str(&format!(
            "{:<14}  {:<20}  {:>6}  {:<24}  {:>8}  {:<32}  {}\n",
            c.timestamp,
            date_of(&c.timestamp),
            c.status.map_or("-".to_string(), |s| s.to_string()),
            c.mimetype,
            c.length.map_or("-".to_string(), |l| l.to_string()),
            c.digest,
            c.original
        ));
    }
    out.push_str(&format!("{} captures\n", captures.len()));
    out
}

//! `policydiff fetch URL`: download captures into the store, each once, politely.

use std::collections::HashSet;
use std::sync::Arc;

use futures_util::stream::{self, StreamExt};
use indicatif::{ProgressBar, ProgressStyle};

use crate::archive::{cdx, Capture, Client, Query};
use crate::cli::{Config, FetchArgs};
use crate::error::{Error, Result};
use crate::exit_codes;
use crate::store::{Store, Stored};

/// A runtime for one command: the archive client is async, the commands are not.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the async runtime: {e}")))
}

/// The error `--offline` gives for work that needs the network.
pub(crate) fn offline_error(url: &str, what: &str) -> Error {
    Error::archive(url, format!("{what} needs the network, and --offline (POLICYDIFF_OFFLINE) is set"))
}

pub fn run(args: &FetchArgs, config: &Config) -> Result<u8> {
    if config.offline {
        return Err(offline_error(&args.url, "fetch"));
    }
    let store = Store::new(&config.store);
    let rt = runtime()?;
    rt.block_on(async {
        let client = Client::for_store(&config.wayback_url, &config.store)?;
        let query = Query { from: args.from, to: args.to, all: false };
        let listed = client.list(&args.url, &query).await?;
        store.save_listing(&args.url, &listed, false)?;
        let chosen: Vec<Capture> = match &args.at {
            Some(at) => cdx::closest(&listed, at).cloned().into_iter().collect(),
            None => listed,
        };
        if chosen.is_empty() {
            return Err(Error::archive(&args.url, "the archive lists no capture of this URL in that range"));
        }
        let bar = progress_bar(config, chosen.len());
        let summary = download(&client, &store, &args.url, &chosen, &bar).await;
        bar.finish_and_clear();
        let dir = store.dir(&args.url)?;
        println!(
            "{}: {} downloaded, {} already in the store ({})",
            args.url,
            summary.downloaded,
            summary.already,
            dir.display()
        );
        for e in &summary.failed[1.min(summary.failed.len())..] {
            tracing::error!("{e}");
        }
        match summary.failed.into_iter().next() {
            Some(first) => Err(first),
            None => Ok(exit_codes::SUCCESS),
        }
    })
}

/// A bar on a terminal, unless `-q`; nothing when stderr is piped.
fn progress_bar(config: &Config, len: usize) -> ProgressBar {
    if !config.stderr_is_terminal || !tracing::enabled!(tracing::Level::WARN) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    let style =
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} captures {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// What a download run did.
#[derive(Debug, Default)]
pub struct Summary {
    pub downloaded: usize,
    pub already: usize,
    pub stored: Vec<Stored>,
    pub failed: Vec<Error>,
}

/// Downloads the captures that are not yet stored, a bounded number at once; a capture
/// whose digest is stored (or listed twice) is not downloaded again.
pub async fn download(
    client: &Client,
    store: &Store,
    url: &str,
    captures: &[Capture],
    bar: &ProgressBar,
) -> Summary {
    let mut seen = HashSet::new();
    let unique: Vec<Capture> = captures
        .iter()
        .filter(|c| !has_content_digest(c) || seen.insert(c.digest.clone()))
        .cloned()
        .collect();
    bar.set_length(unique.len() as u64);
    let concurrency = client.etiquette().limits.concurrency;
    let store = Arc::new(store.clone());
    let results: Vec<Result<(Stored, bool)>> = stream::iter(unique)
        .map(|c| {
            let store = store.clone();
            async move {
                let r = fetch_one(client, &store, url, &c).await;
                bar.inc(1);
                r
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let mut summary = Summary::default();
    for r in results {
        match r {
            Ok((s, true)) => {
                summary.downloaded += 1;
                summary.stored.push(s);
            }
            Ok((s, false)) => {
                summary.already += 1;
                summary.stored.push(s);
            }
            Err(e) => summary.failed.push(e),
        }
    }
    summary.stored.sort_by(|a, b| a.meta.timestamp.cmp(&b.meta.timestamp));
    summary
}

/// Redirect captures share the digest of an empty body: only 200s are told by digest.
fn has_content_digest(c: &Capture) -> bool {
    c.status == Some(200) && c.digest != "-"
}

/// One capture into the store, under its lock; `true` when it was downloaded now.
pub async fn fetch_one(
    client: &Client,
    store: &Store,
    url: &str,
    capture: &Capture,
) -> Result<(Stored, bool)> {
    let lock = {
        let (s, u, ts) = (store.clone(), url.to_string(), capture.timestamp.clone());
        tokio::task::spawn_blocking(move || s.lock(&u, &ts))
            .await
            .map_err(|e| Error::store(store.root(), e.to_string()))??
    };
    if let Some(s) = store.capture(url, &capture.timestamp)? {
        return Ok((s, false));
    }
    if has_content_digest(capture) {
        if let Some(s) = store.capture_with_digest(url, &capture.digest)? {
            return Ok((s, false));
        }
    }
    // The listing's own URL (scheme, port) names the capture most exactly.
    let mut fetched = client.fetch(&capture.original, &capture.timestamp).await?;
    fetched.url = url.to_string();
    let stored = store.put(&fetched, &capture.timestamp, Some(capture))?;
    drop(lock);
    Ok((stored, true))
}

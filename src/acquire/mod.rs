//! The acquiring stage: a SOURCE or a capture in, a [`Document`] with its
//! [`SourceInfo`] (provenance) out.
//!
//! [`Acquirer`] owns the way to the archive (a [`Client`], or none at all when offline),
//! the [`Store`], the normalizer's options and a listing cache, so that a process asks
//! the CDX server about a URL once. Its steps can be used one by one:
//! [`Acquirer::list`] (the captures of a URL in a range), [`Acquirer::resolve`] (the capture for
//! a DATE), [`Acquirer::fetch`] (one capture into the store), [`Acquirer::download`] (a
//! range, with a progress callback), [`Acquirer::load_stored`] (read and normalize what
//! is stored) — or all at once with [`Acquirer::load`], which takes a SOURCE argument.
//!
//! Everything that may touch the network is `async`; the process runs one tokio runtime
//! (built in `main`) and nothing here builds another. Offline is "no client": then
//! every answer comes from the store, and what is missing there is an error naming
//! `--offline`. What this module does not do: parse command lines, render, or diff.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! use policydiff::acquire::Acquirer;
//! use policydiff::store::Store;
//! let snapshots = concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots");
//! let acquirer = Acquirer::offline(Store::new(snapshots));
//! let loaded = acquirer.load("https://www.nakivo.com/support/privacy-policy@2017").await.unwrap();
//! assert_eq!(loaded.info.timestamp.as_deref(), Some("20171211160722"));
//! assert!(loaded.document.sections.len() > 3);
//! # });
//! ```

mod fetch;
mod listing;
mod load;
pub mod source;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::archive::{Capture, Client};
use crate::document::Document;
use crate::error::Result;
use crate::normalize;
use crate::provenance::SourceInfo;
use crate::store::Store;

pub use fetch::{Failed, Fetch, Progress, Summary};
pub use listing::choose;
pub use load::{human_size, io_message, load_file, DEFAULT_MAX_INPUT};
pub use source::{is_url, Source};

/// The Wayback Machine the provenance links point at when none is configured.
pub const DEFAULT_ARCHIVE: &str = "https://web.archive.org";

/// A normalized version of a policy and where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub info: SourceInfo,
    pub document: Document,
}

/// The way from SOURCEs and captures to Documents. Cheap to clone: clones share the
/// client, its etiquette and the listing cache.
#[derive(Debug, Clone)]
pub struct Acquirer {
    store: Store,
    client: Option<Client>,
    archive: String,
    options: normalize::Options,
    /// Local inputs larger than this many bytes are refused.
    max_input: u64,
    /// CDX answers of this process, by URL and range.
    listings: Arc<Mutex<HashMap<String, Vec<Capture>>>>,
}

impl Acquirer {
    /// Store and archive: `client` is `None` when offline.
    pub fn new(store: Store, client: Option<Client>, archive: &str) -> Acquirer {
        Acquirer {
            store,
            client,
            archive: archive.trim_end_matches('/').to_string(),
            options: normalize::Options::default(),
            max_input: DEFAULT_MAX_INPUT,
            listings: Arc::default(),
        }
    }

    /// Only the store: no network request is ever made.
    pub fn offline(store: Store) -> Acquirer {
        Acquirer::new(store, None, DEFAULT_ARCHIVE)
    }

    /// The store and the Wayback Machine at `wayback_url`, with the etiquette shared by
    /// every process using this store.
    pub fn online(store: Store, wayback_url: &str) -> Result<Acquirer> {
        let client = Client::for_store(wayback_url, store.root())?;
        Ok(Acquirer::new(store, Some(client), wayback_url))
    }

    /// The normalizer's overrides (`--select`, `--remove`) for every page loaded.
    pub fn with_options(mut self, options: normalize::Options) -> Acquirer {
        self.options = options;
        self
    }

    /// The size limit of local inputs (files, standard input), in bytes.
    pub fn with_max_input(mut self, bytes: u64) -> Acquirer {
        self.max_input = bytes;
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The archive client; `None` when offline.
    pub fn client(&self) -> Option<&Client> {
        self.client.as_ref()
    }

    pub fn is_offline(&self) -> bool {
        self.client.is_none()
    }

    /// Base URL of the archive, for provenance links.
    pub fn archive(&self) -> &str {
        &self.archive
    }

    pub fn options(&self) -> &normalize::Options {
        &self.options
    }

    /// Loads one SOURCE argument (a file, `URL@DATE` or a URL) into a Document.
    pub async fn load(&self, arg: &str) -> Result<Loaded> {
        match Source::parse(arg)? {
            Source::File(path) => load_file(arg, &path, &self.options, self.max_input),
            Source::Archive { url, date } => {
                let capture = self.resolve(&url, date.as_ref()).await?;
                self.load_capture(arg, &url, &capture).await
            }
        }
    }

    /// Fetches `capture` of `url` unless stored, then loads it; `source` names it in
    /// messages and in the provenance.
    pub async fn load_capture(&self, source: &str, url: &str, capture: &Capture) -> Result<Loaded> {
        let fetched = self.fetch(url, capture).await?;
        self.load_stored(source, url, &fetched.stored)
    }
}

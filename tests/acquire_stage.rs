//! The acquiring stage as a library: SOURCEs and captures to Documents with their
//! provenance, inside the caller's async runtime, against the Wayback stand-in.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use policydiff::acquire::Acquirer;
use policydiff::archive::{Client, Etiquette, Limits, Query};
use policydiff::store::Store;
use support::*;

const URL: &str = "https://example.com/privacy";

fn page(version: u32) -> Vec<u8> {
    format!(
        "<html><head><title>Privacy Policy</title></head><body><main><h1>Privacy Policy</h1>\
         <h2>Retention</h2><p>Version {version}. We keep your data for {version}0 days.</p></main></body></html>"
    )
    .into_bytes()
}

fn stand_in() -> StandIn {
    let mut a = Archive::default();
    a.add(URL, "20170101000000", &page(1)).add(URL, "20180101000000", &page(2)).add(
        URL,
        "20190101000000",
        &page(3),
    );
    StandIn::start(move |r| a.answer(r))
}

fn online(store: &std::path::Path, base: &str) -> Acquirer {
    let limits = Limits {
        cdx_rate: 50.0,
        capture_rate: 50.0,
        retry_base: Duration::from_millis(20),
        max_tries: 3,
        timeout: Duration::from_secs(2),
        ..Limits::default()
    };
    let client = Client::with_etiquette(base, Arc::new(Etiquette::new(limits))).unwrap();
    Acquirer::new(Store::new(store), Some(client), base)
}

#[tokio::test]
async fn sources_load_inside_async_code_with_one_cdx_request_per_url() {
    let s = stand_in();
    let store = tempfile::tempdir().unwrap();
    let acquirer = online(store.path(), &s.base);
    let old = acquirer.load(&format!("{URL}@2017")).await.unwrap();
    let new = acquirer.load(&format!("{URL}@2018")).await.unwrap();
    let newest = acquirer.load(URL).await.unwrap();
    assert_eq!(old.info.timestamp.as_deref(), Some("20170101000000"));
    assert_eq!(new.info.timestamp.as_deref(), Some("20180101000000"));
    assert_eq!(newest.info.timestamp.as_deref(), Some("20190101000000"));
    assert_eq!(s.cdx_requests().len(), 1, "the listing is asked once per URL and process");
    assert_eq!(s.capture_requests().len(), 3);
}

#[tokio::test]
async fn a_loaded_capture_carries_its_provenance() {
    let s = stand_in();
    let store = tempfile::tempdir().unwrap();
    let loaded = online(store.path(), &s.base).load(&format!("{URL}@2018")).await.unwrap();
    let info = &loaded.info;
    assert_eq!(info.source, format!("{URL}@2018"));
    assert_eq!(info.url.as_deref(), Some(URL));
    assert_eq!(info.title.as_deref(), Some("Privacy Policy"));
    assert_eq!(info.digest.as_deref(), Some(digest(&page(2)).as_str()));
    assert_eq!(info.memento_url(), Some(format!("{}/web/20180101000000id_/{URL}", s.base)));
    assert_eq!(info.view_url(), Some(format!("{}/web/20180101000000/{URL}", s.base)));
}

#[tokio::test]
async fn download_calls_progress_after_each_capture_and_skips_what_is_stored() {
    let s = stand_in();
    let store = tempfile::tempdir().unwrap();
    let acquirer = online(store.path(), &s.base);
    let listed = acquirer.list(URL, &Query::default()).await.unwrap();
    assert_eq!(listed.len(), 3);
    let seen = Mutex::new(Vec::new());
    let summary = acquirer.download(URL, &listed, &|p| seen.lock().unwrap().push((p.done, p.total))).await;
    assert_eq!((summary.downloaded, summary.already, summary.failed.len()), (3, 0, 0));
    let mut seen = seen.into_inner().unwrap();
    seen.sort();
    assert_eq!(seen, vec![(1, 3), (2, 3), (3, 3)]);
    let again = acquirer.download(URL, &listed, &|_| {}).await;
    assert_eq!((again.downloaded, again.already), (0, 3));
    assert_eq!(s.capture_requests().len(), 3, "nothing fetched twice");
}

#[tokio::test]
async fn offline_is_an_acquirer_without_a_client_and_makes_no_request() {
    let s = stand_in();
    let store = tempfile::tempdir().unwrap();
    online(store.path(), &s.base).load(&format!("{URL}@2017")).await.unwrap();
    let before = s.requests().len();
    let offline = Acquirer::offline(Store::new(store.path()));
    assert!(offline.is_offline());
    let stored = offline.load(&format!("{URL}@2017")).await.unwrap();
    assert_eq!(stored.info.timestamp.as_deref(), Some("20170101000000"));
    let missing = offline.load(&format!("{URL}@2019")).await.unwrap_err().to_string();
    assert!(missing.contains("20190101000000") && missing.contains("--offline"), "{missing}");
    assert_eq!(s.requests().len(), before, "offline makes no request");
}

#[tokio::test]
async fn a_listing_of_part_of_the_range_keeps_the_cached_captures_outside_it() {
    let s = stand_in();
    let store = tempfile::tempdir().unwrap();
    let whole = online(store.path(), &s.base).list(URL, &Query::default()).await.unwrap();
    assert_eq!(whole.len(), 3);
    let part =
        Query { from: Some("2018".parse().unwrap()), to: Some("2018".parse().unwrap()), ..Query::default() };
    let listed = online(store.path(), &s.base).list(URL, &part).await.unwrap();
    assert_eq!(listed.len(), 1);
    let offline = Acquirer::new(Store::new(store.path()), None, &s.base);
    let cached = offline.list(URL, &Query::default()).await.unwrap();
    let stamps: Vec<&str> = cached.iter().map(|c| c.timestamp.as_str()).collect();
    assert_eq!(stamps, ["20170101000000", "20180101000000", "20190101000000"]);
}

//! Builds the repository's `snapshots/` store from the Princeton corpus
//! (`citp/privacy-policy-historical`, copied to `shared/corpus/wayback-policies/`).
//!
//! Each `<domain>/<timestamp>.html` there starts with Princeton's comment naming the
//! Wayback capture (`…(https://web.archive.org/web/<ts>id_/<url>)…-->`) and a blank
//! line; both are stripped, the page is filed as a capture of that URL with UTF-8 as
//! its charset (Princeton saved decoded text), and a listing is cached beside it.
//!
//! ```text
//! cargo run --release --example build_snapshots -- ../shared/corpus/wayback-policies snapshots
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use policydiff::archive::{Capture, Fetched};
use policydiff::store::{sha1_base32, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let corpus = PathBuf::from(args.next().unwrap_or_else(|| "../shared/corpus/wayback-policies".into()));
    let store = Store::new(args.next().unwrap_or_else(|| "snapshots".into()));
    let mut listings: BTreeMap<String, Vec<Capture>> = BTreeMap::new();
    let mut domains: Vec<_> = std::fs::read_dir(&corpus)?.flatten().filter(|e| e.path().is_dir()).collect();
    domains.sort_by_key(|e| e.file_name());
    for domain in domains {
        let mut files: Vec<_> = std::fs::read_dir(domain.path())?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "html"))
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path)?;
            let (timestamp, url, page) =
                split_corpus_file(&text).ok_or_else(|| format!("{}: no Princeton header", path.display()))?;
            let body = page.as_bytes().to_vec();
            let mut headers = BTreeMap::new();
            headers.insert("content-type".to_string(), "text/html; charset=utf-8".to_string());
            let fetched = Fetched {
                url: url.clone(),
                requested_timestamp: timestamp.clone(),
                timestamp: timestamp.clone(),
                final_url: url.clone(),
                hops: vec![format!("https://web.archive.org/web/{timestamp}id_/{url}")],
                headers,
                body: body.into(),
                gzip_decoded: false,
            };
            // The corpus holds a DOM serialization, not the archive's bytes: no CDX digest to compare.
            let stored = store.put(&fetched, &timestamp, None)?;
            listings.entry(url.clone()).or_default().push(Capture {
                timestamp: timestamp.clone(),
                original: url.clone(),
                mimetype: "text/html".into(),
                status: Some(200),
                digest: sha1_base32(page.as_bytes()),
                length: Some(page.len() as u64),
            });
            println!(
                "{} {timestamp} {url} → {}",
                domain.file_name().to_string_lossy(),
                stored.html.display()
            );
        }
    }
    for (url, captures) in listings {
        store.save_listing(&url, &captures, false)?;
    }
    Ok(())
}

/// `(timestamp, url, page)` from a corpus file: the header comment names the capture.
fn split_corpus_file(text: &str) -> Option<(String, String, &str)> {
    let text = text.strip_prefix("<!--")?;
    let end = text.find("-->")?;
    let comment = &text[..end];
    let page = &text[end + 3..];
    let page = page.strip_prefix("\r\n").or_else(|| page.strip_prefix('\n')).unwrap_or(page);
    let page = page.strip_prefix("\r\n").or_else(|| page.strip_prefix('\n')).unwrap_or(page);
    let at = comment.find("/web/")? + 5;
    let rest = &comment[at..];
    let ts: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let url_start = rest.find("id_/")? + 4;
    let url_end = rest[url_start..].find(')').map_or(rest.len(), |i| url_start + i);
    let url =
        percent_encoding::percent_decode_str(&rest[url_start..url_end]).decode_utf8().ok()?.into_owned();
    (ts.len() == 14).then_some((ts, url, page))
}

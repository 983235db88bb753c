//! `policydiff watch add|list|remove`: the watch list, kept in the store's state
//! database (see [`crate::monitor::state`]).

use crate::cli::{TableFormat, WatchAction, WatchAddArgs};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::monitor::state::{Db, NewWatch, WatchStatus};
use crate::{exit_codes, output};

pub async fn run(action: &WatchAction, config: &Config) -> Result<u8> {
    match action {
        WatchAction::Add(args) => add(args, config),
        WatchAction::List(args) => list(args.format, config),
        WatchAction::Remove(args) => {
            let mut db = Db::open(&config.store)?;
            if !db.remove_watch(&args.name)? {
                return Err(Error::input(&args.name, "no watch has this name (see `policydiff watch list`)"));
            }
            output::emit(
                &format!(
                    "stopped watching {} (its captures stay in the store {})\n",
                    args.name,
                    config.store.display()
                ),
                None,
            )?;
            Ok(exit_codes::SUCCESS)
        }
    }
}

fn add(args: &WatchAddArgs, config: &Config) -> Result<u8> {
    let url = args.url.trim();
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| Error::input(url, format!("not a URL ({e}); give it with http:// or https://")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(Error::input(url, "only http:// and https:// pages can be watched"));
    }
    // The store must be able to file its captures.
    crate::store::Store::new(&config.store).dir(url)?;
    for (option, css) in [("--select", &config.select), ("--remove", &config.remove)] {
        if let Some(css) = css {
            scraper::Selector::parse(css)
                .map_err(|e| Error::Usage(format!("{option} '{css}' is not a CSS selector: {e}")))?;
        }
    }
    let name = match &args.name {
        Some(name) if name.trim().is_empty() => return Err(Error::Usage("--name must not be empty".into())),
        Some(name) => name.trim().to_string(),
        None => default_name(&parsed),
    };
    let mut db = Db::open(&config.store)?;
    let watch = db.add_watch(&NewWatch {
        name,
        url: url.to_string(),
        select: config.select.clone(),
        remove: config.remove.clone(),
        live: args.live,
    })?;
    let live = if watch.live { ", and its live page" } else { "" };
    output::emit(
        &format!(
            "watching {} as '{}'{live}; the first `policydiff check` records its baseline\n",
            watch.url, watch.name
        ),
        None,
    )?;
    Ok(exit_codes::SUCCESS)
}

/// Host and path, without the trailing slash: `example.com/legal/privacy`.
fn default_name(url: &reqwest::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    let path = url.path().trim_end_matches('/');
    let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    format!("{host}{path}{query}")
}

fn list(format: TableFormat, config: &Config) -> Result<u8> {
    let db = Db::open(&config.store)?;
    let statuses = db.statuses()?;
    let text = match format {
        TableFormat::Json => {
            let rows: Vec<_> = statuses.iter().map(json_row).collect();
            crate::report::json::to_pretty(&serde_json::json!({ "watches": rows }))
        }
        TableFormat::Table => table(&statuses),
    };
    output::emit(&text, None)?;
    Ok(exit_codes::SUCCESS)
}

fn json_row(s: &WatchStatus) -> serde_json::Value {
    serde_json::json!({
        "name": s.watch.name,
        "url": s.watch.url,
        "live": s.watch.live,
        "select": s.watch.select,
        "remove": s.watch.remove,
        "versions": s.versions,
        "last_version": s.last_version,
        "last_checked": s.watch.last_checked,
        "pending_notifications": s.pending,
    })
}

/// `2024-03-09` from a 14-digit timestamp (or an RFC 3339 time).
fn day(t: &Option<String>) -> String {
    match t {
        Some(t) if t.len() >= 8 && t[..8].bytes().all(|b| b.is_ascii_digit()) => {
            format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..8])
        }
        Some(t) => t.replace('T', " ").trim_end_matches('Z').to_string(),
        None => "-".into(),
    }
}

fn table(statuses: &[WatchStatus]) -> String {
    if statuses.is_empty() {
        return "no watches; add one with `policydiff watch add URL`\n".into();
    }
    let name_width = statuses.iter().map(|s| s.watch.name.chars().count()).max().unwrap_or(4).max(4);
    let mut out = format!(
        "{:<name_width$}  {:<12}  {:<19}  {:>7}  {}\n",
        "NAME", "LAST VERSION", "LAST CHECKED", "PENDING", "URL"
    );
    for s in statuses {
        let live = if s.watch.live { " (+live)" } else { "" };
        out.push_str(&format!(
            "{:<name_width$}  {:<12}  {:<19}  {:>7}  {}{live}\n",
            s.watch.name,
            day(&s.last_version),
            day(&s.watch.last_checked),
            s.pending,
            s.watch.url
        ));
    }
    out
}

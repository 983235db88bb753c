//! `policydiff captures URL`: list a URL's captures (from the archive, or the cached
//! listing with --offline).

use crate::archive::{Capture, Query};
use crate::cli::{CapturesArgs, TableFormat};
use crate::config::Config;
use crate::date::parse_timestamp;
use crate::error::Result;
use crate::escape::one_line;
use crate::{exit_codes, output};

pub async fn run(args: &CapturesArgs, config: &Config) -> Result<u8> {
    super::check_range(args.from.as_ref(), args.to.as_ref())?;
    let acquirer = config.acquirer()?;
    let query = Query { from: args.from, to: args.to, all: args.all };
    let captures = acquirer.list(&args.url, &query).await?;
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
            crate::report::json::to_pretty(&serde_json::json!({"url": args.url, "captures": rows}))
        }
        TableFormat::Table => table(&captures),
    };
    output::emit(&text, None)?;
    Ok(exit_codes::SUCCESS)
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
            one_line(&c.mimetype),
            c.length.map_or("-".to_string(), |l| l.to_string()),
            one_line(&c.digest),
            one_line(&c.original)
        ));
    }
    let n = captures.len();
    out.push_str(&format!("{n} {}\n", if n == 1 { "capture" } else { "captures" }));
    out
}

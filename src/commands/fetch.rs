//! `policydiff fetch URL`: download captures into the store, each once, politely.

use crate::acquire::choose;
use crate::archive::{Capture, Query};
use crate::cli::FetchArgs;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::{exit_codes, output};

pub async fn run(args: &FetchArgs, config: &Config) -> Result<u8> {
    super::check_range(args.from.as_ref(), args.to.as_ref())?;
    if config.offline {
        return Err(Error::archive(
            &args.url,
            "fetch needs the network, and --offline (POLICYDIFF_OFFLINE) is set",
        ));
    }
    let acquirer = config.acquirer()?;
    let query = Query { from: args.from, to: args.to, all: false };
    let listed = acquirer.list(&args.url, &query).await?;
    let chosen: Vec<Capture> = match &args.at {
        Some(at) => choose(&listed, Some(at)).cloned().into_iter().collect(),
        None => listed,
    };
    if chosen.is_empty() {
        return Err(Error::archive(&args.url, "the archive lists no capture of this URL in that range"));
    }
    let bar = output::progress_bar(config, chosen.len(), "captures");
    let summary = acquirer
        .download(&args.url, &chosen, &|p| {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
        })
        .await;
    bar.finish_and_clear();
    let dir = acquirer.store().dir(&args.url)?;
    output::emit(
        &format!(
            "{}: {} downloaded, {} already in the store ({})\n",
            crate::escape::one_line(&args.url),
            summary.downloaded,
            summary.already,
            dir.display()
        ),
        None,
    )?;
    let mut failed = summary.failed.into_iter();
    let first = failed.next();
    for f in failed {
        tracing::error!("{}", f.error);
    }
    match first {
        Some(f) => Err(f.error),
        None => Ok(exit_codes::SUCCESS),
    }
}

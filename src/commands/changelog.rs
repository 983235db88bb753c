//! `policydiff changelog URL [--from DATE] [--to DATE] [--bisect]` and
//! `policydiff changelog SOURCE SOURCE...`: every distinct version of a policy and
//! what changed at each step, in the format asked for.

use std::collections::HashMap;

use crate::acquire::{Acquirer, Source};
use crate::archive::{Capture, Query};
use crate::cli::{ChangelogArgs, ChangelogFormat};
use crate::config::Config;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::history::{self, CaptureRef, History, Unusable};
use crate::report::changelog::{self as render, Changelog};
use crate::{exit_codes, output};

/// What the range of a URL's changelog held, beside its history.
struct Listed {
    url: String,
    from: String,
    to: String,
    rows: usize,
    distinct: usize,
}

pub async fn run(args: &ChangelogArgs, config: &Config) -> Result<u8> {
    super::check_range(args.from.as_ref(), args.to.as_ref())?;
    let acquirer = config.acquirer()?;
    let (history, listed) = match args.sources.as_slice() {
        [one] => match Source::parse(one)? {
            Source::Archive { url, date: None } => {
                let (history, listed) = from_archive(&url, args, config, &acquirer).await?;
                (history, Some(listed))
            }
            _ => {
                return Err(Error::Usage(format!(
                    "changelog {one}: give a URL (its captures in a range), or two or more SOURCEs \
                     (files or URL@DATE), oldest first"
                )))
            }
        },
        sources => {
            if args.from.is_some() || args.to.is_some() || args.bisect {
                return Err(Error::Usage(
                    "changelog: --from, --to and --bisect choose among a URL's captures; \
                     with SOURCEs, give the versions themselves"
                        .into(),
                ));
            }
            (from_sources(sources, &acquirer).await?, None)
        }
    };
    if history.versions.is_empty() {
        let what = listed.as_ref().map_or("the SOURCEs given".to_string(), |l| l.url.clone());
        let why =
            history.unusable.first().map(|s| format!(" (the first, {}: {})", s.capture.label, s.reason));
        return Err(Error::input(
            what,
            format!(
                "none of the {} captures shows the policy{}",
                history.unusable.len(),
                why.unwrap_or_default()
            ),
        ));
    }
    let log = Changelog {
        history: &history,
        url: listed.as_ref().map(|l| l.url.as_str()),
        range: listed.as_ref().map(|l| (l.from.as_str(), l.to.as_str())),
        listed: listed.as_ref().map(|l| l.rows),
        distinct_digests: listed.as_ref().map(|l| l.distinct),
    };
    let status = if history.steps.is_empty() { exit_codes::SUCCESS } else { exit_codes::CHANGES };
    let to_stdout = output::is_stdout(args.output.as_deref());
    // As `diff -q`: the status is the answer, no report is made (one named by -o still is).
    if config.brief() && to_stdout {
        return Ok(status);
    }
    let format = args.format.or_else(|| super::format_of(args.output.as_deref())).unwrap_or(
        if config.stdout_is_terminal && to_stdout {
            ChangelogFormat::Terminal
        } else {
            ChangelogFormat::Markdown
        },
    );
    let text = match format {
        // Colour and wrapping only where a terminal shows them, never into a file.
        ChangelogFormat::Terminal => {
            let page = render::terminal::render(&log, config.color && to_stdout);
            match config.width.filter(|_| to_stdout) {
                Some(width) => crate::report::terminal::wrap(&page, width),
                None => page,
            }
        }
        ChangelogFormat::Markdown => render::markdown::render(&log),
        ChangelogFormat::Html => render::html::render(&log),
        ChangelogFormat::Json => render::json::render(&log),
        ChangelogFormat::Atom => render::atom::render(&log),
    };
    output::emit(&text, args.output.as_deref())?;
    if history.steps.is_empty() {
        tracing::warn!(
            "no change in the range: one version in {} capture{}",
            history.versions[0].captures,
            render::plural(history.versions[0].captures)
        );
    }
    Ok(status)
}

/// The history of versions the user names (files or `URL@DATE`s), oldest first.
async fn from_sources(sources: &[String], acquirer: &Acquirer) -> Result<History> {
    let mut captures = Vec::with_capacity(sources.len());
    for arg in sources {
        let loaded = acquirer.load(arg).await?;
        let capture = match &loaded.info.timestamp {
            Some(ts) => CaptureRef {
                label: arg.clone(),
                timestamp: Some(ts.clone()),
                digest: loaded.info.digest.clone(),
                memento: loaded.info.memento_url(),
            },
            None => CaptureRef::local(arg),
        };
        captures.push((capture, Ok(loaded.document)));
    }
    Ok(History::from_captures(captures))
}

/// The captures of `url` in the range, oldest first, and what the range held.
async fn list(url: &str, args: &ChangelogArgs, acquirer: &Acquirer) -> Result<(Vec<Capture>, Listed)> {
    let query = Query { from: args.from, to: args.to, all: false };
    let captures = acquirer.list(url, &query).await?;
    if captures.is_empty() {
        let ranged = args.from.is_some() || args.to.is_some();
        if ranged && !acquirer.list(url, &Query::default()).await?.is_empty() {
            let bound =
                |d: &Option<crate::date::DateSpec>, none: &str| d.map_or(none.to_string(), |d| d.to_string());
            return Err(Error::archive(
                url,
                format!(
                    "no capture between {} and {}; the archive has captures of this URL outside that range \
                     (run `policydiff captures {url}`)",
                    bound(&args.from, "the first"),
                    bound(&args.to, "the last")
                ),
            ));
        }
        let why = if acquirer.is_offline() {
            "the store holds no capture of this URL and --offline is set; run `policydiff fetch URL` online first"
        } else {
            "the Wayback Machine has no capture of this URL (status 200 HTML); check the URL"
        };
        return Err(Error::archive(url, why));
    }
    let distinct = captures.iter().map(|c| c.digest.as_str()).collect::<std::collections::HashSet<_>>().len();
    let first = captures.first().map(|c| c.timestamp.clone()).unwrap_or_default();
    let last = captures.last().map(|c| c.timestamp.clone()).unwrap_or_default();
    let listed = Listed {
        url: url.to_string(),
        from: args.from.map_or(first, |d| d.start()),
        to: args.to.map_or(last, |d| d.end()),
        rows: captures.len(),
        distinct,
    };
    Ok((captures, listed))
}

fn capture_ref(acquirer: &Acquirer, url: &str, c: &Capture) -> CaptureRef {
    let digest = (c.digest != "-").then(|| c.digest.clone());
    CaptureRef::archived(acquirer.archive(), url, &c.timestamp, digest)
}

/// Reads a capture the store holds as the Document of the history.
fn read(
    acquirer: &Acquirer,
    url: &str,
    stored: &crate::store::Stored,
) -> std::result::Result<Document, Unusable> {
    acquirer
        .load_stored(&stored.meta.timestamp, url, stored)
        .map(|l| l.document)
        .map_err(|e| Unusable::NoPolicyText { message: e.to_string() })
}

/// The history of `url` in the range: every distinct capture fetched and compared, or
/// with `--bisect` as few as bisection needs.
async fn from_archive(
    url: &str,
    args: &ChangelogArgs,
    config: &Config,
    acquirer: &Acquirer,
) -> Result<(History, Listed)> {
    let (captures, listed) = list(url, args, acquirer).await?;
    let refs: Vec<CaptureRef> = captures.iter().map(|c| capture_ref(acquirer, url, c)).collect();
    let bar = output::progress_bar(config, captures.len(), "captures");
    if args.bisect {
        bar.set_message("fetched (bisecting)");
        let handle = tokio::runtime::Handle::current();
        let (acquirer, url_owned, bar2) = (acquirer.clone(), url.to_string(), bar.clone());
        let history = tokio::task::spawn_blocking(move || {
            history::bisect(&refs, |i| {
                let fetched = handle.block_on(acquirer.fetch(&url_owned, &captures[i]));
                bar2.inc(1);
                match fetched {
                    Ok(f) => read(&acquirer, &url_owned, &f.stored),
                    Err(e) => Err(Unusable::FetchFailed { message: e.to_string() }),
                }
            })
        })
        .await
        .map_err(|e| Error::archive(url, format!("the bisection stopped: {e}")))?;
        bar.finish_and_clear();
        return Ok((history, listed));
    }
    bar.set_message("fetched");
    let summary = acquirer
        .download(url, &captures, &|p| {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
        })
        .await;
    let fetched = summary.stored.len() + summary.failed.len();
    let by_timestamp: HashMap<&str, &crate::store::Stored> =
        summary.stored.iter().map(|s| (s.meta.timestamp.as_str(), s)).collect();
    let by_digest: HashMap<&str, &crate::store::Stored> =
        summary.stored.iter().filter_map(|s| s.meta.cdx_digest.as_deref().map(|d| (d, s))).collect();
    let failed: HashMap<&str, String> =
        summary.failed.iter().map(|f| (f.capture.timestamp.as_str(), f.error.to_string())).collect();
    bar.set_message("compared");
    bar.set_length(captures.len() as u64);
    bar.set_position(0);
    // A digest seen again (A → B → A) is read once.
    let mut read_before: HashMap<String, std::result::Result<Document, Unusable>> = HashMap::new();
    let mut items = Vec::with_capacity(captures.len());
    for (c, r) in captures.iter().zip(refs) {
        let stored = by_timestamp
            .get(c.timestamp.as_str())
            .or_else(|| (c.status == Some(200)).then(|| by_digest.get(c.digest.as_str())).flatten());
        let content = match stored {
            Some(s) => {
                let key = s.meta.sha1.clone();
                read_before.entry(key).or_insert_with(|| read(acquirer, url, s)).clone()
            }
            None => Err(Unusable::FetchFailed {
                message: failed.get(c.timestamp.as_str()).cloned().unwrap_or_else(|| "not fetched".into()),
            }),
        };
        items.push((r, content));
        bar.inc(1);
    }
    let mut history = History::from_captures(items);
    history.fetched = fetched;
    bar.finish_and_clear();
    Ok((history, listed))
}

//! `policydiff check [NAME...]`: for cron. Each watch, least recently checked first,
//! is checked ([`crate::monitor::check`]) and its result recorded; then every pending
//! notification is delivered. One line per watch (or `--format json`), a progress bar
//! on a terminal; exit 0 nothing new, 1 new versions recorded, 2 any watch failed.

use std::time::Instant;

use serde_json::{json, Value};

use crate::cli::{CheckArgs, CheckFormat};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::monitor::check::{Checked, Checker, Outcome};
use crate::monitor::lock;
use crate::monitor::notify::Delivery;
use crate::monitor::state::{Db, Target, Watch};
use crate::{exit_codes, output};

/// What became of one watch in this run.
enum Result1 {
    Done(Checked),
    Failed(Error),
    /// Not started: `--max-time` had passed.
    NotStarted,
}

pub async fn run(args: &CheckArgs, config: &Config) -> Result<u8> {
    let mut targets = Vec::new();
    if let Some(url) = &args.webhook {
        let parsed = reqwest::Url::parse(url)
            .map_err(|e| Error::Usage(format!("--webhook {url}: not a URL ({e})")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::Usage(format!("--webhook {url}: only http:// and https:// URLs")));
        }
        targets.push(Target::Webhook(url.clone()));
    }
    if let Some(cmd) = &args.notify_cmd {
        targets.push(Target::Command(cmd.clone()));
    }
    let start = Instant::now();
    let wait = lock::wait_from_env();
    // Said on a terminal only: in a cron log, waiting is normal and a timeout says it all.
    let _lock = lock::acquire(&config.store, wait, |path| {
        if config.shows_progress() {
            eprintln!(
                "policydiff: another check holds {}; waiting up to {:.0} s for it to end",
                path.display(),
                wait.as_secs_f64()
            );
        }
    })?;
    let mut db = Db::open(&config.store)?;
    let watches = chosen(&db, &args.names)?;
    let mut checker = Checker::new(config.acquirer()?, targets)?;
    let deadline = args.max_time.map(|d| start + d);
    let bar = output::progress_bar(config, watches.len(), "watches");
    let mut results: Vec<(Watch, Result1)> = Vec::new();
    for watch in watches {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            results.push((watch, Result1::NotStarted));
            continue;
        }
        bar.set_message(watch.name.clone());
        let result = match checker.check(&mut db, &watch).await {
            Ok(checked) => Result1::Done(checked),
            Err(e) => Result1::Failed(e),
        };
        if config.brief() {
            // -q: no report, but a failed watch is still an error line on stderr.
            let failed = format!("{}: error: ", watch.name);
            for line in lines(&watch, &result).iter().filter(|l| l.starts_with(&failed)) {
                eprintln!("policydiff: {}", crate::escape::one_line(line));
            }
        } else if args.format == CheckFormat::Text {
            for line in lines(&watch, &result) {
                if bar.is_hidden() {
                    output::emit(&format!("{line}\n"), None)?;
                } else {
                    bar.println(&line);
                }
            }
        }
        bar.inc(1);
        results.push((watch, result));
    }
    bar.finish_and_clear();
    let delivered = Delivery::default().deliver_pending(&mut db).await?;
    let not_started = results.iter().filter(|(_, r)| matches!(r, Result1::NotStarted)).count();
    match args.format {
        CheckFormat::Json => {
            output::emit(&crate::report::json::to_pretty(&to_json(&results, &delivered)), None)?
        }
        CheckFormat::Text => {
            if not_started > 0 {
                eprintln!(
                    "policydiff: {not_started} watch{} not checked within --max-time; the next check starts with {}",
                    if not_started == 1 { "" } else { "es" },
                    if not_started == 1 { "it" } else { "them" }
                );
            }
            for failure in &delivered.failures {
                eprintln!("policydiff: notification: {failure}");
            }
        }
    }
    // A watch whose check stopped part way (a held capture, the live page) failed too.
    let failed = results
        .iter()
        .any(|(_, r)| matches!(r, Result1::Failed(_) | Result1::Done(Checked { warning: Some(_), .. })))
        || !delivered.failures.is_empty();
    let changed = results
        .iter()
        .any(|(_, r)| matches!(r, Result1::Done(Checked { outcome: Outcome::Changed { .. }, .. })));
    Ok(if failed {
        exit_codes::ERROR
    } else if changed {
        exit_codes::CHANGES
    } else {
        exit_codes::SUCCESS
    })
}

/// The watches to check, least recently checked first: all, or those named.
fn chosen(db: &Db, names: &[String]) -> Result<Vec<Watch>> {
    let all = db.watches_by_last_check()?;
    if names.is_empty() {
        if all.is_empty() {
            // Not an error: a cron job set up before its first watch stays quiet.
            eprintln!("policydiff: no watches to check; add one with `policydiff watch add URL`");
        }
        return Ok(all);
    }
    if let Some(unknown) = names.iter().find(|n| !all.iter().any(|w| &w.name == *n)) {
        return Err(Error::input(unknown, "no watch has this name (see `policydiff watch list`)"));
    }
    Ok(all.into_iter().filter(|w| names.contains(&w.name)).collect())
}

/// The text lines of one watch: `NAME: unchanged`, `NAME: baseline recorded (…)`,
/// `NAME: changed: 3 reworded, 1 added — <link>` (one per step), `NAME: error: …`.
fn lines(watch: &Watch, result: &Result1) -> Vec<String> {
    let name = &watch.name;
    match result {
        Result1::NotStarted => vec![format!("{name}: not checked (--max-time reached)")],
        Result1::Failed(e) => vec![format!("{name}: error: {e}")],
        Result1::Done(checked) => {
            let mut out = match &checked.outcome {
                // A check that stopped part way says why instead.
                Outcome::Unchanged if checked.warning.is_some() => Vec::new(),
                Outcome::Unchanged => vec![format!("{name}: unchanged")],
                Outcome::Baseline { seen } => {
                    vec![format!("{name}: baseline recorded (the version seen {})", day(seen))]
                }
                Outcome::Changed { steps } => steps
                    .iter()
                    .map(|s| {
                        let link = s.link.as_deref().map(|l| format!(" — {l}")).unwrap_or_default();
                        format!("{name}: changed: {}{link}", s.summary)
                    })
                    .collect(),
            };
            for skipped in &checked.unfetched {
                out.push(format!("{name}: capture skipped: {skipped}"));
            }
            if let Some(w) = &checked.warning {
                out.push(format!("{name}: error: {w}"));
            }
            out
        }
    }
}

fn day(ts: &str) -> String {
    if ts.len() >= 8 && ts.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &ts[..4], &ts[4..6], &ts[6..8])
    } else {
        ts.to_string()
    }
}

fn to_json(results: &[(Watch, Result1)], delivered: &crate::monitor::notify::Delivered) -> Value {
    let watches: Vec<Value> = results
        .iter()
        .map(|(w, r)| {
            let mut row = json!({"watch": w.name, "url": w.url});
            match r {
                Result1::NotStarted => row["status"] = json!("not_checked"),
                Result1::Failed(e) => {
                    row["status"] = json!("failed");
                    row["error"] = json!(e.to_string());
                }
                Result1::Done(c) => {
                    let (status, steps) = match &c.outcome {
                        Outcome::Unchanged => ("unchanged", Vec::new()),
                        Outcome::Baseline { .. } => ("baseline", Vec::new()),
                        Outcome::Changed { steps } => (
                            "changed",
                            steps.iter().map(|s| json!({"text": s.text, "step": s.json})).collect(),
                        ),
                    };
                    row["status"] = json!(if c.warning.is_some() { "failed" } else { status });
                    row["new_captures"] = json!(c.new_captures);
                    row["unusable"] = json!(c.unusable);
                    row["steps"] = json!(steps);
                    if let Outcome::Baseline { seen } = &c.outcome {
                        row["baseline"] = json!(seen);
                    }
                    if let Some(w) = &c.warning {
                        row["error"] = json!(w);
                    }
                }
            }
            row
        })
        .collect();
    json!({
        "watches": watches,
        "notifications": {
            "delivered": delivered.delivered,
            "pending": delivered.pending,
            "failures": delivered.failures,
        },
    })
}

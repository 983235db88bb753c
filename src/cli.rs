//! The command line: clap definitions only. [`crate::commands`] runs what is parsed
//! here; [`GlobalArgs::config`] turns the global options into a [`Config`].
//!
//! Every global option of PRODUCT.md is parsed here, also from its environment
//! variable, and is accepted before or after the subcommand.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{self, Config, LogLevel};
use crate::date::DateSpec;

#[derive(Debug, Parser)]
#[command(
    name = "policydiff",
    version,
    about = "Shows exactly how a privacy policy or terms page changed over time, from Wayback Machine captures",
    after_help = "Exit status: 0 success and no change, 1 changes found, 2 error."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The snapshot store [default: the platform's data directory]
    #[arg(long, global = true, env = "POLICYDIFF_STORE", value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Make no network request at all; use only the store
    #[arg(long, global = true, env = "POLICYDIFF_OFFLINE", value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::SetTrue)]
    pub offline: bool,
    /// Base URL of the Wayback Machine (tests point it at a local server)
    #[arg(
        long,
        global = true,
        env = "POLICYDIFF_WAYBACK_URL",
        default_value = "https://web.archive.org",
        value_name = "URL"
    )]
    pub wayback_url: String,
    /// Take the policy from the elements matching this CSS selector
    #[arg(long, global = true, value_name = "CSS")]
    pub select: Option<String>,
    /// Remove the elements matching this CSS selector before extraction
    #[arg(long, global = true, value_name = "CSS")]
    pub remove: Option<String>,
    /// When to use colour (NO_COLOR is honoured)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// More log output (repeat for more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Errors only
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List a URL's captures (status 200 HTML, one row per distinct digest)
    Captures(CapturesArgs),
    /// Download captures into the store (skips what is stored)
    Fetch(FetchArgs),
    /// The normalized policy of each SOURCE
    Text(TextArgs),
    /// What changed from OLD to NEW
    Diff(DiffArgs),
    /// Every distinct version in a range and what changed at each
    Changelog(ChangelogArgs),
    /// The watch list for monitoring
    Watch {
        #[command(subcommand)]
        action: WatchAction,
    },
    /// For cron: look for new captures of every watched URL, report what changed
    Check(CheckArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct CapturesArgs {
    pub url: String,
    #[arg(long, value_name = "DATE")]
    pub from: Option<DateSpec>,
    #[arg(long, value_name = "DATE")]
    pub to: Option<DateSpec>,
    /// Every capture, not only one per distinct digest
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    pub url: String,
    /// The capture closest to DATE
    #[arg(long, value_name = "DATE", conflicts_with_all = ["from", "to"])]
    pub at: Option<DateSpec>,
    #[arg(long, value_name = "DATE")]
    pub from: Option<DateSpec>,
    #[arg(long, value_name = "DATE")]
    pub to: Option<DateSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct TextArgs {
    /// Files (.html, .htm, .md, .markdown, .txt), URL@DATE or URL
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<String>,
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Terminal,
    Json,
    Markdown,
    Html,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// OLD source, or the URL when --from/--to are given
    #[arg(value_name = "OLD")]
    pub old: String,
    #[arg(value_name = "NEW")]
    pub new: Option<String>,
    #[arg(long, value_name = "DATE")]
    pub from: Option<DateSpec>,
    #[arg(long, value_name = "DATE")]
    pub to: Option<DateSpec>,
    /// Output format [default: terminal on a terminal, markdown otherwise]
    #[arg(long, value_enum)]
    pub format: Option<DiffFormat>,
    /// Write the report to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChangelogFormat {
    /// Colour on a terminal
    Terminal,
    Markdown,
    Html,
    Json,
    Atom,
}

#[derive(Debug, Args)]
pub struct ChangelogArgs {
    /// A URL (its captures in the range), or two or more SOURCEs, oldest first
    #[arg(required = true, value_name = "URL|SOURCE")]
    pub sources: Vec<String>,
    #[arg(long, value_name = "DATE")]
    pub from: Option<DateSpec>,
    #[arg(long, value_name = "DATE")]
    pub to: Option<DateSpec>,
    /// Fetch by bisection between captures whose versions differ (fewer fetches; a
    /// stretch whose two ends are equal is assumed unchanged)
    #[arg(long)]
    pub bisect: bool,
    /// Output format [default: terminal on a terminal, markdown otherwise]
    #[arg(long, value_enum)]
    pub format: Option<ChangelogFormat>,
    /// Write the report to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum WatchAction {
    /// Watch a URL (--select/--remove given with it are recorded with the watch)
    Add(WatchAddArgs),
    /// List watched URLs
    List(WatchListArgs),
    /// Stop watching
    Remove(WatchRemoveArgs),
}

#[derive(Debug, Args)]
pub struct WatchAddArgs {
    pub url: String,
    /// The watch's name [default: host + path]
    #[arg(long)]
    pub name: Option<String>,
    /// Also fetch the live page itself at each check
    #[arg(long)]
    pub live: bool,
}

#[derive(Debug, Args)]
pub struct WatchListArgs {
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct WatchRemoveArgs {
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Only these watches [default: every watch]
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// POST one JSON document (policydiff.check/1) per new step to URL
    #[arg(long, value_name = "URL")]
    pub webhook: Option<String>,
    /// Run CMD once per new step, with that JSON document on its standard input
    #[arg(long, value_name = "CMD")]
    pub notify_cmd: Option<String>,
    /// Start no new watch after DURATION (e.g. 90s, 45m, 1h30m; a bare number is seconds)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub max_time: Option<Duration>,
}

/// `90`, `90s`, `45m`, `1h30m`, `2d`: a DURATION of `--max-time`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("'{text}' is not a DURATION (e.g. 90s, 45m, 1h30m)");
    let text = text.trim();
    if text.is_empty() {
        return Err(bad());
    }
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    let (mut total, mut number) = (0u64, String::new());
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        let n: u64 = number.parse().map_err(|_| bad())?;
        total = n.checked_mul(unit).and_then(|v| total.checked_add(v)).ok_or_else(bad)?;
        number.clear();
    }
    if !number.is_empty() {
        return Err(bad());
    }
    Ok(Duration::from_secs(total))
}

impl GlobalArgs {
    /// The run-time configuration these options (and the terminals) give.
    pub fn config(&self) -> Config {
        let mut config = Config::new(self.store.clone().unwrap_or_else(config::default_store));
        config.offline = self.offline;
        config.wayback_url = self.wayback_url.trim_end_matches('/').to_string();
        config.select = self.select.clone();
        config.remove = self.remove.clone();
        config.log_level = match (self.quiet, self.verbose) {
            (true, _) => LogLevel::Quiet,
            (false, 0) => LogLevel::Warn,
            (false, 1) => LogLevel::Info,
            (false, _) => LogLevel::Debug,
        };
        let color = match self.color {
            ColorChoice::Auto => config::ColorChoice::Auto,
            ColorChoice::Always => config::ColorChoice::Always,
            ColorChoice::Never => config::ColorChoice::Never,
        };
        config.detect_terminals(color)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("45m"), Ok(Duration::from_secs(2700)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert!(parse_duration("1x").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("5h3").is_err());
    }
}

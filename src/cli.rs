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

/// DATE and SOURCE, as `diff`, `text` and `changelog` take them (a macro: `concat!`
/// takes only literals).
macro_rules! dates {
    () => {
        "\
A SOURCE is a local file (.html/.htm read as HTML; .md/.markdown/.txt as Markdown or plain text;
- is standard input), URL@DATE (the capture of URL closest to DATE) or a bare URL (its newest
capture). DATE is 2018, 2018-05, 2018-05-25, 20180525, 20180525093211 or RFC 3339; a partial
date is a span (2018 is the whole year): the capture used is the first inside the span, else
the nearest one, with a warning naming it.\n\n"
    };
}

#[derive(Debug, Parser)]
#[command(
    name = "policydiff",
    version,
    about = "Shows exactly how a privacy policy or terms page changed over time, from Wayback Machine captures",
    after_help = concat!(
        "Examples:\n",
        "  policydiff --store snapshots --offline diff \\\n",
        "      https://www.nakivo.com/en/privacy.html@2015 \\\n",
        "      https://www.nakivo.com/support/privacy-policy@2017\n",
        "  policydiff text old.html\n",
        "  policydiff captures https://example.com/privacy --from 2018 --to 2020\n\n",
        "Colour: --color auto (default) colours a terminal unless NO_COLOR is set to a non-empty value\n",
        "(an empty NO_COLOR is ignored, as no-color.org asks) or TERM=dumb.\n\n",
        "Exit status: 0 success and no change, 1 changes found, 2 error (one line on stderr).\n",
        "With -q (--brief), as diff -q, no command prints anything but errors: the status is the answer."
    )
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes, before or after the command's name.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The store of captures [env: POLICYDIFF_STORE] [default: ~/.local/share/policydiff]
    #[arg(long, global = true, env = "POLICYDIFF_STORE", value_name = "DIR", hide_env = true)]
    pub store: Option<PathBuf>,
    /// Make no network request at all; use only the store [env: POLICYDIFF_OFFLINE=1]
    #[arg(long, global = true, env = "POLICYDIFF_OFFLINE", hide_env = true, value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::SetTrue)]
    pub offline: bool,
    /// Base URL of the Wayback Machine [env: POLICYDIFF_WAYBACK_URL]
    #[arg(
        long,
        global = true,
        env = "POLICYDIFF_WAYBACK_URL",
        hide_env = true,
        default_value = "https://web.archive.org",
        value_name = "URL"
    )]
    pub wayback_url: String,
    /// Take the policy from the elements matching this CSS selector (for pages the
    /// automatic choice gets wrong)
    #[arg(long, global = true, value_name = "CSS")]
    pub select: Option<String>,
    /// Remove the elements matching this CSS selector before extraction
    #[arg(long, global = true, value_name = "CSS")]
    pub remove: Option<String>,
    /// When to use colour: auto is a terminal without a non-empty NO_COLOR or TERM=dumb
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Refuse local inputs (files, standard input) larger than SIZE (e.g. 64M, 1G, 500k)
    #[arg(long, global = true, env = "POLICYDIFF_MAX_INPUT_SIZE", hide_env = true, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_input_size: u64,
    /// More log output on stderr (-vv for debug) [env: RUST_LOG overrides]
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// As diff -q, for every command: nothing on standard output, only errors on stderr;
    /// the exit status is the answer. A report named with -o FILE is still written
    #[arg(short, long, global = true, visible_alias = "brief")]
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
    #[command(after_help = concat!(
        "Examples:\n  policydiff captures https://example.com/privacy --from 2018 --to 2020\n",
        "  policydiff --offline captures https://example.com/privacy --format json\n\n",
        "Exit status: 0 success, 2 error (one line on stderr); with -q nothing is printed."
    ))]
    Captures(CapturesArgs),
    /// Download captures into the store (each distinct one once; skips what is stored)
    #[command(after_help = concat!(
        "Examples:\n  policydiff fetch https://example.com/privacy --at 2019\n",
        "  policydiff fetch https://example.com/privacy --from 2015 --to 2020\n\n",
        "Exit status: 0 success, 2 error (one line on stderr); with -q nothing is printed."
    ))]
    Fetch(FetchArgs),
    /// The normalized policy of each SOURCE
    #[command(after_help = concat!(
        dates!(),
        "Examples:\n  policydiff text privacy.html\n",
        "  curl -s https://example.com/privacy | policydiff text -\n",
        "  policydiff --store snapshots --offline text \\\n",
        "      https://www.nakivo.com/support/privacy-policy@2017\n",
        "  policydiff -q text page.html || echo 'no policy text in page.html'\n\n",
        "Exit status: 0 success, 2 error (one line on stderr); with -q nothing is printed."
    ))]
    Text(TextArgs),
    /// What changed from OLD to NEW, clause by clause
    #[command(after_help = concat!(
        dates!(),
        "Examples:\n  policydiff diff old.html new.html\n",
        "  policydiff diff https://example.com/privacy --from 2018 --to 2020 -o r.html\n",
        "  policydiff diff https://example.com/privacy@2018 new.md --format json\n",
        "  policydiff -q diff old.md new.md && echo unchanged\n\n",
        "Exit status: 0 no change, 1 changes found, 2 error (one line on stderr); with -q\n",
        "(as diff -q) nothing else is printed."
    ))]
    Diff(DiffArgs),
    /// Every distinct version in a range and what changed at each step
    #[command(after_help = concat!(
        dates!(),
        "Examples:\n  policydiff changelog https://example.com/privacy --from 2015 --to 2020\n",
        "  policydiff changelog https://example.com/privacy --bisect -o history.html\n",
        "  policydiff changelog v1.md v2.md v3.md\n",
        "  policydiff -q changelog v1.md v2.md v3.md || echo 'changed (or an error)'\n\n",
        "Exit status: 0 no change in the range, 1 changes found, 2 error (one line on stderr);\n",
        "with -q nothing else is printed."
    ))]
    Changelog(ChangelogArgs),
    /// The watch list for monitoring (add, list, remove)
    #[command(after_help = concat!(
        "Examples:\n  policydiff watch add https://example.com/privacy --name example\n",
        "  policydiff watch list\n  policydiff watch remove example\n\n",
        "Exit status: 0 success, 2 error (one line on stderr); with -q nothing is printed."
    ))]
    Watch {
        #[command(subcommand)]
        action: WatchAction,
    },
    /// For cron: look for new captures of every watched URL, report and record what changed
    #[command(after_help = concat!(
        "Examples:\n  policydiff check\n",
        "  policydiff check --webhook https://hooks.example.com/T000 --max-time 45m\n\n",
        "Exit status: 0 nothing new, 1 new versions found, 2 a watch failed (one line each);\n",
        "with -q only the failures are printed, on stderr."
    ))]
    Check(CheckArgs),
    /// Shell completions on standard output
    #[command(after_help = concat!(
        "Examples:\n  policydiff completions bash \\\n",
        "      > ~/.local/share/bash-completion/completions/policydiff\n",
        "  policydiff completions zsh > ~/.zfunc/_policydiff\n",
        "  policydiff completions fish > ~/.config/fish/completions/policydiff.fish\n\n",
        "Exit status: 0 success, 2 error."
    ))]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: Shell,
    },
    /// The manual page (roff) on standard output
    #[command(after_help = concat!(
        "Examples:\n  policydiff manpage > policydiff.1 && man ./policydiff.1\n\n",
        "Exit status: 0 success, 2 error."
    ))]
    Manpage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Aligned columns for people
    Table,
    /// A JSON document for programs
    Json,
}

#[derive(Debug, Args)]
pub struct CapturesArgs {
    /// The page's URL (http:// or https://)
    pub url: String,
    /// Only captures from DATE on (its span's start)
    #[arg(long, value_name = "DATE")]
    pub from: Option<DateSpec>,
    /// Only captures up to DATE (its span's end)
    #[arg(long, value_name = "DATE")]
    pub to: Option<DateSpec>,
    /// Every capture (any status, repeated digests), not only one per distinct digest
    #[arg(long)]
    pub all: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// The page's URL (http:// or https://)
    pub url: String,
    /// Only the capture closest to DATE
    #[arg(long, value_name = "DATE", conflicts_with_all = ["from", "to"])]
    pub at: Option<DateSpec>,
    /// Only captures from DATE on
    #[arg(long, value_name = "DATE")]
    pub from: Option<DateSpec>,
    /// Only captures up to DATE
    #[arg(long, value_name = "DATE")]
    pub to: Option<DateSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    /// Plain text: headings and paragraphs
    Text,
    /// Markdown (headings as #, list items as *)
    Markdown,
    /// The Document as JSON (title, sections, blocks) with its source
    Json,
}

#[derive(Debug, Args)]
pub struct TextArgs {
    /// A file (.html, .htm, .md, .markdown, .txt), - for standard input, URL@DATE or URL
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// For people at a terminal: colour, wrapped to its width
    Terminal,
    /// policydiff.diff/1, for programs
    Json,
    /// A Markdown report (for issues, pull requests, mail)
    Markdown,
    /// One self-contained HTML page
    Html,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old version: a SOURCE (file, -, URL@DATE, URL); with --from/--to, the URL
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The new version: a SOURCE (file, -, URL@DATE, URL)
    #[arg(value_name = "NEW")]
    pub new: Option<String>,
    /// With a URL as OLD: the old version is its capture closest to DATE
    #[arg(long, value_name = "DATE")]
    pub from: Option<DateSpec>,
    /// With a URL as OLD: the new version is its capture closest to DATE
    #[arg(long, value_name = "DATE")]
    pub to: Option<DateSpec>,
    /// Output format [default: from -o's extension (.html, .json, .md), else terminal on
    /// a terminal, markdown otherwise]
    #[arg(long, value_enum)]
    pub format: Option<DiffFormat>,
    /// Write the report to FILE (atomically) instead of standard output; - is standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChangelogFormat {
    /// For people at a terminal, with colour
    Terminal,
    /// A Markdown report
    Markdown,
    /// One self-contained HTML page with a timeline
    Html,
    /// policydiff.changelog/1, for programs
    Json,
    /// An Atom feed (RFC 4287), one entry per step
    Atom,
}

#[derive(Debug, Args)]
pub struct ChangelogArgs {
    /// A URL (its captures in the range), or two or more SOURCEs, oldest first
    #[arg(required = true, value_name = "URL|SOURCE")]
    pub sources: Vec<String>,
    /// The range starts at DATE
    #[arg(long, value_name = "DATE")]
    pub from: Option<DateSpec>,
    /// The range ends at DATE
    #[arg(long, value_name = "DATE")]
    pub to: Option<DateSpec>,
    /// Fetch by bisection between captures whose versions differ (fewer fetches; a
    /// stretch whose two ends are equal is assumed unchanged)
    #[arg(long)]
    pub bisect: bool,
    /// Output format [default: from -o's extension (.html, .json, .md, .atom, .txt), else
    /// terminal on a terminal, markdown otherwise]
    #[arg(long, value_enum)]
    pub format: Option<ChangelogFormat>,
    /// Write the report to FILE (atomically) instead of standard output; - is standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum WatchAction {
    /// Watch a URL (--select/--remove given with it are recorded with the watch)
    #[command(after_help = concat!(
        "Examples:\n  policydiff watch add https://example.com/privacy --name example\n",
        "  policydiff watch add https://example.org/terms --live\n",
        "  policydiff watch add https://example.net/legal --select 'main article'\n\n",
        "Exit status: 0 success, 2 error (one line on stderr); with -q nothing is printed."
    ))]
    Add(WatchAddArgs),
    /// List watched URLs
    #[command(after_help = concat!(
        "Examples:\n  policydiff watch list\n  policydiff watch list --format json\n\n",
        "Exit status: 0 success, 2 error (one line on stderr); with -q nothing is printed."
    ))]
    List(WatchListArgs),
    /// Stop watching NAME
    #[command(after_help = concat!(
        "Examples:\n  policydiff watch remove example\n\n",
        "Exit status: 0 success, 2 error (one line on stderr); with -q nothing is printed."
    ))]
    Remove(WatchRemoveArgs),
}

#[derive(Debug, Args)]
pub struct WatchAddArgs {
    /// The page's URL (http:// or https://)
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
    /// Output format
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct WatchRemoveArgs {
    /// The watch's name (as `watch list` shows it)
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// One line per watch for people and logs
    Text,
    /// policydiff.check/1 documents, for programs
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Only these watches [default: every watch]
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Output format
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

/// `64M`, `1G`, `500k`, `1048576`: a SIZE of `--max-input-size` (binary units).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let bad = || format!("'{text}' is not a SIZE (e.g. 64M, 1G, 500k, or bytes)");
    let t = text.trim().to_ascii_lowercase();
    let t = t.strip_suffix('b').filter(|r| r.ends_with(['k', 'm', 'g'])).unwrap_or(&t);
    let (number, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let unit: u64 = match unit {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        _ => return Err(bad()),
    };
    let n: u64 = number.parse().map_err(|_| bad())?;
    n.checked_mul(unit).filter(|v| *v > 0).ok_or_else(bad)
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
        config.max_input_size = self.max_input_size;
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

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("500k"), Ok(500 << 10));
        assert_eq!(parse_size("1GB"), Ok(1 << 30));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("0").is_err() && parse_size("12x").is_err() && parse_size("").is_err());
    }

    #[test]
    fn every_argument_and_option_is_described() {
        use clap::CommandFactory;
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id != "help" && id != "version" && arg.get_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_name() != "help" {
                    if sub.get_about().is_none() {
                        missing.push(format!("{path} {}", sub.get_name()));
                    }
                    walk(sub, &format!("{path} {}", sub.get_name()), missing);
                }
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "policydiff", &mut missing);
        assert!(missing.is_empty(), "without a description: {missing:?}");
        Cli::command().debug_assert();
    }
}

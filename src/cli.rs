//! The command line (clap derive) and the dispatch to [`crate::commands`].
//!
//! Every global option of PRODUCT.md is parsed here, also from its environment
//! variable, and is accepted before or after the subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands;
use crate::date::DateSpec;
use crate::error::Result;

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
    Markdown,
    Html,
    Json,
    Atom,
}

#[derive(Debug, Args)]
pub struct ChangelogArgs {
    pub url: String,
    #[arg(long, value_name = "DATE")]
    pub from: Option<DateSpec>,
    #[arg(long, value_name = "DATE")]
    pub to: Option<DateSpec>,
    #[arg(long, value_enum, default_value_t = ChangelogFormat::Markdown)]
    pub format: ChangelogFormat,
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum WatchAction {
    /// Watch a URL
    Add {
        url: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// List watched URLs
    List,
    /// Stop watching
    Remove { name: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    #[arg(long, value_name = "URL")]
    pub webhook: Option<String>,
}

/// Settings every command shares, resolved from [`GlobalArgs`].
#[derive(Debug, Clone)]
pub struct Config {
    pub store: PathBuf,
    pub offline: bool,
    pub wayback_url: String,
    pub select: Option<String>,
    pub remove: Option<String>,
    /// Colour on stdout, after `--color`, `NO_COLOR` and whether stdout is a terminal.
    pub color: bool,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
}

impl Config {
    pub fn from_args(global: &GlobalArgs) -> Self {
        use std::io::IsTerminal;
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stdout_is_terminal && !no_color,
        };
        Config {
            store: global.store.clone().unwrap_or_else(default_store),
            offline: global.offline,
            wayback_url: global.wayback_url.trim_end_matches('/').to_string(),
            select: global.select.clone(),
            remove: global.remove.clone(),
            color,
            stdout_is_terminal,
            stderr_is_terminal: std::io::stderr().is_terminal(),
        }
    }

    pub fn normalize_options(&self) -> crate::normalize::Options {
        crate::normalize::Options {
            select: self.select.clone(),
            remove: self.remove.clone(),
            content_type: None,
        }
    }
}

/// `~/.local/share/policydiff` on Linux, the platform's data directory elsewhere.
pub fn default_store() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("policydiff")
}

/// Logs go to stderr: warnings by default, `-v` info, `-vv` debug, `-q` errors only.
pub fn init_logging(global: &GlobalArgs) {
    let default = match (global.quiet, global.verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, _) => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| {
        // html5ever reports every parse error of real-world HTML: not the user's concern.
        tracing_subscriber::EnvFilter::new(format!("{default},html5ever=off,selectors=off"))
    });
    // Colour on stderr only where a terminal shows it and the user has not said no.
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let ansi = match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !no_color && std::io::IsTerminal::is_terminal(&std::io::stderr()),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .try_init();
}

/// Runs the command and returns its exit status.
pub fn run(cli: Cli) -> Result<u8> {
    let config = Config::from_args(&cli.global);
    match cli.command {
        Command::Captures(args) => commands::captures::run(&args, &config),
        Command::Fetch(args) => commands::fetch::run(&args, &config),
        Command::Text(args) => commands::text::run(&args, &config),
        Command::Diff(args) => commands::diff::run(&args, &config),
        Command::Changelog(_) => Err(crate::Error::NotYetAvailable("changelog")),
        Command::Watch { .. } => Err(crate::Error::NotYetAvailable("watch")),
        Command::Check(_) => Err(crate::Error::NotYetAvailable("check")),
    }
}

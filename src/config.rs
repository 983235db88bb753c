//! Run-time configuration: what the global options (and their environment variables)
//! resolve to, apart from how the command line spells them (see `cli.rs`).
//!
//! [`Config::acquirer`] gives the acquiring stage for these settings: offline means an
//! acquirer without a client. [`init_logging`] sets up the stderr log.

use std::path::PathBuf;

use crate::acquire::Acquirer;
use crate::error::Result;
use crate::normalize;
use crate::store::Store;

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// How much the log says on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogLevel {
    /// `-q`: errors only.
    Quiet,
    /// Warnings (the default).
    #[default]
    Warn,
    /// `-v`.
    Info,
    /// `-vv` and more.
    Debug,
}

/// Settings every command shares.
#[derive(Debug, Clone)]
pub struct Config {
    pub store: PathBuf,
    /// No network request at all: only the store.
    pub offline: bool,
    /// Base URL of the Wayback Machine, without a trailing `/`.
    pub wayback_url: String,
    pub select: Option<String>,
    pub remove: Option<String>,
    /// Colour on stdout, after `--color`, `NO_COLOR` and whether stdout is a terminal.
    pub color: bool,
    /// Colour on stderr (log lines), by the same rules for stderr.
    pub stderr_color: bool,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
    pub log_level: LogLevel,
}

impl Config {
    /// Defaults for a store: online against the real archive, no colour, no terminal.
    pub fn new(store: impl Into<PathBuf>) -> Config {
        Config {
            store: store.into(),
            offline: false,
            wayback_url: crate::acquire::DEFAULT_ARCHIVE.to_string(),
            select: None,
            remove: None,
            color: false,
            stderr_color: false,
            stdout_is_terminal: false,
            stderr_is_terminal: false,
            log_level: LogLevel::Warn,
        }
    }

    /// Fills in what the process's terminals and environment say (`NO_COLOR`).
    pub fn detect_terminals(mut self, color: ColorChoice) -> Config {
        use std::io::IsTerminal;
        self.stdout_is_terminal = std::io::stdout().is_terminal();
        self.stderr_is_terminal = std::io::stderr().is_terminal();
        self.color = use_color(color, self.stdout_is_terminal);
        self.stderr_color = use_color(color, self.stderr_is_terminal);
        self
    }

    pub fn normalize_options(&self) -> normalize::Options {
        normalize::Options { select: self.select.clone(), remove: self.remove.clone(), content_type: None }
    }

    /// The acquiring stage for these settings (no client when offline).
    pub fn acquirer(&self) -> Result<Acquirer> {
        let store = Store::new(&self.store);
        let acquirer = if self.offline {
            Acquirer::new(store, None, &self.wayback_url)
        } else {
            Acquirer::online(store, &self.wayback_url)?
        };
        Ok(acquirer.with_options(self.normalize_options()))
    }

    /// True when progress bars and spinners may be drawn (stderr is a terminal, not `-q`).
    pub fn shows_progress(&self) -> bool {
        self.stderr_is_terminal && self.log_level != LogLevel::Quiet
    }
}

/// Colour for a stream: `always`/`never` win; `auto` is a terminal and no non-empty
/// `NO_COLOR` (an empty one does not count, per no-color.org).
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// `~/.local/share/policydiff` on Linux, the platform's data directory elsewhere.
pub fn default_store() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("policydiff")
}

/// Logs go to stderr: warnings by default; `RUST_LOG` overrides the level.
pub fn init_logging(config: &Config) {
    let default = match config.log_level {
        LogLevel::Quiet => "error",
        LogLevel::Warn => "warn",
        LogLevel::Info => "info",
        LogLevel::Debug => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| {
        // html5ever reports every parse error of real-world HTML: not the user's concern.
        tracing_subscriber::EnvFilter::new(format!("{default},html5ever=off,selectors=off"))
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(config.stderr_color)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .try_init();
}

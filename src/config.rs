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
    /// Columns to wrap terminal output to (`None`: not a terminal, no wrapping).
    pub width: Option<usize>,
    pub log_level: LogLevel,
    /// Local inputs (files, standard input) larger than this are refused.
    pub max_input_size: u64,
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
            width: None,
            log_level: LogLevel::Warn,
            max_input_size: crate::acquire::DEFAULT_MAX_INPUT,
        }
    }

    /// Fills in what the process's terminals and environment say (`NO_COLOR`).
    pub fn detect_terminals(mut self, color: ColorChoice) -> Config {
        use std::io::IsTerminal;
        self.stdout_is_terminal = std::io::stdout().is_terminal();
        self.stderr_is_terminal = std::io::stderr().is_terminal();
        self.color = use_color(color, self.stdout_is_terminal);
        self.stderr_color = use_color(color, self.stderr_is_terminal);
        self.width = if self.stdout_is_terminal { terminal_width() } else { None };
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
        Ok(acquirer.with_options(self.normalize_options()).with_max_input(self.max_input_size))
    }

    /// `-q`/`--brief`: no report, only errors and the exit status.
    pub fn brief(&self) -> bool {
        self.log_level == LogLevel::Quiet
    }

    /// True when progress bars and spinners may be drawn (stderr is a terminal, not `-q`).
    pub fn shows_progress(&self) -> bool {
        self.stderr_is_terminal && self.log_level != LogLevel::Quiet
    }
}

/// Colour for a stream: `always`/`never` win; `auto` is a terminal, no non-empty
/// `NO_COLOR` (an empty one does not count, per no-color.org) and not `TERM=dumb`.
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    color_with(
        choice,
        is_terminal,
        std::env::var_os("NO_COLOR").as_deref(),
        std::env::var_os("TERM").as_deref(),
    )
}

/// [`use_color`] with the environment given.
pub fn color_with(
    choice: ColorChoice,
    is_terminal: bool,
    no_color: Option<&std::ffi::OsStr>,
    term: Option<&std::ffi::OsStr>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && no_color.is_none_or(|v| v.is_empty()) && term.is_none_or(|t| t != "dumb")
        }
    }
}

/// Columns of the terminal on stdout (`COLUMNS` first), when it is one.
pub fn terminal_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()) {
        return Some(n).filter(|n| *n >= 20);
    }
    terminal_size::terminal_size().map(|(w, _)| w.0 as usize).filter(|n| *n >= 20)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn term_dumb_means_no_colour() {
        assert!(!color_with(ColorChoice::Auto, true, None, Some(OsStr::new("dumb"))));
        assert!(color_with(ColorChoice::Auto, true, None, Some(OsStr::new("xterm-256color"))));
        assert!(color_with(ColorChoice::Always, true, None, Some(OsStr::new("dumb"))));
    }

    #[test]
    fn empty_no_color_does_not_disable_colour() {
        assert!(color_with(ColorChoice::Auto, true, Some(OsStr::new("")), None));
        assert!(!color_with(ColorChoice::Auto, true, Some(OsStr::new("1")), None));
        assert!(!color_with(ColorChoice::Auto, false, None, None), "never on a pipe");
    }
}

//! One module per command: each parses nothing itself (see `cli.rs`), calls the library
//! — [`crate::acquire`] for Documents, [`crate::diff`], [`crate::report`] — and prints
//! through [`crate::output`]. Nothing here parses HTML, diffs text or speaks HTTP.

pub mod captures;
pub mod changelog;
pub mod check;
pub mod diff;
pub mod fetch;
pub mod text;
pub mod watch;

use crate::cli::Command;
use crate::config::Config;
use crate::error::Result;

/// Runs one parsed command and returns its exit status.
pub async fn run(command: Command, config: &Config) -> Result<u8> {
    match command {
        Command::Captures(args) => captures::run(&args, config).await,
        Command::Fetch(args) => fetch::run(&args, config).await,
        Command::Text(args) => text::run(&args, config).await,
        Command::Diff(args) => diff::run(&args, config).await,
        Command::Changelog(args) => changelog::run(&args, config).await,
        Command::Watch { action } => watch::run(&action, config).await,
        Command::Check(args) => check::run(&args, config).await,
    }
}

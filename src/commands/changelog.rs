//! `policydiff changelog`: parsed (see `cli.rs`), not yet implemented.

use crate::cli::ChangelogArgs;
use crate::config::Config;
use crate::error::{Error, Result};

pub async fn run(_args: &ChangelogArgs, _config: &Config) -> Result<u8> {
    Err(Error::NotYetAvailable("changelog"))
}

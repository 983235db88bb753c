//! `policydiff check`: parsed (see `cli.rs`), not yet implemented.

use crate::cli::CheckArgs;
use crate::config::Config;
use crate::error::{Error, Result};

pub async fn run(_args: &CheckArgs, _config: &Config) -> Result<u8> {
    Err(Error::NotYetAvailable("check"))
}

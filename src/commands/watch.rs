//! `policydiff watch add|list|remove`: parsed (see `cli.rs`), not yet implemented.

use crate::cli::WatchAction;
use crate::config::Config;
use crate::error::{Error, Result};

pub async fn run(_action: &WatchAction, _config: &Config) -> Result<u8> {
    Err(Error::NotYetAvailable("watch"))
}

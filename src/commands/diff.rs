//! `policydiff diff OLD NEW`: what changed from OLD to NEW.

use crate::cli::{Config, DiffArgs};
use crate::error::{Error, Result};

pub fn run(_args: &DiffArgs, _config: &Config) -> Result<u8> {
    Err(Error::NotYetAvailable("diff"))
}

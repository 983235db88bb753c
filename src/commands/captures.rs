//! `policydiff captures URL`: list a URL's captures.

use crate::cli::{CapturesArgs, Config};
use crate::error::{Error, Result};

pub fn run(_args: &CapturesArgs, _config: &Config) -> Result<u8> {
    Err(Error::NotYetAvailable("captures"))
}

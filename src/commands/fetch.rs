//! `policydiff fetch URL`: download captures into the store.

use crate::cli::{Config, FetchArgs};
use crate::error::{Error, Result};

pub fn run(_args: &FetchArgs, _config: &Config) -> Result<u8> {
    Err(Error::NotYetAvailable("fetch"))
}

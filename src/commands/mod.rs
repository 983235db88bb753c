//! One module per command: each turns parsed arguments into work for the pipeline
//! stages and writes the result. Nothing here parses HTML or diffs text.

pub mod captures;
pub mod diff;
pub mod fetch;
pub mod text;

use crate::cli::Config;
use crate::date::DateSpec;
use crate::error::{Error, Result};
use crate::source::Loaded;

/// Loads `URL@DATE` (or the newest capture of `URL`) from the store or the archive.
pub fn load_archived(_arg: &str, _url: &str, _date: Option<DateSpec>, _config: &Config) -> Result<Loaded> {
    Err(Error::NotYetAvailable("reading archive sources (URL@DATE)"))
}

//! Old paths, kept for callers: SOURCE parsing lives in [`crate::acquire`], the
//! provenance record in [`crate::provenance`].

pub use crate::acquire::{io_message, Loaded, Source};
pub use crate::provenance::SourceInfo;

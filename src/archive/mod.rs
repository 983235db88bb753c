//! The Wayback Machine client: CDX listings and raw (`id_`) capture fetches, with the
//! archive's etiquette (rate limits, `Retry-After`, bounded retries).
//!
//! [`Client::list`] gives the [`Capture`]s of a URL; [`Client::fetch`] gives one
//! capture's bytes as archived, after following closest-capture and archived redirects
//! inside the archive. What this module does not do: store anything (see
//! [`crate::store`]) or look inside the HTML.

pub mod cdx;
pub mod client;
pub mod etiquette;

pub use cdx::{Capture, Query};
pub use client::{Client, Fetched};
pub use etiquette::{Etiquette, Limits, RequestClass};

//! HTML into a [`Document`] (work in progress).

use super::{NormalizeError, Options};
use crate::document::Document;

pub fn normalize_html(bytes: &[u8], options: &Options) -> Result<Document, NormalizeError> {
    let (text, _) = super::charset::decode(bytes, options.content_type.as_deref());
    let html = super::wayback::strip_replay_artifacts(&text);
    let _dom = scraper::Html::parse_document(&html);
    Err(NormalizeError::NoText)
}

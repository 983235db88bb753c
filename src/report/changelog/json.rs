//! `--format json`: the schema `policydiff.changelog/1` of PRODUCT.md. A step's
//! `summary`, `sections` and `changes` are the diff report's body, exactly as in
//! `policydiff.diff/1`. Beyond the schema's fields: `unusable` (the captures that show
//! no policy, with the reason) and `assumed_unchanged` (stretches not fetched with
//! `--bisect`).

use serde::Serialize;

use super::Changelog;
use crate::history::{Flag, Skipped, Stretch, Version, Window};
use crate::report::wire::DiffBody;

/// The schema name every changelog carries.
pub const SCHEMA: &str = "policydiff.changelog/1";

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    url: Option<&'a str>,
    range: Option<Range<'a>>,
    captures: Option<Captures>,
    versions: &'a [Version],
    steps: Vec<Step<'a>>,
    unusable: &'a [Skipped],
    assumed_unchanged: &'a [Stretch],
}

#[derive(Serialize)]
struct Range<'a> {
    from: &'a str,
    to: &'a str,
}

#[derive(Serialize)]
struct Captures {
    listed: usize,
    distinct_digests: usize,
    fetched: usize,
    failed: usize,
    bisect: bool,
}

/// A step as PRODUCT.md gives it.
#[derive(Serialize)]
pub struct Step<'a> {
    from_version: usize,
    to_version: usize,
    reverts_to: Option<usize>,
    window: Option<Window>,
    old_capture: Option<&'a str>,
    new_capture: Option<&'a str>,
    old_digest: Option<&'a str>,
    new_digest: Option<&'a str>,
    flags: &'a [Flag],
    #[serde(flatten)]
    body: DiffBody,
}

impl<'a> From<&'a crate::history::Step> for Step<'a> {
    fn from(s: &'a crate::history::Step) -> Self {
        Step {
            from_version: s.from_version,
            to_version: s.to_version,
            reverts_to: s.reverts_to,
            window: s.window(),
            old_capture: s.after.memento.as_deref(),
            new_capture: s.before.memento.as_deref(),
            old_digest: s.after.digest.as_deref(),
            new_digest: s.before.digest.as_deref(),
            flags: &s.flags,
            body: DiffBody::from(&s.diff),
        }
    }
}

/// The pretty JSON changelog, ending in a newline.
pub fn render(log: &Changelog<'_>) -> String {
    let h = log.history;
    let captures = match (log.listed, log.distinct_digests) {
        (Some(listed), Some(distinct_digests)) => Some(Captures {
            listed,
            distinct_digests,
            fetched: h.fetched,
            failed: h.unusable.len(),
            bisect: h.bisected,
        }),
        _ => None,
    };
    let report = Report {
        schema: SCHEMA,
        url: log.url,
        range: log.range.map(|(from, to)| Range { from, to }),
        captures,
        versions: &h.versions,
        steps: h.steps.iter().map(Step::from).collect(),
        unusable: &h.unusable,
        assumed_unchanged: &h.assumed_unchanged,
    };
    crate::report::json::to_pretty(&report)
}

//! The changelog as an Atom feed (RFC 4287): one entry per step, newest first, so a
//! feed reader shows each change of the policy once. Entry ids are `tag:` URIs made
//! from the policy's URL and the step's `before` capture: a rerun over a longer range
//! keeps the ids of the entries it had. `updated` is the `before` capture's time; the
//! content is the step's report as HTML.

use super::{echo_text, flag_text, short_summary, when, Changelog};
use crate::history::{CaptureRef, Step};
use crate::report::html::escape;

/// The host of a URL (`example.com` of `https://example.com:8080/privacy`).
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', ':', '?', '#']).unwrap_or(rest.len());
    &rest[..end]
}

/// Percent-encodes what a `tag:` URI's specific part may not hold.
fn tag_specific(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// RFC 3339 time of a capture label: a 14-digit timestamp, or the first date and time
/// written in a SOURCE name (`2026-02-06T12-47-52Z.md`); the epoch when it has none.
fn rfc3339(label: &str) -> String {
    let digits: String = label.chars().filter(char::is_ascii_digit).collect();
    let padded = match digits.len() {
        n if n >= 14 => digits[..14].to_string(),
        8..=13 => format!("{:0<14}", &digits[..8]),
        _ => return "1970-01-01T00:00:00Z".to_string(),
    };
    match chrono::NaiveDateTime::parse_from_str(&padded, "%Y%m%d%H%M%S") {
        Ok(t) => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Err(_) => "1970-01-01T00:00:00Z".to_string(),
    }
}

/// The stable id of a step's entry.
fn entry_id(log: &Changelog<'_>, step: &Step) -> String {
    let before = &step.before;
    match log.url {
        Some(url) => {
            let day = &rfc3339(&before.label)[..10];
            let bare = url.split_once("://").map_or(url, |(_, r)| r);
            format!(
                "tag:{},{day}:policydiff/{}@{}",
                host(url),
                tag_specific(bare),
                tag_specific(&before.label)
            )
        }
        None => format!("tag:policydiff.invalid,2000:local/{}", tag_specific(&before.label)),
    }
}

/// The step's report as HTML (escaped once more into the feed by the caller).
fn entry_html(log: &Changelog<'_>, step: &Step) -> String {
    let link = |c: &CaptureRef| match &c.memento {
        Some(m) => format!("<a href=\"{}\">{}</a>", escape(m), escape(&when(&c.label))),
        None => escape(&c.label),
    };
    let mut html = format!(
        "<p>Version {} → version {}: after {}, before {}.</p>\n",
        step.from_version,
        step.to_version,
        link(&step.after),
        link(&step.before)
    );
    if let Some(to) = step.reverts_to {
        html.push_str(&format!("<p>Back to the text of version {to}.</p>\n"));
    }
    if let Some(echo) = echo_text(log, step) {
        html.push_str(&format!("<p>{}</p>\n", escape(&echo)));
    }
    for flag in &step.flags {
        let text = flag_text(*flag, log.version(step.from_version), log.version(step.to_version));
        html.push_str(&format!("<p>{}</p>\n", escape(&text)));
    }
    if let Some(note) = log.assumed_note() {
        html.push_str(&format!("<p><em>{}</em></p>\n", escape(&note)));
    }
    // No context clauses: feed readers drop the style that sets them apart from changes.
    html.push_str(&crate::report::html::body(&step.diff, 3, None));
    html
}

/// The Atom feed.
pub fn render(log: &Changelog<'_>) -> String {
    let h = log.history;
    let title = log.title();
    let feed_id = match log.url {
        Some(url) => {
            let bare = url.split_once("://").map_or(url, |(_, r)| r);
            format!("tag:{},2000:policydiff/{}", host(url), tag_specific(bare))
        }
        None => {
            let first = h.versions.first().map_or("", |v| v.first_seen.as_str());
            format!("tag:policydiff.invalid,2000:local/{}", tag_specific(first))
        }
    };
    let updated = h
        .steps
        .last()
        .map(|s| s.before.label.clone())
        .or_else(|| h.versions.last().map(|v| v.last_seen.clone()))
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |l| rfc3339(&l));
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <id>{}</id>\n<title>Changes to {}</title>\n<updated>{updated}</updated>\n\
         <author><name>policydiff</name></author>\n<generator>policydiff</generator>\n",
        escape(&feed_id),
        escape(title)
    );
    if let Some(url) = log.url {
        out.push_str(&format!("<link rel=\"alternate\" href=\"{}\"/>\n", escape(url)));
    }
    for step in h.steps.iter().rev() {
        out.push_str("<entry>\n");
        out.push_str(&format!("<id>{}</id>\n", escape(&entry_id(log, step))));
        out.push_str(&format!("<title>{}: {}</title>\n", escape(title), escape(&short_summary(&step.diff))));
        out.push_str(&format!("<updated>{}</updated>\n", rfc3339(&step.before.label)));
        if let Some(view) = step.before.view_url() {
            out.push_str(&format!(
                "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                escape(&view)
            ));
        }
        out.push_str(&format!("<content type=\"html\">{}</content>\n", escape(&entry_html(log, step))));
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

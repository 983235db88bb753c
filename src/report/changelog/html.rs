//! The changelog as one self-contained HTML page (inline style, no script, nothing
//! fetched): a timeline of the versions and the steps between them, then each step
//! with its window, links to both captures and its clause changes with inline word
//! diffs (the diff report's HTML body).

use super::{echo_text, flag_text, seen, short_summary, step_title, when, Changelog};
use crate::history::CaptureRef;
use crate::report::html::{escape, STYLE};

const CHANGELOG_STYLE: &str = ".meta{color:#444}.note{background:#fff6d6;border-left:4px solid #e0b000;padding:.5rem .8rem}\
ol.timeline{list-style:none;padding-left:0;margin-left:.6rem;border-left:3px solid #c9d3e0}\
ol.timeline li{position:relative;margin:0 0 .2rem 0;padding:.35rem 0 .35rem 1.3rem}\
ol.timeline li::before{content:\"\";position:absolute;left:-.55rem;top:.75rem;width:.8rem;height:.8rem;border-radius:50%;background:#0b5394}\
ol.timeline li.step::before{background:#fff;border:2px solid #7a5b00;width:.5rem;height:.5rem;left:-.45rem}\
ol.timeline li.revert::before{background:#8e44ad}ol.timeline li.step{color:#5a4500;font-size:.95em}\
.dates{color:#555}.tag{font-size:.8em;padding:.05rem .4rem;border-radius:3px;background:#eee;margin-left:.3rem}\
.tag.revert{background:#efe0f6;color:#6c2a8a}.tag.flag{background:#fff0c2;color:#6b5200}\
section.step{border-top:2px solid #ddd;margin-top:2rem}section.step h3{font-size:1.15rem}\
dl.window{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.6rem 0}\
dl.window dt{font-weight:600}dl.window dd{margin:0}.digest{color:#666;font-size:.85em}\
section.step h4{font-size:1rem;margin-top:1.2rem;border-bottom:1px solid #eee}\
footer{margin-top:3rem;color:#777;font-size:.85em}";

fn capture(c: &CaptureRef) -> String {
    let mut s = format!("<span class=\"when\">{}</span>", escape(&seen(c)));
    if let Some(m) = &c.memento {
        s.push_str(&format!(" · <a href=\"{}\">raw capture</a>", escape(m)));
    }
    if let Some(v) = c.view_url() {
        s.push_str(&format!(" · <a href=\"{}\">in the Wayback Machine</a>", escape(&v)));
    }
    if let Some(d) = &c.digest {
        s.push_str(&format!(" <span class=\"digest\">digest <code>{}</code></span>", escape(d)));
    }
    s
}

/// A capture's time, or a local SOURCE by its file name (the whole name on hover).
fn span(label: &str) -> String {
    let short = if label.contains("://") { None } else { label.rsplit('/').next().filter(|s| *s != label) };
    match short {
        Some(name) => format!("<span title=\"{}\">{}</span>", escape(label), escape(name)),
        None => escape(&when(label)),
    }
}

/// The HTML page.
pub fn render(log: &Changelog<'_>) -> String {
    let h = log.history;
    let title = escape(log.title());
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Changelog of {title}</title>\n<style>{STYLE}{CHANGELOG_STYLE}</style>\n</head>\n<body>\n\
         <h1>Changelog of {title}</h1>\n<p class=\"meta\">"
    );
    if let Some(url) = log.url {
        out.push_str(&format!("<a href=\"{u}\">{u}</a><br>\n", u = escape(url)));
    }
    if let Some((from, to)) = log.range {
        out.push_str(&format!("{} to {}<br>\n", escape(&when(from)), escape(&when(to))));
    }
    out.push_str(&format!(
        "{}; {} version{}, {} step{}</p>\n",
        escape(&log.captures_line()),
        h.versions.len(),
        super::plural(h.versions.len()),
        h.steps.len(),
        super::plural(h.steps.len())
    ));
    if let Some(note) = log.assumed_note() {
        out.push_str(&format!("<p class=\"note\">{}</p>\n", escape(&note)));
    }
    if h.steps.is_empty() {
        out.push_str("<p class=\"summary\">No change in the range.</p>\n");
    }
    out.push_str("<h2>Timeline</h2>\n<ol class=\"timeline\">\n");
    for (i, v) in h.versions.iter().enumerate() {
        if i > 0 {
            if let Some(step) = h.steps.iter().find(|s| s.to_version == v.index) {
                let n = h.steps.iter().position(|s| std::ptr::eq(s, step)).unwrap_or(0) + 1;
                let flags: String = step
                    .flags
                    .iter()
                    .map(|f| match f {
                        crate::history::Flag::StatedDateUnchanged => {
                            " <span class=\"tag flag\">stated date unchanged</span>"
                        }
                        crate::history::Flag::StatedDateOnly => {
                            " <span class=\"tag flag\">only the stated date</span>"
                        }
                    })
                    .collect();
                out.push_str(&format!(
                    "<li class=\"step\"><a href=\"#step-{n}\">Step {n}</a>: {}{flags}{}</li>\n",
                    escape(&short_summary(&step.diff)),
                    step.window()
                        .map(|w| format!(
                            " <span class=\"dates\">between {} and {}</span>",
                            escape(&when(&w.after)),
                            escape(&when(&w.before))
                        ))
                        .unwrap_or_default()
                ));
            }
        }
        let class = if v.same_as.is_some() { "version revert" } else { "version" };
        let seen = if v.first_seen == v.last_seen {
            span(&v.first_seen)
        } else {
            format!("{} – {}", span(&v.first_seen), span(&v.last_seen))
        };
        let mut line = format!(
            "<li class=\"{class}\" id=\"version-{}\"><strong>Version {}</strong> <span class=\"dates\">{seen}</span> · {} capture{}",
            v.index,
            v.index,
            v.captures,
            super::plural(v.captures)
        );
        if let Some(d) = &v.stated_date {
            line.push_str(&format!(" · states <time>{}</time>", escape(d)));
        }
        if let Some(s) = v.same_as {
            line.push_str(&format!(" <span class=\"tag revert\">the text of version {s} again</span>"));
        }
        out.push_str(&line);
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
    if !h.steps.is_empty() {
        out.push_str("<h2>Steps</h2>\n");
    }
    for (i, step) in h.steps.iter().enumerate() {
        out.push_str(&format!(
            "<section class=\"step\" id=\"step-{}\">\n<h3>Step {}: {} <small>({})</small>",
            i + 1,
            i + 1,
            escape(&step_title(step)),
            escape(&short_summary(&step.diff))
        ));
        if step.reverts_to.is_some() {
            out.push_str(" <span class=\"tag revert\">revert</span>");
        }
        out.push_str("</h3>\n<dl class=\"window\">\n");
        let (a, b) = if step.window().is_some() { ("After", "Before") } else { ("From", "To") };
        out.push_str(&format!("<dt>{a}</dt><dd>{}</dd>\n", capture(&step.after)));
        out.push_str(&format!("<dt>{b}</dt><dd>{}</dd>\n</dl>\n", capture(&step.before)));
        for flag in &step.flags {
            let text = flag_text(*flag, log.version(step.from_version), log.version(step.to_version));
            out.push_str(&format!("<p><span class=\"tag flag\">note</span> {}</p>\n", escape(&text)));
        }
        let body = crate::report::html::body(&step.diff, 4, Some(&log.context(step)));
        match echo_text(log, step) {
            Some(echo) => out.push_str(&format!(
                "<p>{}</p>\n<details><summary>The clauses</summary>\n{body}</details>\n",
                escape(&echo)
            )),
            None => out.push_str(&body),
        }
        out.push_str("</section>\n");
    }
    if !h.unusable.is_empty() {
        out.push_str("<h2>Captures that show no policy</h2>\n<ul>\n");
        for s in &h.unusable {
            out.push_str(&format!("<li>{}: {}</li>\n", capture(&s.capture), escape(&s.reason.to_string())));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<footer>Made by policydiff.</footer>\n</body>\n</html>\n");
    out
}

//! A stand-in history: real versions of a policy (Open Terms Archive Markdown, in
//! tests/fixtures/history/) rendered into archived HTML captures of one URL, several
//! captures per version, each with other site chrome — navigation with session tokens
//! in its links, a cookie banner, a rotating promo box, a footer year, a server clock,
//! an inline script — and error and captcha pages among them. [`Plan::archive`] puts
//! them in the Wayback stand-in's model archive ([`super::Archive`]).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use policydiff::document::{Block, Document};
use policydiff::normalize::normalize_markdown;

use super::{Archive, Reply, StandIn};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Which of Parler's versions each one reads as: 0 → 1 adds two clauses, 2 is the
/// home page recorded by mistake, 3 rewords, 4 is 3 without its links (the same
/// text), 5 adds a section.
pub const PARLER_TEXT: [Option<usize>; 6] = [Some(0), Some(1), None, Some(3), Some(3), Some(5)];

/// The Parler Privacy Policy versions of tests/fixtures/history/parler-pp, oldest first.
pub fn parler_versions() -> Vec<String> {
    let dir = fixtures().join("history/parler-pp");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
}

/// Two consecutive LinkedIn Community Guidelines versions (for flip-flops).
pub fn linkedin_versions() -> Vec<String> {
    ["linkedin-cg-2025-05-29.md", "linkedin-cg-2025-07-29.md"]
        .iter()
        .map(|f| std::fs::read_to_string(fixtures().join("diff").join(f)).unwrap())
        .collect()
}

/// What one capture of the stand-in history shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shows {
    /// Version `i` of the versions given to the plan.
    Version(usize),
    /// "Something went wrong. Refresh this page or try again later."
    ErrorPage,
    /// A Cloudflare-style "Just a moment... checking your browser" page.
    Captcha,
    /// Listed by the CDX server, but every fetch of it fails (see [`Plan::serve`]).
    Missing,
}

/// The captures of one URL, in order, and what each shows.
pub struct Plan {
    pub url: String,
    pub versions: Vec<String>,
    pub captures: Vec<(String, Shows)>,
}

impl Plan {
    /// One capture per entry of `shows`, nine days and a few hours apart from 2020-01-01.
    pub fn new(url: &str, versions: Vec<String>, shows: &[Shows]) -> Plan {
        let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap().and_hms_opt(3, 4, 5).unwrap();
        let captures = shows
            .iter()
            .enumerate()
            .map(|(n, s)| {
                let at = start + chrono::Duration::hours(n as i64 * (9 * 24 + 7));
                (at.format("%Y%m%d%H%M%S").to_string(), *s)
            })
            .collect();
        Plan { url: url.to_string(), versions, captures }
    }

    /// `per_version` captures of each version in turn (no error pages).
    pub fn runs(url: &str, versions: Vec<String>, order: &[usize], per_version: usize) -> Plan {
        let shows: Vec<Shows> =
            order.iter().flat_map(|&v| std::iter::repeat_n(Shows::Version(v), per_version)).collect();
        Plan::new(url, versions, &shows)
    }

    /// The HTML the archive holds for capture `n`.
    pub fn body(&self, n: usize) -> Vec<u8> {
        match self.captures[n].1 {
            Shows::Version(v) => render_capture(&normalize_markdown(&self.versions[v]), n),
            Shows::ErrorPage => error_page(n),
            Shows::Captcha => captcha_page(n),
            Shows::Missing => format!("<p>capture {n}, never served</p>"),
        }
        .into_bytes()
    }

    /// The model archive holding every capture.
    pub fn archive(&self) -> Archive {
        let mut archive = Archive::default();
        for (n, (ts, _)) in self.captures.iter().enumerate() {
            archive.add(&self.url, ts, &self.body(n));
        }
        archive
    }

    /// The Wayback stand-in serving this history; a [`Shows::Missing`] capture
    /// answers 503 to every request.
    pub fn serve(&self) -> StandIn {
        let archive = self.archive();
        let missing: Vec<String> = self.timestamps(Shows::Missing);
        StandIn::start(move |req| {
            if req.is_capture() && missing.iter().any(|ts| req.target.contains(&format!("/{ts}id_/"))) {
                return Reply::status(503);
            }
            archive.answer(req)
        })
    }

    /// The timestamps of the captures showing a policy, with the text they show
    /// (versions whose texts are equal get one id, the first version's).
    pub fn timeline(&self) -> Vec<(String, usize)> {
        self.captures
            .iter()
            .filter_map(|(ts, s)| match s {
                Shows::Version(v) => Some((ts.clone(), *v)),
                _ => None,
            })
            .collect()
    }

    /// The windows of the steps a reader expects: (after, before) for every change of
    /// text between consecutive captures that show the policy. `text[v]` names the
    /// text of version v (equal texts, equal names); `None` for a version that is not
    /// the policy at all (another page).
    pub fn expected_windows(&self, text: &[Option<usize>]) -> Vec<(String, String)> {
        let t: Vec<(String, usize)> =
            self.timeline().into_iter().filter_map(|(ts, v)| text[v].map(|id| (ts, id))).collect();
        t.windows(2).filter(|w| w[0].1 != w[1].1).map(|w| (w[0].0.clone(), w[1].0.clone())).collect()
    }

    pub fn timestamps(&self, shows: Shows) -> Vec<String> {
        self.captures.iter().filter(|(_, s)| *s == shows).map(|(t, _)| t.clone()).collect()
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A session token that changes with every capture, as real sites put in links.
fn token(n: usize) -> String {
    format!("{:016x}", (n as u64 + 7).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

fn header(n: usize) -> String {
    let t = token(n);
    format!(
        "<header class=\"site-header\"><a class=\"logo\" href=\"/?sid={t}\">Example</a>\
         <nav class=\"main-nav\"><ul><li><a href=\"/product?sid={t}\">Product</a></li>\
         <li><a href=\"/pricing?sid={t}\">Pricing</a></li><li><a href=\"/blog?sid={t}\">Blog</a></li>\
         <li><a href=\"/careers?sid={t}\">Careers ({} open roles)</a></li>\
         <li><a href=\"/login?next=%2Fprivacy&amp;sid={t}\">Log in</a></li></ul></nav></header>",
        3 + n % 5
    )
}

fn cookie_banner(n: usize) -> String {
    let text = if n % 2 == 0 {
        "We use cookies to give you the best experience on our website. By continuing you accept them."
    } else {
        "This site uses cookies for analytics and personalised content. Manage your preferences."
    };
    format!(
        "<div id=\"cookie-banner\" class=\"cookie-consent\" role=\"dialog\"><p>{text}</p>\
         <button>Accept all</button><button>Settings</button></div>"
    )
}

fn promo(n: usize) -> String {
    let offers = [
        "Try Example Premium free for 30 days!",
        "Summer sale: 20% off every annual plan.",
        "New: Example for teams. Book a demo today.",
    ];
    format!(
        "<aside class=\"promo sidebar\"><h3>Don't miss out</h3><p>{}</p><a href=\"/offer?sid={}\">Learn more</a></aside>",
        offers[n % offers.len()],
        token(n)
    )
}

fn footer(n: usize) -> String {
    format!(
        "<footer class=\"site-footer\"><p>© {} Example Inc. All rights reserved.</p>\
         <p>Page generated on server web-{:02} at {:02}:{:02}:{:02} in {} ms.</p>\
         <ul><li><a href=\"/privacy?sid={t}\">Privacy</a></li><li><a href=\"/terms?sid={t}\">Terms</a></li></ul></footer>",
        2019 + n % 4,
        n % 7,
        (n * 7) % 24,
        (n * 13) % 60,
        (n * 29) % 60,
        40 + (n * 37) % 300,
        t = token(n)
    )
}

fn script(n: usize) -> String {
    format!(
        "<script>window.__session='{}';window.__rendered={};</script>",
        token(n),
        1_577_836_800 + n * 777_600
    )
}

/// The policy as site HTML: headings, paragraphs, nested lists and tables.
fn policy_html(doc: &Document) -> String {
    let mut out = String::new();
    if let Some(title) = &doc.title {
        if !doc.sections.first().is_some_and(|s| s.level == 1 && s.heading.as_ref() == Some(title)) {
            out.push_str(&format!("<h1>{}</h1>\n", escape(title)));
        }
    }
    for section in &doc.sections {
        if let Some(h) = &section.heading {
            let level = section.level.clamp(1, 6);
            out.push_str(&format!("<h{level}>{}</h{level}>\n", escape(h)));
        }
        let mut open_list: Option<&str> = None;
        let mut table = false;
        for block in &section.blocks {
            let is_item = matches!(block, Block::ListItem { depth: 0, .. });
            let is_row = matches!(block, Block::TableRow { .. });
            if !is_item {
                if let Some(tag) = open_list.take() {
                    out.push_str(&format!("</{tag}>\n"));
                }
            }
            if !is_row && table {
                out.push_str("</table>\n");
                table = false;
            }
            match block {
                Block::ListItem { text, ordered, .. } => {
                    let tag = if *ordered { "ol" } else { "ul" };
                    if open_list.is_none() {
                        out.push_str(&format!("<{tag}>\n"));
                        open_list = Some(tag);
                    }
                    out.push_str(&format!("<li>{}</li>\n", escape(text)));
                }
                Block::TableRow { cells } => {
                    if !table {
                        out.push_str("<table>\n");
                        table = true;
                    }
                    let cells: String = cells.iter().map(|c| format!("<td>{}</td>", escape(c))).collect();
                    out.push_str(&format!("<tr>{cells}</tr>\n"));
                }
                Block::Quote { text } => {
                    out.push_str(&format!("<blockquote><p>{}</p></blockquote>\n", escape(text)))
                }
                Block::Preformatted { text } => out.push_str(&format!("<pre>{}</pre>\n", escape(text))),
                other => out.push_str(&format!("<p>{}</p>\n", escape(&other.text()))),
            }
        }
        if let Some(tag) = open_list {
            out.push_str(&format!("</{tag}>\n"));
        }
        if table {
            out.push_str("</table>\n");
        }
    }
    out
}

/// Capture `n` of a version: the same policy inside chrome that differs from one
/// capture to the next, in one of three page layouts.
pub fn render_capture(doc: &Document, n: usize) -> String {
    let title = escape(doc.title.as_deref().unwrap_or("Privacy Policy"));
    let policy = policy_html(doc);
    let content = match n % 3 {
        0 => format!("<main><article class=\"policy\">\n{policy}</article></main>"),
        1 => format!(
            "<div id=\"content\" class=\"container\"><div class=\"legal-text\">\n{policy}</div></div>"
        ),
        _ => format!(
            "<div class=\"page\"><section class=\"content\">\n{policy}</section>{}</div>",
            promo(n + 1)
        ),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | Example</title>\
         <link rel=\"stylesheet\" href=\"/static/site.css?v={}\">{}</head>\n<body>{}{}\n{}\n{}{}</body></html>\n",
        n % 4,
        script(n),
        cookie_banner(n),
        header(n),
        content,
        promo(n),
        footer(n)
    )
}

/// A site's error page, in the site's own chrome.
pub fn error_page(n: usize) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Privacy Policy | Example</title></head>\n\
         <body>{}{}<main><h1>Privacy Policy</h1><p>Something went wrong. Refresh this page or try again later.</p>\
         <p>Error reference: {}</p></main>{}</body></html>\n",
        cookie_banner(n),
        header(n),
        token(n),
        footer(n)
    )
}

/// A bot check instead of the page.
pub fn captcha_page(n: usize) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Just a moment...</title></head>\n\
         <body><div class=\"main-wrapper\"><h1>Just a moment...</h1>\
         <p>Checking your browser before accessing example.com. This process is automatic.</p>\
         <p>Please enable JavaScript and cookies to continue.</p><p>Ray ID: {}</p></div></body></html>\n",
        token(n)
    )
}

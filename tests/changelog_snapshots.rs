//! The changelog of real archive traffic: the bundled store `snapshots/` (NAKIVO's
//! privacy policy 2015 → 2017, Kashoo's 2011 → 2012), offline, as Markdown and JSON.
//! Snapshot tests: a reviewer sees exactly what changes in the output.

mod support;

use std::path::Path;

use support::{policydiff, stderr, stdout};

const NAKIVO: [&str; 2] =
    ["http://www.nakivo.com/en/privacy.html@2015", "https://www.nakivo.com/support/privacy-policy@2017"];
const KASHOO: [&str; 2] = [
    "http://privacy-policy.truste.com/verified-policy/www.kashoo.com@2011",
    "https://www.kashoo.com/privacypolicy.html@2012",
];

fn changelog(sources: [&str; 2], format: &str) -> String {
    let store = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let mut args = vec!["--offline", "changelog"];
    args.extend(sources);
    args.extend(["--format", format]);
    let out = policydiff(&store, "https://web.archive.org", &[], &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn nakivo_2015_to_2017_markdown() {
    insta::assert_snapshot!("nakivo_markdown", changelog(NAKIVO, "markdown"));
}

#[test]
fn nakivo_2015_to_2017_json() {
    let text = changelog(NAKIVO, "json");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["steps"][0]["window"]["after"], "20151104030641");
    assert_eq!(json["steps"][0]["window"]["before"], "20171211160722");
    insta::assert_snapshot!("nakivo_json", text);
}

#[test]
fn kashoo_2011_to_2012_markdown() {
    insta::assert_snapshot!("kashoo_markdown", changelog(KASHOO, "markdown"));
}

#[test]
fn kashoo_2011_to_2012_json() {
    insta::assert_snapshot!("kashoo_json", changelog(KASHOO, "json"));
}

//! Which captures show the policy at all. An archive holds, beside the policy,
//! captures of error pages ("Refresh this page or try again later"), captchas and
//! stubs; such a capture is not a version of the policy. Taking it for one would
//! tell the user the policy was deleted and then restored.

use serde::Serialize;

use crate::document::Document;

/// Why a capture is not a version of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unusable {
    /// The capture could not be fetched (or read from the store).
    FetchFailed { message: String },
    /// The page holds no policy text at all.
    NoPolicyText { message: String },
    /// An error page of the site or the archive: the phrase that gives it away.
    ErrorPage { phrase: String },
    /// A "prove you are human" page.
    Captcha { phrase: String },
    /// A page a tenth the length of its neighbours, without the words of a policy.
    TooShort { words: usize, neighbour_words: usize },
    /// Another page (the site's home page, a login form) between two captures that
    /// read as a policy, without the words of one.
    NotThePolicy,
}

impl std::fmt::Display for Unusable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unusable::FetchFailed { message } => write!(f, "could not be fetched: {message}"),
            Unusable::NoPolicyText { message } => write!(f, "no policy text: {message}"),
            Unusable::ErrorPage { phrase } => write!(f, "an error page (\u{201c}{phrase}\u{201d})"),
            Unusable::Captcha { phrase } => write!(f, "a captcha page (\u{201c}{phrase}\u{201d})"),
            Unusable::TooShort { words, neighbour_words } => write!(
                f,
                "{words} words without policy vocabulary, against {neighbour_words} in the neighbouring version"
            ),
            Unusable::NotThePolicy => {
                write!(f, "another page: none of the policy vocabulary its neighbours have")
            }
        }
    }
}

/// Phrases of error pages, lowercase. They count only on a short page: a policy
/// may well say "try again later" somewhere in its text.
const ERROR_PHRASES: &[&str] = &[
    "refresh this page or try again later",
    "please try again later",
    "something went wrong",
    "page not found",
    "page you requested could not be found",
    "page you were looking for",
    "this page isn't available",
    "this page is not available",
    "404 not found",
    "error 404",
    "500 internal server error",
    "internal server error",
    "502 bad gateway",
    "bad gateway",
    "503 service unavailable",
    "service unavailable",
    "service temporarily unavailable",
    "gateway timeout",
    "too many requests",
    "an error occurred",
    "an error has occurred",
    "access denied",
    "you don't have permission to access",
    "site is under maintenance",
    "temporarily unavailable",
];

const CAPTCHA_PHRASES: &[&str] = &[
    "captcha",
    "verify you are human",
    "verify that you are human",
    "are you a robot",
    "not a robot",
    "unusual traffic",
    "checking your browser",
    "checking if the site connection is secure",
    "just a moment",
    "enable javascript and cookies to continue",
    "press & hold",
    "press and hold",
    "security check",
];

/// Words that occur in any policy or terms page (stems, lowercase).
const POLICY_VOCABULARY: &[&str] = &[
    "privacy",
    "personal",
    "collect",
    "cookie",
    "consent",
    "third part",
    "disclos",
    "retain",
    "retention",
    "process",
    "rights",
    "agree",
    "terms",
    "liabil",
    "law",
    "data",
    "information",
    "account",
    "service",
    "content",
    "user",
];

/// A page with fewer words than this can be an error page or a captcha.
const SHORT_PAGE_WORDS: usize = 300;

/// Distinct policy stems a real policy, however short, holds.
const VOCABULARY_NEEDED: usize = 4;

/// Checks a document on its own: an error page or a captcha.
pub fn check_alone(doc: &Document) -> Result<(), Unusable> {
    if doc.is_empty() {
        return Err(Unusable::NoPolicyText { message: "the page is empty".into() });
    }
    let words = doc.word_count();
    if words >= SHORT_PAGE_WORDS {
        return Ok(());
    }
    let text = lower_text(doc);
    if let Some(p) = CAPTCHA_PHRASES.iter().find(|p| text.contains(*p)) {
        return Err(Unusable::Captcha { phrase: p.to_string() });
    }
    if let Some(p) = ERROR_PHRASES.iter().find(|p| text.contains(*p)) {
        return Err(Unusable::ErrorPage { phrase: p.to_string() });
    }
    Ok(())
}

/// What a capture is checked against: a neighbouring capture that shows a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Neighbour {
    pub words: usize,
    /// It holds the vocabulary of a policy.
    pub policy: bool,
}

impl Neighbour {
    pub fn of(doc: &Document) -> Neighbour {
        Neighbour { words: doc.word_count(), policy: has_policy_vocabulary(doc) }
    }
}

/// Checks a document without policy vocabulary against the captures around it that
/// show a version (`before`) or read as a policy (`after`): a page a tenth their
/// length (or less) is a stub, and a page between two that read as a policy is
/// another page; neither is a version.
pub fn check_against(
    doc: &Document,
    before: Option<Neighbour>,
    after: Option<Neighbour>,
) -> Result<(), Unusable> {
    if has_policy_vocabulary(doc) {
        return Ok(());
    }
    let words = doc.word_count();
    let neighbours: Vec<Neighbour> = before.into_iter().chain(after).collect();
    let Some(smallest) = neighbours.iter().map(|n| n.words).min() else { return Ok(()) };
    if words * 10 <= smallest {
        return Err(Unusable::TooShort { words, neighbour_words: smallest });
    }
    if neighbours.len() == 2 && neighbours.iter().all(|n| n.policy) {
        return Err(Unusable::NotThePolicy);
    }
    Ok(())
}

fn lower_text(doc: &Document) -> String {
    let mut text = doc.title.clone().unwrap_or_default();
    for s in &doc.sections {
        if let Some(h) = &s.heading {
            text.push('\n');
            text.push_str(h);
        }
        for b in &s.blocks {
            text.push('\n');
            text.push_str(&b.text());
        }
    }
    // Curly apostrophes as straight ones, so "isn’t" matches "isn't".
    text.to_lowercase().replace('\u{2019}', "'")
}

/// True when the text holds enough of the words every policy uses.
pub fn has_policy_vocabulary(doc: &Document) -> bool {
    let text = lower_text(doc);
    POLICY_VOCABULARY.iter().filter(|w| text.contains(*w)).count() >= VOCABULARY_NEEDED
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize_markdown;

    const POLICY: &str =
        "# Privacy Policy\n\n## What we collect\n\nWe collect personal information you give us \
        when you create an account, and data about how you use the service.\n\n## Cookies\n\nWe use cookies \
        with your consent.\n";

    #[test]
    fn an_error_page_is_not_a_version() {
        let doc = normalize_markdown(
            "# Privacy Policy\n\nSomething went wrong. Refresh this page or try again later.\n",
        );
        assert!(matches!(check_alone(&doc), Err(Unusable::ErrorPage { .. })));
    }

    #[test]
    fn a_captcha_is_not_a_version() {
        let doc =
            normalize_markdown("# Just a moment...\n\nChecking your browser before accessing example.com.\n");
        assert!(matches!(check_alone(&doc), Err(Unusable::Captcha { .. })));
    }

    #[test]
    fn a_long_policy_that_says_try_again_later_is_a_version() {
        let long = format!(
            "{POLICY}\n\n## Outages\n\nIf the form fails, please try again later. {}\n",
            "We keep your data safe. ".repeat(60)
        );
        assert!(check_alone(&normalize_markdown(&long)).is_ok());
    }

    #[test]
    fn a_stub_a_tenth_the_length_without_policy_words_is_too_short() {
        let stub = normalize_markdown("# Welcome\n\nGo to the home page.\n");
        let big = Neighbour { words: 400, policy: false };
        assert!(matches!(check_against(&stub, Some(big), None), Err(Unusable::TooShort { .. })));
        // A short text that reads as a policy is a version, however short.
        let short_policy = normalize_markdown(POLICY);
        assert!(check_against(&short_policy, Some(Neighbour { words: 4000, policy: true }), None).is_ok());
        // Without neighbours there is nothing to compare with.
        assert!(check_against(&stub, None, None).is_ok());
    }

    #[test]
    fn another_page_between_two_policy_captures_is_not_the_policy() {
        let home = normalize_markdown(
            "# Social media that respects you\n\nSpeak freely. Connect directly. Build value.\n",
        );
        let policy = Neighbour::of(&normalize_markdown(POLICY));
        assert!(policy.policy);
        assert_eq!(check_against(&home, Some(policy), Some(policy)), Err(Unusable::NotThePolicy));
        // Where the policy page became another page for good, that page is a version.
        let other = Neighbour::of(&home);
        assert!(check_against(&home, Some(policy), Some(other)).is_ok());
    }
}

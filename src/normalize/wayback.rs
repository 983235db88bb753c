//! Archive artifacts: a capture fetched in replay mode (not raw `id_`) carries the
//! Wayback toolbar, the archive's scripts and links rewritten to `/web/<ts>/…`.
//! These are removed before parsing, so a replay page and a raw capture of the same
//! policy give the same Document.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

static TOOLBAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->.*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->")
        .expect("static regex")
});
static REWRITE_JS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)<script[^>]*(?:archive\.org/includes|/_static/js/)[^>]*>.*?<!--\s*End Wayback Rewrite JS Include\s*-->"#)
        .expect("static regex")
});
static ARCHIVE_TAGS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<script[^>]*(?:/_static/|archive\.org/includes/|wombat\.js|playback)[^>]*>\s*</script>|<link[^>]*/_static/[^>]*>|<!--\s*(?:FILE ARCHIVED ON|playback timings|INTERNET ARCHIVE|End Wayback)[^>]*?-->"#)
        .expect("static regex")
});
static WEB_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:https?:)?(?://web\.archive\.org)?/web/\d{1,14}(?:[a-z]{2}_)?/").expect("static regex")
});

/// True when the page shows signs of Wayback replay.
pub fn is_replay_page(html: &str) -> bool {
    html.contains("BEGIN WAYBACK TOOLBAR INSERT")
        || html.contains("End Wayback Rewrite JS Include")
        || html.contains("__wm.init(")
        || html.contains("/_static/js/bundle-playback")
}

/// Strips the toolbar and archive scripts, and un-rewrites `/web/<ts>/…` links.
pub fn strip_replay_artifacts(html: &str) -> Cow<'_, str> {
    if !html.contains("/web/") && !is_replay_page(html) {
        return Cow::Borrowed(html);
    }
    let s = TOOLBAR.replace_all(html, "");
    let s = REWRITE_JS.replace_all(&s, "");
    let s = ARCHIVE_TAGS.replace_all(&s, "");
    Cow::Owned(WEB_PREFIX.replace_all(&s, "").into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toolbar_scripts_and_rewritten_links_are_removed() {
        let page = r#"<html><head><script src="//archive.org/includes/analytics.js?v=c"></script>
<script type="text/javascript" src="/_static/js/bundle-playback.js?v=1"></script>
<!-- End Wayback Rewrite JS Include -->
<title>P</title></head><body><!-- BEGIN WAYBACK TOOLBAR INSERT --><div id="wm-ipp">toolbar text</div><!-- END WAYBACK TOOLBAR INSERT -->
<p><a href="https://web.archive.org/web/20180101000000/https://example.com/terms">Terms</a>
<a href="/web/20180101000000im_/https://example.com/x.png">x</a></p></body></html>
<!--
     FILE ARCHIVED ON 10:00:00 Jan 01, 2018 AND RETRIEVED FROM THE
-->"#;
        let out = strip_replay_artifacts(page);
        assert!(!out.contains("toolbar text"));
        assert!(!out.contains("bundle-playback"));
        assert!(out.contains(r#"href="https://example.com/terms""#), "{out}");
        assert!(out.contains(r#"href="https://example.com/x.png""#));
    }
}

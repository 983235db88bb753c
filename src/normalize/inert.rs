//! Removes what can never be policy text — `<script>` and `<style>` elements and HTML
//! comments — from the markup before it is parsed. The parser would drop them too,
//! but only after tokenizing them character by character, and on modern pages they
//! are often most of the bytes.

use std::borrow::Cow;

/// The markup without scripts, styles and comments.
pub fn strip_inert(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0; // bytes of `html` already copied to `out`
    let mut pos = 0;
    while let Some(off) = html[pos..].find('<') {
        let start = pos + off;
        let rest = &bytes[start..];
        let end = if rest.starts_with(b"<!--") {
            html[start + 4..].find("-->").map(|e| start + 4 + e + 3)
        } else if let Some(name) = raw_text_element(rest) {
            find_end_tag(html, start + 1 + name.len(), name)
        } else {
            None
        };
        match end {
            Some(end) => {
                let buf = out.get_or_insert_with(|| String::with_capacity(html.len()));
                buf.push_str(&html[copied..start]);
                copied = end;
                pos = end;
            }
            None => pos = start + 1,
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut buf) => {
            buf.push_str(&html[copied..]);
            Cow::Owned(buf)
        }
    }
}

/// `script` or `style` when `tag` opens one of them (`<script`, `<STYLE type=…>`).
fn raw_text_element(tag: &[u8]) -> Option<&'static str> {
    for name in ["script", "style"] {
        let n = name.len();
        if tag.len() > n + 1
            && tag[1..=n].eq_ignore_ascii_case(name.as_bytes())
            && matches!(tag[n + 1], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
        {
            return Some(name);
        }
    }
    None
}

/// The byte after the `>` of the first `</name` at or after `from`, any case.
fn find_end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut pos = from;
    while let Some(off) = html[pos..].find("</") {
        let at = pos + off;
        let tail = &bytes[at + 2..];
        if tail.len() >= name.len() && tail[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            let after = at + 2 + name.len();
            return html[after..].find('>').map(|e| after + e + 1);
        }
        pos = at + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_and_comments_go_and_the_rest_stays() {
        let page = "<p>a<script type=x>if (a < b) { x = '</p>'; }</SCRIPT >b</p><!-- c --><STYLE>p{}</style><p>d</p>";
        assert_eq!(strip_inert(page), "<p>ab</p><p>d</p>");
    }

    #[test]
    fn look_alikes_and_unterminated_elements_are_left_to_the_parser() {
        for page in ["<scripts>x</scripts>", "<p>a < b</p>", "<script>never closed", "<!-- open", "<stylex>"]
        {
            assert_eq!(strip_inert(page), page);
        }
        assert!(matches!(strip_inert("<p>plain</p>"), Cow::Borrowed(_)));
    }
}

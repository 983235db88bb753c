//! Caps how deeply block containers (`div`, `ul`, `section`, …) nest in the markup
//! before it is parsed. The HTML parser checks its stack of open elements on every
//! such tag, so a hostile page of 50,000 nested `<div>`s costs seconds, and a larger
//! one minutes. No real page nests containers hundreds deep; past the cap the extra
//! start tags and their end tags are dropped and the text inside is kept.

use std::borrow::Cow;

/// Containers deeper than this lose their tags (their text stays).
pub const MAX_CONTAINER_DEPTH: usize = 256;

/// The markup with containers nested at most `max` deep.
pub fn cap_nesting(html: &str, max: usize) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0; // bytes of `html` already copied to `out`
    let (mut depth, mut dropped) = (0usize, 0usize);
    let mut pos = 0;
    while let Some(off) = html[pos..].find('<') {
        let start = pos + off;
        let rest = &bytes[start + 1..];
        let closing = rest.first() == Some(&b'/');
        let name_at = start + 1 + usize::from(closing);
        let name_len = bytes[name_at..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if name_len == 0 || !is_container(&bytes[name_at..name_at + name_len]) {
            pos = start + 1;
            continue;
        }
        let drop = if closing {
            if dropped > 0 {
                dropped -= 1;
                true
            } else {
                depth = depth.saturating_sub(1);
                false
            }
        } else if depth >= max {
            dropped += 1;
            true
        } else {
            depth += 1;
            false
        };
        // Only a dropped tag needs its end found; attributes of kept ones are
        // scanned as text, where a stray `<div` in a value merely miscounts depth.
        pos = name_at + name_len;
        if drop {
            let Some(end) = tag_end(bytes, pos) else { break };
            let buf = out.get_or_insert_with(|| String::with_capacity(html.len()));
            buf.push_str(&html[copied..start]);
            copied = end;
            pos = end;
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

/// Elements that need an end tag and nest freely; `p`, `li`, headings and table
/// parts close themselves and cannot pile up.
fn is_container(name: &[u8]) -> bool {
    if name.len() < 2 || name.len() > 10 {
        return false;
    }
    let mut buf = [0u8; 10];
    let lower = &mut buf[..name.len()];
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    matches!(
        &*lower,
        b"address"
            | b"article"
            | b"aside"
            | b"blockquote"
            | b"center"
            | b"details"
            | b"dialog"
            | b"dir"
            | b"div"
            | b"dl"
            | b"fieldset"
            | b"figcaption"
            | b"figure"
            | b"footer"
            | b"form"
            | b"header"
            | b"hgroup"
            | b"main"
            | b"menu"
            | b"nav"
            | b"ol"
            | b"section"
            | b"summary"
            | b"ul"
    )
}

/// The byte after the `>` that ends a tag whose name ends at `from`, skipping quoted
/// attribute values.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes[from..].iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(from + i + 1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_within_the_cap_is_not_copied() {
        let page = "<div class=\"a>b\"><ul><li>x</ul><p>y</div>";
        assert!(matches!(cap_nesting(page, 2), Cow::Borrowed(_)));
    }

    #[test]
    fn containers_past_the_cap_lose_their_tags_not_their_text() {
        let page = "<div><div><DIV id=3><div>deep</div></DIV>text</div></div>";
        assert_eq!(cap_nesting(page, 2), "<div><div>deeptext</div></div>");
    }

    #[test]
    fn self_closing_elements_never_count() {
        let page = "<p>a<p>b<li>c<li>d<h2>e</h2>";
        assert!(matches!(cap_nesting(page, 1), Cow::Borrowed(_)));
    }

    #[test]
    fn a_tag_cut_off_at_the_end_is_left_alone() {
        assert_eq!(cap_nesting("<div><div><div class=\"x", 1), "<div><div class=\"x");
    }
}

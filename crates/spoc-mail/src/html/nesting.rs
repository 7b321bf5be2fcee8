//! A linear pre-pass that cuts HTML where elements nest too deeply.
//!
//! html5ever checks "is an element in scope" by walking the stack of open elements, so a
//! document of thousands of unclosed `<div>`s costs time quadratic in its depth: 20,000 of them
//! took over a minute in a debug build. Legitimate mail rarely nests more than a few dozen
//! levels, so the input is cut before the element that would open level [`MAX_DEPTH`] + 1.
//! The count is approximate on purpose: it ignores void elements and elements whose end tag
//! may be left out (`p`, `li`, `td`, …), which the parser closes by itself.

/// The deepest nesting passed to the parser.
pub(crate) const MAX_DEPTH: usize = 256;

/// Elements that never have content.
const VOID: [&str; 19] = [
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose end tag may be omitted, or that the parser never nests.
const SELF_CLOSING_BY_PARSER: [&str; 19] = [
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "tbody", "thead", "tfoot",
    "colgroup", "rb", "rt", "rp", "html", "head", "body",
];

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: [&str; 9] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// `html` cut before the first element that would nest deeper than `max_depth`, and whether
/// it was cut.
pub(crate) fn limit_nesting(html: &str, max_depth: usize) -> (&str, bool) {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        let start = i + offset;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            i = find(bytes, start + 4, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = find(bytes, start + 2, b">").map_or(bytes.len(), |end| end + 1);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + if closing { 2 } else { 1 };
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_'))
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let tag_end = end_of_tag(bytes, name_start + name_len);
        let counted =
            !VOID.contains(&name.as_str()) && !SELF_CLOSING_BY_PARSER.contains(&name.as_str());
        if closing {
            if counted {
                depth = depth.saturating_sub(1);
            }
            i = tag_end;
            continue;
        }
        if name == "plaintext" {
            return (html, false);
        }
        if counted {
            if depth >= max_depth {
                return (&html[..start], true);
            }
            depth += 1;
        }
        i = tag_end;
        if RAW_TEXT.contains(&name.as_str()) {
            // Skip to the end tag; the element is closed there.
            let end_tag = format!("</{name}");
            i = find_ignore_case(bytes, i, end_tag.as_bytes()).unwrap_or(bytes.len());
        }
    }
    (html, false)
}

/// Where the tag whose name ends at `from` ends: after its `>`, skipping quoted values.
fn end_of_tag(bytes: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    bytes.len()
}

/// The position of `needle` in `bytes` at or after `from`.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The position of `needle` (ASCII, lower-case) in `bytes` at or after `from`, ignoring case.
fn find_ignore_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_html_is_not_cut() {
        let html = "<div><p>a<p>b<ul><li>x<li>y</ul><br><img src=x><table><tr><td>1<td>2</table>\
            <script>if (a < b) { '<div>' }</script><!-- <div><div> --></div>";
        assert_eq!(limit_nesting(html, 3), (html, false));
    }

    #[test]
    fn deep_nesting_is_cut_before_the_element_too_deep() {
        let html = "<div>".repeat(10);
        assert_eq!(limit_nesting(&html, 4), ("<div><div><div><div>", true));
        let closed = "<b>x</b>".repeat(1000);
        assert_eq!(limit_nesting(&closed, 4), (closed.as_str(), false));
        let quoted = "<div title='>'><div title=\"<div>\">";
        assert_eq!(limit_nesting(quoted, 1), ("<div title='>'>", true));
    }
}

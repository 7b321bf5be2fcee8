//! HTML from mail, made safe to show: an ammonia allowlist of formatting tags and attributes,
//! safe links only, and no remote content. Also plain text from HTML ([`html_to_text`]).
//!
//! What the policy allows:
//!
//! - Formatting and structure only: paragraphs, line breaks, headings, lists, tables, quotes,
//!   emphasis, code, links and images. No scripts, styles (elements or attributes), event
//!   handlers, forms, frames, objects, `<base>`, `<meta>`, SVG or MathML; ammonia also removes
//!   elements that change namespace unexpectedly (the mXSS class of RUSTSEC-2021-0074).
//! - Links with `http`, `https` or `mailto` only, always `rel="noopener noreferrer nofollow"`.
//!   Relative links are removed: mail has no base, and they would point into Spoc itself.
//! - Images only by `cid:` reference to a part of the same message. Remote (`http`, `https`)
//!   and `data:` images are never loaded: each becomes the text `[image: ALT]`, so opening a mail
//!   tells no tracker that it was read. [`rewrite_cid_images`] turns the `cid:` references into
//!   the caller's attachment URLs.
//!
//! Input is cut at a byte limit first ([`DEFAULT_MAX_HTML_BYTES`] unless the caller says
//! otherwise) and before elements nested more than 256 deep (the parser's cost grows with the
//! square of the depth), so a hostile message cannot stall processing (compare Zammad #2416,
//! #4463).

mod nesting;
mod text;
mod tokens;

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

pub use text::html_to_text;
use tokens::{Token, escape_attr, escape_text, tokenize};

use crate::text::truncate_bytes;

/// How much HTML [`sanitize_html`] reads; the rest is cut off.
pub const DEFAULT_MAX_HTML_BYTES: usize = 1024 * 1024;

/// Elements kept for display.
const DISPLAY_TAGS: [&str; 53] = [
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
];

/// Elements removed together with everything inside them.
const DROP_WITH_CONTENT: [&str; 15] = [
    "script", "style", "title", "head", "noscript", "template", "iframe", "noembed", "noframes",
    "object", "xml", "textarea", "select", "math", "svg",
];

/// The display policy, built once.
static DISPLAY_POLICY: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::empty();
    builder
        .tags(DISPLAY_TAGS.iter().copied().collect())
        .clean_content_tags(DROP_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(["title", "lang", "dir"].into_iter().collect())
        .tag_attributes(
            [
                ("a", ["href"].into_iter().collect::<HashSet<_>>()),
                (
                    "img",
                    ["src", "alt", "width", "height"].into_iter().collect(),
                ),
                ("td", ["colspan", "rowspan"].into_iter().collect()),
                ("th", ["colspan", "rowspan"].into_iter().collect()),
                ("ol", ["start"].into_iter().collect()),
                ("bdo", ["dir"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(["http", "https", "mailto", "cid"].into_iter().collect())
        .url_relative(UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"))
        .strip_comments(true)
        .attribute_filter(|element, attribute, value| {
            let is_cid = value
                .trim_start()
                .get(..4)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("cid:"));
            match (element, attribute) {
                // Images load only from the message itself.
                ("img", "src") => is_cid.then_some(Cow::Borrowed(value)),
                // A `cid:` link goes nowhere useful.
                (_, "href") if is_cid => None,
                _ => Some(Cow::Borrowed(value)),
            }
        });
    builder
});

/// The result of [`sanitize_html_limited`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SanitizedHtml {
    /// Safe HTML; images refer only to `cid:` parts of the message.
    pub html: String,
    /// Whether the input was cut: longer than the limit, or nested deeper than 256 elements.
    pub truncated: bool,
    /// How many images were replaced by a placeholder because they were remote or unusable.
    pub blocked_images: usize,
}

/// Sanitises untrusted HTML for display with Spoc's mail policy (see the module
/// documentation), reading at most [`DEFAULT_MAX_HTML_BYTES`].
pub fn sanitize_html(html: &str) -> String {
    sanitize_html_limited(html, DEFAULT_MAX_HTML_BYTES).html
}

/// Sanitises untrusted HTML for display, reading at most `max_input_bytes` of it, and says
/// whether it was cut and how many images were blocked.
pub fn sanitize_html_limited(html: &str, max_input_bytes: usize) -> SanitizedHtml {
    let (input, truncated) = bound(html, max_input_bytes);
    let cleaned = DISPLAY_POLICY.clean(input).to_string();
    let (clean, blocked_images) = rewrite_images(&cleaned, &mut |_| None, false);
    SanitizedHtml {
        html: clean,
        truncated,
        blocked_images,
    }
}

/// `html` cut at `max_bytes` and before any element nested deeper than the parser handles
/// quickly; and whether anything was cut.
pub(crate) fn bound(html: &str, max_bytes: usize) -> (&str, bool) {
    let short = truncate_bytes(html, max_bytes);
    let (shallow, cut_deep) = nesting::limit_nesting(short, nesting::MAX_DEPTH);
    (shallow, cut_deep || short.len() < html.len())
}

/// Sanitises `html` (as [`sanitize_html`] does) and turns each `cid:` image into the URL that
/// `resolve` gives for its Content-ID (without angle brackets, percent-decoded). An image whose
/// Content-ID `resolve` does not know, or for which it returns anything but an `https:`,
/// `http:` or absolute-path (`/…`) URL, becomes a `[image: ALT]` placeholder.
pub fn rewrite_cid_images(html: &str, mut resolve: impl FnMut(&str) -> Option<String>) -> String {
    let cleaned = DISPLAY_POLICY
        .clean(bound(html, DEFAULT_MAX_HTML_BYTES).0)
        .to_string();
    rewrite_images(&cleaned, &mut resolve, true).0
}

/// Rewrites the images of sanitised HTML: an image with a `cid:` source is kept (when
/// `resolve_cids` is false) or pointed at `resolve`'s URL; every other image becomes a
/// placeholder. Returns the HTML and the number of placeholders.
fn rewrite_images(
    cleaned: &str,
    resolve: &mut dyn FnMut(&str) -> Option<String>,
    resolve_cids: bool,
) -> (String, usize) {
    if !cleaned.contains("<img") {
        return (cleaned.to_owned(), 0);
    }
    let mut out = String::with_capacity(cleaned.len());
    let mut placeholders = 0;
    for token in tokenize(cleaned) {
        match token {
            Token::Text(text) => escape_text(&text, &mut out),
            Token::End { raw, .. } => out.push_str(raw),
            Token::Start { name, attrs, raw } => {
                if name != "img" {
                    out.push_str(raw);
                    continue;
                }
                let attr = |wanted: &str| {
                    attrs
                        .iter()
                        .find(|(name, _)| name == wanted)
                        .map(|(_, value)| value.as_str())
                };
                let cid = attr("src").and_then(cid_of);
                let target = match &cid {
                    Some(cid) if resolve_cids => resolve(cid).filter(|url| is_safe_target(url)),
                    _ => None,
                };
                match (cid, target) {
                    (Some(_), None) if !resolve_cids => out.push_str(raw),
                    (Some(_), Some(url)) => {
                        out.push_str("<img");
                        for (name, value) in &attrs {
                            out.push(' ');
                            out.push_str(name);
                            out.push_str("=\"");
                            escape_attr(if name == "src" { &url } else { value }, &mut out);
                            out.push('"');
                        }
                        out.push('>');
                    }
                    _ => {
                        placeholders += 1;
                        escape_text(&image_placeholder(attr("alt")), &mut out);
                    }
                }
            }
        }
    }
    (out, placeholders)
}

/// The text shown instead of an image that is not loaded.
fn image_placeholder(alt: Option<&str>) -> String {
    let alt = alt.map(crate::text::fold_line).unwrap_or_default();
    if alt.is_empty() {
        "[image]".to_owned()
    } else {
        format!("[image: {alt}]")
    }
}

/// The Content-ID a `cid:` URL refers to (RFC 2392: percent-encoded, no angle brackets).
pub(crate) fn cid_of(src: &str) -> Option<String> {
    let src = src.trim();
    let rest = src
        .get(..4)
        .filter(|scheme| scheme.eq_ignore_ascii_case("cid:"))
        .map(|_| &src[4..])?;
    let decoded = percent_decode(rest);
    let id = decoded.trim().trim_start_matches('<').trim_end_matches('>');
    (!id.is_empty()).then(|| id.to_owned())
}

/// Whether a caller's attachment URL may be used as an image source.
fn is_safe_target(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let absolute_path = url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\");
    (absolute_path || lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// Decodes `%XX` escapes; invalid escapes and non-UTF-8 results are kept as they are.
fn percent_decode(value: &str) -> Cow<'_, str> {
    if !value.contains('%') {
        return Cow::Borrowed(value);
    }
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = value.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(decoded) => Cow::Owned(decoded),
        Err(_) => Cow::Borrowed(value),
    }
}

/// The Content-IDs that `html` refers to with `cid:` URLs, lower-cased; read from raw HTML
/// before sanitising, to tell inline images from attachments.
pub(crate) fn cid_references(html: &str) -> HashSet<String> {
    let mut found = HashSet::new();
    let lower = html.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("cid:") {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| matches!(c, '"' | '\'' | ')' | '>' | '<') || c.is_whitespace())
            .unwrap_or(tail.len());
        if let Some(id) = cid_of(&tail[..end]) {
            found.insert(id);
        }
        rest = &tail[4..];
    }
    found
}

/// Plain text as HTML paragraphs, escaped; for mail whose text parts sit beside HTML parts.
pub(crate) fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for paragraph in text.split("\n\n") {
        let paragraph = paragraph.trim_matches('\n');
        if paragraph.is_empty() {
            continue;
        }
        out.push_str("<p>");
        for (i, line) in paragraph.lines().enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            escape_text(line, &mut out);
        }
        out.push_str("</p>");
    }
    out
}

#[cfg(test)]
mod tests;

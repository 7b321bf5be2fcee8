//! Markdown to safe HTML, for knowledge articles: pulldown-cmark renders, ammonia sanitises the
//! result with an allowlist (no scripts, styles, event handlers, frames or `javascript:` links;
//! links get `rel="noopener noreferrer nofollow"`). Raw HTML in the source is escaped, never
//! passed through. Sanitising happens on output, every time.

use std::collections::HashSet;

use pulldown_cmark::{Event, Options, Parser, html};

/// The HTML of `source`, safe to put into a page.
pub fn to_safe_html(source: &str) -> String {
    render(source, false)
}

/// The HTML of a reply, a note or a ticket's description, safe to put into a page: Markdown as
/// for articles, except that every line break is kept (most messages are plain text, often
/// from e-mail, where a line break means one).
pub fn comment_html(source: &str) -> String {
    render(source, true)
}

fn render(source: &str, keep_line_breaks: bool) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Raw HTML blocks and inline HTML become text: an article cannot smuggle markup in.
    let events = Parser::new_ext(source, options).map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        Event::SoftBreak if keep_line_breaks => Event::HardBreak,
        other => other,
    });
    let mut rendered = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut rendered, events);
    let tags: HashSet<&str> = [
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    ]
    .into_iter()
    .collect();
    ammonia::Builder::default()
        .tags(tags)
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&rendered)
        .to_string()
}

/// The first `max` characters of the plain text of `source` (for snippets).
pub fn snippet(source: &str, max: usize) -> String {
    let text: String = Parser::new(source)
        .filter_map(|event| match event {
            Event::Text(t) | Event::Code(t) => Some(t.into_string()),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => Some(" ".to_owned()),
            _ => None,
        })
        .collect();
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().count() <= max {
        return joined;
    }
    let cut: String = joined.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_keep_their_line_breaks_and_stay_safe() {
        let html = comment_html("Hello,\nthe **printer** is fixed.\n<script>x()</script>");
        assert!(html.contains("Hello,<br>"), "{html}");
        assert!(html.contains("<strong>printer</strong>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn markdown_renders_and_scripts_do_not() {
        let html =
            to_safe_html("# Reset\n\n1. Open **Settings**\n2. Click [help](https://example.test)");
        assert!(html.contains("<h1>Reset</h1>"), "{html}");
        assert!(html.contains("<strong>Settings</strong>"));
        assert!(
            html.contains(
                r#"<a href="https://example.test" rel="noopener noreferrer nofollow">help</a>"#
            ),
            "{html}"
        );
        for hostile in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "<svg onload=alert(1)>",
            "<iframe src=https://evil.test>",
            "<a href=\"javascript:alert(1)\">x</a>",
        ] {
            let html = to_safe_html(hostile);
            assert!(!html.contains("<script"), "{hostile} → {html}");
            assert!(!html.contains("<img"), "{hostile} → {html}");
            assert!(!html.contains("<svg"), "{hostile} → {html}");
            assert!(!html.contains("<iframe"), "{hostile} → {html}");
            assert!(!html.contains("<a href=\"javascript"), "{hostile} → {html}");
        }
        // A Markdown link to javascript: keeps its text and loses its target.
        let link = to_safe_html("[x](javascript:alert(1))");
        assert!(
            link.contains(">x</a>") && !link.contains("javascript"),
            "{link}"
        );
        // Raw HTML is shown as text, escaped.
        assert!(to_safe_html("<b>x</b>").contains("&lt;b&gt;x&lt;/b&gt;"));
    }

    #[test]
    fn snippets_are_plain_text() {
        assert_eq!(
            snippet("# Title\n\nSome **bold** text.", 100),
            "Title Some bold text."
        );
        assert_eq!(snippet("one two three four", 9), "one two t…");
    }
}

//! Markdown to safe HTML, for knowledge articles: pulldown-cmark renders, ammonia sanitises the
//! result with an allowlist (no scripts, styles, event handlers, frames or `javascript:` links;
//! links get `rel="noopener noreferrer nofollow"`). Raw HTML in the source is escaped, never
//! passed through. Bare `http(s)://` addresses in text are linked, as people expect when they
//! paste one. Sanitising happens on output, every time.

use std::collections::HashSet;

use pulldown_cmark::{
    CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeStream, html,
};

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
    let mut in_link = 0usize;
    let mut in_code = 0usize;
    let mut events = Vec::new();
    for event in TextMergeStream::new(Parser::new_ext(source, options)) {
        match event {
            Event::Html(text) | Event::InlineHtml(text) => events.push(Event::Text(text)),
            Event::SoftBreak if keep_line_breaks => events.push(Event::HardBreak),
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                in_link += 1;
                events.push(Event::Start(tag));
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                in_link = in_link.saturating_sub(1);
                events.push(Event::End(end));
            }
            Event::Start(tag @ Tag::CodeBlock(_)) => {
                in_code += 1;
                events.push(Event::Start(tag));
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = in_code.saturating_sub(1);
                events.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Text(text) if in_link == 0 && in_code == 0 => linkify(text, &mut events),
            other => events.push(other),
        }
    }
    let mut rendered = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut rendered, events.into_iter());
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

/// Splits `text` around the bare web addresses in it, each becoming a link.
fn linkify<'a>(text: CowStr<'a>, out: &mut Vec<Event<'a>>) {
    let mut rest: &str = &text;
    let mut pieces = Vec::new();
    while let Some((start, end)) = next_address(rest) {
        if start > 0 {
            pieces.push((false, rest[..start].to_owned()));
        }
        pieces.push((true, rest[start..end].to_owned()));
        rest = &rest[end..];
    }
    if pieces.is_empty() {
        out.push(Event::Text(text));
        return;
    }
    if !rest.is_empty() {
        pieces.push((false, rest.to_owned()));
    }
    for (is_link, piece) in pieces {
        if is_link {
            out.push(Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url: piece.clone().into(),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }));
            out.push(Event::Text(piece.into()));
            out.push(Event::End(TagEnd::Link));
        } else {
            out.push(Event::Text(piece.into()));
        }
    }
}

/// Where the first bare `http://` or `https://` address in `text` starts and ends: up to white
/// space or an angle bracket or quote, without the punctuation that ends a sentence, and without
/// a closing parenthesis the address did not open.
fn next_address(text: &str) -> Option<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let start = match (lower.find("https://"), lower.find("http://")) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    let tail = &text[start..];
    let mut end = tail
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(tail.len());
    loop {
        let url = &tail[..end];
        let Some(last) = url.chars().last() else {
            break;
        };
        let unbalanced = last == ')' && url.matches('(').count() < url.matches(')').count();
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '_') || unbalanced {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    let scheme = if lower[start..].starts_with("https://") {
        8
    } else {
        7
    };
    if end <= scheme {
        // "https://" alone: nothing to link; look further on.
        let skip = start + scheme;
        return next_address(&text[skip..]).map(|(a, b)| (a + skip, b + skip));
    }
    Some((start, start + end))
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

    #[test]
    fn bare_addresses_become_links_but_not_in_code_or_existing_links() {
        let html = to_safe_html(
            "See https://example.com/a_(b)?x=1. Or (http://x.test/y), and `https://code.test`.",
        );
        assert!(html.contains(r#"<a href="https://example.com/a_(b)?x=1" rel="noopener noreferrer nofollow">https://example.com/a_(b)?x=1</a>. Or"#), "{html}");
        assert!(html.contains(r#"(<a href="http://x.test/y" rel="noopener noreferrer nofollow">http://x.test/y</a>),"#), "{html}");
        assert!(html.contains("<code>https://code.test</code>"), "{html}");
        let linked = to_safe_html("[the docs](https://docs.test) and https://");
        assert_eq!(linked.matches("<a ").count(), 1, "{linked}");
        let block = to_safe_html("```\nhttps://in.block\n```");
        assert!(!block.contains("<a "), "{block}");
        let sneaky = to_safe_html("https://x.test/\"onmouseover=alert(1)");
        assert!(
            !sneaky.contains("onmouseover=\"") && !sneaky.contains(" onmouseover"),
            "{sneaky}"
        );
    }
}

//! Plain text from HTML, for HTML-only mail: paragraphs, line breaks, list items, quotes and
//! table rows survive; scripts, styles, comments and the document head do not.
//!
//! The HTML is first parsed and reduced by ammonia to a few structural elements (so the
//! browser-grade parser, not this file, deals with broken markup), then walked as tokens.

use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

use super::DEFAULT_MAX_HTML_BYTES;
use super::tokens::{Token, tokenize};

/// Elements that matter for the shape of the text.
const STRUCTURE_TAGS: [&str; 30] = [
    "a",
    "address",
    "article",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
    "center",
];

/// Elements dropped with their content.
const DROP_WITH_CONTENT: [&str; 14] = [
    "script", "style", "title", "head", "noscript", "template", "iframe", "noembed", "noframes",
    "object", "xml", "textarea", "select", "svg",
];

/// The reduction policy, built once.
static TEXT_POLICY: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::empty();
    builder
        .tags(STRUCTURE_TAGS.iter().copied().collect())
        .clean_content_tags(DROP_WITH_CONTENT.iter().copied().collect())
        .tag_attributes(
            [
                ("a", ["href"].into_iter().collect::<HashSet<_>>()),
                ("img", ["alt"].into_iter().collect()),
                ("ol", ["start"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(UrlRelative::Deny)
        .link_rel(None)
        .strip_comments(true);
    builder
});

/// Plain text from untrusted HTML (at most [`DEFAULT_MAX_HTML_BYTES`] of it are read):
/// block elements become lines, paragraphs and headings are separated by blank lines, list
/// items start with `- ` (or `1. ` in ordered lists), quotes are prefixed with `> `, links to
/// another address keep it in angle brackets, and images leave their alt text.
pub fn html_to_text(html: &str) -> String {
    let reduced = TEXT_POLICY
        .clean(super::bound(html, DEFAULT_MAX_HTML_BYTES).0)
        .to_string();
    let mut writer = TextWriter {
        // Word and Outlook write every line as a `<p class=MsoNormal>` without margins and
        // mark blank lines with empty paragraphs; elsewhere a paragraph is a paragraph.
        word_paragraphs: html.contains("MsoNormal"),
        ..TextWriter::default()
    };
    let mut links: Vec<Option<String>> = Vec::new();
    for token in tokenize(&reduced) {
        match token {
            Token::Text(text) => writer.text(&text),
            Token::Start { name, attrs, .. } => {
                let attr = |wanted: &str| {
                    attrs
                        .iter()
                        .find(|(name, _)| name == wanted)
                        .map(|(_, value)| value.clone())
                };
                match name.as_str() {
                    "br" => writer.line_break(),
                    "hr" => {
                        writer.block(1);
                        writer.text("----------");
                        writer.block(1);
                    }
                    "p" => {
                        writer.block(writer.paragraph_gap());
                        writer.paragraph_start = Some(writer.out.len());
                    }
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "dl" | "pre" => {
                        writer.block(2);
                        if name == "pre" {
                            writer.pre_depth += 1;
                        }
                    }
                    "ul" | "ol" => {
                        writer.block(if writer.lists.is_empty() { 2 } else { 1 });
                        let start = attr("start").and_then(|s| s.trim().parse::<i64>().ok());
                        writer.lists.push(match (name.as_str(), start) {
                            ("ol", Some(start)) => Some(start),
                            ("ol", None) => Some(1),
                            _ => None,
                        });
                    }
                    "li" => {
                        writer.block(1);
                        let marker = match writer.lists.last_mut() {
                            Some(Some(n)) => {
                                let marker = format!("{n}. ");
                                *n = n.saturating_add(1);
                                marker
                            }
                            _ => "- ".to_owned(),
                        };
                        let indent = "  ".repeat(writer.lists.len().saturating_sub(1));
                        writer.raw(&format!("{indent}{marker}"));
                    }
                    "blockquote" => {
                        // The blank line before a quote is not part of it.
                        writer.block(2);
                        writer.write_pending_newlines();
                        writer.quote_depth += 1;
                    }
                    "td" | "th" => writer.cell(),
                    "img" => {
                        if let Some(alt) = attr("alt").map(|a| crate::text::fold_line(&a))
                            && !alt.is_empty()
                        {
                            writer.text(&format!("[image: {alt}]"));
                        }
                    }
                    "a" => links.push(attr("href")),
                    _ => writer.block(1),
                }
                if name == "tr" {
                    writer.row_started = false;
                }
            }
            Token::End { name, .. } => match name.as_str() {
                "p" => writer.end_paragraph(),
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "dl" => writer.block(2),
                "pre" => {
                    writer.pre_depth = writer.pre_depth.saturating_sub(1);
                    writer.block(2);
                }
                "ul" | "ol" => {
                    writer.lists.pop();
                    writer.block(if writer.lists.is_empty() { 2 } else { 1 });
                }
                "blockquote" => {
                    writer.quote_depth = writer.quote_depth.saturating_sub(1);
                    writer.block(2);
                }
                "a" => {
                    if let Some(Some(href)) = links.pop() {
                        writer.link_target(&href);
                    }
                }
                "td" | "th" | "br" | "img" | "hr" => {}
                _ => writer.block(1),
            },
        }
    }
    writer.finish()
}

/// Builds the text: collapses whitespace outside `<pre>`, and inserts line breaks and quote
/// prefixes lazily, so runs of empty blocks never pile up blank lines.
#[derive(Default)]
struct TextWriter {
    out: String,
    /// Newlines owed before the next text (0, 1 or 2).
    pending_newlines: usize,
    /// A space is owed before the next text on this line.
    pending_space: bool,
    /// Whether the current line has text on it.
    line_has_text: bool,
    /// Text written since the last `<a>` start, to compare with its address.
    since_link: String,
    quote_depth: usize,
    pre_depth: usize,
    /// Open lists; `Some(n)` is an ordered list whose next item is `n`.
    lists: Vec<Option<i64>>,
    row_started: bool,
    /// Paragraphs are lines (Word HTML), and empty ones are blank lines.
    word_paragraphs: bool,
    /// Where the open paragraph's text began.
    paragraph_start: Option<usize>,
}

impl TextWriter {
    /// The line ends around a paragraph.
    fn paragraph_gap(&self) -> usize {
        if self.word_paragraphs { 1 } else { 2 }
    }

    /// A `</p>`: in Word HTML an empty paragraph is a blank line.
    fn end_paragraph(&mut self) {
        let empty = self
            .paragraph_start
            .take()
            .is_some_and(|start| start == self.out.len());
        if self.word_paragraphs && empty {
            self.block(2);
        } else {
            self.block(self.paragraph_gap());
        }
    }

    /// Asks for at least `newlines` line ends before the next text.
    fn block(&mut self, newlines: usize) {
        if !self.out.is_empty() {
            let trailing = self.out.len() - self.out.trim_end_matches('\n').len();
            let owed = newlines.saturating_sub(trailing);
            self.pending_newlines = self.pending_newlines.max(owed);
        }
        self.pending_space = false;
    }

    /// A `<br>`: one line end, and another each time it repeats.
    fn line_break(&mut self) {
        if self.out.is_empty() {
            return;
        }
        if self.pending_newlines == 0 || !self.line_has_text {
            self.pending_newlines = (self.pending_newlines + 1).min(2);
        }
        self.line_has_text = false;
        self.pending_space = false;
    }

    /// A table cell: cells of one row are separated by a space.
    fn cell(&mut self) {
        if self.row_started {
            self.pending_space = true;
        }
        self.row_started = true;
    }

    /// Writes the line ends owed; blank lines inside a quote carry its `>` marks.
    fn write_pending_newlines(&mut self) {
        if self.pending_newlines > 0 && !self.out.is_empty() {
            for i in 0..self.pending_newlines {
                self.end_line();
                if i + 1 < self.pending_newlines && self.quote_depth > 0 {
                    self.out.push_str(">".repeat(self.quote_depth).as_str());
                }
            }
            self.pending_space = false;
        }
        self.pending_newlines = 0;
    }

    /// Writes pending line ends and the quote prefix of a new line.
    fn flush_breaks(&mut self) {
        self.write_pending_newlines();
        if self.out.is_empty() || self.out.ends_with('\n') {
            for _ in 0..self.quote_depth {
                self.out.push_str("> ");
            }
        }
    }

    /// Ends the current line, trimming trailing spaces.
    fn end_line(&mut self) {
        let trimmed = self.out.trim_end_matches([' ', '\u{a0}']).len();
        self.out.truncate(trimmed);
        self.out.push('\n');
        self.line_has_text = false;
    }

    /// Writes text verbatim after pending breaks (list markers).
    fn raw(&mut self, text: &str) {
        self.flush_breaks();
        self.out.push_str(text);
        self.pending_space = false;
    }

    /// Writes text, collapsing whitespace unless inside `<pre>`.
    fn text(&mut self, text: &str) {
        if self.pre_depth > 0 {
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    self.pending_newlines = self.pending_newlines.max(1);
                    self.line_has_text = true;
                    self.flush_breaks();
                }
                if !line.is_empty() {
                    self.flush_breaks();
                    self.out.push_str(line.trim_end_matches('\r'));
                    self.since_link.push_str(line);
                    self.line_has_text = true;
                }
            }
            return;
        }
        for (i, word) in text
            .split(|c: char| c.is_whitespace() || c == '\u{a0}')
            .enumerate()
        {
            if i > 0 {
                self.pending_space = true;
            }
            if word.is_empty() {
                continue;
            }
            self.flush_breaks();
            let at_line_start = self.out.is_empty()
                || self.out.ends_with('\n')
                || self.out.ends_with("> ") && !self.line_has_text;
            if self.pending_space && !at_line_start && !self.out.ends_with(' ') {
                self.out.push(' ');
            }
            self.pending_space = false;
            self.out.push_str(word);
            self.since_link.push_str(word);
            self.line_has_text = true;
        }
    }

    /// After a link's text: shows the address too when the text does not already say it.
    fn link_target(&mut self, href: &str) {
        let shown = href.strip_prefix("mailto:").unwrap_or(href);
        let already = self.since_link.contains(shown)
            || self.since_link.contains(shown.trim_end_matches('/'))
            || href.starts_with("mailto:");
        if !already && self.line_has_text {
            self.out.push_str(" <");
            self.out.push_str(shown);
            self.out.push('>');
        }
        self.since_link.clear();
    }

    /// The text, trimmed, with trailing spaces removed from every line.
    fn finish(self) -> String {
        let lines: Vec<&str> = self.out.lines().map(str::trim_end).collect();
        let mut text = lines.join("\n");
        let trimmed = text.trim_end().len();
        text.truncate(trimmed);
        let leading = text.len() - text.trim_start_matches('\n').len();
        text.drain(..leading);
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_breaks_and_lists_survive() {
        let html = "<html><head><title>Ignore me</title><style>p{color:red}</style></head>\
            <body><p>Hello team,</p><p>The printer<br>on floor 3 is jammed.</p>\
            <ul><li>Model: HP 4200</li><li>Room 3.14</li></ul>\
            <ol start=\"3\"><li>third</li><li>fourth</li></ol>\
            <script>alert(1)</script><p>Thanks,<br>Bob</p></body></html>";
        assert_eq!(
            html_to_text(html),
            "Hello team,\n\nThe printer\non floor 3 is jammed.\n\n- Model: HP 4200\n- Room 3.14\n\n\
             3. third\n4. fourth\n\nThanks,\nBob"
        );
    }

    #[test]
    fn outlook_markup_becomes_plain_lines() {
        let html = "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>\
            <!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch>\
            </o:OfficeDocumentSettings></xml><![endif]--><style><!-- p.MsoNormal {margin:0} --></style></head>\
            <body lang=EN-GB><div class=WordSection1><p class=MsoNormal>Hi,<o:p></o:p></p>\
            <p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>My laptop   will not\r\n start.<o:p></o:p></p>\
            <p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>Regards<o:p></o:p></p></div></body></html>";
        assert_eq!(
            html_to_text(html),
            "Hi,\n\nMy laptop will not start.\n\nRegards"
        );
    }

    #[test]
    fn quotes_links_tables_and_preformatted_text() {
        let html = "<p>See <a href=\"https://status.example.com/\">the status page</a> or \
            <a href=\"https://wiki.example.com\">https://wiki.example.com</a>.</p>\
            <blockquote><p>Original line one</p><p>Line two</p></blockquote>\
            <table><tr><td>Name</td><td>Value</td></tr><tr><td>CPU</td><td>98%</td></tr></table>\
            <pre>  indented\n    code</pre><img src=\"https://t.example/p.gif\" alt=\"Logo\">";
        assert_eq!(
            html_to_text(html),
            "See the status page <https://status.example.com/> or https://wiki.example.com.\n\n\
             > Original line one\n>\n> Line two\n\nName Value\nCPU 98%\n\n  indented\n    code\n\n[image: Logo]"
        );
    }

    #[test]
    fn nothing_readable_gives_empty_text() {
        assert_eq!(
            html_to_text("<style>x</style><script>y</script><!-- z -->"),
            ""
        );
        assert_eq!(html_to_text(""), "");
    }
}

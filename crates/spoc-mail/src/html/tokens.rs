//! A tokenizer for HTML that ammonia has already serialised: start tags with double-quoted
//! attributes, end tags and escaped text, no comments, no raw-text elements.
//!
//! It only ever reads the sanitiser's own output, which html5ever writes in this one regular
//! form; that is what makes a hand-written tokenizer safe here. Anything unexpected is treated
//! as text and escaped again, so a misreading can lose formatting but never add markup.

/// One piece of serialised HTML.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// Text, with entities decoded.
    Text(String),
    /// A start tag, with its name lower-cased and attribute values decoded.
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        raw: &'a str,
    },
    /// An end tag.
    End { name: String, raw: &'a str },
}

/// Splits serialised HTML into tokens.
pub(crate) fn tokenize(html: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            tokens.push(Token::Text(decode_entities(rest)));
            break;
        };
        if open > 0 {
            tokens.push(Token::Text(decode_entities(&rest[..open])));
        }
        let tail = &rest[open..];
        match read_tag(tail) {
            Some((token, len)) => {
                tokens.push(token);
                rest = &tail[len..];
            }
            None => {
                // Not a tag after all: keep the `<` as text and go on after it.
                tokens.push(Token::Text("<".to_owned()));
                rest = &tail[1..];
            }
        }
    }
    tokens
}

/// Reads one tag at the start of `tail` (which starts with `<`), returning it and its length.
fn read_tag(tail: &str) -> Option<(Token<'_>, usize)> {
    let bytes = tail.as_bytes();
    let mut i = 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && is_name_byte(bytes[i]) {
        i += 1;
    }
    if i == name_start {
        return None;
    }
    let name = tail[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i) {
            None => return None,
            Some(b'>') => {
                i += 1;
                break;
            }
            Some(b'/') if bytes.get(i + 1) == Some(&b'>') => {
                i += 2;
                break;
            }
            Some(_) if closing => return None,
            Some(_) => {
                let attr_start = i;
                while i < bytes.len() && is_name_byte(bytes[i]) {
                    i += 1;
                }
                if i == attr_start {
                    return None;
                }
                let attr_name = tail[attr_start..i].to_ascii_lowercase();
                let value = if bytes.get(i) == Some(&b'=') && bytes.get(i + 1) == Some(&b'"') {
                    let value_start = i + 2;
                    let value_len = tail[value_start..].find('"')?;
                    i = value_start + value_len + 1;
                    decode_entities(&tail[value_start..value_start + value_len])
                } else {
                    String::new()
                };
                attrs.push((attr_name, value));
            }
        }
    }
    let raw = &tail[..i];
    let token = if closing {
        Token::End { name, raw }
    } else {
        Token::Start { name, attrs, raw }
    };
    Some((token, i))
}

/// Bytes allowed in tag and attribute names as html5ever writes them.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')
}

/// Decodes the entities html5ever's serialiser writes (`&amp;`, `&lt;`, `&gt;`, `&quot;`,
/// `&nbsp;`, and numeric ones to be safe); anything else stays as it is.
pub(crate) fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let decoded = tail.find(';').filter(|&end| end <= 10).and_then(|end| {
            let entity = &tail[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "nbsp" => Some('\u{a0}'),
                "apos" | "#39" => Some('\''),
                _ => entity
                    .strip_prefix("#x")
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes `value` for HTML text.
pub(crate) fn escape_text(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
}

/// Escapes `value` for a double-quoted attribute.
pub(crate) fn escape_attr(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialised_html_is_split_into_tokens() {
        let tokens = tokenize(r#"<p>a &amp; b</p><img src="cid:x" alt="&quot;<b>&quot;"><br>"#);
        assert_eq!(
            tokens,
            vec![
                Token::Start {
                    name: "p".into(),
                    attrs: vec![],
                    raw: "<p>"
                },
                Token::Text("a & b".into()),
                Token::End {
                    name: "p".into(),
                    raw: "</p>"
                },
                Token::Start {
                    name: "img".into(),
                    attrs: vec![
                        ("src".into(), "cid:x".into()),
                        ("alt".into(), "\"<b>\"".into())
                    ],
                    raw: r#"<img src="cid:x" alt="&quot;<b>&quot;">"#
                },
                Token::Start {
                    name: "br".into(),
                    attrs: vec![],
                    raw: "<br>"
                },
            ]
        );
    }

    #[test]
    fn unexpected_input_becomes_text() {
        let tokens = tokenize("a < b <p unterminated");
        assert!(tokens.iter().all(|t| matches!(t, Token::Text(_))));
        let text: String = tokens
            .iter()
            .map(|t| match t {
                Token::Text(s) => s.as_str(),
                _ => "",
            })
            .collect();
        assert_eq!(text, "a < b <p unterminated");
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            decode_entities("&lt;&#65;&#x42;&nbsp;&bogus;&"),
            "<AB\u{a0}&bogus;&"
        );
    }
}

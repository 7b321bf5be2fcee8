//! SCIM filters (RFC 7644, section 3.4.2.2), the part identity providers send: equality
//! comparisons joined by `and`, with a value filter on a multi-valued attribute
//! (`emails[value eq "…"]`). Anything else — `or`, `not`, parentheses, other operators, a
//! malformed string — is refused as `invalidFilter`, never guessed at.

use super::ScimError;

/// The longest filter read, in bytes.
pub(crate) const FILTER_MAX_BYTES: usize = 1000;

/// The core schemas' URNs, which may prefix an attribute path.
const CORE_PREFIXES: [&str; 2] = [
    "urn:ietf:params:scim:schemas:core:2.0:user:",
    "urn:ietf:params:scim:schemas:core:2.0:group:",
];

/// A comparison's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    /// A JSON string.
    Text(String),
    /// `true` or `false`.
    Bool(bool),
}

/// `attribute eq value`, the attribute lower-cased and without schema prefix; a value filter
/// `emails[value eq "x"]` is `emails.value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Comparison {
    /// The attribute path, lower-cased.
    pub attribute: String,
    /// What it must equal.
    pub value: Value,
}

impl Comparison {
    /// The value as text, or `invalidFilter` naming the attribute.
    pub(crate) fn text(&self) -> Result<&str, ScimError> {
        match &self.value {
            Value::Text(text) => Ok(text),
            Value::Bool(_) => Err(invalid(format!(
                "{} is compared with a string",
                self.attribute
            ))),
        }
    }
}

fn invalid(detail: impl Into<String>) -> ScimError {
    ScimError::bad("invalidFilter", detail)
}

/// An attribute path lower-cased, without a core schema prefix.
pub(crate) fn attribute_name(path: &str) -> String {
    let lower = path.to_ascii_lowercase();
    CORE_PREFIXES
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix).map(str::to_owned))
        .unwrap_or(lower)
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Open,
    Close,
}

fn tokens(filter: &str) -> Result<Vec<Token>, ScimError> {
    let mut out = Vec::new();
    let mut chars = filter.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            ' ' | '\t' => {}
            '[' => out.push(Token::Open),
            ']' => out.push(Token::Close),
            '"' => {
                // A JSON string: find its end (an unescaped quote) and let JSON read it.
                let mut end = None;
                let mut escaped = false;
                for (i, c) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        end = Some(i);
                        break;
                    }
                }
                let end = end.ok_or_else(|| invalid("a string in the filter is not closed"))?;
                let text: String = serde_json::from_str(&filter[at..=end])
                    .map_err(|_| invalid("a string in the filter is not a valid JSON string"))?;
                out.push(Token::Text(text));
            }
            c if c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '$' | '_' | '-') => {
                let mut word = String::from(c);
                while let Some(&(_, next)) = chars.peek() {
                    if next.is_ascii_alphanumeric() || matches!(next, '.' | ':' | '$' | '_' | '-') {
                        word.push(next);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token::Word(word));
            }
            other => {
                return Err(invalid(format!(
                    "the filter cannot hold {other:?}; use comparisons like userName eq \"a@example.org\" joined by and"
                )));
            }
        }
    }
    Ok(out)
}

fn is_keyword(token: Option<&Token>, keyword: &str) -> bool {
    matches!(token, Some(Token::Word(w)) if w.eq_ignore_ascii_case(keyword))
}

/// Reads `eq value` after an attribute.
fn comparison(
    attribute: String,
    rest: &mut std::iter::Peekable<std::vec::IntoIter<Token>>,
) -> Result<Comparison, ScimError> {
    match rest.next() {
        Some(Token::Word(op)) if op.eq_ignore_ascii_case("eq") => {}
        Some(Token::Word(op)) => {
            return Err(invalid(format!(
                "the operator {op} is not supported; only eq is"
            )));
        }
        _ => {
            return Err(invalid(format!(
                "{attribute} must be followed by eq and a value"
            )));
        }
    }
    let value = match rest.next() {
        Some(Token::Text(text)) => Value::Text(text),
        Some(Token::Word(w)) if w.eq_ignore_ascii_case("true") => Value::Bool(true),
        Some(Token::Word(w)) if w.eq_ignore_ascii_case("false") => Value::Bool(false),
        _ => {
            return Err(invalid(format!(
                "{attribute} eq must be followed by a quoted string, true or false"
            )));
        }
    };
    Ok(Comparison { attribute, value })
}

/// Parses a filter into the comparisons that must all hold.
pub(crate) fn parse(filter: &str) -> Result<Vec<Comparison>, ScimError> {
    if filter.len() > FILTER_MAX_BYTES {
        return Err(invalid(format!(
            "the filter is longer than {FILTER_MAX_BYTES} bytes"
        )));
    }
    let mut rest = tokens(filter)?.into_iter().peekable();
    let mut all = Vec::new();
    loop {
        let Some(Token::Word(path)) = rest.next() else {
            return Err(invalid(
                "the filter must start each comparison with an attribute",
            ));
        };
        if ["or", "not", "and"]
            .iter()
            .any(|k| path.eq_ignore_ascii_case(k))
        {
            return Err(invalid(format!("{path} is not supported here")));
        }
        let attribute = attribute_name(&path);
        if rest.peek() == Some(&Token::Open) {
            rest.next();
            let Some(Token::Word(inner)) = rest.next() else {
                return Err(invalid(format!("{path}[…] must hold a comparison")));
            };
            let inner = comparison(
                format!("{attribute}.{}", inner.to_ascii_lowercase()),
                &mut rest,
            )?;
            if rest.next() != Some(Token::Close) {
                return Err(invalid(format!(
                    "{path}[…] must hold one comparison and end with ]"
                )));
            }
            all.push(inner);
        } else {
            all.push(comparison(attribute, &mut rest)?);
        }
        match rest.next() {
            None => return Ok(all),
            Some(token) if is_keyword(Some(&token), "and") => {}
            Some(Token::Word(word)) => {
                return Err(invalid(format!(
                    "{word} is not supported; join comparisons with and"
                )));
            }
            Some(_) => return Err(invalid("the filter has something after a comparison")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(attribute: &str, value: &str) -> Comparison {
        Comparison {
            attribute: attribute.to_owned(),
            value: Value::Text(value.to_owned()),
        }
    }

    #[test]
    fn the_filters_identity_providers_send_are_read() {
        assert_eq!(
            parse(r#"userName eq "ann@example.org""#).unwrap(),
            [text("username", "ann@example.org")]
        );
        assert_eq!(
            parse(r#"urn:ietf:params:scim:schemas:core:2.0:User:externalId EQ "a \"b\"""#).unwrap(),
            [text("externalid", "a \"b\"")]
        );
        assert_eq!(
            parse(r#"emails[value eq "x@example.org"]"#).unwrap(),
            [text("emails.value", "x@example.org")]
        );
        assert_eq!(
            parse(r#"id eq "7" and members[value eq "12"]"#).unwrap(),
            [text("id", "7"), text("members.value", "12")]
        );
        assert_eq!(
            parse("active eq false").unwrap()[0].value,
            Value::Bool(false)
        );
    }

    #[test]
    fn anything_else_is_an_invalid_filter() {
        for bad in [
            "",
            "userName",
            r#"userName co "ann""#,
            r#"userName eq "ann" or userName eq "bob""#,
            r#"(userName eq "ann")"#,
            r#"not userName eq "ann""#,
            r#"userName eq "unclosed"#,
            r#"userName eq ann"#,
            r#"emails[value eq "x""#,
            r#"userName eq "ann" and"#,
            r#"userName eq "ann" userName"#,
            "userName pr",
        ] {
            let error = parse(bad).unwrap_err();
            assert_eq!(error.status, 400, "{bad}");
            assert_eq!(error.scim_type, Some("invalidFilter"), "{bad}");
        }
        assert!(parse(&format!(r#"userName eq "{}""#, "a".repeat(1000))).is_err());
    }
}

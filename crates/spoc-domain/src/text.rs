//! Validated text values: titles, bodies, names, reasons. Parse at the edge, then trust the type.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// Input that breaks a rule, with the field it concerns and a sentence for a person.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    /// The name of the offending field, as the caller knows it (`title`, `email`…).
    pub field: &'static str,
    /// What is wrong, as a plain sentence.
    pub message: String,
}

impl ValidationError {
    /// A validation error for `field`.
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// `value` in Unicode Normalization Form C: "é" typed as `e` + combining acute (NFD, as macOS
/// and some keyboards send it) becomes the single character `é`, so equal-looking text compares,
/// searches and sorts as equal. Every text value is normalised when it is parsed.
pub fn nfc(value: &str) -> String {
    value.nfc().collect()
}

/// The canonical form of an e-mail address, used as its unique key: trimmed, lower-cased and
/// NFC-normalised.
pub fn canonical_email(value: &str) -> String {
    nfc(&value.trim().to_lowercase())
}

/// Whether `c` is a bidirectional embedding, override or isolate control (U+202A–U+202E,
/// U+2066–U+2069). In a one-line value such a character can make text read differently from
/// what it is (a right-to-left override turns `exe.txt` into `txt.exe`), so one-line values
/// refuse them. The implicit marks U+200E (LRM), U+200F (RLM) and U+061C (ALM) stay allowed:
/// they only nudge neutral characters such as punctuation, and right-to-left writers need them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `value` without bidirectional embedding, override or isolate controls (for text from mail,
/// which cannot be sent back to its writer to fix).
pub fn strip_bidi_controls(value: &str) -> String {
    value.chars().filter(|c| !is_bidi_control(*c)).collect()
}

/// Checks that `value` is between `min` and `max` characters after trimming and contains no
/// control characters other than newlines and tabs (when `multiline`), and — when one-line — no
/// bidirectional controls ([`is_bidi_control`]). Returns the trimmed text.
pub(crate) fn checked(
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Result<String, ValidationError> {
    let normalised = nfc(value);
    let trimmed = normalised.trim();
    let n_chars = trimmed.chars().count();
    if n_chars < min {
        return Err(if min == 1 {
            ValidationError::new(field, "must not be empty")
        } else {
            ValidationError::new(field, format!("must be at least {min} characters"))
        });
    }
    if n_chars > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    let bad_control =
        |c: char| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t'));
    if trimmed.chars().any(bad_control) {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    if !multiline && trimmed.chars().any(is_bidi_control) {
        return Err(ValidationError::new(
            field,
            "must not contain bidirectional override or isolate characters (U+202A–U+202E, \
             U+2066–U+2069), which can disguise text",
        ));
    }
    Ok(trimmed.to_owned())
}

/// The characters `str::trim` removes (Unicode `White_Space`), as a regular-expression class body
/// that ECMA-262, Python and Rust read alike.
const WHITE_SPACE_CLASS: &str =
    r"\t\n\x0B\x0C\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";
/// The control characters (`char::is_control`, Unicode `Cc`) as a class body.
const CONTROL_CLASS: &str = r"\x00-\x1F\x7F-\x9F";
/// The control characters but tab, newline and carriage return, as a class body.
const CONTROL_BUT_LINES_CLASS: &str = r"\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F";

/// The regular expression (for an OpenAPI `pattern`) that matches exactly the values
/// [`checked`] accepts with the same `min`, `max` and `multiline`: optional white space around
/// `min`–`max` characters that start and end with neither white space nor a control character
/// and hold no control character (but tab and line breaks, when `multiline`).
pub fn text_pattern(min: usize, max: usize, multiline: bool) -> String {
    let edge = format!("[^{WHITE_SPACE_CLASS}{CONTROL_CLASS}]");
    let inner = if multiline {
        format!("[^{CONTROL_BUT_LINES_CLASS}]")
    } else {
        format!("[^{CONTROL_CLASS}]")
    };
    let mut shapes = Vec::new();
    if min <= 1 && max >= 1 {
        shapes.push(edge.clone());
    }
    if max >= 2 {
        let low = min.max(2) - 2;
        shapes.push(format!("{edge}{inner}{{{low},{}}}{edge}", max - 2));
    }
    let mut content = format!("(?:{})", shapes.join("|"));
    if min == 0 {
        content.push('?');
    }
    format!("^[{WHITE_SPACE_CLASS}]*{content}[{WHITE_SPACE_CLASS}]*$")
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $field:literal, $min:expr, $max:expr, $multiline:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// The most characters this value may have.
            pub const MAX_CHARS: usize = $max;
            /// The fewest characters this value may have.
            pub const MIN_CHARS: usize = $min;
            /// Whether it may hold line breaks and tabs.
            pub const MULTILINE: bool = $multiline;

            /// The regular expression of exactly the values [`Self::parse`] accepts.
            pub fn pattern() -> String {
                text_pattern($min, $max, $multiline)
            }

            /// Validates and trims `value`.
            pub fn parse(value: &str) -> Result<Self, ValidationError> {
                checked($field, value, $min, $max, $multiline).map(Self)
            }

            /// Validates `value`, reporting errors against `field` instead of the default name.
            pub fn parse_as(field: &'static str, value: &str) -> Result<Self, ValidationError> {
                checked(field, value, $min, $max, $multiline).map(Self)
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The text, owned.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

text_type!(
    /// A ticket title: one line, 1–200 characters.
    Title, "title", 1, 200, false
);
text_type!(
    /// A ticket description, reply or note: 1–100,000 characters, several lines.
    Body, "body", 1, 100_000, true
);
text_type!(
    /// Why something was done (escalation, override, cancellation): 1–2,000 characters.
    Reason, "reason", 1, 2_000, true
);
text_type!(
    /// A display name for a person, organisation, group, category or service: 1–200 characters.
    Name, "name", 1, 200, false
);
text_type!(
    /// An external supplier's own reference for a ticket: 1–100 characters.
    SupplierReference, "supplier_reference", 1, 100, false
);
text_type!(
    /// A free label, e.g. for an API token: 1–100 characters.
    Label, "label", 1, 100, false
);

/// A lower-cased e-mail address with one `@`, a non-empty local part and a dotted domain.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Validates and normalises (trims, lower-cases, NFC) an address.
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        let value = canonical_email(value);
        let invalid =
            || ValidationError::new("email", "must be an e-mail address like name@example.org");
        if value.len() > 254
            || value
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || is_bidi_control(c))
        {
            return Err(invalid());
        }
        let Some((local, domain)) = value.split_once('@') else {
            return Err(invalid());
        };
        let domain_ok = !domain.is_empty()
            && !domain.contains('@')
            && domain.split('.').all(|label| !label.is_empty())
            && (domain.contains('.') || domain == "localhost");
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(value))
    }

    /// The most characters an address may have.
    pub const MAX_CHARS: usize = 254;

    /// A regular expression of addresses [`Self::parse`] accepts: printable ASCII without
    /// spaces, one `@`, 1–64 characters before it and a dotted domain (or `localhost`) after.
    /// (The parser also takes surrounding white space and other scripts; this is the portable
    /// form to send.)
    pub fn pattern() -> String {
        let local = r"[\x21-\x3F\x41-\x7E]{1,64}";
        let label = r"[\x21-\x2D\x2F-\x3F\x41-\x7E]+";
        format!(r"^{local}@(?:(?:{label}\.)+{label}|localhost)$")
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Characters at the edges of the rules: white space of every kind `trim` removes, control
    /// characters (some of which are white space too), ordinary letters, a non-BMP one.
    fn tricky_char() -> impl Strategy<Value = char> {
        prop_oneof![
            Just(' '),
            Just('\t'),
            Just('\n'),
            Just('\r'),
            Just('\u{0B}'),
            Just('\u{85}'),
            Just('\u{A0}'),
            Just('\u{2003}'),
            Just('\u{3000}'),
            Just('\u{FEFF}'),
            Just('\u{0}'),
            Just('\u{7}'),
            Just('\u{1C}'),
            Just('\u{7F}'),
            Just('\u{9F}'),
            Just('a'),
            Just('é'),
            Just('😀'),
        ]
    }

    fn text_like() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::collection::vec(tricky_char(), 0..8).prop_map(|c| c.into_iter().collect()),
            // Around the bounds: a run of letters with a few tricky characters spliced in.
            (
                0usize..8,
                95usize..106,
                proptest::collection::vec(tricky_char(), 0..4)
            )
                .prop_map(|(lead, n, extra)| {
                    let mut s: String = extra.iter().take(lead.min(extra.len())).collect();
                    s.push_str(&"x".repeat(n));
                    s.extend(extra.iter().skip(lead.min(extra.len())));
                    s
                }),
        ]
    }

    proptest! {
        #[test]
        fn text_pattern_accepts_exactly_what_checked_accepts(
            value in text_like(),
            min in 0usize..3,
            max in prop_oneof![Just(1usize), Just(2usize), Just(5usize), Just(100usize)],
            multiline in any::<bool>(),
        ) {
            prop_assume!(min <= max);
            let pattern = text_pattern(min, max, multiline);
            let regex = regex_automata::meta::Regex::new(&pattern).unwrap();
            let accepted = checked("field", &value, min, max, multiline).is_ok();
            prop_assert_eq!(regex.is_match(&value), accepted, "{:?} against {}", value, pattern);
        }
    }

    #[test]
    fn email_pattern_accepts_what_parse_accepts() {
        let regex = regex_automata::meta::Regex::new(&Email::pattern()).unwrap();
        for good in [
            "ana@example.org",
            "a.b+c@mail.example.co.uk",
            "admin@localhost",
        ] {
            assert!(regex.is_match(good), "{good}");
            assert!(Email::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "ana",
            "@example.org",
            "ana@",
            "ana@example",
            "a b@example.org",
            "a@b@c.org",
            "ana@.org",
        ] {
            assert!(!regex.is_match(bad), "{bad} matches");
            assert!(Email::parse(bad).is_err(), "{bad} parses");
        }
    }

    #[test]
    fn title_is_trimmed_and_bounded() {
        assert_eq!(
            Title::parse("  Printer jam ").unwrap().as_str(),
            "Printer jam"
        );
        assert_eq!(
            Title::parse("   ").unwrap_err().message,
            "must not be empty"
        );
        assert!(Title::parse(&"x".repeat(200)).is_ok());
        assert!(Title::parse(&"x".repeat(201)).is_err());
        assert!(Title::parse("two\nlines").is_err());
        assert!(Body::parse("two\nlines").is_ok());
        assert!(Body::parse("bell\u{7}").is_err());
    }

    #[test]
    fn one_line_values_refuse_bidi_overrides_and_isolates() {
        for bad in ["invoice\u{202E}fdp.exe", "a\u{2066}b\u{2069}", "\u{202A}x"] {
            let error = Title::parse(bad).unwrap_err();
            assert!(error.message.contains("bidirectional"), "{bad:?}: {error}");
            assert!(Name::parse(bad).is_err());
            assert!(Label::parse(bad).is_err());
        }
        assert!(Email::parse("ana\u{202E}@example.org").is_err());
        // The implicit marks stay, for right-to-left writing.
        assert!(Title::parse("שלום\u{200F} (2)").is_ok());
        assert!(Name::parse("\u{200E}Ana").is_ok());
        // Bodies keep whatever the writer typed; pages isolate them.
        assert!(Body::parse("quote: \u{202E}abc\u{202C}").is_ok());
        assert_eq!(
            strip_bidi_controls("a\u{202E}b\u{2069}c\u{200F}"),
            "abc\u{200F}"
        );
    }

    #[test]
    fn text_is_nfc_normalised() {
        let nfd = "Cafe\u{301} cre\u{300}me";
        let nfc_text = "Caf\u{e9} cr\u{e8}me";
        assert_eq!(Title::parse(nfd).unwrap().as_str(), nfc_text);
        assert_eq!(Body::parse(nfd).unwrap().as_str(), nfc_text);
        assert_eq!(Name::parse(nfd).unwrap(), Name::parse(nfc_text).unwrap());
        assert_eq!(
            Email::parse("JOSE\u{301}@Example.org").unwrap(),
            Email::parse("jos\u{e9}@example.org").unwrap()
        );
        assert_eq!(canonical_email(" Jos\u{c9}@X.test "), "jos\u{e9}@x.test");
        // Length limits count the normalised characters.
        assert!(Title::parse(&"e\u{301}".repeat(200)).is_ok());
    }

    #[test]
    fn email_is_normalised() {
        assert_eq!(
            Email::parse(" Ana@Example.ORG ").unwrap().as_str(),
            "ana@example.org"
        );
        for bad in [
            "",
            "ana",
            "@example.org",
            "ana@",
            "ana@example",
            "a b@example.org",
            "a@b@c.org",
            "ana@.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
        assert!(Email::parse("admin@localhost").is_ok());
    }
}

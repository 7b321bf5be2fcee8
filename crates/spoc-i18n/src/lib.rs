//! The message catalogue's machinery, shared by every part of Spoc that writes for people (the
//! web pages in `spoc-ui`, the e-mails in `spoc-mail` and `spoc-app`).
//!
//! The catalogue is one table per part of the product, each declared with [`catalogue!`]: an
//! enum of messages, each written in English and German. A language is complete by
//! construction (the macro takes every message in every language), and the unit test the macro
//! adds checks that no message is empty, that the languages use the same placeholders and that
//! the other language is really translated.
//!
//! A message with values marks them `{0}`, `{1}`…; [`fill`] puts the values in, so each
//! language places them where its grammar wants.

/// A language Spoc is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    /// English (the default).
    #[default]
    En,
    /// German.
    De,
}

impl Language {
    /// Every language, in the order offered.
    pub const ALL: [Self; 2] = [Self::En, Self::De];

    /// The code stored and used in `lang` attributes and `Content-Language`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
        }
    }

    /// The language's own name, as offered in the choice.
    pub const fn own_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::De => "Deutsch",
        }
    }

    /// The language of a code (`en`, `de`; a region such as `de-AT` counts), if offered.
    pub fn parse(code: &str) -> Option<Self> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or("");
        Self::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(primary))
    }
}

/// A message of one of the catalogue's tables.
pub trait Message: Copy {
    /// The message in `language`.
    fn text(self, language: Language) -> &'static str;

    /// The message in `language` with its placeholders `{0}`, `{1}`… replaced by `args`.
    fn fill(self, language: Language, args: &[&dyn std::fmt::Display]) -> String {
        fill(self.text(language), args)
    }
}

/// One piece of a message: text as written, or the place of a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text of the message.
    Text(&'a str),
    /// The place of value `n` (`{n}`).
    Value(usize),
}

/// The pieces of `text`: its runs of text and its placeholders `{0}`…`{9}`, in order (a brace
/// that does not start a placeholder is text).
pub fn pieces(text: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        if bytes.len() >= 3 && bytes[0] == b'{' && bytes[1].is_ascii_digit() && bytes[2] == b'}' {
            let index = usize::from(bytes[1] - b'0');
            rest = &rest[3..];
            return Some(Piece::Value(index));
        }
        // The text up to the next placeholder (a lone brace stays text).
        let end = rest
            .char_indices()
            .skip(1)
            .find(|&(i, _)| {
                let b = &rest.as_bytes()[i..];
                b.len() >= 3 && b[0] == b'{' && b[1].is_ascii_digit() && b[2] == b'}'
            })
            .map_or(rest.len(), |(i, _)| i);
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(Piece::Text(piece))
    })
}

/// `text` with `{0}`…`{9}` replaced by `args` (a placeholder without an argument stays as is).
pub fn fill(text: &str, args: &[&dyn std::fmt::Display]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len() + 16);
    for piece in pieces(text) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Value(i) => match args.get(i) {
                Some(arg) => {
                    let _ = write!(out, "{arg}");
                }
                None => {
                    let _ = write!(out, "{{{i}}}");
                }
            },
        }
    }
    out
}

/// The placeholders `{0}`…`{9}` a text uses, as a bit set.
pub fn placeholders(text: &str) -> u16 {
    pieces(text).fold(0, |set, piece| match piece {
        Piece::Value(i) => set | 1 << i,
        Piece::Text(_) => set,
    })
}

/// Checks one table of the catalogue (the test [`catalogue!`] adds): every message written in
/// every language, the same placeholders in each, and most messages really translated (a table
/// written by copying the English fails).
///
/// # Panics
///
/// When the table breaks one of these rules, naming the message.
pub fn check_table(table: &str, messages: &[(&str, [&str; 2])]) {
    for (name, texts) in messages {
        for (language, text) in Language::ALL.iter().zip(texts) {
            assert!(
                !text.trim().is_empty(),
                "{table}::{name} in {language:?} is empty"
            );
        }
        assert_eq!(
            placeholders(texts[0]),
            placeholders(texts[1]),
            "{table}::{name}: the languages use different placeholders"
        );
    }
    let differ = messages.iter().filter(|(_, t)| t[0] != t[1]).count();
    assert!(
        differ * 10 >= messages.len() * 7,
        "{table}: only {differ} of {} messages translated",
        messages.len()
    );
}

/// Declares one table of the catalogue: an enum of messages, each with its English and German
/// text, its [`Message`] implementation, and the unit test that checks the table.
#[macro_export]
macro_rules! catalogue {
    ($(#[$meta:meta])* $table:ident { $($name:ident => $en:expr, $de:expr;)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $table { $(#[doc = $en] $name,)* }

        impl $table {
            /// Every message of the table, in the order written.
            #[allow(dead_code)]
            pub const ALL: &'static [$table] = &[$($table::$name,)*];

            /// The message in `language` (usable in constants).
            #[allow(dead_code)]
            pub const fn in_language(self, language: $crate::Language) -> &'static str {
                match language {
                    $crate::Language::En => match self { $($table::$name => $en,)* },
                    $crate::Language::De => match self { $($table::$name => $de,)* },
                }
            }
        }

        impl $crate::Message for $table {
            fn text(self, language: $crate::Language) -> &'static str {
                self.in_language(language)
            }
        }

        #[cfg(test)]
        #[test]
        fn every_message_is_written_in_every_language() {
            $crate::check_table(stringify!($table), &[$((stringify!($name), [$en, $de]),)*]);
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    catalogue! {
        /// A table for the tests.
        Sample {
            Hello => "Hello, {0}", "Hallo, {0}";
            Count => "{0} of {1}", "{0} von {1}";
        }
    }

    #[test]
    fn placeholders_are_filled_in_order_and_unknown_braces_stay() {
        assert_eq!(fill("{1} of {0}", &[&3, &"five"]), "five of 3");
        assert_eq!(fill("a {x} {9} {", &[&1]), "a {x} {9} {");
        assert_eq!(
            pieces("{0}é {x}{1}").collect::<Vec<_>>(),
            [Piece::Value(0), Piece::Text("é {x}"), Piece::Value(1)]
        );
        assert_eq!(placeholders("{0} and {2}"), 0b101);
        assert_eq!(Sample::Hello.fill(Language::De, &[&"Ada"]), "Hallo, Ada");
        assert_eq!(Sample::Count.text(Language::En), "{0} of {1}");
    }

    #[test]
    fn languages_parse_from_codes_and_regions() {
        assert_eq!(Language::parse("de-AT"), Some(Language::De));
        assert_eq!(Language::parse("EN"), Some(Language::En));
        assert_eq!(Language::parse("fr"), None);
    }

    #[test]
    #[should_panic(expected = "different placeholders")]
    fn a_translation_that_drops_a_value_is_refused() {
        check_table("T", &[("M", ["{0} left", "übrig"])]);
    }
}

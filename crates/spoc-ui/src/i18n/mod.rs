//! The UI's one message catalogue, and the reader a page is rendered for (language and time
//! zone).
//!
//! Every string a page shows is a message of the catalogue, written once per language. The
//! catalogue is one table per part of the UI (this folder: [`Msg`] for the frame and the account
//! pages, [`words`] for the domain's words such as statuses and priorities, then one file per
//! feature folder), each made with the [`catalogue!`] macro, which takes every message in every
//! language, so a language is complete by construction; a unit test per table checks that no
//! message is empty, that the placeholders agree across languages and that the other language
//! is really translated.
//!
//! Pages call [`t`] for a fixed message and [`tr`] for one with values: `{0}`, `{1}`… in the
//! text are replaced by the arguments, so each language puts them where its grammar wants.
//! [`count`] picks the singular or plural message for a number.
//!
//! The reader is set for the whole request by [`scope`], a middleware that reads the signed-in
//! person's settings with their session (or, signed out, the browser's `Accept-Language`), so
//! that no handler and no helper such as `timefmt::when` has to pass it along.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use spoc_app::{App, Language, ReadingSettings};
use spoc_http::extract::{cookie, session_cookie_name};

mod frame;
pub mod words;

pub mod admin;
pub mod app;
pub mod desk;
pub mod knowledge;
pub mod mail_admin;
pub mod portal;
pub mod queue;
pub mod script;
pub mod sops;
pub mod views;

pub use frame::Msg;

/// Who a page is rendered for.
#[derive(Clone, Debug, Default)]
pub struct Reader {
    /// The language of the page.
    pub language: Language,
    /// The time zone chosen, if any (else the server's).
    pub time_zone: Option<jiff::tz::TimeZone>,
    /// The person still signs in with the password generated at first start.
    pub generated_password: bool,
}

tokio::task_local! {
    static READER: Reader;
}

/// The reader of the page being rendered (defaults outside a request).
pub fn reader() -> Reader {
    READER.try_with(Clone::clone).unwrap_or_default()
}

/// The language of the page being rendered.
pub fn lang() -> Language {
    READER.try_with(|r| r.language).unwrap_or_default()
}

/// Runs `future` as rendered for `reader`.
#[cfg(test)]
pub async fn with_reader<F: std::future::Future>(reader: Reader, future: F) -> F::Output {
    READER.scope(reader, future).await
}

/// The middleware that sets the reader for every UI request.
pub async fn scope(State(app): State<App>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/static/") {
        return next.run(request).await;
    }
    let secret = cookie(
        request.headers(),
        session_cookie_name(app.served_over_https()),
    );
    let settings = match secret {
        Some(secret) => app.session_reading_settings(&secret).await,
        None => ReadingSettings {
            language: browser_language(request.headers()),
            ..ReadingSettings::default()
        },
    };
    let reader = Reader {
        language: settings.language,
        time_zone: settings
            .time_zone
            .and_then(|z| jiff::tz::TimeZone::get(&z).ok()),
        generated_password: settings.generated_password,
    };
    READER.scope(reader, next.run(request)).await
}

/// The first offered language the browser asks for (`Accept-Language`), else English.
fn browser_language(headers: &axum::http::HeaderMap) -> Language {
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .map(|part| part.split(';').next().unwrap_or(""))
                .find_map(Language::parse)
        })
        .unwrap_or_default()
}

/// A message of one of the catalogue's tables.
pub trait Message: Copy {
    /// The message in `language`.
    fn text(self, language: Language) -> &'static str;
}

/// The message `msg` in the reader's language.
pub fn t(msg: impl Message) -> &'static str {
    msg.text(lang())
}

/// The message `msg` in the reader's language, its placeholders `{0}`, `{1}`… replaced by
/// `args` in order.
pub fn tr(msg: impl Message, args: &[&dyn std::fmt::Display]) -> String {
    fill(msg.text(lang()), args)
}

/// `one` when `n` is 1, else `other`, with `{0}` replaced by `n`.
pub fn count(n: i64, one: impl Message, other: impl Message) -> String {
    if n == 1 {
        tr(one, &[&n])
    } else {
        tr(other, &[&n])
    }
}

/// `text` with `{0}`…`{9}` replaced by `args` (a placeholder without an argument stays as is).
fn fill(text: &str, args: &[&dyn std::fmt::Display]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let bytes = tail.as_bytes();
        let index = (bytes.len() >= 3 && bytes[1].is_ascii_digit() && bytes[2] == b'}')
            .then(|| usize::from(bytes[1] - b'0'));
        match index.and_then(|i| args.get(i)) {
            Some(arg) => {
                let _ = write!(out, "{arg}");
                rest = &tail[3..];
            }
            None => {
                out.push('{');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders `{0}`…`{9}` a text uses, as a bit set.
#[cfg(test)]
fn placeholders(text: &str) -> u16 {
    let bytes = text.as_bytes();
    bytes
        .windows(3)
        .filter(|w| w[0] == b'{' && w[1].is_ascii_digit() && w[2] == b'}')
        .fold(0, |set, w| set | 1 << (w[1] - b'0'))
}

/// Checks one table of the catalogue: every message written in every language, the same
/// placeholders in each, and most messages really translated (a table written by copying the
/// English would fail).
#[cfg(test)]
pub(crate) fn check_table(table: &str, messages: &[(String, [&'static str; 2])]) {
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
/// text, and the unit test that checks the table.
macro_rules! catalogue {
    ($(#[$meta:meta])* $table:ident { $($name:ident => $en:expr, $de:expr;)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $table { $(#[doc = $en] $name,)* }

        impl $table {
            /// The message in `language`.
            pub const fn in_language(self, language: spoc_app::Language) -> &'static str {
                match language {
                    spoc_app::Language::En => match self { $($table::$name => $en,)* },
                    spoc_app::Language::De => match self { $($table::$name => $de,)* },
                }
            }
        }

        impl $crate::i18n::Message for $table {
            fn text(self, language: spoc_app::Language) -> &'static str {
                self.in_language(language)
            }
        }

        #[cfg(test)]
        #[test]
        fn every_message_is_written_in_every_language() {
            $crate::i18n::check_table(
                stringify!($table),
                &[$((stringify!($name).to_owned(), [$en, $de]),)*],
            );
        }
    };
}
pub(crate) use catalogue;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_in_order_and_unknown_braces_stay() {
        assert_eq!(fill("{1} of {0}", &[&3, &"five"]), "five of 3");
        assert_eq!(fill("a {x} {9} {", &[&1]), "a {x} {9} {");
        assert_eq!(placeholders("{0} and {2}"), 0b101);
        assert_eq!(Msg::SignIn.in_language(Language::De), "Anmelden");
    }

    #[tokio::test]
    async fn the_reader_sets_the_language_for_the_request() {
        assert_eq!(t(Msg::SignIn), "Sign in");
        let german = Reader {
            language: Language::De,
            ..Reader::default()
        };
        let said = with_reader(german, async { t(Msg::SignIn) }).await;
        assert_eq!(said, "Anmelden");
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            axum::http::HeaderValue::from_static("fr-CH, de;q=0.8, en;q=0.5"),
        );
        assert_eq!(browser_language(&headers), Language::De);
    }
}

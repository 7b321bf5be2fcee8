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
pub mod audit;
pub mod desk;
pub mod directories;
pub mod knowledge;
pub mod mail_admin;
pub mod oidc;
pub mod portal;
pub mod queue;
pub mod scim;
pub mod script;
pub mod sops;
pub mod tenants;
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

pub use spoc_i18n::Message;
pub(crate) use spoc_i18n::catalogue;

/// The message `msg` in the reader's language.
pub fn t(msg: impl Message) -> &'static str {
    msg.text(lang())
}

/// The message `msg` in the reader's language, its placeholders `{0}`, `{1}`… replaced by
/// `args` in order.
pub fn tr(msg: impl Message, args: &[&dyn std::fmt::Display]) -> String {
    msg.fill(lang(), args)
}

/// The message `msg` in the reader's language with its placeholders `{0}`, `{1}`… replaced by
/// markup (a name in `bdi`, a link, a `<code>`): the message's own text is escaped, the values go
/// in as they are, so a sentence with markup in the middle stays one message and each language
/// puts the values where its grammar wants them.
pub fn tr_markup(msg: impl Message, args: &[maud::Markup]) -> maud::Markup {
    let text = t(msg);
    let mut out = String::with_capacity(text.len() + 64);
    for piece in spoc_i18n::pieces(text) {
        match piece {
            spoc_i18n::Piece::Text(text) => out.push_str(&maud::html! { (text) }.0),
            spoc_i18n::Piece::Value(i) => match args.get(i) {
                Some(arg) => out.push_str(&arg.0),
                None => out.push_str(&maud::html! { "{" (i) "}" }.0),
            },
        }
    }
    maud::PreEscaped(out)
}

/// A message with one value that is markup, as the text before `{0}` and the text after it.
pub fn around(text: &'static str) -> (&'static str, &'static str) {
    text.split_once("{0}").unwrap_or((text, ""))
}

/// `one` when `n` is 1, else `other`, with `{0}` replaced by `n`.
pub fn count(n: i64, one: impl Message, other: impl Message) -> String {
    if n == 1 {
        tr(one, &[&n])
    } else {
        tr(other, &[&n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_in_order_and_unknown_braces_stay() {
        assert_eq!(Msg::SignIn.text(Language::De), "Anmelden");
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

//! The pages behind the one-time links of a resolution notice: `/mail-actions/{secret}` asks
//! "is it fixed?" (or what is still wrong) and only the form's submission acts. No sign-in is
//! needed — the link itself is the requester's permission for that one action on that one
//! ticket, checked by the app — so these pages show nothing but the ticket's reference and title.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};
use spoc_app::{AppError, LinkAction};
use spoc_domain::text::Reason;

use crate::forms::UiForm;
use crate::i18n::portal::Portal;
use crate::i18n::{t, tr};
use crate::page::{Area, Shell, field};
use crate::session::{UiError, sentence};
use spoc_http::AppState;

type Pairs = Vec<(String, String)>;

fn value<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The question a link asks, with its form.
pub fn link_page(
    action: LinkAction,
    number: &str,
    title: &str,
    secret: &str,
    reason: &str,
    error: Option<&str>,
) -> Markup {
    let heading = match action {
        LinkAction::Confirm => tr(Portal::LinkIsFixed, &[&number]),
        LinkAction::Reopen => tr(Portal::LinkNotFixed, &[&number]),
    };
    let body = html! {
        div class="auth-card panel" {
            // i18n: not text (the product's name)
            div class="brand brand-large" { span class="brand-mark" aria-hidden="true" { "S" } " Spoc" }
            h1 { (heading) }
            p class="muted" { (title) }
            form class="form" method="post" action={ "/mail-actions/" (secret) } {
                @match action {
                    LinkAction::Confirm => {
                        p { (t(Portal::LinkConfirmHint)) }
                        div class="form-actions" {
                            button class="button button-primary button-block" type="submit" { (t(Portal::YesFixedClose)) }
                        }
                    }
                    LinkAction::Reopen => {
                        (field("reason", t(Portal::WhatIsStillWrong), None, error, html! {
                            textarea id="reason" name="reason" rows="4" required autofocus { (reason) }
                        }))
                        div class="form-actions" {
                            button class="button button-primary button-block" type="submit" { (t(Portal::ReopenTicket)) }
                        }
                    }
                }
            }
        }
    };
    Shell::new(&heading, Area::Auth).render(None, body)
}

fn done_page(title: &str, message: &str) -> Response {
    let body = html! {
        div class="auth-card panel" {
            // i18n: not text (the product's name)
            div class="brand brand-large" { span class="brand-mark" aria-hidden="true" { "S" } " Spoc" }
            h1 { (title) }
            div class="flash flash-success" role="status" { (message) }
        }
    };
    Html(
        Shell::new(title, Area::Auth)
            .render(None, body)
            .into_string(),
    )
    .into_response()
}

fn refused(error: AppError) -> UiError {
    match error {
        AppError::Forbidden(why) => {
            UiError::page(StatusCode::GONE, t(Portal::LinkUnusable), sentence(&why))
        }
        AppError::NotFound { .. } => UiError::page(
            StatusCode::NOT_FOUND,
            t(Portal::LinkUnknown),
            t(Portal::LinkInvalid),
        ),
        other => other.into(),
    }
}

/// `GET /mail-actions/{secret}`: the question, without acting.
pub async fn show(
    State(state): State<AppState>,
    Path(secret): Path<String>,
) -> Result<Response, UiError> {
    let link = state.app.action_link(&secret).await.map_err(refused)?;
    let number = link.ticket.number().to_string();
    Ok(
        Html(link_page(link.action, &number, &link.ticket.title, &secret, "", None).into_string())
            .into_response(),
    )
}

/// `POST /mail-actions/{secret}`: confirms or reopens.
pub async fn submit(
    State(state): State<AppState>,
    Path(secret): Path<String>,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    let link = state.app.action_link(&secret).await.map_err(refused)?;
    let number = link.ticket.number().to_string();
    let typed = value(&pairs, "reason");
    let reason = match link.action {
        LinkAction::Confirm => None,
        LinkAction::Reopen => match Reason::parse(typed) {
            Ok(reason) => Some(reason),
            Err(e) => {
                let page = link_page(
                    link.action,
                    &number,
                    &link.ticket.title,
                    &secret,
                    typed,
                    Some(&sentence(&e.message)),
                );
                return Ok(
                    (StatusCode::UNPROCESSABLE_ENTITY, Html(page.into_string())).into_response()
                );
            }
        },
    };
    state
        .app
        .use_action_link(&secret, reason)
        .await
        .map_err(refused)?;
    Ok(match link.action {
        LinkAction::Confirm => done_page(t(Portal::ThankYou), &tr(Portal::ClosedDone, &[&number])),
        LinkAction::Reopen => done_page(t(Portal::Reopened), &tr(Portal::ReopenedDone, &[&number])),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_asks_before_acting_and_escapes_the_title() {
        let html = link_page(
            LinkAction::Confirm,
            "INC-000042",
            "<script>x</script>",
            "ab12",
            "",
            None,
        )
        .into_string();
        assert!(
            html.contains(r#"<form class="form" method="post" action="/mail-actions/ab12">"#),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>x"), "{html}");
        let reopen = link_page(
            LinkAction::Reopen,
            "INC-000042",
            "Printer",
            "ab12",
            "still <b>",
            Some("Reason must not be empty."),
        )
        .into_string();
        assert!(
            reopen.contains(r#"<textarea id="reason" name="reason""#),
            "{reopen}"
        );
        assert!(reopen.contains("still &lt;b&gt;"));
        assert!(reopen.contains("Reason must not be empty."));
    }

    #[tokio::test]
    async fn the_page_speaks_the_readers_language_and_keeps_the_value_where_it_belongs() {
        let german = crate::i18n::Reader {
            language: spoc_app::Language::De,
            ..crate::i18n::Reader::default()
        };
        let html = crate::i18n::with_reader(german, async {
            link_page(
                LinkAction::Confirm,
                "INC-000042",
                "Printer",
                "ab12",
                "",
                None,
            )
            .into_string()
        })
        .await;
        assert!(html.contains("Ist INC-000042 behoben?"), "{html}");
        assert!(html.contains("Ja, es ist behoben – schließen"), "{html}");
        assert_eq!(
            crate::i18n::around("Still stuck? {0}."),
            ("Still stuck? ", ".")
        );
        assert_eq!(crate::i18n::around("No value"), ("No value", ""));
    }
}

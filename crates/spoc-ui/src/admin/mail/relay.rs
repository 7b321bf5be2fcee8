//! Outgoing mail (`/admin/mail/relay`): the relay the desk sends through, its sign-in, the From
//! address and the address used in mail links, and a test message with the relay's answer.
//! Saved settings win over the `--smtp-url` / `--mail-from` flags (see docs/mail.md).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, OutboxEntry, OutboxState, RelayInput, RelaySecurity, RelaySettings};

use crate::admin::frame::{page, require_admin};
use crate::admin::mail::frame::tabs;
use crate::forms::UiForm;
use crate::i18n::mail_admin::MailAdmin;
use crate::i18n::t;
use crate::i18n::tr_markup;
use crate::page::{FieldErrors, checkbox, csrf_field, error_box, flash, select, text_input};
use crate::session::{UiError, Viewer, sentence};
use crate::timefmt::{iso, when};
use spoc_http::AppState;

/// The page's address.
const PATH: &str = "/admin/mail/relay";

/// The query of the page.
#[derive(Debug, Default, Deserialize)]
pub struct RelayQuery {
    ok: Option<String>,
    /// The test message's address, kept after a refusal.
    to: Option<String>,
    /// Why the test message was refused.
    error: Option<String>,
}

/// The settings form as typed.
#[derive(Debug, Default, Deserialize)]
pub struct RelayForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    host: String,
    #[serde(default)]
    port: String,
    #[serde(default)]
    security: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    remove_password: Option<String>,
    #[serde(default)]
    from: String,
    #[serde(default)]
    public_url: String,
}

impl RelayForm {
    fn from_settings(s: &RelaySettings) -> Self {
        Self {
            csrf: String::new(),
            host: s.host.clone(),
            port: s.port.to_string(),
            security: s.security.as_str().to_owned(),
            username: s.username.clone(),
            password: String::new(),
            remove_password: None,
            from: s.from.clone(),
            public_url: s.public_url.clone(),
        }
    }

    fn input(&self) -> RelayInput {
        RelayInput {
            host: self.host.clone(),
            port: self.port.clone(),
            security: self.security.clone(),
            username: self.username.clone(),
            password: Some(self.password.clone()).filter(|p| !p.is_empty()),
            remove_password: self.remove_password.is_some(),
            from: self.from.clone(),
            public_url: self.public_url.clone(),
        }
    }
}

/// The words for a security choice.
fn security_label(security: RelaySecurity) -> &'static str {
    t(match security {
        RelaySecurity::None => MailAdmin::SecurityNone,
        RelaySecurity::Starttls => MailAdmin::SecurityStarttls,
        RelaySecurity::Tls => MailAdmin::SecurityTls,
    })
}

/// The form; `typed_password` says a password was typed into a form that came back.
fn settings_form(
    viewer: &Viewer,
    form: &RelayForm,
    has_password: bool,
    errors: &FieldErrors,
) -> Markup {
    let options: Vec<(String, String)> = RelaySecurity::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), security_label(*s).to_owned()))
        .collect();
    let password_hint = if !form.password.is_empty() && !errors.is_empty() {
        t(MailAdmin::PasswordAgain)
    } else if has_password {
        t(MailAdmin::RelayPasswordSet)
    } else {
        t(MailAdmin::RelayPasswordNew)
    };
    html! {
        @if !errors.is_empty() {
            (error_box(Some(t(MailAdmin::RelayErrors))))
        }
        form class="form panel" method="post" action=(PATH) novalidate {
            (csrf_field(viewer))
            fieldset class="field stack" {
                legend { (t(MailAdmin::RelayLegend)) }
                div class="grid-2" {
                    (text_input("r-host", "host", t(MailAdmin::RelayHost), "text", &form.host, true,
                        Some(t(MailAdmin::RelayHostHint)), errors))
                    div class="input-short" {
                        (text_input("r-port", "port", t(MailAdmin::Port), "text", &form.port, true, None, errors))
                    }
                }
                (select("r-security", "security", t(MailAdmin::Security), &options, &form.security, errors))
                div class="grid-2" {
                    (text_input("r-username", "username", t(MailAdmin::UserName), "text", &form.username, false,
                        Some(t(MailAdmin::UserNameHint)), errors))
                    (text_input("r-password", "password", t(MailAdmin::Password), "password", "", false,
                        Some(password_hint), errors))
                }
                @if has_password {
                    (checkbox("r-remove-password", "remove_password", t(MailAdmin::RemovePassword), form.remove_password.is_some(), None))
                }
            }
            fieldset class="field stack" {
                legend { (t(MailAdmin::ReceiveLegend)) }
                (text_input("r-from", "from", t(MailAdmin::FromAddress), "text", &form.from, true,
                    Some(t(MailAdmin::FromAddressHint)), errors))
                (text_input("r-public-url", "public_url", t(MailAdmin::PublicUrl), "url", &form.public_url, false,
                    Some(t(MailAdmin::PublicUrlHint)), errors))
            }
            div class="form-actions" { button class="button button-primary" type="submit" { (t(MailAdmin::SaveRelay)) } }
        }
    }
}

/// The latest test message and what the relay said about it.
fn last_test(entry: Option<&OutboxEntry>) -> Markup {
    let Some(entry) = entry else {
        return html! { p class="muted" id="relay-answer" { (t(MailAdmin::NoTestYet)) } };
    };
    let to = entry.recipient.clone().unwrap_or_default();
    html! {
        @if let Some(at) = entry.done_at {
            p class="notice notice-success" id="relay-answer" role="status" {
                (tr_markup(MailAdmin::TestAccepted, &[html! { strong { (to) } }, html! { time datetime=(iso(at)) { (when(at)) } }]))
            }
        } @else if let Some(at) = entry.dead_at {
            p class="notice notice-danger" id="relay-answer" role="status" {
                (tr_markup(MailAdmin::TestRefused, &[
                    html! { strong { (to) } },
                    html! { time datetime=(iso(at)) { (when(at)) } },
                    html! { (entry.last_error.clone().unwrap_or_default()) },
                ]))
            }
        } @else if let Some(error) = &entry.last_error {
            p class="notice notice-warning" id="relay-answer" role="status" {
                (tr_markup(MailAdmin::TestRetrying, &[html! { strong { (to) } }, html! { (error) }]))
            }
        } @else {
            p class="notice" id="relay-answer" role="status" {
                (tr_markup(MailAdmin::TestWaiting, &[html! { strong { (to) } }]))
            }
        }
    }
}

/// The test message form and the relay's last answer.
fn test_section(
    viewer: &Viewer,
    mail_on: bool,
    last: Option<&OutboxEntry>,
    to: &str,
    error: Option<&str>,
) -> Markup {
    let errors = match error {
        Some(e) => FieldErrors::one("to", e),
        None => FieldErrors::none(),
    };
    html! {
        section class="panel" id="test-message" aria-labelledby="test-message-heading" {
            h2 id="test-message-heading" { (t(MailAdmin::SendTestTitle)) }
            @if mail_on {
                (last_test(last))
                form class="form" method="post" action={ (PATH) "/test" } novalidate {
                    (csrf_field(viewer))
                    (text_input("test-to", "to", t(MailAdmin::SendItTo), "email", to, true, None, &errors))
                    div class="form-actions" { button class="button button-primary" type="submit" { (t(MailAdmin::SendTest)) } }
                }
            } @else {
                p class="muted" { (t(MailAdmin::TestOff)) }
            }
        }
    }
}

/// The newest test message in the outbox, in any state.
async fn newest_test(state: &AppState, viewer: &Viewer) -> Result<Option<OutboxEntry>, AppError> {
    let mut newest: Option<OutboxEntry> = None;
    for wanted in [OutboxState::Pending, OutboxState::Dead, OutboxState::Sent] {
        let rows = state
            .app
            .list_outbox(&viewer.actor, Some(wanted), None, 50)
            .await?;
        for row in rows.into_iter().filter(|r| r.topic == "mail.test_message") {
            if newest.as_ref().is_none_or(|n| row.id.get() > n.id.get()) {
                newest = Some(row);
            }
        }
    }
    Ok(newest)
}

/// The whole page.
async fn render(
    state: &AppState,
    viewer: &Viewer,
    form: &RelayForm,
    errors: &FieldErrors,
    query: &RelayQuery,
    status: StatusCode,
) -> Result<Response, UiError> {
    let settings = state.app.mail_relay_settings(&viewer.actor).await?;
    let sender = state.app.mail_sender(&viewer.actor).await?;
    let last = newest_test(state, viewer).await?;
    let content = html! {
        div class="page-head" {
            div {
                h1 { (t(MailAdmin::OutgoingMail)) }
                p class="muted" { (t(MailAdmin::RelayIntro)) }
            }
        }
        (tabs(viewer, PATH, (None, None)))
        (flash(query.ok.as_deref()))
        @if !settings.saved {
            @if let Some(sender) = &sender {
                p class="notice" id="relay-source" {
                    (tr_markup(MailAdmin::RelayFromFlags, &[html! { strong { (sender.from.to_string()) } }]))
                }
            } @else {
                p class="notice notice-warning" id="relay-source" {
                    (t(MailAdmin::RelayOff))
                }
            }
        }
        (settings_form(viewer, form, settings.has_password, errors))
        (test_section(viewer, sender.is_some(), last.as_ref(), query.to.as_deref().unwrap_or(""), query.error.as_deref()))
    };
    Ok(page(
        viewer,
        PATH,
        t(MailAdmin::OutgoingMail),
        status,
        content,
    ))
}

/// `GET /admin/mail/relay`.
pub(crate) async fn relay_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<RelayQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let settings = state.app.mail_relay_settings(&viewer.actor).await?;
    let form = RelayForm::from_settings(&settings);
    render(
        &state,
        &viewer,
        &form,
        &FieldErrors::none(),
        &query,
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/mail/relay`: saves, or shows the form again with a sentence next to each wrong
/// field and everything typed kept (but the password, which is never sent back).
pub(crate) async fn save_relay(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<RelayForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    require_admin(&viewer)?;
    let input = form.input();
    let mut errors = FieldErrors::none();
    for problem in input.problems() {
        errors.add(problem.field, problem.message);
    }
    if errors.is_empty() {
        match state.app.save_mail_relay(&viewer.actor, &input).await {
            Ok(_) => return Ok(Redirect::to(&format!("{PATH}?ok=saved")).into_response()),
            Err(AppError::Validation(e)) => errors.add(e.field, sentence(&e.message)),
            Err(e) => return Err(e.into()),
        }
    }
    render(
        &state,
        &viewer,
        &form,
        &errors,
        &RelayQuery::default(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// `POST /admin/mail/relay/test`.
pub(crate) async fn send_test(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<crate::admin::mail::frame::TestForm>,
) -> Result<Response, UiError> {
    crate::admin::mail::frame::queue_test_message(&state, &viewer, &form, PATH).await
}

#[cfg(test)]
mod tests {
    use spoc_domain::user::Role;

    use super::*;
    use crate::admin::mail::frame::tests::viewer;

    #[test]
    fn the_form_keeps_what_was_typed_but_never_the_password() {
        let form = RelayForm {
            host: "smtp example".into(),
            port: "25".into(),
            security: "starttls".into(),
            password: "s3cret-typed".into(),
            from: "Help <help@example.com>".into(),
            ..RelayForm::default()
        };
        let errors = FieldErrors::one("host", "A host name has only letters.");
        let html = settings_form(&viewer(Role::Admin), &form, true, &errors).into_string();
        assert!(html.contains(r#"value="smtp example""#), "{html}");
        assert!(html.contains("A host name has only letters."));
        assert!(!html.contains("s3cret-typed"));
        assert!(html.contains("Type the password again"));
        assert!(html.contains("remove_password"));
        let fresh = settings_form(
            &viewer(Role::Admin),
            &RelayForm::default(),
            true,
            &FieldErrors::none(),
        )
        .into_string();
        assert!(fresh.contains("A password is set. Leave this empty to keep it."));
    }
}

//! The mailboxes Spoc reads or takes delivered mail for, and the trusted mail servers setting.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use spoc_app::{AppError, Mailbox};

use crate::admin::frame::{OkQuery, page, require_admin};
use crate::admin::mail::frame::attention_count;
use crate::admin::mail::frame::dead_count;
use crate::admin::mail::frame::tabs;
use crate::admin::mail::mailbox_form::{FIELDS, MailboxForm, Pairs, mailbox_form, value};
use crate::desk::email::positive_id;
use crate::forms::UiForm;
use crate::i18n::mail_admin::MailAdmin;
use crate::i18n::tr_markup;
use crate::i18n::{t, tr};
use crate::page::{FieldErrors, csrf_field, flash, none, text_input};
use crate::session::{UiError, Viewer, sentence};
use crate::timefmt::{iso, when};
use spoc_http::AppState;

/// `GET /admin/mail`: the mailboxes and the mail servers trusted to authenticate senders.
pub(crate) async fn mailboxes(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let trusted = state
        .app
        .mail_authentication(&viewer.actor)
        .await?
        .join(" ");
    mail_page(
        &state,
        &viewer,
        query.ok.as_deref(),
        &trusted,
        &FieldErrors::none(),
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/mail/authentication`: the trusted authserv-ids, separated by spaces, commas or
/// lines.
pub(crate) async fn save_authentication(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    viewer.check_csrf(value(&pairs, "csrf"))?;
    require_admin(&viewer)?;
    let typed = value(&pairs, "trusted_authserv_ids");
    let ids: Vec<String> = typed
        .split([' ', ',', '\n', '\r', '\t'])
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    match state.app.set_mail_authentication(&viewer.actor, &ids).await {
        Ok(_) => Ok(Redirect::to("/admin/mail?ok=authentication").into_response()),
        Err(AppError::Validation(e)) => {
            let errors = FieldErrors::one("trusted_authserv_ids", sentence(&e.message));
            mail_page(
                &state,
                &viewer,
                None,
                typed,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The trusted mail servers' form.
fn authentication_form(viewer: &Viewer, trusted: &str, errors: &FieldErrors) -> Markup {
    html! {
        section class="panel" aria-labelledby="auth-title" {
            h2 class="panel-title" id="auth-title" { (t(MailAdmin::AuthTitle)) }
            p class="muted" { (t(MailAdmin::AuthIntro)) }
            form method="post" action="/admin/mail/authentication" class="form" {
                (csrf_field(viewer))
                (text_input("a-trusted", "trusted_authserv_ids", t(MailAdmin::TrustedServers), "text", trusted, false,
                    Some(t(MailAdmin::TrustedServersHint)),
                    errors))
                div class="form-actions" { button class="button" type="submit" { (t(MailAdmin::Save)) } }
            }
        }
    }
}

async fn mail_page(
    state: &AppState,
    viewer: &Viewer,
    ok: Option<&str>,
    trusted: &str,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, UiError> {
    let viewer = viewer.clone();
    let list = state.app.list_mailboxes(&viewer.actor).await?;
    let counts = (
        Some(attention_count(state, &viewer).await?),
        dead_count(state, &viewer).await?,
    );
    let content = html! {
        div class="page-head" {
            div { h1 { (t(MailAdmin::MailTitle)) } p class="muted" { (t(MailAdmin::MailIntro)) } }
            div class="page-actions" { a class="button button-primary" href="/admin/mail/mailboxes/new" { (t(MailAdmin::AddMailbox)) } }
        }
        (tabs(&viewer, "/admin/mail", counts))
        (flash(ok))
        (mailbox_table(&list))
        (authentication_form(&viewer, trusted, errors))
    };
    Ok(page(
        &viewer,
        "/admin/mail",
        t(MailAdmin::MailTitle),
        status,
        content,
    ))
}

/// The mailbox list, or what to do when there is none.
fn mailbox_table(list: &[Mailbox]) -> Markup {
    html! {
        @if list.is_empty() {
            div class="empty-state" {
                h2 { (t(MailAdmin::NoMailboxYet)) }
                p class="muted" {
                    // i18n: not text (a command)
                    (tr_markup(MailAdmin::NoMailboxHint, &[html! { code { "spoc mail deliver" } }]))
                }
                p { a class="button button-primary" href="/admin/mail/mailboxes/new" { (t(MailAdmin::AddMailbox)) } }
            }
        } @else {
            div class="table-wrap" { table class="data" {
                caption class="visually-hidden" { (t(MailAdmin::MailboxesCaption)) }
                thead { tr {
                    th scope="col" { (t(MailAdmin::ColMailbox)) } th scope="col" { (t(MailAdmin::ColAddress)) } th scope="col" { (t(MailAdmin::ColReadsFrom)) }
                    th scope="col" { (t(MailAdmin::NewMailBecomes)) } th scope="col" { (t(MailAdmin::ColLastPoll)) }
                } }
                tbody {
                    @for m in list {
                        tr {
                            td {
                                a href={ "/admin/mail/mailboxes/" (m.id) } { bdi { (m.name) } }
                                @if !m.enabled { " " span class="badge badge-kind" { (t(MailAdmin::SwitchedOff)) } }
                            }
                            td { (m.address) }
                            td class="small" {
                                @match &m.imap {
                                    Some(imap) => { (imap.host) ":" (imap.port) " · " (m.folder) }
                                    None => span class="muted" { (t(MailAdmin::DeliveredOnly)) },
                                }
                            }
                            td { (crate::page::kind_label(m.ticket_kind)) }
                            td class="small" {
                                @if let Some(error) = &m.last_error {
                                    @if let Some(at) = m.last_polled_at {
                                        (tr_markup(MailAdmin::PollFailedAt, &[html! { time datetime=(iso(at)) { (when(at)) } }]))
                                    }
                                    span class="field-error" { (error) }
                                } @else if let Some(at) = m.last_polled_at {
                                    time datetime=(iso(at)) { (when(at)) }
                                } @else if m.imap.is_some() {
                                    span class="muted" { (t(MailAdmin::NotYet)) }
                                } @else {
                                    (none())
                                }
                            }
                        }
                    }
                }
            } }
            p class="muted small" {
                // i18n: not text (a command)
                (tr_markup(MailAdmin::DeliverHint, &[html! { code { "spoc mail deliver --mailbox NAME" } }]))
            }
        }
    }
}

/// The state of a stored mailbox: when it was last read and what went wrong.
fn poll_status(record: &Mailbox) -> Markup {
    html! {
        @match (&record.imap, &record.last_error) {
            (None, _) => {
                div class="notice" {
                    // i18n: not text (a command)
                    p { (tr_markup(MailAdmin::NotPolled, &[html! { code { "spoc mail deliver --mailbox " bdi { (record.name) } } }])) }
                }
            }
            (Some(_), Some(error)) => {
                div class="notice notice-danger" role="status" {
                    h2 { (t(MailAdmin::LastPollFailed)) }
                    p { (error) }
                    @if let Some(at) = record.last_polled_at { p class="small muted" { (tr(MailAdmin::TriedAt, &[&when(at)])) } }
                }
            }
            (Some(_), None) => {
                div class="notice" role="status" {
                    @match record.last_polled_at {
                        Some(at) => p { (tr_markup(MailAdmin::LastReadOk, &[html! { time datetime=(iso(at)) { (when(at)) } }])) },
                        None => p { (t(MailAdmin::NotReadYet)) },
                    }
                }
            }
        }
    }
}

pub(crate) async fn mailbox_page(
    state: &AppState,
    viewer: &Viewer,
    record: Option<&Mailbox>,
    form: &MailboxForm,
    errors: &FieldErrors,
    ok: Option<&str>,
    status: StatusCode,
) -> Result<Response, UiError> {
    let counts = (
        Some(attention_count(state, viewer).await?),
        dead_count(state, viewer).await?,
    );
    let title = record.map_or_else(|| t(MailAdmin::NewMailbox).to_owned(), |m| m.name.clone());
    let content = html! {
        div class="page-head" { div { p class="eyebrow" { a href="/admin/mail" { (t(MailAdmin::MailTitle)) } } h1 { (title) } } }
        (tabs(viewer, "/admin/mail", counts))
        (flash(ok))
        @if let Some(record) = record { (poll_status(record)) }
        (mailbox_form(viewer, record, form, errors))
    };
    Ok(page(viewer, "/admin/mail", &title, status, content))
}

/// `GET /admin/mail/mailboxes/new`.
pub(crate) async fn new_mailbox(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    mailbox_page(
        &state,
        &viewer,
        None,
        &MailboxForm::default(),
        &FieldErrors::none(),
        None,
        StatusCode::OK,
    )
    .await
}

/// `GET /admin/mail/mailboxes/{id}`.
pub(crate) async fn edit_mailbox(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let record = state
        .app
        .get_mailbox(
            &viewer.actor,
            spoc_domain::MailboxId::new(positive_id(&id)?),
        )
        .await?;
    mailbox_page(
        &state,
        &viewer,
        Some(&record),
        &MailboxForm::of(&record),
        &FieldErrors::none(),
        query.ok.as_deref(),
        StatusCode::OK,
    )
    .await
}

async fn store_mailbox(
    state: &AppState,
    viewer: &Viewer,
    id: Option<i64>,
    pairs: &Pairs,
) -> Result<Response, UiError> {
    viewer.check_csrf(value(pairs, "csrf"))?;
    require_admin(viewer)?;
    let record = match id {
        Some(id) => Some(
            state
                .app
                .get_mailbox(&viewer.actor, spoc_domain::MailboxId::new(id))
                .await?,
        ),
        None => None,
    };
    let form = MailboxForm::from_pairs(pairs);
    let mut errors = FieldErrors::none();
    if let Some(input) = form.input(&mut errors) {
        match state
            .app
            .save_mailbox(&viewer.actor, id.map(spoc_domain::MailboxId::new), input)
            .await
        {
            Ok(saved) => {
                return Ok(
                    Redirect::to(&format!("/admin/mail/mailboxes/{}?ok=mailbox", saved.id))
                        .into_response(),
                );
            }
            Err(AppError::Validation(e)) => {
                // A field the form does not have is reported above the form, never lost.
                let field = if FIELDS.contains(&e.field) {
                    e.field
                } else {
                    "form"
                };
                errors.add(field, sentence(&e.message));
            }
            Err(AppError::Duplicate(_)) => errors.add("name", t(MailAdmin::DuplicateMailbox)),
            Err(e) => return Err(e.into()),
        }
    }
    mailbox_page(
        state,
        viewer,
        record.as_ref(),
        &form,
        &errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// `POST /admin/mail/mailboxes/new`.
pub(crate) async fn create_mailbox(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    store_mailbox(&state, &viewer, None, &pairs).await
}

/// `POST /admin/mail/mailboxes/{id}`.
pub(crate) async fn update_mailbox(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    let id = positive_id(&id)?;
    store_mailbox(&state, &viewer, Some(id), &pairs).await
}

#[cfg(test)]
mod tests {
    use spoc_domain::user::Role;

    use super::*;
    use crate::admin::mail::frame::tests::viewer;

    #[test]
    fn the_trusted_servers_form_keeps_what_was_typed_with_the_sentence() {
        let errors = FieldErrors::one(
            "trusted_authserv_ids",
            "\"mx desk\" is not a mail server name like mx.example.com.",
        );
        let html = authentication_form(&viewer(Role::Admin), "mx desk", &errors).into_string();
        assert!(html.contains(r#"action="/admin/mail/authentication""#));
        assert!(html.contains(r#"name="csrf""#));
        assert!(html.contains(r#"value="mx desk""#), "{html}");
        assert!(html.contains("is not a mail server name"), "{html}");
    }

    #[test]
    fn no_mailbox_says_what_to_do_next() {
        let html = mailbox_table(&[]).into_string();
        assert!(html.contains("No mailbox yet"));
        assert!(html.contains("Add one to turn mail into tickets, or let your mail server pipe mail to <code>spoc mail deliver</code>."), "{html}");
        assert!(html.contains(r#"href="/admin/mail/mailboxes/new""#));
    }

    #[tokio::test]
    async fn a_german_reader_reads_the_page_in_german_with_the_markup_kept() {
        let german = crate::i18n::Reader {
            language: spoc_app::Language::De,
            ..crate::i18n::Reader::default()
        };
        let html =
            crate::i18n::with_reader(german, async { mailbox_table(&[]).into_string() }).await;
        assert!(html.contains("Noch kein Postfach"), "{html}");
        assert!(
            html.contains("E-Mails an <code>spoc mail deliver</code> weiterreichen."),
            "{html}"
        );
    }
}

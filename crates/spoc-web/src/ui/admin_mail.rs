//! Admin pages for the e-mail channel (`/admin/mail`): the mailboxes Spoc reads or takes
//! delivered mail for, the inbound log with the held and quarantined messages that need
//! someone (and what to do with them), and the outbox with its dead letters.
//!
//! Leads may see and settle the inbound log too; the app layer decides that, as it decides
//! everything else here.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{
    AppError, ImapSecurity, ImapSettings, InboundOutcome, InboundRecord, MailboxInput,
    MailboxRecord, OutboxRecord, OutboxState, Release,
};
use spoc_domain::TicketId;
use spoc_domain::mail::{NonParticipants, NoticeTopic, UnknownSenders};
use spoc_domain::ticket::{TicketKind, TicketNumber};

use super::admin::{OkQuery, checkbox, page, require_admin};
use super::email::{
    message_body, message_facts, needs_attention, outcome_badge, positive_id, subject_or_none,
};
use super::forms::UiForm;
use super::page::{
    FieldErrors, csrf_field, described_by, empty_state, error_box, field, flash, none, select,
    text_input,
};
use super::session::{UiError, Viewer, sentence};
use super::timefmt::{iso, when};
use super::views::{AttachmentView, attachment_list, size_text};
use crate::AppState;

/// How many rows a log page shows.
const PAGE_SIZE: i64 = 50;

/// The mail pages, under `/admin`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/mail", get(mailboxes))
        .route("/mail/mailboxes/new", get(new_mailbox).post(create_mailbox))
        .route(
            "/mail/mailboxes/{id}",
            get(edit_mailbox).post(update_mailbox),
        )
        .route("/mail/inbound", get(inbound_log))
        .route("/mail/inbound/{id}", get(inbound_message))
        .route("/mail/inbound/{id}/raw", get(inbound_raw))
        .route("/mail/inbound/{id}/release", post(release))
        .route("/mail/outbox", get(outbox))
        .route("/mail/outbox/{id}/retry", post(retry_outbox))
}

/// The tabs of the mail pages; `counts` are (needing attention, waiting, dead letters) when
/// known. People who are not admins see only the inbound log.
fn tabs(viewer: &Viewer, current: &str, counts: (Option<usize>, Option<i64>)) -> Markup {
    let (attention, dead) = counts;
    let tab = |href: &str, label: &str, count: Option<String>| {
        html! {
            li {
                a href=(href) aria-current=[(href == current).then_some("page")] {
                    (label)
                    @if let Some(count) = count { " " span class="count" { (count) } }
                }
            }
        }
    };
    html! {
        nav class="tabs" aria-label="Mail" {
            ul {
                @if viewer.actor.is_admin() {
                    (tab("/admin/mail", "Mailboxes", None))
                }
                (tab("/admin/mail/inbound", "Inbound mail", attention.filter(|n| *n > 0).map(|n| n.to_string())))
                @if viewer.actor.is_admin() {
                    (tab("/admin/mail/outbox", "Outbox", dead.filter(|n| *n > 0).map(|n| format!("{n} dead"))))
                }
            }
        }
    }
}

/// How many messages wait for someone (at most one page's worth is counted).
async fn attention_count(state: &AppState, viewer: &Viewer) -> Result<usize, AppError> {
    Ok(state
        .app
        .list_inbound(
            &viewer.actor,
            &[InboundOutcome::Held, InboundOutcome::Quarantined],
            true,
            None,
            200,
        )
        .await?
        .len())
}

/// The dead letters, for the tab (admins only; `None` for others).
async fn dead_count(state: &AppState, viewer: &Viewer) -> Result<Option<i64>, AppError> {
    if !viewer.actor.is_admin() {
        return Ok(None);
    }
    Ok(Some(state.app.outbox_counts(&viewer.actor).await?.1))
}

/// Ticket references for links: `INC-000042` for each ticket the viewer may see.
async fn ticket_numbers(
    state: &AppState,
    viewer: &Viewer,
    ids: Vec<TicketId>,
) -> Result<HashMap<TicketId, String>, AppError> {
    let mut numbers = HashMap::new();
    for id in ids {
        if numbers.contains_key(&id) {
            continue;
        }
        match state.app.get_ticket(&viewer.actor, id).await {
            Ok(ticket) => {
                numbers.insert(id, ticket.number().to_string());
            }
            Err(AppError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(numbers)
}

fn ticket_link(id: Option<TicketId>, numbers: &HashMap<TicketId, String>) -> Markup {
    match id {
        Some(id) => {
            let number = numbers
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("Ticket {id}"));
            html! { a class="mono nowrap" href={ "/desk/tickets/" (id) } { (number) } }
        }
        None => none(),
    }
}

// ----- mailboxes ---------------------------------------------------------------------------------

/// `GET /admin/mail`: the mailboxes.
async fn mailboxes(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let list = state.app.list_mailboxes(&viewer.actor).await?;
    let counts = (
        Some(attention_count(&state, &viewer).await?),
        dead_count(&state, &viewer).await?,
    );
    let content = html! {
        div class="page-head" {
            div { h1 { "Mail" } p class="muted" { "Mailboxes turn e-mail into tickets and replies; the log shows what became of every message." } }
            div class="page-actions" { a class="button button-primary" href="/admin/mail/mailboxes/new" { "Add a mailbox" } }
        }
        (tabs(&viewer, "/admin/mail", counts))
        (flash(query.ok.as_deref()))
        (mailbox_table(&list))
    };
    Ok(page(
        &viewer,
        "/admin/mail",
        "Mail",
        StatusCode::OK,
        content,
    ))
}

/// The mailbox list, or what to do when there is none.
fn mailbox_table(list: &[MailboxRecord]) -> Markup {
    html! {
        @if list.is_empty() {
            div class="empty-state" {
                h2 { "No mailbox yet" }
                p class="muted" {
                    "Add one to turn mail into tickets, or let your mail server pipe mail to "
                    code { "spoc mail deliver" } "."
                }
                p { a class="button button-primary" href="/admin/mail/mailboxes/new" { "Add a mailbox" } }
            }
        } @else {
            div class="table-wrap" { table class="data" {
                caption class="visually-hidden" { "Mailboxes" }
                thead { tr {
                    th scope="col" { "Mailbox" } th scope="col" { "Address" } th scope="col" { "Reads from" }
                    th scope="col" { "New mail becomes" } th scope="col" { "Last poll" }
                } }
                tbody {
                    @for m in list {
                        tr {
                            td {
                                a href={ "/admin/mail/mailboxes/" (m.id) } { (m.name) }
                                @if !m.enabled { " " span class="badge badge-kind" { "Switched off" } }
                            }
                            td { (m.address) }
                            td class="small" {
                                @match &m.imap {
                                    Some(imap) => { (imap.host) ":" (imap.port) " · " (m.folder) }
                                    None => span class="muted" { "Delivered mail only" },
                                }
                            }
                            td { (super::page::kind_label(m.ticket_kind)) }
                            td class="small" {
                                @if let Some(error) = &m.last_error {
                                    span class="field-error" { (error) }
                                } @else if let Some(at) = m.last_polled_at {
                                    time datetime=(iso(at)) { (when(at)) }
                                } @else if m.imap.is_some() {
                                    span class="muted" { "Not yet" }
                                } @else {
                                    (none())
                                }
                            }
                        }
                    }
                }
            } }
            p class="muted small" {
                "A mail server can also hand messages over itself: "
                code { "spoc mail deliver --mailbox NAME" } " reads one message on standard input and applies that mailbox's rules."
            }
        }
    }
}

/// A mailbox form as typed (the password is never shown back).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailboxForm {
    name: String,
    address: String,
    enabled: bool,
    imap_host: String,
    imap_port: String,
    imap_security: String,
    imap_username: String,
    imap_password: String,
    ca_certificate: String,
    folder: String,
    processed_folder: String,
    unknown_senders: String,
    non_participants: String,
    ticket_kind: String,
    poll_seconds: String,
}

impl Default for MailboxForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            address: String::new(),
            enabled: true,
            imap_host: String::new(),
            imap_port: String::new(),
            imap_security: ImapSecurity::Tls.as_str().to_owned(),
            imap_username: String::new(),
            imap_password: String::new(),
            ca_certificate: String::new(),
            folder: "INBOX".to_owned(),
            processed_folder: String::new(),
            unknown_senders: UnknownSenders::Create.as_str().to_owned(),
            non_participants: NonParticipants::NewTicket.as_str().to_owned(),
            ticket_kind: TicketKind::Incident.as_str().to_owned(),
            poll_seconds: "60".to_owned(),
        }
    }
}

type Pairs = Vec<(String, String)>;

fn value<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

impl MailboxForm {
    fn of(record: &MailboxRecord) -> Self {
        let imap = record.imap.as_ref();
        Self {
            name: record.name.clone(),
            address: record.address.clone(),
            enabled: record.enabled,
            imap_host: imap.map(|i| i.host.clone()).unwrap_or_default(),
            imap_port: imap.map(|i| i.port.to_string()).unwrap_or_default(),
            imap_security: imap
                .map_or(ImapSecurity::Tls, |i| i.security)
                .as_str()
                .to_owned(),
            imap_username: imap.map(|i| i.username.clone()).unwrap_or_default(),
            imap_password: String::new(),
            ca_certificate: imap
                .and_then(|i| i.ca_certificate.clone())
                .unwrap_or_default(),
            folder: record.folder.clone(),
            processed_folder: record.processed_folder.clone().unwrap_or_default(),
            unknown_senders: record.unknown_senders.as_str().to_owned(),
            non_participants: record.non_participants.as_str().to_owned(),
            ticket_kind: record.ticket_kind.as_str().to_owned(),
            poll_seconds: record.poll_seconds.to_string(),
        }
    }

    fn from_pairs(pairs: &Pairs) -> Self {
        Self {
            name: value(pairs, "name").to_owned(),
            address: value(pairs, "address").to_owned(),
            enabled: !value(pairs, "enabled").is_empty(),
            imap_host: value(pairs, "imap_host").to_owned(),
            imap_port: value(pairs, "imap_port").to_owned(),
            imap_security: value(pairs, "imap_security").to_owned(),
            imap_username: value(pairs, "imap_username").to_owned(),
            imap_password: value(pairs, "imap_password").to_owned(),
            ca_certificate: value(pairs, "ca_certificate").to_owned(),
            folder: value(pairs, "folder").to_owned(),
            processed_folder: value(pairs, "processed_folder").to_owned(),
            unknown_senders: value(pairs, "unknown_senders").to_owned(),
            non_participants: value(pairs, "non_participants").to_owned(),
            ticket_kind: value(pairs, "ticket_kind").to_owned(),
            poll_seconds: value(pairs, "poll_seconds").to_owned(),
        }
    }

    /// The app's input, or a sentence next to each field that cannot be read. Names,
    /// addresses and folders are checked by the app.
    fn input(&self, errors: &mut FieldErrors) -> Option<MailboxInput> {
        let security = ImapSecurity::parse(self.imap_security.trim());
        if security.is_none() {
            errors.add("imap_security", "Choose TLS or STARTTLS.");
        }
        let host = self.imap_host.trim();
        let port = match self.imap_port.trim() {
            "" => security.map(|s| match s {
                ImapSecurity::Tls => 993,
                ImapSecurity::StartTls => 143,
            }),
            text => match text.parse::<u16>() {
                Ok(port) if port > 0 => Some(port),
                _ => {
                    errors.add(
                        "imap_port",
                        "Give a port number from 1 to 65535, or leave it empty for the usual one.",
                    );
                    None
                }
            },
        };
        if host.is_empty()
            && !(self.imap_username.trim().is_empty()
                && self.imap_password.is_empty()
                && self.ca_certificate.trim().is_empty())
        {
            errors.add(
                "imap_host",
                "Name the IMAP server, or clear the IMAP fields for a mailbox that only takes delivered mail.",
            );
        }
        let unknown_senders = UnknownSenders::parse(&self.unknown_senders)
            .map_err(|_| errors.add("unknown_senders", "Choose what to do with unknown senders."))
            .ok();
        let non_participants = NonParticipants::parse(&self.non_participants)
            .map_err(|_| {
                errors.add(
                    "non_participants",
                    "Choose what to do with replies from people outside the ticket.",
                )
            })
            .ok();
        let ticket_kind = TicketKind::parse(&self.ticket_kind)
            .map_err(|_| errors.add("ticket_kind", "Choose the kind of ticket new mail becomes."))
            .ok();
        let poll_seconds = self
            .poll_seconds
            .trim()
            .parse::<i64>()
            .map_err(|_| {
                errors.add(
                    "poll_seconds",
                    "Give a whole number of seconds, from 10 to 3600.",
                )
            })
            .ok();
        if !errors.is_empty() {
            return None;
        }
        let imap = match (host.is_empty(), security, port) {
            (false, Some(security), Some(port)) => Some(ImapSettings {
                host: host.to_owned(),
                port,
                security,
                username: self.imap_username.trim().to_owned(),
                password: self.imap_password.clone(),
                ca_certificate: Some(self.ca_certificate.trim().to_owned())
                    .filter(|c| !c.is_empty()),
            }),
            _ => None,
        };
        Some(MailboxInput {
            name: self.name.trim().to_owned(),
            address: self.address.trim().to_lowercase(),
            enabled: self.enabled,
            imap,
            folder: self.folder.trim().to_owned(),
            processed_folder: Some(self.processed_folder.trim().to_owned())
                .filter(|f| !f.is_empty()),
            unknown_senders: unknown_senders?,
            non_participants: non_participants?,
            ticket_kind: ticket_kind?,
            poll_seconds: poll_seconds?,
        })
    }
}

/// A multi-line field with its label, hint and error.
fn text_area(
    id: &str,
    name: &str,
    label: &str,
    hint: &str,
    value: &str,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.get(name);
    field(
        id,
        label,
        Some(hint),
        error,
        html! {
            textarea id=(id) name=(name) rows="4" class="mono" spellcheck="false"
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[described_by(id, true, error.is_some())] { (value) }
        },
    )
}

/// Radio choices with a hint under each, and the error for `name`.
fn choices(
    name: &str,
    legend: &str,
    options: &[(&str, &str, &str)],
    selected: &str,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.get(name);
    html! {
        fieldset.field.choices.has-error[error.is_some()] {
            legend { (legend) }
            @for (value, title, hint) in options {
                label class="choice" {
                    input type="radio" name=(name) value=(value) checked[*value == selected];
                    span class="choice-text" { strong { (title) } span class="hint" { (hint) } }
                }
            }
            @if let Some(error) = error { p class="field-error" { (error) } }
        }
    }
}

/// The mailbox form; `record` is the stored mailbox when editing one.
pub fn mailbox_form(
    viewer: &Viewer,
    record: Option<&MailboxRecord>,
    form: &MailboxForm,
    errors: &FieldErrors,
) -> Markup {
    let action = record.map_or_else(
        || "/admin/mail/mailboxes/new".to_owned(),
        |m| format!("/admin/mail/mailboxes/{}", m.id),
    );
    let password_stored = record
        .and_then(|m| m.imap.as_ref())
        .is_some_and(|i| !i.password.is_empty());
    let security_options: Vec<(String, String)> = vec![
        ("tls".to_owned(), "TLS (port 993)".to_owned()),
        (
            "starttls".to_owned(),
            "STARTTLS (port 143, upgraded before login)".to_owned(),
        ),
    ];
    let kind_options: Vec<(String, String)> = TicketKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_owned(),
                format!("{}s", super::page::kind_label(*k)),
            )
        })
        .collect();
    html! {
        (error_box(errors.get("form")))
        form class="form panel" method="post" action=(action) {
            (csrf_field(viewer))
            div class="grid-2" {
                (text_input("m-name", "name", "Name", "text", &form.name, true,
                    Some("Short and unique, e.g. “support”; used by spoc mail deliver --mailbox."), errors))
                (text_input("m-address", "address", "The desk's address", "email", &form.address, true,
                    Some("Where people write to, e.g. help@example.com. Mail from it is never answered."), errors))
            }
            (checkbox("m-enabled", "enabled", "Switched on (read and accepting delivered mail)", form.enabled, None))
            fieldset class="field stack" {
                legend { "Reading from an IMAP server" }
                p class="hint" { "Leave the server empty for a mailbox that only takes mail your mail server hands over with spoc mail deliver." }
                div class="grid-2" {
                    (text_input("m-host", "imap_host", "IMAP server", "text", &form.imap_host, false, None, errors))
                    div class="grid-2" {
                        (text_input("m-port", "imap_port", "Port", "text", &form.imap_port, false, Some("Empty: 993 for TLS, 143 for STARTTLS."), errors))
                        (select("m-security", "imap_security", "Encryption", &security_options, &form.imap_security, errors))
                    }
                }
                div class="grid-2" {
                    (text_input("m-username", "imap_username", "Login", "text", &form.imap_username, false, None, errors))
                    (text_input("m-password", "imap_password", "Password", "password", "", false,
                        Some(if !form.imap_password.is_empty() && !errors.is_empty() {
                            "Type the password again: it is never sent back to the browser."
                        } else if password_stored {
                            "A password is stored. Leave this empty to keep it."
                        } else {
                            "Stored for polling; never shown again."
                        }), errors))
                }
                (text_area("m-ca", "ca_certificate", "Extra trusted CA certificate (optional)",
                    "Only for a server whose certificate comes from your own authority: paste it in PEM form (-----BEGIN CERTIFICATE-----).",
                    &form.ca_certificate, errors))
                div class="grid-2" {
                    (text_input("m-folder", "folder", "Folder to read", "text", &form.folder, true, None, errors))
                    (text_input("m-processed", "processed_folder", "Move processed mail to (optional)", "text", &form.processed_folder, false,
                        Some("Empty: processed mail is flagged where it is."), errors))
                }
                div class="input-short" {
                    (text_input("m-poll", "poll_seconds", "Check every (seconds)", "text", &form.poll_seconds, true,
                        Some("From 10 to 3600."), errors))
                }
            }
            (choices("unknown_senders", "Mail from people the desk does not know", &[
                ("create", "Register them as customers", "They get a customer account (in the organisation of their e-mail domain, if one is set) and a ticket."),
                ("refuse", "Refuse it", "The message is kept in the log and nothing is ticketed."),
            ], &form.unknown_senders, errors))
            (choices("non_participants", "Replies to a ticket from someone outside it", &[
                ("new_ticket", "Start a new ticket", "The sender gets no access to the ticket they answered."),
                ("hold", "Hold for review", "The message waits in the inbound log until someone deals with it."),
            ], &form.non_participants, errors))
            (select("m-kind", "ticket_kind", "New mail becomes", &kind_options, &form.ticket_kind, errors))
            div class="form-actions" { button class="button button-primary" type="submit" { "Save mailbox" } }
        }
    }
}

/// The state of a stored mailbox: when it was last read and what went wrong.
fn poll_status(record: &MailboxRecord) -> Markup {
    html! {
        @match (&record.imap, &record.last_error) {
            (None, _) => {
                div class="notice" {
                    p { "This mailbox is not polled. It takes mail handed over with "
                        code { "spoc mail deliver --mailbox " (record.name) } "." }
                }
            }
            (Some(_), Some(error)) => {
                div class="notice notice-danger" role="status" {
                    h2 { "The last poll failed" }
                    p { (error) }
                    @if let Some(at) = record.last_polled_at { p class="small muted" { "Tried " (when(at)) "." } }
                }
            }
            (Some(_), None) => {
                div class="notice" role="status" {
                    @match record.last_polled_at {
                        Some(at) => p { "Last read " time datetime=(iso(at)) { (when(at)) } " without errors." },
                        None => p { "Not read yet. Spoc reads it within a minute of being switched on." },
                    }
                }
            }
        }
    }
}

async fn mailbox_page(
    state: &AppState,
    viewer: &Viewer,
    record: Option<&MailboxRecord>,
    form: &MailboxForm,
    errors: &FieldErrors,
    ok: Option<&str>,
    status: StatusCode,
) -> Result<Response, UiError> {
    let counts = (
        Some(attention_count(state, viewer).await?),
        dead_count(state, viewer).await?,
    );
    let title = record.map_or_else(|| "New mailbox".to_owned(), |m| m.name.clone());
    let content = html! {
        div class="page-head" { div { p class="eyebrow" { a href="/admin/mail" { "Mail" } } h1 { (title) } } }
        (tabs(viewer, "/admin/mail", counts))
        (flash(ok))
        @if let Some(record) = record { (poll_status(record)) }
        (mailbox_form(viewer, record, form, errors))
    };
    Ok(page(viewer, "/admin/mail", &title, status, content))
}

/// `GET /admin/mail/mailboxes/new`.
async fn new_mailbox(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
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
async fn edit_mailbox(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let record = state
        .app
        .get_mailbox(&viewer.actor, positive_id(&id)?)
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
        Some(id) => Some(state.app.get_mailbox(&viewer.actor, id).await?),
        None => None,
    };
    let form = MailboxForm::from_pairs(pairs);
    let mut errors = FieldErrors::none();
    if let Some(input) = form.input(&mut errors) {
        match state.app.save_mailbox(&viewer.actor, id, input).await {
            Ok(saved) => {
                return Ok(
                    Redirect::to(&format!("/admin/mail/mailboxes/{}?ok=mailbox", saved.id))
                        .into_response(),
                );
            }
            Err(AppError::Validation(e)) => errors.add(e.field, sentence(&e.message)),
            Err(AppError::Duplicate(_)) => {
                errors.add("name", "A mailbox with this name already exists.")
            }
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
async fn create_mailbox(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    store_mailbox(&state, &viewer, None, &pairs).await
}

/// `POST /admin/mail/mailboxes/{id}`.
async fn update_mailbox(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    let id = positive_id(&id)?;
    store_mailbox(&state, &viewer, Some(id), &pairs).await
}

// ----- the inbound log ---------------------------------------------------------------------------

/// Which part of the log to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LogView {
    /// Held and quarantined messages nobody dealt with yet.
    Attention,
    /// Everything.
    All,
    /// Messages that were ignored or refused.
    Ignored,
}

impl LogView {
    const ALL: [Self; 3] = [Self::Attention, Self::All, Self::Ignored];

    fn parse(value: Option<&str>) -> Self {
        match value {
            Some("all") => Self::All,
            Some("ignored") => Self::Ignored,
            _ => Self::Attention,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Self::Attention => "attention",
            Self::All => "all",
            Self::Ignored => "ignored",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Attention => "Needs attention",
            Self::All => "All messages",
            Self::Ignored => "Ignored or refused",
        }
    }

    /// The outcomes shown and whether only unsettled ones.
    fn filter(self) -> (&'static [InboundOutcome], bool) {
        match self {
            Self::Attention => (&[InboundOutcome::Held, InboundOutcome::Quarantined], true),
            Self::All => (&[], false),
            Self::Ignored => (&[InboundOutcome::Ignored, InboundOutcome::Refused], false),
        }
    }

    fn empty(self) -> (&'static str, &'static str) {
        match self {
            Self::Attention => (
                "Nothing needs attention",
                "Held and quarantined messages wait here until someone processes them again, logs them as a ticket, adds them to one or dismisses them.",
            ),
            Self::All => (
                "No mail received yet",
                "Every message a mailbox reads or spoc mail deliver hands over is listed here with what became of it and why.",
            ),
            Self::Ignored => (
                "Nothing ignored or refused",
                "Bounces, Spoc's own mail and messages from refused senders would be listed here.",
            ),
        }
    }
}

/// The query of the inbound log.
#[derive(Debug, Default, Deserialize)]
pub struct LogQuery {
    view: Option<String>,
    before: Option<String>,
}

/// `GET /admin/mail/inbound`.
async fn inbound_log(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<LogQuery>,
) -> Result<Response, UiError> {
    let view = LogView::parse(query.view.as_deref());
    // A cursor that is not a number starts from the newest message.
    let before = query.before.as_deref().and_then(|b| b.parse::<i64>().ok());
    let (outcomes, unsettled) = view.filter();
    let rows = state
        .app
        .list_inbound(&viewer.actor, outcomes, unsettled, before, PAGE_SIZE)
        .await?;
    let numbers = ticket_numbers(
        &state,
        &viewer,
        rows.iter().filter_map(|r| r.ticket_id).collect(),
    )
    .await?;
    let counts = (
        Some(attention_count(&state, &viewer).await?),
        dead_count(&state, &viewer).await?,
    );
    let older = (rows.len() as i64 == PAGE_SIZE)
        .then(|| rows.last().map(|r| r.id))
        .flatten()
        .map(|id| format!("/admin/mail/inbound?view={}&before={id}", view.key()));
    let content = html! {
        div class="page-head" {
            div { h1 { "Inbound mail" } p class="muted" { "Every message received, what became of it and why. Held and quarantined messages wait for someone to deal with them." } }
        }
        (tabs(&viewer, "/admin/mail/inbound", counts))
        nav class="segmented" aria-label="Which messages" {
            @for v in LogView::ALL {
                a href={ "/admin/mail/inbound?view=" (v.key()) } aria-current=[(v == view).then_some("page")] { (v.label()) }
            }
        }
        (inbound_table(&rows, &numbers, view))
        @if before.is_some() || older.is_some() {
            nav class="pager" aria-label="Pages" {
                @if before.is_some() { a class="button button-quiet button-small" href={ "/admin/mail/inbound?view=" (view.key()) } { "← Newest" } }
                @if let Some(href) = &older { a class="button button-quiet button-small" href=(href) rel="next" { "Older messages →" } }
            }
        }
    };
    Ok(page(
        &viewer,
        "/admin/mail",
        "Inbound mail",
        StatusCode::OK,
        content,
    ))
}

/// The log's table, or what an empty part of it means.
fn inbound_table(
    rows: &[InboundRecord],
    numbers: &HashMap<TicketId, String>,
    view: LogView,
) -> Markup {
    let (title, text) = view.empty();
    html! {
        @if rows.is_empty() {
            (empty_state(title, text, None))
        } @else {
            div class="table-wrap" { table class="data inbound" {
                caption class="visually-hidden" { (view.label()) }
                thead { tr {
                    th scope="col" { "Received" } th scope="col" { "From" } th scope="col" { "Subject" }
                    th scope="col" { "Outcome" } th scope="col" { "Why" } th scope="col" { "Ticket" }
                } }
                tbody {
                    @for r in rows {
                        tr class=[needs_attention(r).then_some("needs-attention")] {
                            td class="nowrap small" { time datetime=(iso(r.received_at)) { (when(r.received_at)) } }
                            td class="break sender" { (r.from_address.as_deref().unwrap_or("—")) }
                            td class="subject" { a href={ "/admin/mail/inbound/" (r.id) } { (subject_or_none(&r.subject)) } }
                            td class="nowrap" { (outcome_badge(r)) }
                            td class="small muted reason" { (r.reason) }
                            td { (ticket_link(r.ticket_id, numbers)) }
                        }
                    }
                }
            } }
        }
    }
}

/// What the message page shows about the files of a message.
#[derive(Debug, Default)]
struct MessageFiles {
    /// Stored with its ticket, downloadable.
    stored: Vec<spoc_app::AttachmentRecord>,
    /// Read from the original (not stored yet): name, type, size.
    unstored: Vec<(String, String, usize)>,
    /// Refused for their size: name and why.
    refused: Vec<(String, String)>,
    /// The original could not be read, so its parts are unknown.
    unreadable: bool,
    /// Its plain text, as read from the original.
    text: Option<String>,
}

async fn message_files(
    state: &AppState,
    viewer: &Viewer,
    record: &InboundRecord,
) -> Result<MessageFiles, AppError> {
    let mut files = MessageFiles::default();
    if let Some(ticket) = record.ticket_id {
        files.stored = state
            .app
            .list_attachments(&viewer.actor, ticket)
            .await?
            .into_iter()
            .filter(|a| a.inbound_message_id == Some(record.id))
            .collect();
    }
    let raw = state.app.inbound_raw(&viewer.actor, record.id).await?;
    match spoc_mail::parse(&raw, &spoc_mail::Limits::default()) {
        Ok(parsed) => {
            files.text = Some(parsed.text.clone()).filter(|t| !t.trim().is_empty());
            if record.ticket_id.is_none() {
                files.unstored = parsed
                    .attachments
                    .iter()
                    .map(|a| (a.filename.clone(), a.content_type.clone(), a.bytes.len()))
                    .collect();
            }
            files.refused = parsed
                .rejected
                .iter()
                .map(|r| (r.filename.clone(), r.reason.clone()))
                .collect();
        }
        Err(_) => files.unreadable = true,
    }
    Ok(files)
}

fn files_panel(files: &MessageFiles) -> Markup {
    html! {
        section class="panel" aria-labelledby="files-title" {
            h2 class="panel-title" id="files-title" { "Attachments" }
            @if files.unreadable {
                p class="muted" { "The message could not be read, so its parts are unknown. Download the original to look at it." }
            } @else if files.stored.is_empty() && files.unstored.is_empty() && files.refused.is_empty() {
                p class="muted" { "None." }
            }
            @if !files.stored.is_empty() {
                (attachment_list(&files.stored.iter().map(AttachmentView::of).collect::<Vec<_>>()))
            }
            @if !files.unstored.is_empty() {
                ul class="attachments" {
                    @for (name, kind, size) in &files.unstored {
                        li { (name) " " span class="muted small" { (kind) " · " (size_text(i64::try_from(*size).unwrap_or(i64::MAX))) } }
                    }
                }
                p class="hint" { "Stored with the ticket once the message becomes part of one; until then they are in the original message." }
            }
            @if !files.refused.is_empty() {
                h3 { "Refused" }
                ul class="attachments" {
                    @for (name, why) in &files.refused { li { (name) " " span class="muted small" { (why) } } }
                }
            }
        }
    }
}

/// The plain text of a message without HTML, read from the original, or why there is none.
fn message_text(text: Option<&str>, unreadable: bool) -> Markup {
    html! {
        section class="mail-view panel" aria-labelledby="mail-body-title" {
            h2 class="panel-title" id="mail-body-title" { "The message" }
            @match text {
                Some(text) => div class="mail-text" { (super::page::prose(text)) },
                None if unreadable => p class="muted" { "The message could not be read. Download the original to look at it." },
                None => p class="muted" { "The message has no text." },
            }
        }
    }
}

/// The release form as typed, with its errors.
#[derive(Debug, Default)]
struct ReleaseState {
    ticket: String,
    errors: FieldErrors,
}

/// The actions for a held or quarantined message.
fn release_panel(viewer: &Viewer, record: &InboundRecord, state: &ReleaseState) -> Markup {
    let action = format!("/admin/mail/inbound/{}/release", record.id);
    let simple = |how: &str, label: &str, class: &str, hint: &str| {
        html! {
            form method="post" action=(action) class="release-option" {
                (csrf_field(viewer))
                input type="hidden" name="how" value=(how);
                button class={ "button " (class) } type="submit" { (label) }
                p class="hint" { (hint) }
            }
        }
    };
    let ticket_error = state.errors.get("ticket");
    html! {
        section class="panel release" id="release" aria-labelledby="release-title" {
            h2 class="panel-title" id="release-title" { "This message waits for someone" }
            (error_box(state.errors.get("form")))
            div class="release-options" {
                @if record.outcome == InboundOutcome::Quarantined {
                    (simple("retry", "Process again", "button-primary", "Reads it again as if it had just arrived, for instance after a fix or a change of the mailbox's rules."))
                }
                (simple("new_ticket", "Log as a new ticket", if record.outcome == InboundOutcome::Held { "button-primary" } else { "" },
                    "Starts a ticket for its sender, who is registered as a customer if the desk does not know them."))
                form method="post" action=(action) class="release-option form" {
                    (csrf_field(viewer))
                    input type="hidden" name="how" value="into_ticket";
                    (field("r-ticket", "Add to a ticket as an internal note", Some("The ticket's number, such as INC-000042 or just 42. The sender gains no access to it."), ticket_error, html! {
                        input id="r-ticket" name="ticket" type="text" value=(state.ticket) inputmode="text" autocomplete="off"
                            aria-invalid=[ticket_error.map(|_| "true")]
                            aria-describedby=[described_by("r-ticket", true, ticket_error.is_some())];
                    }))
                    div class="form-actions" { button class="button" type="submit" { "Add to the ticket" } }
                }
                (simple("dismiss", "Dismiss", "button-quiet", "Sets it aside for good. It stays in the log with who dismissed it."))
            }
        }
    }
}

async fn message_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    ok: Option<&str>,
    release: &ReleaseState,
    status: StatusCode,
) -> Result<Response, UiError> {
    let record = state.app.get_inbound(&viewer.actor, id).await?;
    let files = message_files(state, viewer, &record).await?;
    let numbers = ticket_numbers(state, viewer, record.ticket_id.into_iter().collect()).await?;
    let mailbox = match record.mailbox_id {
        None => None,
        Some(mailbox) => Some(match state.app.get_mailbox(&viewer.actor, mailbox).await {
            Ok(m) => m.name,
            Err(AppError::Forbidden(_) | AppError::NotFound { .. }) => format!("Mailbox {mailbox}"),
            Err(e) => return Err(e.into()),
        }),
    };
    let counts = (
        Some(attention_count(state, viewer).await?),
        dead_count(state, viewer).await?,
    );
    let subject = subject_or_none(&record.subject);
    let ticket = record.ticket_id.map(|t| ticket_link(Some(t), &numbers));
    let content = html! {
        div class="page-head" {
            div {
                p class="eyebrow" { a href="/admin/mail/inbound" { "Inbound mail" } }
                h1 { (subject) }
            }
            div class="page-actions" {
                a class="button" href={ "/admin/mail/inbound/" (record.id) "/raw" } download { "Download the original (.eml)" }
            }
        }
        (tabs(viewer, "/admin/mail/inbound", counts))
        (flash(ok))
        @if needs_attention(&record) { (release_panel(viewer, &record, release)) }
        section class="panel" aria-labelledby="facts-title" {
            h2 class="panel-title" id="facts-title" { "What was recorded" }
            (message_facts(&record, mailbox.as_deref(), ticket))
        }
        @if record.html.is_some() {
            (message_body(record.html.as_deref(), &files.stored))
        } @else {
            (message_text(files.text.as_deref(), files.unreadable))
        }
        (files_panel(&files))
    };
    Ok(page(viewer, "/admin/mail", &subject, status, content))
}

/// `GET /admin/mail/inbound/{id}`.
async fn inbound_message(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    let id = positive_id(&id)?;
    message_page(
        &state,
        &viewer,
        id,
        query.ok.as_deref(),
        &ReleaseState::default(),
        StatusCode::OK,
    )
    .await
}

/// `GET /admin/mail/inbound/{id}/raw`: the message as received, to download.
async fn inbound_raw(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = positive_id(&id)?;
    let raw = state.app.inbound_raw(&viewer.actor, id).await?;
    Ok(crate::mail::download(
        raw,
        "message/rfc822",
        &format!("message-{id}.eml"),
        false,
    ))
}

/// What to do with a held or quarantined message, as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct ReleaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    how: String,
    #[serde(default)]
    ticket: String,
}

/// A ticket number as typed: `INC-000042`, `inc-42` or `42`.
fn parse_ticket_ref(text: &str) -> Option<(TicketId, Option<TicketKind>)> {
    let text = text.trim();
    if let Some(number) = TicketNumber::parse(text) {
        return Some((number.id(), Some(number.kind())));
    }
    let digits = text.trim_start_matches('#');
    (!digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse::<i64>().ok())
        .flatten()
        .filter(|id| *id > 0)
        .map(|id| (TicketId::new(id), None))
}

/// `POST /admin/mail/inbound/{id}/release`.
async fn release(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<ReleaseForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    let id = positive_id(&id)?;
    let mut typed = ReleaseState {
        ticket: form.ticket.clone(),
        errors: FieldErrors::none(),
    };
    let how = match form.how.as_str() {
        "retry" => Some((Release::Retry, "retried")),
        "new_ticket" => Some((Release::NewTicket, "ticketed")),
        "dismiss" => Some((Release::Dismiss, "dismissed")),
        "into_ticket" => match parse_ticket_ref(&form.ticket) {
            None => {
                typed.errors.add(
                    "ticket",
                    "Write the ticket's number, such as INC-000042, or just 42.",
                );
                None
            }
            Some((ticket, kind)) => match state.app.get_ticket(&viewer.actor, ticket).await {
                Ok(found) if kind.is_none_or(|k| k == found.kind) => {
                    Some((Release::IntoTicket(ticket), "added"))
                }
                Ok(_) | Err(AppError::NotFound { .. }) => {
                    typed.errors.add(
                        "ticket",
                        format!(
                            "There is no ticket {} that you can see.",
                            form.ticket.trim()
                        ),
                    );
                    None
                }
                Err(e) => return Err(e.into()),
            },
        },
        _ => {
            typed
                .errors
                .add("form", "Choose what to do with the message.");
            None
        }
    };
    if let Some((how, key)) = how {
        match state.app.release_inbound(&viewer.actor, id, how).await {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/admin/mail/inbound/{id}?ok={key}")).into_response()
                );
            }
            Err(AppError::Forbidden(message)) => typed.errors.add("form", sentence(&message)),
            Err(AppError::Validation(e)) if matches!(how, Release::IntoTicket(_)) => {
                typed.errors.add("ticket", sentence(&e.message));
            }
            Err(AppError::Transition(e)) => typed.errors.add(
                if matches!(how, Release::IntoTicket(_)) {
                    "ticket"
                } else {
                    "form"
                },
                sentence(&e.to_string()),
            ),
            Err(e) => return Err(e.into()),
        }
    }
    message_page(
        &state,
        &viewer,
        id,
        None,
        &typed,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

// ----- the outbox --------------------------------------------------------------------------------

/// The query of the outbox page.
#[derive(Debug, Default, Deserialize)]
pub struct OutboxQuery {
    state: Option<String>,
    before: Option<String>,
    ok: Option<String>,
}

fn state_label(state: OutboxState) -> &'static str {
    match state {
        OutboxState::Pending => "Waiting",
        OutboxState::Dead => "Dead letters",
        OutboxState::Sent => "Sent",
    }
}

/// What an outbox message is, in words.
fn topic_text(topic: &str) -> String {
    let name = topic.strip_prefix("mail.").unwrap_or(topic);
    match NoticeTopic::parse(name) {
        Ok(topic) => topic.describe().to_owned(),
        Err(_) if name == "attachment_rejected" => {
            "Attachments refused for their size (to the sender)".to_owned()
        }
        Err(_) => name.replace('_', " "),
    }
}

/// `GET /admin/mail/outbox`.
async fn outbox(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OutboxQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let wanted = query
        .state
        .as_deref()
        .and_then(OutboxState::parse)
        .unwrap_or(OutboxState::Pending);
    let before = query.before.as_deref().and_then(|b| b.parse::<i64>().ok());
    let rows = state
        .app
        .list_outbox(&viewer.actor, wanted, before, PAGE_SIZE)
        .await?;
    let (waiting, dead) = state.app.outbox_counts(&viewer.actor).await?;
    let numbers = ticket_numbers(
        &state,
        &viewer,
        rows.iter().filter_map(|r| r.ticket_id).collect(),
    )
    .await?;
    let counts = (Some(attention_count(&state, &viewer).await?), Some(dead));
    let older = (rows.len() as i64 == PAGE_SIZE)
        .then(|| rows.last().map(|r| r.id))
        .flatten()
        .map(|id| format!("/admin/mail/outbox?state={}&before={id}", wanted.as_str()));
    let content = html! {
        div class="page-head" {
            div { h1 { "Outbox" } p class="muted" { "E-mail Spoc sends. Failed deliveries are retried with growing pauses; after the last attempt a message becomes a dead letter until someone sends it again." } }
        }
        (tabs(&viewer, "/admin/mail/outbox", counts))
        (flash(query.ok.as_deref()))
        nav class="segmented" aria-label="Which messages" {
            @for (s, count) in [(OutboxState::Pending, Some(waiting)), (OutboxState::Dead, Some(dead)), (OutboxState::Sent, None)] {
                a href={ "/admin/mail/outbox?state=" (s.as_str()) } aria-current=[(s == wanted).then_some("page")] {
                    (state_label(s)) @if let Some(n) = count { " " span class="count" { (n) } }
                }
            }
        }
        (outbox_table(&viewer, &rows, &numbers, wanted))
        @if before.is_some() || older.is_some() {
            nav class="pager" aria-label="Pages" {
                @if before.is_some() { a class="button button-quiet button-small" href={ "/admin/mail/outbox?state=" (wanted.as_str()) } { "← Newest" } }
                @if let Some(href) = &older { a class="button button-quiet button-small" href=(href) rel="next" { "Older messages →" } }
            }
        }
    };
    Ok(page(
        &viewer,
        "/admin/mail",
        "Outbox",
        StatusCode::OK,
        content,
    ))
}

fn outbox_table(
    viewer: &Viewer,
    rows: &[OutboxRecord],
    numbers: &HashMap<TicketId, String>,
    wanted: OutboxState,
) -> Markup {
    let (title, text) = match wanted {
        OutboxState::Pending => (
            "Nothing waiting",
            "Every notification has been handed to the mail relay.",
        ),
        OutboxState::Dead => (
            "No dead letters",
            "Messages the relay refused for good, or that failed every retry, would wait here to be sent again.",
        ),
        OutboxState::Sent => (
            "Nothing sent yet",
            "Notifications appear here once the mail relay has accepted them.",
        ),
    };
    let when_label = match wanted {
        OutboxState::Pending => "Next attempt",
        OutboxState::Dead => "Given up",
        OutboxState::Sent => "Sent",
    };
    html! {
        @if rows.is_empty() {
            (empty_state(title, text, None))
        } @else {
            div class="table-wrap" { table class="data outbox" {
                caption class="visually-hidden" { (state_label(wanted)) }
                thead { tr {
                    th scope="col" { "Queued" } th scope="col" { "To" } th scope="col" { "What" } th scope="col" { "Ticket" }
                    th scope="col" class="num" { "Attempts" } th scope="col" { (when_label) } th scope="col" { "Last error" }
                    @if wanted == OutboxState::Dead { th scope="col" { span class="visually-hidden" { "Action" } } }
                } }
                tbody {
                    @for r in rows {
                        @let at = match wanted {
                            OutboxState::Pending => Some(r.available_at),
                            OutboxState::Dead => r.dead_at,
                            OutboxState::Sent => r.done_at,
                        };
                        tr {
                            td class="nowrap small" { time datetime=(iso(r.created_at)) { (when(r.created_at)) } }
                            td class="break recipient" { @match &r.recipient { Some(to) => (to), None => span class="muted" { "The person's current address" } } }
                            td { (topic_text(&r.topic)) }
                            td { (ticket_link(r.ticket_id, numbers)) }
                            td class="num" { (r.attempts) }
                            td class="nowrap small" { @match at { Some(at) => time datetime=(iso(at)) { (when(at)) }, None => (none()) } }
                            td class="small" { @match &r.last_error { Some(e) => span class="field-error" { (e) }, None => (none()) } }
                            @if wanted == OutboxState::Dead {
                                td {
                                    form method="post" action={ "/admin/mail/outbox/" (r.id) "/retry" } class="inline" {
                                        (csrf_field(viewer))
                                        button class="button button-small" type="submit" { "Send again" }
                                    }
                                }
                            }
                        }
                    }
                }
            } }
        }
    }
}

/// A form with only its token.
#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /admin/mail/outbox/{id}/retry`.
async fn retry_outbox(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<TokenForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    let id = positive_id(&id)?;
    state.app.retry_outbox(&viewer.actor, id).await?;
    Ok(Redirect::to("/admin/mail/outbox?state=dead&ok=requeued").into_response())
}

#[cfg(test)]
mod tests {
    use spoc_domain::Timestamp;
    use spoc_domain::access::Actor;
    use spoc_domain::user::Role;
    use spoc_domain::{GroupId, UserId};

    use super::*;
    use crate::ui::email::tests::record;

    fn viewer(role: Role) -> Viewer {
        Viewer {
            actor: Actor {
                user_id: UserId::new(1),
                role,
                organization_id: None,
                super_user: false,
                group_ids: vec![GroupId::new(1)],
            },
            csrf: "c".repeat(64),
            name: "Alex".to_owned(),
        }
    }

    fn pairs(items: &[(&str, &str)]) -> Pairs {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_mailbox_form_becomes_the_apps_input_or_sentences_next_to_fields() {
        let form = MailboxForm::from_pairs(&pairs(&[
            ("name", " support "),
            ("address", " Help@Example.COM "),
            ("enabled", "on"),
            ("imap_host", "imap.example.com"),
            ("imap_port", ""),
            ("imap_security", "starttls"),
            ("imap_username", "help"),
            ("imap_password", "s3cret"),
            ("folder", "INBOX"),
            ("processed_folder", ""),
            ("unknown_senders", "refuse"),
            ("non_participants", "hold"),
            ("ticket_kind", "service_request"),
            ("poll_seconds", "120"),
        ]));
        let mut errors = FieldErrors::none();
        let input = form.input(&mut errors).unwrap();
        assert!(errors.is_empty());
        assert_eq!(input.name, "support");
        assert_eq!(input.address, "help@example.com");
        let imap = input.imap.unwrap();
        assert_eq!((imap.port, imap.security), (143, ImapSecurity::StartTls));
        assert_eq!(input.processed_folder, None);
        assert_eq!(input.unknown_senders, UnknownSenders::Refuse);
        assert_eq!(input.non_participants, NonParticipants::Hold);
        assert_eq!(input.poll_seconds, 120);

        let bad = MailboxForm::from_pairs(&pairs(&[
            ("imap_port", "99999"),
            ("imap_security", "tls"),
            ("imap_username", "someone"),
            ("unknown_senders", "create"),
            ("non_participants", "new_ticket"),
            ("ticket_kind", "incident"),
            ("poll_seconds", "often"),
        ]));
        let mut errors = FieldErrors::none();
        assert!(bad.input(&mut errors).is_none());
        assert!(errors.get("imap_port").unwrap().contains("1 to 65535"));
        assert!(
            errors
                .get("imap_host")
                .unwrap()
                .starts_with("Name the IMAP server")
        );
        assert!(errors.get("poll_seconds").unwrap().ends_with('.'));
    }

    #[test]
    fn the_mailbox_form_keeps_what_was_typed_but_never_the_password() {
        let mut form = MailboxForm::default();
        form.name = "support <b>".to_owned();
        form.imap_password = "s3cret".to_owned();
        let errors = FieldErrors::one(
            "address",
            "The address must contain exactly one @ between a name and a domain.",
        );
        let html = mailbox_form(&viewer(Role::Admin), None, &form, &errors).into_string();
        assert!(html.contains(r#"value="support &lt;b&gt;""#), "{html}");
        assert!(!html.contains("s3cret"), "the password is never sent back");
        assert!(html.contains(
            r#"<p class="field-error" id="m-address-error">The address must contain exactly one @"#
        ));
        assert!(html.contains(r#"aria-describedby="m-address-hint m-address-error""#));
        assert!(html.contains(r#"name="csrf""#));
        assert!(html.contains(r#"action="/admin/mail/mailboxes/new""#));
        for name in [
            "imap_host",
            "imap_port",
            "imap_security",
            "imap_username",
            "imap_password",
            "ca_certificate",
            "folder",
            "processed_folder",
            "unknown_senders",
            "non_participants",
            "ticket_kind",
            "poll_seconds",
            "enabled",
        ] {
            assert!(
                html.contains(&format!(r#"name="{name}""#)),
                "{name} missing"
            );
        }
    }

    #[test]
    fn no_mailbox_says_what_to_do_next() {
        let html = mailbox_table(&[]).into_string();
        assert!(html.contains("No mailbox yet"));
        assert!(html.contains("Add one to turn mail into tickets, or let your mail server pipe mail to <code>spoc mail deliver</code>."), "{html}");
        assert!(html.contains(r#"href="/admin/mail/mailboxes/new""#));
    }

    #[test]
    fn the_log_shows_outcome_reason_and_ticket_and_escapes_senders_words() {
        let mut held = record(InboundOutcome::Held);
        held.subject = "<script>x</script>".to_owned();
        let mut ticketed = record(InboundOutcome::TicketCreated);
        ticketed.id = 10;
        ticketed.ticket_id = Some(TicketId::new(42));
        let numbers: HashMap<TicketId, String> =
            [(TicketId::new(42), "INC-000042".to_owned())].into();
        let html = inbound_table(&[held, ticketed], &numbers, LogView::All).into_string();
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;") && !html.contains("<script>"));
        assert!(html.contains(r#"<tr class="needs-attention">"#));
        assert!(html.contains("Held for review") && html.contains("New ticket"));
        assert!(html.contains(r#"<a class="mono nowrap" href="/desk/tickets/42">INC-000042</a>"#));
        assert!(html.contains(r#"href="/admin/mail/inbound/9""#));
        let empty = inbound_table(&[], &numbers, LogView::Attention).into_string();
        assert!(empty.contains("Nothing needs attention"));
    }

    #[test]
    fn held_messages_offer_every_release_with_the_token() {
        let held = record(InboundOutcome::Held);
        let state = ReleaseState {
            ticket: "INC-9".to_owned(),
            errors: FieldErrors::one("ticket", "There is no ticket INC-9 that you can see."),
        };
        let html = release_panel(&viewer(Role::Lead), &held, &state).into_string();
        for how in ["new_ticket", "into_ticket", "dismiss"] {
            assert!(
                html.contains(&format!(r#"name="how" value="{how}""#)),
                "{how}"
            );
        }
        assert!(
            !html.contains(r#"value="retry""#),
            "only quarantined mail is processed again"
        );
        assert_eq!(html.matches(r#"name="csrf""#).count(), 3);
        assert!(html.contains(r#"id="r-ticket-error">There is no ticket INC-9"#));
        assert!(html.contains(r#"value="INC-9""#));
        let quarantined = record(InboundOutcome::Quarantined);
        let html = release_panel(&viewer(Role::Admin), &quarantined, &ReleaseState::default())
            .into_string();
        assert!(html.contains(r#"value="retry""#));
    }

    #[test]
    fn a_message_without_html_shows_its_text_escaped() {
        let html = message_text(Some("Line one\n<b>two</b>"), false).into_string();
        assert!(html.contains("Line one\n&lt;b&gt;two&lt;/b&gt;"), "{html}");
        assert!(
            message_text(None, true)
                .into_string()
                .contains("could not be read")
        );
    }

    #[test]
    fn ticket_numbers_are_read_as_people_write_them() {
        assert_eq!(
            parse_ticket_ref("INC-000042"),
            Some((TicketId::new(42), Some(TicketKind::Incident)))
        );
        assert_eq!(parse_ticket_ref(" 42 "), Some((TicketId::new(42), None)));
        assert_eq!(parse_ticket_ref("#7"), Some((TicketId::new(7), None)));
        for bad in ["", "INC-", "forty-two", "0", "-3"] {
            assert_eq!(parse_ticket_ref(bad), None, "{bad}");
        }
    }

    #[test]
    fn dead_letters_can_be_sent_again_and_topics_read_as_words() {
        let at = Timestamp::from_micros(1_800_000_000_000_000);
        let dead = OutboxRecord {
            id: 3,
            topic: "mail.agent_reply".to_owned(),
            idempotency_key: "k".to_owned(),
            payload: "{}".to_owned(),
            recipient: Some("una@example.test".to_owned()),
            ticket_id: Some(TicketId::new(42)),
            created_at: at,
            available_at: at,
            attempts: 8,
            last_error: Some("550 mailbox unavailable".to_owned()),
            done_at: None,
            dead_at: Some(at),
        };
        let html = outbox_table(
            &viewer(Role::Admin),
            &[dead],
            &HashMap::new(),
            OutboxState::Dead,
        )
        .into_string();
        assert!(html.contains(r#"action="/admin/mail/outbox/3/retry""#));
        assert!(html.contains("Send again"));
        assert!(html.contains("The desk replied on a ticket of yours"));
        assert!(html.contains("550 mailbox unavailable"));
        assert_eq!(
            topic_text("mail.attachment_rejected"),
            "Attachments refused for their size (to the sender)"
        );
        let empty = outbox_table(
            &viewer(Role::Admin),
            &[],
            &HashMap::new(),
            OutboxState::Dead,
        )
        .into_string();
        assert!(empty.contains("No dead letters"));
    }
}

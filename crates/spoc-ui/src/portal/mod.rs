//! The self-service portal: get help (an incident or a request, asked in plain language), see
//! the reference and the next step at once, follow one's tickets, reply, confirm or reopen a
//! resolution. The portal shows only public events; internal notes never reach it.

pub(crate) mod help;
pub(crate) mod mail_links;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing;
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{ActionInput, AppError, NewTicketInput, TicketFilter, TicketSort};
use spoc_domain::TicketId;
use spoc_domain::lifecycle::Action;
use spoc_domain::priority::{Impact, Urgency};
use spoc_domain::text::{Body, Reason, Title};
use spoc_domain::ticket::{Channel, PendingReason, Status, Ticket, TicketKind};

use crate::forms::{UiForm, non_empty};
use crate::page::{
    Area, FieldErrors, Shell, csrf_field, empty_state, error_box, field, flash, resolution_label,
};
use crate::session::{STALE_FORM, UiError, Viewer, sentence};
use crate::timefmt::when;
use crate::views::{Lookup, attach_mail, customer_timeline_entries, other_attachments, timeline};
use spoc_http::AppState;

/// The self-service portal: home, logging and following one's tickets, help articles, and the pages that e-mail links open.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal", routing::get(home))
        .route("/portal/new", routing::get(new_form).post(submit))
        .route("/portal/tickets", routing::get(my_tickets))
        .route("/portal/tickets/{id}", routing::get(ticket))
        .route("/portal/tickets/{id}/reply", routing::post(reply))
        .route("/portal/tickets/{id}/confirm", routing::post(confirm))
        .route("/portal/tickets/{id}/reopen", routing::post(reopen))
        .route("/portal/tickets/{id}/cancel", routing::post(cancel))
        .route("/portal/kb", routing::get(help::portal_list))
        .route("/portal/kb/{id}", routing::get(help::portal_view))
        .route("/portal/kb/{id}/solved", routing::post(help::portal_solved))
        .route(
            "/portal/kb/{id}/feedback",
            routing::post(help::portal_feedback),
        )
        .route(
            "/mail-actions/{secret}",
            routing::get(mail_links::show).post(mail_links::submit),
        )
}

/// A status as a requester reads it.
fn customer_status(ticket: &Ticket) -> (&'static str, &'static str) {
    match ticket.status {
        Status::New | Status::Assigned => ("Received", "new"),
        Status::InProgress => ("Being worked on", "in_progress"),
        Status::Pending if ticket.pending_reason == Some(PendingReason::AwaitingUser) => {
            ("Waiting for you", "pending")
        }
        Status::Pending => ("On hold", "pending"),
        Status::Resolved => ("Resolved — please confirm", "resolved"),
        Status::Closed => ("Closed", "closed"),
        Status::Cancelled => ("Cancelled", "cancelled"),
    }
}

fn customer_badge(ticket: &Ticket) -> Markup {
    let (label, class) = customer_status(ticket);
    html! { span class={ "badge badge-status-" (class) } { (label) } }
}

/// What happens next, in the requester's words.
fn next_step(ticket: &Ticket) -> &'static str {
    match ticket.status {
        Status::New | Status::Assigned => {
            "The service desk has your ticket and will pick it up by priority. Replies appear here."
        }
        Status::InProgress => "Someone is working on it. Replies appear here.",
        Status::Pending if ticket.pending_reason == Some(PendingReason::AwaitingUser) => {
            "The service desk is waiting for an answer from you: reply below."
        }
        Status::Pending => {
            "The service desk is waiting for someone else and will continue when they answer."
        }
        Status::Resolved => {
            "The service desk believes this is solved. Confirm it, or tell us it is not fixed yet."
        }
        Status::Closed => "This ticket is closed. If the problem returns, ask for help again.",
        Status::Cancelled => "This ticket was cancelled.",
    }
}

/// `GET /portal`.
pub async fn home() -> Redirect {
    Redirect::to("/portal/tickets")
}

/// The query of `GET /portal/tickets`.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// `org` for a super user's organisation view.
    scope: Option<String>,
    /// `closed` to include finished tickets.
    show: Option<String>,
}

/// `GET /portal/tickets`.
pub async fn my_tickets(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, UiError> {
    let org_view = query.scope.as_deref() == Some("org")
        && viewer.actor.super_user
        && viewer.actor.organization_id.is_some();
    let show_closed = query.show.as_deref() == Some("all");
    let mut filter = TicketFilter {
        sort: TicketSort::UpdatedDesc,
        limit: 100,
        ..TicketFilter::default()
    };
    if org_view {
        filter.organization_id = viewer.actor.organization_id;
    } else {
        filter.requester_id = Some(viewer.user_id);
    }
    if !show_closed {
        filter.statuses = Status::ALL
            .iter()
            .copied()
            .filter(|s| s.is_open())
            .collect();
    }
    let page = state.app.list_tickets(&viewer.actor, filter).await?;
    let refs: Vec<&Ticket> = page.tickets.iter().collect();
    let lookup = Lookup::load(&state.app, &viewer.actor, &refs, &[]).await?;
    let now = state.app.now();
    let scope_param = if org_view { "scope=org&" } else { "" };
    let body = html! {
        div class="portal-hero" {
            div {
                h1 { @if org_view { "Your organisation’s tickets" } @else { "Your tickets" } }
                p class="muted" { "Everything you have asked the service desk, newest activity first." }
            }
            a class="button button-primary" href="/portal/new" { "Get help" }
        }
        nav class="cluster tabs" aria-label="Which tickets" {
            a class="button button-small button-quiet" href="/portal/tickets" aria-current=[(!org_view && !show_closed).then_some("page")] { "Open" }
            a class="button button-small button-quiet" href="/portal/tickets?show=all" aria-current=[(!org_view && show_closed).then_some("page")] { "All of mine" }
            @if viewer.actor.super_user && viewer.actor.organization_id.is_some() {
                a class="button button-small button-quiet" href="/portal/tickets?scope=org" aria-current=[(org_view && !show_closed).then_some("page")] { "My organisation" }
            }
        }
        @if page.tickets.is_empty() {
            (empty_state(
                if show_closed { "No tickets yet" } else { "No open tickets" },
                "When something is broken or you need something, tell the service desk — you will get a reference number at once.",
                Some(("/portal/new", "Get help"))))
            @if !show_closed {
                p class="muted small" { a href={ "/portal/tickets?" (scope_param) "show=all" } { "Show closed tickets too" } }
            }
        } @else {
            ul class="ticket-list" {
                @for ticket in &page.tickets {
                    li class="ticket-card" {
                        a href={ "/portal/tickets/" (ticket.id) } {
                            span class="mono" { (ticket.number()) }
                            strong class="ticket-card-title" { bdi { (ticket.title) } }
                            (customer_badge(ticket))
                            @if org_view { span class="muted small" { (lookup.person(ticket.requester_id)) } }
                            time class="small" datetime=(crate::timefmt::iso(ticket.updated_at)) { "updated " (crate::timefmt::ago(now, ticket.updated_at)) }
                        }
                    }
                }
            }
        }
    };
    let shell = Shell::new("Your tickets", Area::Portal).current("/portal/tickets");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
}

/// The new-ticket form, as submitted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    /// How many people are affected: `me`, `some`, `many`.
    #[serde(default)]
    affected: String,
    /// How soon: `blocking`, `soon`, `whenever`.
    #[serde(default)]
    when: String,
    /// "Check for answers first": show matching help articles instead of sending.
    #[serde(default)]
    check: Option<String>,
}

/// The new-ticket form's query: a summary carried over from a help article.
#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    title: Option<String>,
}

const AFFECTED: [(&str, &str, &str); 3] = [
    ("me", "Just me", "Only my own work is affected."),
    (
        "some",
        "Several people",
        "My team or a few colleagues are affected.",
    ),
    (
        "many",
        "Many people",
        "A whole department, a site or everyone.",
    ),
];

const WHEN: [(&str, &str, &str); 3] = [
    (
        "blocking",
        "Now — I cannot work",
        "It stops work that cannot wait.",
    ),
    (
        "soon",
        "Today or tomorrow",
        "It slows me down but I can carry on for now.",
    ),
    ("whenever", "No rush", "It can wait a few days."),
];

fn choices(
    name: &str,
    legend: &str,
    options: &[(&str, &str, &str)],
    selected: &str,
    error: Option<&str>,
) -> Markup {
    html! {
        fieldset.field.choices.has-error[error.is_some()] aria-describedby=[error.map(|_| format!("{name}-error"))] {
            legend { (legend) }
            @for (value, label, hint) in options {
                label class="choice" {
                    input type="radio" name=(name) value=(value) checked[*value == selected] required;
                    span class="choice-text" { strong { (label) } span class="hint" { (hint) } }
                }
            }
            @if let Some(error) = error { p class="field-error" id={ (name) "-error" } { (error) } }
        }
    }
}

fn new_page(viewer: &Viewer, form: &NewForm, errors: &FieldErrors, suggestions: Markup) -> Markup {
    let title_error = errors.get("title");
    let description_error = errors.get("description");
    let body = html! {
        div class="page-head" {
            div {
                h1 { "Get help" }
                p class="muted" { "Tell the service desk what is wrong or what you need. You get a reference number at once." }
            }
        }
        @if !errors.is_empty() {
            div class="error-summary" role="alert" {
                h2 { "Please check the form" }
                ul { @for (field, message) in errors.iter() { li { a href={ "#" (field) } { (message) } } } }
            }
        }
        form class="form panel" method="post" action="/portal/new" {
            (csrf_field(viewer))
            (choices("kind", "What do you need?", &[
                ("incident", "Something is broken", "An error, an outage, something that used to work."),
                ("service_request", "I need something", "Access, equipment, software, information."),
            ], &form.kind, errors.get("kind")))
            (field("title", "In one line", Some("For example: “Cannot print on the 3rd floor printer”."), title_error, html! {
                input id="title" name="title" type="text" value=(form.title) required maxlength="200"
                    aria-invalid=[title_error.map(|_| "true")]
                    aria-describedby=(if title_error.is_some() { "title-hint title-error" } else { "title-hint" });
            }))
            (field("description", "Details", Some("What happened, what you were doing, what you tried. Error messages help."), description_error, html! {
                textarea id="description" name="description" rows="7" required
                    aria-invalid=[description_error.map(|_| "true")]
                    aria-describedby=(if description_error.is_some() { "description-hint description-error" } else { "description-hint" }) { (form.description) }
            }))
            (choices("affected", "How many people are affected?", &AFFECTED, &form.affected, errors.get("affected")))
            (choices("when", "How soon do you need it?", &WHEN, &form.when, errors.get("when")))
            (suggestions)
            div class="form-actions" {
                button class="button button-primary" type="submit" { "Send to the service desk" }
                button class="button" type="submit" name="check" value="1" formnovalidate { "Check for answers first" }
            }
        }
    };
    Shell::new("Get help", Area::Portal)
        .current("/portal/new")
        .render(Some(viewer), body)
}

/// `GET /portal/new`.
pub async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<NewQuery>,
) -> Result<Response, UiError> {
    let form = NewForm {
        kind: "incident".to_owned(),
        affected: "me".to_owned(),
        when: "soon".to_owned(),
        title: query.title.unwrap_or_default().chars().take(200).collect(),
        ..NewForm::default()
    };
    let suggestions =
        crate::portal::help::portal_suggestions(&state, &viewer, "", "", false).await?;
    Ok(
        Html(new_page(&viewer, &form, &FieldErrors::none(), suggestions).into_string())
            .into_response(),
    )
}

/// `POST /portal/new`.
pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<NewForm>,
) -> Result<Response, UiError> {
    if !viewer.csrf_matches(&form.csrf) {
        let suggestions =
            crate::portal::help::portal_suggestions(&state, &viewer, "", "", false).await?;
        let errors = FieldErrors::one("form", STALE_FORM);
        return Ok((
            StatusCode::FORBIDDEN,
            Html(new_page(&viewer, &form, &errors, suggestions).into_string()),
        )
            .into_response());
    }
    if form.check.is_some() {
        // Check for answers: the form comes back with matching help articles, nothing is sent.
        let suggestions = crate::portal::help::portal_suggestions(
            &state,
            &viewer,
            &form.title,
            &form.description,
            true,
        )
        .await?;
        return Ok(
            Html(new_page(&viewer, &form, &FieldErrors::none(), suggestions).into_string())
                .into_response(),
        );
    }
    let mut errors = FieldErrors::none();
    let kind = TicketKind::parse(&form.kind)
        .map_err(|_| {
            errors.add(
                "kind",
                "Choose whether something is broken or you need something.",
            )
        })
        .ok();
    let title = Title::parse_as("title", &form.title)
        .map_err(|e| {
            errors.add(
                "title",
                if form.title.trim().is_empty() {
                    "Write a one-line summary.".to_owned()
                } else {
                    sentence(&format!("the summary {}", e.message))
                },
            )
        })
        .ok();
    let description = Body::parse_as("description", &form.description)
        .map_err(|e| {
            errors.add(
                "description",
                if form.description.trim().is_empty() {
                    "Describe what happened or what you need.".to_owned()
                } else {
                    sentence(&format!("the details {}", e.message))
                },
            )
        })
        .ok();
    let impact = match form.affected.as_str() {
        "me" => Some(Impact::Low),
        "some" => Some(Impact::Medium),
        "many" => Some(Impact::High),
        _ => {
            errors.add("affected", "Choose how many people are affected.");
            None
        }
    };
    let urgency = match form.when.as_str() {
        "blocking" => Some(Urgency::High),
        "soon" => Some(Urgency::Medium),
        "whenever" => Some(Urgency::Low),
        _ => {
            errors.add("when", "Choose how soon you need it.");
            None
        }
    };
    if let (Some(kind), Some(title), Some(description), Some(impact), Some(urgency)) =
        (kind, title, description, impact, urgency)
    {
        let input = NewTicketInput {
            kind,
            title,
            description,
            impact,
            urgency,
            category_id: None,
            service_id: None,
            requester_id: None,
            channel: Channel::Portal,
        };
        match state.app.create_ticket(&viewer.actor, input).await {
            Ok(ticket) => {
                return Ok(
                    Redirect::to(&format!("/portal/tickets/{}?ok=created", ticket.id))
                        .into_response(),
                );
            }
            Err(AppError::Validation(e)) => errors.add("title", sentence(&e.message)),
            Err(AppError::RateLimited { message, .. }) => {
                let suggestions =
                    crate::portal::help::portal_suggestions(&state, &viewer, "", "", false).await?;
                let errors = FieldErrors::one("form", sentence(&message));
                return Ok((
                    StatusCode::TOO_MANY_REQUESTS,
                    Html(new_page(&viewer, &form, &errors, suggestions).into_string()),
                )
                    .into_response());
            }
            Err(e) => return Err(e.into()),
        }
    }
    let suggestions =
        crate::portal::help::portal_suggestions(&state, &viewer, "", "", false).await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        Html(new_page(&viewer, &form, &errors, suggestions).into_string()),
    )
        .into_response())
}

/// The query of a portal ticket page.
#[derive(Debug, Default, Deserialize)]
pub struct TicketQuery {
    ok: Option<String>,
}

fn parse_id(value: &str) -> Result<TicketId, UiError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(TicketId::new)
        .ok_or_else(UiError::not_found)
}

/// `GET /portal/tickets/{id}`.
pub async fn ticket(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<TicketQuery>,
) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    render_ticket(
        &state,
        &viewer,
        id,
        query.ok.as_deref(),
        "",
        None,
        StatusCode::OK,
    )
    .await
}

async fn render_ticket(
    state: &AppState,
    viewer: &Viewer,
    id: TicketId,
    ok: Option<&str>,
    reply_text: &str,
    error: Option<(&str, String)>,
    status: StatusCode,
) -> Result<Response, UiError> {
    let app = &state.app;
    let ticket = app.get_ticket(&viewer.actor, id).await?;
    let events = app.list_events(&viewer.actor, id).await?;
    let lookup = Lookup::load(app, &viewer.actor, &[&ticket], &events).await?;
    let mut entries = customer_timeline_entries(&ticket, &events, &lookup);
    // The app gives customers only the files of public entries; e-mails are not linked here.
    let attachments = app.list_attachments(&viewer.actor, id).await?;
    let loose = attach_mail(&mut entries, &attachments, &[], None);
    let number = ticket.number().to_string();
    let base = format!("/portal/tickets/{}", ticket.id);
    let just_created = ok == Some("created");
    let error_for = |field: &str| {
        error
            .as_ref()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    };
    let may = |action: Action| {
        spoc_domain::lifecycle::allowed_actions(ticket.kind, ticket.status).contains(&action)
            && viewer.actor.may_perform(&ticket, action).is_ok()
    };
    let body = html! {
        @if just_created {
            section class="confirmation panel" aria-labelledby="confirm-title" {
                h1 id="confirm-title" { "Thank you — your ticket is logged" }
                p { "Your reference number is" }
                p class="reference mono" { (number) }
                h2 { "What happens next" }
                ol {
                    li { "The service desk reviews it and sets its priority from what you told us." }
                    li { "An agent picks it up; their replies appear on this page." }
                    li { "When it is solved, you are asked to confirm." }
                }
            }
        } @else {
            (flash(ok))
        }
        (error_box(error_for("form")))
        div class="live-banner" id="live-banner" role="status" hidden {}
        div class="stack" data-ticket=(ticket.id) data-live="ticket" {
            header class="ticket-header panel" id="ticket-header" {
                p class="eyebrow mono" { (number) " · " (crate::page::kind_label(ticket.kind)) }
                @if just_created { h2 { bdi { (ticket.title) } } } @else { h1 { bdi { (ticket.title) } } }
                div class="cluster" { (customer_badge(&ticket)) span class="muted small" { "Logged " (when(ticket.created_at)) } }
                p class="next-step" { (next_step(&ticket)) }
                @if let (Some(code), Some(notes)) = (ticket.resolution_code, ticket.resolution_notes.as_ref()) {
                    @if ticket.status == Status::Resolved {
                        div class="notice" {
                            strong { (resolution_label(code)) ": " } (notes)
                        }
                    }
                }
            }
            @if ticket.status == Status::Resolved && (may(Action::Close) || may(Action::Reopen)) {
                section class="panel" aria-labelledby="confirm-fix" {
                    h2 class="panel-title" id="confirm-fix" { "Is it fixed?" }
                    div class="cluster align-start" {
                        @if may(Action::Close) {
                            form method="post" action={ (base) "/confirm" } class="inline" {
                                (csrf_field(viewer))
                                button class="button button-primary" type="submit" { "Yes, it is fixed — close it" }
                            }
                        }
                        @if may(Action::Reopen) {
                            details class="action" open[error_for("reason").is_some()] {
                                summary class="button button-quiet" { "No, it is not fixed" }
                                form method="post" action={ (base) "/reopen" } class="form" {
                                    (csrf_field(viewer))
                                    (field("reopen-reason", "What is still wrong?", None, error_for("reason"), html! {
                                        textarea id="reopen-reason" name="reason" rows="3" required { (reply_text) }
                                    }))
                                    div class="form-actions" { button class="button" type="submit" { "Reopen the ticket" } }
                                }
                            }
                        }
                    }
                }
            }
            @if ticket.status.is_open() {
                section class="panel" aria-labelledby="reply-title" {
                    h2 class="panel-title" id="reply-title" { "Reply" }
                    form class="form composer" method="post" action={ (base) "/reply" } {
                        (csrf_field(viewer))
                        (field("body", "Your message", None, error_for("body"), html! {
                            textarea id="body" name="body" rows="4" required
                                aria-invalid=[error_for("body").map(|_| "true")] { @if error_for("reason").is_none() { (reply_text) } }
                        }))
                        div class="form-actions" { button class="button button-primary" type="submit" { "Send reply" } }
                    }
                }
            }
            section aria-labelledby="timeline-title" {
                h2 id="timeline-title" { "History" }
                (timeline(&entries))
            }
            (other_attachments(&loose))
            @if may(Action::Cancel) && ticket.status.is_active() {
                details class="action" {
                    summary class="button button-quiet button-small" { "I no longer need this — cancel it" }
                    form method="post" action={ (base) "/cancel" } class="form" {
                        (csrf_field(viewer))
                        div class="form-actions" { button class="button button-danger" type="submit" { "Cancel the ticket" } }
                    }
                }
            }
        }
    };
    let title = format!("{number} {}", ticket.title);
    let shell = Shell::new(&title, Area::Portal).current("/portal/tickets");
    Ok((status, Html(shell.render(Some(viewer), body).into_string())).into_response())
}

/// A reply, or a reason to reopen.
#[derive(Debug, Deserialize)]
pub struct TextForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    reason: String,
}

/// `POST /portal/tickets/{id}/reply`.
pub async fn reply(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<TextForm>,
) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    if !viewer.csrf_matches(&form.csrf) {
        return render_ticket(
            &state,
            &viewer,
            id,
            None,
            &form.body,
            Some(("body", STALE_FORM.to_owned())),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    let body = match Body::parse_as("body", &form.body) {
        Ok(body) => body,
        Err(e) => {
            let message = if form.body.trim().is_empty() {
                "Write a message first.".to_owned()
            } else {
                sentence(&e.message)
            };
            return render_ticket(
                &state,
                &viewer,
                id,
                None,
                &form.body,
                Some(("body", message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state.app.add_comment(&viewer.actor, id, false, body).await {
        Ok(_) => Ok(Redirect::to(&format!("/portal/tickets/{id}?ok=replied")).into_response()),
        Err(AppError::RateLimited { message, .. }) => {
            render_ticket(
                &state,
                &viewer,
                id,
                None,
                &form.body,
                Some(("body", sentence(&message))),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn customer_action(
    state: &AppState,
    viewer: &Viewer,
    id: TicketId,
    input: ActionInput,
    ok: &str,
) -> Result<Response, UiError> {
    match state.app.perform_action(&viewer.actor, id, None, input).await {
        Ok(_) => Ok(Redirect::to(&format!("/portal/tickets/{id}?ok={ok}")).into_response()),
        Err(AppError::Transition(_)) => {
            render_ticket(state, viewer, id, None, "", Some(("form",
                "That is no longer possible: the ticket changed in the meantime. Its current state is shown below.".to_owned())),
                StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /portal/tickets/{id}/confirm`: the resolution holds; close.
pub async fn confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<TextForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    let id = parse_id(&id)?;
    customer_action(&state, &viewer, id, ActionInput::Close, "confirmed").await
}

/// `POST /portal/tickets/{id}/reopen`.
pub async fn reopen(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<TextForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    let id = parse_id(&id)?;
    let reason = match non_empty(Some(&form.reason)) {
        Some(text) => match Reason::parse_as("reason", text) {
            Ok(r) => r,
            Err(e) => {
                return render_ticket(
                    &state,
                    &viewer,
                    id,
                    None,
                    &form.reason,
                    Some(("reason", sentence(&e.message))),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        },
        None => {
            return render_ticket(
                &state,
                &viewer,
                id,
                None,
                "",
                Some((
                    "reason",
                    "Tell the service desk what is still wrong.".to_owned(),
                )),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    customer_action(
        &state,
        &viewer,
        id,
        ActionInput::Reopen {
            reason: Some(reason),
        },
        "reopened",
    )
    .await
}

/// `POST /portal/tickets/{id}/cancel`.
pub async fn cancel(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<TextForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    let id = parse_id(&id)?;
    customer_action(
        &state,
        &viewer,
        id,
        ActionInput::Cancel { reason: None },
        "cancelled",
    )
    .await
}

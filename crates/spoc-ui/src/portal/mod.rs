//! The self-service portal: get help (an incident or a request, asked in plain language), see
//! the reference and the next step at once, follow one's tickets, reply, confirm or reopen a
//! resolution. The portal shows only public events; internal notes never reach it.

pub(crate) mod help;
pub(crate) mod mail_links;
pub(crate) mod new_ticket;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing;
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{ActionInput, AppError, TicketFilter, TicketSort};
use spoc_domain::TicketId;
use spoc_domain::lifecycle::Action;
use spoc_domain::text::{Body, Reason};
use spoc_domain::ticket::{PendingReason, Status, Ticket};

use crate::forms::{UiForm, non_empty};
use crate::i18n::portal::Portal;
use crate::i18n::{Msg, t, tr};
use crate::page::{
    Area, Shell, csrf_field, empty_state, error_box, field, flash, resolution_label,
};
use crate::session::{UiError, Viewer, sentence};
use crate::timefmt::when;
use crate::upload::UiUpload;
use crate::views::{Lookup, attach_mail, customer_timeline_entries, other_attachments, timeline};
use spoc_http::AppState;

/// The self-service portal: home, logging and following one's tickets, help articles, and the pages that e-mail links open.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal", routing::get(home))
        .route(
            "/portal/new",
            routing::get(new_ticket::new_form).post(new_ticket::submit),
        )
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
        Status::New | Status::Assigned => (t(Portal::StatusReceived), "new"),
        Status::InProgress => (t(Portal::StatusBeingWorkedOn), "in_progress"),
        Status::Pending if ticket.pending_reason == Some(PendingReason::AwaitingUser) => {
            (t(Portal::StatusWaitingForYou), "pending")
        }
        Status::Pending => (t(Portal::StatusOnHold), "pending"),
        Status::Resolved => (t(Portal::StatusResolvedConfirm), "resolved"),
        Status::Closed => (t(Portal::StatusClosed), "closed"),
        Status::Cancelled => (t(Portal::StatusCancelled), "cancelled"),
    }
}

fn customer_badge(ticket: &Ticket) -> Markup {
    let (label, class) = customer_status(ticket);
    html! { span class={ "badge badge-status-" (class) } { (label) } }
}

/// What happens next, in the requester's words.
fn next_step(ticket: &Ticket) -> &'static str {
    t(match ticket.status {
        Status::New | Status::Assigned => Portal::NextNew,
        Status::InProgress => Portal::NextInProgress,
        Status::Pending if ticket.pending_reason == Some(PendingReason::AwaitingUser) => {
            Portal::NextAwaitingYou
        }
        Status::Pending => Portal::NextOnHold,
        Status::Resolved => Portal::NextResolved,
        Status::Closed => Portal::NextClosed,
        Status::Cancelled => Portal::NextCancelled,
    })
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
                h1 { @if org_view { (t(Portal::ListTitleOrg)) } @else { (t(Portal::ListTitle)) } }
                p class="muted" { (t(Portal::ListIntro)) }
            }
            a class="button button-primary" href="/portal/new" { (t(Portal::GetHelp)) }
        }
        nav class="cluster tabs" aria-label=(t(Portal::WhichTickets)) {
            a class="button button-small button-quiet" href="/portal/tickets" aria-current=[(!org_view && !show_closed).then_some("page")] { (t(Portal::TabOpen)) }
            a class="button button-small button-quiet" href="/portal/tickets?show=all" aria-current=[(!org_view && show_closed).then_some("page")] { (t(Portal::TabAllMine)) }
            @if viewer.actor.super_user && viewer.actor.organization_id.is_some() {
                a class="button button-small button-quiet" href="/portal/tickets?scope=org" aria-current=[(org_view && !show_closed).then_some("page")] { (t(Portal::TabMyOrganisation)) }
            }
        }
        @if page.tickets.is_empty() {
            (empty_state(
                if show_closed { t(Portal::NoTicketsYet) } else { t(Portal::NoOpenTickets) },
                t(Portal::EmptyHint),
                Some(("/portal/new", t(Portal::GetHelp)))))
            @if !show_closed {
                p class="muted small" { a href={ "/portal/tickets?" (scope_param) "show=all" } { (t(Portal::ShowClosedToo)) } }
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
                            time class="small" datetime=(crate::timefmt::iso(ticket.updated_at)) { (tr(Portal::UpdatedAgo, &[&crate::timefmt::ago(now, ticket.updated_at)])) }
                        }
                    }
                }
            }
        }
    };
    let shell = Shell::new(t(Portal::ListTitle), Area::Portal).current("/portal/tickets");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
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
    let merged = merged_notice(state, viewer, &events).await?;
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
                h1 id="confirm-title" { (t(Portal::CreatedTitle)) }
                p { (t(Portal::ReferenceIs)) }
                p class="reference mono" { (number) }
                h2 { (t(Portal::WhatHappensNext)) }
                ol {
                    li { (t(Portal::StepReview)) }
                    li { (t(Portal::StepAgent)) }
                    li { (t(Portal::StepConfirm)) }
                }
            }
        } @else {
            (flash(ok))
        }
        (error_box(error_for("form")))
        (merged)
        div class="live-banner" id="live-banner" role="status" hidden {}
        div class="stack" data-ticket=(ticket.id) data-live="ticket" {
            header class="ticket-header panel" id="ticket-header" {
                p class="eyebrow mono" { (number) " · " (crate::page::kind_label(ticket.kind)) }
                @if just_created { h2 { bdi { (ticket.title) } } } @else { h1 { bdi { (ticket.title) } } }
                div class="cluster" { (customer_badge(&ticket)) span class="muted small" { (tr(Portal::LoggedAt, &[&when(ticket.created_at)])) } }
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
                    h2 class="panel-title" id="confirm-fix" { (t(Portal::IsItFixed)) }
                    div class="cluster align-start" {
                        @if may(Action::Close) {
                            form method="post" action={ (base) "/confirm" } class="inline" {
                                (csrf_field(viewer))
                                button class="button button-primary" type="submit" { (t(Portal::YesFixedClose)) }
                            }
                        }
                        @if may(Action::Reopen) {
                            details class="action" open[error_for("reason").is_some()] {
                                summary class="button button-quiet" { (t(Portal::NotFixed)) }
                                form method="post" action={ (base) "/reopen" } class="form" {
                                    (csrf_field(viewer))
                                    (field("reopen-reason", t(Portal::WhatIsStillWrong), None, error_for("reason"), html! {
                                        textarea id="reopen-reason" name="reason" rows="3" required { (reply_text) }
                                    }))
                                    div class="form-actions" { button class="button" type="submit" { (t(Portal::ReopenTicket)) } }
                                }
                            }
                        }
                    }
                }
            }
            @if ticket.status.is_open() {
                section class="panel" aria-labelledby="reply-title" {
                    h2 class="panel-title" id="reply-title" { (t(Portal::Reply)) }
                    form class="form composer" method="post" action={ (base) "/reply" } enctype="multipart/form-data" {
                        (csrf_field(viewer))
                        (field("body", t(Portal::YourMessage), Some(crate::composer::formatting_hint()), error_for("body"), html! {
                            textarea id="body" name="body" rows="4" required
                                aria-invalid=[error_for("body").map(|_| "true")]
                                // i18n: not text (element ids)
                                aria-describedby=(if error_for("body").is_some() { "body-hint body-error" } else { "body-hint" })
                                { @if error_for("reason").is_none() { (reply_text) } }
                        }))
                        (crate::composer::preview_tabs(viewer, "body"))
                        (crate::composer::file_field("files", t(Portal::AttachFiles), error_for("files")))
                        div class="form-actions" { button class="button button-primary" type="submit" { (t(Portal::SendReply)) } }
                    }
                }
            }
            section aria-labelledby="timeline-title" {
                h2 id="timeline-title" { (t(Portal::History)) }
                (timeline(&entries))
            }
            (other_attachments(&loose))
            @if may(Action::Cancel) && ticket.status.is_active() {
                details class="action" {
                    summary class="button button-quiet button-small" { (t(Portal::NoLongerNeeded)) }
                    form method="post" action={ (base) "/cancel" } class="form" {
                        (csrf_field(viewer))
                        div class="form-actions" { button class="button button-danger" type="submit" { (t(Portal::CancelTicket)) } }
                    }
                }
            }
        }
    };
    let title = format!("{number} {}", ticket.title);
    let shell = Shell::new(&title, Area::Portal).current("/portal/tickets");
    Ok((status, Html(shell.render(Some(viewer), body).into_string())).into_response())
}

/// The notice on a ticket merged into another: a link to the surviving ticket when the viewer
/// may see it, else a sentence naming it without the link.
async fn merged_notice(
    state: &AppState,
    viewer: &Viewer,
    events: &[spoc_app::HistoryEntry],
) -> Result<Markup, UiError> {
    let Some((survivor, survivor_number)) = events.iter().rev().find_map(|e| match &e.data {
        spoc_domain::event::EventData::MergedInto { ticket_id, number } => {
            Some((*ticket_id, number.clone()))
        }
        _ => None,
    }) else {
        return Ok(html! {});
    };
    let visible = match state.app.get_ticket(&viewer.actor, survivor).await {
        Ok(_) => true,
        Err(spoc_app::AppError::NotFound { .. } | spoc_app::AppError::Forbidden(_)) => false,
        Err(e) => return Err(e.into()),
    };
    Ok(html! {
        div class="flash merged-banner" role="note" id="merged-notice" {
            @if visible {
                @let (before, after) = crate::i18n::around(t(Portal::MergedVisible));
                (before)
                a href={ "/portal/tickets/" (survivor) } { (survivor_number) }
                (after)
            } @else {
                @let (before, after) = crate::i18n::around(t(Portal::MergedHidden));
                (before)
                span class="mono" { (survivor_number) }
                (after)
            }
        }
    })
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

/// `POST /portal/tickets/{id}/reply`: a reply, with files.
pub async fn reply(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiUpload(data): UiUpload,
) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    let form = TextForm {
        csrf: data.text("csrf").unwrap_or("").to_owned(),
        body: data.text("body").unwrap_or("").to_owned(),
        reason: String::new(),
    };
    if !viewer.csrf_matches(&form.csrf) {
        return render_ticket(
            &state,
            &viewer,
            id,
            None,
            &form.body,
            Some(("body", t(Msg::FormExpired).to_owned())),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    let body = match Body::parse_as("body", &form.body) {
        Ok(body) => body,
        Err(e) => {
            let message = if form.body.trim().is_empty() {
                t(Portal::WriteMessageFirst).to_owned()
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
    let files = crate::upload::uploads(&data, "files");
    match state
        .app
        .add_comment_with_files(&viewer.actor, id, false, body, files)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/portal/tickets/{id}?ok=replied")).into_response()),
        Err(AppError::Validation(e)) => {
            let field = if e.field == "files" { "files" } else { "body" };
            let message = if field == "files" {
                e.message
            } else {
                sentence(&e.message)
            };
            render_ticket(
                &state,
                &viewer,
                id,
                None,
                &form.body,
                Some((field, message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
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
    match state
        .app
        .perform_action(&viewer.actor, id, None, input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/portal/tickets/{id}?ok={ok}")).into_response()),
        Err(AppError::Transition(_)) => {
            render_ticket(
                state,
                viewer,
                id,
                None,
                "",
                Some(("form", t(Portal::NoLongerPossible).to_owned())),
                StatusCode::CONFLICT,
            )
            .await
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
                Some(("reason", t(Portal::TellWhatIsWrong).to_owned())),
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

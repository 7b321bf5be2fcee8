//! Related tickets on the ticket view: links (relates to, follow-ups) with unlink, linking by
//! number, merging a duplicate into a surviving ticket, the "merged into" banner, and the
//! histories of the tickets merged into this one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, TicketLink, TicketRelation};
use spoc_domain::links::LinkKind;
use spoc_domain::ticket::{Ticket, TicketNumber};
use spoc_domain::TicketId;
use spoc_http::AppState;

use crate::desk::action_forms::TicketForms;
use crate::desk::ticket::{parse_ticket_id, render_ticket};
use crate::forms::UiForm;
use crate::page::{FieldErrors, csrf_field, status_badge, text_input};
use crate::session::{UiError, Viewer, sentence};
use crate::views::{Lookup, attach_mail, timeline, timeline_entries};

/// The links form as submitted: `op` is `link`, `unlink` or `merge`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    pub(crate) csrf: String,
    #[serde(default)]
    pub(crate) op: String,
    /// The other ticket's number (or id) as typed (link).
    pub(crate) link_ticket: Option<String>,
    /// The surviving ticket's number (or id) as typed (merge).
    pub(crate) merge_into: Option<String>,
    /// The linked ticket to unlink (its id).
    pub(crate) other: Option<i64>,
}

fn relation_label(relation: TicketRelation) -> &'static str {
    match relation {
        TicketRelation::Link(LinkKind::RelatesTo) => "Related",
        TicketRelation::Link(LinkKind::FollowUp) => "Continues",
        TicketRelation::Link(LinkKind::FollowedUpBy) => "Continued by",
        TicketRelation::MergedInto => "Merged into",
        TicketRelation::MergedFrom => "Merged from",
    }
}

/// A ticket as typed: `INC-000042`, `42` or `#42`.
fn typed_ticket(value: &str) -> Option<TicketId> {
    let value = value.trim().trim_start_matches('#');
    if let Ok(id) = value.parse::<i64>() {
        return (id > 0).then(|| TicketId::new(id));
    }
    TicketNumber::parse(&value.to_uppercase()).map(|n| n.id())
}

/// The banner of a ticket merged into another.
pub(crate) fn merged_banner(links: &[TicketLink]) -> Markup {
    html! {
        @if let Some(link) = links.iter().find(|l| l.relation == TicketRelation::MergedInto) {
            div class="flash merged-banner" role="note" {
                "This ticket was merged into "
                a href={ "/desk/tickets/" (link.ticket.id) } { (link.ticket.number()) }
                "; its conversation continues there."
            }
        }
    }
}

/// The "Related tickets" panel: the links, unlink buttons, and the link and merge forms.
pub(crate) fn links_panel(
    viewer: &Viewer,
    ticket: &Ticket,
    links: &[TicketLink],
    forms: &TicketForms,
) -> Markup {
    let base = format!("/desk/tickets/{}/links", ticket.id);
    let errors = &forms.link_errors;
    let values = &forms.link_values;
    html! {
        section class="panel" id="ticket-links" aria-labelledby="links-title" {
            h2 class="panel-title" id="links-title" { "Related tickets" }
            @if links.is_empty() {
                p class="muted" { "No linked tickets." }
            } @else {
                ul class="link-list" {
                    @for link in links {
                        li {
                            span class="muted" { (relation_label(link.relation)) } " "
                            a href={ "/desk/tickets/" (link.ticket.id) } { (link.ticket.number()) }
                            " " bdi { (link.ticket.title) } " " (status_badge(link.ticket.status))
                            @if link.relation == TicketRelation::Link(LinkKind::RelatesTo) {
                                form method="post" action=(base) class="inline" {
                                    (csrf_field(viewer))
                                    input type="hidden" name="op" value="unlink";
                                    input type="hidden" name="other" value=(link.ticket.id);
                                    button class="button-link" type="submit" { "Unlink " span class="visually-hidden" { (link.ticket.number()) } }
                                }
                            }
                        }
                    }
                }
            }
            form method="post" action=(base) class="form" {
                (csrf_field(viewer))
                input type="hidden" name="op" value="link";
                (text_input("link_ticket", "link_ticket", "Link a related ticket", "text",
                    values.link_ticket.as_deref().unwrap_or(""), true, Some("Its number, e.g. INC-000042."), errors))
                div class="form-actions" { button class="button" type="submit" { "Link" } }
            }
            @if ticket.status.is_open() {
                details class="action" open[errors.get("merge_into").is_some()] {
                    summary class="button button-quiet" { "Merge into another ticket…" }
                    form method="post" action=(base) class="form" {
                        (csrf_field(viewer))
                        input type="hidden" name="op" value="merge";
                        (text_input("merge_into", "merge_into", "The ticket to keep", "text",
                            values.merge_into.as_deref().unwrap_or(""), true,
                            Some("This ticket closes as a duplicate; its history, files, requester and e-mail replies go with the one you name."), errors))
                        div class="form-actions" { button class="button button-danger" type="submit" { "Merge" } }
                    }
                }
            }
        }
    }
}

/// The histories of the tickets merged into this one, each under its number.
pub(crate) async fn merged_histories(
    state: &AppState,
    viewer: &Viewer,
    links: &[TicketLink],
) -> Result<Markup, UiError> {
    let app = &state.app;
    let mut sections = Vec::new();
    for link in links.iter().filter(|l| l.relation == TicketRelation::MergedFrom) {
        let merged = &link.ticket;
        let events = app.list_events(&viewer.actor, merged.id).await?;
        let lookup = Lookup::load(app, &viewer.actor, &[merged], &events).await?;
        let mut entries = timeline_entries(merged, &events, &lookup);
        let attachments = app.list_attachments(&viewer.actor, merged.id).await?;
        let emails = app.inbound_of_ticket(&viewer.actor, merged.id).await?;
        let loose = attach_mail(
            &mut entries,
            &attachments,
            &emails,
            Some(&format!("/desk/tickets/{}/emails", merged.id)),
        );
        let id = format!("merged-{}", merged.id);
        sections.push(html! {
            section class="merged-history" aria-labelledby=(id) {
                h3 id=(id) { "From " (merged.number()) ", merged into this ticket: " bdi { (merged.title) } }
                (timeline(&entries))
                (crate::views::other_attachments(&loose))
            }
        });
    }
    Ok(html! { @for section in sections { (section) } })
}

/// `POST /desk/tickets/{id}/links`: link, unlink or merge.
pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<LinkForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let id = parse_ticket_id(&id)?;
    let field = if form.op == "merge" { "merge_into" } else { "link_ticket" };
    let typed = if form.op == "merge" { &form.merge_into } else { &form.link_ticket };
    let reshow = |message: String| TicketForms {
        link_errors: FieldErrors::one(field, message),
        link_values: form.clone(),
        ..TicketForms::default()
    };
    let other = match form.op.as_str() {
        "unlink" => form.other.filter(|v| *v > 0).map(TicketId::new),
        _ => typed.as_deref().and_then(typed_ticket),
    };
    let Some(other) = other else {
        let forms = reshow("Give a ticket number, such as INC-000042.".to_owned());
        return render_ticket(&state, &viewer, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let app = &state.app;
    let (result, target, flash) = match form.op.as_str() {
        "merge" => (
            app.merge_tickets(&viewer.actor, id, other).await.map(|_| ()),
            other,
            "merged",
        ),
        "unlink" => (
            app.link_tickets(&viewer.actor, id, other, LinkKind::RelatesTo, false).await,
            id,
            "unlinked",
        ),
        _ => (
            app.link_tickets(&viewer.actor, id, other, LinkKind::RelatesTo, true).await,
            id,
            "linked",
        ),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/desk/tickets/{target}?ok={flash}")).into_response()),
        Err(AppError::Validation(v)) => {
            let forms = reshow(sentence(&v.message));
            render_ticket(&state, &viewer, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::VersionConflict { .. }) => {
            let forms = reshow("The tickets changed meanwhile; try again.".to_owned());
            render_ticket(&state, &viewer, id, forms, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

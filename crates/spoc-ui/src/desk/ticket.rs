//! The ticket view: facts, timeline, SOP checklist, and the forms offered on it.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use serde::Deserialize;
use spoc_app::AppError;
use spoc_domain::TicketId;
use spoc_domain::lifecycle::{Action, allowed_actions};

use crate::desk::action_forms::TicketForms;
use crate::desk::action_forms::action_form;
use crate::desk::editor::EditState;
use crate::desk::editor::edit_form;
use crate::forms::UiForm;
use crate::i18n::desk::Desk;
use crate::i18n::{t, tr, words};
use crate::page::sentence_case;
use crate::page::{
    Area, Shell, error_box, flash, kind_label, pending_label, priority_badge, resolution_label,
    status_badge,
};
use crate::session::{UiError, Viewer};
use crate::timefmt::when;
use crate::views::{Lookup, attach_mail, facts, other_attachments, timeline, timeline_entries};
use spoc_http::AppState;

/// The query of the ticket page.
#[derive(Debug, Default, Deserialize)]
pub struct TicketQuery {
    ok: Option<String>,
    /// An escalation rule of the ticket's SOP whose values fill the escalate form.
    escalate: Option<String>,
}

/// `GET /desk/tickets/{id}`.
pub async fn ticket(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<TicketQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let id = parse_ticket_id(&id)?;
    let viewer = viewer.on_ticket(&state.app, id).await?;
    let mut forms = TicketForms {
        flash: query.ok,
        ..TicketForms::default()
    };
    if let Some(key) = query.escalate.as_deref() {
        let ticket = state.app.get_ticket(&viewer.actor, id).await?;
        if let Some((target, reason)) =
            crate::desk::checklist::escalation_prefill(&state, &viewer, &ticket, key).await?
        {
            forms.open_action = Some(Action::Escalate);
            forms.action_values.escalation = Some(target);
            forms.action_values.reason = Some(reason);
        }
    }
    render_ticket(&state, &viewer, id, forms, StatusCode::OK).await
}

/// `POST /desk/tickets/{id}/sop/step` and `/sop/answer`: a change of the SOP checklist.
pub async fn sop_step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<crate::desk::checklist::StepForm>,
) -> Result<Response, UiError> {
    let id = parse_ticket_id(&id)?;
    let viewer = viewer.on_ticket(&state.app, id).await?;
    match crate::desk::checklist::change_step(&state, &viewer, id, form).await? {
        crate::desk::checklist::StepOutcome::Done(response) => Ok(response),
        crate::desk::checklist::StepOutcome::Refused(step, message) => {
            let forms = TicketForms {
                sop_error: Some((step, message)),
                ..TicketForms::default()
            };
            render_ticket(&state, &viewer, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub(crate) fn parse_ticket_id(value: &str) -> Result<TicketId, UiError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(TicketId::new)
        .ok_or_else(UiError::not_found)
}

/// Options for routing: each group, and each agent of each group.
pub(crate) async fn routing_options(
    state: &AppState,
    viewer: &Viewer,
    min_tier: Option<i64>,
) -> Result<Vec<(String, Vec<(String, String)>)>, AppError> {
    let mut options = Vec::new();
    for group in state.app.list_groups(&viewer.actor).await? {
        if min_tier.is_some_and(|tier| group.tier.number() <= tier) {
            continue;
        }
        let mut entries = vec![(
            format!("g:{}", group.id),
            // Short enough to read in full in the action panel, also on a phone.
            tr(Desk::RouteAnyone, &[&group.name, &group.tier.number()]),
        )];
        for member in state.app.group_members(&viewer.actor, group.id).await? {
            if member.active && member.role.is_staff() {
                entries.push((
                    format!("g:{}:u:{}", group.id, member.id),
                    member.name.clone(),
                ));
            }
        }
        options.push((group.name.clone(), entries));
    }
    Ok(options)
}

pub(crate) async fn render_ticket(
    state: &AppState,
    viewer: &Viewer,
    id: TicketId,
    mut forms: TicketForms,
    status: StatusCode,
) -> Result<Response, UiError> {
    let app = &state.app;
    let ticket = app.get_ticket(&viewer.actor, id).await?;
    // Lane queue: the "customer replied" mark, then opening the ticket marks it read.
    let marks = app.ticket_marks(&viewer.actor, &[&ticket]).await?;
    let customer_replied = marks.get(&ticket.id).is_some_and(|m| m.customer_replied);
    app.mark_ticket_seen(&viewer.actor, &ticket).await?;
    let events = app.list_events(&viewer.actor, id).await?;
    let lookup = Lookup::load(app, &viewer.actor, &[&ticket], &events).await?;
    let mut entries = timeline_entries(&ticket, &events, &lookup);
    let attachments = app.list_attachments(&viewer.actor, id).await?;
    let emails = app.inbound_of_ticket(&viewer.actor, id).await?;
    let loose = attach_mail(
        &mut entries,
        &attachments,
        &emails,
        Some(&format!("/desk/tickets/{}/emails", ticket.id)),
    );
    let categories = app.list_categories(viewer.actor.tenant_id).await?;
    let services = app.list_services(viewer.actor.tenant_id).await?;
    let routing = routing_options(state, viewer, None).await?;
    let escalation_targets = routing_options(state, viewer, Some(ticket.tier.number())).await?;
    let external_supplier = app
        .get_group(&viewer.actor, ticket.group_id)
        .await
        .map(|g| g.external_supplier)
        .unwrap_or(false);
    let actions: Vec<Action> = allowed_actions(ticket.kind, ticket.status)
        .iter()
        .copied()
        .filter(|a| viewer.actor.may_perform(&ticket, *a).is_ok())
        .collect();
    let number = ticket.number().to_string();
    let edit = forms
        .edit
        .take()
        .unwrap_or_else(|| EditState::from_ticket(&ticket));
    let in_group = viewer.actor.group_ids.contains(&ticket.group_id);
    let base = format!("/desk/tickets/{}", ticket.id);
    let checklist =
        crate::desk::checklist::checklist_panel(state, viewer, &ticket, forms.sop_error.as_ref())
            .await?;
    let articles = crate::desk::checklist::articles_panel(state, viewer, &ticket).await?;
    let links = app.ticket_links(&viewer.actor, ticket.id).await?;
    let links_panel = crate::desk::related::links_panel(viewer, &ticket, &links, &forms);
    let merged = crate::desk::related::merged_histories(state, viewer, &links).await?;

    let header = html! {
        header class="ticket-header panel" id="ticket-header" {
            p class="eyebrow mono" { (number) " · " (kind_label(ticket.kind)) }
            h1 { bdi { (ticket.title) } }
            div class="cluster" {
                (status_badge(ticket.status))
                (priority_badge(ticket.priority))
                @if ticket.priority_overridden { span class="badge badge-kind" { (t(Desk::TicketPriorityByHand)) } }
                @if ticket.escalated { span class="badge badge-escalated" { (t(Desk::TicketEscalated)) } }
                @if customer_replied { span class="badge badge-replied" { (t(Desk::TicketCustomerReplied)) } }
                @if let Some(reason) = ticket.pending_reason { span class="muted" { (pending_label(reason)) } }
            }
            @if let Some(clocks) = lookup.sla.get(&ticket.id).filter(|c| !c.is_empty()) {
                @let now = app.now();
                ul class="sla-clocks" aria-label=(t(Desk::TicketServiceLevel)) {
                    @for clock in clocks {
                        @let badge = crate::views::sla_badge(clock, now);
                        li {
                            span class={ "badge badge-sla-" (badge.class) } { (badge.text) } " "
                            strong { (sentence_case(spoc_app::target_label(clock.target))) } ": "
                            span class="muted" { (crate::views::explain_clock(clock)) }
                        }
                    }
                }
            }
            (facts(&[
                (t(Desk::FactRequester), Some(html! { (lookup.person(ticket.requester_id)) })),
                (t(Desk::FieldOrganisation), lookup.organization(ticket.organization_id).map(|o| html! { (o) })),
                (t(Desk::FactGroup), Some(html! { (lookup.group(ticket.group_id)) })),
                (t(Desk::FactTier), Some(html! { (ticket.tier.number()) })),
                (t(Desk::FactAssignee), Some(match ticket.assignee_id {
                    Some(a) => html! { (lookup.person(a)) },
                    None => html! { span class="muted" { (t(Desk::FactUnassigned)) } },
                })),
                (t(Desk::FieldCategory), lookup.category(ticket.subcategory_id.or(ticket.category_id)).map(|c| html! { (c) })),
                (t(Desk::FieldService), lookup.service(ticket.service_id).map(|s| html! { (s) })),
                (t(Desk::FactImpactUrgency), Some(html! { (words::level(ticket.impact.as_str())) " × " (words::level(ticket.urgency.as_str())) })),
                (t(Desk::FactLogged), Some(html! { (when(ticket.created_at)) })),
                (t(Desk::FieldSupplierRef), ticket.supplier_reference.as_ref().map(|r| html! { (r) })),
                (t(Desk::ActResolution), ticket.resolution_code.map(|c| html! { (resolution_label(c)) })),
                (t(Desk::FactReassigned), Some(html! { (crate::timefmt::times(ticket.reassignment_count)) })),
                (t(Desk::FactReopened), Some(html! { (crate::timefmt::times(ticket.reopen_count)) })),
            ]))
        }
    };
    let composer =
        crate::desk::composer::composer_panel(state, viewer, &base, &ticket, &forms).await?;
    let action_panel = html! {
        section class="panel" id="ticket-actions" aria-labelledby="actions-title" {
            h2 class="panel-title" id="actions-title" { (t(Desk::TicketActions)) }
            @if actions.is_empty() {
                p class="muted" { (tr(Desk::TicketNothingMore, &[&crate::page::status_label(ticket.status).to_lowercase()])) }
            } @else {
                div class="actions stack" {
                    @for action in &actions {
                        (action_form(viewer, &base, &ticket, *action, in_group, &routing, &escalation_targets, &forms))
                    }
                }
            }
        }
    };
    let editor = edit_form(
        viewer,
        &base,
        &ticket,
        &edit,
        &categories,
        &services,
        external_supplier,
    );
    let body = html! {
        (flash(forms.flash.as_deref()))
        (error_box(forms.error.as_deref()))
        div class="live-banner" id="live-banner" role="status" hidden {}
        (crate::desk::related::merged_banner(&links))
        div class="ticket-layout" data-ticket=(ticket.id) data-live="ticket" {
            div class="ticket-main stack" {
                (header)
                (checklist)
                (composer)
                section aria-labelledby="timeline-title" {
                    h2 id="timeline-title" { (t(Desk::TicketHistory)) }
                    (timeline(&entries))
                    (merged)
                }
                (other_attachments(&loose))
            }
            aside class="ticket-side stack" aria-label=(t(Desk::TicketSideLabel)) {
                (action_panel)
                (links_panel)
                (articles)
                (editor)
            }
        }
    };
    let title = format!("{number} {}", ticket.title);
    let shell = Shell::new(&title, Area::Desk).current("/desk");
    Ok((status, Html(shell.render(Some(viewer), body).into_string())).into_response())
}

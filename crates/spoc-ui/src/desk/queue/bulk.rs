//! Bulk actions on the tickets selected in the queue: assign, change status through the
//! lifecycle's actions, set the priority, add an internal note, merge into one surviving ticket.
//! Each ticket goes through the same use case as on its own page; a ticket that refuses is
//! reported by number with the reason, the others apply.

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use spoc_app::{ActionInput, AppError, QueueColumn};
use spoc_domain::lifecycle::FieldEdit;
use spoc_domain::priority::Priority;
use spoc_domain::text::{Body, Reason};
use spoc_domain::ticket::{PendingReason, ResolutionCode};
use spoc_domain::{GroupId, TicketId, UserId};

use super::{QueueExtras, query_pairs, render_queue};
use crate::forms::UiForm;
use crate::i18n::queue::Queue as Q;
use crate::i18n::words::column;
use crate::i18n::{t, tr};
use crate::page::{FieldErrors, csrf_field, pending_label, resolution_label, select};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// What a bulk action did.
#[derive(Debug, Default)]
pub(crate) struct BulkReport {
    /// What was done, in words.
    pub what: String,
    /// Tickets changed.
    pub done: Vec<String>,
    /// Tickets that refused, with why.
    pub refused: Vec<(String, String)>,
}

/// The outcome, above the queue.
pub(crate) fn report(report: &BulkReport) -> Markup {
    html! {
        div class={ "flash " (if report.refused.is_empty() { "flash-success" } else { "flash-error" }) }
            role="status" id="bulk-report" {
            p {
                (tr(if report.done.len() == 1 { Q::BulkChangedOne } else { Q::BulkChangedOther },
                    &[&report.what, &report.done.len()]))
            }
            @if !report.refused.is_empty() {
                p { (t(Q::NotChanged)) }
                ul {
                    @for (number, why) in &report.refused {
                        li { strong { (number) } " — " (why) }
                    }
                }
            }
        }
    }
}

/// The bulk form; the rows' checkboxes join it through `form="bulk-form"`.
pub(crate) fn bulk_form(
    viewer: &Viewer,
    here: &str,
    routing: &[(String, Vec<(String, String)>)],
    errors: &FieldErrors,
    sent: &[(String, String)],
    count_text: &str,
) -> Markup {
    let sent_value = |name: &str| field(sent, name).to_owned();
    let actions: Vec<(String, String)> = [
        ("assign", Q::ActionAssign),
        ("start", Q::ActionStart),
        ("pend", Q::ActionPend),
        ("resume", Q::ActionResume),
        ("resolve", Q::ActionResolve),
        ("close", Q::ActionClose),
        ("cancel", Q::ActionCancel),
        ("priority", Q::ActionPriority),
        ("note", Q::ActionNote),
        ("merge", Q::ActionMerge),
    ]
    .iter()
    .map(|(v, l)| ((*v).to_owned(), t(*l).to_owned()))
    .collect();
    let choose = || (String::new(), t(Q::Choose).to_owned());
    let priorities: Vec<(String, String)> = std::iter::once(choose())
        .chain(Priority::ALL.iter().map(|p| {
            (
                p.as_str().to_owned(),
                crate::i18n::words::priority_with_code(*p),
            )
        }))
        .collect();
    let codes: Vec<(String, String)> = std::iter::once(choose())
        .chain(
            ResolutionCode::ALL
                .iter()
                .map(|c| (c.as_str().to_owned(), resolution_label(*c).to_owned())),
        )
        .collect();
    let reasons: Vec<(String, String)> = std::iter::once(choose())
        .chain(
            PendingReason::ALL
                .iter()
                .map(|r| (r.as_str().to_owned(), pending_label(*r).to_owned())),
        )
        .collect();
    let open = !errors.is_empty();
    html! {
        form class="bulk-bar" id="bulk-form" method="post" action="/desk/bulk" {
            (csrf_field(viewer))
            input type="hidden" name="query" value=(here);
            p class="result-count" { strong { (count_text) } }
            p class="bulk-count muted" id="bulk-count" aria-live="polite" { (t(Q::SelectToAct)) }
            details class="bulk-details" open[open] {
                summary class="button button-quiet button-small" { (t(Q::ActOnSelected)) }
                div class="bulk-fields" {
                    @if let Some(error) = errors.get("ticket") { p class="field-error" id="bulk-ticket-error" { (error) } }
                    (select("bulk-action", "action", t(Q::Action), &actions, &sent_value("action"), errors))
                    (crate::page::field("bulk-target", t(Q::AssignTo), None, errors.get("target"), html! {
                        select id="bulk-target" name="target" aria-invalid=[errors.get("target").map(|_| "true")] {
                            option value="" { (t(Q::Choose)) }
                            @for (group, entries) in routing {
                                optgroup label=(group) {
                                    @for (value, text) in entries { option value=(value) selected[*value == sent_value("target")] { (text) } }
                                }
                            }
                        }
                    }))
                    (crate::page::text_input("bulk-merge-into", "merge_into", t(Q::MergeInto), "text",
                        &sent_value("merge_into"), false, Some(t(Q::MergeIntoHint)), errors))
                    (select("bulk-priority", "priority", column(QueueColumn::Priority), &priorities, &sent_value("priority"), errors))
                    (select("bulk-code", "code", t(Q::Resolution), &codes, &sent_value("code"), errors))
                    (select("bulk-pending", "pending_reason", t(Q::WaitingFor), &reasons, &sent_value("pending_reason"), errors))
                    (crate::page::field("bulk-text", t(Q::NoteOrReason), None, errors.get("text"), html! {
                        textarea id="bulk-text" name="text" rows="2" aria-invalid=[errors.get("text").map(|_| "true")] { (sent_value("text")) }
                    }))
                    div class="form-actions" { button class="button button-primary button-small" type="submit" id="bulk-apply" { (t(Q::ApplyToSelected)) } }
                }
            }
        }
    }
}

/// Where the selected tickets can be assigned: each group, and each active agent of it.
pub(crate) async fn routing_options(
    state: &AppState,
    viewer: &Viewer,
) -> Result<Vec<(String, Vec<(String, String)>)>, AppError> {
    let mut options = Vec::new();
    for group in state.app.list_groups(&viewer.actor).await? {
        let mut entries = vec![(format!("g:{}", group.id), tr(Q::WholeGroup, &[&group.name]))];
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

/// The tickets selected in a bulk form as sent.
pub(crate) fn selected(sent: &[(String, String)]) -> Vec<i64> {
    sent.iter()
        .filter(|(k, _)| k == "ticket")
        .filter_map(|(_, v)| v.parse().ok())
        .collect()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

/// Parses `g:{group}` or `g:{group}:u:{user}`.
fn parse_target(value: &str) -> Option<(GroupId, Option<UserId>)> {
    let parts: Vec<&str> = value.split(':').collect();
    match parts.as_slice() {
        ["g", g] => Some((GroupId::new(g.parse().ok()?), None)),
        ["g", g, "u", u] => Some((
            GroupId::new(g.parse().ok()?),
            Some(UserId::new(u.parse().ok()?)),
        )),
        _ => None,
    }
}

/// One change, as it applies to every selected ticket.
enum Change {
    Act(ActionInput),
    Priority(Priority, Reason),
    Note(Body),
    /// Merge each selected ticket into this one (the survivor itself is left alone).
    Merge(TicketId),
}

fn change(pairs: &[(String, String)]) -> Result<(String, Change), FieldErrors> {
    let text = field(pairs, "text");
    let reason = |required: bool| -> Result<Option<Reason>, FieldErrors> {
        if text.is_empty() {
            return if required {
                Err(FieldErrors::one("text", t(Q::SayWhy)))
            } else {
                Ok(None)
            };
        }
        Reason::parse_as("text", text)
            .map(Some)
            .map_err(|e| FieldErrors::one("text", sentence(&e.message)))
    };
    Ok(match field(pairs, "action") {
        "assign" => {
            let (group, user) = parse_target(field(pairs, "target"))
                .ok_or_else(|| FieldErrors::one("target", t(Q::ChooseGroupOrAgent)))?;
            (
                t(Q::DoneAssigned).to_owned(),
                Change::Act(ActionInput::Assign {
                    group_id: Some(group),
                    assignee_id: user,
                }),
            )
        }
        "start" => (
            t(Q::DoneStarted).to_owned(),
            Change::Act(ActionInput::Start),
        ),
        "resume" => (
            t(Q::DoneResumed).to_owned(),
            Change::Act(ActionInput::Resume),
        ),
        "close" => (t(Q::DoneClosed).to_owned(), Change::Act(ActionInput::Close)),
        "pend" => {
            let reason = PendingReason::parse(field(pairs, "pending_reason"))
                .map_err(|_| FieldErrors::one("pending_reason", t(Q::ChooseWaitFor)))?;
            (
                t(Q::DonePended).to_owned(),
                Change::Act(ActionInput::Pend { reason }),
            )
        }
        "resolve" => {
            let code = ResolutionCode::parse(field(pairs, "code"))
                .map_err(|_| FieldErrors::one("code", t(Q::ChooseResolution)))?;
            let notes = Body::parse_as("text", text)
                .map_err(|_| FieldErrors::one("text", t(Q::SayWhatWasDone)))?;
            (
                t(Q::DoneResolved).to_owned(),
                Change::Act(ActionInput::Resolve { code, notes }),
            )
        }
        "cancel" => (
            t(Q::DoneCancelled).to_owned(),
            Change::Act(ActionInput::Cancel {
                reason: reason(false)?,
            }),
        ),
        "priority" => {
            let priority = Priority::parse(field(pairs, "priority"))
                .map_err(|_| FieldErrors::one("priority", t(Q::ChoosePriority)))?;
            let why = reason(false)?.map_or_else(
                // i18n: not text (the rationale stored in the ticket's history)
                || Reason::parse("Priority set for several tickets at once from the queue."),
                Ok,
            );
            let why = why.map_err(|e| FieldErrors::one("text", sentence(&e.message)))?;
            (
                tr(Q::DonePriority, &[&priority.as_str()]),
                Change::Priority(priority, why),
            )
        }
        "merge" => {
            let survivor = crate::desk::links::typed_ticket(field(pairs, "merge_into"))
                .ok_or_else(|| FieldErrors::one("merge_into", t(Q::GiveSurvivor)))?;
            (t(Q::DoneMerged).to_owned(), Change::Merge(survivor))
        }
        "note" => {
            let body = Body::parse_as("text", text)
                .map_err(|_| FieldErrors::one("text", t(Q::WriteNote)))?;
            (t(Q::DoneNote).to_owned(), Change::Note(body))
        }
        _ => {
            return Err(FieldErrors::one("action", t(Q::ChooseAction)));
        }
    })
}

async fn apply(
    state: &AppState,
    viewer: &Viewer,
    id: TicketId,
    change: &Change,
) -> Result<(), AppError> {
    let app = &state.app;
    match change {
        Change::Act(input) => app
            .perform_action(&viewer.actor, id, None, input.clone())
            .await
            .map(|_| ()),
        Change::Priority(priority, reason) => {
            let ticket = app.get_ticket(&viewer.actor, id).await?;
            let edit = FieldEdit {
                priority_override: Some(Some((*priority, reason.clone()))),
                ..FieldEdit::default()
            };
            app.edit_ticket(&viewer.actor, id, Some(ticket.version), edit)
                .await
                .map(|_| ())
        }
        Change::Note(body) => app
            .add_comment(&viewer.actor, id, true, body.clone())
            .await
            .map(|_| ()),
        Change::Merge(survivor) => app
            .merge_tickets(&viewer.actor, id, *survivor)
            .await
            .map(|_| ()),
    }
}

/// `POST /desk/bulk`.
pub(crate) async fn bulk(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    viewer.check_csrf(field(&pairs, "csrf"))?;
    let page = super::QueueState::from_pairs(&query_pairs(field(&pairs, "query")));
    let mut ids = Vec::new();
    for (_, value) in pairs.iter().filter(|(k, _)| k == "ticket") {
        match value.parse::<i64>().ok().filter(|id| *id > 0) {
            Some(id) if !ids.contains(&TicketId::new(id)) => ids.push(TicketId::new(id)),
            Some(_) => {}
            None => return Err(UiError::not_found()),
        }
    }
    let refuse = |errors: FieldErrors| QueueExtras {
        errors,
        bulk_sent: pairs.clone(),
        ..QueueExtras::default()
    };
    if ids.is_empty() {
        let extras = refuse(FieldErrors::one("ticket", t(Q::SelectOne)));
        return render_queue(&state, &viewer, page, extras).await;
    }
    let (mut what, change) = match change(&pairs) {
        Ok(change) => change,
        Err(errors) => return render_queue(&state, &viewer, page, refuse(errors)).await,
    };
    if let Change::Merge(survivor) = change {
        // The survivor must be a ticket the agent sees; it is not merged into itself.
        match state.app.get_ticket(&viewer.actor, survivor).await {
            Ok(kept) => what = tr(Q::DoneMergedInto, &[&kept.number()]),
            Err(AppError::NotFound { .. }) => {
                let errors = FieldErrors::one("merge_into", tr(Q::NoTicketYouCanSee, &[&survivor]));
                return render_queue(&state, &viewer, page, refuse(errors)).await;
            }
            Err(e) => return Err(e.into()),
        }
        ids.retain(|id| *id != survivor);
        if ids.is_empty() {
            let errors = FieldErrors::one("ticket", t(Q::SelectOthers));
            return render_queue(&state, &viewer, page, refuse(errors)).await;
        }
    }
    let mut report = BulkReport {
        what,
        ..BulkReport::default()
    };
    for id in ids {
        let number = match state.app.get_ticket(&viewer.actor, id).await {
            Ok(ticket) => ticket.number().to_string(),
            Err(AppError::NotFound { .. }) => {
                report
                    .refused
                    .push((format!("#{id}"), t(Q::NotFound).to_owned()));
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        match apply(&state, &viewer, id, &change).await {
            Ok(()) => report.done.push(number),
            Err(e @ (AppError::Unavailable(_) | AppError::Internal(_))) => return Err(e.into()),
            // The rule's own sentence, without the field's name.
            Err(AppError::Validation(v)) => report.refused.push((number, sentence(&v.message))),
            Err(e) => report.refused.push((number, sentence(&e.to_string()))),
        }
    }
    let extras = QueueExtras {
        bulk: Some(report),
        ..QueueExtras::default()
    };
    render_queue(&state, &viewer, page, extras).await
}

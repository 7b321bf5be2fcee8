//! What agents post on a ticket: lifecycle actions, comments and field edits.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use spoc_app::{ActionInput, AppError, EscalationInput};
use spoc_domain::lifecycle::{Action, FieldEdit};
use spoc_domain::text::{Body, Reason};
use spoc_domain::ticket::{PendingReason, ResolutionCode};
use spoc_domain::{GroupId, UserId};

use crate::desk::action_forms::TicketForms;
use crate::desk::ticket::parse_ticket_id;
use crate::desk::ticket::render_ticket;
use crate::forms::FieldMap;
use crate::forms::{UiForm, non_empty};
use crate::i18n::desk::Desk;
use crate::i18n::{t, tr, words};
use crate::page::FieldErrors;
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

use crate::desk::action_forms::ActionForm;
use crate::desk::editor::EditState;

/// Parses `g:{group}` or `g:{group}:u:{user}`.
fn parse_target(value: &str) -> Option<(GroupId, Option<UserId>)> {
    let mut parts = value.split(':');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("g"), Some(g), None, None, None) => Some((GroupId::new(g.parse().ok()?), None)),
        (Some("g"), Some(g), Some("u"), Some(u), None) => Some((
            GroupId::new(g.parse().ok()?),
            Some(UserId::new(u.parse().ok()?)),
        )),
        _ => None,
    }
}

fn flash_key(action: Action) -> &'static str {
    match action {
        Action::Assign => "assigned",
        Action::Start => "started",
        Action::Pend => "pended",
        Action::Resume => "resumed",
        Action::Escalate => "escalated",
        Action::Resolve => "resolved",
        Action::Close => "closed",
        Action::Reopen => "reopened",
        Action::Cancel => "cancelled",
    }
}

/// Builds the app's action input from the form; field errors for values that do not parse.
fn action_input(
    viewer: &Viewer,
    action: Action,
    form: &ActionForm,
) -> Result<ActionInput, FieldErrors> {
    let reason = |required: bool| -> Result<Option<Reason>, FieldErrors> {
        match non_empty(form.reason.as_deref()) {
            Some(text) => Reason::parse_as("reason", text)
                .map(Some)
                .map_err(|e| FieldErrors::one("reason", sentence(&e.message))),
            None if required => Err(FieldErrors::one("reason", t(Desk::ActSayWhy))),
            None => Ok(None),
        }
    };
    Ok(match action {
        Action::Assign => match form.target.as_deref().unwrap_or("") {
            "me" => ActionInput::Assign {
                group_id: None,
                assignee_id: Some(viewer.user_id),
            },
            target => {
                let (group, user) = parse_target(target)
                    .ok_or_else(|| FieldErrors::one("target", t(Desk::ActChooseTarget)))?;
                ActionInput::Assign {
                    group_id: Some(group),
                    assignee_id: user,
                }
            }
        },
        Action::Start => ActionInput::Start,
        Action::Pend => ActionInput::Pend {
            reason: PendingReason::parse(form.pending_reason.as_deref().unwrap_or(""))
                .map_err(|_| FieldErrors::one("pending_reason", t(Desk::ActChoosePending)))?,
        },
        Action::Resume => ActionInput::Resume,
        Action::Escalate => {
            let reason =
                reason(true)?.ok_or_else(|| FieldErrors::one("reason", t(Desk::ActSayWhy)))?;
            match form.escalation.as_deref().unwrap_or("") {
                "hierarchical" => ActionInput::Escalate(EscalationInput::Hierarchical { reason }),
                target => {
                    let (group_id, assignee_id) = parse_target(target).ok_or_else(|| {
                        FieldErrors::one("escalation", t(Desk::ActChooseEscalation))
                    })?;
                    ActionInput::Escalate(EscalationInput::Functional {
                        group_id,
                        assignee_id,
                        reason,
                    })
                }
            }
        }
        Action::Resolve => {
            let code = ResolutionCode::parse(form.code.as_deref().unwrap_or(""))
                .map_err(|_| FieldErrors::one("code", t(Desk::ActChooseResolution)))?;
            let notes = Body::parse_as("notes", form.notes.as_deref().unwrap_or(""))
                .map_err(|e| FieldErrors::one("notes", sentence(&e.message)))?;
            ActionInput::Resolve { code, notes }
        }
        Action::Close => ActionInput::Close,
        Action::Reopen => ActionInput::Reopen {
            reason: reason(false)?,
        },
        Action::Cancel => ActionInput::Cancel {
            reason: reason(false)?,
        },
    })
}

/// `POST /desk/tickets/{id}/act/{action}`.
pub async fn act(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, action)): Path<(String, String)>,
    UiForm(form): UiForm<ActionForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let id = parse_ticket_id(&id)?;
    let viewer = viewer.on_ticket(&state.app, id).await?;
    let action = Action::parse(&action).ok_or_else(UiError::not_found)?;
    let reshow = |errors: FieldErrors, error: Option<String>| TicketForms {
        error,
        open_action: Some(action),
        action_errors: errors,
        action_values: form.clone(),
        ..TicketForms::default()
    };
    let input = match action_input(&viewer, action, &form) {
        Ok(input) => input,
        Err(errors) => {
            return render_ticket(
                &state,
                &viewer,
                id,
                reshow(errors, None),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state
        .app
        .perform_action(&viewer.actor, id, None, input)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/desk/tickets/{id}?ok={}", flash_key(action))).into_response(),
        ),
        Err(e @ AppError::Validation(_)) => {
            let fields = if action == Action::Escalate {
                &ESCALATION_FIELDS
            } else {
                &ROUTING_FIELDS
            };
            let errors = FieldErrors::from_app_error(e, fields)?;
            render_ticket(
                &state,
                &viewer,
                id,
                reshow(errors, None),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::QualityChecks { missing, .. }) => {
            let names: Vec<&str> = missing.iter().map(|m| m.text.as_str()).collect();
            let message = tr(
                if action == Action::Close {
                    Desk::ActChecksClose
                } else {
                    Desk::ActChecksResolve
                },
                &[&names.join("; ")],
            );
            let (errors, error) = if action == Action::Resolve {
                (FieldErrors::one("checks", message), None)
            } else {
                (FieldErrors::none(), Some(message))
            };
            render_ticket(
                &state,
                &viewer,
                id,
                reshow(errors, error),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e @ (AppError::Transition(_) | AppError::Forbidden(_))) => {
            let message = match &e {
                AppError::Transition(t) => tr(Desk::ActNotPossible, &[t]),
                other => sentence(&other.to_string()),
            };
            render_ticket(
                &state,
                &viewer,
                id,
                reshow(FieldErrors::none(), Some(message)),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// How the action forms name the fields of the app's errors (the routing target)…
const ROUTING_FIELDS: FieldMap =
    FieldMap::new(&[("group_id", "target"), ("assignee_id", "target")]);

/// …and the escalation form (its target).
const ESCALATION_FIELDS: FieldMap =
    FieldMap::new(&[("group_id", "escalation"), ("assignee_id", "escalation")]);

/// How the field editor names the fields of the app's errors.
const EDIT_FIELDS: FieldMap = FieldMap::new(&[
    ("category_id", "category"),
    ("subcategory_id", "category"),
    ("service_id", "service"),
    ("priority", "priority_override"),
]);

/// `POST /desk/tickets/{id}/edit`.
pub async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<EditState>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let id = parse_ticket_id(&id)?;
    let viewer = viewer.on_ticket(&state.app, id).await?;
    let change = match form.to_edit() {
        Ok(change) => change,
        Err(errors) => {
            let mut state_again = form.clone();
            state_again.errors = errors;
            let forms = TicketForms {
                edit: Some(state_again),
                ..TicketForms::default()
            };
            return render_ticket(&state, &viewer, id, forms, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    if change == FieldEdit::default() {
        return Ok(Redirect::to(&format!("/desk/tickets/{id}")).into_response());
    }
    match state
        .app
        .edit_ticket(&viewer.actor, id, Some(form.version), change)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/desk/tickets/{id}?ok=saved")).into_response()),
        Err(AppError::VersionConflict { .. }) => {
            let current = state.app.get_ticket(&viewer.actor, id).await?;
            let categories = state.app.list_categories(viewer.actor.tenant_id).await?;
            let services = state.app.list_services(viewer.actor.tenant_id).await?;
            let describe = |i: usize, value: &str| -> String {
                if value.is_empty() {
                    return t(Desk::EditOverrideNone).to_owned();
                }
                let id: i64 = value.parse().unwrap_or(0);
                match i {
                    1 | 2 => Some(words::level(value).to_owned()),
                    3 => categories
                        .iter()
                        .find(|c| c.id.get() == id)
                        .map(|c| c.name.clone()),
                    4 => services
                        .iter()
                        .find(|s| s.id.get() == id)
                        .map(|s| s.name.clone()),
                    _ => None,
                }
                .unwrap_or_else(|| format!("“{value}”"))
            };
            let rebased = form.clone().rebase(&current, describe);
            let forms = TicketForms {
                edit: Some(rebased),
                ..TicketForms::default()
            };
            render_ticket(&state, &viewer, id, forms, StatusCode::CONFLICT).await
        }
        Err(e @ AppError::Validation(_)) => {
            let mut again = form.clone();
            again.errors = FieldErrors::from_app_error(e, &EDIT_FIELDS)?;
            let forms = TicketForms {
                edit: Some(again),
                ..TicketForms::default()
            };
            render_ticket(&state, &viewer, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

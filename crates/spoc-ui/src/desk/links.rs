//! `POST /desk/tickets/{id}/links`: link a related ticket, remove a link, or merge the ticket
//! into another (the forms are drawn by `desk::related`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use spoc_app::AppError;
use spoc_domain::TicketId;
use spoc_domain::links::LinkKind;
use spoc_domain::ticket::TicketNumber;
use spoc_http::AppState;

use crate::desk::action_forms::{LinkForm, TicketForms};
use crate::desk::ticket::{parse_ticket_id, render_ticket};
use crate::forms::UiForm;
use crate::i18n::desk::Desk;
use crate::i18n::t;
use crate::page::FieldErrors;
use crate::session::{UiError, Viewer, sentence};

/// A ticket as typed: `INC-000042`, `42` or `#42`.
pub(crate) fn typed_ticket(value: &str) -> Option<TicketId> {
    let value = value.trim().trim_start_matches('#');
    if let Ok(id) = value.parse::<i64>() {
        return (id > 0).then(|| TicketId::new(id));
    }
    TicketNumber::parse(&value.to_uppercase()).map(|n| n.id())
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
    let viewer = viewer.on_ticket(&state.app, id).await?;
    let field = if form.op == "merge" {
        "merge_into"
    } else {
        "link_ticket"
    };
    let typed = if form.op == "merge" {
        &form.merge_into
    } else {
        &form.link_ticket
    };
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
        let forms = reshow(t(Desk::LinkGiveNumber).to_owned());
        return render_ticket(&state, &viewer, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let app = &state.app;
    let (result, target, flash) = match form.op.as_str() {
        "merge" => (
            app.merge_tickets(&viewer.actor, id, other)
                .await
                .map(|_| ()),
            other,
            "merged",
        ),
        "unlink" => (
            app.link_tickets(&viewer.actor, id, other, LinkKind::RelatesTo, false)
                .await,
            id,
            "unlinked",
        ),
        _ => (
            app.link_tickets(&viewer.actor, id, other, LinkKind::RelatesTo, true)
                .await,
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
            let forms = reshow(t(Desk::LinkChanged).to_owned());
            render_ticket(&state, &viewer, id, forms, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

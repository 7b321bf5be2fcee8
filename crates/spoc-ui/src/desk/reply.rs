//! What the agent's composer sends (`POST /desk/tickets/{id}/comment`): a reply, a note, or a
//! reply that resolves the ticket, with files.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use spoc_app::{ActionInput, AppError};
use spoc_domain::text::Body;
use spoc_domain::ticket::ResolutionCode;

use crate::desk::action_forms::TicketForms;
use crate::desk::ticket::{parse_ticket_id, render_ticket};
use crate::i18n::desk::Desk;
use crate::i18n::{t, tr};
use crate::session::{UiError, Viewer, sentence, stale_form};
use crate::upload::{UiUpload, uploads};
use spoc_http::AppState;

/// What the composer sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Intent {
    Reply,
    Note,
    ReplyAndResolve,
}

impl Intent {
    fn parse(value: &str) -> Option<Self> {
        match value {
            "reply" => Some(Self::Reply),
            "note" => Some(Self::Note),
            "reply_resolve" => Some(Self::ReplyAndResolve),
            _ => None,
        }
    }
}

/// `POST /desk/tickets/{id}/comment`: a reply, a note, or a reply that resolves, with files.
pub async fn comment(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiUpload(data): UiUpload,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let id = parse_ticket_id(&id)?;
    let viewer = viewer.on_ticket(&state.app, id).await?;
    let text = data.text("body").unwrap_or("").to_owned();
    // The button pressed; without one (Ctrl+Enter, an older page) the composer's mode, or the
    // visibility an older form sent.
    let intent = data
        .text("intent")
        .and_then(Intent::parse)
        .or_else(|| data.text("mode").and_then(Intent::parse))
        .unwrap_or(if data.text("visibility") == Some("internal") {
            Intent::Note
        } else {
            Intent::Reply
        });
    let internal = intent == Intent::Note;
    let reshow = |body_error: Option<String>, files_error: Option<String>| TicketForms {
        composer_body: text.clone(),
        composer_internal: internal,
        composer_error: body_error,
        composer_files_error: files_error,
        ..TicketForms::default()
    };
    if !viewer.csrf_matches(data.text("csrf").unwrap_or("")) {
        let forms = reshow(Some(stale_form().to_owned()), None);
        return render_ticket(&state, &viewer, id, forms, StatusCode::FORBIDDEN).await;
    }
    let body = match Body::parse_as("body", &text) {
        Ok(body) => body,
        Err(e) => {
            let message = if text.trim().is_empty() {
                t(Desk::ReplyWriteFirst).to_owned()
            } else {
                sentence(&e.message)
            };
            let forms = reshow(Some(message), None);
            return render_ticket(&state, &viewer, id, forms, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    let files = uploads(&data, "files");
    match state
        .app
        .add_comment_with_files(&viewer.actor, id, internal, body.clone(), files)
        .await
    {
        Ok(_) => {}
        Err(AppError::Validation(e)) => {
            let forms = if e.field == "files" {
                reshow(None, Some(e.message))
            } else {
                reshow(Some(sentence(&e.message)), None)
            };
            return render_ticket(&state, &viewer, id, forms, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
        Err(AppError::RateLimited { message, .. }) => {
            let forms = reshow(Some(sentence(&message)), None);
            return render_ticket(&state, &viewer, id, forms, StatusCode::TOO_MANY_REQUESTS).await;
        }
        Err(e) => return Err(e.into()),
    }
    let flash = match intent {
        Intent::Note => "noted",
        Intent::Reply => "replied",
        Intent::ReplyAndResolve => {
            let resolve = ActionInput::Resolve {
                code: ResolutionCode::Solved,
                notes: body,
            };
            match state
                .app
                .perform_action(&viewer.actor, id, None, resolve)
                .await
            {
                Ok(_) => "replied_resolved",
                Err(
                    e @ (AppError::Transition(_)
                    | AppError::Forbidden(_)
                    | AppError::Validation(_)
                    | AppError::VersionConflict { .. }),
                ) => {
                    // The reply is posted; say why the ticket is still open.
                    let forms = TicketForms {
                        flash: Some("replied".to_owned()),
                        error: Some(tr(Desk::ReplyNotResolved, &[&sentence(&e.to_string())])),
                        ..TicketForms::default()
                    };
                    return render_ticket(&state, &viewer, id, forms, StatusCode::OK).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    Ok(Redirect::to(&format!("/desk/tickets/{id}?ok={flash}")).into_response())
}

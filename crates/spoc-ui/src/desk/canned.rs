//! Canned responses (`/desk/canned`): an agent keeps their own reply texts here; leads and
//! admins also keep the desk's shared ones. The composer on each ticket inserts them with the
//! placeholders filled.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, CannedResponse};
use spoc_domain::CannedResponseId;
use spoc_domain::canned::PLACEHOLDERS;

use crate::forms::{FieldMap, UiForm};
use crate::i18n::desk::Desk;
use crate::i18n::t;
use crate::page::{Area, FieldErrors, Shell, csrf_field, empty_state, error_box, field, flash};
use crate::session::{UiError, Viewer, stale_form};
use spoc_http::AppState;

const FIELDS: FieldMap = FieldMap::new(&[]);

/// The page's query.
#[derive(Debug, Default, Deserialize)]
pub struct CannedQuery {
    ok: Option<String>,
}

/// A canned response as submitted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct CannedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    /// `on`: shared by the desk.
    #[serde(default)]
    shared: Option<String>,
}

/// A form shown again: which one (`None`: the new one), what was typed and why it was refused.
struct Reshown {
    editing: Option<CannedResponseId>,
    form: CannedForm,
    errors: FieldErrors,
}

fn placeholder_table() -> Markup {
    html! {
        table class="placeholders" {
            caption { (t(Desk::CannedPlaceholders)) }
            thead { tr { th scope="col" { (t(Desk::CannedWrite)) } th scope="col" { (t(Desk::CannedBecomes)) } } }
            tbody {
                @for (name, meaning) in PLACEHOLDERS {
                    tr { td { code { "{{" (name) "}}" } } td { (crate::i18n::words::placeholder(name, meaning)) } }
                }
            }
        }
    }
}

/// The title and text fields of one form, with ids made unique by `prefix`.
fn fields(prefix: &str, form: &CannedForm, errors: &FieldErrors) -> Markup {
    let title_id = format!("{prefix}-title");
    let body_id = format!("{prefix}-body");
    let title_error = errors.get("title");
    let body_error = errors.get("body");
    html! {
        (field(&title_id, t(Desk::FieldTitle), None, title_error, html! {
            input id=(title_id) name="title" type="text" value=(form.title) required maxlength="120"
                aria-invalid=[title_error.map(|_| "true")]
                aria-describedby=[title_error.map(|_| format!("{title_id}-error"))];
        }))
        (field(&body_id, t(Desk::CannedText), Some(t(Desk::CannedTextHint)), body_error, html! {
            textarea id=(body_id) name="body" rows="5" required
                aria-invalid=[body_error.map(|_| "true")]
                // i18n: not text (ids)
                aria-describedby=(if body_error.is_some() { format!("{body_id}-hint {body_id}-error") } else { format!("{body_id}-hint") })
                { (form.body) }
        }))
    }
}

fn item(viewer: &Viewer, response: &CannedResponse, reshown: Option<&Reshown>) -> Markup {
    let may_edit = !response.shared() || viewer.actor.is_lead();
    let prefix = format!("c{}", response.id);
    let (form, errors) = match reshown.filter(|r| r.editing == Some(response.id)) {
        Some(r) => (r.form.clone(), r.errors.clone()),
        None => (
            CannedForm {
                title: response.title.clone(),
                body: response.body.clone(),
                ..CannedForm::default()
            },
            FieldErrors::none(),
        ),
    };
    html! {
        li class="panel canned-item" id=(prefix) {
            h3 {
                (response.title) " "
                @if response.shared() { span class="badge badge-kind" { (t(Desk::CannedShared)) } } @else { span class="badge" { (t(Desk::CannedYours)) } }
            }
            div class="entry-body" { (response.body) }
            @if may_edit {
                details class="action" open[!errors.is_empty()] {
                    summary class="button button-quiet button-small" { (t(Desk::CannedEdit)) span class="visually-hidden" { " " (response.title) } }
                    form class="form" method="post" action={ "/desk/canned/" (response.id) } {
                        (csrf_field(viewer))
                        (fields(&prefix, &form, &errors))
                        div class="form-actions" { button class="button button-primary" type="submit" { (t(Desk::CannedSave)) } }
                    }
                }
                form class="inline" method="post" action={ "/desk/canned/" (response.id) "/delete" } {
                    (csrf_field(viewer))
                    button class="button button-quiet button-small" type="submit" { (t(Desk::CannedDelete)) span class="visually-hidden" { " " (response.title) } }
                }
            }
        }
    }
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    ok: Option<&str>,
    reshown: Option<Reshown>,
    status: StatusCode,
) -> Result<Response, UiError> {
    let responses = state.app.list_canned(&viewer.actor).await?;
    let new_form = reshown
        .as_ref()
        .filter(|r| r.editing.is_none())
        .map(|r| (r.form.clone(), r.errors.clone()))
        .unwrap_or_default();
    let stale = reshown.as_ref().and_then(|r| r.errors.get("form"));
    let body = html! {
        (flash(ok))
        (error_box(stale))
        div class="page-head" {
            div {
                h1 { (t(Desk::CannedTitle)) }
                p class="muted" { (t(Desk::CannedIntro)) }
            }
        }
        (placeholder_table())
        @if responses.is_empty() {
            (empty_state(t(Desk::CannedNoneYet), t(Desk::CannedAddFirst), None))
        } @else {
            ul class="canned-list stack" {
                @for response in &responses { (item(viewer, response, reshown.as_ref())) }
            }
        }
        section class="panel" aria-labelledby="new-canned-title" {
            h2 class="panel-title" id="new-canned-title" { (t(Desk::CannedAddTitle)) }
            form class="form" method="post" action="/desk/canned" {
                (csrf_field(viewer))
                (fields("new", &new_form.0, &new_form.1))
                @if viewer.actor.is_lead() {
                    (crate::page::checkbox("new-shared", "shared", t(Desk::CannedShare),
                        new_form.0.shared.is_some(), Some(t(Desk::CannedShareHint))))
                }
                div class="form-actions" { button class="button button-primary" type="submit" { (t(Desk::CannedAdd)) } }
            }
        }
    };
    let shell = Shell::new(t(Desk::CannedTitle), Area::Desk).current("/desk");
    Ok((status, Html(shell.render(Some(viewer), body).into_string())).into_response())
}

/// `GET /desk/canned`.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<CannedQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    page(&state, &viewer, query.ok.as_deref(), None, StatusCode::OK).await
}

async fn refused(
    state: &AppState,
    viewer: &Viewer,
    editing: Option<CannedResponseId>,
    form: CannedForm,
    error: AppError,
) -> Result<Response, UiError> {
    let errors = FieldErrors::from_app_error(error, &FIELDS)?;
    let reshown = Reshown {
        editing,
        form,
        errors,
    };
    page(
        state,
        viewer,
        None,
        Some(reshown),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

async fn stale(
    state: &AppState,
    viewer: &Viewer,
    editing: Option<CannedResponseId>,
    form: CannedForm,
) -> Result<Response, UiError> {
    let reshown = Reshown {
        editing,
        form,
        errors: FieldErrors::one("form", stale_form()),
    };
    page(state, viewer, None, Some(reshown), StatusCode::FORBIDDEN).await
}

/// `POST /desk/canned`: adds one.
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<CannedForm>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    if !viewer.csrf_matches(&form.csrf) {
        return stale(&state, &viewer, None, form).await;
    }
    match state
        .app
        .create_canned(
            &viewer.actor,
            form.shared.is_some(),
            &form.title,
            &form.body,
        )
        .await
    {
        Ok(_) => Ok(Redirect::to("/desk/canned?ok=saved").into_response()),
        Err(e) => refused(&state, &viewer, None, form, e).await,
    }
}

fn parse_id(value: &str) -> Result<CannedResponseId, UiError> {
    crate::desk::email::positive_id(value).map(CannedResponseId::new)
}

/// `POST /desk/canned/{id}`: changes one.
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<CannedForm>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let id = parse_id(&id)?;
    if !viewer.csrf_matches(&form.csrf) {
        return stale(&state, &viewer, Some(id), form).await;
    }
    match state
        .app
        .update_canned(&viewer.actor, id, &form.title, &form.body)
        .await
    {
        Ok(_) => Ok(Redirect::to("/desk/canned?ok=saved").into_response()),
        Err(e) => refused(&state, &viewer, Some(id), form, e).await,
    }
}

/// `POST /desk/canned/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<CannedForm>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    viewer.check_csrf(&form.csrf)?;
    let id = parse_id(&id)?;
    state.app.delete_canned(&viewer.actor, id).await?;
    Ok(Redirect::to("/desk/canned?ok=deleted").into_response())
}

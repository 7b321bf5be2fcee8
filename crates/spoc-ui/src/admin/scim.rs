//! Provisioning (`/admin/scim`): the SCIM address an identity provider is given, the desk's
//! SCIM tokens (created with their secret shown once, revoked), and what provisioning does.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing;
use maud::html;
use serde::Deserialize;
use spoc_app::AppError;

use crate::admin::frame::{OkQuery, admin_post, page, parse_path_id, require_admin};
use crate::forms::UiForm;
use crate::i18n::scim::Scim;
use crate::i18n::{t, tr};
use crate::page::{FieldErrors, csrf_field, empty_state, text_input};
use crate::session::{UiError, Viewer, sentence};
use crate::timefmt::when;
use spoc_http::AppState;

const PATH: &str = "/admin/scim";

/// The provisioning page, under `/admin`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/scim", routing::get(scim).post(create_token))
        .route("/scim/{id}/revoke", routing::post(revoke_token))
}

/// The form creating a token, as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    label: String,
}

/// What the page shows beside the list.
struct Shown<'a> {
    revoked: bool,
    secret: Option<&'a str>,
    label: &'a str,
    errors: FieldErrors,
    status: StatusCode,
}

async fn scim_page(
    state: &AppState,
    viewer: &Viewer,
    shown: Shown<'_>,
) -> Result<Response, UiError> {
    let tokens = state.app.list_scim_tokens(&viewer.actor).await?;
    let content = html! {
        div class="page-head" { div { h1 { (t(Scim::Title)) } p class="muted" { (t(Scim::Intro)) } } }
        @if shown.revoked {
            div class="flash" role="status" { (t(Scim::RevokedFlash)) }
        }
        @if let Some(secret) = shown.secret {
            section class="panel" aria-labelledby="scim-secret" role="status" {
                h2 class="panel-title" id="scim-secret" { (t(Scim::NewSecret)) }
                p { (t(Scim::NewSecretText)) }
                p { code class="secret" { (secret) } }
            }
        }
        section class="panel" aria-labelledby="scim-address" {
            h2 class="panel-title" id="scim-address" { (t(Scim::BaseUrl)) }
            p { code { (state.app.scim_base_url()) } }
            p class="muted small" { (t(Scim::Roles)) }
        }
        h2 { (t(Scim::Tokens)) }
        @if tokens.is_empty() {
            (empty_state(t(Scim::NoTokens), t(Scim::NoTokensText), None))
        } @else {
            div class="table-wrap" { table class="data scim-tokens cards-on-phone" {
                caption class="visually-hidden" { (t(Scim::TokensCaption)) }
                thead { tr {
                    th scope="col" { (t(Scim::Label)) }
                    th scope="col" { (t(Scim::Created)) }
                    th scope="col" { (t(Scim::LastUsed)) }
                    th scope="col" { (t(Scim::State)) }
                    th scope="col" { span class="visually-hidden" { (t(Scim::Actions)) } }
                } }
                tbody {
                    @for token in &tokens {
                        tr {
                            td data-label=(t(Scim::Label)) { bdi { (token.label) } }
                            td data-label=(t(Scim::Created)) { (when(token.created_at)) }
                            td data-label=(t(Scim::LastUsed)) {
                                @match token.last_used_at { Some(at) => (when(at)), None => span class="muted" { (t(Scim::Never)) } }
                            }
                            td data-label=(t(Scim::State)) {
                                @if token.revoked_at.is_some() { span class="badge" { (t(Scim::Revoked)) } } @else { (t(Scim::Live)) }
                            }
                            td {
                                @if token.revoked_at.is_none() {
                                    form method="post" action={ (PATH) "/" (token.id) "/revoke" } class="inline" {
                                        (csrf_field(viewer))
                                        button class="button button-small" type="submit" aria-label=(tr(Scim::RevokeLabel, &[&token.label])) { (t(Scim::Revoke)) }
                                    }
                                }
                            }
                        }
                    }
                }
            } }
        }
        section class="panel" aria-labelledby="scim-create" {
            h2 class="panel-title" id="scim-create" { (t(Scim::Create)) }
            form class="form form-inline" method="post" action=(PATH) {
                (csrf_field(viewer))
                (text_input("scim-label", "label", t(Scim::Label), "text", shown.label, true, Some(t(Scim::LabelHint)), &shown.errors))
                div class="form-actions" { button class="button button-primary" type="submit" { (t(Scim::CreateButton)) } }
            }
        }
    };
    Ok(page(viewer, PATH, t(Scim::Title), shown.status, content))
}

async fn scim(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let shown = Shown {
        revoked: query.ok.as_deref() == Some("revoked"),
        secret: None,
        label: "",
        errors: FieldErrors::none(),
        status: StatusCode::OK,
    };
    scim_page(&state, &viewer, shown).await
}

/// `POST /admin/scim`: creates a token and shows its secret, this once.
async fn create_token(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<TokenForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    match state
        .app
        .create_scim_token(&viewer.actor, &form.label)
        .await
    {
        Ok(issued) => {
            let shown = Shown {
                revoked: false,
                secret: Some(&issued.secret),
                label: "",
                errors: FieldErrors::none(),
                status: StatusCode::CREATED,
            };
            scim_page(&state, &viewer, shown).await
        }
        Err(AppError::Validation(e)) => {
            let mut errors = FieldErrors::none();
            errors.add("label", sentence(&e.message));
            let shown = Shown {
                revoked: false,
                secret: None,
                label: &form.label,
                errors,
                status: StatusCode::UNPROCESSABLE_ENTITY,
            };
            scim_page(&state, &viewer, shown).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The form revoking a token: only its CSRF token.
#[derive(Debug, Default, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /admin/scim/{id}/revoke`.
async fn revoke_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<RevokeForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let id = parse_path_id(&id)?;
    state.app.revoke_scim_token(&viewer.actor, id).await?;
    Ok(Redirect::to(&format!("{PATH}?ok=revoked")).into_response())
}

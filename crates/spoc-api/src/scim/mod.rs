//! SCIM 2.0 at `/scim/v2` (RFC 7643/7644, `docs/scim.md`) for identity providers, and the
//! admins' `/api/v1/scim-tokens`. The SCIM service is outside `/api/v1` and outside the OpenAPI
//! document: it answers `application/scim+json`, its errors in SCIM's error schema (with
//! `scimType`), and only to a SCIM token (`Authorization: Bearer scim_…`) — never to an API token
//! or a browser session.

mod discovery;
mod resources;
pub mod tokens;
mod wire;

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing;
use serde_json::{Value, json};
use spoc_app::{ScimClient, ScimError, ScimPaging};
use spoc_http::AppState;

/// SCIM's media type.
pub const SCIM_JSON: &str = "application/scim+json";

/// The routes of `/api/v1/scim-tokens` (mounted under `/api/v1` with the other features).
pub fn token_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/scim-tokens",
            routing::get(tokens::list_scim_tokens).post(tokens::create_scim_token),
        )
        .route(
            "/scim-tokens/{id}",
            routing::delete(tokens::revoke_scim_token),
        )
}

/// The operations of `/api/v1/scim-tokens` in the OpenAPI document (the SCIM service itself is
/// not in it).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    tokens::list_scim_tokens,
    tokens::create_scim_token,
    tokens::revoke_scim_token
))]
pub struct Operations;

/// The SCIM service, mounted at `/scim/v2`.
pub fn router() -> Router<AppState> {
    let scim = Router::new()
        .route(
            "/ServiceProviderConfig",
            routing::get(discovery::service_provider_config),
        )
        .route("/ResourceTypes", routing::get(discovery::resource_types))
        .route(
            "/ResourceTypes/{name}",
            routing::get(discovery::resource_type),
        )
        .route("/Schemas", routing::get(discovery::schemas))
        .route("/Schemas/{id}", routing::get(discovery::schema))
        .route(
            "/Users",
            routing::get(resources::list_users).post(resources::create_user),
        )
        .route(
            "/Users/{id}",
            routing::get(resources::get_user)
                .put(resources::replace_user)
                .patch(resources::patch_user)
                .delete(resources::delete_user),
        )
        .route(
            "/Groups",
            routing::get(resources::list_groups).post(resources::create_group),
        )
        .route(
            "/Groups/{id}",
            routing::get(resources::get_group)
                .put(resources::replace_group)
                .patch(resources::patch_group)
                .delete(resources::delete_group),
        )
        .fallback(no_such_endpoint)
        .method_not_allowed_fallback(method_not_allowed);
    Router::new().nest("/scim/v2", scim)
}

/// A SCIM answer: `status` with `body` as `application/scim+json`.
pub(crate) fn scim_json(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
    response
}

/// A SCIM error as an answer (RFC 7644, section 3.12).
pub(crate) struct ScimFailure(pub ScimError);

impl From<ScimError> for ScimFailure {
    fn from(error: ScimError) -> Self {
        Self(error)
    }
}

impl IntoResponse for ScimFailure {
    fn into_response(self) -> Response {
        let error = self.0;
        let status =
            StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut body = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": error.status.to_string(),
            "detail": error.detail,
        });
        if let Some(scim_type) = error.scim_type {
            body["scimType"] = json!(scim_type);
        }
        let mut response = scim_json(status, &body);
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"scim\""),
            );
        }
        response
    }
}

/// What a SCIM handler answers.
pub(crate) type ScimResult = Result<Response, ScimFailure>;

fn status_error(status: u16, detail: &str) -> ScimFailure {
    ScimFailure(ScimError {
        status,
        scim_type: None,
        detail: detail.to_owned(),
    })
}

async fn no_such_endpoint() -> ScimFailure {
    status_error(404, "there is no SCIM endpoint at this address")
}

async fn method_not_allowed() -> ScimFailure {
    status_error(405, "this SCIM endpoint does not accept that method")
}

/// The identity provider: authenticated by its SCIM token, else a SCIM 401.
pub(crate) struct Scim(pub ScimClient);

impl FromRequestParts<AppState> for Scim {
    type Rejection = ScimFailure;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .ok_or_else(|| ScimFailure(ScimError::unauthenticated()))?;
        let client = state
            .app
            .authenticate_scim_token(secret)
            .await
            .map_err(|e| ScimFailure(e.into()))?;
        Ok(Self(client))
    }
}

/// The query parameters of a SCIM listing or read.
pub(crate) struct ScimQuery {
    pub filter: Option<String>,
    pub paging: ScimPaging,
    /// Whether `excludedAttributes` names `members`.
    pub without_members: bool,
}

fn number(params: &HashMap<String, String>, name: &str) -> Result<Option<i64>, ScimFailure> {
    match params.get(name) {
        None => Ok(None),
        Some(v) => v.trim().parse::<i64>().map(Some).map_err(|_| {
            ScimFailure(ScimError::bad(
                "invalidValue",
                format!("{name} must be an integer"),
            ))
        }),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ScimQuery {
    type Rejection = ScimFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(params) = Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|e: QueryRejection| {
                ScimFailure(ScimError::bad("invalidValue", e.body_text()))
            })?;
        let without_members = params.get("excludedAttributes").is_some_and(|list| {
            list.split(',')
                .any(|a| a.trim().eq_ignore_ascii_case("members"))
        });
        Ok(Self {
            filter: params.get("filter").cloned(),
            paging: ScimPaging::new(number(&params, "startIndex")?, number(&params, "count")?),
            without_members,
        })
    }
}

/// A request body read as a SCIM document: `application/scim+json` or `application/json`.
pub(crate) struct ScimBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for ScimBody {
    type Rejection = ScimFailure;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !spoc_http::extract::is_json(request.headers()) {
            return Err(status_error(
                415,
                "send the body as SCIM JSON with `Content-Type: application/scim+json`",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e| status_error(e.status().as_u16(), &e.body_text()))?;
        serde_json::from_slice(&bytes).map(Self).map_err(|e| {
            ScimFailure(ScimError::bad(
                "invalidSyntax",
                format!("the body is not valid JSON: {e}"),
            ))
        })
    }
}

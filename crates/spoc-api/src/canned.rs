//! Canned responses over the API: an agent's own and the desk's shared reply texts, with the
//! placeholders listed in `spoc_domain::canned::PLACEHOLDERS`.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing;
use serde::{Deserialize, Serialize};
use spoc_app::CannedResponse;
use spoc_domain::CannedResponseId;
use utoipa::ToSchema;

use crate::wire::{created, listed};
use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{ApiJson, ApiPath, Authenticated};
use spoc_http::params::time;

/// The routes of this feature under `/api/v1`: canned responses.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/canned-responses",
            routing::get(list_canned).post(create_canned),
        )
        .route(
            "/canned-responses/{id}",
            routing::get(get_canned)
                .put(update_canned)
                .delete(delete_canned),
        )
}

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(paths(list_canned, get_canned, create_canned, update_canned, delete_canned))]
pub struct Operations;

/// A canned response.
#[derive(Debug, Serialize, ToSchema)]
pub struct CannedDto {
    /// Id.
    pub id: i64,
    /// Shared by the desk (kept by leads and admins), or the caller's own.
    pub shared: bool,
    /// The owner of a personal one.
    pub owner_id: Option<i64>,
    /// Its title.
    pub title: String,
    /// Its text (Markdown) with placeholders such as `{{requester.name}}`.
    pub body: String,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<CannedResponse> for CannedDto {
    fn from(c: CannedResponse) -> Self {
        Self {
            id: c.id.get(),
            shared: c.shared(),
            owner_id: c.owner_id.map(|o| o.get()),
            title: c.title,
            body: c.body,
            created_at: time(c.created_at),
            updated_at: time(c.updated_at),
        }
    }
}

/// A canned response to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCannedDto {
    /// Its title (at most 120 characters).
    #[schema(min_length = 1, max_length = 120)]
    pub title: String,
    /// Its text; placeholders: `{{requester.name}}`, `{{requester.first_name}}`,
    /// `{{ticket.number}}`, `{{ticket.subject}}`, `{{agent.name}}` — any other is refused.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    /// Shared by the desk (leads and admins only); otherwise the caller's own.
    #[serde(default)]
    pub shared: bool,
}

/// A canned response's new title and text.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CannedUpdateDto {
    /// Its title (at most 120 characters).
    #[schema(min_length = 1, max_length = 120)]
    pub title: String,
    /// Its text, with placeholders.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
}

/// The desk's shared canned responses, then the caller's own (staff).
#[utoipa::path(get, path = "/api/v1/canned-responses", tag = "tickets",
    responses((status = 200, body = [CannedDto]), (status = 403, body = Problem)))]
pub async fn list_canned(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<Vec<CannedDto>>> {
    Ok(listed(state.app.list_canned(&actor).await?))
}

/// One canned response: shared, or the caller's own (someone else's is not found).
#[utoipa::path(get, path = "/api/v1/canned-responses/{id}", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 200, body = CannedDto), (status = 404, body = Problem)))]
pub async fn get_canned(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<CannedResponseId>,
) -> ApiResult<Json<CannedDto>> {
    Ok(Json(state.app.get_canned(&actor, id).await?.into()))
}

/// Adds a canned response: the caller's own, or a shared one (leads and admins).
#[utoipa::path(post, path = "/api/v1/canned-responses", tag = "tickets", request_body = NewCannedDto,
    responses((status = 201, body = CannedDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_canned(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(dto): ApiJson<NewCannedDto>,
) -> ApiResult<(StatusCode, Json<CannedDto>)> {
    Ok(created(
        state
            .app
            .create_canned(&actor, dto.shared, &dto.title, &dto.body)
            .await?,
    ))
}

/// Changes a canned response the caller keeps (shared ones: leads and admins).
#[utoipa::path(put, path = "/api/v1/canned-responses/{id}", tag = "tickets", params(("id" = i64, Path)),
    request_body = CannedUpdateDto,
    responses((status = 200, body = CannedDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn update_canned(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<CannedResponseId>,
    ApiJson(dto): ApiJson<CannedUpdateDto>,
) -> ApiResult<Json<CannedDto>> {
    Ok(Json(
        state
            .app
            .update_canned(&actor, id, &dto.title, &dto.body)
            .await?
            .into(),
    ))
}

/// Removes a canned response the caller keeps.
#[utoipa::path(delete, path = "/api/v1/canned-responses/{id}", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_canned(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<CannedResponseId>,
) -> ApiResult<StatusCode> {
    state.app.delete_canned(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

//! `/api/v1/views`: saved queue views, personal (only their owner sees and changes them) or
//! shared (every agent sees them; leads and admins make and change them).

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Json, Router, routing};
use serde::{Deserialize, Serialize};
use spoc_app::{SavedView, SavedViewChange};
use utoipa::ToSchema;

use crate::wire::{created, listed};
use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{ApiJson, ApiPath, Authenticated};
use spoc_http::params::time;

/// The routes of this feature under `/api/v1`: saved queue views.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/views", routing::get(list_views).post(create_view))
        .route(
            "/views/{id}",
            routing::get(get_view)
                .patch(update_view)
                .delete(delete_view),
        )
}

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(paths(list_views, create_view, get_view, update_view, delete_view))]
pub struct Operations;

/// A saved queue view.
#[derive(Debug, Serialize, ToSchema)]
pub struct ViewDto {
    /// Its id.
    pub id: i64,
    /// Who made it.
    pub owner_id: i64,
    /// Shown to every agent, or only to its owner.
    pub shared: bool,
    /// Its name.
    pub name: String,
    /// The desk queue's query string it reproduces (filters, order, columns), as in
    /// `/desk?{query}`; its filters are those of `GET /api/v1/tickets`.
    pub query: String,
    /// When last changed.
    pub updated_at: String,
}

impl From<SavedView> for ViewDto {
    fn from(v: SavedView) -> Self {
        Self {
            id: v.id,
            owner_id: v.owner_id.get(),
            shared: v.shared,
            name: v.name,
            query: v.query,
            updated_at: time(v.updated_at),
        }
    }
}

/// A new view.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewViewDto {
    /// Its name (1–80 characters).
    #[schema(min_length = 1, max_length = 80)]
    pub name: String,
    /// The query string it reproduces (at most 2,000 characters).
    #[schema(max_length = 2000)]
    pub query: String,
    /// Share it with every agent (leads and admins only). Default: personal.
    #[serde(default)]
    pub shared: bool,
}

/// A change of a view: a new name, a new query, or both.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ViewPatchDto {
    /// A new name (1–80 characters).
    #[schema(min_length = 1, max_length = 80)]
    pub name: Option<String>,
    /// A new query string (at most 2,000 characters).
    #[schema(max_length = 2000)]
    pub query: Option<String>,
}

/// The views the caller sees: every shared one and their own personal ones (staff).
#[utoipa::path(get, path = "/api/v1/views", tag = "tickets",
    responses((status = 200, body = [ViewDto]), (status = 403, body = Problem)))]
pub async fn list_views(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<Vec<ViewDto>>> {
    Ok(listed(state.app.list_saved_views(&actor).await?))
}

/// Save a view (staff; a shared one only by a lead or admin).
#[utoipa::path(post, path = "/api/v1/views", tag = "tickets", request_body = NewViewDto,
    responses((status = 201, body = ViewDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_view(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(dto): ApiJson<NewViewDto>,
) -> ApiResult<(StatusCode, Json<ViewDto>)> {
    Ok(created(
        state
            .app
            .create_saved_view(&actor, &dto.name, &dto.query, dto.shared)
            .await?,
    ))
}

/// One view; another person's personal view is not found.
#[utoipa::path(get, path = "/api/v1/views/{id}", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 200, body = ViewDto), (status = 404, body = Problem)))]
pub async fn get_view(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ViewDto>> {
    Ok(Json(state.app.get_saved_view(&actor, id).await?.into()))
}

/// Rename a view or change what it shows (its owner; a shared one, a lead or admin).
#[utoipa::path(patch, path = "/api/v1/views/{id}", tag = "tickets", params(("id" = i64, Path)),
    request_body = ViewPatchDto,
    responses((status = 200, body = ViewDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_view(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<ViewPatchDto>,
) -> ApiResult<Json<ViewDto>> {
    let change = SavedViewChange {
        name: dto.name,
        query: dto.query,
    };
    Ok(Json(
        state
            .app
            .update_saved_view(&actor, id, change)
            .await?
            .into(),
    ))
}

/// Delete a view (its owner; a shared one, a lead or admin).
#[utoipa::path(delete, path = "/api/v1/views/{id}", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_view(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.delete_saved_view(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

//! `/api/v1/settings/auto-close`: after how many days resolved tickets close by themselves.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{Administrator, ApiJson, Authenticated};
use utoipa::ToSchema;

/// The auto-close setting.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AutoCloseDto {
    /// Days after resolution (0–365; 0 = never). The requester is told one day before.
    #[schema(minimum = 0, maximum = 365)]
    pub days: i64,
}

/// After how many days resolved tickets close by themselves (staff).
#[utoipa::path(get, path = "/api/v1/settings/auto-close", tag = "tickets",
    responses((status = 200, body = AutoCloseDto), (status = 403, body = Problem)))]
pub async fn get_auto_close(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<AutoCloseDto>> {
    let days = state.app.auto_close_days(&actor).await?;
    Ok(Json(AutoCloseDto {
        days: i64::from(days),
    }))
}

/// Set after how many days resolved tickets close by themselves (admins; 0 = never).
#[utoipa::path(put, path = "/api/v1/settings/auto-close", tag = "tickets", request_body = AutoCloseDto,
    responses((status = 200, body = AutoCloseDto), (status = 422, body = Problem)))]
pub async fn put_auto_close(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<AutoCloseDto>,
) -> ApiResult<Json<AutoCloseDto>> {
    let days = state.app.set_auto_close_days(&actor, dto.days).await?;
    Ok(Json(AutoCloseDto {
        days: i64::from(days),
    }))
}

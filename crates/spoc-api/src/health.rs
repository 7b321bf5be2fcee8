//! Liveness and readiness, outside `/api/v1`.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use spoc_http::AppState;
use spoc_http::error::{self, ApiError};

/// `/healthz` and `/readyz`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(paths(healthz, readyz))]
pub struct Operations;

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "`{\"status\":\"ok\"}`")))]
pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// The database answers a read and takes a write, within [`READY_BOUND`].
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses((status = 200, description = "ready"),
        (status = 503, description = "the database is unavailable or its storage is full", body = error::Problem, content_type = "application/problem+json")))]
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.app.check_ready(READY_BOUND).await {
        Ok(()) => Json(serde_json::json!({ "status": "ok" })).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            ApiError::from(e).into_response()
        }
    }
}

/// How long the readiness check may take before the desk counts as not ready.
const READY_BOUND: std::time::Duration = std::time::Duration::from_secs(3);

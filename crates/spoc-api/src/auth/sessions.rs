//! `/api/v1/me/sessions`: the caller's open browser sessions, and ending one of them.

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use spoc_app::{OpenSession, ThisSession};
use utoipa::{IntoParams, ToSchema};

use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{ApiPath, Authenticated, session_cookie};
use spoc_http::params::time;

/// One of the caller's open browser sessions.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDto {
    /// How it is named to end it (16 hex digits; never the session's secret).
    pub id: String,
    /// When the person signed in.
    pub created_at: String,
    /// When it ends by itself.
    pub expires_at: String,
    /// The browser it was started from (its User-Agent, shortened), if it said.
    pub device: Option<String>,
    /// Whether it is the session this request came with.
    pub current: bool,
}

impl From<OpenSession> for SessionDto {
    fn from(s: OpenSession) -> Self {
        Self {
            id: s.id,
            created_at: time(s.created_at),
            expires_at: time(s.expires_at),
            device: s.device,
            current: s.current,
        }
    }
}

/// A session's name in a path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SessionPath {
    /// The session, as listed (16 lowercase hex digits).
    #[param(pattern = "^[0-9a-f]{16}$", min_length = 16, max_length = 16)]
    pub id: String,
}

/// The caller's open browser sessions, newest first; the one this request came with is marked
/// `current`.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "auth",
    responses((status = 200, body = [SessionDto]), (status = 401, body = Problem)))]
pub async fn list_sessions(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> ApiResult<Json<Vec<SessionDto>>> {
    let (mut parts, _) = request.into_parts();
    let Authenticated(actor) = Authenticated::from_request_parts(&mut parts, &state).await?;
    let cookie = session_cookie(&parts, &state);
    let this = cookie
        .as_deref()
        .map_or(ThisSession::None, ThisSession::Cookie);
    let sessions = state.app.own_sessions(&actor, this).await?;
    Ok(Json(sessions.into_iter().map(SessionDto::from).collect()))
}

/// End one of the caller's sessions (e.g. one left open on a shared computer); ending the
/// current one signs this browser out.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "auth", params(SessionPath),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn end_session(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(path): ApiPath<SessionPath>,
) -> ApiResult<StatusCode> {
    state.app.end_own_session(&actor, &path.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

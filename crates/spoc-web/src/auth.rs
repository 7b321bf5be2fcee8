//! Signing in and out, the caller's own account and API tokens.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use spoc_app::SESSION_LIFETIME_MICROS;

use crate::AppState;
use crate::dto::{
    LoginDto, NewTokenDto, NotificationDto, NotificationQuery, SessionDto, TokenDto, UserDto, time,
};
use crate::error::{ApiResult, Problem};
use crate::extract::{
    ApiJson, ApiPath, ApiQuery, Authenticated, SESSION_COOKIE, client_ip, session_cookie,
};

pub(crate) fn session_cookie_header(value: &str, max_age_secs: i64) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age={max_age_secs}"
    ))
    .ok()
}

/// Sign in with e-mail and password: sets the session cookie and returns the CSRF token.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginDto,
    responses((status = 200, body = SessionDto), (status = 401, body = Problem),
        (status = 429, description = "too many failed attempts; see `Retry-After`", body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> ApiResult<Response> {
    let (parts, body) = request.into_parts();
    let client = client_ip(&parts);
    let request = axum::extract::Request::from_parts(parts, body);
    let ApiJson(dto) =
        <ApiJson<LoginDto> as axum::extract::FromRequest<AppState>>::from_request(request, &state)
            .await?;
    let session = state.app.login(&dto.email, &dto.password, client).await?;
    let body = SessionDto {
        user: session.user.into(),
        csrf_token: session.csrf_token,
        expires_at: time(session.expires_at),
    };
    let mut response = Json(body).into_response();
    if let Some(cookie) =
        session_cookie_header(&session.secret, SESSION_LIFETIME_MICROS / 1_000_000)
    {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// Sign out: ends the session and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> ApiResult<Response> {
    let (parts, _) = request.into_parts();
    if let Some(secret) = session_cookie(&parts) {
        state.app.logout(&secret).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(cookie) = session_cookie_header("", 0) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// The caller's own account.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, body = UserDto), (status = 401, body = Problem)))]
pub async fn me(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<UserDto>> {
    Ok(Json(
        state.app.get_user(&actor, actor.user_id).await?.into(),
    ))
}

/// The caller's API tokens (without secrets).
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "auth", responses((status = 200, body = [TokenDto])))]
pub async fn list_tokens(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<Vec<TokenDto>>> {
    Ok(Json(
        state
            .app
            .list_own_tokens(&actor)
            .await?
            .into_iter()
            .map(|t| TokenDto::new(t, None))
            .collect(),
    ))
}

/// Create an API token; its secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "auth", request_body = NewTokenDto,
    responses((status = 201, body = TokenDto), (status = 422, body = Problem)))]
pub async fn create_token(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(dto): ApiJson<NewTokenDto>,
) -> ApiResult<(StatusCode, Json<TokenDto>)> {
    let issued = state.app.create_own_token(&actor, &dto.label).await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenDto::new(issued.record, Some(issued.secret))),
    ))
}

/// Revoke one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "auth", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.revoke_own_token(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "auth", params(NotificationQuery),
    responses((status = 200, body = [NotificationDto]), (status = 401, body = Problem)))]
pub async fn list_notifications(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(query): ApiQuery<NotificationQuery>,
) -> ApiResult<Json<Vec<NotificationDto>>> {
    let list = state
        .app
        .notifications(
            &actor,
            query.unread,
            crate::extract::in_range("limit", query.limit, 1, 200)?.unwrap_or(50),
        )
        .await?;
    Ok(Json(list.into_iter().map(NotificationDto::from).collect()))
}

/// Mark one of the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/me/notifications/{id}/read", tag = "auth", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn read_notification(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.mark_notification_read(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

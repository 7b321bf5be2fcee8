//! Signing in and out, the caller's own account and API tokens.

pub mod dto;
pub mod sessions;
pub mod two_factor;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing;
use spoc_app::TokenRequest;
use spoc_domain::credential::{Resource, TokenScope};
use spoc_domain::{NotificationId, TokenId};

use self::dto::*;
use crate::admin::dto::UserDto;
use spoc_http::AppState;
use spoc_http::cookie::session_cookie_header;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{ApiJson, ApiPath, ApiQuery, Authenticated, client_ip, session_cookie};

/// The routes of this feature under `/api/v1`: signing in and out, the caller's own account, tokens, password and notifications.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/login", routing::post(login))
        .route("/auth/logout", routing::post(logout))
        .route("/auth/logout-everywhere", routing::post(logout_everywhere))
        .route("/me", routing::get(me))
        .route("/me/tokens", routing::get(list_tokens).post(create_token))
        .route("/me/tokens/{id}", routing::delete(revoke_token))
        .route("/me/sessions", routing::get(sessions::list_sessions))
        .route("/me/sessions/{id}", routing::delete(sessions::end_session))
        .route("/me/password", routing::post(change_password))
        .route("/me/notifications", routing::get(list_notifications))
        .route(
            "/me/notifications/{id}/read",
            routing::post(read_notification),
        )
        .route(
            "/auth/login/second-factor",
            routing::post(two_factor::login_second_factor),
        )
        .route(
            "/me/totp",
            routing::get(two_factor::status)
                .post(two_factor::start)
                .put(two_factor::confirm)
                .delete(two_factor::disable),
        )
        .route(
            "/me/totp/recovery-codes",
            routing::post(two_factor::regenerate),
        )
        .route(
            "/settings/two-factor",
            routing::get(two_factor::get_policy).put(two_factor::put_policy),
        )
}

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    login,
    logout,
    me,
    list_tokens,
    create_token,
    revoke_token,
    sessions::list_sessions,
    sessions::end_session,
    change_password,
    logout_everywhere,
    list_notifications,
    read_notification,
    two_factor::login_second_factor,
    two_factor::status,
    two_factor::start,
    two_factor::confirm,
    two_factor::disable,
    two_factor::regenerate,
    two_factor::get_policy,
    two_factor::put_policy
))]
pub struct Operations;

/// Sign in with e-mail and password: sets the session cookie and returns the CSRF token. For a
/// person with two-factor sign-in the answer is `202` with a `challenge` instead: send it with
/// a code to `POST /api/v1/auth/login/second-factor`. A person whose role requires two-factor
/// sign-in but who has no authenticator app yet gets `403`: they set one up in the browser.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginDto,
    responses((status = 200, body = SessionDto), (status = 202, body = two_factor::SecondFactorNeededDto),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 429, description = "too many failed attempts; see `Retry-After`", body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> ApiResult<Response> {
    let (parts, body) = request.into_parts();
    let client = client_ip(&parts);
    let browser = parts
        .headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let request = axum::extract::Request::from_parts(parts, body);
    let ApiJson(dto) =
        <ApiJson<LoginDto> as axum::extract::FromRequest<AppState>>::from_request(request, &state)
            .await?;
    let tenant = state
        .app
        .visited_tenant(dto.tenant.as_deref(), host.as_deref())
        .await?;
    if dto.tenant.is_some() && tenant.is_none() {
        // A tenant that does not exist (or is deactivated) has nobody to sign in.
        return Err(spoc_app::AppError::Unauthenticated.into());
    }
    let signed_in = state
        .app
        .login_to(
            tenant.map(|t| t.tenant_id),
            &dto.email,
            &dto.password,
            client,
            browser.as_deref(),
        )
        .await?;
    two_factor::sign_in_response(&state, signed_in)
}

/// Sign out: ends the session and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> ApiResult<Response> {
    let (parts, _) = request.into_parts();
    if let Some(secret) = session_cookie(&parts, &state) {
        state.app.logout(&secret).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(cookie) = session_cookie_header(&state, "", 0) {
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
        state
            .app
            .get_user(&actor, actor.person().map_err(spoc_app::AppError::from)?)
            .await?
            .into(),
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

/// Create an API token; its secret is in this answer only. Needs a browser session that signed
/// in within the last 10 minutes, or `current_password`; a request made with an API token is
/// refused.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "auth", request_body = NewTokenDto,
    responses((status = 201, body = TokenDto),
        (status = 403, description = "`reauthentication_required`: send `current_password`; `forbidden`: API tokens cannot create tokens", body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_token(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(dto): ApiJson<NewTokenDto>,
) -> ApiResult<(StatusCode, Json<TokenDto>)> {
    let request = token_request(&dto)?;
    let issued = state
        .app
        .create_own_token(&actor, &request, dto.current_password.as_deref())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenDto::new(issued.token, Some(issued.secret))),
    ))
}

/// The use case's token request from the wire form.
fn token_request(dto: &NewTokenDto) -> ApiResult<TokenRequest> {
    let resources = match &dto.resources {
        None => None,
        Some(names) => {
            let mut list = Vec::new();
            for name in names {
                let resource = Resource::parse(name)?;
                if !list.contains(&resource) {
                    list.push(resource);
                }
            }
            Some(list)
        }
    };
    Ok(TokenRequest {
        label: dto.label.clone(),
        expires_at: dto
            .expires_at
            .as_deref()
            .map(|v| spoc_http::params::parse_instant("expires_at", v))
            .transpose()?,
        expires_in_days: dto.expires_in_days,
        scope: TokenScope {
            read_only: dto.read_only,
            resources,
        },
    })
}

/// Sign out of every browser session of the caller; optionally also revoke every API token
/// created from a browser session.
#[utoipa::path(post, path = "/api/v1/auth/logout-everywhere", tag = "auth", request_body = LogoutEverywhereDto,
    responses((status = 200, body = LogoutEverywhereResultDto), (status = 401, body = Problem)))]
pub async fn logout_everywhere(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(dto): ApiJson<LogoutEverywhereDto>,
) -> ApiResult<Response> {
    let revoked_tokens = state
        .app
        .sign_out_everywhere(&actor, dto.revoke_browser_tokens)
        .await?;
    let mut response = Json(LogoutEverywhereResultDto { revoked_tokens }).into_response();
    if let Some(cookie) = session_cookie_header(&state, "", 0) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// Change the caller's own password. Needs `current_password`, unless the browser session
/// signed in within the last 10 minutes. Every other session of the caller ends; the session
/// making the request (if one does) stays signed in.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "auth", request_body = PasswordChangeDto,
    responses((status = 204),
        (status = 403, description = "`reauthentication_required`: send the right `current_password`", body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn change_password(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> ApiResult<StatusCode> {
    let (mut parts, body) = request.into_parts();
    let Authenticated(actor) =
        <Authenticated as axum::extract::FromRequestParts<AppState>>::from_request_parts(
            &mut parts, &state,
        )
        .await?;
    // The session making the request stays signed in (not when a token made it).
    let cookie = session_cookie(&parts, &state).filter(|_| {
        matches!(
            actor.credential,
            spoc_domain::credential::Credential::Session { .. }
        )
    });
    let this = cookie
        .as_deref()
        .map_or(spoc_app::ThisSession::None, spoc_app::ThisSession::Cookie);
    let request = axum::extract::Request::from_parts(parts, body);
    let ApiJson(dto) =
        <ApiJson<PasswordChangeDto> as axum::extract::FromRequest<AppState>>::from_request(
            request, &state,
        )
        .await?;
    state
        .app
        .change_own_password(
            &actor,
            this,
            dto.current_password.as_deref(),
            &dto.new_password,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revoke one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "auth", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<TokenId>,
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
            spoc_http::extract::in_range("limit", query.limit, 1, 200)?.unwrap_or(50),
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
    ApiPath(id): ApiPath<NotificationId>,
) -> ApiResult<StatusCode> {
    state.app.mark_notification_read(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

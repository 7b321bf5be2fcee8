//! Two-factor sign-in over the API: the caller's authenticator (`/me/totp`), their recovery
//! codes, the second step of signing in, and for which roles the desk requires it.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use spoc_app::{NewSession, Proof, SESSION_LIFETIME_MICROS, SignIn, TwoFactorPolicy};
use spoc_domain::user::Role;
use utoipa::ToSchema;

use super::dto::SessionDto;
use spoc_http::AppState;
use spoc_http::cookie::session_cookie_header;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{Administrator, ApiJson, Authenticated, client_ip};
use spoc_http::params::time;

/// The caller's two-factor sign-in.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotpStatusDto {
    /// Whether sign-in asks for a code from an authenticator app.
    pub enabled: bool,
    /// Whether an enrolment waits for its first code (`PUT /api/v1/me/totp`).
    pub pending: bool,
    /// When it was switched on.
    pub confirmed_at: Option<String>,
    /// How many recovery codes are unused.
    pub recovery_codes_left: i64,
    /// Whether the desk requires it for the caller's role.
    pub required: bool,
}

/// A new authenticator secret, to scan or type into an app.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotpEnrolmentDto {
    /// The secret in base32.
    pub secret: String,
    /// The `otpauth://` URI (the content of a QR code).
    pub uri: String,
}

/// A code from the authenticator app.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotpCodeDto {
    /// Six digits.
    #[schema(min_length = 1, max_length = 64)]
    pub code: String,
}

/// Proof that it is the caller: a current code (or a recovery code), or the password.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotpProofDto {
    /// A current code from the authenticator app, or an unused recovery code.
    #[serde(default)]
    #[schema(max_length = 64)]
    pub code: Option<String>,
    /// The caller's password.
    #[serde(default)]
    pub current_password: Option<String>,
}

/// Recovery codes, shown only in this answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodesDto {
    /// Ten codes; each signs in once instead of a code from the app.
    pub recovery_codes: Vec<String>,
}

/// The second step of signing in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecondFactorLoginDto {
    /// The `challenge` of the first step's answer.
    #[schema(min_length = 64, max_length = 64, pattern = "^[0-9a-f]{64}$")]
    pub challenge: String,
    /// A current code from the authenticator app, or an unused recovery code.
    #[schema(min_length = 1, max_length = 64)]
    pub code: String,
}

/// The password was right; a second factor is needed.
#[derive(Debug, Serialize, ToSchema)]
pub struct SecondFactorNeededDto {
    /// Always `totp`.
    pub second_factor: String,
    /// Send it with a code to `POST /api/v1/auth/login/second-factor`.
    pub challenge: String,
    /// When the challenge stops working (ten minutes).
    pub expires_at: String,
}

/// The roles a desk can require two-factor sign-in for.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum RoleName {
    /// Customers.
    Customer,
    /// Agents.
    Agent,
    /// Leads.
    Lead,
    /// Admins.
    Admin,
}

/// For which roles the desk requires two-factor sign-in.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TwoFactorPolicyDto {
    /// The roles (`customer`, `agent`, `lead`, `admin`) that must sign in with a code from an
    /// authenticator app. A person in one of them without an app must set one up when signing
    /// in (in the browser) before reaching anything else.
    #[schema(value_type = Vec<RoleName>)]
    pub required_for: Vec<String>,
}

impl From<TwoFactorPolicy> for TwoFactorPolicyDto {
    fn from(p: TwoFactorPolicy) -> Self {
        Self {
            required_for: p
                .required_for
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
        }
    }
}

/// The answer to a right password: a session, `202` with a challenge, or a clear refusal.
pub(crate) fn sign_in_response(state: &AppState, signed_in: SignIn) -> ApiResult<Response> {
    match signed_in {
        SignIn::Session(session) => Ok(session_response(state, session)),
        SignIn::SecondFactor(challenge) => Ok((
            StatusCode::ACCEPTED,
            Json(SecondFactorNeededDto {
                second_factor: "totp".to_owned(),
                challenge: challenge.secret,
                expires_at: time(challenge.expires_at),
            }),
        )
            .into_response()),
        SignIn::Enrolment(_) => Err(spoc_app::AppError::Forbidden(
            "this desk requires two-factor sign-in for your role and you have not set up an \
             authenticator app yet: sign in once in the browser, which walks you through it"
                .to_owned(),
        )
        .into()),
    }
}

/// The session's answer, with its cookie.
pub(crate) fn session_response(state: &AppState, session: NewSession) -> Response {
    let body = SessionDto {
        user: session.user.into(),
        csrf_token: session.csrf_token,
        expires_at: time(session.expires_at),
    };
    let mut response = Json(body).into_response();
    if let Some(cookie) =
        session_cookie_header(state, &session.secret, SESSION_LIFETIME_MICROS / 1_000_000)
    {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// The second step of signing in: the challenge of the first step's `202` answer and a current
/// code from the authenticator app (or an unused recovery code). A wrong code is `422` and
/// counts against the sign-in limits; an unknown, expired or used challenge is `401`.
#[utoipa::path(post, path = "/api/v1/auth/login/second-factor", tag = "auth",
    request_body = SecondFactorLoginDto,
    responses((status = 200, body = SessionDto), (status = 401, body = Problem),
        (status = 422, body = Problem),
        (status = 429, description = "too many failed attempts; see `Retry-After`", body = Problem)))]
pub async fn login_second_factor(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> ApiResult<Response> {
    let (parts, body) = request.into_parts();
    let client = client_ip(&parts);
    let browser = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let request = axum::extract::Request::from_parts(parts, body);
    let ApiJson(dto) =
        <ApiJson<SecondFactorLoginDto> as axum::extract::FromRequest<AppState>>::from_request(
            request, &state,
        )
        .await?;
    let session = state
        .app
        .sign_in_second_factor(&dto.challenge, &dto.code, client, browser.as_deref())
        .await?;
    Ok(session_response(&state, session))
}

/// The caller's two-factor sign-in.
#[utoipa::path(get, path = "/api/v1/me/totp", tag = "auth",
    responses((status = 200, body = TotpStatusDto), (status = 401, body = Problem)))]
pub async fn status(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<TotpStatusDto>> {
    let s = state.app.totp_status(&actor).await?;
    Ok(Json(TotpStatusDto {
        enabled: s.enabled,
        pending: s.pending,
        confirmed_at: s.confirmed_at.map(time),
        recovery_codes_left: s.recovery_codes_left,
        required: s.required,
    }))
}

/// Start enrolling an authenticator app: a new secret, pending until confirmed with
/// `PUT /api/v1/me/totp`. `409` while two-factor sign-in is on.
#[utoipa::path(post, path = "/api/v1/me/totp", tag = "auth",
    responses((status = 201, body = TotpEnrolmentDto), (status = 409, body = Problem)))]
pub async fn start(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<(StatusCode, Json<TotpEnrolmentDto>)> {
    let enrolment = state.app.start_totp(&actor).await?;
    Ok((
        StatusCode::CREATED,
        Json(TotpEnrolmentDto {
            secret: enrolment.secret,
            uri: enrolment.uri,
        }),
    ))
}

/// Switch two-factor sign-in on with a code from the app: the recovery codes, shown only here.
#[utoipa::path(put, path = "/api/v1/me/totp", tag = "auth", request_body = TotpCodeDto,
    responses((status = 200, body = RecoveryCodesDto), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn confirm(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(dto): ApiJson<TotpCodeDto>,
) -> ApiResult<Json<RecoveryCodesDto>> {
    let recovery_codes = state.app.confirm_totp(&actor, &dto.code).await?;
    Ok(Json(RecoveryCodesDto { recovery_codes }))
}

/// Switch two-factor sign-in off (or drop a pending enrolment): needs a current `code` or the
/// `current_password`.
#[utoipa::path(delete, path = "/api/v1/me/totp", tag = "auth", request_body = TotpProofDto,
    responses((status = 204), (status = 403, description = "`reauthentication_required`: send a current `code` or `current_password`", body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn disable(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(dto): ApiJson<TotpProofDto>,
) -> ApiResult<StatusCode> {
    state
        .app
        .disable_totp(
            &actor,
            Proof {
                code: dto.code.as_deref(),
                password: dto.current_password.as_deref(),
            },
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replace the recovery codes with ten new ones (shown only here): needs a current `code` or
/// the `current_password`.
#[utoipa::path(post, path = "/api/v1/me/totp/recovery-codes", tag = "auth", request_body = TotpProofDto,
    responses((status = 200, body = RecoveryCodesDto),
        (status = 403, description = "`reauthentication_required`: send a current `code` or `current_password`", body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn regenerate(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(dto): ApiJson<TotpProofDto>,
) -> ApiResult<Json<RecoveryCodesDto>> {
    let recovery_codes = state
        .app
        .regenerate_recovery_codes(
            &actor,
            Proof {
                code: dto.code.as_deref(),
                password: dto.current_password.as_deref(),
            },
        )
        .await?;
    Ok(Json(RecoveryCodesDto { recovery_codes }))
}

/// For which roles the desk requires two-factor sign-in (admins).
#[utoipa::path(get, path = "/api/v1/settings/two-factor", tag = "admin",
    responses((status = 200, body = TwoFactorPolicyDto), (status = 403, body = Problem)))]
pub async fn get_policy(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<TwoFactorPolicyDto>> {
    Ok(Json(state.app.two_factor_policy(&actor).await?.into()))
}

/// Set for which roles the desk requires two-factor sign-in (admins); applies from the next
/// sign-in.
#[utoipa::path(put, path = "/api/v1/settings/two-factor", tag = "admin", request_body = TwoFactorPolicyDto,
    responses((status = 200, body = TwoFactorPolicyDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_policy(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<TwoFactorPolicyDto>,
) -> ApiResult<Json<TwoFactorPolicyDto>> {
    let mut required_for = Vec::new();
    for name in &dto.required_for {
        required_for.push(Role::parse(name).map_err(spoc_app::AppError::from)?);
    }
    Ok(Json(
        state
            .app
            .set_two_factor_policy(&actor, TwoFactorPolicy { required_for })
            .await?
            .into(),
    ))
}

//! Signing in with an identity provider (OpenID Connect): `GET /auth/oidc/{provider}/login`
//! sends the browser to the provider with a short-lived cookie binding the sign-in to it;
//! `GET /auth/oidc/{provider}/callback` finishes it (see `spoc_app`'s `oidc` module) and opens a
//! session as the password sign-in does. Anything that goes wrong is a page saying what, with
//! the way back to the sign-in page.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use spoc_app::{AppError, SESSION_LIFETIME_MICROS};
use spoc_domain::TenantId;

use crate::i18n::{Msg, t};
use crate::links::safe_next;
use crate::session::{UiError, sentence};
use spoc_http::AppState;
use spoc_http::cookie::session_cookie_header;
use spoc_http::extract::cookie;

/// The cookie binding a sign-in under way to this browser.
const OIDC_COOKIE: &str = "spoc_oidc";

/// How long the cookie lives: as long as the sign-in under way.
const OIDC_COOKIE_SECS: i64 = 600;

/// Query of the login route.
#[derive(Debug, Default, Deserialize)]
pub struct BeginQuery {
    #[serde(default)]
    next: Option<String>,
}

/// Query of the callback: a code and state, or the provider's error.
#[derive(Debug, Default, Deserialize)]
pub struct CallbackQuery {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// Which tenant a visitor signs in to before anyone is signed in: the one the visit named (by
/// its host name, or `?tenant=slug` from its portal address `/t/{slug}`), else the first
/// tenant, the one a single-company desk has.
pub(crate) fn sign_in_tenant() -> TenantId {
    crate::brand::current().map_or(TenantId::FIRST, |brand| brand.tenant_id)
}

/// The desk's address as the browser reached it, for a desk without a public URL.
fn origin(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()))
        .unwrap_or("localhost");
    let scheme = if state.app.served_over_https() {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

fn oidc_cookie(value: &str, max_age: i64) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{OIDC_COOKIE}={value}; Path=/auth/oidc; HttpOnly; Secure; SameSite=Lax; Max-Age={max_age}" // i18n: not text
    ))
    .ok()
}

/// The page for a sign-in that did not work.
fn failed(error: AppError) -> Response {
    match error {
        AppError::Forbidden(message) => UiError::page(
            StatusCode::FORBIDDEN,
            t(Msg::OidcFailedTitle),
            format!("{} {}", sentence(&message), t(Msg::OidcTryAgain)),
        )
        .into_response(),
        other => UiError::from(other).into_response(),
    }
}

/// `GET /auth/oidc/{provider}/login`.
pub async fn begin(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(query): Query<BeginQuery>,
) -> Response {
    if !spoc_app::valid_slug(&slug) {
        return UiError::not_found().into_response();
    }
    let next = query
        .next
        .as_deref()
        .filter(|n| safe_next(n) && n.len() <= 500)
        .unwrap_or("");
    let tenant = sign_in_tenant();
    match state
        .app
        .oidc_begin(tenant, &slug, next, &origin(&state, &headers))
        .await
    {
        Ok(start) => {
            let mut response = Redirect::to(&start.authorize_url).into_response();
            if let Some(cookie) = oidc_cookie(&start.browser_secret, OIDC_COOKIE_SECS) {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            response
        }
        Err(error) => failed(error),
    }
}

/// `GET /auth/oidc/{provider}/callback`.
pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(query): Query<CallbackQuery>,
) -> Response {
    if !spoc_app::valid_slug(&slug) {
        return UiError::not_found().into_response();
    }
    if query.error.is_some() {
        return UiError::page(
            StatusCode::FORBIDDEN,
            t(Msg::OidcFailedTitle),
            format!("{} {}", t(Msg::OidcProviderRefused), t(Msg::OidcTryAgain)),
        )
        .into_response();
    }
    let browser = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let secret = cookie(&headers, OIDC_COOKIE);
    let result = state
        .app
        .oidc_finish(
            &slug,
            query.state.as_deref().unwrap_or_default(),
            query.code.as_deref().unwrap_or_default(),
            secret.as_deref(),
            &origin(&state, &headers),
            browser,
        )
        .await;
    let mut response = match result {
        Ok(signed_in) => {
            let target = if safe_next(&signed_in.next) && signed_in.next != "/" {
                signed_in.next.as_str()
            } else {
                crate::viewer::home_for(signed_in.session.user.role)
            };
            let mut response = Redirect::to(target).into_response();
            if let Some(cookie) = session_cookie_header(
                &state,
                &signed_in.session.secret,
                SESSION_LIFETIME_MICROS / 1_000_000,
            ) {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            response
        }
        Err(error) => failed(error),
    };
    if let Some(cookie) = oidc_cookie("", 0) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

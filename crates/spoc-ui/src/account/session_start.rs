//! What completes a sign-in in the browser — the session cookie and on to the person's page —
//! and the sign-in form's own token cookie, shared by the password step (`login.rs`), the
//! second-factor steps (`two_factor.rs`) and the password reset (`reset.rs`).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use spoc_app::SESSION_LIFETIME_MICROS;
use spoc_domain::user::Role;
use spoc_http::AppState;
use spoc_http::cookie::session_cookie_header;

/// The cookie holding the sign-in form's CSRF token.
pub(crate) const LOGIN_COOKIE: &str = "spoc_login";

pub(crate) fn login_cookie(value: &str, max_age: i64) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{LOGIN_COOKIE}={value}; Path=/login; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age}" // i18n: not text
    ))
    .ok()
}

/// The answer to a complete sign-in: the session cookie, and on to where the person was going
/// (or their home page).
pub(crate) async fn signed_in(
    state: &AppState,
    session: spoc_app::NewSession,
    next: &str,
) -> Response {
    let home = crate::viewer::home_for(session.user.role);
    // An admin still on the password generated at first start is asked to replace it.
    let generated = session.user.role == Role::Admin
        && match state.app.authenticate_session(&session.secret).await {
            Ok(signed_in) => state
                .app
                .uses_generated_password(&signed_in.actor)
                .await
                .unwrap_or(false),
            Err(_) => false,
        };
    let target = if generated {
        crate::page::SECURITY_PATH
    } else if next.is_empty() || next == "/" {
        home
    } else {
        next
    };
    let mut response = Redirect::to(target).into_response();
    let headers = response.headers_mut();
    if let Some(cookie) =
        session_cookie_header(state, &session.secret, SESSION_LIFETIME_MICROS / 1_000_000)
    {
        headers.append(header::SET_COOKIE, cookie);
    }
    if let Some(cookie) = login_cookie("", 0) {
        headers.append(header::SET_COOKIE, cookie);
    }
    response
}

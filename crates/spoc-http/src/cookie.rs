//! The session cookie as the server sets it.

use axum::http::HeaderValue;

use crate::AppState;
use crate::extract::session_cookie_name;

/// The `Set-Cookie` value of the session cookie: `__Host-spoc_session` when the desk's public
/// URL is HTTPS, `spoc_session` otherwise; always `Path=/`, `HttpOnly`, `Secure`,
/// `SameSite=Lax` and no `Domain`.
pub fn session_cookie_header(
    state: &AppState,
    value: &str,
    max_age_secs: i64,
) -> Option<HeaderValue> {
    session_cookie_value(state.app.served_over_https(), value, max_age_secs)
}

fn session_cookie_value(https: bool, value: &str, max_age_secs: i64) -> Option<HeaderValue> {
    let name = session_cookie_name(https);
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age={max_age_secs}"
    ))
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_a_host_cookie_over_https() {
        let https = session_cookie_value(true, "abc", 60).unwrap();
        assert_eq!(
            https.to_str().unwrap(),
            "__Host-spoc_session=abc; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=60"
        );
        let http = session_cookie_value(false, "abc", 60).unwrap();
        assert!(
            http.to_str()
                .unwrap()
                .starts_with("spoc_session=abc; Path=/;")
        );
        for value in [https, http] {
            assert!(!value.to_str().unwrap().contains("Domain"));
        }
    }
}

//! Signing in and out in the browser.
//!
//! The sign-in form is protected against login CSRF with a double-submit token: a random value in
//! a short-lived cookie that the form must echo. After sign-in, forms carry the session's own
//! token instead.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::AppError;

pub(crate) use super::session_start::{LOGIN_COOKIE, login_cookie, signed_in};
use crate::forms::UiForm;
use crate::i18n::{Msg, t};
use crate::links::safe_next;
use crate::page::{Area, Shell, error_box};
use crate::session::{UiError, Viewer};
use spoc_http::AppState;
use spoc_http::cookie::session_cookie_header;
use spoc_http::extract::{constant_time_eq, cookie, session_cookie_name};

/// Where a person who forgot their password asks for a link (see `reset.rs`).
pub const FORGOT_PATH: &str = "/login/forgot";

pub(crate) fn random_token() -> String {
    spoc_app::random_secret()
}

/// Query of `GET /login`.
#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    expired: Option<String>,
    signed_out: Option<String>,
    password_changed: Option<String>,
    password_reset: Option<String>,
}

/// The sign-in form as submitted.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    tenant: String,
}

/// What the sign-in page shows.
pub struct LoginView<'a> {
    /// The form's CSRF token.
    pub csrf: &'a str,
    /// Where to go afterwards.
    pub next: &'a str,
    /// The e-mail typed before.
    pub email: &'a str,
    /// An error sentence.
    pub error: Option<String>,
    /// An informational sentence.
    pub info: Option<&'a str>,
    /// The page is served over plain HTTP to a non-local address.
    pub insecure: bool,
    /// The tenant's identity providers to sign in with.
    pub providers: &'a [spoc_app::SignInOption],
}

/// The sign-in page.
pub fn login_page(view: &LoginView<'_>) -> Markup {
    let body = html! {
        div class="auth-card panel" {
            div class="brand brand-large" { (crate::brand::mark(crate::brand::current().as_ref())) }
            h1 { (t(Msg::SignIn)) }
            @if let Some(info) = view.info {
                div class="flash flash-info" role="status" { (info) }
            }
            (error_box(view.error.as_deref()))
            @if view.insecure {
                div class="notice notice-warning" { (t(Msg::PlainHttpWarning)) }
            }
            form class="form" method="post" action=(login_action()) {
                input type="hidden" name="csrf" value=(view.csrf);
                input type="hidden" name="next" value=(view.next);
                @if let Some(brand) = crate::brand::current() {
                    input type="hidden" name="tenant" value=(brand.slug);
                }
                div class="field" {
                    label for="email" { (t(Msg::Email)) }
                    input id="email" name="email" type="email" autocomplete="username" required
                        value=(view.email) autofocus[view.email.is_empty()];
                }
                div class="field" {
                    label for="password" { (t(Msg::Password)) }
                    input id="password" name="password" type="password"
                        autocomplete="current-password" required autofocus[!view.email.is_empty()];
                }
                div class="form-actions" {
                    button class="button button-primary button-block" type="submit" { (t(Msg::SignIn)) }
                }
            }
            p class="small" { a href=(FORGOT_PATH) { (t(Msg::ForgotPassword)) } }
            @if !view.providers.is_empty() {
                div class="stack" {
                    p class="small" { (t(Msg::OidcOr)) }
                    @for provider in view.providers {
                        a class="button button-block" href=(oidc_href(&provider.slug, view.next)) {
                            (crate::i18n::tr(Msg::OidcSignInWith, &[&provider.display_name]))
                        }
                    }
                }
            }
        }
    };
    Shell::new(t(Msg::SignIn), Area::Auth).render(None, body)
}

/// Where the sign-in form goes: with the tenant the page is for, so that a page shown again
/// (a wrong password) is still that tenant's.
fn login_action() -> String {
    match crate::brand::current() {
        Some(brand) => format!("/login?tenant={}", brand.slug),
        None => "/login".to_owned(),
    }
}

/// The address that starts signing in with a provider, keeping where to go afterwards.
fn oidc_href(slug: &str, next: &str) -> String {
    let mut query = Vec::new();
    if !next.is_empty() {
        query.push(format!("next={}", crate::links::encode(next)));
    }
    if let Some(brand) = crate::brand::current() {
        query.push(format!("tenant={}", brand.slug));
    }
    let mut href = format!("/auth/oidc/{slug}/login");
    if !query.is_empty() {
        href.push('?');
        href.push_str(&query.join("&"));
    }
    href
}

/// Whether the browser reached us over plain HTTP at an address other than this machine.
fn insecure(headers: &HeaderMap) -> bool {
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let host = match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    };
    let local = matches!(host, "localhost" | "127.0.0.1" | "[::1]") || host.ends_with(".localhost");
    !forwarded_https && !local
}

/// The identity providers the sign-in page offers (none if they cannot be read: the password
/// form still works).
async fn sign_in_options(state: &AppState) -> Vec<spoc_app::SignInOption> {
    state
        .app
        .oidc_sign_in_options(super::oidc::sign_in_tenant())
        .await
        .unwrap_or_default()
}

fn render(status: StatusCode, view: &LoginView<'_>, set_cookie: bool) -> Response {
    let mut response = (status, Html(login_page(view).into_string())).into_response();
    if set_cookie && let Some(cookie) = login_cookie(view.csrf, 3600) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// `GET /login`.
pub async fn form(
    State(state): State<AppState>,
    viewer: Option<Viewer>,
    headers: HeaderMap,
    Query(query): Query<LoginQuery>,
) -> Response {
    let next = query.next.as_deref().filter(|n| safe_next(n)).unwrap_or("");
    if let Some(viewer) = viewer {
        let target = if next.is_empty() { viewer.home() } else { next };
        return Redirect::to(target).into_response();
    }
    let existing = cookie(&headers, LOGIN_COOKIE).filter(|t| t.len() == 32);
    let token = existing.clone().unwrap_or_else(random_token);
    let info = if query.password_reset.is_some() {
        Some(t(Msg::InfoPasswordReset))
    } else if query.password_changed.is_some() {
        Some(t(Msg::InfoPasswordChanged))
    } else if query.signed_out.as_deref() == Some("everywhere") {
        Some(t(Msg::InfoSignedOutEverywhere))
    } else if query.signed_out.is_some() {
        Some(t(Msg::InfoSignedOut))
    } else if query.expired.is_some() {
        Some(t(Msg::InfoExpired))
    } else {
        None
    };
    let providers = sign_in_options(&state).await;
    let view = LoginView {
        csrf: &token,
        next,
        email: "",
        error: None,
        info,
        insecure: insecure(&headers),
        providers: &providers,
    };
    render(StatusCode::OK, &view, existing.is_none())
}

/// `POST /login`.
pub async fn submit(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (parts, body) = request.into_parts();
    let client = spoc_http::extract::client_ip(&parts);
    let headers = parts.headers.clone();
    let request = axum::extract::Request::from_parts(parts, body);
    let form = match <UiForm<LoginForm> as axum::extract::FromRequest<AppState>>::from_request(
        request, &state,
    )
    .await
    {
        Ok(UiForm(form)) => form,
        Err(e) => return e.into_response(),
    };
    let next = if safe_next(&form.next) {
        form.next.as_str()
    } else {
        ""
    };
    let cookie_token = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    let fresh = random_token();
    let providers = sign_in_options(&state).await;
    let mut view = LoginView {
        csrf: &fresh,
        next,
        email: &form.email,
        error: None,
        info: None,
        insecure: insecure(&headers),
        providers: &providers,
    };
    if cookie_token.is_empty() || !constant_time_eq(cookie_token.as_bytes(), form.csrf.as_bytes()) {
        view.error = Some(t(Msg::FormExpired).to_owned());
        return render(StatusCode::FORBIDDEN, &view, true);
    }
    let browser = headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let slug = (!form.tenant.is_empty()).then_some(form.tenant.as_str());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let tenant = match state.app.visited_tenant(slug, host).await {
        Ok(tenant) => tenant,
        Err(other) => return UiError::from(other).into_response(),
    };
    let attempt = if slug.is_some() && tenant.is_none() {
        // A tenant that does not exist (or is deactivated) has nobody to sign in.
        Err(AppError::Unauthenticated)
    } else {
        state
            .app
            .login_to(
                tenant.map(|t| t.tenant_id),
                &form.email,
                &form.password,
                client,
                browser,
            )
            .await
    };
    match attempt {
        Ok(spoc_app::SignIn::Session(session)) => signed_in(&state, session, next).await,
        Ok(spoc_app::SignIn::SecondFactor(challenge)) => {
            super::two_factor::code_step(&challenge.secret, &cookie_token, next, None)
        }
        Ok(spoc_app::SignIn::Enrolment(challenge)) => {
            super::two_factor::enrol_step(&state, &challenge.secret, &cookie_token, next).await
        }
        Err(AppError::Unauthenticated) => {
            view.csrf = &cookie_token;
            view.error = Some(t(Msg::WrongCredentials).to_owned());
            render(StatusCode::UNAUTHORIZED, &view, false)
        }
        Err(AppError::TooManyAttempts { retry_after_secs }) => {
            view.csrf = &cookie_token;
            let minutes = (retry_after_secs + 59) / 60;
            view.error = Some(crate::i18n::count(
                minutes,
                Msg::TooManySignInsOne,
                Msg::TooManySignInsOther,
            ));
            let mut response = render(StatusCode::TOO_MANY_REQUESTS, &view, false);
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Err(other) => UiError::from(other).into_response(),
    }
}

/// The form of `POST /logout`.
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /logout`.
pub async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    UiForm(form): UiForm<LogoutForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    if let Some(secret) = cookie(&headers, session_cookie_name(state.app.served_over_https())) {
        state.app.logout(&secret).await?;
    }
    let mut response = Redirect::to("/login?signed_out=1").into_response();
    if let Some(cookie) = session_cookie_header(&state, "", 0) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view<'a>(next: &'a str, error: Option<String>) -> LoginView<'a> {
        LoginView {
            csrf: "t0ken",
            next,
            email: "a@b.test",
            error,
            info: None,
            insecure: false,
            providers: &[],
        }
    }

    #[test]
    fn the_sign_in_form_carries_its_token_and_escapes_what_it_echoes() {
        let html =
            login_page(&view("/desk?x=\"><script>", Some("Wrong <b>".to_owned()))).into_string();
        assert!(html.contains(r#"<form class="form" method="post" action="/login">"#));
        assert!(html.contains(r#"<input type="hidden" name="csrf" value="t0ken">"#));
        assert!(
            html.contains(r#"value="/desk?x=&quot;&gt;&lt;script&gt;""#),
            "{html}"
        );
        assert!(html.contains("Wrong &lt;b&gt;"));
        assert!(html.contains(r#"autocomplete="current-password""#));
        assert!(html.contains(r#"<label for="email">E-mail</label>"#));
        assert!(
            !html.contains("class=\"topbar\""),
            "no navigation before sign-in"
        );
    }

    #[test]
    fn plain_http_is_flagged_only_away_from_this_machine() {
        let headers = |host: &str, proto: Option<&str>| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
            if let Some(p) = proto {
                h.insert("x-forwarded-proto", HeaderValue::from_str(p).unwrap());
            }
            h
        };
        assert!(!insecure(&headers("127.0.0.1:8080", None)));
        assert!(!insecure(&headers("localhost", None)));
        assert!(insecure(&headers("desk.example.com", None)));
        assert!(!insecure(&headers("desk.example.com", Some("https"))));
    }
}

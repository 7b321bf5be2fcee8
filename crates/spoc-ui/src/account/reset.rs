//! "Forgot your password?": the sign-in page links to `/login/forgot`, where a person asks for a
//! link by e-mail; `/login/reset/{secret}` sets the new password. Both forms are guarded like
//! the sign-in form (the double-submit token in the `spoc_login` cookie, whose path covers
//! them). The answer to a request never says whether the address has an account.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::AppError;

pub use super::login::FORGOT_PATH;
use super::login::{LOGIN_COOKIE, login_cookie, random_token};
use crate::forms::UiForm;
use crate::i18n::{Msg, t};
use crate::page::{Area, FieldErrors, Shell, error_box, text_input};
use crate::session::UiError;
use spoc_http::AppState;
use spoc_http::extract::{constant_time_eq, cookie};

/// The request form as submitted.
#[derive(Debug, Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    csrf: String,
}

/// The new-password form as submitted.
#[derive(Debug, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
    #[serde(default)]
    csrf: String,
}

/// A page of the signed-out area with its card.
fn card(title: &str, body: Markup) -> Markup {
    Shell::new(title, Area::Auth).render(
        None,
        html! {
            div class="auth-card panel" {
                div class="brand brand-large" { span class="brand-mark" aria-hidden="true" { "S" } " Spoc" } // i18n: not text
                h1 { (title) }
                (body)
                p class="small" { a href="/login" { (t(Msg::BackToSignIn)) } }
            }
        },
    )
}

/// The page, with a fresh form token cookie when `token` is new.
fn respond(status: StatusCode, page: Markup, new_token: Option<&str>) -> Response {
    let mut response = (status, Html(page.into_string())).into_response();
    if let Some(token) = new_token
        && let Some(cookie) = login_cookie(token, 3600)
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The form token the browser holds, or a new one (then `true`).
fn form_token(headers: &axum::http::HeaderMap) -> (String, bool) {
    match cookie(headers, LOGIN_COOKIE).filter(|t| t.len() == 32) {
        Some(token) => (token, false),
        None => (random_token(), true),
    }
}

/// Whether the submitted token matches the cookie.
fn token_matches(headers: &axum::http::HeaderMap, submitted: &str) -> bool {
    let held = cookie(headers, LOGIN_COOKIE).unwrap_or_default();
    !held.is_empty() && constant_time_eq(held.as_bytes(), submitted.as_bytes())
}

fn forgot_page(
    csrf: &str,
    email: &str,
    errors: &FieldErrors,
    error: Option<&str>,
    mail_on: bool,
) -> Markup {
    card(
        t(Msg::ForgotPassword),
        html! {
            (error_box(error))
            @if mail_on {
                p { (t(Msg::ForgotIntro)) }
                form class="form" method="post" action=(FORGOT_PATH) novalidate {
                    input type="hidden" name="csrf" value=(csrf);
                    (text_input("email", "email", t(Msg::Email), "email", email, true, None, errors))
                    div class="form-actions" {
                        button class="button button-primary button-block" type="submit" { (t(Msg::SendLink)) }
                    }
                }
            } @else {
                p { (t(Msg::MailOffNoReset)) }
            }
        },
    )
}

/// `GET /login/forgot`.
pub async fn forgot_form(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Response {
    let (token, new) = form_token(&headers);
    let page = forgot_page(
        &token,
        "",
        &FieldErrors::none(),
        None,
        state.app.mail_on_anywhere().await.unwrap_or(false),
    );
    respond(StatusCode::OK, page, new.then_some(token.as_str()))
}

/// `POST /login/forgot`.
pub async fn forgot_submit(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let client = spoc_http::extract::client_ip(&parts);
    let headers = parts.headers.clone();
    let request = axum::extract::Request::from_parts(parts, body);
    let form = match <UiForm<ForgotForm> as axum::extract::FromRequest<AppState>>::from_request(
        request, &state,
    )
    .await
    {
        Ok(UiForm(form)) => form,
        Err(e) => return e.into_response(),
    };
    let mail_on = state.app.mail_on_anywhere().await.unwrap_or(false);
    if !token_matches(&headers, &form.csrf) {
        let token = random_token();
        let page = forgot_page(
            &token,
            &form.email,
            &FieldErrors::none(),
            Some(t(Msg::FormExpired)),
            mail_on,
        );
        return respond(StatusCode::FORBIDDEN, page, Some(&token));
    }
    let email = form.email.trim();
    if email.is_empty() || !email.contains('@') {
        let errors = FieldErrors::one("email", t(Msg::EnterAccountEmail));
        let page = forgot_page(&form.csrf, &form.email, &errors, None, mail_on);
        return respond(StatusCode::UNPROCESSABLE_ENTITY, page, None);
    }
    match state.app.request_password_reset(email, client).await {
        Ok(()) => {
            let minutes = spoc_app::RESET_LIFETIME_MICROS / 60_000_000;
            let page = card(
                t(Msg::CheckEmail),
                html! {
                    div class="flash flash-info" role="status" {
                        (t(Msg::ResetSentPrefix)) strong { (email) } (t(Msg::ResetSentMiddle))
                        (minutes) (t(Msg::ResetSentSuffix))
                    }
                    p class="muted small" { (t(Msg::NoMailYet)) }
                },
            );
            respond(StatusCode::OK, page, None)
        }
        Err(AppError::TooManyAttempts { retry_after_secs }) => {
            let minutes = (retry_after_secs + 59) / 60;
            let errors = FieldErrors::one(
                "email",
                crate::i18n::count(minutes, Msg::TooManyResetsOne, Msg::TooManyResetsOther),
            );
            let page = forgot_page(&form.csrf, &form.email, &errors, None, mail_on);
            let mut response = respond(StatusCode::TOO_MANY_REQUESTS, page, None);
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Err(other) => UiError::from(other).into_response(),
    }
}

/// The page of a used, expired or unknown link.
fn gone_page() -> Markup {
    card(
        t(Msg::LinkGoneTitle),
        html! {
            p { (t(Msg::LinkGone)) }
            p { a class="button button-primary" href=(FORGOT_PATH) { (t(Msg::AskNewLink)) } }
        },
    )
}

fn reset_page(secret: &str, csrf: &str, errors: &FieldErrors, error: Option<&str>) -> Markup {
    card(
        t(Msg::ChooseNewPassword),
        html! {
            (error_box(error))
            form class="form" method="post" action={ "/login/reset/" (secret) } novalidate {
                input type="hidden" name="csrf" value=(csrf);
                (text_input("new-password", "new_password", t(Msg::NewPassword), "password", "", true,
                    Some(t(Msg::NewPasswordHint)), errors))
                (text_input("confirm-password", "confirm_password", t(Msg::NewPasswordAgain), "password", "", true,
                    None, errors))
                div class="form-actions" {
                    button class="button button-primary button-block" type="submit" { (t(Msg::SetNewPassword)) }
                }
            }
        },
    )
}

/// `GET /login/reset/{secret}`.
pub async fn reset_form(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Path(secret): Path<String>,
) -> Result<Response, UiError> {
    if !state.app.password_reset_works(&secret).await? {
        return Ok(respond(StatusCode::GONE, gone_page(), None));
    }
    let (token, new) = form_token(&headers);
    let mut response = respond(
        StatusCode::OK,
        reset_page(&secret, &token, &FieldErrors::none(), None),
        new.then_some(token.as_str()),
    );
    // The link's secret must not leak to other sites through the Referer header.
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(response)
}

/// `POST /login/reset/{secret}`.
pub async fn reset_submit(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Path(secret): Path<String>,
    UiForm(form): UiForm<ResetForm>,
) -> Result<Response, UiError> {
    if !token_matches(&headers, &form.csrf) {
        let token = random_token();
        let page = reset_page(
            &secret,
            &token,
            &FieldErrors::none(),
            Some(t(Msg::ResetFormExpired)),
        );
        return Ok(respond(StatusCode::FORBIDDEN, page, Some(&token)));
    }
    if form.new_password != form.confirm_password {
        let errors = FieldErrors::one("confirm_password", t(Msg::PasswordsDiffer));
        let page = reset_page(&secret, &form.csrf, &errors, None);
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page, None));
    }
    match state.app.reset_password(&secret, &form.new_password).await {
        Ok(()) => Ok(Redirect::to("/login?password_reset=1").into_response()),
        Err(AppError::Validation(_)) => {
            let errors = FieldErrors::one("new_password", t(Msg::PasswordLength));
            let page = reset_page(&secret, &form.csrf, &errors, None);
            Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page, None))
        }
        Err(AppError::NotFound { .. }) => Ok(respond(StatusCode::GONE, gone_page(), None)),
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_carry_their_token_and_say_when_mail_is_off() {
        let on = forgot_page("t0ken", "a\"b", &FieldErrors::none(), None, true).into_string();
        assert!(on.contains(r#"action="/login/forgot""#), "{on}");
        assert!(on.contains(r#"name="csrf" value="t0ken""#));
        assert!(on.contains("a&quot;b"));
        let off = forgot_page("t0ken", "", &FieldErrors::none(), None, false).into_string();
        assert!(!off.contains("<form"), "{off}");
        assert!(off.contains("does not send e-mail"));
        let reset = reset_page(
            &"ab".repeat(32),
            "t0ken",
            &FieldErrors::one("confirm_password", "The two passwords differ."),
            None,
        )
        .into_string();
        assert!(reset.contains(&format!("action=\"/login/reset/{}\"", "ab".repeat(32))));
        assert!(reset.contains("The two passwords differ."));
        assert!(reset.contains(r#"autocomplete"#) || reset.contains("new_password"));
    }
}

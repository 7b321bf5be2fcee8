//! Two-factor sign-in in the browser: the sign-in page's second step (a code from the
//! authenticator app, or a recovery code), enrolling at sign-in when the desk requires it for
//! the person's role, and the account page where people switch it on and off and make new
//! recovery codes. The rules are the app's (`spoc_app::second_factor`).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, Proof, SESSION_LIFETIME_MICROS, TotpEnrolment};
use spoc_http::AppState;
use spoc_http::cookie::session_cookie_header;
use spoc_http::extract::{constant_time_eq, cookie};

use super::session_start::{LOGIN_COOKIE, signed_in};
use crate::forms::UiForm;
use crate::i18n::{Msg, t};
use crate::links::safe_next;
use crate::page::{Area, Shell, csrf_field, error_box};
use crate::session::{UiError, Viewer};

/// The account page of two-factor sign-in.
pub const PATH: &str = "/account/two-factor";
/// The second step of signing in.
pub const CODE_PATH: &str = "/login/second-factor";
/// Enrolling at sign-in.
pub const ENROL_PATH: &str = "/login/enrol";

/// A form of the sign-in steps.
#[derive(Debug, Default, Deserialize)]
pub struct StepForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    challenge: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

/// A form of the account page.
#[derive(Debug, Default, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    current_password: String,
}

fn auth_page(title: &str, body: Markup, status: StatusCode) -> Response {
    let page = Shell::new(title, Area::Auth).render(None, body);
    (status, Html(page.into_string())).into_response()
}

fn hidden(csrf: &str, challenge: &str, next: &str) -> Markup {
    html! {
        input type="hidden" name="csrf" value=(csrf);
        input type="hidden" name="challenge" value=(challenge);
        input type="hidden" name="next" value=(next);
    }
}

fn code_field(label: &str, hint: Option<&str>) -> Markup {
    html! {
        div class="field" {
            label for="code" { (label) }
            input id="code" name="code" type="text" inputmode="text" autocomplete="one-time-code"
                required autofocus maxlength="64" aria-describedby=[hint.map(|_| "code-hint")];
            @if let Some(hint) = hint {
                p class="hint" id="code-hint" { (hint) }
            }
        }
    }
}

/// The second step of signing in: the code field.
pub fn code_step(challenge: &str, csrf: &str, next: &str, error: Option<&str>) -> Response {
    let body = html! {
        div class="auth-card panel" {
            h1 { (t(Msg::TfaCodeTitle)) }
            (error_box(error))
            p { (t(Msg::TfaCodeIntro)) }
            form class="form" method="post" action=(CODE_PATH) {
                (hidden(csrf, challenge, next))
                (code_field(t(Msg::TfaCodeLabel), Some(t(Msg::TfaUseRecovery))))
                div class="form-actions" {
                    button class="button button-primary button-block" type="submit" { (t(Msg::TfaVerify)) }
                }
            }
            p class="small" { a href="/login" { (t(Msg::BackToSignIn)) } }
        }
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    auth_page(t(Msg::TfaCodeTitle), body, status)
}

/// The secret to put into the app: its text, its `otpauth://` link and that link as a QR code.
fn secret_box(enrolment: &TotpEnrolment) -> Markup {
    html! {
        ol class="steps" {
            li { (t(Msg::TfaStepInstall)) }
            li {
                (t(Msg::TfaStepSecret)) " "
                code id="totp-secret" { (enrolment.secret) }
                " " a href=(enrolment.uri) { (t(Msg::TfaOpenInApp)) }
                (super::qr::qr_code(&enrolment.uri, t(Msg::TfaQrCode)))
            }
            li { (t(Msg::TfaStepConfirm)) }
        }
    }
}

/// Enrolling at sign-in: a new secret and the field for its first code.
pub async fn enrol_step(state: &AppState, challenge: &str, csrf: &str, next: &str) -> Response {
    enrol_page(state, challenge, csrf, next, None).await
}

async fn enrol_page(
    state: &AppState,
    challenge: &str,
    csrf: &str,
    next: &str,
    error: Option<&str>,
) -> Response {
    let enrolment = match state.app.start_enrolment_at_sign_in(challenge).await {
        Ok(enrolment) => enrolment,
        Err(AppError::Unauthenticated) => return Redirect::to("/login?expired=1").into_response(),
        Err(other) => return UiError::from(other).into_response(),
    };
    let body = html! {
        div class="auth-card panel" {
            h1 { (t(Msg::TfaEnrolTitle)) }
            (error_box(error))
            p { (t(Msg::TfaRequiredIntro)) }
            (secret_box(&enrolment))
            form class="form" method="post" action=(ENROL_PATH) {
                (hidden(csrf, challenge, next))
                (code_field(t(Msg::TfaFirstCode), None))
                div class="form-actions" {
                    button class="button button-primary button-block" type="submit" { (t(Msg::TfaTurnOn)) }
                }
            }
        }
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    auth_page(t(Msg::TfaEnrolTitle), body, status)
}

/// The recovery codes, shown once.
fn codes_list(codes: &[String]) -> Markup {
    html! {
        div class="notice notice-warning" role="status" { (t(Msg::TfaCodesOnce)) }
        ul class="recovery-codes" id="recovery-codes" {
            @for code in codes { li { code { (code) } } }
        }
    }
}

/// Whether the sign-in form's token came back with the step (login CSRF).
fn step_token_ok(headers: &HeaderMap, form: &StepForm) -> bool {
    let token = cookie(headers, LOGIN_COOKIE).unwrap_or_default();
    !token.is_empty() && constant_time_eq(token.as_bytes(), form.csrf.as_bytes())
}

fn next_of(form: &StepForm) -> &str {
    if safe_next(&form.next) {
        form.next.as_str()
    } else {
        ""
    }
}

/// `POST /login/second-factor`.
pub async fn submit_code(
    State(state): State<AppState>,
    headers: HeaderMap,
    UiForm(form): UiForm<StepForm>,
) -> Response {
    if !step_token_ok(&headers, &form) {
        return Redirect::to("/login?expired=1").into_response();
    }
    let client = None;
    let browser = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let next = next_of(&form);
    match state
        .app
        .sign_in_second_factor(&form.challenge, &form.code, client, browser)
        .await
    {
        Ok(session) => signed_in(&state, session, next).await,
        Err(AppError::Validation(_)) => code_step(
            &form.challenge,
            &form.csrf,
            next,
            Some(t(Msg::TfaWrongCode)),
        ),
        Err(AppError::TooManyAttempts { .. }) => {
            code_step(&form.challenge, &form.csrf, next, Some(t(Msg::TfaTooMany)))
        }
        Err(AppError::Unauthenticated) => Redirect::to("/login?expired=1").into_response(),
        Err(other) => UiError::from(other).into_response(),
    }
}

/// `POST /login/enrol`: the first code; then the recovery codes, once, and on.
pub async fn submit_enrol(
    State(state): State<AppState>,
    headers: HeaderMap,
    UiForm(form): UiForm<StepForm>,
) -> Response {
    if !step_token_ok(&headers, &form) {
        return Redirect::to("/login?expired=1").into_response();
    }
    let browser = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let next = next_of(&form);
    match state
        .app
        .finish_enrolment_at_sign_in(&form.challenge, &form.code, None, browser)
        .await
    {
        Ok((session, codes)) => {
            let target = if next.is_empty() { "/" } else { next };
            let body = html! {
                div class="auth-card panel" {
                    h1 { (t(Msg::TfaOnTitle)) }
                    (codes_list(&codes))
                    p { a class="button button-primary" href=(target) { (t(Msg::TfaContinue)) } }
                }
            };
            let mut response = auth_page(t(Msg::TfaOnTitle), body, StatusCode::OK);
            if let Some(cookie) =
                session_cookie_header(&state, &session.secret, SESSION_LIFETIME_MICROS / 1_000_000)
            {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            response
        }
        Err(AppError::Validation(_)) => {
            enrol_retry(&state, &form, next, t(Msg::TfaWrongCode)).await
        }
        Err(AppError::TooManyAttempts { .. }) => {
            enrol_retry(&state, &form, next, t(Msg::TfaTooMany)).await
        }
        Err(AppError::Unauthenticated) => Redirect::to("/login?expired=1").into_response(),
        Err(other) => UiError::from(other).into_response(),
    }
}

async fn enrol_retry(state: &AppState, form: &StepForm, next: &str, error: &str) -> Response {
    enrol_page(state, &form.challenge, &form.csrf, next, Some(error)).await
}

// ----- The account page. ---------------------------------------------------------------------

async fn account_page(
    state: &AppState,
    viewer: &Viewer,
    extra: Markup,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, UiError> {
    let s = state.app.totp_status(&viewer.actor).await?;
    let area = if viewer.actor.is_staff() {
        Area::Desk
    } else {
        Area::Portal
    };
    let body = html! {
        h1 { (t(Msg::TfaTitle)) }
        (error_box(error))
        (extra)
        section class="panel" aria-labelledby="tfa-state" {
            h2 id="tfa-state" {
                @if s.enabled { (t(Msg::TfaIsOn)) } @else { (t(Msg::TfaIsOff)) }
            }
            @if s.required && !s.enabled {
                p class="notice notice-warning" { (t(Msg::TfaRequiredIntro)) }
            }
            @if s.enabled {
                p { (t(Msg::TfaCodesLeft)) " " strong id="codes-left" { (s.recovery_codes_left) } }
                form class="form" method="post" action=(format!("{PATH}/recovery-codes")) {
                    (csrf_field(viewer))
                    (proof_fields("regen"))
                    button class="button" type="submit" { (t(Msg::TfaNewCodes)) }
                }
                form class="form" method="post" action=(format!("{PATH}/off")) {
                    (csrf_field(viewer))
                    (proof_fields("off"))
                    button class="button button-danger" type="submit" { (t(Msg::TfaTurnOff)) }
                }
            } @else {
                p { (t(Msg::TfaIntro)) }
                form method="post" action=(format!("{PATH}/start")) {
                    (csrf_field(viewer))
                    button class="button button-primary" type="submit" { (t(Msg::TfaSetUp)) }
                }
            }
        }
    };
    let shell = Shell::new(t(Msg::TfaTitle), area).current(crate::page::SECURITY_PATH);
    Ok((status, Html(shell.render(Some(viewer), body).into_string())).into_response())
}

fn proof_fields(prefix: &str) -> Markup {
    let code = format!("{prefix}-code");
    let password = format!("{prefix}-password");
    html! {
        p class="hint" { (t(Msg::TfaProofHint)) }
        div class="field" {
            label for=(code) { (t(Msg::TfaCodeLabel)) }
            input id=(code) name="code" type="text" autocomplete="one-time-code" maxlength="64";
        }
        div class="field" {
            label for=(password) { (t(Msg::Password)) }
            input id=(password) name="current_password" type="password" autocomplete="current-password" maxlength="1000";
        }
    }
}

/// `GET /account/two-factor`.
pub async fn page(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    account_page(&state, &viewer, html! {}, None, StatusCode::OK).await
}

/// `POST /account/two-factor/start`: a new secret and the field for its first code.
pub async fn start(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<AccountForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    let enrolment = state.app.start_totp(&viewer.actor).await?;
    Ok(enrol_panel(&state, &viewer, &enrolment, None).await)
}

async fn enrol_panel(
    state: &AppState,
    viewer: &Viewer,
    enrolment: &TotpEnrolment,
    error: Option<&str>,
) -> Response {
    let extra = html! {
        section class="panel" aria-labelledby="tfa-enrol" {
            h2 id="tfa-enrol" { (t(Msg::TfaEnrolTitle)) }
            (secret_box(enrolment))
            form class="form" method="post" action=(format!("{PATH}/confirm")) {
                (csrf_field(viewer))
                (code_field(t(Msg::TfaFirstCode), None))
                button class="button button-primary" type="submit" { (t(Msg::TfaTurnOn)) }
            }
        }
    };
    account_page(state, viewer, extra, error, StatusCode::OK)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// `POST /account/two-factor/confirm`: on with the first code; the recovery codes, once.
pub async fn confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<AccountForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    match state.app.confirm_totp(&viewer.actor, &form.code).await {
        Ok(codes) => account_page(&state, &viewer, codes_list(&codes), None, StatusCode::OK).await,
        Err(AppError::Validation(_)) => {
            // A fresh secret: the person scans again.
            let enrolment = state.app.start_totp(&viewer.actor).await?;
            Ok(enrol_panel(&state, &viewer, &enrolment, Some(t(Msg::TfaWrongCode))).await)
        }
        Err(AppError::TooManyAttempts { .. }) => {
            account_page(
                &state,
                &viewer,
                html! {},
                Some(t(Msg::TfaTooMany)),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

fn proof(form: &AccountForm) -> Proof<'_> {
    Proof {
        code: Some(form.code.as_str()).filter(|c| !c.trim().is_empty()),
        password: Some(form.current_password.as_str()).filter(|p| !p.is_empty()),
    }
}

fn proof_error(e: &AppError) -> Option<&'static str> {
    match e {
        AppError::Validation(_) => Some(t(Msg::TfaWrongCode)),
        AppError::TooManyAttempts { .. } => Some(t(Msg::TfaTooMany)),
        AppError::ReauthenticationRequired(_) => Some(t(Msg::TfaProofHint)),
        _ => None,
    }
}

/// `POST /account/two-factor/off`.
pub async fn turn_off(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<AccountForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    match state.app.disable_totp(&viewer.actor, proof(&form)).await {
        Ok(()) => Ok(Redirect::to(PATH).into_response()),
        Err(e) => match proof_error(&e) {
            Some(message) => {
                account_page(
                    &state,
                    &viewer,
                    html! {},
                    Some(message),
                    StatusCode::FORBIDDEN,
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}

/// `POST /account/two-factor/recovery-codes`.
pub async fn new_codes(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<AccountForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    match state
        .app
        .regenerate_recovery_codes(&viewer.actor, proof(&form))
        .await
    {
        Ok(codes) => account_page(&state, &viewer, codes_list(&codes), None, StatusCode::OK).await,
        Err(e) => match proof_error(&e) {
            Some(message) => {
                account_page(
                    &state,
                    &viewer,
                    html! {},
                    Some(message),
                    StatusCode::FORBIDDEN,
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}

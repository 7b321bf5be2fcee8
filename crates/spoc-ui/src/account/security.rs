//! The signed-in person's sign-in and API tokens (`/account/security`): change the password,
//! create, list and revoke API tokens. Creating a token or changing the password needs the
//! current password unless the session signed in within the last 10 minutes (the app layer
//! decides; a refusal is a sentence next to the password field).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{ApiToken, AppError, IssuedToken, TokenRequest};
use spoc_domain::Timestamp;
use spoc_domain::credential::{Resource, TokenOrigin, TokenScope};

use crate::forms::UiForm;
use crate::i18n::{Msg, t};
use crate::page::{Area, FieldErrors, Shell, checkbox, csrf_field, error_box, select, text_input};
use crate::session::{UiError, Viewer, sentence};
use crate::timefmt::when;
use spoc_http::AppState;

/// The page's address.
pub use crate::page::SECURITY_PATH as PATH;

/// The query of the page: a flash key after a change.
#[derive(Debug, Default, Deserialize)]
pub struct SecurityQuery {
    ok: Option<String>,
}

/// The new-token form as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    expires_in_days: String,
    #[serde(default)]
    read_only: Option<String>,
    #[serde(default)]
    resources: String,
}

/// The sign-out-everywhere form as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct EverywhereForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    revoke_browser_tokens: Option<String>,
}

/// The password form as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// A form with only its CSRF token.
#[derive(Debug, Default, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// What the page shows besides the person's tokens.
#[derive(Debug, Default)]
pub struct SecurityView<'a> {
    /// A fixed flash key.
    pub ok: Option<&'a str>,
    /// Errors of the token form.
    pub token_errors: FieldErrors,
    /// The label typed into the token form.
    pub label: &'a str,
    /// The expiry typed into the token form (days).
    pub expires_in_days: &'a str,
    /// Whether "read-only" was ticked.
    pub read_only: bool,
    /// The resource set chosen ("" for all).
    pub resources: &'a str,
    /// Errors of the password form.
    pub password_errors: FieldErrors,
    /// A token just created: shown once.
    pub issued: Option<&'a IssuedToken>,
}

/// `GET /account/security`.
pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<SecurityQuery>,
) -> Result<Response, UiError> {
    let view = SecurityView {
        ok: query.ok.as_deref(),
        ..SecurityView::default()
    };
    render(&state, &viewer, &view, StatusCode::OK).await
}

/// `POST /account/tokens`: create a token; its secret is shown on the answer page only.
pub async fn create_token(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<TokenForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    let password = Some(form.current_password.as_str()).filter(|p| !p.is_empty());
    let mut view = SecurityView {
        label: &form.label,
        expires_in_days: &form.expires_in_days,
        read_only: form.read_only.is_some(),
        resources: &form.resources,
        ..SecurityView::default()
    };
    let days = form.expires_in_days.trim();
    let expires_in_days = if days.is_empty() {
        None
    } else if let Ok(days) = days.parse::<i64>() {
        Some(days)
    } else {
        view.token_errors
            .add("expires_in_days", t(Msg::SecDaysNumber));
        return render(&state, &viewer, &view, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let resources = match form.resources.as_str() {
        "" => None,
        name => match Resource::parse(name) {
            Ok(resource) => Some(vec![resource]),
            Err(_) => {
                view.token_errors.add("resources", t(Msg::SecChooseScope));
                return render(&state, &viewer, &view, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        },
    };
    let request = TokenRequest {
        label: form.label.clone(),
        expires_at: None,
        expires_in_days,
        scope: TokenScope {
            read_only: form.read_only.is_some(),
            resources,
        },
    };
    let issued = match state
        .app
        .create_own_token(&viewer.actor, &request, password)
        .await
    {
        Ok(issued) => issued,
        Err(AppError::Validation(e)) => {
            view.token_errors.add(e.field, sentence(&e.message));
            return render(&state, &viewer, &view, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(AppError::ReauthenticationRequired(message)) => {
            view.token_errors
                .add("current_password", reauthentication_sentence(&message));
            return render(&state, &viewer, &view, StatusCode::FORBIDDEN).await;
        }
        Err(AppError::TooManyAttempts { .. }) => {
            view.token_errors
                .add("current_password", t(Msg::SecTooManyWrong));
            return render(&state, &viewer, &view, StatusCode::TOO_MANY_REQUESTS).await;
        }
        Err(e) => return Err(e.into()),
    };
    let view = SecurityView {
        issued: Some(&issued),
        ..SecurityView::default()
    };
    let mut response = render(&state, &viewer, &view, StatusCode::CREATED).await?;
    // The secret is on this page only: no cache may keep it.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `POST /account/tokens/{id}/revoke`.
pub async fn revoke_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<CsrfForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    let id: i64 = id.parse().map_err(|_| UiError::not_found())?;
    state
        .app
        .revoke_own_token(&viewer.actor, spoc_domain::TokenId::new(id))
        .await?;
    Ok(Redirect::to(&format!("{PATH}?ok=revoked")).into_response())
}

/// `POST /account/sign-out-everywhere`: ends every session (this one too), and with the box
/// ticked revokes the API tokens created from a browser.
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<EverywhereForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    state
        .app
        .sign_out_everywhere(&viewer.actor, form.revoke_browser_tokens.is_some())
        .await?;
    let mut response = Redirect::to("/login?signed_out=everywhere").into_response();
    if let Some(cookie) = spoc_http::cookie::session_cookie_header(&state, "", 0) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// `POST /account/password`: every other session ends; this one stays signed in.
pub async fn change_password(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<PasswordForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    let password = Some(form.current_password.as_str()).filter(|p| !p.is_empty());
    let mut view = SecurityView::default();
    match state
        .app
        .change_own_password(
            &viewer.actor,
            spoc_app::ThisSession::Csrf(&viewer.csrf),
            password,
            &form.new_password,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("{PATH}?ok=password_changed")).into_response()),
        Err(AppError::Validation(e)) => {
            view.password_errors
                .add("new_password", sentence(&e.message));
            render(&state, &viewer, &view, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::ReauthenticationRequired(message)) => {
            view.password_errors
                .add("current_password", reauthentication_sentence(&message));
            render(&state, &viewer, &view, StatusCode::FORBIDDEN).await
        }
        Err(AppError::TooManyAttempts { .. }) => {
            view.password_errors
                .add("current_password", t(Msg::SecTooManyWrong));
            render(&state, &viewer, &view, StatusCode::TOO_MANY_REQUESTS).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The sentence next to the current-password field.
fn reauthentication_sentence(message: &str) -> String {
    if message.contains("not your current password") {
        t(Msg::SecWrongCurrent).to_owned()
    } else {
        t(Msg::SecConfirmCurrent).to_owned()
    }
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    view: &SecurityView<'_>,
    status: StatusCode,
) -> Result<Response, UiError> {
    let tokens = state.app.list_own_tokens(&viewer.actor).await?;
    let sessions = state
        .app
        .own_sessions(&viewer.actor, spoc_app::ThisSession::Csrf(&viewer.csrf))
        .await?;
    let area = if viewer.actor.is_staff() {
        Area::Desk
    } else {
        Area::Portal
    };
    let generated = state.app.uses_generated_password(&viewer.actor).await?;
    let body = html! {
        @if generated {
            div class="notice notice-warning" role="status" id="generated-password" {
                (crate::i18n::t(crate::i18n::Msg::GeneratedPasswordPrompt))
            }
        }
        (security_body(viewer, &tokens, &sessions, view, state.app.now()))
    };
    let shell = Shell::new(t(Msg::SecTitle), area).current(PATH);
    Ok((status, Html(shell.render(Some(viewer), body).into_string())).into_response())
}

fn flash_message(key: Option<&str>) -> Option<&'static str> {
    match key? {
        "revoked" => Some(t(Msg::SecRevoked)),
        "session_ended" => Some(t(Msg::SessEnded)),
        "password_changed" => Some(t(Msg::SecPasswordChanged)),
        _ => None,
    }
}

fn resource_options() -> Vec<(String, String)> {
    let mut options = vec![(String::new(), t(Msg::SecEverything).to_owned())];
    for resource in Resource::ALL {
        let label = match resource {
            Resource::Tickets => t(Msg::SecTicketsOnly),
            Resource::Knowledge => t(Msg::SecKnowledgeOnly),
            Resource::Sops => t(Msg::SecSopsOnly),
            Resource::Admin => t(Msg::SecAdminOnly),
        };
        options.push((resource.as_str().to_owned(), label.to_owned()));
    }
    options
}

/// The page's content.
pub fn security_body(
    viewer: &Viewer,
    tokens: &[ApiToken],
    sessions: &[spoc_app::OpenSession],
    view: &SecurityView<'_>,
    now: Timestamp,
) -> Markup {
    html! {
        div class="page-head" {
            div {
                h1 { (t(Msg::SecTitle)) }
                p class="muted" { (t(Msg::SecIntro)) }
            }
        }
        @if let Some(message) = flash_message(view.ok) {
            div class="flash flash-success" role="status" { (message) }
        }
        @if let Some(issued) = view.issued {
            div class="panel notice notice-success" role="status" {
                h2 { (t(Msg::SecNewToken)) }
                p { (t(Msg::SecCopyNow)) " " code { "Authorization: Bearer …" } "." } // i18n: not text
                p { code class="secret" id="new-token" { (issued.secret) } }
            }
        }
        section class="panel" aria-labelledby="tokens-heading" {
            h2 id="tokens-heading" { (t(Msg::SecTokens)) }
            @if tokens.is_empty() {
                p class="muted" { (t(Msg::SecNoTokens)) }
            } @else {
                div class="table-wrap" { table class="data cards-on-phone" {
                    thead { tr { th scope="col" { (t(Msg::SecName)) } th scope="col" { (t(Msg::SecCreated)) } th scope="col" { (t(Msg::SecExpires)) } th scope="col" { (t(Msg::SecScope)) } th scope="col" { (t(Msg::SecMadeFrom)) } th scope="col" { (t(Msg::SecLastUsed)) } th scope="col" { (t(Msg::SecState)) } th scope="col" { span class="visually-hidden" { (t(Msg::SecActions)) } } } }
                    tbody {
                        @for token in tokens {
                            tr {
                                td data-label=(t(Msg::SecName)) { bdi { (token.label) } }
                                td data-label=(t(Msg::SecCreated)) { (when(token.created_at)) }
                                td data-label=(t(Msg::SecExpires)) { @if let Some(at) = token.expires_at { (when(at)) } @else { span class="muted" { (t(Msg::SecNever)) } } }
                                td data-label=(t(Msg::SecScope)) { (crate::i18n::words::token_scope(&token.scope)) }
                                td data-label=(t(Msg::SecMadeFrom)) { @if token.origin == TokenOrigin::Session { (t(Msg::SecBrowser)) } @else { (t(Msg::SecCommandLine)) } }
                                td data-label=(t(Msg::SecLastUsed)) { @if let Some(at) = token.last_used_at { (when(at)) } @else { span class="muted" { (t(Msg::SecNever)) } } }
                                td data-label=(t(Msg::SecState)) {
                                    @if let Some(at) = token.revoked_at { (t(Msg::SecRevokedAt)) (when(at)) }
                                    @else if token.expires_at.is_some_and(|at| at <= now) { (t(Msg::SecExpired)) }
                                    @else { (t(Msg::SecActive)) }
                                }
                                td {
                                    @if token.revoked_at.is_none() {
                                        form method="post" action={ "/account/tokens/" (token.id) "/revoke" } class="inline" {
                                            (csrf_field(viewer))
                                            button class="button button-small" type="submit" { (t(Msg::SecRevoke)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                } }
            }
            h3 { (t(Msg::SecCreateToken)) }
            (error_box(view.token_errors.get("form")))
            form class="form" method="post" action="/account/tokens" {
                (csrf_field(viewer))
                (text_input("t-label", "label", t(Msg::SecName), "text", view.label, true,
                    Some(t(Msg::SecLabelHint)), &view.token_errors))
                (text_input("t-expires", "expires_in_days", t(Msg::SecExpiresAfter), "number", view.expires_in_days, false,
                    Some(t(Msg::SecExpiresHint)), &view.token_errors))
                (select("t-resources", "resources", t(Msg::SecMayUse), &resource_options(), view.resources, &view.token_errors))
                (checkbox("t-read-only", "read_only", t(Msg::SecReadOnly), view.read_only, None))
                (text_input("t-current-password", "current_password", t(Msg::SecYourCurrentPassword), "password", "", false,
                    Some(t(Msg::SecNotNeeded)), &view.token_errors))
                div class="form-actions" { button class="button button-primary" type="submit" { (t(Msg::SecCreateTokenButton)) } }
            }
        }
        (super::sessions::panel(viewer, sessions))
        section class="panel" aria-labelledby="tfa-heading" id="two-factor" {
            h2 id="tfa-heading" { (t(Msg::TfaTitle)) }
            p { (t(Msg::TfaIntro)) " " a href=(super::two_factor::PATH) { (t(Msg::TfaSetUp)) } }
        }
        (super::my_data::panel())
        section class="panel" aria-labelledby="everywhere-heading" {
            h2 id="everywhere-heading" { (t(Msg::SecSignOutEverywhere)) }
            p { (t(Msg::SecSignOutText)) }
            form class="form" method="post" action="/account/sign-out-everywhere" {
                (csrf_field(viewer))
                (checkbox("e-revoke", "revoke_browser_tokens", t(Msg::SecAlsoRevoke), false,
                    Some(t(Msg::SecCliKeep))))
                div class="form-actions" { button class="button" type="submit" { (t(Msg::SecSignOutEverywhere)) } }
            }
        }
        section class="panel" aria-labelledby="password-heading" id="password" {
            h2 id="password-heading" { (t(Msg::SecChangePassword)) }
            form class="form" method="post" action="/account/password" {
                (csrf_field(viewer))
                (text_input("p-current-password", "current_password", t(Msg::SecCurrentPassword), "password", "", false,
                    Some(t(Msg::SecNotNeeded)), &view.password_errors))
                (text_input("p-new-password", "new_password", t(Msg::NewPassword), "password", "", true,
                    Some(t(Msg::SecNewPasswordHint)), &view.password_errors))
                div class="form-actions" { button class="button button-primary" type="submit" { (t(Msg::SecChangePasswordButton)) } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use spoc_domain::UserId;
    use spoc_domain::access::Actor;
    use spoc_domain::credential::Credential;
    use spoc_domain::user::Role;

    use super::*;

    fn viewer() -> Viewer {
        Viewer {
            actor: Actor {
                tenant_id: spoc_domain::TenantId::FIRST,
                principal: spoc_domain::access::Principal::User(UserId::new(1)),
                role: Role::Customer,
                organization_id: None,
                super_user: false,
                group_ids: vec![],
                credential: Credential::Direct,
            },
            user_id: UserId::new(1),
            csrf: "c".repeat(64),
            name: "Pat".to_owned(),
        }
    }

    #[test]
    fn a_refused_token_puts_a_sentence_next_to_the_password_field() {
        let mut view = SecurityView {
            label: "my script",
            ..SecurityView::default()
        };
        view.token_errors.add(
            "current_password",
            reauthentication_sentence("confirm it is you"),
        );
        let token = ApiToken {
            id: spoc_domain::TokenId::new(7),
            user_id: UserId::new(1),
            label: "old \u{202e}txet".to_owned(),
            created_at: Timestamp::from_micros(1_800_000_000_000_000),
            last_used_at: None,
            revoked_at: None,
            expires_at: Some(Timestamp::from_micros(1_900_000_000_000_000)),
            scope: TokenScope {
                read_only: true,
                resources: Some(vec![Resource::Tickets]),
            },
            origin: TokenOrigin::Session,
        };
        let now = Timestamp::from_micros(1_800_000_000_000_000);
        let html = security_body(&viewer(), &[token], &[], &view, now).into_string();
        assert!(
            html.contains(r#"id="t-current-password-error">Enter your current password"#),
            "{html}"
        );
        assert!(
            html.contains(r#"value="my script""#),
            "what was typed stays"
        );
        assert!(html.contains(r#"action="/account/tokens/7/revoke""#));
        assert!(html.contains("<bdi>old"), "labels are isolated");
        assert!(
            html.contains(
                r#"<td data-label="Scope">read-only: tickets</td><td data-label="Made from">the browser</td>"#
            ),
            "{html}"
        );
        assert!(html.contains(r#"action="/account/sign-out-everywhere""#));
        assert!(html.contains(r#"name="revoke_browser_tokens""#));
    }
}

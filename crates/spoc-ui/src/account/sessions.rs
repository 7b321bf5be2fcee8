//! "Where you are signed in" on the sign-in-and-tokens page: the person's open browser sessions
//! (browser, since when, until when; this one marked), each of which they can end — e.g. the one
//! left open on a shared computer.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use spoc_app::OpenSession;

use crate::forms::UiForm;
use crate::i18n::{Msg, t};
use crate::page::{SECURITY_PATH as PATH, csrf_field};
use crate::session::{UiError, Viewer};
use crate::timefmt::when;
use serde::Deserialize;
use spoc_http::AppState;

/// The form ending a session: only its CSRF token.
#[derive(Debug, Default, Deserialize)]
pub struct EndForm {
    #[serde(default)]
    csrf: String,
}

/// The panel listing the sessions.
pub fn panel(viewer: &Viewer, sessions: &[OpenSession]) -> Markup {
    html! {
        section class="panel" aria-labelledby="sessions-heading" id="sessions" {
            h2 id="sessions-heading" { (t(Msg::SessTitle)) }
            p class="muted" { (t(Msg::SessIntro)) }
            div class="table-wrap" { table class="data cards-on-phone" {
                thead { tr {
                    th scope="col" { (t(Msg::SessBrowser)) }
                    th scope="col" { (t(Msg::SessSince)) }
                    th scope="col" { (t(Msg::SessUntil)) }
                    th scope="col" { span class="visually-hidden" { (t(Msg::SecActions)) } }
                } }
                tbody {
                    @for s in sessions {
                        tr {
                            td data-label=(t(Msg::SessBrowser)) {
                                @match &s.device {
                                    Some(device) => span class="small" { bdi { (device) } },
                                    None => span class="muted" { (t(Msg::SessUnknownBrowser)) },
                                }
                                @if s.current { " " span class="badge" { (t(Msg::SessThisBrowser)) } }
                            }
                            td data-label=(t(Msg::SessSince)) { (when(s.created_at)) }
                            td data-label=(t(Msg::SessUntil)) { (when(s.expires_at)) }
                            td {
                                form method="post" action={ "/account/sessions/" (s.id) "/end" } class="inline" {
                                    (csrf_field(viewer))
                                    button class="button button-small" type="submit" {
                                        @if s.current { (t(Msg::SessSignOutHere)) } @else { (t(Msg::SessEnd)) }
                                    }
                                }
                            }
                        }
                    }
                }
            } }
        }
    }
}

/// `POST /account/sessions/{id}/end`: ends one of the person's sessions; ending this one signs
/// this browser out.
pub async fn end(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<EndForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    let this = state
        .app
        .own_sessions(&viewer.actor, spoc_app::ThisSession::Csrf(&viewer.csrf))
        .await?
        .into_iter()
        .any(|s| s.current && s.id == id);
    state.app.end_own_session(&viewer.actor, &id).await?;
    if this {
        let mut response = Redirect::to("/login?signed_out=1").into_response();
        if let Some(cookie) = spoc_http::cookie::session_cookie_header(&state, "", 0) {
            response.headers_mut().insert(header::SET_COOKIE, cookie);
        }
        return Ok(response);
    }
    Ok(Redirect::to(&format!("{PATH}?ok=session_ended#sessions")).into_response())
}

//! The desk's in-app notifications (`/desk/notifications`): escalations, SLA warnings and
//! breaches, new effective SOP versions, reviews due or called for — newest first, each linking
//! to what it is about, with "mark read".

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use crate::forms::UiForm;
use crate::i18n::{Msg, t};
use crate::page::{Area, Shell, csrf_field, empty_state, flash};
use crate::session::{UiError, Viewer};
use crate::timefmt::when;
use spoc_http::AppState;

/// The page's query.
#[derive(Debug, Default, Deserialize)]
pub struct NotificationQuery {
    all: Option<String>,
    ok: Option<String>,
}

/// Where a notification leads: its ticket, or the page of its topic.
fn target(topic: &str, ticket: Option<i64>) -> Option<String> {
    match (ticket, topic) {
        (Some(id), _) => Some(format!("/desk/tickets/{id}")),
        (None, "sop.review") => Some("/desk/sops/reviews".to_owned()),
        (None, "sop.effective") => Some("/desk/sops".to_owned()),
        _ => None,
    }
}

/// `GET /desk/notifications`.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<NotificationQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let all = query.all.is_some();
    let notes = state.app.notifications(&viewer.actor, !all, 100).await?;
    let body = html! {
        (flash(query.ok.as_deref()))
        div class="page-head" {
            div {
                h1 { (t(Msg::Notifications)) }
                p class="muted" { (t(Msg::NotificationsIntro)) }
            }
            div class="page-actions" {
                @if all { a class="button" href="/desk/notifications" { (t(Msg::UnreadOnly)) } }
                @else { a class="button" href="/desk/notifications?all=1" { (t(Msg::ShowReadToo)) } }
            }
        }
        @if notes.is_empty() {
            (empty_state(t(Msg::NothingNew), t(Msg::ReadEverything), None))
        } @else {
            ul class="stack notification-list" {
                @for n in &notes {
                    li class={ "card" @if n.read_at.is_none() { " is-unread" } } {
                        div class="cluster" {
                            @match target(&n.topic, n.ticket_id.map(|t| t.get())) {
                                Some(href) => a href=(href) { (crate::i18n::app::text(&n.message)) },
                                None => span { (crate::i18n::app::text(&n.message)) },
                            }
                        }
                        div class="cluster small muted" {
                            span { (when(n.created_at)) }
                            @if n.read_at.is_none() {
                                form method="post" action={ "/desk/notifications/" (n.id) "/read" } class="inline" {
                                    (csrf_field(&viewer))
                                    button class="button button-small button-quiet" type="submit" { (t(Msg::MarkRead)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let shell = Shell::new(t(Msg::Notifications), Area::Desk).current("/desk/notifications");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
}

/// The badge's count past which it shows "99+".
const BADGE_CAP: i64 = 100;

/// The badge's text for `unread` notifications: empty for none.
pub(crate) fn badge_text(unread: i64) -> String {
    match unread {
        0 => String::new(),
        n if n >= BADGE_CAP => "99+".to_owned(),
        n => n.to_string(),
    }
}

/// `GET /desk/notifications/unread`: the unread count for the header's badge, as JSON
/// (`{"unread": 3, "badge": "3"}`); the page script asks on load and after live changes.
pub async fn unread(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let unread = state
        .app
        .unread_notification_count(&viewer.actor, BADGE_CAP)
        .await?;
    let body = serde_json::json!({ "unread": unread, "badge": badge_text(unread) });
    let mut response = axum::Json(body).into_response();
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// The mark-read form.
#[derive(Debug, Default, Deserialize)]
pub struct ReadForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /desk/notifications/{id}/read`.
pub async fn read(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<ReadForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let id = id.parse::<i64>().map_err(|_| UiError::not_found())?;
    state
        .app
        .mark_notification_read(&viewer.actor, spoc_domain::NotificationId::new(id))
        .await?;
    Ok(Redirect::to("/desk/notifications").into_response())
}

//! The signed-in person's own settings: which e-mail notifications they get
//! (`/account/notifications`), topic by topic, for customers and staff alike.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::AppError;
use spoc_domain::mail::NoticeTopic;

use crate::forms::UiForm;
use crate::page::{Area, Shell, csrf_field, error_box, flash};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// The page's address.
pub use crate::page::ACCOUNT_PATH as PATH;

/// The query of the page: a flash key after saving.
#[derive(Debug, Default, Deserialize)]
pub struct PreferencesQuery {
    ok: Option<String>,
}

/// `GET /account/notifications`.
pub async fn notifications(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<PreferencesQuery>,
) -> Result<Response, UiError> {
    let topics = state.app.notification_preferences(&viewer.actor).await?;
    Ok(page(
        &viewer,
        &topics,
        query.ok.as_deref(),
        None,
        StatusCode::OK,
    ))
}

/// `POST /account/notifications`: every topic shown comes back as `shown`, the ticked ones as
/// `on`, so an unticked box switches its topic off.
pub async fn save_notifications(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map_or("", |(_, v)| v.as_str());
    viewer.check_csrf(csrf)?;
    let on: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "on")
        .map(|(_, v)| v.as_str())
        .collect();
    let choices: Vec<(String, bool)> = pairs
        .iter()
        .filter(|(k, _)| k == "shown")
        .map(|(_, topic)| (topic.clone(), on.contains(&topic.as_str())))
        .collect();
    match state
        .app
        .set_notification_preferences(&viewer.actor, &choices)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?ok=preferences")).into_response()),
        Err(AppError::Validation(e)) => {
            let topics = state.app.notification_preferences(&viewer.actor).await?;
            Ok(page(
                &viewer,
                &topics,
                None,
                Some(&sentence(&e.message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

fn page(
    viewer: &Viewer,
    topics: &[(NoticeTopic, bool)],
    ok: Option<&str>,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let area = if viewer.actor.is_staff() {
        Area::Desk
    } else {
        Area::Portal
    };
    let body = html! {
        div class="page-head" {
            div {
                h1 { "E-mail notifications" }
                p class="muted" { "Choose which e-mails Spoc sends you. Everything also stays visible on the ticket itself." }
            }
        }
        (flash(ok))
        (error_box(error))
        (preferences_form(viewer, topics))
    };
    let shell = Shell::new("E-mail notifications", area).current(PATH);
    (status, Html(shell.render(Some(viewer), body).into_string())).into_response()
}

/// The form: one labelled checkbox per topic, customer topics first, then those for staff.
pub fn preferences_form(viewer: &Viewer, topics: &[(NoticeTopic, bool)]) -> Markup {
    let group = |for_requester: bool| -> Vec<(NoticeTopic, bool)> {
        topics
            .iter()
            .copied()
            .filter(|(t, _)| t.is_for_requester() == for_requester)
            .collect()
    };
    let mine = group(true);
    let work = group(false);
    html! {
        form class="form panel" method="post" action=(PATH) {
            (csrf_field(viewer))
            (topic_group("About tickets you asked for", &mine))
            @if !work.is_empty() {
                (topic_group("About your work on the desk", &work))
            }
            div class="form-actions" { button class="button button-primary" type="submit" { "Save my choices" } }
        }
    }
}

fn topic_group(legend: &str, topics: &[(NoticeTopic, bool)]) -> Markup {
    html! {
        fieldset class="field topic-list" {
            legend { (legend) }
            @for (topic, on) in topics {
                @let id = format!("topic-{}", topic.as_str());
                div class="field-check" {
                    input type="hidden" name="shown" value=(topic.as_str());
                    label for=(id) {
                        input id=(id) type="checkbox" name="on" value=(topic.as_str()) checked[*on];
                        " " (topic.describe())
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use spoc_domain::access::Actor;
    use spoc_domain::user::Role;
    use spoc_domain::{GroupId, UserId};

    use super::*;

    fn viewer(role: Role) -> Viewer {
        Viewer {
            actor: Actor {
                tenant_id: spoc_domain::TenantId::FIRST,
                principal: spoc_domain::access::Principal::User(UserId::new(1)),
                role,
                organization_id: None,
                super_user: false,
                group_ids: vec![GroupId::new(1)],
                credential: spoc_domain::credential::Credential::Direct,
            },
            user_id: UserId::new(1),
            csrf: "c".repeat(64),
            name: "Pat".to_owned(),
        }
    }

    #[test]
    fn every_topic_is_a_labelled_checkbox_that_reports_itself_when_unticked() {
        let topics = vec![
            (NoticeTopic::AgentReply, false),
            (NoticeTopic::Resolved, true),
            (NoticeTopic::SlaBreach, true),
        ];
        let html = preferences_form(&viewer(Role::Agent), &topics).into_string();
        assert!(
            html.contains(r#"<input type="hidden" name="csrf""#),
            "{html}"
        );
        assert!(html.contains(r#"<input type="hidden" name="shown" value="agent_reply">"#));
        assert!(html.contains(r#"<label for="topic-agent_reply"><input id="topic-agent_reply" type="checkbox" name="on" value="agent_reply"> The desk replied on a ticket of yours</label>"#), "{html}");
        assert!(html.contains(r#"value="resolved" checked"#));
        assert!(html.contains("About your work on the desk"));
        let customer = preferences_form(
            &viewer(Role::Customer),
            &[(NoticeTopic::TicketLogged, true)],
        )
        .into_string();
        assert!(!customer.contains("About your work"), "{customer}");
    }
}

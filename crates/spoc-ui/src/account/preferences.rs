//! The signed-in person's own settings (`/account/notifications`): the time zone times are shown
//! in and the language of the pages, and which e-mail notifications they get, topic by topic, for
//! customers and staff alike (while mail is off, the page says so and the choices are locked).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::AppError;
use spoc_domain::mail::NoticeTopic;

use crate::forms::UiForm;
use crate::i18n::{Msg, t};
use crate::page::{
    Area, FieldErrors, Shell, csrf_field, described_by, error_box, field, flash, select,
};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// The page's address.
pub use crate::page::ACCOUNT_PATH as PATH;

/// The query of the page: a flash key after saving.
#[derive(Debug, Default, Deserialize)]
pub struct PreferencesQuery {
    ok: Option<String>,
}

/// The time zone and language form as submitted (and shown again after a refusal).
#[derive(Debug, Default, Deserialize)]
pub struct ReadingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    language: String,
}

/// `POST /account/reading`.
pub const READING_PATH: &str = "/account/reading";

/// `GET /account/notifications`.
pub async fn notifications(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<PreferencesQuery>,
) -> Result<Response, UiError> {
    let topics = state.app.notification_preferences(&viewer.actor).await?;
    let settings = state.app.own_reading_settings(&viewer.actor).await?;
    let reading = ReadingForm {
        csrf: String::new(),
        time_zone: settings.time_zone.unwrap_or_default(),
        language: settings.language.as_str().to_owned(),
    };
    Ok(page(
        &viewer,
        Shown {
            topics: &topics,
            reading: &reading,
            reading_errors: &FieldErrors::none(),
            mail_on: state.app.mail_on(&viewer.actor).await?,
        },
        query.ok.as_deref(),
        None,
        StatusCode::OK,
    ))
}

/// `POST /account/reading`: the person's time zone and language.
pub async fn save_reading(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<ReadingForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    match state
        .app
        .set_own_reading_settings(&viewer.actor, &form.time_zone, &form.language)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?ok=reading")).into_response()),
        Err(AppError::Validation(e)) => {
            let mut errors = FieldErrors::none();
            if e.field == "time_zone" {
                errors.add("time_zone", t(Msg::UnknownZone));
            } else {
                errors.add(e.field, sentence(&e.message));
            }
            let topics = state.app.notification_preferences(&viewer.actor).await?;
            Ok(page(
                &viewer,
                Shown {
                    topics: &topics,
                    reading: &form,
                    reading_errors: &errors,
                    mail_on: state.app.mail_on(&viewer.actor).await?,
                },
                None,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(e.into()),
    }
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
            let settings = state.app.own_reading_settings(&viewer.actor).await?;
            let reading = ReadingForm {
                csrf: String::new(),
                time_zone: settings.time_zone.unwrap_or_default(),
                language: settings.language.as_str().to_owned(),
            };
            Ok(page(
                &viewer,
                Shown {
                    topics: &topics,
                    reading: &reading,
                    reading_errors: &FieldErrors::none(),
                    mail_on: state.app.mail_on(&viewer.actor).await?,
                },
                None,
                Some(&sentence(&e.message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// What the page shows.
struct Shown<'a> {
    topics: &'a [(NoticeTopic, bool)],
    reading: &'a ReadingForm,
    reading_errors: &'a FieldErrors,
    mail_on: bool,
}

fn page(
    viewer: &Viewer,
    shown: Shown<'_>,
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
                h1 { (t(Msg::SettingsTitle)) }
                p class="muted" { (t(Msg::SettingsIntro)) }
            }
        }
        @if ok == Some("reading") {
            div class="flash flash-success" role="status" { (t(Msg::SettingsSaved)) }
        } @else {
            (flash(ok))
        }
        (reading_form(viewer, shown.reading, shown.reading_errors))
        section class="stack" aria-labelledby="notifications-heading" {
            h2 id="notifications-heading" { (t(Msg::EmailNotifications)) }
            p class="muted" { (t(Msg::EmailNotificationsIntro)) }
            (error_box(error))
            (preferences_form(viewer, shown.topics, shown.mail_on))
        }
    };
    let shell = Shell::new(t(Msg::SettingsTitle), area).current(PATH);
    (status, Html(shell.render(Some(viewer), body).into_string())).into_response()
}

/// The time zone (IANA list; empty for the server's) and language form.
fn reading_form(viewer: &Viewer, form: &ReadingForm, errors: &FieldErrors) -> Markup {
    let server = crate::timefmt::server_zone_name();
    let mut zones = vec![(
        String::new(),
        format!("{}{server}", t(Msg::ServerZonePrefix)),
    )];
    zones.extend(
        spoc_app::time_zone_names()
            .into_iter()
            .map(|z| (z.clone(), z)),
    );
    let languages: Vec<(String, String)> = spoc_app::Language::ALL
        .iter()
        .map(|l| (l.as_str().to_owned(), l.own_name().to_owned()))
        .collect();
    let zone_error = errors.get("time_zone");
    html! {
        section class="panel" aria-labelledby="reading-heading" {
            h2 id="reading-heading" { (t(Msg::ZoneAndLanguage)) }
            form class="form" method="post" action=(READING_PATH) {
                (csrf_field(viewer))
                (field("time-zone", t(Msg::TimeZone), Some(t(Msg::TimeZoneHint)), zone_error, html! {
                    select id="time-zone" name="time_zone" aria-invalid=[zone_error.map(|_| "true")]
                        aria-describedby=[described_by("time-zone", true, zone_error.is_some())] {
                        @if !form.time_zone.is_empty() && !zones.iter().any(|(z, _)| *z == form.time_zone) {
                            option value=(form.time_zone) selected { (form.time_zone) }
                        }
                        @for (value, label) in &zones {
                            option value=(value) selected[*value == form.time_zone] { (label) }
                        }
                    }
                }))
                (select("language", "language", t(Msg::Language), &languages, &form.language, errors))
                div class="form-actions" { button class="button button-primary" type="submit" { (t(Msg::SaveSettings)) } }
            }
        }
    }
}

/// The form: one labelled checkbox per topic, customer topics first, then those for staff.
/// While mail is off it says so, and its boxes cannot be changed.
pub fn preferences_form(viewer: &Viewer, topics: &[(NoticeTopic, bool)], mail_on: bool) -> Markup {
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
        @if !mail_on {
            div class="notice notice-warning" role="status" id="mail-off" { (t(Msg::MailOffNotice)) }
        }
        form class="form panel" method="post" action=(PATH) {
            (csrf_field(viewer))
            (topic_group(t(Msg::TopicsMine), &mine, mail_on))
            @if !work.is_empty() {
                (topic_group(t(Msg::TopicsWork), &work, mail_on))
            }
            div class="form-actions" { button class="button button-primary" type="submit" disabled[!mail_on] { (t(Msg::SaveMyChoices)) } }
        }
    }
}

fn topic_group(legend: &str, topics: &[(NoticeTopic, bool)], mail_on: bool) -> Markup {
    html! {
        fieldset class="field topic-list" disabled[!mail_on] {
            legend { (legend) }
            @for (topic, on) in topics {
                @let id = format!("topic-{}", topic.as_str());
                div class="field-check" {
                    input type="hidden" name="shown" value=(topic.as_str());
                    label for=(id) {
                        input id=(id) type="checkbox" name="on" value=(topic.as_str()) checked[*on];
                        " " (crate::i18n::words::notice_topic(*topic))
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
        let html = preferences_form(&viewer(Role::Agent), &topics, true).into_string();
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
            true,
        )
        .into_string();
        assert!(!customer.contains("About your work"), "{customer}");
        assert!(!customer.contains("E-mail is off"));
        let off = preferences_form(
            &viewer(Role::Customer),
            &[(NoticeTopic::TicketLogged, true)],
            false,
        )
        .into_string();
        assert!(off.contains("E-mail is off on this desk"), "{off}");
        assert!(
            off.contains(r#"<fieldset class="field topic-list" disabled>"#),
            "{off}"
        );
        assert!(off.contains(r#"type="submit" disabled>"#), "{off}");
    }
}

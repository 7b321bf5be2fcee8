//! The admin home (`/admin`): the first-run checklist. Each step links to the page where it is
//! done and is ticked from the desk's data (see the app's `setup_checklist`), never by hand.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use spoc_app::SetupStep;

use crate::admin::frame::{page, require_admin};
use crate::i18n::{Msg, t};
use crate::session::{UiError, Viewer};
use spoc_http::AppState;

/// What a step asks for, why, and where it is done.
fn step_text(step: SetupStep) -> (&'static str, &'static str, &'static str) {
    match step {
        SetupStep::ChangePassword => (
            t(Msg::StepPassword),
            t(Msg::StepPasswordText),
            "/account/security",
        ),
        SetupStep::TestMail => (
            t(Msg::StepMail),
            t(Msg::StepMailText),
            "/admin/mail/outbox#test-message",
        ),
        SetupStep::GroupsAndCategories => {
            (t(Msg::StepGroups), t(Msg::StepGroupsText), "/admin/groups")
        }
        SetupStep::LinkSops => (t(Msg::StepSops), t(Msg::StepSopsText), "/desk/sops"),
        SetupStep::InviteAgents => (t(Msg::StepAgents), t(Msg::StepAgentsText), "/admin/users"),
    }
}

/// The checklist.
pub(crate) fn checklist(steps: &[(SetupStep, bool)]) -> Markup {
    let done = steps.iter().filter(|(_, d)| *d).count();
    html! {
        section class="panel setup-checklist" aria-labelledby="setup-heading" {
            h2 id="setup-heading" { (t(Msg::SetUpDesk)) }
            p class="muted" id="setup-progress" {
                (done) (t(Msg::StepsDoneMiddle)) (steps.len()) (t(Msg::StepsDoneSuffix))
            }
            ol class="checklist-steps" {
                @for (step, is_done) in steps {
                    @let (title, text, href) = step_text(*step);
                    li class={ "setup-step" @if *is_done { " is-done" } } id={ "step-" (step.as_str()) }
                        data-done=(if *is_done { "true" } else { "false" }) {
                        span class="setup-mark" aria-hidden="true" { @if *is_done { "✓" } }
                        div {
                            a href=(href) { (title) }
                            " " span class="visually-hidden" { @if *is_done { (t(Msg::Done)) } @else { (t(Msg::ToDo)) } }
                            p class="small muted" { (text) }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /admin`.
pub(crate) async fn home(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let steps = state.app.setup_checklist(&viewer.actor).await?;
    let all_done = steps.iter().all(|(_, d)| *d);
    let content = html! {
        div class="page-head" {
            div {
                h1 { (t(Msg::AdminTitle)) }
                p class="muted" {
                    @if all_done { (t(Msg::AdminAllDone)) } @else { (t(Msg::AdminNotDone)) }
                }
            }
        }
        (checklist(&steps))
    };
    Ok(page(
        &viewer,
        "/admin",
        t(Msg::AdminTitle),
        StatusCode::OK,
        content,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_link_to_their_pages_and_say_whether_they_are_done() {
        let html = checklist(&[
            (SetupStep::ChangePassword, true),
            (SetupStep::TestMail, false),
        ])
        .into_string();
        assert!(html.contains("1 of 2 steps done."), "{html}");
        assert!(html.contains(r#"id="step-change_password" data-done="true""#));
        assert!(html.contains(r#"id="step-test_mail" data-done="false""#));
        assert!(html.contains(r##"href="/admin/mail/outbox#test-message""##));
        assert!(html.contains("(to do)"));
    }
}

//! The admin home (`/admin`): the first-run checklist. Each step links to the page where it is
//! done and is ticked from the desk's data (see the app's `setup_checklist`), never by hand.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use spoc_app::SetupStep;

use crate::admin::frame::{page, require_admin};
use crate::session::{UiError, Viewer};
use spoc_http::AppState;

/// What a step asks for, why, and where it is done.
fn step_text(step: SetupStep) -> (&'static str, &'static str, &'static str) {
    match step {
        SetupStep::ChangePassword => (
            "Replace the generated password",
            "The password printed at first start is still in use. Choose your own.",
            "/account/security",
        ),
        SetupStep::TestMail => (
            "Set up outgoing mail and send a test message",
            "Start Spoc with --mail-from and --smtp-url, then send a test message; it is ticked once the relay accepted it.",
            "/admin/mail/outbox#test-message",
        ),
        SetupStep::GroupsAndCategories => (
            "Add groups and categories",
            "The resolver groups beyond the first-line Service Desk, and the categories people choose from.",
            "/admin/groups",
        ),
        SetupStep::LinkSops => (
            "Link the shipped SOPs",
            "The shipped procedures attach to categories of the names they expect; create those categories and review the SOPs.",
            "/desk/sops",
        ),
        SetupStep::InviteAgents => (
            "Invite agents",
            "Add the people who work tickets, as agents or leads.",
            "/admin/users",
        ),
    }
}

/// The checklist.
pub(crate) fn checklist(steps: &[(SetupStep, bool)]) -> Markup {
    let done = steps.iter().filter(|(_, d)| *d).count();
    html! {
        section class="panel setup-checklist" aria-labelledby="setup-heading" {
            h2 id="setup-heading" { "Set up your desk" }
            p class="muted" id="setup-progress" { (done) " of " (steps.len()) " steps done." }
            ol class="checklist-steps" {
                @for (step, is_done) in steps {
                    @let (title, text, href) = step_text(*step);
                    li class={ "setup-step" @if *is_done { " is-done" } } id={ "step-" (step.as_str()) }
                        data-done=(if *is_done { "true" } else { "false" }) {
                        span class="setup-mark" aria-hidden="true" { @if *is_done { "✓" } @else { "" } }
                        div {
                            a href=(href) { (title) }
                            " " span class="visually-hidden" { @if *is_done { "(done)" } @else { "(to do)" } }
                            p class="small muted" { (text) }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /admin`.
pub(crate) async fn home(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let steps = state.app.setup_checklist(&viewer.actor).await?;
    let all_done = steps.iter().all(|(_, d)| *d);
    let content = html! {
        div class="page-head" {
            div {
                h1 { "Admin" }
                p class="muted" {
                    @if all_done { "Your desk is set up. The sections on the left change it." }
                    @else { "A few steps make the desk ready for work. Each is ticked by itself once it is done." }
                }
            }
        }
        (checklist(&steps))
    };
    Ok(page(&viewer, "/admin", "Admin", StatusCode::OK, content))
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

//! The lead's home (`/desk/lead`, "Needs you"): escalations waiting, service-level breaches and
//! risks, and SOP reviews to do — instead of an empty "My tickets". Leads land here after
//! signing in; admins reach it from the same link.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};
use spoc_app::LeadOverview;
use spoc_domain::ticket::Ticket;

use crate::i18n::desk::Desk;
use crate::i18n::t;
use crate::page::{Area, Shell, empty_state, priority_badge, status_badge};
use crate::session::{UiError, Viewer};
use spoc_http::AppState;

/// `/desk/lead`.
pub const PATH: &str = "/desk/lead";

fn ticket_list(id: &str, title: &str, empty: &str, tickets: &[Ticket]) -> Markup {
    html! {
        section class="panel lead-group" aria-labelledby=(id) {
            h2 id=(id) { (title) " " span class="count" { (tickets.len()) } }
            @if tickets.is_empty() {
                p class="muted" { (empty) }
            } @else {
                ul class="search-hits" {
                    @for t in tickets {
                        li {
                            a href={ "/desk/tickets/" (t.id) } { span class="mono" { (t.number()) } " " bdi { (t.title) } }
                            " " (priority_badge(t.priority)) " " (status_badge(t.status))
                        }
                    }
                }
            }
        }
    }
}

/// The overview's content.
pub(crate) fn overview_body(overview: &LeadOverview) -> Markup {
    html! {
        div class="page-head" {
            div {
                h1 { (t(Desk::LeadTitle)) }
                p class="muted" { (t(Desk::LeadIntro)) }
            }
            div class="page-actions" { a class="button" href="/desk?queue=open" { (t(Desk::LeadAllOpen)) } }
        }
        @if overview.is_empty() {
            (empty_state(t(Desk::LeadNothingTitle), t(Desk::LeadNothingText), Some(("/desk?queue=open", t(Desk::LeadAllOpen)))))
        }
        div class="stack" id="lead-overview" {
            (ticket_list("lead-escalated", t(Desk::TicketEscalated), t(Desk::LeadNoEscalated), &overview.escalated))
            (ticket_list("lead-breached", t(Desk::LeadBroken), t(Desk::LeadNoBroken), &overview.breached))
            (ticket_list("lead-at-risk", t(Desk::LeadAtRisk), t(Desk::LeadNoAtRisk), &overview.at_risk))
            section class="panel lead-group" aria-labelledby="lead-reviews" {
                h2 id="lead-reviews" { (t(Desk::LeadReviews)) " " span class="count" { (overview.reviews.len()) } }
                @if overview.reviews.is_empty() {
                    p class="muted" { (t(Desk::LeadNoReviews)) }
                } @else {
                    ul class="search-hits" {
                        @for (_, sop) in &overview.reviews {
                            li { a href={ "/desk/sops/" (sop.id) } { bdi { (sop.title) } } }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /desk/lead`.
pub async fn lead_home(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    viewer.require_staff()?;
    if !(viewer.actor.is_lead() || viewer.actor.is_admin()) {
        return Err(UiError::page(
            StatusCode::FORBIDDEN,
            t(Desk::LeadOnly),
            t(Desk::LeadOnlyText),
        ));
    }
    let overview = state.app.lead_overview(&viewer.actor).await?;
    let shell = Shell::new(t(Desk::LeadTitle), Area::Desk).current(PATH);
    Ok(Html(
        shell
            .render(Some(&viewer), overview_body(&overview))
            .into_string(),
    )
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_overview_says_nothing_needs_the_lead() {
        let html = overview_body(&LeadOverview::default()).into_string();
        assert!(html.contains("Nothing needs you now"), "{html}");
        assert!(html.contains("No escalated ticket is waiting."));
        assert!(html.contains(r#"id="lead-reviews""#));
    }
}

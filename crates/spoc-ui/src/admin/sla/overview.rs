//! The service-level overview (calendars and policies at a glance) and the form helpers both editors use.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use spoc_domain::sla::PolicyConditions;

use crate::admin::frame::{OkQuery, page, require_admin};
use crate::page::flash;
use crate::session::{UiError, Viewer};
use spoc_domain::calendar::WorkingHours;
use spoc_http::AppState;

pub(crate) type Pairs = Vec<(String, String)>;

pub(crate) fn value<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

pub(crate) fn values<'a>(pairs: &'a Pairs, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    pairs
        .iter()
        .filter(move |(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn minutes_text(minutes: i64) -> String {
    if minutes % 60 == 0 {
        format!("{} h", minutes / 60)
    } else {
        format!("{minutes} min")
    }
}

/// `GET /admin/sla`.
pub(crate) async fn index(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let policies = state.app.list_policies(&viewer.actor).await?;
    let calendars = state.app.list_calendars(&viewer.actor).await?;
    let calendar_name = |id: spoc_domain::CalendarId| {
        calendars
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| format!("Calendar {id}"), |c| c.name.clone())
    };
    let content = html! {
        div class="page-head" {
            div { h1 { "Service levels" } p class="muted" { "Policies set the targets; calendars say when the clocks run. The first policy in order whose conditions match a new ticket applies, otherwise the default." } }
            div class="page-actions cluster" {
                a class="button button-primary" href="/admin/sla/policies/new" { "Add a policy" }
                a class="button" href="/admin/sla/calendars/new" { "Add a calendar" }
            }
        }
        (flash(query.ok.as_deref()))
        h2 { "Policies" }
        div class="table-wrap" { table class="data" {
            thead { tr { th scope="col" class="num" { "Order" } th scope="col" { "Policy" } th scope="col" { "Applies to" } th scope="col" { "First response P1–P5" } th scope="col" { "Resolution P1–P5" } th scope="col" { "Calendar" } } }
            tbody {
                @for p in &policies {
                    tr {
                        td class="num" { (p.position) }
                        td { a href={ "/admin/sla/policies/" (p.id) } { bdi { (p.name) } } @if p.is_default { " " span class="badge badge-kind" { "Default" } } }
                        td class="muted small" { (describe_conditions(&p.terms.conditions)) }
                        td class="small" { (p.terms.first_response.0.iter().map(|m| minutes_text(*m)).collect::<Vec<_>>().join(" · ")) }
                        td class="small" { (p.terms.resolution.0.iter().map(|m| minutes_text(*m)).collect::<Vec<_>>().join(" · ")) }
                        td { (calendar_name(p.calendar_id)) }
                    }
                }
            }
        } }
        h2 { "Calendars" }
        div class="table-wrap" { table class="data" {
            thead { tr { th scope="col" { "Calendar" } th scope="col" { "Time zone" } th scope="col" { "Hours" } th scope="col" class="num" { "Holidays" } } }
            tbody {
                @for c in &calendars {
                    tr {
                        td { a href={ "/admin/sla/calendars/" (c.id) } { bdi { (c.name) } } }
                        td { (c.spec.time_zone) }
                        td class="small" { @if c.spec.always_open { "Around the clock" } @else { (hours_text(&c.spec.hours).replace('\n', " · ")) } }
                        td class="num" { (c.spec.holidays.len()) }
                    }
                }
            }
        } }
    };
    Ok(page(
        &viewer,
        "/admin/sla",
        "Service levels",
        StatusCode::OK,
        content,
    ))
}

fn describe_conditions(c: &PolicyConditions) -> String {
    let mut parts = Vec::new();
    if !c.kinds.is_empty() {
        parts.push(
            c.kinds
                .iter()
                .map(|k| crate::page::kind_label(*k).to_lowercase() + "s")
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if !c.priorities.is_empty() {
        parts.push(
            c.priorities
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if !c.service_ids.is_empty() {
        parts.push(format!("{} service(s)", c.service_ids.len()));
    }
    if !c.organization_ids.is_empty() {
        parts.push(format!("{} organisation(s)", c.organization_ids.len()));
    }
    if !c.category_ids.is_empty() {
        parts.push(format!("{} categor(ies)", c.category_ids.len()));
    }
    if parts.is_empty() {
        "every ticket".to_owned()
    } else {
        parts.join("; ")
    }
}

pub(crate) fn hours_text(hours: &[WorkingHours]) -> String {
    hours
        .iter()
        .map(|h| format!("{} {}-{}", h.day, h.start, h.end))
        .collect::<Vec<_>>()
        .join("\n")
}

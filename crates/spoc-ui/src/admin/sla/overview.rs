//! The service-level overview (calendars and policies at a glance) and the form helpers both editors use.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use spoc_domain::sla::PolicyConditions;
use spoc_domain::ticket::TicketKind;

use crate::admin::frame::{OkQuery, page, require_admin};
use crate::i18n::admin::Admin;
use crate::i18n::words::Words;
use crate::i18n::{count, t, tr};
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
        tr(Words::AgeHours, &[&(minutes / 60)])
    } else {
        tr(Words::AgeMinutes, &[&minutes])
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
            .map_or_else(|| tr(Admin::CalendarNumber, &[&id]), |c| c.name.clone())
    };
    let content = html! {
        div class="page-head" {
            div { h1 { (t(Admin::SecServiceLevels)) } p class="muted" { (t(Admin::SlaIntro)) } }
            div class="page-actions cluster" {
                a class="button button-primary" href="/admin/sla/policies/new" { (t(Admin::AddPolicy)) }
                a class="button" href="/admin/sla/calendars/new" { (t(Admin::AddCalendar)) }
            }
        }
        (flash(query.ok.as_deref()))
        h2 { (t(Admin::Policies)) }
        div class="table-wrap" { table class="data" {
            thead { tr { th scope="col" class="num" { (t(Admin::Order)) } th scope="col" { (t(Admin::Policy)) } th scope="col" { (t(Admin::AppliesTo)) } th scope="col" { (t(Admin::FirstResponseAll)) } th scope="col" { (t(Admin::ResolutionAll)) } th scope="col" { (t(Admin::Calendar)) } } }
            tbody {
                @for p in &policies {
                    tr {
                        td class="num" { (p.position) }
                        td { a href={ "/admin/sla/policies/" (p.id) } { bdi { (p.name) } } @if p.is_default { " " span class="badge badge-kind" { (t(Admin::DefaultBadge)) } } }
                        td class="muted small" { (describe_conditions(&p.terms.conditions)) }
                        td class="small" { (p.terms.first_response.0.iter().map(|m| minutes_text(*m)).collect::<Vec<_>>().join(" · ")) }
                        td class="small" { (p.terms.resolution.0.iter().map(|m| minutes_text(*m)).collect::<Vec<_>>().join(" · ")) }
                        td { bdi { (calendar_name(p.calendar_id)) } }
                    }
                }
            }
        } }
        h2 { (t(Admin::Calendars)) }
        div class="table-wrap" { table class="data" {
            thead { tr { th scope="col" { (t(Admin::Calendar)) } th scope="col" { (t(Admin::TimeZone)) } th scope="col" { (t(Admin::Hours)) } th scope="col" class="num" { (t(Admin::Holidays)) } } }
            tbody {
                @for c in &calendars {
                    tr {
                        td { a href={ "/admin/sla/calendars/" (c.id) } { bdi { (c.name) } } }
                        td { (c.spec.time_zone) }
                        td class="small" { @if c.spec.always_open { (t(Admin::AroundTheClock)) } @else { (hours_text(&c.spec.hours).replace('\n', " · ")) } }
                        td class="num" { (c.spec.holidays.len()) }
                    }
                }
            }
        } }
    };
    Ok(page(
        &viewer,
        "/admin/sla",
        t(Admin::SecServiceLevels),
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
                .map(|k| {
                    t(match k {
                        TicketKind::Incident => Admin::ConditionIncidents,
                        TicketKind::ServiceRequest => Admin::ConditionRequests,
                    })
                })
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
        parts.push(count(
            len(c.service_ids.len()),
            Admin::ConditionServicesOne,
            Admin::ConditionServicesOther,
        ));
    }
    if !c.organization_ids.is_empty() {
        parts.push(count(
            len(c.organization_ids.len()),
            Admin::ConditionOrganisationsOne,
            Admin::ConditionOrganisationsOther,
        ));
    }
    if !c.category_ids.is_empty() {
        parts.push(count(
            len(c.category_ids.len()),
            Admin::ConditionCategoriesOne,
            Admin::ConditionCategoriesOther,
        ));
    }
    if parts.is_empty() {
        t(Admin::EveryTicket).to_owned()
    } else {
        parts.join("; ")
    }
}

/// A length as the `count` of a plural message.
fn len(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(crate) fn hours_text(hours: &[WorkingHours]) -> String {
    hours
        .iter()
        .map(|h| format!("{} {}-{}", h.day, h.start, h.end))
        .collect::<Vec<_>>()
        .join("\n")
}

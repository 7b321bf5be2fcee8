//! The service-level report page: attainment and time to resolution over a period.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use serde::Deserialize;
use spoc_domain::sla::describe_duration;

use crate::page::{Area, FieldErrors, Shell, empty_state, select, text_input};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;
use spoc_http::params::{parse_by, parse_instant};

/// The report's form.
#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
    by: Option<String>,
}

fn percent(a: spoc_app::Attainment) -> String {
    match a.percent() {
        Some(p) => format!("{p:.1} % ({} of {})", a.met, a.decided),
        None => "—".to_owned(),
    }
}

fn durations(d: spoc_app::DurationStats) -> String {
    if d.count == 0 {
        return "—".to_owned();
    }
    format!(
        "{} · {} · {}",
        describe_duration(d.mean),
        describe_duration(d.median),
        describe_duration(d.p90)
    )
}

/// `GET /desk/reports`.
pub async fn sla(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ReportQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let today = jiff::Timestamp::from_microsecond(state.app.now().as_micros())
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
        .unwrap_or_default();
    let default_from = today
        .checked_sub(jiff::Span::new().days(30))
        .unwrap_or(today)
        .to_string();
    let default_to = today.tomorrow().unwrap_or(today).to_string();
    let from_text = query
        .from
        .clone()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or(default_from);
    let to_text = query
        .to
        .clone()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or(default_to);
    let by_text = query.by.clone().unwrap_or_else(|| "group".to_owned());
    let mut errors = FieldErrors::none();
    let from = parse_instant("from", &from_text)
        .map_err(|e| errors.add("from", sentence(&e.message)))
        .ok();
    let to = parse_instant("to", &to_text)
        .map_err(|e| errors.add("to", sentence(&e.message)))
        .ok();
    let by = parse_by(Some(&by_text))
        .map_err(|e| errors.add("by", sentence(&e.message)))
        .ok();
    let rows = match (from, to, by) {
        (Some(from), Some(to), Some(by)) => {
            match state.app.sla_report(&viewer.actor, from, to, by).await {
                Ok(rows) => rows,
                Err(spoc_app::AppError::Validation(e)) => {
                    errors.add(e.field, sentence(&e.message));
                    Vec::new()
                }
                Err(e) => return Err(e.into()),
            }
        }
        _ => Vec::new(),
    };
    let by_options = vec![
        ("group".to_owned(), "Group".to_owned()),
        ("priority".to_owned(), "Priority".to_owned()),
        ("policy".to_owned(), "SLA policy".to_owned()),
    ];
    let body = html! {
        div class="page-head" { div {
            h1 { "Service levels" }
            p class="muted" { "Targets met among those decided in the period (first response and resolution counted separately), and time to resolution of tickets resolved in it — elapsed, and on the SLA clock with pauses left out." }
        } }
        form class="form form-inline panel" method="get" action="/desk/reports" {
            (text_input("r-from", "from", "From", "date", &from_text, true, None, &errors))
            (text_input("r-to", "to", "Until (exclusive)", "date", &to_text, true, None, &errors))
            (select("r-by", "by", "By", &by_options, &by_text, &errors))
            div class="form-actions" { button class="button button-primary" type="submit" { "Show" } }
        }
        @if rows.is_empty() {
            (empty_state("Nothing in this period", "No target was met or breached and no ticket was resolved between these dates. Try a longer period.", None))
        } @else {
            div class="table-wrap" { table class="data cards-on-phone" id="sla-report" {
                caption class="visually-hidden" { "Service levels by " (by_text) }
                thead { tr {
                    th scope="col" { "" }
                    th scope="col" { "First response met" }
                    th scope="col" { "Resolution met" }
                    th scope="col" class="num" { "Resolved" }
                    th scope="col" { "Time to resolve (mean · median · 90 %)" }
                    th scope="col" { "On the SLA clock (mean · median · 90 %)" }
                } }
                tbody {
                    @for row in &rows {
                        tr {
                            th scope="row" { (row.label) }
                            td data-label="First response met" { (percent(row.response)) }
                            td data-label="Resolution met" { (percent(row.resolution)) }
                            td class="num" data-label="Resolved" { (row.mttr_elapsed.count) }
                            td data-label="Time to resolve (mean · median · 90 %)" { (durations(row.mttr_elapsed)) }
                            td data-label="On the SLA clock (mean · median · 90 %)" { (durations(row.mttr_business)) }
                        }
                    }
                }
            } }
        }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let shell = Shell::new("Service levels", Area::Desk).current("/desk/reports");
    Ok((
        status,
        Html(shell.render(Some(&viewer), body).into_string()),
    )
        .into_response())
}

//! The service-level report page: attainment and time to resolution over a period.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use serde::Deserialize;
use spoc_domain::sla::describe_duration;

use crate::i18n::desk::Desk;
use crate::i18n::{t, tr};
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
    tenant_id: Option<String>,
}

fn percent(a: spoc_app::Attainment) -> String {
    match a.percent() {
        Some(p) => tr(Desk::RepPercent, &[&format!("{p:.1}"), &a.met, &a.decided]),
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

/// What the report is grouped by, as a word in a sentence.
fn by_word(by: &str) -> &str {
    match by {
        "group" => t(Desk::RepByGroup),
        "priority" => t(Desk::RepByPriority),
        "policy" => t(Desk::RepByPolicy),
        other => other,
    }
}

/// `GET /desk/reports`.
pub async fn sla(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ReportQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let tenant =
        crate::report_tenant::ReportTenant::of(&state, &viewer, query.tenant_id.as_deref()).await?;
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
            match state.app.sla_report(&tenant.actor, from, to, by).await {
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
        ("group".to_owned(), t(Desk::FactGroup).to_owned()),
        ("priority".to_owned(), t(Desk::FieldPriority).to_owned()),
        ("policy".to_owned(), t(Desk::RepSlaPolicy).to_owned()),
    ];
    let body = html! {
        div class="page-head" { div {
            h1 { (t(Desk::RepTitle)) }
            p class="muted" { (t(Desk::RepIntro)) }
        } }
        form class="form form-inline panel" method="get" action="/desk/reports" {
            (text_input("r-from", "from", t(Desk::MailFrom), "date", &from_text, true, None, &errors))
            (text_input("r-to", "to", t(Desk::RepUntil), "date", &to_text, true, None, &errors))
            (select("r-by", "by", t(Desk::RepBy), &by_options, &by_text, &errors))
            (tenant.field("r-tenant"))
            div class="form-actions" { button class="button button-primary" type="submit" { (t(Desk::RepShow)) } }
        }
        @if rows.is_empty() {
            (empty_state(t(Desk::RepNothingTitle), t(Desk::RepNothingText), None))
        } @else {
            div class="table-wrap" { table class="data cards-on-phone" id="sla-report" {
                caption class="visually-hidden" { (tr(Desk::RepCaption, &[&by_word(&by_text)])) }
                thead { tr {
                    th scope="col" { "" }
                    th scope="col" { (t(Desk::RepFirstMet)) }
                    th scope="col" { (t(Desk::RepResolutionMet)) }
                    th scope="col" class="num" { (t(Desk::RepResolved)) }
                    th scope="col" { (t(Desk::RepTimeToResolve)) }
                    th scope="col" { (t(Desk::RepOnClock)) }
                } }
                tbody {
                    @for row in &rows {
                        tr {
                            th scope="row" { (row.label) }
                            td data-label=(t(Desk::RepFirstMet)) { (percent(row.response)) }
                            td data-label=(t(Desk::RepResolutionMet)) { (percent(row.resolution)) }
                            td class="num" data-label=(t(Desk::RepResolved)) { (row.mttr_elapsed.count) }
                            td data-label=(t(Desk::RepTimeToResolve)) { (durations(row.mttr_elapsed)) }
                            td data-label=(t(Desk::RepOnClock)) { (durations(row.mttr_business)) }
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
    let shell = Shell::new(t(Desk::RepTitle), Area::Desk).current("/desk/reports");
    Ok((
        status,
        Html(shell.render(Some(&viewer), body).into_string()),
    )
        .into_response())
}

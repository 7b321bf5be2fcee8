//! The SOP review list and the outcomes of each SOP version.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use spoc_domain::UserId;
use spoc_domain::metrics::{DurationSummary, Outcomes, Ratio};
use spoc_domain::sla::describe_duration;
use spoc_domain::sop::ReviewDue;

use super::{state_label, trigger_label};
use crate::i18n::sops::Sops;
use crate::i18n::{t, tr};
use crate::page::{Area, Shell, empty_state};
use crate::report_tenant::ReportTenant;
use crate::session::{UiError, Viewer};
use crate::timefmt::when;
use spoc_http::AppState;

/// How one outcome is shown.
type Metric = fn(&Outcomes) -> String;

/// `GET /desk/sops/reviews`.
pub async fn reviews(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let listing = state.app.list_sop_reviews(&viewer.actor).await?;
    let owners = listing
        .open
        .iter()
        .map(|(_, s)| s.owner_id)
        .chain(listing.scheduled.iter().map(|(s, _)| s.owner_id));
    let names = state
        .app
        .people_names(viewer.actor.tenant_id, owners.collect::<Vec<_>>())
        .await?;
    let mine = |owner: UserId| owner == viewer.user_id;
    let body = html! {
        div class="page-head" { div {
            p class="eyebrow" { a href="/desk/sops" { (t(Sops::ListTitle)) } }
            h1 { (t(Sops::ReviewsTitle)) }
            p class="muted" { (t(Sops::ReviewsIntro)) }
        } }
        section class="panel" aria-labelledby="open-title" {
            h2 class="panel-title" id="open-title" { (t(Sops::OpenReviews)) }
            @if listing.open.is_empty() { p class="muted" { (t(Sops::NoneOpen)) } } @else {
                div class="table-wrap" { table class="data" {
                    thead { tr { th scope="col" { (t(Sops::ColSop)) } th scope="col" { (t(Sops::ColWhy)) } th scope="col" { (t(Sops::Owner)) } th scope="col" { (t(Sops::ColOpened)) } th scope="col" { (t(Sops::ColTickets)) } } }
                    tbody { @for (r, s) in &listing.open { tr class=[mine(s.owner_id).then_some("is-mine")] {
                        td { a href={ "/desk/sops/" (s.id) } { bdi { (s.title) } } }
                        td { (trigger_label(r.cause)) @if let Some(d) = r.due_at { br; span class="small muted" { (tr(Sops::DueAt, &[&when(d)])) } } }
                        td { (names.get(&s.owner_id).cloned().unwrap_or_default()) @if mine(s.owner_id) { " " span class="badge" { (t(Sops::You)) } } }
                        td class="nowrap" { (when(r.created_at)) }
                        td { @for t in &r.tickets { a href={ "/desk/tickets/" (t) } { "#" (t) } " " } }
                    } } }
                } }
            }
        }
        section class="panel" aria-labelledby="scheduled-title" {
            h2 class="panel-title" id="scheduled-title" { (t(Sops::ScheduledComingUp)) }
            @if listing.scheduled.is_empty() { p class="muted" { (t(Sops::NoScheduledDue)) } } @else {
                ul { @for (s, due) in &listing.scheduled { li {
                    a href={ "/desk/sops/" (s.id) } { bdi { (s.title) } } " — "
                    @if let Some(at) = s.next_review_at { (when(at)) } " "
                    @match due { ReviewDue::Overdue => span class="badge badge-sla-breached" { (t(Sops::Overdue)) }, _ => span class="badge badge-sla-at-risk" { (t(Sops::Soon)) } }
                    " " span class="muted small" { (names.get(&s.owner_id).cloned().unwrap_or_default()) }
                } } }
            }
        }
    };
    let shell = Shell::new(t(Sops::ReviewsTitle), Area::Desk).current("/desk/sops");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
}

fn ratio(r: Ratio) -> String {
    match r.percent() {
        Some(p) => tr(
            Sops::RatioOf,
            &[&format!("{p:.0}"), &r.numerator, &r.denominator],
        ),
        None => "—".to_owned(),
    }
}

fn duration(d: DurationSummary) -> String {
    match (d.mean, d.median, d.p90) {
        (Some(mean), Some(median), Some(p90)) => format!(
            "{} · {} · {}",
            describe_duration(mean),
            describe_duration(median),
            describe_duration(p90)
        ),
        _ => "—".to_owned(),
    }
}

/// The outcomes page's query: whose SOPs (the provider's leads and admins may choose a tenant).
#[derive(Debug, Default, serde::Deserialize)]
pub struct OutcomesQuery {
    tenant_id: Option<String>,
}

/// `GET /desk/sops/outcomes`: each SOP's versions side by side.
pub async fn outcomes(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OutcomesQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let tenant = ReportTenant::of(&state, &viewer, query.tenant_id.as_deref()).await?;
    let other = tenant.is_other(&viewer);
    let rows = state.app.sop_outcomes(&tenant.actor, None).await?;
    let mut by_sop: Vec<(i64, Vec<&spoc_app::SopOutcomeRow>)> = Vec::new();
    for row in &rows {
        match by_sop.last_mut() {
            Some((id, list)) if *id == row.sop_id => list.push(row),
            _ => by_sop.push((row.sop_id, vec![row])),
        }
    }
    let metrics: [(Sops, Metric); 9] = [
        (Sops::MetricTickets, |o| o.n_tickets.to_string()),
        (Sops::MetricResolved, |o| o.n_resolved.to_string()),
        (Sops::MetricFirstContact, |o| {
            ratio(o.first_contact_resolution)
        }),
        (Sops::MetricSlaResponse, |o| ratio(o.sla_response)),
        (Sops::MetricSlaResolution, |o| ratio(o.sla_resolution)),
        (Sops::MetricTimeToResolve, |o| {
            duration(o.time_to_resolution)
        }),
        (Sops::MetricBusinessTime, |o| {
            duration(o.business_time_to_resolution)
        }),
        (Sops::MetricReassignment, |o| {
            tr(
                Sops::PerTicket,
                &[
                    &ratio(o.reassigned),
                    &format!("{:.2}", o.mean_reassignments.unwrap_or(0.0)),
                ],
            )
        }),
        (Sops::MetricReopen, |o| ratio(o.reopened)),
    ];
    let body = html! {
        div class="page-head" { div {
            p class="eyebrow" { a href="/desk/sops" { (t(Sops::ListTitle)) } }
            h1 { (t(Sops::OutcomesHeading)) }
            p class="muted" { (t(Sops::OutcomesIntro)) }
        } }
        @if tenant.offered() {
            form class="form form-inline panel" method="get" action="/desk/sops/outcomes" {
                (tenant.field("o-tenant"))
                div class="form-actions" { button class="button button-primary" type="submit" { (t(crate::i18n::desk::Desk::RepShow)) } }
            }
        }
        @if by_sop.is_empty() {
            (empty_state(t(Sops::NoOutcomesYet), t(Sops::NoOutcomesHint), None))
        }
        @for (id, versions) in &by_sop {
            section class="panel" {
                h2 class="panel-title" {
                    // Another tenant's SOPs are that tenant's to open.
                    @if other { bdi { (versions[0].title) } } @else { a href={ "/desk/sops/" (id) } { bdi { (versions[0].title) } } }
                }
                div class="table-wrap" { table class="data outcomes" {
                    thead { tr { th scope="col" { (t(Sops::ColOutcome)) } @for v in versions { th scope="col" { (tr(Sops::VersionN, &[&v.version])) br; span class="small muted" { (state_label(v.state)) } } } } }
                    tbody { @for (label, value) in metrics { tr { th scope="row" { (t(label)) } @for v in versions { td { (value(&v.outcomes)) } } } } }
                } }
            }
        }
    };
    let shell = Shell::new(t(Sops::OutcomesTitle), Area::Desk).current("/desk/sops");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
}

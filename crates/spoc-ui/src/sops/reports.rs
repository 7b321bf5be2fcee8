//! The SOP review list and the outcomes of each SOP version.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use spoc_domain::UserId;
use spoc_domain::metrics::{DurationSummary, Outcomes, Ratio};
use spoc_domain::sla::describe_duration;
use spoc_domain::sop::ReviewDue;

use super::{state_label, trigger_label};
use crate::page::{Area, Shell, empty_state};
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
            p class="eyebrow" { a href="/desk/sops" { "SOPs" } }
            h1 { "SOP reviews" }
            p class="muted" { "Scheduled reviews due within two weeks or overdue, and early reviews called for by SLA breaches or reopenings among the tickets handled under an SOP. Owners are notified." }
        } }
        section class="panel" aria-labelledby="open-title" {
            h2 class="panel-title" id="open-title" { "Open reviews" }
            @if listing.open.is_empty() { p class="muted" { "None open." } } @else {
                div class="table-wrap" { table class="data" {
                    thead { tr { th scope="col" { "SOP" } th scope="col" { "Why" } th scope="col" { "Owner" } th scope="col" { "Opened" } th scope="col" { "Tickets" } } }
                    tbody { @for (r, s) in &listing.open { tr class=[mine(s.owner_id).then_some("is-mine")] {
                        td { a href={ "/desk/sops/" (s.id) } { bdi { (s.title) } } }
                        td { (trigger_label(r.cause)) @if let Some(d) = r.due_at { br; span class="small muted" { "due " (when(d)) } } }
                        td { (names.get(&s.owner_id).cloned().unwrap_or_default()) @if mine(s.owner_id) { " " span class="badge" { "You" } } }
                        td class="nowrap" { (when(r.created_at)) }
                        td { @for t in &r.tickets { a href={ "/desk/tickets/" (t) } { "#" (t) } " " } }
                    } } }
                } }
            }
        }
        section class="panel" aria-labelledby="scheduled-title" {
            h2 class="panel-title" id="scheduled-title" { "Scheduled reviews coming up" }
            @if listing.scheduled.is_empty() { p class="muted" { "No scheduled review is due in the next two weeks." } } @else {
                ul { @for (s, due) in &listing.scheduled { li {
                    a href={ "/desk/sops/" (s.id) } { bdi { (s.title) } } " — "
                    @if let Some(at) = s.next_review_at { (when(at)) } " "
                    @match due { ReviewDue::Overdue => span class="badge badge-sla-breached" { "Overdue" }, _ => span class="badge badge-sla-at-risk" { "Soon" } }
                    " " span class="muted small" { (names.get(&s.owner_id).cloned().unwrap_or_default()) }
                } } }
            }
        }
    };
    let shell = Shell::new("SOP reviews", Area::Desk).current("/desk/sops");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
}

fn ratio(r: Ratio) -> String {
    match r.percent() {
        Some(p) => format!("{p:.0} % ({} of {})", r.numerator, r.denominator),
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

/// `GET /desk/sops/outcomes`: each SOP's versions side by side.
pub async fn outcomes(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let rows = state.app.sop_outcomes(&viewer.actor, None).await?;
    let mut by_sop: Vec<(i64, Vec<&spoc_app::SopOutcomeRow>)> = Vec::new();
    for row in &rows {
        match by_sop.last_mut() {
            Some((id, list)) if *id == row.sop_id => list.push(row),
            _ => by_sop.push((row.sop_id, vec![row])),
        }
    }
    let metrics: [(&str, Metric); 9] = [
        ("Tickets handled", |o| o.n_tickets.to_string()),
        ("Resolved", |o| o.n_resolved.to_string()),
        ("First contact resolution", |o| {
            ratio(o.first_contact_resolution)
        }),
        ("SLA attainment: first response", |o| ratio(o.sla_response)),
        ("SLA attainment: resolution", |o| ratio(o.sla_resolution)),
        ("Time to resolution (mean · median · p90)", |o| {
            duration(o.time_to_resolution)
        }),
        ("Business time to resolution", |o| {
            duration(o.business_time_to_resolution)
        }),
        ("Reassignment rate", |o| {
            format!(
                "{} · {:.2} per ticket",
                ratio(o.reassigned),
                o.mean_reassignments.unwrap_or(0.0)
            )
        }),
        ("Reopen rate", |o| ratio(o.reopened)),
    ];
    let body = html! {
        div class="page-head" { div {
            p class="eyebrow" { a href="/desk/sops" { "SOPs" } }
            h1 { "SOP outcomes by version" }
            p class="muted" { "What happened to the tickets handled under each version, newest version first, beside the one it replaced. Read them together: better SLA attainment with more reopenings is a speed-for-quality trade." }
        } }
        @if by_sop.is_empty() {
            (empty_state("No outcomes yet", "Outcomes appear once an SOP version has been effective and tickets were handled under it.", None))
        }
        @for (id, versions) in &by_sop {
            section class="panel" {
                h2 class="panel-title" { a href={ "/desk/sops/" (id) } { bdi { (versions[0].title) } } }
                div class="table-wrap" { table class="data outcomes" {
                    thead { tr { th scope="col" { "Outcome" } @for v in versions { th scope="col" { "Version " (v.version) br; span class="small muted" { (state_label(v.state)) } } } } }
                    tbody { @for (label, value) in metrics { tr { th scope="row" { (label) } @for v in versions { td { (value(&v.outcomes)) } } } } }
                } }
            }
        }
    };
    let shell = Shell::new("SOP outcomes", Area::Desk).current("/desk/sops");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
}

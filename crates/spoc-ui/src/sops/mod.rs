//! SOP pages for the desk: the list, a procedure with its document control, governance actions,
//! versions, diffs, links and reviews; the editor (line syntax, see `sop_text`); the review list
//! and the outcomes by version. The editor is `sop_editor`; the ticket view's checklist is
//! `checklist`.

pub(crate) mod editor;
pub(crate) mod text;

use axum::Router;
use axum::routing;
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, SopSettings, SopView};
use spoc_domain::metrics::{DurationSummary, Outcomes, Ratio};
use spoc_domain::sla::describe_duration;
use spoc_domain::sop::{
    EscalationKind, GovernanceAction, ReviewDue, ReviewPolicy, ReviewTrigger, SopContent, SopLink,
    VersionState,
};
use spoc_domain::ticket::TicketKind;
use spoc_domain::{CategoryId, UserId};

use crate::forms::{UiForm, optional_id};
use crate::page::{
    Area, FieldErrors, Shell, csrf_field, empty_state, error_box, field, flash, select, text_input,
};
use crate::session::{UiError, Viewer, sentence};
use crate::timefmt::when;
use spoc_http::AppState;

/// SOP pages: the list, editing and governance, reviews and outcomes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/desk/sops", routing::get(list))
        .route("/desk/sops/import", routing::post(import))
        .route(
            "/desk/sops/new",
            routing::get(editor::new_form).post(editor::create),
        )
        .route("/desk/sops/reviews", routing::get(reviews))
        .route("/desk/sops/outcomes", routing::get(outcomes))
        .route("/desk/sops/{id}", routing::get(view))
        .route(
            "/desk/sops/{id}/edit",
            routing::get(editor::edit_form).post(editor::save),
        )
        .route("/desk/sops/{id}/diff", routing::get(editor::diff))
        .route("/desk/sops/{id}/settings", routing::post(save_settings))
        .route("/desk/sops/{id}/act/{action}", routing::post(act))
        .route("/desk/sops/{id}/review", routing::post(review))
}

/// A select option: value and label.
pub(crate) type Choice = (String, String);

/// How one outcome is shown.
type Metric = fn(&Outcomes) -> String;

fn state_label(state: VersionState) -> &'static str {
    match state {
        VersionState::Draft => "Draft",
        VersionState::Submitted => "Submitted — owner to check",
        VersionState::Checked => "Checked — reviewer to validate",
        VersionState::Validated => "Validated — approver to sign off",
        VersionState::Effective => "Effective",
        VersionState::Superseded => "Superseded",
        VersionState::Retired => "Retired",
    }
}

fn state_badge(state: VersionState) -> Markup {
    let class = match state {
        VersionState::Effective => "badge-kb-published",
        VersionState::Draft => "badge-kb-draft",
        VersionState::Submitted | VersionState::Checked | VersionState::Validated => {
            "badge-kb-review"
        }
        VersionState::Superseded | VersionState::Retired => "badge-kb-retired",
    };
    html! { span class={ "badge " (class) } { (state_label(state)) } }
}

fn action_label(action: GovernanceAction) -> &'static str {
    match action {
        GovernanceAction::Submit => "Submit for review",
        GovernanceAction::Check => "Checked: matches policy and service design",
        GovernanceAction::Validate => "Validated: steps are right",
        GovernanceAction::Approve => "Approve: make it effective",
        GovernanceAction::Retire => "Retire this SOP",
        GovernanceAction::Return => "Send back to draft",
    }
}

fn log_phrase(action: &str) -> &'static str {
    match action {
        "created" => "wrote",
        "drafted" => "drafted",
        "edited" => "revised",
        "submit" => "submitted",
        "check" => "checked",
        "validate" => "validated",
        "approve" => "approved",
        "retire" => "retired",
        "return" => "sent back",
        "reviewed" => "recorded a review of",
        "settings" => "changed document control of",
        _ => "changed",
    }
}

fn trigger_label(trigger: ReviewTrigger) -> &'static str {
    match trigger {
        ReviewTrigger::Scheduled => "Scheduled review",
        ReviewTrigger::SlaBreaches => "Early review: SLA breaches",
        ReviewTrigger::Reopenings => "Early review: reopenings",
    }
}

pub(crate) fn parse_id(value: &str) -> Result<i64, UiError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(UiError::not_found)
}

/// The procedure's content, as the desk reads it.
pub fn content_view(c: &SopContent) -> Markup {
    html! {
        dl class="sop-intro" {
            dt { "Purpose" } dd { (c.purpose) }
            dt { "Scope" } dd { (c.scope) }
            dt { "Trigger" } dd { (c.trigger) }
        }
        @if !c.roles.is_empty() {
            h3 { "Roles" }
            ul { @for r in &c.roles { li { strong { (r.role) } " — " (r.duty) } } }
        }
        @if !c.inputs.is_empty() {
            h3 { "Required inputs" }
            ul { @for i in &c.inputs { li { (i) } } }
        }
        h3 { "Steps" }
        ol class="sop-steps" {
            @for s in &c.steps {
                li id={ "step-" (s.key) } {
                    (s.text)
                    @if let Some(a) = &s.answer {
                        " " span class="muted small" { "Record: " (a.label) @if !a.options.is_empty() { " (" (a.options.join(", ")) ")" } }
                    }
                    @for d in c.decisions.iter().filter(|d| d.after_step.as_deref() == Some(s.key.as_str())) {
                        (decision(d))
                    }
                }
            }
        }
        @for d in c.decisions.iter().filter(|d| d.after_step.is_none()) { (decision(d)) }
        @if !c.exceptions.is_empty() {
            h3 { "Exceptions" }
            (exceptions(c))
        }
        @if !c.escalations.is_empty() {
            h3 { "Escalation rules" }
            ul { @for e in &c.escalations {
                li { strong { (e.when) } " → " (match e.level { EscalationKind::Functional => "functional escalation to ", EscalationKind::Hierarchical => "alert the leads" })
                    @if let Some(g) = &e.group { (g) } span class="muted small" { " “" (e.reason) "”" } }
            } }
        }
        @if !c.checks.is_empty() {
            h3 { "Quality checks (enforced before resolve and close)" }
            ul { @for q in &c.checks { li { (q.text) } } }
        }
        @if !c.references.is_empty() {
            h3 { "References" }
            ul { @for r in &c.references { li { (r.title) @if let Some(l) = &r.location { " — " span class="mono small" { (l) } } } } }
        }
    }
}

pub(crate) fn decision(d: &spoc_domain::sop::DecisionPoint) -> Markup {
    html! {
        div class="sop-decision" {
            strong { "Decision: " (d.question) }
            ul { @for o in &d.options { li { em { (o.answer) } " — " (o.then) } } }
        }
    }
}

pub(crate) fn exceptions(c: &SopContent) -> Markup {
    html! {
        div class="table-wrap" { table class="data" {
            thead { tr { th scope="col" { "When" } th scope="col" { "Threshold" } th scope="col" { "What to do" } } }
            tbody { @for e in &c.exceptions { tr {
                td { (e.when) } td { (e.threshold) }
                td { (e.action) @if let Some(s) = &e.follow_sop { " " span class="muted small" { "Follow SOP " span class="mono" { (s) } } } }
            } } }
        } }
    }
}

// ----- SOP pages ---------------------------------------------------------------------------------

/// The list's query.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    ok: Option<String>,
}

/// `GET /desk/sops`.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let sops = state.app.list_sops(&viewer.actor).await?;
    let names = state
        .app
        .people_names(sops.iter().map(|s| s.owner_id))
        .await?;
    let now = state.app.now();
    let mut latest_states = HashMap::new();
    for s in &sops {
        let latest = state
            .app
            .sop_version(&viewer.actor, s.id, s.latest_version)
            .await?;
        latest_states.insert(s.id, latest.state);
    }
    let body = html! {
        (flash(query.ok.as_deref()))
        div class="page-head" {
            div {
                h1 { "Standard operating procedures" }
                p class="muted" { "Controlled procedures, shown as checklists on the tickets they apply to, reviewed on schedule and when outcomes slip." }
            }
            div class="page-actions" {
                a class="button" href="/desk/sops/reviews" { "Reviews" }
                a class="button" href="/desk/sops/outcomes" { "Outcomes" }
                @if viewer.actor.is_admin() {
                    form method="post" action="/desk/sops/import" class="inline" {
                        (csrf_field(&viewer))
                        button class="button" type="submit" { "Import the shipped SOPs" }
                    }
                }
                @if viewer.actor.is_lead() { a class="button button-primary" href="/desk/sops/new" { "New SOP" } }
            }
        }
        @if sops.is_empty() {
            (empty_state("No SOPs yet", "Write one, or import the procedures that ship with Spoc.", None))
        } @else {
            div class="table-wrap" { table class="data" {
                thead { tr {
                    th scope="col" { "Procedure" } th scope="col" { "In force" } th scope="col" { "Latest" }
                    th scope="col" { "Owner" } th scope="col" { "Next review" }
                } }
                tbody { @for s in &sops { tr {
                    td { a href={ "/desk/sops/" (s.id) } { bdi { (s.title) } } br; span class="mono small muted" { (s.key) } }
                    td { @match s.effective_version { Some(v) => { "Version " (v) }, None => span class="muted" { "None" } } }
                    td {
                        "Version " (s.latest_version)
                        @if let Some(state) = latest_states.get(&s.id).filter(|st| **st != VersionState::Effective) { br; (state_badge(*state)) }
                    }
                    td { (names.get(&s.owner_id).cloned().unwrap_or_default()) }
                    td class="nowrap" {
                        @match (s.effective_version, s.next_review_at) {
                            (Some(_), Some(at)) => {
                                (when(at))
                                @match spoc_domain::sop::review_due(at, now) {
                                    ReviewDue::Overdue => { " " span class="badge badge-sla-breached" { "Overdue" } },
                                    ReviewDue::Upcoming => { " " span class="badge badge-sla-at-risk" { "Soon" } },
                                    ReviewDue::NotDue => {},
                                }
                            },
                            _ => span class="muted" { "—" },
                        }
                    }
                } } }
            } }
        }
    };
    let shell = Shell::new("SOPs", Area::Desk).current("/desk/sops");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
}

/// `POST /desk/sops/import` (admins).
pub async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<crate::knowledge::CommentForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(form.csrf())?;
    let report = state
        .app
        .import_seed_sops(Some(&viewer.actor), viewer.user_id)
        .await?;
    let key = if report.created.is_empty() {
        "nothing_new"
    } else {
        "imported"
    };
    Ok(Redirect::to(&format!("/desk/sops?ok={key}")).into_response())
}

/// The view's query.
#[derive(Debug, Default, Deserialize)]
pub struct ViewQuery {
    version: Option<String>,
    ok: Option<String>,
}

/// `GET /desk/sops/{id}`.
pub async fn view(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<ViewQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let id = parse_id(&id)?;
    let version = optional_id(query.version.as_deref()).map_err(|_| UiError::not_found())?;
    render_sop(
        &state,
        &viewer,
        id,
        version,
        query.ok.as_deref(),
        None,
        FieldErrors::none(),
        StatusCode::OK,
    )
    .await
}

pub(crate) async fn staff_options(
    state: &AppState,
    viewer: &Viewer,
) -> Result<(Vec<(String, String)>, Vec<(String, String)>), AppError> {
    let users = state.app.list_users(&viewer.actor, None, 500).await?;
    let staff: Vec<_> = users
        .iter()
        .filter(|u| u.active && u.role.is_staff())
        .collect();
    let mut all = vec![(String::new(), "Nobody yet".to_owned())];
    all.extend(staff.iter().map(|u| {
        (
            u.id.to_string(),
            format!("{} ({})", u.name, u.role.as_str()),
        )
    }));
    let mut approvers = vec![(String::new(), "Nobody yet".to_owned())];
    approvers.extend(
        staff
            .iter()
            .filter(|u| spoc_domain::sop::may_approve_role(u.role))
            .map(|u| {
                (
                    u.id.to_string(),
                    format!("{} ({})", u.name, u.role.as_str()),
                )
            }),
    );
    Ok((all, approvers))
}

#[allow(clippy::too_many_arguments)]
async fn render_sop(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    version: Option<i64>,
    ok: Option<&str>,
    error: Option<String>,
    settings_errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, UiError> {
    let app = &state.app;
    let view = app.get_sop(&viewer.actor, id).await?;
    let record = &view.record;
    let shown_version = version
        .or(record.effective_version)
        .unwrap_or(record.latest_version);
    let shown = view
        .versions
        .iter()
        .find(|v| v.version == shown_version)
        .ok_or_else(UiError::not_found)?;
    let ids: Vec<UserId> = [
        Some(record.owner_id),
        record.reviewer_id,
        record.approver_id,
    ]
    .into_iter()
    .flatten()
    .chain(view.log.iter().filter_map(|l| l.actor_id))
    .collect();
    let names: HashMap<UserId, String> = app.people_names(ids).await?;
    let name = |id: Option<UserId>| {
        id.and_then(|i| names.get(&i).cloned())
            .unwrap_or_else(|| "Spoc".to_owned())
    };
    let offered = view.offered(&viewer.actor);
    let latest = view.versions.last();
    let base = format!("/desk/sops/{id}");
    let may_configure = viewer.actor.is_lead() || viewer.user_id == record.owner_id;
    let categories = app.list_categories().await?;
    let category_name = |c: Option<CategoryId>| {
        c.and_then(|c| categories.iter().find(|x| x.id == c))
            .map(|x| x.name.clone())
    };
    let (staff, approvers) = staff_options(state, viewer).await?;
    let c = &shown.content;
    let body = html! {
        (flash(ok))
        (error_box(error.as_deref()))
        div class="page-head" {
            div {
                p class="eyebrow" { a href="/desk/sops" { "SOPs" } " · " span class="mono" { (record.key) } }
                h1 { bdi { (c.title) } }
                div class="cluster" {
                    (state_badge(shown.state)) span class="muted" { "Version " (shown.version) }
                    @if shown.version != record.latest_version { a href={ (base) "?version=" (record.latest_version) } { "see the latest, version " (record.latest_version) } }
                }
            }
            div class="page-actions" {
                @if latest.is_some_and(|l| !l.state.in_review()) && (may_configure || record.reviewer_id == Some(viewer.user_id) || record.approver_id == Some(viewer.user_id)) {
                    a class="button" href={ (base) "/edit" } { @if latest.is_some_and(|l| l.state == VersionState::Draft) { "Revise the draft" } @else { "Draft a new version" } }
                }
            }
        }
        div class="ticket-layout" {
            div class="stack" {
                article class="panel sop-doc" { (content_view(c)) }
                section class="panel" aria-labelledby="versions-title" {
                    h2 class="panel-title" id="versions-title" { "Versions" }
                    ol class="version-list" reversed {
                        @for v in view.versions.iter().rev() {
                            li {
                                a href={ (base) "?version=" (v.version) } { strong { "Version " (v.version) } } " " (state_badge(v.state)) " — " (v.change_summary)
                                span class="muted small" { " · " (name(v.author_id)) ", " (when(v.created_at))
                                    @if let Some(at) = v.effective_at { " · effective " (when(at)) } }
                                @if v.version > 1 { " " a class="small" href={ (base) "/diff?from=" (v.version - 1) "&to=" (v.version) } { "changes" } }
                            }
                        }
                    }
                }
                section class="panel" aria-labelledby="log-title" {
                    h2 class="panel-title" id="log-title" { "Governance log" }
                    ul class="log-list" {
                        @for entry in &view.log {
                            li {
                                strong { (name(entry.actor_id)) } " " (log_phrase(&entry.action)) " version " (entry.version)
                                span class="muted small" { " · " (when(entry.at)) }
                                @if let Some(comment) = &entry.comment { div class="entry-body small" { (comment) } }
                            }
                        }
                    }
                }
            }
            aside class="stack" aria-label="Document control and governance" {
                section class="panel" aria-labelledby="control-title" {
                    h2 class="panel-title" id="control-title" { "Document control" }
                    dl class="facts" {
                        dt { "Owner" } dd { (name(Some(record.owner_id))) }
                        dt { "Reviewer" } dd { @match record.reviewer_id { Some(r) => { (name(Some(r))) }, None => span class="muted" { "Not named" } } }
                        dt { "Approver" } dd { @match record.approver_id { Some(a) => { (name(Some(a))) }, None => span class="muted" { "Not named" } } }
                        dt { "Version" } dd { (shown.version) }
                        dt { "Effective" } dd { @match shown.effective_at { Some(at) => { (when(at)) }, None => span class="muted" { "—" } } }
                        dt { "Change summary" } dd { (shown.change_summary) }
                        dt { "Next review" } dd { @match record.next_review_at { Some(at) => { (when(at)) }, None => span class="muted" { "—" } } }
                        dt { "Review every" } dd { (record.policy.interval_months) " months" }
                        dt { "Early review" } dd { (early_review_text(&record.policy)) }
                        dt { "Applies to" } dd {
                            @if view.links.is_empty() { span class="muted" { "No tickets (referenced from other SOPs)" } }
                            @for l in &view.links {
                                div { (link_text(l, &category_name)) }
                            }
                        }
                    }
                }
                section class="panel" id="governance" aria-labelledby="gov-title" {
                    h2 class="panel-title" id="gov-title" { "Governance" }
                    @if let Some(l) = latest { p class="small" { "Latest version: " (state_badge(l.state)) } }
                    @if offered.is_empty() {
                        p class="muted small" { "Nothing for you to do on this SOP now." }
                    }
                    @for action in &offered {
                        @if *action == GovernanceAction::Return || *action == GovernanceAction::Retire {
                            details class="action" {
                                summary class={ "button " (if *action == GovernanceAction::Retire { "button-danger" } else { "button-quiet" }) } { (action_label(*action)) "…" }
                                form method="post" action={ (base) "/act/" (action.as_str()) } class="form" {
                                    (csrf_field(viewer))
                                    (field(&format!("gov-{}", action.as_str()), if *action == GovernanceAction::Return { "What must change" } else { "Why (optional)" }, None, None, html! {
                                        textarea id={ "gov-" (action.as_str()) } name="comment" rows="3" required[*action == GovernanceAction::Return] {}
                                    }))
                                    div class="form-actions" { button class="button" type="submit" { (action_label(*action)) } }
                                }
                            }
                        } @else {
                            form method="post" action={ (base) "/act/" (action.as_str()) } class="form" {
                                (csrf_field(viewer))
                                input type="hidden" name="comment" value="";
                                button class="button button-primary" type="submit" { (action_label(*action)) }
                            }
                        }
                    }
                    p class="hint" { "An author drafts and submits; the owner checks; the reviewer validates; the approver, a lead or admin who neither wrote nor validated it, signs it off. The desk is told when it takes effect." }
                }
                @if viewer.user_id == record.owner_id && record.effective_version.is_some() {
                    section class="panel" aria-labelledby="review-title" {
                        h2 class="panel-title" id="review-title" { "Record a review" }
                        form method="post" action={ (base) "/review" } class="form" {
                            (csrf_field(viewer))
                            (field("review-note", "What you concluded", Some("Closes the open reviews and schedules the next one."), None, html! {
                                textarea id="review-note" name="comment" rows="3" required {}
                            }))
                            div class="form-actions" { button class="button" type="submit" { "Record the review" } }
                        }
                    }
                }
                @if !view.reviews.is_empty() {
                    section class="panel" aria-labelledby="reviews-title" {
                        h2 class="panel-title" id="reviews-title" { "Reviews" }
                        ul class="log-list" { @for r in &view.reviews { li {
                            strong { (trigger_label(r.cause)) } " " @if r.open { span class="badge badge-sla-at-risk" { "Open" } } @else { span class="badge" { "Done" } }
                            span class="muted small" { " · opened " (when(r.created_at)) }
                            @if !r.tickets.is_empty() { div class="small" { "Tickets: " @for t in &r.tickets { a href={ "/desk/tickets/" (t) } { "#" (t) } " " } } }
                            @if let Some(n) = &r.note { div class="entry-body small" { (n) } }
                        } } }
                    }
                }
                @if may_configure {
                    (settings_form(viewer, &base, &view, &staff, &approvers, &categories, &settings_errors))
                }
            }
        }
    };
    let title = c.title.clone();
    let shell = Shell::new(&title, Area::Desk).current("/desk/sops");
    Ok((status, Html(shell.render(Some(viewer), body).into_string())).into_response())
}

fn early_review_text(policy: &ReviewPolicy) -> String {
    let triggers: Vec<String> = [
        policy.breach_threshold.map(|n| format!("{n} SLA breaches")),
        policy.reopen_threshold.map(|n| format!("{n} reopenings")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if triggers.is_empty() {
        "Only on schedule".to_owned()
    } else {
        format!(
            "On {} within {} days",
            triggers.join(" or "),
            policy.window_days
        )
    }
}

fn link_text(l: &SopLink, category_name: &dyn Fn(Option<CategoryId>) -> Option<String>) -> String {
    let kind = match l.kind {
        Some(TicketKind::Incident) => "Incidents",
        Some(TicketKind::ServiceRequest) => "Service requests",
        None => "Tickets",
    };
    match (
        category_name(l.category_id),
        category_name(l.subcategory_id),
    ) {
        (Some(c), Some(s)) => format!("{kind} in {c} › {s}"),
        (Some(c), None) => format!("{kind} in {c}"),
        _ => kind.to_owned(),
    }
}

fn settings_form(
    viewer: &Viewer,
    base: &str,
    view: &SopView,
    staff: &[(String, String)],
    approvers: &[(String, String)],
    categories: &[spoc_app::CategoryRecord],
    errors: &FieldErrors,
) -> Markup {
    let r = &view.record;
    let id = |u: Option<UserId>| u.map(|u| u.to_string()).unwrap_or_default();
    let kinds = vec![
        (String::new(), "Any kind".to_owned()),
        ("incident".to_owned(), "Incidents".to_owned()),
        ("service_request".to_owned(), "Service requests".to_owned()),
    ];
    let mut tops = vec![(String::new(), "Any category".to_owned())];
    tops.extend(
        categories
            .iter()
            .filter(|c| c.parent_id.is_none())
            .map(|c| (c.id.to_string(), c.name.clone())),
    );
    let mut subs = vec![(String::new(), "Any subcategory".to_owned())];
    for c in categories.iter().filter(|c| c.parent_id.is_some()) {
        let parent = categories
            .iter()
            .find(|p| Some(p.id) == c.parent_id)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        subs.push((c.id.to_string(), format!("{parent} › {}", c.name)));
    }
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    html! {
        details class="panel settings" open[!errors.is_empty()] {
            summary class="panel-title" { "Document control and links" }
            form method="post" action={ (base) "/settings" } class="form" {
                (csrf_field(viewer))
                (select("s-owner", "owner_id", "Owner", &staff[1..], &r.owner_id.to_string(), errors))
                (select("s-reviewer", "reviewer_id", "Subject-matter reviewer", staff, &id(r.reviewer_id), errors))
                (select("s-approver", "approver_id", "Approver (lead or admin)", approvers, &id(r.approver_id), errors))
                (text_input("s-interval", "review_interval_months", "Review every (months)", "number", &r.policy.interval_months.to_string(), true, None, errors))
                (text_input("s-breaches", "breach_threshold", "Early review after SLA breaches", "number", &opt(r.policy.breach_threshold), false, Some("Empty for none."), errors))
                (text_input("s-reopens", "reopen_threshold", "Early review after reopenings", "number", &opt(r.policy.reopen_threshold), false, Some("Empty for none."), errors))
                (text_input("s-window", "window_days", "Within (days)", "number", &r.policy.window_days.to_string(), true, None, errors))
                fieldset class="field" {
                    legend { "Applies to" }
                    @for i in 0..3 {
                        @let link = view.links.get(i);
                        div class="link-row" {
                            (select(&format!("s-kind-{i}"), &format!("kind_{i}"), "Kind", &kinds, link.and_then(|l| l.kind).map(|k| k.as_str()).unwrap_or(""), errors))
                            (select(&format!("s-cat-{i}"), &format!("category_{i}"), "Category", &tops, &link.and_then(|l| l.category_id).map(|c| c.to_string()).unwrap_or_default(), errors))
                            (select(&format!("s-sub-{i}"), &format!("subcategory_{i}"), "Subcategory", &subs, &link.and_then(|l| l.subcategory_id).map(|c| c.to_string()).unwrap_or_default(), errors))
                        }
                    }
                    @if let Some(e) = errors.get("links") { p class="field-error" { (e) } }
                    p class="hint" { "A ticket follows the most specific SOP that matches it; leave a row at “Any” to skip it." }
                }
                div class="form-actions" { button class="button" type="submit" { "Save document control" } }
            }
        }
    }
}

/// The settings form as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    reviewer_id: String,
    #[serde(default)]
    approver_id: String,
    #[serde(default)]
    review_interval_months: String,
    #[serde(default)]
    breach_threshold: String,
    #[serde(default)]
    reopen_threshold: String,
    #[serde(default)]
    window_days: String,
    #[serde(default)]
    kind_0: String,
    #[serde(default)]
    category_0: String,
    #[serde(default)]
    subcategory_0: String,
    #[serde(default)]
    kind_1: String,
    #[serde(default)]
    category_1: String,
    #[serde(default)]
    subcategory_1: String,
    #[serde(default)]
    kind_2: String,
    #[serde(default)]
    category_2: String,
    #[serde(default)]
    subcategory_2: String,
}

impl SettingsForm {
    fn parse(&self) -> Result<SopSettings, FieldErrors> {
        let mut errors = FieldErrors::none();
        let mut number = |field: &'static str, value: &str, required: bool| -> Option<i64> {
            match optional_id(Some(value)) {
                Ok(Some(n)) => Some(n),
                Ok(None) if !required => None,
                _ => {
                    errors.add(
                        field,
                        if required {
                            "Enter a whole number."
                        } else {
                            "Enter a whole number, or leave it empty."
                        },
                    );
                    None
                }
            }
        };
        let owner = number("owner_id", &self.owner_id, true);
        let reviewer = number("reviewer_id", &self.reviewer_id, false);
        let approver = number("approver_id", &self.approver_id, false);
        let interval = number("review_interval_months", &self.review_interval_months, true);
        let breaches = number("breach_threshold", &self.breach_threshold, false);
        let reopens = number("reopen_threshold", &self.reopen_threshold, false);
        let window = number("window_days", &self.window_days, true);
        let mut links = Vec::new();
        for (kind, category, subcategory) in [
            (&self.kind_0, &self.category_0, &self.subcategory_0),
            (&self.kind_1, &self.category_1, &self.subcategory_1),
            (&self.kind_2, &self.category_2, &self.subcategory_2),
        ] {
            let kind = match kind.as_str() {
                "" => None,
                other => match TicketKind::parse(other) {
                    Ok(k) => Some(k),
                    Err(_) => {
                        errors.add("links", "Choose a kind from the list.");
                        None
                    }
                },
            };
            let category = optional_id(Some(category))
                .ok()
                .flatten()
                .map(CategoryId::new);
            let subcategory = optional_id(Some(subcategory))
                .ok()
                .flatten()
                .map(CategoryId::new);
            if kind.is_some() || category.is_some() || subcategory.is_some() {
                links.push(SopLink {
                    kind,
                    category_id: category,
                    subcategory_id: subcategory,
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SopSettings {
            owner_id: UserId::new(owner.unwrap_or_default()),
            reviewer_id: reviewer.map(UserId::new),
            approver_id: approver.map(UserId::new),
            policy: ReviewPolicy {
                interval_months: interval.unwrap_or(ReviewPolicy::DEFAULT.interval_months),
                breach_threshold: breaches,
                reopen_threshold: reopens,
                window_days: window.unwrap_or(ReviewPolicy::DEFAULT.window_days),
            },
            links,
        })
    }
}

/// `POST /desk/sops/{id}/settings`.
pub async fn save_settings(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<SettingsForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let id = parse_id(&id)?;
    let settings = match form.parse() {
        Ok(s) => s,
        Err(errors) => {
            return render_sop(
                &state,
                &viewer,
                id,
                None,
                None,
                None,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state
        .app
        .update_sop_settings(&viewer.actor, id, settings)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/desk/sops/{id}?ok=saved")).into_response()),
        Err(AppError::Validation(e)) => {
            render_sop(
                &state,
                &viewer,
                id,
                None,
                None,
                None,
                FieldErrors::one(e.field, sentence(&e.message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /desk/sops/{id}/act/{action}`.
pub async fn act(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, action)): Path<(String, String)>,
    UiForm(form): UiForm<crate::knowledge::CommentForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(form.csrf())?;
    viewer.require_staff()?;
    let id = parse_id(&id)?;
    let action = GovernanceAction::parse(&action).map_err(|_| UiError::not_found())?;
    match state
        .app
        .sop_action(&viewer.actor, id, action, form.comment().map(str::to_owned))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/desk/sops/{id}?ok=saved")).into_response()),
        Err(e @ (AppError::Forbidden(_) | AppError::Conflict(_) | AppError::Validation(_))) => {
            let message = match &e {
                AppError::Validation(v) => {
                    sentence(&format!("{}: {}", v.field.replace('_', " "), v.message))
                }
                other => sentence(&other.to_string()),
            };
            render_sop(
                &state,
                &viewer,
                id,
                None,
                None,
                Some(message),
                FieldErrors::none(),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /desk/sops/{id}/review`.
pub async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<crate::knowledge::CommentForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(form.csrf())?;
    let id = parse_id(&id)?;
    match state
        .app
        .record_sop_review(&viewer.actor, id, form.comment().unwrap_or(""))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/desk/sops/{id}?ok=saved")).into_response()),
        Err(AppError::Validation(_)) => {
            render_sop(
                &state,
                &viewer,
                id,
                None,
                None,
                Some("Write what the review concluded.".to_owned()),
                FieldErrors::none(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

// ----- reviews and outcomes -------------------------------------------------------------------------

/// `GET /desk/sops/reviews`.
pub async fn reviews(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let listing = state.app.list_sop_reviews(&viewer.actor).await?;
    let owners = listing
        .open
        .iter()
        .map(|(_, s)| s.owner_id)
        .chain(listing.scheduled.iter().map(|(s, _)| s.owner_id));
    let names = state.app.people_names(owners.collect::<Vec<_>>()).await?;
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

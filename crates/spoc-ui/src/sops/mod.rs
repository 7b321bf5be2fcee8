//! SOP pages for the desk: the list, a procedure with its document control, governance actions,
//! versions, diffs, links and reviews; the editor (line syntax, see `sop_text`); the review list
//! and the outcomes by version. The editor is `sop_editor`; the ticket view's checklist is
//! `checklist`.

pub(crate) mod editor;
mod provider_wide;
mod reports;
mod settings;
pub(crate) mod text;

use axum::Router;
use axum::routing;
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::AppError;
use spoc_domain::sop::{
    EscalationKind, GovernanceAction, ReviewDue, ReviewPolicy, ReviewTrigger, SopContent, SopLink,
    VersionState,
};
use spoc_domain::ticket::TicketKind;
use spoc_domain::{CategoryId, SopId, UserId};

pub(crate) use crate::document::parse_id;

/// An SOP id from a path.
pub(crate) fn sop_id(value: &str) -> Result<SopId, UiError> {
    parse_id(value).map(SopId::new)
}
use crate::document::{
    CommentForm, VersionItem, history_list, refusal, restore_button, version_list, written_by,
};
use crate::forms::{UiForm, optional_id};
use crate::i18n::sops::Sops;
use crate::i18n::{Msg, count, t, tr};
use crate::page::{Area, FieldErrors, Shell, csrf_field, empty_state, error_box, field, flash};
use crate::session::{UiError, Viewer};
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
        .route("/desk/sops/reviews", routing::get(reports::reviews))
        .route("/desk/sops/outcomes", routing::get(reports::outcomes))
        .route("/desk/sops/{id}", routing::get(view))
        .route(
            "/desk/sops/{id}/edit",
            routing::get(editor::edit_form).post(editor::save),
        )
        .route("/desk/sops/{id}/diff", routing::get(editor::diff))
        .route(
            "/desk/sops/{id}/settings",
            routing::post(settings::save_settings),
        )
        .route("/desk/sops/{id}/restore/{version}", routing::post(restore))
        .route("/desk/sops/{id}/act/{action}", routing::post(act))
        .route("/desk/sops/{id}/review", routing::post(review))
        .route(
            "/desk/sops/{id}/provider-wide",
            routing::post(provider_wide::set_provider_wide),
        )
}

/// A select option: value and label.
pub(crate) type Choice = (String, String);

pub(super) fn state_label(state: VersionState) -> &'static str {
    t(match state {
        VersionState::Draft => Sops::StateDraft,
        VersionState::Submitted => Sops::StateSubmitted,
        VersionState::Checked => Sops::StateChecked,
        VersionState::Validated => Sops::StateValidated,
        VersionState::Effective => Sops::StateEffective,
        VersionState::Superseded => Sops::StateSuperseded,
        VersionState::Retired => Sops::StateRetired,
    })
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
    t(match action {
        GovernanceAction::Submit => Sops::ActSubmit,
        GovernanceAction::Check => Sops::ActCheck,
        GovernanceAction::Validate => Sops::ActValidate,
        GovernanceAction::Approve => Sops::ActApprove,
        GovernanceAction::Retire => Sops::ActRetire,
        GovernanceAction::Return => Sops::ActReturn,
    })
}

fn log_phrase(action: &str) -> &'static str {
    t(match action {
        "created" => Sops::LogWrote,
        "drafted" => Sops::LogDrafted,
        "edited" => Sops::LogRevised,
        "restored" => Sops::LogRestored,
        "submit" => Sops::LogSubmitted,
        "check" => Sops::LogChecked,
        "validate" => Sops::LogValidated,
        "approve" => Sops::LogApproved,
        "retire" => Sops::LogRetired,
        "return" => Sops::LogSentBack,
        "reviewed" => Sops::LogReviewed,
        "settings" => Sops::LogSettings,
        "provider_wide" => Sops::LogProviderWide,
        "own_tenant" => Sops::LogOwnTenant,
        _ => Sops::LogChanged,
    })
}

fn trigger_label(trigger: ReviewTrigger) -> &'static str {
    t(match trigger {
        ReviewTrigger::Scheduled => Sops::TriggerScheduled,
        ReviewTrigger::SlaBreaches => Sops::TriggerSlaBreaches,
        ReviewTrigger::Reopenings => Sops::TriggerReopenings,
    })
}

/// The procedure's content, as the desk reads it.
pub fn content_view(c: &SopContent) -> Markup {
    html! {
        dl class="sop-intro" {
            dt { (t(Sops::Purpose)) } dd { (c.purpose) }
            dt { (t(Sops::Scope)) } dd { (c.scope) }
            dt { (t(Sops::Trigger)) } dd { (c.trigger) }
        }
        @if !c.roles.is_empty() {
            h3 { (t(Sops::Roles)) }
            ul { @for r in &c.roles { li { strong { (r.role) } " — " (r.duty) } } }
        }
        @if !c.inputs.is_empty() {
            h3 { (t(Sops::RequiredInputs)) }
            ul { @for i in &c.inputs { li { (i) } } }
        }
        h3 { (t(Sops::Steps)) }
        ol class="sop-steps" {
            @for s in &c.steps {
                li id={ "step-" (s.key) } {
                    (s.text)
                    @if let Some(a) = &s.answer {
                        " " span class="muted small" {
                            @if a.options.is_empty() { (tr(Sops::RecordAnswer, &[&a.label])) }
                            @else { (tr(Sops::RecordAnswerOptions, &[&a.label, &a.options.join(", ")])) }
                        }
                    }
                    @for d in c.decisions.iter().filter(|d| d.after_step.as_deref() == Some(s.key.as_str())) {
                        (decision(d))
                    }
                }
            }
        }
        @for d in c.decisions.iter().filter(|d| d.after_step.is_none()) { (decision(d)) }
        @if !c.exceptions.is_empty() {
            h3 { (t(Sops::Exceptions)) }
            (exceptions(c))
        }
        @if !c.escalations.is_empty() {
            h3 { (t(Sops::EscalationRules)) }
            ul { @for e in &c.escalations {
                li { strong { (e.when) } " → " (t(match e.level { EscalationKind::Functional => Sops::EscalateFunctional, EscalationKind::Hierarchical => Sops::EscalateHierarchical }))
                    @if let Some(g) = &e.group { (g) } span class="muted small" { " “" (e.reason) "”" } }
            } }
        }
        @if !c.checks.is_empty() {
            h3 { (t(Sops::QualityChecksEnforced)) }
            ul { @for q in &c.checks { li { (q.text) } } }
        }
        @if !c.references.is_empty() {
            h3 { (t(Sops::References)) }
            ul { @for r in &c.references { li { (r.title) @if let Some(l) = &r.location { " — " span class="mono small" { (l) } } } } }
        }
    }
}

pub(crate) fn decision(d: &spoc_domain::sop::DecisionPoint) -> Markup {
    html! {
        div class="sop-decision" {
            strong { (tr(Sops::Decision, &[&d.question])) }
            ul { @for o in &d.options { li { em { (o.answer) } " — " (o.then) } } }
        }
    }
}

pub(crate) fn exceptions(c: &SopContent) -> Markup {
    html! {
        div class="table-wrap" { table class="data" {
            thead { tr { th scope="col" { (t(Sops::ExceptionWhen)) } th scope="col" { (t(Sops::ExceptionThreshold)) } th scope="col" { (t(Sops::ExceptionWhatToDo)) } } }
            tbody { @for e in &c.exceptions { tr {
                td { (e.when) } td { (e.threshold) }
                td { (e.action) @if let Some(s) = &e.follow_sop { " " span class="muted small" { (t(Sops::FollowSop)) span class="mono" { (s) } } } }
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
        .people_names(viewer.actor.tenant_id, sops.iter().map(|s| s.owner_id))
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
                h1 { (t(Sops::ListHeading)) }
                p class="muted" { (t(Sops::ListIntro)) }
            }
            div class="page-actions" {
                a class="button" href="/desk/sops/reviews" { (t(Sops::Reviews)) }
                a class="button" href="/desk/sops/outcomes" { (t(Sops::Outcomes)) }
                @if viewer.actor.is_admin() {
                    form method="post" action="/desk/sops/import" class="inline" {
                        (csrf_field(&viewer))
                        button class="button" type="submit" { (t(Sops::ImportShipped)) }
                    }
                }
                @if viewer.actor.is_lead() { a class="button button-primary" href="/desk/sops/new" { (t(Sops::NewSop)) } }
            }
        }
        @if sops.is_empty() {
            (empty_state(t(Sops::NoSopsYet), t(Sops::NoSopsHint), None))
        } @else {
            div class="table-wrap" { table class="data cards-on-phone" {
                thead { tr {
                    th scope="col" { (t(Sops::ColProcedure)) } th scope="col" { (t(Sops::ColInForce)) } th scope="col" { (t(Sops::ColLatest)) }
                    th scope="col" { (t(Sops::Owner)) } th scope="col" { (t(Sops::NextReview)) }
                } }
                tbody { @for s in &sops { tr {
                    td data-label=(t(Sops::ColProcedure)) {
                        a href={ "/desk/sops/" (s.id) } { bdi { (s.title) } } br; span class="mono small muted" { (s.key) }
                        @if s.from_provider { " " (provider_wide::provider_badge()) }
                    }
                    td data-label=(t(Sops::ColInForce)) { @match s.effective_version { Some(v) => { (tr(Sops::VersionN, &[&v])) }, None => span class="muted" { (t(Sops::NoneInForce)) } } }
                    td data-label=(t(Sops::ColLatest)) {
                        (tr(Sops::VersionN, &[&s.latest_version]))
                        @if let Some(state) = latest_states.get(&s.id).filter(|st| **st != VersionState::Effective) { br; (state_badge(*state)) }
                    }
                    td data-label=(t(Sops::Owner)) { (names.get(&s.owner_id).cloned().unwrap_or_default()) }
                    td class="nowrap" data-label=(t(Sops::NextReview)) {
                        @match (s.effective_version, s.next_review_at) {
                            (Some(_), Some(at)) => {
                                (when(at))
                                @match spoc_domain::sop::review_due(at, now) {
                                    ReviewDue::Overdue => { " " span class="badge badge-sla-breached" { (t(Sops::Overdue)) } },
                                    ReviewDue::Upcoming => { " " span class="badge badge-sla-at-risk" { (t(Sops::Soon)) } },
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
    let shell = Shell::new(t(Sops::ListTitle), Area::Desk).current("/desk/sops");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
}

/// `POST /desk/sops/import` (admins).
pub async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<CommentForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(form.csrf())?;
    let report = state
        .app
        .import_seed_sops(viewer.actor.tenant_id, Some(&viewer.actor), viewer.user_id)
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
    let id = sop_id(&id)?;
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
    let mut all = vec![(String::new(), t(Sops::NobodyYet).to_owned())];
    all.extend(staff.iter().map(|u| {
        (
            u.id.to_string(),
            format!("{} ({})", u.name, role_word(u.role)),
        )
    }));
    let mut approvers = vec![(String::new(), t(Sops::NobodyYet).to_owned())];
    approvers.extend(
        staff
            .iter()
            .filter(|u| spoc_domain::sop::may_approve_role(u.role))
            .map(|u| {
                (
                    u.id.to_string(),
                    format!("{} ({})", u.name, role_word(u.role)),
                )
            }),
    );
    Ok((all, approvers))
}

/// A staff role as the desk says it.
fn role_word(role: spoc_domain::user::Role) -> &'static str {
    use spoc_domain::user::Role;
    match role {
        Role::Agent => t(Msg::RoleAgent),
        Role::Lead => t(Msg::RoleLead),
        Role::Admin => t(Msg::RoleAdmin),
        Role::Customer => role.as_str(),
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn render_sop(
    state: &AppState,
    viewer: &Viewer,
    id: SopId,
    version: Option<i64>,
    ok: Option<&str>,
    error: Option<String>,
    settings_errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, UiError> {
    let app = &state.app;
    let view = app.get_sop(&viewer.actor, id).await?;
    if view.sop.from_provider {
        return provider_wide::foreign_page(state, viewer, &view, ok).await;
    }
    let record = &view.sop;
    let provider_panel =
        viewer.actor.tenant_id == spoc_domain::TenantId::FIRST && app.tenant_count().await? > 1;
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
    let names: HashMap<UserId, String> = app.people_names(viewer.actor.tenant_id, ids).await?;
    let name = |id: Option<UserId>| {
        id.and_then(|i| names.get(&i).cloned())
            .unwrap_or_else(|| "Spoc".to_owned()) // i18n: not text
    };
    let offered = view.offered(&viewer.actor);
    let latest = view.versions.last();
    let base = format!("/desk/sops/{id}");
    let may_configure = viewer.actor.is_lead() || viewer.user_id == record.owner_id;
    let categories = app.list_categories(viewer.actor.tenant_id).await?;
    let category_name = |c: Option<CategoryId>| {
        c.and_then(|c| categories.iter().find(|x| x.id == c))
            .map(|x| x.name.clone())
    };
    let (staff, approvers) = staff_options(state, viewer).await?;
    let may_draft = latest.is_some_and(|l| !l.state.in_review())
        && (may_configure
            || record.reviewer_id == Some(viewer.user_id)
            || record.approver_id == Some(viewer.user_id));
    let version_items: Vec<VersionItem> = view
        .versions
        .iter()
        .map(|v| VersionItem {
            heading: html! { a href={ (base) "?version=" (v.version) } { strong { (tr(Sops::VersionN, &[&v.version])) } } " " (state_badge(v.state)) },
            note: v.change_summary.clone(),
            meta: html! {
                (written_by(name(v.author_id), v.created_at))
                @if let Some(at) = v.effective_at { (tr(Sops::EffectiveAt, &[&when(at)])) }
            },
            actions: html! {
                @if v.version > 1 { " " a class="small" href={ (base) "/diff?from=" (v.version - 1) "&to=" (v.version) } { (t(Sops::Changes)) } }
                @if may_draft && v.version != record.latest_version {
                    " " (restore_button(viewer, &format!("{base}/restore/{}", v.version), t(Sops::RestoreAsDraft)))
                }
            },
        })
        .collect();
    let c = &shown.content;
    let body = html! {
        (flash(ok))
        (error_box(error.as_deref()))
        div class="page-head" {
            div {
                p class="eyebrow" { a href="/desk/sops" { (t(Sops::ListTitle)) } " · " span class="mono" { (record.key) } }
                h1 { bdi { (c.title) } }
                div class="cluster" {
                    (state_badge(shown.state)) span class="muted" { (tr(Sops::VersionN, &[&shown.version])) }
                    @if shown.version != record.latest_version { a href={ (base) "?version=" (record.latest_version) } { (tr(Sops::SeeLatest, &[&record.latest_version])) } }
                }
            }
            div class="page-actions" {
                @if may_draft {
                    a class="button" href={ (base) "/edit" } { @if latest.is_some_and(|l| l.state == VersionState::Draft) { (t(Sops::ReviseDraft)) } @else { (t(Sops::DraftNewVersion)) } }
                }
            }
        }
        div class="ticket-layout" {
            div class="stack" {
                article class="panel sop-doc" { (content_view(c)) }
                section class="panel" aria-labelledby="versions-title" {
                    h2 class="panel-title" id="versions-title" { (t(Sops::Versions)) }
                    (version_list(&version_items))
                }
                section class="panel" aria-labelledby="log-title" {
                    h2 class="panel-title" id="log-title" { (t(Sops::GovernanceLog)) }
                    (history_list(&view.log, &name, log_phrase))
                }
            }
            aside class="stack" aria-label=(t(Sops::ControlAndGovernance)) {
                section class="panel" aria-labelledby="control-title" {
                    h2 class="panel-title" id="control-title" { (t(Sops::DocumentControl)) }
                    dl class="facts" {
                        dt { (t(Sops::Owner)) } dd { (name(Some(record.owner_id))) }
                        dt { (t(Sops::Reviewer)) } dd { @match record.reviewer_id { Some(r) => { (name(Some(r))) }, None => span class="muted" { (t(Sops::NotNamed)) } } }
                        dt { (t(Sops::Approver)) } dd { @match record.approver_id { Some(a) => { (name(Some(a))) }, None => span class="muted" { (t(Sops::NotNamed)) } } }
                        dt { (t(Sops::Version)) } dd { (shown.version) }
                        dt { (t(Sops::Effective)) } dd { @match shown.effective_at { Some(at) => { (when(at)) }, None => span class="muted" { "—" } } }
                        dt { (t(Sops::ChangeSummary)) } dd { (shown.change_summary) }
                        dt { (t(Sops::NextReview)) } dd { @match record.next_review_at { Some(at) => { (when(at)) }, None => span class="muted" { "—" } } }
                        dt { (t(Sops::ReviewEvery)) } dd { (count(record.policy.interval_months, Sops::MonthsOne, Sops::MonthsOther)) }
                        dt { (t(Sops::EarlyReview)) } dd { (early_review_text(&record.policy)) }
                        dt { (t(Sops::AppliesTo)) } dd {
                            @if view.links.is_empty() { span class="muted" { (t(Sops::NoTicketsLinked)) } }
                            @for l in &view.links {
                                div { (link_text(l, &category_name)) }
                            }
                        }
                    }
                }
                @if provider_panel { (provider_wide::provider_wide_panel(viewer, record)) }
                section class="panel" id="governance" aria-labelledby="gov-title" {
                    h2 class="panel-title" id="gov-title" { (t(Sops::Governance)) }
                    @if let Some(l) = latest { p class="small" { (t(Sops::LatestVersion)) (state_badge(l.state)) } }
                    @if offered.is_empty() {
                        p class="muted small" { (t(Sops::NothingToDo)) }
                    }
                    @for action in &offered {
                        @if *action == GovernanceAction::Return || *action == GovernanceAction::Retire {
                            details class="action" {
                                summary class={ "button " (if *action == GovernanceAction::Retire { "button-danger" } else { "button-quiet" }) } { (action_label(*action)) "…" }
                                form method="post" action={ (base) "/act/" (action.as_str()) } class="form" {
                                    (csrf_field(viewer))
                                    (field(&format!("gov-{}", action.as_str()), if *action == GovernanceAction::Return { t(Sops::WhatMustChange) } else { t(Sops::WhyOptional) }, None, None, html! {
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
                    p class="hint" { (t(Sops::GovernanceHint)) }
                }
                @if viewer.user_id == record.owner_id && record.effective_version.is_some() {
                    section class="panel" aria-labelledby="review-title" {
                        h2 class="panel-title" id="review-title" { (t(Sops::RecordAReview)) }
                        form method="post" action={ (base) "/review" } class="form" {
                            (csrf_field(viewer))
                            (field("review-note", t(Sops::WhatYouConcluded), Some(t(Sops::RecordReviewHint)), None, html! {
                                textarea id="review-note" name="comment" rows="3" required {}
                            }))
                            div class="form-actions" { button class="button" type="submit" { (t(Sops::RecordTheReview)) } }
                        }
                    }
                }
                @if !view.reviews.is_empty() {
                    section class="panel" aria-labelledby="reviews-title" {
                        h2 class="panel-title" id="reviews-title" { (t(Sops::Reviews)) }
                        ul class="log-list" { @for r in &view.reviews { li {
                            strong { (trigger_label(r.cause)) } " " @if r.open { span class="badge badge-sla-at-risk" { (t(Sops::ReviewOpen)) } } @else { span class="badge" { (t(Sops::ReviewDone)) } }
                            span class="muted small" { (tr(Sops::OpenedAt, &[&when(r.created_at)])) }
                            @if !r.tickets.is_empty() { div class="small" { (t(Sops::TicketsLabel)) @for t in &r.tickets { a href={ "/desk/tickets/" (t) } { "#" (t) } " " } } }
                            @if let Some(n) = &r.note { div class="entry-body small" { (n) } }
                        } } }
                    }
                }
                @if may_configure {
                    (settings::settings_form(viewer, &base, &view, &staff, &approvers, &categories, &settings_errors))
                }
            }
        }
    };
    let title = c.title.clone();
    let shell = Shell::new(&title, Area::Desk).current("/desk/sops");
    Ok((status, Html(shell.render(Some(viewer), body).into_string())).into_response())
}

fn early_review_text(policy: &ReviewPolicy) -> String {
    let days = &policy.window_days;
    match (policy.breach_threshold, policy.reopen_threshold) {
        (Some(b), Some(r)) => tr(Sops::EarlyOnBoth, &[&b, &r, days]),
        (Some(b), None) => tr(Sops::EarlyOnBreaches, &[&b, days]),
        (None, Some(r)) => tr(Sops::EarlyOnReopenings, &[&r, days]),
        (None, None) => t(Sops::EarlyOnlyOnSchedule).to_owned(),
    }
}

fn link_text(l: &SopLink, category_name: &dyn Fn(Option<CategoryId>) -> Option<String>) -> String {
    let kind = t(match l.kind {
        Some(TicketKind::Incident) => Sops::LinkIncidents,
        Some(TicketKind::ServiceRequest) => Sops::LinkServiceRequests,
        None => Sops::LinkTickets,
    });
    match (
        category_name(l.category_id),
        category_name(l.subcategory_id),
    ) {
        (Some(c), Some(s)) => tr(Sops::LinkInSub, &[&kind, &c, &s]),
        (Some(c), None) => tr(Sops::LinkIn, &[&kind, &c]),
        _ => kind.to_owned(),
    }
}

/// The SOP's page saying why the app refused a step on it (409), or the error when it is not a
/// refusal.
async fn refused(
    state: &AppState,
    viewer: &Viewer,
    id: SopId,
    error: AppError,
) -> Result<Response, UiError> {
    let message = refusal(error)?;
    render_sop(
        state,
        viewer,
        id,
        None,
        None,
        Some(message),
        FieldErrors::none(),
        StatusCode::CONFLICT,
    )
    .await
}

/// `POST /desk/sops/{id}/act/{action}`.
pub async fn act(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, action)): Path<(String, String)>,
    UiForm(form): UiForm<CommentForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(form.csrf())?;
    viewer.require_staff()?;
    let id = sop_id(&id)?;
    let action = GovernanceAction::parse(&action).map_err(|_| UiError::not_found())?;
    match state
        .app
        .sop_action(&viewer.actor, id, action, form.comment().map(str::to_owned))
        .await
    {
        Ok(_) => {
            let done = match action {
                GovernanceAction::Submit => "submitted",
                GovernanceAction::Check => "checked",
                GovernanceAction::Validate => "validated",
                GovernanceAction::Approve => "approved",
                GovernanceAction::Retire => "retired",
                GovernanceAction::Return => "returned",
            };
            Ok(Redirect::to(&format!("/desk/sops/{id}?ok={done}")).into_response())
        }
        Err(e) => refused(&state, &viewer, id, e).await,
    }
}

/// `POST /desk/sops/{id}/restore/{version}`: the old version's content comes back as the
/// latest draft, to go through governance again.
pub async fn restore(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, version)): Path<(String, String)>,
    UiForm(form): UiForm<CommentForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(form.csrf())?;
    viewer.require_staff()?;
    let id = sop_id(&id)?;
    let version = parse_id(&version)?;
    match state.app.restore_sop(&viewer.actor, id, version).await {
        Ok(record) => Ok(Redirect::to(&format!(
            "/desk/sops/{id}?version={}&ok=restored",
            record.latest_version
        ))
        .into_response()),
        Err(e) => refused(&state, &viewer, id, e).await,
    }
}

/// `POST /desk/sops/{id}/review`.
pub async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<CommentForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(form.csrf())?;
    let id = sop_id(&id)?;
    match state
        .app
        .record_sop_review(&viewer.actor, id, form.comment().unwrap_or(""))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/desk/sops/{id}?ok=reviewed")).into_response()),
        Err(AppError::Validation(_)) => {
            render_sop(
                &state,
                &viewer,
                id,
                None,
                None,
                Some(t(Sops::WriteConclusion).to_owned()),
                FieldErrors::none(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

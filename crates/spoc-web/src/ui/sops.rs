//! SOP pages for the desk: the list, a procedure with its document control, governance actions,
//! versions, diffs, links and reviews; the editor (line syntax, see `sop_text`); the review list
//! and the outcomes by version. Also the ticket view's SOP checklist (steps to tick, answers to
//! record, quality checks, exceptions and escalation rules one click away) and the articles
//! used to resolve a ticket.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, SopInput, SopSettings, SopView, TicketSopView};
use spoc_domain::metrics::{DurationSummary, Outcomes, Ratio};
use spoc_domain::sla::describe_duration;
use spoc_domain::sop::{
    EscalationKind, GovernanceAction, ReviewDue, ReviewPolicy, ReviewTrigger, SopContent, SopLink,
    VersionState,
};
use spoc_domain::ticket::{Ticket, TicketKind};
use spoc_domain::{CategoryId, TicketId, UserId};

use super::forms::{UiForm, optional_id};
use super::knowledge::diff_table;
use super::page::{
    Area, FieldErrors, Shell, csrf_field, empty_state, error_box, field, flash, select, text_input,
};
use super::session::{UiError, Viewer, sentence};
use super::sop_text::SopText;
use super::timefmt::when;
use crate::AppState;

/// A select option: value and label.
type Choice = (String, String);

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

fn parse_id(value: &str) -> Result<i64, UiError> {
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

fn decision(d: &spoc_domain::sop::DecisionPoint) -> Markup {
    html! {
        div class="sop-decision" {
            strong { "Decision: " (d.question) }
            ul { @for o in &d.options { li { em { (o.answer) } " — " (o.then) } } }
        }
    }
}

fn exceptions(c: &SopContent) -> Markup {
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

// ----- the ticket's checklist -------------------------------------------------------------------

/// The checklist panel of the desk's ticket view, or nothing when no SOP applies. `error` is a
/// refused checklist change: the step and a sentence, shown next to it.
pub async fn checklist_panel(
    state: &AppState,
    viewer: &Viewer,
    ticket: &Ticket,
    error: Option<&(String, String)>,
) -> Result<Markup, AppError> {
    let Some(view) = state.app.ticket_sop(&viewer.actor, ticket).await? else {
        return Ok(html! {});
    };
    Ok(render_checklist(viewer, ticket, &view, error))
}

fn render_checklist(
    viewer: &Viewer,
    ticket: &Ticket,
    view: &TicketSopView,
    error: Option<&(String, String)>,
) -> Markup {
    let c = &view.version.content;
    let base = format!("/desk/tickets/{}", ticket.id);
    let open = ticket.status.is_open();
    let n_done = c
        .steps
        .iter()
        .filter(|s| view.checklist.done.contains_key(&s.key))
        .count();
    html! {
        section class="panel checklist" id="sop-checklist" aria-labelledby="sop-title" {
            div class="checklist-head" {
                h2 class="panel-title" id="sop-title" { "SOP: " (c.title) }
                span class="muted small" {
                    "Version " (view.version.version) " · " (n_done) " of " (c.steps.len()) " steps done · "
                    a href={ "/desk/sops/" (view.sop.id) "?version=" (view.version.version) } { "read the procedure" }
                }
            }
            @if view.bound.is_none() {
                p class="hint" { "This ticket will be handled under version " (view.version.version) ", in force now, from its first tick or its resolution." }
            }
            @if let Some(newer) = view.newer_effective {
                p class="notice notice-warning" { "Version " (newer) " is now effective. This ticket stays under version " (view.version.version) ", which was in force when work on it began." }
            }
            ol class="checklist-steps" {
                @for step in &c.steps {
                    @let mark = view.checklist.done.get(&step.key);
                    @let answer = view.checklist.answers.get(&step.key);
                    @let step_error = error.filter(|(k, _)| *k == step.key).map(|(_, m)| m.as_str());
                    li class={ "checklist-step" @if mark.is_some() { " is-done" } } id={ "check-" (step.key) } {
                        @if step.answer.is_none() {
                            form method="post" action={ (base) "/sop/step" } class="inline step-toggle" {
                                (csrf_field(viewer))
                                input type="hidden" name="step" value=(step.key);
                                input type="hidden" name="done" value=(if mark.is_some() { "false" } else { "true" });
                                button type="submit" class="tick" disabled[!open] aria-pressed=(if mark.is_some() { "true" } else { "false" })
                                    aria-label={ (if mark.is_some() { "Untick: " } else { "Tick: " }) (step.text) } {
                                    span class="tick-box" aria-hidden="true" { @if mark.is_some() { "✓" } }
                                }
                            }
                        } @else {
                            span class="tick-box static" aria-hidden="true" { @if mark.is_some() { "✓" } }
                        }
                        div class="step-body" {
                            span class="step-text" { (step.text) }
                            @if let Some(spec) = &step.answer {
                                @let id = format!("answer-{}", step.key);
                                form method="post" action={ (base) "/sop/answer" } class="answer-form" {
                                    (csrf_field(viewer))
                                    input type="hidden" name="step" value=(step.key);
                                    label for=(id) class="small" { (spec.label) }
                                    div class="cluster" {
                                        @if spec.options.is_empty() {
                                            input id=(id) name="answer" type="text" value=[answer.map(|a| a.value.as_str())] required disabled[!open]
                                                aria-invalid=[step_error.map(|_| "true")];
                                        } @else {
                                            select id=(id) name="answer" required disabled[!open] aria-invalid=[step_error.map(|_| "true")] {
                                                @if answer.is_none() { option value="" { "Choose…" } }
                                                @for o in &spec.options {
                                                    option value=(o) selected[answer.is_some_and(|a| &a.value == o)] { (o) }
                                                }
                                            }
                                        }
                                        button class="button button-small" type="submit" disabled[!open] { "Record" }
                                    }
                                }
                            }
                            @if let Some(m) = step_error { p class="field-error" { (m) } }
                            @for d in c.decisions.iter().filter(|d| d.after_step.as_deref() == Some(step.key.as_str())) {
                                (decision(d))
                            }
                        }
                    }
                }
            }
            @if !c.checks.is_empty() {
                h3 class="small-title" { "Before resolving" }
                ul class="checks" {
                    @for check in &c.checks {
                        @let missing = view.missing.iter().any(|m| m.key == check.key);
                        li class={ "check " (if missing { "check-missing" } else { "check-met" }) } {
                            span aria-hidden="true" { (if missing { "○ " } else { "● " }) }
                            span class="visually-hidden" { (if missing { "Missing: " } else { "Done: " }) }
                            (check.text)
                        }
                    }
                }
            }
            @if !c.exceptions.is_empty() {
                details class="sop-more" id="sop-exceptions" {
                    summary { "Exceptions (" (c.exceptions.len()) ")" }
                    (exceptions(c))
                }
            }
            @if !c.escalations.is_empty() {
                details class="sop-more" id="sop-escalations" open[ticket.status.is_active()] {
                    summary { "Escalate by the SOP (" (c.escalations.len()) ")" }
                    ul class="escalation-rules" {
                        @for e in &c.escalations {
                            li {
                                a href={ (base) "?escalate=" (e.key) "#ticket-actions" } { (e.when) }
                                span class="muted small" { " — " (match e.level { EscalationKind::Functional => "to ", EscalationKind::Hierarchical => "alert the leads" }) @if let Some(g) = &e.group { (g) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What the escalate form is filled with for an escalation rule of the ticket's SOP:
/// `(escalation target, reason)`; the target is the named group when it exists (a higher-tier
/// group), else the leads; a functional rule whose group does not exist says so in the reason.
pub async fn escalation_prefill(
    state: &AppState,
    viewer: &Viewer,
    ticket: &Ticket,
    key: &str,
) -> Result<Option<(String, String)>, AppError> {
    let Some(view) = state.app.ticket_sop(&viewer.actor, ticket).await? else {
        return Ok(None);
    };
    let Some(rule) = view
        .version
        .content
        .escalations
        .iter()
        .find(|e| e.key == key)
    else {
        return Ok(None);
    };
    if rule.level == EscalationKind::Hierarchical {
        return Ok(Some(("hierarchical".to_owned(), rule.reason.clone())));
    }
    let groups = state.app.list_groups(&viewer.actor).await?;
    let target = rule.group.as_deref().and_then(|name| {
        groups
            .iter()
            .find(|g| g.name.eq_ignore_ascii_case(name) && g.tier.number() > ticket.tier.number())
    });
    Ok(Some(match target {
        Some(group) => (format!("g:{}", group.id), rule.reason.clone()),
        None => (
            "hierarchical".to_owned(),
            format!(
                "{} (The SOP names the group “{}”, which this desk does not have at a higher tier; the leads are alerted instead.)",
                rule.reason,
                rule.group.as_deref().unwrap_or("")
            ),
        ),
    }))
}

/// The articles-used panel of the desk's ticket view.
pub async fn articles_panel(
    state: &AppState,
    viewer: &Viewer,
    ticket: &Ticket,
) -> Result<Markup, AppError> {
    let used = state.app.ticket_articles(&viewer.actor, ticket.id).await?;
    let (suggested, _) = state
        .app
        .list_articles(
            &viewer.actor,
            spoc_app::ArticleFilter {
                status: None,
                limit: Some(100),
                ..spoc_app::ArticleFilter::default()
            },
        )
        .await?;
    let mut choices: Vec<(String, String)> = vec![(String::new(), "Choose an article…".to_owned())];
    choices.extend(
        suggested
            .iter()
            .filter(|a| {
                a.published_version.is_some()
                    && a.status != spoc_domain::knowledge::ArticleStatus::Retired
            })
            .filter(|a| !used.iter().any(|u| u.id == a.id))
            .map(|a| (a.id.to_string(), a.title.clone())),
    );
    let base = format!("/desk/tickets/{}", ticket.id);
    Ok(html! {
        section class="panel" id="ticket-articles" aria-labelledby="articles-title" {
            h2 class="panel-title" id="articles-title" { "Knowledge used" }
            @if used.is_empty() {
                p class="muted small" { "No article recorded yet." }
            } @else {
                ul { @for a in &used { li { a href={ "/desk/kb/" (a.id) } { (a.title) } } } }
            }
            @if choices.len() > 1 {
                form method="post" action={ (base) "/articles" } class="form" {
                    (csrf_field(viewer))
                    (select("used-article", "article_id", "Record an article used to resolve", &choices, "", &FieldErrors::none()))
                    div class="form-actions" { button class="button button-small" type="submit" { "Record" } }
                }
            }
        }
    })
}

/// A checklist change from the ticket view.
#[derive(Debug, Default, Deserialize)]
pub struct StepForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    step: String,
    done: Option<String>,
    answer: Option<String>,
}

/// What happened to a checklist change: done (redirect), or refused with a sentence for the step.
pub enum StepOutcome {
    /// Saved.
    Done(Response),
    /// Refused: the step and why.
    Refused(String, String),
}

/// `POST /desk/tickets/{id}/sop/step` and `/sop/answer`.
pub async fn change_step(
    state: &AppState,
    viewer: &Viewer,
    id: TicketId,
    form: StepForm,
) -> Result<StepOutcome, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let result = match (form.answer.as_deref(), form.done.as_deref()) {
        (Some(answer), _) => {
            state
                .app
                .answer_sop_step(&viewer.actor, id, &form.step, answer)
                .await
        }
        (None, Some("true")) => {
            state
                .app
                .tick_sop_step(&viewer.actor, id, &form.step, true)
                .await
        }
        (None, Some("false")) => {
            state
                .app
                .tick_sop_step(&viewer.actor, id, &form.step, false)
                .await
        }
        _ => {
            return Ok(StepOutcome::Refused(
                form.step,
                "Tick the step or record an answer.".to_owned(),
            ));
        }
    };
    match result {
        Ok(_) => Ok(StepOutcome::Done(
            Redirect::to(&format!("/desk/tickets/{id}?ok=saved#check-{}", form.step))
                .into_response(),
        )),
        Err(AppError::Validation(e)) => Ok(StepOutcome::Refused(form.step, sentence(&e.message))),
        Err(AppError::Conflict(message)) => Ok(StepOutcome::Refused(form.step, sentence(&message))),
        Err(e) => Err(e.into()),
    }
}

/// Recording an article.
#[derive(Debug, Default, Deserialize)]
pub struct ArticleUseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    article_id: String,
}

/// `POST /desk/tickets/{id}/articles`.
pub async fn record_article(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<ArticleUseForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let id = TicketId::new(parse_id(&id)?);
    let article = form.article_id.trim().parse::<i64>().map_err(|_| {
        UiError::page(
            StatusCode::BAD_REQUEST,
            "Please check your input",
            "Choose an article from the list.",
        )
    })?;
    state.app.link_article(&viewer.actor, id, article).await?;
    Ok(Redirect::to(&format!("/desk/tickets/{id}?ok=saved#ticket-articles")).into_response())
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
                    td { a href={ "/desk/sops/" (s.id) } { (s.title) } br; span class="mono small muted" { (s.key) } }
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
    UiForm(form): UiForm<super::knowledge::CommentForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(form.csrf())?;
    let report = state
        .app
        .import_seed_sops(Some(&viewer.actor), viewer.actor.user_id)
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

async fn staff_options(
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
    let may_configure = viewer.actor.is_lead() || viewer.actor.user_id == record.owner_id;
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
                h1 { (c.title) }
                div class="cluster" {
                    (state_badge(shown.state)) span class="muted" { "Version " (shown.version) }
                    @if shown.version != record.latest_version { a href={ (base) "?version=" (record.latest_version) } { "see the latest, version " (record.latest_version) } }
                }
            }
            div class="page-actions" {
                @if latest.is_some_and(|l| !l.state.in_review()) && (may_configure || record.reviewer_id == Some(viewer.actor.user_id) || record.approver_id == Some(viewer.actor.user_id)) {
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
                @if viewer.actor.user_id == record.owner_id && record.effective_version.is_some() {
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
    UiForm(form): UiForm<super::knowledge::CommentForm>,
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
    UiForm(form): UiForm<super::knowledge::CommentForm>,
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

// ----- the editor ---------------------------------------------------------------------------------

/// The editor form: the text boxes, plus key and people for a new SOP.
#[derive(Debug, Default, Deserialize)]
pub struct EditorForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    reviewer_id: String,
    #[serde(default)]
    approver_id: String,
    #[serde(default)]
    change_summary: String,
    version: Option<i64>,
    #[serde(flatten)]
    text: SopText,
}

const HINTS: [(&str, &str, &str, u32); 8] = [
    ("roles", "Roles", "One per line — Role: what they do", 3),
    ("inputs", "Required inputs", "One per line", 4),
    (
        "steps",
        "Steps",
        "One per line — key: One instruction. Add [Label: option | option] or [Label] to record an answer with it. Keys stay the same across versions.",
        10,
    ),
    (
        "decisions",
        "Decision points",
        "key @after-step: Question? | answer => what to do | answer => what to do",
        3,
    ),
    (
        "exceptions",
        "Exceptions (the top 2–3)",
        "key: when | threshold | what to do — add | follow: sop-key to point at another SOP",
        4,
    ),
    (
        "escalations",
        "Escalation rules",
        "key: functional | Group name | when | reason — or key: hierarchical | | when | reason",
        3,
    ),
    (
        "checks",
        "Quality checks (enforced before resolve and close)",
        "key: what must be true | field service (category, subcategory, impact, urgency, assignee) · priority rationale · step KEY · answer KEY · answer KEY = A, B",
        5,
    ),
    (
        "references",
        "References",
        "One per line — title, or title | location",
        3,
    ),
];

fn editor(
    viewer: &Viewer,
    action: &str,
    form: &EditorForm,
    errors: &FieldErrors,
    new: Option<(&[Choice], &[Choice])>,
) -> Markup {
    let text = &form.text;
    let value = |name: &str| -> &str {
        match name {
            "roles" => &text.roles,
            "inputs" => &text.inputs,
            "steps" => &text.steps,
            "decisions" => &text.decisions,
            "exceptions" => &text.exceptions,
            "escalations" => &text.escalations,
            "checks" => &text.checks,
            _ => &text.references,
        }
    };
    let area = |name: &str, label: &str, hint: Option<&str>, rows: u32, v: &str| {
        let id = format!("e-{name}");
        let error = errors.get(name);
        field(
            &id,
            label,
            hint,
            error,
            html! {
                textarea id=(id) name=(name) rows=(rows) class="mono-input" aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[super::page::described_by(&id, hint.is_some(), error.is_some())] { (v) }
            },
        )
    };
    html! {
        @if !errors.is_empty() {
            div class="error-summary" role="alert" {
                h2 { "Please check the procedure" }
                ul { @for (f, m) in errors.iter() { li { a href={ "#e-" (f) } { (m) } } } }
            }
        }
        form class="form panel sop-editor" method="post" action=(action) {
            (csrf_field(viewer))
            @if let Some(v) = form.version { input type="hidden" name="version" value=(v); }
            @if let Some((staff, approvers)) = new {
                (text_input("e-key", "key", "Key", "text", &form.key, true, Some("Lower-case letters, digits and '-', e.g. password-reset. It never changes."), errors))
                div class="grid-2" {
                    (select("e-owner", "owner_id", "Owner", &staff[1..], &form.owner_id, errors))
                    (select("e-reviewer", "reviewer_id", "Subject-matter reviewer", staff, &form.reviewer_id, errors))
                    (select("e-approver", "approver_id", "Approver (lead or admin)", approvers, &form.approver_id, errors))
                }
            }
            (text_input("e-title", "title", "Title", "text", &text.title, true, None, errors))
            (area("purpose", "Purpose", None, 2, &text.purpose))
            (area("scope", "Scope", None, 2, &text.scope))
            (area("trigger", "Trigger", None, 2, &text.trigger))
            @for (name, label, hint, rows) in HINTS {
                (area(name, label, Some(hint), rows, value(name)))
            }
            (text_input("e-change_summary", "change_summary", "Change summary", "text", &form.change_summary, true, Some("What this version changes, and why."), errors))
            div class="form-actions" { button class="button button-primary" type="submit" { "Save the draft" } }
        }
    }
}

fn content_of(form: &EditorForm) -> Result<SopContent, FieldErrors> {
    let content = form
        .text
        .parse()
        .map_err(|e| FieldErrors::one(e.field, sentence(&e.message)))?;
    content
        .validate()
        .map_err(|e| FieldErrors::one(e.field, sentence(&e.message)))?;
    Ok(content)
}

/// `GET /desk/sops/new` (leads and admins).
pub async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let form = EditorForm {
        owner_id: viewer.actor.user_id.to_string(),
        ..EditorForm::default()
    };
    new_page(&state, &viewer, &form, &FieldErrors::none(), StatusCode::OK).await
}

async fn new_page(
    state: &AppState,
    viewer: &Viewer,
    form: &EditorForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, UiError> {
    let (staff, approvers) = staff_options(state, viewer).await?;
    let body = html! {
        div class="page-head" { div { p class="eyebrow" { a href="/desk/sops" { "SOPs" } } h1 { "New SOP" }
            p class="muted" { "Version 1 starts as a draft; it applies to tickets once approved." } } }
        (editor(viewer, "/desk/sops/new", form, errors, Some((&staff, &approvers))))
    };
    let shell = Shell::new("New SOP", Area::Desk).current("/desk/sops");
    Ok((status, Html(shell.render(Some(viewer), body).into_string())).into_response())
}

/// `POST /desk/sops/new`.
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<EditorForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let content = match content_of(&form) {
        Ok(c) => c,
        Err(errors) => {
            return new_page(
                &state,
                &viewer,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let person = |v: &str| optional_id(Some(v)).ok().flatten().map(UserId::new);
    let input = SopInput {
        key: form.key.trim().to_owned(),
        content,
        change_summary: form.change_summary.clone(),
        settings: SopSettings {
            owner_id: person(&form.owner_id).unwrap_or(viewer.actor.user_id),
            reviewer_id: person(&form.reviewer_id),
            approver_id: person(&form.approver_id),
            policy: ReviewPolicy::DEFAULT,
            links: Vec::new(),
        },
    };
    match state.app.create_sop(&viewer.actor, input).await {
        Ok(record) => {
            Ok(Redirect::to(&format!("/desk/sops/{}?ok=saved", record.id)).into_response())
        }
        Err(AppError::Validation(e)) => {
            new_page(
                &state,
                &viewer,
                &form,
                &FieldErrors::one(e.field, sentence(&e.message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Duplicate(m)) => {
            new_page(
                &state,
                &viewer,
                &form,
                &FieldErrors::one("key", sentence(&m)),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /desk/sops/{id}/edit`: the latest version in the editor.
pub async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let id = parse_id(&id)?;
    let view = state.app.get_sop(&viewer.actor, id).await?;
    let latest = view.versions.last().ok_or_else(UiError::not_found)?;
    let form = EditorForm {
        version: Some(latest.version),
        text: SopText::format(&latest.content),
        change_summary: if latest.state == VersionState::Draft {
            latest.change_summary.clone()
        } else {
            String::new()
        },
        ..EditorForm::default()
    };
    Ok(edit_page(
        &viewer,
        id,
        latest.state == VersionState::Draft,
        &form,
        &FieldErrors::none(),
        StatusCode::OK,
    ))
}

fn edit_page(
    viewer: &Viewer,
    id: i64,
    draft: bool,
    form: &EditorForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let body = html! {
        div class="page-head" { div {
            p class="eyebrow" { a href={ "/desk/sops/" (id) } { "Back to the SOP" } }
            h1 { @if draft { "Revise the draft" } @else { "Draft a new version" } }
            p class="muted" { "The version in force stays in force until the new one is approved." }
        } }
        (editor(viewer, &format!("/desk/sops/{id}/edit"), form, errors, None))
    };
    let shell = Shell::new("Edit SOP", Area::Desk).current("/desk/sops");
    (status, Html(shell.render(Some(viewer), body).into_string())).into_response()
}

/// `POST /desk/sops/{id}/edit`.
pub async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<EditorForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require_staff()?;
    let id = parse_id(&id)?;
    let content = match content_of(&form) {
        Ok(c) => c,
        Err(errors) => {
            return Ok(edit_page(
                &viewer,
                id,
                false,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    match state
        .app
        .draft_sop_version(
            &viewer.actor,
            id,
            form.version,
            content,
            &form.change_summary,
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/desk/sops/{id}?ok=saved")).into_response()),
        Err(AppError::Validation(e)) => Ok(edit_page(
            &viewer,
            id,
            false,
            &form,
            &FieldErrors::one(e.field, sentence(&e.message)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(AppError::Conflict(m)) => Ok(edit_page(
            &viewer,
            id,
            false,
            &form,
            &FieldErrors::one("change_summary", sentence(&m)),
            StatusCode::CONFLICT,
        )),
        Err(e) => Err(e.into()),
    }
}

/// Diff bounds.
#[derive(Debug, Deserialize)]
pub struct DiffQuery {
    from: i64,
    to: i64,
}

/// `GET /desk/sops/{id}/diff?from=&to=`: the procedures as text, line by line.
pub async fn diff(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<DiffQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let id = parse_id(&id)?;
    let old = state.app.sop_version(&viewer.actor, id, query.from).await?;
    let new = state.app.sop_version(&viewer.actor, id, query.to).await?;
    let lines = spoc_domain::knowledge::diff_lines(
        &SopText::format(&old.content).as_document(),
        &SopText::format(&new.content).as_document(),
    );
    let body = html! {
        div class="page-head" { div {
            p class="eyebrow" { a href={ "/desk/sops/" (id) } { "Back to the SOP" } }
            h1 { "Changes from version " (query.from) " to " (query.to) }
            p class="muted" { "Version " (query.to) ": " (new.change_summary) }
        } }
        section class="panel" { (diff_table(&lines)) }
    };
    let shell = Shell::new("SOP changes", Area::Desk).current("/desk/sops");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
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
    let mine = |owner: UserId| owner == viewer.actor.user_id;
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
                        td { a href={ "/desk/sops/" (s.id) } { (s.title) } }
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
                    a href={ "/desk/sops/" (s.id) } { (s.title) } " — "
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
                h2 class="panel-title" { a href={ "/desk/sops/" (id) } { (versions[0].title) } }
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

//! The ticket view's SOP checklist — steps to tick, answers to record, decision points, the
//! quality checks still missing, and the SOP's exceptions and escalation rules one click away
//! (a rule fills the escalate form) — and the articles used to resolve the ticket.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, TicketSopView};
use spoc_domain::TicketId;
use spoc_domain::sop::EscalationKind;
use spoc_domain::ticket::Ticket;

use crate::forms::UiForm;
use crate::i18n::desk::Desk;
use crate::i18n::tr_markup;
use crate::i18n::{t, tr};
use crate::page::{FieldErrors, csrf_field, select};
use crate::session::{UiError, Viewer, sentence};
use crate::sops::{decision, exceptions};
use spoc_http::AppState;

fn parse_id(value: &str) -> Result<i64, UiError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(UiError::not_found)
}

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
                h2 class="panel-title" id="sop-title" { (tr_markup(Desk::SopTitle, &[html! { bdi { (c.title) } }])) }
                span class="muted small" {
                    (tr_markup(Desk::SopProgress, &[
                        html! { (view.version.version) },
                        html! { (n_done) },
                        html! { (c.steps.len()) },
                        html! { a href={ "/desk/sops/" (view.sop.id) "?version=" (view.version.version) } { (t(Desk::SopReadProcedure)) } },
                    ]))
                }
            }
            @if view.bound.is_none() {
                p class="hint" { (tr(Desk::SopWillBind, &[&view.version.version])) }
            }
            @if let Some(newer) = view.newer_effective {
                p class="notice notice-warning" { (tr(Desk::SopNewer, &[&newer, &view.version.version])) }
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
                                    aria-label=(tr(if mark.is_some() { Desk::SopUntick } else { Desk::SopTick }, &[&step.text])) {
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
                                                @if answer.is_none() { option value="" { (t(Desk::SopChoose)) } }
                                                @for o in &spec.options {
                                                    option value=(o) selected[answer.is_some_and(|a| &a.value == o)] { (o) }
                                                }
                                            }
                                        }
                                        button class="button button-small" type="submit" disabled[!open] { (t(Desk::SopRecord)) }
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
                h3 class="small-title" { (t(Desk::SopBeforeResolving)) }
                ul class="checks" {
                    @for check in &c.checks {
                        @let missing = view.missing.iter().any(|m| m.key == check.key);
                        li class={ "check " (if missing { "check-missing" } else { "check-met" }) } {
                            span aria-hidden="true" { (if missing { "○ " } else { "● " }) }
                            span class="visually-hidden" { (t(if missing { Desk::SopMissing } else { Desk::SopDone })) }
                            (check.text)
                        }
                    }
                }
            }
            @if !c.exceptions.is_empty() {
                details class="sop-more" id="sop-exceptions" {
                    summary { (tr(Desk::SopExceptions, &[&c.exceptions.len()])) }
                    (exceptions(c))
                }
            }
            @if !c.escalations.is_empty() {
                details class="sop-more" id="sop-escalations" open[ticket.status.is_active()] {
                    summary { (tr(Desk::SopEscalations, &[&c.escalations.len()])) }
                    ul class="escalation-rules" {
                        @for e in &c.escalations {
                            li {
                                a href={ (base) "?escalate=" (e.key) "#ticket-actions" } { (e.when) }
                                span class="muted small" { " — " (match e.level { EscalationKind::Functional => tr(Desk::SopEscTo, &[&e.group.as_deref().unwrap_or("")]), EscalationKind::Hierarchical => t(Desk::SopEscLeads).to_owned() }) }
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
            tr(
                Desk::SopNoGroup,
                &[&rule.reason, &rule.group.as_deref().unwrap_or("")],
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
    let mut choices: Vec<(String, String)> = vec![(String::new(), t(Desk::ArtChoose).to_owned())];
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
            h2 class="panel-title" id="articles-title" { (t(Desk::ArtUsed)) }
            @if used.is_empty() {
                p class="muted small" { (t(Desk::ArtNone)) }
            } @else {
                ul { @for a in &used { li { a href={ "/desk/kb/" (a.id) } { bdi { (a.title) } } } } }
            }
            @if choices.len() > 1 {
                form method="post" action={ (base) "/articles" } class="form" {
                    (csrf_field(viewer))
                    (select("used-article", "article_id", t(Desk::ArtRecordLabel), &choices, "", &FieldErrors::none()))
                    div class="form-actions" { button class="button button-small" type="submit" { (t(Desk::SopRecord)) } }
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
                t(Desk::SopTickOrAnswer).to_owned(),
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
    let viewer = viewer.on_ticket(&state.app, id).await?;
    let article = form.article_id.trim().parse::<i64>().map_err(|_| {
        UiError::page(
            StatusCode::BAD_REQUEST,
            t(Desk::CheckInput),
            t(Desk::ArtChooseFromList),
        )
    })?;
    state
        .app
        .link_article(&viewer.actor, id, spoc_domain::ArticleId::new(article))
        .await?;
    Ok(Redirect::to(&format!("/desk/tickets/{id}?ok=saved#ticket-articles")).into_response())
}

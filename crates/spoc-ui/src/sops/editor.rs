//! The SOP editor: a new SOP (key, people, version 1) and new or revised draft versions, with
//! one text box per list in the line syntax of `sop_text`, and the line diff between versions.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, SopInput, SopSettings};
use spoc_domain::sop::{ReviewPolicy, SopContent, VersionState};
use spoc_domain::{SopId, UserId};

use crate::document::{DiffQuery, diff_head, diff_table, save_refusal};
use crate::forms::{UiForm, optional_id};
use crate::page::{Area, FieldErrors, Shell, csrf_field, field, select, text_input};
use crate::session::{UiError, Viewer, sentence};
use crate::sops::text::SopText;
use crate::sops::{Choice, sop_id, staff_options};
use spoc_domain::document::diff_lines;
use spoc_http::AppState;

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
                    aria-describedby=[crate::page::described_by(&id, hint.is_some(), error.is_some())] { (v) }
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
        owner_id: viewer.user_id.to_string(),
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
            owner_id: person(&form.owner_id).unwrap_or(viewer.user_id),
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
    let id = sop_id(&id)?;
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
    id: SopId,
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
    let id = sop_id(&id)?;
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
        Err(e) => {
            let (errors, status) = save_refusal(e, "change_summary", None)?;
            Ok(edit_page(&viewer, id, false, &form, &errors, status))
        }
    }
}

/// `GET /desk/sops/{id}/diff?from=&to=`: the procedures as text, line by line.
pub async fn diff(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<DiffQuery>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let id = sop_id(&id)?;
    let (from, to) = query.versions()?;
    let old = state.app.sop_version(&viewer.actor, id, from).await?;
    let new = state.app.sop_version(&viewer.actor, id, to).await?;
    let lines = diff_lines(
        &SopText::format(&old.content).as_document(),
        &SopText::format(&new.content).as_document(),
    );
    let body = html! {
        (diff_head(&format!("/desk/sops/{id}"), "Back to the SOP", from, to, Some(&format!("Version {to}: {}", new.change_summary))))
        section class="panel" { (diff_table(&lines)) }
    };
    let shell = Shell::new("SOP changes", Area::Desk).current("/desk/sops");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
}

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
use crate::i18n::sops::Sops;
use crate::i18n::{t, tr};
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

const HINTS: [(&str, Sops, Sops, u32); 8] = [
    ("roles", Sops::Roles, Sops::HintOnePerLineRole, 3),
    ("inputs", Sops::RequiredInputs, Sops::HintOnePerLine, 4),
    ("steps", Sops::Steps, Sops::HintSteps, 10),
    ("decisions", Sops::DecisionPoints, Sops::HintDecisions, 3),
    ("exceptions", Sops::ExceptionsTop, Sops::HintExceptions, 4),
    (
        "escalations",
        Sops::EscalationRules,
        Sops::HintEscalations,
        3,
    ),
    ("checks", Sops::QualityChecksEnforced, Sops::HintChecks, 5),
    ("references", Sops::References, Sops::HintReferences, 3),
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
                h2 { (t(Sops::CheckTheProcedure)) }
                ul { @for (f, m) in errors.iter() { li { a href={ "#e-" (f) } { (m) } } } }
            }
        }
        form class="form panel sop-editor" method="post" action=(action) {
            (csrf_field(viewer))
            @if let Some(v) = form.version { input type="hidden" name="version" value=(v); }
            @if let Some((staff, approvers)) = new {
                (text_input("e-key", "key", t(Sops::Key), "text", &form.key, true, Some(t(Sops::KeyHint)), errors))
                div class="grid-2" {
                    (select("e-owner", "owner_id", t(Sops::Owner), &staff[1..], &form.owner_id, errors))
                    (select("e-reviewer", "reviewer_id", t(Sops::SubjectReviewer), staff, &form.reviewer_id, errors))
                    (select("e-approver", "approver_id", t(Sops::ApproverLeadOrAdmin), approvers, &form.approver_id, errors))
                }
            }
            (text_input("e-title", "title", t(Sops::Title), "text", &text.title, true, None, errors))
            (area("purpose", t(Sops::Purpose), None, 2, &text.purpose))
            (area("scope", t(Sops::Scope), None, 2, &text.scope))
            (area("trigger", t(Sops::Trigger), None, 2, &text.trigger))
            @for (name, label, hint, rows) in HINTS {
                (area(name, t(label), Some(t(hint)), rows, value(name)))
            }
            (text_input("e-change_summary", "change_summary", t(Sops::ChangeSummary), "text", &form.change_summary, true, Some(t(Sops::ChangeSummaryHint)), errors))
            div class="form-actions" { button class="button button-primary" type="submit" { (t(Sops::SaveDraft)) } }
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
        div class="page-head" { div { p class="eyebrow" { a href="/desk/sops" { (t(Sops::ListTitle)) } } h1 { (t(Sops::NewSop)) }
            p class="muted" { (t(Sops::NewSopIntro)) } } }
        (editor(viewer, "/desk/sops/new", form, errors, Some((&staff, &approvers))))
    };
    let shell = Shell::new(t(Sops::NewSop), Area::Desk).current("/desk/sops");
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
    if view.sop.from_provider {
        // The provider's SOP read from another tenant: only the provider edits it.
        return Err(UiError::not_found());
    }
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
            p class="eyebrow" { a href={ "/desk/sops/" (id) } { (t(Sops::BackToSop)) } }
            h1 { @if draft { (t(Sops::ReviseDraft)) } @else { (t(Sops::DraftNewVersion)) } }
            p class="muted" { (t(Sops::InForceUntilApproved)) }
        } }
        (editor(viewer, &format!("/desk/sops/{id}/edit"), form, errors, None))
    };
    let shell = Shell::new(t(Sops::EditSop), Area::Desk).current("/desk/sops");
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
        (diff_head(&format!("/desk/sops/{id}"), t(Sops::BackToSop), from, to, Some(&tr(Sops::VersionNote, &[&to, &new.change_summary]))))
        section class="panel" { (diff_table(&lines)) }
    };
    let shell = Shell::new(t(Sops::SopChanges), Area::Desk).current("/desk/sops");
    Ok(Html(shell.render(Some(&viewer), body).into_string()).into_response())
}

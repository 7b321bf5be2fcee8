//! Retention of closed tickets (`/admin/retention`): the rule (off by default), a dry-run count
//! of what a rule would anonymise or delete now, shown before it is saved, and saving it.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing;
use maud::html;
use serde::Deserialize;
use spoc_app::{AppError, RetentionView};
use spoc_domain::retention::RetentionMode;

use super::frame::{OkQuery, admin_post, page, require_admin};
use crate::forms::UiForm;
use crate::i18n::audit::Audit;
use crate::i18n::{count, t};
use crate::page::{FieldErrors, csrf_field, flash, select, text_input};
use crate::session::{UiError, Viewer};
use spoc_http::AppState;

/// The address of the page.
pub(crate) const PATH: &str = "/admin/retention";

/// The page and its form, under `/admin`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/retention", routing::get(retention).post(save))
}

/// A rule as the form sends it; `action` is `count` (a dry run) or `save`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RuleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    months: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    ok: Option<String>,
}

fn mode_word(mode: RetentionMode) -> &'static str {
    t(match mode {
        RetentionMode::Off => Audit::ModeOff,
        RetentionMode::Anonymise => Audit::ModeAnonymise,
        RetentionMode::Delete => Audit::ModeDelete,
    })
}

/// The rule the form names, or the errors of its fields.
fn parse(form: &RuleForm) -> Result<(RetentionMode, i64), FieldErrors> {
    let mode = RetentionMode::parse(form.mode.trim())
        .map_err(|_| FieldErrors::one("mode", t(Audit::ChooseMode)))?;
    if mode == RetentionMode::Off {
        return Ok((mode, 0));
    }
    match form.months.trim().parse::<i64>() {
        Ok(months) if (1..=120).contains(&months) => Ok((mode, months)),
        _ => Err(FieldErrors::one("months", t(Audit::MonthsRange))),
    }
}

/// `GET /admin/retention`: the saved rule and the form.
async fn retention(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let saved = state.app.retention(&viewer.actor).await?;
    let form = RuleForm {
        ok: query.ok,
        ..RuleForm::default()
    };
    Ok(render(
        &viewer,
        &saved,
        None,
        &form,
        &FieldErrors::none(),
        StatusCode::OK,
    ))
}

/// `POST /admin/retention`: counts what the rule would touch now (`action=count`, nothing is
/// saved), or saves it.
async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<RuleForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    if form.action == "count" {
        let saved = state.app.retention(&viewer.actor).await?;
        return Ok(match parse(&form) {
            Ok((mode, months)) => {
                let dry = state
                    .app
                    .retention_dry_run(&viewer.actor, mode, months)
                    .await?;
                render(
                    &viewer,
                    &saved,
                    Some(&dry),
                    &form,
                    &FieldErrors::none(),
                    StatusCode::OK,
                )
            }
            Err(errors) => render(
                &viewer,
                &saved,
                None,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        });
    }
    let errors = match parse(&form) {
        Ok((mode, months)) => match state.app.set_retention(&viewer.actor, mode, months).await {
            Ok(_) => return Ok(Redirect::to("/admin/retention?ok=saved").into_response()),
            Err(AppError::Validation(e)) => FieldErrors::one(e.field, t(Audit::MonthsRange)),
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let saved = state.app.retention(&viewer.actor).await?;
    Ok(render(
        &viewer,
        &saved,
        None,
        &form,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

fn render(
    viewer: &Viewer,
    saved: &RetentionView,
    dry_run: Option<&RetentionView>,
    form: &RuleForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let modes: Vec<(String, String)> = RetentionMode::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), mode_word(*m).to_owned()))
        .collect();
    let mode = if form.mode.is_empty() {
        saved.rule.mode().as_str().to_owned()
    } else {
        form.mode.clone()
    };
    let months = if form.months.is_empty() {
        match saved.rule.months() {
            0 => String::new(),
            m => m.to_string(),
        }
    } else {
        form.months.clone()
    };
    let content = html! {
        div class="page-head" { div {
            h1 { (t(Audit::RetentionTitle)) }
            p class="muted" { (t(Audit::RetentionIntro)) }
        } }
        (flash(form.ok.as_deref()))
        section class="panel" aria-labelledby="rule-now" {
            h2 class="panel-title" id="rule-now" { (t(Audit::RuleNow)) }
            p id="rule-now-text" {
                (mode_word(saved.rule.mode()))
                @if saved.rule.is_on() {
                    " · " (count(i64::from(saved.rule.months()), Audit::MonthsOne, Audit::MonthsMany))
                    " · " (count(saved.due, Audit::DueOne, Audit::DueMany))
                }
            }
        }
        @if let Some(dry) = dry_run {
            div class="notice" role="status" id="dry-run" {
                (count(dry.due, Audit::DryRunOne, Audit::DryRunMany))
            }
        }
        section class="panel" aria-labelledby="rule-change" {
            h2 class="panel-title" id="rule-change" { (t(Audit::ChangeRule)) }
            form class="form" method="post" action=(PATH) {
                (csrf_field(viewer))
                div class="grid-2" {
                    (select("r-mode", "mode", t(Audit::Mode), &modes, &mode, errors))
                    (text_input("r-months", "months", t(Audit::Months), "number", &months, false, Some(t(Audit::MonthsHint)), errors))
                }
                div class="form-actions" {
                    button class="button" type="submit" name="action" value="count" { (t(Audit::CountFirst)) }
                    button class="button button-primary" type="submit" name="action" value="save" { (t(Audit::SaveRule)) }
                }
            }
        }
    };
    page(viewer, PATH, t(Audit::RetentionTitle), status, content)
}

//! Priority and routing: the impact × urgency matrix and the default group.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing;
use maud::html;
use serde::Deserialize;
use spoc_app::AppError;
use spoc_domain::GroupId;
use spoc_domain::priority::{Priority, PriorityMatrix};

use crate::admin::frame::{OkQuery, Showing, admin_post, page, require_admin};
use crate::forms::{UiForm, optional_id};
use crate::i18n::admin::Admin;
use crate::i18n::words::level;
use crate::i18n::{t, tr};
use crate::page::sentence_case;
use crate::page::{FieldErrors, csrf_field, error_box, flash, select, text_input};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// Priority and routing, under `/admin`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings", routing::get(settings))
        .route("/settings/matrix", routing::post(save_matrix))
        .route("/settings/default-group", routing::post(save_default_group))
        .route("/settings/auto-close", routing::post(save_auto_close))
}

/// The impact and urgency levels, highest first, by their wire names.
const LEVELS: [&str; 3] = ["high", "medium", "low"];

async fn settings_page(
    state: &AppState,
    viewer: &Viewer,
    cells: Option<[[String; 3]; 3]>,
    showing: Showing<'_>,
) -> Result<Response, UiError> {
    settings_page_with(state, viewer, cells, None, showing).await
}

async fn settings_page_with(
    state: &AppState,
    viewer: &Viewer,
    cells: Option<[[String; 3]; 3]>,
    auto_close: Option<String>,
    showing: Showing<'_>,
) -> Result<Response, UiError> {
    let (ok, errors) = (showing.ok, &showing.errors);
    let matrix = state.app.priority_matrix(viewer.actor.tenant_id).await?;
    let cells =
        cells.unwrap_or_else(|| matrix.cells().map(|row| row.map(|p| p.as_str().to_owned())));
    let groups = state.app.list_groups(&viewer.actor).await?;
    let default_group = state.app.default_group(&viewer.actor).await?;
    let auto_close = match auto_close {
        Some(typed) => typed,
        None => state.app.auto_close_days(&viewer.actor).await?.to_string(),
    };
    let priority_options: Vec<(String, String)> = Priority::ALL
        .iter()
        .map(|p| {
            (
                p.as_str().to_owned(),
                crate::i18n::words::priority_with_code(*p),
            )
        })
        .collect();
    let group_options: Vec<(String, String)> = groups
        .iter()
        .map(|g| {
            (
                g.id.to_string(),
                tr(Admin::NameWithTier, &[&g.name, &g.tier.number()]),
            )
        })
        .collect();
    let levels = LEVELS.map(|l| sentence_case(level(l)));
    let two_factor = state.app.two_factor_policy(&viewer.actor).await?;
    let content = html! {
        div class="page-head" { div { h1 { (t(Admin::SecPriorityRouting)) } } }
        (flash(ok))
        section class="panel stack" aria-labelledby="matrix-title" {
            h2 class="panel-title" id="matrix-title" { (t(Admin::PriorityMatrix)) }
            p class="muted" { (t(Admin::MatrixIntro)) }
            (error_box(errors.get("cells")))
            form class="form" method="post" action="/admin/settings/matrix" {
                (csrf_field(viewer))
                div class="table-wrap" {
                    table class="matrix" {
                        caption class="visually-hidden" { (t(Admin::MatrixCaption)) }
                        thead { tr { th scope="col" { (t(Admin::MatrixCorner)) } @for u in &levels { th scope="col" { (u) } } } }
                        tbody {
                            @for (i, impact) in levels.iter().enumerate() {
                                tr {
                                    th scope="row" { (impact) }
                                    @for (j, urgency) in levels.iter().enumerate() {
                                        td class={ "cell-" (cells[i][j].to_lowercase()) } {
                                            label class="visually-hidden" for={ "m-" (i) "-" (j) } { (tr(Admin::MatrixCell, &[impact, urgency])) }
                                            select id={ "m-" (i) "-" (j) } name={ "c" (i) (j) } {
                                                @for (value, label) in &priority_options {
                                                    option value=(value) selected[*value == cells[i][j]] { (label) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                div class="form-actions" { button class="button button-primary" type="submit" { (t(Admin::SaveMatrix)) } }
            }
        }
        section class="panel" aria-labelledby="default-title" {
            h2 class="panel-title" id="default-title" { (t(Admin::DefaultGroup)) }
            form class="form form-inline" method="post" action="/admin/settings/default-group" {
                (csrf_field(viewer))
                (select("d-group", "group", t(Admin::NewTicketsLandIn), &group_options, &default_group.id.to_string(), errors))
                div class="form-actions" { button class="button" type="submit" { (t(Admin::Save)) } }
            }
        }
        section class="panel" aria-labelledby="auto-close-title" {
            h2 class="panel-title" id="auto-close-title" { (t(Admin::ClosingResolved)) }
            p class="muted" { (t(Admin::AutoCloseIntro)) }
            form class="form form-inline" method="post" action="/admin/settings/auto-close" {
                (csrf_field(viewer))
                (text_input("auto-close-days", "days", t(Admin::AutoCloseDays), "number", &auto_close, true, None, errors))
                div class="form-actions" { button class="button" type="submit" { (t(Admin::Save)) } }
            }
        }
        (crate::admin::two_factor::panel(viewer, &two_factor))
    };
    Ok(page(
        viewer,
        "/admin/settings",
        t(Admin::SecPriorityRouting),
        showing.status,
        content,
    ))
}

async fn settings(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    settings_page(&state, &viewer, None, Showing::opened(&query)).await
}

async fn save_matrix(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    admin_post(&viewer, &value("csrf"))?;
    let raw: [[String; 3]; 3] =
        std::array::from_fn(|i| std::array::from_fn(|j| value(&format!("c{i}{j}"))));
    let mut cells = [[Priority::P1; 3]; 3];
    let mut errors = FieldErrors::none();
    for i in 0..3 {
        for j in 0..3 {
            match Priority::parse(&raw[i][j]) {
                Ok(p) => cells[i][j] = p,
                Err(_) => {
                    if errors.is_empty() {
                        errors.add("cells", t(Admin::ChoosePriorityEveryCell));
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        match PriorityMatrix::new(cells) {
            Ok(matrix) => match state.app.set_priority_matrix(&viewer.actor, matrix).await {
                Ok(_) => return Ok(Redirect::to("/admin/settings?ok=saved").into_response()),
                Err(AppError::Validation(e)) => errors.add("cells", sentence(&e.message)),
                Err(e) => return Err(e.into()),
            },
            Err(e) => errors.add("cells", tr(Admin::MatrixNotSaved, &[&sentence(&e.message)])),
        }
    }
    settings_page(&state, &viewer, Some(raw), Showing::refused(errors)).await
}

/// The default group to set.
#[derive(Debug, Deserialize)]
pub struct DefaultGroupForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    group: String,
}

async fn save_default_group(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<DefaultGroupForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let mut errors = FieldErrors::none();
    match optional_id(Some(&form.group)) {
        Ok(Some(id)) => match state
            .app
            .set_default_group(&viewer.actor, GroupId::new(id))
            .await
        {
            Ok(_) => return Ok(Redirect::to("/admin/settings?ok=saved").into_response()),
            Err(AppError::Validation(e)) => errors.add("group", sentence(&e.message)),
            Err(e) => return Err(e.into()),
        },
        _ => errors.add("group", t(Admin::ChooseGroup)),
    }
    settings_page(&state, &viewer, None, Showing::refused(errors)).await
}

/// The auto-close period to set.
#[derive(Debug, Deserialize)]
pub struct AutoCloseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    days: String,
}

async fn save_auto_close(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<AutoCloseForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let mut errors = FieldErrors::none();
    match form.days.trim().parse::<i64>() {
        Ok(days) => match state.app.set_auto_close_days(&viewer.actor, days).await {
            Ok(_) => return Ok(Redirect::to("/admin/settings?ok=saved").into_response()),
            Err(AppError::Validation(e)) => errors.add(
                "days",
                tr(
                    Admin::AutoCloseDaysError,
                    &[&e.message.trim_end_matches('.')],
                ),
            ),
            Err(e) => return Err(e.into()),
        },
        Err(_) => errors.add("days", t(Admin::WholeDays)),
    }
    settings_page_with(
        &state,
        &viewer,
        None,
        Some(form.days),
        Showing::refused(errors),
    )
    .await
}

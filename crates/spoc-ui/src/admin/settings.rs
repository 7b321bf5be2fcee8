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

const LEVELS: [&str; 3] = ["High", "Medium", "Low"];

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
                format!("{} (tier {})", g.name, g.tier.number()),
            )
        })
        .collect();
    let content = html! {
        div class="page-head" { div { h1 { "Priority and routing" } } }
        (flash(ok))
        section class="panel stack" aria-labelledby="matrix-title" {
            h2 class="panel-title" id="matrix-title" { "Priority matrix" }
            p class="muted" { "Priority follows from impact (rows) and urgency (columns). Higher impact or urgency may never give a lower priority. Existing tickets keep theirs." }
            (error_box(errors.get("cells")))
            form class="form" method="post" action="/admin/settings/matrix" {
                (csrf_field(viewer))
                div class="table-wrap" {
                    table class="matrix" {
                        caption class="visually-hidden" { "Priority by impact and urgency" }
                        thead { tr { th scope="col" { "Impact ↓ / Urgency →" } @for u in LEVELS { th scope="col" { (u) } } } }
                        tbody {
                            @for (i, impact) in LEVELS.iter().enumerate() {
                                tr {
                                    th scope="row" { (impact) }
                                    @for (j, urgency) in LEVELS.iter().enumerate() {
                                        td class={ "cell-" (cells[i][j].to_lowercase()) } {
                                            label class="visually-hidden" for={ "m-" (i) "-" (j) } { "Impact " (impact) ", urgency " (urgency) }
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
                div class="form-actions" { button class="button button-primary" type="submit" { "Save matrix" } }
            }
        }
        section class="panel" aria-labelledby="default-title" {
            h2 class="panel-title" id="default-title" { "Default group" }
            form class="form form-inline" method="post" action="/admin/settings/default-group" {
                (csrf_field(viewer))
                (select("d-group", "group", "New tickets land in", &group_options, &default_group.id.to_string(), errors))
                div class="form-actions" { button class="button" type="submit" { "Save" } }
            }
        }
        section class="panel" aria-labelledby="auto-close-title" {
            h2 class="panel-title" id="auto-close-title" { "Closing resolved tickets" }
            p class="muted" { "A resolved ticket closes by itself after this many days unless its requester says it is not fixed. They are told by e-mail one day before. 0 means never." }
            form class="form form-inline" method="post" action="/admin/settings/auto-close" {
                (csrf_field(viewer))
                (text_input("auto-close-days", "days", "Close resolved tickets after (days)", "number", &auto_close, true, None, errors))
                div class="form-actions" { button class="button" type="submit" { "Save" } }
            }
        }
    };
    Ok(page(
        viewer,
        "/admin/settings",
        "Priority and routing",
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
                        errors.add("cells", "Choose a priority for every cell.");
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
            Err(e) => errors.add("cells", format!("Not saved: {}", sentence(&e.message))),
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
        _ => errors.add("group", "Choose a group."),
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
            Err(AppError::Validation(e)) => {
                errors.add("days", format!("Days {}.", e.message.trim_end_matches('.')))
            }
            Err(e) => return Err(e.into()),
        },
        Err(_) => errors.add("days", "Give a whole number of days, 0 for never."),
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

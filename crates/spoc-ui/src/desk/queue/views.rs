//! Saved views (save the page as a view, rename or delete the one shown) and the person's
//! choice of columns, as forms on the queue page.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, QueueColumn, SavedView, SavedViewChange};

use super::{QueueExtras, QueueState, query_pairs, render_queue};
use crate::forms::UiForm;
use crate::i18n::queue::Queue as Q;
use crate::i18n::t;
use crate::page::{FieldErrors, csrf_field, text_input};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// "Save this view", and for the view shown (when the person may change it) rename and delete.
pub(crate) fn save_form(
    viewer: &Viewer,
    here: &str,
    current: Option<&SavedView>,
    extras: &QueueExtras,
) -> Markup {
    let errors = &extras.errors;
    let open = errors.get("name").is_some() || errors.get("rename").is_some();
    let changeable = current.filter(|v| {
        (v.owner_id == viewer.user_id && !v.shared) || (v.shared && viewer.actor.is_lead())
    });
    html! {
        details class="filter-panel" open[open] {
            summary class="button button-quiet button-small" { (t(Q::Views)) }
            div class="view-forms" {
                form class="form-inline" method="post" action="/desk/views" {
                    (csrf_field(viewer))
                    input type="hidden" name="query" value=(here);
                    (text_input("view-name", "name", t(Q::SaveAsView), "text", &extras.view_name, true, None, errors))
                    @if viewer.actor.is_lead() {
                        label class="choice" {
                            input type="checkbox" name="shared" value="yes" checked[extras.view_shared];
                            span { (t(Q::ShareWithAgents)) }
                        }
                    }
                    div class="form-actions" { button class="button button-small" type="submit" { (t(Q::SaveView)) } }
                }
                @if let Some(view) = changeable {
                    form class="form-inline" method="post" action={ "/desk/views/" (view.id) "/rename" } {
                        (csrf_field(viewer))
                        input type="hidden" name="query" value=(here);
                        (text_input("view-rename", "rename", t(Q::RenameView), "text", &view.name, true, None, errors))
                        div class="form-actions" {
                            button class="button button-small" type="submit" name="replace" value="" { (t(Q::Rename)) }
                            button class="button button-small" type="submit" name="replace" value="yes" { (t(Q::RenameKeepFilters)) }
                        }
                    }
                    form class="inline" method="post" action={ "/desk/views/" (view.id) "/delete" } {
                        (csrf_field(viewer))
                        button class="button button-quiet button-small" type="submit" { (t(Q::DeleteView)) }
                    }
                }
            }
        }
    }
}

/// The person's columns.
pub(crate) fn columns_form(
    viewer: &Viewer,
    here: &str,
    columns: &[QueueColumn],
    extras: &QueueExtras,
) -> Markup {
    let error = extras.errors.get("columns");
    html! {
        details class="filter-panel" open[error.is_some()] {
            summary class="button button-quiet button-small" { (t(Q::Columns)) }
            form class="form-inline" method="post" action="/desk/columns" {
                (csrf_field(viewer))
                input type="hidden" name="query" value=(here);
                fieldset class="field filter-choices" {
                    legend { (t(Q::ColumnsISee)) }
                    @for column in QueueColumn::ALL {
                        @if column != QueueColumn::Title {
                            label class="choice" {
                                input type="checkbox" name="col" value=(column.as_str()) checked[columns.contains(&column)];
                                span { (crate::i18n::words::column(column)) }
                            }
                        }
                    }
                    @if let Some(error) = error { p class="field-error" { (error) } }
                }
                div class="form-actions" { button class="button button-small" type="submit" { (t(Q::SaveColumns)) } }
            }
        }
    }
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The page to show again: the query the form came from.
fn back(pairs: &[(String, String)]) -> QueueState {
    QueueState::from_pairs(&query_pairs(field(pairs, "query")))
}

/// `POST /desk/views`: saves the page as a view.
pub(crate) async fn create_view(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    viewer.check_csrf(field(&pairs, "csrf"))?;
    let name = field(&pairs, "name");
    let shared = field(&pairs, "shared") == "yes";
    let mut page = back(&pairs);
    if page.cols.is_none() {
        // A view keeps the columns it was saved with.
        let mine = state.app.queue_columns(&viewer.actor).await?;
        let names: Vec<&str> = mine.iter().map(|c| c.as_str()).collect();
        page.cols = Some(names.join(","));
    }
    match state
        .app
        .create_saved_view(&viewer.actor, name, &page.query_string(), shared)
        .await
    {
        Ok(view) => Ok(Redirect::to(&format!(
            "/desk?{}&view={}&ok=view_saved",
            view.query, view.id
        ))
        .into_response()),
        Err(AppError::Validation(e)) => {
            let extras = QueueExtras {
                view_name: name.to_owned(),
                view_shared: shared,
                errors: FieldErrors::one("name", sentence(&e.message)),
                ..QueueExtras::default()
            };
            refuse(&state, &viewer, page, extras).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn refuse(
    state: &AppState,
    viewer: &Viewer,
    page: QueueState,
    extras: QueueExtras,
) -> Result<Response, UiError> {
    let mut response = render_queue(state, viewer, page, extras).await?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

fn view_id(id: &str) -> Result<i64, UiError> {
    id.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(UiError::not_found)
}

/// `POST /desk/views/{id}/rename`: renames the view (and, if asked, keeps the page's filters).
pub(crate) async fn rename_view(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    viewer.check_csrf(field(&pairs, "csrf"))?;
    let id = view_id(&id)?;
    let mut page = back(&pairs);
    let change = SavedViewChange {
        name: Some(field(&pairs, "rename").to_owned()),
        query: (field(&pairs, "replace") == "yes").then(|| page.query_string()),
    };
    match state.app.update_saved_view(&viewer.actor, id, change).await {
        Ok(view) => Ok(Redirect::to(&format!(
            "/desk?{}&view={}&ok=view_renamed",
            view.query, view.id
        ))
        .into_response()),
        Err(AppError::Validation(e)) => {
            page.view = Some(id);
            let extras = QueueExtras {
                errors: FieldErrors::one("rename", sentence(&e.message)),
                ..QueueExtras::default()
            };
            refuse(&state, &viewer, page, extras).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The form of `POST /desk/views/{id}/delete`.
#[derive(Debug, Deserialize)]
pub(crate) struct DeleteForm {
    csrf: String,
}

/// `POST /desk/views/{id}/delete`.
pub(crate) async fn delete_view(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<DeleteForm>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    viewer.check_csrf(&form.csrf)?;
    let id = view_id(&id)?;
    state.app.delete_saved_view(&viewer.actor, id).await?;
    Ok(Redirect::to("/desk?ok=view_deleted").into_response())
}

/// `POST /desk/columns`: the person's columns.
pub(crate) async fn save_columns(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    viewer.check_csrf(field(&pairs, "csrf"))?;
    let mut page = back(&pairs);
    let mut columns = Vec::new();
    for (_, value) in pairs.iter().filter(|(k, _)| k == "col") {
        match QueueColumn::parse(value) {
            Ok(column) => columns.push(column),
            Err(_) => {
                let extras = QueueExtras {
                    errors: FieldErrors::one("columns", t(Q::ChooseColumns)),
                    ..QueueExtras::default()
                };
                return refuse(&state, &viewer, page, extras).await;
            }
        }
    }
    state.app.set_queue_columns(&viewer.actor, &columns).await?;
    // The page shows the person's columns from now on, not a view's own.
    page.cols = None;
    Ok(Redirect::to(&format!("/desk?{}&ok=columns", page.query_string())).into_response())
}

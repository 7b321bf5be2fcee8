//! The category tree and the services.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing;
use maud::html;
use spoc_domain::CategoryId;
use spoc_domain::text::Name;

use crate::admin::frame::{NameForm, OkQuery, Showing, admin_post, page, require_admin, saved};
use crate::forms::{UiForm, optional_id};
use crate::i18n::admin::Admin;
use crate::i18n::t;
use crate::page::{FieldErrors, csrf_field, empty_state, flash, select, text_input};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// Categories and services, under `/admin`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/categories",
            routing::get(categories).post(create_category),
        )
        .route("/services", routing::get(services).post(create_service))
}

async fn categories_page(
    state: &AppState,
    viewer: &Viewer,
    form: &NameForm,
    showing: Showing<'_>,
) -> Result<Response, UiError> {
    let (ok, errors) = (showing.ok, &showing.errors);
    let list = state.app.list_categories(viewer.actor.tenant_id).await?;
    let parents: Vec<(String, String)> =
        std::iter::once((String::new(), t(Admin::ParentNone).to_owned()))
            .chain(
                list.iter()
                    .filter(|c| c.parent_id.is_none())
                    .map(|c| (c.id.to_string(), c.name.clone())),
            )
            .collect();
    let content = html! {
        div class="page-head" { div { h1 { (t(Admin::SecCategories)) } p class="muted" { (t(Admin::CategoriesIntro)) } } }
        (flash(ok))
        @if list.is_empty() {
            (empty_state(t(Admin::NoCategories), t(Admin::NoCategoriesText), None))
        } @else {
            ul class="tree panel" {
                @for parent in list.iter().filter(|c| c.parent_id.is_none()) {
                    li {
                        strong { bdi { (parent.name) } }
                        @let children: Vec<_> = list.iter().filter(|c| c.parent_id == Some(parent.id)).collect();
                        @if !children.is_empty() {
                            ul { @for child in children { li { bdi { (child.name) } } } }
                        }
                    }
                }
            }
        }
        section class="panel" aria-labelledby="add-category" {
            h2 class="panel-title" id="add-category" { (t(Admin::AddCategory)) }
            form class="form" method="post" action="/admin/categories" {
                (csrf_field(viewer))
                div class="grid-2" {
                    (text_input("c-name", "name", t(Admin::Name), "text", &form.name, true, None, errors))
                    (select("c-parent", "parent", t(Admin::Under), &parents, &form.parent, errors))
                }
                div class="form-actions" { button class="button button-primary" type="submit" { (t(Admin::AddCategoryButton)) } }
            }
        }
    };
    Ok(page(
        viewer,
        "/admin/categories",
        t(Admin::SecCategories),
        showing.status,
        content,
    ))
}

pub(crate) async fn categories(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    categories_page(
        &state,
        &viewer,
        &NameForm::default(),
        Showing::opened(&query),
    )
    .await
}

async fn create_category(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<NameForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let mut errors = FieldErrors::none();
    let parent = optional_id(Some(&form.parent))
        .map_err(|()| errors.add("parent", t(Admin::ChooseCategory)))
        .ok();
    match (Name::parse_as("name", &form.name), parent) {
        (Ok(name), Some(parent)) => {
            let created = state
                .app
                .create_category(&viewer.actor, name, parent.map(CategoryId::new))
                .await;
            if let Some(done) = saved(created, &mut errors, |_| {
                "/admin/categories?ok=created".to_owned()
            })? {
                return Ok(done);
            }
        }
        (Err(e), _) => errors.add("name", sentence(&e.message)),
        _ => {}
    }
    categories_page(&state, &viewer, &form, Showing::refused(errors)).await
}

async fn services_page(
    state: &AppState,
    viewer: &Viewer,
    form: &NameForm,
    showing: Showing<'_>,
) -> Result<Response, UiError> {
    let (ok, errors) = (showing.ok, &showing.errors);
    let list = state.app.list_services(viewer.actor.tenant_id).await?;
    let content = html! {
        div class="page-head" { div { h1 { (t(Admin::SecServices)) } p class="muted" { (t(Admin::ServicesIntro)) } } }
        (flash(ok))
        @if list.is_empty() {
            (empty_state(t(Admin::NoServices), t(Admin::NoServicesText), None))
        } @else {
            div class="table-wrap" { table class="data" {
                thead { tr { th scope="col" { (t(Admin::Service)) } th scope="col" { (t(Admin::Description)) } } }
                tbody { @for s in &list { tr { td { bdi { (s.name) } } td class="muted" { (s.description) } } } }
            } }
        }
        section class="panel" aria-labelledby="add-service" {
            h2 class="panel-title" id="add-service" { (t(Admin::AddService)) }
            form class="form" method="post" action="/admin/services" {
                (csrf_field(viewer))
                (text_input("s-name", "name", t(Admin::Name), "text", &form.name, true, None, errors))
                (text_input("s-description", "description", t(Admin::Description), "text", &form.description, false, None, errors))
                div class="form-actions" { button class="button button-primary" type="submit" { (t(Admin::AddServiceButton)) } }
            }
        }
    };
    Ok(page(
        viewer,
        "/admin/services",
        t(Admin::SecServices),
        showing.status,
        content,
    ))
}

pub(crate) async fn services(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    services_page(
        &state,
        &viewer,
        &NameForm::default(),
        Showing::opened(&query),
    )
    .await
}

async fn create_service(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<NameForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let mut errors = FieldErrors::none();
    match Name::parse_as("name", &form.name) {
        Ok(name) => {
            let created = state
                .app
                .create_service(&viewer.actor, name, form.description.trim())
                .await;
            if let Some(done) = saved(created, &mut errors, |_| {
                "/admin/services?ok=created".to_owned()
            })? {
                return Ok(done);
            }
        }
        Err(e) => errors.add("name", sentence(&e.message)),
    }
    services_page(&state, &viewer, &form, Showing::refused(errors)).await
}

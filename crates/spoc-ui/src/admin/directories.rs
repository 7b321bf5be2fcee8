//! LDAP / Active Directory directories (`/admin/directories`): each directory with its server,
//! state and last sync (its summary, or why it failed), buttons to sync it now (incrementally or
//! in full), and a form to add one. Group mappings and other changes go through the API.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing;
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, Directory, DirectoryInput};
use spoc_domain::DirectoryId;
use spoc_domain::user::Role;

use crate::admin::frame::{OkQuery, Showing, admin_post, page, parse_path_id, require_admin};
use crate::forms::{FieldMap, UiForm};
use crate::i18n::directories::Dir;
use crate::i18n::{t, tr};
use crate::page::{
    FieldErrors, csrf_field, described_by, empty_state, field, flash, select, text_input,
};
use crate::session::{UiError, Viewer};
use crate::timefmt::{iso, when};
use spoc_http::AppState;

/// The address of the page.
pub(crate) const PATH: &str = "/admin/directories";

/// Directories, under `/admin`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/directories",
            routing::get(directories).post(create_directory),
        )
        .route("/directories/{id}/sync", routing::post(sync_directory))
}

/// A directory to add, as submitted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct DirectoryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    ca_certificate: String,
    #[serde(default)]
    bind_dn: String,
    #[serde(default)]
    bind_password: String,
    #[serde(default)]
    user_base: String,
    #[serde(default)]
    user_filter: String,
    #[serde(default)]
    group_base: String,
    #[serde(default)]
    default_role: String,
}

impl DirectoryForm {
    fn blank() -> Self {
        Self {
            // i18n: not text (an LDAP filter)
            user_filter: "(objectClass=inetOrgPerson)".to_owned(),
            default_role: Role::Customer.as_str().to_owned(),
            ..Self::default()
        }
    }

    fn input(&self) -> DirectoryInput {
        let filled = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        DirectoryInput {
            name: self.name.clone(),
            enabled: true,
            url: self.url.clone(),
            ca_certificate: filled(&self.ca_certificate),
            bind_dn: self.bind_dn.clone(),
            bind_password: Some(self.bind_password.clone()),
            user_base: self.user_base.clone(),
            user_filter: self.user_filter.clone(),
            email_attribute: "mail".to_owned(),
            name_attribute: "cn".to_owned(),
            id_attribute: "entryUUID".to_owned(),
            group_base: filled(&self.group_base),
            // i18n: not text (an LDAP filter)
            group_filter: "(objectClass=groupOfNames)".to_owned(),
            member_attribute: "member".to_owned(),
            mappings: Vec::new(),
            default_role: Role::parse(&self.default_role).unwrap_or(Role::Customer),
            sync_seconds: 3600,
        }
    }
}

/// A sync button, as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct SyncForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    full: Option<String>,
}

fn role_label(role: Role) -> &'static str {
    t(match role {
        Role::Customer => Dir::RoleCustomer,
        Role::Agent => Dir::RoleAgent,
        Role::Lead => Dir::RoleLead,
        Role::Admin => Dir::RoleAdmin,
    })
}

async fn directories_page(
    state: &AppState,
    viewer: &Viewer,
    form: &DirectoryForm,
    showing: Showing<'_>,
) -> Result<Response, UiError> {
    let list = state.app.list_directories(&viewer.actor).await?;
    let content = html! {
        div class="page-head" { div { h1 { (t(Dir::Caption)) } p class="muted" { (t(Dir::Intro)) } } }
        (flash(showing.ok))
        (table(viewer, &list))
        (add_form(viewer, form, &showing.errors))
    };
    Ok(page(viewer, PATH, t(Dir::Caption), showing.status, content))
}

fn table(viewer: &Viewer, list: &[Directory]) -> Markup {
    html! {
        @if list.is_empty() {
            (empty_state(t(Dir::NoDirectories), t(Dir::NoDirectoriesText), None))
        } @else {
            div class="table-wrap" { table class="data directories cards-on-phone" {
                caption class="visually-hidden" { (t(Dir::Caption)) }
                thead { tr {
                    th scope="col" { (t(Dir::Name)) } th scope="col" { (t(Dir::Server)) }
                    th scope="col" { (t(Dir::State)) } th scope="col" { (t(Dir::LastSync)) }
                    th scope="col" { (t(Dir::SyncNow)) }
                } }
                tbody {
                    @for d in list {
                        tr {
                            th scope="row" data-label=(t(Dir::Name)) { bdi { (d.name) } }
                            td class="break" data-label=(t(Dir::Server)) { code { (d.url) } }
                            td data-label=(t(Dir::State)) { (if d.enabled { t(Dir::On) } else { t(Dir::Off) }) }
                            td class="small" data-label=(t(Dir::LastSync)) {
                                @match d.last_sync_at {
                                    Some(at) => {
                                        time datetime=(iso(at)) { (when(at)) } br;
                                        @if let Some(error) = &d.last_sync_error {
                                            span class="field-error break" { (error) }
                                        } @else if let Some(summary) = &d.last_sync_summary {
                                            span class="muted" { (summary) }
                                        }
                                    }
                                    None => { span class="muted" { (t(Dir::Never)) } }
                                }
                            }
                            td data-label=(t(Dir::SyncNow)) { (sync_buttons(viewer, d)) }
                        }
                    }
                }
            } }
        }
    }
}

fn sync_buttons(viewer: &Viewer, d: &Directory) -> Markup {
    let action = format!("{PATH}/{}/sync", d.id);
    html! {
        form class="form-inline" method="post" action=(action) {
            (csrf_field(viewer))
            button class="button button-small" type="submit" aria-label=(tr(Dir::SyncOf, &[&d.name])) { (t(Dir::SyncNow)) }
            " "
            button class="button button-small" type="submit" name="full" value="1"
                aria-label=(tr(Dir::FullSyncOf, &[&d.name])) { (t(Dir::FullSync)) }
        }
    }
}

fn add_form(viewer: &Viewer, form: &DirectoryForm, errors: &FieldErrors) -> Markup {
    let roles: Vec<(String, String)> = Role::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), role_label(*r).to_owned()))
        .collect();
    let ca_error = errors.get("ca_certificate");
    html! {
        section class="panel" aria-labelledby="add-directory" {
            h2 class="panel-title" id="add-directory" { (t(Dir::Add)) }
            form class="form" method="post" action=(PATH) {
                (csrf_field(viewer))
                (text_input("d-name", "name", t(Dir::Name), "text", &form.name, true, None, errors))
                (text_input("d-url", "url", t(Dir::Url), "text", &form.url, true, Some(t(Dir::UrlHint)), errors))
                (field("d-ca", t(Dir::Ca), Some(t(Dir::CaHint)), ca_error, html! {
                    textarea id="d-ca" name="ca_certificate" rows="4" class="mono" spellcheck="false"
                        aria-invalid=[ca_error.map(|_| "true")]
                        aria-describedby=[described_by("d-ca", true, ca_error.is_some())] { (form.ca_certificate) }
                }))
                (text_input("d-bind", "bind_dn", t(Dir::BindDn), "text", &form.bind_dn, true, None, errors))
                (text_input("d-password", "bind_password", t(Dir::BindPassword), "password", "", true, Some(t(Dir::BindPasswordHint)), errors))
                (text_input("d-users", "user_base", t(Dir::UserBase), "text", &form.user_base, true, None, errors))
                (text_input("d-filter", "user_filter", t(Dir::UserFilter), "text", &form.user_filter, true, None, errors))
                (text_input("d-groups", "group_base", t(Dir::GroupBase), "text", &form.group_base, false, None, errors))
                (select("d-role", "default_role", t(Dir::DefaultRole), &roles, &form.default_role, errors))
                div class="form-actions" { button class="button button-primary" type="submit" { (t(Dir::AddButton)) } }
            }
        }
    }
}

/// `GET /admin/directories`.
async fn directories(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    directories_page(
        &state,
        &viewer,
        &DirectoryForm::blank(),
        Showing::opened(&query),
    )
    .await
}

/// `POST /admin/directories`: adds a directory; a refused field is shown beside it.
async fn create_directory(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<DirectoryForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let result = state
        .app
        .save_directory(&viewer.actor, None, form.input())
        .await;
    let errors = match result {
        Ok(_) => return Ok(Redirect::to(&format!("{PATH}?ok=created")).into_response()),
        Err(e) => FieldErrors::from_app_error(
            e,
            &FieldMap::new(&[]).duplicate("name", t(crate::i18n::admin::Admin::NameTaken)),
        )?,
    };
    directories_page(&state, &viewer, &form, Showing::refused(errors)).await
}

/// `POST /admin/directories/{id}/sync`: syncs now; the outcome shows in the table (a directory
/// that cannot be reached, or a sync already running, included).
async fn sync_directory(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<SyncForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let id = DirectoryId::new(parse_path_id(&id)?);
    match state
        .app
        .sync_directory(&viewer.actor, id, form.full.is_some())
        .await
    {
        Ok(_) | Err(AppError::Conflict(_)) => Ok(Redirect::to(PATH).into_response()),
        Err(e) => Err(e.into()),
    }
}

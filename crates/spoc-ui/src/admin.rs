//! The desk's setup: people, organisations, resolver groups and their members, the category
//! tree, services, the priority matrix and the default group. Admins only; the app layer checks
//! that again for every change.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, GroupInput, UserInput, UserUpdate};
use spoc_domain::org::Tier;
use spoc_domain::priority::{Priority, PriorityMatrix};
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{CategoryId, GroupId, OrganizationId, UserId};

use super::forms::{UiForm, optional_id};
use super::page::{
    Area, FieldErrors, Shell, checkbox, csrf_field, empty_state, error_box, flash, select,
    text_input,
};
use super::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// The admin pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/users", get(users).post(create_user))
        .route("/users/{id}", get(user).post(update_user))
        .route(
            "/organizations",
            get(organizations).post(create_organization),
        )
        .route("/organizations/{id}/domains", post(save_domains))
        .route("/groups", get(groups).post(create_group))
        .route("/groups/{id}", get(group).post(update_group))
        .route("/groups/{id}/members", post(add_member))
        .route("/groups/{id}/members/{user_id}/remove", post(remove_member))
        .route("/categories", get(categories).post(create_category))
        .route("/services", get(services).post(create_service))
        .route("/settings", get(settings))
        .route("/settings/matrix", post(save_matrix))
        .route("/settings/default-group", post(save_default_group))
        .merge(super::admin_sla::routes())
        .merge(super::admin_mail::routes())
        .route("/workers", get(super::admin_workers::workers))
}

pub(super) fn require_admin(viewer: &Viewer) -> Result<(), UiError> {
    viewer
        .actor
        .may_administer()
        .map_err(|denied| UiError::page(StatusCode::FORBIDDEN, "Admins only", sentence(denied.0)))
}

pub(super) const SECTIONS: [(&str, &str); 9] = [
    ("/admin/users", "People"),
    ("/admin/organizations", "Organisations"),
    ("/admin/groups", "Groups"),
    ("/admin/categories", "Categories"),
    ("/admin/services", "Services"),
    ("/admin/settings", "Priority and routing"),
    ("/admin/sla", "Service levels"),
    ("/admin/mail", "Mail"),
    (super::admin_workers::PATH, "Background workers"),
];

/// What people who may see only part of the setup (leads: the inbound mail log) are offered.
const LEAD_SECTIONS: [(&str, &str); 1] = [("/admin/mail", "Inbound mail")];

pub(super) fn page(
    viewer: &Viewer,
    current: &str,
    title: &str,
    status: StatusCode,
    content: Markup,
) -> Response {
    let sections: &[(&str, &str)] = if viewer.actor.is_admin() {
        &SECTIONS
    } else {
        &LEAD_SECTIONS
    };
    let body = html! {
        div class="admin-layout" {
            nav class="admin-nav" aria-label="Setup" {
                ul {
                    @for (href, label) in sections {
                        li { a href=(if viewer.actor.is_admin() { href } else { "/admin/mail/inbound" }) aria-current=[(*href == current).then_some("page")] { (label) } }
                    }
                }
            }
            div class="admin-main stack" { (content) }
        }
    };
    let shell = Shell::new(title, Area::Admin).current(if viewer.actor.is_admin() {
        "/admin"
    } else {
        "/admin/mail/inbound"
    });
    (status, Html(shell.render(Some(viewer), body).into_string())).into_response()
}

/// A flash key after a redirect.
#[derive(Debug, Default, Deserialize)]
pub struct OkQuery {
    pub(super) ok: Option<String>,
    q: Option<String>,
}

/// `GET /admin`.
async fn index(viewer: Viewer) -> Result<Redirect, UiError> {
    require_admin(&viewer)?;
    Ok(Redirect::to("/admin/users"))
}

fn role_options() -> Vec<(String, String)> {
    [
        ("customer", "Customer — raises tickets in the portal"),
        ("agent", "Agent — works tickets of their groups"),
        ("lead", "Lead — works every ticket, receives escalations"),
        ("admin", "Admin — sets the desk up"),
    ]
    .into_iter()
    .map(|(v, l)| (v.to_owned(), l.to_owned()))
    .collect()
}

// ----- people ------------------------------------------------------------------------------------

/// A new person, as submitted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    super_user: Option<String>,
    #[serde(default)]
    password: String,
}

async fn org_options(state: &AppState, viewer: &Viewer) -> Result<Vec<(String, String)>, AppError> {
    Ok(std::iter::once((String::new(), "None".to_owned()))
        .chain(
            state
                .app
                .list_organizations(&viewer.actor)
                .await?
                .into_iter()
                .map(|o| (o.id.to_string(), o.name)),
        )
        .collect())
}

async fn users_page(
    state: &AppState,
    viewer: &Viewer,
    query: &OkQuery,
    form: &NewUserForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, UiError> {
    let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let people = state.app.list_users(&viewer.actor, search, 500).await?;
    let organizations = state.app.list_organizations(&viewer.actor).await?;
    let orgs = org_options(state, viewer).await?;
    let content = html! {
        div class="page-head" { div { h1 { "People" } p class="muted" { "Customers, agents, leads and admins." } } }
        (flash(query.ok.as_deref()))
        form class="form-inline" method="get" action="/admin/users" role="search" {
            div class="field" { label for="uq" { "Find" } input id="uq" name="q" type="search" value=(search.unwrap_or("")); }
            div class="form-actions" { button class="button button-small" type="submit" { "Search" } }
        }
        @if people.is_empty() {
            (empty_state("Nobody found", "Try another name or e-mail, or add the person below.", None))
        } @else {
            div class="table-wrap" {
                table class="data" {
                    thead { tr { th scope="col" { "Name" } th scope="col" { "E-mail" } th scope="col" { "Role" } th scope="col" { "Organisation" } th scope="col" { "Status" } } }
                    tbody {
                        @for person in &people {
                            tr {
                                td { a href={ "/admin/users/" (person.id) } { bdi { (person.name) } } }
                                td { (person.email) }
                                td { span class="badge badge-role" { (person.role.as_str()) } @if person.super_user { " " span class="badge badge-kind" { "super user" } } }
                                td { @if let Some(org) = person.organization_id.and_then(|id| organizations.iter().find(|o| o.id == id)) { (org.name) } }
                                td { @if person.active { "Active" } @else { span class="muted" { "Deactivated" } } }
                            }
                        }
                    }
                }
            }
        }
        section class="panel" aria-labelledby="add-person" {
            h2 class="panel-title" id="add-person" { "Add a person" }
            form class="form" method="post" action="/admin/users" {
                (csrf_field(viewer))
                (error_box(errors.get("form")))
                div class="grid-2" {
                    (text_input("u-name", "name", "Name", "text", &form.name, true, None, errors))
                    (text_input("u-email", "email", "E-mail", "email", &form.email, true, None, errors))
                }
                div class="grid-2" {
                    (select("u-role", "role", "Role", &role_options(), if form.role.is_empty() { "customer" } else { &form.role }, errors))
                    (select("u-org", "organization", "Organisation", &orgs, &form.organization, errors))
                }
                (checkbox("u-super", "super_user", "Super user (sees all tickets of their organisation)", form.super_user.is_some(), None))
                (text_input("u-password", "password", "Password (optional)", "password", "", false,
                    Some("At least 10 characters. Leave empty for people who only write by e-mail or are logged by phone."), errors))
                div class="form-actions" { button class="button button-primary" type="submit" { "Add person" } }
            }
        }
    };
    Ok(page(viewer, "/admin/users", "People", status, content))
}

/// `GET /admin/users`.
async fn users(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    users_page(
        &state,
        &viewer,
        &query,
        &NewUserForm::default(),
        &FieldErrors::none(),
        StatusCode::OK,
    )
    .await
}

fn field_of(api_field: &str) -> &str {
    match api_field {
        "organization_id" => "organization",
        "parent_id" => "parent",
        "group_id" => "group",
        "user_id" => "user",
        other => other,
    }
}

/// `POST /admin/users`.
async fn create_user(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<NewUserForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    require_admin(&viewer)?;
    let mut errors = FieldErrors::none();
    let name = Name::parse_as("name", &form.name)
        .map_err(|e| errors.add("name", sentence(&e.message)))
        .ok();
    let email = Email::parse(&form.email)
        .map_err(|e| errors.add("email", sentence(&e.message)))
        .ok();
    let role = Role::parse(&form.role)
        .map_err(|_| errors.add("role", "Choose a role."))
        .ok();
    let organization = optional_id(Some(&form.organization))
        .map_err(|()| errors.add("organization", "Choose an organisation from the list."))
        .ok()
        .flatten();
    if let (Some(name), Some(email), Some(role)) = (name, email, role) {
        let input = UserInput {
            email,
            name,
            role,
            organization_id: organization.map(OrganizationId::new),
            super_user: form.super_user.is_some(),
            password: (!form.password.is_empty()).then(|| form.password.clone()),
        };
        match state.app.create_user(&viewer.actor, input).await {
            Ok(user) => {
                return Ok(
                    Redirect::to(&format!("/admin/users/{}?ok=created", user.id)).into_response(),
                );
            }
            Err(AppError::Validation(e)) => errors.add(field_of(e.field), sentence(&e.message)),
            Err(AppError::Duplicate(_)) => {
                errors.add("email", "Someone with this e-mail address already exists.")
            }
            Err(e) => return Err(e.into()),
        }
    }
    users_page(
        &state,
        &viewer,
        &OkQuery::default(),
        &form,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub(super) fn parse_path_id(value: &str) -> Result<i64, UiError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(UiError::not_found)
}

async fn user_page(
    state: &AppState,
    viewer: &Viewer,
    id: UserId,
    ok: Option<&str>,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, UiError> {
    let person = state.app.get_user(&viewer.actor, id).await?;
    let orgs = org_options(state, viewer).await?;
    let all_groups = state.app.list_groups(&viewer.actor).await?;
    let mut member_of = Vec::new();
    for group in &all_groups {
        if state
            .app
            .group_members(&viewer.actor, group.id)
            .await?
            .iter()
            .any(|m| m.id == id)
        {
            member_of.push(group.id);
        }
    }
    let content = html! {
        div class="page-head" { div { p class="eyebrow" { a href="/admin/users" { "People" } } h1 { bdi { (person.name) } } p class="muted" { (person.email) } } }
        (flash(ok))
        (error_box(errors.get("form")))
        form class="form panel" method="post" action={ "/admin/users/" (id) } {
            (csrf_field(viewer))
            (text_input("p-name", "name", "Name", "text", &person.name, true, None, errors))
            div class="grid-2" {
                (select("p-role", "role", "Role", &role_options(), person.role.as_str(), errors))
                (select("p-org", "organization", "Organisation", &orgs, &person.organization_id.map(|o| o.to_string()).unwrap_or_default(), errors))
            }
            (checkbox("p-super", "super_user", "Super user (sees all tickets of their organisation)", person.super_user, None))
            (checkbox("p-active", "active", "Active (can sign in and be assigned)", person.active,
                Some("Deactivating ends the person's sessions at once. Their tickets and history stay.")))
            (text_input("p-password", "password", "New password", "password", "", false,
                Some("Leave empty to keep the current password. Setting one ends the person's sessions."), errors))
            @if id == viewer.actor.user_id {
                (text_input("p-current-password", "current_password", "Your current password", "password", "", false,
                    Some("Needed to set your own password unless you signed in during the last 10 minutes."), errors))
            }
            @if person.role.is_staff() {
                fieldset class="field" {
                    legend { "Resolver groups" }
                    @if all_groups.is_empty() { p class="muted" { "No groups yet. " a href="/admin/groups" { "Add one" } "." } }
                    @for group in &all_groups {
                        div class="field-check" {
                            label {
                                input type="checkbox" name="group" value=(group.id) checked[member_of.contains(&group.id)];
                                " " bdi { (group.name) } " " span class="muted small" { "tier " (group.tier.number()) }
                            }
                        }
                    }
                }
            }
            div class="form-actions" { button class="button button-primary" type="submit" { "Save" } }
        }
    };
    Ok(page(viewer, "/admin/users", &person.name, status, content))
}

/// `GET /admin/users/{id}`.
async fn user(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let id = UserId::new(parse_path_id(&id)?);
    user_page(
        &state,
        &viewer,
        id,
        query.ok.as_deref(),
        &FieldErrors::none(),
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/users/{id}`: the form has repeated `group` fields, so it is read as pairs.
async fn update_user(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    viewer.check_csrf(value("csrf").unwrap_or(""))?;
    require_admin(&viewer)?;
    let id = UserId::new(parse_path_id(&id)?);
    let mut errors = FieldErrors::none();
    let name = Name::parse_as("name", value("name").unwrap_or(""))
        .map_err(|e| errors.add("name", sentence(&e.message)))
        .ok();
    let role = Role::parse(value("role").unwrap_or(""))
        .map_err(|_| errors.add("role", "Choose a role."))
        .ok();
    let organization = optional_id(value("organization"))
        .map_err(|()| errors.add("organization", "Choose an organisation from the list."))
        .ok();
    let wanted_groups: Vec<GroupId> = pairs
        .iter()
        .filter(|(k, _)| k == "group")
        .filter_map(|(_, v)| v.parse().ok().map(GroupId::new))
        .collect();
    if let (Some(name), Some(role), Some(organization)) = (name, role, organization) {
        let update = UserUpdate {
            name: Some(name.into_string()),
            role: Some(role),
            organization_id: Some(organization.map(OrganizationId::new)),
            super_user: Some(value("super_user").is_some()),
            active: Some(value("active").is_some()),
            password_hash: None,
        };
        let password = value("password")
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        match state
            .app
            .update_user(
                &viewer.actor,
                id,
                update,
                password,
                value("current_password").filter(|p| !p.is_empty()),
            )
            .await
        {
            Ok(updated) => {
                if updated.role.is_staff() {
                    for group in state.app.list_groups(&viewer.actor).await? {
                        let is_member = state
                            .app
                            .group_members(&viewer.actor, group.id)
                            .await?
                            .iter()
                            .any(|m| m.id == id);
                        let wanted = wanted_groups.contains(&group.id);
                        if wanted && !is_member {
                            state
                                .app
                                .add_group_member(&viewer.actor, group.id, id)
                                .await?;
                        } else if !wanted && is_member {
                            state
                                .app
                                .remove_group_member(&viewer.actor, group.id, id)
                                .await?;
                        }
                    }
                }
                return Ok(Redirect::to(&format!("/admin/users/{id}?ok=saved")).into_response());
            }
            Err(AppError::Validation(e)) => errors.add(field_of(e.field), sentence(&e.message)),
            Err(AppError::Forbidden(message)) => errors.add("form", sentence(&message)),
            Err(AppError::ReauthenticationRequired(message)) => {
                errors.add("current_password", sentence(&message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    user_page(
        &state,
        &viewer,
        id,
        None,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

// ----- organisations -----------------------------------------------------------------------------

/// A name (and, for services, a description), as submitted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NameForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    tier: String,
    #[serde(default)]
    external_supplier: Option<String>,
}

/// Domains typed for one organisation that could not be saved, with the reason.
#[derive(Debug)]
pub struct DomainsTyped {
    organization: OrganizationId,
    text: String,
    error: String,
}

async fn organizations_page(
    state: &AppState,
    viewer: &Viewer,
    ok: Option<&str>,
    form: &NameForm,
    errors: &FieldErrors,
    domains_typed: Option<&DomainsTyped>,
    status: StatusCode,
) -> Result<Response, UiError> {
    let list = state.app.list_organizations(&viewer.actor).await?;
    let mut rows = Vec::new();
    for org in &list {
        let domains = match domains_typed.filter(|d| d.organization == org.id) {
            Some(typed) => (typed.text.clone(), Some(typed.error.as_str())),
            None => (
                state
                    .app
                    .organization_domains(&viewer.actor, org.id)
                    .await?
                    .join(", "),
                None,
            ),
        };
        rows.push((org, domains));
    }
    let content = html! {
        div class="page-head" { div { h1 { "Organisations" } p class="muted" { "The companies or departments customers belong to. Super users see their organisation's tickets." } } }
        (flash(ok))
        @if list.is_empty() {
            (empty_state("No organisations yet", "Add the first one below, then put customers in it.", None))
        } @else {
            div class="table-wrap" { table class="data organizations" {
                thead { tr { th scope="col" { "Name" } th scope="col" class="num" { "Id" } th scope="col" { "E-mail domains" } } }
                tbody {
                    @for (org, (text, error)) in &rows {
                        tr {
                            td { bdi { (org.name) } }
                            td class="num" { (org.id) }
                            td { (domains_form(viewer, org.id, &org.name, text, *error)) }
                        }
                    }
                }
            } }
            p class="muted small" { "Someone who writes from one of an organisation's domains, and is not known yet, is registered as a customer of that organisation." }
        }
        section class="panel" aria-labelledby="add-org" {
            h2 class="panel-title" id="add-org" { "Add an organisation" }
            form class="form form-inline" method="post" action="/admin/organizations" {
                (csrf_field(viewer))
                (text_input("o-name", "name", "Name", "text", &form.name, true, None, errors))
                div class="form-actions" { button class="button button-primary" type="submit" { "Add" } }
            }
        }
    };
    Ok(page(
        viewer,
        "/admin/organizations",
        "Organisations",
        status,
        content,
    ))
}

/// One organisation's domains as an inline form, with the error next to the field.
fn domains_form(
    viewer: &Viewer,
    id: OrganizationId,
    name: &str,
    text: &str,
    error: Option<&str>,
) -> Markup {
    let field_id = format!("dom-{id}");
    html! {
        form class="domains-form" method="post" action={ "/admin/organizations/" (id) "/domains" } {
            (csrf_field(viewer))
            div.field.has-error[error.is_some()] {
                label class="visually-hidden" for=(field_id) { "E-mail domains of " (name) }
                div class="input-with-button" {
                    input id=(field_id) name="domains" type="text" value=(text) placeholder="example.com, example.org"
                        autocomplete="off" spellcheck="false"
                        aria-invalid=[error.map(|_| "true")]
                        aria-describedby=[error.map(|_| format!("{field_id}-error"))];
                    button class="button button-small" type="submit" { "Save" }
                }
                @if let Some(error) = error { p class="field-error" id={ (field_id) "-error" } { (error) } }
            }
        }
    }
}

async fn organizations(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    organizations_page(
        &state,
        &viewer,
        query.ok.as_deref(),
        &NameForm::default(),
        &FieldErrors::none(),
        None,
        StatusCode::OK,
    )
    .await
}

/// An organisation's domains, as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct DomainsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    domains: String,
}

/// `POST /admin/organizations/{id}/domains`: domains separated by commas, spaces or lines.
async fn save_domains(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<DomainsForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    require_admin(&viewer)?;
    let id = OrganizationId::new(parse_path_id(&id)?);
    let domains: Vec<String> = form
        .domains
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(|d| d.trim().trim_start_matches('@').to_owned())
        .filter(|d| !d.is_empty())
        .collect();
    let error = match state
        .app
        .set_organization_domains(&viewer.actor, id, &domains)
        .await
    {
        Ok(_) => return Ok(Redirect::to("/admin/organizations?ok=domains").into_response()),
        Err(AppError::Validation(e)) => sentence(&e.message),
        Err(AppError::Duplicate(message)) => sentence(&message),
        Err(e) => return Err(e.into()),
    };
    let typed = DomainsTyped {
        organization: id,
        text: form.domains,
        error,
    };
    organizations_page(
        &state,
        &viewer,
        None,
        &NameForm::default(),
        &FieldErrors::none(),
        Some(&typed),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

fn name_error(errors: &mut FieldErrors, error: AppError) -> Result<(), UiError> {
    match error {
        AppError::Validation(e) => errors.add(field_of(e.field), sentence(&e.message)),
        AppError::Duplicate(_) => errors.add("name", "That name is already taken."),
        other => return Err(other.into()),
    }
    Ok(())
}

async fn create_organization(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<NameForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    require_admin(&viewer)?;
    let mut errors = FieldErrors::none();
    match Name::parse_as("name", &form.name) {
        Ok(name) => match state.app.create_organization(&viewer.actor, name).await {
            Ok(_) => return Ok(Redirect::to("/admin/organizations?ok=created").into_response()),
            Err(e) => name_error(&mut errors, e)?,
        },
        Err(e) => errors.add("name", sentence(&e.message)),
    }
    organizations_page(
        &state,
        &viewer,
        None,
        &form,
        &errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

// ----- groups ------------------------------------------------------------------------------------

fn tier_options() -> Vec<(String, String)> {
    vec![
        ("1".to_owned(), "Tier 1 — first line".to_owned()),
        ("2".to_owned(), "Tier 2 — second line".to_owned()),
        (
            "3".to_owned(),
            "Tier 3 — specialists or suppliers".to_owned(),
        ),
    ]
}

fn group_input(form: &NameForm, errors: &mut FieldErrors) -> Option<GroupInput> {
    let name = Name::parse_as("name", &form.name)
        .map_err(|e| errors.add("name", sentence(&e.message)))
        .ok();
    let tier = form
        .tier
        .parse::<i64>()
        .ok()
        .and_then(|t| Tier::from_number(t).ok())
        .or_else(|| {
            errors.add("tier", "Choose a tier.");
            None
        });
    Some(GroupInput {
        name: name?,
        tier: tier?,
        external_supplier: form.external_supplier.is_some(),
    })
}

async fn groups_page(
    state: &AppState,
    viewer: &Viewer,
    ok: Option<&str>,
    form: &NameForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, UiError> {
    let list = state.app.list_groups(&viewer.actor).await?;
    let default_group = state.app.default_group(&viewer.actor).await?;
    let mut sizes = Vec::new();
    for group in &list {
        sizes.push(
            state
                .app
                .group_members(&viewer.actor, group.id)
                .await?
                .len(),
        );
    }
    let content = html! {
        div class="page-head" { div { h1 { "Resolver groups" } p class="muted" { "Teams that work tickets, by tier. New tickets land in the default group." } } }
        (flash(ok))
        div class="table-wrap" { table class="data" {
            thead { tr { th scope="col" { "Group" } th scope="col" { "Tier" } th scope="col" class="num" { "Members" } th scope="col" { "" } } }
            tbody {
                @for (group, size) in list.iter().zip(&sizes) {
                    tr {
                        td { a href={ "/admin/groups/" (group.id) } { bdi { (group.name) } } }
                        td { "Tier " (group.tier.number()) @if group.external_supplier { " · external supplier" } }
                        td class="num" { (size) }
                        td { @if group.id == default_group.id { span class="badge badge-kind" { "Default for new tickets" } } }
                    }
                }
            }
        } }
        section class="panel" aria-labelledby="add-group" {
            h2 class="panel-title" id="add-group" { "Add a group" }
            form class="form" method="post" action="/admin/groups" {
                (csrf_field(viewer))
                div class="grid-2" {
                    (text_input("g-name", "name", "Name", "text", &form.name, true, None, errors))
                    (select("g-tier", "tier", "Tier", &tier_options(), if form.tier.is_empty() { "2" } else { &form.tier }, errors))
                }
                (checkbox("g-supplier", "external_supplier", "External supplier (tier 3 only)", form.external_supplier.is_some(),
                    Some("Tickets held by a supplier group can carry the supplier's own reference.")))
                @if let Some(e) = errors.get("external_supplier") { p class="field-error" { (e) } }
                div class="form-actions" { button class="button button-primary" type="submit" { "Add group" } }
            }
        }
    };
    Ok(page(viewer, "/admin/groups", "Groups", status, content))
}

async fn groups(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    groups_page(
        &state,
        &viewer,
        query.ok.as_deref(),
        &NameForm::default(),
        &FieldErrors::none(),
        StatusCode::OK,
    )
    .await
}

async fn create_group(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<NameForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    require_admin(&viewer)?;
    let mut errors = FieldErrors::none();
    if let Some(input) = group_input(&form, &mut errors) {
        match state.app.create_group(&viewer.actor, input).await {
            Ok(group) => {
                return Ok(
                    Redirect::to(&format!("/admin/groups/{}?ok=created", group.id)).into_response(),
                );
            }
            Err(e) => name_error(&mut errors, e)?,
        }
    }
    groups_page(
        &state,
        &viewer,
        None,
        &form,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

async fn group_page(
    state: &AppState,
    viewer: &Viewer,
    id: GroupId,
    ok: Option<&str>,
    form: Option<&NameForm>,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, UiError> {
    let group = state.app.get_group(&viewer.actor, id).await?;
    let members = state.app.group_members(&viewer.actor, id).await?;
    let candidates: Vec<(String, String)> =
        std::iter::once((String::new(), "Choose a person…".to_owned()))
            .chain(
                state
                    .app
                    .list_users(&viewer.actor, None, 500)
                    .await?
                    .into_iter()
                    .filter(|u| {
                        u.role.is_staff() && u.active && !members.iter().any(|m| m.id == u.id)
                    })
                    .map(|u| {
                        (
                            u.id.to_string(),
                            format!("{} ({})", u.name, u.role.as_str()),
                        )
                    }),
            )
            .collect();
    let name = form.map_or(group.name.clone(), |f| f.name.clone());
    let tier = form.map_or(group.tier.number().to_string(), |f| f.tier.clone());
    let supplier = form.map_or(group.external_supplier, |f| f.external_supplier.is_some());
    let content = html! {
        div class="page-head" { div { p class="eyebrow" { a href="/admin/groups" { "Groups" } } h1 { bdi { (group.name) } } } }
        (flash(ok))
        (error_box(errors.get("form")))
        div class="grid-2 align-start" {
            section class="panel" aria-labelledby="group-settings" {
                h2 class="panel-title" id="group-settings" { "Settings" }
                form class="form" method="post" action={ "/admin/groups/" (id) } {
                    (csrf_field(viewer))
                    (text_input("g-name", "name", "Name", "text", &name, true, None, errors))
                    (select("g-tier", "tier", "Tier", &tier_options(), &tier, errors))
                    (checkbox("g-supplier", "external_supplier", "External supplier (tier 3 only)", supplier, None))
                    @if let Some(e) = errors.get("external_supplier") { p class="field-error" { (e) } }
                    div class="form-actions" { button class="button button-primary" type="submit" { "Save" } }
                }
            }
            section class="panel stack" aria-labelledby="group-members" {
                h2 class="panel-title" id="group-members" { "Members" }
                @if members.is_empty() {
                    p class="muted" { "Nobody yet. Tickets routed here wait unassigned until someone joins." }
                } @else {
                    ul class="member-list" {
                        @for member in &members {
                            li class="cluster" {
                                span { bdi { (member.name) } " " span class="badge badge-role" { (member.role.as_str()) } }
                                form method="post" action={ "/admin/groups/" (id) "/members/" (member.id) "/remove" } class="inline" {
                                    (csrf_field(viewer))
                                    button class="button button-small button-quiet" type="submit" aria-label={ "Remove " (member.name) } { "Remove" }
                                }
                            }
                        }
                    }
                }
                form class="form form-inline" method="post" action={ "/admin/groups/" (id) "/members" } {
                    (csrf_field(viewer))
                    (select("m-user", "user", "Add a member", &candidates, "", errors))
                    div class="form-actions" { button class="button" type="submit" { "Add" } }
                }
            }
        }
    };
    Ok(page(viewer, "/admin/groups", &group.name, status, content))
}

async fn group(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let id = GroupId::new(parse_path_id(&id)?);
    group_page(
        &state,
        &viewer,
        id,
        query.ok.as_deref(),
        None,
        &FieldErrors::none(),
        StatusCode::OK,
    )
    .await
}

async fn update_group(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<NameForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    require_admin(&viewer)?;
    let id = GroupId::new(parse_path_id(&id)?);
    let mut errors = FieldErrors::none();
    if let Some(input) = group_input(&form, &mut errors) {
        match state.app.update_group(&viewer.actor, id, input).await {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/admin/groups/{id}?ok=saved")).into_response());
            }
            Err(e) => name_error(&mut errors, e)?,
        }
    }
    group_page(
        &state,
        &viewer,
        id,
        None,
        Some(&form),
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// A member to add.
#[derive(Debug, Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    user: String,
}

async fn add_member(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<MemberForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    require_admin(&viewer)?;
    let id = GroupId::new(parse_path_id(&id)?);
    let mut errors = FieldErrors::none();
    match optional_id(Some(&form.user)) {
        Ok(Some(user)) => match state
            .app
            .add_group_member(&viewer.actor, id, UserId::new(user))
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!("/admin/groups/{id}?ok=saved")).into_response());
            }
            Err(AppError::Validation(e)) => errors.add("user", sentence(&e.message)),
            Err(e) => return Err(e.into()),
        },
        _ => errors.add("user", "Choose a person to add."),
    }
    group_page(
        &state,
        &viewer,
        id,
        None,
        None,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

async fn remove_member(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, user)): Path<(String, String)>,
    UiForm(form): UiForm<MemberForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    require_admin(&viewer)?;
    let id = GroupId::new(parse_path_id(&id)?);
    let user = UserId::new(parse_path_id(&user)?);
    state
        .app
        .remove_group_member(&viewer.actor, id, user)
        .await?;
    Ok(Redirect::to(&format!("/admin/groups/{id}?ok=saved")).into_response())
}

// ----- categories and services -------------------------------------------------------------------

async fn categories_page(
    state: &AppState,
    viewer: &Viewer,
    ok: Option<&str>,
    form: &NameForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, UiError> {
    let list = state.app.list_categories().await?;
    let parents: Vec<(String, String)> =
        std::iter::once((String::new(), "None — a top-level category".to_owned()))
            .chain(
                list.iter()
                    .filter(|c| c.parent_id.is_none())
                    .map(|c| (c.id.to_string(), c.name.clone())),
            )
            .collect();
    let content = html! {
        div class="page-head" { div { h1 { "Categories" } p class="muted" { "What tickets are about, two levels deep: e.g. Access › Password." } } }
        (flash(ok))
        @if list.is_empty() {
            (empty_state("No categories yet", "Add top-level categories first, then subcategories under them.", None))
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
            h2 class="panel-title" id="add-category" { "Add a category" }
            form class="form" method="post" action="/admin/categories" {
                (csrf_field(viewer))
                div class="grid-2" {
                    (text_input("c-name", "name", "Name", "text", &form.name, true, None, errors))
                    (select("c-parent", "parent", "Under", &parents, &form.parent, errors))
                }
                div class="form-actions" { button class="button button-primary" type="submit" { "Add category" } }
            }
        }
    };
    Ok(page(
        viewer,
        "/admin/categories",
        "Categories",
        status,
        content,
    ))
}

async fn categories(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    categories_page(
        &state,
        &viewer,
        query.ok.as_deref(),
        &NameForm::default(),
        &FieldErrors::none(),
        StatusCode::OK,
    )
    .await
}

async fn create_category(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<NameForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    require_admin(&viewer)?;
    let mut errors = FieldErrors::none();
    let parent = optional_id(Some(&form.parent))
        .map_err(|()| errors.add("parent", "Choose a category from the list."))
        .ok();
    match (Name::parse_as("name", &form.name), parent) {
        (Ok(name), Some(parent)) => match state
            .app
            .create_category(&viewer.actor, name, parent.map(CategoryId::new))
            .await
        {
            Ok(_) => return Ok(Redirect::to("/admin/categories?ok=created").into_response()),
            Err(e) => name_error(&mut errors, e)?,
        },
        (Err(e), _) => errors.add("name", sentence(&e.message)),
        _ => {}
    }
    categories_page(
        &state,
        &viewer,
        None,
        &form,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

async fn services_page(
    state: &AppState,
    viewer: &Viewer,
    ok: Option<&str>,
    form: &NameForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, UiError> {
    let list = state.app.list_services().await?;
    let content = html! {
        div class="page-head" { div { h1 { "Services" } p class="muted" { "The business services tickets can be about — e-mail, payroll, the VPN." } } }
        (flash(ok))
        @if list.is_empty() {
            (empty_state("No services yet", "Add the services your desk supports below.", None))
        } @else {
            div class="table-wrap" { table class="data" {
                thead { tr { th scope="col" { "Service" } th scope="col" { "Description" } } }
                tbody { @for s in &list { tr { td { bdi { (s.name) } } td class="muted" { (s.description) } } } }
            } }
        }
        section class="panel" aria-labelledby="add-service" {
            h2 class="panel-title" id="add-service" { "Add a service" }
            form class="form" method="post" action="/admin/services" {
                (csrf_field(viewer))
                (text_input("s-name", "name", "Name", "text", &form.name, true, None, errors))
                (text_input("s-description", "description", "Description", "text", &form.description, false, None, errors))
                div class="form-actions" { button class="button button-primary" type="submit" { "Add service" } }
            }
        }
    };
    Ok(page(viewer, "/admin/services", "Services", status, content))
}

async fn services(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    services_page(
        &state,
        &viewer,
        query.ok.as_deref(),
        &NameForm::default(),
        &FieldErrors::none(),
        StatusCode::OK,
    )
    .await
}

async fn create_service(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<NameForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    require_admin(&viewer)?;
    let mut errors = FieldErrors::none();
    match Name::parse_as("name", &form.name) {
        Ok(name) => match state
            .app
            .create_service(&viewer.actor, name, form.description.trim())
            .await
        {
            Ok(_) => return Ok(Redirect::to("/admin/services?ok=created").into_response()),
            Err(e) => name_error(&mut errors, e)?,
        },
        Err(e) => errors.add("name", sentence(&e.message)),
    }
    services_page(
        &state,
        &viewer,
        None,
        &form,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

// ----- priority matrix and default group ---------------------------------------------------------

const LEVELS: [&str; 3] = ["High", "Medium", "Low"];

async fn settings_page(
    state: &AppState,
    viewer: &Viewer,
    ok: Option<&str>,
    cells: Option<[[String; 3]; 3]>,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, UiError> {
    let matrix = state.app.priority_matrix().await?;
    let cells =
        cells.unwrap_or_else(|| matrix.cells().map(|row| row.map(|p| p.as_str().to_owned())));
    let groups = state.app.list_groups(&viewer.actor).await?;
    let default_group = state.app.default_group(&viewer.actor).await?;
    let priority_options: Vec<(String, String)> = Priority::ALL
        .iter()
        .map(|p| {
            (
                p.as_str().to_owned(),
                format!("{} {}", p.as_str(), p.label()),
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
    };
    Ok(page(
        viewer,
        "/admin/settings",
        "Priority and routing",
        status,
        content,
    ))
}

async fn settings(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    settings_page(
        &state,
        &viewer,
        query.ok.as_deref(),
        None,
        &FieldErrors::none(),
        StatusCode::OK,
    )
    .await
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
    viewer.check_csrf(&value("csrf"))?;
    require_admin(&viewer)?;
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
    settings_page(
        &state,
        &viewer,
        None,
        Some(raw),
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
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
    viewer.check_csrf(&form.csrf)?;
    require_admin(&viewer)?;
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
    settings_page(
        &state,
        &viewer,
        None,
        None,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

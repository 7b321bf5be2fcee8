//! People: listing, adding and changing accounts.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing;
use maud::html;
use serde::Deserialize;
use spoc_app::{AppError, PersonUpdate, UserInput};
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{GroupId, OrganizationId, UserId};

use crate::admin::frame::{
    ADMIN_FIELDS, OkQuery, Showing, admin_post, page, parse_path_id, require_admin,
};
use crate::forms::{UiForm, optional_id};
use crate::i18n::admin::Admin;
use crate::i18n::{Msg, t, tr};
use crate::page::{
    FieldErrors, checkbox, csrf_field, empty_state, error_box, flash, select, text_input,
};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// People, under `/admin`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", routing::get(users).post(create_user))
        .route("/users/{id}", routing::get(user).post(update_user))
        .route(
            "/users/{id}/data",
            routing::get(super::person_data::admin_download),
        )
        .route(
            "/users/{id}/erase",
            routing::post(super::person_data::admin_erase),
        )
}

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
    Ok(
        std::iter::once((String::new(), t(Admin::OrganisationNone).to_owned()))
            .chain(
                state
                    .app
                    .list_organizations(&viewer.actor)
                    .await?
                    .into_iter()
                    .map(|o| (o.id.to_string(), o.name)),
            )
            .collect(),
    )
}

async fn users_page(
    state: &AppState,
    viewer: &Viewer,
    search: Option<&str>,
    form: &NewUserForm,
    showing: Showing<'_>,
) -> Result<Response, UiError> {
    let errors = &showing.errors;
    let search = search.map(str::trim).filter(|q| !q.is_empty());
    let people = state.app.list_users(&viewer.actor, search, 500).await?;
    let organizations = state.app.list_organizations(&viewer.actor).await?;
    let orgs = org_options(state, viewer).await?;
    let content = html! {
        div class="page-head" { div { h1 { (t(Admin::SecPeople)) } p class="muted" { (t(Admin::PeopleIntro)) } } }
        (flash(showing.ok))
        form class="form-inline" method="get" action="/admin/users" role="search" {
            div class="field" { label for="uq" { (t(Admin::Find)) } input id="uq" name="q" type="search" value=(search.unwrap_or("")); }
            div class="form-actions" { button class="button button-small" type="submit" { (t(Admin::Search)) } }
        }
        @if people.is_empty() {
            (empty_state(t(Admin::NobodyFound), t(Admin::NobodyFoundText), None))
        } @else {
            div class="table-wrap" {
                table class="data cards-on-phone" {
                    thead { tr { th scope="col" { (t(Admin::Name)) } th scope="col" { (t(Admin::Email)) } th scope="col" { (t(Admin::Role)) } th scope="col" { (t(Admin::Organisation)) } th scope="col" { (t(Admin::Status)) } } }
                    tbody {
                        @for person in &people {
                            tr {
                                td data-label=(t(Admin::Name)) { a href={ "/admin/users/" (person.id) } { bdi { (person.name) } } }
                                td data-label=(t(Admin::Email)) { (person.email) }
                                td data-label=(t(Admin::Role)) { span class="badge badge-role" { (role_word(person.role)) } @if person.super_user { " " span class="badge badge-kind" { (t(Admin::SuperUserBadge)) } } }
                                td data-label=(t(Admin::Organisation)) { @if let Some(org) = person.organization_id.and_then(|id| organizations.iter().find(|o| o.id == id)) { (org.name) } }
                                td data-label=(t(Admin::Status)) { @if person.active { (t(Admin::Active)) } @else { span class="muted" { (t(Admin::Deactivated)) } } }
                            }
                        }
                    }
                }
            }
        }
        section class="panel" aria-labelledby="add-person" {
            h2 class="panel-title" id="add-person" { (t(Admin::AddPerson)) }
            form class="form" method="post" action="/admin/users" {
                (csrf_field(viewer))
                (error_box(errors.get("form")))
                div class="grid-2" {
                    (text_input("u-name", "name", t(Admin::Name), "text", &form.name, true, None, errors))
                    (text_input("u-email", "email", t(Admin::Email), "email", &form.email, true, None, errors))
                }
                div class="grid-2" {
                    (select("u-role", "role", t(Admin::Role), &role_options(), if form.role.is_empty() { "customer" } else { &form.role }, errors))
                    (select("u-org", "organization", t(Admin::Organisation), &orgs, &form.organization, errors))
                }
                (checkbox("u-super", "super_user", t(Admin::SuperUserCheck), form.super_user.is_some(), None))
                (text_input("u-password", "password", t(Admin::PasswordOptional), "password", "", false,
                    Some(t(Admin::PasswordOptionalHint)), errors))
                div class="form-actions" { button class="button button-primary" type="submit" { (t(Admin::AddPersonButton)) } }
            }
        }
    };
    Ok(page(
        viewer,
        "/admin/users",
        t(Admin::SecPeople),
        showing.status,
        content,
    ))
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
        query.q.as_deref(),
        &NewUserForm::default(),
        Showing::opened(&query),
    )
    .await
}

/// `POST /admin/users`.
async fn create_user(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<NewUserForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let mut errors = FieldErrors::none();
    let name = Name::parse_as("name", &form.name)
        .map_err(|e| errors.add("name", sentence(&e.message)))
        .ok();
    let email = Email::parse(&form.email)
        .map_err(|e| errors.add("email", sentence(&e.message)))
        .ok();
    let role = Role::parse(&form.role)
        .map_err(|_| errors.add("role", t(Admin::ChooseRole)))
        .ok();
    let organization = optional_id(Some(&form.organization))
        .map_err(|()| errors.add("organization", t(Admin::ChooseOrganisation)))
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
            Err(e) => {
                errors.add_app_error(e, &ADMIN_FIELDS.duplicate("email", t(Admin::EmailTaken)))?
            }
        }
    }
    users_page(&state, &viewer, None, &form, Showing::refused(errors)).await
}

async fn user_page(
    state: &AppState,
    viewer: &Viewer,
    id: UserId,
    showing: Showing<'_>,
) -> Result<Response, UiError> {
    let (ok, errors) = (showing.ok, &showing.errors);
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
        div class="page-head" { div { p class="eyebrow" { a href="/admin/users" { (t(Admin::SecPeople)) } } h1 { bdi { (person.name) } } p class="muted" { (person.email) } } }
        (flash(ok))
        (error_box(errors.get("form")))
        form class="form panel" method="post" action={ "/admin/users/" (id) } {
            (csrf_field(viewer))
            (text_input("p-name", "name", t(Admin::Name), "text", &person.name, true, None, errors))
            div class="grid-2" {
                (select("p-role", "role", t(Admin::Role), &role_options(), person.role.as_str(), errors))
                (select("p-org", "organization", t(Admin::Organisation), &orgs, &person.organization_id.map(|o| o.to_string()).unwrap_or_default(), errors))
            }
            (checkbox("p-super", "super_user", t(Admin::SuperUserCheck), person.super_user, None))
            (checkbox("p-active", "active", t(Admin::ActiveCheck), person.active,
                Some(t(Admin::ActiveHint))))
            (text_input("p-password", "password", t(Admin::NewPassword), "password", "", false,
                Some(t(Admin::NewPasswordHint)), errors))
            @if id == viewer.user_id {
                (text_input("p-current-password", "current_password", t(Admin::YourCurrentPassword), "password", "", false,
                    Some(t(Admin::YourCurrentPasswordHint)), errors))
            }
            @if person.role.is_staff() {
                fieldset class="field" {
                    legend { (t(Admin::ResolverGroups)) }
                    @if all_groups.is_empty() { p class="muted" { (t(Admin::NoGroupsYet)) a href="/admin/groups" { (t(Admin::AddOne)) } "." } }
                    @for group in &all_groups {
                        div class="field-check" {
                            label {
                                input type="checkbox" name="group" value=(group.id) checked[member_of.contains(&group.id)];
                                " " bdi { (group.name) } " " span class="muted small" { (tr(Admin::TierLower, &[&group.tier.number()])) }
                            }
                        }
                    }
                }
            }
            div class="form-actions" { button class="button button-primary" type="submit" { (t(Admin::Save)) } }
        }
        (super::person_data::admin_panel(viewer, id))
    };
    Ok(page(
        viewer,
        "/admin/users",
        &person.name,
        showing.status,
        content,
    ))
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
    user_page(&state, &viewer, id, Showing::opened(&query)).await
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
    admin_post(&viewer, value("csrf").unwrap_or(""))?;
    let id = UserId::new(parse_path_id(&id)?);
    let mut errors = FieldErrors::none();
    let name = Name::parse_as("name", value("name").unwrap_or(""))
        .map_err(|e| errors.add("name", sentence(&e.message)))
        .ok();
    let role = Role::parse(value("role").unwrap_or(""))
        .map_err(|_| errors.add("role", t(Admin::ChooseRole)))
        .ok();
    let organization = optional_id(value("organization"))
        .map_err(|()| errors.add("organization", t(Admin::ChooseOrganisation)))
        .ok();
    let wanted_groups: Vec<GroupId> = pairs
        .iter()
        .filter(|(k, _)| k == "group")
        .filter_map(|(_, v)| v.parse().ok().map(GroupId::new))
        .collect();
    if let (Some(name), Some(role), Some(organization)) = (name, role, organization) {
        let update = PersonUpdate {
            name: Some(name.into_string()),
            role: Some(role),
            organization_id: Some(organization.map(OrganizationId::new)),
            super_user: Some(value("super_user").is_some()),
            active: Some(value("active").is_some()),
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
            Err(e @ AppError::Validation(_)) => errors.add_app_error(e, &ADMIN_FIELDS)?,
            Err(AppError::Forbidden(message)) => errors.add("form", sentence(&message)),
            Err(AppError::ReauthenticationRequired(message)) => {
                errors.add("current_password", sentence(&message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    user_page(&state, &viewer, id, Showing::refused(errors)).await
}

pub(crate) fn role_options() -> Vec<(String, String)> {
    [
        ("customer", Admin::RoleOptionCustomer),
        ("agent", Admin::RoleOptionAgent),
        ("lead", Admin::RoleOptionLead),
        ("admin", Admin::RoleOptionAdministrator),
    ]
    .into_iter()
    .map(|(v, l)| (v.to_owned(), t(l).to_owned()))
    .collect()
}

/// A role as the badges show it (`customer`, `agent`, `lead`, `admin`).
pub(crate) fn role_word(role: Role) -> &'static str {
    match role {
        Role::Customer => t(Admin::RoleCustomer),
        Role::Agent => t(Msg::RoleAgent),
        Role::Lead => t(Msg::RoleLead),
        Role::Admin => t(Msg::RoleAdmin),
    }
}

//! Resolver groups, their tiers and members.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing;
use maud::html;
use serde::Deserialize;
use spoc_app::{AppError, GroupInput};
use spoc_domain::org::Tier;
use spoc_domain::text::Name;
use spoc_domain::{GroupId, UserId};

use crate::admin::frame::{
    NameForm, OkQuery, Showing, admin_post, page, parse_path_id, require_admin, saved,
};
use crate::admin::people::role_word;
use crate::forms::{UiForm, optional_id};
use crate::i18n::admin::Admin;
use crate::i18n::{t, tr};
use crate::page::{FieldErrors, checkbox, csrf_field, error_box, flash, select, text_input};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// Groups and their members, under `/admin`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/groups", routing::get(groups).post(create_group))
        .route("/groups/{id}", routing::get(group).post(update_group))
        .route("/groups/{id}/members", routing::post(add_member))
        .route(
            "/groups/{id}/members/{user_id}/remove",
            routing::post(remove_member),
        )
}

fn tier_options() -> Vec<(String, String)> {
    vec![
        ("1".to_owned(), t(Admin::Tier1).to_owned()),
        ("2".to_owned(), t(Admin::Tier2).to_owned()),
        ("3".to_owned(), t(Admin::Tier3).to_owned()),
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
            errors.add("tier", t(Admin::ChooseTier));
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
    form: &NameForm,
    showing: Showing<'_>,
) -> Result<Response, UiError> {
    let (ok, errors) = (showing.ok, &showing.errors);
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
        div class="page-head" { div { h1 { (t(Admin::ResolverGroups)) } p class="muted" { (t(Admin::GroupsIntro)) } } }
        (flash(ok))
        div class="table-wrap" { table class="data cards-on-phone" {
            thead { tr { th scope="col" { (t(Admin::Group)) } th scope="col" { (t(Admin::Tier)) } th scope="col" class="num" { (t(Admin::Members)) } th scope="col" { "" } } }
            tbody {
                @for (group, size) in list.iter().zip(&sizes) {
                    tr {
                        td data-label=(t(Admin::Group)) { a href={ "/admin/groups/" (group.id) } { bdi { (group.name) } } }
                        td data-label=(t(Admin::Tier)) { (tr(Admin::TierNumber, &[&group.tier.number()])) @if group.external_supplier { (t(Admin::ExternalSupplierSuffix)) } }
                        td class="num" data-label=(t(Admin::Members)) { (size) }
                        td data-label="" { @if group.id == default_group.id { span class="badge badge-kind" { (t(Admin::DefaultForNewTickets)) } } }
                    }
                }
            }
        } }
        section class="panel" aria-labelledby="add-group" {
            h2 class="panel-title" id="add-group" { (t(Admin::AddGroup)) }
            form class="form" method="post" action="/admin/groups" {
                (csrf_field(viewer))
                div class="grid-2" {
                    (text_input("g-name", "name", t(Admin::Name), "text", &form.name, true, None, errors))
                    (select("g-tier", "tier", t(Admin::Tier), &tier_options(), if form.tier.is_empty() { "2" } else { &form.tier }, errors))
                }
                (checkbox("g-supplier", "external_supplier", t(Admin::ExternalSupplierCheck), form.external_supplier.is_some(),
                    Some(t(Admin::ExternalSupplierHint))))
                @if let Some(e) = errors.get("external_supplier") { p class="field-error" { (e) } }
                div class="form-actions" { button class="button button-primary" type="submit" { (t(Admin::AddGroupButton)) } }
            }
        }
    };
    Ok(page(
        viewer,
        "/admin/groups",
        t(Admin::SecGroups),
        showing.status,
        content,
    ))
}

pub(crate) async fn groups(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    groups_page(
        &state,
        &viewer,
        &NameForm::default(),
        Showing::opened(&query),
    )
    .await
}

async fn create_group(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<NameForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let mut errors = FieldErrors::none();
    if let Some(input) = group_input(&form, &mut errors) {
        let created = state.app.create_group(&viewer.actor, input).await;
        if let Some(done) = saved(created, &mut errors, |group| {
            format!("/admin/groups/{}?ok=created", group.id)
        })? {
            return Ok(done);
        }
    }
    groups_page(&state, &viewer, &form, Showing::refused(errors)).await
}

async fn group_page(
    state: &AppState,
    viewer: &Viewer,
    id: GroupId,
    form: Option<&NameForm>,
    showing: Showing<'_>,
) -> Result<Response, UiError> {
    let (ok, errors) = (showing.ok, &showing.errors);
    let group = state.app.get_group(&viewer.actor, id).await?;
    let members = state.app.group_members(&viewer.actor, id).await?;
    let candidates: Vec<(String, String)> =
        std::iter::once((String::new(), t(Admin::ChoosePersonOption).to_owned()))
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
                            format!("{} ({})", u.name, role_word(u.role)),
                        )
                    }),
            )
            .collect();
    let name = form.map_or(group.name.clone(), |f| f.name.clone());
    let tier = form.map_or(group.tier.number().to_string(), |f| f.tier.clone());
    let supplier = form.map_or(group.external_supplier, |f| f.external_supplier.is_some());
    let content = html! {
        div class="page-head" { div { p class="eyebrow" { a href="/admin/groups" { (t(Admin::SecGroups)) } } h1 { bdi { (group.name) } } } }
        (flash(ok))
        (error_box(errors.get("form")))
        div class="grid-2 align-start" {
            section class="panel" aria-labelledby="group-settings" {
                h2 class="panel-title" id="group-settings" { (t(Admin::Settings)) }
                form class="form" method="post" action={ "/admin/groups/" (id) } {
                    (csrf_field(viewer))
                    (text_input("g-name", "name", t(Admin::Name), "text", &name, true, None, errors))
                    (select("g-tier", "tier", t(Admin::Tier), &tier_options(), &tier, errors))
                    (checkbox("g-supplier", "external_supplier", t(Admin::ExternalSupplierCheck), supplier, None))
                    @if let Some(e) = errors.get("external_supplier") { p class="field-error" { (e) } }
                    div class="form-actions" { button class="button button-primary" type="submit" { (t(Admin::Save)) } }
                }
            }
            section class="panel stack" aria-labelledby="group-members" {
                h2 class="panel-title" id="group-members" { (t(Admin::Members)) }
                @if members.is_empty() {
                    p class="muted" { (t(Admin::NobodyYet)) }
                } @else {
                    ul class="member-list" {
                        @for member in &members {
                            li class="cluster" {
                                span { bdi { (member.name) } " " span class="badge badge-role" { (role_word(member.role)) } }
                                form method="post" action={ "/admin/groups/" (id) "/members/" (member.id) "/remove" } class="inline" {
                                    (csrf_field(viewer))
                                    button class="button button-small button-quiet" type="submit" aria-label=(tr(Admin::RemoveMember, &[&member.name])) { (t(Admin::Remove)) }
                                }
                            }
                        }
                    }
                }
                form class="form form-inline" method="post" action={ "/admin/groups/" (id) "/members" } {
                    (csrf_field(viewer))
                    (select("m-user", "user", t(Admin::AddMember), &candidates, "", errors))
                    div class="form-actions" { button class="button" type="submit" { (t(Admin::Add)) } }
                }
            }
        }
    };
    Ok(page(
        viewer,
        "/admin/groups",
        &group.name,
        showing.status,
        content,
    ))
}

async fn group(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let id = GroupId::new(parse_path_id(&id)?);
    group_page(&state, &viewer, id, None, Showing::opened(&query)).await
}

async fn update_group(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<NameForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let id = GroupId::new(parse_path_id(&id)?);
    let mut errors = FieldErrors::none();
    if let Some(input) = group_input(&form, &mut errors) {
        let updated = state.app.update_group(&viewer.actor, id, input).await;
        if let Some(done) = saved(updated, &mut errors, |_| {
            format!("/admin/groups/{id}?ok=saved")
        })? {
            return Ok(done);
        }
    }
    group_page(&state, &viewer, id, Some(&form), Showing::refused(errors)).await
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
    admin_post(&viewer, &form.csrf)?;
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
        _ => errors.add("user", t(Admin::ChoosePersonToAdd)),
    }
    group_page(&state, &viewer, id, None, Showing::refused(errors)).await
}

async fn remove_member(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, user)): Path<(String, String)>,
    UiForm(form): UiForm<MemberForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let id = GroupId::new(parse_path_id(&id)?);
    let user = UserId::new(parse_path_id(&user)?);
    state
        .app
        .remove_group_member(&viewer.actor, id, user)
        .await?;
    Ok(Redirect::to(&format!("/admin/groups/{id}?ok=saved")).into_response())
}

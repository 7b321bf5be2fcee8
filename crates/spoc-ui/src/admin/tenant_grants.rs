//! The grants section of a client tenant's page (`/admin/tenants/{id}`, the provider's admins
//! only): which provider groups and agents work this tenant's tickets, of which of its groups,
//! with a form to add a grant and a button to remove each. The app decides who may, as for
//! `/api/v1/tenants/{id}/grants`.

use maud::{Markup, html};
use spoc_app::{AppError, Grantee, Tenant};
use spoc_domain::{GroupId, UserId};

use crate::admin::frame::TENANTS_PATH;
use crate::i18n::t;
use crate::i18n::tenants::Tenants;
use crate::page::{FieldErrors, csrf_field};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// The section, for the provider's admins on a client tenant's page.
pub(crate) async fn section(
    state: &AppState,
    viewer: &Viewer,
    tenant: &Tenant,
    errors: &FieldErrors,
) -> Result<Markup, UiError> {
    let app = &state.app;
    let grants = app.list_grants(&viewer.actor, tenant.id).await?;
    let theirs = app.grant_groups(&viewer.actor, tenant.id).await?;
    let groups = app.list_groups(&viewer.actor).await?;
    let people: Vec<_> = app
        .list_users(&viewer.actor, None, 500)
        .await?
        .into_iter()
        .filter(|p| p.role.is_staff() && p.active)
        .collect();
    let who = |grantee: Grantee| match grantee {
        Grantee::Group(id) => groups
            .iter()
            .find(|g| g.id == id)
            .map_or_else(|| id.to_string(), |g| g.name.clone()),
        Grantee::User(id) => people
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| id.to_string(), |p| p.name.clone()),
    };
    let group_name = |id: GroupId| {
        theirs
            .iter()
            .find(|g| g.id == id)
            .map_or_else(|| id.to_string(), |g| g.name.clone())
    };
    let action = format!("{TENANTS_PATH}/{}/grants", tenant.id);
    Ok(html! {
        section class="panel" aria-labelledby="tenant-grants" {
            h2 class="panel-title" id="tenant-grants" { (t(Tenants::GrantsTitle)) }
            p class="muted" { (t(Tenants::GrantsIntro)) }
            @if grants.is_empty() {
                p { (t(Tenants::GrantsNone)) }
            } @else {
                div class="table-wrap" { table class="data grants cards-on-phone" {
                    caption class="visually-hidden" { (t(Tenants::GrantsTitle)) }
                    thead { tr {
                        th scope="col" { (t(Tenants::GrantWho)) }
                        th scope="col" { (t(Tenants::GrantGroups)) }
                        th scope="col" { span class="visually-hidden" { (t(Tenants::GrantRemove)) } }
                    } }
                    tbody {
                        @for grant in &grants {
                            tr {
                                td class="break" data-label=(t(Tenants::GrantWho)) {
                                    bdi { (who(grant.grantee)) }
                                    " "
                                    span class="muted" { "(" (match grant.grantee { Grantee::Group(_) => t(Tenants::GrantKindGroup), Grantee::User(_) => t(Tenants::GrantKindAgent) }) ")" }
                                }
                                td class="break" data-label=(t(Tenants::GrantGroups)) { bdi { (grant.group_ids.iter().map(|g| group_name(*g)).collect::<Vec<_>>().join(", ")) } }
                                td data-label=(t(Tenants::GrantRemove)) {
                                    form method="post" action={ (action) "/" (grant.id) "/delete" } {
                                        (csrf_field(viewer))
                                        button class="button" type="submit" { (t(Tenants::GrantRemove)) }
                                    }
                                }
                            }
                        }
                    }
                } }
            }
            h3 { (t(Tenants::GrantAdd)) }
            form class="form" method="post" action=(action) {
                (csrf_field(viewer))
                div.field.has-error[errors.get("grantee").is_some()] {
                    label for="grant-grantee" { (t(Tenants::GrantWho)) }
                    select id="grant-grantee" name="grantee" required {
                        optgroup label=(t(Tenants::GrantProviderGroups)) {
                            @for group in &groups {
                                option value={ "group:" (group.id) } { (group.name) }
                            }
                        }
                        optgroup label=(t(Tenants::GrantProviderAgents)) {
                            @for person in &people {
                                option value={ "user:" (person.id) } { (person.name) }
                            }
                        }
                    }
                    @if let Some(error) = errors.get("grantee") { p class="field-error" { (error) } }
                }
                fieldset.field.has-error[errors.get("grant_groups").is_some()] {
                    legend { (t(Tenants::GrantGroups)) }
                    @for group in &theirs {
                        div class="field field-check" {
                            label class="break" for={ "grant-group-" (group.id) } {
                                input id={ "grant-group-" (group.id) } type="checkbox" name="group" value=(group.id);
                                " " (group.name)
                            }
                        }
                    }
                    @if let Some(error) = errors.get("grant_groups") { p class="field-error" { (error) } }
                }
                div class="form-actions" { button class="button button-primary" type="submit" { (t(Tenants::GrantAdd)) } }
            }
        }
    })
}

/// The grant a submitted form names: who, and which of the tenant's groups; what is missing is
/// noted beside its field.
pub(crate) fn parse_grant(
    pairs: &[(String, String)],
    errors: &mut FieldErrors,
) -> Option<(Grantee, Vec<GroupId>)> {
    let grantee = pairs
        .iter()
        .find(|(k, _)| k == "grantee")
        .and_then(|(_, v)| match v.split_once(':') {
            Some(("group", n)) => n.parse().ok().map(|n| Grantee::Group(GroupId::new(n))),
            Some(("user", n)) => n.parse().ok().map(|n| Grantee::User(UserId::new(n))),
            _ => None,
        });
    let groups: Vec<GroupId> = pairs
        .iter()
        .filter(|(k, _)| k == "group")
        .filter_map(|(_, v)| v.parse().ok().map(GroupId::new))
        .collect();
    if grantee.is_none() {
        errors.add("grantee", t(Tenants::GrantChooseWho));
    }
    if groups.is_empty() {
        errors.add("grant_groups", t(Tenants::GrantChooseGroups));
    }
    grantee.filter(|_| !groups.is_empty()).map(|g| (g, groups))
}

/// Shows the app's refusal of a grant beside its field, or gives it back as an error page.
pub(crate) fn grant_refusal(errors: &mut FieldErrors, error: AppError) -> Result<(), UiError> {
    match error {
        AppError::Validation(e) => {
            let field = if e.field == "group_ids" {
                "grant_groups"
            } else {
                "grantee"
            };
            errors.add(field, sentence(&e.message));
            Ok(())
        }
        other => Err(other.into()),
    }
}

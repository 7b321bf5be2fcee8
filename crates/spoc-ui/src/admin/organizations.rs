//! Organisations and the e-mail domains that map senders to them.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing;
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::AppError;
use spoc_domain::OrganizationId;
use spoc_domain::text::Name;

use crate::admin::frame::{
    NameForm, OkQuery, Showing, admin_post, page, parse_path_id, require_admin, saved,
};
use crate::forms::UiForm;
use crate::i18n::admin::Admin;
use crate::i18n::{t, tr};
use crate::page::{FieldErrors, csrf_field, empty_state, flash, text_input};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

/// Organisations, under `/admin`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/organizations",
            routing::get(organizations).post(create_organization),
        )
        .route("/organizations/{id}/domains", routing::post(save_domains))
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
    form: &NameForm,
    domains_typed: Option<&DomainsTyped>,
    showing: Showing<'_>,
) -> Result<Response, UiError> {
    let (ok, errors) = (showing.ok, &showing.errors);
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
        div class="page-head" { div { h1 { (t(Admin::SecOrganizations)) } p class="muted" { (t(Admin::OrganisationsIntro)) } } }
        (flash(ok))
        @if list.is_empty() {
            (empty_state(t(Admin::NoOrganisations), t(Admin::NoOrganisationsText), None))
        } @else {
            div class="table-wrap" { table class="data organizations cards-on-phone" {
                thead { tr { th scope="col" { (t(Admin::Name)) } th scope="col" class="num" { (t(Admin::Id)) } th scope="col" { (t(Admin::EmailDomains)) } } }
                tbody {
                    @for (org, (text, error)) in &rows {
                        tr {
                            td data-label=(t(Admin::Name)) { bdi { (org.name) } }
                            td class="num" data-label=(t(Admin::Id)) { (org.id) }
                            td data-label=(t(Admin::EmailDomains)) { (domains_form(viewer, org.id, &org.name, text, *error)) }
                        }
                    }
                }
            } }
            p class="muted small" { (t(Admin::DomainsExplained)) }
        }
        section class="panel" aria-labelledby="add-org" {
            h2 class="panel-title" id="add-org" { (t(Admin::AddOrganisation)) }
            form class="form form-inline" method="post" action="/admin/organizations" {
                (csrf_field(viewer))
                (text_input("o-name", "name", t(Admin::Name), "text", &form.name, true, None, errors))
                div class="form-actions" { button class="button button-primary" type="submit" { (t(Admin::Add)) } }
            }
        }
    };
    Ok(page(
        viewer,
        "/admin/organizations",
        t(Admin::SecOrganizations),
        showing.status,
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
                label class="visually-hidden" for=(field_id) { (tr(Admin::DomainsOf, &[&name])) }
                div class="input-with-button" {
                    // i18n: not text (the placeholder shows domains)
                    input id=(field_id) name="domains" type="text" value=(text) placeholder="example.com, example.org"
                        autocomplete="off" spellcheck="false"
                        aria-invalid=[error.map(|_| "true")]
                        aria-describedby=[error.map(|_| format!("{field_id}-error"))];
                    button class="button button-small" type="submit" { (t(Admin::Save)) }
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
        &NameForm::default(),
        None,
        Showing::opened(&query),
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
    admin_post(&viewer, &form.csrf)?;
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
        &NameForm::default(),
        Some(&typed),
        Showing::refused(FieldErrors::none()),
    )
    .await
}

async fn create_organization(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<NameForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let mut errors = FieldErrors::none();
    match Name::parse_as("name", &form.name) {
        Ok(name) => {
            let created = state.app.create_organization(&viewer.actor, name).await;
            if let Some(done) = saved(created, &mut errors, |_| {
                "/admin/organizations?ok=created".to_owned()
            })? {
                return Ok(done);
            }
        }
        Err(e) => errors.add("name", sentence(&e.message)),
    }
    organizations_page(&state, &viewer, &form, None, Showing::refused(errors)).await
}

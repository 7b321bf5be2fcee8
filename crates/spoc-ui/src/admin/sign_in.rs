//! `/admin/sign-in`: the tenant's identity providers (OpenID Connect) — the list, adding one
//! with its claim rules, removing one. Changing one is done through the API
//! (`PATCH /api/v1/oidc-providers/{id}`).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing;
use maud::html;
use serde::Deserialize;
use spoc_app::{GroupRule, OidcProviderChange, RoleRule};
use spoc_domain::user::Role;

use crate::admin::frame::{OkQuery, Showing, admin_post, page, parse_path_id, require_admin};
use crate::admin::people::role_options;
use crate::forms::{FieldMap, UiForm};
use crate::i18n::oidc::SignInAdmin;
use crate::i18n::{t, tr};
use crate::page::{
    FieldErrors, checkbox, csrf_field, empty_state, field, flash, select, text_input,
};
use crate::session::{UiError, Viewer};
use spoc_http::AppState;

/// The page's address.
pub(crate) const PATH: &str = "/admin/sign-in";

/// Identity providers, under `/admin`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in", routing::get(providers).post(create))
        .route("/sign-in/{id}/delete", routing::post(remove))
}

/// The form to add a provider, as typed.
#[derive(Clone, Debug, Deserialize)]
pub struct ProviderForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    scopes: String,
    #[serde(default)]
    claim: String,
    #[serde(default)]
    role_rules: String,
    #[serde(default)]
    group_rules: String,
    #[serde(default)]
    jit: Option<String>,
    #[serde(default)]
    default_role: String,
    #[serde(default)]
    enabled: Option<String>,
}

impl Default for ProviderForm {
    fn default() -> Self {
        Self {
            csrf: String::new(),
            slug: String::new(),
            display_name: String::new(),
            issuer: String::new(),
            client_id: String::new(),
            client_secret: String::new(),
            scopes: "openid email profile".to_owned(), // i18n: not text (the scopes asked for)
            claim: String::new(),
            role_rules: String::new(),
            group_rules: String::new(),
            jit: None,
            default_role: "customer".to_owned(),
            enabled: Some("on".to_owned()),
        }
    }
}

/// A multi-line field with its label, hint and error.
fn text_area(
    id: &str,
    name: &str,
    label: &str,
    hint: &str,
    value: &str,
    errors: &FieldErrors,
) -> maud::Markup {
    let error = errors.get(name);
    field(
        id,
        label,
        Some(hint),
        error,
        html! {
            textarea id=(id) name=(name) rows="3" spellcheck="false"
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=(crate::page::described_by(id, true, error.is_some()).unwrap_or_default()) { (value) }
        },
    )
}

async fn providers_page(
    state: &AppState,
    viewer: &Viewer,
    form: &ProviderForm,
    showing: Showing<'_>,
) -> Result<Response, UiError> {
    let errors = &showing.errors;
    let list = state.app.list_oidc_providers(&viewer.actor).await?;
    let slug = if form.slug.is_empty() {
        "…"
    } else {
        form.slug.as_str()
    };
    let redirect = state.app.oidc_redirect_uri(slug, "");
    let content = html! {
        div class="page-head" { div { h1 { (t(SignInAdmin::Title)) } p class="muted" { (t(SignInAdmin::Intro)) } } }
        (flash(showing.ok))
        @if list.is_empty() {
            (empty_state(t(SignInAdmin::NoneYet), t(SignInAdmin::NoneYetText), None))
        } @else {
            div class="table-wrap" { table class="data cards-on-phone" {
                thead { tr {
                    th scope="col" { (t(SignInAdmin::Name)) }
                    th scope="col" { (t(SignInAdmin::Slug)) }
                    th scope="col" { (t(SignInAdmin::Issuer)) }
                    th scope="col" { (t(SignInAdmin::Status)) }
                    th scope="col" { span class="visually-hidden" { (t(SignInAdmin::Remove)) } }
                } }
                tbody {
                    @for provider in &list {
                        tr {
                            td data-label=(t(SignInAdmin::Name)) { bdi { (provider.display_name) } }
                            td data-label=(t(SignInAdmin::Slug)) { code { (provider.slug) } }
                            td data-label=(t(SignInAdmin::Issuer)) { bdi { (provider.issuer) } }
                            td data-label=(t(SignInAdmin::Status)) {
                                (if provider.enabled { t(SignInAdmin::On) } else { t(SignInAdmin::Off) })
                            }
                            td {
                                form method="post" action={ (PATH) "/" (provider.id) "/delete" } {
                                    (csrf_field(viewer))
                                    button class="button button-small" type="submit"
                                        aria-label=(tr(SignInAdmin::RemoveLabel, &[&provider.display_name])) { (t(SignInAdmin::Remove)) }
                                }
                            }
                        }
                    }
                }
            } }
        }
        section class="panel" aria-labelledby="add-provider" {
            h2 class="panel-title" id="add-provider" { (t(SignInAdmin::AddTitle)) }
            form class="form" method="post" action=(PATH) {
                (csrf_field(viewer))
                (text_input("p-name", "display_name", t(SignInAdmin::Name), "text", &form.display_name, true, None, errors))
                (text_input("p-slug", "slug", t(SignInAdmin::Slug), "text", &form.slug, true, Some(t(SignInAdmin::SlugHint)), errors))
                p class="small muted" { (tr(SignInAdmin::Redirect, &[&redirect])) }
                (text_input("p-issuer", "issuer", t(SignInAdmin::Issuer), "url", &form.issuer, true, None, errors))
                (text_input("p-client", "client_id", t(SignInAdmin::ClientId), "text", &form.client_id, true, None, errors))
                (text_input("p-secret", "client_secret", t(SignInAdmin::ClientSecret), "password", "", true, Some(t(SignInAdmin::ClientSecretHint)), errors))
                (text_input("p-scopes", "scopes", t(SignInAdmin::Scopes), "text", &form.scopes, false, None, errors))
                (text_input("p-claim", "claim", t(SignInAdmin::Claim), "text", &form.claim, false, Some(t(SignInAdmin::ClaimHint)), errors))
                (text_area("p-roles", "role_rules", t(SignInAdmin::RoleRules), t(SignInAdmin::RoleRulesHint), &form.role_rules, errors))
                (text_area("p-groups", "group_rules", t(SignInAdmin::GroupRules), t(SignInAdmin::GroupRulesHint), &form.group_rules, errors))
                (checkbox("p-jit", "jit", t(SignInAdmin::Jit), form.jit.is_some(), None))
                (select("p-role", "default_role", t(SignInAdmin::DefaultRole), &role_options(), &form.default_role, errors))
                (checkbox("p-enabled", "enabled", t(SignInAdmin::Enabled), form.enabled.is_some(), None))
                div class="form-actions" { button class="button button-primary" type="submit" { (t(SignInAdmin::Add)) } }
            }
        }
    };
    Ok(page(
        viewer,
        PATH,
        t(SignInAdmin::Title),
        showing.status,
        content,
    ))
}

async fn providers(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    providers_page(
        &state,
        &viewer,
        &ProviderForm::default(),
        Showing::opened(&query),
    )
    .await
}

/// The lines `value = right side` of a rules field; `None` if one is not written so.
fn rule_lines(text: &str) -> Option<Vec<(String, String)>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (value, right) = line.split_once('=')?;
            let (value, right) = (value.trim(), right.trim());
            (!value.is_empty() && !right.is_empty()).then(|| (value.to_owned(), right.to_owned()))
        })
        .collect()
}

/// `POST /admin/sign-in`.
async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<ProviderForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let mut errors = FieldErrors::none();
    let role_rules: Option<Vec<RoleRule>> = rule_lines(&form.role_rules).and_then(|lines| {
        lines
            .into_iter()
            .map(|(value, role)| Role::parse(&role).ok().map(|role| RoleRule { value, role }))
            .collect()
    });
    if role_rules.is_none() {
        errors.add("role_rules", t(SignInAdmin::BadRule));
    }
    let groups = state.app.list_groups(&viewer.actor).await?;
    let group_rules: Option<Vec<GroupRule>> = rule_lines(&form.group_rules).and_then(|lines| {
        lines
            .into_iter()
            .map(|(value, name)| {
                groups.iter().find(|g| g.name == name).map(|g| GroupRule {
                    value,
                    group_id: g.id,
                })
            })
            .collect()
    });
    if group_rules.is_none() {
        errors.add("group_rules", t(SignInAdmin::BadGroupRule));
    }
    if errors.is_empty() {
        let change = OidcProviderChange {
            slug: Some(form.slug.trim().to_owned()),
            display_name: Some(form.display_name.clone()),
            issuer: Some(form.issuer.trim().to_owned()),
            client_id: Some(form.client_id.trim().to_owned()),
            client_secret: Some(form.client_secret.clone()),
            scopes: Some(form.scopes.split_whitespace().map(str::to_owned).collect()),
            claim: Some(Some(form.claim.trim().to_owned()).filter(|c| !c.is_empty())),
            role_rules,
            group_rules,
            jit: Some(form.jit.is_some()),
            default_role: Some(Role::parse(&form.default_role).unwrap_or(Role::Customer)),
            enabled: Some(form.enabled.is_some()),
        };
        match state.app.create_oidc_provider(&viewer.actor, change).await {
            Ok(_) => return Ok(Redirect::to(&format!("{PATH}?ok=saved")).into_response()),
            Err(error) => {
                let map = FieldMap::new(&[]).duplicate("slug", t(SignInAdmin::SlugTaken));
                errors.add_app_error(error, &map)?;
            }
        }
    }
    providers_page(&state, &viewer, &form, Showing::refused(errors)).await
}

/// The form of a removal.
#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /admin/sign-in/{id}/delete`.
async fn remove(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<RemoveForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let id = parse_path_id(&id)?;
    state.app.delete_oidc_provider(&viewer.actor, id).await?;
    Ok(Redirect::to(&format!("{PATH}?ok=deleted")).into_response())
}

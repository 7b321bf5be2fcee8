//! Tenants (`/admin/tenants`): the provider's admins list, add and change the client companies
//! the desk serves (name, slug, host name, colours, logo, active). Linked from the setup
//! navigation only for the provider's admins of a desk with more than one tenant; a tenant's
//! own admins may open their own tenant's page to change its brand. The app decides who may do
//! what, as for the API.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing;
use maud::{Markup, html};
use serde::Deserialize;
use spoc_app::{AppError, CreatedTenant, FirstAdmin, Tenant, TenantInput, TenantPatch};
use spoc_domain::TenantId;
use spoc_domain::tenant::{Colour, HostName, Slug};
use spoc_domain::text::{Email, Name};

use crate::admin::frame::{OkQuery, TENANTS_PATH, admin_post, page, parse_path_id, require_admin};
use crate::admin::tenant_grants;
use crate::forms::UiForm;
use crate::i18n::t;
use crate::i18n::tenants::Tenants;
use crate::page::{
    FieldErrors, checkbox, csrf_field, described_by, empty_state, field, text_input,
};
use crate::session::{UiError, Viewer, sentence};
use crate::upload::UiUpload;
use spoc_http::AppState;

/// The list's address.
const PATH: &str = TENANTS_PATH;

/// Tenants, under `/admin`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/tenants", routing::get(list).post(create))
        .route("/tenants/{id}", routing::get(edit).post(save))
        .route("/tenants/{id}/logo", routing::post(upload_logo))
        .route("/tenants/{id}/mail-addresses", routing::post(save_mail))
        .route("/tenants/{id}/grants", routing::post(add_grant))
        .route(
            "/tenants/{id}/grants/{grant}/delete",
            routing::post(remove_grant),
        )
        .route("/tenants/{id}/logo/remove", routing::post(remove_logo))
}

/// A tenant's mail addresses, as submitted: one per line.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct MailForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    addresses: String,
}

/// The note of a removed logo (`?ok=`).
const LOGO_REMOVED: &str = "logo-removed";

/// A form with only its CSRF token.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct TokenForm {
    #[serde(default)]
    csrf: String,
}

/// A tenant's fields, as submitted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct TenantForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    host: String,
    #[serde(default)]
    primary_colour: String,
    #[serde(default)]
    accent_colour: String,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    admin_email: String,
    #[serde(default)]
    admin_name: String,
}

impl TenantForm {
    fn of(tenant: &Tenant) -> Self {
        Self {
            name: tenant.name.clone(),
            slug: tenant.slug.clone(),
            host: tenant.host.clone().unwrap_or_default(),
            primary_colour: tenant.primary_colour.clone().unwrap_or_default(),
            accent_colour: tenant.accent_colour.clone().unwrap_or_default(),
            active: tenant.active.then(|| "on".to_owned()),
            ..Self::default()
        }
    }
}

/// An optional field: empty is none.
fn optional<T>(
    value: &str,
    parse: impl FnOnce(&str) -> Result<T, spoc_domain::ValidationError>,
) -> Result<Option<T>, spoc_domain::ValidationError> {
    let value = value.trim();
    if value.is_empty() {
        Ok(None)
    } else {
        parse(value).map(Some)
    }
}

/// Shows an app refusal beside its field, or gives it back as an error page.
fn refusal(errors: &mut FieldErrors, error: AppError) -> Result<(), UiError> {
    match error {
        AppError::Validation(e) => {
            let field = match e.field {
                "email" => "admin_email",
                other => other,
            };
            errors.add(field, sentence(&e.message));
        }
        AppError::Duplicate(message) => {
            let field = if message.contains("slug") {
                "slug"
            } else if message.contains("host") {
                "host"
            } else {
                "name"
            };
            errors.add(field, t(Tenants::Taken));
        }
        other => return Err(other.into()),
    }
    Ok(())
}

fn tenant_fields(form: &TenantForm, errors: &FieldErrors, provider: bool, prefix: &str) -> Markup {
    let id = |name: &str| format!("{prefix}-{name}");
    html! {
        (text_input(&id("name"), "name", t(Tenants::Name), "text", &form.name, true, None, errors))
        @if provider {
            (text_input(&id("slug"), "slug", t(Tenants::Slug), "text", &form.slug, true, Some(t(Tenants::SlugHint)), errors))
            (text_input(&id("host"), "host", t(Tenants::Host), "text", &form.host, false, Some(t(Tenants::HostHint)), errors))
        }
        (text_input(&id("primary_colour"), "primary_colour", t(Tenants::PrimaryColour), "text", &form.primary_colour, false, Some(t(Tenants::ColourHint)), errors))
        (text_input(&id("accent_colour"), "accent_colour", t(Tenants::AccentColour), "text", &form.accent_colour, false, Some(t(Tenants::ColourHint)), errors))
    }
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    form: &TenantForm,
    errors: &FieldErrors,
    created: Option<&CreatedTenant>,
    status: StatusCode,
) -> Result<Response, UiError> {
    let tenants = state.app.list_tenants(&viewer.actor).await?;
    let provider = spoc_app::is_provider_admin(&viewer.actor);
    let content = html! {
        div class="page-head" { div { h1 { (t(Tenants::Section)) } p class="muted" { (t(Tenants::Intro)) } } }
        @if let Some(created) = created {
            div class="flash flash-success" role="status" {
                p { (t(Tenants::Created)) }
                @if let Some(path) = &created.set_password_path {
                    p { (t(Tenants::SetPasswordLink)) }
                    p class="break" { a href=(path) { code { (path) } } }
                }
            }
        }
        @if tenants.is_empty() {
            (empty_state(t(Tenants::Section), t(Tenants::Intro), None))
        } @else {
            div class="table-wrap" { table class="data tenants cards-on-phone" {
                thead { tr {
                    th scope="col" { (t(Tenants::Name)) }
                    th scope="col" { (t(Tenants::Address)) }
                    th scope="col" { (t(Tenants::Status)) }
                } }
                tbody {
                    @for tenant in &tenants {
                        tr {
                            td data-label=(t(Tenants::Name)) { a href={ (PATH) "/" (tenant.id) } { bdi { (tenant.name) } } }
                            td class="break" data-label=(t(Tenants::Address)) {
                                code { "/t/" (tenant.slug) } // i18n: not text
                                @if let Some(host) = &tenant.host { br; code { (host) } }
                            }
                            td data-label=(t(Tenants::Status)) {
                                (if tenant.active { t(Tenants::IsActive) } else { t(Tenants::IsInactive) })
                            }
                        }
                    }
                }
            } }
        }
        @if provider {
            section class="panel" aria-labelledby="add-tenant" {
                h2 class="panel-title" id="add-tenant" { (t(Tenants::AddTenant)) }
                form class="form" method="post" action=(PATH) {
                    (csrf_field(viewer))
                    (tenant_fields(form, errors, true, "new"))
                    (text_input("new-admin_email", "admin_email", t(Tenants::FirstAdminEmail), "email", &form.admin_email, false, None, errors))
                    (text_input("new-admin_name", "admin_name", t(Tenants::FirstAdminName), "text", &form.admin_name, false, None, errors))
                    div class="form-actions" { button class="button button-primary" type="submit" { (t(Tenants::Add)) } }
                }
            }
        }
    };
    Ok(page(viewer, PATH, t(Tenants::Section), status, content))
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    list_page(
        &state,
        &viewer,
        &TenantForm::default(),
        &FieldErrors::none(),
        None,
        StatusCode::OK,
    )
    .await
}

/// The value of a parsed field, or `None` with its refusal beside the field.
fn checked<T>(
    errors: &mut FieldErrors,
    field: &str,
    result: Result<T, spoc_domain::ValidationError>,
) -> Option<T> {
    result
        .map_err(|e| errors.add(field, sentence(&e.message)))
        .ok()
}

fn parse_input(form: &TenantForm, errors: &mut FieldErrors) -> Option<TenantInput> {
    let name = checked(errors, "name", Name::parse_as("name", &form.name));
    let slug = checked(errors, "slug", Slug::parse(&form.slug));
    let host = checked(errors, "host", optional(&form.host, HostName::parse));
    let primary_colour = checked(
        errors,
        "primary_colour",
        optional(&form.primary_colour, |c| Colour::parse("primary_colour", c)),
    );
    let accent_colour = checked(
        errors,
        "accent_colour",
        optional(&form.accent_colour, |c| Colour::parse("accent_colour", c)),
    );
    let email = checked(
        errors,
        "admin_email",
        optional(&form.admin_email, Email::parse),
    );
    let admin_name = checked(
        errors,
        "admin_name",
        optional(&form.admin_name, |n| Name::parse_as("name", n)),
    );
    let admin = match (email?, admin_name?) {
        (Some(email), Some(name)) => Some(FirstAdmin { email, name }),
        (Some(_), None) => {
            errors.add("admin_name", t(Tenants::AdminNameNeeded));
            return None;
        }
        _ => None,
    };
    Some(TenantInput {
        name: name?,
        slug: slug?,
        host: host?,
        primary_colour: primary_colour?,
        accent_colour: accent_colour?,
        admin,
    })
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(form): UiForm<TenantForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let mut errors = FieldErrors::none();
    if let Some(input) = parse_input(&form, &mut errors)
        && errors.is_empty()
    {
        match state.app.create_tenant(&viewer.actor, input).await {
            Ok(created) => {
                return list_page(
                    &state,
                    &viewer,
                    &TenantForm::default(),
                    &errors,
                    Some(&created),
                    StatusCode::CREATED,
                )
                .await;
            }
            Err(e) => refusal(&mut errors, e)?,
        }
    }
    list_page(
        &state,
        &viewer,
        &form,
        &errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// What a tenant's page shows again after a refused form: the brand form or the mail addresses
/// as submitted.
#[derive(Clone, Copy)]
enum Submitted<'a> {
    Nothing,
    Brand(&'a TenantForm),
    Mail(&'a str),
}

async fn edit_page(
    state: &AppState,
    viewer: &Viewer,
    id: TenantId,
    submitted: Submitted<'_>,
    errors: &FieldErrors,
    ok: Option<&str>,
    status: StatusCode,
) -> Result<Response, UiError> {
    let tenant = state.app.get_tenant(&viewer.actor, id).await?;
    let addresses = state.app.tenant_mail_addresses(&viewer.actor, id).await?;
    let provider = spoc_app::is_provider_admin(&viewer.actor);
    let (form, mail) = match submitted {
        Submitted::Brand(form) => (form.clone(), None),
        Submitted::Mail(mail) => (TenantForm::of(&tenant), Some(mail)),
        Submitted::Nothing => (TenantForm::of(&tenant), None),
    };
    let action = format!("{PATH}/{}", tenant.id);
    let grants = if provider && tenant.id != TenantId::FIRST {
        Some(tenant_grants::section(state, viewer, &tenant, errors).await?)
    } else {
        None
    };
    let content = html! {
        div class="page-head" { div { h1 { bdi { (tenant.name) } } p class="muted" { code { "/t/" (tenant.slug) } } } } // i18n: not text
        @if ok.is_some_and(|ok| ok != LOGO_REMOVED) {
            div class="flash flash-success" role="status" { (t(Tenants::Saved)) }
        }
        section class="panel" aria-labelledby="tenant-brand" {
            h2 class="panel-title" id="tenant-brand" { (t(Tenants::Brand)) }
            form class="form" method="post" action=(action) {
                (csrf_field(viewer))
                (tenant_fields(&form, errors, provider, "edit"))
                @if provider && tenant.id != TenantId::FIRST {
                    (checkbox("edit-active", "active", t(Tenants::Active), form.active.is_some(), None))
                }
                div class="form-actions" { button class="button button-primary" type="submit" { (t(Tenants::Save)) } }
            }
        }
        section class="panel" aria-labelledby="tenant-logo" {
            h2 class="panel-title" id="tenant-logo" { (t(Tenants::Logo)) }
            @if ok == Some(LOGO_REMOVED) {
                div class="flash flash-success" role="status" { (t(Tenants::LogoRemoved)) }
            }
            @if tenant.has_logo {
                p { img class="tenant-logo" src={ "/t/" (tenant.slug) "/logo?v=" (tenant.logo_version) } alt=(t(Tenants::CurrentLogo)) height="48"; }
                form class="form" method="post" action={ (action) "/logo/remove" } {
                    (csrf_field(viewer))
                    div class="form-actions" { button class="button button-danger" type="submit" { (t(Tenants::RemoveLogo)) } }
                }
            }
            form class="form" method="post" action={ (action) "/logo" } enctype="multipart/form-data" {
                (csrf_field(viewer))
                div.field.has-error[errors.get("logo").is_some()] {
                    label for="edit-logo" { (t(Tenants::Logo)) }
                    input id="edit-logo" name="logo" type="file" accept="image/png,image/jpeg,image/webp"
                        aria-describedby="edit-logo-hint";
                    p class="hint" id="edit-logo-hint" { (t(Tenants::LogoHint)) }
                    @if let Some(error) = errors.get("logo") { p class="field-error" { (error) } }
                }
                div class="form-actions" { button class="button" type="submit" { (t(Tenants::Upload)) } }
            }
        }
        (mail_section(viewer, &action, provider, &addresses, mail, errors))
        @if let Some(grants) = grants { (grants) }
    };
    Ok(page(viewer, PATH, &tenant.name, status, content))
}

/// The tenant's mail addresses: a form for the provider's admins, a list for the tenant's own.
fn mail_section(
    viewer: &Viewer,
    action: &str,
    provider: bool,
    addresses: &[String],
    submitted: Option<&str>,
    errors: &FieldErrors,
) -> Markup {
    let id = "edit-mail-addresses";
    let error = errors.get("addresses");
    let value = submitted.map_or_else(|| addresses.join("\n"), str::to_owned);
    html! {
        section class="panel" aria-labelledby="tenant-mail" {
            h2 class="panel-title" id="tenant-mail" { (t(Tenants::MailAddresses)) }
            p class="muted" { (t(Tenants::MailIntro)) }
            @if provider {
                form class="form" method="post" action={ (action) "/mail-addresses" } {
                    (csrf_field(viewer))
                    (field(id, t(Tenants::MailAddresses), Some(t(Tenants::MailHint)), error, html! {
                        textarea id=(id) name="addresses" rows="4" class="mono" spellcheck="false"
                            aria-invalid=[error.map(|_| "true")]
                            aria-describedby=[described_by(id, true, error.is_some())] { (value) }
                    }))
                    div class="form-actions" { button class="button button-primary" type="submit" { (t(Tenants::Save)) } }
                }
            } @else if addresses.is_empty() {
                p { (t(Tenants::NoMailAddresses)) }
            } @else {
                ul class="plain-list" { @for address in addresses { li { code { (address) } } } }
                p class="hint" { (t(Tenants::MailByProvider)) }
            }
        }
    }
}

async fn save_mail(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<MailForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let id = tenant_path(&id)?;
    let addresses: Vec<String> = form
        .addresses
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    let mut errors = FieldErrors::none();
    match state
        .app
        .set_tenant_mail_addresses(&viewer.actor, id, &addresses)
        .await
    {
        Ok(_) => {
            return Ok(Redirect::to(&format!("{PATH}/{}?ok=saved", id.get())).into_response());
        }
        Err(AppError::Validation(e)) => errors.add("addresses", sentence(&e.message)),
        Err(AppError::Duplicate(message)) => errors.add("addresses", sentence(&message)),
        Err(other) => return Err(other.into()),
    }
    edit_page(
        &state,
        &viewer,
        id,
        Submitted::Mail(&form.addresses),
        &errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

fn tenant_path(id: &str) -> Result<TenantId, UiError> {
    Ok(TenantId::new(parse_path_id(id)?))
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<OkQuery>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let id = tenant_path(&id)?;
    edit_page(
        &state,
        &viewer,
        id,
        Submitted::Nothing,
        &FieldErrors::none(),
        query.ok.as_deref(),
        StatusCode::OK,
    )
    .await
}

fn parse_patch(form: &TenantForm, provider: bool, errors: &mut FieldErrors) -> TenantPatch {
    let mut patch = TenantPatch::default();
    match Name::parse_as("name", &form.name) {
        Ok(name) => patch.name = Some(name),
        Err(e) => errors.add("name", sentence(&e.message)),
    }
    match optional(&form.primary_colour, |c| Colour::parse("primary_colour", c)) {
        Ok(colour) => patch.primary_colour = Some(colour),
        Err(e) => errors.add("primary_colour", sentence(&e.message)),
    }
    match optional(&form.accent_colour, |c| Colour::parse("accent_colour", c)) {
        Ok(colour) => patch.accent_colour = Some(colour),
        Err(e) => errors.add("accent_colour", sentence(&e.message)),
    }
    if provider {
        match Slug::parse(&form.slug) {
            Ok(slug) => patch.slug = Some(slug),
            Err(e) => errors.add("slug", sentence(&e.message)),
        }
        match optional(&form.host, HostName::parse) {
            Ok(host) => patch.host = Some(host),
            Err(e) => errors.add("host", sentence(&e.message)),
        }
    }
    patch
}

async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<TenantForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let id = tenant_path(&id)?;
    let provider = spoc_app::is_provider_admin(&viewer.actor);
    let mut errors = FieldErrors::none();
    let mut patch = parse_patch(&form, provider, &mut errors);
    if provider && id != TenantId::FIRST {
        patch.active = Some(form.active.is_some());
    }
    if errors.is_empty() {
        match state.app.update_tenant(&viewer.actor, id, patch).await {
            Ok(tenant) => {
                return Ok(Redirect::to(&format!("{PATH}/{}?ok=saved", tenant.id)).into_response());
            }
            Err(e) => refusal(&mut errors, e)?,
        }
    }
    edit_page(
        &state,
        &viewer,
        id,
        Submitted::Brand(&form),
        &errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

async fn upload_logo(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiUpload(data): UiUpload,
) -> Result<Response, UiError> {
    admin_post(&viewer, data.text("csrf").unwrap_or(""))?;
    let id = tenant_path(&id)?;
    let mut errors = FieldErrors::none();
    match data.files.iter().find(|f| f.field == "logo") {
        None => errors.add("logo", t(Tenants::ChooseFile)),
        Some(file) => match state
            .app
            .set_tenant_logo(&viewer.actor, id, &file.bytes)
            .await
        {
            Ok(tenant) => {
                return Ok(Redirect::to(&format!("{PATH}/{}?ok=saved", tenant.id)).into_response());
            }
            Err(e) => refusal(&mut errors, e)?,
        },
    }
    edit_page(
        &state,
        &viewer,
        id,
        Submitted::Nothing,
        &errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// A form's field by name (empty when absent).
fn pair<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// `POST /admin/tenants/{id}/grants`: add a grant (the provider's admins).
async fn add_grant(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    admin_post(&viewer, pair(&pairs, "csrf"))?;
    let id = tenant_path(&id)?;
    let mut errors = FieldErrors::none();
    if let Some((grantee, groups)) = tenant_grants::parse_grant(&pairs, &mut errors) {
        match state
            .app
            .create_grant(&viewer.actor, id, grantee, groups)
            .await
        {
            Ok(_) => return Ok(Redirect::to(&format!("{PATH}/{id}?ok=saved")).into_response()),
            Err(e) => tenant_grants::grant_refusal(&mut errors, e)?,
        }
    }
    edit_page(
        &state,
        &viewer,
        id,
        Submitted::Nothing,
        &errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// `POST /admin/tenants/{id}/grants/{grant}/delete`: remove a grant (the provider's admins).
async fn remove_grant(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, grant)): Path<(String, String)>,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    admin_post(&viewer, pair(&pairs, "csrf"))?;
    let id = tenant_path(&id)?;
    let grant = parse_path_id(&grant)?;
    state.app.delete_grant(&viewer.actor, id, grant).await?;
    Ok(Redirect::to(&format!("{PATH}/{id}?ok=saved")).into_response())
}

/// `POST /admin/tenants/{id}/logo/remove`: remove the tenant's logo (whoever may set it).
async fn remove_logo(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(form): UiForm<TokenForm>,
) -> Result<Response, UiError> {
    admin_post(&viewer, &form.csrf)?;
    let id = tenant_path(&id)?;
    match state.app.remove_tenant_logo(&viewer.actor, id).await {
        // Removed now, or by someone else meanwhile: either way the page shows no logo.
        Ok(_) | Err(AppError::NotFound { what: "logo" }) => {
            Ok(Redirect::to(&format!("{PATH}/{id}?ok={LOGO_REMOVED}")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

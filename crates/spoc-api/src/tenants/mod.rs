//! `/api/v1/tenants`: the provider's admins create, list and change tenants (client companies
//! with their own desk, portal and brand); a tenant's own admins read their tenant and change
//! its brand. Another tenant answers 404.

pub mod dto;
pub mod grants;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing;
use spoc_app::{FirstAdmin, TenantInput, TenantPatch};
use spoc_domain::TenantId;
use spoc_domain::tenant::{Colour, HostName, Slug};
use spoc_domain::text::{Email, Name};

use self::dto::*;
use crate::wire::{created, listed};
use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{ApiBytes, ApiJson, ApiPath, Authenticated};

/// The routes of this feature under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tenants", routing::get(list_tenants).post(create_tenant))
        .route(
            "/tenants/{id}",
            routing::get(get_tenant).patch(patch_tenant),
        )
        .route(
            "/tenants/{id}/logo",
            routing::get(get_logo).put(put_logo).delete(delete_logo),
        )
        .route(
            "/tenants/{id}/mail-addresses",
            routing::get(get_mail_addresses).put(put_mail_addresses),
        )
        .route(
            "/tenants/{id}/grants",
            routing::get(grants::list_grants).post(grants::create_grant),
        )
        .route(
            "/tenants/{id}/grants/{grant_id}",
            routing::delete(grants::delete_grant),
        )
}

/// The operations of this feature in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    list_tenants,
    create_tenant,
    get_tenant,
    patch_tenant,
    get_logo,
    put_logo,
    get_mail_addresses,
    put_mail_addresses,
    grants::list_grants,
    grants::create_grant,
    grants::delete_grant,
    delete_logo
))]
pub struct Operations;

fn optional_colour(
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<Colour>, spoc_domain::ValidationError> {
    value.map(|c| Colour::parse(field, c)).transpose()
}

/// Tenants: every tenant for the provider's admins, their own for a tenant's admins.
#[utoipa::path(get, path = "/api/v1/tenants", tag = "tenants",
    responses((status = 200, body = [TenantDto]), (status = 403, body = Problem)))]
pub async fn list_tenants(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<Vec<TenantDto>>> {
    Ok(listed(state.app.list_tenants(&actor).await?))
}

/// Create a tenant (the provider's admins): its desk is prepared as a fresh desk's, and its
/// first admin, if given, gets a set-password link (in this answer only).
#[utoipa::path(post, path = "/api/v1/tenants", tag = "tenants", request_body = NewTenantDto,
    responses((status = 201, body = CreatedTenantDto), (status = 403, body = Problem),
        (status = 409, description = "the name, slug or host name is taken", body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_tenant(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(dto): ApiJson<NewTenantDto>,
) -> ApiResult<(StatusCode, Json<CreatedTenantDto>)> {
    let input = TenantInput {
        name: Name::parse(&dto.name)?,
        slug: Slug::parse(&dto.slug)?,
        host: dto.host.as_deref().map(HostName::parse).transpose()?,
        primary_colour: optional_colour("primary_colour", dto.primary_colour.as_deref())?,
        accent_colour: optional_colour("accent_colour", dto.accent_colour.as_deref())?,
        admin: match dto.admin {
            Some(admin) => Some(FirstAdmin {
                email: Email::parse(&admin.email)?,
                name: Name::parse(&admin.name)?,
            }),
            None => None,
        },
    };
    Ok(created(state.app.create_tenant(&actor, input).await?))
}

/// One tenant (the provider's admins; a tenant's admins their own).
#[utoipa::path(get, path = "/api/v1/tenants/{id}", tag = "tenants", params(("id" = i64, Path)),
    responses((status = 200, body = TenantDto), (status = 404, body = Problem)))]
pub async fn get_tenant(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<TenantDto>> {
    Ok(Json(
        state
            .app
            .get_tenant(&actor, TenantId::new(id))
            .await?
            .into(),
    ))
}

/// Change a tenant: the provider's admins anything; a tenant's admins its name and colours.
#[utoipa::path(patch, path = "/api/v1/tenants/{id}", tag = "tenants", params(("id" = i64, Path)),
    request_body = TenantPatchDto,
    responses((status = 200, body = TenantDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "the name, slug or host name is taken", body = Problem),
        (status = 422, body = Problem)))]
pub async fn patch_tenant(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<TenantPatchDto>,
) -> ApiResult<Json<TenantDto>> {
    let colour = |field: &'static str, value: Option<Option<String>>| {
        value
            .map(|c| optional_colour(field, c.as_deref()))
            .transpose()
    };
    let patch = TenantPatch {
        name: dto.name.as_deref().map(Name::parse).transpose()?,
        slug: dto.slug.as_deref().map(Slug::parse).transpose()?,
        host: dto
            .host
            .map(|h| h.as_deref().map(HostName::parse).transpose())
            .transpose()?,
        primary_colour: colour("primary_colour", dto.primary_colour)?,
        accent_colour: colour("accent_colour", dto.accent_colour)?,
        active: dto.active,
    };
    Ok(Json(
        state
            .app
            .update_tenant(&actor, TenantId::new(id), patch)
            .await?
            .into(),
    ))
}

/// A tenant's logo, as an image (for whoever may see the tenant).
#[utoipa::path(get, path = "/api/v1/tenants/{id}/logo", tag = "tenants", params(("id" = i64, Path)),
    responses((status = 200, content_type = "image/png", description = "the logo: a PNG, JPEG or WebP image"),
        (status = 404, body = Problem)))]
pub async fn get_logo(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    let (bytes, kind) = state.app.get_tenant_logo(&actor, TenantId::new(id)).await?;
    Ok(spoc_http::download::download(
        bytes,
        kind.media_type(),
        "logo",
        true,
    ))
}

/// Set a tenant's logo: the body is the image itself, a PNG, JPEG or WebP of at most 256 KiB
/// (its type is read from its content).
#[utoipa::path(put, path = "/api/v1/tenants/{id}/logo", tag = "tenants", params(("id" = i64, Path)),
    request_body(content = String, content_type = "application/octet-stream",
        description = "a PNG, JPEG or WebP image of at most 256 KiB"),
    responses((status = 200, body = TenantDto), (status = 404, body = Problem),
        (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn put_logo(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiBytes(body): ApiBytes,
) -> ApiResult<Json<TenantDto>> {
    Ok(Json(
        state
            .app
            .set_tenant_logo(&actor, TenantId::new(id), &body)
            .await?
            .into(),
    ))
}

/// A tenant's own mail addresses (the provider's admins; a tenant's admins their own).
#[utoipa::path(get, path = "/api/v1/tenants/{id}/mail-addresses", tag = "tenants",
    params(("id" = i64, Path)),
    responses((status = 200, body = TenantMailAddressesDto), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn get_mail_addresses(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<TenantMailAddressesDto>> {
    let addresses = state
        .app
        .tenant_mail_addresses(&actor, TenantId::new(id))
        .await?;
    Ok(Json(TenantMailAddressesDto { addresses }))
}

/// Replace a tenant's own mail addresses (the provider's admins only: they decide which
/// tenant mail lands in). An address of another tenant, or of another tenant's mailbox, is a
/// conflict.
#[utoipa::path(put, path = "/api/v1/tenants/{id}/mail-addresses", tag = "tenants",
    params(("id" = i64, Path)), request_body = TenantMailAddressesDto,
    responses((status = 200, body = TenantMailAddressesDto), (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "another tenant has one of the addresses", body = Problem),
        (status = 422, body = Problem)))]
pub async fn put_mail_addresses(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<TenantMailAddressesDto>,
) -> ApiResult<Json<TenantMailAddressesDto>> {
    let addresses = state
        .app
        .set_tenant_mail_addresses(&actor, TenantId::new(id), &dto.addresses)
        .await?;
    Ok(Json(TenantMailAddressesDto { addresses }))
}

/// Remove a tenant's logo (whoever may set it): its pages show the name alone again. A tenant
/// without a logo is `404`.
#[utoipa::path(delete, path = "/api/v1/tenants/{id}/logo", tag = "tenants", params(("id" = i64, Path)),
    responses((status = 200, body = TenantDto), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_logo(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<TenantDto>> {
    Ok(Json(
        state
            .app
            .remove_tenant_logo(&actor, TenantId::new(id))
            .await?
            .into(),
    ))
}

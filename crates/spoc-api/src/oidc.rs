//! `/api/v1/oidc-providers`: the tenant's OpenID Connect providers (admins). The client secret
//! is written, never read back.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing;
use serde::{Deserialize, Serialize};
use spoc_app::{GroupRule, OidcProvider, OidcProviderChange, RoleRule};
use spoc_domain::GroupId;
use spoc_domain::user::Role;
use utoipa::ToSchema;

use crate::wire::{created, double_option, listed};
use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{Administrator, ApiJson, ApiPath};
use spoc_http::params::time;

/// The routes of this feature under `/api/v1`: identity providers.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/oidc-providers",
            routing::get(list_providers).post(create_provider),
        )
        .route(
            "/oidc-providers/{id}",
            routing::get(get_provider)
                .patch(patch_provider)
                .delete(delete_provider),
        )
}

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    list_providers,
    get_provider,
    create_provider,
    patch_provider,
    delete_provider
))]
pub struct Operations;

/// A claim value that gives a role.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleRuleDto {
    /// The claim's value.
    #[schema(min_length = 1, max_length = 200)]
    pub value: String,
    /// `customer`, `agent`, `lead` or `admin`.
    #[schema(schema_with = crate::schema::role)]
    pub role: String,
}

/// A claim value that makes a person a member of a group.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupRuleDto {
    /// The claim's value.
    #[schema(min_length = 1, max_length = 200)]
    pub value: String,
    /// One of the tenant's groups.
    #[schema(minimum = 1)]
    pub group_id: i64,
}

/// An identity provider (its client secret is never shown).
#[derive(Debug, Serialize, ToSchema)]
pub struct OidcProviderDto {
    /// Id.
    pub id: i64,
    /// Its name in `/auth/oidc/{slug}/login`.
    pub slug: String,
    /// What the sign-in button says.
    pub display_name: String,
    /// The issuer URL.
    pub issuer: String,
    /// The client id.
    pub client_id: String,
    /// The scopes asked for.
    pub scopes: Vec<String>,
    /// The claim mapped by the rules.
    pub claim: Option<String>,
    /// Claim value → role; the first that matches wins.
    pub role_rules: Vec<RoleRuleDto>,
    /// Claim value → group membership.
    pub group_rules: Vec<GroupRuleDto>,
    /// Whether people with a verified e-mail and no account get one at their first sign-in.
    pub jit: bool,
    /// The role of such accounts when no rule gives one.
    pub default_role: String,
    /// Offered on the sign-in page.
    pub enabled: bool,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<OidcProvider> for OidcProviderDto {
    fn from(p: OidcProvider) -> Self {
        Self {
            id: p.id,
            slug: p.slug,
            display_name: p.display_name,
            issuer: p.issuer,
            client_id: p.client_id,
            scopes: p.scopes,
            claim: p.claim,
            role_rules: p
                .role_rules
                .into_iter()
                .map(|r| RoleRuleDto {
                    value: r.value,
                    role: r.role.as_str().to_owned(),
                })
                .collect(),
            group_rules: p
                .group_rules
                .into_iter()
                .map(|r| GroupRuleDto {
                    value: r.value,
                    group_id: r.group_id.get(),
                })
                .collect(),
            jit: p.jit,
            default_role: p.default_role.as_str().to_owned(),
            enabled: p.enabled,
            created_at: time(p.created_at),
            updated_at: time(p.updated_at),
        }
    }
}

/// A provider's settings; on creation `slug`, `display_name`, `issuer`, `client_id` and
/// `client_secret` are required, on change every field is optional.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OidcProviderInputDto {
    /// 1–40 lowercase letters, digits and `-`.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9][a-z0-9-]{0,39}$", min_length = 1, max_length = 40)]
    pub slug: Option<String>,
    /// What the sign-in button says.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 80)]
    pub display_name: Option<String>,
    /// The issuer URL: `https://…` (`http://` only for 127.0.0.1 and localhost).
    #[serde(default)]
    #[schema(min_length = 8, max_length = 500, pattern = "^https?://[^?#\\s]+$")]
    pub issuer: Option<String>,
    /// The client id registered at the provider.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 255)]
    pub client_id: Option<String>,
    /// The client secret (stored encrypted, never shown).
    #[serde(default)]
    #[schema(min_length = 1, max_length = 500)]
    pub client_secret: Option<String>,
    /// Scopes to ask for (`openid` is always asked for).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub scopes: Option<Vec<String>>,
    /// The claim the rules look at (e.g. `groups` or `roles`), or null.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub claim: Option<Option<String>>,
    /// Claim value → role.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub role_rules: Option<Vec<RoleRuleDto>>,
    /// Claim value → group.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub group_rules: Option<Vec<GroupRuleDto>>,
    /// Just-in-time accounts.
    #[serde(default)]
    pub jit: Option<bool>,
    /// Their default role.
    #[serde(default)]
    #[schema(schema_with = crate::schema::role_or_null)]
    pub default_role: Option<String>,
    /// Offered on the sign-in page.
    #[serde(default)]
    pub enabled: Option<bool>,
}

impl OidcProviderInputDto {
    fn into_change(self) -> Result<OidcProviderChange, spoc_domain::ValidationError> {
        let role_rules = self
            .role_rules
            .map(|rules| {
                rules
                    .into_iter()
                    .map(|r| {
                        Ok(RoleRule {
                            value: r.value,
                            role: Role::parse(&r.role)?,
                        })
                    })
                    .collect::<Result<Vec<_>, spoc_domain::ValidationError>>()
            })
            .transpose()?;
        Ok(OidcProviderChange {
            slug: self.slug,
            display_name: self.display_name,
            issuer: self.issuer,
            client_id: self.client_id,
            client_secret: self.client_secret,
            scopes: self.scopes,
            claim: self.claim,
            role_rules,
            group_rules: self.group_rules.map(|rules| {
                rules
                    .into_iter()
                    .map(|r| GroupRule {
                        value: r.value,
                        group_id: GroupId::new(r.group_id),
                    })
                    .collect()
            }),
            jit: self.jit,
            default_role: self.default_role.as_deref().map(Role::parse).transpose()?,
            enabled: self.enabled,
        })
    }
}

/// The tenant's identity providers (admins).
#[utoipa::path(get, path = "/api/v1/oidc-providers", tag = "admin",
    responses((status = 200, body = [OidcProviderDto]), (status = 403, body = Problem)))]
pub async fn list_providers(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
) -> ApiResult<Json<Vec<OidcProviderDto>>> {
    Ok(listed(state.app.list_oidc_providers(&actor).await?))
}

/// One identity provider (admins).
#[utoipa::path(get, path = "/api/v1/oidc-providers/{id}", tag = "admin", params(("id" = i64, Path)),
    responses((status = 200, body = OidcProviderDto), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_provider(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<OidcProviderDto>> {
    Ok(Json(state.app.get_oidc_provider(&actor, id).await?.into()))
}

/// Add an identity provider (admins).
#[utoipa::path(post, path = "/api/v1/oidc-providers", tag = "admin", request_body = OidcProviderInputDto,
    responses((status = 201, body = OidcProviderDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_provider(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<OidcProviderInputDto>,
) -> ApiResult<(StatusCode, Json<OidcProviderDto>)> {
    let change = dto.into_change()?;
    Ok(created(
        state.app.create_oidc_provider(&actor, change).await?,
    ))
}

/// Change an identity provider (admins); a `client_secret` replaces the stored one.
#[utoipa::path(patch, path = "/api/v1/oidc-providers/{id}", tag = "admin", params(("id" = i64, Path)),
    request_body = OidcProviderInputDto,
    responses((status = 200, body = OidcProviderDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn patch_provider(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<OidcProviderInputDto>,
) -> ApiResult<Json<OidcProviderDto>> {
    let change = dto.into_change()?;
    Ok(Json(
        state
            .app
            .update_oidc_provider(&actor, id, change)
            .await?
            .into(),
    ))
}

/// Remove an identity provider and its links to people (admins).
#[utoipa::path(delete, path = "/api/v1/oidc-providers/{id}", tag = "admin", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_provider(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.delete_oidc_provider(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

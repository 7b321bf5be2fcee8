//! `/api/v1/tenants/{id}/grants`: the provider's admins let a provider resolver group or agent
//! work in a client tenant, on the tickets of chosen resolver groups of that tenant. Nobody
//! else sees grants: a tenant's own admins are refused, another tenant is not found.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use spoc_app::{Grant, Grantee};
use spoc_domain::{GroupId, TenantId, UserId, ValidationError};
use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{ApiJson, ApiPath, Authenticated};
use spoc_http::params::time;
use utoipa::ToSchema;

use crate::wire::{created, listed};

/// A grant: who of the provider works in the tenant, and on which of its groups' tickets.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantDto {
    /// Id.
    pub id: i64,
    /// The client tenant.
    pub tenant_id: i64,
    /// The provider resolver group whose members it covers (or null).
    pub provider_group_id: Option<i64>,
    /// The provider agent it covers (or null).
    pub provider_user_id: Option<i64>,
    /// The tenant's resolver groups whose tickets they work.
    pub group_ids: Vec<i64>,
    /// Created at.
    pub created_at: String,
}

impl From<Grant> for GrantDto {
    fn from(g: Grant) -> Self {
        let (group, user) = match g.grantee {
            Grantee::Group(group) => (Some(group.get()), None),
            Grantee::User(user) => (None, Some(user.get())),
        };
        Self {
            id: g.id,
            tenant_id: g.tenant_id.get(),
            provider_group_id: group,
            provider_user_id: user,
            group_ids: g.group_ids.iter().map(|id| id.get()).collect(),
            created_at: time(g.created_at),
        }
    }
}

/// A grant to add: exactly one of `provider_group_id` and `provider_user_id`, and 1–100 of the
/// tenant's resolver groups.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGrantDto {
    /// A provider resolver group: all its members.
    #[serde(default)]
    pub provider_group_id: Option<i64>,
    /// One provider agent.
    #[serde(default)]
    pub provider_user_id: Option<i64>,
    /// The tenant's resolver groups.
    #[schema(min_items = 1, max_items = 100)]
    pub group_ids: Vec<i64>,
}

/// The grants on a tenant (the provider's admins).
#[utoipa::path(get, path = "/api/v1/tenants/{id}/grants", tag = "tenants", params(("id" = i64, Path)),
    responses((status = 200, body = [GrantDto]), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_grants(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<GrantDto>>> {
    Ok(listed(
        state.app.list_grants(&actor, TenantId::new(id)).await?,
    ))
}

/// Add a grant (the provider's admins): the provider group's members, or the agent, work in
/// the tenant on the tickets of its groups named. A group of another tenant, or a grantee
/// outside the provider, is refused and nothing is written.
#[utoipa::path(post, path = "/api/v1/tenants/{id}/grants", tag = "tenants", params(("id" = i64, Path)),
    request_body = NewGrantDto,
    responses((status = 201, body = GrantDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_grant(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<NewGrantDto>,
) -> ApiResult<(StatusCode, Json<GrantDto>)> {
    let grantee = match (dto.provider_group_id, dto.provider_user_id) {
        (Some(group), None) => Grantee::Group(GroupId::new(group)),
        (None, Some(user)) => Grantee::User(UserId::new(user)),
        _ => {
            return Err(ValidationError::new(
                "provider_group_id",
                "name either a provider group or a provider agent",
            )
            .into());
        }
    };
    let groups = dto.group_ids.into_iter().map(GroupId::new).collect();
    Ok(created(
        state
            .app
            .create_grant(&actor, TenantId::new(id), grantee, groups)
            .await?,
    ))
}

/// Remove a grant (the provider's admins): whoever it covered stops working in the tenant at
/// once.
#[utoipa::path(delete, path = "/api/v1/tenants/{id}/grants/{grant_id}", tag = "tenants",
    params(("id" = i64, Path), ("grant_id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_grant(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath((id, grant)): ApiPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state
        .app
        .delete_grant(&actor, TenantId::new(id), grant)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

//! `/api/v1/scim-tokens`: the tenant's SCIM tokens, for its admins. A SCIM token opens only
//! `/scim/v2` (and this API refuses it); its secret is in the answer that created it only.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use spoc_app::ScimToken;
use utoipa::ToSchema;

use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{Administrator, ApiJson, ApiPath};
use spoc_http::params::time;

/// A SCIM token (never its secret, except right after it was created).
#[derive(Debug, Serialize, ToSchema)]
pub struct ScimTokenDto {
    /// Id.
    pub id: i64,
    /// Label (e.g. the identity provider's name).
    pub label: String,
    /// Who created it.
    pub created_by: Option<i64>,
    /// Created at.
    pub created_at: String,
    /// Last used (updated at most once a minute).
    pub last_used_at: Option<String>,
    /// Revoked at.
    pub revoked_at: Option<String>,
    /// The secret for the identity provider, present only in the answer that created it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Where the identity provider sends its requests (the SCIM base URL).
    pub scim_url: String,
}

impl ScimTokenDto {
    fn new(t: ScimToken, secret: Option<String>, scim_url: String) -> Self {
        Self {
            id: t.id,
            label: t.label,
            created_by: t.created_by.map(|u| u.get()),
            created_at: time(t.created_at),
            last_used_at: t.last_used_at.map(time),
            revoked_at: t.revoked_at.map(time),
            token: secret,
            scim_url,
        }
    }
}

/// A new SCIM token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewScimTokenDto {
    /// A label to recognise it by (e.g. the identity provider's name).
    #[schema(schema_with = crate::schema::label)]
    pub label: String,
}

/// The tenant's SCIM tokens, newest first (admins).
#[utoipa::path(get, path = "/api/v1/scim-tokens", tag = "admin",
    responses((status = 200, body = [ScimTokenDto]), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_scim_tokens(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
) -> ApiResult<Json<Vec<ScimTokenDto>>> {
    let url = state.app.scim_base_url();
    Ok(Json(
        state
            .app
            .list_scim_tokens(&actor)
            .await?
            .into_iter()
            .map(|t| ScimTokenDto::new(t, None, url.clone()))
            .collect(),
    ))
}

/// Create a SCIM token for an identity provider (admins): the secret is shown in this answer
/// only. It authenticates `/scim/v2` of this tenant and nothing else.
#[utoipa::path(post, path = "/api/v1/scim-tokens", tag = "admin", request_body = NewScimTokenDto,
    responses((status = 201, body = ScimTokenDto), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_scim_token(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<NewScimTokenDto>,
) -> ApiResult<(StatusCode, Json<ScimTokenDto>)> {
    let issued = state.app.create_scim_token(&actor, &dto.label).await?;
    Ok((
        StatusCode::CREATED,
        Json(ScimTokenDto::new(
            issued.token,
            Some(issued.secret),
            state.app.scim_base_url(),
        )),
    ))
}

/// Revoke a SCIM token (admins): the identity provider using it is refused from now on.
#[utoipa::path(delete, path = "/api/v1/scim-tokens/{id}", tag = "admin",
    params(("id" = i64, Path, minimum = 1)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke_scim_token(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.revoke_scim_token(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

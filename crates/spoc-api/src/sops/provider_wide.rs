//! `PUT /api/v1/sops/{id}/provider-wide`: the provider applies one of its SOPs in every tenant,
//! or stops doing so.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use spoc_domain::SopId;
use utoipa::ToSchema;

use super::dto::SopSummaryDto;
use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{ApiJson, ApiPath, Authenticated};

/// Whether the provider applies an SOP in every tenant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderWideDto {
    /// Provider-wide: every tenant works under its effective version (read-only there) on its
    /// tickets of a category with the same name as one the SOP is linked to.
    pub provider_wide: bool,
}

/// Make a provider SOP provider-wide, or stop it being so (the provider's leads and admins;
/// recorded in the SOP's governance log as `provider_wide` or `own_tenant`).
#[utoipa::path(put, path = "/api/v1/sops/{id}/provider-wide", tag = "sops", request_body = ProviderWideDto,
    params(("id" = i64, Path, description = "SOP id")),
    responses((status = 200, body = SopSummaryDto), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_provider_wide(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<ProviderWideDto>,
) -> ApiResult<Json<SopSummaryDto>> {
    let sop = state
        .app
        .set_sop_provider_wide(&actor, SopId::new(id), dto.provider_wide)
        .await?;
    Ok(Json((&sop).into()))
}

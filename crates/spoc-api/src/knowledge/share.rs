//! `PUT /api/v1/articles/{id}/shared`: the provider shares one of its articles with every
//! tenant, or stops sharing it.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use spoc_domain::ArticleId;
use utoipa::ToSchema;

use super::ArticleSummaryDto;
use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{ApiJson, ApiPath, Authenticated};

/// Whether the provider shares an article with every tenant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SharedDto {
    /// Shared: every tenant reads its published version (read-only).
    pub shared: bool,
}

/// Share a provider article with every tenant, or stop sharing it (the provider's leads and
/// admins; recorded in the article's log as `shared` or `unshared`).
#[utoipa::path(put, path = "/api/v1/articles/{id}/shared", tag = "knowledge", request_body = SharedDto,
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 200, body = ArticleSummaryDto), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_shared(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<SharedDto>,
) -> ApiResult<Json<ArticleSummaryDto>> {
    let record = state
        .app
        .share_article(&actor, ArticleId::new(id), dto.shared)
        .await?;
    Ok(Json(ArticleSummaryDto::new(record, actor.is_staff())))
}

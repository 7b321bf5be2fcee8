//! `GET /api/v1/search?q=`: one search over tickets, people, organisations and articles, as the
//! caller may see them (customers: their own tickets and published articles; no people or
//! organisations), grouped. A ticket number names the ticket to open (`ticket`).

use axum::extract::State;
use axum::{Json, Router, routing};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::admin::dto::{OrganizationDto, UserDto};
use crate::knowledge::ArticleSummaryDto;
use crate::tickets::dto::TicketDto;
use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{ApiQuery, Authenticated};

/// The routes of this feature under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/search", routing::get(search))
}

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(paths(search), components(schemas(SearchDto)))]
pub struct Operations;

/// The query of a search.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What to look for: words, or a ticket number (`INC-000042`, `#42`, `42`).
    #[serde(default)]
    #[param(min_length = 1)]
    pub q: String,
}

/// What a search found, group by group (at most 10 of each).
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchDto {
    /// The ticket `q` names by number, if the caller may see it.
    pub ticket: Option<TicketDto>,
    /// Tickets whose text matches.
    pub tickets: Vec<TicketDto>,
    /// People whose name or address matches (staff only; empty for customers).
    pub people: Vec<UserDto>,
    /// Organisations whose name matches (staff only; empty for customers).
    pub organizations: Vec<OrganizationDto>,
    /// Knowledge articles that match (customers: published ones meant for them).
    pub articles: Vec<ArticleSummaryDto>,
}

/// Searches tickets, people, organisations and articles at once.
#[utoipa::path(get, path = "/api/v1/search", tag = "tickets", params(SearchParams),
    responses((status = 200, body = SearchDto), (status = 422, body = Problem), (status = 401, body = Problem)))]
pub async fn search(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> ApiResult<Json<SearchDto>> {
    let found = state.app.search_everything(&actor, &params.q).await?;
    let staff = actor.is_staff();
    Ok(Json(SearchDto {
        ticket: found.ticket.map(|t| TicketDto::new(t, &actor)),
        tickets: found
            .tickets
            .into_iter()
            .map(|t| TicketDto::new(t, &actor))
            .collect(),
        people: found.people.into_iter().map(UserDto::from).collect(),
        organizations: found
            .organizations
            .into_iter()
            .map(OrganizationDto::from)
            .collect(),
        articles: found
            .articles
            .into_iter()
            .map(|a| ArticleSummaryDto::new(a, staff))
            .collect(),
    }))
}

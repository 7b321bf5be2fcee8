//! `/api/v1/tickets/{id}/links` and `/merge`: related tickets, follow-ups and merging a
//! duplicate into a surviving ticket.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use spoc_app::{TicketLink, TicketRelation};
use spoc_domain::links::LinkKind;
use spoc_domain::{TicketId, ValidationError};
use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{ApiJson, ApiPath, Authenticated};
use utoipa::ToSchema;

use super::dto::LinkedTicketDto;
use super::ticket_ref;

/// A link to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLinkDto {
    /// The other ticket: its id or number (`INC-000042`).
    #[schema(value_type = String, min_length = 1)]
    pub ticket: serde_json::Value,
    /// Only `relates_to` is made by hand.
    #[serde(default = "relates_to")]
    pub kind: String,
}

fn relates_to() -> String {
    LinkKind::RelatesTo.as_str().to_owned()
}

/// A merge: the surviving ticket.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeDto {
    /// The ticket to merge into: its id or number.
    #[schema(value_type = String, min_length = 1)]
    pub into: serde_json::Value,
}

/// A ticket named in a body, by id or number.
fn ticket_in_body(
    field: &'static str,
    value: &serde_json::Value,
) -> Result<TicketId, ValidationError> {
    let invalid =
        || ValidationError::new(field, "name a ticket by its id or number, e.g. INC-000042");
    match value {
        serde_json::Value::Number(n) => n
            .as_i64()
            .filter(|v| *v > 0)
            .map(TicketId::new)
            .ok_or_else(invalid),
        serde_json::Value::String(s) => ticket_ref(s.trim())
            .map(|(id, _)| id)
            .map_err(|_| invalid()),
        _ => Err(invalid()),
    }
}

pub(super) fn links_dto(links: &[TicketLink]) -> Vec<LinkedTicketDto> {
    links.iter().map(LinkedTicketDto::from).collect()
}

/// The survivor a ticket was merged into, among its links.
pub(super) fn merged_into(links: &[TicketLink]) -> Option<LinkedTicketDto> {
    links
        .iter()
        .find(|l| l.relation == TicketRelation::MergedInto)
        .map(LinkedTicketDto::from)
}

/// The tickets linked to a ticket (those the caller may see).
#[utoipa::path(get, path = "/api/v1/tickets/{id}/links", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number")),
    responses((status = 200, body = [LinkedTicketDto]), (status = 404, body = Problem)))]
pub async fn list_links(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<LinkedTicketDto>>> {
    let (id, _) = ticket_ref(&id)?;
    let actor = state.app.actor_on_ticket(&actor, id).await?;
    Ok(Json(links_dto(&state.app.ticket_links(&actor, id).await?)))
}

/// Link a related ticket (staff). Answers the ticket's links.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/links", tag = "tickets", request_body = NewLinkDto,
    params(("id" = String, Path, description = "Ticket id or number")),
    responses((status = 201, body = [LinkedTicketDto]), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_link(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
    ApiJson(dto): ApiJson<NewLinkDto>,
) -> ApiResult<(StatusCode, Json<Vec<LinkedTicketDto>>)> {
    let (id, _) = ticket_ref(&id)?;
    let actor = state.app.actor_on_ticket(&actor, id).await?;
    let other = ticket_in_body("ticket", &dto.ticket)?;
    let kind = LinkKind::parse(&dto.kind)
        .ok_or_else(|| ValidationError::new("kind", "must be relates_to"))?;
    state
        .app
        .link_tickets(&actor, id, other, kind, true)
        .await?;
    let links = state.app.ticket_links(&actor, id).await?;
    Ok((StatusCode::CREATED, Json(links_dto(&links))))
}

/// Remove the related-ticket link between two tickets (staff).
#[utoipa::path(delete, path = "/api/v1/tickets/{id}/links/{other}", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number"), ("other" = String, Path, description = "The linked ticket's id or number")),
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn remove_link(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath((id, other)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    let (id, _) = ticket_ref(&id)?;
    let actor = state.app.actor_on_ticket(&actor, id).await?;
    let (other, _) = ticket_ref(&other)?;
    // Both tickets are named in the path: one the caller cannot see is not found (404), as
    // for any address, rather than a field to correct.
    state.app.get_ticket(&actor, other).await?;
    state
        .app
        .link_tickets(&actor, id, other, LinkKind::RelatesTo, false)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Merge this ticket (a duplicate) into another (staff): the duplicate is closed as merged, its
/// history, files, requester and mail thread follow the survivor. Answers the survivor.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/merge", tag = "tickets", request_body = MergeDto,
    params(("id" = String, Path, description = "The duplicate's id or number")),
    responses((status = 200, body = super::dto::TicketDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn merge(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
    ApiJson(dto): ApiJson<MergeDto>,
) -> ApiResult<Response> {
    let (id, _) = ticket_ref(&id)?;
    let actor = state.app.actor_on_ticket(&actor, id).await?;
    let into = ticket_in_body("into", &dto.into)?;
    let survivor = state.app.merge_tickets(&actor, id, into).await?;
    super::ticket_response(&state, &actor, survivor).await
}

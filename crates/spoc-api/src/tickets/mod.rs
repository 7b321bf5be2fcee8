//! `/api/v1/tickets`: log, read, list and search, edit, act, comment, history. Each handler
//! parses, calls one use case and renders.

pub mod auto_close;
pub mod dto;
pub mod links;

use axum::Json;
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing;
use serde::Deserialize;
use spoc_app::{ActionInput, EscalationInput, NewTicketInput, TicketFilter};
use spoc_domain::lifecycle::{Action, FieldEdit};
use spoc_domain::priority::{Impact, Priority, Urgency};
use spoc_domain::text::{Body, Reason, SupplierReference, Title};
use spoc_domain::ticket::{Channel, PendingReason, ResolutionCode, TicketKind, TicketNumber};
use spoc_domain::{CategoryId, GroupId, ServiceId, TicketId, UserId, ValidationError};
use utoipa::IntoParams;

use self::dto::*;
use axum::extract::State;
use spoc_http::AppState;
use spoc_http::error::{ApiError, ApiResult, Problem};
use spoc_http::extract::{
    ApiBytes, ApiJson, ApiPath, ApiQuery, Authenticated, IfMatch, is_json, parse_json,
    unsupported_media_type,
};
use spoc_http::params::{SORTS, decode_cursor, encode_cursor, parse_sort};
use spoc_http::queue_filter::apply_param;

/// The routes of this feature under `/api/v1`: `/tickets`: logging, reading, listing, editing, acting, comments and history.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tickets", routing::post(create).get(list))
        .route("/tickets/{id}", routing::get(get).patch(patch))
        .route("/tickets/{id}/actions/{action}", routing::post(act))
        .route(
            "/tickets/{id}/comments",
            routing::post(add_comment).get(list_comments),
        )
        .route("/tickets/{id}/events", routing::get(list_events))
        .route(
            "/tickets/{id}/links",
            routing::get(links::list_links).post(links::add_link),
        )
        .route(
            "/tickets/{id}/links/{other}",
            routing::delete(links::remove_link),
        )
        .route("/tickets/{id}/merge", routing::post(links::merge))
        .route(
            "/settings/auto-close",
            routing::get(auto_close::get_auto_close).put(auto_close::put_auto_close),
        )
}

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    create,
    get,
    list,
    patch,
    act,
    add_comment,
    list_comments,
    list_events,
    links::list_links,
    links::add_link,
    links::remove_link,
    links::merge,
    auto_close::get_auto_close,
    auto_close::put_auto_close
))]
pub struct Operations;

/// A ticket path segment: the id (`42`) or the number (`INC-000042`).
pub(crate) fn ticket_ref(value: &str) -> Result<(TicketId, Option<TicketKind>), ApiError> {
    if let Ok(id) = value.parse::<i64>() {
        return Ok((TicketId::new(id), None));
    }
    TicketNumber::parse(value)
        .map(|n| (n.id(), Some(n.kind())))
        .ok_or_else(|| ApiError::not_found("ticket"))
}

fn opt_reason(value: Option<String>) -> Result<Option<Reason>, ValidationError> {
    value
        .filter(|r| !r.trim().is_empty())
        .map(|r| Reason::parse(&r))
        .transpose()
}

fn required<T>(field: &'static str, value: Option<T>) -> Result<T, ValidationError> {
    value.ok_or_else(|| ValidationError::new(field, "is required for this action"))
}

fn with_etag(dto: TicketDto, status: StatusCode) -> Response {
    let etag = HeaderValue::from_str(&format!("\"{}\"", dto.version)).ok();
    let mut response = (status, Json(dto)).into_response();
    if let Some(etag) = etag {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// Log a ticket.
#[utoipa::path(post, path = "/api/v1/tickets", tag = "tickets", request_body = NewTicketDto,
    responses((status = 201, body = TicketDto), (status = 422, body = Problem), (status = 401, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(dto): ApiJson<NewTicketDto>,
) -> ApiResult<Response> {
    let input = NewTicketInput {
        kind: TicketKind::parse(&dto.kind)?,
        title: Title::parse(&dto.title)?,
        description: Body::parse_as("description", &dto.description)?,
        impact: Impact::parse(&dto.impact)?,
        urgency: Urgency::parse(&dto.urgency)?,
        category_id: dto.category_id.map(CategoryId::new),
        service_id: dto.service_id.map(ServiceId::new),
        requester_id: dto.requester_id.map(UserId::new),
        channel: dto
            .channel
            .as_deref()
            .map(Channel::parse)
            .transpose()?
            .unwrap_or(Channel::Api),
    };
    let ticket = state.app.create_ticket(&actor, input).await?;
    let mut response = with_etag(
        ticket_dto(&state, &actor, ticket.clone()).await?,
        StatusCode::CREATED,
    );
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/tickets/{}", ticket.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Read one ticket (by id or number).
#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number, e.g. 42 or INC-000042")),
    responses((status = 200, body = TicketDto), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    let (id, kind) = ticket_ref(&id)?;
    let actor = state.app.actor_on_ticket(&actor, id).await?;
    let ticket = state.app.get_ticket(&actor, id).await?;
    if kind.is_some_and(|k| k != ticket.kind) {
        return Err(ApiError::not_found("ticket"));
    }
    Ok(with_etag(
        ticket_dto(&state, &actor, ticket).await?,
        StatusCode::OK,
    ))
}

/// Queue filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Comma-separated statuses, or `open` (all but closed and cancelled) or `active`.
    status: Option<String>,
    /// `incident` or `service_request`.
    #[param(schema_with = crate::schema::ticket_kind)]
    kind: Option<String>,
    /// Comma-separated group ids: tickets owned by any of them.
    #[param(schema_with = id_list_schema)]
    group_id: Option<String>,
    /// Comma-separated agent ids, `me` (the caller) and `none` (unassigned).
    #[param(schema_with = assignee_schema)]
    assignee_id: Option<String>,
    /// Comma-separated requester ids.
    #[param(schema_with = id_list_schema)]
    requester_id: Option<String>,
    /// Comma-separated organisation ids.
    #[param(schema_with = id_list_schema)]
    organization_id: Option<String>,
    /// Comma-separated priorities, `P1`…`P5`.
    #[param(schema_with = priority_list_schema)]
    priority: Option<String>,
    /// Comma-separated category ids (each matches a ticket's category or subcategory).
    #[param(schema_with = id_list_schema)]
    category_id: Option<String>,
    /// Comma-separated service ids.
    #[param(schema_with = id_list_schema)]
    service_id: Option<String>,
    /// Comma-separated service-level standings: `breached` (a target was breached), `at_risk`
    /// (a warning fired on an active ticket, nothing breached yet), `ok` (neither).
    #[param(schema_with = sla_schema)]
    sla: Option<String>,
    /// Changed at or after: a date (`2026-12-01`, midnight UTC) or an RFC 3339 time.
    updated_since: Option<String>,
    /// Text to search in titles, descriptions and comments; a ticket number finds that ticket.
    q: Option<String>,
    /// `created`, `updated` or `priority`, with `-` for descending (default `-created`).
    #[param(schema_with = sort_schema)]
    sort: Option<String>,
    /// The `next_cursor` of the previous page (of the same sort order).
    #[param(schema_with = cursor_schema)]
    cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
}

/// The schema of a comma-separated list of ids. Each list filter may also be empty, which
/// filters nothing (as an unchosen field of the desk's filter form sends it).
fn id_list_schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some("^(?:[0-9]{1,18}(?:,[0-9]{1,18})*)?$"))
        .build()
}

/// The schema of a comma-separated list of priorities.
fn priority_list_schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some("^(?:P[1-5](?:,P[1-5])*)?$"))
        .build()
}

/// The schema of `sla`: a comma-separated list of standings.
fn sla_schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some(
            "^(?:(?:breached|at_risk|ok)(?:,(?:breached|at_risk|ok))*)?$",
        ))
        .build()
}

/// The schema of `sort`: the names of [`SORTS`].
fn sort_schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(SORTS.iter().map(|(name, _)| *name)))
        .build()
}

/// The schema of `assignee_id`: a comma-separated list of user ids, `me` and `none`.
fn assignee_schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some(
            "^(?:(?:none|me|[0-9]{1,18})(?:,(?:none|me|[0-9]{1,18}))*)?$",
        ))
        .build()
}

/// The schema of `cursor`: what [`encode_cursor`] writes.
fn cursor_schema() -> utoipa::openapi::schema::Object {
    let names: Vec<&str> = SORTS.iter().map(|(name, _)| *name).collect();
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some(format!(
            "^(?:{})~[+-]?[0-9]{{1,18}}~[+-]?[0-9]{{1,18}}$",
            names.join("|")
        )))
        .build()
}

/// List and search tickets the caller may see.
#[utoipa::path(get, path = "/api/v1/tickets", tag = "tickets", params(ListParams),
    responses((status = 200, body = TicketListDto), (status = 400, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<Json<TicketListDto>> {
    let sort = parse_sort(params.sort.as_deref())?;
    let mut filter = TicketFilter {
        text: params.q,
        sort,
        after: params
            .cursor
            .as_deref()
            .map(|c| decode_cursor(sort, c))
            .transpose()?,
        limit: params.limit.unwrap_or(50),
        ..TicketFilter::default()
    };
    for (name, value) in [
        ("status", &params.status),
        ("kind", &params.kind),
        ("group_id", &params.group_id),
        ("assignee_id", &params.assignee_id),
        ("requester_id", &params.requester_id),
        ("organization_id", &params.organization_id),
        ("priority", &params.priority),
        ("category_id", &params.category_id),
        ("service_id", &params.service_id),
        ("sla", &params.sla),
        ("updated_since", &params.updated_since),
    ] {
        if let Some(value) = value {
            apply_param(&mut filter, name, value, actor.user_id())
                .map_err(|e| ApiError::bad_query(format!("{name}: {}", e.message)))?;
        }
    }
    if !(1..=200).contains(&filter.limit) {
        return Err(ApiError::bad_query("limit must be between 1 and 200"));
    }
    let page = state.app.list_tickets(&actor, filter).await?;
    let mut clocks = std::collections::HashMap::new();
    if actor.is_staff() {
        let mut tenants = page.tenants.clone();
        tenants.sort_unstable();
        tenants.dedup();
        for tenant in tenants {
            let of: Vec<_> = page
                .tickets
                .iter()
                .zip(&page.tenants)
                .filter(|(_, t)| **t == tenant)
                .map(|(ticket, _)| ticket)
                .collect();
            clocks.extend(state.app.sla_views(tenant, &of).await?);
        }
    }
    Ok(Json(TicketListDto {
        items: page
            .tickets
            .into_iter()
            .zip(page.tenants)
            .map(|(t, tenant)| {
                let own = clocks.get(&t.id);
                let mut dto = TicketDto::with_sla(t, &actor, own);
                dto.tenant_id = tenant.get();
                dto
            })
            .collect(),
        total: page.total,
        next_cursor: page.next.map(|c| encode_cursor(sort, c)),
    }))
}

/// Edit fields, with optimistic concurrency.
#[utoipa::path(patch, path = "/api/v1/tickets/{id}", tag = "tickets", request_body = TicketPatchDto,
    params(("id" = String, Path, description = "Ticket id or number"),
           ("If-Match" = Option<String>, Header, description = "The version edited, e.g. \"3\"")),
    responses((status = 200, body = TicketDto), (status = 409, body = Problem), (status = 412, body = Problem),
              (status = 428, body = Problem), (status = 422, body = Problem)))]
pub async fn patch(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
    IfMatch(if_match): IfMatch,
    ApiJson(dto): ApiJson<TicketPatchDto>,
) -> ApiResult<Response> {
    let (id, _) = ticket_ref(&id)?;
    let actor = state.app.actor_on_ticket(&actor, id).await?;
    let priority_override = match dto.priority {
        None => {
            if dto.priority_rationale.is_some() {
                return Err(ApiError::invalid_field(
                    "priority_rationale",
                    "only goes with a priority",
                ));
            }
            None
        }
        Some(None) => Some(None),
        Some(Some(priority)) => {
            let priority = Priority::parse(&priority)?;
            let rationale = dto.priority_rationale.ok_or_else(|| {
                ValidationError::new(
                    "priority_rationale",
                    "overriding the priority needs a written rationale",
                )
            })?;
            Some(Some((
                priority,
                Reason::parse_as("priority_rationale", &rationale)?,
            )))
        }
    };
    let change = FieldEdit {
        title: dto.title.as_deref().map(Title::parse).transpose()?,
        description: dto
            .description
            .as_deref()
            .map(|d| Body::parse_as("description", d))
            .transpose()?,
        impact: dto.impact.as_deref().map(Impact::parse).transpose()?,
        urgency: dto.urgency.as_deref().map(Urgency::parse).transpose()?,
        category_id: dto.category_id.map(|c| c.map(CategoryId::new)),
        subcategory_id: dto.subcategory_id.map(|c| c.map(CategoryId::new)),
        service_id: dto.service_id.map(|s| s.map(ServiceId::new)),
        supplier_reference: dto
            .supplier_reference
            .map(|r| {
                r.filter(|r| !r.trim().is_empty())
                    .map(|r| SupplierReference::parse(&r))
                    .transpose()
            })
            .transpose()?,
        priority_override,
    };
    let result = state
        .app
        .edit_ticket(&actor, id, if_match.or(dto.version), change)
        .await;
    let ticket = result.map_err(|e| if_match_error(e, if_match))?;
    Ok(with_etag(
        ticket_dto(&state, &actor, ticket).await?,
        StatusCode::OK,
    ))
}

fn if_match_error(error: spoc_app::AppError, if_match: Option<i64>) -> ApiError {
    let api = ApiError::from(error);
    if if_match.is_some() {
        api.precondition_failed()
    } else {
        api
    }
}

/// Perform a lifecycle action: assign, start, pend, resume, escalate, resolve, close, reopen,
/// cancel.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/actions/{action}", tag = "tickets", request_body = ActionDto,
    params(("id" = String, Path, description = "Ticket id or number"),
           ("action" = String, Path, description = "assign, start, pend, resume, escalate, resolve, close, reopen or cancel")),
    responses((status = 200, body = TicketDto), (status = 409, body = Problem), (status = 422, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn act(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath((id, action)): ApiPath<(String, String)>,
    IfMatch(if_match): IfMatch,
    headers: HeaderMap,
    ApiBytes(body): ApiBytes,
) -> ApiResult<Response> {
    let (id, _) = ticket_ref(&id)?;
    let actor = state.app.actor_on_ticket(&actor, id).await?;
    let action = Action::parse(&action).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_action",
            format!("there is no action {action:?}; use assign, start, pend, resume, escalate, resolve, close, reopen or cancel"),
        )
    })?;
    let has_body = !body.iter().all(u8::is_ascii_whitespace);
    if has_body && !is_json(&headers) {
        return Err(unsupported_media_type());
    }
    let dto: ActionDto = parse_json(&body)?;
    let version = if_match.or(dto.version);
    let input = action_input(action, dto)?;
    let ticket = state
        .app
        .perform_action(&actor, id, version, input)
        .await
        .map_err(|e| if_match_error(e, if_match))?;
    Ok(with_etag(
        ticket_dto(&state, &actor, ticket).await?,
        StatusCode::OK,
    ))
}

fn action_input(action: Action, dto: ActionDto) -> Result<ActionInput, ApiError> {
    let unexpected =
        |field: &str| ApiError::invalid_field(field, format!("does not apply to {action}"));
    let only = |allowed: &[&str]| -> Result<(), ApiError> {
        let present = [
            ("group_id", dto.group_id.is_some()),
            ("assignee_id", dto.assignee_id.is_some()),
            ("reason", dto.reason.is_some()),
            ("type", dto.escalation_type.is_some()),
            ("code", dto.code.is_some()),
            ("notes", dto.notes.is_some()),
        ];
        match present
            .iter()
            .find(|(name, set)| *set && !allowed.contains(name))
        {
            Some((name, _)) => Err(unexpected(name)),
            None => Ok(()),
        }
    };
    Ok(match action {
        Action::Assign => {
            only(&["group_id", "assignee_id"])?;
            if dto.group_id.is_none() && dto.assignee_id.is_none() {
                return Err(ApiError::invalid_field(
                    "group_id",
                    "give a group_id, an assignee_id or both",
                ));
            }
            ActionInput::Assign {
                group_id: dto.group_id.map(GroupId::new),
                assignee_id: dto.assignee_id.map(UserId::new),
            }
        }
        Action::Start => {
            only(&[])?;
            ActionInput::Start
        }
        Action::Pend => {
            only(&["reason"])?;
            ActionInput::Pend {
                reason: PendingReason::parse(&required("reason", dto.reason)?)?,
            }
        }
        Action::Resume => {
            only(&[])?;
            ActionInput::Resume
        }
        Action::Escalate => {
            let reason = Reason::parse(&required("reason", dto.reason.clone())?)?;
            match required("type", dto.escalation_type.clone())?.as_str() {
                "functional" => {
                    only(&["type", "reason", "group_id", "assignee_id"])?;
                    ActionInput::Escalate(EscalationInput::Functional {
                        group_id: GroupId::new(required("group_id", dto.group_id)?),
                        assignee_id: dto.assignee_id.map(UserId::new),
                        reason,
                    })
                }
                "hierarchical" => {
                    only(&["type", "reason"])?;
                    ActionInput::Escalate(EscalationInput::Hierarchical { reason })
                }
                _ => {
                    return Err(ApiError::invalid_field(
                        "type",
                        "must be functional or hierarchical",
                    ));
                }
            }
        }
        Action::Resolve => {
            only(&["code", "notes"])?;
            ActionInput::Resolve {
                code: ResolutionCode::parse(&required("code", dto.code)?)?,
                notes: Body::parse_as("notes", &required("notes", dto.notes)?)?,
            }
        }
        Action::Close => {
            only(&[])?;
            ActionInput::Close
        }
        Action::Reopen => {
            only(&["reason"])?;
            ActionInput::Reopen {
                reason: opt_reason(dto.reason)?,
            }
        }
        Action::Cancel => {
            only(&["reason"])?;
            ActionInput::Cancel {
                reason: opt_reason(dto.reason)?,
            }
        }
    })
}

/// Add a public reply or an internal note.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/comments", tag = "tickets", request_body = NewCommentDto,
    params(("id" = String, Path, description = "Ticket id or number")),
    responses((status = 201, body = CommentDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_comment(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
    ApiJson(dto): ApiJson<NewCommentDto>,
) -> ApiResult<(StatusCode, Json<CommentDto>)> {
    let (id, _) = ticket_ref(&id)?;
    let actor = state.app.actor_on_ticket(&actor, id).await?;
    let body = Body::parse(&dto.body)?;
    let mut files = Vec::with_capacity(dto.attachments.len());
    for file in dto.attachments {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(file.content_base64.as_bytes())
            .map_err(|_| {
                ValidationError::new(
                    "attachments",
                    format!("the content of {} is not valid base64", file.filename),
                )
            })?;
        files.push(spoc_app::Upload {
            filename: file.filename,
            content_type: file.content_type.unwrap_or_default(),
            bytes,
        });
    }
    let event = state
        .app
        .add_comment_with_files(&actor, id, dto.internal, body, files)
        .await?;
    let comment = CommentDto::from_event(event).ok_or_else(|| ApiError::not_found("comment"))?;
    Ok((StatusCode::CREATED, Json(comment)))
}

/// The replies (and, for staff, internal notes) of a ticket, oldest first.
#[utoipa::path(get, path = "/api/v1/tickets/{id}/comments", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number")),
    responses((status = 200, body = [CommentDto]), (status = 404, body = Problem)))]
pub async fn list_comments(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<CommentDto>>> {
    let (id, _) = ticket_ref(&id)?;
    let actor = state.app.actor_on_ticket(&actor, id).await?;
    let events = state.app.list_comments(&actor, id).await?;
    Ok(Json(
        events
            .into_iter()
            .filter_map(CommentDto::from_event)
            .collect(),
    ))
}

/// The ticket's history, oldest first (internal events for staff only).
#[utoipa::path(get, path = "/api/v1/tickets/{id}/events", tag = "tickets",
    params(("id" = String, Path, description = "Ticket id or number")),
    responses((status = 200, body = [EventDto]), (status = 404, body = Problem)))]
pub async fn list_events(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<EventDto>>> {
    let (id, _) = ticket_ref(&id)?;
    let actor = state.app.actor_on_ticket(&actor, id).await?;
    let events = state.app.list_events(&actor, id).await?;
    Ok(Json(events.into_iter().map(EventDto::from).collect()))
}

/// The wire form of one ticket with its clocks.
async fn ticket_dto(
    state: &AppState,
    actor: &spoc_domain::access::Actor,
    ticket: spoc_domain::ticket::Ticket,
) -> ApiResult<TicketDto> {
    let clocks = if actor.is_staff() {
        state.app.sla_views(actor.tenant_id, &[&ticket]).await?
    } else {
        Default::default()
    };
    let own = clocks.get(&ticket.id);
    let sop = state.app.ticket_sop(actor, &ticket).await?;
    let merged_into = if ticket.status.is_open() {
        None
    } else {
        links::merged_into(&state.app.ticket_links(actor, ticket.id).await?)
    };
    let mut dto = TicketDto::with_sla(ticket, actor, own);
    dto.sop = sop.as_ref().map(Into::into);
    dto.merged_into = merged_into;
    Ok(dto)
}

/// A ticket as the answer of a change: its wire form with its ETag.
pub(crate) async fn ticket_response(
    state: &AppState,
    actor: &spoc_domain::access::Actor,
    ticket: spoc_domain::ticket::Ticket,
) -> ApiResult<Response> {
    Ok(with_etag(
        ticket_dto(state, actor, ticket).await?,
        StatusCode::OK,
    ))
}

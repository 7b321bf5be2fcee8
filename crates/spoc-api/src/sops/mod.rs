//! `/api/v1/sops` (with `/versions`, governance `/actions/{action}`, settings, reviews and the
//! seed import), the checklist of a ticket's SOP, the review list and
//! `/api/v1/reports/sop-outcomes`.

pub mod dto;
mod provider_wide;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing;
use spoc_app::SopInput;
use spoc_domain::sop::{GovernanceAction, SopContent};
use spoc_domain::{SopId, TicketId, UserId};
use spoc_http::AppState;
use spoc_http::error::{ApiError, ApiResult, Problem};
use spoc_http::extract::{
    ApiBytes, ApiJson, ApiPath, ApiQuery, Authenticated, IfMatch, parse_json,
};
use spoc_http::params::time;

use self::dto::*;

/// The routes of this feature under `/api/v1`: sOPs, their governance, settings and reviews, the checklist of a ticket and the outcomes report.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tickets/{id}/checklist", routing::post(checklist))
        .route("/reports/sop-outcomes", routing::get(outcomes))
        .route("/sops", routing::get(list).post(create))
        .route("/sops/import", routing::post(import))
        .route("/sops/{id}", routing::get(get))
        .route("/sops/{id}/settings", routing::put(settings))
        .route(
            "/sops/{id}/versions",
            routing::get(versions).post(add_version),
        )
        .route("/sops/{id}/versions/{version}", routing::get(get_version))
        .route(
            "/sops/{id}/versions/{version}/restore",
            routing::post(restore),
        )
        .route("/sops/{id}/actions/{action}", routing::post(act))
        .route("/sops/{id}/reviews", routing::post(record_review))
        .route("/sop-reviews", routing::get(reviews))
        .route(
            "/sops/{id}/provider-wide",
            routing::put(provider_wide::set_provider_wide),
        )
}

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    list,
    create,
    get,
    settings,
    versions,
    add_version,
    get_version,
    restore,
    act,
    record_review,
    reviews,
    import,
    checklist,
    outcomes,
    provider_wide::set_provider_wide
))]
pub struct Operations;

fn content_of(value: serde_json::Value) -> Result<SopContent, ApiError> {
    let content: SopContent = serde_json::from_value(value)
        .map_err(|e| ApiError::invalid_field("content", format!("is not an SOP: {e}")))?;
    Ok(content)
}

async fn sop_dto(
    state: &AppState,
    actor: &spoc_domain::access::Actor,
    id: SopId,
) -> ApiResult<SopDto> {
    let view = state.app.get_sop(actor, id).await?;
    Ok(SopDto {
        summary: (&view.sop).into(),
        links: view.links.iter().map(Into::into).collect(),
        versions: view
            .versions
            .iter()
            .map(|v| SopVersionSummaryDto {
                version: v.version,
                state: v.state.as_str().to_owned(),
                title: v.content.title.clone(),
                change_summary: v.change_summary.clone(),
                author_id: v.author_id.map(UserId::get),
                created_at: time(v.created_at),
                effective_at: v.effective_at.map(time),
            })
            .collect(),
        log: view.log.iter().map(Into::into).collect(),
        reviews: view.reviews.iter().map(Into::into).collect(),
    })
}

/// Every SOP (staff).
#[utoipa::path(get, path = "/api/v1/sops", tag = "sops",
    responses((status = 200, body = [SopSummaryDto]), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<Vec<SopSummaryDto>>> {
    let sops = state.app.list_sops(&actor).await?;
    Ok(Json(sops.iter().map(Into::into).collect()))
}

/// Write a new SOP: version 1 as a draft (leads and admins).
#[utoipa::path(post, path = "/api/v1/sops", tag = "sops", request_body = SopInputDto,
    responses((status = 201, body = SopDto), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(dto): ApiJson<SopInputDto>,
) -> ApiResult<Response> {
    let input = SopInput {
        key: dto.key,
        content: content_of(dto.content)?,
        change_summary: dto.change_summary,
        settings: dto.settings.parse()?,
    };
    let record = state.app.create_sop(&actor, input).await?;
    let mut response = (
        StatusCode::CREATED,
        Json(sop_dto(&state, &actor, record.id).await?),
    )
        .into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/sops/{}", record.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// One SOP with its versions, governance log, links and reviews (staff).
#[utoipa::path(get, path = "/api/v1/sops/{id}", tag = "sops", params(("id" = i64, Path, description = "SOP id")),
    responses((status = 200, body = SopDto), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<SopDto>> {
    let id = SopId::new(id);
    Ok(Json(sop_dto(&state, &actor, id).await?))
}

/// Change document control: owner, reviewer, approver, review policy, links (the owner, leads
/// and admins).
#[utoipa::path(put, path = "/api/v1/sops/{id}/settings", tag = "sops", request_body = SopSettingsDto,
    params(("id" = i64, Path, description = "SOP id")),
    responses((status = 200, body = SopDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn settings(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<SopSettingsDto>,
) -> ApiResult<Json<SopDto>> {
    let id = SopId::new(id);
    state
        .app
        .update_sop_settings(&actor, id, dto.parse()?)
        .await?;
    Ok(Json(sop_dto(&state, &actor, id).await?))
}

/// Every version with its content (staff).
#[utoipa::path(get, path = "/api/v1/sops/{id}/versions", tag = "sops", params(("id" = i64, Path, description = "SOP id")),
    responses((status = 200, body = [SopVersionDto]), (status = 404, body = Problem)))]
pub async fn versions(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<SopVersionDto>>> {
    let id = SopId::new(id);
    let view = state.app.get_sop(&actor, id).await?;
    Ok(Json(view.versions.into_iter().map(Into::into).collect()))
}

/// Write a new version, or revise the latest while it is a draft (the owner, reviewer,
/// approver, leads and admins). A version in review must be sent back first.
#[utoipa::path(post, path = "/api/v1/sops/{id}/versions", tag = "sops", request_body = SopDraftDto,
    params(("id" = i64, Path, description = "SOP id")),
    responses((status = 201, body = SopVersionDto), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_version(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<SopDraftDto>,
) -> ApiResult<Response> {
    let id = SopId::new(id);
    let content = content_of(dto.content)?;
    let record = state
        .app
        .draft_sop_version(&actor, id, dto.version, content, &dto.change_summary)
        .await?;
    let version = state
        .app
        .sop_version(&actor, id, record.latest_version)
        .await?;
    Ok((StatusCode::CREATED, Json(SopVersionDto::from(version))).into_response())
}

/// One version with its content (staff).
#[utoipa::path(get, path = "/api/v1/sops/{id}/versions/{version}", tag = "sops",
    params(("id" = i64, Path, description = "SOP id"), ("version" = i64, Path, description = "Version")),
    responses((status = 200, body = SopVersionDto), (status = 404, body = Problem)))]
pub async fn get_version(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath((id, version)): ApiPath<(i64, i64)>,
) -> ApiResult<Json<SopVersionDto>> {
    let id = SopId::new(id);
    Ok(Json(
        state.app.sop_version(&actor, id, version).await?.into(),
    ))
}

/// Restore an old version: its content comes back as the latest draft (a new version after an
/// effective or retired one; the draft revised in place while the latest is a draft), to go
/// through governance like any edit. A version in review must be sent back first (409). The
/// owner, reviewer, approver, leads and admins.
#[utoipa::path(post, path = "/api/v1/sops/{id}/versions/{version}/restore", tag = "sops",
    params(("id" = i64, Path, description = "SOP id"), ("version" = i64, Path, description = "The version to restore")),
    responses((status = 201, body = SopVersionDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn restore(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath((id, version)): ApiPath<(i64, i64)>,
) -> ApiResult<Response> {
    let id = SopId::new(id);
    let record = state.app.restore_sop(&actor, id, version).await?;
    let latest = state
        .app
        .sop_version(&actor, id, record.latest_version)
        .await?;
    Ok((StatusCode::CREATED, Json(SopVersionDto::from(latest))).into_response())
}

/// A governance step: `submit` (an author or the owner), `check` (the owner), `validate` (the
/// reviewer, not an author), `approve` (the approver: a lead or admin, not an author and not
/// the validator; the version becomes effective, the previous one is superseded, the desk is
/// notified and the next review scheduled), `retire` (the owner or approver) or `return` (to
/// draft, with a comment, by whoever acts at the current stage).
#[utoipa::path(post, path = "/api/v1/sops/{id}/actions/{action}", tag = "sops", request_body = crate::document::CommentDto,
    params(("id" = i64, Path, description = "SOP id"), ("action" = String, Path, description = "submit, check, validate, approve, retire or return")),
    responses((status = 200, body = SopDto), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn act(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath((id, action)): ApiPath<(i64, String)>,
    body: ApiBytes,
) -> ApiResult<Json<SopDto>> {
    let id = SopId::new(id);
    let action = GovernanceAction::parse(&action).map_err(|_| ApiError::not_found("action"))?;
    let dto: crate::document::CommentDto = parse_json(&body.0)?;
    state
        .app
        .sop_action(&actor, id, action, dto.comment)
        .await?;
    Ok(Json(sop_dto(&state, &actor, id).await?))
}

/// The owner records a review: open reviews close with the note; the next is scheduled.
#[utoipa::path(post, path = "/api/v1/sops/{id}/reviews", tag = "sops", request_body = ReviewNoteDto,
    params(("id" = i64, Path, description = "SOP id")),
    responses((status = 200, body = SopDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn record_review(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(dto): ApiJson<ReviewNoteDto>,
) -> ApiResult<Json<SopDto>> {
    let id = SopId::new(id);
    state.app.record_sop_review(&actor, id, &dto.note).await?;
    Ok(Json(sop_dto(&state, &actor, id).await?))
}

/// Open reviews, and scheduled reviews that are upcoming (two weeks) or overdue (staff).
#[utoipa::path(get, path = "/api/v1/sop-reviews", tag = "sops",
    responses((status = 200, body = ReviewListingDto), (status = 404, body = Problem)))]
pub async fn reviews(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<ReviewListingDto>> {
    let listing = state.app.list_sop_reviews(&actor).await?;
    Ok(Json(ReviewListingDto {
        open: listing.open.iter().map(|(r, _)| r.into()).collect(),
        scheduled: listing
            .scheduled
            .iter()
            .map(|(s, due)| ScheduledReviewDto {
                sop_id: s.id.get(),
                title: s.title.clone(),
                owner_id: s.owner_id.get(),
                next_review_at: s.next_review_at.map(time),
                due: due.as_str().to_owned(),
            })
            .collect(),
    }))
}

/// Import the seed SOPs that ship with Spoc as drafts owned by the caller (admins). Existing
/// keys are left alone.
#[utoipa::path(post, path = "/api/v1/sops/import", tag = "sops",
    responses((status = 200, body = ImportDto), (status = 403, body = Problem)))]
pub async fn import(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<ImportDto>> {
    let report = state
        .app
        .import_seed_sops(
            actor.tenant_id,
            Some(&actor),
            actor.person().map_err(spoc_app::AppError::from)?,
        )
        .await?;
    Ok(Json(ImportDto {
        created: report.created,
        skipped: report.skipped,
        unlinked: report.unlinked,
    }))
}

/// Tick or untick a step of the ticket's SOP checklist, or record an answer (staff). The first
/// change binds the ticket to the SOP version in force. Answers with the ticket and its ETag.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/checklist", tag = "sops", request_body = ChecklistChangeDto,
    params(("id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = crate::tickets::dto::TicketDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn checklist(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    IfMatch(_): IfMatch,
    ApiJson(dto): ApiJson<ChecklistChangeDto>,
) -> ApiResult<Response> {
    let id = TicketId::new(id);
    let actor = state.app.actor_on_ticket(&actor, id).await?;
    let ticket = match (dto.done, dto.answer) {
        (None, Some(answer)) => {
            state
                .app
                .answer_sop_step(&actor, id, &dto.step, &answer)
                .await?
        }
        (Some(done), None) => state.app.tick_sop_step(&actor, id, &dto.step, done).await?,
        _ => {
            return Err(ApiError::invalid_field(
                "done",
                "send either done (true or false) or answer",
            ));
        }
    };
    crate::tickets::ticket_response(&state, &actor, ticket).await
}

/// The outcomes of every SOP version: first contact resolution, SLA attainment, time to
/// resolution, reassignment and reopen rates of the tickets handled under it, beside the
/// previous version's (staff).
#[utoipa::path(get, path = "/api/v1/reports/sop-outcomes", tag = "sops", params(OutcomeParams),
    responses((status = 200, body = [SopOutcomeDto]), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn outcomes(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(params): ApiQuery<OutcomeParams>,
) -> ApiResult<Json<Vec<SopOutcomeDto>>> {
    let actor = state
        .app
        .report_actor(&actor, spoc_http::params::tenant_param(params.tenant_id)?)
        .await?;
    let rows = state.app.sop_outcomes(&actor, params.sop_id).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        // Rows come newest version first within each SOP: the previous version is the next row.
        let previous = rows.get(i + 1).filter(|p| p.sop_id == row.sop_id);
        out.push(SopOutcomeDto {
            sop_id: row.sop_id,
            title: row.title.clone(),
            version: row.version,
            state: row.state.as_str().to_owned(),
            effective_at: row.effective_at.map(time),
            ticket_ids: row.tickets.iter().map(|t| t.get()).collect(),
            outcomes: row.outcomes.clone().into(),
            previous_version: previous.map(|p| p.version),
            previous_outcomes: previous.map(|p| p.outcomes.clone().into()),
        });
    }
    Ok(Json(out))
}

//! `/api/v1/sops` (with `/versions`, governance `/actions/{action}`, settings, reviews and the
//! seed import), the checklist of a ticket's SOP, the review list and
//! `/api/v1/reports/sop-outcomes`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use spoc_app::{SopInput, SopRecord, SopSettings, SopVersionRecord, TicketSopView};
use spoc_domain::metrics::{DurationSummary, Outcomes, Ratio};
use spoc_domain::sop::{GovernanceAction, ReviewPolicy, SopContent, SopLink};
use spoc_domain::ticket::TicketKind;
use spoc_domain::{CategoryId, TicketId, UserId};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::dto::time;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiBytes, ApiJson, ApiPath, ApiQuery, Authenticated, IfMatch, parse_json};

/// Where an SOP applies.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SopLinkDto {
    /// `incident` or `service_request`; absent for any kind.
    pub kind: Option<String>,
    /// A top-level category; absent for any.
    pub category_id: Option<i64>,
    /// A subcategory of `category_id`; absent for any.
    pub subcategory_id: Option<i64>,
}

impl From<&SopLink> for SopLinkDto {
    fn from(l: &SopLink) -> Self {
        Self {
            kind: l.kind.map(|k| k.as_str().to_owned()),
            category_id: l.category_id.map(CategoryId::get),
            subcategory_id: l.subcategory_id.map(CategoryId::get),
        }
    }
}

impl SopLinkDto {
    fn parse(&self) -> Result<SopLink, ApiError> {
        Ok(SopLink {
            kind: self.kind.as_deref().map(TicketKind::parse).transpose()?,
            category_id: self.category_id.map(CategoryId::new),
            subcategory_id: self.subcategory_id.map(CategoryId::new),
        })
    }
}

/// An SOP's document control.
#[derive(Debug, Serialize, ToSchema)]
pub struct SopSummaryDto {
    /// Id.
    pub id: i64,
    /// Stable key.
    pub key: String,
    /// Title of the latest version.
    pub title: String,
    /// The accountable owner.
    pub owner_id: i64,
    /// The subject-matter reviewer.
    pub reviewer_id: Option<i64>,
    /// The approver.
    pub approver_id: Option<i64>,
    /// The version in force.
    pub effective_version: Option<i64>,
    /// The newest version.
    pub latest_version: i64,
    /// The next scheduled review (RFC 3339).
    pub next_review_at: Option<String>,
    /// Months between scheduled reviews.
    pub review_interval_months: i64,
    /// Early review after this many SLA breaches within the window.
    pub breach_threshold: Option<i64>,
    /// Early review after this many reopenings within the window.
    pub reopen_threshold: Option<i64>,
    /// The trigger window in days.
    pub window_days: i64,
    /// Last change (RFC 3339).
    pub updated_at: String,
}

impl From<&SopRecord> for SopSummaryDto {
    fn from(r: &SopRecord) -> Self {
        Self {
            id: r.id,
            key: r.key.clone(),
            title: r.title.clone(),
            owner_id: r.owner_id.get(),
            reviewer_id: r.reviewer_id.map(UserId::get),
            approver_id: r.approver_id.map(UserId::get),
            effective_version: r.effective_version,
            latest_version: r.latest_version,
            next_review_at: r.next_review_at.map(time),
            review_interval_months: r.policy.interval_months,
            breach_threshold: r.policy.breach_threshold,
            reopen_threshold: r.policy.reopen_threshold,
            window_days: r.policy.window_days,
            updated_at: time(r.updated_at),
        }
    }
}

/// One version of an SOP, with its content.
#[derive(Debug, Serialize, ToSchema)]
pub struct SopVersionDto {
    /// 1, 2, …
    pub version: i64,
    /// `draft`, `submitted`, `checked`, `validated`, `effective`, `superseded` or `retired`.
    pub state: String,
    /// The procedure: `title`, `purpose`, `scope`, `trigger`, `roles` (`role`, `duty`),
    /// `inputs`, `steps` (`key`, `text`, optional `answer` {`label`, `options`}), `decisions`
    /// (`key`, `after_step`, `question`, `options` [{`answer`, `then`}]), `exceptions` (`key`,
    /// `when`, `threshold`, `action`, `follow_sop`), `escalations` (`key`, `when`, `level`
    /// functional|hierarchical, `group`, `reason`), `checks` (`key`, `text`, `requires`:
    /// {`kind`:"field","field":…} | {`kind`:"priority_rationale"} | {`kind`:"step","step":…} |
    /// {`kind`:"answer","step":…,"one_of":[…]}), `references` (`title`, `location`).
    #[schema(value_type = Object)]
    pub content: SopContent,
    /// What changed.
    pub change_summary: String,
    /// Who wrote it (absent: imported).
    pub author_id: Option<i64>,
    /// Written (RFC 3339).
    pub created_at: String,
    /// Became effective (RFC 3339).
    pub effective_at: Option<String>,
    /// Stopped being effective (RFC 3339).
    pub superseded_at: Option<String>,
}

impl From<SopVersionRecord> for SopVersionDto {
    fn from(v: SopVersionRecord) -> Self {
        Self {
            version: v.version,
            state: v.state.as_str().to_owned(),
            content: v.content,
            change_summary: v.change_summary,
            author_id: v.author_id.map(UserId::get),
            created_at: time(v.created_at),
            effective_at: v.effective_at.map(time),
            superseded_at: v.superseded_at.map(time),
        }
    }
}

/// A governance step.
#[derive(Debug, Serialize, ToSchema)]
pub struct SopLogDto {
    /// The version.
    pub version: i64,
    /// `created`, `drafted`, `edited`, `submit`, `check`, `validate`, `approve`, `retire`,
    /// `return`, `reviewed` or `settings`.
    pub action: String,
    /// Who (absent: the system).
    pub actor_id: Option<i64>,
    /// When (RFC 3339).
    pub at: String,
    /// Their comment.
    pub comment: Option<String>,
}

/// A review, due or called for.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewDto {
    /// Id.
    pub id: i64,
    /// The SOP.
    pub sop_id: i64,
    /// `scheduled`, `sla_breaches` or `reopenings`.
    pub cause: String,
    /// Open (not yet addressed).
    pub open: bool,
    /// Scheduled reviews: the date (RFC 3339).
    pub due_at: Option<String>,
    /// Opened (RFC 3339).
    pub created_at: String,
    /// Closed (RFC 3339).
    pub closed_at: Option<String>,
    /// The owner's note, or how it was addressed.
    pub note: Option<String>,
    /// The tickets whose signals called for it.
    pub ticket_ids: Vec<i64>,
}

impl From<&spoc_app::SopReviewRecord> for ReviewDto {
    fn from(r: &spoc_app::SopReviewRecord) -> Self {
        Self {
            id: r.id,
            sop_id: r.sop_id,
            cause: r.cause.as_str().to_owned(),
            open: r.open,
            due_at: r.due_at.map(time),
            created_at: time(r.created_at),
            closed_at: r.closed_at.map(time),
            note: r.note.clone(),
            ticket_ids: r.tickets.iter().map(|t| t.get()).collect(),
        }
    }
}

/// An SOP with its versions (without content), governance log, links and reviews.
#[derive(Debug, Serialize, ToSchema)]
pub struct SopDto {
    /// Document control.
    #[serde(flatten)]
    pub summary: SopSummaryDto,
    /// Where it applies.
    pub links: Vec<SopLinkDto>,
    /// Every version, oldest first (content at `/versions/{version}`).
    pub versions: Vec<SopVersionSummaryDto>,
    /// Who did each governance step, and when.
    pub log: Vec<SopLogDto>,
    /// Its reviews, newest first.
    pub reviews: Vec<ReviewDto>,
}

/// A version without its content.
#[derive(Debug, Serialize, ToSchema)]
pub struct SopVersionSummaryDto {
    /// 1, 2, …
    pub version: i64,
    /// Its state.
    pub state: String,
    /// Its title.
    pub title: String,
    /// What changed.
    pub change_summary: String,
    /// Who wrote it.
    pub author_id: Option<i64>,
    /// Written (RFC 3339).
    pub created_at: String,
    /// Became effective (RFC 3339).
    pub effective_at: Option<String>,
}

/// A new SOP.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SopInputDto {
    /// Stable key: lower-case letters, digits and `-`.
    pub key: String,
    /// The procedure (see `SopVersionDto.content`).
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    /// What this version is.
    pub change_summary: String,
    /// Document control.
    #[serde(flatten)]
    pub settings: SopSettingsDto,
}

/// An SOP's document control.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SopSettingsDto {
    /// The accountable owner (staff).
    pub owner_id: i64,
    /// The subject-matter reviewer (staff).
    pub reviewer_id: Option<i64>,
    /// The approver (a lead or admin, not the reviewer).
    pub approver_id: Option<i64>,
    /// Months between scheduled reviews, 1–24 (default 6).
    #[schema(schema_with = crate::schema::review_interval_months)]
    pub review_interval_months: Option<i64>,
    /// Early review after this many SLA breaches in the window (absent: none).
    #[schema(schema_with = crate::schema::review_threshold)]
    pub breach_threshold: Option<i64>,
    /// Early review after this many reopenings in the window (absent: none).
    #[schema(schema_with = crate::schema::review_threshold)]
    pub reopen_threshold: Option<i64>,
    /// The window in days, 1–365 (default 30).
    #[schema(schema_with = crate::schema::review_window_days)]
    pub window_days: Option<i64>,
    /// Where it applies.
    #[serde(default)]
    pub links: Vec<SopLinkDto>,
}

impl SopSettingsDto {
    fn parse(&self) -> Result<SopSettings, ApiError> {
        Ok(SopSettings {
            owner_id: UserId::new(self.owner_id),
            reviewer_id: self.reviewer_id.map(UserId::new),
            approver_id: self.approver_id.map(UserId::new),
            policy: ReviewPolicy {
                interval_months: self
                    .review_interval_months
                    .unwrap_or(ReviewPolicy::DEFAULT.interval_months),
                breach_threshold: self.breach_threshold,
                reopen_threshold: self.reopen_threshold,
                window_days: self
                    .window_days
                    .unwrap_or(ReviewPolicy::DEFAULT.window_days),
            },
            links: self
                .links
                .iter()
                .map(SopLinkDto::parse)
                .collect::<Result<_, _>>()?,
        })
    }
}

/// A new (or revised draft) version.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SopDraftDto {
    /// The procedure (see `SopVersionDto.content`).
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    /// What changed and why.
    pub change_summary: String,
    /// The latest version the edit started from; a later change is a conflict.
    pub version: Option<i64>,
}

/// A review's conclusion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewNoteDto {
    /// What the owner concluded (e.g. "still accurate", "revision drafted as version 3").
    #[schema(schema_with = crate::schema::reason)]
    pub note: String,
}

/// A scheduled review that is upcoming or overdue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduledReviewDto {
    /// The SOP.
    pub sop_id: i64,
    /// Its title.
    pub title: String,
    /// Its owner.
    pub owner_id: i64,
    /// The date (RFC 3339).
    pub next_review_at: Option<String>,
    /// `upcoming` or `overdue`.
    pub due: String,
}

/// Open reviews and scheduled ones that are near or past.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewListingDto {
    /// Open reviews, newest first.
    pub open: Vec<ReviewDto>,
    /// Upcoming and overdue scheduled reviews, soonest first.
    pub scheduled: Vec<ScheduledReviewDto>,
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportDto {
    /// Keys imported (as drafts).
    pub created: Vec<String>,
    /// Keys that already existed.
    pub skipped: Vec<String>,
    /// Links left out because their category does not exist.
    pub unlinked: Vec<String>,
}

/// One step of a ticket's checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistStepDto {
    /// Stable key.
    pub key: String,
    /// The instruction.
    pub text: String,
    /// Ticked.
    pub done: bool,
    /// Who ticked it.
    pub done_by: Option<i64>,
    /// When (RFC 3339).
    pub done_at: Option<String>,
    /// The question to answer with the step, if any.
    pub answer_label: Option<String>,
    /// The allowed answers (empty: free text).
    pub options: Vec<String>,
    /// The answer recorded.
    pub answer: Option<String>,
}

/// One quality check and whether it holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckStateDto {
    /// Stable key.
    pub key: String,
    /// What must be true.
    pub text: String,
    /// Whether it holds now.
    pub met: bool,
}

/// The SOP a ticket is handled under, and its checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketSopDto {
    /// The SOP.
    pub id: i64,
    /// Its key.
    pub key: String,
    /// The version's title.
    pub title: String,
    /// The version the ticket is handled under (or will be, once work on it begins).
    pub version: i64,
    /// Whether the ticket is bound to this version (from its first checklist use or resolution).
    pub bound: bool,
    /// When it was bound (RFC 3339).
    pub bound_at: Option<String>,
    /// A newer effective version, when the ticket stays on an older one.
    pub newer_effective_version: Option<i64>,
    /// The checklist.
    pub steps: Vec<ChecklistStepDto>,
    /// The quality checks enforced before resolve and close.
    pub checks: Vec<CheckStateDto>,
}

impl From<&TicketSopView> for TicketSopDto {
    fn from(v: &TicketSopView) -> Self {
        let content = &v.version.content;
        Self {
            id: v.sop.id,
            key: v.sop.key.clone(),
            title: content.title.clone(),
            version: v.version.version,
            bound: v.bound.is_some(),
            bound_at: v.bound.as_ref().map(|b| time(b.bound_at)),
            newer_effective_version: v.newer_effective,
            steps: content
                .steps
                .iter()
                .map(|s| {
                    let mark = v.checklist.done.get(&s.key);
                    ChecklistStepDto {
                        key: s.key.clone(),
                        text: s.text.clone(),
                        done: mark.is_some(),
                        done_by: mark.map(|m| m.by.get()),
                        done_at: mark.map(|m| time(m.at)),
                        answer_label: s.answer.as_ref().map(|a| a.label.clone()),
                        options: s
                            .answer
                            .as_ref()
                            .map(|a| a.options.clone())
                            .unwrap_or_default(),
                        answer: v.checklist.answers.get(&s.key).map(|a| a.value.clone()),
                    }
                })
                .collect(),
            checks: content
                .checks
                .iter()
                .map(|c| CheckStateDto {
                    key: c.key.clone(),
                    text: c.text.clone(),
                    met: !v.missing.iter().any(|m| m.key == c.key),
                })
                .collect(),
        }
    }
}

/// A checklist change: tick or untick a step, or record an answer (which also ticks it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistChangeDto {
    /// The step's key.
    pub step: String,
    /// Tick (`true`) or untick (`false`).
    pub done: Option<bool>,
    /// The answer to record.
    pub answer: Option<String>,
}

/// A share.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatioDto {
    /// How many qualify.
    pub count: i64,
    /// Out of how many.
    pub of: i64,
    /// In percent; absent when there is nothing to count.
    pub percent: Option<f64>,
}

impl From<Ratio> for RatioDto {
    fn from(r: Ratio) -> Self {
        Self {
            count: r.numerator,
            of: r.denominator,
            percent: r.percent(),
        }
    }
}

/// Durations in seconds.
#[derive(Debug, Serialize, ToSchema)]
pub struct DurationSummaryDto {
    /// How many.
    pub count: i64,
    /// Mean.
    pub mean_seconds: Option<i64>,
    /// Median.
    pub median_seconds: Option<i64>,
    /// 90th percentile (nearest rank).
    pub p90_seconds: Option<i64>,
}

impl From<DurationSummary> for DurationSummaryDto {
    fn from(d: DurationSummary) -> Self {
        let s = |v: Option<i64>| v.map(|m| m / 1_000_000);
        Self {
            count: d.n,
            mean_seconds: s(d.mean),
            median_seconds: s(d.median),
            p90_seconds: s(d.p90),
        }
    }
}

/// Outcomes of the tickets handled under one SOP version (`domain.md` §7).
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeMetricsDto {
    /// Tickets handled under it.
    pub tickets: i64,
    /// Of them, resolved.
    pub resolved: i64,
    /// First contact resolution, of resolved tickets.
    pub first_contact_resolution: RatioDto,
    /// First-response targets met, of those decided.
    pub sla_response: RatioDto,
    /// Resolution targets met, of those decided.
    pub sla_resolution: RatioDto,
    /// Time to resolution, elapsed.
    pub mttr_elapsed: DurationSummaryDto,
    /// Time to resolution on the SLA clock (business time, pauses excluded).
    pub mttr_business: DurationSummaryDto,
    /// Tickets reassigned at least once.
    pub reassignment_rate: RatioDto,
    /// Reassignments per ticket.
    pub mean_reassignments: Option<f64>,
    /// Resolved tickets reopened at least once.
    pub reopen_rate: RatioDto,
}

impl From<Outcomes> for OutcomeMetricsDto {
    fn from(o: Outcomes) -> Self {
        Self {
            tickets: o.n_tickets,
            resolved: o.n_resolved,
            first_contact_resolution: o.first_contact_resolution.into(),
            sla_response: o.sla_response.into(),
            sla_resolution: o.sla_resolution.into(),
            mttr_elapsed: o.time_to_resolution.into(),
            mttr_business: o.business_time_to_resolution.into(),
            reassignment_rate: o.reassigned.into(),
            mean_reassignments: o.mean_reassignments,
            reopen_rate: o.reopened.into(),
        }
    }
}

/// One SOP version's outcomes beside the previous version's.
#[derive(Debug, Serialize, ToSchema)]
pub struct SopOutcomeDto {
    /// The SOP.
    pub sop_id: i64,
    /// The version's title.
    pub title: String,
    /// The version.
    pub version: i64,
    /// Its state.
    pub state: String,
    /// Became effective (RFC 3339).
    pub effective_at: Option<String>,
    /// The tickets handled under it.
    pub ticket_ids: Vec<i64>,
    /// Their outcomes.
    pub outcomes: OutcomeMetricsDto,
    /// The previous effective version of the same SOP, for comparison.
    pub previous_version: Option<i64>,
    /// Its outcomes.
    pub previous_outcomes: Option<OutcomeMetricsDto>,
}

/// Which SOP.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutcomeParams {
    /// Only this SOP.
    pub sop_id: Option<i64>,
}

fn content_of(value: serde_json::Value) -> Result<SopContent, ApiError> {
    let content: SopContent = serde_json::from_value(value)
        .map_err(|e| ApiError::invalid_field("content", format!("is not an SOP: {e}")))?;
    Ok(content)
}

async fn sop_dto(
    state: &AppState,
    actor: &spoc_domain::access::Actor,
    id: i64,
) -> ApiResult<SopDto> {
    let view = state.app.get_sop(actor, id).await?;
    Ok(SopDto {
        summary: (&view.record).into(),
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
        log: view
            .log
            .iter()
            .map(|l| SopLogDto {
                version: l.version,
                action: l.action.clone(),
                actor_id: l.actor_id.map(UserId::get),
                at: time(l.at),
                comment: l.comment.clone(),
            })
            .collect(),
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
    Ok(Json(
        state.app.sop_version(&actor, id, version).await?.into(),
    ))
}

/// A governance step: `submit` (an author or the owner), `check` (the owner), `validate` (the
/// reviewer, not an author), `approve` (the approver: a lead or admin, not an author and not
/// the validator; the version becomes effective, the previous one is superseded, the desk is
/// notified and the next review scheduled), `retire` (the owner or approver) or `return` (to
/// draft, with a comment, by whoever acts at the current stage).
#[utoipa::path(post, path = "/api/v1/sops/{id}/actions/{action}", tag = "sops", request_body = crate::knowledge::CommentDto,
    params(("id" = i64, Path, description = "SOP id"), ("action" = String, Path, description = "submit, check, validate, approve, retire or return")),
    responses((status = 200, body = SopDto), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn act(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath((id, action)): ApiPath<(i64, String)>,
    body: ApiBytes,
) -> ApiResult<Json<SopDto>> {
    let action = GovernanceAction::parse(&action).map_err(|_| ApiError::not_found("action"))?;
    let dto: crate::knowledge::CommentDto = parse_json(&body.0)?;
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
                sop_id: s.id,
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
        .import_seed_sops(Some(&actor), actor.user_id)
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
    responses((status = 200, body = crate::dto::TicketDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn checklist(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    IfMatch(_): IfMatch,
    ApiJson(dto): ApiJson<ChecklistChangeDto>,
) -> ApiResult<Response> {
    let id = TicketId::new(id);
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
    responses((status = 200, body = [SopOutcomeDto]), (status = 404, body = Problem)))]
pub async fn outcomes(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiQuery(params): ApiQuery<OutcomeParams>,
) -> ApiResult<Json<Vec<SopOutcomeDto>>> {
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

//! Service-level setup over the API: business calendars and SLA policies.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing;
use serde::{Deserialize, Serialize};
use spoc_app::{Calendar, Policy, PolicyInput};
use spoc_domain::calendar::{CalendarSpec, HolidaySpec, WorkingHours};
use spoc_domain::sla::PolicyTerms;
use spoc_domain::text::Name;
use spoc_domain::{CalendarId, PolicyId};
use utoipa::ToSchema;

use crate::wire::{created, listed};
use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{Administrator, ApiJson, ApiPath, Authenticated};
use spoc_http::params::{parse_by, parse_instant, time};

/// The routes of this feature under `/api/v1`: business calendars, SLA policies and the SLA report.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/calendars",
            routing::get(list_calendars).post(create_calendar),
        )
        .route(
            "/calendars/{id}",
            routing::get(get_calendar).put(update_calendar),
        )
        .route(
            "/sla-policies",
            routing::get(list_policies).post(create_policy),
        )
        .route(
            "/sla-policies/{id}",
            routing::get(get_policy).put(update_policy),
        )
        .route(
            "/sla-policies/{id}/actions/reapply",
            routing::post(reapply_policy),
        )
        .route("/reports/sla", routing::get(sla_report))
}

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    list_calendars,
    get_calendar,
    create_calendar,
    update_calendar,
    list_policies,
    get_policy,
    create_policy,
    update_policy,
    reapply_policy,
    sla_report
))]
pub struct Operations;

/// A business calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarDto {
    /// Id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// IANA time zone, e.g. `Europe/Stockholm`.
    pub time_zone: String,
    /// Open around the clock (24×7).
    pub always_open: bool,
    /// Working hours: `{"day":"mon","start":"08:00","end":"17:00"}`; `end` before `start` is an
    /// overnight shift, `24:00` the end of the day.
    #[schema(value_type = Vec<Object>)]
    pub hours: Vec<WorkingHours>,
    /// Days off: `{"date":"2026-12-24"}`, `{"from":"…","to":"…"}` or `{"month":12,"day":25}`.
    #[schema(value_type = Vec<Object>)]
    pub holidays: Vec<HolidaySpec>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<Calendar> for CalendarDto {
    fn from(c: Calendar) -> Self {
        Self {
            id: c.id.get(),
            name: c.name,
            time_zone: c.spec.time_zone,
            always_open: c.spec.always_open,
            hours: c.spec.hours,
            holidays: c.spec.holidays,
            created_at: time(c.created_at),
            updated_at: time(c.updated_at),
        }
    }
}

/// A calendar to create or replace.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarInputDto {
    /// Unique name.
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Around the clock.
    #[serde(default)]
    pub always_open: bool,
    /// Working hours.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub hours: Vec<WorkingHours>,
    /// Days off.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub holidays: Vec<HolidaySpec>,
}

/// An SLA policy.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyDto {
    /// Id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Evaluation order: the first matching policy (lowest position) applies.
    pub position: i64,
    /// The fallback when no other policy matches.
    pub is_default: bool,
    /// The calendar its clocks run on.
    pub calendar_id: i64,
    /// Conditions (`conditions`: kinds, priorities, service_ids, organization_ids,
    /// category_ids), targets in business minutes per priority P1…P5 (`first_response`,
    /// `resolution`, optional `next_response`), `pause_on` (pending reasons), `warning_percent`,
    /// and `on_breach` (`notify_lead`, `escalate_to_group`, `raise_priority`).
    #[schema(value_type = Object)]
    pub terms: PolicyTerms,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<Policy> for PolicyDto {
    fn from(p: Policy) -> Self {
        Self {
            id: p.id.get(),
            name: p.name,
            position: p.position,
            is_default: p.is_default,
            calendar_id: p.calendar_id.get(),
            terms: p.terms,
            created_at: time(p.created_at),
            updated_at: time(p.updated_at),
        }
    }
}

/// A policy to create or replace.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyInputDto {
    /// Unique name.
    pub name: String,
    /// Evaluation order.
    pub position: i64,
    /// Make it the default (the previous default stops being one).
    #[serde(default)]
    pub is_default: bool,
    /// Its calendar.
    pub calendar_id: i64,
    /// Conditions, targets, pauses, warning and breach actions (see `PolicyDto`).
    #[schema(value_type = Object)]
    pub terms: PolicyTerms,
}

fn spec(dto: CalendarInputDto) -> (String, CalendarSpec) {
    (
        dto.name,
        CalendarSpec {
            time_zone: dto.time_zone,
            always_open: dto.always_open,
            hours: dto.hours,
            holidays: dto.holidays,
        },
    )
}

/// Business calendars (staff).
#[utoipa::path(get, path = "/api/v1/calendars", tag = "sla",
    responses((status = 200, body = [CalendarDto]), (status = 403, body = Problem)))]
pub async fn list_calendars(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<Vec<CalendarDto>>> {
    Ok(listed(state.app.list_calendars(&actor).await?))
}

/// One calendar (staff).
#[utoipa::path(get, path = "/api/v1/calendars/{id}", tag = "sla", params(("id" = i64, Path)),
    responses((status = 200, body = CalendarDto), (status = 404, body = Problem)))]
pub async fn get_calendar(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<CalendarId>,
) -> ApiResult<Json<CalendarDto>> {
    let found = state
        .app
        .list_calendars(&actor)
        .await?
        .into_iter()
        .find(|c| c.id == id);
    found
        .map(|c| Json(c.into()))
        .ok_or_else(|| spoc_http::error::ApiError::not_found("calendar"))
}

/// Add a calendar (admins).
#[utoipa::path(post, path = "/api/v1/calendars", tag = "sla", request_body = CalendarInputDto,
    responses((status = 201, body = CalendarDto), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_calendar(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<CalendarInputDto>,
) -> ApiResult<(StatusCode, Json<CalendarDto>)> {
    let (name, spec) = spec(dto);
    let saved = state
        .app
        .save_calendar(&actor, None, Name::parse(&name)?, spec)
        .await?;
    Ok(created(saved))
}

/// Replace a calendar (admins). Running clocks use the new hours from their next change on.
#[utoipa::path(put, path = "/api/v1/calendars/{id}", tag = "sla", params(("id" = i64, Path)), request_body = CalendarInputDto,
    responses((status = 200, body = CalendarDto), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_calendar(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiPath(id): ApiPath<CalendarId>,
    ApiJson(dto): ApiJson<CalendarInputDto>,
) -> ApiResult<Json<CalendarDto>> {
    let (name, spec) = spec(dto);
    Ok(Json(
        state
            .app
            .save_calendar(&actor, Some(id), Name::parse(&name)?, spec)
            .await?
            .into(),
    ))
}

/// SLA policies in evaluation order (staff).
#[utoipa::path(get, path = "/api/v1/sla-policies", tag = "sla",
    responses((status = 200, body = [PolicyDto]), (status = 403, body = Problem)))]
pub async fn list_policies(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<Vec<PolicyDto>>> {
    Ok(listed(state.app.list_policies(&actor).await?))
}

/// One policy (staff).
#[utoipa::path(get, path = "/api/v1/sla-policies/{id}", tag = "sla", params(("id" = i64, Path)),
    responses((status = 200, body = PolicyDto), (status = 404, body = Problem)))]
pub async fn get_policy(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<PolicyId>,
) -> ApiResult<Json<PolicyDto>> {
    let found = state
        .app
        .list_policies(&actor)
        .await?
        .into_iter()
        .find(|p| p.id == id);
    found
        .map(|p| Json(p.into()))
        .ok_or_else(|| spoc_http::error::ApiError::not_found("SLA policy"))
}

fn input(dto: PolicyInputDto) -> (String, PolicyInput) {
    (
        dto.name,
        PolicyInput {
            position: dto.position,
            is_default: dto.is_default,
            calendar_id: CalendarId::new(dto.calendar_id),
            terms: dto.terms,
        },
    )
}

/// Add a policy (admins). It applies to tickets logged from now on.
#[utoipa::path(post, path = "/api/v1/sla-policies", tag = "sla", request_body = PolicyInputDto,
    responses((status = 201, body = PolicyDto), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_policy(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(dto): ApiJson<PolicyInputDto>,
) -> ApiResult<(StatusCode, Json<PolicyDto>)> {
    let (name, input) = input(dto);
    let saved = state
        .app
        .save_policy(&actor, None, Name::parse(&name)?, input)
        .await?;
    Ok(created(saved))
}

/// Replace a policy (admins). Tickets already logged keep their clocks.
#[utoipa::path(put, path = "/api/v1/sla-policies/{id}", tag = "sla", params(("id" = i64, Path)), request_body = PolicyInputDto,
    responses((status = 200, body = PolicyDto), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_policy(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiPath(id): ApiPath<PolicyId>,
    ApiJson(dto): ApiJson<PolicyInputDto>,
) -> ApiResult<Json<PolicyDto>> {
    let (name, input) = input(dto);
    Ok(Json(
        state
            .app
            .save_policy(&actor, Some(id), Name::parse(&name)?, input)
            .await?
            .into(),
    ))
}

/// What re-applying a policy changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReappliedDto {
    /// Open tickets whose clocks took the policy's current targets.
    pub retargeted_tickets: usize,
}

/// Re-apply a policy's current targets to the open tickets already under it (admins). Elapsed
/// business time and pauses are kept; each re-target is recorded in the ticket's history.
#[utoipa::path(post, path = "/api/v1/sla-policies/{id}/actions/reapply", tag = "sla", params(("id" = i64, Path)),
    responses((status = 200, body = ReappliedDto), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn reapply_policy(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<PolicyId>,
) -> ApiResult<Json<ReappliedDto>> {
    let retargeted_tickets = state.app.reapply_policy(&actor, id).await?;
    Ok(Json(ReappliedDto { retargeted_tickets }))
}

/// The period and breakdown of a report.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// Start, inclusive: a date (`2026-11-01`, UTC midnight) or an RFC 3339 instant.
    pub from: String,
    /// End, exclusive: a date or an RFC 3339 instant.
    pub to: String,
    /// `group` (default), `priority` or `policy`.
    pub by: Option<String>,
    /// The tenant whose report it is, 1 or more (the provider's leads and admins; default: the
    /// caller's).
    pub tenant_id: Option<i64>,
}

/// Attainment of one kind of target.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttainmentDto {
    /// Targets met in the period.
    pub met: u64,
    /// Targets decided (met or breached) in the period.
    pub decided: u64,
    /// `met / decided` in percent; absent when nothing was decided.
    pub percent: Option<f64>,
}

/// Durations in seconds.
#[derive(Debug, Serialize, ToSchema)]
pub struct DurationDto {
    /// How many tickets.
    pub count: u64,
    /// Mean.
    pub mean_seconds: i64,
    /// Median.
    pub median_seconds: i64,
    /// 90th percentile.
    pub p90_seconds: i64,
}

/// One line of the report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportRowDto {
    /// The group, priority or policy.
    pub label: String,
    /// First-response attainment.
    pub response: AttainmentDto,
    /// Resolution attainment.
    pub resolution: AttainmentDto,
    /// Time to resolution, elapsed.
    pub mttr_elapsed: DurationDto,
    /// Time to resolution on the SLA clock (business time, pauses excluded).
    pub mttr_business: DurationDto,
}

impl From<spoc_app::ReportRow> for ReportRowDto {
    fn from(r: spoc_app::ReportRow) -> Self {
        let att = |a: spoc_app::Attainment| AttainmentDto {
            met: a.met,
            decided: a.decided,
            percent: a.percent(),
        };
        let dur = |d: spoc_app::DurationStats| DurationDto {
            count: d.count,
            mean_seconds: d.mean / 1_000_000,
            median_seconds: d.median / 1_000_000,
            p90_seconds: d.p90 / 1_000_000,
        };
        Self {
            label: r.label,
            response: att(r.response),
            resolution: att(r.resolution),
            mttr_elapsed: dur(r.mttr_elapsed),
            mttr_business: dur(r.mttr_business),
        }
    }
}

/// SLA attainment (first response and resolution separately) and time to resolution (elapsed
/// and business) over a period, per group, priority or policy (staff).
#[utoipa::path(get, path = "/api/v1/reports/sla", tag = "sla", params(ReportParams),
    responses((status = 200, body = [ReportRowDto]), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn sla_report(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    spoc_http::extract::ApiQuery(params): spoc_http::extract::ApiQuery<ReportParams>,
) -> ApiResult<Json<Vec<ReportRowDto>>> {
    let query = |e: spoc_domain::ValidationError| {
        spoc_http::error::ApiError::bad_query(format!("{}: {}", e.field, e.message))
    };
    let from = parse_instant("from", &params.from).map_err(query)?;
    let to = parse_instant("to", &params.to).map_err(query)?;
    let by = parse_by(params.by.as_deref()).map_err(query)?;
    let actor = state
        .app
        .report_actor(&actor, spoc_http::params::tenant_param(params.tenant_id)?)
        .await?;
    let rows = state.app.sla_report(&actor, from, to, by).await?;
    Ok(listed(rows))
}

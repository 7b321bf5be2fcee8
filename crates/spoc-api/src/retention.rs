//! Retention of closed tickets over the API (the tenant's admins): the rule
//! (`GET`/`PUT /api/v1/settings/retention`) and a dry run of a rule before it is saved
//! (`GET /api/v1/settings/retention/dry-run`), each with how many tickets it would touch now.

use axum::extract::State;
use axum::{Json, Router, routing};
use serde::{Deserialize, Serialize};
use spoc_app::RetentionView;
use spoc_domain::retention::{MAX_MONTHS, RetentionMode};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

use spoc_http::AppState;
use spoc_http::error::{ApiError, ApiResult, Problem};
use spoc_http::extract::{Administrator, ApiJson, ApiQuery, in_range};
use spoc_http::params::time;

/// The routes of this feature under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/settings/retention",
            routing::get(get_retention).put(put_retention),
        )
        .route("/settings/retention/dry-run", routing::get(dry_run))
}

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(paths(get_retention, put_retention, dry_run))]
pub struct Operations;

/// A retention rule and what it would touch now.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetentionDto {
    /// `off`, `anonymise` or `delete`.
    #[schema(schema_with = mode_schema)]
    pub mode: String,
    /// After how many months closed tickets are due (0 when off).
    #[schema(minimum = 0, maximum = 120)]
    pub months: u32,
    /// Tickets closed before this instant are due (none when off).
    pub closed_before: Option<String>,
    /// How many tickets the rule would anonymise or delete now.
    #[schema(minimum = 0)]
    pub due: i64,
}

impl From<RetentionView> for RetentionDto {
    fn from(v: RetentionView) -> Self {
        Self {
            mode: v.rule.mode().as_str().to_owned(),
            months: v.rule.months(),
            closed_before: v.closed_before.map(time),
            due: v.due,
        }
    }
}

/// Setting the rule.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionInput {
    /// `off`, `anonymise` or `delete`.
    #[schema(schema_with = mode_schema)]
    pub mode: String,
    /// After how many months, 1–120 (ignored when off).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 120)]
    pub months: Option<i64>,
}

/// A rule to try.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DryRunParams {
    /// `anonymise` (the default) or `delete` (`off` touches nothing).
    #[param(schema_with = mode_schema)]
    mode: Option<String>,
    /// After how many months, 1–120.
    #[param(minimum = 1, maximum = 120)]
    months: Option<i64>,
}

/// The schema of a mode.
fn mode_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(RetentionMode::ALL.iter().map(|m| m.as_str())))
        .build()
}

fn mode(value: &str) -> Result<RetentionMode, ApiError> {
    RetentionMode::parse(value).map_err(|e| ApiError::invalid_field(e.field, e.message))
}

/// The tenant's retention rule for closed tickets, and how many it would touch now (admins).
#[utoipa::path(get, path = "/api/v1/settings/retention", tag = "admin",
    responses((status = 200, body = RetentionDto), (status = 403, body = Problem)))]
pub async fn get_retention(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
) -> ApiResult<Json<RetentionDto>> {
    Ok(Json(state.app.retention(&actor).await?.into()))
}

/// Sets the retention rule (admins): closed tickets older than `months` are anonymised or
/// deleted by the retention worker; `off` (the default) keeps them. Recorded in the audit log.
#[utoipa::path(put, path = "/api/v1/settings/retention", tag = "admin", request_body = RetentionInput,
    responses((status = 200, body = RetentionDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_retention(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(input): ApiJson<RetentionInput>,
) -> ApiResult<Json<RetentionDto>> {
    let mode = mode(&input.mode)?;
    let view = state
        .app
        .set_retention(&actor, mode, input.months.unwrap_or(0))
        .await?;
    Ok(Json(view.into()))
}

/// A dry run (admins): how many closed tickets a rule would anonymise or delete now, without
/// saving it or touching anything.
#[utoipa::path(get, path = "/api/v1/settings/retention/dry-run", tag = "admin", params(DryRunParams),
    responses((status = 200, body = RetentionDto), (status = 403, body = Problem)))]
pub async fn dry_run(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiQuery(params): ApiQuery<DryRunParams>,
) -> ApiResult<Json<RetentionDto>> {
    let mode = RetentionMode::parse(params.mode.as_deref().unwrap_or("anonymise"))
        .map_err(|e| ApiError::bad_query(format!("mode: {}", e.message)))?;
    let months = in_range("months", params.months, 1, i64::from(MAX_MONTHS))?.unwrap_or(0);
    if mode != RetentionMode::Off && months == 0 {
        return Err(ApiError::bad_query("months: give 1 to 120 months"));
    }
    Ok(Json(
        state
            .app
            .retention_dry_run(&actor, mode, months)
            .await?
            .into(),
    ))
}

//! The admin audit log over the API (`GET /api/v1/audit-log`, the tenant's admins): newest
//! first, filtered by action, actor, target and time, a page at a time.

use axum::extract::State;
use axum::{Json, Router, routing};
use serde::{Deserialize, Serialize};
use spoc_app::{AUDIT_PAGE_MAX, AuditActor, AuditEntry, AuditFilter};
use spoc_domain::UserId;
use spoc_domain::audit::{AUDIT_CODES, AUDIT_TARGET_KINDS};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

use spoc_http::AppState;
use spoc_http::error::{ApiError, ApiResult, Problem};
use spoc_http::extract::{Administrator, ApiQuery, in_range};
use spoc_http::params::{parse_instant, time};

/// The largest id a filter takes (as documented).
const MAX_ID: i64 = 999_999_999_999_999_999;

/// The routes of this feature under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/audit-log", routing::get(list_audit_log))
}

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(paths(list_audit_log))]
pub struct Operations;

/// One entry: who did what to what, and when. No personal data is stored in an entry: the
/// actor's name is looked up as the log is read.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryDto {
    /// The entry's id.
    pub id: i64,
    /// When.
    pub at: String,
    /// The person who acted (none when the system did).
    pub actor_id: Option<i64>,
    /// Their name now (the anonymous name after erasure).
    pub actor_name: Option<String>,
    /// The part of the system that acted (`bootstrap`, `automation`, …).
    pub actor_system: Option<String>,
    /// The action's code.
    #[schema(schema_with = action_schema)]
    pub action: String,
    /// The target's kind.
    #[schema(schema_with = target_kind_schema)]
    pub target_kind: String,
    /// The target's id (none for settings and the tickets as a whole).
    pub target_id: Option<i64>,
    /// Codes, ids and counts, e.g. `{"from": "customer", "to": "agent"}`.
    pub details: std::collections::BTreeMap<String, String>,
}

impl From<AuditEntry> for AuditEntryDto {
    fn from(e: AuditEntry) -> Self {
        let (actor_id, actor_name, actor_system) = match e.actor {
            AuditActor::Person { id, name } => (Some(id.get()), name, None),
            AuditActor::System(kind) => (None, None, Some(kind.as_str().to_owned())),
            AuditActor::Unknown => (None, None, None),
        };
        Self {
            id: e.id,
            at: time(e.at),
            actor_id,
            actor_name,
            actor_system,
            action: e.action,
            target_kind: e.target_kind,
            target_id: e.target_id,
            details: e.details.into_iter().collect(),
        }
    }
}

/// A page of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPageDto {
    /// This page, newest first.
    pub items: Vec<AuditEntryDto>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The audit log's filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only this action.
    #[param(schema_with = action_schema)]
    action: Option<String>,
    /// Only what this person did.
    #[param(minimum = 1, maximum = 999_999_999_999_999_999_i64)]
    actor_id: Option<i64>,
    /// Only targets of this kind.
    #[param(schema_with = target_kind_schema)]
    target_kind: Option<String>,
    /// Only this target.
    #[param(minimum = 1, maximum = 999_999_999_999_999_999_i64)]
    target_id: Option<i64>,
    /// At or after: a date (`2026-12-01`, midnight UTC) or an RFC 3339 time.
    #[param(max_length = 40)]
    from: Option<String>,
    /// Before: a date or an RFC 3339 time.
    #[param(max_length = 40)]
    until: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,18}$")]
    cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

/// The schema of an action code: one of the codes.
fn action_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(AUDIT_CODES.iter().copied()))
        .build()
}

/// The schema of a target kind.
fn target_kind_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(AUDIT_TARGET_KINDS.iter().copied()))
        .build()
}

impl AuditParams {
    /// The app's filter, or a 400 naming the parameter that does not parse.
    fn filter(self) -> Result<AuditFilter, ApiError> {
        let bad = |e: spoc_domain::ValidationError| {
            ApiError::bad_query(format!("{}: {}", e.field, e.message))
        };
        let limit = in_range("limit", self.limit, 1, i64::from(AUDIT_PAGE_MAX))?.unwrap_or(50);
        let actor_id = in_range("actor_id", self.actor_id, 1, MAX_ID)?;
        let target_id = in_range("target_id", self.target_id, 1, MAX_ID)?;
        if let Some(action) = self.action.as_deref()
            && !AUDIT_CODES.contains(&action)
        {
            return Err(ApiError::bad_query(format!(
                "action: {action:?} is not an action code"
            )));
        }
        if let Some(kind) = self.target_kind.as_deref()
            && !AUDIT_TARGET_KINDS.contains(&kind)
        {
            return Err(ApiError::bad_query(format!(
                "target_kind: {kind:?} is not a target kind"
            )));
        }
        let before_id = match self.cursor.as_deref() {
            None => None,
            Some(c) => Some(
                c.parse::<i64>()
                    .ok()
                    .filter(|id| *id > 0)
                    .ok_or_else(|| ApiError::bad_query("cursor is not a cursor this API gave"))?,
            ),
        };
        let from = self
            .from
            .as_deref()
            .map(|v| parse_instant("from", v))
            .transpose()
            .map_err(bad)?;
        let until = self
            .until
            .as_deref()
            .map(|v| parse_instant("until", v))
            .transpose()
            .map_err(bad)?;
        if let (Some(from), Some(until)) = (from, until)
            && until < from
        {
            return Err(ApiError::bad_query("until: must not be before from"));
        }
        Ok(AuditFilter {
            action: self.action,
            actor_id: actor_id.map(UserId::new),
            target_kind: self.target_kind,
            target_id,
            from,
            until,
            before_id,
            limit: u32::try_from(limit).unwrap_or(50),
        })
    }
}

/// The tenant's audit log, newest first (admins): who changed roles, settings, policies and
/// the desk's setup, and what the retention worker did. Entries hold ids and codes only.
#[utoipa::path(get, path = "/api/v1/audit-log", tag = "admin", params(AuditParams),
    responses((status = 200, body = AuditPageDto), (status = 403, body = Problem)))]
pub async fn list_audit_log(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> ApiResult<Json<AuditPageDto>> {
    let filter = params.filter()?;
    let page = state.app.audit_log(&actor, filter).await?;
    Ok(Json(AuditPageDto {
        items: page.entries.into_iter().map(AuditEntryDto::from).collect(),
        next_cursor: page.next.map(|id| id.to_string()),
    }))
}

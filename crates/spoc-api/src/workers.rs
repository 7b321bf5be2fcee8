//! The background workers' health over the API (`GET /api/v1/workers`, admins).

use axum::extract::State;
use axum::{Json, Router, routing};
use serde::Serialize;
use spoc_app::{JobHealth, JobState};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::Authenticated;
use spoc_http::params::time;

/// The routes of this feature under `/api/v1`: the background jobs' health.
pub fn routes() -> Router<AppState> {
    Router::new().route("/workers", routing::get(list_workers))
}

/// The operations of this feature in the OpenAPI document (`crate::document` gathers them).
#[derive(utoipa::OpenApi)]
#[openapi(paths(list_workers))]
pub struct Operations;

/// One background job on the node that answers, and its health.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkerDto {
    /// The job's name (`sla-timers`, `mail-delivery`, `mail-intake`, `sop-reviews`,
    /// `auto-close`, `statistics`, …).
    pub name: String,
    /// `running` (a step is under way), `idle` (waiting for its next step, or for the lease
    /// another node holds), `backing_off` (its last step failed) or `stopped`.
    #[schema(schema_with = job_state)]
    pub state: String,
    /// When a step last succeeded.
    pub last_success: Option<String>,
    /// The last failed step.
    pub last_failure: Option<WorkerFailureDto>,
    /// Failed steps since the last success.
    #[schema(minimum = 0)]
    pub consecutive_failures: u32,
    /// When the next step is due (none while running or stopped).
    pub next_run: Option<String>,
    /// Whether the job runs on one node at a time, under a lease.
    pub leased: bool,
    /// The node holding the job's lease (any node of the desk), when leased and held.
    pub lease_holder: Option<String>,
}

/// A failed step.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkerFailureDto {
    /// When it failed.
    pub at: String,
    /// What went wrong (credentials removed).
    pub error: String,
}

impl From<JobHealth> for WorkerDto {
    fn from(h: JobHealth) -> Self {
        Self {
            name: h.name,
            state: h.state.as_str().to_owned(),
            last_success: h.last_success.map(time),
            last_failure: h.last_failure.map(|f| WorkerFailureDto {
                at: time(f.at),
                error: f.error,
            }),
            consecutive_failures: h.consecutive_failures,
            next_run: h.next_run.map(time),
            leased: h.leased,
            lease_holder: h.lease_holder,
        }
    }
}

/// The schema of a job's state: one of its wire names.
fn job_state() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(JobState::ALL.iter().map(|s| s.as_str())))
        .build()
}

/// The background jobs of the node that answers, with their health (admins): what each is
/// doing, its last success and failure, and which node holds the lease of a leased job.
#[utoipa::path(get, path = "/api/v1/workers", tag = "workers",
    responses((status = 200, body = [WorkerDto]), (status = 403, body = Problem)))]
pub async fn list_workers(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> ApiResult<Json<Vec<WorkerDto>>> {
    let jobs = state.app.workers(&actor).await?;
    Ok(Json(jobs.into_iter().map(WorkerDto::from).collect()))
}

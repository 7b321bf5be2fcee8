//! The API's one error format: RFC 9457 `application/problem+json` with a stable machine `code`.
//! Every error of every handler, and every rejection of the framework, goes through here.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use spoc_app::AppError;
use utoipa::ToSchema;

/// A problem report (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:spoc:problem:{code}`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong here, for a person.
    pub detail: String,
    /// A stable machine-readable code.
    pub code: String,
    /// Field-level errors, for invalid input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For a refused lifecycle action: what the ticket allows now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_actions: Option<Vec<String>>,
    /// For a version conflict: the version now stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// For a resolve or close refused by the ticket's SOP: the quality checks that do not hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_checks: Option<Vec<MissingCheckDto>>,
}

/// A quality check of the ticket's SOP that does not hold yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct MissingCheckDto {
    /// The check's stable key.
    pub key: String,
    /// What must be recorded.
    pub text: String,
}

/// One invalid field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldError {
    /// The field's name.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

/// Seconds a client should wait after a `database_unavailable` answer.
pub const UNAVAILABLE_RETRY_SECS: i64 = 5;
/// Seconds a client should wait after a `storage_full` answer: freeing disk space takes a person.
pub const STORAGE_FULL_RETRY_SECS: i64 = 60;

/// One kind of problem the API answers with: its stable machine code, its HTTP status and the
/// problem's `title` (the same for every problem of that code, as RFC 9457 asks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProblemCode {
    /// The `code` member, also the last segment of `type` (`urn:spoc:problem:{code}`).
    pub code: &'static str,
    /// The HTTP status every problem of this code has.
    pub status: u16,
    /// A short summary of the kind of problem.
    pub title: &'static str,
}

const fn problem(code: &'static str, status: u16, title: &'static str) -> ProblemCode {
    ProblemCode {
        code,
        status,
        title,
    }
}

/// Every problem code the API can answer with. [`ApiError::new`] refuses (in debug builds) a code
/// that is not listed here with its status; the OpenAPI document and `docs/api.md` are checked
/// against this table.
pub const PROBLEM_CODES: &[ProblemCode] = &[
    problem("malformed_json", 400, "Malformed JSON"),
    problem("invalid_query", 400, "Invalid query parameters"),
    problem("invalid_if_match", 400, "Invalid If-Match header"),
    problem("unreadable_body", 400, "Request body could not be read"),
    problem("unauthenticated", 401, "Not signed in"),
    problem("forbidden", 403, "Not allowed"),
    problem("csrf_failed", 403, "CSRF token missing or wrong"),
    problem(
        "reauthentication_required",
        403,
        "Re-authentication required",
    ),
    problem("token_scope", 403, "Outside the token's scope"),
    problem("not_found", 404, "Not found"),
    problem("unknown_action", 404, "Unknown action"),
    problem("method_not_allowed", 405, "Method not allowed"),
    problem("request_timeout", 408, "Request timeout"),
    problem("invalid_transition", 409, "Action not allowed now"),
    problem("version_conflict", 409, "Version conflict"),
    problem("duplicate", 409, "Already exists"),
    problem("conflict", 409, "Conflict"),
    problem("quality_checks_missing", 409, "Quality checks missing"),
    problem("precondition_failed", 412, "Precondition failed"),
    problem("payload_too_large", 413, "Payload too large"),
    problem("unsupported_media_type", 415, "Unsupported media type"),
    problem("invalid_body", 422, "Invalid request body"),
    problem("validation_failed", 422, "Invalid input"),
    problem("invalid_text", 422, "Invalid text"),
    problem("version_required", 428, "Version required"),
    problem("too_many_attempts", 429, "Too many attempts"),
    problem("rate_limited", 429, "Rate limited"),
    problem("internal_error", 500, "Internal error"),
    problem("database_unavailable", 503, "Database unavailable"),
    problem("storage_full", 503, "Storage full"),
];

/// The listed problem code `code`, if any.
pub fn problem_code(code: &str) -> Option<&'static ProblemCode> {
    PROBLEM_CODES.iter().find(|p| p.code == code)
}

/// An error answer of the API.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    /// Boxed: errors travel through every handler's `Result`, which stays small this way.
    problem: Box<Problem>,
    /// Seconds for a `Retry-After` header.
    retry_after: Option<i64>,
}

impl ApiError {
    /// An error with `status`, machine `code` and a sentence.
    ///
    /// `code` must be listed in [`PROBLEM_CODES`] with this status (checked in debug builds, so
    /// every test run catches an undocumented code).
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        let listed = problem_code(code);
        debug_assert!(
            listed.is_some_and(|p| p.status == status.as_u16()),
            "problem code {code:?} with status {status} is not listed in PROBLEM_CODES"
        );
        Self {
            status,
            problem: Box::new(Problem {
                kind: format!("urn:spoc:problem:{code}"),
                title: listed.map_or_else(
                    || status.canonical_reason().unwrap_or("Error").to_owned(),
                    |p| p.title.to_owned(),
                ),
                status: status.as_u16(),
                detail: detail.into(),
                code: code.to_owned(),
                errors: Vec::new(),
                allowed_actions: None,
                current_version: None,
                missing_checks: None,
            }),
            retry_after: None,
        }
    }

    /// A 422 for one invalid field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut error = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            format!("{field}: {message}"),
        );
        error.problem.errors.push(FieldError {
            field: field.to_owned(),
            message,
        });
        error
    }

    /// Adds a field-level error to the problem.
    pub fn add_field_error(&mut self, field: &str, message: impl Into<String>) {
        self.problem.errors.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// A 404.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    /// A 400 for a query string that does not parse.
    pub fn bad_query(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_query", detail)
    }

    /// A 503 with `Retry-After`: the service cannot answer now but will.
    pub fn unavailable(code: &str, detail: impl Into<String>, retry_after_secs: i64) -> Self {
        let mut error = Self::new(StatusCode::SERVICE_UNAVAILABLE, code, detail);
        error.retry_after = Some(retry_after_secs);
        error
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Converts a version conflict into `412 Precondition Failed`, for requests that used
    /// `If-Match`.
    pub fn precondition_failed(mut self) -> Self {
        if self.problem.code == "version_conflict" {
            self.status = StatusCode::PRECONDITION_FAILED;
            self.problem.status = 412;
            self.problem.code = "precondition_failed".to_owned();
            self.problem.kind = "urn:spoc:problem:precondition_failed".to_owned();
            self.problem.title = problem_code("precondition_failed")
                .map_or("Precondition failed", |p| p.title)
                .to_owned();
        }
        self
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Unauthenticated => Self::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "sign in, or send an API token as `Authorization: Bearer …`",
            ),
            AppError::TooManyAttempts { retry_after_secs } => {
                let mut api = Self::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_attempts",
                    error.to_string(),
                );
                api.retry_after = Some(retry_after_secs);
                api
            }
            AppError::ReauthenticationRequired(message) => {
                Self::new(StatusCode::FORBIDDEN, "reauthentication_required", message)
            }
            AppError::TokenScope(message) => {
                Self::new(StatusCode::FORBIDDEN, "token_scope", message)
            }
            AppError::RateLimited {
                retry_after_secs,
                message,
            } => {
                let mut api = Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message);
                api.retry_after = Some(retry_after_secs);
                api
            }
            AppError::NotFound { what } => Self::not_found(what),
            AppError::Forbidden(message) => Self::new(StatusCode::FORBIDDEN, "forbidden", message),
            AppError::Validation(e) => Self::invalid_field(e.field, e.message),
            AppError::Transition(e) => {
                let mut api = Self::new(StatusCode::CONFLICT, "invalid_transition", e.to_string());
                api.problem.allowed_actions =
                    Some(e.allowed.iter().map(|a| a.as_str().to_owned()).collect());
                api
            }
            AppError::VersionConflict { current, .. } => {
                let mut api =
                    Self::new(StatusCode::CONFLICT, "version_conflict", error.to_string());
                api.problem.current_version = Some(current);
                api
            }
            AppError::VersionRequired => Self::new(
                StatusCode::PRECONDITION_REQUIRED,
                "version_required",
                error.to_string(),
            ),
            AppError::Duplicate(message) => Self::new(StatusCode::CONFLICT, "duplicate", message),
            AppError::Conflict(message) => Self::new(StatusCode::CONFLICT, "conflict", message),
            AppError::QualityChecks { .. } => {
                let detail = error.to_string();
                let AppError::QualityChecks { missing, .. } = error else {
                    return Self::new(StatusCode::CONFLICT, "quality_checks_missing", detail);
                };
                let mut api = Self::new(StatusCode::CONFLICT, "quality_checks_missing", detail);
                api.problem.missing_checks = Some(
                    missing
                        .into_iter()
                        .map(|m| MissingCheckDto {
                            key: m.key,
                            text: m.text,
                        })
                        .collect(),
                );
                api
            }
            AppError::Unavailable(ref source) if error.is_storage_full() => {
                tracing::error!(error = %source, "storage full: a write was refused");
                Self::unavailable(
                    "storage_full",
                    "the server's storage is full, so nothing was saved; try again later",
                    STORAGE_FULL_RETRY_SECS,
                )
            }
            AppError::Unavailable(source) => {
                tracing::error!(error = %source, "database unavailable");
                Self::unavailable(
                    "database_unavailable",
                    "the database is unavailable, so nothing was done; try again shortly",
                    UNAVAILABLE_RETRY_SECS,
                )
            }
            AppError::Internal(source) => {
                let incident = incident_id();
                tracing::error!(error = %source, incident = %incident, "internal error");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    format!("an unexpected error occurred; it was logged as incident {incident}"),
                )
            }
        }
    }
}

/// A short random id that ties a 500 answer to its log line.
fn incident_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u8(0);
    format!("{:016x}", hasher.finish())
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(*self.problem)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// A result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

impl From<spoc_domain::ValidationError> for ApiError {
    fn from(error: spoc_domain::ValidationError) -> Self {
        Self::invalid_field(error.field, error.message)
    }
}

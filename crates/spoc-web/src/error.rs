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
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        Self {
            status,
            problem: Box::new(Problem {
                kind: format!("urn:spoc:problem:{code}"),
                title: status.canonical_reason().unwrap_or("Error").to_owned(),
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
            self.problem.title = "Precondition Failed".to_owned();
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
            AppError::Unavailable(source) => {
                tracing::error!(error = %source, "database unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the service is temporarily unavailable; try again shortly",
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

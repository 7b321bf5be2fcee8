//! Spoc's HTTP adapter: the JSON API under `/api/v1` with its generated OpenAPI 3.1 document,
//! health checks, and the one place where errors become HTTP answers.
//!
//! Handlers are thin: parse the request into domain values, call one use case of
//! [`spoc_app::App`], render the result. Authorisation is decided in the app layer, never here.

pub mod admin;
pub mod auth;
pub mod dto;
pub mod error;
pub mod extract;
pub mod knowledge;
pub mod mail;
pub mod markdown;
pub mod openapi;
pub mod request_guard;
pub mod schema;
pub mod sla;
pub mod sops;
pub mod tickets;
pub mod ui;
pub mod workers;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use spoc_app::App;
use utoipa::OpenApi;

use crate::error::ApiError;
use crate::openapi::SharedResponses;
pub use crate::request_guard::HttpLimits;

/// The detail of the 404 problem for an address that no route matches.
pub const NO_ROUTE_DETAIL: &str = "there is nothing at this address";

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub app: App,
}

/// The OpenAPI document, generated from the handlers and wire types.
#[derive(OpenApi)]
#[openapi(
    info(title = "Spoc service desk API", description = "The single point of contact: tickets, their lifecycle, and the desk's setup."),
    paths(
        tickets::create, tickets::get, tickets::list, tickets::patch, tickets::act,
        tickets::add_comment, tickets::list_comments, tickets::list_events,
        admin::list_users, admin::create_user, admin::get_user, admin::patch_user,
        admin::list_organizations, admin::create_organization,
        admin::list_groups, admin::create_group, admin::get_group, admin::update_group,
        admin::list_members, admin::add_member, admin::remove_member,
        admin::list_categories, admin::create_category, admin::list_services, admin::create_service,
        admin::get_matrix, admin::put_matrix, admin::get_default_group, admin::put_default_group,
        admin::get_rate_limits, admin::put_rate_limits,
        auth::login, auth::logout, auth::me, auth::list_tokens, auth::create_token, auth::revoke_token,
        auth::change_password, auth::logout_everywhere,
        auth::list_notifications, auth::read_notification,
        sla::list_calendars, sla::get_calendar, sla::create_calendar, sla::update_calendar,
        sla::list_policies, sla::get_policy, sla::create_policy, sla::update_policy, sla::reapply_policy,
        sla::sla_report,
        mail::list_mailboxes, mail::create_mailbox, mail::get_mailbox, mail::update_mailbox,
        mail::deliver, mail::list_inbound, mail::get_inbound, mail::inbound_raw, mail::release_inbound,
        mail::list_outbox, mail::retry_outbox, mail::get_domains, mail::put_domains,
        mail::get_mail_authentication, mail::put_mail_authentication,
        mail::get_preferences, mail::put_preferences, mail::list_attachments, mail::get_attachment,
        knowledge::list, knowledge::create, knowledge::get, knowledge::versions, knowledge::add_version,
        knowledge::get_version, knowledge::restore, knowledge::diff, knowledge::act, knowledge::feedback,
        knowledge::ticket_articles, knowledge::link_ticket_article, knowledge::suggestions,
        knowledge::deflect, knowledge::self_service,
        sops::list, sops::create, sops::get, sops::settings, sops::versions, sops::add_version,
        sops::get_version, sops::act, sops::record_review, sops::reviews, sops::import,
        sops::checklist, sops::outcomes,
        workers::list_workers,
        healthz, readyz, openapi_json,
    ),
    components(schemas(error::Problem, error::FieldError, error::MissingCheckDto)),
    modifiers(&SharedResponses),
    tags(
        (name = "tickets", description = "Incidents and service requests"),
        (name = "admin", description = "People, groups, taxonomy, services, settings"),
        (name = "auth", description = "Sessions and API tokens"),
        (name = "sla", description = "Business calendars and SLA policies"),
        (name = "mail", description = "The e-mail channel: mailboxes, inbound mail, the outbox, notification preferences"),
        (name = "knowledge", description = "Knowledge articles, their versions and review; portal suggestions and deflection"),
        (name = "sops", description = "Standard operating procedures: governance, checklists on tickets, reviews, outcomes"),
        (name = "workers", description = "The background jobs and their health"),
        (name = "health", description = "Liveness and readiness"),
    ),
)]
pub struct ApiDoc;

/// The whole HTTP surface of `spoc serve`.
pub fn router(app: App) -> Router {
    router_with(app, HttpLimits::default())
}

/// The whole application with the server's time `limits` (shorter ones in tests).
pub fn router_with(app: App, limits: HttpLimits) -> Router {
    let state = AppState { app };
    let api = Router::new()
        .route("/tickets", post(tickets::create).get(tickets::list))
        .route("/tickets/{id}", get(tickets::get).patch(tickets::patch))
        .route("/tickets/{id}/actions/{action}", post(tickets::act))
        .route(
            "/tickets/{id}/comments",
            post(tickets::add_comment).get(tickets::list_comments),
        )
        .route("/tickets/{id}/events", get(tickets::list_events))
        .route("/users", get(admin::list_users).post(admin::create_user))
        .route("/users/{id}", get(admin::get_user).patch(admin::patch_user))
        .route(
            "/organizations",
            get(admin::list_organizations).post(admin::create_organization),
        )
        .route("/groups", get(admin::list_groups).post(admin::create_group))
        .route(
            "/groups/{id}",
            get(admin::get_group).put(admin::update_group),
        )
        .route("/groups/{id}/members", get(admin::list_members))
        .route(
            "/groups/{id}/members/{user_id}",
            put(admin::add_member).delete(admin::remove_member),
        )
        .route(
            "/categories",
            get(admin::list_categories).post(admin::create_category),
        )
        .route(
            "/services",
            get(admin::list_services).post(admin::create_service),
        )
        .route(
            "/settings/priority-matrix",
            get(admin::get_matrix).put(admin::put_matrix),
        )
        .route(
            "/settings/rate-limits",
            get(admin::get_rate_limits).put(admin::put_rate_limits),
        )
        .route(
            "/settings/default-group",
            get(admin::get_default_group).put(admin::put_default_group),
        )
        .route(
            "/calendars",
            get(sla::list_calendars).post(sla::create_calendar),
        )
        .route(
            "/calendars/{id}",
            get(sla::get_calendar).put(sla::update_calendar),
        )
        .route(
            "/sla-policies",
            get(sla::list_policies).post(sla::create_policy),
        )
        .route(
            "/sla-policies/{id}",
            get(sla::get_policy).put(sla::update_policy),
        )
        .route(
            "/sla-policies/{id}/actions/reapply",
            post(sla::reapply_policy),
        )
        .route("/reports/sla", get(sla::sla_report))
        .route(
            "/mailboxes",
            get(mail::list_mailboxes).post(mail::create_mailbox),
        )
        .route(
            "/mailboxes/{id}",
            get(mail::get_mailbox).put(mail::update_mailbox),
        )
        .route(
            "/mail/inbound",
            post(mail::deliver).layer(DefaultBodyLimit::max(mail::MAX_MESSAGE_BYTES)),
        )
        .route("/inbound-messages", get(mail::list_inbound))
        .route("/inbound-messages/{id}", get(mail::get_inbound))
        .route("/inbound-messages/{id}/raw", get(mail::inbound_raw))
        .route(
            "/inbound-messages/{id}/actions/{action}",
            post(mail::release_inbound),
        )
        .route(
            "/settings/mail-authentication",
            get(mail::get_mail_authentication).put(mail::put_mail_authentication),
        )
        .route("/outbox", get(mail::list_outbox))
        .route("/workers", get(workers::list_workers))
        .route("/outbox/{id}/actions/retry", post(mail::retry_outbox))
        .route(
            "/organizations/{id}/email-domains",
            get(mail::get_domains).put(mail::put_domains),
        )
        .route(
            "/me/notification-preferences",
            get(mail::get_preferences).put(mail::put_preferences),
        )
        .route("/tickets/{id}/attachments", get(mail::list_attachments))
        .route("/attachments/{id}", get(mail::get_attachment))
        .merge(knowledge_routes())
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/logout-everywhere", post(auth::logout_everywhere))
        .route("/me", get(auth::me))
        .route(
            "/me/tokens",
            get(auth::list_tokens).post(auth::create_token),
        )
        .route("/me/tokens/{id}", axum::routing::delete(auth::revoke_token))
        .route("/me/password", post(auth::change_password))
        .route("/me/notifications", get(auth::list_notifications))
        .route("/me/notifications/{id}/read", post(auth::read_notification))
        .route("/openapi.json", get(openapi_json))
        .method_not_allowed_fallback(method_not_allowed);
    Router::new()
        .nest("/api/v1", api)
        .merge(ui::routes())
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(limits, request_guard::guard))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// The knowledge and SOP routes of the API.
fn knowledge_routes() -> Router<AppState> {
    Router::new()
        .route("/articles", get(knowledge::list).post(knowledge::create))
        .route("/articles/{id}", get(knowledge::get))
        .route(
            "/articles/{id}/versions",
            get(knowledge::versions).post(knowledge::add_version),
        )
        .route(
            "/articles/{id}/versions/{version}",
            get(knowledge::get_version),
        )
        .route(
            "/articles/{id}/versions/{version}/restore",
            post(knowledge::restore),
        )
        .route("/articles/{id}/diff", get(knowledge::diff))
        .route("/articles/{id}/actions/{action}", post(knowledge::act))
        .route("/articles/{id}/feedback", post(knowledge::feedback))
        .route(
            "/tickets/{id}/articles",
            get(knowledge::ticket_articles).post(knowledge::link_ticket_article),
        )
        .route("/tickets/{id}/checklist", post(sops::checklist))
        .route("/portal/suggestions", get(knowledge::suggestions))
        .route("/portal/deflections", post(knowledge::deflect))
        .route("/reports/self-service", get(knowledge::self_service))
        .route("/reports/sop-outcomes", get(sops::outcomes))
        .route("/sops", get(sops::list).post(sops::create))
        .route("/sops/import", post(sops::import))
        .route("/sops/{id}", get(sops::get))
        .route("/sops/{id}/settings", put(sops::settings))
        .route(
            "/sops/{id}/versions",
            get(sops::versions).post(sops::add_version),
        )
        .route("/sops/{id}/versions/{version}", get(sops::get_version))
        .route("/sops/{id}/actions/{action}", post(sops::act))
        .route("/sops/{id}/reviews", post(sops::record_review))
        .route("/sop-reviews", get(sops::reviews))
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "health",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", body = Object)))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "`{\"status\":\"ok\"}`")))]
pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// The database answers a read and takes a write, within [`READY_BOUND`].
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses((status = 200, description = "ready"),
        (status = 503, description = "the database is unavailable or its storage is full", body = error::Problem, content_type = "application/problem+json")))]
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.app.check_ready(READY_BOUND).await {
        Ok(()) => Json(serde_json::json!({ "status": "ok" })).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            ApiError::from(e).into_response()
        }
    }
}

/// How long the readiness check may take before the desk counts as not ready.
const READY_BOUND: std::time::Duration = std::time::Duration::from_secs(3);

/// Nothing here: a page for browsers, a problem for API clients.
async fn not_found(uri: axum::http::Uri, headers: axum::http::HeaderMap) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if wants_html && !uri.path().starts_with("/api/") {
        return ui::not_found_page();
    }
    ApiError::new(StatusCode::NOT_FOUND, "not_found", NO_ROUTE_DETAIL).into_response()
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this address does not accept that method",
    )
}

/// The policy for HTML pages: only Spoc's own stylesheet, script and live-update stream; forms
/// post only back to Spoc.
const PAGE_CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; \
    connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Headers every answer carries: nothing is cached (but fingerprinted static assets), sniffed,
/// framed or given a referrer; HTML pages may load only Spoc's own assets, JSON nothing at all.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // A handler may have set a stricter policy (attachments are sandboxed); keep it.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(if is_html {
                PAGE_CSP
            } else {
                "default-src 'none'; frame-ancestors 'none'"
            }),
        );
    }
    response
}

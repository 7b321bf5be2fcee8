//! Spoc's JSON API under `/api/v1` with its generated OpenAPI 3.1 document, and the health
//! checks. Errors become `problem+json` answers in `spoc_http::error`.
//!
//! Handlers are thin: parse the request into domain values, call one use case of
//! [`spoc_app::App`], render the result. Authorisation is decided in the app layer, never here.

pub mod admin;
pub mod auth;
pub mod document;
pub mod health;
pub mod knowledge;
pub mod mail;
pub mod openapi;
pub mod schema;
pub mod sla;
pub mod sops;
pub mod tickets;
pub mod wire;
pub mod workers;

use axum::routing::get;
use axum::{Json, Router};
use spoc_http::AppState;
use spoc_http::error::{self};
use utoipa::OpenApi;

use crate::openapi::SharedResponses;

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
        sops::get_version, sops::restore, sops::act, sops::record_review, sops::reviews, sops::import,
        sops::checklist, sops::outcomes,
        workers::list_workers,
        health::healthz, health::readyz, openapi_json,
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

/// The JSON API under `/api/v1` and the health checks. Each feature registers its own routes.
pub fn router() -> Router<AppState> {
    let api = Router::new()
        .merge(tickets::routes())
        .merge(admin::routes())
        .merge(sla::routes())
        .merge(mail::routes())
        .merge(knowledge::routes())
        .merge(sops::routes())
        .merge(auth::routes())
        .merge(workers::routes())
        .route("/openapi.json", get(openapi_json))
        .method_not_allowed_fallback(spoc_http::method_not_allowed);
    Router::new().nest("/api/v1", api).merge(health::routes())
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "health",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", body = Object)))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

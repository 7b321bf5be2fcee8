//! Spoc's JSON API under `/api/v1` with its generated OpenAPI 3.1 document, and the health
//! checks. Errors become `problem+json` answers in `spoc_http::error`.
//!
//! Handlers are thin: parse the request into domain values, call one use case of
//! [`spoc_app::App`], render the result. Authorisation is decided in the app layer, never here.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod canned;
pub mod directories;
pub mod document;
pub mod health;
pub mod knowledge;
pub mod mail;
pub mod oidc;
pub mod openapi;
pub mod privacy;
pub mod retention;
pub mod schema;
pub mod scim;
pub mod search;
pub mod sla;
pub mod sops;
pub mod tenants;
pub mod tickets;
pub mod views;
pub mod wire;
pub mod workers;

use axum::routing::get;
use axum::{Json, Router};
use spoc_http::AppState;
use spoc_http::error::{self};
use utoipa::{Modify, OpenApi};

use crate::openapi::SharedResponses;

/// What the OpenAPI document says of the API as a whole; each feature lists its own operations
/// (its `Operations`), and [`document`] puts them together.
#[derive(OpenApi)]
#[openapi(
    info(title = "Spoc service desk API", description = "The single point of contact: tickets, their lifecycle, and the desk's setup."),
    paths(openapi_json),
    components(schemas(error::Problem, error::FieldError, error::MissingCheckDto)),
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
        (name = "tenants", description = "Tenants: client companies of a provider, each with its own desk, portal and brand"),
        (name = "privacy", description = "People's data: export and erasure"),
    ),
)]
struct ApiDoc;

/// The OpenAPI document, generated from the handlers and wire types: the API's own part, every
/// feature's operations, then the parts every operation shares ([`SharedResponses`]).
pub fn document() -> utoipa::openapi::OpenApi {
    let mut document = ApiDoc::openapi();
    for operations in [
        tickets::Operations::openapi(),
        views::Operations::openapi(),
        canned::Operations::openapi(),
        admin::Operations::openapi(),
        auth::Operations::openapi(),
        sla::Operations::openapi(),
        mail::Operations::openapi(),
        mail::relay::Operations::openapi(),
        knowledge::Operations::openapi(),
        sops::Operations::openapi(),
        workers::Operations::openapi(),
        search::Operations::openapi(),
        health::Operations::openapi(),
        tenants::Operations::openapi(),
        privacy::Operations::openapi(),
        oidc::Operations::openapi(),
        scim::Operations::openapi(),
        audit::Operations::openapi(),
        retention::Operations::openapi(),
        directories::Operations::openapi(),
    ] {
        document.merge(operations);
    }
    SharedResponses.modify(&mut document);
    document
}

/// The JSON API under `/api/v1` and the health checks. Each feature registers its own routes.
pub fn router() -> Router<AppState> {
    let api = Router::new()
        .merge(tickets::routes())
        .merge(views::routes())
        .merge(canned::routes())
        .merge(admin::routes())
        .merge(sla::routes())
        .merge(mail::routes())
        .merge(knowledge::routes())
        .merge(sops::routes())
        .merge(auth::routes())
        .merge(workers::routes())
        .merge(search::routes())
        .merge(tenants::routes())
        .merge(privacy::routes())
        .merge(oidc::routes())
        .merge(scim::token_routes())
        .merge(audit::routes())
        .merge(retention::routes())
        .merge(directories::routes())
        .route("/openapi.json", get(openapi_json))
        .method_not_allowed_fallback(spoc_http::method_not_allowed);
    Router::new()
        .nest("/api/v1", api)
        .merge(health::routes())
        .merge(scim::router())
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "health",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", body = Object)))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}

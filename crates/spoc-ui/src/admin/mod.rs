//! The desk's setup (`/admin`): the first-run checklist on its home, people, organisations, resolver groups and their members, the
//! category tree, services, the priority matrix and the default group, service levels and the
//! e-mail channel. Admins only (leads see the inbound mail log); the app layer checks that again
//! for every change.

pub(crate) mod audit_log;
pub(crate) mod directories;
pub(crate) mod frame;
pub(crate) mod groups;
pub(crate) mod home;
pub(crate) mod mail;
pub(crate) mod organizations;
pub(crate) mod people;
pub(crate) mod person_data;
pub(crate) mod retention;
pub(crate) mod scim;
pub(crate) mod settings;
pub(crate) mod sign_in;
pub(crate) mod sla;
pub(crate) mod taxonomy;
pub(crate) mod tenant_grants;
pub(crate) mod tenants;
pub(crate) mod two_factor;
pub(crate) mod workers;

use axum::Router;
use axum::routing::get;
use spoc_http::AppState;

/// The admin pages, under `/admin`: each sub-feature registers its own.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .merge(people::routes())
        .merge(organizations::routes())
        .merge(groups::routes())
        .merge(taxonomy::routes())
        .merge(settings::routes())
        .merge(sla::routes())
        .merge(mail::routes())
        .merge(retention::routes())
        .route("/workers", get(workers::workers))
        .merge(tenants::routes())
        .merge(two_factor::routes())
        .merge(sign_in::routes())
        .merge(scim::routes())
        .route("/audit-log", get(audit_log::audit_log))
        .merge(directories::routes())
}

//! Admin pages for service levels: business calendars (hours and holidays written as short lines)
//! and SLA policies (conditions, targets per priority, pauses, warning, breach actions).

pub(crate) mod calendars;
pub(crate) mod overview;
pub(crate) mod policies;

use axum::Router;
use axum::routing::{get, post};
use spoc_http::AppState;

/// The service-level pages, under `/admin`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sla", get(overview::index))
        .route(
            "/sla/calendars/new",
            get(calendars::new_calendar).post(calendars::save_new_calendar),
        )
        .route(
            "/sla/calendars/{id}",
            get(calendars::edit_calendar).post(calendars::save_calendar),
        )
        .route(
            "/sla/policies/new",
            get(policies::new_policy).post(policies::save_new_policy),
        )
        .route(
            "/sla/policies/{id}",
            get(policies::edit_policy).post(policies::save_policy),
        )
        .route("/sla/policies/{id}/reapply", post(policies::reapply_policy))
}

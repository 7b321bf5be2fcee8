//! The web UI: server-rendered HTML for people — sign-in, the agent workspace (`/desk`), the
//! self-service portal (`/portal`) and the desk's setup (`/admin`).
//!
//! Pages are rendered with maud (auto-escaping) from view models, never from store records
//! directly. Every form works without JavaScript; `spoc.js` only adds live updates and small
//! conveniences. Every state-changing form carries the session's CSRF token, checked here before
//! any use case runs; authorisation itself is the app layer's, as for the API.

// The kit every feature builds on.
mod assets;
mod brand;
mod composer;
mod forms;
mod i18n;
mod links;
mod page;
mod report_tenant;
mod session;
mod timefmt;
mod upload;
mod viewer;
mod views;

// The features, each with its routes.
mod account;
mod admin;
mod desk;
mod document;
mod knowledge;
mod live;
mod portal;
mod sops;

use axum::Router;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

pub use session::Viewer;
use spoc_http::AppState;

/// Every page of the UI and its static assets: each feature registers its own routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/static/{file}", get(assets::serve))
        .route("/preview", axum::routing::post(composer::preview))
        .merge(account::routes())
        .merge(desk::routes())
        .merge(portal::routes())
        .merge(knowledge::routes())
        .merge(sops::routes())
        .merge(live::routes())
        .merge(brand::routes())
        .nest("/admin", admin::routes())
}

/// [`router`], with each page rendered for its reader: the signed-in person's language and time
/// zone (see `i18n`).
pub fn router_for(app: &spoc_app::App) -> Router<AppState> {
    router()
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            brand::scope,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            i18n::scope,
        ))
}

/// The UI's pages for requests that never reach a page's handler, for [`spoc_http::finish`].
pub const PAGES: spoc_http::HtmlPages = spoc_http::HtmlPages {
    not_found: not_found_page,
    error: error_page,
};

/// The page for an address that does not exist.
pub fn not_found_page() -> Response {
    session::UiError::not_found().into_response()
}

/// The page of an application error, for handlers outside the page kit (the brand's routes).
pub(crate) fn app_error_page(error: spoc_app::AppError) -> Response {
    session::UiError::from(error).into_response()
}

/// A page explaining why a request was refused, for middleware outside the pages' handlers.
pub fn error_page(status: axum::http::StatusCode, title: &'static str, message: &str) -> Response {
    session::UiError::page(status, title, message).into_response()
}

/// `/`: each signed-in person to their home, everyone else to sign-in.
async fn home(viewer: Option<Viewer>) -> Response {
    match viewer {
        Some(viewer) => Redirect::to(viewer.home()).into_response(),
        None => Redirect::to("/login").into_response(),
    }
}

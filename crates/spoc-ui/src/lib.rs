//! The web UI: server-rendered HTML for people — sign-in, the agent workspace (`/desk`), the
//! self-service portal (`/portal`) and the desk's setup (`/admin`).
//!
//! Pages are rendered with maud (auto-escaping) from view models, never from store records
//! directly. Every form works without JavaScript; `spoc.js` only adds live updates and small
//! conveniences. Every state-changing form carries the session's CSRF token, checked here before
//! any use case runs; authorisation itself is the app layer's, as for the API.

mod account;
mod admin;
mod admin_inbound;
mod admin_mail;
mod admin_outbox;
mod admin_sla;
mod admin_workers;
mod assets;
mod checklist;
mod desk;
mod email;
mod forms;
mod help;
mod knowledge;
mod links;
mod live;
mod login;
mod mail_links;
mod notifications;
mod page;
mod portal;
mod reports;
mod security;
mod session;
mod sop_editor;
mod sop_text;
mod sops;
mod timefmt;
mod viewer;
mod views;

use axum::Router;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

pub use session::Viewer;
use spoc_http::AppState;

/// Every page of the UI and its static assets.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login::form).post(login::submit))
        .route(
            "/logout",
            get(|| async { Redirect::to("/") }).post(login::logout),
        )
        .route("/static/{file}", get(assets::serve))
        .route(
            "/mail-actions/{secret}",
            get(mail_links::show).post(mail_links::submit),
        )
        .route("/desk", get(desk::queue))
        .route("/desk/search", get(desk::search))
        .route("/desk/reports", get(reports::sla))
        .route("/desk/live", get(live::stream))
        .route("/desk/new", get(desk::new_call).post(desk::new_call_submit))
        .route("/desk/callers", post(desk::register_caller))
        .route("/desk/tickets/{id}", get(desk::ticket))
        .route("/desk/tickets/{id}/comment", post(desk::comment))
        .route("/desk/tickets/{id}/edit", post(desk::edit))
        .route("/desk/tickets/{id}/act/{action}", post(desk::act))
        .route("/desk/tickets/{id}/emails/{mail}", get(email::desk_email))
        .route("/attachments/{id}", get(email::attachment))
        .route(
            account::PATH,
            get(account::notifications).post(account::save_notifications),
        )
        .route(security::PATH, get(security::page))
        .route("/account/tokens", post(security::create_token))
        .route("/account/tokens/{id}/revoke", post(security::revoke_token))
        .route("/account/password", post(security::change_password))
        .route(
            "/account/sign-out-everywhere",
            post(security::sign_out_everywhere),
        )
        .route("/portal", get(portal::home))
        .route("/portal/live", get(live::stream))
        .route("/portal/new", get(portal::new_form).post(portal::submit))
        .route("/portal/tickets", get(portal::my_tickets))
        .route("/portal/tickets/{id}", get(portal::ticket))
        .route("/portal/tickets/{id}/reply", post(portal::reply))
        .route("/portal/tickets/{id}/confirm", post(portal::confirm))
        .route("/portal/tickets/{id}/reopen", post(portal::reopen))
        .route("/portal/tickets/{id}/cancel", post(portal::cancel))
        .merge(knowledge_routes())
        .nest("/admin", admin::routes())
}

/// The knowledge base, SOP and portal help pages.
fn knowledge_routes() -> Router<AppState> {
    Router::new()
        .route("/desk/kb", get(knowledge::list))
        .route(
            "/desk/kb/new",
            get(knowledge::new_form).post(knowledge::create),
        )
        .route("/desk/kb/{id}", get(knowledge::view))
        .route(
            "/desk/kb/{id}/edit",
            get(knowledge::edit_form).post(knowledge::save),
        )
        .route("/desk/kb/{id}/diff", get(knowledge::diff))
        .route("/desk/kb/{id}/act/{action}", post(knowledge::act))
        .route("/desk/kb/{id}/restore/{version}", post(knowledge::restore))
        .route("/desk/reports/self-service", get(knowledge::self_service))
        .route("/desk/sops", get(sops::list))
        .route("/desk/sops/import", post(sops::import))
        .route(
            "/desk/sops/new",
            get(sop_editor::new_form).post(sop_editor::create),
        )
        .route("/desk/sops/reviews", get(sops::reviews))
        .route("/desk/sops/outcomes", get(sops::outcomes))
        .route("/desk/sops/{id}", get(sops::view))
        .route(
            "/desk/sops/{id}/edit",
            get(sop_editor::edit_form).post(sop_editor::save),
        )
        .route("/desk/sops/{id}/diff", get(sop_editor::diff))
        .route("/desk/sops/{id}/settings", post(sops::save_settings))
        .route("/desk/sops/{id}/act/{action}", post(sops::act))
        .route("/desk/sops/{id}/review", post(sops::review))
        .route("/desk/tickets/{id}/sop/step", post(desk::sop_step))
        .route("/desk/tickets/{id}/sop/answer", post(desk::sop_step))
        .route(
            "/desk/tickets/{id}/articles",
            post(checklist::record_article),
        )
        .route("/desk/notifications", get(notifications::list))
        .route("/desk/notifications/{id}/read", post(notifications::read))
        .route("/portal/kb", get(help::portal_list))
        .route("/portal/kb/{id}", get(help::portal_view))
        .route("/portal/kb/{id}/solved", post(help::portal_solved))
        .route("/portal/kb/{id}/feedback", post(help::portal_feedback))
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

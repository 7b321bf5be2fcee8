//! Admin pages for the e-mail channel (`/admin/mail`): the mailboxes Spoc reads or takes
//! delivered mail for, the inbound log with held and quarantined mail, the outbox, and the
//! outgoing mail relay.
//!
//! Leads may see and settle the inbound log too; the app layer decides that, as it decides
//! everything else here.

pub(crate) mod frame;
pub(crate) mod inbound;
pub(crate) mod mailbox_form;
pub(crate) mod mailboxes;
pub(crate) mod outbox;
pub(crate) mod relay;

use axum::Router;
use axum::routing::{get, post};
use spoc_http::AppState;

/// The mail pages, under `/admin`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/mail", get(mailboxes::mailboxes))
        .route("/mail/authentication", post(mailboxes::save_authentication))
        .route(
            "/mail/mailboxes/new",
            get(mailboxes::new_mailbox).post(mailboxes::create_mailbox),
        )
        .route(
            "/mail/mailboxes/{id}",
            get(mailboxes::edit_mailbox).post(mailboxes::update_mailbox),
        )
        .route("/mail/inbound", get(inbound::inbound_log))
        .route("/mail/inbound/{id}", get(inbound::inbound_message))
        .route("/mail/inbound/{id}/raw", get(inbound::inbound_raw))
        .route("/mail/inbound/{id}/release", post(inbound::release))
        .route("/mail/outbox", get(outbox::outbox))
        .route("/mail/test", post(outbox::send_test))
        .route(
            "/mail/relay",
            get(relay::relay_page).post(relay::save_relay),
        )
        .route("/mail/relay/test", post(relay::send_test))
        .route("/mail/outbox/{id}/retry", post(outbox::retry_outbox))
}

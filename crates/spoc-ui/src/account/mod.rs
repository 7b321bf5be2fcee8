//! A person's own account: signing in and out, a forgotten password reset by e-mail, e-mail notification settings, sign-in sessions,
//! tokens and password, and in-app notifications.

pub(crate) mod login;
pub(crate) mod my_data;
pub(crate) mod notifications;
pub(crate) mod oidc;
pub(crate) mod preferences;
pub(crate) mod qr;
pub(crate) mod reset;
pub(crate) mod security;
pub(crate) mod session_start;
pub(crate) mod sessions;
pub(crate) mod two_factor;

use axum::Router;
use axum::response::Redirect;
use axum::routing;
use spoc_http::AppState;

/// Sign-in and sign-out, and the pages of a person's own account.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", routing::get(login::form).post(login::submit))
        .route("/auth/oidc/{provider}/login", routing::get(oidc::begin))
        .route(
            "/auth/oidc/{provider}/callback",
            routing::get(oidc::callback),
        )
        .route(
            reset::FORGOT_PATH,
            routing::get(reset::forgot_form).post(reset::forgot_submit),
        )
        .route(
            "/login/reset/{secret}",
            routing::get(reset::reset_form).post(reset::reset_submit),
        )
        .route(
            "/logout",
            routing::get(|| async { Redirect::to("/") }).post(login::logout),
        )
        .route(
            preferences::PATH,
            routing::get(preferences::notifications).post(preferences::save_notifications),
        )
        .route(
            preferences::READING_PATH,
            routing::post(preferences::save_reading),
        )
        .route(security::PATH, routing::get(security::page))
        .route("/account/tokens", routing::post(security::create_token))
        .route(
            "/account/tokens/{id}/revoke",
            routing::post(security::revoke_token),
        )
        .route(
            "/account/password",
            routing::post(security::change_password),
        )
        .route("/account/sessions/{id}/end", routing::post(sessions::end))
        .route(my_data::PATH, routing::get(my_data::download_own))
        .route(
            "/account/sign-out-everywhere",
            routing::post(security::sign_out_everywhere),
        )
        .route("/desk/notifications", routing::get(notifications::list))
        .route(
            "/desk/notifications/unread",
            routing::get(notifications::unread),
        )
        .route(
            "/desk/notifications/{id}/read",
            routing::post(notifications::read),
        )
        .route(
            two_factor::CODE_PATH,
            routing::post(two_factor::submit_code),
        )
        .route(
            two_factor::ENROL_PATH,
            routing::post(two_factor::submit_enrol),
        )
        .route(two_factor::PATH, routing::get(two_factor::page))
        .route(
            "/account/two-factor/start",
            routing::post(two_factor::start),
        )
        .route(
            "/account/two-factor/confirm",
            routing::post(two_factor::confirm),
        )
        .route(
            "/account/two-factor/off",
            routing::post(two_factor::turn_off),
        )
        .route(
            "/account/two-factor/recovery-codes",
            routing::post(two_factor::new_codes),
        )
}

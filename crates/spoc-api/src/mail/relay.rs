//! The outgoing mail relay of the desk (`/api/v1/settings/mail`, admins): what the "Outgoing
//! mail" admin page sets. The password is write-only: answers say `has_password`.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use spoc_http::AppState;
use spoc_http::error::{ApiResult, Problem};
use spoc_http::extract::{Administrator, ApiJson};

/// The routes under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/settings/mail",
        routing::get(get_mail_settings).put(put_mail_settings),
    )
}

/// The operations in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(get_mail_settings, put_mail_settings))]
pub struct Operations;

/// The desk's outgoing mail settings. Saved settings win over the `--smtp-url`, `--mail-from`
/// and `--public-url` flags, which only apply while nothing is saved (`saved` is false).
#[derive(Debug, Serialize, ToSchema)]
pub struct MailSettingsDto {
    /// Whether settings were saved (otherwise the flags the desk started with apply).
    pub saved: bool,
    /// The relay's host name.
    pub host: String,
    /// The relay's port.
    pub port: u16,
    /// `none`, `starttls` (STARTTLS required) or `tls`.
    pub security: String,
    /// The user name for the relay (empty: no sign-in).
    pub username: String,
    /// Whether a password is stored (the password itself is never returned).
    pub has_password: bool,
    /// The From address, possibly with a display name: `Help desk <help@example.com>`.
    pub from: String,
    /// The desk's address for links in mail (empty: the `--public-url`).
    pub public_url: String,
}

impl From<spoc_app::RelaySettings> for MailSettingsDto {
    fn from(s: spoc_app::RelaySettings) -> Self {
        Self {
            saved: s.saved,
            host: s.host,
            port: s.port,
            security: s.security.as_str().to_owned(),
            username: s.username,
            has_password: s.has_password,
            from: s.from,
            public_url: s.public_url,
        }
    }
}

/// New outgoing mail settings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailSettingsInput {
    /// The relay's host name.
    #[schema(min_length = 1, max_length = 253)]
    pub host: String,
    /// The relay's port (1–65535).
    #[schema(minimum = 1, maximum = 65535)]
    pub port: u16,
    /// `none`, `starttls` or `tls`.
    #[schema(pattern = "^(none|starttls|tls)$")]
    pub security: String,
    /// The user name (empty or absent: no sign-in).
    #[serde(default)]
    pub username: String,
    /// A new password; absent or empty keeps the stored one.
    #[serde(default)]
    pub password: Option<String>,
    /// Removes the stored password.
    #[serde(default)]
    pub remove_password: bool,
    /// The From address, with an optional display name.
    #[schema(min_length = 3)]
    pub from: String,
    /// The desk's address for links in mail (empty or absent: the `--public-url`).
    #[serde(default)]
    pub public_url: String,
}

/// The outgoing mail settings (admins).
#[utoipa::path(get, path = "/api/v1/settings/mail", tag = "mail",
    responses((status = 200, body = MailSettingsDto), (status = 403, body = Problem)))]
pub async fn get_mail_settings(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
) -> ApiResult<Json<MailSettingsDto>> {
    Ok(Json(state.app.mail_relay_settings(&actor).await?.into()))
}

/// Set the outgoing mail settings (admins); the next message goes through them.
#[utoipa::path(put, path = "/api/v1/settings/mail", tag = "mail", request_body = MailSettingsInput,
    responses((status = 200, body = MailSettingsDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_mail_settings(
    State(state): State<AppState>,
    Administrator(actor): Administrator,
    ApiJson(input): ApiJson<MailSettingsInput>,
) -> ApiResult<Json<MailSettingsDto>> {
    let input = spoc_app::RelayInput {
        host: input.host,
        port: input.port.to_string(),
        security: input.security,
        username: input.username,
        password: input.password,
        remove_password: input.remove_password,
        from: input.from,
        public_url: input.public_url,
    };
    Ok(Json(
        state.app.save_mail_relay(&actor, &input).await?.into(),
    ))
}

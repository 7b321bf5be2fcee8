//! The wire types of sessions, API tokens, password changes and notifications.

use crate::admin::dto::UserDto;
use serde::{Deserialize, Serialize};
use spoc_app::{ApiToken, Notification};
use spoc_http::params::time;
use utoipa::{IntoParams, ToSchema};

/// Signing in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginDto {
    /// E-mail.
    pub email: String,
    /// Password.
    pub password: String,
    /// The tenant to sign in to, by its slug (as in `/t/{slug}`); without it, the tenant of
    /// the request's host name if it has one, else any tenant whose person this password is.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$", max_length = 40)]
    pub tenant: Option<String>,
}

/// A new session: the cookie is set; send `csrf_token` as `X-CSRF-Token` on changes.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDto {
    /// Who signed in.
    pub user: UserDto,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When the session ends.
    pub expires_at: String,
}

/// An API token to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenDto {
    /// A label to recognise it by.
    #[schema(schema_with = crate::schema::label)]
    pub label: String,
    /// When the token stops working (RFC 3339 instant, or a date meaning its UTC midnight; at
    /// most ten years ahead). Give this or `expires_in_days`, not both; without either the
    /// token works until revoked.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// The token stops working after this many days (1–3,650).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 3650)]
    pub expires_in_days: Option<i64>,
    /// A read-only token can only read: every change is refused with 403 `token_scope`.
    #[serde(default)]
    pub read_only: bool,
    /// Only these resources: `tickets`, `knowledge`, `sops`, `admin`. Without it, all of them.
    /// One's own account (`/me…`) and directory look-ups are reachable with any set.
    #[serde(default)]
    #[schema(value_type = Option<Vec<TokenResourceName>>)]
    pub resources: Option<Vec<String>>,
    /// Your current password: needed unless your session signed in within the last 10 minutes.
    /// A request made with an API token can never create tokens.
    #[serde(default)]
    pub current_password: Option<String>,
}

/// The resources a token can be limited to (the names of `spoc_domain::credential::Resource`).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum TokenResourceName {
    /// Tickets, their comments, history, attachments, checklists and ticket reports.
    Tickets,
    /// Knowledge articles, portal suggestions and deflections, the self-service report.
    Knowledge,
    /// SOPs, their reviews and outcome reports.
    Sops,
    /// The desk's setup.
    Admin,
}

/// A new password for the caller.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeDto {
    /// Your current password: needed unless your session signed in within the last 10 minutes.
    #[serde(default)]
    pub current_password: Option<String>,
    /// The new password (10–1,000 characters).
    #[schema(min_length = 10, max_length = 1000)]
    pub new_password: String,
}

/// An API token (the secret only once, at creation).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenDto {
    /// Id.
    pub id: i64,
    /// Label.
    pub label: String,
    /// Created at.
    pub created_at: String,
    /// Last used (updated at most once a minute).
    pub last_used_at: Option<String>,
    /// Revoked at.
    pub revoked_at: Option<String>,
    /// When it stops working by itself; null: never.
    pub expires_at: Option<String>,
    /// Whether it can only read.
    pub read_only: bool,
    /// The resources it is limited to; null: all of them.
    pub resources: Option<Vec<String>>,
    /// Where it was created: `session` (a signed-in browser) or `cli` (the command line).
    pub origin: String,
    /// The secret, present only in the answer that created it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl TokenDto {
    /// The wire form, with the secret if given.
    pub fn new(t: ApiToken, secret: Option<String>) -> Self {
        Self {
            id: t.id.get(),
            label: t.label,
            created_at: time(t.created_at),
            last_used_at: t.last_used_at.map(time),
            revoked_at: t.revoked_at.map(time),
            expires_at: t.expires_at.map(time),
            read_only: t.scope.read_only,
            resources: t
                .scope
                .resources
                .map(|list| list.iter().map(|r| r.as_str().to_owned()).collect()),
            origin: t.origin.as_str().to_owned(),
            token: secret,
        }
    }
}

/// Sign out of every browser session.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogoutEverywhereDto {
    /// Also revoke every API token created from a browser session (the CLI's stay).
    #[serde(default)]
    pub revoke_browser_tokens: bool,
}

/// What signing out everywhere did.
#[derive(Debug, Serialize, ToSchema)]
pub struct LogoutEverywhereResultDto {
    /// How many API tokens were revoked.
    pub revoked_tokens: u64,
}

/// An in-app notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationDto {
    /// Id, increasing.
    pub id: i64,
    /// The ticket it is about.
    pub ticket_id: Option<i64>,
    /// What kind, e.g. `escalation.hierarchical`.
    pub topic: String,
    /// One sentence.
    pub message: String,
    /// When.
    pub created_at: String,
    /// When it was marked read.
    pub read_at: Option<String>,
}

impl From<Notification> for NotificationDto {
    fn from(n: Notification) -> Self {
        Self {
            id: n.id.get(),
            ticket_id: n.ticket_id.map(|t| t.get()),
            topic: n.topic,
            message: n.message,
            created_at: time(n.created_at),
            read_at: n.read_at.map(time),
        }
    }
}

/// Which notifications to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// Only unread ones.
    #[serde(default)]
    pub unread: bool,
    /// At most this many (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

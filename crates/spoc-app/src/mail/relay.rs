//! The outgoing mail relay an admin sets on the "Outgoing mail" page (or through
//! `/api/v1/settings/mail`): host, port, security, user name, password (encrypted at rest like
//! mailbox passwords, never shown back), the From address and the public URL used in mail links.
//! Stored as one settings row per tenant.
//!
//! Precedence: saved settings win over the `--smtp-url` / `--mail-from` / `--public-url` flags;
//! the flags are the defaults of a desk where nothing was saved. Each node reads the saved
//! settings again at most [`CACHE_MICROS`] after it last did (at once on the node that saved),
//! so delivery picks a change up without a restart, on every node.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use spoc_domain::access::Actor;
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::credential::{Access, Resource};
use spoc_domain::{TenantId, Timestamp, ValidationError};

use super::MailConfig;
use crate::auth::permit;
use crate::{App, AppError};

/// The settings key of the relay.
pub(crate) const RELAY_KEY: &str = "mail_relay";
/// How long a node uses the relay settings it read before reading them again (another node may
/// have changed them).
pub(crate) const CACHE_MICROS: i64 = 5 * 1_000_000;
/// The longest host name.
const MAX_HOST_CHARS: usize = 253;
/// The longest user name or password.
const MAX_SECRET_CHARS: usize = 500;

/// How the connection to the relay is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelaySecurity {
    /// Plain SMTP (a relay on the same machine or network).
    None,
    /// SMTP, upgraded with STARTTLS; refused if the relay does not offer it.
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

impl RelaySecurity {
    /// Every choice, in the order to offer them.
    pub const ALL: [Self; 3] = [Self::None, Self::Starttls, Self::Tls];

    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Starttls => "starttls",
            Self::Tls => "tls",
        }
    }

    /// Parses a wire name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// The relay a message goes through (with its clear password), for the transport.
#[derive(Clone, PartialEq, Eq)]
pub struct Relay {
    /// Host name or address.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Connection security.
    pub security: RelaySecurity,
    /// User name (empty: no authentication).
    pub username: String,
    /// Password, in clear (never logged).
    pub password: Option<String>,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// The saved relay settings as admins see them: never the password, only whether one is set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RelaySettings {
    /// Whether anything was saved (otherwise the flags, if any, apply).
    pub saved: bool,
    /// Relay host.
    pub host: String,
    /// Relay port.
    pub port: u16,
    /// Connection security.
    pub security: RelaySecurity,
    /// User name.
    pub username: String,
    /// Whether a password is stored.
    pub has_password: bool,
    /// The From address, possibly with a display name (`Help desk <help@example.com>`).
    pub from: String,
    /// The address people reach the desk at, for links in mail (empty: the `--public-url`).
    pub public_url: String,
}

/// What an admin saves.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelayInput {
    /// Relay host.
    #[serde(default)]
    pub host: String,
    /// Relay port (as typed).
    #[serde(default)]
    pub port: String,
    /// `none`, `starttls` or `tls`.
    #[serde(default)]
    pub security: String,
    /// User name (empty: none).
    #[serde(default)]
    pub username: String,
    /// A new password; empty or absent keeps the stored one.
    #[serde(default)]
    pub password: Option<String>,
    /// Removes the stored password.
    #[serde(default)]
    pub remove_password: bool,
    /// The From address.
    #[serde(default)]
    pub from: String,
    /// Public URL for links (empty: the `--public-url`).
    #[serde(default)]
    pub public_url: String,
}

/// The stored row (JSON in the tenant's settings).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Stored {
    host: String,
    port: u16,
    security: RelaySecurity,
    #[serde(default)]
    username: String,
    /// Encrypted with the desk's secret keys.
    #[serde(default)]
    password: Option<String>,
    from: String,
    #[serde(default)]
    public_url: String,
}

/// The mail settings a tenant sends with: the sender and link base, and the relay (none: the
/// relay named by `--smtp-url`).
#[derive(Clone, Debug)]
pub(crate) struct TenantMail {
    pub config: Arc<MailConfig>,
    pub relay: Option<Arc<Relay>>,
}

/// Per tenant: the mail settings read, and when.
pub(crate) type RelayCache = std::sync::Mutex<HashMap<TenantId, (Option<TenantMail>, Timestamp)>>;

/// Parses a From address: `address` or `Display name <address>`.
pub fn parse_sender(text: &str) -> Result<spoc_mail::Address, String> {
    let text = text.trim();
    let (name, address) = match text.rsplit_once('<') {
        Some((name, rest)) => {
            let Some(address) = rest.strip_suffix('>') else {
                return Err(
                    "Close the address with > after it, as in Help desk <help@example.com>."
                        .to_owned(),
                );
            };
            (name.trim().trim_matches('"'), address)
        }
        None => ("", text),
    };
    let address = spoc_mail::Address::parse(address.trim()).map_err(|e| e.to_string())?;
    Ok(if name.is_empty() {
        address
    } else {
        address.with_name(name)
    })
}

impl RelayInput {
    /// Every problem with the input, field by field, as plain sentences (empty: fine).
    pub fn problems(&self) -> Vec<ValidationError> {
        let mut problems = Vec::new();
        let host = self.host.trim();
        if host.is_empty() {
            problems.push(ValidationError::new(
                "host",
                "Enter the relay's host name, such as smtp.example.com.",
            ));
        } else if host.chars().count() > MAX_HOST_CHARS
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        {
            problems.push(ValidationError::new(
                "host",
                "A host name has only letters, digits, dots and hyphens, such as smtp.example.com.",
            ));
        }
        match self.port.trim().parse::<u16>() {
            Ok(port) if port > 0 => {}
            _ => problems.push(ValidationError::new(
                "port",
                "Enter a port number from 1 to 65535 (usually 25, 587 or 465).",
            )),
        }
        if RelaySecurity::parse(self.security.trim()).is_none() {
            problems.push(ValidationError::new(
                "security",
                "Choose none, STARTTLS required or TLS.",
            ));
        }
        if self.username.chars().count() > MAX_SECRET_CHARS || self.username.contains(['\r', '\n'])
        {
            problems.push(ValidationError::new(
                "username",
                "The user name is too long or has a line break.",
            ));
        }
        if self
            .password
            .as_deref()
            .is_some_and(|p| p.chars().count() > MAX_SECRET_CHARS)
        {
            problems.push(ValidationError::new(
                "password",
                "The password is longer than 500 characters.",
            ));
        }
        if self.from.trim().is_empty() {
            problems.push(ValidationError::new(
                "from",
                "Enter the address mail comes from, such as Help desk <help@example.com>.",
            ));
        } else if let Err(why) = parse_sender(&self.from) {
            problems.push(ValidationError::new("from", why));
        }
        let url = self.public_url.trim();
        if !url.is_empty()
            && (!(url.starts_with("http://") || url.starts_with("https://"))
                || url.contains(char::is_whitespace)
                || url.len() < "http://x".len())
        {
            problems.push(ValidationError::new(
                "public_url",
                "Enter the desk's address starting with https:// (or http://), or leave it empty.",
            ));
        }
        problems
    }
}

impl App {
    /// The saved relay settings (admins). Without saved ones, the flags the desk started with.
    pub async fn mail_relay_settings(&self, actor: &Actor) -> Result<RelaySettings, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        Ok(match self.stored_relay(actor.tenant_id).await? {
            Some(stored) => RelaySettings {
                saved: true,
                host: stored.host,
                port: stored.port,
                security: stored.security,
                username: stored.username,
                has_password: stored.password.is_some(),
                from: stored.from,
                public_url: stored.public_url,
            },
            None => RelaySettings {
                saved: false,
                host: String::new(),
                port: 25,
                security: RelaySecurity::None,
                username: String::new(),
                has_password: false,
                from: self
                    .mail
                    .as_ref()
                    .map(|m| m.from.to_string())
                    .unwrap_or_default(),
                public_url: String::new(),
            },
        })
    }

    /// Saves the relay settings (admins); they apply to the next message sent. The first
    /// problem is the error; [`RelayInput::problems`] lists them all.
    pub async fn save_mail_relay(
        &self,
        actor: &Actor,
        input: &RelayInput,
    ) -> Result<RelaySettings, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        if let Some(problem) = input.problems().into_iter().next() {
            return Err(problem.into());
        }
        let tenant = actor.tenant_id;
        let previous = self.stored_relay(tenant).await?;
        let password = match input.password.as_deref().filter(|p| !p.is_empty()) {
            Some(new) => Some(self.secret_keys()?.encrypt(new)?),
            None if input.remove_password => None,
            None => previous.and_then(|p| p.password),
        };
        let from = parse_sender(&input.from).map_err(|why| ValidationError::new("from", why))?;
        let stored = Stored {
            host: input.host.trim().to_owned(),
            port: input.port.trim().parse().unwrap_or(25),
            security: RelaySecurity::parse(input.security.trim()).unwrap_or(RelaySecurity::None),
            username: input.username.trim().to_owned(),
            password,
            from: from.to_string(),
            public_url: input.public_url.trim().trim_end_matches('/').to_owned(),
        };
        let json = serde_json::to_string(&stored).unwrap_or_default();
        self.store.put_setting(tenant, RELAY_KEY, &json).await?;
        self.relay_cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&tenant);
        self.audit(
            actor,
            AuditAction::SettingChanged { key: RELAY_KEY },
            AuditTarget::Settings,
        )
        .await?;
        self.mail_relay_settings(actor).await
    }

    async fn stored_relay(&self, tenant: TenantId) -> Result<Option<Stored>, AppError> {
        Ok(self
            .store
            .get_setting(tenant, RELAY_KEY)
            .await?
            .and_then(|json| serde_json::from_str::<Stored>(&json).ok()))
    }

    /// How `tenant` sends mail now: its saved settings, else the flags; `None` while mail is
    /// off (no From address from either). Read again after [`CACHE_MICROS`].
    pub(crate) async fn tenant_mail(
        &self,
        tenant: TenantId,
    ) -> Result<Option<TenantMail>, AppError> {
        let now = self.now();
        if let Some((mail, at)) = self
            .relay_cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&tenant)
            && now.as_micros() - at.as_micros() < CACHE_MICROS
        {
            return Ok(mail.clone());
        }
        let mail = match self.stored_relay(tenant).await? {
            Some(stored) => {
                let from =
                    parse_sender(&stored.from).map_err(|why| ValidationError::new("from", why))?;
                let public_url = if stored.public_url.is_empty() {
                    self.public_url_default()
                } else {
                    stored.public_url.clone()
                };
                let password = match &stored.password {
                    Some(p) => Some(self.reveal(p)?),
                    None => None,
                };
                Some(TenantMail {
                    config: Arc::new(MailConfig { from, public_url }),
                    relay: Some(Arc::new(Relay {
                        host: stored.host,
                        port: stored.port,
                        security: stored.security,
                        username: stored.username,
                        password,
                    })),
                })
            }
            None => self.mail.clone().map(|config| TenantMail {
                config,
                relay: None,
            }),
        };
        self.relay_cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(tenant, (mail.clone(), now));
        Ok(mail)
    }

    /// The From addresses saved under Outgoing mail, of every tenant (mail from them is the
    /// desk's own and never answered).
    pub(crate) async fn saved_senders(&self) -> Result<Vec<String>, AppError> {
        let mut senders = Vec::new();
        for tenant in self.store.tenants_with_setting(RELAY_KEY).await? {
            if let Some(stored) = self.stored_relay(tenant).await?
                && let Ok(from) = parse_sender(&stored.from)
            {
                senders.push(from.email().to_owned());
            }
        }
        Ok(senders)
    }

    /// Whether `tenant`'s mail is on as far as this node last read (the flags until it read
    /// the saved settings); for code that cannot wait. Use cases call
    /// [`App::tenant_mail`] first so the answer is fresh.
    pub(crate) fn mail_on_cached(&self, tenant: TenantId) -> bool {
        match self
            .relay_cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&tenant)
        {
            Some((mail, _)) => mail.is_some(),
            None => self.mail.is_some(),
        }
    }

    /// Whether mail is on for the actor's desk: a From address is known from the saved
    /// settings or the flags.
    pub async fn mail_on(&self, actor: &Actor) -> Result<bool, AppError> {
        permit(actor, None, Access::Read)?;
        Ok(self.tenant_mail(actor.tenant_id).await?.is_some())
    }

    /// Whether any desk sends mail (the flags, or a From address saved by some tenant's admin):
    /// for pages shown before anyone signs in, such as "forgot your password".
    pub async fn mail_on_anywhere(&self) -> Result<bool, AppError> {
        Ok(self.mail.is_some() || !self.store.tenants_with_setting(RELAY_KEY).await?.is_empty())
    }

    /// The sender and link base of the actor's desk, if mail is on.
    pub async fn mail_sender(&self, actor: &Actor) -> Result<Option<MailConfig>, AppError> {
        permit(actor, None, Access::Read)?;
        Ok(self
            .tenant_mail(actor.tenant_id)
            .await?
            .map(|m| (*m.config).clone()))
    }

    /// The public URL the desk started with (`--public-url`), for links when none is saved.
    fn public_url_default(&self) -> String {
        self.mail
            .as_ref()
            .map(|m| m.public_url.clone())
            .or_else(|| self.public_url.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> RelayInput {
        RelayInput {
            host: "smtp.example.com".into(),
            port: "587".into(),
            security: "starttls".into(),
            from: "Help desk <help@example.com>".into(),
            ..RelayInput::default()
        }
    }

    #[test]
    fn good_input_has_no_problems_and_bad_fields_each_get_a_sentence() {
        assert!(input().problems().is_empty());
        let bad = RelayInput {
            host: "smtp example".into(),
            port: "70000".into(),
            security: "ssl".into(),
            from: "Help desk <help@>".into(),
            public_url: "desk.example.com".into(),
            ..RelayInput::default()
        };
        let fields: Vec<&str> = bad.problems().iter().map(|p| p.field).collect();
        assert_eq!(fields, ["host", "port", "security", "from", "public_url"]);
    }

    #[test]
    fn senders_take_an_optional_display_name() {
        let with_name = parse_sender("Help desk <Help@Example.com>").unwrap();
        assert_eq!(with_name.email(), "help@example.com");
        assert_eq!(with_name.name(), Some("Help desk"));
        assert!(parse_sender("help@example.com").unwrap().name().is_none());
        assert!(parse_sender("Help <help@example.com").is_err());
        assert!(parse_sender("not an address").is_err());
    }
}

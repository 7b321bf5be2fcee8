//! How an actor proved who they are, and what an API token's scope lets it do.
//!
//! Browser sessions and the trusted in-process callers (the admin CLI, mail intake) act with the
//! person's full rights. An API token may be narrowed: read-only, and/or limited to a set of
//! resources. The app layer asks [`Credential::permits`] at the start of every use case.

use crate::Timestamp;

/// How long after signing in a session counts as recently authenticated: minting a token or
/// changing one's password without typing the current password is allowed only this long.
pub const REAUTHENTICATION_WINDOW_MICROS: i64 = 10 * 60 * 1_000_000;

/// How the actor authenticated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Credential {
    /// A trusted in-process caller: the admin CLI, mail intake, bootstrap, background workers.
    #[default]
    Direct,
    /// A browser session.
    Session {
        /// When the person signed in (typed their password).
        signed_in_at: Timestamp,
    },
    /// An API token.
    Token {
        /// The token's id.
        id: crate::TokenId,
        /// What it may do.
        scope: TokenScope,
    },
}

/// The parts of the API a token can be limited to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resource {
    /// Tickets, their comments, history, attachments, checklists and ticket reports.
    Tickets,
    /// Knowledge articles, portal suggestions and deflections, the self-service report.
    Knowledge,
    /// SOPs, their reviews and outcome reports.
    Sops,
    /// The desk's setup: people, groups, taxonomy, services, settings, SLA, mail.
    Admin,
}

impl Resource {
    /// Every resource, in a stable order.
    pub const ALL: [Self; 4] = [Self::Tickets, Self::Knowledge, Self::Sops, Self::Admin];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tickets => "tickets",
            Self::Knowledge => "knowledge",
            Self::Sops => "sops",
            Self::Admin => "admin",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<Self, crate::ValidationError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == value.trim())
            .ok_or_else(|| {
                crate::ValidationError::new(
                    "resources",
                    format!("unknown resource {value:?}; use tickets, knowledge, sops or admin"),
                )
            })
    }
}

/// Reading or changing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Looking only.
    Read,
    /// Creating, changing, deleting — anything that writes.
    Write,
}

/// What an API token may do. The default is everything its owner may do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenScope {
    /// Reads only.
    pub read_only: bool,
    /// Only these resources (`None`: all of them). One's own account (profile, notifications,
    /// preferences, tokens) is reachable with any set.
    pub resources: Option<Vec<Resource>>,
}

impl TokenScope {
    /// Whether the scope allows `access` to `resource` (`None`: one's own account).
    pub fn allows(&self, resource: Option<Resource>, access: Access) -> bool {
        if self.read_only && access == Access::Write {
            return false;
        }
        match (resource, &self.resources) {
            (None, _) | (_, None) => true,
            (Some(resource), Some(allowed)) => allowed.contains(&resource),
        }
    }

    /// A short description for people: "read-only, tickets and knowledge", "full access".
    pub fn describe(&self) -> String {
        let what = match &self.resources {
            None => "all resources".to_owned(),
            Some(list) if list.is_empty() => "own account only".to_owned(),
            Some(list) => list
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        };
        if self.read_only {
            format!("read-only: {what}")
        } else if self.resources.is_none() {
            "full access".to_owned()
        } else {
            format!("read and write: {what}")
        }
    }
}

/// Where an API token was created.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TokenOrigin {
    /// By an administrator on the command line (`spoc token create`), or at first start.
    #[default]
    Cli,
    /// From a signed-in browser session (the account page, or the API with the session cookie).
    Session,
}

impl TokenOrigin {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cli => "cli",
            Self::Session => "session",
        }
    }

    /// The stored name back; anything unknown counts as the command line.
    pub fn from_stored(value: &str) -> Self {
        if value == "session" {
            Self::Session
        } else {
            Self::Cli
        }
    }
}

impl TokenScope {
    /// The stored form of the resource set: comma-separated names, or `None` for all.
    pub fn stored_resources(&self) -> Option<String> {
        self.resources.as_ref().map(|list| {
            list.iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(",")
        })
    }

    /// A scope from its stored columns; unknown names are dropped, so a damaged row can only
    /// narrow a token, never widen it.
    pub fn from_stored(read_only: bool, resources: Option<&str>) -> Self {
        Self {
            read_only,
            resources: resources.map(|text| {
                text.split(',')
                    .filter(|t| !t.is_empty())
                    .filter_map(|t| Resource::parse(t).ok())
                    .collect()
            }),
        }
    }
}

/// Why a token's scope refuses a request.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct OutOfScope(pub String);

impl Credential {
    /// Whether this credential allows `access` to `resource`. Only tokens are ever narrowed.
    pub fn permits(&self, resource: Option<Resource>, access: Access) -> Result<(), OutOfScope> {
        let Self::Token { scope, .. } = self else {
            return Ok(());
        };
        if scope.allows(resource, access) {
            return Ok(());
        }
        Err(OutOfScope(match (resource, access, scope.read_only) {
            (_, Access::Write, true) => {
                "this API token is read-only; it cannot change anything".to_owned()
            }
            (Some(resource), _, _) => format!(
                "this API token is not allowed to use {} (its scope: {})",
                resource.as_str(),
                scope.describe()
            ),
            (None, _, _) => "this API token's scope does not allow this".to_owned(),
        }))
    }

    /// Whether the person typed their password recently enough (a session signed in within the
    /// re-authentication window). Tokens and trusted callers never count as recent sign-ins.
    pub fn recently_signed_in(&self, now: Timestamp) -> bool {
        match self {
            Self::Session { signed_in_at } => {
                now.as_micros() - signed_in_at.as_micros() <= REAUTHENTICATION_WINDOW_MICROS
            }
            Self::Direct | Self::Token { .. } => false,
        }
    }

    /// Whether the request came with an API token.
    pub fn is_token(&self) -> bool {
        matches!(self, Self::Token { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(read_only: bool, resources: Option<Vec<Resource>>) -> Credential {
        Credential::Token {
            id: crate::TokenId::new(1),
            scope: TokenScope {
                read_only,
                resources,
            },
        }
    }

    #[test]
    fn read_only_tokens_cannot_write_anything() {
        let t = token(true, None);
        assert!(t.permits(Some(Resource::Tickets), Access::Read).is_ok());
        assert!(t.permits(None, Access::Read).is_ok());
        assert!(t.permits(Some(Resource::Tickets), Access::Write).is_err());
        assert!(t.permits(None, Access::Write).is_err());
    }

    #[test]
    fn resource_sets_limit_tokens_but_not_the_own_account() {
        let t = token(false, Some(vec![Resource::Knowledge]));
        assert!(t.permits(Some(Resource::Knowledge), Access::Write).is_ok());
        let refused = t
            .permits(Some(Resource::Tickets), Access::Read)
            .unwrap_err();
        assert!(refused.0.contains("tickets"), "{refused}");
        assert!(t.permits(None, Access::Write).is_ok());
        assert!(
            Credential::Direct
                .permits(Some(Resource::Admin), Access::Write)
                .is_ok()
        );
    }

    #[test]
    fn only_fresh_sessions_are_recent() {
        let at = Timestamp::from_micros(1_800_000_000_000_000);
        let session = Credential::Session { signed_in_at: at };
        assert!(session.recently_signed_in(at.plus_micros(REAUTHENTICATION_WINDOW_MICROS)));
        assert!(!session.recently_signed_in(at.plus_micros(REAUTHENTICATION_WINDOW_MICROS + 1)));
        assert!(!token(false, None).recently_signed_in(at));
        assert!(!Credential::Direct.recently_signed_in(at));
    }

    #[test]
    fn scopes_describe_themselves() {
        assert_eq!(TokenScope::default().describe(), "full access");
        let scope = TokenScope {
            read_only: true,
            resources: Some(vec![Resource::Tickets, Resource::Sops]),
        };
        assert_eq!(scope.describe(), "read-only: tickets, sops");
        assert_eq!(Resource::parse("admin"), Ok(Resource::Admin));
        assert!(Resource::parse("everything").is_err());
    }
}

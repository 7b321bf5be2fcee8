//! A person's own browser sessions: which are open (where and since when), and ending one of
//! them, e.g. the one left signed in on a shared computer. Each is named by the first 16 hex
//! digits of its id's hash, never by the id (the cookie's secret) itself.

use spoc_domain::Timestamp;
use spoc_domain::access::Actor;
use spoc_domain::credential::Access;

use crate::auth::{permit, sha256_hex};
use crate::{App, AppError};

/// One of the actor's open sessions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenSession {
    /// How it is named when ended (16 hex digits).
    pub id: String,
    /// When the person signed in.
    pub created_at: Timestamp,
    /// When it ends by itself.
    pub expires_at: Timestamp,
    /// The browser it was started from, if it said.
    pub device: Option<String>,
    /// Whether it is the session making this request.
    pub current: bool,
}

/// How the request's own session is recognised among the actor's sessions.
#[derive(Clone, Copy, Debug)]
pub enum ThisSession<'a> {
    /// By the session cookie's secret.
    Cookie(&'a str),
    /// By the session's CSRF token (a page knows it, not the cookie).
    Csrf(&'a str),
    /// Not by a session (an API token).
    None,
}

/// Whether `id` is a session's name as people see it (16 lowercase hex digits).
fn well_formed(id: &str) -> bool {
    id.len() == 16 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl App {
    /// The actor's open sessions, newest first, with the one the request came with marked.
    pub async fn own_sessions(
        &self,
        actor: &Actor,
        this: ThisSession<'_>,
    ) -> Result<Vec<OpenSession>, AppError> {
        permit(actor, None, Access::Read)?;
        let me = actor.person()?;
        let cookie_hash = match this {
            ThisSession::Cookie(secret) => Some(sha256_hex(secret)),
            _ => None,
        };
        let is_this = |s: &spoc_store::SessionListing| match this {
            ThisSession::Cookie(_) => cookie_hash.as_deref() == Some(s.id_hash.as_str()),
            // Only which row to mark, not a check of anything sent.
            ThisSession::Csrf(token) => token == s.csrf_token,
            ThisSession::None => false,
        };
        let sessions = self
            .store
            .list_sessions(actor.tenant_id, me, self.now())
            .await?;
        Ok(sessions
            .into_iter()
            .map(|s| OpenSession {
                created_at: s.created_at,
                expires_at: s.expires_at,
                device: s.user_agent.clone(),
                current: is_this(&s),
                id: s.id_hash[..16.min(s.id_hash.len())].to_owned(),
            })
            .collect())
    }

    /// Ends one of the actor's own sessions, named as [`OpenSession::id`]. Another person's
    /// session, or one that has ended, is not found.
    pub async fn end_own_session(&self, actor: &Actor, id: &str) -> Result<(), AppError> {
        permit(actor, None, Access::Write)?;
        let me = actor.person()?;
        if !well_formed(id)
            || !self
                .store
                .delete_session_of(actor.tenant_id, me, id)
                .await?
        {
            return Err(AppError::NotFound { what: "session" });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_names_are_16_lowercase_hex_digits() {
        assert!(well_formed("0123456789abcdef"));
        assert!(!well_formed("0123456789ABCDEF"));
        assert!(!well_formed("0123%"));
    }
}

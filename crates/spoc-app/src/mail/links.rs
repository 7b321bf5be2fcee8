//! One-time links in mail: a requester who has no password (most people who write to the desk
//! by e-mail) can still confirm that a resolution holds, or reopen the ticket, from the
//! resolution notice. Each link is 128 random bits, stored hashed, bound to one ticket, one
//! person and one action, valid for 14 days and usable once; opening it shows a page, and only
//! submitting that page acts (no state changes on GET).

use spoc_domain::TicketId;
use spoc_domain::access::Scope;
use spoc_domain::text::Reason;
use spoc_domain::ticket::{Status, Ticket};
use spoc_store::ActionTokenRecord;

use crate::auth::{random_hex, sha256_hex};
use crate::{ActionInput, App, AppError};

/// How long a link in a resolution notice stays valid.
pub(super) const LINK_LIFETIME_MICROS: i64 = 14 * 24 * 3600 * 1_000_000;

/// What a one-time link does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkAction {
    /// The resolution holds: close the ticket.
    Confirm,
    /// It does not: reopen the ticket.
    Reopen,
}

impl LinkAction {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Reopen => "reopen",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        match value {
            "confirm" => Some(Self::Confirm),
            "reopen" => Some(Self::Reopen),
            _ => None,
        }
    }
}

/// A valid link, as its page shows it.
#[derive(Clone, Debug)]
pub struct ActionLink {
    /// What it does.
    pub action: LinkAction,
    /// The ticket it is for.
    pub ticket: Ticket,
}

/// Why a link cannot be used, as a sentence for its page.
fn unusable(why: &str) -> AppError {
    AppError::Forbidden(why.to_owned())
}

impl App {
    /// Makes a one-time link for `action` on `ticket` for its requester; returns the secret.
    pub(crate) async fn issue_action_link(
        &self,
        ticket: &Ticket,
        action: LinkAction,
    ) -> Result<String, AppError> {
        let secret = random_hex(16);
        let now = self.now();
        self.store
            .create_action_token(
                &sha256_hex(&secret),
                ticket.id,
                ticket.requester_id,
                action.as_str(),
                now,
                now.plus_micros(LINK_LIFETIME_MICROS),
            )
            .await?;
        Ok(secret)
    }

    async fn valid_link(&self, secret: &str) -> Result<(ActionTokenRecord, ActionLink), AppError> {
        let not_found = || AppError::NotFound { what: "link" };
        if secret.len() != 32 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(not_found());
        }
        let record = self
            .store
            .find_action_token(&sha256_hex(secret))
            .await?
            .ok_or_else(not_found)?;
        let action = LinkAction::parse(&record.action).ok_or_else(not_found)?;
        if record.used_at.is_some() {
            return Err(unusable("This link was used already."));
        }
        if record.expires_at <= self.now() {
            return Err(unusable(
                "This link has expired. Reply to the e-mail instead, and the desk will see it.",
            ));
        }
        let ticket = self
            .store
            .get_ticket(record.ticket_id, &Scope::tenant(record.tenant_id))
            .await?;
        if ticket.status != Status::Resolved || ticket.requester_id != record.user_id {
            return Err(unusable(&format!(
                "{} is not waiting for your confirmation any more.",
                ticket.number()
            )));
        }
        Ok((record, ActionLink { action, ticket }))
    }

    /// The link behind `secret`, if it can be used now.
    pub async fn action_link(&self, secret: &str) -> Result<ActionLink, AppError> {
        Ok(self.valid_link(secret).await?.1)
    }

    /// Uses a link: closes the ticket (confirm) or reopens it with `reason` (reopen), as its
    /// requester — with their permissions, through the normal use case. A link works once.
    pub async fn use_action_link(
        &self,
        secret: &str,
        reason: Option<Reason>,
    ) -> Result<TicketId, AppError> {
        let (record, link) = self.valid_link(secret).await?;
        let input = match link.action {
            LinkAction::Confirm => ActionInput::Close,
            LinkAction::Reopen => {
                let reason = reason.ok_or_else(|| {
                    spoc_domain::ValidationError::new("reason", "say what is still wrong")
                })?;
                ActionInput::Reopen {
                    reason: Some(reason),
                }
            }
        };
        let user = self
            .store
            .get_user(record.tenant_id, record.user_id)
            .await?;
        if !user.active {
            return Err(unusable("Your account is deactivated."));
        }
        if !self
            .store
            .use_action_token(&sha256_hex(secret), self.now())
            .await?
        {
            return Err(unusable("This link was used already."));
        }
        let actor = self.actor_for(&user).await?;
        self.perform_action(&actor, link.ticket.id, None, input)
            .await?;
        Ok(link.ticket.id)
    }
}

//! What a requester's e-mail reply does to a finished ticket (issue #12): within the reopen
//! window a reply to a resolved ticket reopens it, as the one-time reopen link would (the
//! requester only, counted as a reopening); a reply to a closed ticket starts a follow-up ticket
//! linked to it (the acknowledgement tells the requester the new number); a reply to a ticket
//! that was merged lands on the surviving ticket. Automated mail (auto-replies, bounces, loop
//! headers) never gets here: the router records it for staff and nothing reopens.

use spoc_domain::access::{Actor, Scope};
use spoc_domain::mail::NoticeTopic;
use spoc_domain::text::Reason;
use spoc_domain::ticket::{Status, Ticket};
use spoc_domain::{TenantId, TicketId};
use spoc_store::{OutboxMessage, StoreError};

use crate::{ActionInput, App, AppError};

/// How long after its resolution a requester's e-mail reply reopens a ticket: as long as the
/// one-time reopen link of the resolution notice lives (14 days). Later replies are added to
/// the resolved ticket as replies, for the desk to see.
pub const REOPEN_WINDOW_MICROS: i64 = super::links::LINK_LIFETIME_MICROS;

impl App {
    /// The ticket mail for `ticket` lands on: the surviving ticket when it was merged.
    pub(super) async fn follow_merge(
        &self,
        tenant: TenantId,
        ticket: Ticket,
    ) -> Result<Ticket, AppError> {
        let Some(survivor) = self.survivor_of(tenant, ticket.id).await? else {
            return Ok(ticket);
        };
        match self
            .store
            .get_ticket(survivor, &Scope::tenant(tenant))
            .await
        {
            Ok(survivor) => Ok(survivor),
            Err(StoreError::NotFound) => Ok(ticket),
            Err(e) => Err(e.into()),
        }
    }

    /// After the requester's reply was added to `id`: reopens it when it is resolved and the
    /// reply came within the reopen window. Returns whether it reopened.
    pub(super) async fn reopen_by_reply(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<bool, AppError> {
        if actor.is_staff() {
            return Ok(false);
        }
        let ticket = self
            .store
            .get_ticket(id, &Scope::tenant(actor.tenant_id))
            .await?;
        let within = ticket
            .resolved_at
            .is_some_and(|at| self.now().as_micros() - at.as_micros() <= REOPEN_WINDOW_MICROS);
        if ticket.status != Status::Resolved
            || actor.user_id() != Some(ticket.requester_id)
            || !within
        {
            return Ok(false);
        }
        let reason = Reason::parse("The requester replied by e-mail that it is not resolved.")?;
        self.perform_action(
            actor,
            id,
            None,
            ActionInput::Reopen {
                reason: Some(reason),
            },
        )
        .await?;
        Ok(true)
    }

    /// The auto-close notice e-mail for the requester of `ticket` (at `version` after the
    /// notice), when mail is on: the resolution notice again — with its confirm and reopen
    /// links — led by the sentence saying it closes by itself at `closes_at`, written in the
    /// requester's language when the mail is.
    pub(crate) fn auto_close_message(
        &self,
        tenant: spoc_domain::TenantId,
        ticket: &Ticket,
        version: i64,
        closes_at: spoc_domain::Timestamp,
    ) -> Option<OutboxMessage> {
        if !self.mail_on_cached(tenant) {
            return None;
        }
        let mut job = super::MailJob::to_person(NoticeTopic::Resolved, ticket.requester_id);
        job.body.clone_from(&ticket.resolution_notes);
        job.closes_at = Some(closes_at.as_micros());
        Some(job.message(
            format!(
                "mail.auto_close:{}:v{version}:u{}",
                ticket.id, ticket.requester_id
            ),
            None,
        ))
    }
}

//! Held and quarantined messages, dealt with by an admin or a lead: processed again (vouching
//! for the sender, or not), logged as a new ticket, added to a ticket as an internal note, or
//! dismissed.

use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::mail::InboundOutcome;
use spoc_domain::{InboundId, TicketId};
use spoc_store::{SettleInbound, sha256_hex};

use super::IngestResult;
use super::inbound::Record;
use super::message::body_from;
use crate::auth::permit;
use crate::{App, AppError};

/// What an agent does with a held or quarantined message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Release {
    /// Process it again as if it had just arrived (quarantined messages, after a fix).
    Retry,
    /// Process it again, vouching that it really comes from the member of staff it names:
    /// mail held because no trusted server authenticated its sender is then posted as them.
    Post,
    /// Log it as a new ticket of its sender's.
    NewTicket,
    /// Add it to this ticket as an internal note by the agent (the sender gains no access).
    IntoTicket(TicketId),
    /// Set it aside for good; it stays in the log.
    Dismiss,
}

impl App {
    /// Deals with a held or quarantined message (admins and leads): processes it again, logs
    /// it as a new ticket, adds it to a ticket as an internal note, or dismisses it.
    pub async fn release_inbound(
        &self,
        actor: &Actor,
        id: InboundId,
        how: Release,
    ) -> Result<IngestResult, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        super::may_oversee_mail(actor)?;
        let current = self
            .store
            .get_inbound(actor.tenant_id, id)
            .await
            .map_err(crate::error::not_found("inbound message"))?;
        if !matches!(
            current.outcome,
            InboundOutcome::Held | InboundOutcome::Quarantined
        ) || current.settled_at.is_some()
        {
            return Err(AppError::Forbidden(format!(
                "message {id} is not waiting for anyone: it was {}",
                match current.settled_at {
                    Some(_) => "dealt with already".to_owned(),
                    None => current.outcome.as_str().replace('_', " "),
                }
            )));
        }
        let now = self.now();
        let me = actor.person()?;
        let who = self.people_names(actor.tenant_id, [me]).await?;
        let by = who.get(&me).cloned().unwrap_or_default();
        if how == Release::Dismiss {
            self.store
                .settle_inbound(
                    actor.tenant_id,
                    id,
                    me,
                    None,
                    &format!("Dismissed by {by}."),
                    now,
                )
                .await?;
            let settled = self.store.get_inbound(actor.tenant_id, id).await?;
            return Ok(IngestResult {
                inbound_id: id,
                message_id: settled.message_id,
                outcome: settled.outcome,
                reason: settled.reason,
                ticket: None,
                duplicate: false,
            });
        }
        let raw = self.store.inbound_raw(actor.tenant_id, id).await?;
        let parsed = spoc_mail::parse(&raw, &spoc_mail::Limits::default())
            .map_err(|e| AppError::Forbidden(format!("the message still cannot be read: {e}")))?;
        let prepared = self
            .prepare(
                actor.tenant_id,
                parsed,
                current.message_id.clone(),
                sha256_hex(&raw),
            )
            .await?;
        let record = Record {
            tenant: actor.tenant_id,
            mailbox: None,
            raw: &raw,
            prepared: &prepared,
            now,
            routed: None,
        };
        let settle = |note: String| SettleInbound {
            id,
            outcome: current.outcome,
            note,
            by: Some(me),
        };
        match how {
            Release::Retry | Release::Post => {
                let note = if how == Release::Post {
                    format!("Processed again by {by}, who vouched for its sender.")
                } else {
                    format!("Processed again by {by}.")
                };
                let result = self
                    .process(&record, Some(settle(note)), how == Release::Post)
                    .await?;
                if result.ticket.is_none() {
                    return Err(AppError::Forbidden(format!(
                        "processed again, it still would not become a ticket: {}",
                        result.reason
                    )));
                }
                Ok(result)
            }
            Release::NewTicket => {
                let sender = match prepared.sender.clone() {
                    Some(user) if user.active => user,
                    Some(_) => {
                        return Err(AppError::Forbidden(
                            "the sender's account is deactivated".to_owned(),
                        ));
                    }
                    None if prepared.sender_address.is_empty() => {
                        return Err(AppError::Forbidden(
                            "the message has no sender to log a ticket for".to_owned(),
                        ));
                    }
                    None => self.register_sender(actor.tenant_id, &prepared).await?,
                };
                let reason = format!("Released as a new ticket by {by}.");
                self.ticket_from_mail(
                    &record,
                    Some(settle(reason.clone())),
                    &sender,
                    &reason,
                    &Err("Released by an agent; nothing is sent back automatically.".to_owned()),
                )
                .await
            }
            Release::IntoTicket(ticket_id) => {
                let ticket = self.get_ticket(actor, ticket_id).await?;
                let note = format!(
                    "E-mail from {} (released from the held messages by {by}; the sender was not given access):\n\n{}",
                    if prepared.sender_address.is_empty() {
                        "an unknown sender"
                    } else {
                        &prepared.sender_address
                    },
                    prepared.parsed.text
                );
                let reason = format!("Added to {} as an internal note by {by}.", ticket.number());
                let mut mail = Self::mail_write(
                    &record,
                    Some(settle(reason.clone())),
                    InboundOutcome::ReplyAdded,
                    &reason,
                    "",
                );
                for attachment in &mut mail.attachments {
                    attachment.public = false;
                }
                mail.thread_ids.clear();
                self.comment_with(
                    actor,
                    ticket_id,
                    true,
                    body_from(&note)?,
                    Some(mail),
                    Vec::new(),
                )
                .await?;
                Ok(IngestResult {
                    inbound_id: id,
                    message_id: current.message_id,
                    outcome: InboundOutcome::ReplyAdded,
                    reason,
                    ticket: Some((ticket.id, ticket.number().to_string())),
                    duplicate: false,
                })
            }
            Release::Dismiss => Err(AppError::Forbidden("already handled".to_owned())),
        }
    }
}

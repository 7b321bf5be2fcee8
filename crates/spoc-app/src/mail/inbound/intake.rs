//! What an accepted inbound message becomes: a new ticket logged for its sender, or a reply on
//! the ticket it answers (reopening it, or starting a follow-up, as the lifecycle allows).

use spoc_domain::access::Scope;
use spoc_domain::mail::InboundOutcome;
use spoc_domain::priority::{Impact, Urgency};
use spoc_domain::ticket::{Channel, TicketKind};
use spoc_domain::{InboundId, TicketId};
use spoc_store::{SettleInbound, UserRecord};

use super::{IngestResult, Record};
use crate::mail::message::{body_from, title_from};
use crate::tickets::LogExtras;
use crate::{App, AppError, NewTicketInput};

impl App {
    pub(in crate::mail) async fn ticket_from_mail(
        &self,
        record: &Record<'_>,
        settle: Option<SettleInbound>,
        sender: &UserRecord,
        reason: &str,
        answer: &Result<(), String>,
    ) -> Result<IngestResult, AppError> {
        let tenant = record.tenant;
        let p = record.prepared;
        let actor = self.actor_for(sender).await?;
        let auto_reply = match answer {
            Ok(()) => "The requester was sent an acknowledgement.".to_owned(),
            Err(why) => why.clone(),
        };
        let kind = record
            .mailbox
            .map_or(TicketKind::Incident, |m| m.ticket_kind);
        let mail = Self::mail_write(
            record,
            settle,
            InboundOutcome::TicketCreated,
            reason,
            &auto_reply,
        );
        let outbox = if self.tenant_mail(tenant).await?.is_some() {
            Self::rejection_notice(p, answer)
        } else {
            Vec::new()
        };
        let ticket = self
            .log_ticket(
                &actor,
                NewTicketInput {
                    kind,
                    title: title_from(&p.parsed.subject)?,
                    description: body_from(&p.parsed.text)?,
                    impact: Impact::Low,
                    urgency: Urgency::Medium,
                    category_id: None,
                    service_id: None,
                    requester_id: Some(sender.id),
                    channel: Channel::Email,
                },
                LogExtras {
                    acknowledge: answer.is_ok(),
                    outbox,
                    mail: Some(mail),
                },
            )
            .await?;
        Ok(IngestResult {
            inbound_id: self
                .store
                .find_inbound(tenant, &p.message_id)
                .await?
                .map_or(InboundId::new(0), |r| r.id),
            message_id: p.message_id.clone(),
            outcome: InboundOutcome::TicketCreated,
            reason: reason.to_owned(),
            ticket: Some((ticket.id, ticket.number().to_string())),
            duplicate: false,
        })
    }

    pub(super) async fn reply_from_mail(
        &self,
        record: &Record<'_>,
        settle: Option<SettleInbound>,
        sender: &UserRecord,
        ticket_id: TicketId,
        reason: &str,
        answer: &Result<(), String>,
    ) -> Result<IngestResult, AppError> {
        let tenant = record.tenant;
        let p = record.prepared;
        let actor = self.actor_for(sender).await?;
        let auto_reply = if p.parsed.rejected.is_empty() {
            "Replies are not acknowledged.".to_owned()
        } else {
            match answer {
                Ok(()) => "The sender was told which attachments were too large.".to_owned(),
                Err(why) => why.clone(),
            }
        };
        let mail = Self::mail_write(
            record,
            settle.clone(),
            InboundOutcome::ReplyAdded,
            reason,
            &auto_reply,
        );
        let outbox = if self.tenant_mail(tenant).await?.is_some() {
            Self::rejection_notice(p, answer)
        } else {
            Vec::new()
        };
        // The quoted conversation is in the ticket already (and in the raw message).
        let body = body_from(&spoc_mail::reply_text(&p.parsed.text))?;
        // Staff who answer by mail (often to a staff notification) add an internal note: what
        // an agent writes to colleagues must never reach the requester by accident. Agents
        // reply to requesters from the desk.
        let internal = actor.is_staff();
        let mut mail = mail;
        if internal {
            for attachment in &mut mail.attachments {
                attachment.public = false;
            }
            if let Some(inbound) = &mut mail.inbound {
                inbound
                    .reason
                    .push_str(" An agent's e-mail is added as an internal note.");
            }
        }
        match self
            .comment_with(&actor, ticket_id, internal, body, Some(mail), outbox)
            .await
        {
            Ok(_) => {
                self.reopen_by_reply(&actor, ticket_id).await?;
                let ticket = self
                    .store
                    .get_ticket(ticket_id, &Scope::tenant(tenant))
                    .await?;
                Ok(IngestResult {
                    inbound_id: self
                        .store
                        .find_inbound(tenant, &p.message_id)
                        .await?
                        .map_or(InboundId::new(0), |r| r.id),
                    message_id: p.message_id.clone(),
                    outcome: InboundOutcome::ReplyAdded,
                    reason: reason.to_owned(),
                    ticket: Some((ticket.id, ticket.number().to_string())),
                    duplicate: false,
                })
            }
            // The ticket closed, or the sender lost access, since the message was routed.
            Err(AppError::Validation(_) | AppError::NotFound { .. } | AppError::Transition(_)) => {
                let reason = format!(
                    "{reason} The ticket could no longer take the reply, so it starts a new ticket."
                );
                self.ticket_from_mail(record, settle, sender, &reason, answer)
                    .await
            }
            Err(e) => Err(e),
        }
    }
}

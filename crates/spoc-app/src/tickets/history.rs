//! A ticket's history and conversation: replies and internal notes, the timeline of events and
//! the attachments that came with them, each as the actor may see it.

use crate::FromRecord;
use crate::auth::permit;
use spoc_domain::access::Actor;
use spoc_domain::access::SystemActor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::event::EventData;
use spoc_domain::lifecycle::{self, CommentAuthor};
use spoc_domain::text::Body;
use spoc_domain::{AttachmentId, EventId, InboundId, Timestamp};
use spoc_domain::{TicketId, UserId};
use spoc_store::AttachmentRecord;
use spoc_store::{EventRecord, OutboxMessage, StoreError, TicketChange};

use crate::error::not_found;
use crate::rate_limits::Limited;

use super::{ticket_not_found, visible};
use crate::{App, AppError};

/// One entry of a ticket's history: who did what, when, and whether the requester sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Id, increasing in the order of events.
    pub id: EventId,
    /// The ticket.
    pub ticket_id: TicketId,
    /// When.
    pub at: Timestamp,
    /// Who, when a person acted.
    pub actor_id: Option<UserId>,
    /// Which part of the system acted, when the system did (history written before principals
    /// were recorded has neither).
    pub actor_system: Option<SystemActor>,
    /// Whether the requester may see it.
    pub public: bool,
    /// What happened.
    pub data: EventData,
}

impl FromRecord<EventRecord> for HistoryEntry {
    fn from_record(r: EventRecord) -> Self {
        Self {
            id: r.id,
            ticket_id: r.ticket_id,
            at: r.at,
            actor_id: r.actor_id,
            actor_system: r.actor_system,
            public: r.public,
            data: r.data,
        }
    }
}

/// A file attached to a ticket (its bytes come separately, from [`App::get_attachment`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// Id.
    pub id: AttachmentId,
    /// Ticket.
    pub ticket_id: TicketId,
    /// The history entry it belongs to (the reply or the ticket's creation).
    pub event_id: Option<EventId>,
    /// The inbound message it came with.
    pub inbound_message_id: Option<InboundId>,
    /// Safe display name.
    pub filename: String,
    /// Media type.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Shown inline (an image referenced from the body).
    pub inline: bool,
    /// Content-ID, for inline images.
    pub content_id: Option<String>,
    /// Visible to the requester.
    pub public: bool,
    /// When stored.
    pub created_at: Timestamp,
}

impl FromRecord<AttachmentRecord> for Attachment {
    fn from_record(r: AttachmentRecord) -> Self {
        Self {
            id: r.id,
            ticket_id: r.ticket_id,
            event_id: r.event_id,
            inbound_message_id: r.inbound_message_id,
            filename: r.filename,
            content_type: r.content_type,
            size: r.size,
            sha256: r.sha256,
            inline: r.inline,
            content_id: r.content_id,
            public: r.public,
            created_at: r.created_at,
        }
    }
}

impl App {
    /// Adds a public reply or (staff only) an internal note; colleagues it mentions are
    /// notified. Returns the comment's event.
    pub async fn add_comment(
        &self,
        actor: &Actor,
        id: TicketId,
        internal: bool,
        body: Body,
    ) -> Result<HistoryEntry, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        self.add_comment_with_files(actor, id, internal, body, Vec::new())
            .await
    }

    /// Adds a public reply or an internal note with files sent through the web or the API;
    /// colleagues it mentions (`@Full Name`, staff only) get an in-app notification.
    /// The files pass the e-mail channel's limits, the type rules and the desk's scanner
    /// first; a refused file refuses the whole comment (field `files`), so nothing is
    /// half-posted. Files of an internal note are internal too: customers never see them.
    pub async fn add_comment_with_files(
        &self,
        actor: &Actor,
        id: TicketId,
        internal: bool,
        body: Body,
        files: Vec<super::Upload>,
    ) -> Result<HistoryEntry, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        let attachments = super::uploads::accept(files, !internal, self.scanner.as_ref())?;
        let counted = self.check_rate(actor, Limited::Reply).await?;
        let mail = (!attachments.is_empty()).then(|| spoc_store::MailWrite {
            attachments,
            ..spoc_store::MailWrite::default()
        });
        let mentions = self
            .mention_notifications(actor, id, internal, body.as_str())
            .await?;
        let event = self
            .comment_notifying(actor, id, internal, body, mail, Vec::new(), mentions)
            .await?;
        self.count_rate(counted);
        Ok(HistoryEntry::from_record(event))
    }

    /// Adds a comment with what a channel adds: the e-mail it came as, further messages.
    pub(crate) async fn comment_with(
        &self,
        actor: &Actor,
        id: TicketId,
        internal: bool,
        body: Body,
        mail: Option<spoc_store::MailWrite>,
        extra_outbox: Vec<OutboxMessage>,
    ) -> Result<EventRecord, AppError> {
        self.comment_notifying(actor, id, internal, body, mail, extra_outbox, Vec::new())
            .await
    }

    /// [`App::comment_with`], also sending in-app `notifications` (mentions) in the same
    /// transaction.
    #[allow(clippy::too_many_arguments)]
    async fn comment_notifying(
        &self,
        actor: &Actor,
        id: TicketId,
        internal: bool,
        body: Body,
        mail: Option<spoc_store::MailWrite>,
        extra_outbox: Vec<OutboxMessage>,
        notifications: Vec<spoc_store::NewNotification>,
    ) -> Result<EventRecord, AppError> {
        let setup = self.sla_setup(actor.tenant_id).await?;
        self.tenant_mail(actor.tenant_id).await?;
        let now = self.now();
        let updated = self
            .store
            .update_ticket(
                id,
                actor.tenant_id.into(),
                Some(actor.principal),
                |ticket, sla| {
                    visible(actor, ticket)?;
                    if internal {
                        actor.may_write_internal_note()?;
                    }
                    let author = CommentAuthor {
                        is_staff: actor.is_staff(),
                        is_requester: actor.is_user(ticket.requester_id),
                    };
                    let reply = match (internal, author.is_staff, author.is_requester) {
                        (true, _, _) => None,
                        (false, true, _) => Some(spoc_domain::sla::ReplyBy::Staff),
                        (false, false, true) => Some(spoc_domain::sla::ReplyBy::Requester),
                        (false, false, false) => None,
                    };
                    let outcome = lifecycle::comment(ticket, author, internal, body, now)?;
                    let moved = setup.advance(ticket, &outcome.ticket, sla, reply, now);
                    let mut outbox = self.notice_messages(
                        actor.tenant_id,
                        &outcome.ticket,
                        &outcome.events,
                        Some(actor),
                    );
                    outbox.extend(extra_outbox);
                    let mut change = TicketChange {
                        ticket: outcome.ticket,
                        events: outcome.events,
                        outbox,
                        notifications: notifications.clone(),
                        sla: None,
                        mail,
                        sop: None,
                        article_use: None,
                    };
                    crate::sla::attach(&mut change, moved);
                    Ok::<_, AppError>(Some(change))
                },
            )
            .await
            .map_err(ticket_not_found)?;
        updated
            .events
            .into_iter()
            .find(|e| matches!(e.data, EventData::Commented { .. }))
            .ok_or_else(|| {
                AppError::Internal(StoreError::Corrupt("comment event missing".to_owned()))
            })
    }

    /// The ticket's history as the actor may see it.
    pub async fn list_events(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<Vec<HistoryEntry>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        self.get_ticket(actor, id).await?;
        Ok(crate::converted(
            self.store
                .list_events(id, &actor.scope(), actor.sees_internal())
                .await?,
        ))
    }

    /// The ticket's replies (and, for staff, internal notes).
    pub async fn list_comments(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<Vec<HistoryEntry>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let events = self.list_events(actor, id).await?;
        Ok(events
            .into_iter()
            .filter(|e| matches!(e.data, EventData::Commented { .. }))
            .collect())
    }

    /// The attachments of a ticket the actor may see (customers: only those on public replies).
    pub async fn list_attachments(
        &self,
        actor: &Actor,
        ticket: TicketId,
    ) -> Result<Vec<Attachment>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        self.get_ticket(actor, ticket).await?;
        Ok(crate::converted(
            self.store
                .list_attachments(ticket, &actor.scope(), actor.sees_internal())
                .await?,
        ))
    }

    /// One attachment with its bytes, if the actor may see its ticket (and, for customers, it
    /// is public). Otherwise it does not exist, as far as the actor can tell.
    pub async fn get_attachment(
        &self,
        actor: &Actor,
        id: AttachmentId,
    ) -> Result<(Attachment, Vec<u8>), AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let (record, content) = self
            .store
            .get_attachment(id)
            .await
            .map_err(not_found("attachment"))?;
        // A provider agent sees a granted tenant's attachment as their linked account there.
        let on = self.actor_on_ticket(actor, record.ticket_id).await?;
        let visible = self.get_ticket(&on, record.ticket_id).await.is_ok()
            && (record.public || actor.sees_internal());
        if !visible {
            return Err(AppError::NotFound { what: "attachment" });
        }
        Ok((Attachment::from_record(record), content))
    }
}

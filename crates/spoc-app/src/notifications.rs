//! In-app notifications: what the desk tells a person (a lead alerted by an escalation…).
//! Everyone sees only their own.

use crate::FromRecord;
use crate::auth::permit;
use spoc_domain::access::Actor;
use spoc_domain::credential::Access;
use spoc_domain::{NotificationId, TicketId, Timestamp, UserId};
use spoc_store::NotificationRecord;

use crate::{App, AppError};

/// An in-app notification, as the person it tells sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    /// Id, increasing.
    pub id: NotificationId,
    /// Who is told.
    pub user_id: UserId,
    /// The ticket it is about, if any.
    pub ticket_id: Option<TicketId>,
    /// What kind.
    pub topic: String,
    /// One sentence for a person.
    pub message: String,
    /// When.
    pub created_at: Timestamp,
    /// When the person marked it read.
    pub read_at: Option<Timestamp>,
}

impl FromRecord<NotificationRecord> for Notification {
    fn from_record(r: NotificationRecord) -> Self {
        Self {
            id: r.id,
            user_id: r.user_id,
            ticket_id: r.ticket_id,
            topic: r.topic,
            message: r.message,
            created_at: r.created_at,
            read_at: r.read_at,
        }
    }
}

impl App {
    /// The actor's notifications, newest first (at most `limit`, 1–200).
    pub async fn notifications(
        &self,
        actor: &Actor,
        unread_only: bool,
        limit: i64,
    ) -> Result<Vec<Notification>, AppError> {
        permit(actor, None, Access::Read)?;
        Ok(crate::converted(
            self.store
                .list_notifications(
                    actor.tenant_id,
                    actor.person()?,
                    unread_only,
                    limit.clamp(1, 200),
                )
                .await?,
        ))
    }

    /// How many of the actor's notifications are unread, counted up to `cap` (the badge shows
    /// "99+" past it).
    pub async fn unread_notification_count(
        &self,
        actor: &Actor,
        cap: i64,
    ) -> Result<i64, AppError> {
        permit(actor, None, Access::Read)?;
        let unread = self
            .store
            .list_notifications(actor.tenant_id, actor.person()?, true, cap.clamp(1, 200))
            .await?;
        Ok(unread.len() as i64)
    }

    /// Marks one of the actor's notifications read. Someone else's looks like a missing one.
    pub async fn mark_notification_read(
        &self,
        actor: &Actor,
        id: NotificationId,
    ) -> Result<(), AppError> {
        permit(actor, None, Access::Write)?;
        let now = self.now();
        if self
            .store
            .mark_notification_read(actor.tenant_id, actor.person()?, id, now)
            .await?
        {
            Ok(())
        } else {
            Err(AppError::NotFound {
                what: "notification",
            })
        }
    }
}

//! In-app notifications: what the desk tells a person (a lead alerted by an escalation…).
//! Everyone sees only their own.

use crate::auth::permit;
use spoc_domain::access::Actor;
use spoc_domain::credential::Access;
use spoc_store::NotificationRecord;

use crate::{App, AppError};

impl App {
    /// The actor's notifications, newest first (at most `limit`, 1–200).
    pub async fn notifications(
        &self,
        actor: &Actor,
        unread_only: bool,
        limit: i64,
    ) -> Result<Vec<NotificationRecord>, AppError> {
        permit(actor, None, Access::Read)?;
        Ok(self
            .store
            .list_notifications(
                actor.tenant_id,
                actor.person()?,
                unread_only,
                limit.clamp(1, 200),
            )
            .await?)
    }

    /// Marks one of the actor's notifications read. Someone else's looks like a missing one.
    pub async fn mark_notification_read(
        &self,
        actor: &Actor,
        id: spoc_domain::NotificationId,
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

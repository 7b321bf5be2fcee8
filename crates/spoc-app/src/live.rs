//! Live updates: every committed ticket change reaches open queues and ticket views, on every
//! node. The source is the change feed (see `spoc_store::feed`): a follower on each node (the
//! `live-feed` job) reads the changes committed after the last one it handled, loads each
//! changed ticket as stored, and announces it on an in-process channel. A commit on this node
//! wakes the follower at once; commits on other nodes are seen at its next poll.
//!
//! Each listener is told only of tickets its actor may see — and, for customers, only of changes
//! they could see (an internal note is not news to a requester). Listeners that fall behind skip
//! to the newest announcements (they only refresh views).

use std::sync::Arc;

use spoc_domain::access::{Actor, Scope};
use spoc_domain::ticket::Ticket;
use spoc_domain::{TenantId, TicketId};
use spoc_store::{ChangeRecord, Entity, StoreError};

use crate::{App, AppError};

/// Announcements kept for slow listeners before they skip ahead.
pub(crate) const CHANNEL_CAPACITY: usize = 256;

/// What happened to the ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TicketChangeKind {
    /// It was logged.
    Created,
    /// A reply or note was added.
    Commented,
    /// Its state or fields changed.
    Updated,
}

impl TicketChangeKind {
    /// The kind of a ticket change as the change feed names it.
    pub fn parse(kind: &str) -> Option<Self> {
        match kind {
            "created" => Some(Self::Created),
            "commented" => Some(Self::Commented),
            "updated" => Some(Self::Updated),
            _ => None,
        }
    }

    /// The name used on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Commented => "commented",
            Self::Updated => "updated",
        }
    }
}

/// A committed change of one ticket.
#[derive(Clone, Debug)]
pub struct TicketSignal {
    /// The tenant the ticket belongs to.
    pub tenant: TenantId,
    /// The ticket after the change.
    pub ticket: Arc<Ticket>,
    /// What kind of change.
    pub kind: TicketChangeKind,
    /// Whether any of the change's events is visible to the requester.
    pub public: bool,
}

impl TicketSignal {
    /// Whether `actor` may hear of this change.
    pub fn visible_to(&self, actor: &Actor) -> bool {
        actor.tenant_id == self.tenant
            && actor.can_see(&self.ticket)
            && (self.public || actor.sees_internal())
    }
}

impl App {
    /// Subscribes to ticket changes committed from now on.
    pub fn subscribe_changes(&self) -> tokio::sync::broadcast::Receiver<TicketSignal> {
        self.changes.subscribe()
    }

    /// Tells live listeners the server is shutting down, so their streams end and a graceful
    /// shutdown does not wait for browsers to disconnect.
    pub fn close_live(&self) {
        self.closing.send_replace(true);
    }

    /// Becomes `true` when the server shuts down.
    pub fn live_closing(&self) -> tokio::sync::watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Waits until a change commits on this node (`true`) or `timeout` passes (`false`),
    /// whichever is first.
    pub async fn wait_for_local_commit(&self, timeout: std::time::Duration) -> bool {
        self.store.wait_for_commit(timeout).await
    }

    /// Where a new feed follower starts: after the last change committed so far (live updates
    /// are about what happens from now on).
    pub async fn live_feed_start(&self) -> Result<i64, AppError> {
        Ok(self.store.feed_head().await?)
    }

    /// Announces the ticket changes committed after feed position `after`, up to `limit` of
    /// them, and returns the position of the last change read (`after` when there was none).
    pub async fn announce_changes_after(&self, after: i64, limit: i64) -> Result<i64, AppError> {
        let changes = self.store.changes_after(after, limit).await?;
        let Some(last) = changes.last().map(|c| c.position) else {
            return Ok(after);
        };
        // Each change carries its ticket's tenant: the ticket is read within that tenant.
        for change in &changes {
            if change.entity == Entity::Ticket {
                let id = TicketId::new(change.entity_id);
                self.announce(change.tenant, id, change).await?;
            }
        }
        Ok(last)
    }

    /// Announces one ticket change from the feed. The ticket is read as it is now (a later
    /// change of it is announced again with the same state: views just refresh).
    async fn announce(
        &self,
        tenant: TenantId,
        id: TicketId,
        change: &ChangeRecord,
    ) -> Result<(), AppError> {
        let Some(kind) = TicketChangeKind::parse(&change.kind) else {
            return Ok(());
        };
        // The follower reads every ticket of the tenant that changed; each listener then
        // filters by its own actor's tenant and scope (`TicketSignal::visible_to`).
        let ticket = match self.store.get_ticket(id, &Scope::tenant(tenant)).await {
            Ok(ticket) => ticket,
            Err(StoreError::NotFound) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let _ = self.changes.send(TicketSignal {
            tenant,
            ticket: Arc::new(ticket),
            kind,
            public: change.public,
        });
        Ok(())
    }
}

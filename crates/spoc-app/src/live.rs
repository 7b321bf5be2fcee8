//! Live updates: every committed ticket change is announced on an in-process channel, so open
//! queues and ticket views can refresh themselves. Announcements carry the ticket as stored, and
//! each listener is told only of tickets its actor may see — and, for customers, only of changes
//! they could see (an internal note is not news to a requester).
//!
//! The channel is per process: on several nodes, a browser hears of changes made through its own
//! node. Listeners that fall behind skip to the newest announcements (they only refresh views).

use std::sync::Arc;

use spoc_domain::access::Actor;
use spoc_domain::ticket::Ticket;
use spoc_store::EventRecord;

use crate::App;

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
        actor.can_see(&self.ticket) && (self.public || actor.sees_internal())
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

    /// Announces a committed change. Nobody listening is fine.
    pub(crate) fn announce(&self, ticket: &Ticket, events: &[EventRecord]) {
        if events.is_empty() {
            return;
        }
        let kind = if events
            .iter()
            .any(|e| matches!(e.data, spoc_domain::event::EventData::Created { .. }))
        {
            TicketChangeKind::Created
        } else if events
            .iter()
            .any(|e| matches!(e.data, spoc_domain::event::EventData::Commented { .. }))
        {
            TicketChangeKind::Commented
        } else {
            TicketChangeKind::Updated
        };
        let _ = self.changes.send(TicketSignal {
            ticket: Arc::new(ticket.clone()),
            kind,
            public: events.iter().any(|e| e.public),
        });
    }
}

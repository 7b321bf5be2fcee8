//! The records of a ticket's SOP annex (`ticket_sop`): read with the ticket under its row lock
//! (`tickets.rs`) and on their own (`ticket_sop.rs`).

use spoc_domain::sop::Checklist;
use spoc_domain::{TicketId, Timestamp, UserId};

use crate::StoreError;

/// The SOP version a ticket is handled under, and its checklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketSopRecord {
    /// The ticket.
    pub ticket_id: TicketId,
    /// The SOP.
    pub sop_id: i64,
    /// The version.
    pub version: i64,
    /// Ticks and answers.
    pub checklist: Checklist,
    /// When the ticket was bound to it.
    pub bound_at: Timestamp,
    /// By whom.
    pub bound_by: Option<UserId>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct TicketSopRow {
    ticket_id: i64,
    sop_id: i64,
    version: i64,
    checklist: String,
    bound_at: i64,
    bound_by: Option<i64>,
}

impl TryFrom<TicketSopRow> for TicketSopRecord {
    type Error = StoreError;

    fn try_from(r: TicketSopRow) -> Result<Self, StoreError> {
        Ok(Self {
            ticket_id: TicketId::new(r.ticket_id),
            sop_id: r.sop_id,
            version: r.version,
            checklist: serde_json::from_str(&r.checklist)?,
            bound_at: Timestamp::from_micros(r.bound_at),
            bound_by: r.bound_by.map(UserId::new),
        })
    }
}

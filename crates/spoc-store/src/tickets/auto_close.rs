//! The resolved tickets auto-close looks at.

use crate::db::Sql;
use crate::{Store, StoreError};
use spoc_domain::{TenantId, TicketId, Timestamp};

/// A resolved ticket auto-close may act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResolvedTicket {
    /// The ticket.
    pub id: TicketId,
    /// Its version when read (a close expects it, so a ticket reopened meanwhile is left).
    pub version: i64,
    /// When it was resolved.
    pub resolved_at: Timestamp,
    /// When its requester was told it closes by itself, since that resolution.
    pub noticed_at: Option<Timestamp>,
}

impl Store {
    /// The tenant's resolved tickets resolved at or before `before`, oldest resolution first,
    /// at most `limit`, each with its latest auto-close notice since it was resolved.
    pub async fn resolved_tickets(
        &self,
        tenant: TenantId,
        before: Timestamp,
        limit: i64,
    ) -> Result<Vec<ResolvedTicket>, StoreError> {
        let rows: Vec<(i64, i64, i64, Option<i64>)> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT t.id, t.version, t.resolved_at, \
                     (SELECT MAX(e.at) FROM ticket_events e WHERE e.ticket_id = t.id \
                      AND e.kind = 'auto_close_notice' AND e.at >= t.resolved_at) \
                     FROM tickets t WHERE t.tenant_id = $1 AND t.status = 'resolved' \
                     AND t.resolved_at <= $2 ORDER BY t.resolved_at, t.id LIMIT $3",
                )
                .bind(tenant.get())
                .bind(before.as_micros())
                .bind(limit),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, version, resolved_at, noticed_at)| ResolvedTicket {
                id: TicketId::new(id),
                version,
                resolved_at: Timestamp::from_micros(resolved_at),
                noticed_at: noticed_at.map(Timestamp::from_micros),
            })
            .collect())
    }
}

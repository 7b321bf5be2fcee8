//! Inbound messages that changed no ticket: recorded raw with their outcome and reason, listed
//! for admins, and settled into a ticket later.

use spoc_domain::access::Scope;
use spoc_domain::{InboundId, MailboxId, TenantId, TicketId, Timestamp, UserId};

use super::{
    INBOUND_COLUMNS, INSERT_INBOUND, InboundOutcome, InboundRecord, InboundRow, NewInbound,
};
use crate::StoreError;
use crate::db::Sql;
use crate::scope::{push_scope, push_tenant};

impl crate::Store {
    // ----- inbound messages -----

    /// Records an inbound message that changed no ticket (held, quarantined, ignored,
    /// refused). The same Message-ID a second time is a unique `Conflict`.
    pub async fn record_inbound(&self, message: &NewInbound) -> Result<InboundId, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx
            .fetch_scalar(
                Sql::new(INSERT_INBOUND)
                    .bind(message.mailbox_id.map(MailboxId::get))
                    .bind(&message.message_id)
                    .bind(&message.raw)
                    .bind(&message.raw_sha256)
                    .bind(message.from_address.as_deref())
                    .bind(&message.subject)
                    .bind(message.received_at.as_micros())
                    .bind(message.outcome.as_str())
                    .bind(&message.reason)
                    .bind(&message.auto_reply)
                    .bind(message.ticket_id.map(|t| t.get()))
                    .bind(message.html.as_deref())
                    .bind(serde_json::to_string(&message.warnings)?)
                    .bind(None::<i64>)
                    .bind(message.tenant_id.get()),
            )
            .await?;
        tx.commit().await?;
        Ok(InboundId::new(id))
    }

    /// The inbound message with this Message-ID, if it was received before.
    pub async fn find_inbound(
        &self,
        tenant: TenantId,
        message_id: &str,
    ) -> Result<Option<InboundRecord>, StoreError> {
        let row: Option<InboundRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {INBOUND_COLUMNS} FROM inbound_messages WHERE message_id = $1 AND tenant_id = $2"
                ))
                .bind(message_id)
                .bind(tenant.get()),
            )
            .await?;
        row.map(InboundRecord::try_from).transpose()
    }

    /// One inbound message.
    pub async fn get_inbound(
        &self,
        tenant: TenantId,
        id: InboundId,
    ) -> Result<InboundRecord, StoreError> {
        let row: Option<InboundRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {INBOUND_COLUMNS} FROM inbound_messages WHERE id = $1 AND tenant_id = $2"
                ))
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// The raw bytes of an inbound message.
    pub async fn inbound_raw(
        &self,
        tenant: TenantId,
        id: InboundId,
    ) -> Result<Vec<u8>, StoreError> {
        let raw: Option<Vec<u8>> = self
            .read()
            .fetch_optional_scalar(
                Sql::new("SELECT raw FROM inbound_messages WHERE id = $1 AND tenant_id = $2")
                    .bind(id.get())
                    .bind(tenant.get()),
            )
            .await?;
        raw.ok_or(StoreError::NotFound)
    }

    /// Inbound messages newest first, before id `before`, at most `limit`; only those with
    /// these outcomes when `outcomes` is not empty; only unsettled ones when `unsettled`.
    pub async fn list_inbound(
        &self,
        tenant: TenantId,
        outcomes: &[InboundOutcome],
        unsettled: bool,
        before: Option<InboundId>,
        limit: i64,
    ) -> Result<Vec<InboundRecord>, StoreError> {
        let mut qb = Sql::new(format!(
            "SELECT {INBOUND_COLUMNS} FROM inbound_messages WHERE 1 = 1"
        ));
        push_tenant(&mut qb, tenant);
        if !outcomes.is_empty() {
            qb.push(" AND outcome IN (");
            qb.push_list(outcomes.iter().map(|o| o.as_str()));
            qb.push(")");
        }
        if unsettled {
            qb.push(" AND settled_at IS NULL");
        }
        if let Some(before) = before {
            qb.push(" AND id < ").push_bind(before.get());
        }
        qb.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
        let rows: Vec<InboundRow> = self.read().fetch_all(qb).await?;
        rows.into_iter().map(InboundRecord::try_from).collect()
    }

    /// Inbound messages of a ticket inside `scope`, oldest first (none for a ticket outside it).
    pub async fn inbound_of_ticket(
        &self,
        ticket: TicketId,
        scope: &Scope,
    ) -> Result<Vec<InboundRecord>, StoreError> {
        let mut sql = Sql::new(format!(
            "SELECT {INBOUND_COLUMNS} FROM inbound_messages WHERE ticket_id IN \
             (SELECT t.id FROM tickets t WHERE t.id = "
        ));
        sql.push_bind(ticket.get());
        push_scope(&mut sql, scope);
        sql.push(") ORDER BY id");
        let rows: Vec<InboundRow> = self.read().fetch_all(sql).await?;
        rows.into_iter().map(InboundRecord::try_from).collect()
    }

    /// Messages received from `address` at or after `since`.
    pub async fn count_inbound_from(
        &self,
        tenant: TenantId,
        address: &str,
        since: Timestamp,
    ) -> Result<i64, StoreError> {
        self.read().fetch_scalar(Sql::new("SELECT COUNT(*) FROM inbound_messages WHERE from_address = $1 AND received_at >= $2 AND tenant_id = $3",).bind(address).bind(since.as_micros()).bind(tenant.get()))
        .await
    }

    /// Outbox messages of these topics queued to `address` at or after `since`.
    pub async fn count_outbox_to(
        &self,
        tenant: TenantId,
        address: &str,
        topics: &[&str],
        since: Timestamp,
    ) -> Result<i64, StoreError> {
        if topics.is_empty() {
            return Ok(0);
        }
        let mut qb = Sql::new("SELECT COUNT(*) FROM outbox WHERE recipient = ");
        qb.push_bind(address)
            .push(" AND created_at >= ")
            .push_bind(since.as_micros())
            .push(" AND topic IN (");
        qb.push_list(topics.iter().copied());
        qb.push(")");
        push_tenant(&mut qb, tenant);
        self.read().fetch_scalar(qb).await
    }

    /// Marks a held or quarantined message as dealt with (released into a ticket, or
    /// dismissed), once: `false` if it was settled already.
    pub async fn settle_inbound(
        &self,
        tenant: TenantId,
        id: InboundId,
        by: UserId,
        ticket: Option<TicketId>,
        note: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = self.write_execute(Sql::new("UPDATE inbound_messages SET settled_at = $1, settled_by = $2, ticket_id = COALESCE($3, ticket_id), \
             reason = reason || ' ' || $4 WHERE id = $5 AND settled_at IS NULL AND tenant_id = $6",).bind(now.as_micros()).bind(by.get()).bind(ticket.map(|t| t.get())).bind(note).bind(id.get()).bind(tenant.get()))
        .await?;
        Ok(done == 1)
    }
}

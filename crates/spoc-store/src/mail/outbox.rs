//! The outbox worker's claims, retries and dead letters, and the outbox as admins see it.

use spoc_domain::{OutboxId, TenantId, TicketId, Timestamp};

use super::{INSERT_THREAD, OUTBOX_COLUMNS, OutboxRecord, OutboxRow, OutboxState};
use crate::StoreError;
use crate::db::Sql;
use crate::scope::push_tenant;

impl crate::Store {
    // ----- outbox delivery -----

    /// Claims up to `limit` outbox messages of `topic_prefix` due at `now` and not leased by
    /// a live worker, leasing them to `owner` until `lease_until`. Claims never overlap, on
    /// one node or several; a crashed worker's lease expires and another takes the message.
    pub async fn claim_outbox(
        &self,
        topic_prefix: &str,
        now: Timestamp,
        owner: &str,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<OutboxRecord>, StoreError> {
        self.claim_outbox_of(topic_prefix, None, now, owner, lease_until, limit)
            .await
    }

    /// [`Self::claim_outbox`], only the messages of `tenants` when given (a node without a
    /// relay of its own delivers only for tenants that saved one).
    pub async fn claim_outbox_of(
        &self,
        topic_prefix: &str,
        tenants: Option<&[TenantId]>,
        now: Timestamp,
        owner: &str,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<OutboxRecord>, StoreError> {
        if tenants.is_some_and(<[TenantId]>::is_empty) {
            return Ok(Vec::new());
        }
        let skip_locked = self.read().dialect().skip_locked();
        let only = match tenants {
            Some(tenants) => format!(
                " AND tenant_id IN ({})",
                (0..tenants.len())
                    .map(|i| format!("${}", i + 6))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => String::new(),
        };
        let sql = format!(
            "UPDATE outbox SET lease_owner = $1, locked_until = $2 WHERE id IN ( \
               SELECT id FROM outbox WHERE done_at IS NULL AND dead_at IS NULL AND available_at <= $3 \
               AND (locked_until IS NULL OR locked_until < $3) AND topic LIKE $4{only} \
               ORDER BY available_at, id LIMIT $5{skip_locked}) \
             /* all-tenants: delivery works through every tenant's outbox */ \
             RETURNING {OUTBOX_COLUMNS}"
        );
        let mut query = Sql::new(sql)
            .bind(owner)
            .bind(lease_until.as_micros())
            .bind(now.as_micros())
            .bind(format!("{topic_prefix}%"))
            .bind(limit);
        for tenant in tenants.unwrap_or_default() {
            query = query.bind(tenant.get());
        }
        let mut tx = self.begin().await?;
        let rows: Vec<OutboxRow> = tx.fetch_all(query).await?;
        tx.commit().await?;
        let mut records: Vec<OutboxRecord> = rows.into_iter().map(OutboxRecord::from).collect();
        records.sort_by_key(|r| (r.available_at, r.id));
        Ok(records)
    }

    /// Extends `owner`'s lease on one claimed message just before it is sent; `false` when the
    /// lease was lost (another worker took it over).
    pub async fn renew_outbox_lease(
        &self,
        id: OutboxId,
        owner: &str,
        lease_until: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = self.write_execute(Sql::new("UPDATE outbox SET locked_until = $1 WHERE id = $2 AND lease_owner = $3 AND done_at IS NULL \
             /* all-tenants: this node's claim */",).bind(lease_until.as_micros()).bind(id.get()).bind(owner))
        .await?;
        Ok(done == 1)
    }

    /// Records a delivery. `false` when `owner` no longer holds the message (it was taken over
    /// after the lease expired; the other worker records its own outcome).
    pub async fn outbox_delivered(
        &self,
        id: OutboxId,
        owner: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = self.write_execute(Sql::new("UPDATE outbox SET done_at = $1, attempts = attempts + 1, last_error = NULL, lease_owner = NULL, locked_until = NULL \
             WHERE id = $2 AND lease_owner = $3 AND done_at IS NULL /* all-tenants: this node's claim */",).bind(now.as_micros()).bind(id.get()).bind(owner))
        .await?;
        Ok(done == 1)
    }

    /// Settles a message without sending it (its recipient switched the notice off, or has no
    /// address any more), with the reason kept as its note.
    pub async fn outbox_skipped(
        &self,
        id: OutboxId,
        owner: &str,
        note: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.write_execute(Sql::new("UPDATE outbox SET done_at = $1, last_error = $2, lease_owner = NULL, locked_until = NULL \
             WHERE id = $3 AND lease_owner = $4 AND done_at IS NULL /* all-tenants: this node's claim */",).bind(now.as_micros()).bind(note).bind(id.get()).bind(owner))
        .await?;
        Ok(())
    }

    /// Threads outbound Message-IDs to a ticket (idempotent).
    pub async fn add_outbound_threads(
        &self,
        ticket: TicketId,
        message_ids: &[String],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        for id in message_ids {
            tx.execute(
                Sql::new(INSERT_THREAD)
                    .bind(id)
                    .bind(ticket.get())
                    .bind(true)
                    .bind(now.as_micros()),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records a failed attempt: retried at `retry_at`, or a dead letter when `retry_at` is
    /// `None`.
    pub async fn outbox_failed(
        &self,
        id: OutboxId,
        owner: &str,
        error: &str,
        now: Timestamp,
        retry_at: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        self.write_execute(Sql::new("UPDATE outbox SET attempts = attempts + 1, last_error = $1, available_at = COALESCE($2, available_at), \
             dead_at = CASE WHEN $2 IS NULL THEN $3 ELSE NULL END, lease_owner = NULL, locked_until = NULL \
             WHERE id = $4 AND lease_owner = $5 AND done_at IS NULL /* all-tenants: this node's claim */",).bind(error).bind(retry_at.map(|t| t.as_micros())).bind(now.as_micros()).bind(id.get()).bind(owner))
        .await?;
        Ok(())
    }

    /// Outbox messages in `state`, newest first, before id `before`, at most `limit`.
    pub async fn list_outbox(
        &self,
        tenant: TenantId,
        state: Option<OutboxState>,
        before: Option<OutboxId>,
        limit: i64,
    ) -> Result<Vec<OutboxRecord>, StoreError> {
        let condition = state.map_or("TRUE", super::outbox_condition);
        let mut qb = Sql::new(format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE {condition}"
        ));
        push_tenant(&mut qb, tenant);
        if let Some(before) = before {
            qb.push(" AND id < ").push_bind(before.get());
        }
        qb.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
        let rows: Vec<OutboxRow> = self.read().fetch_all(qb).await?;
        Ok(rows.into_iter().map(OutboxRecord::from).collect())
    }

    /// One outbox message.
    pub async fn get_outbox(
        &self,
        tenant: TenantId,
        id: OutboxId,
    ) -> Result<OutboxRecord, StoreError> {
        let row: Option<OutboxRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = $1 AND tenant_id = $2"
                ))
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        Ok(row.ok_or(StoreError::NotFound)?.into())
    }

    /// Puts a dead letter back in the queue, due at `now` with its attempts reset; `false` if
    /// it is not a dead letter.
    pub async fn retry_outbox(
        &self,
        tenant: TenantId,
        id: OutboxId,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = self.write_execute(Sql::new("UPDATE outbox SET dead_at = NULL, attempts = 0, available_at = $1, lease_owner = NULL, locked_until = NULL \
             WHERE id = $2 AND dead_at IS NOT NULL AND done_at IS NULL AND tenant_id = $3",).bind(now.as_micros()).bind(id.get()).bind(tenant.get()))
        .await?;
        Ok(done == 1)
    }

    /// Counts of outbox messages: `(pending, dead)`.
    pub async fn outbox_counts(&self, tenant: TenantId) -> Result<(i64, i64), StoreError> {
        let pending: i64 = self
            .read()
            .fetch_scalar(
                Sql::new(
                    "SELECT COUNT(*) FROM outbox WHERE done_at IS NULL AND dead_at IS NULL \
                     AND tenant_id = $1",
                )
                .bind(tenant.get()),
            )
            .await?;
        let dead: i64 = self
            .read()
            .fetch_scalar(
                Sql::new(
                    "SELECT COUNT(*) FROM outbox WHERE dead_at IS NOT NULL AND done_at IS NULL \
                     AND tenant_id = $1",
                )
                .bind(tenant.get()),
            )
            .await?;
        Ok((pending, dead))
    }
}

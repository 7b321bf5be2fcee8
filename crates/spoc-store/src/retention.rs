//! Retention of closed tickets: how many are due, and one batch anonymised or deleted (see
//! `spoc_domain::retention` for what each does). A batch is one transaction; it lists its
//! tickets in `ticket_redactions` so the history's append-only triggers let it rewrite or
//! remove their events, and empties that list again before it commits.

use spoc_domain::event::EventData;
use spoc_domain::retention::{ANONYMISED_TITLE, RetentionMode, redact_event};
use spoc_domain::{TenantId, Timestamp};

use crate::db::{Sql, Tx};
use crate::{Store, StoreError};

/// The rows that belong to a ticket, in the order they are removed (children first), as
/// (table, column naming the ticket).
const CHILD_ROWS: &[(&str, &str)] = &[
    ("attachments", "ticket_id"),
    ("mail_threads", "ticket_id"),
    ("mail_action_tokens", "ticket_id"),
    ("notifications", "ticket_id"),
    ("outbox", "ticket_id"),
    ("inbound_messages", "ticket_id"),
];

/// The rows only deletion removes (anonymising keeps them: they hold no text people wrote).
const DELETED_ONLY: &[(&str, &str)] = &[
    ("ticket_events", "ticket_id"),
    ("ticket_sla", "ticket_id"),
    ("article_uses", "ticket_id"),
    ("sop_review_tickets", "ticket_id"),
    ("ticket_sop", "ticket_id"),
    ("ticket_reads", "ticket_id"),
    ("ticket_links", "ticket_id"),
    ("ticket_links", "linked_id"),
];

fn due_sql(count: bool, tenant: TenantId, closed_before: Timestamp, mode: RetentionMode) -> Sql {
    let mut sql = Sql::new(if count {
        "SELECT COUNT(*) FROM tickets WHERE status = 'closed' AND closed_at < $1 AND tenant_id = $2"
    } else {
        "SELECT id FROM tickets WHERE status = 'closed' AND closed_at < $1 AND tenant_id = $2"
    })
    .bind(closed_before.as_micros())
    .bind(tenant.get());
    if mode == RetentionMode::Anonymise {
        sql.push(" AND anonymised_at IS NULL");
    }
    sql
}

impl Store {
    /// How many of the tenant's closed tickets, closed before `closed_before`, `mode` would
    /// touch now (anonymising skips those already anonymised).
    pub async fn retention_due(
        &self,
        tenant: TenantId,
        closed_before: Timestamp,
        mode: RetentionMode,
    ) -> Result<i64, StoreError> {
        if mode == RetentionMode::Off {
            return Ok(0);
        }
        self.read()
            .fetch_scalar(due_sql(true, tenant, closed_before, mode))
            .await
    }

    /// Anonymises or deletes up to `limit` of the tenant's due tickets in one transaction;
    /// how many.
    pub async fn apply_retention(
        &self,
        tenant: TenantId,
        closed_before: Timestamp,
        mode: RetentionMode,
        limit: i64,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        if mode == RetentionMode::Off {
            return Ok(0);
        }
        let mut tx = self.begin().await?;
        let mut pick = due_sql(false, tenant, closed_before, mode);
        pick.push(" ORDER BY id LIMIT ").push_bind(limit.max(1));
        let ids: Vec<i64> = tx.fetch_scalars(pick).await?;
        if ids.is_empty() {
            return Ok(0);
        }
        let mut unlock = Sql::new(
            "INSERT INTO ticket_redactions (ticket_id, tenant_id) SELECT id, tenant_id FROM tickets WHERE tenant_id = ",
        );
        unlock.push_bind(tenant.get()).push(" AND id IN (");
        unlock.push_list(ids.iter().copied()).push(")");
        tx.execute(unlock).await?;
        // Attachments and inbound messages may point at the history; they go first.
        remove_rows(&mut tx, "attachments", "ticket_id", &ids).await?;
        let mut unlink = Sql::new(
            "UPDATE inbound_messages SET event_id = NULL /* all-tenants: the ticket ids were chosen within the tenant */ WHERE ticket_id IN (",
        );
        unlink.push_list(ids.iter().copied()).push(")");
        tx.execute(unlink).await?;
        for (table, column) in CHILD_ROWS.iter().skip(1) {
            remove_rows(&mut tx, table, column, &ids).await?;
        }
        let kind = match mode {
            RetentionMode::Delete => {
                delete_tickets(&mut tx, &ids).await?;
                "deleted"
            }
            _ => {
                anonymise_tickets(&mut tx, &ids, now).await?;
                "updated"
            }
        };
        for id in &ids {
            tx.changed(crate::Change::of(tenant, crate::Entity::Ticket, *id, kind));
        }
        let mut lock = Sql::new("DELETE FROM ticket_redactions WHERE 1 = 1");
        crate::scope::push_tenant(&mut lock, tenant);
        tx.execute(lock).await?;
        tx.commit().await?;
        Ok(ids.len() as u64)
    }
}

/// Removes the rows of `table` whose `column` names one of `ids`.
async fn remove_rows(
    tx: &mut Tx,
    table: &str,
    column: &str,
    ids: &[i64],
) -> Result<(), StoreError> {
    let mut sql = Sql::new(format!(
        "DELETE FROM {table} /* all-tenants: the ticket ids were chosen within the tenant */ WHERE {column} IN ("
    ));
    sql.push_list(ids.iter().copied()).push(")");
    tx.execute(sql).await?;
    Ok(())
}

async fn delete_tickets(tx: &mut Tx, ids: &[i64]) -> Result<(), StoreError> {
    for (table, column) in DELETED_ONLY {
        remove_rows(tx, table, column, ids).await?;
    }
    let key = tx.dialect().ticket_search_key();
    remove_rows(tx, "ticket_search", key, ids).await?;
    remove_rows(tx, "tickets", "id", ids).await
}

async fn anonymise_tickets(tx: &mut Tx, ids: &[i64], now: Timestamp) -> Result<(), StoreError> {
    let mut tickets = Sql::new(
        "UPDATE tickets SET title = $1, description = '', resolution_notes = NULL, supplier_reference = NULL, \
         anonymised_at = $2, version = version + 1 \
         /* all-tenants: the ticket ids were chosen within the tenant */ WHERE id IN (",
    )
    .bind(ANONYMISED_TITLE)
    .bind(now.as_micros());
    tickets.push_list(ids.iter().copied()).push(")");
    tx.execute(tickets).await?;
    let key = tx.dialect().ticket_search_key();
    let mut search = Sql::new(format!(
        "UPDATE ticket_search SET title = $1, description = '', public_comments = '', internal_notes = '' \
         /* all-tenants: the ticket ids were chosen within the tenant */ WHERE {key} IN ("
    ))
    .bind(ANONYMISED_TITLE);
    search.push_list(ids.iter().copied()).push(")");
    tx.execute(search).await?;
    let mut events = Sql::new(
        "SELECT id, data FROM ticket_events /* all-tenants: the ticket ids were chosen within the tenant */ WHERE ticket_id IN (",
    );
    events.push_list(ids.iter().copied()).push(")");
    let rows: Vec<(i64, String)> = tx.fetch_all(events).await?;
    for (id, data) in rows {
        let event: EventData = serde_json::from_str(&data)
            .map_err(|e| StoreError::Corrupt(format!("event {id}: {e}")))?;
        let redacted = redact_event(&event);
        if redacted != event {
            tx.execute(
                Sql::new(
                    "UPDATE ticket_events SET data = $1 WHERE id = $2 /* all-tenants: an event of a ticket chosen within the tenant */",
                )
                .bind(serde_json::to_string(&redacted)?)
                .bind(id),
            )
            .await?;
        }
    }
    Ok(())
}

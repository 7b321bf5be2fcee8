//! The queue's per-person state: when each agent last opened a ticket (unread marks), the
//! columns each person chose, and saved views (personal, or shared by a lead).

use std::collections::HashMap;

use spoc_domain::{TenantId, TicketId, Timestamp, UserId};

use crate::db::Sql;
use crate::scope::{push_tenant, push_tenant_of};
use crate::{Store, StoreError};

/// A saved queue view: a name and the queue's query string (filters, order and columns).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedViewRecord {
    /// Its id.
    pub id: i64,
    /// Its tenant.
    pub tenant_id: TenantId,
    /// Who made it.
    pub owner_id: UserId,
    /// Shown to every agent of the tenant (made by a lead), or only to its owner.
    pub shared: bool,
    /// Its name.
    pub name: String,
    /// The queue's query string, without the leading `?`.
    pub query: String,
    /// When made.
    pub created_at: Timestamp,
    /// When last changed.
    pub updated_at: Timestamp,
}

type ViewRow = (i64, i64, i64, bool, String, String, i64, i64);

const VIEW_COLUMNS: &str = "id, tenant_id, owner_id, shared, name, query, created_at, updated_at";

fn view_record(r: ViewRow) -> SavedViewRecord {
    SavedViewRecord {
        id: r.0,
        tenant_id: TenantId::new(r.1),
        owner_id: UserId::new(r.2),
        shared: r.3,
        name: r.4,
        query: r.5,
        created_at: Timestamp::from_micros(r.6),
        updated_at: Timestamp::from_micros(r.7),
    }
}

impl Store {
    /// Records that `user` opened `ticket` at `at`.
    pub async fn mark_ticket_seen(
        &self,
        tenant: TenantId,
        user: UserId,
        ticket: TicketId,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.write_execute(
            Sql::new(
                "INSERT INTO ticket_reads (tenant_id, user_id, ticket_id, seen_at) \
                 VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (user_id, ticket_id) DO UPDATE SET seen_at = excluded.seen_at",
            )
            .bind(tenant.get())
            .bind(user.get())
            .bind(ticket.get())
            .bind(at.as_micros()),
        )
        .await?;
        Ok(())
    }

    /// When `user` last opened each of `tickets` (tickets never opened are left out).
    pub async fn tickets_seen_at(
        &self,
        tenant: TenantId,
        user: UserId,
        tickets: &[TicketId],
    ) -> Result<HashMap<TicketId, Timestamp>, StoreError> {
        if tickets.is_empty() {
            return Ok(HashMap::new());
        }
        let mut sql = Sql::new("SELECT ticket_id, seen_at FROM ticket_reads WHERE user_id = ");
        sql.push_bind(user.get()).push(" AND ticket_id IN (");
        sql.push_list(tickets.iter().map(|t| t.get())).push(")");
        push_tenant(&mut sql, tenant);
        let rows: Vec<(i64, i64)> = self.read().fetch_all(sql).await?;
        Ok(rows
            .into_iter()
            .map(|(t, at)| (TicketId::new(t), Timestamp::from_micros(at)))
            .collect())
    }

    /// For each of `tickets`, who wrote its latest public comment (a person's).
    pub async fn latest_public_actors(
        &self,
        tenant: TenantId,
        tickets: &[TicketId],
    ) -> Result<HashMap<TicketId, UserId>, StoreError> {
        if tickets.is_empty() {
            return Ok(HashMap::new());
        }
        let mut sql = Sql::new(
            "SELECT e.ticket_id, e.actor_id FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id \
             WHERE e.id IN (SELECT MAX(l.id) FROM ticket_events l WHERE l.public \
             AND l.kind = 'commented' AND l.actor_id IS NOT NULL AND l.ticket_id IN (",
        );
        sql.push_list(tickets.iter().map(|t| t.get()))
            .push(") GROUP BY l.ticket_id)");
        push_tenant_of(&mut sql, "t", tenant.into());
        let rows: Vec<(i64, i64)> = self.read().fetch_all(sql).await?;
        Ok(rows
            .into_iter()
            .map(|(t, u)| (TicketId::new(t), UserId::new(u)))
            .collect())
    }

    /// The queue columns `user` chose, comma-separated, if they chose any.
    pub async fn queue_columns(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<Option<String>, StoreError> {
        let mut sql = Sql::new("SELECT columns FROM queue_columns WHERE user_id = ");
        sql.push_bind(user.get());
        push_tenant(&mut sql, tenant);
        self.read().fetch_optional_scalar(sql).await
    }

    /// Stores the queue columns `user` chose.
    pub async fn set_queue_columns(
        &self,
        tenant: TenantId,
        user: UserId,
        columns: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.write_execute(
            Sql::new(
                "INSERT INTO queue_columns (tenant_id, user_id, columns, updated_at) \
                 VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (user_id) DO UPDATE SET columns = excluded.columns, \
                 updated_at = excluded.updated_at",
            )
            .bind(tenant.get())
            .bind(user.get())
            .bind(columns)
            .bind(now.as_micros()),
        )
        .await?;
        Ok(())
    }

    /// The views `user` sees: their own personal ones and every shared one, shared first, then
    /// by name.
    pub async fn list_saved_views(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<Vec<SavedViewRecord>, StoreError> {
        let mut sql = Sql::new(format!(
            "SELECT {VIEW_COLUMNS} FROM queue_views WHERE (shared OR owner_id = "
        ));
        sql.push_bind(user.get()).push(")");
        push_tenant(&mut sql, tenant);
        sql.push(" ORDER BY shared DESC, name, id");
        let rows: Vec<ViewRow> = self.read().fetch_all(sql).await?;
        Ok(rows.into_iter().map(view_record).collect())
    }

    /// One view of the tenant, if it exists (whoever owns it: the caller decides).
    pub async fn get_saved_view(
        &self,
        tenant: TenantId,
        id: i64,
    ) -> Result<Option<SavedViewRecord>, StoreError> {
        let mut sql = Sql::new(format!(
            "SELECT {VIEW_COLUMNS} FROM queue_views WHERE id = "
        ));
        sql.push_bind(id);
        push_tenant(&mut sql, tenant);
        let row: Option<ViewRow> = self.read().fetch_optional(sql).await?;
        Ok(row.map(view_record))
    }

    /// Saves a new view; returns it.
    pub async fn create_saved_view(
        &self,
        tenant: TenantId,
        owner: UserId,
        shared: bool,
        name: &str,
        query: &str,
        now: Timestamp,
    ) -> Result<SavedViewRecord, StoreError> {
        let row: ViewRow = self
            .write_fetch_one(
                Sql::new(format!(
                    "INSERT INTO queue_views (tenant_id, owner_id, shared, name, query, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {VIEW_COLUMNS}"
                ))
                .bind(tenant.get())
                .bind(owner.get())
                .bind(shared)
                .bind(name)
                .bind(query)
                .bind(now.as_micros()),
            )
            .await?;
        Ok(view_record(row))
    }

    /// Renames a view and/or replaces its query; `false` if it does not exist.
    pub async fn update_saved_view(
        &self,
        tenant: TenantId,
        id: i64,
        name: Option<&str>,
        query: Option<&str>,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut sql = Sql::new("UPDATE queue_views SET updated_at = ");
        sql.push_bind(now.as_micros());
        if let Some(name) = name {
            sql.push(", name = ").push_bind(name.to_owned());
        }
        if let Some(query) = query {
            sql.push(", query = ").push_bind(query.to_owned());
        }
        sql.push(" WHERE id = ").push_bind(id);
        push_tenant(&mut sql, tenant);
        Ok(self.write_execute(sql).await? == 1)
    }

    /// Deletes a view; `false` if it does not exist.
    pub async fn delete_saved_view(&self, tenant: TenantId, id: i64) -> Result<bool, StoreError> {
        let mut sql = Sql::new("DELETE FROM queue_views WHERE id = ");
        sql.push_bind(id);
        push_tenant(&mut sql, tenant);
        Ok(self.write_execute(sql).await? == 1)
    }
}

//! Reading tickets: one by id in a scope, queues with keyset pagination and counts, the
//! history, and the look-ups of the desk's own workers.

use crate::db::{Dialect, Sql};
use crate::scope::{push_scope, push_tenant_of};
use crate::{EventRecord, Store, StoreError};
use spoc_domain::access::Scope;
use spoc_domain::sla::SlaStanding;
use spoc_domain::tenant::TenantScope;
use spoc_domain::ticket::Ticket;
use spoc_domain::{TenantId, TicketId, Timestamp};
use std::collections::HashMap;

use super::{Cursor, EventRow, TICKET_COLUMNS, TicketPage, TicketQuery, TicketRow, TicketSort};

/// Appends `WHERE …` for the query's scope and filters (and the cursor, for pages).
fn push_filters(sql: &mut Sql, q: &TicketQuery, dialect: Dialect, page: bool) {
    sql.push(" WHERE 1 = 1");
    push_scope(sql, &q.scope);
    if !q.statuses.is_empty() {
        sql.push(" AND t.status IN (")
            .push_list(q.statuses.iter().map(|s| s.as_str()))
            .push(")");
    }
    if let Some(kind) = q.kind {
        sql.push(" AND t.kind = ").push_bind(kind.as_str());
    }
    if let Some(group) = q.group_id {
        sql.push(" AND t.group_id = ").push_bind(group.get());
    }
    match &q.any_group_ids {
        None => {}
        Some(groups) if groups.is_empty() => {
            sql.push(" AND 1 = 0");
        }
        Some(groups) => {
            sql.push(" AND t.group_id IN (")
                .push_list(groups.iter().map(|g| g.get()))
                .push(")");
        }
    }
    match q.assignee_id {
        None => {}
        Some(None) => {
            sql.push(" AND t.assignee_id IS NULL");
        }
        Some(Some(user)) => {
            sql.push(" AND t.assignee_id = ").push_bind(user.get());
        }
    }
    if let Some(requester) = q.requester_id {
        sql.push(" AND t.requester_id = ")
            .push_bind(requester.get());
    }
    if let Some(organization) = q.organization_id {
        sql.push(" AND t.organization_id = ")
            .push_bind(organization.get());
    }
    if let Some(priority) = q.priority {
        sql.push(" AND t.priority = ").push_bind(priority.rank());
    }
    if let Some(category) = q.category_id {
        sql.push(" AND (t.category_id = ").push_bind(category.get());
        sql.push(" OR t.subcategory_id = ")
            .push_bind(category.get())
            .push(")");
    }
    push_multi_filters(sql, q);
    if let Some(text) = &q.text {
        let tenants = q.scope.tenants();
        let query = text.to_query(dialect.backend(), q.sees_internal, tenants.as_deref());
        sql.push(&dialect.ticket_text_match_open(q.sees_internal, tenants.as_deref()))
            .push_bind(query)
            .push(dialect.ticket_text_match_close());
    }
    if let (true, Some(cursor)) = (page, q.after) {
        let (column, descending) = q.sort.key();
        let op = if descending { "<" } else { ">" };
        sql.push(&format!(" AND ({column}, t.id) {op} ("))
            .push_bind(cursor.key)
            .push(", ")
            .push_bind(cursor.id.get())
            .push(")");
    }
}

/// A clock of the ticket whose `field` is set (`"field":null` removed, the key still found).
fn clock_has(field: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM ticket_sla s WHERE s.ticket_id = t.id \
         AND REPLACE(s.clocks, '\"{field}\":null', '') LIKE '%\"{field}\":%')"
    )
}

/// The condition for one service-level standing.
fn standing_sql(standing: SlaStanding) -> String {
    let breached = clock_has("breached_at");
    match standing {
        SlaStanding::Breached => breached,
        SlaStanding::AtRisk => format!(
            "(NOT {breached} AND {} AND t.status IN ({}))",
            clock_has("warned_at"),
            active_statuses()
        ),
        SlaStanding::Ok => format!(
            "(NOT {breached} AND NOT ({} AND t.status IN ({})))",
            clock_has("warned_at"),
            active_statuses()
        ),
    }
}

/// The statuses in which the desk still owes work, as SQL literals (fixed names, no input).
fn active_statuses() -> String {
    spoc_domain::ticket::Status::ALL
        .iter()
        .filter(|s| s.is_active())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Appends the multi-value filters: each list matches any of its values; lists combine with AND.
fn push_multi_filters(sql: &mut Sql, q: &TicketQuery) {
    if !q.priorities.is_empty() {
        sql.push(" AND t.priority IN (")
            .push_list(q.priorities.iter().map(|p| p.rank()))
            .push(")");
    }
    if !q.group_ids.is_empty() {
        sql.push(" AND t.group_id IN (")
            .push_list(q.group_ids.iter().map(|g| g.get()))
            .push(")");
    }
    if !q.assignees.is_empty() {
        let people: Vec<i64> = q.assignees.iter().flatten().map(|u| u.get()).collect();
        let none = q.assignees.iter().any(Option::is_none);
        sql.push(" AND (");
        if !people.is_empty() {
            sql.push("t.assignee_id IN (").push_list(people).push(")");
            if none {
                sql.push(" OR ");
            }
        }
        if none {
            sql.push("t.assignee_id IS NULL");
        }
        sql.push(")");
    }
    if !q.requester_ids.is_empty() {
        sql.push(" AND t.requester_id IN (")
            .push_list(q.requester_ids.iter().map(|u| u.get()))
            .push(")");
    }
    if !q.organization_ids.is_empty() {
        sql.push(" AND t.organization_id IN (")
            .push_list(q.organization_ids.iter().map(|o| o.get()))
            .push(")");
    }
    if !q.category_ids.is_empty() {
        sql.push(" AND (t.category_id IN (")
            .push_list(q.category_ids.iter().map(|c| c.get()))
            .push(") OR t.subcategory_id IN (")
            .push_list(q.category_ids.iter().map(|c| c.get()))
            .push("))");
    }
    if !q.service_ids.is_empty() {
        sql.push(" AND t.service_id IN (")
            .push_list(q.service_ids.iter().map(|s| s.get()))
            .push(")");
    }
    if !q.sla.is_empty() {
        let parts: Vec<String> = q.sla.iter().map(|s| standing_sql(*s)).collect();
        sql.push(&format!(" AND ({})", parts.join(" OR ")));
    }
    if let Some(since) = q.updated_since {
        sql.push(" AND t.updated_at >= ")
            .push_bind(since.as_micros());
    }
}

fn push_order(sql: &mut Sql, sort: TicketSort) {
    let (column, descending) = sort.key();
    let dir = if descending { "DESC" } else { "ASC" };
    if column == "t.id" {
        sql.push(&format!(" ORDER BY t.id {dir}"));
    } else {
        sql.push(&format!(" ORDER BY {column} {dir}, t.id {dir}"));
    }
}

/// The statement of one page of a queue: at most `rows` tickets after the query's cursor.
fn page_sql(q: &TicketQuery, dialect: Dialect, rows: i64) -> Sql {
    let mut sql = Sql::new(format!("SELECT {TICKET_COLUMNS} FROM tickets t"));
    push_filters(&mut sql, q, dialect, true);
    push_order(&mut sql, q.sort);
    sql.push(" LIMIT ").push_bind(rows);
    sql
}

/// The statement counting every ticket of a queue (all pages).
fn count_sql(q: &TicketQuery, dialect: Dialect) -> Sql {
    let mut sql = Sql::new("SELECT COUNT(*) FROM tickets t");
    push_filters(&mut sql, q, dialect, false);
    sql
}

impl Store {
    /// Loads one ticket if it is inside `scope`; a ticket outside it is `NotFound`, exactly as
    /// one that does not exist.
    pub async fn get_ticket(&self, id: TicketId, scope: &Scope) -> Result<Ticket, StoreError> {
        let mut sql = Sql::new(format!(
            "SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.id = "
        ));
        sql.push_bind(id.get());
        push_scope(&mut sql, scope);
        let row: TicketRow = self.read().fetch_one(sql).await?;
        row.try_into()
    }

    /// One page of tickets matching `query`, with the total count of all pages.
    pub async fn list_tickets(&self, query: &TicketQuery) -> Result<TicketPage, StoreError> {
        let limit = i64::from(query.limit.clamp(1, 500));
        let db = self.read();
        let dialect = db.dialect();
        let rows: Vec<TicketRow> = db.fetch_all(page_sql(query, dialect, limit + 1)).await?;
        let mut tickets = rows
            .into_iter()
            .map(Ticket::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        let next = if tickets.len() as i64 > limit {
            tickets.truncate(limit as usize);
            match tickets.last() {
                Some(t) => {
                    let key = match query.sort.key_of(t) {
                        Some(key) => key,
                        None => {
                            let due: Option<(Option<i64>,)> = db
                                .fetch_optional(
                                    Sql::new(
                                        "SELECT resolution_due_at FROM ticket_sla WHERE ticket_id = $1",
                                    )
                                    .bind(t.id.get()),
                                )
                                .await?;
                            due.and_then(|(due,)| due).unwrap_or(i64::MAX)
                        }
                    };
                    Some(Cursor { key, id: t.id })
                }
                None => None,
            }
        } else {
            None
        };
        let total: i64 = db.fetch_scalar(count_sql(query, dialect)).await?;
        Ok(TicketPage {
            tickets,
            total,
            next,
        })
    }

    /// Every ticket changed at or after `since` and created before `until` (reports), oldest
    /// first, at most `limit`.
    pub async fn tickets_changed_between(
        &self,
        tenant: TenantScope,
        since: Timestamp,
        until: Timestamp,
        limit: i64,
    ) -> Result<Vec<Ticket>, StoreError> {
        let mut sql = Sql::new(format!(
            "SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.updated_at >= "
        ));
        sql.push_bind(since.as_micros())
            .push(" AND t.created_at < ")
            .push_bind(until.as_micros());
        push_tenant_of(&mut sql, "t", tenant);
        sql.push(" ORDER BY t.id LIMIT ").push_bind(limit);
        let rows: Vec<TicketRow> = self.read().fetch_all(sql).await?;
        rows.into_iter().map(Ticket::try_from).collect()
    }

    /// A ticket's history in order, if the ticket is inside `scope` (else none); internal
    /// events only when `include_internal`.
    pub async fn list_events(
        &self,
        ticket: TicketId,
        scope: &Scope,
        include_internal: bool,
    ) -> Result<Vec<EventRecord>, StoreError> {
        let mut sql = Sql::new(
            "SELECT e.id, e.ticket_id, e.at, e.actor_id, e.actor_system, e.public, e.data FROM ticket_events e \
             JOIN tickets t ON t.id = e.ticket_id WHERE e.ticket_id = ",
        );
        sql.push_bind(ticket.get())
            .push(" AND (e.public OR ")
            .push_bind(include_internal)
            .push(")");
        push_scope(&mut sql, scope);
        sql.push(" ORDER BY e.id");
        let rows: Vec<EventRow> = self.read().fetch_all(sql).await?;
        rows.into_iter().map(EventRecord::try_from).collect()
    }

    /// The tenant of each of these tickets: for the desk's own workers, which claim tickets of
    /// every tenant by id. Unknown ids are left out.
    pub async fn tenants_of_tickets(
        &self,
        ids: &[TicketId],
    ) -> Result<HashMap<TicketId, TenantId>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut sql = Sql::new(
            "SELECT id, tenant_id FROM tickets \
             /* all-tenants: tickets a worker claimed by their ids */ WHERE id IN (",
        );
        sql.push_list(ids.iter().map(|id| id.get())).push(")");
        let rows: Vec<(i64, i64)> = self.read().fetch_all(sql).await?;
        Ok(rows
            .into_iter()
            .map(|(id, tenant)| (TicketId::new(id), TenantId::new(tenant)))
            .collect())
    }

    /// Counts every stored event (tests of the append-only rule).
    pub async fn count_events(&self) -> Result<i64, StoreError> {
        self.read()
            .fetch_scalar(Sql::new("SELECT COUNT(*) FROM ticket_events"))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreOptions;
    use spoc_domain::access::TicketScope;
    use spoc_domain::ticket::Status;
    use spoc_domain::{GroupId, UserId};

    use super::super::TicketSort;

    /// The ticket indexes a queue listing may search: each leads with the tenant, then the
    /// queue's own columns, so one index serves the tenant filter, the queue and its order.
    const QUEUE_INDEXES: [&str; 4] = [
        "tickets_status_idx",
        "tickets_group_status_idx",
        "tickets_assignee_status_idx",
        "tickets_priority_idx",
    ];

    /// The three queue listings of `spoc bench`, as an agent of one group sees them: the
    /// group's new tickets, every open ticket by priority, and the unassigned new or assigned
    /// ones.
    fn bench_queues() -> Vec<TicketQuery> {
        let scope = Scope {
            tenant: TenantScope::Tenant(TenantId::FIRST),
            tickets: TicketScope::Groups {
                user_id: UserId::new(2),
                group_ids: vec![GroupId::new(1)],
            },
            linked: Vec::new(),
        };
        let mut group_new = TicketQuery::new(scope.clone(), true);
        group_new.statuses = vec![Status::New];
        group_new.group_id = Some(GroupId::new(1));
        let mut open_by_priority = TicketQuery::new(scope.clone(), true);
        open_by_priority.statuses = Status::ALL
            .iter()
            .copied()
            .filter(|s| s.is_open())
            .collect();
        open_by_priority.sort = TicketSort::PriorityAsc;
        let mut unassigned = TicketQuery::new(scope, true);
        unassigned.statuses = vec![Status::New, Status::Assigned];
        unassigned.assignee_id = Some(None);
        vec![group_new, open_by_priority, unassigned]
    }

    /// SQLite plans the queue listings and their counts with an index led by the tenant, not
    /// with a tenant-only index (which matches every ticket of a one-tenant desk) nor a full
    /// scan. A fresh desk has no statistics, as one just after a bulk load; on 100,000 tickets
    /// the same statements keep these plans with start-up statistics too.
    #[tokio::test]
    async fn queue_listings_search_a_tenant_led_index() {
        let file =
            std::env::temp_dir().join(format!("spoc_store_queue_plans_{}.db", std::process::id()));
        let store = Store::connect(&StoreOptions::new(format!("sqlite://{}", file.display())))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let dialect = store.read().dialect();
        for query in bench_queues() {
            for sql in [page_sql(&query, dialect, 21), count_sql(&query, dialect)] {
                let plan: Vec<(i64, i64, i64, String)> = store
                    .read()
                    .fetch_all(sql.clone().explained())
                    .await
                    .unwrap();
                let reads: Vec<&str> = plan
                    .iter()
                    .map(|(_, _, _, detail)| detail.as_str())
                    .filter(|detail| {
                        detail.starts_with("SEARCH t ") || detail.starts_with("SCAN t")
                    })
                    .collect();
                assert!(!reads.is_empty(), "{sql:?}: {plan:?}");
                for read in reads {
                    let index = read
                        .strip_prefix("SEARCH t USING INDEX ")
                        .or_else(|| read.strip_prefix("SEARCH t USING COVERING INDEX "))
                        .and_then(|rest| rest.split_once(" (tenant_id=?"))
                        .map(|(index, _)| index);
                    assert!(
                        index.is_some_and(|index| QUEUE_INDEXES.contains(&index)),
                        "{read} in {sql:?}"
                    );
                }
            }
        }
        store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
    }
}

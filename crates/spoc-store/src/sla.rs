//! Service levels in storage: business calendars, SLA policies, each ticket's clocks, and the
//! lease-based claim of due timers that lets several nodes share the timer work without firing
//! anything twice.

use std::collections::HashMap;

use spoc_domain::calendar::CalendarSpec;
use spoc_domain::sla::{PolicyTerms, SlaClock};
use spoc_domain::{CalendarId, PolicyId, TenantId, TicketId, Timestamp};

use crate::StoreError;
use crate::changes::{Change, Entity};
use crate::db::Sql;

/// A stored business calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarRecord {
    /// Id.
    pub id: CalendarId,
    /// Unique name.
    pub name: String,
    /// The calendar.
    pub spec: CalendarSpec,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

/// A stored SLA policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyRecord {
    /// Id.
    pub id: PolicyId,
    /// Unique name.
    pub name: String,
    /// Order of evaluation (lower first).
    pub position: i64,
    /// The fallback when no other policy matches (exactly one).
    pub is_default: bool,
    /// The calendar its clocks run on.
    pub calendar_id: CalendarId,
    /// Conditions, targets, pauses, warning, breach actions.
    pub terms: PolicyTerms,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

/// A policy to write.
#[derive(Clone, Debug)]
pub struct PolicyInput {
    /// Unique name.
    pub name: String,
    /// Order of evaluation.
    pub position: i64,
    /// Whether it is the default.
    pub is_default: bool,
    /// Its calendar.
    pub calendar_id: CalendarId,
    /// Its terms.
    pub terms: PolicyTerms,
}

/// A ticket's clocks under the policy chosen when it was logged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketSla {
    /// The policy.
    pub policy_id: PolicyId,
    /// Its clocks.
    pub clocks: Vec<SlaClock>,
    /// The earliest warning or breach still to fire.
    pub next_due_at: Option<Timestamp>,
    /// When the resolution target falls due, while its clock runs (queues sort by it).
    pub resolution_due_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct CalendarRow {
    id: i64,
    name: String,
    spec: String,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<CalendarRow> for CalendarRecord {
    type Error = StoreError;

    fn try_from(r: CalendarRow) -> Result<Self, Self::Error> {
        Ok(Self {
            id: CalendarId::new(r.id),
            name: r.name,
            spec: serde_json::from_str(&r.spec)
                .map_err(|e| StoreError::Corrupt(format!("calendar {}: {e}", r.id)))?,
            created_at: Timestamp::from_micros(r.created_at),
            updated_at: Timestamp::from_micros(r.updated_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct PolicyRow {
    id: i64,
    name: String,
    position: i64,
    is_default: bool,
    calendar_id: i64,
    terms: String,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<PolicyRow> for PolicyRecord {
    type Error = StoreError;

    fn try_from(r: PolicyRow) -> Result<Self, Self::Error> {
        Ok(Self {
            id: PolicyId::new(r.id),
            name: r.name,
            position: r.position,
            is_default: r.is_default,
            calendar_id: CalendarId::new(r.calendar_id),
            terms: serde_json::from_str(&r.terms)
                .map_err(|e| StoreError::Corrupt(format!("SLA policy {}: {e}", r.id)))?,
            created_at: Timestamp::from_micros(r.created_at),
            updated_at: Timestamp::from_micros(r.updated_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct TicketSlaRow {
    pub(crate) ticket_id: i64,
    policy_id: i64,
    clocks: String,
    next_due_at: Option<i64>,
    resolution_due_at: Option<i64>,
}

impl TryFrom<TicketSlaRow> for TicketSla {
    type Error = StoreError;

    fn try_from(r: TicketSlaRow) -> Result<Self, Self::Error> {
        Ok(Self {
            policy_id: PolicyId::new(r.policy_id),
            clocks: serde_json::from_str(&r.clocks).map_err(|e| {
                StoreError::Corrupt(format!("clocks of ticket {}: {e}", r.ticket_id))
            })?,
            next_due_at: r.next_due_at.map(Timestamp::from_micros),
            resolution_due_at: r.resolution_due_at.map(Timestamp::from_micros),
        })
    }
}

pub(crate) const TICKET_SLA_COLUMNS: &str =
    "ticket_id, policy_id, clocks, next_due_at, resolution_due_at";

/// Writes a ticket's clocks (and frees its timer lease) inside a ticket transaction.
pub(crate) const UPSERT_TICKET_SLA: &str = "INSERT INTO ticket_sla \
    (ticket_id, policy_id, clocks, next_due_at, resolution_due_at, lease_owner, lease_until) \
    VALUES ($1, $2, $3, $4, $5, NULL, NULL) \
    ON CONFLICT (ticket_id) DO UPDATE SET policy_id = excluded.policy_id, clocks = excluded.clocks, \
    next_due_at = excluded.next_due_at, resolution_due_at = excluded.resolution_due_at, \
    lease_owner = NULL, lease_until = NULL";

/// The JSON of a ticket's clocks.
pub(crate) fn clocks_json(sla: &TicketSla) -> Result<String, StoreError> {
    serde_json::to_string(&sla.clocks).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl crate::Store {
    // ----- calendars -----

    /// Adds a calendar. A taken name is a `Conflict`.
    pub async fn create_calendar(
        &self,
        tenant: TenantId,
        name: &str,
        spec: &CalendarSpec,
        now: Timestamp,
    ) -> Result<CalendarRecord, StoreError> {
        let json = serde_json::to_string(spec).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.begin().await?;
        let row: CalendarRow = tx.fetch_one(Sql::new("INSERT INTO calendars (name, spec, created_at, updated_at, tenant_id) VALUES ($1, $2, $3, $3, $4) \
             RETURNING id, name, spec, created_at, updated_at",).bind(name).bind(&json).bind(now.as_micros()).bind(tenant.get()))
        .await?;
        tx.changed(Change::of(tenant, Entity::Sla, row.id, "calendar_created"));
        tx.commit().await?;
        row.try_into()
    }

    /// Changes a calendar.
    pub async fn update_calendar(
        &self,
        tenant: TenantId,
        id: CalendarId,
        name: &str,
        spec: &CalendarSpec,
        now: Timestamp,
    ) -> Result<CalendarRecord, StoreError> {
        let json = serde_json::to_string(spec).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.begin().await?;
        let row: Option<CalendarRow> = tx
            .fetch_optional(
                Sql::new(
                    "UPDATE calendars SET name = $1, spec = $2, updated_at = $3 WHERE id = $4 \
                     AND tenant_id = $5 RETURNING id, name, spec, created_at, updated_at",
                )
                .bind(name)
                .bind(&json)
                .bind(now.as_micros())
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        let row = row.ok_or(StoreError::NotFound)?;
        tx.changed(Change::of(
            tenant,
            Entity::Sla,
            id.get(),
            "calendar_updated",
        ));
        tx.commit().await?;
        row.try_into()
    }

    /// Every calendar, by name.
    pub async fn list_calendars(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<CalendarRecord>, StoreError> {
        let rows: Vec<CalendarRow> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT id, name, spec, created_at, updated_at FROM calendars \
                     WHERE tenant_id = $1 ORDER BY name, id",
                )
                .bind(tenant.get()),
            )
            .await?;
        rows.into_iter().map(CalendarRecord::try_from).collect()
    }

    // ----- policies -----

    /// Adds a policy. Making it the default unsets the previous default in the same
    /// transaction.
    pub async fn create_policy(
        &self,
        tenant: TenantId,
        input: &PolicyInput,
        now: Timestamp,
    ) -> Result<PolicyRecord, StoreError> {
        let terms =
            serde_json::to_string(&input.terms).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.begin().await?;
        if input.is_default {
            tx.execute(
                Sql::new("UPDATE sla_policies SET is_default = FALSE WHERE is_default AND tenant_id = $1")
                    .bind(tenant.get()),
            )
            .await?;
        }
        let row: PolicyRow = tx.fetch_one(Sql::new("INSERT INTO sla_policies (name, position, is_default, calendar_id, terms, created_at, updated_at, tenant_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7) \
             RETURNING id, name, position, is_default, calendar_id, terms, created_at, updated_at",).bind(&input.name).bind(input.position).bind(input.is_default).bind(input.calendar_id.get()).bind(&terms).bind(now.as_micros()).bind(tenant.get()))
        .await?;
        tx.changed(Change::of(tenant, Entity::Sla, row.id, "policy_created"));
        tx.commit().await?;
        row.try_into()
    }

    /// Changes a policy (tickets keep the clocks they have; see `App::reapply_policy`).
    pub async fn update_policy(
        &self,
        tenant: TenantId,
        id: PolicyId,
        input: &PolicyInput,
        now: Timestamp,
    ) -> Result<PolicyRecord, StoreError> {
        let terms =
            serde_json::to_string(&input.terms).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.begin().await?;
        if input.is_default {
            tx.execute(
                Sql::new(
                    "UPDATE sla_policies SET is_default = FALSE WHERE is_default AND id <> $1 \
                     AND tenant_id = $2",
                )
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        }
        let row: Option<PolicyRow> = tx.fetch_optional(Sql::new("UPDATE sla_policies SET name = $1, position = $2, is_default = $3, calendar_id = $4, terms = $5, updated_at = $6 \
             WHERE id = $7 AND tenant_id = $8 RETURNING id, name, position, is_default, calendar_id, terms, created_at, updated_at",).bind(&input.name).bind(input.position).bind(input.is_default).bind(input.calendar_id.get()).bind(&terms).bind(now.as_micros()).bind(id.get()).bind(tenant.get()))
        .await?;
        let row = row.ok_or(StoreError::NotFound)?;
        tx.changed(Change::of(tenant, Entity::Sla, id.get(), "policy_updated"));
        tx.commit().await?;
        row.try_into()
    }

    /// Every policy in evaluation order.
    pub async fn list_policies(&self, tenant: TenantId) -> Result<Vec<PolicyRecord>, StoreError> {
        let rows: Vec<PolicyRow> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT id, name, position, is_default, calendar_id, terms, created_at, updated_at \
                     FROM sla_policies WHERE tenant_id = $1 ORDER BY position, id",
                )
                .bind(tenant.get()),
            )
            .await?;
        rows.into_iter().map(PolicyRecord::try_from).collect()
    }

    // ----- ticket clocks and timers -----

    /// The clocks of these tickets (tickets without clocks are left out).
    pub async fn ticket_slas(
        &self,
        ids: &[TicketId],
    ) -> Result<HashMap<TicketId, TicketSla>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        // Integers formatted here, never caller text.
        let list = ids
            .iter()
            .map(|id| id.get().to_string())
            .collect::<Vec<_>>()
            .join(",");
        let rows: Vec<TicketSlaRow> = self
            .read()
            .fetch_all(Sql::new(format!(
                "SELECT {TICKET_SLA_COLUMNS} FROM ticket_sla WHERE ticket_id IN ({list})"
            )))
            .await?;
        rows.into_iter()
            .map(|r| Ok((TicketId::new(r.ticket_id), TicketSla::try_from(r)?)))
            .collect()
    }

    /// Claims up to `limit` tickets whose next timer is due at `now` and not leased by a live
    /// worker: each claimed row is leased to `owner` until `lease_until`. A lease ends when the
    /// ticket's clocks are next written, or when it expires (a crashed worker's work is then
    /// claimed by another). Claims never overlap, on one node or several.
    pub async fn claim_due_timers(
        &self,
        now: Timestamp,
        owner: &str,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<TicketId>, StoreError> {
        let now = now.as_micros();
        let skip_locked = self.read().dialect().skip_locked();
        let sql = format!(
            "UPDATE ticket_sla SET lease_owner = $1, lease_until = $2 \
             WHERE next_due_at <= $3 AND (lease_until IS NULL OR lease_until < $3) AND ticket_id IN ( \
               SELECT ticket_id FROM ticket_sla WHERE next_due_at <= $3 AND (lease_until IS NULL OR lease_until < $3) \
               ORDER BY next_due_at LIMIT $4{skip_locked}) \
             RETURNING ticket_id"
        );
        let mut tx = self.begin().await?;
        let ids: Vec<i64> = tx
            .fetch_scalars(
                Sql::new(sql)
                    .bind(owner)
                    .bind(lease_until.as_micros())
                    .bind(now)
                    .bind(limit),
            )
            .await?;
        tx.commit().await?;
        Ok(ids.into_iter().map(TicketId::new).collect())
    }

    /// Gives a lease back without changing the clocks (nothing was due after all).
    pub async fn release_timer(&self, ticket: TicketId, owner: &str) -> Result<(), StoreError> {
        self.write_execute(Sql::new("UPDATE ticket_sla SET lease_owner = NULL, lease_until = NULL WHERE ticket_id = $1 AND lease_owner = $2").bind(ticket.get()).bind(owner))
            .await?;
        Ok(())
    }

    /// The open tickets whose clocks run under `policy`, after ticket id `after`, at most
    /// `limit`, in id order (for re-applying an edited policy in batches).
    pub async fn open_tickets_under_policy(
        &self,
        policy: PolicyId,
        after: TicketId,
        limit: i64,
    ) -> Result<Vec<TicketId>, StoreError> {
        let ids: Vec<i64> = self.read().fetch_scalars(Sql::new("SELECT s.ticket_id FROM ticket_sla s JOIN tickets t ON t.id = s.ticket_id \
             WHERE s.policy_id = $1 AND s.ticket_id > $2 AND t.status NOT IN ('closed', 'cancelled') \
             AND t.tenant_id = (SELECT tenant_id FROM sla_policies WHERE id = $1) \
             ORDER BY s.ticket_id LIMIT $3",).bind(policy.get()).bind(after.get()).bind(limit))
        .await?;
        Ok(ids.into_iter().map(TicketId::new).collect())
    }

    /// How many tickets have a timer due at `now` (for tests and the benchmark).
    pub async fn count_due_timers(&self, now: Timestamp) -> Result<i64, StoreError> {
        self.read()
            .fetch_scalar(
                Sql::new("SELECT COUNT(*) FROM ticket_sla WHERE next_due_at <= $1")
                    .bind(now.as_micros()),
            )
            .await
    }
}

//! Tickets: logging, applying decided changes with their events in one transaction, queues with
//! keyset pagination and counts, full-text search, and the history.

use crate::changes::{Change, Entity};
use crate::db::{CommitCounter, Dialect, Sql, Tx};
use crate::scope::{push_scope, push_tenant_of};
use crate::search::SearchText;
use crate::{EventRecord, NewNotification, OutboxMessage, Store, StoreError};
use spoc_domain::access::{Principal, Scope, SystemActor};
use spoc_domain::event::EventData;
use spoc_domain::org::Tier;
use spoc_domain::priority::{Impact, Priority, Urgency};
use spoc_domain::tenant::TenantScope;
use spoc_domain::ticket::{Channel, PendingReason, ResolutionCode, Status, Ticket, TicketKind};
use spoc_domain::{
    CategoryId, EventId, GroupId, OrganizationId, ServiceId, TenantId, TicketId, Timestamp, UserId,
};
use std::collections::HashMap;

/// A ticket about to be logged, as the domain opened it (`lifecycle::open`): the store assigns
/// its id and writes what it is given.
#[derive(Clone, Debug)]
pub struct TicketDraft {
    /// The new ticket (its id is assigned when stored).
    pub ticket: Ticket,
    /// Its first events, in order (`created`, then the clocks started).
    pub events: Vec<EventData>,
    /// Who logged it: a person, or the system (mail intake, an import).
    pub actor: Option<Principal>,
    /// The clocks the policy starts, written with the ticket.
    pub sla: Option<crate::TicketSla>,
    /// Messages the new ticket causes (their keys get `:{ticket id}` appended).
    pub outbox: Vec<OutboxMessage>,
    /// The e-mail that became this ticket, with its attachments.
    pub mail: Option<crate::MailWrite>,
}

/// A decided change to persist: the new state, its events and any messages it causes.
#[derive(Clone, Debug)]
pub struct TicketChange {
    /// The ticket after the change (its version already incremented).
    pub ticket: Ticket,
    /// The events to append, in order.
    pub events: Vec<EventData>,
    /// Messages to deliver later (e-mail and other channels).
    pub outbox: Vec<OutboxMessage>,
    /// In-app notifications about this ticket.
    pub notifications: Vec<NewNotification>,
    /// The ticket's clocks after the change, if they changed.
    pub sla: Option<crate::TicketSla>,
    /// The e-mail that caused the change, with its attachments.
    pub mail: Option<crate::MailWrite>,
    /// The ticket's SOP record afterwards (bound version and checklist), when it changed.
    pub sop: Option<crate::TicketSopRecord>,
    /// An article attached as used to resolve the ticket.
    pub article_use: Option<i64>,
}

/// What the store loads with a ticket under its row lock, beyond the ticket, its clocks and its
/// SOP record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Load {
    /// The ticket's whole history (internal events included), e.g. for the SOP gate's facts.
    pub history: bool,
}

/// A ticket's whole state, read under its row lock for a decision.
#[derive(Clone, Debug)]
pub struct TicketState {
    /// The ticket.
    pub ticket: Ticket,
    /// Its service-level clocks.
    pub sla: Option<crate::TicketSla>,
    /// The SOP version it is bound to, with its checklist.
    pub sop: Option<crate::TicketSopRecord>,
    /// Its history in order, when [`Load::history`] asked for it (else empty).
    pub history: Vec<EventData>,
}

/// Queue order. Every order breaks ties by id, so pages never skip or repeat a ticket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TicketSort {
    /// Newest first.
    #[default]
    CreatedDesc,
    /// Oldest first.
    CreatedAsc,
    /// Most recently changed first.
    UpdatedDesc,
    /// Least recently changed first.
    UpdatedAsc,
    /// Most urgent first, then oldest.
    PriorityAsc,
    /// Least urgent first, then newest.
    PriorityDesc,
    /// The running resolution target falling due soonest first; tickets without one last.
    DueAsc,
}

/// The due-time sort key: a ticket's running resolution due time, or "never".
const DUE_KEY: &str = "COALESCE((SELECT s.resolution_due_at FROM ticket_sla s WHERE s.ticket_id = t.id), 9223372036854775807)";

impl TicketSort {
    /// `(key column, descending)`.
    fn key(self) -> (&'static str, bool) {
        match self {
            Self::CreatedDesc => ("t.id", true),
            Self::CreatedAsc => ("t.id", false),
            Self::UpdatedDesc => ("t.updated_at", true),
            Self::UpdatedAsc => ("t.updated_at", false),
            Self::PriorityAsc => ("t.priority", false),
            Self::PriorityDesc => ("t.priority", true),
            Self::DueAsc => (DUE_KEY, false),
        }
    }

    /// The sort key of `ticket`, when it is a column of the ticket itself.
    fn key_of(self, ticket: &Ticket) -> Option<i64> {
        match self {
            Self::CreatedDesc | Self::CreatedAsc => Some(ticket.id.get()),
            Self::UpdatedDesc | Self::UpdatedAsc => Some(ticket.updated_at.as_micros()),
            Self::PriorityAsc | Self::PriorityDesc => Some(ticket.priority.rank()),
            Self::DueAsc => None,
        }
    }
}

/// Where the next page starts: the sort key and id of the last ticket of the previous page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// The sort key's value.
    pub key: i64,
    /// The ticket id.
    pub id: TicketId,
}

/// A queue or search.
#[derive(Clone, Debug)]
pub struct TicketQuery {
    /// What the caller may see. Always applied.
    pub scope: Scope,
    /// Whether internal notes take part in text search (staff only).
    pub sees_internal: bool,
    /// Any of these statuses (empty: all).
    pub statuses: Vec<Status>,
    /// Kind.
    pub kind: Option<TicketKind>,
    /// Owning group.
    pub group_id: Option<GroupId>,
    /// Any of these groups (`None`: no restriction; an empty list matches nothing).
    pub any_group_ids: Option<Vec<GroupId>>,
    /// Assignee: `Some(None)` for unassigned.
    pub assignee_id: Option<Option<UserId>>,
    /// Requester.
    pub requester_id: Option<UserId>,
    /// Organisation.
    pub organization_id: Option<OrganizationId>,
    /// Priority.
    pub priority: Option<Priority>,
    /// Category (matches category or subcategory).
    pub category_id: Option<CategoryId>,
    /// Words to find in title, description and comments.
    pub text: Option<SearchText>,
    /// Order.
    pub sort: TicketSort,
    /// Continue after this position.
    pub after: Option<Cursor>,
    /// Page size.
    pub limit: u32,
}

impl TicketQuery {
    /// All tickets in `scope`, newest first, 50 per page.
    pub fn new(scope: Scope, sees_internal: bool) -> Self {
        Self {
            scope,
            sees_internal,
            statuses: Vec::new(),
            kind: None,
            group_id: None,
            any_group_ids: None,
            assignee_id: None,
            requester_id: None,
            organization_id: None,
            priority: None,
            category_id: None,
            text: None,
            sort: TicketSort::default(),
            after: None,
            limit: 50,
        }
    }
}

/// One page of a queue.
#[derive(Clone, Debug)]
pub struct TicketPage {
    /// The tickets on this page.
    pub tickets: Vec<Ticket>,
    /// How many tickets match the query in all (all pages).
    pub total: i64,
    /// Where the next page starts, if there is one.
    pub next: Option<Cursor>,
}

/// The result of applying a change.
#[derive(Clone, Debug)]
pub struct Updated {
    /// The ticket as stored now.
    pub ticket: Ticket,
    /// The events appended (empty if nothing changed).
    pub events: Vec<EventRecord>,
}

pub(crate) const TICKET_COLUMNS: &str = "t.id, t.kind, t.title, t.description, t.status, t.pending_reason, \
    t.impact, t.urgency, t.priority, t.priority_overridden, t.requester_id, t.organization_id, \
    t.group_id, t.assignee_id, t.tier, t.category_id, t.subcategory_id, t.service_id, t.channel, \
    t.supplier_reference, t.resolution_code, t.resolution_notes, t.reassignment_count, \
    t.reopen_count, t.escalation_count, t.escalated, t.created_at, t.updated_at, \
    t.first_response_at, t.resolved_at, t.closed_at, t.version";

#[derive(sqlx::FromRow)]
pub(crate) struct TicketRow {
    id: i64,
    kind: String,
    title: String,
    description: String,
    status: String,
    pending_reason: Option<String>,
    impact: String,
    urgency: String,
    priority: i64,
    priority_overridden: bool,
    requester_id: i64,
    organization_id: Option<i64>,
    group_id: i64,
    assignee_id: Option<i64>,
    tier: i64,
    category_id: Option<i64>,
    subcategory_id: Option<i64>,
    service_id: Option<i64>,
    channel: String,
    supplier_reference: Option<String>,
    resolution_code: Option<String>,
    resolution_notes: Option<String>,
    reassignment_count: i64,
    reopen_count: i64,
    escalation_count: i64,
    escalated: bool,
    created_at: i64,
    updated_at: i64,
    first_response_at: Option<i64>,
    resolved_at: Option<i64>,
    closed_at: Option<i64>,
    version: i64,
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

impl TryFrom<TicketRow> for Ticket {
    type Error = StoreError;

    fn try_from(r: TicketRow) -> Result<Self, StoreError> {
        let priority = usize::try_from(r.priority - 1)
            .ok()
            .and_then(|i| Priority::ALL.get(i).copied())
            .ok_or_else(|| corrupt(format!("priority rank {}", r.priority)))?;
        let ts = Timestamp::from_micros;
        Ok(Ticket {
            id: TicketId::new(r.id),
            kind: TicketKind::parse(&r.kind).map_err(corrupt)?,
            title: r.title,
            description: r.description,
            status: Status::parse(&r.status).map_err(corrupt)?,
            pending_reason: r
                .pending_reason
                .as_deref()
                .map(PendingReason::parse)
                .transpose()
                .map_err(corrupt)?,
            impact: Impact::parse(&r.impact).map_err(corrupt)?,
            urgency: Urgency::parse(&r.urgency).map_err(corrupt)?,
            priority,
            priority_overridden: r.priority_overridden,
            requester_id: UserId::new(r.requester_id),
            organization_id: r.organization_id.map(OrganizationId::new),
            group_id: GroupId::new(r.group_id),
            assignee_id: r.assignee_id.map(UserId::new),
            tier: Tier::from_number(r.tier).map_err(corrupt)?,
            category_id: r.category_id.map(CategoryId::new),
            subcategory_id: r.subcategory_id.map(CategoryId::new),
            service_id: r.service_id.map(ServiceId::new),
            channel: Channel::parse(&r.channel).map_err(corrupt)?,
            supplier_reference: r.supplier_reference,
            resolution_code: r
                .resolution_code
                .as_deref()
                .map(ResolutionCode::parse)
                .transpose()
                .map_err(corrupt)?,
            resolution_notes: r.resolution_notes,
            reassignment_count: r.reassignment_count,
            reopen_count: r.reopen_count,
            escalation_count: r.escalation_count,
            escalated: r.escalated,
            created_at: ts(r.created_at),
            updated_at: ts(r.updated_at),
            first_response_at: r.first_response_at.map(ts),
            resolved_at: r.resolved_at.map(ts),
            closed_at: r.closed_at.map(ts),
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    id: i64,
    ticket_id: i64,
    at: i64,
    actor_id: Option<i64>,
    actor_system: Option<String>,
    public: bool,
    data: String,
}

impl TryFrom<EventRow> for EventRecord {
    type Error = StoreError;

    fn try_from(r: EventRow) -> Result<Self, StoreError> {
        Ok(EventRecord {
            id: EventId::new(r.id),
            ticket_id: TicketId::new(r.ticket_id),
            at: Timestamp::from_micros(r.at),
            actor_id: r.actor_id.map(UserId::new),
            actor_system: r
                .actor_system
                .map(|name| {
                    SystemActor::parse(&name).ok_or_else(|| {
                        StoreError::Corrupt(format!("ticket_events.actor_system: {name}"))
                    })
                })
                .transpose()?,
            public: r.public,
            data: serde_json::from_str(&r.data)?,
        })
    }
}

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
    if let Some(text) = &q.text {
        let query = text.to_query(dialect.backend(), q.sees_internal);
        sql.push(&dialect.ticket_text_match_open(q.sees_internal))
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

fn push_order(sql: &mut Sql, sort: TicketSort) {
    let (column, descending) = sort.key();
    let dir = if descending { "DESC" } else { "ASC" };
    if column == "t.id" {
        sql.push(&format!(" ORDER BY t.id {dir}"));
    } else {
        sql.push(&format!(" ORDER BY {column} {dir}, t.id {dir}"));
    }
}

/// The `UPDATE` that writes every mutable column, guarded by the version read.
const UPDATE_TICKET: &str = "UPDATE tickets SET title = $1, description = $2, status = $3, \
    pending_reason = $4, impact = $5, urgency = $6, priority = $7, priority_overridden = $8, \
    group_id = $9, assignee_id = $10, tier = $11, category_id = $12, subcategory_id = $13, \
    service_id = $14, supplier_reference = $15, resolution_code = $16, resolution_notes = $17, \
    reassignment_count = $18, reopen_count = $19, escalation_count = $20, escalated = $21, \
    updated_at = $22, first_response_at = $23, resolved_at = $24, closed_at = $25, version = $26 \
    WHERE id = $27 AND version = $28 \
    /* all-tenants: the row just read under its lock in the caller's tenant scope */ \
    RETURNING tenant_id";

/// The `INSERT` of a new ticket: every column as the domain opened it, but the id; its tenant is
/// its requester's (or, when the requester is missing and the foreign key refuses the row, its
/// group's, so that the refusal is the foreign key's).
const INSERT_TICKET: &str = "INSERT INTO tickets (kind, title, description, status, pending_reason, \
    impact, urgency, priority, priority_overridden, requester_id, organization_id, group_id, \
    assignee_id, tier, category_id, subcategory_id, service_id, channel, supplier_reference, \
    resolution_code, resolution_notes, reassignment_count, reopen_count, escalation_count, \
    escalated, created_at, updated_at, first_response_at, resolved_at, closed_at, version, \
    tenant_id) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
    $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, \
    COALESCE((SELECT tenant_id FROM users WHERE id = $10), \
    (SELECT tenant_id FROM resolver_groups WHERE id = $12))) RETURNING id, tenant_id";

const INSERT_OUTBOX: &str = "INSERT INTO outbox (topic, idempotency_key, payload, created_at, available_at, recipient, ticket_id, tenant_id) \
    VALUES ($1, $2, $3, $4, $4, $5, $6, (SELECT tenant_id FROM tickets WHERE id = $6))";

pub(crate) const INSERT_EVENT: &str = "INSERT INTO ticket_events (ticket_id, at, actor_id, actor_system, kind, public, data) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";

const INSERT_NOTIFICATION: &str = "INSERT INTO notifications (user_id, ticket_id, topic, message, created_at, tenant_id) \
    VALUES ($1, $2, $3, $4, $5, (SELECT tenant_id FROM tickets WHERE id = $2))";

const SELECT_TICKET_SOP: &str = "SELECT ticket_id, sop_id, version, checklist, bound_at, bound_by \
    FROM ticket_sop WHERE ticket_id = $1";

const UPSERT_TICKET_SOP: &str = "INSERT INTO ticket_sop (ticket_id, sop_id, version, checklist, bound_at, bound_by) \
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ticket_id) DO UPDATE SET checklist = excluded.checklist";

/// What an event changes in the search index: `(column, text, append)`.
pub(crate) fn search_update(event: &EventData) -> Option<(&'static str, String, bool)> {
    match event {
        EventData::Commented {
            internal: true,
            body,
        } => Some(("internal_notes", body.clone(), true)),
        EventData::Commented {
            internal: false,
            body,
        } => Some(("public_comments", body.clone(), true)),
        EventData::FieldChanged { field, to, .. } if field == "title" || field == "description" => {
            let column = if field == "title" {
                "title"
            } else {
                "description"
            };
            Some((column, to.clone().unwrap_or_default(), false))
        }
        _ => None,
    }
}

/// The change feed's entry for a ticket write: created, commented (a reply or note among its
/// events) or updated; public when the requester could see one of its events.
fn ticket_change(
    tenant: TenantId,
    ticket: &Ticket,
    actor: Option<Principal>,
    events: &[EventRecord],
    created: bool,
) -> Change {
    let kind = if created {
        "created"
    } else if events
        .iter()
        .any(|e| matches!(e.data, EventData::Commented { .. }))
    {
        "commented"
    } else {
        "updated"
    };
    Change {
        tenant,
        entity: Entity::Ticket,
        entity_id: ticket.id.get(),
        kind,
        public: events.iter().any(|e| e.public),
        actor,
    }
}

/// Appends `events` to ticket `ticket`'s history at `at`, with what they change in the search
/// index; returns them as stored.
pub(crate) async fn insert_events(
    tx: &mut Tx,
    ticket: TicketId,
    actor: Option<Principal>,
    at: Timestamp,
    events: Vec<EventData>,
) -> Result<Vec<EventRecord>, StoreError> {
    let key = tx.dialect().ticket_search_key();
    let mut records = Vec::with_capacity(events.len());
    for event in events {
        let id: i64 = tx
            .fetch_scalar(
                Sql::new(INSERT_EVENT)
                    .bind(ticket.get())
                    .bind(at.as_micros())
                    .bind(actor.and_then(Principal::user_id).map(UserId::get))
                    .bind(actor.and_then(Principal::system).map(SystemActor::as_str))
                    .bind(event.kind())
                    .bind(event.is_public())
                    .bind(serde_json::to_string(&event)?),
            )
            .await?;
        if let Some((column, text, append)) = search_update(&event) {
            let sql = if append {
                format!(
                    "UPDATE ticket_search SET {column} = {column} || ' ' || $1 WHERE {key} = $2"
                )
            } else {
                format!("UPDATE ticket_search SET {column} = $1 WHERE {key} = $2")
            };
            tx.execute(Sql::new(sql).bind(text).bind(ticket.get()))
                .await?;
        }
        records.push(EventRecord {
            id: EventId::new(id),
            ticket_id: ticket,
            at,
            actor_id: actor.and_then(Principal::user_id),
            actor_system: actor.and_then(Principal::system),
            public: event.is_public(),
            data: event,
        });
    }
    Ok(records)
}

/// Writes a ticket's clocks (and frees its timer lease).
pub(crate) async fn write_sla(
    tx: &mut Tx,
    ticket: TicketId,
    sla: &crate::TicketSla,
) -> Result<(), StoreError> {
    tx.execute(
        Sql::new(crate::sla::UPSERT_TICKET_SLA)
            .bind(ticket.get())
            .bind(sla.policy_id.get())
            .bind(crate::sla::clocks_json(sla)?)
            .bind(sla.next_due_at.map(|v| v.as_micros()))
            .bind(sla.resolution_due_at.map(|v| v.as_micros())),
    )
    .await?;
    Ok(())
}

async fn write_outbox(
    tx: &mut Tx,
    ticket: TicketId,
    at: Timestamp,
    message: &OutboxMessage,
    key: String,
) -> Result<(), StoreError> {
    tx.execute(
        Sql::new(INSERT_OUTBOX)
            .bind(&message.topic)
            .bind(key)
            .bind(&message.payload)
            .bind(at.as_micros())
            .bind(message.recipient.as_deref())
            .bind(ticket.get()),
    )
    .await?;
    Ok(())
}

/// Writes a new ticket exactly as the domain opened it: the row, its search entry, its clocks,
/// its first events, its outbox messages and its mail.
async fn insert_ticket(tx: &mut Tx, draft: TicketDraft) -> Result<Updated, StoreError> {
    let TicketDraft {
        mut ticket,
        events,
        actor,
        sla,
        outbox,
        mail,
    } = draft;
    let t = &ticket;
    let (id, tenant): (i64, i64) = tx
        .fetch_one(
            Sql::new(INSERT_TICKET)
                .bind(t.kind.as_str())
                .bind(&t.title)
                .bind(&t.description)
                .bind(t.status.as_str())
                .bind(t.pending_reason.map(|r| r.as_str()))
                .bind(t.impact.as_str())
                .bind(t.urgency.as_str())
                .bind(t.priority.rank())
                .bind(t.priority_overridden)
                .bind(t.requester_id.get())
                .bind(t.organization_id.map(|o| o.get()))
                .bind(t.group_id.get())
                .bind(t.assignee_id.map(|u| u.get()))
                .bind(t.tier.number())
                .bind(t.category_id.map(|c| c.get()))
                .bind(t.subcategory_id.map(|c| c.get()))
                .bind(t.service_id.map(|s| s.get()))
                .bind(t.channel.as_str())
                .bind(t.supplier_reference.as_deref())
                .bind(t.resolution_code.map(|c| c.as_str()))
                .bind(t.resolution_notes.as_deref())
                .bind(t.reassignment_count)
                .bind(t.reopen_count)
                .bind(t.escalation_count)
                .bind(t.escalated)
                .bind(t.created_at.as_micros())
                .bind(t.updated_at.as_micros())
                .bind(t.first_response_at.map(|v| v.as_micros()))
                .bind(t.resolved_at.map(|v| v.as_micros()))
                .bind(t.closed_at.map(|v| v.as_micros()))
                .bind(t.version),
        )
        .await?;
    ticket.id = TicketId::new(id);
    let tenant = TenantId::new(tenant);
    let key = tx.dialect().ticket_search_key();
    tx.execute(
        Sql::new(format!(
            "INSERT INTO ticket_search ({key}, title, description, public_comments, internal_notes) \
             VALUES ($1, $2, $3, '', '')"
        ))
        .bind(id)
        .bind(&ticket.title)
        .bind(&ticket.description),
    )
    .await?;
    if let Some(sla) = &sla {
        write_sla(tx, ticket.id, sla).await?;
    }
    let at = ticket.created_at;
    let events = insert_events(tx, ticket.id, actor, at, events).await?;
    for message in &outbox {
        let key = format!("{}:{}", message.idempotency_key, id);
        write_outbox(tx, ticket.id, at, message, key).await?;
    }
    if let Some(mail) = &mail {
        let created = events.first().map(|e| e.id);
        crate::mail::write_mail(tx, ticket.id, created, at, mail).await?;
    }
    tx.changed(ticket_change(tenant, &ticket, actor, &events, true));
    Ok(Updated { ticket, events })
}

/// Reads a ticket's whole state; inside a write transaction, under its row lock.
pub(crate) async fn load_state(
    tx: &mut Tx,
    id: TicketId,
    tenant: TenantScope,
    load: Load,
) -> Result<TicketState, StoreError> {
    let lock = tx.dialect().for_update();
    let mut sql = Sql::new(format!(
        "SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.id = "
    ));
    sql.push_bind(id.get());
    push_tenant_of(&mut sql, "t", tenant);
    sql.push(lock);
    let row: TicketRow = tx.fetch_one(sql).await?;
    let ticket = Ticket::try_from(row)?;
    let sla = tx
        .fetch_optional::<crate::sla::TicketSlaRow>(
            Sql::new(format!(
                "SELECT {} FROM ticket_sla WHERE ticket_id = $1",
                crate::sla::TICKET_SLA_COLUMNS
            ))
            .bind(id.get()),
        )
        .await?
        .map(crate::TicketSla::try_from)
        .transpose()?;
    let sop = tx
        .fetch_optional::<crate::annex::TicketSopRow>(Sql::new(SELECT_TICKET_SOP).bind(id.get()))
        .await?
        .map(crate::TicketSopRecord::try_from)
        .transpose()?;
    let history = if load.history {
        tx.fetch_all::<EventRow>(
            Sql::new(
                "SELECT id, ticket_id, at, actor_id, actor_system, public, data FROM ticket_events \
                 WHERE ticket_id = $1 ORDER BY id",
            )
            .bind(id.get()),
        )
        .await?
        .into_iter()
        .map(|row| EventRecord::try_from(row).map(|e| e.data))
        .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    Ok(TicketState {
        ticket,
        sla,
        sop,
        history,
    })
}

/// Writes a decided change of `current`: the row (checked against the version read), its
/// events, search entries, clocks, SOP record, article use, outbox messages, mail and in-app
/// notifications.
async fn write_change(
    tx: &mut Tx,
    current: &Ticket,
    actor: Option<Principal>,
    change: TicketChange,
) -> Result<Updated, StoreError> {
    let TicketChange {
        mut ticket,
        events,
        outbox,
        notifications,
        sla,
        mail,
        sop,
        article_use,
    } = change;
    // The caller read the clock before it got the lock: a writer that waited behind another
    // must not record its change as earlier than the one committed before it, or event order by
    // id and by time would disagree.
    ticket.updated_at = ticket.updated_at.max(current.updated_at);
    let t = &ticket;
    let tenant: Option<i64> = tx
        .fetch_optional_scalar(
            Sql::new(UPDATE_TICKET)
                .bind(&t.title)
                .bind(&t.description)
                .bind(t.status.as_str())
                .bind(t.pending_reason.map(|r| r.as_str()))
                .bind(t.impact.as_str())
                .bind(t.urgency.as_str())
                .bind(t.priority.rank())
                .bind(t.priority_overridden)
                .bind(t.group_id.get())
                .bind(t.assignee_id.map(|u| u.get()))
                .bind(t.tier.number())
                .bind(t.category_id.map(|c| c.get()))
                .bind(t.subcategory_id.map(|c| c.get()))
                .bind(t.service_id.map(|s| s.get()))
                .bind(t.supplier_reference.as_deref())
                .bind(t.resolution_code.map(|c| c.as_str()))
                .bind(t.resolution_notes.as_deref())
                .bind(t.reassignment_count)
                .bind(t.reopen_count)
                .bind(t.escalation_count)
                .bind(t.escalated)
                .bind(t.updated_at.as_micros())
                .bind(t.first_response_at.map(|v| v.as_micros()))
                .bind(t.resolved_at.map(|v| v.as_micros()))
                .bind(t.closed_at.map(|v| v.as_micros()))
                .bind(t.version)
                .bind(t.id.get())
                .bind(current.version),
        )
        .await?;
    let Some(tenant) = tenant.map(TenantId::new) else {
        return Err(StoreError::VersionConflict {
            current: current.version,
        });
    };
    let at = ticket.updated_at;
    let events = insert_events(tx, ticket.id, actor, at, events).await?;
    if let Some(sla) = &sla {
        write_sla(tx, ticket.id, sla).await?;
    }
    if let Some(sop) = &sop {
        tx.execute(
            Sql::new(UPSERT_TICKET_SOP)
                .bind(ticket.id.get())
                .bind(sop.sop_id)
                .bind(sop.version)
                .bind(serde_json::to_string(&sop.checklist)?)
                .bind(sop.bound_at.as_micros())
                .bind(sop.bound_by.map(UserId::get)),
        )
        .await?;
    }
    if let Some(article) = article_use {
        let added = tx
            .execute(
                Sql::new(
                    "INSERT INTO article_uses (article_id, ticket_id, user_id, created_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (article_id, ticket_id) DO NOTHING",
                )
                .bind(article)
                .bind(ticket.id.get())
                .bind(actor.and_then(Principal::user_id).map(UserId::get))
                .bind(at.as_micros()),
            )
            .await?;
        if added == 1 {
            tx.execute(
                Sql::new(
                    "UPDATE articles SET use_count = use_count + 1 WHERE id = $1 \
                     AND tenant_id = (SELECT tenant_id FROM tickets WHERE id = $2)",
                )
                .bind(article)
                .bind(ticket.id.get()),
            )
            .await?;
        }
    }
    for message in &outbox {
        write_outbox(tx, ticket.id, at, message, message.idempotency_key.clone()).await?;
    }
    if let Some(mail) = &mail {
        let comment = events
            .iter()
            .find(|e| matches!(e.data, EventData::Commented { .. }))
            .or(events.first())
            .map(|e| e.id);
        crate::mail::write_mail(tx, ticket.id, comment, at, mail).await?;
    }
    for note in &notifications {
        tx.execute(
            Sql::new(INSERT_NOTIFICATION)
                .bind(note.user_id.get())
                .bind(ticket.id.get())
                .bind(&note.topic)
                .bind(&note.message)
                .bind(at.as_micros()),
        )
        .await?;
    }
    tx.changed(ticket_change(tenant, &ticket, actor, &events, false));
    Ok(Updated { ticket, events })
}

/// One ticket creation waiting for the SQLite group-commit writer.
#[derive(Debug)]
pub(crate) struct CreateJob {
    draft: TicketDraft,
    reply: tokio::sync::oneshot::Sender<Result<Updated, StoreError>>,
}

/// The most creations one group commit takes.
const MAX_GROUP_COMMIT: usize = 128;

/// SQLite's group-commit writer for ticket creations. SQLite commits one transaction at a time,
/// so at high concurrency the cost is the commit, not the insert. This task takes every creation
/// waiting when the previous commit finished, writes each inside its own savepoint (one bad
/// draft fails alone) and commits them together; each caller is answered only after that
/// commit, so an answered creation is as durable as with one transaction per ticket. If the
/// group's commit fails, each creation is retried in a transaction of its own, so every caller
/// gets its own true outcome.
pub(crate) async fn run_group_commits(
    write: sqlx::Pool<sqlx::Sqlite>,
    commits: CommitCounter,
    mut jobs: tokio::sync::mpsc::Receiver<CreateJob>,
) {
    while let Some(first) = jobs.recv().await {
        let mut group = vec![first];
        while group.len() < MAX_GROUP_COMMIT {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let drafts: Vec<TicketDraft> = group.iter().map(|job| job.draft.clone()).collect();
        match create_group(&write, &commits, drafts).await {
            Ok(results) => {
                for (job, result) in group.into_iter().zip(results) {
                    let _ = job.reply.send(result);
                }
            }
            Err(e) if e.is_transient() => {
                // The database is locked, unreachable or full: writing the drafts one by one
                // would only make each caller wait again. Every caller gets the same answer.
                tracing::warn!(error = %e, n = group.len(), "group commit failed: database unavailable");
                for job in group {
                    let _ = job.reply.send(Err(e.transient_copy()));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, n = group.len(), "group commit failed; retrying one by one");
                for job in group {
                    let _ = job
                        .reply
                        .send(create_alone(&write, &commits, job.draft).await);
                }
            }
        }
    }
}

/// Writes one draft in a transaction of its own, as without group commit.
async fn create_alone(
    write: &sqlx::Pool<sqlx::Sqlite>,
    commits: &CommitCounter,
    draft: TicketDraft,
) -> Result<Updated, StoreError> {
    let mut tx = Tx::begin_sqlite(write, commits).await?;
    let created = insert_ticket(&mut tx, draft).await?;
    tx.commit().await?;
    Ok(created)
}

/// Writes `drafts` in one SQLite transaction, each in a savepoint. The outer error is the
/// transaction's; the inner results are each creation's.
async fn create_group(
    write: &sqlx::Pool<sqlx::Sqlite>,
    commits: &CommitCounter,
    drafts: Vec<TicketDraft>,
) -> Result<Vec<Result<Updated, StoreError>>, StoreError> {
    let mut tx = Tx::begin_sqlite(write, commits).await?;
    let mut results = Vec::with_capacity(drafts.len());
    for draft in drafts {
        tx.execute(Sql::new("SAVEPOINT creation")).await?;
        match insert_ticket(&mut tx, draft).await {
            Ok(created) => {
                tx.execute(Sql::new("RELEASE SAVEPOINT creation")).await?;
                results.push(Ok(created));
            }
            Err(e) => {
                tx.execute(Sql::new("ROLLBACK TO SAVEPOINT creation"))
                    .await?;
                tx.execute(Sql::new("RELEASE SAVEPOINT creation")).await?;
                results.push(Err(e));
            }
        }
    }
    tx.commit().await?;
    Ok(results)
}

impl Store {
    /// Logs a new ticket exactly as the domain opened it, with its first events, search entry,
    /// clocks, outbox messages and mail, in one transaction (on SQLite through the group-commit
    /// writer, see [`run_group_commits`]).
    pub async fn create_ticket(&self, draft: TicketDraft) -> Result<Updated, StoreError> {
        if let Self::Sqlite(db) = self
            && let Some(creations) = &db.creations
        {
            let (reply, answer) = tokio::sync::oneshot::channel();
            creations
                .send(CreateJob { draft, reply })
                .await
                .map_err(|_| StoreError::Unavailable(sqlx::Error::PoolClosed))?;
            return answer
                .await
                .map_err(|_| StoreError::Unavailable(sqlx::Error::PoolClosed))?;
        }
        let mut tx = self.begin().await?;
        let created = insert_ticket(&mut tx, draft).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Logs many tickets in one transaction (bulk loading for benchmarks and imports).
    pub async fn create_tickets_bulk(&self, drafts: Vec<TicketDraft>) -> Result<usize, StoreError> {
        let n_tickets = drafts.len();
        let mut tx = self.begin().await?;
        for draft in drafts {
            insert_ticket(&mut tx, draft).await?;
        }
        tx.commit().await?;
        Ok(n_tickets)
    }

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

    /// Applies a change decided by `decide` from the ticket's current state and clocks (see
    /// [`Store::update_ticket_with`]).
    pub async fn update_ticket<E, F>(
        &self,
        id: TicketId,
        tenant: TenantScope,
        actor: Option<Principal>,
        decide: F,
    ) -> Result<Updated, E>
    where
        E: From<StoreError>,
        F: FnOnce(&Ticket, Option<&crate::TicketSla>) -> Result<Option<TicketChange>, E>,
    {
        self.update_ticket_with(id, tenant, actor, Load::default(), |state| {
            decide(&state.ticket, state.sla.as_ref())
        })
        .await
    }

    /// Applies a change decided by `decide` from the ticket's whole state, atomically and in one
    /// commit: the ticket is read and locked with its clocks, its SOP record and (if `load`
    /// asks) its history; `decide` runs (authorisation, the domain's rules, the version check,
    /// the SOP gate); and the new state, its events, search entries, clocks, annexes,
    /// notifications and outbox messages are written in the same transaction. `decide`
    /// returning `Ok(None)`, a change without events, or an error writes nothing.
    pub async fn update_ticket_with<E, F>(
        &self,
        id: TicketId,
        tenant: TenantScope,
        actor: Option<Principal>,
        load: Load,
        decide: F,
    ) -> Result<Updated, E>
    where
        E: From<StoreError>,
        F: FnOnce(&TicketState) -> Result<Option<TicketChange>, E>,
    {
        let mut tx = self.begin().await?;
        let state = load_state(&mut tx, id, tenant, load).await?;
        let change = match decide(&state)? {
            Some(change) if !change.events.is_empty() => change,
            _ => {
                return Ok(Updated {
                    ticket: state.ticket,
                    events: Vec::new(),
                });
            }
        };
        let updated = write_change(&mut tx, &state.ticket, actor, change).await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// One page of tickets matching `query`, with the total count of all pages.
    pub async fn list_tickets(&self, query: &TicketQuery) -> Result<TicketPage, StoreError> {
        let limit = i64::from(query.limit.clamp(1, 500));
        let db = self.read();
        let dialect = db.dialect();
        let mut sql = Sql::new(format!("SELECT {TICKET_COLUMNS} FROM tickets t"));
        push_filters(&mut sql, query, dialect, true);
        push_order(&mut sql, query.sort);
        sql.push(" LIMIT ").push_bind(limit + 1);
        let rows: Vec<TicketRow> = db.fetch_all(sql).await?;
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
        let mut count = Sql::new("SELECT COUNT(*) FROM tickets t");
        push_filters(&mut count, query, dialect, false);
        let total: i64 = db.fetch_scalar(count).await?;
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

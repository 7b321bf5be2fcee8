//! Tickets: logging, applying decided changes with their events in one transaction, queues with
//! keyset pagination and counts, full-text search, and the history.

use spoc_domain::access::TicketScope;
use spoc_domain::event::EventData;
use spoc_domain::org::Tier;
use spoc_domain::priority::{Impact, Priority, Urgency};
use spoc_domain::ticket::{Channel, PendingReason, ResolutionCode, Status, Ticket, TicketKind};
use spoc_domain::{
    CategoryId, EventId, GroupId, OrganizationId, ServiceId, TicketId, Timestamp, UserId,
};
use sqlx::{Database, QueryBuilder};

use crate::search::SearchText;
use crate::{Backend, EventRecord, NewNotification, OutboxMessage, Store, StoreError, dispatch};

/// A ticket about to be logged: everything but the id.
#[derive(Clone, Debug)]
pub struct TicketDraft {
    /// Incident or request.
    pub kind: TicketKind,
    /// Validated title.
    pub title: String,
    /// Validated description.
    pub description: String,
    /// Impact.
    pub impact: Impact,
    /// Urgency.
    pub urgency: Urgency,
    /// Priority derived from the matrix.
    pub priority: Priority,
    /// Requester.
    pub requester_id: UserId,
    /// Requester's organisation.
    pub organization_id: Option<OrganizationId>,
    /// The group it lands in.
    pub group_id: GroupId,
    /// That group's tier.
    pub tier: Tier,
    /// Category.
    pub category_id: Option<CategoryId>,
    /// Subcategory.
    pub subcategory_id: Option<CategoryId>,
    /// Service.
    pub service_id: Option<ServiceId>,
    /// Channel.
    pub channel: Channel,
    /// Who logged it.
    pub actor_id: Option<UserId>,
    /// When.
    pub now: Timestamp,
    /// The clocks the policy starts, written with the ticket.
    pub sla: Option<crate::TicketSla>,
    /// Messages the new ticket causes (their keys get `:{ticket id}` appended).
    pub outbox: Vec<OutboxMessage>,
    /// The e-mail that became this ticket, with its attachments.
    pub mail: Option<crate::MailWrite>,
}

impl TicketDraft {
    /// The ticket this draft becomes (with id 0), for decisions made before it is stored.
    pub fn preview(&self) -> Ticket {
        self.clone().into_ticket(TicketId::new(0))
    }

    fn into_ticket(self, id: TicketId) -> Ticket {
        Ticket {
            id,
            kind: self.kind,
            title: self.title,
            description: self.description,
            status: Status::New,
            pending_reason: None,
            impact: self.impact,
            urgency: self.urgency,
            priority: self.priority,
            priority_overridden: false,
            requester_id: self.requester_id,
            organization_id: self.organization_id,
            group_id: self.group_id,
            assignee_id: None,
            tier: self.tier,
            category_id: self.category_id,
            subcategory_id: self.subcategory_id,
            service_id: self.service_id,
            channel: self.channel,
            supplier_reference: None,
            resolution_code: None,
            resolution_notes: None,
            reassignment_count: 0,
            reopen_count: 0,
            escalation_count: 0,
            escalated: false,
            created_at: self.now,
            updated_at: self.now,
            first_response_at: None,
            resolved_at: None,
            closed_at: None,
            version: 1,
        }
    }
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
    pub id: i64,
}

/// A queue or search.
#[derive(Clone, Debug)]
pub struct TicketQuery {
    /// What the caller may see. Always applied.
    pub scope: TicketScope,
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
    pub fn new(scope: TicketScope, sees_internal: bool) -> Self {
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
            public: r.public,
            data: serde_json::from_str(&r.data)?,
        })
    }
}

/// Appends `WHERE …` for the query's scope and filters (and the cursor, for pages).
fn push_filters<'a, DB>(
    qb: &mut QueryBuilder<'a, DB>,
    q: &TicketQuery,
    backend: Backend,
    page: bool,
) where
    DB: Database,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    qb.push(" WHERE 1 = 1");
    match &q.scope {
        TicketScope::All => {}
        TicketScope::Groups { user_id, group_ids } => {
            qb.push(" AND (t.assignee_id = ").push_bind(user_id.get());
            qb.push(" OR t.requester_id = ").push_bind(user_id.get());
            if !group_ids.is_empty() {
                qb.push(" OR t.group_id IN (");
                let mut ids = qb.separated(", ");
                for group in group_ids {
                    ids.push_bind(group.get());
                }
                qb.push(")");
            }
            qb.push(")");
        }
        TicketScope::Organization {
            user_id,
            organization_id,
        } => {
            qb.push(" AND (t.organization_id = ")
                .push_bind(organization_id.get());
            qb.push(" OR t.requester_id = ")
                .push_bind(user_id.get())
                .push(")");
        }
        TicketScope::Requester(user_id) => {
            qb.push(" AND t.requester_id = ").push_bind(user_id.get());
        }
    }
    if !q.statuses.is_empty() {
        qb.push(" AND t.status IN (");
        let mut statuses = qb.separated(", ");
        for status in &q.statuses {
            statuses.push_bind(status.as_str().to_owned());
        }
        qb.push(")");
    }
    if let Some(kind) = q.kind {
        qb.push(" AND t.kind = ")
            .push_bind(kind.as_str().to_owned());
    }
    if let Some(group) = q.group_id {
        qb.push(" AND t.group_id = ").push_bind(group.get());
    }
    match &q.any_group_ids {
        None => {}
        Some(groups) if groups.is_empty() => {
            qb.push(" AND 1 = 0");
        }
        Some(groups) => {
            qb.push(" AND t.group_id IN (");
            let mut ids = qb.separated(", ");
            for group in groups {
                ids.push_bind(group.get());
            }
            qb.push(")");
        }
    }
    match q.assignee_id {
        None => {}
        Some(None) => {
            qb.push(" AND t.assignee_id IS NULL");
        }
        Some(Some(user)) => {
            qb.push(" AND t.assignee_id = ").push_bind(user.get());
        }
    }
    if let Some(requester) = q.requester_id {
        qb.push(" AND t.requester_id = ").push_bind(requester.get());
    }
    if let Some(organization) = q.organization_id {
        qb.push(" AND t.organization_id = ")
            .push_bind(organization.get());
    }
    if let Some(priority) = q.priority {
        qb.push(" AND t.priority = ").push_bind(priority.rank());
    }
    if let Some(category) = q.category_id {
        qb.push(" AND (t.category_id = ").push_bind(category.get());
        qb.push(" OR t.subcategory_id = ")
            .push_bind(category.get())
            .push(")");
    }
    if let Some(text) = &q.text {
        let query = text.to_query(backend, q.sees_internal);
        match backend {
            Backend::Sqlite => {
                qb.push(" AND t.id IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH ");
            }
            Backend::Postgres => {
                let column = if q.sees_internal {
                    "all_tsv"
                } else {
                    "public_tsv"
                };
                qb.push(format!(
                    " AND t.id IN (SELECT ticket_id FROM ticket_search WHERE {column} @@ to_tsquery('english', "
                ));
            }
        }
        qb.push_bind(query);
        qb.push(if backend == Backend::Postgres {
            "))"
        } else {
            ")"
        });
    }
    if let (true, Some(cursor)) = (page, q.after) {
        let (column, descending) = q.sort.key();
        let op = if descending { "<" } else { ">" };
        qb.push(format!(" AND ({column}, t.id) {op} ("));
        qb.push_bind(cursor.key)
            .push(", ")
            .push_bind(cursor.id)
            .push(")");
    }
}

fn push_order<DB: Database>(qb: &mut QueryBuilder<'_, DB>, sort: TicketSort) {
    let (column, descending) = sort.key();
    let dir = if descending { "DESC" } else { "ASC" };
    if column == "t.id" {
        qb.push(format!(" ORDER BY t.id {dir}"));
    } else {
        qb.push(format!(" ORDER BY {column} {dir}, t.id {dir}"));
    }
}

/// The `UPDATE` that writes every mutable column, guarded by the version read.
const UPDATE_TICKET: &str = "UPDATE tickets SET title = $1, description = $2, status = $3, \
    pending_reason = $4, impact = $5, urgency = $6, priority = $7, priority_overridden = $8, \
    group_id = $9, assignee_id = $10, tier = $11, category_id = $12, subcategory_id = $13, \
    service_id = $14, supplier_reference = $15, resolution_code = $16, resolution_notes = $17, \
    reassignment_count = $18, reopen_count = $19, escalation_count = $20, escalated = $21, \
    updated_at = $22, first_response_at = $23, resolved_at = $24, closed_at = $25, version = $26 \
    WHERE id = $27 AND version = $28";

const INSERT_TICKET: &str = "INSERT INTO tickets (kind, title, description, status, impact, urgency, \
    priority, priority_overridden, requester_id, organization_id, group_id, tier, category_id, \
    subcategory_id, service_id, channel, reassignment_count, reopen_count, escalation_count, \
    escalated, created_at, updated_at, version) \
    VALUES ($1, $2, $3, 'new', $4, $5, $6, FALSE, $7, $8, $9, $10, $11, $12, $13, $14, 0, 0, 0, FALSE, $15, $15, 1) \
    RETURNING id";

const INSERT_OUTBOX: &str = "INSERT INTO outbox (topic, idempotency_key, payload, created_at, available_at, recipient, ticket_id) \
    VALUES ($1, $2, $3, $4, $4, $5, $6)";

pub(crate) const INSERT_EVENT: &str = "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, public, data) \
    VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";

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

/// Runs the statements of a ticket write inside the transaction `$tx` of backend pools `$db`.
/// A macro rather than a function so the same text serves both backends' transaction types.
macro_rules! insert_events {
    ($tx:expr, $db:expr, $ticket:expr, $actor:expr, $at:expr, $events:expr) => {{
        let events: Vec<EventData> = $events;
        let mut records = Vec::with_capacity(events.len());
        for event in events {
            let data = serde_json::to_string(&event)?;
            let id: i64 = sqlx::query_scalar(INSERT_EVENT)
                .bind($ticket.id.get())
                .bind($at.as_micros())
                .bind($actor.map(|a: UserId| a.get()))
                .bind(event.kind())
                .bind(event.is_public())
                .bind(data)
                .fetch_one(&mut *$tx)
                .await?;
            if let Some((column, text, append)) = search_update(&event) {
                let key = match $db {
                    Backend::Sqlite => "rowid",
                    Backend::Postgres => "ticket_id",
                };
                let sql = if append {
                    format!(
                        "UPDATE ticket_search SET {column} = {column} || ' ' || $1 WHERE {key} = $2"
                    )
                } else {
                    format!("UPDATE ticket_search SET {column} = $1 WHERE {key} = $2")
                };
                sqlx::query(&sql)
                    .bind(text)
                    .bind($ticket.id.get())
                    .execute(&mut *$tx)
                    .await?;
            }
            records.push(EventRecord {
                id: EventId::new(id),
                ticket_id: $ticket.id,
                at: $at,
                actor_id: $actor,
                public: event.is_public(),
                data: event,
            });
        }
        records
    }};
}
pub(crate) use insert_events;

macro_rules! insert_ticket {
    ($tx:expr, $db:expr, $draft:expr) => {{
        let mut draft: TicketDraft = $draft;
        let id: i64 = sqlx::query_scalar(INSERT_TICKET)
            .bind(draft.kind.as_str())
            .bind(&draft.title)
            .bind(&draft.description)
            .bind(draft.impact.as_str())
            .bind(draft.urgency.as_str())
            .bind(draft.priority.rank())
            .bind(draft.requester_id.get())
            .bind(draft.organization_id.map(|o| o.get()))
            .bind(draft.group_id.get())
            .bind(draft.tier.number())
            .bind(draft.category_id.map(|c| c.get()))
            .bind(draft.subcategory_id.map(|c| c.get()))
            .bind(draft.service_id.map(|s| s.get()))
            .bind(draft.channel.as_str())
            .bind(draft.now.as_micros())
            .fetch_one(&mut *$tx)
            .await?;
        let search = match $db {
            Backend::Sqlite => "INSERT INTO ticket_search (rowid, title, description, public_comments, internal_notes) VALUES ($1, $2, $3, '', '')",
            Backend::Postgres => "INSERT INTO ticket_search (ticket_id, title, description, public_comments, internal_notes) VALUES ($1, $2, $3, '', '')",
        };
        sqlx::query(search).bind(id).bind(&draft.title).bind(&draft.description).execute(&mut *$tx).await?;
        let actor = draft.actor_id;
        let at = draft.now;
        let sla = draft.sla.clone();
        let outbox = std::mem::take(&mut draft.outbox);
        let mail = draft.mail.take();
        let ticket = draft.into_ticket(TicketId::new(id));
        if let Some(sla) = &sla {
            sqlx::query(crate::sla::UPSERT_TICKET_SLA)
                .bind(id)
                .bind(sla.policy_id)
                .bind(crate::sla::clocks_json(sla)?)
                .bind(sla.next_due_at.map(|t| t.as_micros()))
                .bind(sla.resolution_due_at.map(|t| t.as_micros()))
                .execute(&mut *$tx)
                .await?;
        }
        let mut logged = vec![spoc_domain::lifecycle::created_event(&ticket)];
        // The clocks the policy started are part of the ticket's history from its first moment.
        for clock in sla.iter().flat_map(|s| s.clocks.iter()) {
            logged.push(EventData::Sla {
                clock: spoc_domain::sla::ClockChange::Started {
                    target: clock.target,
                    target_micros: clock.target_micros,
                },
            });
        }
        let events = insert_events!($tx, $db, &ticket, actor, at, logged);
        for message in &outbox {
            sqlx::query(INSERT_OUTBOX)
                .bind(&message.topic)
                .bind(format!("{}:{}", message.idempotency_key, id))
                .bind(&message.payload)
                .bind(at.as_micros())
                .bind(message.recipient.as_deref())
                .bind(id)
                .execute(&mut *$tx)
                .await?;
        }
        if let Some(mail) = &mail {
            let created = events.first().map(|e: &EventRecord| e.id);
            crate::mail::write_mail!($tx, ticket.id, created, at, mail);
        }
        (ticket, events)
    }};
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
        match create_group(&write, drafts).await {
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
                    let _ = job.reply.send(create_alone(&write, job.draft).await);
                }
            }
        }
    }
}

/// Writes one draft in a transaction of its own, as without group commit.
async fn create_alone(
    write: &sqlx::Pool<sqlx::Sqlite>,
    draft: TicketDraft,
) -> Result<Updated, StoreError> {
    let mut tx = write.begin_with("BEGIN IMMEDIATE").await?;
    let (ticket, events) = insert_ticket!(tx, Backend::Sqlite, draft);
    tx.commit().await?;
    Ok(Updated { ticket, events })
}

/// Writes `drafts` in one SQLite transaction, each in a savepoint. The outer error is the
/// transaction's; the inner results are each creation's.
async fn create_group(
    write: &sqlx::Pool<sqlx::Sqlite>,
    drafts: Vec<TicketDraft>,
) -> Result<Vec<Result<Updated, StoreError>>, StoreError> {
    let mut tx = write.begin_with("BEGIN IMMEDIATE").await?;
    let mut results = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let mut savepoint = sqlx::Connection::begin(&mut *tx).await?;
        let attempt: Result<Updated, StoreError> = async {
            let (ticket, events) = insert_ticket!(savepoint, Backend::Sqlite, draft);
            Ok(Updated { ticket, events })
        }
        .await;
        match attempt {
            Ok(updated) => {
                savepoint.commit().await?;
                results.push(Ok(updated));
            }
            Err(e) => {
                savepoint.rollback().await?;
                results.push(Err(e));
            }
        }
    }
    tx.commit().await?;
    Ok(results)
}

impl Store {
    /// Logs a new ticket with its `created` event and search entry, in one transaction (on
    /// SQLite through the group-commit writer, see [`run_group_commits`]).
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
        dispatch!(self, db => {
            let mut tx = db.begin_write().await?;
            let backend = db.backend();
            let (ticket, events) = insert_ticket!(tx, backend, draft);
            tx.commit().await?;
            Ok(Updated { ticket, events })
        })
    }

    /// Logs many tickets in one transaction (bulk loading for benchmarks and imports).
    pub async fn create_tickets_bulk(&self, drafts: Vec<TicketDraft>) -> Result<usize, StoreError> {
        let n_tickets = drafts.len();
        dispatch!(self, db => {
            let mut tx = db.begin_write().await?;
            let backend = db.backend();
            for draft in drafts {
                let _ = insert_ticket!(tx, backend, draft);
            }
            tx.commit().await?;
        });
        Ok(n_tickets)
    }

    /// Loads one ticket if it is inside `scope`; a ticket outside it is `NotFound`, exactly as
    /// one that does not exist.
    pub async fn get_ticket(
        &self,
        id: TicketId,
        scope: &TicketScope,
    ) -> Result<Ticket, StoreError> {
        let mut query = TicketQuery::new(scope.clone(), false);
        query.limit = 1;
        dispatch!(self, db => {
            let mut qb = QueryBuilder::new(format!("SELECT {TICKET_COLUMNS} FROM tickets t"));
            push_filters(&mut qb, &query, db.backend(), false);
            qb.push(" AND t.id = ").push_bind(id.get());
            let row: Option<TicketRow> = qb.build_query_as().fetch_optional(&db.read).await?;
            row.ok_or(StoreError::NotFound)?.try_into()
        })
    }

    /// Applies a change decided by `decide` from the ticket's current state, atomically: the
    /// ticket is read and locked, `decide` runs (authorisation, the domain's rules, the version
    /// check), and the new state, its events, search entries and outbox messages are written in
    /// the same transaction. `decide` returning `Ok(None)` or a change without events writes
    /// nothing.
    pub async fn update_ticket<E, F>(
        &self,
        id: TicketId,
        actor: Option<UserId>,
        decide: F,
    ) -> Result<Updated, E>
    where
        E: From<StoreError>,
        F: FnOnce(&Ticket, Option<&crate::TicketSla>) -> Result<Option<TicketChange>, E>,
    {
        dispatch!(self, db => {
            let mut tx = db.begin_write().await?;
            let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.id = $1{}", db.for_update());
            let row: Option<TicketRow> = sqlx::query_as(&sql).bind(id.get()).fetch_optional(&mut *tx).await.map_err(StoreError::from)?;
            let current: Ticket = row.ok_or(StoreError::NotFound)?.try_into()?;
            let sla_row: Option<crate::sla::TicketSlaRow> = sqlx::query_as(&format!(
                "SELECT {} FROM ticket_sla WHERE ticket_id = $1", crate::sla::TICKET_SLA_COLUMNS
            ))
            .bind(id.get())
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::from)?;
            let current_sla = sla_row.map(crate::TicketSla::try_from).transpose()?;
            let mut change = match decide(&current, current_sla.as_ref())? {
                Some(change) if !change.events.is_empty() => change,
                _ => return Ok(Updated { ticket: current, events: Vec::new() }),
            };
            // The caller read the clock before it got the lock: a writer that waited behind
            // another must not record its change as earlier than the one committed before it,
            // or event order by id and by time would disagree.
            change.ticket.updated_at = change.ticket.updated_at.max(current.updated_at);
            let result: Result<Updated, StoreError> = async {
                let t = &change.ticket;
                let done = sqlx::query(UPDATE_TICKET)
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
                    .bind(current.version)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::VersionConflict { current: current.version });
                }
                let backend = db.backend();
                let events = insert_events!(tx, backend, t, actor, t.updated_at, change.events);
                if let Some(sla) = &change.sla {
                    sqlx::query(crate::sla::UPSERT_TICKET_SLA)
                        .bind(t.id.get())
                        .bind(sla.policy_id)
                        .bind(crate::sla::clocks_json(sla)?)
                        .bind(sla.next_due_at.map(|v| v.as_micros()))
                        .bind(sla.resolution_due_at.map(|v| v.as_micros()))
                        .execute(&mut *tx)
                        .await?;
                }
                for message in &change.outbox {
                    sqlx::query(INSERT_OUTBOX)
                        .bind(&message.topic)
                        .bind(&message.idempotency_key)
                        .bind(&message.payload)
                        .bind(t.updated_at.as_micros())
                        .bind(message.recipient.as_deref())
                        .bind(t.id.get())
                        .execute(&mut *tx)
                        .await?;
                }
                if let Some(mail) = &change.mail {
                    let comment = events
                        .iter()
                        .find(|e| matches!(e.data, EventData::Commented { .. }))
                        .or(events.first())
                        .map(|e| e.id);
                    crate::mail::write_mail!(tx, t.id, comment, t.updated_at, mail);
                }
                for note in &change.notifications {
                    sqlx::query(
                        "INSERT INTO notifications (user_id, ticket_id, topic, message, created_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(note.user_id.get())
                    .bind(t.id.get())
                    .bind(&note.topic)
                    .bind(&note.message)
                    .bind(t.updated_at.as_micros())
                    .execute(&mut *tx)
                    .await?;
                }
                Ok(Updated { ticket: change.ticket.clone(), events })
            }
            .await;
            let updated = result?;
            tx.commit().await.map_err(StoreError::from)?;
            Ok(updated)
        })
    }

    /// One page of tickets matching `query`, with the total count of all pages.
    pub async fn list_tickets(&self, query: &TicketQuery) -> Result<TicketPage, StoreError> {
        let limit = i64::from(query.limit.clamp(1, 500));
        dispatch!(self, db => {
            let backend = db.backend();
            let mut qb = QueryBuilder::new(format!("SELECT {TICKET_COLUMNS} FROM tickets t"));
            push_filters(&mut qb, query, backend, true);
            push_order(&mut qb, query.sort);
            qb.push(" LIMIT ").push_bind(limit + 1);
            let rows: Vec<TicketRow> = qb.build_query_as().fetch_all(&db.read).await?;
            let mut tickets = rows.into_iter().map(Ticket::try_from).collect::<Result<Vec<_>, _>>()?;
            let next = if tickets.len() as i64 > limit {
                tickets.truncate(limit as usize);
                match tickets.last() {
                    Some(t) => {
                        let key = match query.sort.key_of(t) {
                            Some(key) => key,
                            None => {
                                let due: Option<Option<i64>> = sqlx::query_scalar("SELECT resolution_due_at FROM ticket_sla WHERE ticket_id = $1")
                                    .bind(t.id.get())
                                    .fetch_optional(&db.read)
                                    .await?;
                                due.flatten().unwrap_or(i64::MAX)
                            }
                        };
                        Some(Cursor { key, id: t.id.get() })
                    }
                    None => None,
                }
            } else {
                None
            };
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM tickets t");
            push_filters(&mut count, query, backend, false);
            let total: i64 = count.build_query_scalar().fetch_one(&db.read).await?;
            Ok(TicketPage { tickets, total, next })
        })
    }

    /// Every ticket changed at or after `since` and created before `until` (reports), oldest
    /// first, at most `limit`.
    pub async fn tickets_changed_between(
        &self,
        since: Timestamp,
        until: Timestamp,
        limit: i64,
    ) -> Result<Vec<Ticket>, StoreError> {
        dispatch!(self, db => {
            let rows: Vec<TicketRow> = sqlx::query_as(&format!(
                "SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.updated_at >= $1 AND t.created_at < $2 ORDER BY t.id LIMIT $3"
            ))
            .bind(since.as_micros())
            .bind(until.as_micros())
            .bind(limit)
            .fetch_all(&db.read)
            .await?;
            rows.into_iter().map(Ticket::try_from).collect()
        })
    }

    /// A ticket's history in order; internal events only when `include_internal`.
    pub async fn list_events(
        &self,
        ticket: TicketId,
        include_internal: bool,
    ) -> Result<Vec<EventRecord>, StoreError> {
        dispatch!(self, db => {
            let rows: Vec<EventRow> = sqlx::query_as(
                "SELECT id, ticket_id, at, actor_id, public, data FROM ticket_events \
                 WHERE ticket_id = $1 AND (public OR $2) ORDER BY id",
            )
            .bind(ticket.get())
            .bind(include_internal)
            .fetch_all(&db.read)
            .await?;
            rows.into_iter().map(EventRecord::try_from).collect()
        })
    }

    /// Counts every stored event (tests of the append-only rule).
    pub async fn count_events(&self) -> Result<i64, StoreError> {
        dispatch!(self, db => Ok(sqlx::query_scalar("SELECT COUNT(*) FROM ticket_events").fetch_one(&db.read).await?))
    }
}

impl crate::Pools<sqlx::Sqlite> {
    pub(crate) fn backend(&self) -> Backend {
        Self::BACKEND
    }
    pub(crate) fn for_update(&self) -> &'static str {
        Self::FOR_UPDATE
    }
}

impl crate::Pools<sqlx::Postgres> {
    pub(crate) fn backend(&self) -> Backend {
        Self::BACKEND
    }
    pub(crate) fn for_update(&self) -> &'static str {
        Self::FOR_UPDATE
    }
}

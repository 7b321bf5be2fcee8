//! Tickets: logging, applying decided changes with their events in one transaction, queues with
//! keyset pagination and counts, full-text search, and the history.

mod auto_close;
mod create;
mod links;
mod query;
mod write;

pub use auto_close::ResolvedTicket;
pub use links::{PairChange, StoredLink, TicketLinkRecord};

pub(crate) use create::{CreateJob, run_group_commits};

use crate::search::SearchText;
use crate::{EventRecord, NewNotification, OutboxMessage, StoreError};
use spoc_domain::access::{Principal, Scope, SystemActor};
use spoc_domain::event::EventData;
use spoc_domain::org::Tier;
use spoc_domain::priority::{Impact, Priority, Urgency};
use spoc_domain::sla::SlaStanding;
use spoc_domain::ticket::{Channel, PendingReason, ResolutionCode, Status, Ticket, TicketKind};
use spoc_domain::{
    CategoryId, EventId, GroupId, OrganizationId, ServiceId, TicketId, Timestamp, UserId,
};

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
    /// Any of these priorities (empty: all).
    pub priorities: Vec<Priority>,
    /// Any of these owning groups (empty: all).
    pub group_ids: Vec<GroupId>,
    /// Any of these assignees, `None` for unassigned (empty: all).
    pub assignees: Vec<Option<UserId>>,
    /// Any of these requesters (empty: all).
    pub requester_ids: Vec<UserId>,
    /// Any of these organisations (empty: all).
    pub organization_ids: Vec<OrganizationId>,
    /// Any of these categories, matching category or subcategory (empty: all).
    pub category_ids: Vec<CategoryId>,
    /// Any of these services (empty: all).
    pub service_ids: Vec<ServiceId>,
    /// Any of these service-level standings (empty: all).
    pub sla: Vec<SlaStanding>,
    /// Changed at or after.
    pub updated_since: Option<Timestamp>,
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
            priorities: Vec::new(),
            group_ids: Vec::new(),
            assignees: Vec::new(),
            requester_ids: Vec::new(),
            organization_ids: Vec::new(),
            category_ids: Vec::new(),
            service_ids: Vec::new(),
            sla: Vec::new(),
            updated_since: None,
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

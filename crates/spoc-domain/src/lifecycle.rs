//! The ticket lifecycle as a state machine: a command and the current ticket go in, the new
//! ticket and the events that record the change come out, or an error that names what is allowed.
//!
//! ```text
//! new ─assign→ assigned ─start→ in_progress ⇄ pending ─resolve→ resolved ─close→ closed
//!   └──────────start──────────────┘                         resolved ─reopen→ in_progress/new
//! any active state ─resolve→ resolved (no need to start work first)
//! any active state ─cancel→ cancelled
//! ```

use std::fmt;

use crate::event::{EscalationLevel, EventData};
use crate::org::GroupRef;
use crate::priority::{Impact, Priority, PriorityMatrix, Urgency};
use crate::text::{Body, Reason, SupplierReference, Title, ValidationError};
use crate::ticket::{PendingReason, ResolutionCode, Status, Ticket, TicketKind};
use crate::{CategoryId, ServiceId, Timestamp, UserId};

/// The actions of the lifecycle, as named in the API (`/actions/{action}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Route to a group and optionally an agent.
    Assign,
    /// Begin work.
    Start,
    /// Wait for the user, a third party or a change.
    Pend,
    /// Continue after pending.
    Resume,
    /// Functional (higher tier) or hierarchical (alert a lead) escalation.
    Escalate,
    /// Deliver the fix or fulfilment.
    Resolve,
    /// Confirm the resolution and finish.
    Close,
    /// The resolution did not hold.
    Reopen,
    /// Withdraw.
    Cancel,
}

impl Action {
    /// Every action.
    pub const ALL: [Self; 9] = [
        Self::Assign,
        Self::Start,
        Self::Pend,
        Self::Resume,
        Self::Escalate,
        Self::Resolve,
        Self::Close,
        Self::Reopen,
        Self::Cancel,
    ];

    /// The API name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Assign => "assign",
            Self::Start => "start",
            Self::Pend => "pend",
            Self::Resume => "resume",
            Self::Escalate => "escalate",
            Self::Resolve => "resolve",
            Self::Close => "close",
            Self::Reopen => "reopen",
            Self::Cancel => "cancel",
        }
    }

    /// Parses an API name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == value)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The actions a ticket of `kind` allows in `status`, in the order a person would consider them.
///
/// Incidents and service requests share one lifecycle; problems and changes will bring their own
/// tables here.
pub fn allowed_actions(kind: TicketKind, status: Status) -> &'static [Action] {
    use Action::*;
    match kind {
        TicketKind::Incident | TicketKind::ServiceRequest => match status {
            Status::New | Status::Assigned => &[Assign, Start, Escalate, Resolve, Cancel],
            Status::InProgress => &[Assign, Pend, Escalate, Resolve, Cancel],
            Status::Pending => &[Resume, Assign, Escalate, Resolve, Cancel],
            Status::Resolved => &[Close, Reopen],
            Status::Closed | Status::Cancelled => &[],
        },
    }
}

/// A lifecycle command with everything the decision needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Route to `group` and optionally an agent who is a member of it.
    Assign {
        /// Target group.
        group: GroupRef,
        /// Target agent.
        assignee: Option<UserId>,
    },
    /// Begin work; the actor becomes the assignee if there is none.
    Start {
        /// Who starts.
        actor: UserId,
    },
    /// Wait.
    Pend {
        /// For what.
        reason: PendingReason,
    },
    /// Continue.
    Resume,
    /// Move to a higher-tier group.
    EscalateFunctional {
        /// The higher-tier group.
        group: GroupRef,
        /// Optionally an agent of it.
        assignee: Option<UserId>,
        /// Why.
        reason: Reason,
    },
    /// Alert a lead.
    EscalateHierarchical {
        /// Why.
        reason: Reason,
    },
    /// Deliver.
    Resolve {
        /// How.
        code: ResolutionCode,
        /// What was done, for the requester.
        notes: Body,
    },
    /// Finish.
    Close,
    /// The resolution did not hold.
    Reopen {
        /// Why, if given.
        reason: Option<Reason>,
    },
    /// Withdraw.
    Cancel {
        /// Why, if given.
        reason: Option<Reason>,
    },
}

impl Command {
    /// The action this command performs.
    pub fn action(&self) -> Action {
        match self {
            Self::Assign { .. } => Action::Assign,
            Self::Start { .. } => Action::Start,
            Self::Pend { .. } => Action::Pend,
            Self::Resume => Action::Resume,
            Self::EscalateFunctional { .. } | Self::EscalateHierarchical { .. } => Action::Escalate,
            Self::Resolve { .. } => Action::Resolve,
            Self::Close => Action::Close,
            Self::Reopen { .. } => Action::Reopen,
            Self::Cancel { .. } => Action::Cancel,
        }
    }
}

/// An action the current status does not allow.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct TransitionError {
    /// What was tried.
    pub action: Action,
    /// The status it was tried in.
    pub status: Status,
    /// What that status allows.
    pub allowed: Vec<Action>,
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a ticket that is {} cannot be {}",
            self.status.as_str().replace('_', " "),
            past(self.action)
        )?;
        if self.allowed.is_empty() {
            write!(f, "; it is finished and allows no further actions")
        } else {
            let names: Vec<&str> = self.allowed.iter().map(|a| a.as_str()).collect();
            write!(f, "; allowed now: {}", names.join(", "))
        }
    }
}

fn past(action: Action) -> &'static str {
    match action {
        Action::Assign => "assigned",
        Action::Start => "started",
        Action::Pend => "set pending",
        Action::Resume => "resumed",
        Action::Escalate => "escalated",
        Action::Resolve => "resolved",
        Action::Close => "closed",
        Action::Reopen => "reopened",
        Action::Cancel => "cancelled",
    }
}

/// Why a command was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// The lifecycle does not allow the action now.
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// The command's parameters break a rule.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
}

/// The result of a decision: the new state and the events to append, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The ticket after the change. Its version is the old one plus one when there are events.
    pub ticket: Ticket,
    /// What happened, in order. Empty when nothing changed.
    pub events: Vec<EventData>,
}

impl Outcome {
    pub(crate) fn unchanged(ticket: &Ticket) -> Self {
        Self {
            ticket: ticket.clone(),
            events: Vec::new(),
        }
    }

    pub(crate) fn finish(mut self, now: Timestamp) -> Self {
        if !self.events.is_empty() {
            self.ticket.updated_at = now;
            self.ticket.version += 1;
        }
        self
    }

    pub(crate) fn set_status(
        &mut self,
        to: Status,
        pending_reason: Option<PendingReason>,
        reason: Option<String>,
    ) {
        let from = self.ticket.status;
        if from == to && self.ticket.pending_reason == pending_reason {
            return;
        }
        self.ticket.status = to;
        self.ticket.pending_reason = pending_reason;
        self.events.push(EventData::StatusChanged {
            from,
            to,
            pending_reason,
            reason,
        });
    }

    fn set_group(&mut self, group: GroupRef) {
        let from = self.ticket.group_id;
        if from == group.id {
            return;
        }
        self.ticket.group_id = group.id;
        self.ticket.tier = group.tier;
        self.ticket.reassignment_count += 1;
        self.events.push(EventData::GroupChanged {
            from,
            to: group.id,
            tier: group.tier,
        });
    }

    fn set_assignee(&mut self, to: Option<UserId>) {
        let from = self.ticket.assignee_id;
        if from == to {
            return;
        }
        self.ticket.assignee_id = to;
        self.events.push(EventData::AssigneeChanged { from, to });
    }

    /// Routing shared by assignment and functional escalation.
    fn route(&mut self, group: GroupRef, assignee: Option<UserId>) {
        let assignee_changed = self.ticket.assignee_id != assignee;
        let was = self.ticket.status;
        self.set_group(group);
        self.set_assignee(assignee);
        let next = match (was, assignee) {
            (Status::Pending, _) => Status::Pending,
            (Status::InProgress, Some(_)) if !assignee_changed => Status::InProgress,
            (_, Some(_)) => Status::Assigned,
            (_, None) => Status::New,
        };
        let pending_reason = if next == Status::Pending {
            self.ticket.pending_reason
        } else {
            None
        };
        self.set_status(next, pending_reason, None);
    }
}

/// Applies a lifecycle command to `ticket` at `now`.
pub fn decide(ticket: &Ticket, command: Command, now: Timestamp) -> Result<Outcome, CommandError> {
    let action = command.action();
    let allowed = allowed_actions(ticket.kind, ticket.status);
    if !allowed.contains(&action) {
        return Err(TransitionError {
            action,
            status: ticket.status,
            allowed: allowed.to_vec(),
        }
        .into());
    }
    let mut out = Outcome::unchanged(ticket);
    match command {
        Command::Assign { group, assignee } => {
            if group.id == ticket.group_id && assignee == ticket.assignee_id {
                return Err(ValidationError::new(
                    "assignee_id",
                    "the ticket is already with that group and agent",
                )
                .into());
            }
            out.route(group, assignee);
        }
        Command::Start { actor } => {
            if ticket.assignee_id.is_none() {
                out.set_assignee(Some(actor));
            }
            out.set_status(Status::InProgress, None, None);
        }
        Command::Pend { reason } => out.set_status(Status::Pending, Some(reason), None),
        Command::Resume => {
            // Work resumes with the assignee; a ticket rerouted to a group while pending goes
            // back to that group's queue instead of being "in progress" with nobody on it.
            out.set_status(resumed_status(ticket), None, None);
        }
        Command::EscalateFunctional {
            group,
            assignee,
            reason,
        } => {
            if group.tier <= ticket.tier {
                return Err(ValidationError::new(
                    "group_id",
                    format!(
                        "functional escalation needs a group above tier {}; pick a tier {} group or use assign",
                        ticket.tier,
                        ticket.tier.number() + 1,
                    ),
                )
                .into());
            }
            out.events.push(EventData::Escalated {
                level: EscalationLevel::Functional,
                from_group: ticket.group_id,
                to_group: Some(group.id),
                reason: reason.into_string(),
            });
            out.ticket.escalation_count += 1;
            out.route(group, assignee);
        }
        Command::EscalateHierarchical { reason } => {
            out.ticket.escalated = true;
            out.events.push(EventData::Escalated {
                level: EscalationLevel::Hierarchical,
                from_group: ticket.group_id,
                to_group: None,
                reason: reason.into_string(),
            });
        }
        Command::Resolve { code, notes } => {
            out.set_status(Status::Resolved, None, None);
            out.ticket.resolution_code = Some(code);
            out.ticket.resolution_notes = Some(notes.as_str().to_owned());
            out.ticket.resolved_at = Some(now);
            out.events.push(EventData::Resolved {
                code,
                notes: notes.into_string(),
            });
        }
        Command::Close => {
            out.set_status(Status::Closed, None, None);
            out.ticket.closed_at = Some(now);
        }
        Command::Reopen { reason } => {
            out.set_status(
                resumed_status(ticket),
                None,
                reason.map(Reason::into_string),
            );
            out.ticket.reopen_count += 1;
            out.ticket.resolution_code = None;
            out.ticket.resolution_notes = None;
            out.ticket.resolved_at = None;
            out.ticket.escalated = false;
        }
        Command::Cancel { reason } => {
            out.set_status(Status::Cancelled, None, reason.map(Reason::into_string));
            out.ticket.closed_at = Some(now);
        }
    }
    Ok(out.finish(now))
}

/// Where a ticket goes when its wait ends: back to work with its assignee, or back to its group's
/// queue when it was rerouted to a group while pending and nobody owns it.
fn resumed_status(ticket: &Ticket) -> Status {
    if ticket.assignee_id.is_some() {
        Status::InProgress
    } else {
        Status::New
    }
}

/// Who writes a comment, as far as the rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommentAuthor {
    /// Agent, lead or admin.
    pub is_staff: bool,
    /// The ticket's requester.
    pub is_requester: bool,
}

/// Adds a public reply or an internal note.
///
/// A staff member's first public reply sets the first-response time. A requester's reply to a
/// ticket pending on them resumes it. Public replies are refused on finished tickets; internal
/// notes are always allowed for staff.
pub fn comment(
    ticket: &Ticket,
    author: CommentAuthor,
    internal: bool,
    body: Body,
    now: Timestamp,
) -> Result<Outcome, CommandError> {
    if internal && !author.is_staff {
        return Err(
            ValidationError::new("internal", "only agents can write internal notes").into(),
        );
    }
    if !internal && !ticket.status.is_open() {
        return Err(ValidationError::new(
            "body",
            format!(
                "the ticket is {}; raise a new ticket instead of replying",
                ticket.status.as_str()
            ),
        )
        .into());
    }
    let mut out = Outcome::unchanged(ticket);
    out.events.push(EventData::Commented {
        internal,
        body: body.into_string(),
    });
    if author.is_staff && !internal && ticket.first_response_at.is_none() {
        out.ticket.first_response_at = Some(now);
    }
    if !author.is_staff
        && author.is_requester
        && ticket.status == Status::Pending
        && ticket.pending_reason == Some(PendingReason::AwaitingUser)
    {
        out.set_status(resumed_status(ticket), None, None);
    }
    Ok(out.finish(now))
}

/// Records a staff-only event that changes nothing else on the ticket — no status, no
/// service-level clock, no field: what the mail channel notes for agents (an automated message
/// that answered the ticket's mail, a notification that could not be delivered). A public
/// event is refused: everything the requester sees goes through the other commands.
pub fn record(ticket: &Ticket, event: EventData, now: Timestamp) -> Result<Outcome, CommandError> {
    if event.is_public() {
        return Err(ValidationError::new(
            "event",
            format!("a {} event is not a staff-only record", event.kind()),
        )
        .into());
    }
    let mut out = Outcome::unchanged(ticket);
    out.events.push(event);
    Ok(out.finish(now))
}

/// A change of editable fields. `None` leaves a field as it is; for optional fields
/// `Some(None)` clears it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldEdit {
    /// New title.
    pub title: Option<Title>,
    /// New description.
    pub description: Option<Body>,
    /// New impact (re-derives the priority unless overridden).
    pub impact: Option<Impact>,
    /// New urgency (re-derives the priority unless overridden).
    pub urgency: Option<Urgency>,
    /// New category.
    pub category_id: Option<Option<CategoryId>>,
    /// New subcategory.
    pub subcategory_id: Option<Option<CategoryId>>,
    /// New service.
    pub service_id: Option<Option<ServiceId>>,
    /// New supplier reference.
    pub supplier_reference: Option<Option<SupplierReference>>,
    /// A manual priority with its rationale, or `Some(None)` to return to the derived one.
    pub priority_override: Option<Option<(Priority, Reason)>>,
}

/// Applies an edit of fields. Finished tickets cannot be edited.
pub fn edit(
    ticket: &Ticket,
    change: FieldEdit,
    matrix: &PriorityMatrix,
    now: Timestamp,
) -> Result<Outcome, CommandError> {
    if !ticket.status.is_open() {
        return Err(ValidationError::new(
            "status",
            format!(
                "a {} ticket can no longer be edited",
                ticket.status.as_str()
            ),
        )
        .into());
    }
    let mut out = Outcome::unchanged(ticket);
    let mut field = |name: &str, from: Option<String>, to: Option<String>| {
        if from != to {
            out.events.push(EventData::FieldChanged {
                field: name.to_owned(),
                from,
                to,
            });
        }
    };
    let t = ticket;
    let mut next = ticket.clone();
    if let Some(title) = change.title {
        field(
            "title",
            Some(t.title.clone()),
            Some(title.as_str().to_owned()),
        );
        next.title = title.into_string();
    }
    if let Some(description) = change.description {
        field(
            "description",
            Some(t.description.clone()),
            Some(description.as_str().to_owned()),
        );
        next.description = description.into_string();
    }
    if let Some(impact) = change.impact {
        field(
            "impact",
            Some(t.impact.to_string()),
            Some(impact.to_string()),
        );
        next.impact = impact;
    }
    if let Some(urgency) = change.urgency {
        field(
            "urgency",
            Some(t.urgency.to_string()),
            Some(urgency.to_string()),
        );
        next.urgency = urgency;
    }
    let id_text = |id: Option<i64>| id.map(|v| v.to_string());
    if let Some(category) = change.category_id {
        field(
            "category_id",
            id_text(t.category_id.map(|c| c.get())),
            id_text(category.map(|c| c.get())),
        );
        next.category_id = category;
    }
    if let Some(subcategory) = change.subcategory_id {
        field(
            "subcategory_id",
            id_text(t.subcategory_id.map(|c| c.get())),
            id_text(subcategory.map(|c| c.get())),
        );
        next.subcategory_id = subcategory;
    }
    if let Some(service) = change.service_id {
        field(
            "service_id",
            id_text(t.service_id.map(|s| s.get())),
            id_text(service.map(|s| s.get())),
        );
        next.service_id = service;
    }
    if let Some(reference) = change.supplier_reference {
        let to = reference.map(SupplierReference::into_string);
        field(
            "supplier_reference",
            t.supplier_reference.clone(),
            to.clone(),
        );
        next.supplier_reference = to;
    }
    let (priority, overridden, rationale) = match change.priority_override {
        Some(Some((priority, rationale))) => (priority, true, Some(rationale.into_string())),
        Some(None) => (matrix.priority(next.impact, next.urgency), false, None),
        None => (
            if t.priority_overridden {
                t.priority
            } else {
                matrix.priority(next.impact, next.urgency)
            },
            t.priority_overridden,
            None,
        ),
    };
    if priority != t.priority || overridden != t.priority_overridden || rationale.is_some() {
        out.events.push(EventData::PriorityChanged {
            from: t.priority,
            to: priority,
            overridden,
            rationale,
        });
    }
    next.priority = priority;
    next.priority_overridden = overridden;
    next.version = t.version;
    next.updated_at = t.updated_at;
    out.ticket = next;
    Ok(out.finish(now))
}

/// The first event of every ticket.
pub fn created_event(ticket: &Ticket) -> EventData {
    EventData::Created {
        kind: ticket.kind,
        status: ticket.status,
        group_id: ticket.group_id,
        tier: ticket.tier,
        impact: ticket.impact,
        urgency: ticket.urgency,
        priority: ticket.priority,
        channel: ticket.channel,
    }
}

/// What a new ticket is made of: facts the caller validated and gathered (the requester's
/// organisation, the group it lands in, the category pair).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opening {
    /// Incident or service request.
    pub kind: TicketKind,
    /// Title.
    pub title: Title,
    /// Description.
    pub description: Body,
    /// Impact.
    pub impact: Impact,
    /// Urgency.
    pub urgency: Urgency,
    /// For whom.
    pub requester_id: UserId,
    /// The requester's organisation.
    pub organization_id: Option<crate::OrganizationId>,
    /// The group it lands in.
    pub group: GroupRef,
    /// Category.
    pub category_id: Option<CategoryId>,
    /// Subcategory (of the category).
    pub subcategory_id: Option<CategoryId>,
    /// Service.
    pub service_id: Option<ServiceId>,
    /// How it arrived.
    pub channel: crate::ticket::Channel,
}

/// A ticket as it is born: the ticket (its id is 0 until it is stored), its first events and
/// the service-level clocks its policy starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    /// The new ticket, version 1, status new.
    pub ticket: Ticket,
    /// `created`, then one `sla` started event per clock.
    pub events: Vec<EventData>,
    /// The running clocks (empty when no policy applies).
    pub clocks: Vec<crate::sla::SlaClock>,
}

/// Opens a ticket at `now`: its priority from `matrix`, status new, and the clocks of the policy
/// `policy` chooses for it (`None`: no service level applies). Every ticket is born here.
pub fn open<'p>(
    opening: Opening,
    matrix: &PriorityMatrix,
    now: Timestamp,
    policy: impl FnOnce(&Ticket) -> Option<&'p crate::sla::PolicyTerms>,
) -> Opened {
    let ticket = Ticket {
        id: crate::TicketId::new(0),
        kind: opening.kind,
        title: opening.title.into_string(),
        description: opening.description.into_string(),
        status: Status::New,
        pending_reason: None,
        impact: opening.impact,
        urgency: opening.urgency,
        priority: matrix.priority(opening.impact, opening.urgency),
        priority_overridden: false,
        requester_id: opening.requester_id,
        organization_id: opening.organization_id,
        group_id: opening.group.id,
        assignee_id: None,
        tier: opening.group.tier,
        category_id: opening.category_id,
        subcategory_id: opening.subcategory_id,
        service_id: opening.service_id,
        channel: opening.channel,
        supplier_reference: None,
        resolution_code: None,
        resolution_notes: None,
        reassignment_count: 0,
        reopen_count: 0,
        escalation_count: 0,
        escalated: false,
        created_at: now,
        updated_at: now,
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        version: 1,
    };
    let mut events = vec![created_event(&ticket)];
    let (clocks, started) = match policy(&ticket) {
        Some(terms) => crate::sla::start_clocks(terms, &ticket, now),
        None => (Vec::new(), Vec::new()),
    };
    // The clocks the policy started are part of the ticket's history from its first moment.
    events.extend(started.into_iter().map(|clock| EventData::Sla { clock }));
    Opened {
        ticket,
        events,
        clocks,
    }
}

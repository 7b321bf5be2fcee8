//! Fixtures shared by the domain's integration tests: resolver groups of every tier, people, a
//! freshly logged ticket, and tickets driven into each status through the real lifecycle.

// Each test file uses a different subset of these helpers.
#![allow(dead_code, clippy::expect_used, clippy::panic)]

use spoc_domain::lifecycle::{Command, decide};
use spoc_domain::org::{GroupRef, Tier};
use spoc_domain::priority::{Impact, PriorityMatrix, Urgency};
use spoc_domain::text::{Body, Reason};
use spoc_domain::ticket::{Channel, PendingReason, ResolutionCode, Status, Ticket, TicketKind};
use spoc_domain::{GroupId, OrganizationId, TicketId, Timestamp, UserId};

const fn group(id: i64, tier: Tier, external_supplier: bool) -> GroupRef {
    GroupRef {
        id: GroupId::new(id),
        tier,
        external_supplier,
    }
}

/// Tier 1: the service desk, where every ticket in these tests is logged.
pub const SERVICE_DESK: GroupRef = group(1, Tier::One, false);
/// Another tier-1 group.
pub const FRONT_OFFICE: GroupRef = group(2, Tier::One, false);
/// Tier 2 specialists.
pub const NETWORK: GroupRef = group(3, Tier::Two, false);
/// More tier 2 specialists.
pub const APPLICATIONS: GroupRef = group(4, Tier::Two, false);
/// Tier 3, internal.
pub const DATACENTRE: GroupRef = group(5, Tier::Three, false);
/// Tier 3, an external supplier.
pub const VENDOR: GroupRef = group(6, Tier::Three, true);

/// Every group, tiers ascending.
pub const GROUPS: [GroupRef; 6] = [
    SERVICE_DESK,
    FRONT_OFFICE,
    NETWORK,
    APPLICATIONS,
    DATACENTRE,
    VENDOR,
];

/// The group with this id.
pub fn group_by_id(id: GroupId) -> GroupRef {
    GROUPS
        .into_iter()
        .find(|g| g.id == id)
        .expect("a fixture group")
}

/// Agents.
pub const AGENT_A: UserId = UserId::new(10);
pub const AGENT_B: UserId = UserId::new(11);
pub const AGENT_C: UserId = UserId::new(12);
pub const AGENTS: [UserId; 3] = [AGENT_A, AGENT_B, AGENT_C];

/// The customer who logs the tickets, and their organisation.
pub const REQUESTER: UserId = UserId::new(100);
pub const ORG: OrganizationId = OrganizationId::new(7);

/// The time of step `step` of a scenario: one second apart, strictly increasing.
pub fn at(step: i64) -> Timestamp {
    Timestamp::from_micros(1_700_000_000_000_000 + step * 1_000_000)
}

/// When every fixture ticket was logged.
pub fn logged_at() -> Timestamp {
    at(0)
}

pub fn reason(text: &str) -> Reason {
    Reason::parse(text).expect("a valid reason")
}

pub fn body(text: &str) -> Body {
    Body::parse(text).expect("a valid body")
}

/// A ticket as the store creates it: new, in the service desk's queue, nobody assigned, version 1.
pub fn new_ticket(kind: TicketKind) -> Ticket {
    let impact = Impact::Medium;
    let urgency = Urgency::Medium;
    Ticket {
        id: TicketId::new(42),
        kind,
        title: "Printer on floor 3 jams".to_owned(),
        description: "Every print job jams since this morning.".to_owned(),
        status: Status::New,
        pending_reason: None,
        impact,
        urgency,
        priority: PriorityMatrix::default().priority(impact, urgency),
        priority_overridden: false,
        requester_id: REQUESTER,
        organization_id: Some(ORG),
        group_id: SERVICE_DESK.id,
        assignee_id: None,
        tier: SERVICE_DESK.tier,
        category_id: None,
        subcategory_id: None,
        service_id: None,
        channel: Channel::Portal,
        supplier_reference: None,
        resolution_code: None,
        resolution_notes: None,
        reassignment_count: 0,
        reopen_count: 0,
        escalation_count: 0,
        escalated: false,
        created_at: logged_at(),
        updated_at: logged_at(),
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        version: 1,
    }
}

/// Applies a command that must succeed.
pub fn apply(ticket: &Ticket, command: Command, step: i64) -> Ticket {
    match decide(ticket, command.clone(), at(step)) {
        Ok(outcome) => outcome.ticket,
        Err(e) => panic!("{command:?} on a {} ticket failed: {e}", ticket.status),
    }
}

/// A ticket brought into `status` through the lifecycle: assigned to agent A of the service
/// desk, started, pending on the user, resolved as solved, closed; or cancelled while new.
pub fn ticket_in(kind: TicketKind, status: Status) -> Ticket {
    let new = new_ticket(kind);
    let assigned = || {
        apply(
            &new,
            Command::Assign {
                group: SERVICE_DESK,
                assignee: Some(AGENT_A),
            },
            1,
        )
    };
    let in_progress = || apply(&assigned(), Command::Start { actor: AGENT_A }, 2);
    let resolved = || {
        apply(
            &in_progress(),
            Command::Resolve {
                code: ResolutionCode::Solved,
                notes: body("Cleared the paper path and replaced the roller."),
            },
            3,
        )
    };
    let ticket = match status {
        Status::New => new.clone(),
        Status::Assigned => assigned(),
        Status::InProgress => in_progress(),
        Status::Pending => apply(
            &in_progress(),
            Command::Pend {
                reason: PendingReason::AwaitingUser,
            },
            3,
        ),
        Status::Resolved => resolved(),
        Status::Closed => apply(&resolved(), Command::Close, 4),
        Status::Cancelled => apply(&new, Command::Cancel { reason: None }, 1),
    };
    assert_eq!(ticket.status, status);
    ticket
}

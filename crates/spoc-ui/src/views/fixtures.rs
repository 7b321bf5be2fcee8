//! Values the view tests build their pages from.

use spoc_app::{Attachment, HistoryEntry, InboundMessage, InboundOutcome};
use spoc_domain::event::EventData;
use spoc_domain::org::Tier;
use spoc_domain::priority::{Impact, Priority, Urgency};
use spoc_domain::ticket::{Channel, PendingReason, Status, Ticket, TicketKind};
use spoc_domain::{EventId, GroupId, TicketId, Timestamp, UserId};

use super::Lookup;

pub(super) fn ticket(title: &str) -> Ticket {
    let at = Timestamp::from_micros(1_800_000_000_000_000);
    Ticket {
        id: TicketId::new(42),
        kind: TicketKind::Incident,
        title: title.to_owned(),
        description: "It <b>broke</b>.\nTwice.".to_owned(),
        status: Status::Pending,
        pending_reason: Some(PendingReason::AwaitingUser),
        impact: Impact::High,
        urgency: Urgency::High,
        priority: Priority::P1,
        priority_overridden: false,
        requester_id: UserId::new(7),
        organization_id: None,
        group_id: GroupId::new(1),
        assignee_id: None,
        tier: Tier::from_number(1).unwrap(),
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
        escalated: true,
        created_at: at,
        updated_at: at,
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        version: 3,
    }
}

pub(super) fn lookup() -> Lookup {
    let mut lookup = Lookup::default();
    lookup
        .people
        .insert(UserId::new(7), "Una <i>User</i>".to_owned());
    lookup.people.insert(UserId::new(8), "Ada Agent".to_owned());
    lookup
        .groups
        .insert(GroupId::new(1), ("Service Desk".to_owned(), 1));
    lookup
}

pub(super) fn event(id: i64, data: EventData) -> HistoryEntry {
    HistoryEntry {
        id: EventId::new(id),
        ticket_id: TicketId::new(42),
        at: Timestamp::from_micros(1_800_000_000_000_000 + id),
        actor_id: Some(UserId::new(8)),
        actor_system: None,
        public: data.is_public(),
        data,
    }
}

pub(super) fn attachment(id: i64, event: Option<i64>, inbound: Option<i64>) -> Attachment {
    Attachment {
        id: spoc_domain::AttachmentId::new(id),
        ticket_id: TicketId::new(42),
        event_id: event.map(EventId::new),
        inbound_message_id: inbound.map(spoc_domain::InboundId::new),
        filename: format!("file-{id}.pdf"),
        content_type: "application/pdf".to_owned(),
        size: 3 * 1024 * 1024 + 300_000,
        sha256: String::new(),
        inline: false,
        content_id: None,
        public: true,
        created_at: Timestamp::from_micros(0),
    }
}

pub(super) fn email(id: i64, outcome: InboundOutcome, event: i64) -> InboundMessage {
    InboundMessage {
        id: spoc_domain::InboundId::new(id),
        mailbox_id: None,
        message_id: format!("m{id}@example.test"),
        size: 100,
        from_address: None,
        subject: String::new(),
        received_at: Timestamp::from_micros(1_800_000_000_000_000),
        outcome,
        reason: String::new(),
        auto_reply: String::new(),
        ticket_id: Some(TicketId::new(42)),
        event_id: Some(EventId::new(event)),
        html: None,
        warnings: Vec::new(),
        settled_at: None,
        settled_by: None,
    }
}

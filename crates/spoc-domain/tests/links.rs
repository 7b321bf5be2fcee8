//! Links between tickets and the merge of a duplicate (issue #12).

mod common;

use common::*;
use spoc_domain::TicketId;
use spoc_domain::event::EventData;
use spoc_domain::lifecycle::CommandError;
use spoc_domain::links::{LinkKind, link, merge, unlink};
use spoc_domain::ticket::{Status, Ticket, TicketKind};

fn numbered(id: i64, status: Status) -> Ticket {
    let mut t = ticket_in(TicketKind::Incident, status);
    t.id = TicketId::new(id);
    t
}

#[test]
fn merge_closes_the_duplicate_and_records_it_on_the_survivor() {
    let duplicate = numbered(2, Status::New);
    let survivor = numbered(1, Status::InProgress);
    let (closed, kept) = merge(&duplicate, &survivor, false, at(5)).unwrap();
    assert_eq!(closed.ticket.status, Status::Closed);
    assert_eq!(closed.ticket.closed_at, Some(at(5)));
    assert_eq!(closed.ticket.version, duplicate.version + 1);
    assert!(matches!(
        closed.events.as_slice(),
        [EventData::MergedInto { ticket_id, .. }, EventData::StatusChanged { to: Status::Closed, .. }]
            if *ticket_id == survivor.id
    ));
    assert!(
        closed.events[0].is_public(),
        "the requester sees where it went"
    );
    assert_eq!(kept.ticket.status, survivor.status);
    assert_eq!(kept.ticket.version, survivor.version + 1);
    assert!(matches!(
        kept.events.as_slice(),
        [EventData::MergedFrom { ticket_id, requester_id, .. }]
            if *ticket_id == duplicate.id && *requester_id == duplicate.requester_id
    ));
    assert!(!kept.events[0].is_public());
}

#[test]
fn merge_refuses_itself_finished_tickets_and_chains() {
    let open = numbered(1, Status::Assigned);
    let other = numbered(2, Status::Pending);
    let invalid = |r: Result<_, CommandError>| matches!(r, Err(CommandError::Invalid(v)) if v.field == "into");
    assert!(invalid(merge(&open, &open, false, at(1))));
    for status in [Status::Closed, Status::Cancelled] {
        assert!(
            invalid(merge(&numbered(3, status), &open, false, at(1))),
            "{status} duplicate"
        );
        assert!(
            invalid(merge(&open, &numbered(3, status), false, at(1))),
            "{status} survivor"
        );
    }
    assert!(
        invalid(merge(&open, &other, true, at(1))),
        "a ticket others were merged into"
    );
    // A resolved duplicate or survivor is still open.
    assert!(merge(&numbered(4, Status::Resolved), &other, false, at(1)).is_ok());
    assert!(merge(&open, &numbered(5, Status::Resolved), false, at(1)).is_ok());
}

#[test]
fn links_are_recorded_both_ways() {
    let a = numbered(1, Status::New);
    let b = numbered(2, Status::Closed);
    let (mine, theirs) = link(&a, &b, LinkKind::FollowUp, at(2)).unwrap();
    assert!(
        matches!(mine.events.as_slice(), [EventData::Linked { kind: LinkKind::FollowUp, ticket_id, .. }] if *ticket_id == b.id)
    );
    assert!(
        matches!(theirs.events.as_slice(), [EventData::Linked { kind: LinkKind::FollowedUpBy, ticket_id, .. }] if *ticket_id == a.id)
    );
    assert_eq!(
        theirs.ticket.status,
        Status::Closed,
        "a link changes no status"
    );
    assert!(link(&a, &a, LinkKind::RelatesTo, at(2)).is_err());
    let (mine, theirs) = unlink(&a, &b, LinkKind::RelatesTo, at(3));
    assert!(matches!(
        mine.events.as_slice(),
        [EventData::Unlinked {
            kind: LinkKind::RelatesTo,
            ..
        }]
    ));
    assert_eq!(theirs.events.len(), 1);
    for kind in LinkKind::ALL {
        assert_eq!(LinkKind::parse(kind.as_str()), Some(kind));
        assert_eq!(kind.reverse().reverse(), kind);
    }
    assert!(LinkKind::RelatesTo.is_manual() && !LinkKind::FollowUp.is_manual());
}

//! Where inbound mail goes: automated mail is never a ticket or a reply, and mail in a staff
//! member's name that nothing authenticated is held.

use spoc_domain::mail::{
    InboundFacts, NonParticipants, Route, Sender, ThreadMatch, ThreadVia, UnknownSenders, route,
};
use spoc_domain::ticket::Status;
use spoc_domain::{TicketId, UserId};

fn facts() -> InboundFacts {
    InboundFacts {
        sender_address: "ana@example.org".to_owned(),
        from_own_address: false,
        automated: None,
        sender: Sender::Known {
            user_id: UserId::new(7),
            active: true,
        },
        staff_unverified: None,
        thread: None,
        unknown_senders: UnknownSenders::Create,
        non_participants: NonParticipants::NewTicket,
        recent_from_sender: 0,
    }
}

fn thread(via: ThreadVia, participant: bool) -> Option<ThreadMatch> {
    Some(ThreadMatch {
        ticket_id: TicketId::new(42),
        number: "INC-000042".to_owned(),
        via,
        status: Status::InProgress,
        sender_is_participant: participant,
    })
}

#[test]
fn automated_mail_is_recorded_on_its_ticket_or_held() {
    let automated = Some(
        "The message says it was sent automatically (Auto-Submitted: auto-replied).".to_owned(),
    );
    let threaded = InboundFacts {
        automated: automated.clone(),
        thread: thread(ThreadVia::Headers, false),
        ..facts()
    };
    match route(&threaded) {
        Route::Automated { ticket_id, reason } => {
            assert_eq!(ticket_id, TicketId::new(42));
            assert!(reason.starts_with("Automated: "), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    // A subject reference counts only from someone who is part of the ticket.
    let by_subject = InboundFacts {
        automated: automated.clone(),
        thread: thread(ThreadVia::Subject, false),
        ..facts()
    };
    assert!(matches!(route(&by_subject), Route::Hold { .. }));
    let unthreaded = InboundFacts {
        automated: automated.clone(),
        sender: Sender::Unknown,
        ..facts()
    };
    match route(&unthreaded) {
        Route::Hold { reason } => assert!(reason.starts_with("Automated: "), "{reason}"),
        other => panic!("{other:?}"),
    }
    // Loops with Spoc itself are still ignored first.
    let own = InboundFacts {
        from_own_address: true,
        ..unthreaded
    };
    assert!(matches!(route(&own), Route::Ignore { .. }));
    assert!(
        spoc_domain::mail::may_answer_automatically(&route(&threaded), automated.as_deref(), 0)
            .is_err()
    );
}

#[test]
fn unauthenticated_staff_mail_is_held_never_posted() {
    let spoofed = InboundFacts {
        staff_unverified: Some(
            "it carries no Authentication-Results from a trusted server (mx.desk.test)".to_owned(),
        ),
        thread: thread(ThreadVia::Headers, true),
        ..facts()
    };
    match route(&spoofed) {
        Route::Hold { reason } => {
            assert!(reason.contains("member of staff"), "{reason}");
            assert!(reason.contains("mx.desk.test"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let verified = InboundFacts {
        thread: thread(ThreadVia::Headers, true),
        ..facts()
    };
    assert!(matches!(route(&verified), Route::Reply { .. }));
}

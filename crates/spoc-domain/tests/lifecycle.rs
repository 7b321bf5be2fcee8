//! The lifecycle state machine, exhaustively (every kind × status × action) and by property
//! (random command sequences keep every invariant of a ticket).

mod common;

use common::*;
use proptest::prelude::*;
use spoc_domain::GroupId;
use spoc_domain::UserId;
use spoc_domain::event::{EscalationLevel, EventData};
use spoc_domain::lifecycle::{
    Action, Command, CommandError, CommentAuthor, FieldEdit, allowed_actions, comment, decide, edit,
};
use spoc_domain::org::{GroupRef, Tier};
use spoc_domain::priority::{Impact, Priority, PriorityMatrix, Urgency};
use spoc_domain::ticket::{PendingReason, ResolutionCode, Status, Ticket, TicketKind};

/// A valid command for `action` on `ticket`, chosen so that only the state machine can refuse it.
fn command_for(ticket: &Ticket, action: Action) -> Command {
    match action {
        Action::Assign => Command::Assign {
            group: NETWORK,
            assignee: Some(AGENT_B),
        },
        Action::Start => Command::Start { actor: AGENT_A },
        Action::Pend => Command::Pend {
            reason: PendingReason::AwaitingThirdParty,
        },
        Action::Resume => Command::Resume,
        Action::Escalate => Command::EscalateFunctional {
            group: if ticket.tier == Tier::One {
                NETWORK
            } else {
                DATACENTRE
            },
            assignee: None,
            reason: reason("needs a specialist"),
        },
        Action::Resolve => Command::Resolve {
            code: ResolutionCode::Workaround,
            notes: body("Restarted the service."),
        },
        Action::Close => Command::Close,
        Action::Reopen => Command::Reopen {
            reason: Some(reason("still broken")),
        },
        Action::Cancel => Command::Cancel { reason: None },
    }
}

/// The table the lifecycle promises (issue #2, `domain.md` §2), written out independently of
/// `allowed_actions` so that a change to one without the other fails here.
fn expected_allowed(status: Status) -> &'static [Action] {
    use Action::*;
    match status {
        Status::New | Status::Assigned => &[Assign, Start, Escalate, Resolve, Cancel],
        Status::InProgress => &[Assign, Pend, Escalate, Resolve, Cancel],
        Status::Pending => &[Resume, Assign, Escalate, Resolve, Cancel],
        Status::Resolved => &[Close, Reopen],
        Status::Closed | Status::Cancelled => &[],
    }
}

#[test]
fn every_kind_status_and_action() {
    for &kind in TicketKind::ALL {
        for &status in Status::ALL {
            let ticket = ticket_in(kind, status);
            assert_eq!(allowed_actions(kind, status), expected_allowed(status));
            for action in Action::ALL {
                let allowed = expected_allowed(status).contains(&action);
                let result = decide(&ticket, command_for(&ticket, action), at(10));
                match (allowed, result) {
                    (true, Ok(outcome)) => {
                        assert!(
                            !outcome.events.is_empty(),
                            "{kind} {status} {action} changed nothing"
                        );
                        assert_eq!(outcome.ticket.version, ticket.version + 1);
                        assert_eq!(outcome.ticket.updated_at, at(10));
                    }
                    (true, Err(e)) => panic!("{kind} {status} {action} refused: {e}"),
                    (false, Ok(_)) => panic!("{kind} {status} {action} was allowed"),
                    (false, Err(CommandError::Transition(e))) => {
                        assert_eq!(e.action, action);
                        assert_eq!(e.status, status);
                        assert_eq!(e.allowed, expected_allowed(status));
                        let message = e.to_string();
                        for name in expected_allowed(status) {
                            assert!(message.contains(name.as_str()), "{message}");
                        }
                        if expected_allowed(status).is_empty() {
                            assert!(message.contains("no further actions"), "{message}");
                        }
                    }
                    (false, Err(e)) => panic!("{kind} {status} {action}: wrong error {e}"),
                }
            }
        }
    }
}

#[test]
fn transition_errors_read_as_sentences() {
    let closed = ticket_in(TicketKind::Incident, Status::Closed);
    let err = decide(&closed, Command::Reopen { reason: None }, at(9)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a ticket that is closed cannot be reopened; it is finished and allows no further actions"
    );
    let resolved = ticket_in(TicketKind::ServiceRequest, Status::Resolved);
    let err = decide(&resolved, Command::Start { actor: AGENT_A }, at(9)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a ticket that is resolved cannot be started; allowed now: close, reopen"
    );
}

#[test]
fn the_happy_path_records_each_step() {
    let t0 = new_ticket(TicketKind::Incident);
    let assigned = decide(
        &t0,
        Command::Assign {
            group: SERVICE_DESK,
            assignee: Some(AGENT_A),
        },
        at(1),
    )
    .unwrap();
    assert_eq!(assigned.ticket.status, Status::Assigned);
    assert_eq!(
        assigned.ticket.reassignment_count, 0,
        "the same group is no reassignment"
    );
    assert_eq!(
        assigned.events,
        vec![
            EventData::AssigneeChanged {
                from: None,
                to: Some(AGENT_A)
            },
            EventData::StatusChanged {
                from: Status::New,
                to: Status::Assigned,
                pending_reason: None,
                reason: None
            },
        ]
    );
    let started = apply(&assigned.ticket, Command::Start { actor: AGENT_B }, 2);
    assert_eq!(
        started.assignee_id,
        Some(AGENT_A),
        "start keeps the assignee"
    );
    let pending = apply(
        &started,
        Command::Pend {
            reason: PendingReason::AwaitingChange,
        },
        3,
    );
    assert_eq!(pending.pending_reason, Some(PendingReason::AwaitingChange));
    let resumed = apply(&pending, Command::Resume, 4);
    assert_eq!(resumed.status, Status::InProgress);
    assert_eq!(resumed.pending_reason, None);
    let resolved = apply(
        &resumed,
        Command::Resolve {
            code: ResolutionCode::Solved,
            notes: body("Replaced the switch port."),
        },
        5,
    );
    assert_eq!(resolved.resolved_at, Some(at(5)));
    assert_eq!(resolved.resolution_code, Some(ResolutionCode::Solved));
    let closed = apply(&resolved, Command::Close, 6);
    assert_eq!(closed.closed_at, Some(at(6)));
    assert_eq!(
        closed.resolved_at,
        Some(at(5)),
        "closing keeps the resolution"
    );
    assert_eq!(closed.version, 7);
}

/// Issue #12: a ticket answered at once is resolved straight from new or assigned, without
/// starting work first; nobody is made the assignee and no first response is recorded by it.
#[test]
fn resolve_straight_from_new_and_assigned() {
    for status in [Status::New, Status::Assigned] {
        let t = ticket_in(TicketKind::Incident, status);
        let out = decide(
            &t,
            Command::Resolve {
                code: ResolutionCode::Solved,
                notes: body("Answered on the phone."),
            },
            at(3),
        )
        .unwrap();
        assert_eq!(out.ticket.status, Status::Resolved);
        assert_eq!(out.ticket.resolved_at, Some(at(3)));
        assert_eq!(out.ticket.assignee_id, t.assignee_id, "{status}");
        assert_eq!(out.ticket.first_response_at, t.first_response_at);
        assert!(matches!(
            out.events.as_slice(),
            [
                EventData::StatusChanged { from, to: Status::Resolved, .. },
                EventData::Resolved { .. }
            ] if *from == status
        ));
    }
}

#[test]
fn start_from_new_takes_the_ticket() {
    let t = apply(
        &new_ticket(TicketKind::ServiceRequest),
        Command::Start { actor: AGENT_C },
        1,
    );
    assert_eq!(t.status, Status::InProgress);
    assert_eq!(t.assignee_id, Some(AGENT_C));
}

#[test]
fn reopen_is_counted_and_clears_the_resolution() {
    let resolved = ticket_in(TicketKind::Incident, Status::Resolved);
    let reopened = decide(
        &resolved,
        Command::Reopen {
            reason: Some(reason("The printer jams again")),
        },
        at(9),
    )
    .unwrap();
    let t = &reopened.ticket;
    assert_eq!(
        t.status,
        Status::InProgress,
        "an assigned ticket goes back to work"
    );
    assert_eq!(t.reopen_count, 1);
    assert_eq!((t.resolution_code, t.resolved_at), (None, None));
    assert_eq!(
        reopened.events,
        vec![EventData::StatusChanged {
            from: Status::Resolved,
            to: Status::InProgress,
            pending_reason: None,
            reason: Some("The printer jams again".into())
        }]
    );
    // An unassigned resolved ticket goes back to its group's queue.
    let mut unassigned = resolved.clone();
    unassigned.assignee_id = None;
    let t = apply(&unassigned, Command::Reopen { reason: None }, 9);
    assert_eq!(t.status, Status::New);
}

#[test]
fn a_ticket_rerouted_while_pending_resumes_into_the_queue() {
    let pending = ticket_in(TicketKind::Incident, Status::Pending);
    let moved = apply(
        &pending,
        Command::Assign {
            group: NETWORK,
            assignee: None,
        },
        5,
    );
    assert_eq!(moved.status, Status::Pending, "routing keeps the wait");
    assert_eq!(moved.pending_reason, Some(PendingReason::AwaitingUser));
    let resumed = apply(&moved, Command::Resume, 6);
    assert_eq!(resumed.status, Status::New, "nobody owns it yet");
    // The requester's answer does the same.
    let requester = CommentAuthor {
        is_staff: false,
        is_requester: true,
    };
    let answered = comment(&moved, requester, false, body("Here it is"), at(7)).unwrap();
    assert_eq!(answered.ticket.status, Status::New);
}

#[test]
fn every_group_change_is_a_reassignment() {
    let mut t = ticket_in(TicketKind::Incident, Status::InProgress);
    let steps = [
        (NETWORK, None),
        (APPLICATIONS, None),
        (SERVICE_DESK, None),
        (SERVICE_DESK, Some(AGENT_B)),
    ];
    for (step, (group, assignee)) in steps.into_iter().enumerate() {
        t = apply(&t, Command::Assign { group, assignee }, 10 + step as i64);
        assert_eq!(t.tier, group.tier);
    }
    assert_eq!(
        t.reassignment_count, 3,
        "the last step changed only the agent"
    );
}

#[test]
fn assigning_to_the_same_group_and_agent_is_refused() {
    let t = ticket_in(TicketKind::Incident, Status::Assigned);
    let err = decide(
        &t,
        Command::Assign {
            group: SERVICE_DESK,
            assignee: Some(AGENT_A),
        },
        at(5),
    )
    .unwrap_err();
    assert!(matches!(err, CommandError::Invalid(ref v) if v.field == "assignee_id"));
}

#[test]
fn functional_escalation_needs_a_higher_tier() {
    let t = ticket_in(TicketKind::Incident, Status::InProgress);
    for group in [SERVICE_DESK, FRONT_OFFICE] {
        let err = decide(
            &t,
            Command::EscalateFunctional {
                group,
                assignee: None,
                reason: reason("stuck"),
            },
            at(5),
        )
        .unwrap_err();
        let CommandError::Invalid(v) = err else {
            panic!("expected a validation error")
        };
        assert_eq!(v.field, "group_id");
        assert!(v.message.contains("tier 2"), "{}", v.message);
    }
    let out = decide(
        &t,
        Command::EscalateFunctional {
            group: VENDOR,
            assignee: None,
            reason: reason("hardware fault, vendor case"),
        },
        at(5),
    )
    .unwrap();
    assert_eq!(out.ticket.group_id, VENDOR.id);
    assert_eq!(out.ticket.tier, Tier::Three);
    assert_eq!(out.ticket.escalation_count, 1);
    assert_eq!(out.ticket.reassignment_count, 1);
    assert_eq!(
        out.ticket.status,
        Status::New,
        "back in the new group's queue"
    );
    assert_eq!(
        out.events[0],
        EventData::Escalated {
            level: EscalationLevel::Functional,
            from_group: SERVICE_DESK.id,
            to_group: Some(VENDOR.id),
            reason: "hardware fault, vendor case".into()
        }
    );
}

#[test]
fn hierarchical_escalation_flags_without_moving() {
    let t = ticket_in(TicketKind::ServiceRequest, Status::Pending);
    let out = decide(
        &t,
        Command::EscalateHierarchical {
            reason: reason("VIP waiting for two days"),
        },
        at(5),
    )
    .unwrap();
    assert!(out.ticket.escalated);
    assert_eq!(out.ticket.status, Status::Pending);
    assert_eq!(out.ticket.group_id, t.group_id);
    assert_eq!(out.ticket.reassignment_count, 0);
    assert_eq!(out.events.len(), 1);
    assert!(!out.events[0].is_public(), "escalations are for staff only");
    // Reopening after a resolution clears the flag for the next round.
    let resolved = apply(
        &out.ticket,
        Command::Resolve {
            code: ResolutionCode::Solved,
            notes: body("Granted."),
        },
        6,
    );
    assert!(resolved.escalated);
    assert!(!apply(&resolved, Command::Reopen { reason: None }, 7).escalated);
}

#[test]
fn comments_follow_the_rules() {
    let staff = CommentAuthor {
        is_staff: true,
        is_requester: false,
    };
    let requester = CommentAuthor {
        is_staff: false,
        is_requester: true,
    };
    let t = ticket_in(TicketKind::Incident, Status::Pending);
    // A note does not count as a response; a public reply does, once.
    let noted = comment(&t, staff, true, body("checked logs"), at(5)).unwrap();
    assert_eq!(noted.ticket.first_response_at, None);
    assert!(!noted.events[0].is_public());
    let replied = comment(&noted.ticket, staff, false, body("Which model?"), at(6)).unwrap();
    assert_eq!(replied.ticket.first_response_at, Some(at(6)));
    let again = comment(&replied.ticket, staff, false, body("Any news?"), at(7)).unwrap();
    assert_eq!(again.ticket.first_response_at, Some(at(6)));
    // The requester's answer resumes a ticket pending on them.
    let answered = comment(&again.ticket, requester, false, body("HP 4200"), at(8)).unwrap();
    assert_eq!(answered.ticket.status, Status::InProgress);
    assert_eq!(answered.ticket.version, t.version + 4);
    // Customers cannot write internal notes; nobody replies publicly on a finished ticket.
    assert!(comment(&t, requester, true, body("x"), at(9)).is_err());
    let closed = ticket_in(TicketKind::Incident, Status::Closed);
    assert!(comment(&closed, staff, false, body("x"), at(9)).is_err());
    assert!(comment(&closed, staff, true, body("post-mortem"), at(9)).is_ok());
    // Pending on a third party: the requester's reply does not resume.
    let third = apply(
        &ticket_in(TicketKind::Incident, Status::InProgress),
        Command::Pend {
            reason: PendingReason::AwaitingThirdParty,
        },
        5,
    );
    let out = comment(&third, requester, false, body("any news?"), at(6)).unwrap();
    assert_eq!(out.ticket.status, Status::Pending);
}

#[test]
fn edits_derive_priority_and_record_overrides() {
    let matrix = PriorityMatrix::default();
    let t = ticket_in(TicketKind::Incident, Status::InProgress);
    let raised = edit(
        &t,
        FieldEdit {
            impact: Some(Impact::High),
            urgency: Some(Urgency::High),
            ..FieldEdit::default()
        },
        &matrix,
        at(7),
    )
    .unwrap();
    assert_eq!(raised.ticket.priority, Priority::P1);
    assert!(raised.events.contains(&EventData::PriorityChanged {
        from: Priority::P3,
        to: Priority::P1,
        overridden: false,
        rationale: None
    }));
    // An override sticks through later impact changes until it is lifted.
    let overridden = edit(
        &raised.ticket,
        FieldEdit {
            priority_override: Some(Some((Priority::P4, reason("agreed with the user")))),
            ..FieldEdit::default()
        },
        &matrix,
        at(8),
    )
    .unwrap();
    assert_eq!(overridden.ticket.priority, Priority::P4);
    assert!(overridden.ticket.priority_overridden);
    assert!(matches!(
        &overridden.events[..],
        [EventData::PriorityChanged { rationale: Some(r), overridden: true, .. }]
            if r == "agreed with the user"
    ));
    let still = edit(
        &overridden.ticket,
        FieldEdit {
            impact: Some(Impact::Low),
            ..FieldEdit::default()
        },
        &matrix,
        at(9),
    )
    .unwrap();
    assert_eq!(still.ticket.priority, Priority::P4);
    let lifted = edit(
        &still.ticket,
        FieldEdit {
            priority_override: Some(None),
            ..FieldEdit::default()
        },
        &matrix,
        at(10),
    )
    .unwrap();
    assert_eq!(
        lifted.ticket.priority,
        Priority::P3,
        "low impact × high urgency"
    );
    assert!(!lifted.ticket.priority_overridden);
    // A no-op edit changes nothing, not even the version.
    let same = edit(&lifted.ticket, FieldEdit::default(), &matrix, at(11)).unwrap();
    assert!(same.events.is_empty());
    assert_eq!(same.ticket, lifted.ticket);
    // Finished tickets are not edited.
    let closed = ticket_in(TicketKind::Incident, Status::Closed);
    assert!(edit(&closed, FieldEdit::default(), &matrix, at(12)).is_err());
}

#[test]
fn fixture_groups_are_distinct() {
    let mut ids: Vec<GroupId> = GROUPS.iter().map(|g| g.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), GROUPS.len());
}

// ---- properties -------------------------------------------------------------------------------

fn any_group() -> impl Strategy<Value = GroupRef> {
    proptest::sample::select(GROUPS.to_vec())
}

fn any_agent() -> impl Strategy<Value = Option<UserId>> {
    proptest::option::of(proptest::sample::select(AGENTS.to_vec()))
}

fn any_command() -> impl Strategy<Value = Command> {
    prop_oneof![
        (any_group(), any_agent())
            .prop_map(|(group, assignee)| Command::Assign { group, assignee }),
        proptest::sample::select(AGENTS.to_vec()).prop_map(|actor| Command::Start { actor }),
        proptest::sample::select(PendingReason::ALL.to_vec())
            .prop_map(|reason| Command::Pend { reason }),
        Just(Command::Resume),
        (any_group(), any_agent()).prop_map(|(group, assignee)| Command::EscalateFunctional {
            group,
            assignee,
            reason: reason("needs more expertise"),
        }),
        Just(Command::EscalateHierarchical {
            reason: reason("user is waiting too long"),
        }),
        proptest::sample::select(ResolutionCode::ALL.to_vec()).prop_map(|code| {
            Command::Resolve {
                code,
                notes: body("done"),
            }
        }),
        Just(Command::Close),
        Just(Command::Reopen { reason: None }),
        Just(Command::Cancel { reason: None }),
    ]
}

/// Replays the routing and status events of one decision and checks that they chain from the
/// ticket before to the ticket after.
fn check_event_chain(before: &Ticket, after: &Ticket, events: &[EventData]) {
    let mut status = before.status;
    let mut group = before.group_id;
    let mut assignee = before.assignee_id;
    for event in events {
        match event {
            EventData::StatusChanged {
                from,
                to,
                pending_reason,
                ..
            } => {
                assert_eq!(*from, status, "status events chain");
                assert_eq!(pending_reason.is_some(), *to == Status::Pending);
                status = *to;
            }
            EventData::GroupChanged { from, to, tier } => {
                assert_eq!(*from, group);
                assert_ne!(from, to);
                assert_eq!(group_by_id(*to).tier, *tier);
                group = *to;
            }
            EventData::AssigneeChanged { from, to } => {
                assert_eq!(*from, assignee);
                assert_ne!(from, to);
                assignee = *to;
            }
            _ => {}
        }
    }
    assert_eq!(status, after.status);
    assert_eq!(group, after.group_id);
    assert_eq!(assignee, after.assignee_id);
}

fn check_invariants(t: &Ticket) {
    assert_eq!(t.pending_reason.is_some(), t.status == Status::Pending);
    assert_eq!(
        group_by_id(t.group_id).tier,
        t.tier,
        "tier follows the group"
    );
    assert_eq!(
        t.resolved_at.is_some(),
        t.resolution_code.is_some(),
        "resolution facts travel together"
    );
    assert_eq!(t.resolution_code.is_some(), t.resolution_notes.is_some());
    if t.status == Status::Resolved {
        assert!(t.resolved_at.is_some());
    }
    if t.status.is_active() {
        assert!(
            t.resolved_at.is_none(),
            "active tickets carry no resolution"
        );
    }
    assert_eq!(t.closed_at.is_some(), !t.status.is_open());
    if matches!(t.status, Status::Assigned | Status::InProgress) {
        assert!(
            t.assignee_id.is_some(),
            "{} means someone owns it",
            t.status
        );
    }
    assert!(t.reassignment_count >= t.escalation_count);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any sequence of commands keeps the ticket consistent: refused commands change nothing,
    /// accepted ones bump the version by one and emit events that replay to the new state, the
    /// counters count exactly what happened, and a finished ticket stays finished.
    #[test]
    fn random_runs_keep_every_invariant(
        kind in proptest::sample::select(TicketKind::ALL.to_vec()),
        commands in proptest::collection::vec(any_command(), 1..40),
    ) {
        let mut t = new_ticket(kind);
        let (mut reassignments, mut reopens, mut escalations) = (0, 0, 0);
        for (step, command) in commands.into_iter().enumerate() {
            let action = command.action();
            let allowed = allowed_actions(t.kind, t.status).contains(&action);
            match decide(&t, command, at(step as i64 + 1)) {
                Ok(out) => {
                    prop_assert!(allowed, "{} was accepted in {}", action, t.status);
                    prop_assert!(!out.events.is_empty());
                    prop_assert_eq!(out.ticket.version, t.version + 1);
                    check_event_chain(&t, &out.ticket, &out.events);
                    for event in &out.events {
                        match event {
                            EventData::GroupChanged { .. } => reassignments += 1,
                            EventData::Escalated { level: EscalationLevel::Functional, .. } => {
                                escalations += 1;
                            }
                            EventData::StatusChanged { from: Status::Resolved, to, .. }
                                if to.is_active() => reopens += 1,
                            _ => {}
                        }
                    }
                    t = out.ticket;
                }
                Err(CommandError::Transition(e)) => {
                    prop_assert!(!allowed);
                    prop_assert_eq!(e.allowed, allowed_actions(t.kind, t.status).to_vec());
                }
                Err(CommandError::Invalid(v)) => {
                    prop_assert!(allowed, "validation errors only for allowed actions");
                    prop_assert!(["assignee_id", "group_id"].contains(&v.field), "{}", v.field);
                }
            }
            check_invariants(&t);
            prop_assert_eq!(t.reassignment_count, reassignments);
            prop_assert_eq!(t.reopen_count, reopens);
            prop_assert_eq!(t.escalation_count, escalations);
            if !t.status.is_open() {
                prop_assert!(allowed_actions(t.kind, t.status).is_empty());
            }
        }
    }

    /// What `allowed_actions` offers is exactly what succeeds.
    #[test]
    fn allowed_actions_are_exactly_the_accepted_ones(
        status in proptest::sample::select(Status::ALL.to_vec()),
        kind in proptest::sample::select(TicketKind::ALL.to_vec()),
    ) {
        let t = ticket_in(kind, status);
        let accepted: Vec<Action> = Action::ALL
            .into_iter()
            .filter(|&a| decide(&t, command_for(&t, a), at(50)).is_ok())
            .collect();
        let mut offered = allowed_actions(kind, status).to_vec();
        offered.sort_by_key(|a| Action::ALL.iter().position(|b| b == a));
        prop_assert_eq!(accepted, offered);
    }
}

/// Every ticket is born through `lifecycle::open`: new, version 1, priority from the matrix, in
/// the given group at its tier, with a `created` event and one `sla` started event per clock of
/// the policy that applies (none when no policy does).
#[test]
fn open_yields_the_new_ticket_its_first_events_and_clocks() {
    use spoc_domain::lifecycle::{Opening, created_event, open};
    use spoc_domain::sla::{ClockChange, PolicyTerms, SlaTarget};
    use spoc_domain::text::Title;
    use spoc_domain::ticket::Channel;

    let opening = Opening {
        kind: TicketKind::Incident,
        title: Title::parse("Mail is down").unwrap(),
        description: body("Nobody on the floor receives mail."),
        impact: Impact::High,
        urgency: Urgency::High,
        requester_id: REQUESTER,
        organization_id: Some(ORG),
        group: NETWORK,
        category_id: None,
        subcategory_id: None,
        service_id: None,
        channel: Channel::Phone,
    };
    let matrix = PriorityMatrix::default();
    let terms = PolicyTerms::standard();
    let opened = open(opening.clone(), &matrix, logged_at(), |_| Some(&terms));
    let t = &opened.ticket;
    assert_eq!(
        (
            t.status,
            t.version,
            t.priority,
            t.group_id,
            t.tier,
            t.assignee_id
        ),
        (
            Status::New,
            1,
            matrix.priority(Impact::High, Urgency::High),
            NETWORK.id,
            Tier::Two,
            None
        )
    );
    assert_eq!((t.created_at, t.updated_at), (logged_at(), logged_at()));
    assert_eq!((t.requester_id, t.organization_id), (REQUESTER, Some(ORG)));
    let started = |target| EventData::Sla {
        clock: ClockChange::Started {
            target,
            target_micros: terms.target(target, t.priority).unwrap(),
        },
    };
    assert_eq!(
        opened.events,
        vec![
            created_event(t),
            started(SlaTarget::FirstResponse),
            started(SlaTarget::Resolution)
        ]
    );
    assert_eq!(opened.clocks.len(), 2);

    let plain = open(opening, &matrix, logged_at(), |_| None);
    assert_eq!(plain.ticket, opened.ticket);
    assert_eq!(plain.events, vec![created_event(&plain.ticket)]);
    assert!(plain.clocks.is_empty());
}

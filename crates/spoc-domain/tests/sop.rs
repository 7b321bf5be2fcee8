//! SOP rules: content validation (every step one checkable sentence, references that resolve),
//! the governance state machine (every state × action × person), which SOP applies to a ticket,
//! checklists and quality checks, scheduled reviews and early-review crossings (with a property:
//! the crossing's name does not depend on the order signals are seen in).

// Fixtures are built with expect: a broken fixture is a broken test.
#![allow(clippy::expect_used)]

mod common;

use common::*;
use proptest::prelude::*;
use spoc_domain::access::{Actor, Principal};
use spoc_domain::event::EventData;
use spoc_domain::sla::{ClockChange, SlaTarget};
use spoc_domain::sop::*;
use spoc_domain::ticket::{Status, TicketKind};
use spoc_domain::user::Role;
use spoc_domain::{CategoryId, TicketId, Timestamp, UserId};

fn content() -> SopContent {
    serde_json::from_value(serde_json::json!({
        "title": "Password reset",
        "purpose": "Restore access securely.",
        "scope": "Standard accounts.",
        "trigger": "A reset is asked for.",
        "steps": [
            {"key": "verify", "text": "Verify the user's identity.",
             "answer": {"label": "Verification method", "options": ["Call-back", "Manager"]}},
            {"key": "reset", "text": "Reset the password."},
            {"key": "note", "text": "Write what was done.", "answer": {"label": "Summary"}}
        ],
        "decisions": [{"key": "verified", "after_step": "verify", "question": "Verified?",
                       "options": [{"answer": "Yes", "then": "Reset."}, {"answer": "No", "then": "Stop."}]}],
        "exceptions": [{"key": "fail", "when": "Verification fails.", "threshold": "2 attempts", "action": "Stop."}],
        "escalations": [{"key": "lead", "when": "Compromise.", "level": "hierarchical", "reason": "Alert."}],
        "checks": [
            {"key": "verification", "text": "Verification recorded", "requires": {"kind": "answer", "step": "verify"}},
            {"key": "manager", "text": "Manager verified", "requires": {"kind": "answer", "step": "verify", "one_of": ["Manager"]}},
            {"key": "reset-done", "text": "Reset ticked", "requires": {"kind": "step", "step": "reset"}},
            {"key": "service", "text": "Service recorded", "requires": {"kind": "field", "field": "service"}},
            {"key": "rationale", "text": "Priority rationale", "requires": {"kind": "priority_rationale"}}
        ]
    }))
    .expect("valid content")
}

/// A change to a valid content document.
type Change = Box<dyn FnOnce(&mut serde_json::Value)>;

fn broken(change: impl FnOnce(&mut serde_json::Value)) -> Result<(), spoc_domain::ValidationError> {
    let mut value = serde_json::to_value(content()).expect("serialises");
    change(&mut value);
    let parsed: SopContent = serde_json::from_value(value).expect("still the right shape");
    parsed.validate()
}

#[test]
fn content_validation_names_the_broken_field() {
    assert_eq!(content().validate(), Ok(()));
    let cases: Vec<(&str, Change)> = vec![
        ("title", Box::new(|v| v["title"] = "".into())),
        ("steps", Box::new(|v| v["steps"] = serde_json::json!([]))),
        (
            "steps",
            Box::new(|v| v["steps"][1]["key"] = "verify".into()),
        ),
        (
            "steps",
            Box::new(|v| v["steps"][1]["key"] = "Bad Key".into()),
        ),
        (
            "steps",
            Box::new(|v| v["steps"][1]["text"] = "Reset it. Then tell them.".into()),
        ),
        (
            "steps",
            Box::new(|v| v["steps"][1]["text"] = "Reset it\nand tell them.".into()),
        ),
        (
            "checks",
            Box::new(|v| v["checks"][2]["requires"]["step"] = "missing".into()),
        ),
        (
            "checks",
            Box::new(|v| v["checks"][0]["requires"]["step"] = "reset".into()),
        ),
        (
            "checks",
            Box::new(|v| v["checks"][1]["requires"]["one_of"] = serde_json::json!(["Guess"])),
        ),
        (
            "decisions",
            Box::new(|v| v["decisions"][0]["after_step"] = "nowhere".into()),
        ),
        (
            "decisions",
            Box::new(|v| {
                v["decisions"][0]["options"] = serde_json::json!([{"answer": "Yes", "then": "x"}])
            }),
        ),
        (
            "escalations",
            Box::new(|v| v["escalations"][0]["level"] = "functional".into()),
        ),
        (
            "escalations",
            Box::new(|v| v["escalations"][0]["group"] = "Network".into()),
        ),
        (
            "exceptions",
            Box::new(|v| v["exceptions"][0]["threshold"] = "".into()),
        ),
    ];
    for (field, change) in cases {
        let error = broken(change).expect_err("must be refused");
        assert_eq!(error.field, field, "{error}");
    }
}

#[test]
fn a_step_is_one_sentence() {
    for one in [
        "Verify the user's identity.",
        "Check e.g. the log, then stop",
        "Reset to v2.1 now.",
        "Ask: is it urgent?",
    ] {
        assert!(is_single_sentence(one), "{one}");
    }
    for two in [
        "Reset it. Then close.",
        "Call back. 2 attempts max.",
        "One\ntwo",
    ] {
        assert!(!is_single_sentence(two), "{two}");
    }
}

// ----- governance -------------------------------------------------------------------------------

const AUTHOR: UserId = UserId::new(1);
const OWNER: UserId = UserId::new(2);
const REVIEWER: UserId = UserId::new(3);
const APPROVER: UserId = UserId::new(4);
const OTHER: UserId = UserId::new(5);

fn actor(id: UserId, role: Role) -> Actor {
    Actor {
        tenant_id: spoc_domain::TenantId::FIRST,
        principal: Principal::User(id),
        role,
        organization_id: None,
        super_user: false,
        group_ids: vec![],
        credential: spoc_domain::credential::Credential::Direct,
    }
}

fn roles() -> SopRoles {
    SopRoles {
        owner: OWNER,
        reviewer: Some(REVIEWER),
        approver: Some(APPROVER),
    }
}

fn facts(state: VersionState) -> VersionFacts {
    VersionFacts {
        state,
        authors: vec![AUTHOR],
        validated_by: Some(REVIEWER),
    }
}

/// Who may take each action, by person, when the state allows it.
fn expected(action: GovernanceAction, who: UserId) -> bool {
    match action {
        GovernanceAction::Submit => who == AUTHOR || who == OWNER,
        GovernanceAction::Check => who == OWNER,
        GovernanceAction::Validate => who == REVIEWER,
        GovernanceAction::Approve => who == APPROVER,
        GovernanceAction::Retire => who == OWNER || who == APPROVER,
        GovernanceAction::Return => false,
    }
}

#[test]
fn every_state_action_and_person() {
    let people = [
        (AUTHOR, Role::Lead),
        (OWNER, Role::Agent),
        (REVIEWER, Role::Agent),
        (APPROVER, Role::Lead),
        (OTHER, Role::Admin),
    ];
    for state in VersionState::ALL {
        for action in GovernanceAction::ALL {
            for (id, role) in people {
                let result = govern(
                    &facts(*state),
                    roles(),
                    &actor(id, role),
                    *action,
                    Some("Please fix"),
                );
                let allowed_now = allowed_governance(*state).contains(action);
                if !allowed_now {
                    assert!(
                        matches!(result, Err(GovernanceError::NotNow { .. })),
                        "{state:?} {action:?} {id:?}: {result:?}"
                    );
                    continue;
                }
                let may = match action {
                    GovernanceAction::Return => match state {
                        VersionState::Submitted => id == OWNER,
                        VersionState::Checked => id == REVIEWER,
                        VersionState::Validated => id == APPROVER,
                        _ => false,
                    },
                    other => expected(*other, id),
                };
                assert_eq!(
                    result.is_ok(),
                    may,
                    "{state:?} {action:?} by {id:?}: {result:?}"
                );
                if let Ok(next) = result {
                    let want = match action {
                        GovernanceAction::Submit => VersionState::Submitted,
                        GovernanceAction::Check => VersionState::Checked,
                        GovernanceAction::Validate => VersionState::Validated,
                        GovernanceAction::Approve => VersionState::Effective,
                        GovernanceAction::Retire => VersionState::Retired,
                        GovernanceAction::Return => VersionState::Draft,
                    };
                    assert_eq!(next, want);
                }
            }
        }
    }
    // Customers take no part.
    let customer = actor(OWNER, Role::Customer);
    assert!(matches!(
        govern(
            &facts(VersionState::Submitted),
            roles(),
            &customer,
            GovernanceAction::Check,
            None
        ),
        Err(GovernanceError::Denied(_))
    ));
}

#[test]
fn separation_of_duties() {
    let lead = |id| actor(id, Role::Lead);
    // The reviewer who also wrote the version cannot validate it.
    let co_written = VersionFacts {
        state: VersionState::Checked,
        authors: vec![AUTHOR, REVIEWER],
        validated_by: None,
    };
    assert!(
        govern(
            &co_written,
            roles(),
            &lead(REVIEWER),
            GovernanceAction::Validate,
            None
        )
        .is_err()
    );
    // The approver who wrote it cannot approve it; nor one who validated it.
    let by_approver = VersionFacts {
        state: VersionState::Validated,
        authors: vec![APPROVER],
        validated_by: Some(REVIEWER),
    };
    assert!(
        govern(
            &by_approver,
            roles(),
            &lead(APPROVER),
            GovernanceAction::Approve,
            None
        )
        .is_err()
    );
    let validated_by_approver = VersionFacts {
        state: VersionState::Validated,
        authors: vec![AUTHOR],
        validated_by: Some(APPROVER),
    };
    assert!(
        govern(
            &validated_by_approver,
            roles(),
            &lead(APPROVER),
            GovernanceAction::Approve,
            None
        )
        .is_err()
    );
    // An approver who is only an agent cannot sign off.
    assert!(
        govern(
            &facts(VersionState::Validated),
            roles(),
            &actor(APPROVER, Role::Agent),
            GovernanceAction::Approve,
            None
        )
        .is_err()
    );
    // Positive control: the lead approver of someone else's validated version may.
    assert_eq!(
        govern(
            &facts(VersionState::Validated),
            roles(),
            &lead(APPROVER),
            GovernanceAction::Approve,
            None
        ),
        Ok(VersionState::Effective)
    );
    // Submitting needs a reviewer and an approver; sending back needs a comment.
    let no_reviewer = SopRoles {
        reviewer: None,
        ..roles()
    };
    assert!(matches!(
        govern(
            &facts(VersionState::Draft),
            no_reviewer,
            &lead(AUTHOR),
            GovernanceAction::Submit,
            None
        ),
        Err(GovernanceError::Missing {
            field: "reviewer_id",
            ..
        })
    ));
    assert!(matches!(
        govern(
            &facts(VersionState::Submitted),
            roles(),
            &lead(OWNER),
            GovernanceAction::Return,
            Some("  ")
        ),
        Err(GovernanceError::Missing {
            field: "comment",
            ..
        })
    ));
    // Drafting: owner, reviewer, approver and leads, not other agents.
    assert!(may_draft(&actor(OWNER, Role::Agent), roles()));
    assert!(may_draft(&actor(OTHER, Role::Lead), roles()));
    assert!(!may_draft(&actor(OTHER, Role::Agent), roles()));
}

// ----- where it applies ----------------------------------------------------------------------------

#[test]
fn the_most_specific_sop_applies() {
    let access = CategoryId::new(10);
    let password = CategoryId::new(11);
    let mut ticket = new_ticket(TicketKind::ServiceRequest);
    let any_request = SopLink {
        kind: Some(TicketKind::ServiceRequest),
        category_id: None,
        subcategory_id: None,
    };
    let access_link = SopLink {
        kind: None,
        category_id: Some(access),
        subcategory_id: None,
    };
    let reset_link = SopLink {
        kind: Some(TicketKind::ServiceRequest),
        category_id: Some(access),
        subcategory_id: Some(password),
    };
    let incidents = SopLink {
        kind: Some(TicketKind::Incident),
        category_id: None,
        subcategory_id: None,
    };
    let candidates = vec![
        (3, vec![any_request]),
        (2, vec![access_link]),
        (1, vec![reset_link]),
        (4, vec![incidents]),
    ];
    assert_eq!(choose_sop(&candidates, &ticket), Some(3));
    ticket.category_id = Some(access);
    assert_eq!(choose_sop(&candidates, &ticket), Some(2));
    ticket.subcategory_id = Some(password);
    assert_eq!(choose_sop(&candidates, &ticket), Some(1));
    ticket.kind = TicketKind::Incident;
    assert_eq!(
        choose_sop(&candidates, &ticket),
        Some(2),
        "category beats kind"
    );
    // Ties go to the lowest id; nothing matches nothing.
    let tie = vec![(9, vec![incidents]), (5, vec![incidents])];
    assert_eq!(choose_sop(&tie, &ticket), Some(5));
    assert_eq!(
        choose_sop(&[(1, vec![any_request])], &new_ticket(TicketKind::Incident)),
        None
    );
}

// ----- checklists and quality checks -------------------------------------------------------------

fn no_facts() -> TicketFacts {
    TicketFacts {
        service: false,
        category: false,
        subcategory: false,
        assignee: false,
        priority_overridden: false,
        override_rationale: false,
    }
}

#[test]
fn checklists_record_ticks_and_answers_once() {
    let c = content();
    let mut list = Checklist::default();
    let at = Timestamp::from_micros(5);
    let event = list
        .tick(&c, (7, 2), "reset", true, AUTHOR, at)
        .expect("a step");
    assert_eq!(
        event,
        Some(EventData::SopStep {
            sop_id: 7,
            version: 2,
            step: "reset".into(),
            done: true
        })
    );
    assert_eq!(
        list.tick(&c, (7, 2), "reset", true, AUTHOR, at)
            .expect("again"),
        None,
        "no change, no event"
    );
    assert!(list.tick(&c, (7, 2), "ghost", true, AUTHOR, at).is_err());
    assert!(
        list.answer(&c, (7, 2), "verify", "Guess", AUTHOR, at)
            .is_err(),
        "not an option"
    );
    assert!(
        list.answer(&c, (7, 2), "reset", "x", AUTHOR, at).is_err(),
        "this step takes no answer"
    );
    let events = list
        .answer(&c, (7, 2), "verify", "Call-back", AUTHOR, at)
        .expect("an option");
    assert_eq!(events.len(), 2, "the answer and the tick: {events:?}");
    assert!(
        list.answer(&c, (7, 2), "verify", "Call-back", AUTHOR, at)
            .expect("same")
            .is_empty()
    );
    assert_eq!(
        list.answer(&c, (7, 2), "note", "  Free text  ", AUTHOR, at)
            .expect("free text")
            .len(),
        2
    );
    assert_eq!(list.answers["note"].value, "Free text");
    assert_eq!(
        list.tick(&c, (7, 2), "reset", false, AUTHOR, at)
            .expect("untick")
            .map(|e| e.kind()),
        Some("sop_step")
    );
    assert!(!list.done.contains_key("reset"));
}

#[test]
fn missing_checks_name_what_is_not_recorded() {
    let c = content();
    let mut list = Checklist::default();
    let keys = |list: &Checklist, facts: &TicketFacts| {
        missing_checks(&c, list, facts)
            .into_iter()
            .map(|m| m.key)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        keys(&list, &no_facts()),
        ["verification", "manager", "reset-done", "service"]
    );
    let at = Timestamp::from_micros(1);
    list.answer(&c, (1, 1), "verify", "Call-back", OWNER, at)
        .expect("answer");
    assert_eq!(
        keys(&list, &no_facts()),
        ["manager", "reset-done", "service"],
        "one_of is strict"
    );
    list.answer(&c, (1, 1), "verify", "Manager", OWNER, at)
        .expect("answer");
    list.tick(&c, (1, 1), "reset", true, OWNER, at)
        .expect("tick");
    let with_service = TicketFacts {
        service: true,
        ..no_facts()
    };
    assert!(keys(&list, &with_service).is_empty());
    // An override without a rationale breaks the rationale check; with one it holds.
    let overridden = TicketFacts {
        priority_overridden: true,
        ..with_service.clone()
    };
    assert_eq!(keys(&list, &overridden), ["rationale"]);
    let justified = TicketFacts {
        override_rationale: true,
        ..overridden
    };
    assert!(keys(&list, &justified).is_empty());
}

#[test]
fn ticket_facts_read_the_latest_override() {
    let mut ticket = new_ticket(TicketKind::Incident);
    ticket.priority_overridden = true;
    let change = |rationale: Option<&str>| EventData::PriorityChanged {
        from: spoc_domain::priority::Priority::P3,
        to: spoc_domain::priority::Priority::P1,
        overridden: true,
        rationale: rationale.map(str::to_owned),
    };
    assert!(
        TicketFacts::of(
            &ticket,
            &[change(Some("CEO's laptop before the board meeting"))]
        )
        .override_rationale
    );
    assert!(!TicketFacts::of(&ticket, &[change(Some("ok")), change(None)]).override_rationale);
    assert!(!TicketFacts::of(&ticket, &[]).override_rationale);
}

// ----- reviews ----------------------------------------------------------------------------------

#[test]
fn scheduled_reviews_come_due() {
    let due = Timestamp::from_micros(100 * DAY_MICROS);
    assert_eq!(
        review_due(due, Timestamp::from_micros(80 * DAY_MICROS)),
        ReviewDue::NotDue
    );
    assert_eq!(
        review_due(due, Timestamp::from_micros(86 * DAY_MICROS)),
        ReviewDue::Upcoming
    );
    assert_eq!(review_due(due, due), ReviewDue::Overdue);
    let policy = ReviewPolicy::DEFAULT;
    assert_eq!(
        policy.next_review(Timestamp::from_micros(0)).as_micros(),
        180 * DAY_MICROS
    );
    assert!(
        ReviewPolicy {
            interval_months: 0,
            ..policy
        }
        .validate()
        .is_err()
    );
    assert!(
        ReviewPolicy {
            breach_threshold: Some(0),
            ..policy
        }
        .validate()
        .is_err()
    );
    assert!(
        ReviewPolicy {
            window_days: 400,
            ..policy
        }
        .validate()
        .is_err()
    );
    assert!(policy.validate().is_ok());
}

#[test]
fn signals_are_breaches_and_reopenings() {
    let breach = EventData::Sla {
        clock: ClockChange::Breached {
            target: SlaTarget::Resolution,
        },
    };
    let warn = EventData::Sla {
        clock: ClockChange::Warned {
            target: SlaTarget::Resolution,
        },
    };
    let reopen = EventData::StatusChanged {
        from: Status::Resolved,
        to: Status::InProgress,
        pending_reason: None,
        reason: None,
    };
    let close = EventData::StatusChanged {
        from: Status::Resolved,
        to: Status::Closed,
        pending_reason: None,
        reason: None,
    };
    assert!(is_signal(ReviewTrigger::SlaBreaches, &breach));
    assert!(!is_signal(ReviewTrigger::SlaBreaches, &warn));
    assert!(!is_signal(ReviewTrigger::SlaBreaches, &reopen));
    assert!(is_signal(ReviewTrigger::Reopenings, &reopen));
    assert!(!is_signal(ReviewTrigger::Reopenings, &close));
}

fn signal(ticket: i64, event: i64, day: i64) -> Signal {
    Signal {
        ticket_id: TicketId::new(ticket),
        event_id: event,
        at: Timestamp::from_micros(day * DAY_MICROS),
    }
}

#[test]
fn a_crossing_needs_the_threshold_within_the_window_after_the_last_review() {
    let now = Timestamp::from_micros(40 * DAY_MICROS);
    let signals = [
        signal(1, 10, 5),
        signal(2, 20, 15),
        signal(2, 30, 35),
        signal(3, 40, 39),
    ];
    // Day 5 is outside a 30-day window ending on day 40: three signals remain.
    let crossed = crossing(ReviewTrigger::SlaBreaches, &signals, 3, 30, None, now)
        .expect("three in the window");
    assert_eq!(crossed.key, "sla_breaches:20");
    assert_eq!(
        crossed.tickets,
        vec![TicketId::new(2), TicketId::new(3)],
        "each ticket once"
    );
    assert_eq!(
        crossing(ReviewTrigger::SlaBreaches, &signals, 4, 30, None, now),
        None
    );
    assert!(
        crossing(ReviewTrigger::SlaBreaches, &signals, 4, 40, None, now).is_some(),
        "a longer window"
    );
    // Signals already counted by the previous review do not count again.
    assert_eq!(
        crossing(ReviewTrigger::SlaBreaches, &signals, 3, 30, Some(20), now),
        None
    );
    assert_eq!(
        crossing(ReviewTrigger::SlaBreaches, &signals, 2, 30, Some(20), now).map(|c| c.key),
        Some("sla_breaches:30".to_owned())
    );
}

proptest! {
    /// However the scanner happens to see the signals, the crossing has the same name and the
    /// same tickets, so concurrent scanners agree on one review.
    #[test]
    fn a_crossing_is_named_the_same_in_any_order(seed in proptest::collection::vec((1i64..5, 1i64..30), 3..12), threshold in 1i64..4) {
        let signals: Vec<Signal> = seed.iter().enumerate().map(|(i, (t, d))| signal(*t, i as i64 + 1, *d)).collect();
        let now = Timestamp::from_micros(30 * DAY_MICROS);
        let mut reversed = signals.clone();
        reversed.reverse();
        let a = crossing(ReviewTrigger::Reopenings, &signals, threshold, 30, None, now);
        let b = crossing(ReviewTrigger::Reopenings, &reversed, threshold, 30, None, now);
        prop_assert_eq!(a.clone(), b);
        prop_assert_eq!(a.is_some(), signals.len() as i64 >= threshold);
    }
}

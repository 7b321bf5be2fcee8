//! SLA clocks: pause and resume keep exact business time, a priority change re-targets from the
//! original start, a reopened ticket's resolution clock continues, replies meet response targets,
//! warnings fall at their share of the target, and policies are chosen first-match-wins.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use proptest::prelude::*;
use spoc_domain::Timestamp;
use spoc_domain::calendar::{BusinessCalendar, CalendarSpec, WorkingHours};
use spoc_domain::priority::Priority;
use spoc_domain::sla::{
    ClockChange, ClockState, PolicyConditions, PolicyTerms, PriorityMinutes, ReplyBy, SlaClock,
    SlaTarget, advance, choose_policy, reapply, start_clocks,
};
use spoc_domain::ticket::{PendingReason, Status, Ticket, TicketKind};

const HOUR: i64 = 3_600_000_000;
const ZONE: &str = "Europe/Stockholm";

fn at(local: &str) -> Timestamp {
    let dt: jiff::civil::DateTime = local.parse().unwrap();
    let tz = jiff::tz::TimeZone::get(ZONE).unwrap();
    Timestamp::from_micros(tz.to_timestamp(dt).unwrap().as_microsecond())
}

fn office() -> BusinessCalendar {
    BusinessCalendar::new(&CalendarSpec {
        time_zone: ZONE.to_owned(),
        always_open: false,
        hours: ["mon", "tue", "wed", "thu", "fri"]
            .iter()
            .map(|d| WorkingHours {
                day: (*d).to_owned(),
                start: "09:00".to_owned(),
                end: "17:00".to_owned(),
            })
            .collect(),
        holidays: Vec::new(),
    })
    .unwrap()
}

/// A P3 ticket logged on Monday 30 November 2026 at 10:00.
fn ticket() -> Ticket {
    let mut t = common::new_ticket(TicketKind::Incident);
    t.priority = Priority::P3;
    t.created_at = at("2026-11-30T10:00");
    t
}

fn with(t: &Ticket, f: impl FnOnce(&mut Ticket)) -> Ticket {
    let mut next = t.clone();
    f(&mut next);
    next
}

fn resolution(clocks: &[SlaClock]) -> &SlaClock {
    clocks
        .iter()
        .find(|c| c.target == SlaTarget::Resolution)
        .unwrap()
}

#[test]
fn a_new_ticket_gets_both_clocks_with_targets_by_priority() {
    let terms = PolicyTerms::standard();
    let (clocks, changes) = start_clocks(&terms, &ticket(), at("2026-11-30T10:00"));
    assert_eq!(clocks.len(), 2);
    assert_eq!(changes.len(), 2);
    let cal = office();
    // P3: first response 60 business minutes, resolution 1440 (three office days).
    let first = clocks
        .iter()
        .find(|c| c.target == SlaTarget::FirstResponse)
        .unwrap();
    assert_eq!(first.due_at(&cal).unwrap(), Some(at("2026-11-30T11:00")));
    assert_eq!(
        resolution(&clocks).due_at(&cal).unwrap(),
        Some(at("2026-12-03T10:00"))
    );
    assert_eq!(
        resolution(&clocks).state(&cal, at("2026-11-30T12:00")),
        ClockState::Running
    );
}

#[test]
fn pending_on_the_user_pauses_and_resuming_keeps_exact_elapsed_time() {
    let terms = PolicyTerms::standard();
    let cal = office();
    let t0 = ticket();
    let (mut clocks, _) = start_clocks(&terms, &t0, at("2026-11-30T10:00"));
    let pending = with(&t0, |t| {
        t.status = Status::Pending;
        t.pending_reason = Some(PendingReason::AwaitingUser);
    });
    let changes = advance(
        &mut clocks,
        &terms,
        &cal,
        &t0,
        &pending,
        None,
        at("2026-11-30T12:00"),
    );
    assert!(changes.iter().any(|c| matches!(
        c,
        ClockChange::Paused {
            target: SlaTarget::Resolution,
            ..
        }
    )));
    assert_eq!(
        resolution(&clocks).state(&cal, at("2026-12-01T16:00")),
        ClockState::Paused
    );
    assert_eq!(
        resolution(&clocks).elapsed(&cal, at("2026-12-02T09:59")),
        2 * HOUR,
        "paused time is never counted"
    );
    assert_eq!(resolution(&clocks).due_at(&cal).unwrap(), None);

    let resumed = with(&pending, |t| {
        t.status = Status::InProgress;
        t.pending_reason = None;
    });
    advance(
        &mut clocks,
        &terms,
        &cal,
        &pending,
        &resumed,
        None,
        at("2026-12-02T10:00"),
    );
    // 22 business hours left from Wednesday 10:00: Wed 7 h, Thu 8 h, Fri 7 h → Friday 16:00.
    assert_eq!(
        resolution(&clocks).due_at(&cal).unwrap(),
        Some(at("2026-12-04T16:00"))
    );
    assert_eq!(
        resolution(&clocks).paused_micros,
        46 * HOUR,
        "real time paused, for the explanation"
    );
}

#[test]
fn waiting_for_a_change_does_not_pause_unless_the_policy_says_so() {
    let terms = PolicyTerms::standard();
    let cal = office();
    let t0 = ticket();
    let (mut clocks, _) = start_clocks(&terms, &t0, at("2026-11-30T10:00"));
    let pending = with(&t0, |t| {
        t.status = Status::Pending;
        t.pending_reason = Some(PendingReason::AwaitingChange);
    });
    assert!(
        advance(
            &mut clocks,
            &terms,
            &cal,
            &t0,
            &pending,
            None,
            at("2026-11-30T12:00")
        )
        .is_empty()
    );
    assert_eq!(
        resolution(&clocks).state(&cal, at("2026-11-30T13:00")),
        ClockState::Running
    );
}

#[test]
fn a_priority_change_retargets_from_the_original_start() {
    let terms = PolicyTerms::standard();
    let cal = office();
    let t0 = ticket();
    let (mut clocks, _) = start_clocks(&terms, &t0, at("2026-11-30T10:00"));
    // Raised to P1 at 13:00: 3 h used of a new 4 h target → due 14:00 the same day.
    let p1 = with(&t0, |t| t.priority = Priority::P1);
    let changes = advance(
        &mut clocks,
        &terms,
        &cal,
        &t0,
        &p1,
        None,
        at("2026-11-30T13:00"),
    );
    assert!(changes.contains(&ClockChange::Retargeted {
        target: SlaTarget::Resolution,
        from_micros: 24 * HOUR,
        to_micros: 4 * HOUR
    }));
    assert_eq!(
        resolution(&clocks).due_at(&cal).unwrap(),
        Some(at("2026-11-30T14:00"))
    );
    // Lowered to P4 at 15:00: 72 h target, 5 h used.
    let p4 = with(&p1, |t| t.priority = Priority::P4);
    advance(
        &mut clocks,
        &terms,
        &cal,
        &p1,
        &p4,
        None,
        at("2026-11-30T15:00"),
    );
    assert_eq!(
        resolution(&clocks).elapsed(&cal, at("2026-11-30T15:00")),
        5 * HOUR
    );
    assert_eq!(
        resolution(&clocks).state(&cal, at("2026-11-30T15:00")),
        ClockState::Running
    );
    // A drop to P1 after 5 h is an immediate breach.
    let back = with(&p4, |t| t.priority = Priority::P1);
    advance(
        &mut clocks,
        &terms,
        &cal,
        &p4,
        &back,
        None,
        at("2026-11-30T15:00"),
    );
    assert_eq!(
        resolution(&clocks).state(&cal, at("2026-11-30T15:00")),
        ClockState::Breached
    );
}

#[test]
fn reapplying_edited_terms_keeps_elapsed_time_and_pauses() {
    let terms = PolicyTerms::standard();
    let cal = office();
    let t0 = ticket();
    let (mut clocks, _) = start_clocks(&terms, &t0, at("2026-11-30T10:00"));
    // Waiting on the user from 11:00 to 14:00 Monday: one business hour used before.
    let pending = with(&t0, |t| {
        t.status = Status::Pending;
        t.pending_reason = Some(PendingReason::AwaitingUser);
    });
    advance(
        &mut clocks,
        &terms,
        &cal,
        &t0,
        &pending,
        None,
        at("2026-11-30T11:00"),
    );
    advance(
        &mut clocks,
        &terms,
        &cal,
        &pending,
        &t0,
        None,
        at("2026-11-30T14:00"),
    );
    // The admin cuts P3 resolution from 24 h to 6 h and re-applies at 15:00.
    let mut edited = terms.clone();
    edited.resolution = PriorityMinutes([240, 300, 360, 4320, 10080]);
    let changes = reapply(&mut clocks, &edited, Priority::P3);
    assert!(
        changes.contains(&ClockChange::Retargeted {
            target: SlaTarget::Resolution,
            from_micros: 24 * HOUR,
            to_micros: 6 * HOUR
        }),
        "{changes:?}"
    );
    // 2 h used by 15:00 (10–11 and 14–15); 4 h left → Monday 15:00–17:00 and Tuesday 09:00–11:00.
    assert_eq!(
        resolution(&clocks).elapsed(&cal, at("2026-11-30T15:00")),
        2 * HOUR
    );
    assert_eq!(
        resolution(&clocks).due_at(&cal).unwrap(),
        Some(at("2026-12-01T11:00"))
    );
    assert_eq!(
        resolution(&clocks).paused_micros,
        3 * HOUR,
        "the pause is kept"
    );
    assert!(
        reapply(&mut clocks, &edited, Priority::P3).is_empty(),
        "nothing more to change"
    );
}

#[test]
fn resolving_stops_and_reopening_continues_the_resolution_clock() {
    let terms = PolicyTerms::standard();
    let cal = office();
    let t0 = ticket();
    let (mut clocks, _) = start_clocks(&terms, &t0, at("2026-11-30T10:00"));
    let resolved = with(&t0, |t| t.status = Status::Resolved);
    let changes = advance(
        &mut clocks,
        &terms,
        &cal,
        &t0,
        &resolved,
        None,
        at("2026-12-01T11:00"),
    );
    assert!(changes.contains(&ClockChange::Stopped {
        target: SlaTarget::Resolution,
        elapsed_micros: 9 * HOUR,
        met: true
    }));
    assert_eq!(
        resolution(&clocks).state(&cal, at("2026-12-10T10:00")),
        ClockState::Met
    );
    let reopened = with(&resolved, |t| t.status = Status::InProgress);
    advance(
        &mut clocks,
        &terms,
        &cal,
        &resolved,
        &reopened,
        None,
        at("2026-12-03T09:00"),
    );
    assert_eq!(
        resolution(&clocks).elapsed(&cal, at("2026-12-03T10:00")),
        10 * HOUR,
        "time while resolved is not counted"
    );
    assert_eq!(
        resolution(&clocks).state(&cal, at("2026-12-03T10:00")),
        ClockState::Running
    );
    // Closing stops every clock for good.
    let closed = with(&reopened, |t| t.status = Status::Closed);
    advance(
        &mut clocks,
        &terms,
        &cal,
        &reopened,
        &closed,
        None,
        at("2026-12-08T10:00"),
    );
    assert!(clocks.iter().all(|c| !c.is_live()));
    assert_eq!(
        resolution(&clocks).state(&cal, at("2026-12-09T10:00")),
        ClockState::Breached,
        "24 h target, 10 h + 2 days used"
    );
}

#[test]
fn replies_meet_response_targets_and_requester_replies_start_next_response() {
    let mut terms = PolicyTerms::standard();
    terms.next_response = Some(PriorityMinutes([30, 60, 120, 240, 480]));
    let cal = office();
    let t0 = ticket();
    let (mut clocks, _) = start_clocks(&terms, &t0, at("2026-11-30T10:00"));
    let changes = advance(
        &mut clocks,
        &terms,
        &cal,
        &t0,
        &t0,
        Some(ReplyBy::Staff),
        at("2026-11-30T10:40"),
    );
    assert!(changes.contains(&ClockChange::Stopped {
        target: SlaTarget::FirstResponse,
        elapsed_micros: 40 * 60_000_000,
        met: true
    }));
    let first = clocks
        .iter()
        .find(|c| c.target == SlaTarget::FirstResponse)
        .unwrap();
    assert_eq!(first.state(&cal, at("2026-11-30T12:00")), ClockState::Met);
    // The requester answers: the next response is due within 2 business hours (P3).
    let in_progress = with(&t0, |t| t.status = Status::InProgress);
    advance(
        &mut clocks,
        &terms,
        &cal,
        &in_progress,
        &in_progress,
        Some(ReplyBy::Requester),
        at("2026-11-30T16:30"),
    );
    let next = clocks
        .iter()
        .find(|c| c.target == SlaTarget::NextResponse)
        .unwrap();
    assert_eq!(next.due_at(&cal).unwrap(), Some(at("2026-12-01T10:30")));
    // A second requester reply does not restart a running next-response clock.
    advance(
        &mut clocks,
        &terms,
        &cal,
        &in_progress,
        &in_progress,
        Some(ReplyBy::Requester),
        at("2026-12-01T09:15"),
    );
    assert_eq!(
        clocks
            .iter()
            .filter(|c| c.target == SlaTarget::NextResponse)
            .count(),
        1
    );
    advance(
        &mut clocks,
        &terms,
        &cal,
        &in_progress,
        &in_progress,
        Some(ReplyBy::Staff),
        at("2026-12-01T09:45"),
    );
    let next = clocks
        .iter()
        .find(|c| c.target == SlaTarget::NextResponse)
        .unwrap();
    assert_eq!(next.state(&cal, at("2026-12-02T09:00")), ClockState::Met);
    // Without a next-response target in the policy, nothing starts.
    let standard = PolicyTerms::standard();
    let (mut plain, _) = start_clocks(&standard, &t0, at("2026-11-30T10:00"));
    assert!(
        advance(
            &mut plain,
            &standard,
            &cal,
            &in_progress,
            &in_progress,
            Some(ReplyBy::Requester),
            at("2026-11-30T11:00")
        )
        .is_empty()
    );
}

#[test]
fn warnings_fall_at_their_share_of_the_target() {
    let terms = PolicyTerms::standard();
    let cal = office();
    let (clocks, _) = start_clocks(&terms, &ticket(), at("2026-11-30T10:00"));
    // 75 % of 24 business hours is 18: Mon 7 h, Tue 8 h, Wed 3 h → Wednesday 12:00.
    assert_eq!(
        resolution(&clocks).warn_at(&cal, 75).unwrap(),
        Some(at("2026-12-02T12:00"))
    );
    let mut warned = resolution(&clocks).clone();
    warned.warned_at = Some(at("2026-12-02T12:00"));
    assert_eq!(
        warned.warn_at(&cal, 75).unwrap(),
        None,
        "a warning fires once"
    );
}

#[test]
fn the_first_matching_policy_wins_and_the_default_catches_the_rest() {
    struct P(&'static str, PolicyTerms, bool);
    let mut vip = PolicyTerms::standard();
    vip.conditions = PolicyConditions {
        organization_ids: vec![common::ORG],
        ..PolicyConditions::default()
    };
    let mut requests = PolicyTerms::standard();
    requests.conditions = PolicyConditions {
        kinds: vec![TicketKind::ServiceRequest],
        ..PolicyConditions::default()
    };
    let policies = [
        P("default", PolicyTerms::standard(), true),
        P("vip", vip, false),
        P("requests", requests, false),
    ];
    let choose = |t: &Ticket| choose_policy(&policies, |p| &p.1, |p| p.2, t).map(|p| p.0);
    let incident = ticket();
    assert_eq!(choose(&incident), Some("vip"));
    let request = with(&incident, |t| t.kind = TicketKind::ServiceRequest);
    assert_eq!(choose(&request), Some("vip"), "earlier in the order wins");
    let other_org = with(&request, |t| t.organization_id = None);
    assert_eq!(choose(&other_org), Some("requests"));
    let plain = with(&incident, |t| t.organization_id = None);
    assert_eq!(choose(&plain), Some("default"));
}

#[test]
fn policy_numbers_are_checked() {
    assert!(PolicyTerms::standard().validate().is_ok());
    let mut inverted = PolicyTerms::standard();
    inverted.resolution = PriorityMinutes([480, 240, 1440, 4320, 10080]);
    assert_eq!(inverted.validate().unwrap_err().field, "targets");
    let mut zero = PolicyTerms::standard();
    zero.first_response = PriorityMinutes([0, 30, 60, 240, 480]);
    assert_eq!(zero.validate().unwrap_err().field, "targets");
    let mut warn = PolicyTerms::standard();
    warn.warning_percent = 100;
    assert_eq!(warn.validate().unwrap_err().field, "warning_percent");
}

proptest! {
    /// Whatever the pattern of pauses, the elapsed time is exactly the business time of the
    /// running stretches.
    #[test]
    fn pauses_are_never_counted(steps in prop::collection::vec((1i64..=3 * 24 * 60, any::<bool>()), 1..20)) {
        let terms = PolicyTerms::standard();
        let cal = office();
        let t0 = ticket();
        let start = at("2026-11-30T10:00");
        let (mut clocks, _) = start_clocks(&terms, &t0, start);
        let running = with(&t0, |t| t.status = Status::InProgress);
        let paused = with(&t0, |t| { t.status = Status::Pending; t.pending_reason = Some(PendingReason::AwaitingThirdParty); });
        let mut current = running.clone();
        let mut now = start;
        let mut expected = 0;
        for (minutes, pause) in steps {
            let next = now.plus_micros(minutes * 60_000_000);
            if current.status != Status::Pending {
                expected += cal.between(now, next);
            }
            now = next;
            let target = if pause { paused.clone() } else { running.clone() };
            advance(&mut clocks, &terms, &cal, &current, &target, None, now);
            current = target;
        }
        prop_assert_eq!(resolution(&clocks).elapsed(&cal, now), expected);
    }
}

#[test]
fn resolving_without_a_reply_answers_the_first_response_too() {
    let terms = PolicyTerms::standard();
    let cal = office();
    let t0 = ticket();
    let (mut clocks, _) = start_clocks(&terms, &t0, at("2026-11-30T10:00"));
    let resolved = with(&t0, |t| t.status = Status::Resolved);
    let changes = advance(
        &mut clocks,
        &terms,
        &cal,
        &t0,
        &resolved,
        None,
        at("2026-11-30T10:30"),
    );
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(
        clocks
            .iter()
            .all(|c| c.state(&cal, at("2026-12-01T10:00")) == ClockState::Met)
    );
    // Reopening resumes the resolution clock only.
    let reopened = with(&resolved, |t| t.status = Status::InProgress);
    advance(
        &mut clocks,
        &terms,
        &cal,
        &resolved,
        &reopened,
        None,
        at("2026-11-30T11:00"),
    );
    assert!(resolution(&clocks).is_live());
    assert!(
        !clocks
            .iter()
            .find(|c| c.target == SlaTarget::FirstResponse)
            .unwrap()
            .is_live()
    );
}

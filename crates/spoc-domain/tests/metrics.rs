//! Outcome metrics on a known ticket history, with every number worked out by hand (the
//! comments show the arithmetic), and the percentile and self-service definitions.

// Fixtures are built with expect: a broken fixture is a broken test.
#![allow(clippy::expect_used)]

use spoc_domain::event::{EscalationLevel, EventData};
use spoc_domain::metrics::{DurationSummary, Ratio, TicketHistory, outcomes, self_service_rate};
use spoc_domain::org::Tier;
use spoc_domain::priority::{Impact, Priority, Urgency};
use spoc_domain::sla::{ClockChange, SlaTarget};
use spoc_domain::ticket::{Channel, ResolutionCode, Status, TicketKind};
use spoc_domain::{GroupId, TicketId, Timestamp};

const S: i64 = 1_000_000;

fn t(seconds: i64) -> Timestamp {
    Timestamp::from_micros(seconds * S)
}

fn created(tier: Tier) -> EventData {
    EventData::Created {
        kind: TicketKind::Incident,
        status: Status::New,
        group_id: GroupId::new(1),
        tier,
        impact: Impact::Medium,
        urgency: Urgency::Medium,
        priority: Priority::P3,
        channel: Channel::Portal,
    }
}

fn resolved() -> EventData {
    EventData::Resolved {
        code: ResolutionCode::Solved,
        notes: "Fixed.".to_owned(),
    }
}

fn stopped(target: SlaTarget, elapsed_seconds: i64, met: bool) -> EventData {
    EventData::Sla {
        clock: ClockChange::Stopped {
            target,
            elapsed_micros: elapsed_seconds * S,
            met,
        },
    }
}

fn breached(target: SlaTarget) -> EventData {
    EventData::Sla {
        clock: ClockChange::Breached { target },
    }
}

fn status(from: Status, to: Status) -> EventData {
    EventData::StatusChanged {
        from,
        to,
        pending_reason: None,
        reason: None,
    }
}

fn history(id: i64, events: Vec<(i64, EventData)>) -> TicketHistory {
    TicketHistory {
        ticket_id: TicketId::new(id),
        created_at: t(0),
        events: events.into_iter().map(|(s, e)| (t(s), e)).collect(),
    }
}

/// Six tickets:
/// 1. tier 1, response met, resolved at 1 h, resolution met (1 h business): first contact.
/// 2. tier 1, reassigned and escalated, response met, resolved at 2 h (1.5 h business).
/// 3. tier 1, response met, resolved at 30 min, reopened, resolution breached, resolved again at
///    10 h (30,000 s business).
/// 4. tier 1, first response breached, still open.
/// 5. logged at tier 2, response met, resolved at 10 min (600 s business).
/// 6. tier 1, cancelled before any reply: its stopped clocks meet nothing.
fn known_histories() -> Vec<TicketHistory> {
    use SlaTarget::{FirstResponse, Resolution};
    vec![
        history(
            1,
            vec![
                (0, created(Tier::One)),
                (600, stopped(FirstResponse, 600, true)),
                (3600, resolved()),
                (3600, stopped(Resolution, 3600, true)),
            ],
        ),
        history(
            2,
            vec![
                (0, created(Tier::One)),
                (
                    100,
                    EventData::GroupChanged {
                        from: GroupId::new(1),
                        to: GroupId::new(2),
                        tier: Tier::Two,
                    },
                ),
                (
                    100,
                    EventData::Escalated {
                        level: EscalationLevel::Functional,
                        from_group: GroupId::new(1),
                        to_group: Some(GroupId::new(2)),
                        reason: "Specialist needed".to_owned(),
                    },
                ),
                (1000, stopped(FirstResponse, 1000, true)),
                (7200, resolved()),
                (7200, stopped(Resolution, 5400, true)),
            ],
        ),
        history(
            3,
            vec![
                (0, created(Tier::One)),
                (300, stopped(FirstResponse, 300, true)),
                (1800, resolved()),
                (1800, stopped(Resolution, 1800, true)),
                (2000, status(Status::Resolved, Status::InProgress)),
                (20000, breached(Resolution)),
                (36000, resolved()),
                (36000, stopped(Resolution, 30000, false)),
            ],
        ),
        history(
            4,
            vec![(0, created(Tier::One)), (14400, breached(FirstResponse))],
        ),
        history(
            5,
            vec![
                (0, created(Tier::Two)),
                (60, stopped(FirstResponse, 60, true)),
                (600, resolved()),
                (600, stopped(Resolution, 600, true)),
            ],
        ),
        history(
            6,
            vec![
                (0, created(Tier::One)),
                (50, status(Status::New, Status::Cancelled)),
                (50, stopped(FirstResponse, 50, true)),
                (50, stopped(Resolution, 50, true)),
            ],
        ),
    ]
}

#[test]
fn outcomes_of_a_known_history_match_the_hand_count() {
    let o = outcomes(&known_histories());
    assert_eq!(o.n_tickets, 6);
    // Resolved at least once: 1, 2, 3 and 5.
    assert_eq!(o.n_resolved, 4);
    // First contact: only ticket 1 (2 was reassigned and escalated, 3 reopened, 5 began at tier 2).
    assert_eq!(
        o.first_contact_resolution,
        Ratio {
            numerator: 1,
            denominator: 4
        }
    );
    assert_eq!(o.first_contact_resolution.percent(), Some(25.0));
    // Response: met on 1, 2, 3, 5; breached on 4; ticket 6 was cancelled unanswered → 4 of 5.
    assert_eq!(
        o.sla_response,
        Ratio {
            numerator: 4,
            denominator: 5
        }
    );
    assert_eq!(o.sla_response.percent(), Some(80.0));
    // Resolution: met on 1, 2, 5; breached on 3; 4 is unresolved and not breached; 6 cancelled → 3 of 4.
    assert_eq!(
        o.sla_resolution,
        Ratio {
            numerator: 3,
            denominator: 4
        }
    );
    // Elapsed to the latest resolution: 3600, 7200, 36000, 600 s.
    // Mean (3600 + 7200 + 36000 + 600) / 4 = 11850; median (3600 + 7200) / 2 = 5400; p90 at rank
    // ⌈0.9 × 4⌉ = 4 of [600, 3600, 7200, 36000] = 36000.
    assert_eq!(
        o.time_to_resolution,
        DurationSummary {
            n: 4,
            mean: Some(11_850 * S),
            median: Some(5_400 * S),
            p90: Some(36_000 * S),
        }
    );
    // Business time of the last stop of the resolution clock: 3600, 5400, 30000, 600 s.
    // Mean 39600 / 4 = 9900; median (3600 + 5400) / 2 = 4500; p90 = 30000.
    assert_eq!(
        o.business_time_to_resolution,
        DurationSummary {
            n: 4,
            mean: Some(9_900 * S),
            median: Some(4_500 * S),
            p90: Some(30_000 * S),
        }
    );
    // Reassigned: ticket 2 of 6; one reassignment over six tickets.
    assert_eq!(
        o.reassigned,
        Ratio {
            numerator: 1,
            denominator: 6
        }
    );
    assert_eq!(o.mean_reassignments, Some(1.0 / 6.0));
    // Reopened: ticket 3 of the 4 resolved.
    assert_eq!(
        o.reopened,
        Ratio {
            numerator: 1,
            denominator: 4
        }
    );
}

#[test]
fn an_empty_set_has_no_rates() {
    let o = outcomes(&[]);
    assert_eq!(o.n_tickets, 0);
    assert_eq!(o.first_contact_resolution.percent(), None);
    assert_eq!(o.mean_reassignments, None);
    assert_eq!(o.time_to_resolution, DurationSummary::default());
}

#[test]
fn duration_summaries_use_nearest_rank_and_middle_means() {
    assert_eq!(
        DurationSummary::of(&[5]),
        DurationSummary {
            n: 1,
            mean: Some(5),
            median: Some(5),
            p90: Some(5)
        }
    );
    // Ten values 1..=10: median (5 + 6) / 2 = 5 (rounded down), p90 rank 9 → 9.
    let ten: Vec<i64> = (1..=10).rev().collect();
    assert_eq!(
        DurationSummary::of(&ten),
        DurationSummary {
            n: 10,
            mean: Some(5),
            median: Some(5),
            p90: Some(9)
        }
    );
    // Eleven values: p90 rank ⌈9.9⌉ = 10.
    let eleven: Vec<i64> = (1..=11).collect();
    assert_eq!(DurationSummary::of(&eleven).p90, Some(10));
    assert_eq!(DurationSummary::of(&eleven).median, Some(6));
}

#[test]
fn self_service_rate_is_deflections_over_ended_sessions() {
    let rate = self_service_rate(3, 1);
    assert_eq!(
        rate,
        Ratio {
            numerator: 3,
            denominator: 4
        }
    );
    assert_eq!(rate.percent(), Some(75.0));
    assert_eq!(self_service_rate(0, 0).percent(), None);
    assert_eq!(self_service_rate(0, 5).percent(), Some(0.0));
}

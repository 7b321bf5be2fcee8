//! Service desk metrics computed from ticket histories, exactly as the design defines them
//! (`domain.md` §7), as pure functions: first contact resolution, SLA attainment, time to
//! resolution, reassignment rate, reopen rate, and the self-service resolution rate.
//!
//! A ticket's history is its ordered events; nothing here reads the current ticket row, so the
//! same numbers come out of any copy of the history.

use crate::event::{EscalationLevel, EventData};
use crate::org::Tier;
use crate::sla::{ClockChange, SlaTarget};
use crate::ticket::Status;
use crate::{TicketId, Timestamp};

/// One ticket's history: when it was logged and its events in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketHistory {
    /// The ticket.
    pub ticket_id: TicketId,
    /// When it was logged.
    pub created_at: Timestamp,
    /// Its events with their times, oldest first.
    pub events: Vec<(Timestamp, EventData)>,
}

/// A share: how many of how many.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ratio {
    /// How many qualify.
    pub numerator: i64,
    /// Out of how many.
    pub denominator: i64,
}

impl Ratio {
    /// The share in percent, or `None` when there is nothing to count.
    pub fn percent(&self) -> Option<f64> {
        (self.denominator > 0).then(|| self.numerator as f64 * 100.0 / self.denominator as f64)
    }
}

/// Mean, median and 90th percentile of durations, in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DurationSummary {
    /// How many durations.
    pub n: i64,
    /// The arithmetic mean, rounded down.
    pub mean: Option<i64>,
    /// The median (the mean of the two middle values, rounded down, for an even count).
    pub median: Option<i64>,
    /// The 90th percentile by nearest rank: the value at rank ⌈0.9·n⌉.
    pub p90: Option<i64>,
}

impl DurationSummary {
    /// Summarises `values` (any order).
    pub fn of(values: &[i64]) -> Self {
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        let n = sorted.len();
        if n == 0 {
            return Self::default();
        }
        let sum: i128 = sorted.iter().map(|&v| i128::from(v)).sum();
        let mean = i64::try_from(sum / n as i128).ok();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            let (a, b) = (i128::from(sorted[n / 2 - 1]), i128::from(sorted[n / 2]));
            i64::try_from((a + b) / 2).unwrap_or(sorted[n / 2])
        };
        let rank = (9 * n).div_ceil(10).max(1);
        Self {
            n: n as i64,
            mean,
            median: Some(median),
            p90: Some(sorted[rank - 1]),
        }
    }
}

/// The outcomes of a set of tickets.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcomes {
    /// Tickets in the set.
    pub n_tickets: i64,
    /// Of them, resolved at least once.
    pub n_resolved: i64,
    /// First contact resolution: of resolved tickets, those resolved by the first (tier-1)
    /// group they were assigned to with no reassignment, no escalation and no reopening.
    pub first_contact_resolution: Ratio,
    /// First-response targets met, of those with an outcome (met or breached).
    pub sla_response: Ratio,
    /// Resolution targets met, of those with an outcome.
    pub sla_resolution: Ratio,
    /// Time from logging to the latest resolution, elapsed.
    pub time_to_resolution: DurationSummary,
    /// The same on the SLA clock: business time, pauses excluded (tickets with a stopped
    /// resolution clock).
    pub business_time_to_resolution: DurationSummary,
    /// Tickets with at least one reassignment, of all tickets.
    pub reassigned: Ratio,
    /// Reassignments per ticket.
    pub mean_reassignments: Option<f64>,
    /// Resolved tickets reopened at least once, of resolved tickets.
    pub reopened: Ratio,
}

/// What one history says, as the metrics need it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Facts {
    first_tier: Option<Tier>,
    n_reassignments: i64,
    escalated: bool,
    reopened: bool,
    last_resolved_at: Option<Timestamp>,
    business_resolution: Option<i64>,
    response: Option<bool>,
    resolution: Option<bool>,
    cancelled: bool,
}

fn facts(history: &TicketHistory) -> Facts {
    let mut f = Facts::default();
    // Per target: breached at any time means missed; otherwise the latest stop says.
    let mut breached = [false; 2];
    let mut stopped: [Option<bool>; 2] = [None; 2];
    let slot = |t: SlaTarget| match t {
        SlaTarget::FirstResponse => Some(0),
        SlaTarget::Resolution => Some(1),
        SlaTarget::NextResponse => None,
    };
    for (at, event) in &history.events {
        match event {
            EventData::Created { tier, .. } => f.first_tier = Some(*tier),
            EventData::GroupChanged { .. } => f.n_reassignments += 1,
            EventData::Escalated { level, .. } => {
                if matches!(
                    level,
                    EscalationLevel::Functional | EscalationLevel::Hierarchical
                ) {
                    f.escalated = true;
                }
            }
            EventData::StatusChanged {
                from: Status::Resolved,
                to,
                ..
            } if to.is_active() => f.reopened = true,
            EventData::StatusChanged {
                to: Status::Cancelled,
                ..
            } => f.cancelled = true,
            EventData::Resolved { .. } => f.last_resolved_at = Some(*at),
            EventData::Sla { clock } => match clock {
                ClockChange::Breached { target } => {
                    if let Some(i) = slot(*target) {
                        breached[i] = true;
                    }
                }
                ClockChange::Stopped {
                    target,
                    elapsed_micros,
                    met,
                } => {
                    if let Some(i) = slot(*target) {
                        stopped[i] = Some(*met);
                    }
                    if *target == SlaTarget::Resolution {
                        f.business_resolution = Some(*elapsed_micros);
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    // A clock stopped by cancelling an unresolved ticket met nothing: only a breach counts then.
    // A resolution target counts once the ticket was resolved (or breached).
    let withdrawn = f.cancelled && f.last_resolved_at.is_none();
    let outcome = |i: usize| {
        if breached[i] {
            Some(false)
        } else if withdrawn || (i == 1 && f.last_resolved_at.is_none()) {
            None
        } else {
            stopped[i]
        }
    };
    f.response = outcome(0);
    f.resolution = outcome(1);
    f
}

fn add(ratio: &mut Ratio, yes: bool) {
    ratio.denominator += 1;
    ratio.numerator += i64::from(yes);
}

/// Computes the outcomes of `histories`.
pub fn outcomes(histories: &[TicketHistory]) -> Outcomes {
    let mut out = Outcomes::default();
    let mut elapsed = Vec::new();
    let mut business = Vec::new();
    let mut n_reassignments = 0;
    for history in histories {
        let f = facts(history);
        out.n_tickets += 1;
        n_reassignments += f.n_reassignments;
        add(&mut out.reassigned, f.n_reassignments > 0);
        if let Some(met) = f.response {
            add(&mut out.sla_response, met);
        }
        if let Some(met) = f.resolution {
            add(&mut out.sla_resolution, met);
        }
        let Some(resolved_at) = f.last_resolved_at else {
            continue;
        };
        out.n_resolved += 1;
        add(
            &mut out.first_contact_resolution,
            f.first_tier == Some(Tier::One)
                && f.n_reassignments == 0
                && !f.escalated
                && !f.reopened,
        );
        add(&mut out.reopened, f.reopened);
        elapsed.push(resolved_at.as_micros() - history.created_at.as_micros());
        if let Some(b) = f.business_resolution {
            business.push(b);
        }
    }
    out.time_to_resolution = DurationSummary::of(&elapsed);
    out.business_time_to_resolution = DurationSummary::of(&business);
    out.mean_reassignments =
        (out.n_tickets > 0).then(|| n_reassignments as f64 / out.n_tickets as f64);
    out
}

/// The self-service resolution rate: of the portal sessions that ended (with an article that
/// solved the problem, or with a ticket logged through the portal), the share ended by an
/// article.
pub fn self_service_rate(deflected: i64, portal_tickets: i64) -> Ratio {
    Ratio {
        numerator: deflected,
        denominator: deflected + portal_tickets,
    }
}

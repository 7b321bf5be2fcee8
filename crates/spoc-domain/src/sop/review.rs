//! Early reviews on operational signals: what counts as a signal, and when signals cross an
//! SOP's threshold (one crossing, one review).

use std::fmt;

use crate::event::EventData;
use crate::sla::{ClockChange, SlaTarget};
use crate::text::ValidationError;
use crate::ticket::{Status, name_enum};
use crate::{TicketId, Timestamp};

use crate::document::DAY_MICROS;

name_enum!(
    /// What called for a review.
    ReviewTrigger, "trigger" {
        /// The scheduled date came.
        Scheduled => "scheduled",
        /// Too many SLA breaches among the SOP's tickets.
        SlaBreaches => "sla_breaches",
        /// Too many reopenings among the SOP's tickets.
        Reopenings => "reopenings",
    }
);

/// One operational signal on a ticket handled under an SOP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signal {
    /// The ticket.
    pub ticket_id: TicketId,
    /// The event that carries it (ids increase with time).
    pub event_id: i64,
    /// When.
    pub at: Timestamp,
}

/// Whether `event` is a signal of `trigger`: a breached SLA clock, or a resolved ticket sent
/// back to work.
pub fn is_signal(trigger: ReviewTrigger, event: &EventData) -> bool {
    match trigger {
        ReviewTrigger::Scheduled => false,
        ReviewTrigger::SlaBreaches => matches!(
            event,
            EventData::Sla {
                clock: ClockChange::Breached {
                    target: SlaTarget::FirstResponse
                        | SlaTarget::Resolution
                        | SlaTarget::NextResponse
                }
            }
        ),
        ReviewTrigger::Reopenings => matches!(
            event,
            EventData::StatusChanged {
                from: Status::Resolved,
                to,
                ..
            } if to.is_active()
        ),
    }
}

/// A threshold crossing: the signals that make it up, and a key that names the crossing
/// uniquely (the first signal's event), so every scanner that sees it names it the same way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crossing {
    /// `{trigger}:{first event id}`.
    pub key: String,
    /// The tickets whose signals crossed the threshold, without repeats, in order.
    pub tickets: Vec<TicketId>,
}

/// Whether `signals` (any order) cross `threshold` within the window ending at `now`, counting
/// only signals after `since` (the previous review of this trigger, so one crossing yields one
/// review and the next one needs `threshold` new signals).
pub fn crossing(
    trigger: ReviewTrigger,
    signals: &[Signal],
    threshold: i64,
    window_days: i64,
    since: Option<i64>,
    now: Timestamp,
) -> Option<Crossing> {
    let from = now.plus_micros(-window_days * DAY_MICROS);
    let mut counted: Vec<&Signal> = signals
        .iter()
        .filter(|s| s.at >= from && s.at <= now && since.is_none_or(|e| s.event_id > e))
        .collect();
    counted.sort_by_key(|s| s.event_id);
    if (counted.len() as i64) < threshold.max(1) {
        return None;
    }
    let first = counted.first()?;
    let mut tickets = Vec::new();
    for signal in &counted {
        if !tickets.contains(&signal.ticket_id) {
            tickets.push(signal.ticket_id);
        }
    }
    Some(Crossing {
        key: format!("{}:{}", trigger.as_str(), first.event_id),
        tickets,
    })
}

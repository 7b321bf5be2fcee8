//! Review dates: when a document is next reviewed, and whether that is due.

use std::fmt;

use crate::Timestamp;
use crate::text::ValidationError;
use crate::ticket::name_enum;

/// One day in microseconds.
pub const DAY_MICROS: i64 = 86_400 * 1_000_000;

/// How many days ahead an owner is told of a scheduled review.
pub const REVIEW_NOTICE_DAYS: i64 = 14;

name_enum!(
    /// How close a scheduled review is.
    ReviewDue, "due" {
        /// More than the notice period away.
        NotDue => "not_due",
        /// Within the notice period.
        Upcoming => "upcoming",
        /// Past its date.
        Overdue => "overdue",
    }
);

/// When the next scheduled review falls after a version takes effect (or is reviewed) at
/// `from`: `interval_months` months of 30 days later.
pub fn next_review(from: Timestamp, interval_months: i64) -> Timestamp {
    from.plus_micros(interval_months * 30 * DAY_MICROS)
}

/// Where a review dated `next_review_at` stands at `now`.
pub fn review_due(next_review_at: Timestamp, now: Timestamp) -> ReviewDue {
    if now >= next_review_at {
        ReviewDue::Overdue
    } else if now.plus_micros(REVIEW_NOTICE_DAYS * DAY_MICROS) >= next_review_at {
        ReviewDue::Upcoming
    } else {
        ReviewDue::NotDue
    }
}

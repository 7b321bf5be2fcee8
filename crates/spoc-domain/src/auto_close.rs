//! Auto-close: a resolved ticket closes by itself after a number of days the admin sets
//! (default 7; 0 = never), and its requester is told one day before (or at once, when the
//! period is one day or the notice could not go out in time). The close waits until a notice
//! has gone out and its day has passed, so nobody's ticket closes without warning.

use crate::Timestamp;
use crate::text::ValidationError;

const DAY: i64 = 24 * 3600 * 1_000_000;

/// The auto-close setting of a tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AutoClose {
    days: u32,
}

/// What auto-close does with one resolved ticket now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutoCloseStep {
    /// Nothing yet.
    Wait,
    /// Tell the requester the ticket closes by itself at `closes_at`.
    Notice {
        /// When it will close.
        closes_at: Timestamp,
    },
    /// Close it.
    Close,
}

impl Default for AutoClose {
    fn default() -> Self {
        Self {
            days: Self::DEFAULT_DAYS,
        }
    }
}

impl AutoClose {
    /// Days after resolution, unless the admin changes it.
    pub const DEFAULT_DAYS: u32 = 7;
    /// The longest period that can be set.
    pub const MAX_DAYS: u32 = 365;
    /// How long before closing the requester is told.
    pub const NOTICE_DAYS: u32 = 1;

    /// A period of `days` (0 = never).
    pub fn new(days: i64) -> Result<Self, ValidationError> {
        u32::try_from(days)
            .ok()
            .filter(|d| *d <= Self::MAX_DAYS)
            .map(|days| Self { days })
            .ok_or_else(|| {
                ValidationError::new(
                    "auto_close_days",
                    format!(
                        "must be a whole number of days from 0 (never) to {}",
                        Self::MAX_DAYS
                    ),
                )
            })
    }

    /// The period in days (0 = never).
    pub const fn days(self) -> u32 {
        self.days
    }

    /// Whether resolved tickets close by themselves at all.
    pub const fn is_on(self) -> bool {
        self.days > 0
    }

    /// How long ago a ticket must have been resolved for anything to be due: the notice time.
    pub fn notice_after_micros(self) -> i64 {
        i64::from(self.days.saturating_sub(Self::NOTICE_DAYS)) * DAY
    }

    /// What to do now with a ticket resolved at `resolved_at` whose requester was told at
    /// `noticed_at` (since that resolution), if they were.
    pub fn step(
        self,
        resolved_at: Timestamp,
        noticed_at: Option<Timestamp>,
        now: Timestamp,
    ) -> AutoCloseStep {
        if !self.is_on() {
            return AutoCloseStep::Wait;
        }
        let notice = i64::from(Self::NOTICE_DAYS) * DAY;
        let closes_at = resolved_at.plus_micros(i64::from(self.days) * DAY);
        let notice_at = closes_at.plus_micros(-notice).max(resolved_at);
        match noticed_at {
            None if now >= notice_at => AutoCloseStep::Notice {
                closes_at: closes_at.max(now.plus_micros(notice)),
            },
            None => AutoCloseStep::Wait,
            Some(told) if now >= closes_at.max(told.plus_micros(notice)) => AutoCloseStep::Close,
            Some(_) => AutoCloseStep::Wait,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: i64) -> Timestamp {
        Timestamp::from_micros(1_000 * DAY + n * DAY)
    }

    #[test]
    fn notice_a_day_before_then_close() {
        let rule = AutoClose::default();
        let resolved = day(0);
        assert_eq!(rule.step(resolved, None, day(5)), AutoCloseStep::Wait);
        assert_eq!(
            rule.step(resolved, None, day(6)),
            AutoCloseStep::Notice { closes_at: day(7) }
        );
        assert_eq!(
            rule.step(resolved, Some(day(6)), day(6)),
            AutoCloseStep::Wait
        );
        assert_eq!(
            rule.step(resolved, Some(day(6)), day(7)),
            AutoCloseStep::Close
        );
    }

    #[test]
    fn never_closes_without_a_notice_a_day_ahead() {
        let rule = AutoClose::new(3).unwrap();
        // Nobody was told in time (the job was off): told now, closed a day later.
        assert_eq!(
            rule.step(day(0), None, day(10)),
            AutoCloseStep::Notice { closes_at: day(11) }
        );
        assert_eq!(
            rule.step(day(0), Some(day(10)), day(10)),
            AutoCloseStep::Wait
        );
        assert_eq!(
            rule.step(day(0), Some(day(10)), day(11)),
            AutoCloseStep::Close
        );
        // A one-day period: told at once.
        let quick = AutoClose::new(1).unwrap();
        assert_eq!(
            quick.step(day(0), None, day(0)),
            AutoCloseStep::Notice { closes_at: day(1) }
        );
    }

    #[test]
    fn zero_is_never_and_bounds_hold() {
        let never = AutoClose::new(0).unwrap();
        assert!(!never.is_on());
        assert_eq!(never.step(day(0), None, day(400)), AutoCloseStep::Wait);
        assert_eq!(
            never.step(day(0), Some(day(1)), day(400)),
            AutoCloseStep::Wait
        );
        assert!(AutoClose::new(-1).is_err());
        assert!(AutoClose::new(366).is_err());
        assert_eq!(AutoClose::new(365).unwrap().days(), 365);
        assert_eq!(AutoClose::default().days(), 7);
        assert_eq!(AutoClose::default().notice_after_micros(), 6 * DAY);
    }
}

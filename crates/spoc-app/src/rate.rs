//! Write rate limits: how many tickets and replies one person may send in a sliding window, so
//! that one account (or one e-mail address, which is one person) cannot flood the desk. Over the
//! limit a write is refused with the seconds until the next is allowed: the API answers `429`
//! with `Retry-After`, a page says so, and mail is held for review rather than lost.
//!
//! Staff work many tickets in a short time (a phone queue, a bulk of monitoring alerts), so
//! their limits are a multiple of the customers'. The counts live in memory on each node, like
//! the sign-in throttle: a limit per node bounds a flood, which is what it is for.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use spoc_domain::{Timestamp, UserId};

/// The limits, per person, in one window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimits {
    /// The sliding window, in seconds.
    pub window_secs: i64,
    /// Tickets a customer may log in the window (through any channel).
    pub tickets: usize,
    /// Replies and notes a customer may add in the window.
    pub replies: usize,
    /// Staff may do this many times as much.
    pub staff_factor: usize,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            window_secs: 10 * 60,
            tickets: 20,
            replies: 60,
            staff_factor: 10,
        }
    }
}

/// What a write is, for its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WriteKind {
    /// Logging a ticket.
    Ticket,
    /// A reply or note on a ticket.
    Reply,
}

impl WriteKind {
    /// The plural noun for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Ticket => "new tickets",
            Self::Reply => "replies",
        }
    }
}

/// Beyond this many tracked people, those with no write in the window are swept.
const SWEEP_ABOVE: usize = 10_000;

/// The writes of each person in the window, and the limits.
#[derive(Debug, Default)]
pub struct WriteThrottle {
    limits: Mutex<RateLimits>,
    writes: Mutex<HashMap<(UserId, WriteKind), VecDeque<i64>>>,
}

impl WriteThrottle {
    /// Replaces the limits (from the configuration, or a test).
    pub fn set_limits(&self, limits: RateLimits) {
        if let Ok(mut current) = self.limits.lock() {
            *current = limits;
        }
    }

    /// The limits now.
    pub fn limits(&self) -> RateLimits {
        self.limits.lock().map(|l| *l).unwrap_or_default()
    }

    /// Counts a write of `kind` by `person` if it is within the limit; otherwise `Err` with the
    /// seconds until the next is allowed. A refused write is not counted.
    pub fn admit(
        &self,
        person: UserId,
        staff: bool,
        kind: WriteKind,
        now: Timestamp,
    ) -> Result<(), i64> {
        let limits = self.limits();
        let base = match kind {
            WriteKind::Ticket => limits.tickets,
            WriteKind::Reply => limits.replies,
        };
        let limit = if staff {
            base.saturating_mul(limits.staff_factor.max(1))
        } else {
            base
        };
        let window = limits.window_secs.max(1) * 1_000_000;
        let Ok(mut writes) = self.writes.lock() else {
            return Ok(());
        };
        let now = now.as_micros();
        if writes.len() > SWEEP_ABOVE {
            writes.retain(|_, times| times.back().is_some_and(|&t| t > now - window));
        }
        let times = writes.entry((person, kind)).or_default();
        while times.front().is_some_and(|&t| t <= now - window) {
            times.pop_front();
        }
        if limit == 0 || times.len() >= limit {
            let oldest_that_counts = times
                .len()
                .checked_sub(limit.max(1))
                .and_then(|i| times.get(i))
                .copied()
                .unwrap_or(now);
            let wait = (oldest_that_counts + window - now).max(1_000_000);
            return Err((wait + 999_999) / 1_000_000);
        }
        times.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_micros(1_800_000_000_000_000 + seconds * 1_000_000)
    }

    fn throttle(tickets: usize) -> WriteThrottle {
        let throttle = WriteThrottle::default();
        throttle.set_limits(RateLimits {
            window_secs: 600,
            tickets,
            replies: 2,
            staff_factor: 3,
        });
        throttle
    }

    #[test]
    fn a_person_is_limited_within_the_window_and_free_after_it() {
        let throttle = throttle(2);
        let person = UserId::new(7);
        assert!(
            throttle
                .admit(person, false, WriteKind::Ticket, at(0))
                .is_ok()
        );
        assert!(
            throttle
                .admit(person, false, WriteKind::Ticket, at(100))
                .is_ok()
        );
        assert_eq!(
            throttle.admit(person, false, WriteKind::Ticket, at(200)),
            Err(400),
            "until the first write leaves the window"
        );
        // Refused writes are not counted; replies have their own count; others are free.
        assert!(
            throttle
                .admit(person, false, WriteKind::Reply, at(200))
                .is_ok()
        );
        assert!(
            throttle
                .admit(UserId::new(8), false, WriteKind::Ticket, at(200))
                .is_ok()
        );
        assert!(
            throttle
                .admit(person, false, WriteKind::Ticket, at(600))
                .is_ok()
        );
    }

    #[test]
    fn staff_get_a_multiple() {
        let throttle = throttle(1);
        let agent = UserId::new(1);
        for i in 0..3 {
            assert!(
                throttle
                    .admit(agent, true, WriteKind::Ticket, at(i))
                    .is_ok()
            );
        }
        assert!(
            throttle
                .admit(agent, true, WriteKind::Ticket, at(4))
                .is_err()
        );
    }
}

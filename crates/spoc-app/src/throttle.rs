//! Sign-in rate limiting: failed attempts are counted per account and per client address in a
//! sliding window, and sign-in is refused while either count is over its limit — even with the
//! right password, so that guessing gains nothing. The refusal is the same whether or not the
//! account exists.
//!
//! The counts live in memory on each node: a restart or another node starts from zero. That
//! bounds online guessing to a few attempts per window per node, which is what the limit is for.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;

use spoc_domain::Timestamp;

/// The window failures are counted in.
pub const WINDOW_MICROS: i64 = 15 * 60 * 1_000_000;
/// Failed attempts allowed per account within the window.
pub const MAX_FAILURES_PER_ACCOUNT: usize = 5;
/// Failed attempts allowed per client address within the window (a shared office NAT makes
/// this larger than the per-account limit).
pub const MAX_FAILURES_PER_CLIENT: usize = 30;
/// Beyond this many tracked keys, expired ones are swept before adding another.
const SWEEP_ABOVE: usize = 10_000;

/// Failed sign-in attempts, per key.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, VecDeque<i64>>>,
}

/// The keys one attempt counts against.
fn keys(email: &str, client: Option<IpAddr>) -> Vec<(String, usize)> {
    let mut keys = vec![(
        format!("account:{}", email.trim().to_lowercase()),
        MAX_FAILURES_PER_ACCOUNT,
    )];
    if let Some(ip) = client {
        keys.push((format!("client:{ip}"), MAX_FAILURES_PER_CLIENT));
    }
    keys
}

/// Drops the times of `times` that left the window ending at `now`, and returns how many
/// microseconds remain until fewer than `limit` are inside it (0: below the limit already).
fn wait_micros(times: &mut VecDeque<i64>, limit: usize, window: i64, now: i64) -> i64 {
    while times.front().is_some_and(|&t| t <= now - window) {
        times.pop_front();
    }
    if limit == 0 {
        return window;
    }
    if times.len() >= limit {
        // Allowed again when enough of the oldest events have left the window.
        let oldest_that_counts = times[times.len() - limit];
        oldest_that_counts + window - now
    } else {
        0
    }
}

/// Whole seconds, rounded up, for a `Retry-After` header.
fn seconds(micros: i64) -> i64 {
    (micros + 999_999) / 1_000_000
}

/// Events per key in a sliding window — ticket creations and replies per person. In memory,
/// per node, like the sign-in counts.
#[derive(Debug, Default)]
pub struct RateLimiter {
    events: Mutex<HashMap<String, VecDeque<i64>>>,
}

impl RateLimiter {
    /// `Err(seconds)` until the next event of `key` is allowed, if `limit` events already
    /// happened within `window_micros` of `now`.
    pub fn check(
        &self,
        key: &str,
        limit: usize,
        window_micros: i64,
        now: Timestamp,
    ) -> Result<(), i64> {
        let Ok(mut events) = self.events.lock() else {
            return Ok(());
        };
        let Some(times) = events.get_mut(key) else {
            return if limit == 0 {
                Err(seconds(window_micros))
            } else {
                Ok(())
            };
        };
        match wait_micros(times, limit, window_micros, now.as_micros()) {
            0 => Ok(()),
            wait => Err(seconds(wait)),
        }
    }

    /// Counts an event of `key` at `now`.
    pub fn record(&self, key: &str, window_micros: i64, now: Timestamp) {
        let Ok(mut events) = self.events.lock() else {
            return;
        };
        let now = now.as_micros();
        if events.len() > SWEEP_ABOVE {
            events.retain(|_, times| times.back().is_some_and(|&t| t > now - window_micros));
        }
        events.entry(key.to_owned()).or_default().push_back(now);
    }
}

impl LoginThrottle {
    /// `Err(seconds)` until the next attempt is allowed, if any key is over its limit.
    pub fn check(&self, email: &str, client: Option<IpAddr>, now: Timestamp) -> Result<(), i64> {
        let Ok(mut failures) = self.failures.lock() else {
            return Ok(());
        };
        let now = now.as_micros();
        let mut wait = 0;
        for (key, limit) in keys(email, client) {
            if let Some(times) = failures.get_mut(&key) {
                wait = wait.max(wait_micros(times, limit, WINDOW_MICROS, now));
            }
        }
        if wait > 0 { Err(seconds(wait)) } else { Ok(()) }
    }

    /// Counts a failed attempt.
    pub fn record_failure(&self, email: &str, client: Option<IpAddr>, now: Timestamp) {
        let Ok(mut failures) = self.failures.lock() else {
            return;
        };
        let now = now.as_micros();
        if failures.len() > SWEEP_ABOVE {
            failures.retain(|_, times| times.back().is_some_and(|&t| t > now - WINDOW_MICROS));
        }
        for (key, _) in keys(email, client) {
            failures.entry(key).or_default().push_back(now);
        }
    }

    /// Forgets an account's failures after a successful sign-in (the client's stay counted).
    pub fn record_success(&self, email: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&format!("account:{}", email.trim().to_lowercase()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_micros(1_800_000_000_000_000 + seconds * 1_000_000)
    }

    #[test]
    fn an_account_is_locked_after_the_limit_and_unlocked_by_the_window() {
        let throttle = LoginThrottle::default();
        for i in 0..MAX_FAILURES_PER_ACCOUNT {
            assert!(throttle.check("a@x.test", None, at(i as i64)).is_ok());
            throttle.record_failure("a@x.test", None, at(i as i64));
        }
        let wait = throttle.check("A@X.test ", None, at(10)).unwrap_err();
        assert_eq!(
            wait,
            15 * 60 - 10,
            "until the first failure leaves the window"
        );
        assert!(
            throttle.check("b@x.test", None, at(10)).is_ok(),
            "other accounts are not locked"
        );
        assert!(throttle.check("a@x.test", None, at(15 * 60)).is_ok());
    }

    #[test]
    fn a_client_is_locked_across_accounts() {
        let throttle = LoginThrottle::default();
        let ip: IpAddr = [192, 0, 2, 7].into();
        for i in 0..MAX_FAILURES_PER_CLIENT {
            throttle.record_failure(&format!("u{i}@x.test"), Some(ip), at(0));
        }
        assert!(throttle.check("new@x.test", Some(ip), at(1)).is_err());
        assert!(throttle.check("new@x.test", None, at(1)).is_ok());
    }

    #[test]
    fn the_rate_limiter_counts_per_key_in_a_sliding_window() {
        let limiter = RateLimiter::default();
        let window = 600 * 1_000_000;
        for i in 0..3 {
            assert!(limiter.check("ticket:1", 3, window, at(i)).is_ok());
            limiter.record("ticket:1", window, at(i));
        }
        assert_eq!(limiter.check("ticket:1", 3, window, at(10)), Err(590));
        assert!(limiter.check("ticket:2", 3, window, at(10)).is_ok());
        assert!(limiter.check("ticket:1", 3, window, at(600)).is_ok());
        assert!(
            limiter.check("ticket:9", 0, window, at(0)).is_err(),
            "a limit of 0 allows none"
        );
    }

    #[test]
    fn success_clears_the_account() {
        let throttle = LoginThrottle::default();
        for _ in 0..MAX_FAILURES_PER_ACCOUNT - 1 {
            throttle.record_failure("a@x.test", None, at(0));
        }
        throttle.record_success("a@x.test");
        throttle.record_failure("a@x.test", None, at(1));
        assert!(throttle.check("a@x.test", None, at(2)).is_ok());
    }
}

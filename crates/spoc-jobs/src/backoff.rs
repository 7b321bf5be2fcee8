//! How long a failing job waits before its next step: exponential in the number of failures
//! since the last success, capped, with jitter so that nodes failing together (the database
//! went away) do not come back in lockstep.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// Exponential backoff with a cap and "equal jitter": after the `n`th consecutive failure the
/// wait is between half and all of `min(cap, first * 2^(n-1))`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// The wait after the first failure (before jitter).
    pub first: Duration,
    /// The longest wait.
    pub cap: Duration,
}

impl Default for Backoff {
    /// One second, doubling up to five minutes.
    fn default() -> Self {
        Self {
            first: Duration::from_secs(1),
            cap: Duration::from_secs(5 * 60),
        }
    }
}

impl Backoff {
    /// The wait before jitter after `failures` consecutive failures (none after none).
    pub fn ceiling(&self, failures: u32) -> Duration {
        if failures == 0 {
            return Duration::ZERO;
        }
        let doublings = (failures - 1).min(31);
        self.first
            .checked_mul(1_u32 << doublings)
            .map_or(self.cap, |d| d.min(self.cap))
    }

    /// The wait after `failures` consecutive failures, for a `jitter` in `[0, 1]` (clamped;
    /// not a number counts as 0): `ceiling / 2 + jitter * ceiling / 2`.
    pub fn delay(&self, failures: u32, jitter: f64) -> Duration {
        let ceiling = self.ceiling(failures);
        let half = ceiling / 2;
        let jitter = if jitter.is_nan() {
            0.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        half.saturating_add(half.mul_f64(jitter))
    }

    /// [`Backoff::delay`] with a random jitter.
    pub fn delay_now(&self, failures: u32) -> Duration {
        self.delay(failures, random_unit())
    }
}

/// A random number in `[0, 1]`, from the standard library's randomly keyed hasher (no
/// cryptographic quality needed: it only spreads retries).
fn random_unit() -> f64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::UNIX_EPOCH
        .elapsed()
        .map_or(0, |d| d.subsec_nanos());
    hasher.write_u32(nanos);
    (hasher.finish() >> 11) as f64 / (1_u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    fn policy() -> Backoff {
        Backoff {
            first: SECOND,
            cap: Duration::from_secs(60),
        }
    }

    #[test]
    fn no_failure_means_no_wait() {
        assert_eq!(policy().ceiling(0), Duration::ZERO);
        assert_eq!(policy().delay(0, 1.0), Duration::ZERO);
    }

    #[test]
    fn the_ceiling_doubles_from_the_first_wait_up_to_the_cap() {
        let b = policy();
        let ceilings: Vec<u64> = (1..=8).map(|n| b.ceiling(n).as_secs()).collect();
        assert_eq!(ceilings, [1, 2, 4, 8, 16, 32, 60, 60]);
    }

    #[test]
    fn many_failures_stay_at_the_cap_without_overflow() {
        let b = policy();
        for n in [33, 64, 1_000, u32::MAX] {
            assert_eq!(b.ceiling(n), b.cap, "after {n} failures");
        }
        let huge = Backoff {
            first: Duration::from_secs(u64::MAX / 4),
            cap: Duration::MAX,
        };
        assert_eq!(huge.ceiling(40), Duration::MAX);
    }

    #[test]
    fn jitter_spreads_the_wait_between_half_and_all_of_the_ceiling() {
        let b = policy();
        assert_eq!(b.delay(3, 0.0), Duration::from_secs(2));
        assert_eq!(b.delay(3, 1.0), Duration::from_secs(4));
        assert_eq!(b.delay(3, 0.5), Duration::from_secs(3));
        // Out-of-range jitter is clamped, never longer than the ceiling nor shorter than half.
        assert_eq!(b.delay(3, 7.0), Duration::from_secs(4));
        assert_eq!(b.delay(3, -1.0), Duration::from_secs(2));
        assert_eq!(b.delay(3, f64::NAN), Duration::from_secs(2));
    }

    #[test]
    fn random_delays_stay_within_bounds_and_vary() {
        let b = policy();
        let delays: Vec<Duration> = (0..200).map(|_| b.delay_now(4)).collect();
        for d in &delays {
            assert!(
                *d >= Duration::from_secs(4) && *d <= Duration::from_secs(8),
                "{d:?}"
            );
        }
        let first = delays[0];
        assert!(delays.iter().any(|d| *d != first), "the jitter is random");
    }

    #[test]
    fn the_random_unit_is_in_range() {
        for _ in 0..1_000 {
            let u = random_unit();
            assert!((0.0..=1.0).contains(&u), "{u}");
        }
    }
}

//! Spoc's background workers under one supervisor.
//!
//! A job is a type implementing [`Job`]: a name, an interval, and one step
//! ([`Job::run_once`]) that does a bounded piece of work and says whether there is more. The
//! [`Supervisor`] owns everything around the steps, for every job alike:
//!
//! - **the loop**: a step, then the job's interval (or at once when the step says there is
//!   more), and so on;
//! - **backoff** after a failed step: exponential in the failures since the last success, with
//!   a cap and jitter ([`Backoff`]), back to the interval after a success;
//! - **leases** for jobs that must run on one node at a time ([`Job::lease`]): a named lease
//!   in the database, renewed while the node holds it; a node that does not hold it waits;
//! - **graceful shutdown** ([`Running::shutdown`]): no new step starts; a step in flight is
//!   told to stop at its next safe point ([`Signal::stopping`]) and is awaited for up to the
//!   grace period; past it, it is dropped at an await point (each store write is one
//!   transaction, so a dropped step leaves nothing half-written). Then every claim the node
//!   still holds is handed back, so another node takes the work over at once;
//! - **health** on the app's [`WorkerBoard`](spoc_app::WorkerBoard): state, last success,
//!   last failure, consecutive failures, next run; admins read it through the app.
//!
//! Tasks a job starts on the side (one per mailbox being read) are started through
//! [`Step::spawn`]: they hear the same stop signal and are awaited at shutdown.

mod backoff;
mod directory_sync;
mod jobs;
mod live_feed;
mod supervisor;

pub use backoff::Backoff;
pub use directory_sync::DirectorySync;
pub use jobs::{AutoClose, MailDelivery, Retention, SlaTimers, SopReviews, Statistics};
pub use live_feed::LiveFeed;
pub use supervisor::{Running, Signal, Step, Supervisor};

use std::future::Future;
use std::time::Duration;

/// What one step did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// How many items it handled.
    pub handled: usize,
    /// Whether more work is waiting, so the next step should start at once.
    pub more: bool,
}

impl Progress {
    /// `handled` items, and the batch was full: go again at once.
    pub fn more(handled: usize) -> Self {
        Self {
            handled,
            more: true,
        }
    }

    /// `handled` items, and nothing more is waiting.
    pub fn done(handled: usize) -> Self {
        Self {
            handled,
            more: false,
        }
    }
}

/// Why a step failed, in words fit for an admin's eyes (credentials are removed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobError(String);

impl JobError {
    /// An error with `message`; passwords in URLs (`scheme://user:secret@host`) are removed.
    pub fn new(message: impl std::fmt::Display) -> Self {
        Self(redact_userinfo(&message.to_string()))
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JobError {}

impl From<spoc_app::AppError> for JobError {
    fn from(error: spoc_app::AppError) -> Self {
        Self::new(error)
    }
}

/// `text` with the user-information part of every URL in it (`://user:secret@`) replaced by
/// `://…@`.
fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let authority_end = tail
            .find(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace())
            .unwrap_or(tail.len());
        match tail[..authority_end].rfind('@') {
            Some(userinfo_end) => {
                out.push_str("…@");
                rest = &tail[userinfo_end + 1..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

/// One background job.
///
/// A step must be safe to stop at its await points: each write it makes is one transaction,
/// and work it has claimed but not finished stays claimed by the node until the supervisor
/// hands it back (or the claim expires, should the node die). A step that handles many items
/// should look at [`Step::stopping`] between items and return early when it says so.
pub trait Job: Send + Sync + 'static {
    /// The job's name, unique on a node (`sla-timers`, `mail-delivery`, …).
    fn name(&self) -> &'static str;

    /// The wait between steps when the last one found nothing more to do.
    fn interval(&self) -> Duration;

    /// `Some(ttl)` for a job that must run on one node at a time: the node that runs it holds
    /// a lease named after the job, renewed well within `ttl`. `None` (the default) for jobs
    /// whose items are claimed one by one, which any number of nodes may run together.
    fn lease(&self) -> Option<Duration> {
        None
    }

    /// How long to wait after failed steps.
    fn backoff(&self) -> Backoff {
        Backoff::default()
    }

    /// Whether the first step waits one interval (for a job whose work start-up has just
    /// done), instead of running at once.
    fn first_step_waits(&self) -> bool {
        false
    }

    /// Whether a commit of changes on this node ends the wait between steps early (for a job
    /// that follows the change feed).
    fn wakes_on_commit(&self) -> bool {
        false
    }

    /// One step: do a bounded piece of work.
    fn run_once(&self, step: &Step) -> impl Future<Output = Result<Progress, JobError>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_urls_are_removed_from_error_text() {
        assert_eq!(
            JobError::new("connecting to smtps://desk:hunter2@mail.example:465 failed").message(),
            "connecting to smtps://…@mail.example:465 failed"
        );
        assert_eq!(
            JobError::new("a postgres://u:p@db/spoc and imaps://x@y/INBOX?q=a@b").message(),
            "a postgres://…@db/spoc and imaps://…@y/INBOX?q=a@b"
        );
        assert_eq!(
            JobError::new("no URL here, just a@b and ://").message(),
            "no URL here, just a@b and ://"
        );
    }

    #[test]
    fn progress_says_whether_to_go_again() {
        assert!(Progress::more(50).more);
        assert!(!Progress::done(3).more);
        assert_eq!(Progress::default(), Progress::done(0));
    }
}

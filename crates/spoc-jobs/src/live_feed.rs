//! The live-update follower: on every node, it reads the change feed after the last change it
//! handled and announces the ticket changes to the node's live listeners (see
//! `spoc_app::live`). A commit on this node wakes it at once; commits on other nodes are seen
//! within one interval.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use crate::{Job, JobError, Progress, Step};

/// Changes one step reads at most.
const BATCH: i64 = 500;

/// Not started: the first step starts at the feed's head.
const UNSET: i64 = -1;

/// Follows the change feed for this node's live updates. Every node runs it (no lease).
#[derive(Debug)]
pub struct LiveFeed {
    /// How long it waits for a commit elsewhere when none happens on this node.
    pub interval: Duration,
    /// The position of the last change announced.
    cursor: AtomicI64,
}

impl LiveFeed {
    /// A follower polling every `interval` (and woken by this node's commits).
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            cursor: AtomicI64::new(UNSET),
        }
    }
}

impl Default for LiveFeed {
    fn default() -> Self {
        Self::new(Duration::from_millis(500))
    }
}

impl Job for LiveFeed {
    fn name(&self) -> &'static str {
        "live-feed"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn wakes_on_commit(&self) -> bool {
        true
    }

    async fn run_once(&self, step: &Step) -> Result<Progress, JobError> {
        let app = step.app();
        let mut after = self.cursor.load(Ordering::Acquire);
        if after == UNSET {
            after = app.live_feed_start().await?;
            self.cursor.store(after, Ordering::Release);
        }
        let last = app.announce_changes_after(after, BATCH).await?;
        self.cursor.store(last, Ordering::Release);
        let handled = usize::try_from(last - after).unwrap_or(usize::MAX);
        Ok(if last - after >= BATCH {
            Progress::more(handled)
        } else {
            Progress::done(handled)
        })
    }
}

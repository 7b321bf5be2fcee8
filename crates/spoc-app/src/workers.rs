//! The background workers as the app sees them: the health board the supervisor (crate
//! `spoc-jobs`) keeps for each job, the admin use case that reads it, and the system calls the
//! supervisor makes — named leases for jobs that run on one node at a time, the hand-back of
//! a stopping node's claims, and the statistics refresh.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use spoc_domain::Timestamp;
use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};

use crate::auth::permit;
use crate::{App, AppError};

/// What a job is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobState {
    /// A step is running.
    Running,
    /// Waiting for its next step (or for the lease another node holds).
    Idle,
    /// Its last step failed; it waits longer than usual before the next.
    BackingOff,
    /// Not running: the node is shutting down, or it has not started.
    Stopped,
}

impl JobState {
    /// Every state, in a stable order.
    pub const ALL: [Self; 4] = [Self::Running, Self::Idle, Self::BackingOff, Self::Stopped];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Idle => "idle",
            Self::BackingOff => "backing_off",
            Self::Stopped => "stopped",
        }
    }
}

/// A failed step: when, and why (the error's text, without credentials).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobFailure {
    /// When the step failed.
    pub at: Timestamp,
    /// What went wrong.
    pub error: String,
}

/// One job's health on this node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobHealth {
    /// The job's name (`sla-timers`, `mail-delivery`, …).
    pub name: String,
    /// What it is doing.
    pub state: JobState,
    /// When a step last succeeded.
    pub last_success: Option<Timestamp>,
    /// The last failed step.
    pub last_failure: Option<JobFailure>,
    /// Failed steps since the last success.
    pub consecutive_failures: u32,
    /// When the next step is due (none while running or stopped).
    pub next_run: Option<Timestamp>,
    /// Whether the job runs on one node at a time, under a named lease.
    pub leased: bool,
    /// The node holding the job's lease, when it is leased and held.
    pub lease_holder: Option<String>,
}

impl JobHealth {
    /// A job that has not run yet.
    pub fn new(name: &str, leased: bool) -> Self {
        Self {
            name: name.to_owned(),
            state: JobState::Stopped,
            last_success: None,
            last_failure: None,
            consecutive_failures: 0,
            next_run: None,
            leased,
            lease_holder: None,
        }
    }
}

/// The health of every job this node runs, written by the supervisor and read by admins.
#[derive(Debug, Default)]
pub struct WorkerBoard {
    jobs: Mutex<BTreeMap<String, JobHealth>>,
}

impl WorkerBoard {
    /// Records a job (again), as not yet run.
    pub fn register(&self, name: &str, leased: bool) {
        let mut jobs = self
            .jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        jobs.insert(name.to_owned(), JobHealth::new(name, leased));
    }

    /// Changes the health of job `name` (registered first if unknown).
    pub fn update(&self, name: &str, change: impl FnOnce(&mut JobHealth)) {
        let mut jobs = self
            .jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        change(
            jobs.entry(name.to_owned())
                .or_insert_with(|| JobHealth::new(name, false)),
        );
    }

    /// Every job's health, by name.
    pub fn snapshot(&self) -> Vec<JobHealth> {
        let jobs = self
            .jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        jobs.values().cloned().collect()
    }
}

impl App {
    /// The board the supervisor keeps the jobs' health on.
    pub fn worker_board(&self) -> &WorkerBoard {
        &self.workers
    }

    /// The background jobs of this node and their health, with the holder of each leased
    /// job's lease (whichever node that is) — admins only.
    pub async fn workers(&self, actor: &Actor) -> Result<Vec<JobHealth>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        let now = self.now();
        let leases = self.store.worker_leases().await?;
        let mut jobs = self.workers.snapshot();
        for job in jobs.iter_mut().filter(|j| j.leased) {
            job.lease_holder = leases
                .iter()
                .find(|l| l.name == job.name && l.expires_at >= now)
                .map(|l| l.owner.clone());
        }
        Ok(jobs)
    }

    /// Takes (or renews) the lease on job `name` for worker `owner`, for `ttl` (system use);
    /// `false` while another live worker holds it.
    pub async fn take_worker_lease(
        &self,
        name: &str,
        owner: &str,
        ttl: Duration,
    ) -> Result<bool, AppError> {
        let now = self.now();
        let micros = i64::try_from(ttl.as_micros()).unwrap_or(i64::MAX);
        Ok(self
            .store
            .take_worker_lease(name, owner, now, now.plus_micros(micros))
            .await?)
    }

    /// Gives `owner`'s lease on job `name` back (system use).
    pub async fn release_worker_lease(&self, name: &str, owner: &str) -> Result<(), AppError> {
        Ok(self.store.release_worker_lease(name, owner).await?)
    }

    /// Hands back every claim worker `owner` still holds (outbox messages, SLA timers, mailbox
    /// polls, SOP scans, job leases), so other nodes take the work over at once (system use, at
    /// shutdown). Returns how many claims were handed back.
    pub async fn hand_back_work(&self, owner: &str) -> Result<u64, AppError> {
        Ok(self.store.hand_back_claims(owner).await?)
    }

    /// Refreshes the database's query planner statistics (system use).
    pub async fn refresh_statistics(&self) -> Result<(), AppError> {
        Ok(self.store.optimize().await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_board_keeps_each_job_once_by_name() {
        let board = WorkerBoard::default();
        board.register("b", true);
        board.register("a", false);
        board.update("a", |j| {
            j.state = JobState::Running;
            j.consecutive_failures = 2;
        });
        board.update("c", |j| j.state = JobState::Idle);
        let jobs = board.snapshot();
        let names: Vec<&str> = jobs.iter().map(|j| j.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(jobs[0].state, JobState::Running);
        assert_eq!(jobs[0].consecutive_failures, 2);
        assert!(jobs[1].leased);
        assert_eq!(jobs[1].state, JobState::Stopped);
        board.register("a", false);
        assert_eq!(board.snapshot()[0].consecutive_failures, 0);
    }
}

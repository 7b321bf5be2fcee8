//! The supervisor: one loop per job, the stop signal, the tracked side tasks and the shutdown.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use spoc_app::{App, JobFailure, JobState};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

use crate::{Job, JobError, Progress};

/// How long steps in flight may take to finish at shutdown, unless told otherwise.
const DEFAULT_GRACE: Duration = Duration::from_secs(10);

/// The shutdown signal as jobs and their side tasks hear it. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Signal {
    /// `None` while running; at shutdown, the end of the grace period.
    deadline: watch::Receiver<Option<Instant>>,
}

impl Signal {
    /// Whether the node is shutting down: finish the item at hand, start no new one. Also true
    /// once the supervisor is [abandoned](Signal::abandoned).
    pub fn stopping(&self) -> bool {
        self.deadline.borrow().is_some() || self.abandoned()
    }

    /// Whether the supervisor was dropped without [`Running::shutdown`] (the task serving the
    /// desk was cancelled, the process is ending): the jobs then start nothing new — steps in
    /// flight finish, no lease is given back, claims simply expire.
    pub fn abandoned(&self) -> bool {
        self.deadline.borrow().is_none() && self.deadline.has_changed().is_err()
    }

    /// Completes when the node starts shutting down.
    pub async fn stopped(&self) {
        let mut deadline = self.deadline.clone();
        // An error means the supervisor is gone: that is a stop too.
        let _ = deadline.wait_for(Option::is_some).await;
    }

    /// Completes when the grace period after the shutdown signal is over; never, when the
    /// supervisor was abandoned (no grace was set: steps in flight finish, or end with the
    /// runtime).
    pub async fn cut_off(&self) {
        self.stopped().await;
        let deadline = *self.deadline.borrow();
        match deadline {
            Some(deadline) => tokio::time::sleep_until(deadline).await,
            None => std::future::pending::<()>().await,
        }
    }
}

/// What the job loops share.
#[derive(Clone)]
struct Shared {
    app: App,
    node: Arc<str>,
    signal: Signal,
    tracked: Arc<Mutex<JoinSet<()>>>,
}

/// What a step gets: the app, the node's name for claims, the stop signal, and a way to start
/// side tasks the supervisor tracks.
pub struct Step {
    shared: Shared,
}

impl Step {
    /// The desk.
    pub fn app(&self) -> &App {
        &self.shared.app
    }

    /// The name this node claims work under (outbox messages, timers, mailboxes, leases).
    pub fn owner(&self) -> &str {
        &self.shared.node
    }

    /// Whether the node is shutting down: a step that handles many items stops before the next.
    pub fn stopping(&self) -> bool {
        self.shared.signal.stopping()
    }

    /// The stop signal, for side tasks.
    pub fn signal(&self) -> Signal {
        self.shared.signal.clone()
    }

    /// Starts `task` beside the job (reading one mailbox, say). It should end soon after
    /// [`Signal::stopped`]; at shutdown it is awaited, and past the grace period dropped at an
    /// await point.
    pub fn spawn(&self, what: String, task: impl Future<Output = ()> + Send + 'static) {
        let signal = self.signal();
        let mut tracked = self
            .shared
            .tracked
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // Forget the tasks that have ended, so a long-running node keeps no list of them.
        while tracked.try_join_next().is_some() {}
        tracked.spawn(async move {
            tokio::select! {
                () = task => {}
                () = signal.cut_off() => {
                    tracing::warn!(task = %what, "a task still running at the end of the shutdown grace was stopped");
                }
            }
        });
    }
}

type Starter = Box<dyn FnOnce(Shared) -> JoinHandle<()> + Send>;

/// Runs the jobs of one node. Build it with [`Supervisor::new`] and [`Supervisor::job`], then
/// [`Supervisor::start`] it.
pub struct Supervisor {
    app: App,
    node: String,
    grace: Duration,
    starters: Vec<Starter>,
}

impl Supervisor {
    /// A supervisor for `app` on the node named `node` (unique among the nodes: it owns the
    /// node's claims and leases).
    pub fn new(app: App, node: impl Into<String>) -> Self {
        Self {
            app,
            node: node.into(),
            grace: DEFAULT_GRACE,
            starters: Vec::new(),
        }
    }

    /// How long steps in flight may take to finish at shutdown (10 s unless set).
    #[must_use]
    pub fn with_grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// Adds a job.
    #[must_use]
    pub fn job<J: Job>(mut self, job: J) -> Self {
        self.starters.push(Box::new(move |shared| {
            tokio::spawn(watch_job(Arc::new(job), shared))
        }));
        self
    }

    /// Starts every job.
    pub fn start(self) -> Running {
        let (deadline, receiver) = watch::channel(None);
        let shared = Shared {
            app: self.app,
            node: Arc::from(self.node),
            signal: Signal { deadline: receiver },
            tracked: Arc::default(),
        };
        let loops = self
            .starters
            .into_iter()
            .map(|start| start(shared.clone()))
            .collect();
        Running {
            deadline,
            loops,
            shared,
            grace: self.grace,
        }
    }
}

/// The jobs of a node, running. Stop them with [`Running::shutdown`]; dropped without it, the
/// jobs start no new step, the steps in flight finish, and nothing is handed back (their claims
/// expire).
pub struct Running {
    deadline: watch::Sender<Option<Instant>>,
    loops: Vec<JoinHandle<()>>,
    shared: Shared,
    grace: Duration,
}

impl Running {
    /// The name the node claims work under.
    pub fn node(&self) -> &str {
        &self.shared.node
    }

    /// Stops every job gracefully: no new step starts; steps and side tasks in flight finish
    /// (those past the grace period are dropped at an await point); then every claim the node
    /// still holds is handed back so other nodes take the work over at once.
    pub async fn shutdown(self) {
        self.deadline
            .send_replace(Some(Instant::now() + self.grace));
        for job in self.loops {
            if let Err(e) = job.await {
                tracing::error!(error = %e, "a job's loop ended abnormally");
            }
        }
        let mut tracked = std::mem::take(
            &mut *self
                .shared
                .tracked
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        while let Some(ended) = tracked.join_next().await {
            if let Err(e) = ended {
                tracing::error!(error = %e, "a job's side task ended abnormally");
            }
        }
        match self.shared.app.hand_back_work(&self.shared.node).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "handed unfinished work back to the other nodes"),
            Err(e) => tracing::warn!(
                error = %e,
                "handing unfinished work back failed; it is taken over when its leases expire"
            ),
        }
    }
}

/// Runs a job's loop in a task of its own and, should the loop panic (a bug), records the panic
/// as a failure and starts the loop again after the backoff. The task is only ever awaited.
async fn watch_job<J: Job>(job: Arc<J>, shared: Shared) {
    let name = job.name();
    shared
        .app
        .worker_board()
        .register(name, job.lease().is_some());
    let mut wait = if job.first_step_waits() {
        job.interval()
    } else {
        Duration::ZERO
    };
    let mut panics = 0_u32;
    loop {
        let ended = tokio::spawn(run_job(job.clone(), shared.clone(), wait)).await;
        let Err(ended) = ended else {
            return;
        };
        if !ended.is_panic() {
            return;
        }
        panics = panics.saturating_add(1);
        let why = panic_text(ended.into_panic());
        let error = JobError::new(format!(
            "the job stopped on a bug (a panic: {why}); it is started again"
        ));
        tracing::error!(job = name, error = %error, "a background job panicked");
        wait = job.backoff().delay_now(panics);
        let now = shared.app.now();
        shared.app.worker_board().update(name, |h| {
            h.state = JobState::BackingOff;
            h.consecutive_failures = h.consecutive_failures.saturating_add(1);
            h.last_failure = Some(JobFailure {
                at: now,
                error: error.message().to_owned(),
            });
        });
    }
}

/// The message of a panic.
fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => payload
            .downcast_ref::<&str>()
            .map_or_else(|| "no message".to_owned(), |text| (*text).to_owned()),
    }
}

/// One job's loop, from a first wait of `wait` until shutdown.
async fn run_job<J: Job>(job: Arc<J>, shared: Shared, mut wait: Duration) {
    let job = &*job;
    let name = job.name();
    let lease = job.lease();
    let board = shared.app.worker_board();
    let step = Step {
        shared: shared.clone(),
    };
    let mut failures = 0_u32;
    let mut holding = false;
    loop {
        if !wait.is_zero() {
            let next = shared.app.now().plus_micros(micros(wait));
            board.update(name, |h| h.next_run = Some(next));
            let renewing = lease.filter(|_| holding);
            if !pause(&shared, name, wait, renewing, job.wakes_on_commit()).await {
                break;
            }
        }
        if shared.signal.stopping() {
            break;
        }
        if let Some(ttl) = lease {
            match shared.app.take_worker_lease(name, &shared.node, ttl).await {
                Ok(true) => holding = true,
                Ok(false) => {
                    // Another node runs the job; look again in a while, in case it stops.
                    holding = false;
                    board.update(name, |h| h.state = JobState::Idle);
                    wait = job.interval().min(ttl);
                    continue;
                }
                Err(e) => {
                    wait = failed(job, &shared, &mut failures, &JobError::from(e));
                    continue;
                }
            }
        }
        board.update(name, |h| {
            h.state = JobState::Running;
            h.next_run = None;
        });
        match step_once(job, &step, lease.filter(|_| holding)).await {
            StepEnd::CutOff => break,
            StepEnd::Done(Ok(progress)) => {
                failures = 0;
                let now = shared.app.now();
                board.update(name, |h| {
                    h.state = JobState::Idle;
                    h.last_success = Some(now);
                    h.consecutive_failures = 0;
                });
                wait = if progress.more {
                    // Let the other jobs have the runtime between full batches.
                    tokio::task::yield_now().await;
                    Duration::ZERO
                } else {
                    job.interval()
                };
            }
            StepEnd::Done(Err(e)) => wait = failed(job, &shared, &mut failures, &e),
            StepEnd::LeaseLost => {
                holding = false;
                let error = JobError::new(
                    "the job's lease was lost to another node while a step ran; the step was stopped",
                );
                wait = failed(job, &shared, &mut failures, &error);
            }
        }
    }
    if holding
        && !shared.signal.abandoned()
        && let Err(e) = shared.app.release_worker_lease(name, &shared.node).await
    {
        tracing::warn!(job = name, error = %e, "giving a job's lease back failed; it expires by itself");
    }
    board.update(name, |h| {
        h.state = JobState::Stopped;
        h.next_run = None;
    });
}

/// How a step ended.
enum StepEnd {
    /// It ran to its end.
    Done(Result<Progress, JobError>),
    /// The node lost the job's lease while it ran, so it was stopped at an await point.
    LeaseLost,
    /// It was still running at the end of the shutdown grace, so it was stopped at an await
    /// point.
    CutOff,
}

/// Records a failed step; returns the wait before the next.
fn failed<J: Job>(job: &J, shared: &Shared, failures: &mut u32, error: &JobError) -> Duration {
    *failures = failures.saturating_add(1);
    let delay = job.backoff().delay_now(*failures);
    let now = shared.app.now();
    let count = *failures;
    tracing::warn!(job = job.name(), failures = count, retry_in = ?delay, error = %error, "a background job failed; it backs off");
    shared.app.worker_board().update(job.name(), |h| {
        h.state = JobState::BackingOff;
        h.consecutive_failures = h.consecutive_failures.saturating_add(1);
        h.last_failure = Some(JobFailure {
            at: now,
            error: error.message().to_owned(),
        });
    });
    delay
}

/// Runs one step, renewing the job's lease (when `lease`) while it runs.
async fn step_once<J: Job>(job: &J, step: &Step, lease: Option<Duration>) -> StepEnd {
    let run = job.run_once(step);
    tokio::pin!(run);
    let every = lease.map(|ttl| (ttl / 3).max(Duration::from_millis(10)));
    let mut renewals = every.map(|every| tokio::time::interval_at(Instant::now() + every, every));
    loop {
        let renewal = async {
            match renewals.as_mut() {
                Some(renewals) => {
                    renewals.tick().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            result = &mut run => return StepEnd::Done(result),
            () = step.shared.signal.cut_off() => {
                tracing::warn!(job = job.name(), "a step still running at the end of the shutdown grace was stopped");
                return StepEnd::CutOff;
            }
            () = renewal => {
                let ttl = lease.unwrap_or_default();
                match step.app().take_worker_lease(job.name(), step.owner(), ttl).await {
                    Ok(true) => {}
                    Ok(false) => return StepEnd::LeaseLost,
                    Err(e) => {
                        tracing::warn!(job = job.name(), error = %e, "renewing a job's lease failed; it is tried again");
                    }
                }
            }
        }
    }
}

/// Waits `wait` (renewing the job's lease on the way when `lease`; ending early when `woken`
/// and changes commit on this node); `false` when the node started shutting down meanwhile.
async fn pause(
    shared: &Shared,
    name: &str,
    wait: Duration,
    lease: Option<Duration>,
    woken: bool,
) -> bool {
    let until = Instant::now() + wait;
    loop {
        let next = match lease {
            Some(ttl) => until.min(Instant::now() + ttl / 3),
            None => until,
        };
        let commit = async {
            let left = next.saturating_duration_since(Instant::now());
            if !(woken && shared.app.wait_for_local_commit(left).await) {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            () = commit => return true,
            () = tokio::time::sleep_until(next) => {}
            () = shared.signal.stopped() => return false,
        }
        if Instant::now() >= until {
            return true;
        }
        if let Some(ttl) = lease {
            match shared.app.take_worker_lease(name, &shared.node, ttl).await {
                Ok(true) => {}
                Ok(false) => tracing::info!(job = name, "another node took a job's lease over"),
                Err(e) => {
                    tracing::warn!(job = name, error = %e, "renewing a job's lease failed; it is tried again");
                }
            }
        }
    }
}

/// `duration` in microseconds, saturating.
fn micros(duration: Duration) -> i64 {
    i64::try_from(duration.as_micros()).unwrap_or(i64::MAX)
}

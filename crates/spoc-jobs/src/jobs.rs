//! The desk's jobs that need nothing beyond the app: statistics refresh, SLA timers, SOP review
//! scan and outbox delivery (through any [`MailTransport`]). Mail intake needs an IMAP client
//! and lives with it in the binary.

use std::time::Duration;

use spoc_app::MailTransport;

use crate::{Job, JobError, Progress, Step};

/// Refreshes the query planner's statistics every hour, on one node at a time.
#[derive(Clone, Copy, Debug, Default)]
pub struct Statistics;

impl Job for Statistics {
    fn name(&self) -> &'static str {
        "statistics"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(3600)
    }

    fn lease(&self) -> Option<Duration> {
        Some(Duration::from_secs(120))
    }

    /// Start-up has just refreshed them.
    fn first_step_waits(&self) -> bool {
        true
    }

    async fn run_once(&self, step: &Step) -> Result<Progress, JobError> {
        step.app().refresh_statistics().await?;
        Ok(Progress::done(1))
    }
}

/// Fires the SLA warnings and breaches that are due. Tickets are claimed one batch at a time
/// through leases, so every node runs it.
#[derive(Clone, Copy, Debug)]
pub struct SlaTimers {
    /// How often it looks for due timers.
    pub interval: Duration,
    /// Tickets one claim takes.
    pub batch: i64,
}

impl Default for SlaTimers {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(15),
            batch: 200,
        }
    }
}

impl Job for SlaTimers {
    fn name(&self) -> &'static str {
        "sla-timers"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    async fn run_once(&self, step: &Step) -> Result<Progress, JobError> {
        let fired = step
            .app()
            .run_due_timers_until(step.owner(), self.batch, &|| step.stopping())
            .await?;
        Ok(progress(fired, self.batch))
    }
}

/// Opens the SOP reviews that are due or that operational signals call for, every minute, on
/// one node at a time (each SOP is also claimed, and each review is unique per crossing).
#[derive(Clone, Copy, Debug)]
pub struct SopReviews {
    /// How often it scans.
    pub interval: Duration,
    /// SOPs one claim takes.
    pub batch: i64,
}

impl Default for SopReviews {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(60),
            batch: 50,
        }
    }
}

impl Job for SopReviews {
    fn name(&self) -> &'static str {
        "sop-reviews"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn lease(&self) -> Option<Duration> {
        Some(Duration::from_secs(120))
    }

    async fn run_once(&self, step: &Step) -> Result<Progress, JobError> {
        let opened = step
            .app()
            .scan_sop_reviews_until(step.owner(), self.batch, &|| step.stopping())
            .await?;
        Ok(Progress::done(opened))
    }
}

/// Closes resolved tickets after the period the admin set (default 7 days; 0 = never), telling
/// each requester a day before. On one node at a time (a lease); each notice and close is also
/// decided under the ticket's row lock, so a second run, or another node, does nothing twice.
#[derive(Clone, Copy, Debug)]
pub struct AutoClose {
    /// How often it looks.
    pub interval: Duration,
    /// Resolved tickets one run looks at per tenant.
    pub batch: i64,
}

impl Default for AutoClose {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(300),
            batch: 500,
        }
    }
}

impl Job for AutoClose {
    fn name(&self) -> &'static str {
        "auto-close"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn lease(&self) -> Option<Duration> {
        Some(Duration::from_secs(120))
    }

    async fn run_once(&self, step: &Step) -> Result<Progress, JobError> {
        let run = step.app().run_auto_close(self.batch).await?;
        Ok(Progress::done(run.noticed + run.closed))
    }
}

/// Sends the queued e-mails through `transport`. Messages are claimed through leases, so every
/// node runs it.
#[derive(Clone, Debug)]
pub struct MailDelivery<T> {
    /// The relay.
    pub transport: T,
    /// How often it looks for queued mail.
    pub interval: Duration,
    /// E-mails one claim takes.
    pub batch: i64,
}

impl<T> MailDelivery<T> {
    /// Delivery through `transport`, every two seconds, fifty at a time.
    pub fn new(transport: T) -> Self {
        Self {
            transport,
            interval: Duration::from_secs(2),
            batch: 50,
        }
    }
}

impl<T: MailTransport + 'static> Job for MailDelivery<T> {
    fn name(&self) -> &'static str {
        "mail-delivery"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    async fn run_once(&self, step: &Step) -> Result<Progress, JobError> {
        let stats = step
            .app()
            .deliver_mail_until(&self.transport, step.owner(), self.batch, &|| {
                step.stopping()
            })
            .await?;
        if stats.retrying > 0 || stats.dead > 0 {
            tracing::warn!(
                sent = stats.sent,
                retrying = stats.retrying,
                dead = stats.dead,
                "some e-mails could not be delivered"
            );
        }
        Ok(progress(stats.handled(), self.batch))
    }
}

/// `handled` items of a batch of `batch`: a full batch means more may be waiting.
fn progress(handled: usize, batch: i64) -> Progress {
    if i64::try_from(handled).unwrap_or(i64::MAX) >= batch {
        Progress::more(handled)
    } else {
        Progress::done(handled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_batch_asks_for_another_step_at_once() {
        assert_eq!(progress(50, 50), Progress::more(50));
        assert_eq!(progress(49, 50), Progress::done(49));
        assert_eq!(progress(0, 50), Progress::done(0));
    }
}

/// Applies each tenant's retention rule to its closed tickets (anonymise or delete after N
/// months; off by default), a batch to a transaction. On one node at a time (a lease); a batch
/// picks only tickets still due, so a second run does nothing twice.
#[derive(Clone, Copy, Debug)]
pub struct Retention {
    /// How often it looks.
    pub interval: Duration,
    /// Tickets in one transaction.
    pub batch: i64,
    /// Tickets one run handles per tenant.
    pub limit: u64,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(3600),
            batch: 100,
            limit: 5000,
        }
    }
}

impl Job for Retention {
    fn name(&self) -> &'static str {
        "retention"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn lease(&self) -> Option<Duration> {
        Some(Duration::from_secs(600))
    }

    async fn run_once(&self, step: &Step) -> Result<Progress, JobError> {
        let run = step.app().run_retention(self.batch, self.limit).await?;
        Ok(Progress::done(
            usize::try_from(run.anonymised + run.deleted).unwrap_or(usize::MAX),
        ))
    }
}

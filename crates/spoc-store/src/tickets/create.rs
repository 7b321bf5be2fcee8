//! Logging tickets: one at a time, in bulk, and on SQLite through the group-commit writer.

use crate::db::{CommitCounter, Sql, Tx};
use crate::{Store, StoreError};

use super::write::insert_ticket;
use super::{TicketDraft, Updated};

/// One ticket creation waiting for the SQLite group-commit writer.
#[derive(Debug)]
pub(crate) struct CreateJob {
    draft: TicketDraft,
    reply: tokio::sync::oneshot::Sender<Result<Updated, StoreError>>,
}

/// The most creations one group commit takes.
const MAX_GROUP_COMMIT: usize = 128;

/// SQLite's group-commit writer for ticket creations. SQLite commits one transaction at a time,
/// so at high concurrency the cost is the commit, not the insert. This task takes every creation
/// waiting when the previous commit finished, writes each inside its own savepoint (one bad
/// draft fails alone) and commits them together; each caller is answered only after that
/// commit, so an answered creation is as durable as with one transaction per ticket. If the
/// group's commit fails, each creation is retried in a transaction of its own, so every caller
/// gets its own true outcome.
pub(crate) async fn run_group_commits(
    write: sqlx::Pool<sqlx::Sqlite>,
    commits: CommitCounter,
    mut jobs: tokio::sync::mpsc::Receiver<CreateJob>,
) {
    while let Some(first) = jobs.recv().await {
        let mut group = vec![first];
        while group.len() < MAX_GROUP_COMMIT {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let drafts: Vec<TicketDraft> = group.iter().map(|job| job.draft.clone()).collect();
        match create_group(&write, &commits, drafts).await {
            Ok(results) => {
                for (job, result) in group.into_iter().zip(results) {
                    let _ = job.reply.send(result);
                }
            }
            Err(e) if e.is_transient() => {
                // The database is locked, unreachable or full: writing the drafts one by one
                // would only make each caller wait again. Every caller gets the same answer.
                tracing::warn!(error = %e, n = group.len(), "group commit failed: database unavailable");
                for job in group {
                    let _ = job.reply.send(Err(e.transient_copy()));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, n = group.len(), "group commit failed; retrying one by one");
                for job in group {
                    let _ = job
                        .reply
                        .send(create_alone(&write, &commits, job.draft).await);
                }
            }
        }
    }
}

/// Writes one draft in a transaction of its own, as without group commit.
async fn create_alone(
    write: &sqlx::Pool<sqlx::Sqlite>,
    commits: &CommitCounter,
    draft: TicketDraft,
) -> Result<Updated, StoreError> {
    let mut tx = Tx::begin_sqlite(write, commits).await?;
    let created = insert_ticket(&mut tx, draft).await?;
    tx.commit().await?;
    Ok(created)
}

/// Writes `drafts` in one SQLite transaction, each in a savepoint. The outer error is the
/// transaction's; the inner results are each creation's.
async fn create_group(
    write: &sqlx::Pool<sqlx::Sqlite>,
    commits: &CommitCounter,
    drafts: Vec<TicketDraft>,
) -> Result<Vec<Result<Updated, StoreError>>, StoreError> {
    let mut tx = Tx::begin_sqlite(write, commits).await?;
    let mut results = Vec::with_capacity(drafts.len());
    for draft in drafts {
        tx.execute(Sql::new("SAVEPOINT creation")).await?;
        match insert_ticket(&mut tx, draft).await {
            Ok(created) => {
                tx.execute(Sql::new("RELEASE SAVEPOINT creation")).await?;
                results.push(Ok(created));
            }
            Err(e) => {
                tx.execute(Sql::new("ROLLBACK TO SAVEPOINT creation"))
                    .await?;
                tx.execute(Sql::new("RELEASE SAVEPOINT creation")).await?;
                results.push(Err(e));
            }
        }
    }
    tx.commit().await?;
    Ok(results)
}

impl Store {
    /// Logs a new ticket exactly as the domain opened it, with its first events, search entry,
    /// clocks, outbox messages and mail, in one transaction (on SQLite through the group-commit
    /// writer, see [`run_group_commits`]).
    pub async fn create_ticket(&self, draft: TicketDraft) -> Result<Updated, StoreError> {
        if let Self::Sqlite(db) = self
            && let Some(creations) = &db.creations
        {
            let (reply, answer) = tokio::sync::oneshot::channel();
            creations
                .send(CreateJob { draft, reply })
                .await
                .map_err(|_| StoreError::Unavailable(sqlx::Error::PoolClosed))?;
            return answer
                .await
                .map_err(|_| StoreError::Unavailable(sqlx::Error::PoolClosed))?;
        }
        let mut tx = self.begin().await?;
        let created = insert_ticket(&mut tx, draft).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Logs many tickets in one transaction (bulk loading for benchmarks and imports).
    pub async fn create_tickets_bulk(&self, drafts: Vec<TicketDraft>) -> Result<usize, StoreError> {
        let n_tickets = drafts.len();
        let mut tx = self.begin().await?;
        for draft in drafts {
            insert_ticket(&mut tx, draft).await?;
        }
        tx.commit().await?;
        Ok(n_tickets)
    }
}

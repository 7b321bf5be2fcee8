//! Background workers in storage: the named leases that let exactly one node at a time run a job
//! that must not run twice at once (statistics refresh, SOP review scan, …), and the hand-back of
//! everything a stopping node still holds, so another node takes its work over at once instead
//! of waiting for the leases to expire.

use spoc_domain::Timestamp;

use crate::db::Sql;
use crate::{Store, StoreError};

/// A held worker lease.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerLeaseRecord {
    /// The job's name.
    pub name: String,
    /// The worker (node) holding it.
    pub owner: String,
    /// When it ends unless renewed.
    pub expires_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct WorkerLeaseRow {
    name: String,
    owner: String,
    expires_at: i64,
}

impl Store {
    /// Takes the lease `name` for `owner` until `until`, or renews it when `owner` holds it
    /// already. `false` when another owner holds it and it has not expired at `now`. Two
    /// workers racing for a free lease never both get it (one upsert decides).
    pub async fn take_worker_lease(
        &self,
        name: &str,
        owner: &str,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<bool, StoreError> {
        let taken: Option<(String,)> = self
            .writer()
            .fetch_optional(
                Sql::new(
                    "INSERT INTO worker_leases (name, owner, expires_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at \
                     WHERE worker_leases.owner = excluded.owner OR worker_leases.expires_at < $4 \
                     RETURNING name",
                )
                .bind(name)
                .bind(owner)
                .bind(until.as_micros())
                .bind(now.as_micros()),
            )
            .await?;
        Ok(taken.is_some())
    }

    /// Gives the lease `name` back, if `owner` holds it.
    pub async fn release_worker_lease(&self, name: &str, owner: &str) -> Result<(), StoreError> {
        self.writer()
            .execute(
                Sql::new("DELETE FROM worker_leases WHERE name = $1 AND owner = $2")
                    .bind(name)
                    .bind(owner),
            )
            .await?;
        Ok(())
    }

    /// Every worker lease held (expired ones included until taken over), by name.
    pub async fn worker_leases(&self) -> Result<Vec<WorkerLeaseRecord>, StoreError> {
        let rows: Vec<WorkerLeaseRow> = self
            .read()
            .fetch_all(Sql::new(
                "SELECT name, owner, expires_at FROM worker_leases ORDER BY name",
            ))
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| WorkerLeaseRecord {
                name: r.name,
                owner: r.owner,
                expires_at: Timestamp::from_micros(r.expires_at),
            })
            .collect())
    }

    /// Hands back, in one transaction, every claim `owner` still holds: outbox messages not yet
    /// delivered, SLA timers, mailbox polls, SOP review scans and worker leases. Another node
    /// takes each over at its next look. Returns how many claims were handed back.
    pub async fn hand_back_claims(&self, owner: &str) -> Result<u64, StoreError> {
        const RELEASES: [&str; 5] = [
            "UPDATE outbox SET lease_owner = NULL, locked_until = NULL \
             WHERE lease_owner = $1 AND done_at IS NULL AND dead_at IS NULL \
             /* all-tenants: a node's claims, whichever tenant's */",
            "UPDATE ticket_sla SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1",
            "UPDATE mailboxes SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1 \
             /* all-tenants: a node's claims, whichever tenant's */",
            "UPDATE sops SET scan_lease_owner = NULL, scan_lease_until = NULL \
             WHERE scan_lease_owner = $1 /* all-tenants: a node's claims, whichever tenant's */",
            "DELETE FROM worker_leases WHERE owner = $1",
        ];
        let mut tx = self.begin().await?;
        let mut handed_back = 0;
        for sql in RELEASES {
            handed_back += tx.execute(Sql::new(sql).bind(owner)).await?;
        }
        tx.commit().await?;
        Ok(handed_back)
    }
}

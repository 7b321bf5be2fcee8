//! SOP reviews: the scan's claims by lease, the reviews it opens (one per crossing) and their
//! overdue notices, and the list of reviews.

use spoc_domain::access::{Principal, SystemActor};
use spoc_domain::sop::ReviewTrigger;
use spoc_domain::{SopId, TenantId, TicketId, Timestamp, UserId};

use super::{ReviewRow, SopReviewRecord, corrupt, insert_notifications};
use crate::changes::{Change, Entity};
use crate::db::Sql;
use crate::{NewNotification, Store, StoreError};

impl Store {
    /// Claims up to `limit` SOPs for a review scan by `owner` until `lease_until`: SOPs not
    /// leased by a live scanner, of every tenant, each with its tenant. One SOP is scanned by one
    /// scanner at a time, on one node or several.
    pub async fn claim_sop_scans(
        &self,
        now: Timestamp,
        owner: &str,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<(TenantId, i64)>, StoreError> {
        let skip_locked = self.read().dialect().skip_locked();
        let sql = format!(
            "UPDATE sops SET scan_lease_owner = $1, scan_lease_until = $2 \
             WHERE (scan_lease_until IS NULL OR scan_lease_until < $3) AND id IN ( \
               SELECT id FROM sops WHERE (scan_lease_until IS NULL OR scan_lease_until < $3) \
               ORDER BY id LIMIT $4{skip_locked}) \
             /* all-tenants: the review scan claims every tenant's SOPs */ \
             RETURNING id, tenant_id"
        );
        let mut tx = self.begin().await?;
        let claimed: Vec<(i64, i64)> = tx
            .fetch_all(
                Sql::new(sql)
                    .bind(owner)
                    .bind(lease_until.as_micros())
                    .bind(now.as_micros())
                    .bind(limit),
            )
            .await?;
        tx.commit().await?;
        Ok(claimed
            .into_iter()
            .map(|(id, tenant)| (TenantId::new(tenant), id))
            .collect())
    }

    /// Ends a scan lease.
    pub async fn release_sop_scan(&self, sop: i64, owner: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(Sql::new("UPDATE sops SET scan_lease_owner = NULL, scan_lease_until = NULL WHERE id = $1 AND scan_lease_owner = $2 \
             /* all-tenants: a claim of this node's review scan */").bind(sop).bind(owner))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest signal event already counted by a review of `cause` for this SOP.
    pub async fn last_review_event(
        &self,
        sop: i64,
        cause: ReviewTrigger,
    ) -> Result<Option<i64>, StoreError> {
        self.read()
            .fetch_scalar(
                Sql::new(
                    "SELECT MAX(last_event_id) FROM sop_reviews WHERE sop_id = $1 AND cause = $2",
                )
                .bind(sop)
                .bind(cause.as_str()),
            )
            .await
    }

    /// Opens a review unless one with the same crossing key exists; links the tickets and
    /// writes the notifications only if it was opened. Returns the new review's id.
    #[allow(clippy::too_many_arguments)]
    pub async fn open_review(
        &self,
        sop: i64,
        cause: ReviewTrigger,
        crossing_key: &str,
        last_event_id: Option<i64>,
        due_at: Option<Timestamp>,
        tickets: &[TicketId],
        notifications: &[NewNotification],
        now: Timestamp,
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.begin().await?;
        let id: Option<i64> = tx.fetch_optional_scalar(Sql::new("INSERT INTO sop_reviews (sop_id, cause, crossing_key, last_event_id, status, due_at, created_at) \
             VALUES ($1, $2, $3, $4, 'open', $5, $6) ON CONFLICT (sop_id, crossing_key) DO NOTHING RETURNING id",).bind(sop).bind(cause.as_str()).bind(crossing_key).bind(last_event_id).bind(due_at.map(|t| t.as_micros())).bind(now.as_micros()))
        .await?;
        if let Some(id) = id {
            for ticket in tickets {
                tx.execute(
                    Sql::new(
                        "INSERT INTO sop_review_tickets (review_id, ticket_id) VALUES ($1, $2)",
                    )
                    .bind(id)
                    .bind(ticket.get()),
                )
                .await?;
            }
            insert_notifications(&mut tx, notifications, now.as_micros()).await?;
        }
        if id.is_some() {
            let tenant: i64 = tx
                .fetch_scalar(
                    Sql::new(
                        "SELECT tenant_id FROM sops WHERE id = $1 \
                         /* all-tenants: the SOP's own tenant, for its change */",
                    )
                    .bind(sop),
                )
                .await?;
            // Only the review scan opens reviews: the system acts.
            tx.changed(Change {
                actor: Some(Principal::System(SystemActor::SopReview)),
                ..Change::of(TenantId::new(tenant), Entity::Sop, sop, "review_opened")
            });
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Marks an open scheduled review as notified overdue (once); returns whether this call did.
    pub async fn mark_review_overdue_notified(
        &self,
        review: i64,
        notifications: &[NewNotification],
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx.execute(Sql::new("UPDATE sop_reviews SET overdue_notified_at = $1 WHERE id = $2 AND overdue_notified_at IS NULL AND status = 'open'").bind(now.as_micros()).bind(review))
            .await?;
        let marked = done == 1;
        if marked {
            insert_notifications(&mut tx, notifications, now.as_micros()).await?;
        }
        tx.commit().await?;
        Ok(marked)
    }

    /// Reviews, newest first: open ones only when `open_only`; of one SOP when given.
    pub async fn list_reviews(
        &self,
        sop: Option<SopId>,
        open_only: bool,
    ) -> Result<Vec<SopReviewRecord>, StoreError> {
        let mut qb = Sql::new(
            "SELECT id, sop_id, cause, crossing_key, status, due_at, created_at, closed_at, closed_by, note FROM sop_reviews WHERE 1 = 1",
        );
        if let Some(sop) = sop {
            qb.push(" AND sop_id = ").push_bind(sop.get());
        }
        if open_only {
            qb.push(" AND status = 'open'");
        }
        qb.push(" ORDER BY id DESC LIMIT 500");
        let rows: Vec<ReviewRow> = self.read().fetch_all(qb).await?;
        let links: Vec<(i64, i64)> = self
            .read()
            .fetch_all(Sql::new(
                "SELECT review_id, ticket_id FROM sop_review_tickets ORDER BY review_id, ticket_id",
            ))
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(SopReviewRecord {
                    id: r.id,
                    sop_id: SopId::new(r.sop_id),
                    cause: ReviewTrigger::parse(&r.cause).map_err(corrupt)?,
                    crossing_key: r.crossing_key,
                    open: r.status == "open",
                    due_at: r.due_at.map(Timestamp::from_micros),
                    created_at: Timestamp::from_micros(r.created_at),
                    closed_at: r.closed_at.map(Timestamp::from_micros),
                    closed_by: r.closed_by.map(UserId::new),
                    note: r.note,
                    tickets: links
                        .iter()
                        .filter(|(id, _)| *id == r.id)
                        .map(|(_, t)| TicketId::new(*t))
                        .collect(),
                })
            })
            .collect()
    }
}

//! SOP reviews and outcomes: the leased scan that opens scheduled reviews and early reviews on
//! operational signals (each crossing once) and tells owners; the outcomes of each version.

use crate::auth::permit;
use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::metrics;
use spoc_domain::sop::{self, ReviewDue, ReviewTrigger, Signal};
use spoc_domain::{SopId, TenantId, Timestamp};
use spoc_store::NewNotification;

use crate::sop::{SopOutcomeRow, TOPIC_REVIEW, require_staff, sop_not_found};
use crate::{App, AppError};

impl App {
    /// One pass of the review scan: claims SOPs by lease, opens the reviews that are due or
    /// called for (each crossing exactly once) and tells their owners. Returns how many reviews
    /// were opened or notified.
    pub async fn scan_sop_reviews(&self, owner: &str, limit: i64) -> Result<usize, AppError> {
        self.scan_sop_reviews_until(owner, limit, &|| false).await
    }

    /// [`App::scan_sop_reviews`], stopping before the next SOP once `stopping` says so (the
    /// node is shutting down); the SOPs left over stay claimed by `owner` until it hands them
    /// back.
    pub async fn scan_sop_reviews_until(
        &self,
        owner: &str,
        limit: i64,
        stopping: &(dyn Fn() -> bool + Sync),
    ) -> Result<usize, AppError> {
        let now = self.now();
        let lease_until = now.plus_micros(5 * 60 * 1_000_000);
        let claimed = self
            .store
            .claim_sop_scans(now, owner, lease_until, limit)
            .await?;
        let mut n_done = 0;
        for (tenant, id) in claimed {
            if stopping() {
                break;
            }
            let result = self.scan_one(tenant, id, now).await;
            self.store.release_sop_scan(id, owner).await?;
            n_done += result?;
        }
        Ok(n_done)
    }

    async fn scan_one(&self, tenant: TenantId, id: i64, now: Timestamp) -> Result<usize, AppError> {
        let record = self.store.get_sop(tenant, SopId::new(id)).await?;
        if record.effective_version.is_none() {
            return Ok(0);
        }
        let mut n_done = 0;
        let tell = |message: String| {
            let mut people = vec![record.owner_id];
            if let Some(approver) = record.approver_id
                && approver != record.owner_id
            {
                people.push(approver);
            }
            people
                .into_iter()
                .map(|user_id| NewNotification {
                    user_id,
                    topic: TOPIC_REVIEW.to_owned(),
                    message: message.clone(),
                })
                .collect::<Vec<_>>()
        };
        if let Some(next) = record.next_review_at {
            let due = sop::review_due(next, now);
            if due != ReviewDue::NotDue {
                let key = format!("scheduled:{}", next.as_micros());
                let opened = self
                    .store
                    .open_review(
                        id,
                        ReviewTrigger::Scheduled,
                        &key,
                        None,
                        Some(next),
                        &[],
                        &tell(format!(
                            "The scheduled review of SOP “{}” is due{}",
                            record.title,
                            if due == ReviewDue::Overdue {
                                " and overdue"
                            } else {
                                " within two weeks"
                            }
                        )),
                        now,
                    )
                    .await?;
                n_done += usize::from(opened.is_some());
                if due == ReviewDue::Overdue {
                    match opened {
                        // Opened overdue: the message just sent said so already.
                        Some(review) => {
                            self.store
                                .mark_review_overdue_notified(review, &[], now)
                                .await?;
                        }
                        None => {
                            let open = self.store.list_reviews(Some(SopId::new(id)), true).await?;
                            if let Some(review) = open.iter().find(|r| r.crossing_key == key)
                                && self
                                    .store
                                    .mark_review_overdue_notified(
                                        review.id,
                                        &tell(format!(
                                            "The scheduled review of SOP “{}” is overdue",
                                            record.title
                                        )),
                                        now,
                                    )
                                    .await?
                            {
                                n_done += 1;
                            }
                        }
                    }
                }
            }
        }
        let window = record.policy.window_days;
        let events = self
            .store
            .sop_signal_events(id, now.plus_micros(-window * sop::DAY_MICROS))
            .await?;
        for (trigger, threshold, what) in [
            (
                ReviewTrigger::SlaBreaches,
                record.policy.breach_threshold,
                "SLA breaches",
            ),
            (
                ReviewTrigger::Reopenings,
                record.policy.reopen_threshold,
                "reopenings",
            ),
        ] {
            let Some(threshold) = threshold else { continue };
            let signals: Vec<Signal> = events
                .iter()
                .filter(|(_, _, _, data)| sop::is_signal(trigger, data))
                .map(|(ticket_id, event_id, at, _)| Signal {
                    ticket_id: *ticket_id,
                    event_id: *event_id,
                    at: *at,
                })
                .collect();
            let since = self.store.last_review_event(id, trigger).await?;
            let Some(crossing) = sop::crossing(trigger, &signals, threshold, window, since, now)
            else {
                continue;
            };
            let last = signals
                .iter()
                .filter(|s| since.is_none_or(|e| s.event_id > e))
                .map(|s| s.event_id)
                .max();
            let opened = self
                .store
                .open_review(
                    id,
                    trigger,
                    &crossing.key,
                    last,
                    None,
                    &crossing.tickets,
                    &tell(format!(
                        "SOP “{}” needs an early review: {threshold} or more {what} among its tickets in {window} days",
                        record.title
                    )),
                    now,
                )
                .await?;
            n_done += usize::from(opened.is_some());
        }
        Ok(n_done)
    }

    // ----- outcomes ---------------------------------------------------------------------------

    /// The outcomes of every version of every SOP (or of one), newest version first within each
    /// SOP, so each row can be read beside the one after it (the previous version). Staff only.
    pub async fn sop_outcomes(
        &self,
        actor: &Actor,
        only: Option<i64>,
    ) -> Result<Vec<SopOutcomeRow>, AppError> {
        permit(actor, Some(Resource::Sops), Access::Read)?;
        require_staff(actor)?;
        let sops = match only {
            Some(id) => vec![
                self.store
                    .get_sop(actor.tenant_id, SopId::new(id))
                    .await
                    .map_err(sop_not_found)?,
            ],
            None => self.store.list_sops(actor.tenant_id).await?,
        };
        let mut rows = Vec::new();
        for record in sops {
            let histories = self.store.sop_histories(record.id.get()).await?;
            let versions = self.store.sop_versions(record.id).await?;
            for version in versions.iter().rev() {
                if version.effective_at.is_none() {
                    continue;
                }
                let handled: Vec<_> = histories
                    .iter()
                    .filter(|(v, _)| *v == version.version)
                    .map(|(_, h)| h.clone())
                    .collect();
                rows.push(SopOutcomeRow {
                    sop_id: record.id.get(),
                    title: version.content.title.clone(),
                    version: version.version,
                    state: version.state,
                    effective_at: version.effective_at,
                    tickets: handled.iter().map(|h| h.ticket_id).collect(),
                    outcomes: metrics::outcomes(&handled),
                });
            }
        }
        Ok(rows)
    }
}

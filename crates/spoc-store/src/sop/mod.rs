//! SOPs: document control, versions, the governance log, links to ticket kinds and categories,
//! and reviews (scheduled and triggered, one per crossing; scans claimed by lease). A ticket's
//! SOP version and checklist are `ticket_sop`.

mod provider;
mod reviews;

use spoc_domain::access::Principal;
use spoc_domain::document::{CREATED, DocumentId, DocumentKind, LogEntry, Versioned};
use spoc_domain::sop::{ReviewPolicy, ReviewTrigger, SopContent, SopLink, VersionState};
use spoc_domain::ticket::TicketKind;
use spoc_domain::{CategoryId, SopId, TenantId, TicketId, Timestamp, UserId};

use crate::changes::{Change, Entity};
use crate::db::{Sql, Tx};
use crate::document::{insert_log, log_in, select_version, select_versions};
use crate::{NewNotification, Store, StoreError};

/// Closes the SOP's open reviews inside the transaction.
async fn close_open_reviews(
    tx: &mut Tx,
    sop: i64,
    actor: Option<i64>,
    at: i64,
    note: &str,
) -> Result<(), StoreError> {
    tx.execute(
        Sql::new(
            "UPDATE sop_reviews SET status = 'done', closed_at = $1, closed_by = $2, note = $3 \
             WHERE sop_id = $4 AND status = 'open'",
        )
        .bind(at)
        .bind(actor)
        .bind(note)
        .bind(sop),
    )
    .await?;
    Ok(())
}

/// Inserts one link of an SOP inside the transaction.
async fn insert_link(tx: &mut Tx, sop: i64, link: &SopLink) -> Result<(), StoreError> {
    tx.execute(
        Sql::new(
            "INSERT INTO sop_links (sop_id, kind, category_id, subcategory_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(sop)
        .bind(link.kind.map(|k| k.as_str()))
        .bind(link.category_id.map(CategoryId::get))
        .bind(link.subcategory_id.map(CategoryId::get)),
    )
    .await?;
    Ok(())
}

/// One SOP's document control.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SopRecord {
    /// Id.
    pub id: SopId,
    /// Stable key, e.g. `password-reset`.
    pub key: String,
    /// Title of the latest version.
    pub title: String,
    /// The accountable owner.
    pub owner_id: UserId,
    /// The subject-matter reviewer.
    pub reviewer_id: Option<UserId>,
    /// The approver.
    pub approver_id: Option<UserId>,
    /// The version in force, if any.
    pub effective_version: Option<i64>,
    /// The newest version.
    pub latest_version: i64,
    /// Review cadence and triggers.
    pub policy: ReviewPolicy,
    /// When the owner's next scheduled review falls.
    pub next_review_at: Option<Timestamp>,
    /// Created.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
    /// The tenant that owns and governs it.
    pub tenant_id: TenantId,
    /// Whether the provider applies it (effective version, read-only) in every tenant.
    pub provider_wide: bool,
}

/// One version of an SOP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SopVersionRecord {
    /// The SOP.
    pub sop_id: SopId,
    /// 1, 2, …
    pub version: i64,
    /// Where it is.
    pub state: VersionState,
    /// Its content.
    pub content: SopContent,
    /// What changed.
    pub change_summary: String,
    /// Who wrote it (`None`: imported).
    pub author_id: Option<UserId>,
    /// When.
    pub created_at: Timestamp,
    /// When it became effective.
    pub effective_at: Option<Timestamp>,
    /// When it stopped being effective.
    pub superseded_at: Option<Timestamp>,
}

/// One governance step: `created`, `drafted`, `edited`, `restored`, `submit`, `check`,
/// `validate`, `approve`, `retire`, `return`, `reviewed`, `settings`.
pub type SopLogRecord = LogEntry;

impl Versioned for SopVersionRecord {
    type Content = SopContent;

    fn number(&self) -> i64 {
        self.version
    }

    fn content(&self) -> &SopContent {
        &self.content
    }

    fn change_note(&self) -> &str {
        &self.change_summary
    }

    fn author(&self) -> Option<UserId> {
        self.author_id
    }

    fn written_at(&self) -> Timestamp {
        self.created_at
    }
}

/// A review, due or called for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SopReviewRecord {
    /// Id.
    pub id: i64,
    /// The SOP.
    pub sop_id: SopId,
    /// Why.
    pub cause: ReviewTrigger,
    /// Names the crossing (or the scheduled date).
    pub crossing_key: String,
    /// `open` or `done`.
    pub open: bool,
    /// When it is due (scheduled reviews).
    pub due_at: Option<Timestamp>,
    /// When it was opened.
    pub created_at: Timestamp,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
    /// By whom.
    pub closed_by: Option<UserId>,
    /// What the owner concluded.
    pub note: Option<String>,
    /// The tickets whose signals called for it.
    pub tickets: Vec<TicketId>,
}

/// A new SOP with its first version.
#[derive(Clone, Debug)]
pub struct NewSop {
    /// Stable key.
    pub key: String,
    /// Version 1.
    pub content: SopContent,
    /// Its change summary.
    pub change_summary: String,
    /// The owner.
    pub owner_id: UserId,
    /// The reviewer.
    pub reviewer_id: Option<UserId>,
    /// The approver.
    pub approver_id: Option<UserId>,
    /// Review policy.
    pub policy: ReviewPolicy,
    /// Where it applies.
    pub links: Vec<SopLink>,
    /// Who wrote it (`None`: imported).
    pub author_id: Option<UserId>,
    /// When.
    pub now: Timestamp,
}

/// What to write to an SOP, decided under its row lock.
#[derive(Clone, Debug, Default)]
pub struct SopWrite {
    /// A new latest version (content, summary); it starts as a draft.
    pub new_version: Option<(SopContent, String)>,
    /// Revise a draft version in place: version, content, summary.
    pub replace_draft: Option<(i64, SopContent, String)>,
    /// A version's new state.
    pub set_state: Option<(i64, VersionState)>,
    /// Make this version effective: the previous effective version is superseded, open
    /// reviews are closed with the note, and the next review is scheduled at the time given.
    pub make_effective: Option<(i64, Timestamp, String)>,
    /// Retire the effective version (the SOP stops applying).
    pub retire: bool,
    /// New owner, reviewer and approver.
    pub roles: Option<(UserId, Option<UserId>, Option<UserId>)>,
    /// New review policy.
    pub policy: Option<ReviewPolicy>,
    /// New links.
    pub links: Option<Vec<SopLink>>,
    /// A new date for the next scheduled review.
    pub next_review_at: Option<Option<Timestamp>>,
    /// Close open reviews with this note (the owner recorded a review).
    pub close_reviews: Option<String>,
    /// Log entries: version, action, comment.
    pub log: Vec<(i64, String, Option<String>)>,
    /// In-app notifications.
    pub notifications: Vec<NewNotification>,
}

#[derive(sqlx::FromRow)]
struct SopRow {
    id: i64,
    key: String,
    title: String,
    owner_id: i64,
    reviewer_id: Option<i64>,
    approver_id: Option<i64>,
    effective_version: Option<i64>,
    latest_version: i64,
    review_interval_months: i64,
    breach_threshold: Option<i64>,
    reopen_threshold: Option<i64>,
    window_days: i64,
    next_review_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
    tenant_id: i64,
    provider_wide: bool,
}

const SOP_COLUMNS: &str = "id, key, title, owner_id, reviewer_id, approver_id, effective_version, \
    latest_version, review_interval_months, breach_threshold, reopen_threshold, window_days, \
    next_review_at, created_at, updated_at, tenant_id, provider_wide";

impl From<SopRow> for SopRecord {
    fn from(r: SopRow) -> Self {
        Self {
            id: SopId::new(r.id),
            key: r.key,
            title: r.title,
            owner_id: UserId::new(r.owner_id),
            reviewer_id: r.reviewer_id.map(UserId::new),
            approver_id: r.approver_id.map(UserId::new),
            effective_version: r.effective_version,
            latest_version: r.latest_version,
            policy: ReviewPolicy {
                interval_months: r.review_interval_months,
                breach_threshold: r.breach_threshold,
                reopen_threshold: r.reopen_threshold,
                window_days: r.window_days,
            },
            next_review_at: r.next_review_at.map(Timestamp::from_micros),
            created_at: Timestamp::from_micros(r.created_at),
            updated_at: Timestamp::from_micros(r.updated_at),
            tenant_id: TenantId::new(r.tenant_id),
            provider_wide: r.provider_wide,
        }
    }
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    sop_id: i64,
    version: i64,
    state: String,
    content: String,
    change_summary: String,
    author_id: Option<i64>,
    created_at: i64,
    effective_at: Option<i64>,
    superseded_at: Option<i64>,
}

const VERSION_COLUMNS: &str = "sop_id, version, state, content, change_summary, author_id, \
    created_at, effective_at, superseded_at";

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

impl TryFrom<VersionRow> for SopVersionRecord {
    type Error = StoreError;

    fn try_from(r: VersionRow) -> Result<Self, StoreError> {
        Ok(Self {
            sop_id: SopId::new(r.sop_id),
            version: r.version,
            state: VersionState::parse(&r.state).map_err(corrupt)?,
            content: serde_json::from_str(&r.content)?,
            change_summary: r.change_summary,
            author_id: r.author_id.map(UserId::new),
            created_at: Timestamp::from_micros(r.created_at),
            effective_at: r.effective_at.map(Timestamp::from_micros),
            superseded_at: r.superseded_at.map(Timestamp::from_micros),
        })
    }
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: i64,
    sop_id: i64,
    cause: String,
    crossing_key: String,
    status: String,
    due_at: Option<i64>,
    created_at: i64,
    closed_at: Option<i64>,
    closed_by: Option<i64>,
    note: Option<String>,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    sop_id: i64,
    kind: Option<String>,
    category_id: Option<i64>,
    subcategory_id: Option<i64>,
}

impl TryFrom<&LinkRow> for SopLink {
    type Error = StoreError;

    fn try_from(r: &LinkRow) -> Result<Self, StoreError> {
        Ok(Self {
            kind: r
                .kind
                .as_deref()
                .map(TicketKind::parse)
                .transpose()
                .map_err(corrupt)?,
            category_id: r.category_id.map(CategoryId::new),
            subcategory_id: r.subcategory_id.map(CategoryId::new),
        })
    }
}

const INSERT_VERSION: &str = "INSERT INTO sop_versions (sop_id, version, state, content, \
    change_summary, author_id, created_at) VALUES ($1, $2, 'draft', $3, $4, $5, $6)";

const INSERT_NOTIFICATION: &str = "INSERT INTO notifications (user_id, ticket_id, topic, message, \
    created_at, tenant_id) VALUES ($1, NULL, $2, $3, $4, (SELECT tenant_id FROM users WHERE id = $1))";

/// Writes in-app notifications (not about a ticket) at `at` (microseconds) inside the
/// transaction.
async fn insert_notifications(
    tx: &mut Tx,
    notes: &[NewNotification],
    at: i64,
) -> Result<(), StoreError> {
    for note in notes {
        tx.execute(
            Sql::new(INSERT_NOTIFICATION)
                .bind(note.user_id.get())
                .bind(&note.topic)
                .bind(&note.message)
                .bind(at),
        )
        .await?;
    }
    Ok(())
}

impl Store {
    /// Creates an SOP with its first version, a draft. A taken key is a conflict.
    pub async fn create_sop(&self, new: &NewSop) -> Result<SopRecord, StoreError> {
        let content = serde_json::to_string(&new.content)?;
        let mut tx = self.begin().await?;
        let (id, tenant): (i64, i64) = tx.fetch_one(Sql::new("INSERT INTO sops (key, title, owner_id, reviewer_id, approver_id, latest_version, \
             review_interval_months, breach_threshold, reopen_threshold, window_days, created_at, updated_at, tenant_id) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $10, (SELECT tenant_id FROM users WHERE id = $3)) RETURNING id, tenant_id",).bind(&new.key).bind(&new.content.title).bind(new.owner_id.get()).bind(new.reviewer_id.map(UserId::get)).bind(new.approver_id.map(UserId::get)).bind(new.policy.interval_months).bind(new.policy.breach_threshold).bind(new.policy.reopen_threshold).bind(new.policy.window_days).bind(new.now.as_micros()))
        .await?;
        tx.execute(
            Sql::new(INSERT_VERSION)
                .bind(id)
                .bind(1_i64)
                .bind(&content)
                .bind(&new.change_summary)
                .bind(new.author_id.map(UserId::get))
                .bind(new.now.as_micros()),
        )
        .await?;
        for link in &new.links {
            insert_link(&mut tx, id, link).await?;
        }
        tx.execute(insert_log(
            DocumentKind::Sop,
            id,
            1,
            CREATED,
            new.author_id.map(Principal::from),
            new.now,
            None,
        ))
        .await?;
        let row: SopRow = tx
            .fetch_one(
                Sql::new(format!(
                    "SELECT {SOP_COLUMNS} FROM sops WHERE id = $1 \
                     /* all-tenants: the row just inserted */"
                ))
                .bind(id),
            )
            .await?;
        tx.changed(Change::of(
            TenantId::new(tenant),
            Entity::Sop,
            id,
            "created",
        ));
        tx.commit().await?;
        Ok(row.into())
    }

    /// Changes an SOP atomically: the row is locked and read with its latest version, `decide`
    /// says what to write, and versions, states, links, reviews, the log and notifications are
    /// written in one transaction. `decide` also names who acts (a person, or the system: the
    /// log records which) and when.
    pub async fn update_sop<E, F>(
        &self,
        tenant: TenantId,
        sop: SopId,
        decide: F,
    ) -> Result<SopRecord, E>
    where
        E: From<StoreError>,
        F: FnOnce(
            &SopRecord,
            &[SopVersionRecord],
            &[SopLogRecord],
        ) -> Result<(SopWrite, Option<Principal>, Timestamp), E>,
    {
        let id = sop.get();
        let mut tx = self.begin().await?;
        let row: Option<SopRow> = tx
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {SOP_COLUMNS} FROM sops WHERE id = $1 AND tenant_id = $2{}",
                    tx.dialect().for_update()
                ))
                .bind(id)
                .bind(tenant.get()),
            )
            .await?;
        let current: SopRecord = row.ok_or(StoreError::NotFound)?.into();
        let versions: Vec<VersionRow> = tx
            .fetch_all(select_versions(DocumentKind::Sop, VERSION_COLUMNS, id))
            .await?;
        let versions = versions
            .into_iter()
            .map(SopVersionRecord::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        let log = log_in(&mut tx, DocumentKind::Sop, id).await?;
        let (write, actor, now) = decide(&current, &versions, &log)?;
        let result: Result<SopRecord, StoreError> = async {
            let at = now.as_micros();
            let actor_id = actor.and_then(Principal::user_id).map(UserId::get);
            if let Some((content, summary)) = &write.new_version {
                let version = current.latest_version + 1;
                tx.execute(Sql::new(INSERT_VERSION).bind(id).bind(version).bind(serde_json::to_string(content)?).bind(summary).bind(actor_id).bind(at))
                    .await?;
                tx.execute(Sql::new("UPDATE sops SET latest_version = $1, title = $2 WHERE id = $3 AND tenant_id = $4").bind(version).bind(&content.title).bind(id).bind(tenant.get()))
                    .await?;
            }
            if let Some((version, content, summary)) = &write.replace_draft {
                tx.execute(Sql::new("UPDATE sop_versions SET content = $1, change_summary = $2 WHERE sop_id = $3 AND version = $4 AND state = 'draft'").bind(serde_json::to_string(content)?).bind(summary).bind(id).bind(version))
                    .await?;
                tx.execute(Sql::new("UPDATE sops SET title = $1 WHERE id = $2 AND tenant_id = $3").bind(&content.title).bind(id).bind(tenant.get()))
                    .await?;
            }
            if let Some((version, state)) = write.set_state {
                tx.execute(Sql::new("UPDATE sop_versions SET state = $1 WHERE sop_id = $2 AND version = $3").bind(state.as_str()).bind(id).bind(version))
                    .await?;
            }
            if let Some((version, next_review, note)) = &write.make_effective {
                tx.execute(Sql::new("UPDATE sop_versions SET state = 'superseded', superseded_at = $1 \
                     WHERE sop_id = $2 AND state = 'effective' AND version <> $3",).bind(at).bind(id).bind(version))
                .await?;
                tx.execute(Sql::new("UPDATE sop_versions SET state = 'effective', effective_at = $1 WHERE sop_id = $2 AND version = $3").bind(at).bind(id).bind(version))
                    .await?;
                tx.execute(Sql::new("UPDATE sops SET effective_version = $1, next_review_at = $2 WHERE id = $3 AND tenant_id = $4").bind(version).bind(next_review.as_micros()).bind(id).bind(tenant.get()))
                    .await?;
                close_open_reviews(&mut tx, id, actor_id, at, note).await?;
            }
            if write.retire {
                tx.execute(Sql::new("UPDATE sop_versions SET state = 'retired', superseded_at = $1 WHERE sop_id = $2 AND state = 'effective'",).bind(at).bind(id))
                .await?;
                tx.execute(Sql::new("UPDATE sops SET effective_version = NULL, next_review_at = NULL WHERE id = $1 AND tenant_id = $2").bind(id).bind(tenant.get()))
                    .await?;
                close_open_reviews(&mut tx, id, actor_id, at, "the SOP was retired").await?;
            }
            if let Some((owner, reviewer, approver)) = write.roles {
                tx.execute(Sql::new("UPDATE sops SET owner_id = $1, reviewer_id = $2, approver_id = $3 WHERE id = $4 AND tenant_id = $5").bind(owner.get()).bind(reviewer.map(UserId::get)).bind(approver.map(UserId::get)).bind(id).bind(tenant.get()))
                    .await?;
            }
            if let Some(policy) = write.policy {
                tx.execute(Sql::new("UPDATE sops SET review_interval_months = $1, breach_threshold = $2, reopen_threshold = $3, window_days = $4 WHERE id = $5 AND tenant_id = $6",).bind(policy.interval_months).bind(policy.breach_threshold).bind(policy.reopen_threshold).bind(policy.window_days).bind(id).bind(tenant.get()))
                .await?;
            }
            if let Some(links) = &write.links {
                tx.execute(Sql::new("DELETE FROM sop_links WHERE sop_id = $1").bind(id)).await?;
                for link in links {
                    insert_link(&mut tx, id, link).await?;
                }
            }
            if let Some(next) = write.next_review_at {
                tx.execute(Sql::new("UPDATE sops SET next_review_at = $1 WHERE id = $2 AND tenant_id = $3").bind(next.map(|t| t.as_micros())).bind(id).bind(tenant.get()))
                    .await?;
            }
            if let Some(note) = &write.close_reviews {
                close_open_reviews(&mut tx, id, actor_id, at, note).await?;
            }
            for (version, action, comment) in &write.log {
                tx.execute(insert_log(DocumentKind::Sop, id, *version, action, actor, now, comment.as_deref()))
                    .await?;
            }
            insert_notifications(&mut tx, &write.notifications, at).await?;
            tx.execute(Sql::new("UPDATE sops SET updated_at = $1 WHERE id = $2 AND tenant_id = $3").bind(at).bind(id).bind(tenant.get())).await?;
            let row: SopRow = tx.fetch_one(Sql::new(format!("SELECT {SOP_COLUMNS} FROM sops WHERE id = $1 AND tenant_id = $2")).bind(id).bind(tenant.get()))
                .await?;
            Ok(row.into())
        }
        .await;
        let record = result?;
        tx.changed(Change::of(tenant, Entity::Sop, id, "updated"));
        tx.commit().await?;
        Ok(record)
    }

    /// One SOP.
    pub async fn get_sop(&self, tenant: TenantId, id: SopId) -> Result<SopRecord, StoreError> {
        let row: Option<SopRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {SOP_COLUMNS} FROM sops WHERE id = $1 AND tenant_id = $2"
                ))
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        Ok(row.ok_or(StoreError::NotFound)?.into())
    }

    /// The SOP with `key`, if any.
    pub async fn find_sop_by_key(
        &self,
        tenant: TenantId,
        key: &str,
    ) -> Result<Option<SopRecord>, StoreError> {
        let row: Option<SopRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {SOP_COLUMNS} FROM sops WHERE key = $1 AND tenant_id = $2"
                ))
                .bind(key)
                .bind(tenant.get()),
            )
            .await?;
        Ok(row.map(SopRecord::from))
    }

    /// Every SOP, by title.
    pub async fn list_sops(&self, tenant: TenantId) -> Result<Vec<SopRecord>, StoreError> {
        let rows: Vec<SopRow> = self
            .read()
            .fetch_all(
                Sql::new(format!(
                    "SELECT {SOP_COLUMNS} FROM sops WHERE tenant_id = $1 ORDER BY title, id"
                ))
                .bind(tenant.get()),
            )
            .await?;
        Ok(rows.into_iter().map(SopRecord::from).collect())
    }

    /// Every version of an SOP, oldest first.
    pub async fn sop_versions(&self, id: SopId) -> Result<Vec<SopVersionRecord>, StoreError> {
        let rows: Vec<VersionRow> = self
            .read()
            .fetch_all(select_versions(
                DocumentKind::Sop,
                VERSION_COLUMNS,
                id.get(),
            ))
            .await?;
        rows.into_iter().map(SopVersionRecord::try_from).collect()
    }

    /// One version of an SOP.
    pub async fn sop_version(
        &self,
        id: SopId,
        version: i64,
    ) -> Result<SopVersionRecord, StoreError> {
        let row: Option<VersionRow> = self
            .read()
            .fetch_optional(select_version(
                DocumentKind::Sop,
                VERSION_COLUMNS,
                id.get(),
                version,
            ))
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// An SOP's governance log, oldest first.
    pub async fn sop_log(&self, id: SopId) -> Result<Vec<SopLogRecord>, StoreError> {
        self.document_log(DocumentId::Sop(id)).await
    }

    /// The links of every SOP: `(sop id, links)`.
    pub async fn sop_links(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<(i64, Vec<SopLink>)>, StoreError> {
        let rows: Vec<LinkRow> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT l.sop_id, l.kind, l.category_id, l.subcategory_id FROM sop_links l \
             JOIN sops s ON s.id = l.sop_id WHERE s.tenant_id = $1 ORDER BY l.sop_id, l.id",
                )
                .bind(tenant.get()),
            )
            .await?;
        let mut out: Vec<(i64, Vec<SopLink>)> = Vec::new();
        for row in &rows {
            let link = SopLink::try_from(row)?;
            match out.last_mut() {
                Some((id, links)) if *id == row.sop_id => links.push(link),
                _ => out.push((row.sop_id, vec![link])),
            }
        }
        Ok(out)
    }

    /// Active staff who hear of new effective versions: every agent, lead and admin.
    pub async fn active_staff(&self, tenant: TenantId) -> Result<Vec<UserId>, StoreError> {
        let ids: Vec<i64> = self.read().fetch_scalars(Sql::new("SELECT id FROM users WHERE active AND role IN ('agent', 'lead', 'admin') AND tenant_id = $1 ORDER BY id").bind(tenant.get()))
            .await?;
        Ok(ids.into_iter().map(UserId::new).collect())
    }
}

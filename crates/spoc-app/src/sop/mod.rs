//! SOP use cases: write and version procedures, take them through governance, link them to
//! ticket kinds and categories, and import the seed procedures that ship with Spoc. Following
//! them on tickets (the checklist, quality checks before resolve and close) is `sop_tickets`;
//! reviews and outcomes are `sop_reviews`.

use crate::auth::permit;
use spoc_domain::credential::{Access, Resource};
use std::collections::HashMap;

use spoc_domain::access::Actor;
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::metrics::Outcomes;
use spoc_domain::sop::{
    self, Checklist, GovernanceAction, GovernanceError, MissingCheck, ReviewDue, ReviewPolicy,
    SopContent, SopLink, SopRoles, VersionFacts, VersionState,
};
use spoc_domain::{SopId, TenantId, TicketId, Timestamp, UserId, ValidationError};
use spoc_store::{NewNotification, NewSop, SopRecord, SopWrite, StoreError};

use crate::document::no_such_version;
use crate::error::not_found;
use crate::{App, AppError};
use spoc_domain::document::{EDITED, EditPlan, LogEntry, RESTORED, Restore, Versioned};

mod model;

pub use model::{Sop, SopReview, SopVersion, TicketSop};

/// The notification topic of a new effective SOP version.
const TOPIC_EFFECTIVE: &str = "sop.effective";
/// The notification topic of a review that is due or called for.
pub(crate) const TOPIC_REVIEW: &str = "sop.review";

/// A new SOP.
#[derive(Clone, Debug)]
pub struct SopInput {
    /// Stable key (lower-case letters, digits, `-`, `_`).
    pub key: String,
    /// Version 1.
    pub content: SopContent,
    /// Its change summary.
    pub change_summary: String,
    /// Document control and links.
    pub settings: SopSettings,
}

/// `content` with every text in it NFC-normalised, like every other text the desk takes in
/// (SOP content is a nested document, so it is normalised as one).
pub(crate) fn nfc_content(content: &SopContent) -> Result<SopContent, AppError> {
    fn walk(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(text) => *text = spoc_domain::text::nfc(text),
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            serde_json::Value::Object(fields) => fields.values_mut().for_each(walk),
            _ => {}
        }
    }
    let corrupt = |e: serde_json::Error| AppError::Internal(StoreError::Corrupt(e.to_string()));
    let mut value = serde_json::to_value(content).map_err(corrupt)?;
    walk(&mut value);
    serde_json::from_value(value).map_err(corrupt)
}

/// Document control of an SOP: who owns, reviews and approves it, its review policy and where
/// it applies.
#[derive(Clone, Debug)]
pub struct SopSettings {
    /// The accountable owner (staff).
    pub owner_id: UserId,
    /// The subject-matter reviewer (staff).
    pub reviewer_id: Option<UserId>,
    /// The approver (a lead or admin).
    pub approver_id: Option<UserId>,
    /// Review cadence and triggers.
    pub policy: ReviewPolicy,
    /// Which tickets it applies to.
    pub links: Vec<SopLink>,
}

/// An SOP with everything its page shows.
#[derive(Clone, Debug)]
pub struct SopView {
    /// Document control.
    pub sop: Sop,
    /// Every version, oldest first.
    pub versions: Vec<SopVersion>,
    /// Who did each governance step.
    pub log: Vec<LogEntry>,
    /// Where it applies.
    pub links: Vec<SopLink>,
    /// Its reviews, newest first.
    pub reviews: Vec<SopReview>,
}

impl SopView {
    /// The governance actions `actor` may take now on this SOP (the latest version, or the
    /// effective one for retire), by the same rules the action itself applies. A form offers
    /// these; the action decides again when it is taken.
    pub fn offered(&self, actor: &Actor) -> Vec<GovernanceAction> {
        if self.sop.from_provider {
            return Vec::new();
        }
        GovernanceAction::ALL
            .iter()
            .copied()
            .filter(|action| {
                let target = match action {
                    GovernanceAction::Retire => self.sop.effective_version,
                    _ => Some(self.sop.latest_version),
                };
                let Some(version) =
                    target.and_then(|v| self.versions.iter().find(|r| r.version == v))
                else {
                    return false;
                };
                let facts = version_facts(version, version.state, &self.log);
                match sop::govern(&facts, self.sop.roles(), actor, *action, Some("offered")) {
                    Ok(_) => true,
                    // Missing reviewer or approver: offer it, so the refusal explains what to do.
                    Err(GovernanceError::Missing { .. }) => true,
                    Err(_) => false,
                }
            })
            .collect()
    }
}

/// What governance needs to know about `version` (of either kind: the read model or the row
/// read under the lock), from the SOP's log.
fn version_facts(version: &impl Versioned, state: VersionState, log: &[LogEntry]) -> VersionFacts {
    sop::version_facts(version.number(), state, version.author(), log)
}

/// The SOP of one ticket, as the desk shows it.
#[derive(Clone, Debug)]
pub struct TicketSopView {
    /// The SOP.
    pub sop: Sop,
    /// The version the ticket is (or will be) handled under.
    pub version: SopVersion,
    /// The binding and checklist, once bound.
    pub bound: Option<TicketSop>,
    /// The checklist (empty before binding).
    pub checklist: Checklist,
    /// Quality checks that do not hold yet.
    pub missing: Vec<MissingCheck>,
    /// A newer effective version, when the ticket stays on an older one.
    pub newer_effective: Option<i64>,
}

/// The review list: open reviews and the scheduled dates of effective SOPs.
#[derive(Clone, Debug)]
pub struct ReviewListing {
    /// Open reviews, newest first, with their SOP.
    pub open: Vec<(SopReview, Sop)>,
    /// Effective SOPs whose scheduled review is upcoming or overdue, soonest first.
    pub scheduled: Vec<(Sop, ReviewDue)>,
}

/// Outcomes of one SOP version.
#[derive(Clone, Debug)]
pub struct SopOutcomeRow {
    /// The SOP.
    pub sop_id: i64,
    /// Its title.
    pub title: String,
    /// The version.
    pub version: i64,
    /// Its state.
    pub state: VersionState,
    /// When it became effective.
    pub effective_at: Option<Timestamp>,
    /// The tickets handled under it.
    pub tickets: Vec<TicketId>,
    /// Their outcomes.
    pub outcomes: Outcomes,
}

fn governance_error(error: GovernanceError) -> AppError {
    match error {
        GovernanceError::Denied(message) => AppError::Forbidden(message),
        GovernanceError::Missing { field, message } => ValidationError::new(field, message).into(),
        other @ (GovernanceError::NotNow { .. } | GovernanceError::InReview { .. }) => {
            AppError::Conflict(other.to_string())
        }
    }
}

/// A missing SOP row is a missing SOP, by name.
fn sop_missing(error: AppError) -> AppError {
    match error {
        AppError::NotFound { what: "record" } => AppError::NotFound { what: "SOP" },
        other => other,
    }
}

pub(crate) fn sop_not_found(error: StoreError) -> AppError {
    not_found("SOP")(error)
}

pub(crate) fn roles_of(record: &SopRecord) -> SopRoles {
    SopRoles {
        owner: record.owner_id,
        reviewer: record.reviewer_id,
        approver: record.approver_id,
    }
}

pub(crate) fn require_staff(actor: &Actor) -> Result<(), AppError> {
    if actor.is_staff() {
        Ok(())
    } else {
        Err(AppError::NotFound { what: "SOP" })
    }
}

fn change_summary(text: &str) -> Result<String, ValidationError> {
    spoc_domain::text::Reason::parse_as("change_summary", text).map(|r| r.into_string())
}

pub(crate) fn check_sop_key(key: &str) -> Result<(), ValidationError> {
    let ok = !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(
            "key",
            "must be 1–64 lower-case letters, digits or '-', e.g. password-reset",
        ))
    }
}

impl App {
    // ----- documents and governance -------------------------------------------------------------

    /// Writes a new SOP (version 1, a draft). Leads and admins only.
    pub async fn create_sop(&self, actor: &Actor, input: SopInput) -> Result<Sop, AppError> {
        permit(actor, Some(Resource::Sops), Access::Write)?;
        if !actor.is_lead() {
            return Err(AppError::Forbidden(
                "only leads and admins can create SOPs".to_owned(),
            ));
        }
        check_sop_key(&input.key)?;
        let mut input = input;
        input.content = nfc_content(&input.content)?;
        input.content.validate()?;
        let summary = change_summary(&input.change_summary)?;
        self.check_settings(actor.tenant_id, &input.settings)
            .await?;
        let created = self
            .store
            .create_sop(&NewSop {
                key: input.key,
                content: input.content,
                change_summary: summary,
                owner_id: input.settings.owner_id,
                reviewer_id: input.settings.reviewer_id,
                approver_id: input.settings.approver_id,
                policy: input.settings.policy,
                links: input.settings.links,
                author_id: actor.user_id(),
                now: self.now(),
            })
            .await
            .map_err(|e| match e {
                StoreError::Conflict { unique: true, .. } => {
                    AppError::Duplicate("an SOP with that key exists already".to_owned())
                }
                other => other.into(),
            })?;
        Ok(Sop::from_record(created))
    }

    /// Checks owner, reviewer, approver, policy and links.
    async fn check_settings(
        &self,
        tenant: TenantId,
        settings: &SopSettings,
    ) -> Result<(), AppError> {
        settings.policy.validate()?;
        let person = |field: &'static str, id: UserId| async move {
            match self.store.get_user(tenant, id).await {
                Ok(user) if user.active && user.role.is_staff() => Ok(user),
                Ok(_) | Err(StoreError::NotFound) => Err(AppError::from(ValidationError::new(
                    field,
                    format!("user {id} is not an active member of staff"),
                ))),
                Err(e) => Err(e.into()),
            }
        };
        person("owner_id", settings.owner_id).await?;
        if let Some(reviewer) = settings.reviewer_id {
            person("reviewer_id", reviewer).await?;
        }
        if let Some(approver) = settings.approver_id {
            let user = person("approver_id", approver).await?;
            if !sop::may_approve_role(user.role) {
                return Err(ValidationError::new(
                    "approver_id",
                    "the approver must be a lead or an admin",
                )
                .into());
            }
            if settings.reviewer_id == Some(approver) {
                return Err(ValidationError::new(
                    "approver_id",
                    "the approver must be someone other than the reviewer (the reviewer cannot approve what they validated)",
                )
                .into());
            }
        }
        if settings.links.len() > 20 {
            return Err(ValidationError::new("links", "at most 20 links").into());
        }
        let categories = self.store.list_categories(tenant).await?;
        for link in &settings.links {
            if link.kind.is_none() && link.category_id.is_none() {
                return Err(ValidationError::new(
                    "links",
                    "a link names a ticket kind, a category, or both",
                )
                .into());
            }
            if let Some(category) = link.category_id {
                let found = categories.iter().find(|c| c.id == category);
                if found.is_none_or(|c| c.parent_id.is_some()) {
                    return Err(ValidationError::new(
                        "links",
                        format!("there is no top-level category {category}"),
                    )
                    .into());
                }
            }
            if let Some(sub) = link.subcategory_id {
                let found = categories.iter().find(|c| c.id == sub);
                if link.category_id.is_none()
                    || found.is_none_or(|c| c.parent_id != link.category_id)
                {
                    return Err(ValidationError::new(
                        "links",
                        format!("subcategory {sub} is not under the link's category"),
                    )
                    .into());
                }
            }
        }
        Ok(())
    }

    /// Every SOP (staff only).
    pub async fn list_sops(&self, actor: &Actor) -> Result<Vec<Sop>, AppError> {
        permit(actor, Some(Resource::Sops), Access::Read)?;
        require_staff(actor)?;
        let sops = self.store.list_sops(actor.tenant_id).await?;
        let mut out: Vec<Sop> = sops.into_iter().map(Sop::from_record).collect();
        out.extend(self.provider_wide_sops(actor).await?);
        Ok(out)
    }

    /// One SOP with its versions, log, links and reviews (staff only).
    pub async fn get_sop(&self, actor: &Actor, id: SopId) -> Result<SopView, AppError> {
        permit(actor, Some(Resource::Sops), Access::Read)?;
        require_staff(actor)?;
        let record = self
            .store
            .get_readable_sop(actor.tenant_id, id)
            .await
            .map_err(sop_not_found)?;
        if record.tenant_id != actor.tenant_id {
            return self.provider_wide_view(actor, record).await;
        }
        let links = self
            .store
            .sop_links(actor.tenant_id)
            .await?
            .into_iter()
            .find(|(sop, _)| *sop == id.get())
            .map(|(_, links)| links)
            .unwrap_or_default();
        let versions = self.store.sop_versions(id).await?;
        let reviews = self.store.list_reviews(Some(id), false).await?;
        Ok(SopView {
            versions: versions.into_iter().map(SopVersion::from_record).collect(),
            log: self.store.sop_log(id).await?,
            reviews: reviews.into_iter().map(SopReview::from_record).collect(),
            sop: Sop::from_record(record),
            links,
        })
    }

    /// One version of an SOP (staff only).
    pub async fn sop_version(
        &self,
        actor: &Actor,
        id: SopId,
        version: i64,
    ) -> Result<SopVersion, AppError> {
        permit(actor, Some(Resource::Sops), Access::Read)?;
        require_staff(actor)?;
        let record = self
            .store
            .get_readable_sop(actor.tenant_id, id)
            .await
            .map_err(sop_not_found)?;
        if record.tenant_id != actor.tenant_id && record.effective_version != Some(version) {
            // Another tenant reads only the provider-wide SOP's effective version.
            return Err(AppError::NotFound { what: "version" });
        }
        self.store
            .sop_version(id, version)
            .await
            .map(SopVersion::from_record)
            .map_err(not_found("version"))
    }

    /// Writes a new version of an SOP. While the latest version is a draft it is revised in
    /// place (same number, logged); once it is in review it must be sent back first; after it
    /// took effect (or was retired) a new version starts.
    pub async fn draft_sop_version(
        &self,
        actor: &Actor,
        id: SopId,
        expected_version: Option<i64>,
        content: SopContent,
        change_summary_text: &str,
    ) -> Result<Sop, AppError> {
        permit(actor, Some(Resource::Sops), Access::Write)?;
        require_staff(actor)?;
        let content = nfc_content(&content)?;
        content.validate()?;
        let summary = change_summary(change_summary_text)?;
        let now = self.now();
        self.store
            .update_sop(actor.tenant_id, id, |record, versions, _| {
                if !sop::may_draft(actor, roles_of(record)) {
                    return Err(AppError::Forbidden(
                        "only the SOP's owner, reviewer or approver, or a lead, can write a new version".to_owned(),
                    ));
                }
                if let Some(expected) = expected_version
                    && expected != record.latest_version
                {
                    return Err(AppError::Conflict(format!(
                        "the SOP was changed by someone else since version {expected}; it is now at version {}",
                        record.latest_version
                    )));
                }
                let latest = versions
                    .last()
                    .ok_or(AppError::NotFound { what: "version" })?;
                let mut write = SopWrite::default();
                match sop::edit_plan(latest.version, latest.state).map_err(governance_error)? {
                    EditPlan::ReviseDraft(version) => {
                        write.replace_draft = Some((version, content, summary.clone()));
                        write.log.push((version, EDITED.to_owned(), Some(summary)));
                    }
                    EditPlan::NewVersion => {
                        write.log.push((latest.version + 1, "drafted".to_owned(), Some(summary.clone())));
                        write.new_version = Some((content, summary));
                    }
                }
                Ok((write, Some(actor.principal), now))
            })
            .await
            .map(Sop::from_record)
            .map_err(sop_missing)
    }

    /// Restores an old version of an SOP: its content comes back as the latest draft — a new
    /// version after an effective (or retired) one, or the draft revised in place — which
    /// goes through governance like any edit. A version in review must be sent back first.
    /// The SOP's owner, reviewer or approver, or a lead, may.
    pub async fn restore_sop(
        &self,
        actor: &Actor,
        id: SopId,
        version: i64,
    ) -> Result<Sop, AppError> {
        permit(actor, Some(Resource::Sops), Access::Write)?;
        require_staff(actor)?;
        self.store
            .get_sop(actor.tenant_id, id)
            .await
            .map_err(sop_not_found)?;
        let old = self
            .store
            .sop_version(id, version)
            .await
            .map_err(no_such_version(version))?;
        let restore = Restore { from: version };
        let now = self.now();
        self.store
            .update_sop(actor.tenant_id, id, |record, versions, _| {
                if !sop::may_draft(actor, roles_of(record)) {
                    return Err(AppError::Forbidden(
                        "only the SOP's owner, reviewer or approver, or a lead, can restore a version".to_owned(),
                    ));
                }
                let latest = versions
                    .last()
                    .ok_or(AppError::NotFound { what: "version" })?;
                let plan = sop::edit_plan(latest.version, latest.state).map_err(governance_error)?;
                let mut write = SopWrite {
                    log: vec![(
                        plan.number(latest.version),
                        RESTORED.to_owned(),
                        Some(restore.log_comment()),
                    )],
                    ..SopWrite::default()
                };
                match plan {
                    EditPlan::ReviseDraft(number) => {
                        write.replace_draft = Some((number, old.content, restore.change_note()));
                    }
                    EditPlan::NewVersion => {
                        write.new_version = Some((old.content, restore.change_note()));
                    }
                }
                Ok((write, Some(actor.principal), now))
            })
            .await
            .map(Sop::from_record)
            .map_err(sop_missing)
    }

    /// Changes an SOP's document control: owner, reviewer, approver, review policy, links.
    /// The owner, and leads and admins, may.
    pub async fn update_sop_settings(
        &self,
        actor: &Actor,
        id: SopId,
        settings: SopSettings,
    ) -> Result<Sop, AppError> {
        permit(actor, Some(Resource::Sops), Access::Write)?;
        require_staff(actor)?;
        self.check_settings(actor.tenant_id, &settings).await?;
        let now = self.now();
        self.store
            .update_sop(actor.tenant_id, id, |record, _, _| {
                if !actor.is_lead() && !actor.is_user(record.owner_id) {
                    return Err(AppError::Forbidden(
                        "only the SOP's owner, or a lead, can change its document control"
                            .to_owned(),
                    ));
                }
                let write = SopWrite {
                    roles: Some((
                        settings.owner_id,
                        settings.reviewer_id,
                        settings.approver_id,
                    )),
                    policy: Some(settings.policy),
                    links: Some(settings.links),
                    log: vec![(record.latest_version, "settings".to_owned(), None)],
                    ..SopWrite::default()
                };
                Ok((write, Some(actor.principal), now))
            })
            .await
            .map(Sop::from_record)
            .map_err(sop_missing)
    }

    /// A governance step: submit, check, validate, approve (the latest version), retire (the
    /// effective version), or return to draft with a comment. Approval makes the version
    /// effective, supersedes the previous one, schedules the owner's next review and tells
    /// every member of staff.
    pub async fn sop_action(
        &self,
        actor: &Actor,
        id: SopId,
        action: GovernanceAction,
        comment: Option<String>,
    ) -> Result<Sop, AppError> {
        permit(actor, Some(Resource::Sops), Access::Write)?;
        require_staff(actor)?;
        let comment = comment
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .map(|c| spoc_domain::text::Reason::parse_as("comment", &c).map(|r| r.into_string()))
            .transpose()?;
        let staff = match action {
            GovernanceAction::Approve => self.store.active_staff(actor.tenant_id).await?,
            _ => Vec::new(),
        };
        let now = self.now();
        let sop = self
            .store
            .update_sop(actor.tenant_id, id, |record, versions, log| {
                let target = match action {
                    GovernanceAction::Retire => record.effective_version,
                    _ => Some(record.latest_version),
                };
                let version = target
                    .and_then(|v| versions.iter().find(|r| r.version == v))
                    .ok_or_else(|| {
                        AppError::Conflict("this SOP has no effective version to retire".to_owned())
                    })?;
                let facts = version_facts(version, version.state, log);
                let next = sop::govern(&facts, roles_of(record), actor, action, comment.as_deref())
                    .map_err(governance_error)?;
                let mut write = SopWrite {
                    log: vec![(version.version, action.as_str().to_owned(), comment.clone())],
                    ..SopWrite::default()
                };
                match action {
                    GovernanceAction::Approve => {
                        write.make_effective = Some((
                            version.version,
                            record.policy.next_review(now),
                            format!("addressed by version {}", version.version),
                        ));
                        let title = &version.content.title;
                        write.notifications = staff
                            .iter()
                            .map(|&user| NewNotification {
                                user_id: user,
                                topic: TOPIC_EFFECTIVE.to_owned(),
                                message: format!(
                                    "SOP “{title}” version {} is now effective: {}",
                                    version.version, version.change_summary
                                ),
                            })
                            .collect();
                    }
                    GovernanceAction::Retire => write.retire = true,
                    _ => write.set_state = Some((version.version, next)),
                }
                Ok((write, Some(actor.principal), now))
            })
            .await
            .map(Sop::from_record)
            .map_err(sop_missing)?;
        if matches!(action, GovernanceAction::Approve | GovernanceAction::Retire) {
            self.audit(
                actor,
                AuditAction::SopGoverned {
                    step: action.as_str(),
                    latest_version: sop.latest_version,
                },
                AuditTarget::Sop(id),
            )
            .await?;
        }
        Ok(sop)
    }

    /// The owner records a review: open reviews are closed with the note and the next one is
    /// scheduled from today.
    pub async fn record_sop_review(
        &self,
        actor: &Actor,
        id: SopId,
        note: &str,
    ) -> Result<Sop, AppError> {
        permit(actor, Some(Resource::Sops), Access::Write)?;
        require_staff(actor)?;
        let note = spoc_domain::text::Reason::parse_as("note", note)?.into_string();
        let now = self.now();
        self.store
            .update_sop(actor.tenant_id, id, |record, _, _| {
                if !actor.is_user(record.owner_id) {
                    return Err(AppError::Forbidden(
                        "only the SOP's owner records its reviews".to_owned(),
                    ));
                }
                let write = SopWrite {
                    close_reviews: Some(note.clone()),
                    next_review_at: record
                        .effective_version
                        .map(|_| Some(record.policy.next_review(now))),
                    log: vec![(record.latest_version, "reviewed".to_owned(), Some(note))],
                    ..SopWrite::default()
                };
                Ok((write, Some(actor.principal), now))
            })
            .await
            .map(Sop::from_record)
            .map_err(sop_missing)
    }

    /// Open reviews and upcoming or overdue scheduled reviews (staff only).
    pub async fn list_sop_reviews(&self, actor: &Actor) -> Result<ReviewListing, AppError> {
        permit(actor, Some(Resource::Sops), Access::Read)?;
        require_staff(actor)?;
        let sops: Vec<Sop> = self
            .store
            .list_sops(actor.tenant_id)
            .await?
            .into_iter()
            .map(Sop::from_record)
            .collect();
        let by_id: HashMap<SopId, &Sop> = sops.iter().map(|s| (s.id, s)).collect();
        let open = self
            .store
            .list_reviews(None, true)
            .await?
            .into_iter()
            .filter_map(|r| {
                by_id
                    .get(&r.sop_id)
                    .map(|s| (SopReview::from_record(r), (*s).clone()))
            })
            .collect();
        let now = self.now();
        let mut scheduled: Vec<(Sop, ReviewDue)> = sops
            .iter()
            .filter(|s| s.effective_version.is_some())
            .filter_map(|s| {
                let due = sop::review_due(s.next_review_at?, now);
                (due != ReviewDue::NotDue).then(|| (s.clone(), due))
            })
            .collect();
        scheduled.sort_by_key(|(s, _)| s.next_review_at);
        Ok(ReviewListing { open, scheduled })
    }
}

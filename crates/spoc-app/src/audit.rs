//! The admin audit log: every administrative use case records what it did with one call,
//! `self.audit(actor, AuditAction::…, AuditTarget::…)`, after its change has been stored — or,
//! where the store's write takes them (tenants, settings, a person's role and status), with
//! `self.audit_note(…)` handed to that write, in the same transaction as the change; the
//! tenant's admins read the log, newest first, with filters.
//!
//! An entry holds no personal data (see `spoc_domain::audit`): the actor by id, details as codes.
//! The actor's name shown when reading is looked up then, so after a person's erasure the log
//! shows their anonymous name.

use spoc_domain::access::{Actor, Principal, SystemActor};
use spoc_domain::audit::{AUDIT_CODES, AUDIT_TARGET_KINDS, AuditAction, AuditTarget};
use spoc_domain::credential::{Access, Resource};
use spoc_domain::{TenantId, Timestamp, UserId, ValidationError};
use spoc_store::{AuditNote, AuditQuery, AuditRecord};

use crate::auth::permit;
use crate::{App, AppError, FromRecord};

/// The most entries on one page.
pub const AUDIT_PAGE_MAX: u32 = 200;

/// Who did something recorded in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditActor {
    /// A person, with their name as it is now (none if they no longer exist).
    Person {
        /// Their id.
        id: UserId,
        /// Their current name.
        name: Option<String>,
    },
    /// A part of the system.
    System(SystemActor),
    /// Nobody recorded.
    Unknown,
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// Its id (the cursor for the next page).
    pub id: i64,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: AuditActor,
    /// The action's code (one of `spoc_domain::audit::AUDIT_CODES`).
    pub action: String,
    /// The target's kind.
    pub target_kind: String,
    /// The target's id.
    pub target_id: Option<i64>,
    /// Details: codes, ids and counts.
    pub details: Vec<(String, String)>,
}

impl FromRecord<AuditRecord> for AuditEntry {
    fn from_record(r: AuditRecord) -> Self {
        let actor = match (r.actor_id, r.actor_system) {
            (Some(id), _) => AuditActor::Person {
                id,
                name: r.actor_name,
            },
            (None, Some(kind)) => AuditActor::System(kind),
            (None, None) => AuditActor::Unknown,
        };
        Self {
            id: r.id,
            at: r.at,
            actor,
            action: r.action,
            target_kind: r.target_kind,
            target_id: r.target_id,
            details: r.details,
        }
    }
}

/// Which entries to read.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Only this action code.
    pub action: Option<String>,
    /// Only this person's actions.
    pub actor_id: Option<UserId>,
    /// Only targets of this kind.
    pub target_kind: Option<String>,
    /// Only this target id.
    pub target_id: Option<i64>,
    /// At or after.
    pub from: Option<Timestamp>,
    /// Before.
    pub until: Option<Timestamp>,
    /// Entries older than this one (a page's `next`).
    pub before_id: Option<i64>,
    /// Page size, 1 to [`AUDIT_PAGE_MAX`].
    pub limit: u32,
}

/// A page of the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditPage {
    /// Newest first.
    pub entries: Vec<AuditEntry>,
    /// The `before_id` of the next page; none on the last.
    pub next: Option<i64>,
}

impl AuditFilter {
    fn check(&self) -> Result<(), ValidationError> {
        if let Some(action) = &self.action
            && !AUDIT_CODES.contains(&action.as_str())
        {
            return Err(ValidationError::new(
                "action",
                format!("{action:?} is not an action code"),
            ));
        }
        if let Some(kind) = &self.target_kind
            && !AUDIT_TARGET_KINDS.contains(&kind.as_str())
        {
            return Err(ValidationError::new(
                "target_kind",
                format!("{kind:?} is not a target kind"),
            ));
        }
        if !(1..=AUDIT_PAGE_MAX).contains(&self.limit) {
            return Err(ValidationError::new(
                "limit",
                format!("must be between 1 and {AUDIT_PAGE_MAX}"),
            ));
        }
        if let (Some(from), Some(until)) = (self.from, self.until)
            && until < from
        {
            return Err(ValidationError::new("until", "must not be before from"));
        }
        Ok(())
    }
}

impl App {
    /// Records that `actor` did `action` to `target` in the actor's tenant. Called by a use case
    /// right after its change was stored; an entry that cannot be written fails the request, so
    /// an administrative change is never silently unrecorded.
    pub(crate) async fn audit(
        &self,
        actor: &Actor,
        action: AuditAction,
        target: AuditTarget,
    ) -> Result<(), AppError> {
        self.audit_in(actor.tenant_id, actor.principal, action, target)
            .await
    }

    /// Records an action of `principal` in `tenant` (for the system's work across tenants).
    pub(crate) async fn audit_in(
        &self,
        tenant: TenantId,
        principal: Principal,
        action: AuditAction,
        target: AuditTarget,
    ) -> Result<(), AppError> {
        let note = self.audit_note_in(tenant, principal, action, target);
        self.store.append_audit(&note.entry()).await?;
        Ok(())
    }

    /// An audit entry of the actor's, for a store write that records it in the same
    /// transaction as its change (`…_audited` and the writes that take `audit`).
    pub(crate) fn audit_note(
        &self,
        actor: &Actor,
        action: AuditAction,
        target: AuditTarget,
    ) -> AuditNote {
        self.audit_note_in(actor.tenant_id, actor.principal, action, target)
    }

    /// An audit entry of `principal` in `tenant`, for the same transaction as its change.
    pub(crate) fn audit_note_in(
        &self,
        tenant: TenantId,
        principal: Principal,
        action: AuditAction,
        target: AuditTarget,
    ) -> AuditNote {
        AuditNote {
            tenant,
            at: self.now(),
            actor_id: principal.user_id(),
            actor_system: principal.system(),
            action: action.code(),
            target_kind: target.kind(),
            target_id: target.id(),
            details: action.details(),
        }
    }

    /// The tenant's audit log, newest first (admins).
    pub async fn audit_log(
        &self,
        actor: &Actor,
        filter: AuditFilter,
    ) -> Result<AuditPage, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        filter.check()?;
        let limit = i64::from(filter.limit);
        let query = AuditQuery {
            action: filter.action,
            actor_id: filter.actor_id,
            target_kind: filter.target_kind,
            target_id: filter.target_id,
            from: filter.from,
            until: filter.until,
            before_id: filter.before_id,
            limit: limit + 1,
        };
        let mut records = self.store.list_audit(actor.tenant_id, &query).await?;
        let more = records.len() as i64 > limit;
        records.truncate(filter.limit as usize);
        let next = if more {
            records.last().map(|r| r.id)
        } else {
            None
        };
        Ok(AuditPage {
            entries: crate::converted(records),
            next,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_refuse_unknown_codes_and_bad_pages() {
        let ok = AuditFilter {
            limit: 50,
            ..AuditFilter::default()
        };
        assert!(ok.check().is_ok());
        let bad_action = AuditFilter {
            action: Some("person.renamed".into()),
            ..ok.clone()
        };
        assert_eq!(bad_action.check().unwrap_err().field, "action");
        let bad_kind = AuditFilter {
            target_kind: Some("ticket".into()),
            ..ok.clone()
        };
        assert_eq!(bad_kind.check().unwrap_err().field, "target_kind");
        let bad_limit = AuditFilter { limit: 0, ..ok };
        assert_eq!(bad_limit.check().unwrap_err().field, "limit");
    }
}

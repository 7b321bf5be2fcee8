//! Retention of closed tickets per tenant (admins): the rule (off by default), a dry-run count
//! of what a rule would touch now, and the run the `retention` job makes, in batches, as the
//! system (`automation`). Each change of the rule and each run that touched tickets is in the
//! audit log (counts only).

use spoc_domain::access::{Actor, Principal, SystemActor};
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::credential::{Access, Resource};
use spoc_domain::retention::{Retention, RetentionMode};
use spoc_domain::{TenantId, Timestamp};

use crate::auth::permit;
use crate::{App, AppError};

/// The setting's key; its value is `mode:months`.
const RETENTION_KEY: &str = "retention";

/// A tenant's retention rule and what it would touch now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetentionView {
    /// The rule.
    pub rule: Retention,
    /// Tickets closed before this are due.
    pub closed_before: Option<Timestamp>,
    /// How many tickets the rule would anonymise or delete now.
    pub due: i64,
}

/// What one run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RetentionRun {
    /// Tickets anonymised.
    pub anonymised: u64,
    /// Tickets deleted.
    pub deleted: u64,
}

impl App {
    async fn retention_of(&self, tenant: TenantId) -> Result<Retention, AppError> {
        Ok(self
            .store
            .get_setting(tenant, RETENTION_KEY)
            .await?
            .map(|v| Retention::from_stored(&v))
            .unwrap_or_default())
    }

    async fn retention_view(
        &self,
        tenant: TenantId,
        rule: Retention,
    ) -> Result<RetentionView, AppError> {
        if !rule.is_on() {
            return Ok(RetentionView {
                rule,
                closed_before: None,
                due: 0,
            });
        }
        let closed_before = rule.closed_before(self.now());
        let due = self
            .store
            .retention_due(tenant, closed_before, rule.mode())
            .await?;
        Ok(RetentionView {
            rule,
            closed_before: Some(closed_before),
            due,
        })
    }

    /// The tenant's retention rule, with how many tickets it would touch now (admins).
    pub async fn retention(&self, actor: &Actor) -> Result<RetentionView, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        let rule = self.retention_of(actor.tenant_id).await?;
        self.retention_view(actor.tenant_id, rule).await
    }

    /// A dry run: how many tickets the rule `mode` after `months` would touch now, without
    /// saving or touching anything (admins).
    pub async fn retention_dry_run(
        &self,
        actor: &Actor,
        mode: RetentionMode,
        months: i64,
    ) -> Result<RetentionView, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        let rule = Retention::new(mode, months)?;
        self.retention_view(actor.tenant_id, rule).await
    }

    /// Sets the tenant's retention rule (admins); the worker applies it from its next run.
    pub async fn set_retention(
        &self,
        actor: &Actor,
        mode: RetentionMode,
        months: i64,
    ) -> Result<RetentionView, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let rule = Retention::given(mode, months)?;
        let note = self.audit_note(
            actor,
            AuditAction::RetentionChanged {
                mode: rule.mode().as_str(),
                months: rule.months(),
            },
            AuditTarget::Settings,
        );
        self.store
            .put_setting_audited(actor.tenant_id, (RETENTION_KEY, &rule.to_stored()), &[note])
            .await?;
        self.retention_view(actor.tenant_id, rule).await
    }

    /// One retention run over every tenant whose rule is on: its due tickets, `batch` to a
    /// transaction, at most `limit` per tenant. Each tenant's run that touched tickets is
    /// recorded in its audit log with the count.
    pub async fn run_retention(&self, batch: i64, limit: u64) -> Result<RetentionRun, AppError> {
        let mut run = RetentionRun::default();
        for tenant in self.store.tenant_ids().await? {
            let rule = self.retention_of(tenant).await?;
            if !rule.is_on() {
                continue;
            }
            let actor = Actor::system(tenant, SystemActor::Automation);
            permit(&actor, Some(Resource::Tickets), Access::Write)?;
            let closed_before = rule.closed_before(self.now());
            let mut done = 0;
            while done < limit {
                let n = self
                    .store
                    .apply_retention(tenant, closed_before, rule.mode(), batch, self.now())
                    .await?;
                done += n;
                if n < batch.max(1) as u64 {
                    break;
                }
            }
            if done == 0 {
                continue;
            }
            match rule.mode() {
                RetentionMode::Delete => run.deleted += done,
                _ => run.anonymised += done,
            }
            self.audit_in(
                tenant,
                Principal::System(SystemActor::Automation),
                AuditAction::RetentionApplied {
                    mode: rule.mode().as_str(),
                    tickets: done,
                },
                AuditTarget::Tickets,
            )
            .await?;
        }
        Ok(run)
    }
}

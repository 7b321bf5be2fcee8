//! Reports as the provider sees them: the provider's leads and admins read every report of one
//! tenant by naming it (`?tenant_id=N`); everyone else reads their own tenant's only, and another
//! tenant named by them is one that does not exist.

use spoc_domain::TenantId;
use spoc_domain::access::Actor;

use crate::auth::permit;
use crate::error::not_found;
use crate::{App, AppError};
use spoc_domain::credential::Access;

impl App {
    /// The actor a report is read as. Without a tenant, or naming the caller's own, the caller.
    /// Naming another tenant: for the provider's (tenant 1's) leads and admins, the same person
    /// reading that tenant — without the provider's groups or organisation, with every one of its
    /// tickets in view, as the tenant's own leads see them —; another tenant's people find no
    /// such tenant (`NotFound`), the provider's agents and customers are refused.
    pub async fn report_actor(
        &self,
        actor: &Actor,
        tenant: Option<TenantId>,
    ) -> Result<Actor, AppError> {
        // The report itself then asks for its own resource, with the same credential.
        permit(actor, None, Access::Read)?;
        let Some(tenant) = tenant.filter(|t| *t != actor.tenant_id) else {
            return Ok(actor.clone());
        };
        if actor.tenant_id != TenantId::FIRST {
            return Err(AppError::NotFound { what: "tenant" });
        }
        if !actor.is_lead() {
            return Err(AppError::Forbidden(
                "only the provider's leads and admins see other tenants' reports".to_owned(),
            ));
        }
        self.store
            .get_tenant(tenant)
            .await
            .map_err(not_found("tenant"))?;
        Ok(Actor {
            tenant_id: tenant,
            organization_id: None,
            super_user: false,
            group_ids: Vec::new(),
            ..actor.clone()
        })
    }
}

impl App {
    /// The tenants whose reports the actor may choose among, by id and name: every tenant for
    /// the provider's leads and admins of a desk with more than one tenant; none for anyone
    /// else (they read their own tenant's reports only, and no chooser is shown).
    pub async fn report_tenants(&self, actor: &Actor) -> Result<Vec<(TenantId, String)>, AppError> {
        permit(actor, None, Access::Read)?;
        if actor.tenant_id != TenantId::FIRST || !actor.is_lead() {
            return Ok(Vec::new());
        }
        let all = self.store.list_tenants().await?;
        if all.len() < 2 {
            return Ok(Vec::new());
        }
        Ok(all.into_iter().map(|t| (t.tenant_id(), t.name)).collect())
    }
}

//! Provider-wide SOPs: the provider's leads and admins make one of its SOPs apply in every
//! tenant; another tenant reads it (its effective version) and works under it on its own
//! tickets, matched by category name, but never edits, governs or reviews it.

use crate::auth::permit;
use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::sop::{self, SopLink, TenantCategory};
use spoc_domain::{SopId, TenantId};
use spoc_store::SopRecord;

use crate::sop::{Sop, SopVersion, SopView, require_staff, sop_not_found};
use crate::{App, AppError};

/// The provider's SOP as another tenant reads it.
fn foreign(record: SopRecord) -> Sop {
    let mut sop = Sop::from_record(record);
    sop.from_provider = true;
    sop.reviewer_id = None;
    sop.approver_id = None;
    sop.next_review_at = None;
    if let Some(effective) = sop.effective_version {
        sop.latest_version = effective;
    }
    sop
}

impl App {
    /// Makes one of the provider's SOPs provider-wide, or stops it being so. Only the provider's
    /// leads and admins; the SOP's governance log records it (`provider_wide`, `own_tenant`).
    pub async fn set_sop_provider_wide(
        &self,
        actor: &Actor,
        id: SopId,
        provider_wide: bool,
    ) -> Result<Sop, AppError> {
        permit(actor, Some(Resource::Sops), Access::Write)?;
        sop::may_make_provider_wide(actor)?;
        self.store
            .set_sop_provider_wide(id, provider_wide, actor.user_id(), self.now())
            .await
            .map(Sop::from_record)
            .map_err(sop_not_found)
    }

    /// The provider-wide SOPs of the provider another tenant's staff read (none for the
    /// provider itself, whose own list holds them).
    pub(crate) async fn provider_wide_sops(&self, actor: &Actor) -> Result<Vec<Sop>, AppError> {
        if actor.tenant_id == TenantId::FIRST {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for record in self.store.list_provider_wide_sops().await? {
            let mut sop = foreign(record);
            if let Some(effective) = sop.effective_version {
                // The title of the version in force, not of the provider's newer draft.
                sop.title = self
                    .store
                    .sop_version(sop.id, effective)
                    .await?
                    .content
                    .title;
            }
            out.push(sop);
        }
        Ok(out)
    }

    /// The page of a provider-wide SOP read from another tenant: its effective version only,
    /// where it applies in the reader's tenant, and nothing of the provider's governance.
    pub(crate) async fn provider_wide_view(
        &self,
        actor: &Actor,
        record: SopRecord,
    ) -> Result<SopView, AppError> {
        require_staff(actor)?;
        let Some(effective) = record.effective_version else {
            return Err(AppError::NotFound { what: "SOP" });
        };
        let id = record.id;
        let version = self
            .store
            .sop_version(id, effective)
            .await
            .map_err(sop_not_found)?;
        let mut version = SopVersion::from_record(version);
        version.author_id = None;
        let links = self
            .provider_links_in(actor.tenant_id)
            .await?
            .into_iter()
            .find(|(sop, _)| *sop == id.get())
            .map(|(_, links)| links)
            .unwrap_or_default();
        let mut sop = foreign(record);
        sop.title = version.content.title.clone();
        Ok(SopView {
            sop,
            versions: vec![version],
            log: Vec::new(),
            links,
            reviews: Vec::new(),
        })
    }

    /// The links of the provider's provider-wide SOPs (with an effective version) as they apply
    /// in `tenant`: by category name ([`sop::NamedSopLink::in_tenant`]). None for the provider.
    pub(crate) async fn provider_links_in(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<(i64, Vec<SopLink>)>, AppError> {
        if tenant == TenantId::FIRST {
            return Ok(Vec::new());
        }
        let named = self.store.provider_wide_sop_links().await?;
        if named.is_empty() {
            return Ok(Vec::new());
        }
        let categories = self.store.list_categories(tenant).await?;
        let categories: Vec<TenantCategory<'_>> = categories
            .iter()
            .map(|c| TenantCategory {
                id: c.id,
                name: &c.name,
                parent_id: c.parent_id,
            })
            .collect();
        Ok(named
            .into_iter()
            .map(|(id, links)| {
                let links = links
                    .iter()
                    .flat_map(|l| l.in_tenant(&categories))
                    .collect::<Vec<_>>();
                (id, links)
            })
            .filter(|(_, links)| !links.is_empty())
            .collect())
    }
}

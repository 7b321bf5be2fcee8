//! The tenant chooser of the report pages: the provider's leads and admins of a desk with more
//! than one tenant read each report for one tenant (`?tenant_id=N`); everyone else reads their
//! own tenant's and sees no chooser.

use maud::{Markup, html};
use spoc_domain::TenantId;
use spoc_domain::access::Actor;

use crate::i18n::desk::Desk;
use crate::i18n::t;
use crate::page::{FieldErrors, select};
use crate::session::{UiError, Viewer};
use spoc_http::AppState;

/// Whose report a page shows, and the chooser's choices.
pub(crate) struct ReportTenant {
    /// The actor the report is read as (the viewer, or the viewer reading the chosen tenant).
    pub actor: Actor,
    chosen: TenantId,
    tenants: Vec<(TenantId, String)>,
}

impl ReportTenant {
    /// The report's tenant from the page's `tenant_id`: the viewer's own without one; another
    /// tenant only for the provider's leads and admins (anyone else: not found).
    pub async fn of(
        state: &AppState,
        viewer: &Viewer,
        asked: Option<&str>,
    ) -> Result<Self, UiError> {
        let asked = match asked.map(str::trim).filter(|v| !v.is_empty()) {
            None => None,
            Some(text) => Some(TenantId::new(
                text.parse::<i64>()
                    .ok()
                    .filter(|id| *id >= 1)
                    .ok_or_else(UiError::not_found)?,
            )),
        };
        let actor = state.app.report_actor(&viewer.actor, asked).await?;
        let tenants = state.app.report_tenants(&viewer.actor).await?;
        Ok(Self {
            chosen: actor.tenant_id,
            actor,
            tenants,
        })
    }

    /// Whether a chooser is shown at all.
    pub fn offered(&self) -> bool {
        self.tenants.len() >= 2
    }

    /// Whether the report is another tenant's than the viewer's (its records are not theirs to
    /// open).
    pub fn is_other(&self, viewer: &Viewer) -> bool {
        self.chosen != viewer.actor.tenant_id
    }

    /// The chooser's field (nothing on a desk with one tenant, or for anyone but the provider's
    /// leads and admins).
    pub fn field(&self, id: &str) -> Markup {
        if !self.offered() {
            return html! {};
        }
        let options: Vec<(String, String)> = self
            .tenants
            .iter()
            .map(|(id, name)| (id.get().to_string(), name.clone()))
            .collect();
        select(
            id,
            "tenant_id",
            t(Desk::RepTenant),
            &options,
            &self.chosen.get().to_string(),
            &FieldErrors::none(),
        )
    }
}

//! Deprovisioning: a person whom the directory or identity provider no longer knows is
//! deactivated, and every browser session and API token of theirs ends at once, in one
//! transaction. SCIM uses it; OpenID Connect and LDAP imports may too.

use spoc_domain::access::{Principal, SystemActor};
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::{TenantId, UserId};

use crate::FromRecord;
use crate::directory::Person;
use crate::error::not_found;
use crate::{App, AppError};

impl App {
    /// Deactivates the person `user` of `tenant`, ends all their sessions and revokes all their
    /// API tokens, recorded in the audit log as the work of `by` (`scim`, `ldap`). Callers
    /// authorise first: this takes no actor (the SCIM client, the directory
    /// import and the sign-in provider are not people).
    pub(crate) async fn deprovision_person(
        &self,
        tenant: TenantId,
        user: UserId,
        by: &'static str,
    ) -> Result<Person, AppError> {
        let person = self
            .store
            .deprovision_user(tenant, user, self.now())
            .await
            .map_err(not_found("user"))?;
        tracing::info!(%tenant, user = %user, "person deprovisioned: sessions and tokens ended");
        self.audit_in(
            tenant,
            Principal::System(SystemActor::Integration),
            AuditAction::PersonDeprovisioned { by },
            AuditTarget::User(user),
        )
        .await?;
        Ok(Person::from_record(person))
    }
}

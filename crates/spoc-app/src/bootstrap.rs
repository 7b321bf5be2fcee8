//! First start: the default first-line group, the default priority matrix, the first admin and
//! the seed SOPs (as drafts).

use spoc_domain::TenantId;
use spoc_domain::access::{Actor, SystemActor};
use spoc_domain::org::Tier;
use spoc_domain::priority::PriorityMatrix;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_store::StoreError;

use crate::auth::generate_password;
use crate::{App, AppError, DEFAULT_GROUP_KEY, PRIORITY_MATRIX_KEY, UserInput};

/// The e-mail of the admin account created on first start.
pub const FIRST_ADMIN_EMAIL: &str = "admin@localhost";

/// What first start created.
#[derive(Clone, Debug, Default)]
pub struct Bootstrap {
    /// The first admin's e-mail and generated password, shown once; `None` if users existed.
    pub admin: Option<(String, String)>,
}

impl App {
    /// Makes sure a tenant's desk can take tickets: a default tier-1 group and a priority
    /// matrix. Idempotent, and safe when several nodes start at once.
    pub async fn prepare_desk(&self, tenant: TenantId) -> Result<(), AppError> {
        if self
            .store
            .get_setting(tenant, DEFAULT_GROUP_KEY)
            .await?
            .is_none()
        {
            let now = self.now();
            let group = match self
                .store
                .create_group(tenant, "Service Desk", Tier::One, false, now)
                .await
            {
                Ok(group) => group,
                Err(StoreError::Conflict { unique: true, .. }) => self
                    .store
                    .list_groups(tenant)
                    .await?
                    .into_iter()
                    .find(|g| g.name == "Service Desk")
                    .ok_or(AppError::NotFound { what: "group" })?,
                Err(e) => return Err(e.into()),
            };
            self.store
                .init_setting(tenant, DEFAULT_GROUP_KEY, &group.id.get().to_string())
                .await?;
        }
        let matrix = serde_json::to_string(&PriorityMatrix::default())
            .map_err(|e| AppError::Internal(StoreError::Corrupt(e.to_string())))?;
        self.store
            .init_setting(tenant, PRIORITY_MATRIX_KEY, &matrix)
            .await?;
        // Makes outbound Message-IDs unguessable (they still never grant access on their own).
        self.store
            .init_setting(
                tenant,
                crate::mail::MAIL_SECRET_KEY,
                &crate::random_secret(),
            )
            .await?;
        self.prepare_sla(tenant).await?;
        self.link_pending_sops(tenant).await?;
        Ok(())
    }

    /// Prepares every tenant's desk ([`App::prepare_desk`]), oldest tenant first: at start-up.
    pub async fn prepare_desks(&self) -> Result<(), AppError> {
        for tenant in self.store.tenant_ids().await? {
            self.prepare_desk(tenant).await?;
        }
        Ok(())
    }

    /// Prepares the desk (its first tenant) and, if nobody exists yet, creates an admin with a
    /// generated password (a member of the default group). Idempotent.
    pub async fn bootstrap(&self) -> Result<Bootstrap, AppError> {
        let tenant = TenantId::FIRST;
        self.prepare_desk(tenant).await?;
        if self.store.count_users().await? > 0 {
            return Ok(Bootstrap::default());
        }
        let password = generate_password();
        let input = UserInput {
            email: Email::parse(FIRST_ADMIN_EMAIL)?,
            name: Name::parse("Administrator")?,
            role: Role::Admin,
            organization_id: None,
            super_user: false,
            password: Some(password.clone()),
        };
        match self.system_create_user(tenant, input).await {
            Ok(user) => {
                let desk = self.default_group_id(tenant).await?;
                self.store.add_group_member(desk, user.id).await?;
                // The admin home asks for it to be replaced until it is.
                self.remember_generated_password(tenant, user.id).await?;
                // A fresh desk starts with the seed SOPs as drafts, owned by the first admin and
                // imported by the system's set-up (not in the admin's name).
                let setup = Actor::system(tenant, SystemActor::Bootstrap);
                self.import_seed_sops(tenant, Some(&setup), user.id).await?;
                Ok(Bootstrap {
                    admin: Some((user.email, password)),
                })
            }
            Err(AppError::Duplicate(_)) => Ok(Bootstrap::default()),
            Err(e) => Err(e),
        }
    }
}

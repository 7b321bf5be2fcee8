//! The tenants themselves: a global table, since a tenant is what every other record belongs
//! to. Tenant administration (creating, naming, listing tenants through the API) comes later;
//! a fresh desk has its first tenant from the migration that introduced tenants.

use spoc_domain::{TenantId, Timestamp};

use crate::db::Sql;
use crate::{Store, StoreError};

impl Store {
    /// Adds a tenant; a taken name is a unique `Conflict`. Its desk is prepared by the app
    /// (`App::prepare_desk`).
    pub async fn create_tenant(&self, name: &str, now: Timestamp) -> Result<TenantId, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx
            .fetch_scalar(
                Sql::new("INSERT INTO tenants (name, created_at) VALUES ($1, $2) RETURNING id")
                    .bind(name)
                    .bind(now.as_micros()),
            )
            .await?;
        tx.commit().await?;
        Ok(TenantId::new(id))
    }

    /// Every tenant's id, oldest first.
    pub async fn tenant_ids(&self) -> Result<Vec<TenantId>, StoreError> {
        let ids: Vec<i64> = self
            .read()
            .fetch_scalars(Sql::new("SELECT id FROM tenants ORDER BY id"))
            .await?;
        Ok(ids.into_iter().map(TenantId::new).collect())
    }
}

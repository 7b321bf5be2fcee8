//! A tenant's own e-mail addresses (`tenant_mail_addresses`): unique across the desk, since an
//! address decides which tenant mail received by the provider lands in. The look-ups that route
//! mail cover every tenant on purpose: they run before the tenant of a message is known.

use spoc_domain::{TenantId, Timestamp};

use crate::db::Sql;
use crate::{Store, StoreError};

impl Store {
    /// A tenant's mail addresses, in the order its admin gave them.
    pub async fn tenant_mail_addresses(&self, tenant: TenantId) -> Result<Vec<String>, StoreError> {
        self.read()
            .fetch_scalars(
                Sql::new(
                    "SELECT address FROM tenant_mail_addresses WHERE tenant_id = $1 \
                     ORDER BY position, address",
                )
                .bind(tenant.get()),
            )
            .await
    }

    /// Replaces a tenant's mail addresses with `addresses` (canonical forms, in order). An
    /// address another tenant has is a unique `Conflict`, and nothing changes.
    pub async fn set_tenant_mail_addresses(
        &self,
        tenant: TenantId,
        addresses: &[String],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new("DELETE FROM tenant_mail_addresses WHERE tenant_id = $1").bind(tenant.get()),
        )
        .await?;
        for (position, address) in (0_i64..).zip(addresses) {
            tx.execute(
                Sql::new(
                    "INSERT INTO tenant_mail_addresses (address, tenant_id, position, created_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(address.as_str())
                .bind(tenant.get())
                .bind(position)
                .bind(now.as_micros()),
            )
            .await?;
        }
        tx.commit().await
    }

    /// The tenants that have one of `addresses` (canonical forms), as (address, tenant) pairs.
    pub async fn tenants_of_mail_addresses(
        &self,
        addresses: &[String],
    ) -> Result<Vec<(String, TenantId)>, StoreError> {
        if addresses.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(
            "SELECT address, tenant_id FROM tenant_mail_addresses \
             /* all-tenants: routing mail the provider received, before its tenant is known */ \
             WHERE address IN (",
        );
        sql.push_list(addresses.iter().map(String::as_str));
        sql.push(")");
        let rows: Vec<(String, i64)> = self.read().fetch_all(sql).await?;
        Ok(rows
            .into_iter()
            .map(|(address, tenant)| (address, TenantId::new(tenant)))
            .collect())
    }

    /// Every tenant's mail addresses (mail from one of them is Spoc's own: a loop).
    pub async fn all_tenant_mail_addresses(&self) -> Result<Vec<String>, StoreError> {
        self.read()
            .fetch_scalars(Sql::new(
                "SELECT address FROM tenant_mail_addresses \
                 /* all-tenants: mail from any tenant's address is a loop */ ORDER BY address",
            ))
            .await
    }

    /// The tenants with an organisation domain rule for `domain`, each once.
    pub async fn tenants_with_mail_domain(
        &self,
        domain: &str,
    ) -> Result<Vec<TenantId>, StoreError> {
        let ids: Vec<i64> = self
            .read()
            .fetch_scalars(
                Sql::new(
                    "SELECT DISTINCT tenant_id FROM organization_domains \
                     /* all-tenants: routing mail the provider received by its sender's domain */ \
                     WHERE domain = $1 ORDER BY tenant_id",
                )
                .bind(domain),
            )
            .await?;
        Ok(ids.into_iter().map(TenantId::new).collect())
    }
}

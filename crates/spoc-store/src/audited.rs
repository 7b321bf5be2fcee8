//! The writes that record their audit entries in the same transaction as their change (see
//! [`AuditNote`]): a person's change by an admin, and a setting.

use spoc_domain::{TenantId, UserId};

use crate::changes::{Change, Entity};
use crate::db::Sql;
use crate::directory::{USER_COLUMNS, UserRow};
use crate::{AuditNote, Store, StoreError, UserRecord, UserUpdate};

impl Store {
    /// Changes a person like [`Store::update_user`] and writes, in the same transaction, the
    /// audit entries `audit` makes of the person before and after the change.
    pub async fn update_user_audited(
        &self,
        tenant: TenantId,
        id: UserId,
        update: &UserUpdate,
        audit: impl FnOnce(&UserRecord, &UserRecord) -> Vec<AuditNote>,
    ) -> Result<UserRecord, StoreError> {
        let mut tx = self.begin().await?;
        let current: UserRow = tx
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND tenant_id = $2"
                ))
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let before = UserRecord::try_from(current)?;
        let organization = update
            .organization_id
            .unwrap_or(before.organization_id)
            .map(|o| o.get());
        let row: UserRow = tx
            .fetch_one(
                Sql::new(format!(
                    "UPDATE users SET name = $1, role = $2, organization_id = $3, super_user = $4, \
                     active = $5, password_hash = COALESCE($6, password_hash) \
                     WHERE id = $7 AND tenant_id = $8 RETURNING {USER_COLUMNS}"
                ))
                .bind(update.name.clone().unwrap_or_else(|| before.name.clone()))
                .bind(update.role.unwrap_or(before.role).as_str())
                .bind(organization)
                .bind(update.super_user.unwrap_or(before.super_user))
                .bind(update.active.unwrap_or(before.active))
                .bind(update.password_hash.as_deref())
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        if update.active == Some(false) || update.password_hash.is_some() {
            // A deactivated user or a changed password ends every browser session at once.
            tx.execute(
                Sql::new("DELETE FROM sessions WHERE user_id = $1 AND tenant_id = $2")
                    .bind(id.get())
                    .bind(tenant.get()),
            )
            .await?;
        }
        tx.changed(Change::of(tenant, Entity::User, id.get(), "updated"));
        crate::grants::sync_links(&mut tx, id).await?;
        let after: UserRecord = row.try_into()?;
        crate::audit::append_in(&mut tx, &audit(&before, &after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets a setting and writes its audit entries in the same transaction.
    pub async fn put_setting_audited(
        &self,
        tenant: TenantId,
        (key, value): (&str, &str),
        audit: &[AuditNote],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(Sql::new("INSERT INTO settings (key, value, tenant_id) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value").bind(key).bind(value).bind(tenant.get()))
            .await?;
        tx.changed(Change::of(tenant, Entity::Setting, 0, "updated"));
        crate::audit::append_in(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }
}

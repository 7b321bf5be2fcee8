//! Reading the change feed: every committed change of a record at a position that increases in
//! commit order without gaps (see the `changes` migration and `Tx::commit`). Every change
//! carries the tenant of the record that changed: the live feed reads every tenant's changes
//! and hands each to its tenant; a consumer that serves one tenant reads only that tenant's.

use spoc_domain::TenantId;

use crate::changes::{ChangeRecord, ChangeRow};
use crate::db::Sql;
use crate::{Store, StoreError};

/// The columns of a change as [`ChangeRow`] reads them.
const CHANGE_COLUMNS: &str =
    "position, at, tenant_id, entity, entity_id, kind, public, actor_id, actor_system";

impl Store {
    /// Up to `limit` committed changes of every tenant after position `after`, in order. A
    /// consumer that passes the last position it handled gets every later change once.
    pub async fn changes_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<ChangeRecord>, StoreError> {
        self.read_changes(
            Sql::new(format!(
                "SELECT {CHANGE_COLUMNS} FROM changes \
                 /* all-tenants: the desk's own followers (live updates) hand each change to its \
                 tenant */ WHERE position > $1 ORDER BY position LIMIT $2"
            ))
            .bind(after)
            .bind(limit),
        )
        .await
    }

    /// Up to `limit` committed changes of `tenant` after position `after`, in commit order: for
    /// consumers that serve one tenant (webhooks, automation). Positions are the feed's own, so
    /// they skip the other tenants' changes; a consumer that passes the last position it
    /// handled still gets every later change of its tenant once.
    pub async fn tenant_changes_after(
        &self,
        tenant: TenantId,
        after: i64,
        limit: i64,
    ) -> Result<Vec<ChangeRecord>, StoreError> {
        self.read_changes(
            Sql::new(format!(
                "SELECT {CHANGE_COLUMNS} FROM changes \
                 WHERE tenant_id = $1 AND position > $2 ORDER BY position LIMIT $3"
            ))
            .bind(tenant.get())
            .bind(after)
            .bind(limit),
        )
        .await
    }

    /// The changes a read of the feed returns.
    async fn read_changes(&self, sql: Sql) -> Result<Vec<ChangeRecord>, StoreError> {
        let rows: Vec<ChangeRow> = self.read().fetch_all(sql).await?;
        rows.into_iter().map(ChangeRecord::try_from).collect()
    }

    /// The position of the last committed change (0 before the first).
    pub async fn feed_head(&self) -> Result<i64, StoreError> {
        self.read()
            .fetch_scalar(Sql::new("SELECT position FROM feed_head WHERE id = 1"))
            .await
    }
}

//! Canned responses: personal ones (an owner) and the desk's shared ones (no owner), always
//! within one tenant.

use spoc_domain::{CannedResponseId, TenantId, Timestamp, UserId};

use crate::StoreError;
use crate::db::Sql;

/// A canned response as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CannedRecord {
    /// Id.
    pub id: CannedResponseId,
    /// Whose it is; `None`: shared by the desk.
    pub owner_id: Option<UserId>,
    /// Its title.
    pub title: String,
    /// Its text, with placeholders.
    pub body: String,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct CannedRow {
    id: i64,
    owner_id: Option<i64>,
    title: String,
    body: String,
    created_at: i64,
    updated_at: i64,
}

impl From<CannedRow> for CannedRecord {
    fn from(r: CannedRow) -> Self {
        Self {
            id: CannedResponseId::new(r.id),
            owner_id: r.owner_id.map(UserId::new),
            title: r.title,
            body: r.body,
            created_at: Timestamp::from_micros(r.created_at),
            updated_at: Timestamp::from_micros(r.updated_at),
        }
    }
}

const COLUMNS: &str = "id, owner_id, title, body, created_at, updated_at";

impl crate::Store {
    /// The shared canned responses of `tenant` and those of `user`, shared first, by title.
    pub async fn list_canned(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<Vec<CannedRecord>, StoreError> {
        let rows: Vec<CannedRow> = self
            .read()
            .fetch_all(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM canned_responses WHERE tenant_id = $1 \
                     AND (owner_id IS NULL OR owner_id = $2) \
                     ORDER BY CASE WHEN owner_id IS NULL THEN 0 ELSE 1 END, title, id"
                ))
                .bind(tenant.get())
                .bind(user.get()),
            )
            .await?;
        Ok(rows.into_iter().map(CannedRecord::from).collect())
    }

    /// One canned response of `tenant` (whoever owns it; the caller decides who may see it).
    pub async fn get_canned(
        &self,
        tenant: TenantId,
        id: CannedResponseId,
    ) -> Result<CannedRecord, StoreError> {
        let row: Option<CannedRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM canned_responses WHERE id = $1 AND tenant_id = $2"
                ))
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        row.map(CannedRecord::from).ok_or(StoreError::NotFound)
    }

    /// Adds a canned response.
    pub async fn insert_canned(
        &self,
        tenant: TenantId,
        owner: Option<UserId>,
        title: &str,
        body: &str,
        now: Timestamp,
    ) -> Result<CannedRecord, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx
            .fetch_scalar(
                Sql::new(
                    "INSERT INTO canned_responses (tenant_id, owner_id, title, body, created_at, \
                     updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                )
                .bind(tenant.get())
                .bind(owner.map(UserId::get))
                .bind(title)
                .bind(body)
                .bind(now.as_micros()),
            )
            .await?;
        tx.commit().await?;
        self.get_canned(tenant, CannedResponseId::new(id)).await
    }

    /// Changes a canned response's title and text.
    pub async fn update_canned(
        &self,
        tenant: TenantId,
        id: CannedResponseId,
        title: &str,
        body: &str,
        now: Timestamp,
    ) -> Result<CannedRecord, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx
            .execute(
                Sql::new(
                    "UPDATE canned_responses SET title = $1, body = $2, updated_at = $3 \
                     WHERE id = $4 AND tenant_id = $5",
                )
                .bind(title)
                .bind(body)
                .bind(now.as_micros())
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        tx.commit().await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        self.get_canned(tenant, id).await
    }

    /// Removes a canned response.
    pub async fn delete_canned(
        &self,
        tenant: TenantId,
        id: CannedResponseId,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let done = tx
            .execute(
                Sql::new("DELETE FROM canned_responses WHERE id = $1 AND tenant_id = $2")
                    .bind(id.get())
                    .bind(tenant.get()),
            )
            .await?;
        tx.commit().await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

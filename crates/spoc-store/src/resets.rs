//! Password resets ("forgot password") and account e-mails that belong to no ticket. A reset is
//! found by the hash of its link's secret before any tenant is known (those statements say so);
//! it is used at most once and only before it expires.

use spoc_domain::{TenantId, Timestamp, UserId};

use crate::db::Sql;
use crate::{OutboxMessage, Store, StoreError};

/// `INSERT` of an e-mail about no ticket, in the tenant given.
const INSERT_ACCOUNT_MAIL: &str = "INSERT INTO outbox (topic, idempotency_key, payload, created_at, available_at, recipient, ticket_id, tenant_id) \
    VALUES ($1, $2, $3, $4, $4, $5, NULL, $6)";

impl Store {
    /// Records a reset for `user` (its secret's hash) and queues `mail` with it, in one
    /// transaction: the link goes out only if the reset exists.
    pub async fn create_password_reset(
        &self,
        tenant: TenantId,
        user: UserId,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
        mail: &OutboxMessage,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new(
                "INSERT INTO password_resets (token_hash, tenant_id, user_id, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash)
            .bind(tenant.get())
            .bind(user.get())
            .bind(now.as_micros())
            .bind(expires_at.as_micros()),
        )
        .await?;
        tx.execute(account_mail(tenant, mail, now)).await?;
        tx.commit().await
    }

    /// Queues an e-mail about no ticket (a test message an admin sends).
    pub async fn queue_account_mail(
        &self,
        tenant: TenantId,
        mail: &OutboxMessage,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(account_mail(tenant, mail, now)).await?;
        tx.commit().await
    }

    /// How many e-mails of `topic` (e.g. `mail.test_message`) the relay accepted for the tenant.
    pub async fn delivered_mail_count(
        &self,
        tenant: TenantId,
        topic: &str,
    ) -> Result<i64, StoreError> {
        self.read()
            .fetch_scalar(
                Sql::new(
                    "SELECT COUNT(*) FROM outbox WHERE tenant_id = $1 AND topic = $2 \
                     AND done_at IS NOT NULL AND last_error IS NULL",
                )
                .bind(tenant.get())
                .bind(topic),
            )
            .await
    }

    /// How many resets `user` asked for since `since` (for the per-person limit).
    pub async fn count_password_resets(
        &self,
        tenant: TenantId,
        user: UserId,
        since: Timestamp,
    ) -> Result<i64, StoreError> {
        self.read()
            .fetch_scalar(
                Sql::new(
                    "SELECT COUNT(*) FROM password_resets \
                     WHERE tenant_id = $1 AND user_id = $2 AND created_at >= $3",
                )
                .bind(tenant.get())
                .bind(user.get())
                .bind(since.as_micros()),
            )
            .await
    }

    /// The person of the unused, unexpired reset with this hash.
    pub async fn find_password_reset(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(TenantId, UserId)>, StoreError> {
        let row: Option<(i64, i64)> = self
            .read()
            .fetch_optional(
                Sql::new(
                    "SELECT tenant_id, user_id FROM password_resets \
                     /* all-tenants: a reset is found by its hash, before the tenant is known */ \
                     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
                )
                .bind(token_hash)
                .bind(now.as_micros()),
            )
            .await?;
        Ok(row.map(|(t, u)| (TenantId::new(t), UserId::new(u))))
    }

    /// Uses the reset with this hash, if it is unused and unexpired at `now`: it can never be
    /// used again, and every other open reset of the same person ends too. Returns its person.
    pub async fn use_password_reset(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(TenantId, UserId)>, StoreError> {
        let mut tx = self.begin().await?;
        let row: Option<(i64, i64)> = tx
            .fetch_optional(
                Sql::new(
                    "UPDATE password_resets SET used_at = $2 \
                     /* all-tenants: a reset is found by its hash, before the tenant is known */ \
                     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
                     RETURNING tenant_id, user_id",
                )
                .bind(token_hash)
                .bind(now.as_micros()),
            )
            .await?;
        if let Some((tenant, user)) = row {
            tx.execute(
                Sql::new(
                    "UPDATE password_resets SET used_at = $3 \
                     WHERE tenant_id = $1 AND user_id = $2 AND used_at IS NULL",
                )
                .bind(tenant)
                .bind(user)
                .bind(now.as_micros()),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(row.map(|(t, u)| (TenantId::new(t), UserId::new(u))))
    }
}

fn account_mail(tenant: TenantId, mail: &OutboxMessage, now: Timestamp) -> Sql {
    Sql::new(INSERT_ACCOUNT_MAIL)
        .bind(mail.topic.as_str())
        .bind(mail.idempotency_key.as_str())
        .bind(mail.payload.as_str())
        .bind(now.as_micros())
        .bind(mail.recipient.clone())
        .bind(tenant.get())
}

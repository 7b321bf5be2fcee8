//! API tokens and browser sessions. Both are found by the hash of their secret before any
//! tenant is known (those look-ups say so); everything else about them is the tenant's.

use spoc_domain::credential::{TokenOrigin, TokenScope};
use spoc_domain::{TenantId, Timestamp, TokenId, UserId};

use crate::db::Sql;
use crate::directory::{USER_COLUMNS, UserRow};
use crate::{NewToken, SessionListing, SessionRecord, Store, StoreError, TokenRecord, UserRecord};

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    user_id: i64,
    label: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
    expires_at: Option<i64>,
    read_only: bool,
    resources: Option<String>,
    origin: String,
}

const TOKEN_COLUMNS: &str = "id, user_id, label, created_at, last_used_at, revoked_at, expires_at, read_only, resources, origin";

impl From<TokenRow> for TokenRecord {
    fn from(r: TokenRow) -> Self {
        TokenRecord {
            id: TokenId::new(r.id),
            user_id: UserId::new(r.user_id),
            label: r.label,
            created_at: Timestamp::from_micros(r.created_at),
            last_used_at: r.last_used_at.map(Timestamp::from_micros),
            revoked_at: r.revoked_at.map(Timestamp::from_micros),
            expires_at: r.expires_at.map(Timestamp::from_micros),
            scope: TokenScope::from_stored(r.read_only, r.resources.as_deref()),
            origin: TokenOrigin::from_stored(&r.origin),
        }
    }
}

impl Store {
    /// Stores a new token's hash.
    pub async fn create_token(&self, token: &NewToken<'_>) -> Result<TokenRecord, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx.fetch_scalar(Sql::new("INSERT INTO api_tokens (user_id, label, token_hash, created_at, expires_at, read_only, resources, origin, tenant_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT tenant_id FROM users WHERE id = $1)) RETURNING id",).bind(token.user.get()).bind(token.label).bind(token.token_hash).bind(token.now.as_micros()).bind(token.expires_at.map(Timestamp::as_micros)).bind(token.scope.read_only).bind(token.scope.stored_resources()).bind(token.origin.as_str()))
        .await?;
        tx.commit().await?;
        Ok(TokenRecord {
            id: TokenId::new(id),
            user_id: token.user,
            label: token.label.to_owned(),
            created_at: token.now,
            last_used_at: None,
            revoked_at: None,
            expires_at: token.expires_at,
            scope: token.scope.clone(),
            origin: token.origin,
        })
    }

    /// The live token with this hash — not revoked, not expired at `now` — and its active owner.
    pub async fn find_token(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(TokenRecord, UserRecord)>, StoreError> {
        let token: Option<TokenRow> = self.read().fetch_optional(Sql::new(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens \
             /* all-tenants: a token is found by its hash, before the tenant is known */ \
             WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)"
        )).bind(token_hash).bind(now.as_micros()))
        .await?;
        let Some(token) = token else { return Ok(None) };
        let user: Option<UserRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {USER_COLUMNS} FROM users \
                     WHERE id = $1 AND tenant_id = (SELECT tenant_id FROM api_tokens WHERE id = $2) AND active"
                ))
                .bind(token.user_id)
                .bind(token.id),
            )
            .await?;
        match user {
            Some(user) => Ok(Some((token.into(), user.try_into()?))),
            None => Ok(None),
        }
    }

    /// Records that a token was used.
    pub async fn touch_token(&self, id: TokenId, now: Timestamp) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new(
                "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 \
                 /* all-tenants: the token was found by its hash */",
            )
            .bind(now.as_micros())
            .bind(id.get()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A person's tokens, newest first.
    pub async fn list_tokens(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<Vec<TokenRecord>, StoreError> {
        let rows: Vec<TokenRow> = self
            .read()
            .fetch_all(
                Sql::new(format!(
                    "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 AND tenant_id = $2 ORDER BY id DESC"
                ))
                .bind(user.get())
                .bind(tenant.get()),
            )
            .await?;
        Ok(rows.into_iter().map(TokenRecord::from).collect())
    }

    /// Revokes one of a person's tokens.
    pub async fn revoke_token(
        &self,
        tenant: TenantId,
        user: UserId,
        id: TokenId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let done = tx.execute(Sql::new("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND tenant_id = $4 AND revoked_at IS NULL").bind(now.as_micros()).bind(id.get()).bind(user.get()).bind(tenant.get()))
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    /// Revokes every live token of a person that was created from a browser session; how many.
    pub async fn revoke_session_tokens(
        &self,
        tenant: TenantId,
        user: UserId,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx.execute(Sql::new("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND tenant_id = $3 AND origin = 'session' AND revoked_at IS NULL").bind(now.as_micros()).bind(user.get()).bind(tenant.get()))
            .await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Ends every browser session of a person.
    pub async fn delete_sessions_of(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new("DELETE FROM sessions WHERE user_id = $1 AND tenant_id = $2")
                .bind(user.get())
                .bind(tenant.get()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a browser session (by the hash of its id), with the browser it was started from.
    pub async fn create_session(
        &self,
        id_hash: &str,
        user: UserId,
        csrf_token: &str,
        (now, expires_at): (Timestamp, Timestamp),
        user_agent: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(Sql::new("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at, user_agent, tenant_id) \
             VALUES ($1, $2, $3, $4, $5, $6, (SELECT tenant_id FROM users WHERE id = $2))").bind(id_hash).bind(user.get()).bind(csrf_token).bind(now.as_micros()).bind(expires_at.as_micros()).bind(user_agent))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A session by the hash of its id.
    pub async fn find_session(&self, id_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let row: Option<(i64, i64, String, i64, i64)> = self.read().fetch_optional(Sql::new("SELECT tenant_id, user_id, csrf_token, created_at, expires_at FROM sessions WHERE id_hash = $1 \
             /* all-tenants: a session is found by its hash, before the tenant is known */").bind(id_hash))
            .await?;
        Ok(row.map(
            |(tenant, user, csrf_token, created, expires)| SessionRecord {
                tenant_id: TenantId::new(tenant),
                user_id: UserId::new(user),
                csrf_token,
                created_at: Timestamp::from_micros(created),
                expires_at: Timestamp::from_micros(expires),
            },
        ))
    }

    /// A person's sessions that have not expired, newest first.
    pub async fn list_sessions(
        &self,
        tenant: TenantId,
        user: UserId,
        now: Timestamp,
    ) -> Result<Vec<SessionListing>, StoreError> {
        let rows: Vec<(String, String, i64, i64, Option<String>)> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT id_hash, csrf_token, created_at, expires_at, user_agent FROM sessions \
                     WHERE user_id = $1 AND tenant_id = $2 AND expires_at > $3 \
                     ORDER BY created_at DESC, id_hash",
                )
                .bind(user.get())
                .bind(tenant.get())
                .bind(now.as_micros()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id_hash, csrf_token, created, expires, user_agent)| SessionListing {
                    id_hash,
                    csrf_token,
                    created_at: Timestamp::from_micros(created),
                    expires_at: Timestamp::from_micros(expires),
                    user_agent,
                },
            )
            .collect())
    }

    /// Ends the session of `user` whose id hash starts with `prefix` (16 hex digits, as
    /// people see it); whether there was one.
    pub async fn delete_session_of(
        &self,
        tenant: TenantId,
        user: UserId,
        prefix: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx
            .execute(
                Sql::new(
                    "DELETE FROM sessions WHERE user_id = $1 AND tenant_id = $2 \
                     AND substr(id_hash, 1, 16) = $3",
                )
                .bind(user.get())
                .bind(tenant.get())
                .bind(prefix),
            )
            .await?;
        tx.commit().await?;
        Ok(done > 0)
    }

    /// Ends a session.
    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new("DELETE FROM sessions WHERE id_hash = $1 /* all-tenants: by its hash */")
                .bind(id_hash),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

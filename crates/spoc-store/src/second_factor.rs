//! Two-factor sign-in: a person's TOTP secret (encrypted by the app before it gets here), the
//! time step of the last code accepted (so no code is accepted twice), their one-off recovery
//! codes (hashed) and the sign-in challenges that wait for a second factor. A challenge is found
//! by its hash before any tenant is known (those statements say so); everything else is the
//! tenant's.

use spoc_domain::{TenantId, Timestamp, UserId};

use crate::db::Sql;
use crate::{Change, Entity, Store, StoreError};

/// A person's TOTP state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecondFactorRecord {
    /// The secret as stored (encrypted by the app).
    pub secret: String,
    /// When the secret was made.
    pub created_at: Timestamp,
    /// When the person confirmed it with a code; until then it is pending and not asked for.
    pub confirmed_at: Option<Timestamp>,
    /// The time step of the last code accepted.
    pub last_step: Option<i64>,
}

/// What a sign-in challenge waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChallengePurpose {
    /// A code from the person's authenticator, or a recovery code.
    Verify,
    /// The person must enrol an authenticator first (their role requires one).
    Enrol,
}

impl ChallengePurpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Verify => "verify",
            Self::Enrol => "enrol",
        }
    }
}

/// A sign-in waiting for its second factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChallengeRecord {
    /// The person's tenant.
    pub tenant_id: TenantId,
    /// Who gave the right password.
    pub user_id: UserId,
    /// What it waits for.
    pub purpose: ChallengePurpose,
    /// When it stops working.
    pub expires_at: Timestamp,
}

impl Store {
    /// The person's TOTP state, if they have one (pending or confirmed).
    pub async fn second_factor(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<Option<SecondFactorRecord>, StoreError> {
        let row: Option<(String, i64, Option<i64>, Option<i64>)> = self
            .read()
            .fetch_optional(
                Sql::new(
                    "SELECT secret, created_at, confirmed_at, last_step FROM second_factors \
                     WHERE user_id = $1 AND tenant_id = $2",
                )
                .bind(user.get())
                .bind(tenant.get()),
            )
            .await?;
        Ok(row.map(
            |(secret, created, confirmed, last_step)| SecondFactorRecord {
                secret,
                created_at: Timestamp::from_micros(created),
                confirmed_at: confirmed.map(Timestamp::from_micros),
                last_step,
            },
        ))
    }

    /// Keeps a new pending secret for the person, replacing a pending one; a confirmed one is
    /// left alone (returns false).
    pub async fn put_pending_second_factor(
        &self,
        tenant: TenantId,
        user: UserId,
        secret: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx
            .execute(
                Sql::new(
                    "INSERT INTO second_factors (user_id, tenant_id, secret, created_at) \
                     SELECT id, tenant_id, $2, $3 FROM users WHERE id = $1 AND tenant_id = $4 \
                     ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, \
                     created_at = excluded.created_at, last_step = NULL \
                     WHERE second_factors.confirmed_at IS NULL \
                     AND second_factors.tenant_id = excluded.tenant_id",
                )
                .bind(user.get())
                .bind(secret)
                .bind(now.as_micros())
                .bind(tenant.get()),
            )
            .await?;
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Confirms the pending `secret` (as stored) with the code of time step `step`, and keeps
    /// the hashes of the person's first recovery codes, in one transaction. False if the secret
    /// is no longer the pending one (confirmed meanwhile, or replaced).
    pub async fn confirm_second_factor(
        &self,
        tenant: TenantId,
        user: UserId,
        (secret, step): (&str, i64),
        code_hashes: &[String],
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx
            .execute(
                Sql::new(
                    "UPDATE second_factors SET confirmed_at = $1, last_step = $2 \
                     WHERE user_id = $3 AND tenant_id = $4 AND confirmed_at IS NULL AND secret = $5",
                )
                .bind(now.as_micros())
                .bind(step)
                .bind(user.get())
                .bind(tenant.get())
                .bind(secret),
            )
            .await?;
        if done != 1 {
            return Ok(false);
        }
        replace_codes(&mut tx, tenant, user, code_hashes, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records that the person's confirmed authenticator gave the code of time step `step`;
    /// false if a code of that step or a later one was accepted before (a replay).
    pub async fn use_totp_step(
        &self,
        tenant: TenantId,
        user: UserId,
        step: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx
            .execute(
                Sql::new(
                    "UPDATE second_factors SET last_step = $1 \
                     WHERE user_id = $2 AND tenant_id = $3 AND confirmed_at IS NOT NULL \
                     AND (last_step IS NULL OR last_step < $1)",
                )
                .bind(step)
                .bind(user.get())
                .bind(tenant.get()),
            )
            .await?;
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Removes the person's authenticator and recovery codes; whether there was one.
    pub async fn delete_second_factor(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new("DELETE FROM recovery_codes WHERE user_id = $1 AND tenant_id = $2")
                .bind(user.get())
                .bind(tenant.get()),
        )
        .await?;
        let done = tx
            .execute(
                Sql::new("DELETE FROM second_factors WHERE user_id = $1 AND tenant_id = $2")
                    .bind(user.get())
                    .bind(tenant.get()),
            )
            .await?;
        tx.commit().await?;
        Ok(done > 0)
    }

    /// Replaces the person's recovery codes with new ones (their hashes).
    pub async fn replace_recovery_codes(
        &self,
        tenant: TenantId,
        user: UserId,
        code_hashes: &[String],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        replace_codes(&mut tx, tenant, user, code_hashes, now).await?;
        tx.commit().await
    }

    /// Uses one of the person's recovery codes (by its hash); false if it is not theirs or was
    /// used before.
    pub async fn use_recovery_code(
        &self,
        tenant: TenantId,
        user: UserId,
        code_hash: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx
            .execute(
                Sql::new(
                    "UPDATE recovery_codes SET used_at = $1 \
                     WHERE code_hash = $2 AND user_id = $3 AND tenant_id = $4 AND used_at IS NULL",
                )
                .bind(now.as_micros())
                .bind(code_hash)
                .bind(user.get())
                .bind(tenant.get()),
            )
            .await?;
        tx.commit().await?;
        Ok(done == 1)
    }

    /// How many of the person's recovery codes are still unused.
    pub async fn recovery_codes_left(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<i64, StoreError> {
        self.read()
            .fetch_scalar(
                Sql::new(
                    "SELECT COUNT(*) FROM recovery_codes \
                     WHERE user_id = $1 AND tenant_id = $2 AND used_at IS NULL",
                )
                .bind(user.get())
                .bind(tenant.get()),
            )
            .await
    }

    /// Stores a sign-in challenge (by the hash of its secret), ending the person's older ones.
    pub async fn create_sign_in_challenge(
        &self,
        id_hash: &str,
        (tenant, user): (TenantId, UserId),
        purpose: ChallengePurpose,
        (now, expires_at): (Timestamp, Timestamp),
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new(
                "DELETE FROM sign_in_challenges WHERE tenant_id = $1 AND (user_id = $2 OR expires_at <= $3)",
            )
            .bind(tenant.get())
            .bind(user.get())
            .bind(now.as_micros()),
        )
        .await?;
        tx.execute(
            Sql::new(
                "INSERT INTO sign_in_challenges (id_hash, tenant_id, user_id, purpose, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id_hash)
            .bind(tenant.get())
            .bind(user.get())
            .bind(purpose.as_str())
            .bind(now.as_micros())
            .bind(expires_at.as_micros()),
        )
        .await?;
        tx.commit().await
    }

    /// A sign-in challenge by the hash of its secret.
    pub async fn find_sign_in_challenge(
        &self,
        id_hash: &str,
    ) -> Result<Option<ChallengeRecord>, StoreError> {
        let row: Option<(i64, i64, String, i64)> = self
            .read()
            .fetch_optional(
                Sql::new(
                    "SELECT tenant_id, user_id, purpose, expires_at FROM sign_in_challenges \
                     WHERE id_hash = $1 \
                     /* all-tenants: a challenge is found by its hash, before the tenant is known */",
                )
                .bind(id_hash),
            )
            .await?;
        Ok(row.map(|(tenant, user, purpose, expires)| ChallengeRecord {
            tenant_id: TenantId::new(tenant),
            user_id: UserId::new(user),
            purpose: if purpose == "enrol" {
                ChallengePurpose::Enrol
            } else {
                ChallengePurpose::Verify
            },
            expires_at: Timestamp::from_micros(expires),
        }))
    }

    /// Ends a sign-in challenge; whether it was still there (so it is used at most once).
    pub async fn delete_sign_in_challenge(&self, id_hash: &str) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx
            .execute(
                Sql::new(
                    "DELETE FROM sign_in_challenges WHERE id_hash = $1 \
                     /* all-tenants: by its hash */",
                )
                .bind(id_hash),
            )
            .await?;
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Every stored authenticator secret, of every tenant (re-encrypting them with a new key).
    pub async fn second_factor_secrets_all_tenants(
        &self,
    ) -> Result<Vec<(TenantId, UserId, String)>, StoreError> {
        let rows: Vec<(i64, i64, String)> = self
            .read()
            .fetch_all(Sql::new(
                "SELECT tenant_id, user_id, secret FROM second_factors \
                 /* all-tenants: key rotation re-encrypts every secret */ ORDER BY user_id",
            ))
            .await?;
        Ok(rows
            .into_iter()
            .map(|(t, u, s)| (TenantId::new(t), UserId::new(u), s))
            .collect())
    }

    /// Replaces a stored secret by its re-encrypted form, if it is still `old`.
    pub async fn replace_second_factor_secret(
        &self,
        tenant: TenantId,
        user: UserId,
        old: &str,
        new: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx
            .execute(
                Sql::new(
                    "UPDATE second_factors SET secret = $1 WHERE user_id = $2 AND tenant_id = $3 AND secret = $4",
                )
                .bind(new)
                .bind(user.get())
                .bind(tenant.get())
                .bind(old),
            )
            .await?;
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Sets a person's password hash and ends every browser session of theirs except the one
    /// with `keep` (its id's hash), in one transaction.
    pub async fn set_password_keeping_session(
        &self,
        tenant: TenantId,
        user: UserId,
        password_hash: &str,
        keep: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let done = tx
            .execute(
                Sql::new("UPDATE users SET password_hash = $1 WHERE id = $2 AND tenant_id = $3")
                    .bind(password_hash)
                    .bind(user.get())
                    .bind(tenant.get()),
            )
            .await?;
        if done != 1 {
            return Err(StoreError::NotFound);
        }
        tx.execute(
            Sql::new(
                "DELETE FROM sessions WHERE user_id = $1 AND tenant_id = $2 AND id_hash <> $3",
            )
            .bind(user.get())
            .bind(tenant.get())
            .bind(keep.unwrap_or("")),
        )
        .await?;
        tx.changed(Change::of(tenant, Entity::User, user.get(), "updated"));
        tx.commit().await
    }
}

/// Replaces the person's recovery codes inside `tx`.
async fn replace_codes(
    tx: &mut crate::db::Tx,
    tenant: TenantId,
    user: UserId,
    code_hashes: &[String],
    now: Timestamp,
) -> Result<(), StoreError> {
    tx.execute(
        Sql::new("DELETE FROM recovery_codes WHERE user_id = $1 AND tenant_id = $2")
            .bind(user.get())
            .bind(tenant.get()),
    )
    .await?;
    for hash in code_hashes {
        tx.execute(
            Sql::new(
                "INSERT INTO recovery_codes (code_hash, tenant_id, user_id, created_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(hash.as_str())
            .bind(tenant.get())
            .bind(user.get())
            .bind(now.as_micros()),
        )
        .await?;
    }
    Ok(())
}

//! OpenID Connect sign-in: a tenant's identity providers, the links between a provider's
//! subject and a person, and the sign-ins under way. A sign-in under way is found by the hash of
//! its `state` before any tenant is known (that statement says so), and taken at most once.

use spoc_domain::{TenantId, Timestamp, UserId};

use crate::db::Sql;
use crate::{Store, StoreError};

/// A provider as stored; the client secret as stored (encrypted by the app).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcProviderRecord {
    /// Id.
    pub id: i64,
    /// The tenant it signs people in to.
    pub tenant_id: TenantId,
    /// Its name in addresses (`/auth/oidc/{slug}/login`), unique within the tenant.
    pub slug: String,
    /// What the sign-in button says.
    pub display_name: String,
    /// The issuer URL.
    pub issuer: String,
    /// The client id registered at the provider.
    pub client_id: String,
    /// The client secret, encrypted.
    pub client_secret: String,
    /// The scopes asked for, separated by spaces.
    pub scopes: String,
    /// The claim whose values are mapped to roles and groups.
    pub claim: Option<String>,
    /// The value → role rules, as JSON.
    pub role_map: String,
    /// The value → group rules, as JSON.
    pub group_map: String,
    /// Whether unknown people get an account at their first sign-in.
    pub jit: bool,
    /// The role of such an account when no rule gives one.
    pub default_role: String,
    /// Whether it is offered.
    pub enabled: bool,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

/// What a provider is set to (creating or replacing it).
#[derive(Clone, Debug)]
pub struct OidcProviderInput<'a> {
    /// See [`OidcProviderRecord`].
    pub slug: &'a str,
    /// Display name.
    pub display_name: &'a str,
    /// Issuer.
    pub issuer: &'a str,
    /// Client id.
    pub client_id: &'a str,
    /// Client secret, encrypted.
    pub client_secret: &'a str,
    /// Scopes.
    pub scopes: &'a str,
    /// Claim.
    pub claim: Option<&'a str>,
    /// Role rules (JSON).
    pub role_map: &'a str,
    /// Group rules (JSON).
    pub group_map: &'a str,
    /// Just-in-time accounts.
    pub jit: bool,
    /// Their default role.
    pub default_role: &'a str,
    /// Offered.
    pub enabled: bool,
}

/// A sign-in under way, as taken back at the callback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcLoginRecord {
    /// The tenant.
    pub tenant_id: TenantId,
    /// The provider.
    pub provider_id: i64,
    /// The hash of the browser cookie it is bound to.
    pub browser_hash: String,
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// The PKCE verifier.
    pub verifier: String,
    /// Where to go afterwards.
    pub next: String,
    /// When it stops being usable.
    pub expires_at: Timestamp,
}

/// A new sign-in under way.
#[derive(Clone, Debug)]
pub struct NewOidcLogin<'a> {
    /// The hash of its `state`.
    pub state_hash: &'a str,
    /// The tenant.
    pub tenant_id: TenantId,
    /// The provider.
    pub provider_id: i64,
    /// The hash of the browser cookie it is bound to.
    pub browser_hash: &'a str,
    /// The nonce.
    pub nonce: &'a str,
    /// The PKCE verifier.
    pub verifier: &'a str,
    /// Where to go afterwards.
    pub next: &'a str,
    /// Now.
    pub now: Timestamp,
    /// When it stops being usable.
    pub expires_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct ProviderRow {
    id: i64,
    tenant_id: i64,
    slug: String,
    display_name: String,
    issuer: String,
    client_id: String,
    client_secret: String,
    scopes: String,
    claim: Option<String>,
    role_map: String,
    group_map: String,
    jit: bool,
    default_role: String,
    enabled: bool,
    created_at: i64,
    updated_at: i64,
}

impl From<ProviderRow> for OidcProviderRecord {
    fn from(r: ProviderRow) -> Self {
        Self {
            id: r.id,
            tenant_id: TenantId::new(r.tenant_id),
            slug: r.slug,
            display_name: r.display_name,
            issuer: r.issuer,
            client_id: r.client_id,
            client_secret: r.client_secret,
            scopes: r.scopes,
            claim: r.claim,
            role_map: r.role_map,
            group_map: r.group_map,
            jit: r.jit,
            default_role: r.default_role,
            enabled: r.enabled,
            created_at: Timestamp::from_micros(r.created_at),
            updated_at: Timestamp::from_micros(r.updated_at),
        }
    }
}

const COLUMNS: &str = "id, tenant_id, slug, display_name, issuer, client_id, client_secret, \
    scopes, claim, role_map, group_map, jit, default_role, enabled, created_at, updated_at";

impl Store {
    /// The tenant's providers, by display name.
    pub async fn list_oidc_providers(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<OidcProviderRecord>, StoreError> {
        let rows: Vec<ProviderRow> = self
            .read()
            .fetch_all(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM oidc_providers WHERE tenant_id = $1 \
                     ORDER BY display_name, id"
                ))
                .bind(tenant.get()),
            )
            .await?;
        Ok(rows.into_iter().map(OidcProviderRecord::from).collect())
    }

    /// One of the tenant's providers.
    pub async fn get_oidc_provider(
        &self,
        tenant: TenantId,
        id: i64,
    ) -> Result<OidcProviderRecord, StoreError> {
        let row: Option<ProviderRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM oidc_providers WHERE id = $1 AND tenant_id = $2"
                ))
                .bind(id)
                .bind(tenant.get()),
            )
            .await?;
        row.map(OidcProviderRecord::from)
            .ok_or(StoreError::NotFound)
    }

    /// One of the tenant's providers by its slug.
    pub async fn find_oidc_provider(
        &self,
        tenant: TenantId,
        slug: &str,
    ) -> Result<Option<OidcProviderRecord>, StoreError> {
        let row: Option<ProviderRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM oidc_providers WHERE slug = $1 AND tenant_id = $2"
                ))
                .bind(slug)
                .bind(tenant.get()),
            )
            .await?;
        Ok(row.map(OidcProviderRecord::from))
    }

    /// Adds a provider; a slug taken in the tenant is a unique `Conflict`.
    pub async fn insert_oidc_provider(
        &self,
        tenant: TenantId,
        input: &OidcProviderInput<'_>,
        now: Timestamp,
    ) -> Result<OidcProviderRecord, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx
            .fetch_scalar(
                Sql::new(
                    "INSERT INTO oidc_providers (tenant_id, slug, display_name, issuer, client_id, \
                     client_secret, scopes, claim, role_map, group_map, jit, default_role, enabled, \
                     created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) \
                     RETURNING id",
                )
                .bind(tenant.get())
                .bind(input.slug)
                .bind(input.display_name)
                .bind(input.issuer)
                .bind(input.client_id)
                .bind(input.client_secret)
                .bind(input.scopes)
                .bind(input.claim)
                .bind(input.role_map)
                .bind(input.group_map)
                .bind(input.jit)
                .bind(input.default_role)
                .bind(input.enabled)
                .bind(now.as_micros()),
            )
            .await?;
        tx.commit().await?;
        self.get_oidc_provider(tenant, id).await
    }

    /// Replaces a provider's settings; a slug taken in the tenant is a unique `Conflict`.
    pub async fn update_oidc_provider(
        &self,
        tenant: TenantId,
        id: i64,
        input: &OidcProviderInput<'_>,
        now: Timestamp,
    ) -> Result<OidcProviderRecord, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx
            .execute(
                Sql::new(
                    "UPDATE oidc_providers SET slug = $1, display_name = $2, issuer = $3, \
                     client_id = $4, client_secret = $5, scopes = $6, claim = $7, role_map = $8, \
                     group_map = $9, jit = $10, default_role = $11, enabled = $12, \
                     updated_at = $13 WHERE id = $14 AND tenant_id = $15",
                )
                .bind(input.slug)
                .bind(input.display_name)
                .bind(input.issuer)
                .bind(input.client_id)
                .bind(input.client_secret)
                .bind(input.scopes)
                .bind(input.claim)
                .bind(input.role_map)
                .bind(input.group_map)
                .bind(input.jit)
                .bind(input.default_role)
                .bind(input.enabled)
                .bind(now.as_micros())
                .bind(id)
                .bind(tenant.get()),
            )
            .await?;
        tx.commit().await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        self.get_oidc_provider(tenant, id).await
    }

    /// Removes a provider, its links and its sign-ins under way.
    pub async fn delete_oidc_provider(&self, tenant: TenantId, id: i64) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new("DELETE FROM oidc_links WHERE provider_id = $1 AND tenant_id = $2")
                .bind(id)
                .bind(tenant.get()),
        )
        .await?;
        tx.execute(
            Sql::new("DELETE FROM oidc_logins WHERE provider_id = $1 AND tenant_id = $2")
                .bind(id)
                .bind(tenant.get()),
        )
        .await?;
        let done = tx
            .execute(
                Sql::new("DELETE FROM oidc_providers WHERE id = $1 AND tenant_id = $2")
                    .bind(id)
                    .bind(tenant.get()),
            )
            .await?;
        tx.commit().await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// The person a provider's subject is linked to.
    pub async fn oidc_linked_user(
        &self,
        tenant: TenantId,
        provider: i64,
        subject: &str,
    ) -> Result<Option<UserId>, StoreError> {
        let id: Option<i64> = self
            .read()
            .fetch_optional_scalar(
                Sql::new(
                    "SELECT user_id FROM oidc_links WHERE provider_id = $1 AND subject = $2 \
                     AND tenant_id = $3",
                )
                .bind(provider)
                .bind(subject)
                .bind(tenant.get()),
            )
            .await?;
        Ok(id.map(UserId::new))
    }

    /// Links a provider's subject to a person (no-op if it already is linked).
    pub async fn link_oidc_subject(
        &self,
        tenant: TenantId,
        provider: i64,
        subject: &str,
        user: UserId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new(
                "INSERT INTO oidc_links (tenant_id, provider_id, subject, user_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            )
            .bind(tenant.get())
            .bind(provider)
            .bind(subject)
            .bind(user.get())
            .bind(now.as_micros()),
        )
        .await?;
        tx.commit().await
    }

    /// Records a sign-in under way, dropping those of the tenant that have expired.
    pub async fn create_oidc_login(&self, login: &NewOidcLogin<'_>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new("DELETE FROM oidc_logins WHERE tenant_id = $1 AND expires_at <= $2")
                .bind(login.tenant_id.get())
                .bind(login.now.as_micros()),
        )
        .await?;
        tx.execute(
            Sql::new(
                "INSERT INTO oidc_logins (state_hash, tenant_id, provider_id, browser_hash, nonce, \
                 verifier, next, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(login.state_hash)
            .bind(login.tenant_id.get())
            .bind(login.provider_id)
            .bind(login.browser_hash)
            .bind(login.nonce)
            .bind(login.verifier)
            .bind(login.next)
            .bind(login.now.as_micros())
            .bind(login.expires_at.as_micros()),
        )
        .await?;
        tx.commit().await
    }

    /// Takes the sign-in under way with this `state` hash: it is removed, so it is used at most
    /// once, whatever the caller decides next.
    pub async fn take_oidc_login(
        &self,
        state_hash: &str,
    ) -> Result<Option<OidcLoginRecord>, StoreError> {
        let mut tx = self.begin().await?;
        let row: Option<(i64, i64, String, String, String, String, i64)> = tx
            .fetch_optional(
                Sql::new(
                    "SELECT tenant_id, provider_id, browser_hash, nonce, verifier, next, expires_at \
                     FROM oidc_logins WHERE state_hash = $1 \
                     /* all-tenants: a sign-in is found by its state's hash, before the tenant is known */",
                )
                .bind(state_hash),
            )
            .await?;
        let Some((tenant, provider, browser_hash, nonce, verifier, next, expires)) = row else {
            return Ok(None);
        };
        let taken = tx
            .execute(
                Sql::new("DELETE FROM oidc_logins WHERE state_hash = $1 AND tenant_id = $2")
                    .bind(state_hash)
                    .bind(tenant),
            )
            .await?;
        tx.commit().await?;
        if taken == 0 {
            return Ok(None);
        }
        Ok(Some(OidcLoginRecord {
            tenant_id: TenantId::new(tenant),
            provider_id: provider,
            browser_hash,
            nonce,
            verifier,
            next,
            expires_at: Timestamp::from_micros(expires),
        }))
    }
}

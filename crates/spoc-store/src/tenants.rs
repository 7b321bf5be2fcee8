//! The tenants themselves: a global table, since a tenant is what every other record belongs
//! to. The provider's admins create and change tenants (`spoc_app::tenants`); each has a slug
//! for its portal's address, an optional host name, a brand (name, logo, colours) and an
//! active flag. A fresh desk has its first tenant from the migration that introduced tenants.

use spoc_domain::{TenantId, Timestamp, UserId};

use crate::db::Sql;
use crate::{AuditNote, Store, StoreError};

/// The columns of a [`TenantRecord`], in its order (never the logo's bytes).
const COLUMNS: &str = "id, name, slug, host, primary_colour, accent_colour, logo_type, \
                       logo_version, active, created_at";

/// A tenant as stored.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TenantRecord {
    /// Its id.
    pub id: i64,
    /// Its display name (unique).
    pub name: String,
    /// Its slug (unique), `/t/{slug}`.
    pub slug: String,
    /// Its own host name (unique), if it has one.
    pub host: Option<String>,
    /// Its primary brand colour, `#rrggbb`.
    pub primary_colour: Option<String>,
    /// Its accent colour, `#rrggbb`.
    pub accent_colour: Option<String>,
    /// The media type of its logo, if it has one.
    pub logo_type: Option<String>,
    /// Counts logo changes, so that a logo's address changes with it.
    pub logo_version: i64,
    /// Whether its people may sign in.
    pub active: bool,
    /// When it was made.
    pub created_at: i64,
}

impl TenantRecord {
    /// Its id.
    pub const fn tenant_id(&self) -> TenantId {
        TenantId::new(self.id)
    }
}

/// A tenant to add.
#[derive(Clone, Debug)]
pub struct NewTenant<'a> {
    /// Display name.
    pub name: &'a str,
    /// Slug.
    pub slug: &'a str,
    /// Host name.
    pub host: Option<&'a str>,
    /// Primary colour.
    pub primary_colour: Option<&'a str>,
    /// Accent colour.
    pub accent_colour: Option<&'a str>,
    /// When.
    pub now: Timestamp,
}

/// Changes to a tenant: `None` leaves a field as it is; `Some(None)` clears an optional one.
#[derive(Clone, Debug, Default)]
pub struct TenantChange {
    /// Display name.
    pub name: Option<String>,
    /// Slug.
    pub slug: Option<String>,
    /// Host name.
    pub host: Option<Option<String>>,
    /// Primary colour.
    pub primary_colour: Option<Option<String>>,
    /// Accent colour.
    pub accent_colour: Option<Option<String>>,
    /// Active flag.
    pub active: Option<bool>,
}

impl Store {
    /// Adds a tenant named `name` with the slug `tenant-{id}`; a taken name is a unique
    /// `Conflict`. Its desk is prepared by the app (`App::prepare_desk`).
    pub async fn create_tenant(&self, name: &str, now: Timestamp) -> Result<TenantId, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx
            .fetch_scalar(
                Sql::new(
                    "INSERT INTO tenants (name, created_at, slug) \
                     SELECT $1, $2, 'new-' || CAST(COALESCE(MAX(id), 0) + 1 AS TEXT) FROM tenants \
                     RETURNING id",
                )
                .bind(name)
                .bind(now.as_micros()),
            )
            .await?;
        tx.execute(
            Sql::new("UPDATE tenants SET slug = $1 WHERE id = $2")
                .bind(format!("tenant-{id}"))
                .bind(id),
        )
        .await?;
        tx.commit().await?;
        Ok(TenantId::new(id))
    }

    /// Adds a tenant; a taken name, slug or host name is a unique `Conflict` whose `what`
    /// names the column.
    pub async fn insert_tenant(&self, new: &NewTenant<'_>) -> Result<TenantRecord, StoreError> {
        let mut tx = self.begin().await?;
        let record: TenantRecord = tx
            .fetch_one(
                Sql::new(format!(
                    "INSERT INTO tenants (name, slug, host, primary_colour, accent_colour, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
                ))
                .bind(new.name)
                .bind(new.slug)
                .bind(new.host)
                .bind(new.primary_colour)
                .bind(new.accent_colour)
                .bind(new.now.as_micros()),
            )
            .await?;
        tx.commit().await?;
        Ok(record)
    }

    /// Every tenant's id, oldest first.
    pub async fn tenant_ids(&self) -> Result<Vec<TenantId>, StoreError> {
        let ids: Vec<i64> = self
            .read()
            .fetch_scalars(Sql::new("SELECT id FROM tenants ORDER BY id"))
            .await?;
        Ok(ids.into_iter().map(TenantId::new).collect())
    }

    /// How many tenants the desk has.
    pub async fn count_tenants(&self) -> Result<i64, StoreError> {
        self.read()
            .fetch_scalar(Sql::new("SELECT COUNT(*) FROM tenants"))
            .await
    }

    /// Every tenant, oldest first.
    pub async fn list_tenants(&self) -> Result<Vec<TenantRecord>, StoreError> {
        self.read()
            .fetch_all(Sql::new(format!(
                "SELECT {COLUMNS} FROM tenants ORDER BY id"
            )))
            .await
    }

    /// One tenant; `NotFound` if there is none.
    pub async fn get_tenant(&self, id: TenantId) -> Result<TenantRecord, StoreError> {
        self.read()
            .fetch_optional(
                Sql::new(format!("SELECT {COLUMNS} FROM tenants WHERE id = $1")).bind(id.get()),
            )
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The tenant with this slug, if any.
    pub async fn tenant_by_slug(&self, slug: &str) -> Result<Option<TenantRecord>, StoreError> {
        self.read()
            .fetch_optional(
                Sql::new(format!("SELECT {COLUMNS} FROM tenants WHERE slug = $1")).bind(slug),
            )
            .await
    }

    /// The tenant with this host name, if any.
    pub async fn tenant_by_host(&self, host: &str) -> Result<Option<TenantRecord>, StoreError> {
        self.read()
            .fetch_optional(
                Sql::new(format!("SELECT {COLUMNS} FROM tenants WHERE host = $1")).bind(host),
            )
            .await
    }

    /// Changes a tenant; `NotFound` if there is none, a unique `Conflict` as for
    /// [`Store::insert_tenant`].
    pub async fn update_tenant(
        &self,
        id: TenantId,
        change: &TenantChange,
        audit: &[AuditNote],
    ) -> Result<TenantRecord, StoreError> {
        let mut sql = Sql::new("UPDATE tenants SET id = id");
        if let Some(name) = &change.name {
            sql.push(", name = ").push_bind(name.clone());
        }
        if let Some(slug) = &change.slug {
            sql.push(", slug = ").push_bind(slug.clone());
        }
        if let Some(host) = &change.host {
            sql.push(", host = ").push_bind(host.clone());
        }
        if let Some(colour) = &change.primary_colour {
            sql.push(", primary_colour = ").push_bind(colour.clone());
        }
        if let Some(colour) = &change.accent_colour {
            sql.push(", accent_colour = ").push_bind(colour.clone());
        }
        if let Some(active) = change.active {
            sql.push(", active = ").push_bind(active);
        }
        sql.push(" WHERE id = ").push_bind(id.get());
        sql.push(&format!(" RETURNING {COLUMNS}"));
        let mut tx = self.begin().await?;
        let record: Option<TenantRecord> = tx.fetch_optional(sql).await?;
        let record = record.ok_or(StoreError::NotFound)?;
        crate::audit::append_in(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(record)
    }

    /// Sets (or with `None` removes) a tenant's logo: its bytes and media type.
    pub async fn set_tenant_logo(
        &self,
        id: TenantId,
        logo: Option<(&[u8], &str)>,
        audit: &[AuditNote],
    ) -> Result<TenantRecord, StoreError> {
        let (bytes, media_type) = match logo {
            Some((bytes, media_type)) => (Some(bytes.to_vec()), Some(media_type)),
            None => (None, None),
        };
        let mut sql = Sql::new("UPDATE tenants SET logo = ");
        match bytes {
            Some(bytes) => sql.push_bind(bytes),
            None => sql.push("NULL"),
        };
        sql.push(", logo_type = ")
            .push_bind(media_type)
            .push(", logo_version = logo_version + 1 WHERE id = ")
            .push_bind(id.get())
            .push(&format!(" RETURNING {COLUMNS}"));
        let mut tx = self.begin().await?;
        let record: Option<TenantRecord> = tx.fetch_optional(sql).await?;
        let record = record.ok_or(StoreError::NotFound)?;
        crate::audit::append_in(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(record)
    }

    /// A tenant's logo: its bytes and media type, if it has one.
    pub async fn tenant_logo(&self, id: TenantId) -> Result<Option<(Vec<u8>, String)>, StoreError> {
        let row: Option<(Option<Vec<u8>>, Option<String>)> = self
            .read()
            .fetch_optional(
                Sql::new("SELECT logo, logo_type FROM tenants WHERE id = $1").bind(id.get()),
            )
            .await?;
        Ok(match row {
            Some((Some(bytes), Some(media_type))) => Some((bytes, media_type)),
            _ => None,
        })
    }

    /// Records a link with which a tenant's first admin sets their password: a password reset
    /// (hash `token_hash`) that works until `expires_at`, handed to whoever made the tenant
    /// rather than mailed.
    pub async fn create_welcome_link(
        &self,
        tenant: TenantId,
        user: UserId,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
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
        tx.commit().await
    }
}

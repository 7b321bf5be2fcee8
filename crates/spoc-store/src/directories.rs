//! LDAP / Active Directory directories of a tenant (with the lease that lets one node sync each),
//! and the people each one provides, by the directory's own unique id of them.

use spoc_domain::user::Role;
use spoc_domain::{DirectoryId, TenantId, Timestamp, UserId};

use spoc_domain::text::canonical_email;

use crate::changes::{Change, Entity};
use crate::db::Sql;
use crate::{Store, StoreError};

/// A directory's settings as written by an admin. The bind password is already encrypted.
#[derive(Clone, PartialEq, Eq)]
pub struct DirectoryInput {
    /// Unique name within the tenant.
    pub name: String,
    /// Whether people sign in with it and it is synced.
    pub enabled: bool,
    /// `ldaps://host:port` or `ldap://host:port` (then StartTLS).
    pub url: String,
    /// The CA certificate (PEM) to trust for the server; none: the public roots.
    pub ca_certificate: Option<String>,
    /// The service account's DN.
    pub bind_dn: String,
    /// The service account's password, encrypted.
    pub bind_password: String,
    /// Where people are searched.
    pub user_base: String,
    /// Which entries are people, e.g. `(objectClass=inetOrgPerson)`.
    pub user_filter: String,
    /// The attribute holding a person's e-mail address.
    pub email_attribute: String,
    /// The attribute holding a person's name.
    pub name_attribute: String,
    /// The attribute holding a person's unique id (`entryUUID`, `objectGUID`).
    pub id_attribute: String,
    /// Where groups are searched; none: no group import.
    pub group_base: Option<String>,
    /// Which entries are groups.
    pub group_filter: String,
    /// The group attribute listing members' DNs.
    pub member_attribute: String,
    /// Group DN → role / resolver group, as JSON.
    pub mappings: String,
    /// The role of an imported person no mapping gives one.
    pub default_role: Role,
    /// Seconds between syncs.
    pub sync_seconds: i64,
}

impl std::fmt::Debug for DirectoryInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirectoryInput")
            .field("name", &self.name)
            .field("url", &self.url)
            .field("bind_dn", &self.bind_dn)
            .field("bind_password", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// A directory as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectoryRecord {
    /// Id.
    pub id: DirectoryId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Its settings.
    pub input: DirectoryInput,
    /// An admin asked for a sync now.
    pub sync_requested: bool,
    /// When the last sync ended.
    pub last_sync_at: Option<Timestamp>,
    /// When the last full pass ended.
    pub last_full_sync_at: Option<Timestamp>,
    /// Why the last sync failed.
    pub last_sync_error: Option<String>,
    /// What the last successful sync did.
    pub last_sync_summary: Option<String>,
    /// The latest `modifyTimestamp` imported, for the next incremental pass.
    pub high_water: Option<String>,
    /// When created.
    pub created_at: Timestamp,
    /// When last changed.
    pub updated_at: Timestamp,
}

/// A person a directory provides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectoryPersonRecord {
    /// The person.
    pub user_id: UserId,
    /// The directory's unique id of them.
    pub external_id: String,
    /// Their entry's DN when last seen.
    pub dn: String,
}

#[derive(sqlx::FromRow)]
struct DirectoryRow {
    id: i64,
    tenant_id: i64,
    name: String,
    enabled: bool,
    url: String,
    ca_certificate: Option<String>,
    bind_dn: String,
    bind_password: String,
    user_base: String,
    user_filter: String,
    email_attribute: String,
    name_attribute: String,
    id_attribute: String,
    group_base: Option<String>,
    group_filter: String,
    member_attribute: String,
    mappings: String,
    default_role: String,
    sync_seconds: i64,
    sync_requested: bool,
    last_sync_at: Option<i64>,
    last_full_sync_at: Option<i64>,
    last_sync_error: Option<String>,
    last_sync_summary: Option<String>,
    high_water: Option<String>,
    created_at: i64,
    updated_at: i64,
}

const COLUMNS: &str = "id, tenant_id, name, enabled, url, ca_certificate, bind_dn, bind_password, \
     user_base, user_filter, email_attribute, name_attribute, id_attribute, group_base, \
     group_filter, member_attribute, mappings, default_role, sync_seconds, sync_requested, \
     last_sync_at, last_full_sync_at, last_sync_error, last_sync_summary, high_water, created_at, \
     updated_at";

impl TryFrom<DirectoryRow> for DirectoryRecord {
    type Error = StoreError;

    fn try_from(r: DirectoryRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: DirectoryId::new(r.id),
            tenant_id: TenantId::new(r.tenant_id),
            input: DirectoryInput {
                name: r.name,
                enabled: r.enabled,
                url: r.url,
                ca_certificate: r.ca_certificate,
                bind_dn: r.bind_dn,
                bind_password: r.bind_password,
                user_base: r.user_base,
                user_filter: r.user_filter,
                email_attribute: r.email_attribute,
                name_attribute: r.name_attribute,
                id_attribute: r.id_attribute,
                group_base: r.group_base,
                group_filter: r.group_filter,
                member_attribute: r.member_attribute,
                mappings: r.mappings,
                default_role: Role::parse(&r.default_role)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                sync_seconds: r.sync_seconds,
            },
            sync_requested: r.sync_requested,
            last_sync_at: r.last_sync_at.map(Timestamp::from_micros),
            last_full_sync_at: r.last_full_sync_at.map(Timestamp::from_micros),
            last_sync_error: r.last_sync_error,
            last_sync_summary: r.last_sync_summary,
            high_water: r.high_water,
            created_at: Timestamp::from_micros(r.created_at),
            updated_at: Timestamp::from_micros(r.updated_at),
        })
    }
}

fn records(rows: Vec<DirectoryRow>) -> Result<Vec<DirectoryRecord>, StoreError> {
    rows.into_iter().map(DirectoryRecord::try_from).collect()
}

fn bind_input(sql: Sql, i: &DirectoryInput) -> Sql {
    sql.bind(&i.name)
        .bind(i.enabled)
        .bind(&i.url)
        .bind(i.ca_certificate.as_deref())
        .bind(&i.bind_dn)
        .bind(&i.bind_password)
        .bind(&i.user_base)
        .bind(&i.user_filter)
        .bind(&i.email_attribute)
        .bind(&i.name_attribute)
        .bind(&i.id_attribute)
        .bind(i.group_base.as_deref())
        .bind(&i.group_filter)
        .bind(&i.member_attribute)
        .bind(&i.mappings)
        .bind(i.default_role.as_str())
        .bind(i.sync_seconds)
}

impl Store {
    /// Adds a directory. A taken name is a unique `Conflict`.
    pub async fn create_directory(
        &self,
        tenant: TenantId,
        input: &DirectoryInput,
        now: Timestamp,
    ) -> Result<DirectoryRecord, StoreError> {
        let sql = Sql::new(format!(
            "INSERT INTO ldap_directories (name, enabled, url, ca_certificate, bind_dn, \
             bind_password, user_base, user_filter, email_attribute, name_attribute, id_attribute, \
             group_base, group_filter, member_attribute, mappings, default_role, sync_seconds, \
             created_at, updated_at, tenant_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11, $12, $13, $14, $15, $16, $17, $18, $18, $19) RETURNING {COLUMNS}"
        ));
        let row: DirectoryRow = self
            .write_fetch_one(
                bind_input(sql, input)
                    .bind(now.as_micros())
                    .bind(tenant.get()),
            )
            .await?;
        row.try_into()
    }

    /// Replaces a directory's settings; an incremental pass starts over with a full one.
    pub async fn update_directory(
        &self,
        tenant: TenantId,
        id: DirectoryId,
        input: &DirectoryInput,
        now: Timestamp,
    ) -> Result<DirectoryRecord, StoreError> {
        let sql = Sql::new(format!(
            "UPDATE ldap_directories SET name = $1, enabled = $2, url = $3, ca_certificate = $4, \
             bind_dn = $5, bind_password = $6, user_base = $7, user_filter = $8, \
             email_attribute = $9, name_attribute = $10, id_attribute = $11, group_base = $12, \
             group_filter = $13, member_attribute = $14, mappings = $15, default_role = $16, \
             sync_seconds = $17, updated_at = $18, high_water = NULL, last_sync_error = NULL \
             WHERE id = $19 AND tenant_id = $20 RETURNING {COLUMNS}"
        ));
        let row: Option<DirectoryRow> = self
            .write_fetch_optional(
                bind_input(sql, input)
                    .bind(now.as_micros())
                    .bind(id.get())
                    .bind(tenant.get()),
            )
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Removes a directory and its links to people (the people stay).
    pub async fn delete_directory(
        &self,
        tenant: TenantId,
        id: DirectoryId,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new(
                "DELETE FROM ldap_directory_people WHERE directory_id = $1 AND tenant_id = $2",
            )
            .bind(id.get())
            .bind(tenant.get()),
        )
        .await?;
        let done = tx
            .execute(
                Sql::new("DELETE FROM ldap_directories WHERE id = $1 AND tenant_id = $2")
                    .bind(id.get())
                    .bind(tenant.get()),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every directory of a tenant, by name.
    pub async fn list_directories(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<DirectoryRecord>, StoreError> {
        let rows: Vec<DirectoryRow> = self
            .read()
            .fetch_all(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM ldap_directories WHERE tenant_id = $1 ORDER BY name, id"
                ))
                .bind(tenant.get()),
            )
            .await?;
        records(rows)
    }

    /// Every enabled directory of every tenant, oldest tenant first: signing in comes before
    /// any tenant is known.
    pub async fn enabled_directories_all_tenants(
        &self,
    ) -> Result<Vec<DirectoryRecord>, StoreError> {
        let rows: Vec<DirectoryRow> = self
            .read()
            .fetch_all(Sql::new(format!(
                "SELECT {COLUMNS} FROM ldap_directories WHERE enabled \
                 /* all-tenants: sign-in before the tenant is known */ ORDER BY tenant_id, id"
            )))
            .await?;
        records(rows)
    }

    /// One directory.
    pub async fn get_directory(
        &self,
        tenant: TenantId,
        id: DirectoryId,
    ) -> Result<DirectoryRecord, StoreError> {
        let row: Option<DirectoryRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM ldap_directories WHERE id = $1 AND tenant_id = $2"
                ))
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Asks for a sync of a directory at the next look of the worker.
    pub async fn request_directory_sync(
        &self,
        tenant: TenantId,
        id: DirectoryId,
    ) -> Result<(), StoreError> {
        let done = self
            .write_execute(
                Sql::new(
                    "UPDATE ldap_directories SET sync_requested = TRUE WHERE id = $1 \
                     AND tenant_id = $2",
                )
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Leases one enabled directory whose sync is due at `now` (or was asked for) and that no
    /// live worker holds, to `owner` until `lease_until`; `None` when there is none.
    pub async fn claim_directory(
        &self,
        now: Timestamp,
        owner: &str,
        lease_until: Timestamp,
    ) -> Result<Option<DirectoryRecord>, StoreError> {
        let skip_locked = self.read().dialect().skip_locked();
        let mut tx = self.begin().await?;
        let sql = format!(
            "UPDATE ldap_directories SET lease_owner = $1, lease_until = $2, \
             sync_requested = FALSE WHERE id IN ( \
               SELECT id FROM ldap_directories WHERE enabled \
               AND (lease_until IS NULL OR lease_until < $3) \
               AND (sync_requested OR last_sync_at IS NULL \
                    OR last_sync_at + sync_seconds * 1000000 <= $3) \
               ORDER BY COALESCE(last_sync_at, 0), id LIMIT 1{skip_locked}) \
             /* all-tenants: the sync worker serves every tenant's directories */ \
             RETURNING {COLUMNS}"
        );
        let row: Option<DirectoryRow> = tx
            .fetch_optional(
                Sql::new(sql)
                    .bind(owner)
                    .bind(lease_until.as_micros())
                    .bind(now.as_micros()),
            )
            .await?;
        tx.commit().await?;
        row.map(DirectoryRecord::try_from).transpose()
    }

    /// Records a finished sync and gives the lease back: on success its summary, the new high
    /// water mark and (after a full pass) when; on failure the error.
    pub async fn finish_directory_sync(
        &self,
        id: DirectoryId,
        owner: &str,
        now: Timestamp,
        outcome: &SyncOutcome,
    ) -> Result<(), StoreError> {
        let sql = match outcome {
            SyncOutcome::Failed(error) => Sql::new(
                "UPDATE ldap_directories SET last_sync_at = $1, last_sync_error = $2, \
                 lease_owner = NULL, lease_until = NULL WHERE id = $3 AND lease_owner = $4 \
                 /* all-tenants: this node's claim */",
            )
            .bind(now.as_micros())
            .bind(error.as_str()),
            SyncOutcome::Done {
                summary,
                high_water,
                full,
            } => Sql::new(
                "UPDATE ldap_directories SET last_sync_at = $1, last_sync_error = NULL, \
                 last_sync_summary = $2, high_water = COALESCE($5, high_water), \
                 last_full_sync_at = CASE WHEN $6 THEN $1 ELSE last_full_sync_at END, \
                 lease_owner = NULL, lease_until = NULL WHERE id = $3 AND lease_owner = $4 \
                 /* all-tenants: this node's claim */",
            )
            .bind(now.as_micros())
            .bind(summary.as_str())
            .bind(id.get())
            .bind(owner)
            .bind(high_water.as_deref())
            .bind(*full),
        };
        let sql = match outcome {
            SyncOutcome::Failed(_) => sql.bind(id.get()).bind(owner),
            SyncOutcome::Done { .. } => sql,
        };
        self.write_execute(sql).await?;
        Ok(())
    }

    /// The people a directory provides.
    pub async fn directory_people(
        &self,
        tenant: TenantId,
        directory: DirectoryId,
    ) -> Result<Vec<DirectoryPersonRecord>, StoreError> {
        let rows: Vec<(i64, String, String)> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT user_id, external_id, dn FROM ldap_directory_people \
                     WHERE directory_id = $1 AND tenant_id = $2 ORDER BY user_id",
                )
                .bind(directory.get())
                .bind(tenant.get()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(user_id, external_id, dn)| DirectoryPersonRecord {
                user_id: UserId::new(user_id),
                external_id,
                dn,
            })
            .collect())
    }

    /// The directory a person came from, if any.
    pub async fn directory_of_person(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<Option<DirectoryId>, StoreError> {
        let id: Option<i64> = self
            .read()
            .fetch_optional_scalar(
                Sql::new(
                    "SELECT directory_id FROM ldap_directory_people WHERE user_id = $1 \
                     AND tenant_id = $2 ORDER BY directory_id LIMIT 1",
                )
                .bind(user.get())
                .bind(tenant.get()),
            )
            .await?;
        Ok(id.map(DirectoryId::new))
    }

    /// Links a person to a directory's entry (or updates the link), seen at `now`.
    pub async fn link_directory_person(
        &self,
        tenant: TenantId,
        directory: DirectoryId,
        person: &DirectoryPersonRecord,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new(
                "DELETE FROM ldap_directory_people WHERE directory_id = $1 AND tenant_id = $2 \
                 AND (user_id = $3 OR external_id = $4)",
            )
            .bind(directory.get())
            .bind(tenant.get())
            .bind(person.user_id.get())
            .bind(&person.external_id),
        )
        .await?;
        tx.execute(
            Sql::new(
                "INSERT INTO ldap_directory_people (tenant_id, directory_id, user_id, \
                 external_id, dn, seen_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(tenant.get())
            .bind(directory.get())
            .bind(person.user_id.get())
            .bind(&person.external_id)
            .bind(&person.dn)
            .bind(now.as_micros()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks a person's link to a directory as deprovisioned by its sync at `now` (they left
    /// the directory), so that [`Store::reactivate_directory_person`] can bring them back.
    pub async fn mark_directory_person_deprovisioned(
        &self,
        tenant: TenantId,
        directory: DirectoryId,
        user: UserId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.write_execute(
            Sql::new(
                "UPDATE ldap_directory_people SET deprovisioned_at = $1 \
                 WHERE directory_id = $2 AND user_id = $3 AND tenant_id = $4",
            )
            .bind(now.as_micros())
            .bind(directory.get())
            .bind(user.get())
            .bind(tenant.get()),
        )
        .await?;
        Ok(())
    }

    /// Reactivates a person the directory's sync deprovisioned and who is back in it, in one
    /// transaction with clearing the mark; `false` (nothing changed) for a person it did not
    /// deprovision — one an admin deactivated stays so.
    pub async fn reactivate_directory_person(
        &self,
        tenant: TenantId,
        directory: DirectoryId,
        user: UserId,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let cleared = tx
            .execute(
                Sql::new(
                    "UPDATE ldap_directory_people SET deprovisioned_at = NULL \
                     WHERE directory_id = $1 AND user_id = $2 AND tenant_id = $3 \
                     AND deprovisioned_at IS NOT NULL",
                )
                .bind(directory.get())
                .bind(user.get())
                .bind(tenant.get()),
            )
            .await?;
        if cleared == 0 {
            return Ok(false);
        }
        let reactivated = tx
            .execute(
                Sql::new(
                    "UPDATE users SET active = TRUE WHERE id = $1 AND tenant_id = $2 \
                     AND active = FALSE",
                )
                .bind(user.get())
                .bind(tenant.get()),
            )
            .await?;
        if reactivated > 0 {
            tx.changed(Change::of(tenant, Entity::User, user.get(), "updated"));
        }
        tx.commit().await?;
        Ok(reactivated > 0)
    }

    /// Leases one directory to `owner` until `lease_until` for a sync an admin asked for;
    /// `false` when another worker holds it.
    pub async fn lease_directory(
        &self,
        tenant: TenantId,
        id: DirectoryId,
        owner: &str,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = self
            .write_execute(
                Sql::new(
                    "UPDATE ldap_directories SET lease_owner = $1, lease_until = $2, \
                     sync_requested = FALSE WHERE id = $3 AND tenant_id = $4 \
                     AND (lease_until IS NULL OR lease_until < $5)",
                )
                .bind(owner)
                .bind(lease_until.as_micros())
                .bind(id.get())
                .bind(tenant.get())
                .bind(now.as_micros()),
            )
            .await?;
        Ok(done == 1)
    }

    /// Changes a person's e-mail address (the directory changed it). A taken address is a
    /// unique `Conflict`.
    pub async fn set_user_email(
        &self,
        tenant: TenantId,
        user: UserId,
        email: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let done = tx
            .execute(
                Sql::new(
                    "UPDATE users SET email = $1, email_canonical = $2 WHERE id = $3 \
                     AND tenant_id = $4",
                )
                .bind(email)
                .bind(canonical_email(email))
                .bind(user.get())
                .bind(tenant.get()),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        tx.changed(Change::of(tenant, Entity::User, user.get(), "updated"));
        tx.commit().await?;
        Ok(())
    }
}

/// How a sync ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncOutcome {
    /// It failed: why.
    Failed(String),
    /// It did its work.
    Done {
        /// What it did, in a line.
        summary: String,
        /// The latest `modifyTimestamp` seen, if any.
        high_water: Option<String>,
        /// Whether it was a full pass.
        full: bool,
    },
}

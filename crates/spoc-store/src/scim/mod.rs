//! SCIM provisioning: the tenant's SCIM bearer tokens (found by their hash before the tenant is
//! known, like API tokens), what an identity provider said of the people and resolver groups it
//! provisions beyond Spoc's own columns, and deprovisioning a person (deactivated, every session
//! and API token ended in one transaction).

use spoc_domain::text::canonical_email;
use spoc_domain::user::Role;
use spoc_domain::{TenantId, Timestamp, UserId};

use self::kept::{Kept, mark_removed, replace_row};
use crate::changes::{Change, Entity};
use crate::db::Sql;
use crate::directory::UserRow;
use crate::{Store, StoreError, UserRecord};

mod groups;
mod kept;

pub use groups::{MembersChange, ScimGroupRecord};

/// A SCIM bearer token as its tenant's admins see it (never its secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScimTokenRecord {
    /// Id.
    pub id: i64,
    /// The tenant it provisions.
    pub tenant_id: TenantId,
    /// Free label.
    pub label: String,
    /// Who created it.
    pub created_by: Option<UserId>,
    /// When created.
    pub created_at: Timestamp,
    /// Last authenticated request (updated at most once a minute).
    pub last_used_at: Option<Timestamp>,
    /// When revoked.
    pub revoked_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct ScimTokenRow {
    id: i64,
    tenant_id: i64,
    label: String,
    created_by: Option<i64>,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

const SCIM_TOKEN_COLUMNS: &str =
    "id, tenant_id, label, created_by, created_at, last_used_at, revoked_at";

impl From<ScimTokenRow> for ScimTokenRecord {
    fn from(r: ScimTokenRow) -> Self {
        Self {
            id: r.id,
            tenant_id: TenantId::new(r.tenant_id),
            label: r.label,
            created_by: r.created_by.map(UserId::new),
            created_at: Timestamp::from_micros(r.created_at),
            last_used_at: r.last_used_at.map(Timestamp::from_micros),
            revoked_at: r.revoked_at.map(Timestamp::from_micros),
        }
    }
}

/// A person as SCIM shows them: Spoc's record and what the identity provider added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScimPersonRecord {
    /// Spoc's person.
    pub user: UserRecord,
    /// The identity provider's id of the person.
    pub external_id: Option<String>,
    /// Given name, as provisioned.
    pub given_name: Option<String>,
    /// Family name, as provisioned.
    pub family_name: Option<String>,
    /// When SCIM last changed the person (none: never provisioned).
    pub updated_at: Option<Timestamp>,
    /// Whether the identity provider deleted the person.
    pub removed: bool,
}

#[derive(sqlx::FromRow)]
struct ScimPersonRow {
    #[sqlx(flatten)]
    user: UserRow,
    external_id: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    updated_at: Option<i64>,
    removed_at: Option<i64>,
}

impl TryFrom<ScimPersonRow> for ScimPersonRecord {
    type Error = StoreError;

    fn try_from(r: ScimPersonRow) -> Result<Self, StoreError> {
        Ok(Self {
            user: r.user.try_into()?,
            external_id: r.external_id,
            given_name: r.given_name,
            family_name: r.family_name,
            updated_at: r.updated_at.map(Timestamp::from_micros),
            removed: r.removed_at.is_some(),
        })
    }
}

const PERSON_SELECT: &str = "SELECT u.id, u.tenant_id, u.email, u.name, u.role, u.organization_id, \
     u.super_user, u.active, u.created_at, s.external_id, s.given_name, s.family_name, \
     s.updated_at, s.removed_at FROM users u LEFT JOIN scim_users s ON s.user_id = u.id";

/// Which people a SCIM listing asks for; every given field must match.
#[derive(Clone, Debug, Default)]
pub struct ScimPeopleQuery {
    /// The person with this id.
    pub id: Option<UserId>,
    /// The person with this e-mail (compared canonically).
    pub email: Option<String>,
    /// The person with this external id.
    pub external_id: Option<String>,
}

/// What SCIM sets of a person; `None` keeps a value.
#[derive(Clone, Debug, Default)]
pub struct ScimPersonUpdate {
    /// New e-mail (the SCIM userName).
    pub email: Option<String>,
    /// New display name.
    pub name: Option<String>,
    /// Reactivate (deactivating is [`Store::deprovision_user`]).
    pub reactivate: bool,
    /// External id (`Some(None)` removes it).
    pub external_id: Option<Option<String>>,
    /// Given name (`Some(None)` removes it).
    pub given_name: Option<Option<String>>,
    /// Family name (`Some(None)` removes it).
    pub family_name: Option<Option<String>>,
}

impl Store {
    // ----- tokens -----

    /// Stores a new SCIM token's hash.
    pub async fn create_scim_token(
        &self,
        tenant: TenantId,
        label: &str,
        token_hash: &str,
        created_by: UserId,
        now: Timestamp,
    ) -> Result<ScimTokenRecord, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx
            .fetch_scalar(
                Sql::new(
                    "INSERT INTO scim_tokens (tenant_id, label, token_hash, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(tenant.get())
                .bind(label)
                .bind(token_hash)
                .bind(created_by.get())
                .bind(now.as_micros()),
            )
            .await?;
        tx.commit().await?;
        Ok(ScimTokenRecord {
            id,
            tenant_id: tenant,
            label: label.to_owned(),
            created_by: Some(created_by),
            created_at: now,
            last_used_at: None,
            revoked_at: None,
        })
    }

    /// The live SCIM token with this hash.
    pub async fn find_scim_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<ScimTokenRecord>, StoreError> {
        let row: Option<ScimTokenRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {SCIM_TOKEN_COLUMNS} FROM scim_tokens \
                     /* all-tenants: a token is found by its hash, before the tenant is known */ \
                     WHERE token_hash = $1 AND revoked_at IS NULL"
                ))
                .bind(token_hash),
            )
            .await?;
        Ok(row.map(ScimTokenRecord::from))
    }

    /// Records that a SCIM token was used.
    pub async fn touch_scim_token(
        &self,
        tenant: TenantId,
        id: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new("UPDATE scim_tokens SET last_used_at = $1 WHERE id = $2 AND tenant_id = $3")
                .bind(now.as_micros())
                .bind(id)
                .bind(tenant.get()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The tenant's SCIM tokens, newest first.
    pub async fn list_scim_tokens(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<ScimTokenRecord>, StoreError> {
        let rows: Vec<ScimTokenRow> = self
            .read()
            .fetch_all(
                Sql::new(format!(
                    "SELECT {SCIM_TOKEN_COLUMNS} FROM scim_tokens WHERE tenant_id = $1 ORDER BY id DESC"
                ))
                .bind(tenant.get()),
            )
            .await?;
        Ok(rows.into_iter().map(ScimTokenRecord::from).collect())
    }

    /// Revokes one of the tenant's live SCIM tokens.
    pub async fn revoke_scim_token(
        &self,
        tenant: TenantId,
        id: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let done = tx
            .execute(
                Sql::new(
                    "UPDATE scim_tokens SET revoked_at = $1 WHERE id = $2 AND tenant_id = $3 \
                     AND revoked_at IS NULL",
                )
                .bind(now.as_micros())
                .bind(id)
                .bind(tenant.get()),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    // ----- deprovisioning -----

    /// Deactivates a person and, in the same transaction, ends every browser session and
    /// revokes every API token of theirs.
    pub async fn deprovision_user(
        &self,
        tenant: TenantId,
        user: UserId,
        now: Timestamp,
    ) -> Result<UserRecord, StoreError> {
        let mut tx = self.begin().await?;
        let row: UserRow = tx
            .fetch_optional(
                Sql::new(format!(
                    "UPDATE users SET active = FALSE WHERE id = $1 AND tenant_id = $2 RETURNING {}",
                    crate::directory::USER_COLUMNS
                ))
                .bind(user.get())
                .bind(tenant.get()),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.execute(
            Sql::new("DELETE FROM sessions WHERE user_id = $1 AND tenant_id = $2")
                .bind(user.get())
                .bind(tenant.get()),
        )
        .await?;
        tx.execute(
            Sql::new(
                "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND tenant_id = $3 \
                 AND revoked_at IS NULL",
            )
            .bind(now.as_micros())
            .bind(user.get())
            .bind(tenant.get()),
        )
        .await?;
        tx.changed(Change::of(tenant, Entity::User, user.get(), "updated"));
        crate::grants::sync_links(&mut tx, user).await?;
        tx.commit().await?;
        row.try_into()
    }

    // ----- people -----

    /// People as SCIM lists them (not those the identity provider deleted), by id: how many
    /// match, and `limit` of them from `offset`.
    pub async fn scim_people(
        &self,
        tenant: TenantId,
        query: &ScimPeopleQuery,
        offset: i64,
        limit: i64,
    ) -> Result<(i64, Vec<ScimPersonRecord>), StoreError> {
        let filter = |sql: &mut Sql| {
            sql.push(" AND s.removed_at IS NULL");
            if let Some(id) = query.id {
                sql.push(" AND u.id = ").push_bind(id.get());
            }
            if let Some(email) = &query.email {
                sql.push(" AND u.email_canonical = ")
                    .push_bind(canonical_email(email));
            }
            if let Some(external) = &query.external_id {
                sql.push(" AND s.external_id = ")
                    .push_bind(external.clone());
            }
        };
        let mut count = Sql::new(
            "SELECT COUNT(*) FROM users u LEFT JOIN scim_users s ON s.user_id = u.id \
             WHERE u.tenant_id = $1",
        )
        .bind(tenant.get());
        filter(&mut count);
        let total: i64 = self.read().fetch_scalar(count).await?;
        let mut list =
            Sql::new(format!("{PERSON_SELECT} WHERE u.tenant_id = $1")).bind(tenant.get());
        filter(&mut list);
        list.push(" ORDER BY u.id LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset);
        let rows: Vec<ScimPersonRow> = self.read().fetch_all(list).await?;
        let people = rows
            .into_iter()
            .map(ScimPersonRecord::try_from)
            .collect::<Result<_, _>>()?;
        Ok((total, people))
    }

    /// A person by e-mail (compared canonically), also one the identity provider deleted.
    pub async fn scim_person_by_email(
        &self,
        tenant: TenantId,
        email: &str,
    ) -> Result<Option<ScimPersonRecord>, StoreError> {
        let row: Option<ScimPersonRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "{PERSON_SELECT} WHERE u.email_canonical = $1 AND u.tenant_id = $2"
                ))
                .bind(canonical_email(email))
                .bind(tenant.get()),
            )
            .await?;
        row.map(ScimPersonRecord::try_from).transpose()
    }

    /// Adds a person provisioned by SCIM, active, with what the identity provider said of them.
    /// A taken e-mail is a `Conflict`.
    pub async fn create_scim_person(
        &self,
        tenant: TenantId,
        (email, name): (&str, &str),
        update: &ScimPersonUpdate,
        now: Timestamp,
    ) -> Result<UserId, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx
            .fetch_scalar(
                Sql::new(
                    "INSERT INTO users (email, name, role, organization_id, super_user, password_hash, \
                     active, created_at, email_canonical, tenant_id) \
                     VALUES ($1, $2, $3, NULL, FALSE, NULL, TRUE, $4, $5, $6) RETURNING id",
                )
                .bind(email)
                .bind(name)
                .bind(Role::Customer.as_str())
                .bind(now.as_micros())
                .bind(canonical_email(email))
                .bind(tenant.get()),
            )
            .await?;
        replace_row(
            &mut tx,
            Kept::Person,
            (tenant, id),
            &[
                ("external_id", update.external_id.clone().flatten()),
                ("given_name", update.given_name.clone().flatten()),
                ("family_name", update.family_name.clone().flatten()),
            ],
            now,
        )
        .await?;
        tx.changed(Change::of(tenant, Entity::User, id, "created"));
        tx.commit().await?;
        Ok(UserId::new(id))
    }

    /// Changes what SCIM sets of a person (and brings back one the identity provider deleted).
    /// A taken e-mail is a `Conflict`; a person of another tenant is `NotFound`.
    pub async fn update_scim_person(
        &self,
        tenant: TenantId,
        user: UserId,
        update: &ScimPersonUpdate,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let current: Option<ScimPersonRow> = tx
            .fetch_optional(
                Sql::new(format!(
                    "{PERSON_SELECT} WHERE u.id = $1 AND u.tenant_id = $2"
                ))
                .bind(user.get())
                .bind(tenant.get()),
            )
            .await?;
        let current = ScimPersonRecord::try_from(current.ok_or(StoreError::NotFound)?)?;
        let email = update.email.clone().unwrap_or(current.user.email);
        let name = update.name.clone().unwrap_or(current.user.name);
        let active = current.user.active || update.reactivate;
        tx.execute(
            Sql::new(
                "UPDATE users SET email = $1, email_canonical = $2, name = $3, active = $4 \
                 WHERE id = $5 AND tenant_id = $6",
            )
            .bind(email.clone())
            .bind(canonical_email(&email))
            .bind(name)
            .bind(active)
            .bind(user.get())
            .bind(tenant.get()),
        )
        .await?;
        let external_id = update.external_id.clone().unwrap_or(current.external_id);
        let given_name = update.given_name.clone().unwrap_or(current.given_name);
        let family_name = update.family_name.clone().unwrap_or(current.family_name);
        replace_row(
            &mut tx,
            Kept::Person,
            (tenant, user.get()),
            &[
                ("external_id", external_id),
                ("given_name", given_name),
                ("family_name", family_name),
            ],
            now,
        )
        .await?;
        tx.changed(Change::of(tenant, Entity::User, user.get(), "updated"));
        tx.commit().await?;
        Ok(())
    }

    /// Marks a person as deleted by the identity provider and takes them out of every resolver
    /// group (deactivating them is [`Store::deprovision_user`]).
    pub async fn remove_scim_person(
        &self,
        tenant: TenantId,
        user: UserId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        mark_removed(&mut tx, Kept::Person, (tenant, user.get()), now).await?;
        tx.execute(
            Sql::new(
                "DELETE FROM group_members WHERE user_id = $1 AND group_id IN \
                 (SELECT id FROM resolver_groups WHERE tenant_id = $2)",
            )
            .bind(user.get())
            .bind(tenant.get()),
        )
        .await?;
        tx.changed(Change::of(tenant, Entity::User, user.get(), "updated"));
        tx.commit().await?;
        Ok(())
    }
}

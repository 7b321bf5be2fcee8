//! SCIM's view of the tenant's resolver groups: what the identity provider said of them, their
//! members changed in one transaction, and groups it deleted (emptied, kept for their tickets).

use spoc_domain::org::Tier;
use spoc_domain::user::Role;
use spoc_domain::{GroupId, TenantId, Timestamp, UserId};

use super::kept::{Kept, mark_removed, replace_row};
use crate::changes::{Change, Entity};
use crate::db::Sql;
use crate::{GroupRecord, Store, StoreError};

/// A resolver group as SCIM shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScimGroupRecord {
    /// Spoc's group.
    pub group: GroupRecord,
    /// The identity provider's id of the group.
    pub external_id: Option<String>,
    /// When SCIM last changed the group (none: never provisioned).
    pub updated_at: Option<Timestamp>,
    /// Whether the identity provider deleted the group.
    pub removed: bool,
}

#[derive(sqlx::FromRow)]
struct ScimGroupRow {
    id: i64,
    name: String,
    tier: i64,
    external_supplier: bool,
    created_at: i64,
    external_id: Option<String>,
    updated_at: Option<i64>,
    removed_at: Option<i64>,
}

impl TryFrom<ScimGroupRow> for ScimGroupRecord {
    type Error = StoreError;

    fn try_from(r: ScimGroupRow) -> Result<Self, StoreError> {
        Ok(Self {
            group: GroupRecord {
                id: GroupId::new(r.id),
                name: r.name,
                tier: Tier::from_number(r.tier).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                external_supplier: r.external_supplier,
                created_at: Timestamp::from_micros(r.created_at),
            },
            external_id: r.external_id,
            updated_at: r.updated_at.map(Timestamp::from_micros),
            removed: r.removed_at.is_some(),
        })
    }
}

const GROUP_SELECT: &str = "SELECT g.id, g.tenant_id, g.name, g.tier, g.external_supplier, g.created_at, \
     s.external_id, s.updated_at, s.removed_at FROM resolver_groups g \
     LEFT JOIN scim_groups s ON s.group_id = g.id";

/// How a SCIM request changes a group's members.
#[derive(Clone, Debug)]
pub enum MembersChange {
    /// These join.
    Add(Vec<UserId>),
    /// These leave.
    Remove(Vec<UserId>),
    /// Exactly these are the members.
    Replace(Vec<UserId>),
}

impl Store {
    // ----- groups -----

    /// Resolver groups as SCIM lists them (not those the identity provider deleted), by id:
    /// how many match, and `limit` of them from `offset`.
    pub async fn scim_groups(
        &self,
        tenant: TenantId,
        (id, name): (Option<GroupId>, Option<&str>),
        offset: i64,
        limit: i64,
    ) -> Result<(i64, Vec<ScimGroupRecord>), StoreError> {
        let filter = |sql: &mut Sql| {
            sql.push(" AND s.removed_at IS NULL");
            if let Some(id) = id {
                sql.push(" AND g.id = ").push_bind(id.get());
            }
            if let Some(name) = name {
                sql.push(" AND g.name = ").push_bind(name.to_owned());
            }
        };
        let mut count = Sql::new(
            "SELECT COUNT(*) FROM resolver_groups g LEFT JOIN scim_groups s ON s.group_id = g.id \
             WHERE g.tenant_id = $1",
        )
        .bind(tenant.get());
        filter(&mut count);
        let total: i64 = self.read().fetch_scalar(count).await?;
        let mut list =
            Sql::new(format!("{GROUP_SELECT} WHERE g.tenant_id = $1")).bind(tenant.get());
        filter(&mut list);
        list.push(" ORDER BY g.id LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset);
        let rows: Vec<ScimGroupRow> = self.read().fetch_all(list).await?;
        let groups = rows
            .into_iter()
            .map(ScimGroupRecord::try_from)
            .collect::<Result<_, _>>()?;
        Ok((total, groups))
    }

    /// A group by exact name, also one the identity provider deleted.
    pub async fn scim_group_by_name(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<Option<ScimGroupRecord>, StoreError> {
        let row: Option<ScimGroupRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "{GROUP_SELECT} WHERE g.name = $1 AND g.tenant_id = $2"
                ))
                .bind(name)
                .bind(tenant.get()),
            )
            .await?;
        row.map(ScimGroupRecord::try_from).transpose()
    }

    /// Adds a tier-1 resolver group provisioned by SCIM. A taken name is a `Conflict`.
    pub async fn create_scim_group(
        &self,
        tenant: TenantId,
        name: &str,
        external_id: Option<&str>,
        now: Timestamp,
    ) -> Result<GroupId, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx
            .fetch_scalar(
                Sql::new(
                    "INSERT INTO resolver_groups (name, tier, external_supplier, created_at, tenant_id) \
                     VALUES ($1, $2, FALSE, $3, $4) RETURNING id",
                )
                .bind(name)
                .bind(Tier::One.number())
                .bind(now.as_micros())
                .bind(tenant.get()),
            )
            .await?;
        replace_row(
            &mut tx,
            Kept::Group,
            (tenant, id),
            &[("external_id", external_id.map(str::to_owned))],
            now,
        )
        .await?;
        tx.changed(Change::of(tenant, Entity::Group, id, "created"));
        tx.commit().await?;
        Ok(GroupId::new(id))
    }

    /// Renames a group, sets its external id and brings it back if the identity provider had
    /// deleted it. A taken name is a `Conflict`; a group of another tenant is `NotFound`.
    pub async fn update_scim_group(
        &self,
        tenant: TenantId,
        group: GroupId,
        (name, external_id): (&str, Option<&str>),
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let done = tx
            .execute(
                Sql::new("UPDATE resolver_groups SET name = $1 WHERE id = $2 AND tenant_id = $3")
                    .bind(name)
                    .bind(group.get())
                    .bind(tenant.get()),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        replace_row(
            &mut tx,
            Kept::Group,
            (tenant, group.get()),
            &[("external_id", external_id.map(str::to_owned))],
            now,
        )
        .await?;
        tx.changed(Change::of(tenant, Entity::Group, group.get(), "updated"));
        tx.commit().await?;
        Ok(())
    }

    /// Marks a group as deleted by the identity provider and empties it (the group stays for
    /// the tickets that name it).
    pub async fn remove_scim_group(
        &self,
        tenant: TenantId,
        group: GroupId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        mark_removed(&mut tx, Kept::Group, (tenant, group.get()), now).await?;
        tx.execute(Sql::new("DELETE FROM group_members WHERE group_id = $1").bind(group.get()))
            .await?;
        tx.changed(Change::of(tenant, Entity::Group, group.get(), "updated"));
        tx.commit().await?;
        Ok(())
    }

    /// Changes a group's members in one transaction. Every person named must be of the tenant
    /// (else `NotFound`, nothing changed); a customer who joins becomes an agent, since
    /// resolver groups hold staff only.
    pub async fn change_scim_members(
        &self,
        tenant: TenantId,
        group: GroupId,
        change: &MembersChange,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let known: Option<i64> = tx
            .fetch_optional_scalar(
                Sql::new("SELECT id FROM resolver_groups WHERE id = $1 AND tenant_id = $2")
                    .bind(group.get())
                    .bind(tenant.get()),
            )
            .await?;
        if known.is_none() {
            return Err(StoreError::NotFound);
        }
        let before = crate::grants::members(&mut tx, group).await?;
        let (joining, leaving): (&[UserId], Option<&[UserId]>) = match change {
            MembersChange::Add(users) => (users, None),
            MembersChange::Remove(users) => (&[], Some(users)),
            MembersChange::Replace(users) => (users, None),
        };
        for user in joining {
            let found: Option<i64> = tx
                .fetch_optional_scalar(
                    Sql::new("SELECT id FROM users WHERE id = $1 AND tenant_id = $2")
                        .bind(user.get())
                        .bind(tenant.get()),
                )
                .await?;
            if found.is_none() {
                return Err(StoreError::NotFound);
            }
        }
        if let MembersChange::Replace(_) = change {
            tx.execute(Sql::new("DELETE FROM group_members WHERE group_id = $1").bind(group.get()))
                .await?;
        }
        for user in leaving.unwrap_or_default() {
            tx.execute(
                Sql::new("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
                    .bind(group.get())
                    .bind(user.get()),
            )
            .await?;
        }
        for user in joining {
            let promoted = tx
                .execute(
                    Sql::new(
                        "UPDATE users SET role = $1, super_user = FALSE \
                         WHERE id = $2 AND tenant_id = $3 AND role = $4",
                    )
                    .bind(Role::Agent.as_str())
                    .bind(user.get())
                    .bind(tenant.get())
                    .bind(Role::Customer.as_str()),
                )
                .await?;
            if promoted > 0 {
                tx.changed(Change::of(tenant, Entity::User, user.get(), "updated"));
            }
            tx.execute(
                Sql::new(
                    "INSERT INTO group_members (group_id, user_id) VALUES ($1, $2) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(group.get())
                .bind(user.get()),
            )
            .await?;
        }
        tx.execute(
            Sql::new(
                "UPDATE scim_groups SET updated_at = $1 WHERE group_id = $2 AND tenant_id = $3",
            )
            .bind(now.as_micros())
            .bind(group.get())
            .bind(tenant.get()),
        )
        .await?;
        tx.changed(Change::of(tenant, Entity::Group, group.get(), "updated"));
        crate::grants::sync_members(&mut tx, group, before).await?;
        tx.commit().await?;
        Ok(())
    }
}

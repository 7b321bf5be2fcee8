//! People, organisations, resolver groups and memberships, the taxonomy, services, settings,
//! notifications and the outbox (API tokens and sessions are in `credentials.rs`).

use spoc_domain::org::Tier;
use spoc_domain::text::canonical_email;
use spoc_domain::user::Role;
use spoc_domain::{
    CategoryId, GroupId, NotificationId, OrganizationId, ServiceId, TenantId, TicketId, Timestamp,
    UserId,
};

use crate::changes::{Change, Entity};
use crate::db::{Sql, Tx};
use crate::{
    CategoryRecord, GroupRecord, NewUser, NotificationRecord, OrganizationRecord, ServiceRecord,
    Store, StoreError, UserRecord, UserUpdate,
};

#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: i64,
    user_id: i64,
    ticket_id: Option<i64>,
    topic: String,
    message: String,
    created_at: i64,
    read_at: Option<i64>,
}

impl From<NotificationRow> for NotificationRecord {
    fn from(r: NotificationRow) -> Self {
        Self {
            id: NotificationId::new(r.id),
            user_id: UserId::new(r.user_id),
            ticket_id: r.ticket_id.map(TicketId::new),
            topic: r.topic,
            message: r.message,
            created_at: Timestamp::from_micros(r.created_at),
            read_at: r.read_at.map(Timestamp::from_micros),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: i64,
    tenant_id: i64,
    email: String,
    name: String,
    role: String,
    organization_id: Option<i64>,
    super_user: bool,
    active: bool,
    created_at: i64,
}

impl TryFrom<UserRow> for UserRecord {
    type Error = StoreError;

    fn try_from(r: UserRow) -> Result<Self, StoreError> {
        Ok(UserRecord {
            id: UserId::new(r.id),
            tenant_id: TenantId::new(r.tenant_id),
            email: r.email,
            name: r.name,
            role: Role::parse(&r.role).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            organization_id: r.organization_id.map(OrganizationId::new),
            super_user: r.super_user,
            active: r.active,
            created_at: Timestamp::from_micros(r.created_at),
        })
    }
}

pub(crate) const USER_COLUMNS: &str =
    "id, tenant_id, email, name, role, organization_id, super_user, active, created_at";

#[derive(sqlx::FromRow)]
struct GroupRow {
    id: i64,
    name: String,
    tier: i64,
    external_supplier: bool,
    created_at: i64,
}

impl TryFrom<GroupRow> for GroupRecord {
    type Error = StoreError;

    fn try_from(r: GroupRow) -> Result<Self, StoreError> {
        Ok(GroupRecord {
            id: GroupId::new(r.id),
            name: r.name,
            tier: Tier::from_number(r.tier).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            external_supplier: r.external_supplier,
            created_at: Timestamp::from_micros(r.created_at),
        })
    }
}

/// The tenant of a group whose membership `tx` just changed, for the change feed (the
/// membership calls name the group by its id alone).
async fn group_tenant(tx: &mut Tx, group: GroupId) -> Result<TenantId, StoreError> {
    let tenant: i64 = tx
        .fetch_scalar(
            Sql::new(
                "SELECT tenant_id FROM resolver_groups WHERE id = $1 \
                 /* all-tenants: the group's own tenant, for its change */",
            )
            .bind(group.get()),
        )
        .await?;
    Ok(TenantId::new(tenant))
}

fn users(rows: Vec<UserRow>) -> Result<Vec<UserRecord>, StoreError> {
    rows.into_iter().map(UserRecord::try_from).collect()
}

impl Store {
    // ----- people -----

    /// Adds a person. A taken e-mail is a `Conflict`.
    pub async fn create_user(&self, user: &NewUser) -> Result<UserRecord, StoreError> {
        let mut tx = self.begin().await?;
        let row: UserRow = tx.fetch_one(Sql::new(format!(
            "INSERT INTO users (email, name, role, organization_id, super_user, password_hash, active, created_at, email_canonical, tenant_id) \
             VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7, $8, $9) RETURNING {USER_COLUMNS}"
        )).bind(&user.email).bind(&user.name).bind(user.role.as_str()).bind(user.organization_id.map(|o| o.get())).bind(user.super_user).bind(user.password_hash.as_deref()).bind(user.now.as_micros()).bind(canonical_email(&user.email)).bind(user.tenant_id.get()))
        .await?;
        tx.changed(Change::of(user.tenant_id, Entity::User, row.id, "created"));
        tx.commit().await?;
        row.try_into()
    }

    /// Fills the canonical e-mail key of accounts that have none (after the migration that
    /// added it), oldest first. An account whose key another account already holds is left
    /// without one and returned, so the caller can warn about it: (id, e-mail).
    pub async fn fill_canonical_emails(&self) -> Result<Vec<(i64, String)>, StoreError> {
        let mut tx = self.begin().await?;
        let rows: Vec<(i64, String, i64)> = tx
            .fetch_all(Sql::new(
                "SELECT id, email, tenant_id FROM users WHERE email_canonical IS NULL \
                 /* all-tenants: start-up upkeep of every account */ ORDER BY id",
            ))
            .await?;
        let mut left = Vec::new();
        for (id, email, tenant) in rows {
            let canonical = canonical_email(&email);
            let done = tx
                .execute(
                    Sql::new(
                        "UPDATE users SET email_canonical = $1 WHERE id = $2 \
                 AND NOT EXISTS (SELECT 1 FROM users AS other WHERE other.email_canonical = $1 \
                 AND other.tenant_id = users.tenant_id) /* all-tenants: by id, per tenant */",
                    )
                    .bind(&canonical)
                    .bind(id),
                )
                .await?;
            if done == 0 {
                left.push((id, email));
            } else {
                tx.changed(Change::of(
                    TenantId::new(tenant),
                    Entity::User,
                    id,
                    "updated",
                ));
            }
        }
        tx.commit().await?;
        Ok(left)
    }

    /// Changes a person.
    pub async fn update_user(
        &self,
        tenant: TenantId,
        id: UserId,
        update: &UserUpdate,
    ) -> Result<UserRecord, StoreError> {
        self.update_user_audited(tenant, id, update, |_, _| Vec::new())
            .await
    }

    /// A person by id.
    pub async fn get_user(&self, tenant: TenantId, id: UserId) -> Result<UserRecord, StoreError> {
        let row: Option<UserRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND tenant_id = $2"
                ))
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// The people with these ids (unknown ids are left out), for showing names beside tickets.
    pub async fn get_users(
        &self,
        tenant: TenantId,
        ids: &[UserId],
    ) -> Result<Vec<UserRecord>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids
            .iter()
            .map(|id| id.get().to_string())
            .collect::<Vec<_>>()
            .join(",");
        // The ids are integers formatted here, never caller text, so inlining them is safe and
        // lets one query serve both backends.
        let rows: Vec<UserRow> = self
            .read()
            .fetch_all(
                Sql::new(format!(
                    "SELECT {USER_COLUMNS} FROM users WHERE tenant_id = $1 AND id IN ({list})"
                ))
                .bind(tenant.get()),
            )
            .await?;
        users(rows)
    }

    /// A person by e-mail, compared canonically (case and Unicode normalisation do not matter).
    pub async fn find_user_by_email(
        &self,
        tenant: TenantId,
        email: &str,
    ) -> Result<Option<UserRecord>, StoreError> {
        let canonical = canonical_email(email);
        let row: Option<UserRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {USER_COLUMNS} FROM users WHERE email_canonical = $1 AND tenant_id = $2"
                ))
                .bind(&canonical)
                .bind(tenant.get()),
            )
            .await?;
        row.map(UserRecord::try_from).transpose()
    }

    /// The people of every tenant with this e-mail, compared canonically, oldest tenant first:
    /// signing in by e-mail happens before any tenant is known.
    pub async fn find_users_by_email_all_tenants(
        &self,
        email: &str,
    ) -> Result<Vec<UserRecord>, StoreError> {
        let canonical = canonical_email(email);
        let rows: Vec<UserRow> = self
            .read()
            .fetch_all(
                Sql::new(format!(
                    "SELECT {USER_COLUMNS} FROM users WHERE email_canonical = $1 \
                     /* all-tenants: sign-in by e-mail, before the tenant is known */ \
                     ORDER BY tenant_id, id"
                ))
                .bind(&canonical),
            )
            .await?;
        users(rows)
    }

    /// The stored password hash of an active user, for sign-in.
    pub async fn password_hash(
        &self,
        tenant: TenantId,
        id: UserId,
    ) -> Result<Option<String>, StoreError> {
        let hash: Option<Option<String>> = self
            .read()
            .fetch_optional_scalar(
                Sql::new(
                    "SELECT password_hash FROM users WHERE id = $1 AND tenant_id = $2 AND active",
                )
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        Ok(hash.flatten())
    }

    /// People, ordered by name; optionally only those matching `text` in name or e-mail.
    pub async fn list_users(
        &self,
        tenant: TenantId,
        text: Option<&str>,
        limit: i64,
    ) -> Result<Vec<UserRecord>, StoreError> {
        let pattern =
            text.map(|t| format!("%{}%", canonical_email(t).replace(['%', '_', '\\'], "")));
        let rows: Vec<UserRow> = self.read().fetch_all(Sql::new(format!(
            "SELECT {USER_COLUMNS} FROM users WHERE tenant_id = $3 AND ($1 IS NULL OR lower(name) LIKE $1 OR email LIKE $1) \
             ORDER BY name, id LIMIT $2"
        )).bind(pattern).bind(limit).bind(tenant.get()))
        .await?;
        users(rows)
    }

    /// Every person with `role`.
    pub async fn users_with_role(
        &self,
        tenant: TenantId,
        role: Role,
    ) -> Result<Vec<UserRecord>, StoreError> {
        let rows: Vec<UserRow> = self
            .read()
            .fetch_all(
                Sql::new(format!(
                    "SELECT {USER_COLUMNS} FROM users WHERE role = $1 AND tenant_id = $2 ORDER BY id"
                ))
                .bind(role.as_str())
                .bind(tenant.get()),
            )
            .await?;
        users(rows)
    }

    /// How many people exist in every tenant (first start: whether anyone does yet).
    pub async fn count_users(&self) -> Result<i64, StoreError> {
        self.read()
            .fetch_scalar(Sql::new(
                "SELECT COUNT(*) FROM users /* all-tenants: whether the database is new */",
            ))
            .await
    }

    // ----- organisations -----

    /// Adds an organisation. A taken name is a `Conflict`.
    pub async fn create_organization(
        &self,
        tenant: TenantId,
        name: &str,
        now: Timestamp,
    ) -> Result<OrganizationRecord, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx
            .fetch_scalar(
                Sql::new(
                    "INSERT INTO organizations (name, created_at, tenant_id) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(name)
                .bind(now.as_micros())
                .bind(tenant.get()),
            )
            .await?;
        tx.changed(Change::of(tenant, Entity::Organization, id, "created"));
        tx.commit().await?;
        Ok(OrganizationRecord {
            id: OrganizationId::new(id),
            name: name.to_owned(),
            created_at: now,
        })
    }

    /// Every organisation, by name.
    pub async fn list_organizations(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<OrganizationRecord>, StoreError> {
        let rows: Vec<(i64, String, i64)> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT id, name, created_at FROM organizations WHERE tenant_id = $1 \
                     ORDER BY name, id",
                )
                .bind(tenant.get()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, at)| OrganizationRecord {
                id: OrganizationId::new(id),
                name,
                created_at: Timestamp::from_micros(at),
            })
            .collect())
    }

    /// An organisation by id.
    pub async fn get_organization(
        &self,
        tenant: TenantId,
        id: OrganizationId,
    ) -> Result<OrganizationRecord, StoreError> {
        let (id, name, at): (i64, String, i64) = self
            .read()
            .fetch_optional(
                Sql::new(
                    "SELECT id, name, created_at FROM organizations WHERE id = $1 AND tenant_id = $2",
                )
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(OrganizationRecord {
            id: OrganizationId::new(id),
            name,
            created_at: Timestamp::from_micros(at),
        })
    }

    /// An organisation by exact name.
    pub async fn find_organization_by_name(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<Option<OrganizationRecord>, StoreError> {
        let row: Option<(i64, String, i64)> = self
            .read()
            .fetch_optional(
                Sql::new(
                    "SELECT id, name, created_at FROM organizations WHERE name = $1 AND tenant_id = $2",
                )
                .bind(name)
                .bind(tenant.get()),
            )
            .await?;
        Ok(row.map(|(id, name, at)| OrganizationRecord {
            id: OrganizationId::new(id),
            name,
            created_at: Timestamp::from_micros(at),
        }))
    }

    // ----- resolver groups -----

    /// Adds a resolver group. A taken name is a `Conflict`.
    pub async fn create_group(
        &self,
        tenant: TenantId,
        name: &str,
        tier: Tier,
        external_supplier: bool,
        now: Timestamp,
    ) -> Result<GroupRecord, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx.fetch_scalar(Sql::new("INSERT INTO resolver_groups (name, tier, external_supplier, created_at, tenant_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",).bind(name).bind(tier.number()).bind(external_supplier).bind(now.as_micros()).bind(tenant.get()))
        .await?;
        tx.changed(Change::of(tenant, Entity::Group, id, "created"));
        tx.commit().await?;
        Ok(GroupRecord {
            id: GroupId::new(id),
            name: name.to_owned(),
            tier,
            external_supplier,
            created_at: now,
        })
    }

    /// Changes a group's name, tier or supplier flag.
    pub async fn update_group(
        &self,
        tenant: TenantId,
        group: &GroupRecord,
    ) -> Result<GroupRecord, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx.execute(Sql::new("UPDATE resolver_groups SET name = $1, tier = $2, external_supplier = $3 WHERE id = $4 AND tenant_id = $5").bind(&group.name).bind(group.tier.number()).bind(group.external_supplier).bind(group.id.get()).bind(tenant.get()))
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        tx.changed(Change::of(tenant, Entity::Group, group.id.get(), "updated"));
        tx.commit().await?;
        Ok(group.clone())
    }

    /// A group by id.
    pub async fn get_group(
        &self,
        tenant: TenantId,
        id: GroupId,
    ) -> Result<GroupRecord, StoreError> {
        let row: Option<GroupRow> = self.read().fetch_optional(Sql::new("SELECT id, name, tier, external_supplier, created_at FROM resolver_groups WHERE id = $1 AND tenant_id = $2").bind(id.get()).bind(tenant.get()))
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Every group, by tier then name.
    pub async fn list_groups(&self, tenant: TenantId) -> Result<Vec<GroupRecord>, StoreError> {
        let rows: Vec<GroupRow> = self.read().fetch_all(Sql::new("SELECT id, name, tier, external_supplier, created_at FROM resolver_groups WHERE tenant_id = $1 ORDER BY tier, name, id").bind(tenant.get()))
            .await?;
        rows.into_iter().map(GroupRecord::try_from).collect()
    }

    /// Adds a member to a group (no-op if already one).
    pub async fn add_group_member(&self, group: GroupId, user: UserId) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let added = tx.execute(Sql::new("INSERT INTO group_members (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING").bind(group.get()).bind(user.get()))
            .await?;
        if added > 0 {
            let tenant = group_tenant(&mut tx, group).await?;
            tx.changed(Change::of(tenant, Entity::Group, group.get(), "updated"));
            crate::grants::sync_links(&mut tx, user).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Removes a member from a group.
    pub async fn remove_group_member(
        &self,
        group: GroupId,
        user: UserId,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let done = tx
            .execute(
                Sql::new("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
                    .bind(group.get())
                    .bind(user.get()),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        let tenant = group_tenant(&mut tx, group).await?;
        tx.changed(Change::of(tenant, Entity::Group, group.get(), "updated"));
        crate::grants::sync_links(&mut tx, user).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The members of a group.
    pub async fn group_members(
        &self,
        tenant: TenantId,
        group: GroupId,
    ) -> Result<Vec<UserRecord>, StoreError> {
        let rows: Vec<UserRow> = self.read().fetch_all(Sql::new(format!(
            "SELECT {} FROM users u JOIN group_members m ON m.user_id = u.id WHERE m.group_id = $1 AND u.tenant_id = $2 ORDER BY u.name, u.id",
            USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
        )).bind(group.get()).bind(tenant.get()))
        .await?;
        users(rows)
    }

    /// The groups a person belongs to.
    pub async fn groups_of(&self, user: UserId) -> Result<Vec<GroupId>, StoreError> {
        let ids: Vec<i64> = self
            .read()
            .fetch_scalars(
                Sql::new("SELECT group_id FROM group_members WHERE user_id = $1 ORDER BY group_id")
                    .bind(user.get()),
            )
            .await?;
        Ok(ids.into_iter().map(GroupId::new).collect())
    }

    // ----- taxonomy and services -----

    /// Adds a category (no parent) or subcategory.
    pub async fn create_category(
        &self,
        tenant: TenantId,
        name: &str,
        parent: Option<CategoryId>,
        now: Timestamp,
    ) -> Result<CategoryRecord, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx.fetch_scalar(Sql::new("INSERT INTO categories (name, parent_id, created_at, tenant_id) VALUES ($1, $2, $3, $4) RETURNING id").bind(name).bind(parent.map(|p| p.get())).bind(now.as_micros()).bind(tenant.get()))
            .await?;
        tx.changed(Change::of(tenant, Entity::Category, id, "created"));
        tx.commit().await?;
        Ok(CategoryRecord {
            id: CategoryId::new(id),
            name: name.to_owned(),
            parent_id: parent,
            created_at: now,
        })
    }

    /// Every category and subcategory.
    pub async fn list_categories(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<CategoryRecord>, StoreError> {
        let rows: Vec<(i64, String, Option<i64>, i64)> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT id, name, parent_id, created_at FROM categories WHERE tenant_id = $1 \
                     ORDER BY name, id",
                )
                .bind(tenant.get()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, parent, at)| CategoryRecord {
                id: CategoryId::new(id),
                name,
                parent_id: parent.map(CategoryId::new),
                created_at: Timestamp::from_micros(at),
            })
            .collect())
    }

    /// Adds a business service.
    pub async fn create_service(
        &self,
        tenant: TenantId,
        name: &str,
        description: &str,
        now: Timestamp,
    ) -> Result<ServiceRecord, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx.fetch_scalar(Sql::new("INSERT INTO services (name, description, created_at, tenant_id) VALUES ($1, $2, $3, $4) RETURNING id").bind(name).bind(description).bind(now.as_micros()).bind(tenant.get()))
            .await?;
        tx.changed(Change::of(tenant, Entity::Service, id, "created"));
        tx.commit().await?;
        Ok(ServiceRecord {
            id: ServiceId::new(id),
            name: name.to_owned(),
            description: description.to_owned(),
            created_at: now,
        })
    }

    /// Every service, by name.
    pub async fn list_services(&self, tenant: TenantId) -> Result<Vec<ServiceRecord>, StoreError> {
        let rows: Vec<(i64, String, String, i64)> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT id, name, description, created_at FROM services WHERE tenant_id = $1 \
                     ORDER BY name, id",
                )
                .bind(tenant.get()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, description, at)| ServiceRecord {
                id: ServiceId::new(id),
                name,
                description,
                created_at: Timestamp::from_micros(at),
            })
            .collect())
    }

    // ----- settings and outbox -----

    /// A setting's JSON text.
    pub async fn get_setting(
        &self,
        tenant: TenantId,
        key: &str,
    ) -> Result<Option<String>, StoreError> {
        self.read()
            .fetch_optional_scalar(
                Sql::new("SELECT value FROM settings WHERE key = $1 AND tenant_id = $2")
                    .bind(key)
                    .bind(tenant.get()),
            )
            .await
    }

    /// The tenants that have set `key`.
    pub async fn tenants_with_setting(&self, key: &str) -> Result<Vec<TenantId>, StoreError> {
        let ids: Vec<i64> = self
            .read()
            .fetch_scalars(
                Sql::new(
                    "SELECT tenant_id FROM settings WHERE key = $1 \
                     /* all-tenants: which tenants set it, for the delivery worker */",
                )
                .bind(key),
            )
            .await?;
        Ok(ids.into_iter().map(TenantId::new).collect())
    }

    /// Sets a setting's JSON text.
    pub async fn put_setting(
        &self,
        tenant: TenantId,
        key: &str,
        value: &str,
    ) -> Result<(), StoreError> {
        self.put_setting_audited(tenant, (key, value), &[]).await
    }

    /// Sets a setting only if it is not set yet; returns whether it was written.
    pub async fn init_setting(
        &self,
        tenant: TenantId,
        key: &str,
        value: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx.execute(Sql::new("INSERT INTO settings (key, value, tenant_id) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, key) DO NOTHING").bind(key).bind(value).bind(tenant.get()))
            .await?;
        if done == 1 {
            tx.changed(Change::of(tenant, Entity::Setting, 0, "created"));
        }
        tx.commit().await?;
        Ok(done == 1)
    }

    /// A person's notifications, newest first; only unread ones when `unread_only`.
    pub async fn list_notifications(
        &self,
        tenant: TenantId,
        user: UserId,
        unread_only: bool,
        limit: i64,
    ) -> Result<Vec<NotificationRecord>, StoreError> {
        let sql = format!(
            "SELECT id, user_id, ticket_id, topic, message, created_at, read_at FROM notifications \
             WHERE user_id = $1 AND tenant_id = $3{} ORDER BY id DESC LIMIT $2",
            if unread_only {
                " AND read_at IS NULL"
            } else {
                ""
            }
        );
        let rows: Vec<NotificationRow> = self
            .read()
            .fetch_all(
                Sql::new(sql)
                    .bind(user.get())
                    .bind(limit)
                    .bind(tenant.get()),
            )
            .await?;
        Ok(rows.into_iter().map(NotificationRecord::from).collect())
    }

    /// Marks a person's notification read (once; later calls keep the first time). Returns
    /// whether the notification exists and is theirs.
    pub async fn mark_notification_read(
        &self,
        tenant: TenantId,
        user: UserId,
        id: NotificationId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx.execute(Sql::new("UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3 AND tenant_id = $4",).bind(at.as_micros()).bind(id.get()).bind(user.get()).bind(tenant.get()))
        .await?;
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Undelivered outbox messages of a topic: `(idempotency key, payload)`, oldest first.
    pub async fn pending_outbox(
        &self,
        tenant: TenantId,
        topic: &str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        self.read().fetch_all(Sql::new("SELECT idempotency_key, payload FROM outbox WHERE topic = $1 AND tenant_id = $2 AND done_at IS NULL ORDER BY id",).bind(topic).bind(tenant.get()))
        .await
    }
}

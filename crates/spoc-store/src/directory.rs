//! People, organisations, resolver groups and memberships, the taxonomy, services, API tokens,
//! browser sessions, settings and the outbox.

use spoc_domain::credential::{TokenOrigin, TokenScope};
use spoc_domain::org::Tier;
use spoc_domain::text::canonical_email;
use spoc_domain::user::Role;
use spoc_domain::{
    CategoryId, GroupId, NotificationId, OrganizationId, ServiceId, TicketId, Timestamp, TokenId,
    UserId,
};

use crate::changes::{Change, Entity};
use crate::db::Sql;
use crate::{
    CategoryRecord, GroupRecord, NewToken, NewUser, NotificationRecord, OrganizationRecord,
    ServiceRecord, SessionRecord, Store, StoreError, TokenRecord, UserRecord, UserUpdate,
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
struct UserRow {
    id: i64,
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

const USER_COLUMNS: &str = "id, email, name, role, organization_id, super_user, active, created_at";

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

fn users(rows: Vec<UserRow>) -> Result<Vec<UserRecord>, StoreError> {
    rows.into_iter().map(UserRecord::try_from).collect()
}

impl Store {
    // ----- people -----

    /// Adds a person. A taken e-mail is a `Conflict`.
    pub async fn create_user(&self, user: &NewUser) -> Result<UserRecord, StoreError> {
        let mut tx = self.begin().await?;
        let row: UserRow = tx.fetch_one(Sql::new(format!(
            "INSERT INTO users (email, name, role, organization_id, super_user, password_hash, active, created_at, email_canonical) \
             VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7, $8) RETURNING {USER_COLUMNS}"
        )).bind(&user.email).bind(&user.name).bind(user.role.as_str()).bind(user.organization_id.map(|o| o.get())).bind(user.super_user).bind(user.password_hash.as_deref()).bind(user.now.as_micros()).bind(canonical_email(&user.email)))
        .await?;
        tx.changed(Change::of(Entity::User, row.id, "created"));
        tx.commit().await?;
        row.try_into()
    }

    /// Fills the canonical e-mail key of accounts that have none (after the migration that
    /// added it), oldest first. An account whose key another account already holds is left
    /// without one and returned, so the caller can warn about it: (id, e-mail).
    pub async fn fill_canonical_emails(&self) -> Result<Vec<(i64, String)>, StoreError> {
        let mut tx = self.begin().await?;
        let rows: Vec<(i64, String)> = tx
            .fetch_all(Sql::new(
                "SELECT id, email FROM users WHERE email_canonical IS NULL ORDER BY id",
            ))
            .await?;
        let mut left = Vec::new();
        for (id, email) in rows {
            let canonical = canonical_email(&email);
            let done = tx
                .execute(
                    Sql::new(
                        "UPDATE users SET email_canonical = $1 WHERE id = $2 \
                 AND NOT EXISTS (SELECT 1 FROM users AS other WHERE other.email_canonical = $1)",
                    )
                    .bind(&canonical)
                    .bind(id),
                )
                .await?;
            if done == 0 {
                left.push((id, email));
            } else {
                tx.changed(Change::of(Entity::User, id, "updated"));
            }
        }
        tx.commit().await?;
        Ok(left)
    }

    /// Changes a person.
    pub async fn update_user(
        &self,
        id: UserId,
        update: &UserUpdate,
    ) -> Result<UserRecord, StoreError> {
        let mut tx = self.begin().await?;
        let current: UserRow = tx
            .fetch_optional(
                Sql::new(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")).bind(id.get()),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let row: UserRow = tx.fetch_one(Sql::new(format!(
            "UPDATE users SET name = $1, role = $2, organization_id = $3, super_user = $4, active = $5, \
             password_hash = COALESCE($6, password_hash) WHERE id = $7 RETURNING {USER_COLUMNS}"
        )).bind(update.name.clone().unwrap_or(current.name)).bind(update.role.map(|r| r.as_str().to_owned()).unwrap_or(current.role)).bind(match update.organization_id { Some(org) => org.map(|o| o.get()), None => current.organization_id }).bind(update.super_user.unwrap_or(current.super_user)).bind(update.active.unwrap_or(current.active)).bind(update.password_hash.as_deref()).bind(id.get()))
        .await?;
        if update.active == Some(false) || update.password_hash.is_some() {
            // A deactivated user or a changed password ends every browser session at once.
            tx.execute(Sql::new("DELETE FROM sessions WHERE user_id = $1").bind(id.get()))
                .await?;
        }
        tx.changed(Change::of(Entity::User, id.get(), "updated"));
        tx.commit().await?;
        row.try_into()
    }

    /// A person by id.
    pub async fn get_user(&self, id: UserId) -> Result<UserRecord, StoreError> {
        let row: Option<UserRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")).bind(id.get()),
            )
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// The people with these ids (unknown ids are left out), for showing names beside tickets.
    pub async fn get_users(&self, ids: &[UserId]) -> Result<Vec<UserRecord>, StoreError> {
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
            .fetch_all(Sql::new(format!(
                "SELECT {USER_COLUMNS} FROM users WHERE id IN ({list})"
            )))
            .await?;
        users(rows)
    }

    /// A person by e-mail, compared canonically (case and Unicode normalisation do not matter).
    pub async fn find_user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError> {
        let canonical = canonical_email(email);
        let row: Option<UserRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {USER_COLUMNS} FROM users WHERE email_canonical = $1"
                ))
                .bind(&canonical),
            )
            .await?;
        row.map(UserRecord::try_from).transpose()
    }

    /// The stored password hash of an active user, for sign-in.
    pub async fn password_hash(&self, id: UserId) -> Result<Option<String>, StoreError> {
        let hash: Option<Option<String>> = self
            .read()
            .fetch_optional_scalar(
                Sql::new("SELECT password_hash FROM users WHERE id = $1 AND active").bind(id.get()),
            )
            .await?;
        Ok(hash.flatten())
    }

    /// People, ordered by name; optionally only those matching `text` in name or e-mail.
    pub async fn list_users(
        &self,
        text: Option<&str>,
        limit: i64,
    ) -> Result<Vec<UserRecord>, StoreError> {
        let pattern =
            text.map(|t| format!("%{}%", canonical_email(t).replace(['%', '_', '\\'], "")));
        let rows: Vec<UserRow> = self.read().fetch_all(Sql::new(format!(
            "SELECT {USER_COLUMNS} FROM users WHERE ($1 IS NULL OR lower(name) LIKE $1 OR email LIKE $1) \
             ORDER BY name, id LIMIT $2"
        )).bind(pattern).bind(limit))
        .await?;
        users(rows)
    }

    /// Every person with `role`.
    pub async fn users_with_role(&self, role: Role) -> Result<Vec<UserRecord>, StoreError> {
        let rows: Vec<UserRow> = self
            .read()
            .fetch_all(
                Sql::new(format!(
                    "SELECT {USER_COLUMNS} FROM users WHERE role = $1 ORDER BY id"
                ))
                .bind(role.as_str()),
            )
            .await?;
        users(rows)
    }

    /// Whether anyone exists yet (first start).
    pub async fn count_users(&self) -> Result<i64, StoreError> {
        self.read()
            .fetch_scalar(Sql::new("SELECT COUNT(*) FROM users"))
            .await
    }

    // ----- organisations -----

    /// Adds an organisation. A taken name is a `Conflict`.
    pub async fn create_organization(
        &self,
        name: &str,
        now: Timestamp,
    ) -> Result<OrganizationRecord, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx
            .fetch_scalar(
                Sql::new(
                    "INSERT INTO organizations (name, created_at) VALUES ($1, $2) RETURNING id",
                )
                .bind(name)
                .bind(now.as_micros()),
            )
            .await?;
        tx.changed(Change::of(Entity::Organization, id, "created"));
        tx.commit().await?;
        Ok(OrganizationRecord {
            id: OrganizationId::new(id),
            name: name.to_owned(),
            created_at: now,
        })
    }

    /// Every organisation, by name.
    pub async fn list_organizations(&self) -> Result<Vec<OrganizationRecord>, StoreError> {
        let rows: Vec<(i64, String, i64)> = self
            .read()
            .fetch_all(Sql::new(
                "SELECT id, name, created_at FROM organizations ORDER BY name, id",
            ))
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
        id: OrganizationId,
    ) -> Result<OrganizationRecord, StoreError> {
        let (id, name, at): (i64, String, i64) = self
            .read()
            .fetch_optional(
                Sql::new("SELECT id, name, created_at FROM organizations WHERE id = $1")
                    .bind(id.get()),
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
        name: &str,
    ) -> Result<Option<OrganizationRecord>, StoreError> {
        let row: Option<(i64, String, i64)> = self
            .read()
            .fetch_optional(
                Sql::new("SELECT id, name, created_at FROM organizations WHERE name = $1")
                    .bind(name),
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
        name: &str,
        tier: Tier,
        external_supplier: bool,
        now: Timestamp,
    ) -> Result<GroupRecord, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx.fetch_scalar(Sql::new("INSERT INTO resolver_groups (name, tier, external_supplier, created_at) VALUES ($1, $2, $3, $4) RETURNING id",).bind(name).bind(tier.number()).bind(external_supplier).bind(now.as_micros()))
        .await?;
        tx.changed(Change::of(Entity::Group, id, "created"));
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
    pub async fn update_group(&self, group: &GroupRecord) -> Result<GroupRecord, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx.execute(Sql::new("UPDATE resolver_groups SET name = $1, tier = $2, external_supplier = $3 WHERE id = $4").bind(&group.name).bind(group.tier.number()).bind(group.external_supplier).bind(group.id.get()))
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        tx.changed(Change::of(Entity::Group, group.id.get(), "updated"));
        tx.commit().await?;
        Ok(group.clone())
    }

    /// A group by id.
    pub async fn get_group(&self, id: GroupId) -> Result<GroupRecord, StoreError> {
        let row: Option<GroupRow> = self.read().fetch_optional(Sql::new("SELECT id, name, tier, external_supplier, created_at FROM resolver_groups WHERE id = $1").bind(id.get()))
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Every group, by tier then name.
    pub async fn list_groups(&self) -> Result<Vec<GroupRecord>, StoreError> {
        let rows: Vec<GroupRow> = self.read().fetch_all(Sql::new("SELECT id, name, tier, external_supplier, created_at FROM resolver_groups ORDER BY tier, name, id"))
            .await?;
        rows.into_iter().map(GroupRecord::try_from).collect()
    }

    /// Adds a member to a group (no-op if already one).
    pub async fn add_group_member(&self, group: GroupId, user: UserId) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let added = tx.execute(Sql::new("INSERT INTO group_members (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING").bind(group.get()).bind(user.get()))
            .await?;
        if added > 0 {
            tx.changed(Change::of(Entity::Group, group.get(), "updated"));
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
        tx.changed(Change::of(Entity::Group, group.get(), "updated"));
        tx.commit().await?;
        Ok(())
    }

    /// The members of a group.
    pub async fn group_members(&self, group: GroupId) -> Result<Vec<UserRecord>, StoreError> {
        let rows: Vec<UserRow> = self.read().fetch_all(Sql::new(format!(
            "SELECT {} FROM users u JOIN group_members m ON m.user_id = u.id WHERE m.group_id = $1 ORDER BY u.name, u.id",
            USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
        )).bind(group.get()))
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
        name: &str,
        parent: Option<CategoryId>,
        now: Timestamp,
    ) -> Result<CategoryRecord, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx.fetch_scalar(Sql::new("INSERT INTO categories (name, parent_id, created_at) VALUES ($1, $2, $3) RETURNING id").bind(name).bind(parent.map(|p| p.get())).bind(now.as_micros()))
            .await?;
        tx.changed(Change::of(Entity::Category, id, "created"));
        tx.commit().await?;
        Ok(CategoryRecord {
            id: CategoryId::new(id),
            name: name.to_owned(),
            parent_id: parent,
            created_at: now,
        })
    }

    /// Every category and subcategory.
    pub async fn list_categories(&self) -> Result<Vec<CategoryRecord>, StoreError> {
        let rows: Vec<(i64, String, Option<i64>, i64)> = self
            .read()
            .fetch_all(Sql::new(
                "SELECT id, name, parent_id, created_at FROM categories ORDER BY name, id",
            ))
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
        name: &str,
        description: &str,
        now: Timestamp,
    ) -> Result<ServiceRecord, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx.fetch_scalar(Sql::new("INSERT INTO services (name, description, created_at) VALUES ($1, $2, $3) RETURNING id").bind(name).bind(description).bind(now.as_micros()))
            .await?;
        tx.changed(Change::of(Entity::Service, id, "created"));
        tx.commit().await?;
        Ok(ServiceRecord {
            id: ServiceId::new(id),
            name: name.to_owned(),
            description: description.to_owned(),
            created_at: now,
        })
    }

    /// Every service, by name.
    pub async fn list_services(&self) -> Result<Vec<ServiceRecord>, StoreError> {
        let rows: Vec<(i64, String, String, i64)> = self
            .read()
            .fetch_all(Sql::new(
                "SELECT id, name, description, created_at FROM services ORDER BY name, id",
            ))
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

    // ----- API tokens and sessions -----

    /// Stores a new token's hash.
    pub async fn create_token(&self, token: &NewToken<'_>) -> Result<TokenRecord, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx.fetch_scalar(Sql::new("INSERT INTO api_tokens (user_id, label, token_hash, created_at, expires_at, read_only, resources, origin) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",).bind(token.user.get()).bind(token.label).bind(token.token_hash).bind(token.now.as_micros()).bind(token.expires_at.map(Timestamp::as_micros)).bind(token.scope.read_only).bind(token.scope.stored_resources()).bind(token.origin.as_str()))
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
             WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)"
        )).bind(token_hash).bind(now.as_micros()))
        .await?;
        let Some(token) = token else { return Ok(None) };
        let user: Option<UserRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND active"
                ))
                .bind(token.user_id),
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
            Sql::new("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now.as_micros())
                .bind(id.get()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A person's tokens, newest first.
    pub async fn list_tokens(&self, user: UserId) -> Result<Vec<TokenRecord>, StoreError> {
        let rows: Vec<TokenRow> = self
            .read()
            .fetch_all(
                Sql::new(format!(
                    "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id DESC"
                ))
                .bind(user.get()),
            )
            .await?;
        Ok(rows.into_iter().map(TokenRecord::from).collect())
    }

    /// Revokes one of a person's tokens.
    pub async fn revoke_token(
        &self,
        user: UserId,
        id: TokenId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let done = tx.execute(Sql::new("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL").bind(now.as_micros()).bind(id.get()).bind(user.get()))
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
        user: UserId,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx.execute(Sql::new("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND origin = 'session' AND revoked_at IS NULL").bind(now.as_micros()).bind(user.get()))
            .await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Ends every browser session of a person.
    pub async fn delete_sessions_of(&self, user: UserId) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(Sql::new("DELETE FROM sessions WHERE user_id = $1").bind(user.get()))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a browser session (by the hash of its id).
    pub async fn create_session(
        &self,
        id_hash: &str,
        user: UserId,
        csrf_token: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(Sql::new("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)").bind(id_hash).bind(user.get()).bind(csrf_token).bind(now.as_micros()).bind(expires_at.as_micros()))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A session by the hash of its id.
    pub async fn find_session(&self, id_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let row: Option<(i64, String, i64, i64)> = self.read().fetch_optional(Sql::new("SELECT user_id, csrf_token, created_at, expires_at FROM sessions WHERE id_hash = $1").bind(id_hash))
            .await?;
        Ok(
            row.map(|(user, csrf_token, created, expires)| SessionRecord {
                user_id: UserId::new(user),
                csrf_token,
                created_at: Timestamp::from_micros(created),
                expires_at: Timestamp::from_micros(expires),
            }),
        )
    }

    /// Ends a session.
    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(Sql::new("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    // ----- settings and outbox -----

    /// A setting's JSON text.
    pub async fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.read()
            .fetch_optional_scalar(Sql::new("SELECT value FROM settings WHERE key = $1").bind(key))
            .await
    }

    /// Sets a setting's JSON text.
    pub async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(Sql::new("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value").bind(key).bind(value))
            .await?;
        tx.changed(Change::of(Entity::Setting, 0, "updated"));
        tx.commit().await?;
        Ok(())
    }

    /// Sets a setting only if it is not set yet; returns whether it was written.
    pub async fn init_setting(&self, key: &str, value: &str) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx.execute(Sql::new("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING").bind(key).bind(value))
            .await?;
        if done == 1 {
            tx.changed(Change::of(Entity::Setting, 0, "created"));
        }
        tx.commit().await?;
        Ok(done == 1)
    }

    /// A person's notifications, newest first; only unread ones when `unread_only`.
    pub async fn list_notifications(
        &self,
        user: UserId,
        unread_only: bool,
        limit: i64,
    ) -> Result<Vec<NotificationRecord>, StoreError> {
        let sql = format!(
            "SELECT id, user_id, ticket_id, topic, message, created_at, read_at FROM notifications \
             WHERE user_id = $1{} ORDER BY id DESC LIMIT $2",
            if unread_only {
                " AND read_at IS NULL"
            } else {
                ""
            }
        );
        let rows: Vec<NotificationRow> = self
            .read()
            .fetch_all(Sql::new(sql).bind(user.get()).bind(limit))
            .await?;
        Ok(rows.into_iter().map(NotificationRecord::from).collect())
    }

    /// Marks a person's notification read (once; later calls keep the first time). Returns
    /// whether the notification exists and is theirs.
    pub async fn mark_notification_read(
        &self,
        user: UserId,
        id: NotificationId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx.execute(Sql::new("UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3",).bind(at.as_micros()).bind(id.get()).bind(user.get()))
        .await?;
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Undelivered outbox messages of a topic: `(idempotency key, payload)`, oldest first.
    pub async fn pending_outbox(&self, topic: &str) -> Result<Vec<(String, String)>, StoreError> {
        self.read().fetch_all(Sql::new("SELECT idempotency_key, payload FROM outbox WHERE topic = $1 AND done_at IS NULL ORDER BY id",).bind(topic))
        .await
    }
}

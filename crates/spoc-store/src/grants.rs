//! Grants: the provider's resolver groups and agents working in a client tenant, on the tickets
//! of chosen resolver groups of that tenant (docs/tenants.md). A grant names one provider group
//! (all its members) or one provider person; each person a grant covers has a *linked account*
//! in the client tenant (`users.acts_for_user_id`), an agent without a password that is a member
//! of exactly the granted groups. [`sync_links`] keeps the linked accounts in step with the
//! grants and the person's provider memberships, inside the transaction of the change that
//! moves them; [`Store::links_of`] reads what a person may do right now, from the grants
//! themselves, so a link that lost its grant is gone at once.

use std::collections::{BTreeMap, BTreeSet};

use spoc_domain::{GroupId, TenantId, Timestamp, UserId};

use crate::changes::{Change, Entity};
use crate::db::{Sql, Tx};
use crate::{Store, StoreError};

/// A grant as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantRecord {
    /// Id.
    pub id: i64,
    /// The client tenant the grant lets the provider work in.
    pub tenant_id: TenantId,
    /// The provider group whose members it covers (exactly one of this and `provider_user_id`).
    pub provider_group_id: Option<GroupId>,
    /// The provider person it covers.
    pub provider_user_id: Option<UserId>,
    /// The client tenant's resolver groups whose tickets they work.
    pub group_ids: Vec<GroupId>,
    /// When made.
    pub created_at: Timestamp,
}

/// Who a new grant covers: a provider group or a provider person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grantee {
    /// Every member of this provider group.
    Group(GroupId),
    /// This provider person.
    User(UserId),
}

/// One person's work in one client tenant, as the grants allow it now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkRecord {
    /// The client tenant.
    pub tenant_id: TenantId,
    /// The linked account in it.
    pub user_id: UserId,
    /// The tenant's groups whose tickets the person works.
    pub group_ids: Vec<GroupId>,
}

/// The provider: the first tenant, whose people grants cover.
const PROVIDER: i64 = 1;

/// The canonical e-mail key of a linked account: no address canonicalises to it (it has no
/// `@`), so no sign-in, reset, directory or SCIM look-up by address ever finds the account.
fn linked_key(person: UserId) -> String {
    format!("#acts-for-{}", person.get())
}

/// Brings every linked account of `person` in step with the grants and the person's provider
/// memberships: one active account with exactly the granted groups per tenant a grant covers,
/// every other linked account deactivated without memberships. Runs inside the transaction of
/// the change that moved them. A person outside the provider, inactive or not staff has none.
pub(crate) async fn sync_links(tx: &mut Tx, person: UserId) -> Result<(), StoreError> {
    let who: Option<(i64, String, String, String, bool)> = tx
        .fetch_optional(
            Sql::new(
                "SELECT tenant_id, email, name, role, active FROM users WHERE id = $1 \
                 /* all-tenants: the person by id, whose tenant is checked below */",
            )
            .bind(person.get()),
        )
        .await?;
    let Some((tenant, email, name, role, active)) = who else {
        return Ok(());
    };
    if tenant != PROVIDER {
        return Ok(());
    }
    let mut wanted: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    if active && role != "customer" {
        let rows: Vec<(i64, i64)> = tx
            .fetch_all(
                Sql::new(
                    "SELECT g.tenant_id, gg.group_id FROM tenant_grants g \
                     JOIN tenant_grant_groups gg ON gg.grant_id = g.id \
                     JOIN resolver_groups r ON r.id = gg.group_id AND r.tenant_id = g.tenant_id \
                     WHERE g.tenant_id <> $1 AND (g.provider_user_id = $2 OR g.provider_group_id IN \
                     (SELECT m.group_id FROM group_members m JOIN resolver_groups pg ON pg.id = m.group_id \
                      AND pg.tenant_id = $1 WHERE m.user_id = $2))",
                )
                .bind(PROVIDER)
                .bind(person.get()),
            )
            .await?;
        for (t, g) in rows {
            wanted.entry(t).or_default().insert(g);
        }
    }
    let linked: Vec<(i64, i64)> = tx
        .fetch_all(
            Sql::new(
                "SELECT id, tenant_id FROM users WHERE acts_for_user_id = $1 \
                 /* all-tenants: the person's linked accounts in every client tenant */",
            )
            .bind(person.get()),
        )
        .await?;
    let mut have: BTreeMap<i64, i64> = linked.into_iter().map(|(id, t)| (t, id)).collect();
    for (t, groups) in &wanted {
        let account = match have.remove(t) {
            Some(id) => {
                tx.execute(
                    Sql::new(
                        "UPDATE users SET active = TRUE, name = $1, email = $2, role = 'agent' \
                         WHERE id = $3 AND tenant_id = $4",
                    )
                    .bind(name.as_str())
                    .bind(email.as_str())
                    .bind(id)
                    .bind(*t),
                )
                .await?;
                tx.changed(Change::of(TenantId::new(*t), Entity::User, id, "updated"));
                id
            }
            None => {
                let id: i64 = tx
                    .fetch_scalar(
                        Sql::new(
                            "INSERT INTO users (email, name, role, organization_id, super_user, \
                             password_hash, active, created_at, email_canonical, tenant_id, acts_for_user_id) \
                             SELECT $1, $2, 'agent', NULL, FALSE, NULL, TRUE, created_at, $3, $4, $5 \
                             FROM users WHERE id = $5 AND tenant_id = $6 RETURNING id",
                        )
                        .bind(email.as_str())
                        .bind(name.as_str())
                        .bind(linked_key(person))
                        .bind(*t)
                        .bind(person.get())
                        .bind(PROVIDER),
                    )
                    .await?;
                tx.changed(Change::of(TenantId::new(*t), Entity::User, id, "created"));
                id
            }
        };
        set_memberships(tx, TenantId::new(*t), account, groups).await?;
    }
    for (t, id) in have {
        let changed = tx
            .execute(
                Sql::new(
                    "UPDATE users SET active = FALSE WHERE id = $1 AND tenant_id = $2 AND active",
                )
                .bind(id)
                .bind(t),
            )
            .await?;
        if changed > 0 {
            tx.changed(Change::of(TenantId::new(t), Entity::User, id, "updated"));
        }
        set_memberships(tx, TenantId::new(t), id, &BTreeSet::new()).await?;
    }
    Ok(())
}

/// The members of a group now (for [`sync_members`] after a change of them).
pub(crate) async fn members(tx: &mut Tx, group: GroupId) -> Result<Vec<UserId>, StoreError> {
    let ids: Vec<i64> = tx
        .fetch_scalars(
            Sql::new("SELECT user_id FROM group_members WHERE group_id = $1").bind(group.get()),
        )
        .await?;
    Ok(ids.into_iter().map(UserId::new).collect())
}

/// Keeps the linked accounts of everyone who was or is a member of `group` in step, after a
/// change of its members in this transaction.
pub(crate) async fn sync_members(
    tx: &mut Tx,
    group: GroupId,
    before: Vec<UserId>,
) -> Result<(), StoreError> {
    let mut people: BTreeSet<UserId> = before.into_iter().collect();
    people.extend(members(tx, group).await?);
    for person in people {
        sync_links(tx, person).await?;
    }
    Ok(())
}

/// Erases `person`'s linked accounts with them: the same name and placeholder address as their
/// own account, deactivated and without memberships (the person is inactive now), in the
/// erasure's transaction.
pub(crate) async fn erase_links(
    tx: &mut Tx,
    person: UserId,
    name: &str,
    address: &str,
) -> Result<(), StoreError> {
    let linked: Vec<(i64, i64)> = tx
        .fetch_all(
            Sql::new(
                "SELECT id, tenant_id FROM users WHERE acts_for_user_id = $1 \
                 /* all-tenants: the person's linked accounts in every client tenant */",
            )
            .bind(person.get()),
        )
        .await?;
    for (id, tenant) in linked {
        tx.execute(
            Sql::new("UPDATE users SET name = $1, email = $2 WHERE id = $3 AND tenant_id = $4")
                .bind(name)
                .bind(address)
                .bind(id)
                .bind(tenant),
        )
        .await?;
        tx.changed(Change::of(
            TenantId::new(tenant),
            Entity::User,
            id,
            "updated",
        ));
    }
    sync_links(tx, person).await
}

/// Makes `account`'s memberships exactly `groups` (all of `tenant`).
async fn set_memberships(
    tx: &mut Tx,
    tenant: TenantId,
    account: i64,
    groups: &BTreeSet<i64>,
) -> Result<(), StoreError> {
    let current: Vec<i64> = tx
        .fetch_scalars(
            Sql::new(
                "SELECT m.group_id FROM group_members m JOIN resolver_groups r ON r.id = m.group_id \
                 WHERE m.user_id = $1 AND r.tenant_id = $2",
            )
            .bind(account)
            .bind(tenant.get()),
        )
        .await?;
    for group in current.iter().filter(|g| !groups.contains(g)) {
        tx.execute(
            Sql::new("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
                .bind(*group)
                .bind(account),
        )
        .await?;
        tx.changed(Change::of(tenant, Entity::Group, *group, "updated"));
    }
    for group in groups.iter().filter(|g| !current.contains(g)) {
        tx.execute(
            Sql::new(
                "INSERT INTO group_members (group_id, user_id) SELECT id, $1 FROM resolver_groups \
                 WHERE id = $2 AND tenant_id = $3",
            )
            .bind(account)
            .bind(*group)
            .bind(tenant.get()),
        )
        .await?;
        tx.changed(Change::of(tenant, Entity::Group, *group, "updated"));
    }
    Ok(())
}

/// The provider people a grant covers now: its person, or its group's members.
async fn covered(tx: &mut Tx, grantee: Grantee) -> Result<Vec<UserId>, StoreError> {
    let ids: Vec<i64> = match grantee {
        Grantee::User(user) => vec![user.get()],
        Grantee::Group(group) => {
            tx.fetch_scalars(
                Sql::new(
                    "SELECT m.user_id FROM group_members m JOIN resolver_groups r ON r.id = m.group_id \
                     WHERE m.group_id = $1 AND r.tenant_id = $2 ORDER BY m.user_id",
                )
                .bind(group.get())
                .bind(PROVIDER),
            )
            .await?
        }
    };
    Ok(ids.into_iter().map(UserId::new).collect())
}

type GrantRow = (i64, i64, Option<i64>, Option<i64>, i64);

impl Store {
    /// The grants on `tenant`, oldest first.
    pub async fn list_grants(&self, tenant: TenantId) -> Result<Vec<GrantRecord>, StoreError> {
        let rows: Vec<GrantRow> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT id, tenant_id, provider_group_id, provider_user_id, created_at \
                     FROM tenant_grants WHERE tenant_id = $1 ORDER BY id",
                )
                .bind(tenant.get()),
            )
            .await?;
        let pairs: Vec<(i64, i64)> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT gg.grant_id, gg.group_id FROM tenant_grant_groups gg \
                     JOIN tenant_grants g ON g.id = gg.grant_id WHERE g.tenant_id = $1 \
                     ORDER BY gg.grant_id, gg.group_id",
                )
                .bind(tenant.get()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, t, group, user, at)| GrantRecord {
                id,
                tenant_id: TenantId::new(t),
                provider_group_id: group.map(GroupId::new),
                provider_user_id: user.map(UserId::new),
                group_ids: pairs
                    .iter()
                    .filter(|(grant, _)| *grant == id)
                    .map(|(_, g)| GroupId::new(*g))
                    .collect(),
                created_at: Timestamp::from_micros(at),
            })
            .collect())
    }

    /// Adds a grant on `tenant` (a client tenant, not the provider) and brings the linked
    /// accounts of everyone it covers in step, in one transaction. The grantee must be a
    /// provider group or an active provider member of staff, and every group one of `tenant`'s:
    /// otherwise `NotFound` and nothing is written.
    pub async fn create_grant(
        &self,
        tenant: TenantId,
        grantee: Grantee,
        groups: &[GroupId],
        now: Timestamp,
    ) -> Result<GrantRecord, StoreError> {
        if tenant.get() == PROVIDER || groups.is_empty() {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.begin().await?;
        let grantee_known: Option<i64> = match grantee {
            Grantee::Group(group) => {
                tx.fetch_optional_scalar(
                    Sql::new("SELECT id FROM resolver_groups WHERE id = $1 AND tenant_id = $2")
                        .bind(group.get())
                        .bind(PROVIDER),
                )
                .await?
            }
            Grantee::User(user) => {
                tx.fetch_optional_scalar(
                    Sql::new(
                        "SELECT id FROM users WHERE id = $1 AND tenant_id = $2 AND active \
                         AND role <> 'customer' AND acts_for_user_id IS NULL",
                    )
                    .bind(user.get())
                    .bind(PROVIDER),
                )
                .await?
            }
        };
        if grantee_known.is_none() {
            return Err(StoreError::NotFound);
        }
        let mut wanted: Vec<i64> = groups.iter().map(|g| g.get()).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut count = Sql::new("SELECT COUNT(*) FROM resolver_groups WHERE tenant_id = ");
        count
            .push_bind(tenant.get())
            .push(" AND id IN (")
            .push_list(wanted.iter().copied())
            .push(")");
        let found: i64 = tx.fetch_scalar(count).await?;
        if found != wanted.len() as i64 {
            return Err(StoreError::NotFound);
        }
        let (group, user) = match grantee {
            Grantee::Group(g) => (Some(g.get()), None),
            Grantee::User(u) => (None, Some(u.get())),
        };
        let id: i64 = tx
            .fetch_scalar(
                Sql::new(
                    "INSERT INTO tenant_grants (tenant_id, provider_group_id, provider_user_id, created_at) \
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(tenant.get())
                .bind(group)
                .bind(user)
                .bind(now.as_micros()),
            )
            .await?;
        for g in &wanted {
            tx.execute(
                Sql::new(
                    "INSERT INTO tenant_grant_groups (grant_id, group_id) SELECT $1, id \
                     FROM resolver_groups WHERE id = $2 AND tenant_id = $3",
                )
                .bind(id)
                .bind(*g)
                .bind(tenant.get()),
            )
            .await?;
        }
        for person in covered(&mut tx, grantee).await? {
            sync_links(&mut tx, person).await?;
        }
        tx.commit().await?;
        Ok(GrantRecord {
            id,
            tenant_id: tenant,
            provider_group_id: group.map(GroupId::new),
            provider_user_id: user.map(UserId::new),
            group_ids: wanted.into_iter().map(GroupId::new).collect(),
            created_at: now,
        })
    }

    /// Removes a grant of `tenant` and brings the linked accounts of everyone it covered in
    /// step, in one transaction. A grant of another tenant is `NotFound`.
    pub async fn delete_grant(&self, tenant: TenantId, id: i64) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let row: Option<(Option<i64>, Option<i64>)> = tx
            .fetch_optional(
                Sql::new(
                    "SELECT provider_group_id, provider_user_id FROM tenant_grants \
                     WHERE id = $1 AND tenant_id = $2",
                )
                .bind(id)
                .bind(tenant.get()),
            )
            .await?;
        let grantee = match row {
            Some((Some(group), _)) => Grantee::Group(GroupId::new(group)),
            Some((None, Some(user))) => Grantee::User(UserId::new(user)),
            _ => return Err(StoreError::NotFound),
        };
        let people = covered(&mut tx, grantee).await?;
        tx.execute(Sql::new("DELETE FROM tenant_grant_groups WHERE grant_id = $1").bind(id))
            .await?;
        tx.execute(
            Sql::new("DELETE FROM tenant_grants WHERE id = $1 AND tenant_id = $2")
                .bind(id)
                .bind(tenant.get()),
        )
        .await?;
        for person in people {
            sync_links(&mut tx, person).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// What `person` may do in client tenants right now, from the grants themselves: per
    /// tenant, the active linked account and the granted groups. Nothing for a person outside
    /// the provider, inactive or not staff, and nothing in a deactivated tenant.
    pub async fn links_of(&self, person: UserId) -> Result<Vec<LinkRecord>, StoreError> {
        let rows: Vec<(i64, i64, i64)> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT l.tenant_id, l.id, gg.group_id FROM users l \
                     JOIN users p ON p.id = l.acts_for_user_id AND p.tenant_id = $2 AND p.active \
                     AND p.role <> 'customer' \
                     JOIN tenants c ON c.id = l.tenant_id AND c.active \
                     JOIN tenant_grants g ON g.tenant_id = l.tenant_id \
                     JOIN tenant_grant_groups gg ON gg.grant_id = g.id \
                     JOIN resolver_groups r ON r.id = gg.group_id AND r.tenant_id = l.tenant_id \
                     WHERE l.acts_for_user_id = $1 AND l.active AND l.tenant_id <> $2 \
                     AND (g.provider_user_id = p.id OR g.provider_group_id IN \
                     (SELECT m.group_id FROM group_members m JOIN resolver_groups pg ON pg.id = m.group_id \
                      AND pg.tenant_id = $2 WHERE m.user_id = p.id)) \
                     ORDER BY l.tenant_id, gg.group_id \
                     /* all-tenants: the person's links, each bound to its own tenant */",
                )
                .bind(person.get())
                .bind(PROVIDER),
            )
            .await?;
        let mut links: Vec<LinkRecord> = Vec::new();
        for (tenant, account, group) in rows {
            let group = GroupId::new(group);
            match links.last_mut() {
                Some(link) if link.tenant_id.get() == tenant => {
                    if !link.group_ids.contains(&group) {
                        link.group_ids.push(group);
                    }
                }
                _ => links.push(LinkRecord {
                    tenant_id: TenantId::new(tenant),
                    user_id: UserId::new(account),
                    group_ids: vec![group],
                }),
            }
        }
        Ok(links)
    }

    /// The provider person a linked account of `tenant` acts for, if it is one.
    pub async fn acts_for(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<Option<UserId>, StoreError> {
        let found: Option<Option<i64>> = self
            .read()
            .fetch_optional_scalar(
                Sql::new("SELECT acts_for_user_id FROM users WHERE id = $1 AND tenant_id = $2")
                    .bind(user.get())
                    .bind(tenant.get()),
            )
            .await?;
        Ok(found.flatten().map(UserId::new))
    }

    /// The tenant of each of these tickets (ids the caller has already read in its scope), for
    /// a queue that spans tenants.
    pub async fn ticket_tenants(
        &self,
        ids: &[spoc_domain::TicketId],
    ) -> Result<Vec<(spoc_domain::TicketId, TenantId)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new("SELECT id, tenant_id FROM tickets WHERE id IN (");
        sql.push_list(ids.iter().map(|i| i.get()))
            .push(") /* all-tenants: tickets the caller already read through its scope */");
        let rows: Vec<(i64, i64)> = self.read().fetch_all(sql).await?;
        Ok(rows
            .into_iter()
            .map(|(id, t)| (spoc_domain::TicketId::new(id), TenantId::new(t)))
            .collect())
    }
}

//! Grants: the provider's agents and resolver groups work in the client tenants they are
//! granted, on the tickets of chosen resolver groups of each (docs/tenants.md). The provider's
//! admins add and remove grants; nobody else sees them.
//!
//! A provider person's work in a client tenant runs as their *linked account* there (an agent
//! of that tenant acting for them, kept in step by the store): the queue spans the provider's
//! own tenant and each linked tenant, each part bound to its tenant (`App::list_tickets`);
//! a ticket named by id runs as the actor of the tenant it belongs to
//! ([`App::actor_on_ticket`]), never as the provider actor with a foreign tenant. Links are
//! read from the grants at each use, so a revoked grant or a person leaving the provider group
//! takes effect at once.

use spoc_domain::access::{Actor, Link, Scope};
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::credential::{Access, Resource};
use spoc_domain::{GroupId, TenantId, TicketId, Timestamp, UserId, ValidationError};
use spoc_store::{GrantRecord, StoreError};

use crate::auth::permit;
use crate::tenants::is_provider_admin;
use crate::{App, AppError, FromRecord};

/// Who a grant covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grantee {
    /// Every member of this provider resolver group.
    Group(GroupId),
    /// This provider agent.
    User(UserId),
}

/// A grant on a client tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// Id.
    pub id: i64,
    /// The client tenant.
    pub tenant_id: TenantId,
    /// Who it covers.
    pub grantee: Grantee,
    /// The tenant's resolver groups whose tickets they work.
    pub group_ids: Vec<GroupId>,
    /// When made.
    pub created_at: Timestamp,
}

impl FromRecord<GrantRecord> for Grant {
    fn from_record(r: GrantRecord) -> Self {
        Self {
            id: r.id,
            tenant_id: r.tenant_id,
            grantee: match (r.provider_group_id, r.provider_user_id) {
                (Some(group), _) => Grantee::Group(group),
                (None, user) => Grantee::User(user.unwrap_or(UserId::new(0))),
            },
            group_ids: r.group_ids,
            created_at: r.created_at,
        }
    }
}

/// The most resolver groups one grant names.
pub const GRANT_GROUPS_MAX: usize = 100;

impl App {
    /// Only the provider's admins manage grants; another tenant's admin (or anyone else) asking
    /// about a tenant that is not theirs finds no tenant.
    fn may_manage_grants(&self, actor: &Actor, tenant: TenantId) -> Result<(), AppError> {
        if is_provider_admin(actor) {
            Ok(())
        } else if actor.is_admin() && actor.tenant_id == tenant {
            Err(AppError::Forbidden(
                "only the provider's admins manage grants".to_owned(),
            ))
        } else {
            Err(AppError::NotFound { what: "tenant" })
        }
    }

    /// A linked account is the provider's grants' to manage: a tenant's admins see it among
    /// their people but cannot change it or its memberships.
    pub(crate) async fn refuse_linked_account(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<(), AppError> {
        if self.store.acts_for(tenant, user).await?.is_some() {
            return Err(AppError::Forbidden(
                "this account acts for an agent of the provider; the provider's grants manage it"
                    .to_owned(),
            ));
        }
        Ok(())
    }

    /// The grants on a tenant (the provider's admins).
    pub async fn list_grants(
        &self,
        actor: &Actor,
        tenant: TenantId,
    ) -> Result<Vec<Grant>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        self.may_manage_grants(actor, tenant)?;
        self.store
            .get_tenant(tenant)
            .await
            .map_err(crate::error::not_found("tenant"))?;
        Ok(self
            .store
            .list_grants(tenant)
            .await?
            .into_iter()
            .map(Grant::from_record)
            .collect())
    }

    /// The resolver groups of a client tenant a grant may name (the provider's admins).
    pub async fn grant_groups(
        &self,
        actor: &Actor,
        tenant: TenantId,
    ) -> Result<Vec<crate::directory::Group>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        self.may_manage_grants(actor, tenant)?;
        Ok(self
            .store
            .list_groups(tenant)
            .await?
            .into_iter()
            .map(crate::directory::Group::from_record)
            .collect())
    }

    /// Lets a provider group or agent work in `tenant` on the tickets of `group_ids` (groups of
    /// that tenant). A grantee outside the provider, or a group of another tenant, is refused
    /// naming the field, and nothing is written.
    pub async fn create_grant(
        &self,
        actor: &Actor,
        tenant: TenantId,
        grantee: Grantee,
        group_ids: Vec<GroupId>,
    ) -> Result<Grant, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        self.may_manage_grants(actor, tenant)?;
        self.store
            .get_tenant(tenant)
            .await
            .map_err(crate::error::not_found("tenant"))?;
        if tenant == TenantId::FIRST {
            return Err(ValidationError::new(
                "tenant",
                "the provider's own agents need no grant on the provider",
            )
            .into());
        }
        if group_ids.is_empty() || group_ids.len() > GRANT_GROUPS_MAX {
            return Err(ValidationError::new("group_ids", "name 1 to 100 groups").into());
        }
        match grantee {
            Grantee::Group(group) => {
                if self.store.get_group(TenantId::FIRST, group).await.is_err() {
                    return Err(ValidationError::new(
                        "provider_group_id",
                        "is not a resolver group of the provider",
                    )
                    .into());
                }
            }
            Grantee::User(user) => {
                let staff = match self.store.get_user(TenantId::FIRST, user).await {
                    Ok(person) => person.active && person.role.is_staff(),
                    Err(StoreError::NotFound) => false,
                    Err(other) => return Err(other.into()),
                };
                if !staff || self.store.acts_for(TenantId::FIRST, user).await?.is_some() {
                    return Err(ValidationError::new(
                        "provider_user_id",
                        "is not an active agent of the provider",
                    )
                    .into());
                }
            }
        }
        for group in &group_ids {
            match self.store.get_group(tenant, *group).await {
                Ok(_) => {}
                Err(StoreError::NotFound) => {
                    return Err(ValidationError::new(
                        "group_ids",
                        format!("group {group} is not a resolver group of this tenant"),
                    )
                    .into());
                }
                Err(other) => return Err(other.into()),
            }
        }
        let record = self
            .store
            .create_grant(
                tenant,
                match grantee {
                    Grantee::Group(g) => spoc_store::Grantee::Group(g),
                    Grantee::User(u) => spoc_store::Grantee::User(u),
                },
                &group_ids,
                self.now(),
            )
            .await
            .map_err(|e| match e {
                StoreError::NotFound => ValidationError::new(
                    "group_ids",
                    "the groups or the grantee changed meanwhile; try again",
                )
                .into(),
                other => AppError::from(other),
            })?;
        self.audit(
            actor,
            AuditAction::GrantAdded { grant: record.id },
            AuditTarget::Tenant(tenant),
        )
        .await?;
        Ok(Grant::from_record(record))
    }

    /// Removes a grant: everyone it covered stops working in the tenant at once (unless another
    /// grant covers them).
    pub async fn delete_grant(
        &self,
        actor: &Actor,
        tenant: TenantId,
        id: i64,
    ) -> Result<(), AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        self.may_manage_grants(actor, tenant)?;
        self.store
            .delete_grant(tenant, id)
            .await
            .map_err(crate::error::not_found("grant"))?;
        self.audit(
            actor,
            AuditAction::GrantRemoved { grant: id },
            AuditTarget::Tenant(tenant),
        )
        .await
    }

    /// The client tenants `actor` works in through grants now (a provider member of staff
    /// acting as a person); none for anyone else.
    pub async fn links_of(&self, actor: &Actor) -> Result<Vec<Link>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let Some(person) = actor.user_id() else {
            return Ok(Vec::new());
        };
        if actor.tenant_id != TenantId::FIRST || !actor.is_staff() {
            return Ok(Vec::new());
        }
        Ok(self
            .store
            .links_of(person)
            .await?
            .into_iter()
            .map(|l| Link {
                tenant_id: l.tenant_id,
                user_id: l.user_id,
                group_ids: l.group_ids,
            })
            .collect())
    }

    /// The tenants the actor's queue spans, with their names, when it spans more than their
    /// own (a provider agent with grants); empty otherwise, so a single-company desk never
    /// sees a tenant.
    pub async fn queue_tenants(&self, actor: &Actor) -> Result<Vec<(TenantId, String)>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let links = self.links_of(actor).await?;
        if links.is_empty() {
            return Ok(Vec::new());
        }
        let mut names = Vec::new();
        for id in std::iter::once(actor.tenant_id).chain(links.iter().map(|l| l.tenant_id)) {
            names.push((id, self.store.get_tenant(id).await?.name));
        }
        Ok(names)
    }

    /// Who acts on ticket `id` for `actor`: the actor itself when the ticket is theirs to see
    /// (or unknown), or, for a provider agent, their linked account's actor in the client
    /// tenant whose granted tickets include it. Every use case on a ticket named by id runs as
    /// the actor this returns, so nothing is ever done as the provider with a foreign tenant.
    pub async fn actor_on_ticket(&self, actor: &Actor, id: TicketId) -> Result<Actor, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        if actor.tenant_id != TenantId::FIRST || !actor.is_staff() || actor.user_id().is_none() {
            return Ok(actor.clone());
        }
        match self.store.get_ticket(id, &actor.scope()).await {
            Ok(_) => return Ok(actor.clone()),
            Err(StoreError::NotFound) => {}
            Err(other) => return Err(other.into()),
        }
        for link in self.links_of(actor).await? {
            let scope = Scope {
                tenant: link.tenant_id.into(),
                tickets: link.ticket_scope(),
                linked: Vec::new(),
            };
            match self.store.get_ticket(id, &scope).await {
                Ok(_) => return Ok(link.actor(actor)),
                Err(StoreError::NotFound) => {}
                Err(other) => return Err(other.into()),
            }
        }
        Ok(actor.clone())
    }
}

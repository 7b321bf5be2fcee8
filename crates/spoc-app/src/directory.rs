//! The desk's directory as the use cases hand it out: people, organisations, resolver groups,
//! the category taxonomy and business services. These are the app's read models: the API and the
//! pages convert from them, so neither is tied to the tables (no password hashes or other
//! storage internals). Admin, sign-in and ticket use cases share them, hence a module of their own.

use crate::FromRecord;
use spoc_domain::org::Tier;
use spoc_domain::user::Role;
use spoc_domain::{CategoryId, GroupId, OrganizationId, ServiceId, TenantId, Timestamp, UserId};

/// A person known to the desk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// Id.
    pub id: UserId,
    /// The tenant the person belongs to.
    pub tenant_id: TenantId,
    /// Lower-cased e-mail, unique in the tenant.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Organisation (customers).
    pub organization_id: Option<OrganizationId>,
    /// Sees all of the organisation's tickets.
    pub super_user: bool,
    /// Deactivated people cannot sign in or use tokens.
    pub active: bool,
    /// When added.
    pub created_at: Timestamp,
}

impl FromRecord<spoc_store::UserRecord> for Person {
    fn from_record(r: spoc_store::UserRecord) -> Self {
        Self {
            id: r.id,
            tenant_id: r.tenant_id,
            email: r.email,
            name: r.name,
            role: r.role,
            organization_id: r.organization_id,
            super_user: r.super_user,
            active: r.active,
            created_at: r.created_at,
        }
    }
}

/// Changes to a person; `None` keeps a value. A new password travels beside it, in the clear,
/// and is hashed by the use case.
#[derive(Clone, Debug, Default)]
pub struct PersonUpdate {
    /// New name.
    pub name: Option<String>,
    /// New role.
    pub role: Option<Role>,
    /// New organisation (`Some(None)` removes it).
    pub organization_id: Option<Option<OrganizationId>>,
    /// New super-user flag.
    pub super_user: Option<bool>,
    /// Activate or deactivate.
    pub active: Option<bool>,
}

impl PersonUpdate {
    /// The store's update, without a new password hash (the use case adds it).
    pub(crate) fn into_store(self) -> spoc_store::UserUpdate {
        spoc_store::UserUpdate {
            name: self.name,
            role: self.role,
            organization_id: self.organization_id,
            super_user: self.super_user,
            active: self.active,
            password_hash: None,
        }
    }
}

/// A customer organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organization {
    /// Id.
    pub id: OrganizationId,
    /// Unique name.
    pub name: String,
    /// When added.
    pub created_at: Timestamp,
}

impl FromRecord<spoc_store::OrganizationRecord> for Organization {
    fn from_record(r: spoc_store::OrganizationRecord) -> Self {
        Self {
            id: r.id,
            name: r.name,
            created_at: r.created_at,
        }
    }
}

/// A resolver group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// Id.
    pub id: GroupId,
    /// Unique name.
    pub name: String,
    /// Support tier.
    pub tier: Tier,
    /// An external supplier (tier 3 only).
    pub external_supplier: bool,
    /// When added.
    pub created_at: Timestamp,
}

impl FromRecord<spoc_store::GroupRecord> for Group {
    fn from_record(r: spoc_store::GroupRecord) -> Self {
        Self {
            id: r.id,
            name: r.name,
            tier: r.tier,
            external_supplier: r.external_supplier,
            created_at: r.created_at,
        }
    }
}

/// A category (no parent) or subcategory (with a parent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    /// Id.
    pub id: CategoryId,
    /// Name, unique among siblings.
    pub name: String,
    /// The parent category, for a subcategory.
    pub parent_id: Option<CategoryId>,
    /// When added.
    pub created_at: Timestamp,
}

impl FromRecord<spoc_store::CategoryRecord> for Category {
    fn from_record(r: spoc_store::CategoryRecord) -> Self {
        Self {
            id: r.id,
            name: r.name,
            parent_id: r.parent_id,
            created_at: r.created_at,
        }
    }
}

/// A business service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    /// Id.
    pub id: ServiceId,
    /// Unique name.
    pub name: String,
    /// What it is, for people choosing it.
    pub description: String,
    /// When added.
    pub created_at: Timestamp,
}

impl FromRecord<spoc_store::ServiceRecord> for Service {
    fn from_record(r: spoc_store::ServiceRecord) -> Self {
        Self {
            id: r.id,
            name: r.name,
            description: r.description,
            created_at: r.created_at,
        }
    }
}

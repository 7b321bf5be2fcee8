//! Tenants: every record belongs to exactly one. A desk starts with one tenant,
//! [`TenantId::FIRST`], and nobody notices it; every actor and every store read carries the
//! tenant it works in, so that a second tenant's records can never show through.

use std::fmt;

/// A tenant: the organisation running its own desk in a shared database.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct TenantId(i64);

impl TenantId {
    /// The tenant every desk starts with, made by the migration that introduced tenants, and
    /// the owner of every record that existed before.
    pub const FIRST: Self = Self(1);

    /// Wraps a raw database id.
    pub const fn new(raw: i64) -> Self {
        Self(raw)
    }

    /// The raw database id.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Which tenants' records a read may return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TenantScope {
    /// Only this tenant's: every read on behalf of an actor.
    Tenant(TenantId),
    /// Every tenant's: only for the work of the desk itself (background jobs, reads by a
    /// globally unique id or hash before any tenant is known). Each use names why.
    AllTenants,
}

impl TenantScope {
    /// The one tenant this scope covers, if it covers only one.
    pub const fn tenant(self) -> Option<TenantId> {
        match self {
            Self::Tenant(id) => Some(id),
            Self::AllTenants => None,
        }
    }
}

impl From<TenantId> for TenantScope {
    fn from(id: TenantId) -> Self {
        Self::Tenant(id)
    }
}

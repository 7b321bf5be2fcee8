//! The change feed's records: what a change is about, a change a write transaction makes, and a
//! committed change as consumers read it. Write transactions record their changes with
//! `Tx::changed`; `Tx::commit` gives them their positions (see `db.rs`); consumers read them
//! with `Store::changes_after` (every tenant's) or `Store::tenant_changes_after` (one tenant's),
//! in `feed.rs`.

use spoc_domain::access::{Principal, SystemActor};
use spoc_domain::{TenantId, Timestamp, UserId};

use crate::StoreError;

/// What a change is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Entity {
    /// A ticket (its fields, state, comments, annexes).
    Ticket,
    /// An SOP (document control, versions, reviews).
    Sop,
    /// A knowledge article.
    Article,
    /// A person.
    User,
    /// An organisation.
    Organization,
    /// A resolver group or its members.
    Group,
    /// A category.
    Category,
    /// A service.
    Service,
    /// A desk setting.
    Setting,
    /// A mailbox.
    Mailbox,
    /// A business calendar or SLA policy.
    Sla,
}

impl Entity {
    /// Every entity.
    pub const ALL: [Self; 11] = [
        Self::Ticket,
        Self::Sop,
        Self::Article,
        Self::User,
        Self::Organization,
        Self::Group,
        Self::Category,
        Self::Service,
        Self::Setting,
        Self::Mailbox,
        Self::Sla,
    ];

    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ticket => "ticket",
            Self::Sop => "sop",
            Self::Article => "article",
            Self::User => "user",
            Self::Organization => "organization",
            Self::Group => "group",
            Self::Category => "category",
            Self::Service => "service",
            Self::Setting => "setting",
            Self::Mailbox => "mailbox",
            Self::Sla => "sla",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == name)
    }
}

/// A change a write transaction makes, recorded with [`Tx::changed`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The tenant the changed record belongs to.
    pub tenant: TenantId,
    /// What changed.
    pub entity: Entity,
    /// Its id.
    pub entity_id: i64,
    /// How: `created`, `commented`, `updated`, `deleted`, ….
    pub kind: &'static str,
    /// Whether a ticket's requester could see it.
    pub public: bool,
    /// Who, if known to the write: a person, or the part of the system that acted.
    pub actor: Option<Principal>,
}

impl Change {
    /// A change of a record of `tenant` other than a ticket, by nobody named.
    pub(crate) fn of(tenant: TenantId, entity: Entity, entity_id: i64, kind: &'static str) -> Self {
        Self {
            tenant,
            entity,
            entity_id,
            kind,
            public: false,
            actor: None,
        }
    }
}

/// A committed change, as the feed hands it out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeRecord {
    /// Its position: consecutive, in commit order.
    pub position: i64,
    /// When it was committed (the database's clock).
    pub at: Timestamp,
    /// The tenant the changed record belongs to.
    pub tenant: TenantId,
    /// What changed.
    pub entity: Entity,
    /// Its id.
    pub entity_id: i64,
    /// How.
    pub kind: String,
    /// Whether a ticket's requester could see it.
    pub public: bool,
    /// Who, if a person.
    pub actor_id: Option<UserId>,
    /// Which part of the system, if the system acted.
    pub actor_system: Option<SystemActor>,
}

/// A row of `changes`.
#[derive(sqlx::FromRow)]
pub(crate) struct ChangeRow {
    pub(crate) position: i64,
    pub(crate) at: i64,
    pub(crate) tenant_id: i64,
    pub(crate) entity: String,
    pub(crate) entity_id: i64,
    pub(crate) kind: String,
    pub(crate) public: bool,
    pub(crate) actor_id: Option<i64>,
    pub(crate) actor_system: Option<String>,
}

impl TryFrom<ChangeRow> for ChangeRecord {
    type Error = StoreError;

    fn try_from(r: ChangeRow) -> Result<Self, StoreError> {
        Ok(Self {
            position: r.position,
            at: Timestamp::from_micros(r.at),
            tenant: TenantId::new(r.tenant_id),
            entity: Entity::parse(&r.entity)
                .ok_or_else(|| StoreError::Corrupt(format!("changes.entity: {}", r.entity)))?,
            entity_id: r.entity_id,
            kind: r.kind,
            public: r.public,
            actor_id: r.actor_id.map(UserId::new),
            actor_system: r
                .actor_system
                .map(|name| {
                    SystemActor::parse(&name)
                        .ok_or_else(|| StoreError::Corrupt(format!("changes.actor_system: {name}")))
                })
                .transpose()?,
        })
    }
}

/// The tables whose every write is a change of a record, with the record's kind. A write
/// transaction that writes one of them must record a change of that kind, and none may be
/// written outside a transaction; debug builds (the tests) refuse to commit otherwise, so a new
/// write that forgets the feed fails its tests. Tables that also carry claims and leases
/// (`sops`, `mailboxes`, `ticket_sla`, `outbox`) are left out: their record changes are
/// caught through the log or history tables written with them.
#[cfg(debug_assertions)]
const RECORD_TABLES: [(&str, Entity); 15] = [
    ("tickets", Entity::Ticket),
    ("ticket_events", Entity::Ticket),
    ("sop_log", Entity::Sop),
    ("sop_links", Entity::Sop),
    ("article_log", Entity::Article),
    ("users", Entity::User),
    ("organizations", Entity::Organization),
    ("organization_domains", Entity::Organization),
    ("resolver_groups", Entity::Group),
    ("group_members", Entity::Group),
    ("categories", Entity::Category),
    ("services", Entity::Service),
    ("settings", Entity::Setting),
    ("calendars", Entity::Sla),
    ("sla_policies", Entity::Sla),
];

/// The record table a statement writes, if it is one of [`RECORD_TABLES`].
#[cfg(debug_assertions)]
pub(crate) fn record_table_written(sql: &str) -> Option<(&'static str, Entity)> {
    let sql = sql.trim_start();
    let rest = ["INSERT INTO ", "UPDATE ", "DELETE FROM "]
        .into_iter()
        .find_map(|verb| {
            sql.get(..verb.len())
                .filter(|head| head.eq_ignore_ascii_case(verb))
                .map(|_| &sql[verb.len()..])
        })?;
    let table: &str = rest
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()?;
    RECORD_TABLES.into_iter().find(|(name, _)| *name == table)
}

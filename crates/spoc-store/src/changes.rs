//! The change feed: every committed change of a record at a position that increases in commit
//! order without gaps (see the `changes` migration). Write transactions record their changes
//! with [`Tx::changed`](crate::db::Tx::changed); [`Tx::commit`](crate::db::Tx::commit) takes
//! their positions from `feed_head` as its last step, so on PostgreSQL the head's row lock is
//! held only from there to the commit. Consumers read with [`Store::changes_after`].

use spoc_domain::{Timestamp, UserId};

use crate::db::{Sql, Tx};
use crate::{Store, StoreError};

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
    /// What changed.
    pub entity: Entity,
    /// Its id.
    pub entity_id: i64,
    /// How: `created`, `commented`, `updated`, `deleted`, ….
    pub kind: &'static str,
    /// Whether a ticket's requester could see it.
    pub public: bool,
    /// Who, if a person known to the write.
    pub actor_id: Option<UserId>,
}

impl Change {
    /// A change of a record other than a ticket, by nobody named.
    pub(crate) fn of(entity: Entity, entity_id: i64, kind: &'static str) -> Self {
        Self {
            entity,
            entity_id,
            kind,
            public: false,
            actor_id: None,
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
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    position: i64,
    at: i64,
    entity: String,
    entity_id: i64,
    kind: String,
    public: bool,
    actor_id: Option<i64>,
}

impl TryFrom<ChangeRow> for ChangeRecord {
    type Error = StoreError;

    fn try_from(r: ChangeRow) -> Result<Self, StoreError> {
        Ok(Self {
            position: r.position,
            at: Timestamp::from_micros(r.at),
            entity: Entity::parse(&r.entity)
                .ok_or_else(|| StoreError::Corrupt(format!("changes.entity: {}", r.entity)))?,
            entity_id: r.entity_id,
            kind: r.kind,
            public: r.public,
            actor_id: r.actor_id.map(UserId::new),
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

/// Appends `changes` to the feed inside `tx`, at the next positions. Called by
/// [`Tx::commit`] as its last statement, so the lock it takes on `feed_head` (PostgreSQL) is
/// held only until the commit.
pub(crate) async fn append(tx: &mut Tx, changes: &[Change]) -> Result<(), StoreError> {
    if changes.is_empty() {
        return Ok(());
    }
    let count = i64::try_from(changes.len())
        .map_err(|_| StoreError::Corrupt("too many changes".to_owned()))?;
    let head: i64 = tx
        .fetch_scalar(
            Sql::new(
                "UPDATE feed_head SET position = position + $1 WHERE id = 1 RETURNING position",
            )
            .bind(count),
        )
        .await?;
    let first = head - count + 1;
    let now = tx.dialect().now_micros();
    let mut sql = Sql::new(
        "INSERT INTO changes (position, at, entity, entity_id, kind, public, actor_id) VALUES ",
    );
    for (n, change) in (first..).zip(changes) {
        if n > first {
            sql.push(", ");
        }
        sql.push("(");
        sql.push_bind(n);
        sql.push(", ");
        sql.push(now);
        sql.push(", ");
        sql.push_bind(change.entity.as_str());
        sql.push(", ");
        sql.push_bind(change.entity_id);
        sql.push(", ");
        sql.push_bind(change.kind);
        sql.push(", ");
        sql.push_bind(change.public);
        sql.push(", ");
        sql.push_bind(change.actor_id.map(UserId::get));
        sql.push(")");
    }
    tx.execute(sql).await?;
    Ok(())
}

impl Store {
    /// Up to `limit` committed changes after position `after`, in order. A consumer that
    /// passes the last position it handled gets every later change once.
    pub async fn changes_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<ChangeRecord>, StoreError> {
        let rows: Vec<ChangeRow> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT position, at, entity, entity_id, kind, public, actor_id FROM changes \
                     WHERE position > $1 ORDER BY position LIMIT $2",
                )
                .bind(after)
                .bind(limit),
            )
            .await?;
        rows.into_iter().map(ChangeRecord::try_from).collect()
    }

    /// The position of the last committed change (0 before the first).
    pub async fn feed_head(&self) -> Result<i64, StoreError> {
        self.read()
            .fetch_scalar(Sql::new("SELECT position FROM feed_head WHERE id = 1"))
            .await
    }
}

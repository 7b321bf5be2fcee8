//! Spoc's persistence: one [`Store`] over SQLite (embedded, the default) and PostgreSQL (for
//! several nodes), with the migrations of both and full-text search in each one's own engine.
//!
//! This is the only crate with SQL. Its methods are shaped by use cases (create a ticket, apply a
//! decided change, list a queue), not by tables. Every ticket read takes the caller's
//! [`Scope`](spoc_domain::access::Scope) (its tenant and visibility), and every other read of a
//! tenant-owned table its tenant, so no query can forget either.

mod annex;
mod audit;
mod audited;
mod canned;
mod changes;
mod credentials;
mod db;
mod directories;
mod directory;
mod document;
mod error;
mod feed;
mod grants;
mod knowledge;
mod mail;
mod oidc;
mod person_settings;
mod privacy;
mod queue;
mod records;
mod resets;
mod retention;
mod scim;
mod scope;
mod search;
mod second_factor;
mod sla;
mod sop;
mod sop_pending;
mod tenants;
mod ticket_sop;
mod tickets;
mod workers;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Postgres, Sqlite};

use crate::db::Sql;

pub use annex::TicketSopRecord;
pub use audit::{AuditNote, AuditQuery, AuditRecord, NewAuditEntry};
pub use canned::CannedRecord;
pub use changes::{Change, ChangeRecord, Entity};
pub use directories::{DirectoryInput, DirectoryPersonRecord, DirectoryRecord, SyncOutcome};
pub use error::StoreError;
pub use grants::{GrantRecord, Grantee, LinkRecord};
pub use knowledge::*;
pub use mail::{
    ActionTokenRecord, AttachmentRecord, ImapSecurity, ImapSettings, InboundOutcome, InboundRecord,
    MailWrite, MailboxInput, MailboxRecord, NewAttachment, NewInbound, OutboxRecord, OutboxState,
    SettleInbound, sha256_hex,
};
pub use oidc::{NewOidcLogin, OidcLoginRecord, OidcProviderInput, OidcProviderRecord};
pub use person_settings::SessionReader;
pub use privacy::{ERASED_TEXT, ErasureChoice, ExportFile, JsonRow, PersonData};
pub use queue::SavedViewRecord;
pub use records::*;
pub use scim::{
    MembersChange, ScimGroupRecord, ScimPeopleQuery, ScimPersonRecord, ScimPersonUpdate,
    ScimTokenRecord,
};
pub use search::SearchText;
pub use second_factor::{ChallengePurpose, ChallengeRecord, SecondFactorRecord};
pub use sla::{CalendarRecord, PolicyInput, PolicyRecord, TicketSla};
pub use sop::*;
pub use sop_pending::{PendingSopLink, PendingSopLinkRecord};
pub use tenants::{NewTenant, TenantChange, TenantRecord};
pub use ticket_sop::*;
pub use tickets::{
    Cursor, Load, PairChange, ResolvedTicket, StoredLink, TicketChange, TicketDraft,
    TicketLinkRecord, TicketPage, TicketQuery, TicketSort, TicketState, Updated,
};
pub use workers::WorkerLeaseRecord;

/// A log row of an article or SOP: version, action, actor, time, comment.
pub(crate) type LogRow = (
    i64,
    String,
    Option<i64>,
    Option<String>,
    i64,
    Option<String>,
);

/// How long a SQLite write waits for another process's lock before it is refused.
const LOCK_WAIT: Duration = Duration::from_secs(5);
/// How long a request waits for a database connection before it is refused as unavailable:
/// the lock wait plus time for the writers queued in front of it.
const ACQUIRE_WAIT: Duration = Duration::from_secs(8);

/// Which database engine a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite, one file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// How to open a store.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// `sqlite://PATH` or `postgres://…`.
    pub url: String,
    /// Maximum connections for reads (SQLite) or in total (PostgreSQL).
    pub max_connections: u32,
}

impl StoreOptions {
    /// Options for `url` with a default pool size.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 8,
        }
    }
}

impl Backend {
    /// Picks the backend from a database URL, refusing anything else: an unknown scheme must
    /// never silently create an empty SQLite database somewhere.
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        let scheme = url.split_once(':').map(|(scheme, _)| scheme).unwrap_or("");
        match scheme {
            "sqlite" => Ok(Self::Sqlite),
            "postgres" | "postgresql" => Ok(Self::Postgres),
            _ => Err(StoreError::Config(format!(
                "unsupported database URL scheme {scheme:?}: use sqlite://PATH or postgres://USER@HOST/DB"
            ))),
        }
    }
}

/// Connection pools for one backend. SQLite has a single writer connection, so in-process writers
/// queue instead of fighting over the file lock, and a pool of read-only connections; PostgreSQL
/// uses one pool for both.
#[derive(Debug)]
pub struct Pools<DB: sqlx::Database> {
    read: Pool<DB>,
    write: Pool<DB>,
    /// SQLite only: the queue of the group-commit writer for ticket creations.
    creations: Option<tokio::sync::mpsc::Sender<tickets::CreateJob>>,
    /// Write transactions committed through this store.
    commits: db::CommitCounter,
}

impl<DB: sqlx::Database> Clone for Pools<DB> {
    fn clone(&self) -> Self {
        Self {
            read: self.read.clone(),
            write: self.write.clone(),
            creations: self.creations.clone(),
            commits: self.commits.clone(),
        }
    }
}

/// The store: a cheap-to-clone handle on the database.
#[derive(Clone, Debug)]
pub enum Store {
    /// Embedded SQLite.
    Sqlite(Pools<Sqlite>),
    /// PostgreSQL.
    Postgres(Pools<Postgres>),
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Opens the database at `options.url`. A SQLite file is created if missing; its directory
    /// must exist.
    pub async fn connect(options: &StoreOptions) -> Result<Self, StoreError> {
        match Backend::from_url(&options.url)? {
            Backend::Sqlite => {
                let base = SqliteConnectOptions::from_str(&options.url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    // NORMAL in WAL mode: a commit survives a crash of the process (the WAL is
                    // written before COMMIT returns); only an OS crash or power loss can lose the
                    // last commits. See docs/benchmarks.md.
                    .synchronous(SqliteSynchronous::Normal)
                    // Another process holding the write lock (the admin CLI, a backup) is waited
                    // for this long; past it the write is refused as unavailable (a 503), not
                    // left hanging.
                    .busy_timeout(LOCK_WAIT)
                    .foreign_keys(true)
                    .pragma("temp_store", "memory");
                let write = SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .acquire_timeout(ACQUIRE_WAIT)
                    // A connection that comes back still inside a transaction is not fit for
                    // reuse: when a disk fills up, SQLite may roll the transaction back by itself
                    // and the driver's rollback then fails, leaving it believing a transaction
                    // is open, so that every later `BEGIN` would be refused. Such a connection
                    // is closed and the pool opens a fresh one, so writes recover on their own
                    // once space is freed.
                    .after_release(|conn, _meta| {
                        Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) })
                    })
                    .connect_with(base.clone())
                    .await?;
                let read = SqlitePoolOptions::new()
                    .max_connections(options.max_connections.max(1))
                    .acquire_timeout(ACQUIRE_WAIT)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .connect_with(base.read_only(true))
                    .await?;
                let (creations, jobs) = tokio::sync::mpsc::channel(1024);
                let commits = db::CommitCounter::default();
                tokio::spawn(tickets::run_group_commits(
                    write.clone(),
                    commits.clone(),
                    jobs,
                ));
                Ok(Self::Sqlite(Pools {
                    read,
                    write,
                    creations: Some(creations),
                    commits,
                }))
            }
            Backend::Postgres => {
                let connect = PgConnectOptions::from_str(&options.url)?;
                let pool = PgPoolOptions::new()
                    .max_connections(options.max_connections.max(2))
                    // A server refusing connections answers within this bound (a 503), however
                    // long the pool keeps retrying behind it.
                    .acquire_timeout(ACQUIRE_WAIT)
                    .connect_with(connect)
                    .await?;
                Ok(Self::Postgres(Pools {
                    read: pool.clone(),
                    write: pool,
                    creations: None,
                    commits: db::CommitCounter::default(),
                }))
            }
        }
    }

    /// A handle for reads (SQLite's read-only pool).
    pub(crate) fn read(&self) -> db::Db<'_> {
        match self {
            Self::Sqlite(db) => db::Db::Sqlite(&db.read),
            Self::Postgres(db) => db::Db::Postgres(&db.read),
        }
    }

    /// A handle on the writer pool, for statements that must run outside a transaction
    /// (SQLite's pragmas).
    pub(crate) fn writer(&self) -> db::Db<'_> {
        match self {
            Self::Sqlite(db) => db::Db::Sqlite(&db.write),
            Self::Postgres(db) => db::Db::Postgres(&db.write),
        }
    }

    /// Runs one writing statement in a transaction of its own (so that every write commits
    /// through [`db::Tx::commit`]); returns the rows it changed.
    pub(crate) async fn write_execute(&self, sql: Sql) -> Result<u64, StoreError> {
        let mut tx = self.begin().await?;
        let changed = tx.execute(sql).await?;
        tx.commit().await?;
        Ok(changed)
    }

    /// Runs one writing statement that returns a row, in a transaction of its own.
    pub(crate) async fn write_fetch_one<T: db::FromRows>(&self, sql: Sql) -> Result<T, StoreError> {
        let mut tx = self.begin().await?;
        let row = tx.fetch_one(sql).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Runs one writing statement that may return a row, in a transaction of its own.
    pub(crate) async fn write_fetch_optional<T: db::FromRows>(
        &self,
        sql: Sql,
    ) -> Result<Option<T>, StoreError> {
        let mut tx = self.begin().await?;
        let row = tx.fetch_optional(sql).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Begins a write transaction ([`db::Tx`]).
    pub(crate) async fn begin(&self) -> Result<db::Tx, StoreError> {
        match self {
            Self::Sqlite(db) => db::Tx::begin_sqlite(&db.write, &db.commits).await,
            Self::Postgres(db) => db::Tx::begin_postgres(&db.write, &db.commits).await,
        }
    }

    /// How many write transactions this store (and its clones) committed so far: a ticket
    /// change is exactly one. For tests and metrics.
    pub fn commit_count(&self) -> u64 {
        match self {
            Self::Sqlite(db) => db.commits.get(),
            Self::Postgres(db) => db.commits.get(),
        }
    }

    /// Waits until a write transaction of this store that recorded changes for the feed
    /// commits (`true`), or `timeout` passes (`false`): this node's live-update follower reads
    /// the feed at once instead of at its next poll.
    pub async fn wait_for_commit(&self, timeout: std::time::Duration) -> bool {
        match self {
            Self::Sqlite(db) => db.commits.fed(timeout).await,
            Self::Postgres(db) => db.commits.fed(timeout).await,
        }
    }

    /// Which engine this store runs on.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies pending migrations. Safe to run concurrently from several processes.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(db) => migrate_sqlite(&db.write).await?,
            Self::Postgres(db) => POSTGRES_MIGRATIONS.run(&db.write).await?,
        }
        for (id, _) in self.fill_canonical_emails().await? {
            tracing::warn!(
                user_id = id,
                "account {id} has the same e-mail address as an older account once case and \
                 Unicode normalisation are ignored; it cannot be signed into by e-mail until an \
                 administrator gives it another address"
            );
        }
        Ok(())
    }

    /// The migration versions and names of a backend's embedded tree.
    pub fn migration_versions(backend: Backend) -> Vec<(i64, String)> {
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .iter()
            .map(|m| (m.version, m.description.to_string()))
            .collect()
    }

    /// Refreshes the query planner's statistics where they are stale, so that queue listings
    /// pick the right index as the tables grow (SQLite's `PRAGMA optimize`, which analyses only
    /// tables that changed a lot, with a bounded sample). PostgreSQL's autovacuum does this by
    /// itself. Cheap when nothing changed; run at start-up and periodically.
    pub async fn optimize(&self) -> Result<(), StoreError> {
        if self.backend() == Backend::Sqlite {
            // The writer pool has one connection, so both pragmas run on the same one.
            let writer = self.writer();
            writer
                .execute(Sql::new("PRAGMA analysis_limit = 1000"))
                .await?;
            writer
                .execute(Sql::new("PRAGMA optimize = 0x10002"))
                .await?;
        }
        Ok(())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.read()
            .fetch_scalar::<i32>(Sql::new("SELECT 1"))
            .await?;
        Ok(())
    }

    /// Whether the database holds a desk: its schema exists and it has at least one person.
    /// An empty database (or one of another application) does not.
    pub async fn holds_desk(&self) -> Result<bool, StoreError> {
        let tables: i64 = self
            .read()
            .fetch_scalar(Sql::new(match self.backend() {
                Backend::Sqlite => {
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'users'"
                }
                Backend::Postgres => {
                    "SELECT COUNT(*) FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_name = 'users'"
                }
            }))
            .await?;
        if tables == 0 {
            return Ok(false);
        }
        self.read()
            .fetch_scalar(Sql::new(
                "SELECT EXISTS (SELECT 1 FROM users /* all-tenants: whether any desk is here */)",
            ))
            .await
    }

    /// Whether the database answers a read and takes a tiny write now (the readiness check):
    /// a full disk, a lock held past the wait, or a read-only server fail it.
    pub async fn check_ready(&self, now: spoc_domain::Timestamp) -> Result<(), StoreError> {
        self.read()
            .fetch_scalar::<i32>(Sql::new("SELECT 1"))
            .await?;
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new("UPDATE readiness SET checked_at = $1 WHERE id = 1").bind(now.as_micros()),
        )
        .await?;
        tx.commit().await
    }

    /// Closes every connection (waits for those in use).
    pub async fn close(&self) {
        match self {
            Self::Sqlite(db) => {
                db.write.close().await;
                db.read.close().await;
            }
            Self::Postgres(db) => {
                db.write.close().await;
                db.read.close().await;
            }
        }
    }

    /// The schema as `(table, column, nullable)` triples and index names, for the
    /// schema-equivalence test between the two backends. Search tables are left out: each engine
    /// has its own.
    pub async fn describe_schema(&self) -> Result<SchemaDescription, StoreError> {
        let (columns, indexes): (Vec<(String, String, bool)>, Vec<String>) = match self.backend() {
            Backend::Sqlite => {
                let tables: Vec<String> = self.read().fetch_scalars(Sql::new("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                     AND name NOT LIKE '_sqlx%' AND name NOT LIKE 'ticket_search%' AND name NOT LIKE 'article_search%' ORDER BY name",))
                .await?;
                let mut columns = Vec::new();
                for table in &tables {
                    let rows: Vec<(String, bool, bool)> = self.read().fetch_all(Sql::new("SELECT name, \"notnull\", pk FROM pragma_table_info($1) ORDER BY name",).bind(table))
                    .await?;
                    for (name, not_null, pk) in rows {
                        columns.push((table.clone(), name, !(not_null || pk)));
                    }
                }
                let indexes = self.read().fetch_scalars(Sql::new("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' \
                     AND tbl_name NOT LIKE 'ticket_search%' AND tbl_name NOT LIKE 'article_search%' ORDER BY name",))
                .await?;
                (columns, indexes)
            }
            Backend::Postgres => {
                let columns: Vec<(String, String, String)> = self
                    .read()
                    .fetch_all(Sql::new(
                        "SELECT table_name::text, column_name::text, is_nullable::text \
                     FROM information_schema.columns WHERE table_schema = current_schema() \
                     AND table_name NOT LIKE '_sqlx%' AND table_name NOT LIKE 'ticket_search%' \
                     AND table_name NOT LIKE 'article_search%' \
                     ORDER BY table_name, column_name",
                    ))
                    .await?;
                let indexes = self.read().fetch_scalars(Sql::new("SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema() \
                     AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key' \
                     AND tablename NOT LIKE 'ticket_search%' AND tablename NOT LIKE 'article_search%' AND tablename NOT LIKE '_sqlx%' ORDER BY indexname",))
                .await?;
                let columns = columns
                    .into_iter()
                    .map(|(t, c, n)| (t, c, n == "YES"))
                    .collect();
                (columns, indexes)
            }
        };
        Ok(SchemaDescription { columns, indexes })
    }
}

/// Runs SQLite's migrations with foreign-key enforcement off, as SQLite's procedure for
/// rebuilding a table requires (a migration that rebuilds a referenced table drops it), then
/// checks every foreign key of the database and turns enforcement back on. The pragma cannot
/// change inside a transaction, so it is set on the writer connection around the migrator.
async fn migrate_sqlite(pool: &Pool<Sqlite>) -> Result<(), StoreError> {
    use sqlx::Connection as _;
    let mut conn = pool.acquire().await?;
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await?;
    let migrated = SQLITE_MIGRATIONS.run(&mut *conn).await;
    let dangling: Result<Vec<(String, Option<i64>)>, sqlx::Error> =
        sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check")
            .fetch_all(&mut *conn)
            .await;
    let restored = sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await;
    if restored.is_err() || conn.is_in_transaction() {
        // Never hand a connection without enforcement back to the pool.
        conn.detach().close().await.ok();
    }
    migrated?;
    restored?;
    let dangling = dangling?;
    if let Some((table, rowid)) = dangling.first() {
        return Err(StoreError::Config(format!(
            "after the migrations, row {rowid:?} of {table} refers to a missing row ({} such rows)",
            dangling.len()
        )));
    }
    Ok(())
}

/// A backend-neutral description of the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaDescription {
    /// `(table, column, nullable)`, sorted.
    pub columns: Vec<(String, String, bool)>,
    /// Index names other than primary keys and unique constraints, sorted.
    pub indexes: Vec<String>,
}

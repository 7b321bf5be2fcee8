//! The store's SQL plumbing over both engines, without macros: a statement ([`Sql`]: its text and
//! its arguments), a write transaction ([`Tx`]) and a pool handle for reads ([`Db`]) that
//! dispatch per statement to SQLite or PostgreSQL, and the [`Dialect`] that names every place the
//! two engines' SQL differs.
//!
//! Statements use `$1, $2, …` placeholders, which both engines accept. Rows are decoded into
//! types that implement `sqlx::FromRow` for both engines' rows ([`FromRows`]), e.g. through
//! `#[derive(sqlx::FromRow)]` or tuples of plain column types.

mod append;

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, FromRow, Pool, Postgres, Sqlite, Transaction};

use self::append::append_changes;
use crate::changes::{Change, Entity};
use crate::{Backend, StoreError};
use spoc_domain::TenantId;

/// One argument of a statement. Each carries its own `NULL` so that a typed `NULL` reaches
/// PostgreSQL, which types parameters strictly.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Arg {
    /// An integer (`INTEGER`/`BIGINT`).
    Int(Option<i64>),
    /// Text.
    Text(Option<String>),
    /// A boolean.
    Bool(Option<bool>),
    /// Bytes (`BLOB`/`BYTEA`).
    Bytes(Option<Vec<u8>>),
}

impl From<i64> for Arg {
    fn from(value: i64) -> Self {
        Self::Int(Some(value))
    }
}

impl From<Option<i64>> for Arg {
    fn from(value: Option<i64>) -> Self {
        Self::Int(value)
    }
}

impl From<&i64> for Arg {
    fn from(value: &i64) -> Self {
        Self::Int(Some(*value))
    }
}

impl From<&bool> for Arg {
    fn from(value: &bool) -> Self {
        Self::Bool(Some(*value))
    }
}

impl From<bool> for Arg {
    fn from(value: bool) -> Self {
        Self::Bool(Some(value))
    }
}

impl From<Option<bool>> for Arg {
    fn from(value: Option<bool>) -> Self {
        Self::Bool(value)
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Self::Text(Some(value))
    }
}

impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Self::Text(Some(value.clone()))
    }
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Self::Text(Some(value.to_owned()))
    }
}

impl From<Option<String>> for Arg {
    fn from(value: Option<String>) -> Self {
        Self::Text(value)
    }
}

impl From<Option<&str>> for Arg {
    fn from(value: Option<&str>) -> Self {
        Self::Text(value.map(str::to_owned))
    }
}

impl From<Option<&String>> for Arg {
    fn from(value: Option<&String>) -> Self {
        Self::Text(value.cloned())
    }
}

impl From<Vec<u8>> for Arg {
    fn from(value: Vec<u8>) -> Self {
        Self::Bytes(Some(value))
    }
}

impl From<&[u8]> for Arg {
    fn from(value: &[u8]) -> Self {
        Self::Bytes(Some(value.to_vec()))
    }
}

impl From<&Vec<u8>> for Arg {
    fn from(value: &Vec<u8>) -> Self {
        Self::Bytes(Some(value.clone()))
    }
}

/// A statement: its text and its arguments, bound in order to `$1, $2, …`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Sql {
    text: Cow<'static, str>,
    args: Vec<Arg>,
}

impl Sql {
    /// A statement with this text and no arguments yet.
    pub(crate) fn new(text: impl Into<Cow<'static, str>>) -> Self {
        Self {
            text: text.into(),
            args: Vec::new(),
        }
    }

    /// The same statement under SQLite's `EXPLAIN QUERY PLAN`: the tests of index use read
    /// the plan of the very statement the store runs.
    #[cfg(test)]
    pub(crate) fn explained(mut self) -> Self {
        self.text = format!("EXPLAIN QUERY PLAN {}", self.text).into();
        self
    }

    /// Binds the next argument.
    pub(crate) fn bind(mut self, arg: impl Into<Arg>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Appends text (for statements built piece by piece).
    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.to_mut().push_str(text);
        self
    }

    /// Appends the next placeholder and binds `arg` to it.
    pub(crate) fn push_bind(&mut self, arg: impl Into<Arg>) -> &mut Self {
        self.args.push(arg.into());
        let placeholder = format!("${}", self.args.len());
        self.text.to_mut().push_str(&placeholder);
        self
    }

    /// Appends a comma-separated list of placeholders bound to `args`.
    pub(crate) fn push_list<A: Into<Arg>>(
        &mut self,
        args: impl IntoIterator<Item = A>,
    ) -> &mut Self {
        for (n, arg) in args.into_iter().enumerate() {
            if n > 0 {
                self.push(", ");
            }
            self.push_bind(arg);
        }
        self
    }

    fn sqlite(self) -> Result<(Cow<'static, str>, SqliteArguments<'static>), StoreError> {
        let mut out = SqliteArguments::default();
        for arg in self.args {
            let added = match arg {
                Arg::Int(v) => out.add(v),
                Arg::Text(v) => out.add(v),
                Arg::Bool(v) => out.add(v),
                Arg::Bytes(v) => out.add(v),
            };
            added.map_err(|e| StoreError::Database(sqlx::Error::Encode(e)))?;
        }
        Ok((self.text, out))
    }

    fn postgres(self) -> Result<(Cow<'static, str>, PgArguments), StoreError> {
        let mut out = PgArguments::default();
        for arg in self.args {
            let added = match arg {
                Arg::Int(v) => out.add(v),
                Arg::Text(v) => out.add(v),
                Arg::Bool(v) => out.add(v),
                Arg::Bytes(v) => out.add(v),
            };
            added.map_err(|e| StoreError::Database(sqlx::Error::Encode(e)))?;
        }
        Ok((self.text, out))
    }
}

/// A row type both engines can decode: `#[derive(sqlx::FromRow)]` structs and tuples of plain
/// column types.
pub(crate) trait FromRows:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

impl<T> FromRows for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// The SQL differences between the engines, named in one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Dialect(Backend);

impl Dialect {
    /// The dialect of `backend`.
    pub(crate) const fn of(backend: Backend) -> Self {
        Self(backend)
    }

    /// The engine.
    pub(crate) const fn backend(self) -> Backend {
        self.0
    }

    /// What follows a `SELECT` that locks the rows it reads for the transaction. SQLite locks
    /// the whole database at `BEGIN IMMEDIATE`, so it needs nothing.
    pub(crate) const fn for_update(self) -> &'static str {
        match self.0 {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    /// What follows a claiming `SELECT` so that concurrent claimers pass each other by.
    pub(crate) const fn skip_locked(self) -> &'static str {
        match self.0 {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// The column of `ticket_search` that holds the ticket id: the FTS5 table's `rowid`, or a
    /// plain column in PostgreSQL.
    pub(crate) const fn ticket_search_key(self) -> &'static str {
        match self.0 {
            Backend::Sqlite => "rowid",
            Backend::Postgres => "ticket_id",
        }
    }

    /// The column of `article_search` that holds the article id.
    pub(crate) const fn article_search_key(self) -> &'static str {
        match self.0 {
            Backend::Sqlite => "rowid",
            Backend::Postgres => "article_id",
        }
    }

    /// The condition "ticket `t` matches the full-text query bound next", opened up to the
    /// placeholder; [`Dialect::ticket_text_match_close`] closes it. `sees_internal` chooses
    /// whether internal notes take part. On PostgreSQL, `tenants` (when the read covers only
    /// them) narrows the search rows by their tenant inside the index; on SQLite the query text
    /// itself names them ([`crate::search::SearchText::to_query`]).
    pub(crate) fn ticket_text_match_open(
        self,
        sees_internal: bool,
        tenants: Option<&[TenantId]>,
    ) -> String {
        match self.0 {
            Backend::Sqlite => {
                " AND t.id IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH "
                    .to_owned()
            }
            Backend::Postgres => {
                let column = if sees_internal {
                    "all_tsv"
                } else {
                    "public_tsv"
                };
                // Tenant ids are numbers, written into the statement as such.
                let tenant = tenants.map_or_else(String::new, |ids| {
                    let list = ids
                        .iter()
                        .map(|id| id.get().to_string())
                        .collect::<Vec<_>>()
                        .join(", ");
                    format!("tenant IN ({list}) AND ")
                });
                format!(
                    " AND t.id IN (SELECT ticket_id FROM ticket_search WHERE {tenant}{column} @@ to_tsquery('english', "
                )
            }
        }
    }

    /// The database's clock now, in microseconds since the Unix epoch, as an SQL expression.
    pub(crate) const fn now_micros(self) -> &'static str {
        match self.0 {
            Backend::Sqlite => {
                "CAST(ROUND((julianday('now') - 2440587.5) * 86400000000.0) AS INTEGER)"
            }
            Backend::Postgres => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)",
        }
    }

    /// Closes [`Dialect::ticket_text_match_open`].
    pub(crate) const fn ticket_text_match_close(self) -> &'static str {
        match self.0 {
            Backend::Sqlite => ")",
            Backend::Postgres => "))",
        }
    }
}

/// Counts committed write transactions (for tests and metrics) and wakes whoever waits for
/// changes to reach the feed (this node's live-update follower).
#[derive(Clone, Debug, Default)]
pub(crate) struct CommitCounter {
    count: Arc<AtomicU64>,
    fed: Arc<tokio::sync::Notify>,
}

impl CommitCounter {
    /// Commits so far.
    pub(crate) fn get(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// Waits until a transaction that recorded changes commits (`true`) or `timeout` passes
    /// (`false`). A commit while nobody waits is kept for the next wait.
    pub(crate) async fn fed(&self, timeout: std::time::Duration) -> bool {
        tokio::time::timeout(timeout, self.fed.notified())
            .await
            .is_ok()
    }

    fn count(&self, fed: bool) {
        self.count.fetch_add(1, Ordering::Relaxed);
        if fed {
            self.fed.notify_one();
        }
    }
}

/// The engine-specific transaction inside a [`Tx`].
#[derive(Debug)]
enum Inner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A write transaction on either engine; every write of the store runs in one and ends in
/// [`Tx::commit`], the one place a write transaction commits. Dropped without a commit, it
/// rolls back.
#[derive(Debug)]
pub(crate) struct Tx {
    inner: Inner,
    commits: CommitCounter,
    /// The changes this transaction makes, for the change feed: appended at commit.
    changes: Vec<Change>,
    /// Tests' check that no change escapes the feed: the record tables written so far.
    #[cfg(debug_assertions)]
    written: Vec<(&'static str, Entity)>,
}

impl Tx {
    /// Begins a SQLite write transaction with `BEGIN IMMEDIATE`: it takes the write lock up
    /// front, so it never fails half-way on a lock held by another process (the admin CLI).
    pub(crate) async fn begin_sqlite(
        pool: &Pool<Sqlite>,
        commits: &CommitCounter,
    ) -> Result<Self, StoreError> {
        Ok(Self {
            inner: Inner::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            commits: commits.clone(),
            changes: Vec::new(),
            #[cfg(debug_assertions)]
            written: Vec::new(),
        })
    }

    /// Begins a PostgreSQL transaction.
    pub(crate) async fn begin_postgres(
        pool: &Pool<Postgres>,
        commits: &CommitCounter,
    ) -> Result<Self, StoreError> {
        Ok(Self {
            inner: Inner::Postgres(pool.begin().await?),
            commits: commits.clone(),
            changes: Vec::new(),
            #[cfg(debug_assertions)]
            written: Vec::new(),
        })
    }

    /// The engine's SQL differences.
    pub(crate) fn dialect(&self) -> Dialect {
        match self.inner {
            Inner::Sqlite(_) => Dialect::of(Backend::Sqlite),
            Inner::Postgres(_) => Dialect::of(Backend::Postgres),
        }
    }

    /// Records a change this transaction makes, for the change feed. Call it once the
    /// statements that make the change have succeeded.
    pub(crate) fn changed(&mut self, change: Change) {
        self.changes.push(change);
    }

    /// The record table `sql` writes, in debug builds (see [`Tx::commit`]).
    #[cfg(debug_assertions)]
    fn written_table(&self, sql: &Sql) -> Option<(&'static str, Entity)> {
        crate::changes::record_table_written(&sql.text)
    }

    #[cfg(not(debug_assertions))]
    fn written_table(&self, _sql: &Sql) -> Option<(&'static str, Entity)> {
        None
    }

    /// Notes that a statement wrote `table`, if it changed anything.
    #[cfg(debug_assertions)]
    fn note(&mut self, table: Option<(&'static str, Entity)>, changed: bool) {
        if let Some(written) = table.filter(|_| changed) {
            self.written.push(written);
        }
    }

    #[cfg(not(debug_assertions))]
    fn note(&mut self, _table: Option<(&'static str, Entity)>, _changed: bool) {}

    /// Runs a statement; returns the number of rows it changed.
    pub(crate) async fn execute(&mut self, sql: Sql) -> Result<u64, StoreError> {
        let noted = self.written_table(&sql);
        let rows = match &mut self.inner {
            Inner::Sqlite(tx) => {
                let (text, args) = sql.sqlite()?;
                sqlx::query_with(&text, args)
                    .execute(&mut **tx)
                    .await?
                    .rows_affected()
            }
            Inner::Postgres(tx) => {
                let (text, args) = sql.postgres()?;
                sqlx::query_with(&text, args)
                    .execute(&mut **tx)
                    .await?
                    .rows_affected()
            }
        };
        self.note(noted, rows > 0);
        Ok(rows)
    }

    /// The one row a statement returns (none is [`StoreError::NotFound`]).
    pub(crate) async fn fetch_one<T: FromRows>(&mut self, sql: Sql) -> Result<T, StoreError> {
        self.fetch_optional(sql).await?.ok_or(StoreError::NotFound)
    }

    /// The row a statement returns, if any.
    pub(crate) async fn fetch_optional<T: FromRows>(
        &mut self,
        sql: Sql,
    ) -> Result<Option<T>, StoreError> {
        let noted = self.written_table(&sql);
        let row = match &mut self.inner {
            Inner::Sqlite(tx) => {
                let (text, args) = sql.sqlite()?;
                sqlx::query_as_with(&text, args)
                    .fetch_optional(&mut **tx)
                    .await?
            }
            Inner::Postgres(tx) => {
                let (text, args) = sql.postgres()?;
                sqlx::query_as_with(&text, args)
                    .fetch_optional(&mut **tx)
                    .await?
            }
        };
        self.note(noted, row.is_some());
        Ok(row)
    }

    /// Every row a statement returns.
    pub(crate) async fn fetch_all<T: FromRows>(&mut self, sql: Sql) -> Result<Vec<T>, StoreError> {
        let noted = self.written_table(&sql);
        let rows = match &mut self.inner {
            Inner::Sqlite(tx) => {
                let (text, args) = sql.sqlite()?;
                sqlx::query_as_with(&text, args)
                    .fetch_all(&mut **tx)
                    .await?
            }
            Inner::Postgres(tx) => {
                let (text, args) = sql.postgres()?;
                sqlx::query_as_with(&text, args)
                    .fetch_all(&mut **tx)
                    .await?
            }
        };
        self.note(noted, !rows.is_empty());
        Ok(rows)
    }

    /// The single column of the one row a statement returns.
    pub(crate) async fn fetch_scalar<T>(&mut self, sql: Sql) -> Result<T, StoreError>
    where
        (T,): FromRows,
    {
        Ok(self.fetch_one::<(T,)>(sql).await?.0)
    }

    /// The single column of the row a statement returns, if any.
    pub(crate) async fn fetch_optional_scalar<T>(
        &mut self,
        sql: Sql,
    ) -> Result<Option<T>, StoreError>
    where
        (T,): FromRows,
    {
        Ok(self.fetch_optional::<(T,)>(sql).await?.map(|(v,)| v))
    }

    /// The single column of every row a statement returns.
    pub(crate) async fn fetch_scalars<T>(&mut self, sql: Sql) -> Result<Vec<T>, StoreError>
    where
        (T,): FromRows,
    {
        Ok(self
            .fetch_all::<(T,)>(sql)
            .await?
            .into_iter()
            .map(|(v,)| v)
            .collect())
    }

    /// Commits. The one place every write transaction of the store commits: its changes take
    /// their positions in the change feed as its last statement (see [`crate::changes`]).
    pub(crate) async fn commit(mut self) -> Result<(), StoreError> {
        #[cfg(debug_assertions)]
        for (table, entity) in &self.written {
            if !self.changes.iter().any(|c| c.entity == *entity) {
                return Err(StoreError::Corrupt(format!(
                    "a write transaction changed {table} without recording a {} change for the \
                     change feed (Tx::changed)",
                    entity.as_str()
                )));
            }
        }
        let changes = std::mem::take(&mut self.changes);
        append_changes(&mut self, &changes).await?;
        match self.inner {
            Inner::Sqlite(tx) => tx.commit().await?,
            Inner::Postgres(tx) => tx.commit().await?,
        }
        self.commits.count(!changes.is_empty());
        Ok(())
    }
}

/// A pool handle on either engine, for statements outside a write transaction (reads, and
/// single-statement writes on the writer pool).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Db<'a> {
    Sqlite(&'a Pool<Sqlite>),
    Postgres(&'a Pool<Postgres>),
}

impl Db<'_> {
    /// The engine's SQL differences.
    pub(crate) fn dialect(self) -> Dialect {
        match self {
            Self::Sqlite(_) => Dialect::of(Backend::Sqlite),
            Self::Postgres(_) => Dialect::of(Backend::Postgres),
        }
    }

    /// Runs a statement; returns the number of rows it changed.
    pub(crate) async fn execute(self, sql: Sql) -> Result<u64, StoreError> {
        outside_tx(&sql)?;
        Ok(match self {
            Self::Sqlite(pool) => {
                let (text, args) = sql.sqlite()?;
                sqlx::query_with(&text, args)
                    .execute(pool)
                    .await?
                    .rows_affected()
            }
            Self::Postgres(pool) => {
                let (text, args) = sql.postgres()?;
                sqlx::query_with(&text, args)
                    .execute(pool)
                    .await?
                    .rows_affected()
            }
        })
    }

    /// The one row a statement returns (none is [`StoreError::NotFound`]).
    pub(crate) async fn fetch_one<T: FromRows>(self, sql: Sql) -> Result<T, StoreError> {
        self.fetch_optional(sql).await?.ok_or(StoreError::NotFound)
    }

    /// The row a statement returns, if any.
    pub(crate) async fn fetch_optional<T: FromRows>(
        self,
        sql: Sql,
    ) -> Result<Option<T>, StoreError> {
        outside_tx(&sql)?;
        Ok(match self {
            Self::Sqlite(pool) => {
                let (text, args) = sql.sqlite()?;
                sqlx::query_as_with(&text, args)
                    .fetch_optional(pool)
                    .await?
            }
            Self::Postgres(pool) => {
                let (text, args) = sql.postgres()?;
                sqlx::query_as_with(&text, args)
                    .fetch_optional(pool)
                    .await?
            }
        })
    }

    /// Every row a statement returns.
    pub(crate) async fn fetch_all<T: FromRows>(self, sql: Sql) -> Result<Vec<T>, StoreError> {
        outside_tx(&sql)?;
        Ok(match self {
            Self::Sqlite(pool) => {
                let (text, args) = sql.sqlite()?;
                sqlx::query_as_with(&text, args).fetch_all(pool).await?
            }
            Self::Postgres(pool) => {
                let (text, args) = sql.postgres()?;
                sqlx::query_as_with(&text, args).fetch_all(pool).await?
            }
        })
    }

    /// The single column of the one row a statement returns.
    pub(crate) async fn fetch_scalar<T>(self, sql: Sql) -> Result<T, StoreError>
    where
        (T,): FromRows,
    {
        Ok(self.fetch_one::<(T,)>(sql).await?.0)
    }

    /// The single column of the row a statement returns, if any.
    pub(crate) async fn fetch_optional_scalar<T>(self, sql: Sql) -> Result<Option<T>, StoreError>
    where
        (T,): FromRows,
    {
        Ok(self.fetch_optional::<(T,)>(sql).await?.map(|(v,)| v))
    }

    /// The single column of every row a statement returns.
    pub(crate) async fn fetch_scalars<T>(self, sql: Sql) -> Result<Vec<T>, StoreError>
    where
        (T,): FromRows,
    {
        Ok(self
            .fetch_all::<(T,)>(sql)
            .await?
            .into_iter()
            .map(|(v,)| v)
            .collect())
    }
}

/// Refuses, in debug builds, a statement outside a transaction that writes a record table: a
/// change to a record must reach the change feed, which only a transaction does.
fn outside_tx(_sql: &Sql) -> Result<(), StoreError> {
    #[cfg(debug_assertions)]
    if let Some((table, _)) = crate::changes::record_table_written(&_sql.text) {
        return Err(StoreError::Corrupt(format!(
            "{table} was written outside a transaction, so the change feed would miss it"
        )));
    }
    Ok(())
}

//! Appending a transaction's changes to the change feed, the last statement of
//! [`Tx::commit`]: at the next positions, in commit order (see the `changes` migration).

use spoc_domain::UserId;
use spoc_domain::access::{Principal, SystemActor};

use super::{Arg, Dialect, Sql, Tx};
use crate::changes::Change;
use crate::{Backend, StoreError};

/// Appends `changes` to the feed inside `tx`, at the next positions. Called by
/// [`Tx::commit`] as its last statement, so the lock it takes on `feed_head` (PostgreSQL) is
/// held only until the commit.
pub(crate) async fn append_changes(tx: &mut Tx, changes: &[Change]) -> Result<(), StoreError> {
    // A bulk load records thousands of changes: appended a bounded number per statement, well
    // inside SQLite's limit on bound variables (32,766).
    for chunk in changes.chunks(APPEND_CHUNK) {
        let sql = match tx.dialect().backend() {
            Backend::Postgres => append_postgres(chunk)?,
            Backend::Sqlite => {
                // SQLite has no UPDATE inside WITH: the head moves first, by its own statement,
                // and the rows follow (writers are serialised by the database lock anyway).
                let count = chunk_len(chunk)?;
                let head: i64 = tx
                    .fetch_scalar(
                        Sql::new(
                            "UPDATE feed_head SET position = position + $1 WHERE id = 1 \
                             RETURNING position",
                        )
                        .bind(count),
                    )
                    .await?;
                append_sqlite(chunk, head - count)
            }
        };
        tx.execute(sql).await?;
    }
    Ok(())
}

fn chunk_len(chunk: &[Change]) -> Result<i64, StoreError> {
    i64::try_from(chunk.len()).map_err(|_| StoreError::Corrupt("too many changes".to_owned()))
}

/// PostgreSQL: one statement moves the head and appends the rows behind it, with the commit's
/// time by the database's clock read once. The row lock on `feed_head` is held until COMMIT,
/// so a later position never becomes visible before an earlier one.
fn append_postgres(chunk: &[Change]) -> Result<Sql, StoreError> {
    let count = chunk_len(chunk)?;
    let mut sql = Sql::new(format!(
        "WITH head AS (UPDATE feed_head SET position = position + $1 WHERE id = 1 \
         RETURNING position - $2 AS base, {} AS at) \
         INSERT INTO changes (position, at, tenant_id, entity, entity_id, kind, public, actor_id, \
         actor_system) \
         SELECT head.base + v.n, head.at, v.tenant_id, v.entity, v.entity_id, v.kind, v.public, \
         v.actor_id, v.actor_system \
         FROM head, (VALUES ",
        Dialect::of(Backend::Postgres).now_micros()
    ));
    sql = sql.bind(count).bind(count);
    for (n, change) in (1_i64..).zip(chunk) {
        if n > 1 {
            sql.push(", ");
        }
        sql.push("(");
        sql.push_bind(n);
        sql.push("::BIGINT, ");
        push_change(&mut sql, change, &PG_CASTS);
        sql.push(")");
    }
    sql.push(") AS v (n, tenant_id, entity, entity_id, kind, public, actor_id, actor_system)");
    Ok(sql)
}

/// SQLite: the rows after `base`, stamped with the database's clock (one value for the whole
/// statement: SQLite's 'now' is fixed for the duration of a statement).
fn append_sqlite(chunk: &[Change], base: i64) -> Sql {
    let mut sql = Sql::new(
        "INSERT INTO changes (position, at, tenant_id, entity, entity_id, kind, public, actor_id, \
         actor_system) VALUES ",
    );
    let now = Dialect::of(Backend::Sqlite).now_micros();
    for (n, change) in (1_i64..).zip(chunk) {
        if n > 1 {
            sql.push(", ");
        }
        sql.push("(");
        sql.push_bind(base + n);
        sql.push(", ");
        sql.push(now);
        sql.push(", ");
        push_change(&mut sql, change, &[""; 7]);
        sql.push(")");
    }
    sql
}

/// Changes per statement when a transaction appends many (nine bound values each).
const APPEND_CHUNK: usize = 1_000;

/// The PostgreSQL types of a change's values after its position, which a `VALUES` list must
/// name (PostgreSQL types its parameters strictly).
const PG_CASTS: [&str; 7] = [
    "::BIGINT",
    "::TEXT",
    "::BIGINT",
    "::TEXT",
    "::BOOLEAN",
    "::BIGINT",
    "::TEXT",
];

/// Pushes a change's values after its position — tenant, entity, id, kind, public, the person
/// and the part of the system that acted — each followed by its cast and separated by commas.
fn push_change(sql: &mut Sql, change: &Change, casts: &[&str; 7]) {
    let actor_id = change.actor.and_then(Principal::user_id).map(UserId::get);
    let actor_system = change
        .actor
        .and_then(Principal::system)
        .map(SystemActor::as_str);
    let values: [Arg; 7] = [
        change.tenant.get().into(),
        change.entity.as_str().into(),
        change.entity_id.into(),
        change.kind.into(),
        change.public.into(),
        actor_id.into(),
        actor_system.into(),
    ];
    for (i, (value, cast)) in values.into_iter().zip(casts).enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push_bind(value);
        sql.push(cast);
    }
}

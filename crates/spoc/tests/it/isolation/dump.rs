//! A full dump of what the database holds for one tenant, to show that a refused write changed
//! nothing: every table the database lists (`sqlite_master` / `information_schema`), its rows of
//! that tenant where it has a `tenant_id` column, all its rows where it has none.

use std::collections::BTreeMap;

use sqlx::{Connection, Row};

use crate::harness::{Db, Desk};

/// Tables whose rows change on their own (the migration record, workers' leases and
/// heartbeats, the change feed's head, planner statistics, full-text indexes' internals).
const SKIPPED: &[&str] = &[
    "_sqlx_migrations",
    "worker_leases",
    "readiness",
    "feed_head",
];

fn skipped(table: &str) -> bool {
    SKIPPED.contains(&table)
        || table.starts_with("sqlite_")
        || ["_data", "_idx", "_docsize", "_config", "_content"]
            .iter()
            .any(|s| table.ends_with(s) && table.contains("_search"))
        || table.ends_with("_search")
}

/// Columns workers change on their own: leases on rows they scan.
fn volatile(column: &str) -> bool {
    // Leases, and what a directory's scheduled sync records of its own run (a directory in the
    // fixture is due at once and fails to connect, by itself, in the background).
    column.contains("lease")
        || matches!(
            column,
            "last_sync_at"
                | "last_full_sync_at"
                | "last_sync_error"
                | "last_sync_summary"
                | "high_water"
        )
}

/// Table → its rows (each one text line), sorted.
pub type Dump = BTreeMap<String, Vec<String>>;

/// Every table's rows of `tenant` (or all rows where the table has no tenant).
pub async fn dump(desk: &Desk, tenant: i64) -> Dump {
    let mut out = Dump::new();
    match desk.db {
        Db::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(&desk.database_url)
                .await
                .unwrap();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap();
            for table in tables.into_iter().filter(|t| !skipped(t)) {
                let columns: Vec<String> =
                    sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                        .fetch_all(&mut conn)
                        .await
                        .unwrap();
                let row = columns
                    .iter()
                    .filter(|c| !volatile(c))
                    .map(|c| format!("quote(\"{c}\")"))
                    .collect::<Vec<_>>()
                    .join(" || ',' || ");
                let filter = if columns.iter().any(|c| c == "tenant_id") {
                    format!(" WHERE tenant_id = {tenant}")
                } else {
                    String::new()
                };
                let rows: Vec<String> =
                    sqlx::query(&format!("SELECT {row} FROM \"{table}\"{filter}"))
                        .fetch_all(&mut conn)
                        .await
                        .unwrap_or_else(|e| panic!("{table}: {e}"))
                        .iter()
                        .map(|r| r.try_get::<String, _>(0).unwrap_or_default())
                        .collect();
                out.insert(table, sorted(rows));
            }
        }
        Db::Postgres => {
            let mut conn = sqlx::PgConnection::connect(&desk.database_url)
                .await
                .unwrap();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap();
            for table in tables.into_iter().filter(|t| !skipped(t)) {
                let columns: Vec<String> = sqlx::query_scalar(
                    "SELECT column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                )
                .bind(&table)
                .fetch_all(&mut conn)
                .await
                .unwrap();
                let filter = if columns.iter().any(|c| c == "tenant_id") {
                    format!(" WHERE t.tenant_id = {tenant}")
                } else {
                    String::new()
                };
                let row = columns
                    .iter()
                    .filter(|c| !volatile(c))
                    .map(|c| format!("t.\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                let rows: Vec<String> = sqlx::query_scalar(&format!(
                    "SELECT ROW({row}, 0)::text FROM \"{table}\" t{filter}"
                ))
                .fetch_all(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{table}: {e}"));
                out.insert(table, sorted(rows));
            }
        }
    }
    out
}

fn sorted(mut rows: Vec<String>) -> Vec<String> {
    rows.sort();
    rows
}

/// The tables whose rows differ, with the rows only one side has.
pub fn differences(before: &Dump, after: &Dump) -> Vec<String> {
    let mut out = Vec::new();
    for (table, rows) in after {
        let old = before.get(table).cloned().unwrap_or_default();
        if &old != rows {
            let gone: Vec<&String> = old.iter().filter(|r| !rows.contains(r)).collect();
            let new: Vec<&String> = rows.iter().filter(|r| !old.contains(r)).collect();
            out.push(format!("{table}: before only {gone:?}; after only {new:?}"));
        }
    }
    out
}

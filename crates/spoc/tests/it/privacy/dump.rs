//! Every text and binary value of every table of a desk's database, as one string: what an
//! erasure must leave without a trace of the person. Binary values are read as text where they
//! are (raw mail, files, full-text index segments).

use sqlx::{Connection, Row};

use crate::harness::{Db, Desk};

/// Every table's every text and binary column, each value on its own line.
pub async fn everything(desk: &Desk) -> String {
    let mut out = String::new();
    match desk.db {
        Db::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(&desk.database_url)
                .await
                .unwrap();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap();
            assert!(
                tables.iter().any(|t| t == "ticket_search_content"),
                "{tables:?}"
            );
            for table in tables {
                let rows = sqlx::query(&format!("SELECT * FROM \"{table}\""))
                    .fetch_all(&mut conn)
                    .await
                    .unwrap();
                for row in rows {
                    for (i, _) in row.columns().iter().enumerate() {
                        if let Ok(Some(text)) = row.try_get::<Option<String>, _>(i) {
                            out.push_str(&text);
                        } else if let Ok(Some(bytes)) =
                            row.try_get_unchecked::<Option<Vec<u8>>, _>(i)
                        {
                            out.push_str(&String::from_utf8_lossy(&bytes));
                        }
                        out.push('\n');
                    }
                }
            }
        }
        Db::Postgres => {
            let mut conn = sqlx::PgConnection::connect(&desk.database_url)
                .await
                .unwrap();
            let columns: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns \
                 WHERE table_schema = current_schema()",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap();
            assert!(columns.iter().any(|(t, _, _)| t == "ticket_search"));
            for (table, column, data_type) in columns {
                let value = match data_type.as_str() {
                    "bytea" => format!("encode(\"{column}\", 'escape')"),
                    "text" | "character varying" | "json" | "jsonb" | "tsvector" | "character" => {
                        format!("\"{column}\"::text")
                    }
                    _ => continue,
                };
                let values: Vec<Option<String>> =
                    sqlx::query_scalar(&format!("SELECT {value} FROM \"{table}\""))
                        .fetch_all(&mut conn)
                        .await
                        .unwrap();
                for text in values.into_iter().flatten() {
                    out.push_str(&text);
                    out.push('\n');
                }
            }
        }
    }
    out
}

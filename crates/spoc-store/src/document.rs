//! The controlled-document core's SQL, shared by knowledge articles and SOPs: versions and the
//! workflow log are read and written by the same statements, parameterised by the kind's
//! tables. Each kind keeps the columns of its own content (an article's fields; an SOP's
//! procedure as JSON) and its document-control row.

use spoc_domain::access::{Principal, SystemActor};
use spoc_domain::document::{DocumentId, DocumentKind, LogEntry};
use spoc_domain::{Timestamp, UserId};

use crate::db::{Sql, Tx};
use crate::{LogRow, Store, StoreError};

/// Where one kind of document keeps its versions and log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tables {
    /// The versions table: one row per (document, version).
    pub versions: &'static str,
    /// The workflow log table.
    pub log: &'static str,
    /// The column of both that names the document.
    pub key: &'static str,
}

/// The tables of `kind`.
pub(crate) const fn tables(kind: DocumentKind) -> Tables {
    match kind {
        DocumentKind::Article => Tables {
            versions: "article_versions",
            log: "article_log",
            key: "article_id",
        },
        DocumentKind::Sop => Tables {
            versions: "sop_versions",
            log: "sop_log",
            key: "sop_id",
        },
    }
}

/// The statement appending one log entry of document `id`, by a person (`actor_id`) or the
/// system (`actor_system`), as ticket events record it.
pub(crate) fn insert_log(
    kind: DocumentKind,
    id: i64,
    version: i64,
    action: &str,
    actor: Option<Principal>,
    at: Timestamp,
    comment: Option<&str>,
) -> Sql {
    let Tables { log, key, .. } = tables(kind);
    Sql::new(format!(
        "INSERT INTO {log} ({key}, version, action, actor_id, actor_system, at, comment) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(id)
    .bind(version)
    .bind(action)
    .bind(actor.and_then(Principal::user_id).map(UserId::get))
    .bind(actor.and_then(Principal::system).map(SystemActor::as_str))
    .bind(at.as_micros())
    .bind(comment)
}

/// The statement reading document `id`'s log, oldest first.
fn select_log(kind: DocumentKind, id: i64) -> Sql {
    let Tables { log, key, .. } = tables(kind);
    Sql::new(format!(
        "SELECT version, action, actor_id, actor_system, at, comment FROM {log} WHERE {key} = $1 \
         ORDER BY id"
    ))
    .bind(id)
}

/// The statement reading every version of document `id` (the kind's `columns`), oldest first.
pub(crate) fn select_versions(kind: DocumentKind, columns: &str, id: i64) -> Sql {
    let Tables { versions, key, .. } = tables(kind);
    Sql::new(format!(
        "SELECT {columns} FROM {versions} WHERE {key} = $1 ORDER BY version"
    ))
    .bind(id)
}

/// The statement reading version `version` of document `id` (the kind's `columns`).
pub(crate) fn select_version(kind: DocumentKind, columns: &str, id: i64, version: i64) -> Sql {
    let Tables { versions, key, .. } = tables(kind);
    Sql::new(format!(
        "SELECT {columns} FROM {versions} WHERE {key} = $1 AND version = $2"
    ))
    .bind(id)
    .bind(version)
}

fn log_entry(
    (version, action, actor, system, at, comment): LogRow,
) -> Result<LogEntry, StoreError> {
    let actor_system = system
        .map(|name| {
            SystemActor::parse(&name)
                .ok_or_else(|| StoreError::Corrupt(format!("log actor_system: {name}")))
        })
        .transpose()?;
    Ok(LogEntry {
        version,
        action,
        actor_id: actor.map(UserId::new),
        actor_system,
        at: Timestamp::from_micros(at),
        comment,
    })
}

/// Document `id`'s log, oldest first, read inside the transaction (under the document's row
/// lock).
pub(crate) async fn log_in(
    tx: &mut Tx,
    kind: DocumentKind,
    id: i64,
) -> Result<Vec<LogEntry>, StoreError> {
    let rows: Vec<LogRow> = tx.fetch_all(select_log(kind, id)).await?;
    rows.into_iter().map(log_entry).collect()
}

impl Store {
    /// A document's workflow log, oldest first.
    pub async fn document_log(&self, document: DocumentId) -> Result<Vec<LogEntry>, StoreError> {
        let rows: Vec<LogRow> = self
            .read()
            .fetch_all(select_log(document.kind(), document.get()))
            .await?;
        rows.into_iter().map(log_entry).collect()
    }
}

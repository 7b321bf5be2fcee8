//! The one path for what SCIM keeps beside Spoc's own records — people in `scim_users`, resolver
//! groups in `scim_groups`: writing that row afresh, and marking the record as deleted by the
//! identity provider.

use spoc_domain::{TenantId, Timestamp};

use crate::StoreError;
use crate::db::{Sql, Tx};

/// Which of Spoc's records SCIM's row belongs to.
#[derive(Clone, Copy, Debug)]
pub(super) enum Kept {
    /// A person (`users`, SCIM's row in `scim_users`).
    Person,
    /// A resolver group (`resolver_groups`, SCIM's row in `scim_groups`).
    Group,
}

impl Kept {
    /// Spoc's table of the record.
    fn records(self) -> &'static str {
        match self {
            Self::Person => "users",
            Self::Group => "resolver_groups",
        }
    }

    /// SCIM's table beside it.
    fn table(self) -> &'static str {
        match self {
            Self::Person => "scim_users",
            Self::Group => "scim_groups",
        }
    }

    /// SCIM's table's column naming the record.
    fn key(self) -> &'static str {
        match self {
            Self::Person => "user_id",
            Self::Group => "group_id",
        }
    }
}

/// Writes SCIM's row of a record afresh (whatever was there goes), not removed, changed `now`:
/// `columns` are its other columns (names are this module's callers' constants) and values.
pub(super) async fn replace_row(
    tx: &mut Tx,
    kept: Kept,
    (tenant, id): (TenantId, i64),
    columns: &[(&'static str, Option<String>)],
    now: Timestamp,
) -> Result<(), StoreError> {
    tx.execute(
        Sql::new(format!(
            "DELETE FROM {} WHERE {} = $1 AND tenant_id = $2",
            kept.table(),
            kept.key()
        ))
        .bind(id)
        .bind(tenant.get()),
    )
    .await?;
    let names: String = columns
        .iter()
        .map(|(name, _)| format!(", {name}"))
        .collect();
    let places: String = (0..columns.len())
        .map(|i| format!(", ${}", i + 4))
        .collect();
    let mut insert = Sql::new(format!(
        "INSERT INTO {} ({}, tenant_id, updated_at{names}) VALUES ($1, $2, $3{places})",
        kept.table(),
        kept.key()
    ))
    .bind(id)
    .bind(tenant.get())
    .bind(now.as_micros());
    for (_, value) in columns {
        insert = insert.bind(value.clone());
    }
    tx.execute(insert).await?;
    Ok(())
}

/// Marks a record of the tenant as deleted by the identity provider at `now` (keeping what
/// SCIM said of it, or a fresh row if it never said anything). A record of another tenant, or
/// none, is `NotFound`.
pub(super) async fn mark_removed(
    tx: &mut Tx,
    kept: Kept,
    (tenant, id): (TenantId, i64),
    now: Timestamp,
) -> Result<(), StoreError> {
    let known: Option<i64> = tx
        .fetch_optional_scalar(
            Sql::new(format!(
                "SELECT id FROM {} WHERE id = $1 AND tenant_id = $2",
                kept.records()
            ))
            .bind(id)
            .bind(tenant.get()),
        )
        .await?;
    if known.is_none() {
        return Err(StoreError::NotFound);
    }
    let marked = tx
        .execute(
            Sql::new(format!(
                "UPDATE {} SET removed_at = $1, updated_at = $1 WHERE {} = $2 AND tenant_id = $3",
                kept.table(),
                kept.key()
            ))
            .bind(now.as_micros())
            .bind(id)
            .bind(tenant.get()),
        )
        .await?;
    if marked == 0 {
        tx.execute(
            Sql::new(format!(
                "INSERT INTO {} ({}, tenant_id, updated_at, removed_at) VALUES ($1, $2, $3, $3)",
                kept.table(),
                kept.key()
            ))
            .bind(id)
            .bind(tenant.get())
            .bind(now.as_micros()),
        )
        .await?;
    }
    Ok(())
}

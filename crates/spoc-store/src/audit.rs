//! The admin audit log: appended to, read by the tenant's admins, never changed or removed
//! (there is no statement here that would). Rows hold ids and codes only; the actor's name is
//! looked up when the log is read, so it is whatever the person is called now (the anonymous
//! name after erasure).

use spoc_domain::access::SystemActor;
use spoc_domain::{TenantId, Timestamp, UserId};

use crate::db::{Sql, Tx};
use crate::scope::push_tenant;
use crate::{Store, StoreError};

/// An entry to append.
#[derive(Clone, Debug)]
pub struct NewAuditEntry<'a> {
    /// The tenant it belongs to.
    pub tenant: TenantId,
    /// When.
    pub at: Timestamp,
    /// The person who acted, if a person did.
    pub actor_id: Option<UserId>,
    /// The part of the system that acted, if the system did.
    pub actor_system: Option<SystemActor>,
    /// The action's code.
    pub action: &'a str,
    /// The target's kind.
    pub target_kind: &'a str,
    /// The target's id, if it is one object.
    pub target_id: Option<i64>,
    /// The details: (key, value) pairs of codes, ids and counts.
    pub details: &'a [(&'static str, String)],
}

/// An entry written in the same transaction as the change it records (so there is never a
/// change without its entry, nor an entry for a change that failed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditNote {
    /// The tenant it belongs to.
    pub tenant: TenantId,
    /// When.
    pub at: Timestamp,
    /// The person who acted, if a person did.
    pub actor_id: Option<UserId>,
    /// The part of the system that acted, if the system did.
    pub actor_system: Option<SystemActor>,
    /// The action's code.
    pub action: &'static str,
    /// The target's kind.
    pub target_kind: &'static str,
    /// The target's id, if it is one object.
    pub target_id: Option<i64>,
    /// The details: (key, value) pairs of codes, ids and counts.
    pub details: Vec<(&'static str, String)>,
}

impl AuditNote {
    /// The entry to append.
    pub fn entry(&self) -> NewAuditEntry<'_> {
        NewAuditEntry {
            tenant: self.tenant,
            at: self.at,
            actor_id: self.actor_id,
            actor_system: self.actor_system,
            action: self.action,
            target_kind: self.target_kind,
            target_id: self.target_id,
            details: &self.details,
        }
    }
}

/// Appends entries inside a write transaction, committed (or rolled back) with its change.
pub(crate) async fn append_in(tx: &mut Tx, notes: &[AuditNote]) -> Result<(), StoreError> {
    for note in notes {
        insert(tx, &note.entry()).await?;
    }
    Ok(())
}

async fn insert(tx: &mut Tx, entry: &NewAuditEntry<'_>) -> Result<(), StoreError> {
    tx.execute(
        Sql::new(
            "INSERT INTO audit_log (tenant_id, at, actor_id, actor_system, action, target_kind, target_id, details) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(entry.tenant.get())
        .bind(entry.at.as_micros())
        .bind(entry.actor_id.map(UserId::get))
        .bind(entry.actor_system.map(SystemActor::as_str))
        .bind(entry.action)
        .bind(entry.target_kind)
        .bind(entry.target_id)
        .bind(details_json(entry.details)),
    )
    .await?;
    Ok(())
}

/// A stored entry, with the actor's current name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRecord {
    /// Its id (increasing).
    pub id: i64,
    /// When.
    pub at: Timestamp,
    /// The person who acted.
    pub actor_id: Option<UserId>,
    /// Their name now (none when the system acted).
    pub actor_name: Option<String>,
    /// The part of the system that acted.
    pub actor_system: Option<SystemActor>,
    /// The action's code.
    pub action: String,
    /// The target's kind.
    pub target_kind: String,
    /// The target's id.
    pub target_id: Option<i64>,
    /// The details, in the order they were written.
    pub details: Vec<(String, String)>,
}

/// Which entries to read, newest first.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    /// Only this action code.
    pub action: Option<String>,
    /// Only this person's actions.
    pub actor_id: Option<UserId>,
    /// Only targets of this kind.
    pub target_kind: Option<String>,
    /// Only this target id.
    pub target_id: Option<i64>,
    /// At or after.
    pub from: Option<Timestamp>,
    /// Before.
    pub until: Option<Timestamp>,
    /// Only entries older than this id (the cursor).
    pub before_id: Option<i64>,
    /// At most this many.
    pub limit: i64,
}

type AuditRow = (
    i64,
    i64,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<i64>,
    String,
);

/// The details as a JSON object of strings.
fn details_json(details: &[(&'static str, String)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = details
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.clone())))
        .collect();
    serde_json::Value::Object(map).to_string()
}

fn parse_details(text: &str) -> Result<Vec<(String, String)>, StoreError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| StoreError::Corrupt(format!("audit details: {e}")))?;
    let serde_json::Value::Object(map) = value else {
        return Err(StoreError::Corrupt(
            "audit details are not an object".into(),
        ));
    };
    Ok(map
        .into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect())
}

impl Store {
    /// Appends an entry to the audit log.
    pub async fn append_audit(&self, entry: &NewAuditEntry<'_>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        insert(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A tenant's audit entries matching `query`, newest first.
    pub async fn list_audit(
        &self,
        tenant: TenantId,
        query: &AuditQuery,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let mut sql = Sql::new(
            "SELECT a.id, a.at, a.actor_id, u.name, a.actor_system, a.action, a.target_kind, a.target_id, a.details \
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id AND u.tenant_id = a.tenant_id \
             WHERE 1 = 1",
        );
        crate::scope::push_tenant_of(
            &mut sql,
            "a",
            spoc_domain::tenant::TenantScope::Tenant(tenant),
        );
        if let Some(action) = &query.action {
            sql.push(" AND a.action = ").push_bind(action.as_str());
        }
        if let Some(actor) = query.actor_id {
            sql.push(" AND a.actor_id = ").push_bind(actor.get());
        }
        if let Some(kind) = &query.target_kind {
            sql.push(" AND a.target_kind = ").push_bind(kind.as_str());
        }
        if let Some(id) = query.target_id {
            sql.push(" AND a.target_id = ").push_bind(id);
        }
        if let Some(from) = query.from {
            sql.push(" AND a.at >= ").push_bind(from.as_micros());
        }
        if let Some(until) = query.until {
            sql.push(" AND a.at < ").push_bind(until.as_micros());
        }
        if let Some(before) = query.before_id {
            sql.push(" AND a.id < ").push_bind(before);
        }
        sql.push(" ORDER BY a.id DESC LIMIT ")
            .push_bind(query.limit.clamp(1, 500));
        let rows: Vec<AuditRow> = self.read().fetch_all(sql).await?;
        rows.into_iter()
            .map(
                |(
                    id,
                    at,
                    actor_id,
                    actor_name,
                    system,
                    action,
                    target_kind,
                    target_id,
                    details,
                )| {
                    Ok(AuditRecord {
                        id,
                        at: Timestamp::from_micros(at),
                        actor_id: actor_id.map(UserId::new),
                        actor_name: actor_id.and(actor_name),
                        actor_system: system.as_deref().and_then(SystemActor::parse),
                        action,
                        target_kind,
                        target_id,
                        details: parse_details(&details)?,
                    })
                },
            )
            .collect()
    }

    /// How many audit entries a tenant has (for tests and health pages).
    pub async fn count_audit(&self, tenant: TenantId) -> Result<i64, StoreError> {
        let mut sql = Sql::new("SELECT COUNT(*) FROM audit_log WHERE 1 = 1");
        push_tenant(&mut sql, tenant);
        self.read().fetch_scalar(sql).await
    }
}

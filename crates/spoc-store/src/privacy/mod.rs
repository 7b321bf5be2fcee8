//! People's data: everything the desk holds about one person, read for an export, and the
//! erasure that anonymises them everywhere in their tenant while tickets keep their statistics
//! and the structure of their history.

use serde_json::{Map, Value};
use spoc_domain::{TenantId, UserId};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, Row};

use crate::db::Sql;
use crate::{Store, StoreError};

mod erase;

pub use erase::{ERASED_TEXT, ErasureChoice};

/// One row of an export section, column by column (binary columns are left out).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JsonRow(pub Map<String, Value>);

/// Columns holding JSON text, exported as JSON rather than as a string.
const JSON_COLUMNS: [&str; 3] = ["data", "payload", "checklist"];

fn json_cell(name: &str, text: String) -> Value {
    if JSON_COLUMNS.contains(&name) {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    } else {
        Value::String(text)
    }
}

macro_rules! json_row_from {
    ($row:ty) => {
        impl<'r> FromRow<'r, $row> for JsonRow {
            fn from_row(row: &'r $row) -> Result<Self, sqlx::Error> {
                let mut map = Map::new();
                for (i, column) in row.columns().iter().enumerate() {
                    let name = sqlx::Column::name(column).to_owned();
                    let value = if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
                        v.map_or(Value::Null, Value::from)
                    } else if let Ok(v) = row.try_get::<Option<String>, _>(i) {
                        v.map_or(Value::Null, |t| json_cell(&name, t))
                    } else if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
                        v.map_or(Value::Null, Value::Bool)
                    } else {
                        continue;
                    };
                    map.insert(name, value);
                }
                Ok(Self(map))
            }
        }
    };
}
json_row_from!(SqliteRow);
json_row_from!(PgRow);

/// A file a person uploaded or mailed in, for their export.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ExportFile {
    /// The attachment's id.
    pub id: i64,
    /// The ticket it belongs to.
    pub ticket_id: i64,
    /// Its file name as sent.
    pub filename: String,
    /// Its media type.
    pub content_type: String,
    /// Its bytes.
    pub content: Vec<u8>,
}

/// Everything stored about one person: named sections of rows, and their files.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PersonData {
    /// `(section, rows)` in a fixed order.
    pub sections: Vec<(&'static str, Vec<JsonRow>)>,
    /// The files they uploaded or mailed in.
    pub files: Vec<ExportFile>,
}

/// The events a requester may see on their own tickets (public ones written by themself, by
/// staff or by the system; another customer's words are not theirs), plus every event they
/// wrote anywhere. Staff are named; other customers are not. `$1` tenant, `$2` person.
const EXPORT_EVENTS: &str = "SELECT e.id, e.ticket_id, e.at, e.kind, e.public, e.data, \
     CASE WHEN e.actor_id = $2 THEN 'self' WHEN a.role <> 'customer' THEN a.name END AS actor_name, \
     e.actor_system \
     FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id LEFT JOIN users a ON a.id = e.actor_id \
     WHERE t.tenant_id = $1 AND (e.actor_id = $2 OR (t.requester_id = $2 AND e.public \
     AND (e.actor_id IS NULL OR a.role <> 'customer'))) ORDER BY e.ticket_id, e.id";

/// The export's sections: name and query (`$1` the tenant, `$2` the person).
const EXPORT_SECTIONS: [(&str, &str); 22] = [
    (
        "profile",
        "SELECT id, email, name, role, organization_id, super_user, active, created_at FROM users WHERE tenant_id = $1 AND id = $2",
    ),
    (
        "settings",
        "SELECT time_zone, language FROM person_settings WHERE tenant_id = $1 AND user_id = $2",
    ),
    (
        "organization",
        "SELECT o.id, o.name FROM organizations o JOIN users u ON u.organization_id = o.id WHERE o.tenant_id = $1 AND u.id = $2",
    ),
    (
        "groups",
        "SELECT g.id, g.name FROM resolver_groups g JOIN group_members m ON m.group_id = g.id WHERE g.tenant_id = $1 AND m.user_id = $2 ORDER BY g.id",
    ),
    (
        "tickets_requested",
        "SELECT id, kind, title, description, status, pending_reason, impact, urgency, priority, channel, resolution_code, resolution_notes, created_at, updated_at, resolved_at, closed_at FROM tickets WHERE tenant_id = $1 AND requester_id = $2 ORDER BY id",
    ),
    ("ticket_events", EXPORT_EVENTS),
    (
        "notifications",
        "SELECT id, ticket_id, topic, message, created_at, read_at FROM notifications WHERE tenant_id = $1 AND user_id = $2 ORDER BY id",
    ),
    (
        "sessions",
        "SELECT created_at, expires_at, user_agent AS device FROM sessions WHERE tenant_id = $1 AND user_id = $2 ORDER BY created_at",
    ),
    (
        "api_tokens",
        "SELECT id, label, created_at, last_used_at, revoked_at, expires_at, read_only, origin FROM api_tokens WHERE tenant_id = $1 AND user_id = $2 ORDER BY id",
    ),
    (
        "password_resets",
        "SELECT created_at, expires_at, used_at FROM password_resets WHERE tenant_id = $1 AND user_id = $2 ORDER BY created_at",
    ),
    (
        "mail_preferences",
        "SELECT topic, enabled FROM mail_preferences WHERE tenant_id = $1 AND user_id = $2 ORDER BY topic",
    ),
    (
        "inbound_messages",
        "SELECT i.id, i.subject, i.received_at, i.outcome, i.ticket_id FROM inbound_messages i JOIN users u ON LOWER(i.from_address) = LOWER(u.email) AND u.tenant_id = i.tenant_id WHERE i.tenant_id = $1 AND u.id = $2 ORDER BY i.id",
    ),
    (
        "outbox_messages",
        "SELECT o.id, o.topic, o.ticket_id, o.payload, o.created_at, o.done_at, o.dead_at FROM outbox o JOIN users u ON LOWER(o.recipient) = LOWER(u.email) AND u.tenant_id = o.tenant_id WHERE o.tenant_id = $1 AND u.id = $2 ORDER BY o.id",
    ),
    (
        "article_feedback",
        "SELECT f.article_id, a.title, f.helpful, f.created_at FROM article_feedback f JOIN articles a ON a.id = f.article_id WHERE a.tenant_id = $1 AND f.user_id = $2 ORDER BY f.created_at",
    ),
    (
        "deflections",
        "SELECT id, article_id, query, created_at FROM deflections WHERE tenant_id = $1 AND user_id = $2 ORDER BY id",
    ),
    (
        "article_log",
        "SELECT l.article_id, l.version, l.action, l.at, l.comment FROM article_log l JOIN articles a ON a.id = l.article_id WHERE a.tenant_id = $1 AND l.actor_id = $2 ORDER BY l.id",
    ),
    (
        "sops",
        "SELECT id, key, title, CASE WHEN owner_id = $2 THEN 'owner' WHEN approver_id = $2 THEN 'approver' ELSE 'reviewer' END AS responsibility FROM sops WHERE tenant_id = $1 AND (owner_id = $2 OR approver_id = $2 OR reviewer_id = $2) ORDER BY id",
    ),
    (
        "sop_log",
        "SELECT l.sop_id, l.version, l.action, l.at, l.comment FROM sop_log l JOIN sops s ON s.id = l.sop_id WHERE s.tenant_id = $1 AND l.actor_id = $2 ORDER BY l.id",
    ),
    (
        "queue_views",
        "SELECT id, name, query, shared, created_at FROM queue_views WHERE tenant_id = $1 AND owner_id = $2 ORDER BY id",
    ),
    (
        "canned_responses",
        "SELECT id, title, body, created_at FROM canned_responses WHERE tenant_id = $1 AND owner_id = $2 ORDER BY id",
    ),
    (
        "mentions",
        "SELECT n.id, n.ticket_id, n.message, n.created_at FROM notifications n WHERE n.tenant_id = $1 AND n.user_id = $2 AND n.topic = 'mention' ORDER BY n.id",
    ),
    (
        "ticket_links_made",
        "SELECT ticket_id, linked_id, kind, created_at FROM ticket_links WHERE tenant_id = $1 AND created_by = $2 ORDER BY id",
    ),
];

/// The files a person sent: attachments of the history entries they wrote and of the mail they
/// sent. `$1` tenant, `$2` person.
const THEIR_FILES: &str = "SELECT f.id, f.ticket_id, f.filename, f.content_type, f.content FROM attachments f \
     JOIN tickets t ON t.id = f.ticket_id WHERE t.tenant_id = $1 AND ( \
     f.event_id IN (SELECT e.id FROM ticket_events e WHERE e.actor_id = $2) \
     OR f.inbound_message_id IN (SELECT i.id FROM inbound_messages i JOIN users u \
        ON LOWER(i.from_address) = LOWER(u.email) AND u.tenant_id = i.tenant_id WHERE u.id = $2)) ORDER BY f.id";

impl Store {
    /// Everything stored about `user` of `tenant`, for their export.
    pub async fn person_data(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<PersonData, StoreError> {
        let mut data = PersonData::default();
        for (name, query) in EXPORT_SECTIONS {
            let rows: Vec<JsonRow> = self
                .read()
                .fetch_all(Sql::new(query).bind(tenant.get()).bind(user.get()))
                .await?;
            data.sections.push((name, rows));
        }
        data.files = self
            .read()
            .fetch_all(Sql::new(THEIR_FILES).bind(tenant.get()).bind(user.get()))
            .await?;
        Ok(data)
    }

    /// How many active admins `tenant` has.
    pub async fn count_active_admins(&self, tenant: TenantId) -> Result<i64, StoreError> {
        self.read()
            .fetch_scalar(
                Sql::new(
                    "SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND role = 'admin' AND active",
                )
                .bind(tenant.get()),
            )
            .await
    }
}

//! The erasure of a person: their account anonymised, their credentials, settings and mail
//! removed, their files deleted, their name and address replaced in every text of the tenant and,
//! as chosen, the texts they wrote, in one transaction.

use serde_json::Value;
use spoc_domain::event::EventData;
use spoc_domain::{TenantId, UserId};

use crate::changes::{Change, Entity};
use crate::db::{Dialect, Sql, Tx};
use crate::{Backend, Store, StoreError};

/// The text that replaces what an erased person wrote.
pub const ERASED_TEXT: &str = "[erased]";

/// What an erasure replaces besides the person's name and address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErasureChoice {
    /// Replace the texts the person wrote (replies, notes, reasons, mail, searches).
    pub texts: bool,
    /// Keep the texts of the tickets they requested (title, description, their replies there).
    pub keep_requested_texts: bool,
}

/// The person's identity as an erasure finds and replaces it.
struct Identity {
    name: String,
    email: String,
    label: String,
    placeholder: String,
}

impl Identity {
    /// `text` with every whole-word occurrence of the name and address (ASCII case ignored)
    /// replaced by the neutral label; `None` when nothing was found.
    fn scrub(&self, text: &str) -> Option<String> {
        let once = replace_words(text, &self.email, &self.placeholder);
        let twice = replace_words(once.as_deref().unwrap_or(text), &self.name, &self.label);
        twice.or(once)
    }

    fn scrub_bytes(&self, bytes: &[u8]) -> Option<Vec<u8>> {
        let mut out = bytes.to_vec();
        let mut changed = false;
        for (needle, with) in [(&self.email, &self.placeholder), (&self.name, &self.label)] {
            if let Some(next) = replace_bytes(&out, needle.as_bytes(), with.as_bytes()) {
                out = next;
                changed = true;
            }
        }
        changed.then_some(out)
    }

    /// `LOWER(column) LIKE` patterns that find rows the scrub may change.
    fn patterns(&self) -> [String; 2] {
        [
            format!("%{}%", like_escape(&self.email.to_lowercase())),
            format!("%{}%", like_escape(&self.name.to_lowercase())),
        ]
    }
}

fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// Replaces whole-word occurrences of `needle` (ASCII case ignored) in `text`.
pub(crate) fn replace_words(text: &str, needle: &str, with: &str) -> Option<String> {
    if needle.trim().is_empty() || needle.len() > text.len() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    let mut changed = false;
    while i + needle.len() <= text.len() {
        let hit = text.is_char_boundary(i)
            && text.is_char_boundary(i + needle.len())
            && text[i..i + needle.len()].eq_ignore_ascii_case(needle)
            && !is_word_char(text[..i].chars().next_back())
            && !is_word_char(text[i + needle.len()..].chars().next());
        if hit {
            out.push_str(&text[last..i]);
            out.push_str(with);
            i += needle.len();
            last = i;
            changed = true;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[last..]);
    changed.then_some(out)
}

fn replace_bytes(haystack: &[u8], needle: &[u8], with: &[u8]) -> Option<Vec<u8>> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    let mut changed = false;
    while i < haystack.len() {
        if haystack.len() - i >= needle.len()
            && haystack[i..i + needle.len()].eq_ignore_ascii_case(needle)
        {
            out.extend_from_slice(with);
            i += needle.len();
            changed = true;
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    changed.then_some(out)
}

/// The free-text fields of a history entry's data, by the `type` of the entry.
fn text_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "commented" => &["body"],
        "status_changed" | "escalated" => &["reason"],
        "resolved" => &["notes"],
        "group_changed" | "priority_changed" => &["rationale"],
        "sop_answer" => &["answer"],
        "automated_mail" => &["subject", "text"],
        _ => &[],
    }
}

/// Replaces the free text of an entry's data; `content` also replaces title and description
/// changes (the text of a ticket the person requested).
fn redact_event(data: &mut Value, own_text: bool, content: bool) -> bool {
    let Some(object) = data.as_object_mut() else {
        return false;
    };
    let kind = object
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut fields: Vec<&str> = Vec::new();
    if own_text {
        fields.extend(text_fields(&kind));
    }
    let field = object
        .get("field")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if kind == "field_changed" && (own_text || content) && matches!(field, "title" | "description")
    {
        fields.extend(["from", "to"]);
    }
    let mut changed = false;
    for field in fields {
        if let Some(value) = object.get_mut(field).filter(|v| v.is_string()) {
            *value = Value::String(ERASED_TEXT.to_owned());
            changed = true;
        }
    }
    changed
}

/// A text column an erasure scrubs: table, column, and the condition that keeps it to the tenant
/// (`$1`).
struct TextColumn {
    table: &'static str,
    column: &'static str,
    tenant: &'static str,
}

const fn col(table: &'static str, column: &'static str, tenant: &'static str) -> TextColumn {
    TextColumn {
        table,
        column,
        tenant,
    }
}

/// The columns that hold copies of what people wrote (mail about a reply carries the reply).
const COPIES: [(&str, &str); 2] = [("outbox", "payload"), ("notifications", "message")];

/// `text` with every copy of the erased texts (as written, or escaped inside JSON) replaced.
fn without_copies(text: &str, erased: &[String]) -> Option<String> {
    let mut out = text.to_owned();
    for original in erased {
        let escaped = serde_json::to_string(original).unwrap_or_default();
        let escaped = escaped.trim_matches('"');
        for form in [original.as_str(), escaped] {
            if !form.is_empty() && out.contains(form) {
                out = out.replace(form, ERASED_TEXT);
            }
        }
    }
    (out != text).then_some(out)
}

const OWN: &str = "tenant_id = $1";
const BY_TICKET: &str = "ticket_id IN (SELECT id FROM tickets WHERE tenant_id = $1)";
const BY_ARTICLE: &str = "article_id IN (SELECT id FROM articles WHERE tenant_id = $1)";
const BY_SOP: &str = "sop_id IN (SELECT id FROM sops WHERE tenant_id = $1)";

/// Every text column of the schema that can hold a person's name or address, with its tenant.
/// Columns that only hold codes, keys, hashes or ids are left out, and so are the tenant's
/// settings: they are typed configuration (a mail secret, trusted mail servers, a relay), and a
/// label written into one would break it; the person's own settings are deleted instead.
const TEXT_COLUMNS: [TextColumn; 36] = [
    col("tickets", "title", OWN),
    col("tickets", "description", OWN),
    col("tickets", "supplier_reference", OWN),
    col("tickets", "resolution_notes", OWN),
    col("notifications", "message", OWN),
    col("outbox", "payload", OWN),
    col("outbox", "recipient", OWN),
    col("outbox", "last_error", OWN),
    col("inbound_messages", "from_address", OWN),
    col("inbound_messages", "subject", OWN),
    col("inbound_messages", "reason", OWN),
    col("inbound_messages", "auto_reply", OWN),
    col("inbound_messages", "html", OWN),
    col("inbound_messages", "warnings", OWN),
    col("attachments", "filename", BY_TICKET),
    col("articles", "title", OWN),
    col("articles", "published_title", OWN),
    col("article_versions", "title", BY_ARTICLE),
    col("article_versions", "body", BY_ARTICLE),
    col("article_versions", "symptom", BY_ARTICLE),
    col("article_versions", "cause", BY_ARTICLE),
    col("article_versions", "workaround", BY_ARTICLE),
    col("article_versions", "change_summary", BY_ARTICLE),
    col("article_log", "comment", BY_ARTICLE),
    col("deflections", "query", OWN),
    col("sops", "title", OWN),
    col("sop_versions", "content", BY_SOP),
    col("sop_versions", "change_summary", BY_SOP),
    col("sop_log", "comment", BY_SOP),
    col("sop_reviews", "note", BY_SOP),
    col("ticket_sop", "checklist", BY_TICKET),
    col("canned_responses", "title", OWN),
    col("canned_responses", "body", OWN),
    col("queue_views", "name", OWN),
    col("queue_views", "query", OWN),
    col("mailboxes", "last_error", OWN),
];

/// How a row is named for a later update in the same transaction.
fn row_key(dialect: Dialect) -> (&'static str, &'static str) {
    match dialect.backend() {
        Backend::Sqlite => ("CAST(rowid AS TEXT)", "rowid = CAST($1 AS INTEGER)"),
        Backend::Postgres => ("ctid::text", "ctid = CAST($1 AS tid)"),
    }
}

impl Store {
    /// Erases `user` of `tenant`: anonymises their account (a neutral name, an address that
    /// cannot receive mail, no password, inactive), removes their sessions, tokens, settings,
    /// notifications and the mail to them, deletes their files, replaces their name and address
    /// wherever the tenant's texts hold them and, as chosen, the texts they wrote, and rebuilds
    /// the search index of the tickets touched. Tickets keep their status, times and service
    /// levels; history entries keep their kind, time and actor. In one transaction.
    pub async fn erase_person(
        &self,
        tenant: TenantId,
        user: UserId,
        choice: ErasureChoice,
    ) -> Result<(), StoreError> {
        let (name, email): (String, String) = self
            .read()
            .fetch_one(
                Sql::new("SELECT name, email FROM users WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant.get())
                    .bind(user.get()),
            )
            .await?;
        let id = user.get();
        let who = Identity {
            name,
            email,
            label: format!("Erased person {id}"),
            placeholder: format!("erased-{id}@erased.invalid"),
        };
        let mut tx = self.begin().await?;
        let t = tenant.get();
        let requested: Vec<i64> = tx
            .fetch_scalars(
                Sql::new("SELECT id FROM tickets WHERE tenant_id = $1 AND requester_id = $2")
                    .bind(t)
                    .bind(id),
            )
            .await?;
        let from_them =
            "SELECT id FROM inbound_messages WHERE tenant_id = $1 AND LOWER(from_address) = $2";
        tx.execute(
            Sql::new(format!(
                "DELETE FROM attachments WHERE ticket_id IN (SELECT id FROM tickets WHERE tenant_id = $1) \
                 AND (event_id IN (SELECT id FROM ticket_events WHERE actor_id = $3) OR inbound_message_id IN ({from_them}))"
            ))
            .bind(t)
            .bind(who.email.to_lowercase())
            .bind(id),
        )
        .await?;
        let inbound_subject = if choice.texts {
            Some(ERASED_TEXT)
        } else {
            None
        };
        tx.execute(
            Sql::new(
                "UPDATE inbound_messages SET raw = $3, raw_sha256 = $4, html = NULL, from_address = $5, \
                 subject = COALESCE($6, subject) WHERE tenant_id = $1 AND LOWER(from_address) = $2",
            )
            .bind(t)
            .bind(who.email.to_lowercase())
            .bind(Vec::<u8>::new())
            .bind(crate::sha256_hex(b""))
            .bind(who.placeholder.as_str())
            .bind(inbound_subject),
        )
        .await?;
        scrub_raw_mail(&mut tx, tenant, &who).await?;
        tx.execute(
            Sql::new("DELETE FROM outbox WHERE tenant_id = $1 AND LOWER(recipient) = $2")
                .bind(t)
                .bind(who.email.to_lowercase()),
        )
        .await?;
        for table in [
            "sessions",
            "api_tokens",
            "password_resets",
            "mail_action_tokens",
            "notifications",
            "mail_preferences",
            "person_settings",
            "ticket_reads",
            "queue_columns",
            // Sign-in: a second factor, single sign-on and directory links, provisioning.
            "second_factors",
            "recovery_codes",
            "sign_in_challenges",
            "oidc_links",
            "scim_users",
            "ldap_directory_people",
        ] {
            tx.execute(
                Sql::new(format!(
                    "DELETE FROM {table} WHERE tenant_id = $1 AND user_id = $2"
                ))
                .bind(t)
                .bind(id),
            )
            .await?;
        }
        tx.execute(
            Sql::new(
                "DELETE FROM queue_views WHERE tenant_id = $1 AND owner_id = $2 AND NOT shared",
            )
            .bind(t)
            .bind(id),
        )
        .await?;
        tx.execute(
            Sql::new("DELETE FROM canned_responses WHERE tenant_id = $1 AND owner_id = $2")
                .bind(t)
                .bind(id),
        )
        .await?;
        let groups: Vec<i64> = tx
            .fetch_scalars(
                Sql::new(
                    "SELECT group_id FROM group_members WHERE user_id = $2 \
                     AND group_id IN (SELECT id FROM resolver_groups WHERE tenant_id = $1)",
                )
                .bind(t)
                .bind(id),
            )
            .await?;
        for group in &groups {
            tx.execute(
                Sql::new("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
                    .bind(*group)
                    .bind(id),
            )
            .await?;
            tx.changed(Change::of(tenant, Entity::Group, *group, "updated"));
        }
        let mut erased: Vec<String> = Vec::new();
        if choice.texts {
            erase_own_texts(&mut tx, tenant, user).await?;
            if !choice.keep_requested_texts {
                let texts: Vec<(String, String)> = tx
                    .fetch_all(
                        Sql::new("SELECT title, description FROM tickets WHERE tenant_id = $1 AND requester_id = $2")
                            .bind(t)
                            .bind(id),
                    )
                    .await?;
                for (title, description) in texts {
                    erased.extend(
                        [title, description]
                            .into_iter()
                            .filter(|x| x.trim().len() >= 4 && x != ERASED_TEXT),
                    );
                }
                tx.execute(
                    Sql::new(
                        "UPDATE tickets SET title = $3, description = $3 WHERE tenant_id = $1 AND requester_id = $2",
                    )
                    .bind(t)
                    .bind(id)
                    .bind(ERASED_TEXT),
                )
                .await?;
            }
        }
        let mut touched =
            erase_events(&mut tx, tenant, user, &who, &requested, choice, &mut erased).await?;
        erased.sort();
        erased.dedup();
        erased.sort_by_key(|text| std::cmp::Reverse(text.len()));
        let [email, name] = who.patterns();
        let mut sql = Sql::new("SELECT id FROM tickets WHERE tenant_id = $1 AND (FALSE");
        for column in [
            "title",
            "description",
            "supplier_reference",
            "resolution_notes",
        ] {
            sql.push(&format!(
                " OR LOWER({column}) LIKE $2 ESCAPE '\\' OR LOWER({column}) LIKE $3 ESCAPE '\\'"
            ));
        }
        sql.push(")");
        touched.extend(
            tx.fetch_scalars::<i64>(sql.bind(t).bind(email).bind(name))
                .await?,
        );
        for column in &TEXT_COLUMNS {
            scrub_column(&mut tx, tenant, column, &who, &erased).await?;
        }
        touched.extend(&requested);
        touched.sort_unstable();
        touched.dedup();
        rebuild_ticket_search(&mut tx, tenant, &touched).await?;
        scrub_article_search(&mut tx, tenant, &who).await?;
        tx.execute(
            Sql::new(
                "UPDATE users SET name = $3, email = $4, email_canonical = $4, password_hash = NULL, \
                 active = FALSE, super_user = FALSE WHERE tenant_id = $1 AND id = $2",
            )
            .bind(t)
            .bind(id)
            .bind(who.label.as_str())
            .bind(who.placeholder.as_str()),
        )
        .await?;
        tx.changed(Change::of(tenant, Entity::User, id, "updated"));
        crate::grants::erase_links(&mut tx, UserId::new(id), &who.label, &who.placeholder).await?;
        for ticket in &touched {
            tx.changed(Change::of(tenant, Entity::Ticket, *ticket, "updated"));
        }
        record_document_changes(&mut tx, tenant).await?;
        tx.commit().await?;
        self.optimize_search().await
    }

    /// Merges SQLite's full-text segments so that entries an erasure removed are gone from the
    /// index's own storage too (PostgreSQL recomputes its vectors with each row).
    async fn optimize_search(&self) -> Result<(), StoreError> {
        if self.backend() == Backend::Sqlite {
            let mut tx = self.begin().await?;
            for table in ["ticket_search", "article_search"] {
                tx.execute(Sql::new(format!(
                    "INSERT INTO {table} ({table}) VALUES ('optimize')"
                )))
                .await?;
            }
            tx.commit().await?;
        }
        Ok(())
    }
}

/// Replaces the texts the person wrote in the logs of articles and SOPs, SOP reviews and their
/// portal searches.
async fn erase_own_texts(tx: &mut Tx, tenant: TenantId, user: UserId) -> Result<(), StoreError> {
    let statements = [
        "UPDATE article_log SET comment = $3 WHERE actor_id = $2 AND comment IS NOT NULL AND article_id IN (SELECT id FROM articles WHERE tenant_id = $1)",
        "UPDATE sop_log SET comment = $3 WHERE actor_id = $2 AND comment IS NOT NULL AND sop_id IN (SELECT id FROM sops WHERE tenant_id = $1)",
        "UPDATE sop_reviews SET note = $3 WHERE closed_by = $2 AND note IS NOT NULL AND sop_id IN (SELECT id FROM sops WHERE tenant_id = $1)",
        "UPDATE deflections SET query = $3 WHERE tenant_id = $1 AND user_id = $2",
    ];
    for statement in statements {
        tx.execute(
            Sql::new(statement)
                .bind(tenant.get())
                .bind(user.get())
                .bind(ERASED_TEXT),
        )
        .await?;
    }
    Ok(())
}

/// Rewrites the text of the history entries that hold the person's words, name or address;
/// returns the tickets whose history changed.
async fn erase_events(
    tx: &mut Tx,
    tenant: TenantId,
    user: UserId,
    who: &Identity,
    requested: &[i64],
    choice: ErasureChoice,
    erased: &mut Vec<String>,
) -> Result<Vec<i64>, StoreError> {
    let [email, name] = who.patterns();
    let rows: Vec<(i64, i64, Option<i64>, String)> = tx
        .fetch_all(
            Sql::new(
                "SELECT e.id, e.ticket_id, e.actor_id, e.data FROM ticket_events e \
                 JOIN tickets t ON t.id = e.ticket_id WHERE t.tenant_id = $1 \
                 AND (e.actor_id = $2 OR t.requester_id = $2 OR LOWER(e.data) LIKE $3 ESCAPE '\\' \
                 OR LOWER(e.data) LIKE $4 ESCAPE '\\') ORDER BY e.id",
            )
            .bind(tenant.get())
            .bind(user.get())
            .bind(email)
            .bind(name),
        )
        .await?;
    let mut touched = Vec::new();
    for (event, ticket, actor, data) in rows {
        let theirs = requested.contains(&ticket);
        let from_them = serde_json::from_str::<Value>(&data)
            .ok()
            .and_then(|v| v.get("from").and_then(Value::as_str).map(str::to_lowercase))
            .is_some_and(|from| from == who.email.to_lowercase());
        let own = (actor == Some(user.get()) || from_them)
            && choice.texts
            && !(theirs && choice.keep_requested_texts);
        let content = theirs && choice.texts && !choice.keep_requested_texts;
        let mut value: Value = serde_json::from_str(&data)?;
        let before = value.clone();
        let mut changed = redact_event(&mut value, own, content);
        if changed {
            collect_replaced(&before, &value, erased);
        }
        let mut text = serde_json::to_string(&value)?;
        if let Some(scrubbed) = who.scrub(&text) {
            text = scrubbed;
            changed = true;
        }
        if changed {
            serde_json::from_str::<EventData>(&text)?;
            if !touched.contains(&ticket) {
                // The history may be rewritten only for tickets listed here, in this
                // transaction (the append-only trigger); the list is emptied below.
                tx.execute(
                    Sql::new(
                        "INSERT INTO ticket_redactions (ticket_id, tenant_id) VALUES ($1, $2)",
                    )
                    .bind(ticket)
                    .bind(tenant.get()),
                )
                .await?;
            }
            tx.execute(
                Sql::new("UPDATE ticket_events SET data = $1 WHERE id = $2")
                    .bind(text)
                    .bind(event),
            )
            .await?;
            touched.push(ticket);
        }
    }
    tx.execute(Sql::new("DELETE FROM ticket_redactions WHERE tenant_id = $1").bind(tenant.get()))
        .await?;
    Ok(touched)
}

/// The texts `before` held where `after` holds [`ERASED_TEXT`].
fn collect_replaced(before: &Value, after: &Value, erased: &mut Vec<String>) {
    if let (Some(before), Some(after)) = (before.as_object(), after.as_object()) {
        for (key, value) in after {
            if value.as_str() == Some(ERASED_TEXT) {
                if let Some(original) = before.get(key).and_then(Value::as_str) {
                    if original.trim().len() >= 4 && original != ERASED_TEXT {
                        erased.push(original.to_owned());
                    }
                }
            }
        }
    }
}

/// Replaces the person's name and address in one text column of the tenant's rows.
async fn scrub_column(
    tx: &mut Tx,
    tenant: TenantId,
    column: &TextColumn,
    who: &Identity,
    erased: &[String],
) -> Result<(), StoreError> {
    let (key, by_key) = row_key(tx.dialect());
    let TextColumn {
        table,
        column,
        tenant: condition,
    } = column;
    let copies = COPIES.contains(&(*table, *column)) && !erased.is_empty();
    let [email, name] = who.patterns();
    let filter = if copies {
        String::new()
    } else {
        format!(" AND (LOWER({column}) LIKE $2 ESCAPE '\\' OR LOWER({column}) LIKE $3 ESCAPE '\\')")
    };
    let mut sql = Sql::new(format!(
        "SELECT {key}, {column} FROM {table} WHERE {condition} AND {column} IS NOT NULL{filter}"
    ))
    .bind(tenant.get());
    if !copies {
        sql = sql.bind(email).bind(name);
    }
    let rows: Vec<(String, String)> = tx.fetch_all(sql).await?;
    for (row, text) in rows {
        let uncopied = if copies {
            without_copies(&text, erased)
        } else {
            None
        };
        let text = uncopied.as_deref().unwrap_or(&text);
        if let Some(scrubbed) = who.scrub(text).or(uncopied.clone()) {
            tx.execute(
                Sql::new(format!("UPDATE {table} SET {column} = $2 WHERE {by_key}"))
                    .bind(row)
                    .bind(scrubbed),
            )
            .await?;
        }
    }
    Ok(())
}

/// Replaces the person's name and address in the raw mail of the tenant (a message that named
/// them as a recipient or quoted them).
async fn scrub_raw_mail(tx: &mut Tx, tenant: TenantId, who: &Identity) -> Result<(), StoreError> {
    let ids: Vec<(i64, Vec<u8>)> = tx
        .fetch_all(
            Sql::new("SELECT id, raw FROM inbound_messages WHERE tenant_id = $1")
                .bind(tenant.get()),
        )
        .await?;
    for (id, raw) in ids {
        if let Some(scrubbed) = who.scrub_bytes(&raw) {
            tx.execute(
                Sql::new("UPDATE inbound_messages SET raw = $1, raw_sha256 = $2 WHERE id = $3 AND tenant_id = $4")
                    .bind(crate::sha256_hex(&scrubbed))
                    .bind(scrubbed)
                    .bind(id)
                    .bind(tenant.get()),
            )
            .await?;
        }
    }
    Ok(())
}

/// Rewrites the search entries of these tickets from what they now say.
async fn rebuild_ticket_search(
    tx: &mut Tx,
    tenant: TenantId,
    tickets: &[i64],
) -> Result<(), StoreError> {
    let key = tx.dialect().ticket_search_key();
    for ticket in tickets {
        let (title, description): (String, String) = tx
            .fetch_one(
                Sql::new("SELECT title, description FROM tickets WHERE id = $1 AND tenant_id = $2")
                    .bind(*ticket)
                    .bind(tenant.get()),
            )
            .await?;
        let events: Vec<String> = tx
            .fetch_scalars(
                Sql::new("SELECT data FROM ticket_events WHERE ticket_id = $1 ORDER BY id")
                    .bind(*ticket),
            )
            .await?;
        let (mut public, mut internal) = (String::new(), String::new());
        for data in events {
            if let EventData::Commented {
                internal: note,
                body,
            } = serde_json::from_str(&data)?
            {
                let column = if note { &mut internal } else { &mut public };
                column.push(' ');
                column.push_str(&body);
            }
        }
        tx.execute(
            Sql::new(format!(
                "UPDATE ticket_search SET title = $1, description = $2, public_comments = $3, \
                 internal_notes = $4 WHERE {key} = $5"
            ))
            .bind(title)
            .bind(description)
            .bind(public)
            .bind(internal)
            .bind(*ticket),
        )
        .await?;
    }
    Ok(())
}

/// Replaces the person's name and address in the article search entries of the tenant.
async fn scrub_article_search(
    tx: &mut Tx,
    tenant: TenantId,
    who: &Identity,
) -> Result<(), StoreError> {
    let key = tx.dialect().article_search_key();
    for column in ["title", "body", "published_title", "published_body"] {
        let rows: Vec<(i64, String)> = tx
            .fetch_all(
                Sql::new(format!(
                    "SELECT {key}, {column} FROM article_search WHERE {key} IN (SELECT id FROM articles WHERE tenant_id = $1)"
                ))
                .bind(tenant.get()),
            )
            .await?;
        for (article, text) in rows {
            if let Some(scrubbed) = who.scrub(&text) {
                tx.execute(
                    Sql::new(format!(
                        "UPDATE article_search SET {column} = $1 WHERE {key} = $2"
                    ))
                    .bind(scrubbed)
                    .bind(article),
                )
                .await?;
            }
        }
    }
    Ok(())
}

/// The change feed's entries for the knowledge, SOP and settings records an erasure may have
/// rewritten: one per article and SOP of the tenant whose log it may have touched, and the
/// settings.
async fn record_document_changes(tx: &mut Tx, tenant: TenantId) -> Result<(), StoreError> {
    for (entity, table) in [(Entity::Article, "articles"), (Entity::Sop, "sops")] {
        let ids: Vec<i64> = tx
            .fetch_scalars(
                Sql::new(format!("SELECT id FROM {table} WHERE tenant_id = $1")).bind(tenant.get()),
            )
            .await?;
        for id in ids {
            tx.changed(Change::of(tenant, entity, id, "updated"));
        }
    }
    tx.changed(Change::of(tenant, Entity::Setting, 0, "updated"));
    Ok(())
}

#[cfg(test)]
mod tests;

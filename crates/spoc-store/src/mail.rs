//! The e-mail channel in storage: mailboxes (with a lease so one node polls each), organisation
//! domain rules, every inbound message kept raw with its outcome and reason, attachments,
//! the Message-IDs that thread mail to tickets, people's notification opt-outs, and the outbox
//! worker's claims, retries and dead letters.
//!
//! Inbound messages that change a ticket are written by the ticket transaction itself (see
//! [`MailWrite`] on [`crate::TicketDraft`] and [`crate::TicketChange`]), so a message is recorded
//! exactly when its ticket change is committed.

use std::collections::HashSet;

pub use spoc_domain::mail::{ImapSecurity, InboundOutcome, OutboxState};
use spoc_domain::mail::{NonParticipants, UnknownSenders};
use spoc_domain::ticket::TicketKind;
use spoc_domain::{
    AttachmentId, EventId, InboundId, MailboxId, OrganizationId, OutboxId, TenantId, TicketId,
    Timestamp, UserId,
};

use crate::StoreError;
use crate::changes::{Change, Entity};
use crate::db::Sql;
use crate::scope::{push_scope, push_tenant};
use spoc_domain::access::Scope;

/// How Spoc reaches a mailbox over IMAP.
#[derive(Clone, PartialEq, Eq)]
pub struct ImapSettings {
    /// Server host name.
    pub host: String,
    /// Port (993 for TLS, 143 for STARTTLS).
    pub port: u16,
    /// Implicit TLS or STARTTLS; plain text is never used.
    pub security: ImapSecurity,
    /// Login name.
    pub username: String,
    /// Password. Never logged, never shown.
    pub password: String,
    /// Extra trusted CA certificate (PEM) for a server with a private CA.
    pub ca_certificate: Option<String>,
}

impl std::fmt::Debug for ImapSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .field("ca_certificate", &self.ca_certificate.is_some())
            .finish()
    }
}

/// A mailbox as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailboxRecord {
    /// Id.
    pub id: MailboxId,
    /// The tenant whose mail it receives.
    pub tenant_id: TenantId,
    /// Unique name (`spoc mail deliver --mailbox NAME`).
    pub name: String,
    /// The desk's address for this mailbox; mail from it is never answered.
    pub address: String,
    /// Whether it is polled and accepts delivery.
    pub enabled: bool,
    /// IMAP access, if the mailbox is polled (else it only takes delivered mail).
    pub imap: Option<ImapSettings>,
    /// The folder read.
    pub folder: String,
    /// Where processed mail is moved; `None` flags it in place instead.
    pub processed_folder: Option<String>,
    /// What to do with unknown senders.
    pub unknown_senders: UnknownSenders,
    /// What to do with replies from non-participants.
    pub non_participants: NonParticipants,
    /// The kind of ticket new mail becomes.
    pub ticket_kind: TicketKind,
    /// Seconds between polls (when the server cannot IDLE).
    pub poll_seconds: i64,
    /// Last poll.
    pub last_polled_at: Option<Timestamp>,
    /// What went wrong at the last poll, if it failed.
    pub last_error: Option<String>,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

/// A mailbox to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailboxInput {
    /// Unique name.
    pub name: String,
    /// The desk's address.
    pub address: String,
    /// Enabled.
    pub enabled: bool,
    /// IMAP access.
    pub imap: Option<ImapSettings>,
    /// Folder read.
    pub folder: String,
    /// Folder processed mail is moved to.
    pub processed_folder: Option<String>,
    /// Unknown senders.
    pub unknown_senders: UnknownSenders,
    /// Non-participants.
    pub non_participants: NonParticipants,
    /// Kind of new tickets.
    pub ticket_kind: TicketKind,
    /// Seconds between polls.
    pub poll_seconds: i64,
}

/// An inbound message to record.
#[derive(Clone, Debug)]
pub struct NewInbound {
    /// The tenant it was received for (its mailbox's).
    pub tenant_id: TenantId,
    /// The mailbox it arrived in.
    pub mailbox_id: Option<MailboxId>,
    /// Its Message-ID (unique; derived from the content when the message has none).
    pub message_id: String,
    /// The message as received.
    pub raw: Vec<u8>,
    /// SHA-256 of `raw`, hex.
    pub raw_sha256: String,
    /// Sender address.
    pub from_address: Option<String>,
    /// Decoded subject.
    pub subject: String,
    /// When it was received.
    pub received_at: Timestamp,
    /// What became of it.
    pub outcome: InboundOutcome,
    /// Why.
    pub reason: String,
    /// Whether an automatic answer was sent, or why not.
    pub auto_reply: String,
    /// The ticket it created or joined.
    pub ticket_id: Option<TicketId>,
    /// Its HTML body, sanitised.
    pub html: Option<String>,
    /// Problems met while reading it.
    pub warnings: Vec<String>,
}

/// An inbound message as stored (without the raw bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundRecord {
    /// Id.
    pub id: InboundId,
    /// Mailbox.
    pub mailbox_id: Option<MailboxId>,
    /// Message-ID.
    pub message_id: String,
    /// Size of the raw message in bytes.
    pub size: i64,
    /// Sender address.
    pub from_address: Option<String>,
    /// Subject.
    pub subject: String,
    /// Received.
    pub received_at: Timestamp,
    /// Outcome.
    pub outcome: InboundOutcome,
    /// Why.
    pub reason: String,
    /// Automatic answer sent, or why not.
    pub auto_reply: String,
    /// Ticket.
    pub ticket_id: Option<TicketId>,
    /// The history event it became (the ticket's creation, or the reply or note).
    pub event_id: Option<EventId>,
    /// Sanitised HTML body.
    pub html: Option<String>,
    /// Problems met while reading it.
    pub warnings: Vec<String>,
    /// When a held or quarantined message was dealt with.
    pub settled_at: Option<Timestamp>,
    /// By whom.
    pub settled_by: Option<UserId>,
}

/// An attachment to store with a ticket change.
#[derive(Clone, Debug)]
pub struct NewAttachment {
    /// Safe display name.
    pub filename: String,
    /// Media type, lowercased.
    pub content_type: String,
    /// The bytes.
    pub content: Vec<u8>,
    /// Shown inline (a `cid:` image).
    pub inline: bool,
    /// Its Content-ID.
    pub content_id: Option<String>,
    /// Visible to the requester.
    pub public: bool,
}

/// An attachment as stored (without its bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentRecord {
    /// Id.
    pub id: AttachmentId,
    /// Ticket.
    pub ticket_id: TicketId,
    /// The event it belongs to (the reply or the ticket's creation).
    pub event_id: Option<EventId>,
    /// The inbound message it came with.
    pub inbound_message_id: Option<InboundId>,
    /// Safe display name.
    pub filename: String,
    /// Media type.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256, hex.
    pub sha256: String,
    /// Inline image.
    pub inline: bool,
    /// Content-ID.
    pub content_id: Option<String>,
    /// Visible to the requester.
    pub public: bool,
    /// Stored.
    pub created_at: Timestamp,
}

/// What the e-mail channel writes inside a ticket transaction: the message that caused the
/// change, its attachments, and Message-IDs to thread to the ticket.
#[derive(Clone, Debug, Default)]
pub struct MailWrite {
    /// The inbound message (its `ticket_id` is filled in by the transaction).
    pub inbound: Option<NewInbound>,
    /// Its attachments, attached to the change's comment (or creation) event.
    pub attachments: Vec<NewAttachment>,
    /// Message-IDs that belong to the ticket from now on (inbound ones).
    pub thread_ids: Vec<String>,
    /// A held or quarantined message this change releases (instead of a new `inbound`).
    pub settle: Option<SettleInbound>,
}

/// A held or quarantined message released into a ticket change.
#[derive(Clone, Debug)]
pub struct SettleInbound {
    /// The inbound message.
    pub id: InboundId,
    /// What became of it now.
    pub outcome: InboundOutcome,
    /// Appended to its reason.
    pub note: String,
    /// Who released it (`None`: the system, when a quarantined message is retried).
    pub by: Option<UserId>,
}

/// An outbox message as the delivery worker and admins see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxRecord {
    /// Id.
    pub id: OutboxId,
    /// The tenant whose message it is.
    pub tenant_id: TenantId,
    /// Topic.
    pub topic: String,
    /// Unique key (the same change never queues the same message twice).
    pub idempotency_key: String,
    /// What to send.
    pub payload: String,
    /// The recipient's address, for e-mail.
    pub recipient: Option<String>,
    /// The ticket it is about.
    pub ticket_id: Option<TicketId>,
    /// Queued.
    pub created_at: Timestamp,
    /// Not before.
    pub available_at: Timestamp,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// The last failure.
    pub last_error: Option<String>,
    /// Delivered.
    pub done_at: Option<Timestamp>,
    /// Given up on (a dead letter).
    pub dead_at: Option<Timestamp>,
}

/// The SQL condition selecting the outbox messages in `state`.
fn outbox_condition(state: OutboxState) -> &'static str {
    match state {
        OutboxState::Pending => "done_at IS NULL AND dead_at IS NULL",
        OutboxState::Sent => "done_at IS NOT NULL",
        OutboxState::Dead => "dead_at IS NOT NULL AND done_at IS NULL",
    }
}

const MAILBOX_COLUMNS: &str = "id, tenant_id, name, address, enabled, imap_host, imap_port, imap_security, \
    imap_username, imap_password, ca_certificate, folder, processed_folder, unknown_senders, \
    non_participants, ticket_kind, poll_seconds, last_polled_at, last_error, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct MailboxRow {
    id: i64,
    tenant_id: i64,
    name: String,
    address: String,
    enabled: bool,
    imap_host: Option<String>,
    imap_port: Option<i64>,
    imap_security: Option<String>,
    imap_username: Option<String>,
    imap_password: Option<String>,
    ca_certificate: Option<String>,
    folder: String,
    processed_folder: Option<String>,
    unknown_senders: String,
    non_participants: String,
    ticket_kind: String,
    poll_seconds: i64,
    last_polled_at: Option<i64>,
    last_error: Option<String>,
    created_at: i64,
    updated_at: i64,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

impl TryFrom<MailboxRow> for MailboxRecord {
    type Error = StoreError;

    fn try_from(r: MailboxRow) -> Result<Self, StoreError> {
        let imap = match (r.imap_host, r.imap_port, r.imap_security, r.imap_username) {
            (Some(host), Some(port), Some(security), Some(username)) => Some(ImapSettings {
                host,
                port: u16::try_from(port).map_err(|_| corrupt("IMAP port", &port.to_string()))?,
                security: ImapSecurity::parse(&security)
                    .ok_or_else(|| corrupt("IMAP security", &security))?,
                username,
                password: r.imap_password.unwrap_or_default(),
                ca_certificate: r.ca_certificate,
            }),
            _ => None,
        };
        Ok(MailboxRecord {
            id: MailboxId::new(r.id),
            tenant_id: TenantId::new(r.tenant_id),
            name: r.name,
            address: r.address,
            enabled: r.enabled,
            imap,
            folder: r.folder,
            processed_folder: r.processed_folder,
            unknown_senders: UnknownSenders::parse(&r.unknown_senders)
                .map_err(|_| corrupt("unknown_senders", &r.unknown_senders))?,
            non_participants: NonParticipants::parse(&r.non_participants)
                .map_err(|_| corrupt("non_participants", &r.non_participants))?,
            ticket_kind: TicketKind::parse(&r.ticket_kind)
                .map_err(|_| corrupt("ticket_kind", &r.ticket_kind))?,
            poll_seconds: r.poll_seconds,
            last_polled_at: r.last_polled_at.map(Timestamp::from_micros),
            last_error: r.last_error,
            created_at: Timestamp::from_micros(r.created_at),
            updated_at: Timestamp::from_micros(r.updated_at),
        })
    }
}

const INBOUND_COLUMNS: &str = "id, mailbox_id, message_id, CAST(LENGTH(raw) AS BIGINT) AS size, from_address, \
    subject, received_at, outcome, reason, auto_reply, ticket_id, event_id, html, warnings, settled_at, settled_by";

#[derive(sqlx::FromRow)]
struct InboundRow {
    id: i64,
    mailbox_id: Option<i64>,
    message_id: String,
    size: i64,
    from_address: Option<String>,
    subject: String,
    received_at: i64,
    outcome: String,
    reason: String,
    auto_reply: String,
    ticket_id: Option<i64>,
    event_id: Option<i64>,
    html: Option<String>,
    warnings: String,
    settled_at: Option<i64>,
    settled_by: Option<i64>,
}

impl TryFrom<InboundRow> for InboundRecord {
    type Error = StoreError;

    fn try_from(r: InboundRow) -> Result<Self, StoreError> {
        Ok(InboundRecord {
            id: InboundId::new(r.id),
            mailbox_id: r.mailbox_id.map(MailboxId::new),
            message_id: r.message_id,
            size: r.size,
            from_address: r.from_address,
            subject: r.subject,
            received_at: Timestamp::from_micros(r.received_at),
            outcome: InboundOutcome::parse(&r.outcome)
                .ok_or_else(|| corrupt("outcome", &r.outcome))?,
            reason: r.reason,
            auto_reply: r.auto_reply,
            ticket_id: r.ticket_id.map(TicketId::new),
            event_id: r.event_id.map(EventId::new),
            html: r.html,
            warnings: serde_json::from_str(&r.warnings)?,
            settled_at: r.settled_at.map(Timestamp::from_micros),
            settled_by: r.settled_by.map(UserId::new),
        })
    }
}

const ATTACHMENT_COLUMNS: &str = "id, ticket_id, event_id, inbound_message_id, filename, \
    content_type, size, sha256, inline, content_id, public, created_at";

#[derive(sqlx::FromRow)]
struct AttachmentRow {
    id: i64,
    ticket_id: i64,
    event_id: Option<i64>,
    inbound_message_id: Option<i64>,
    filename: String,
    content_type: String,
    size: i64,
    sha256: String,
    inline: bool,
    content_id: Option<String>,
    public: bool,
    created_at: i64,
}

impl From<AttachmentRow> for AttachmentRecord {
    fn from(r: AttachmentRow) -> Self {
        AttachmentRecord {
            id: AttachmentId::new(r.id),
            ticket_id: TicketId::new(r.ticket_id),
            event_id: r.event_id.map(EventId::new),
            inbound_message_id: r.inbound_message_id.map(InboundId::new),
            filename: r.filename,
            content_type: r.content_type,
            size: r.size,
            sha256: r.sha256,
            inline: r.inline,
            content_id: r.content_id,
            public: r.public,
            created_at: Timestamp::from_micros(r.created_at),
        }
    }
}

const OUTBOX_COLUMNS: &str = "id, tenant_id, topic, idempotency_key, payload, recipient, ticket_id, \
    created_at, available_at, attempts, last_error, done_at, dead_at";

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: i64,
    tenant_id: i64,
    topic: String,
    idempotency_key: String,
    payload: String,
    recipient: Option<String>,
    ticket_id: Option<i64>,
    created_at: i64,
    available_at: i64,
    attempts: i64,
    last_error: Option<String>,
    done_at: Option<i64>,
    dead_at: Option<i64>,
}

impl From<OutboxRow> for OutboxRecord {
    fn from(r: OutboxRow) -> Self {
        let ts = Timestamp::from_micros;
        OutboxRecord {
            id: OutboxId::new(r.id),
            tenant_id: TenantId::new(r.tenant_id),
            topic: r.topic,
            idempotency_key: r.idempotency_key,
            payload: r.payload,
            recipient: r.recipient,
            ticket_id: r.ticket_id.map(TicketId::new),
            created_at: ts(r.created_at),
            available_at: ts(r.available_at),
            attempts: r.attempts,
            last_error: r.last_error,
            done_at: r.done_at.map(ts),
            dead_at: r.dead_at.map(ts),
        }
    }
}

/// SHA-256 of `bytes`, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) const INSERT_INBOUND: &str = "INSERT INTO inbound_messages (mailbox_id, message_id, raw, \
    raw_sha256, from_address, subject, received_at, outcome, reason, auto_reply, ticket_id, html, warnings, event_id, \
    tenant_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id";

pub(crate) const INSERT_ATTACHMENT: &str = "INSERT INTO attachments (ticket_id, event_id, \
    inbound_message_id, filename, content_type, size, sha256, content, inline, content_id, public, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

pub(crate) const SETTLE_INBOUND: &str = "UPDATE inbound_messages SET outcome = $1, \
    reason = reason || ' ' || $2, ticket_id = $3, settled_at = $4, settled_by = $5, event_id = $7 \
    WHERE id = $6 AND settled_at IS NULL AND tenant_id = (SELECT tenant_id FROM tickets WHERE id = $3)";

pub(crate) const INSERT_THREAD: &str = "INSERT INTO mail_threads (message_id, ticket_id, outbound, created_at) \
    VALUES ($1, $2, $3, $4) ON CONFLICT (message_id) DO NOTHING";

/// Writes a ticket change's mail inside the ticket transaction `tx`: the inbound message (with
/// the ticket's id), its attachments (on `event`, the change's comment or creation event) and
/// the Message-IDs that thread to the ticket. A second delivery of the same Message-ID fails
/// the whole transaction with a unique `Conflict`, so it can never make a second ticket.
pub(crate) async fn write_mail(
    tx: &mut crate::db::Tx,
    ticket_id: spoc_domain::TicketId,
    event: Option<spoc_domain::EventId>,
    at: Timestamp,
    mail: &crate::MailWrite,
) -> Result<(), StoreError> {
    let event = event.map(|e| e.get());
    let mut inbound_id: Option<i64> = None;
    if let Some(m) = &mail.inbound {
        let id: i64 = tx
            .fetch_scalar(
                Sql::new(INSERT_INBOUND)
                    .bind(m.mailbox_id.map(MailboxId::get))
                    .bind(&m.message_id)
                    .bind(&m.raw)
                    .bind(&m.raw_sha256)
                    .bind(m.from_address.as_deref())
                    .bind(&m.subject)
                    .bind(m.received_at.as_micros())
                    .bind(m.outcome.as_str())
                    .bind(&m.reason)
                    .bind(&m.auto_reply)
                    .bind(ticket_id.get())
                    .bind(m.html.as_deref())
                    .bind(serde_json::to_string(&m.warnings)?)
                    .bind(event)
                    .bind(m.tenant_id.get()),
            )
            .await?;
        inbound_id = Some(id);
    }
    if let Some(settle) = &mail.settle {
        let done = tx
            .execute(
                Sql::new(SETTLE_INBOUND)
                    .bind(settle.outcome.as_str())
                    .bind(&settle.note)
                    .bind(ticket_id.get())
                    .bind(at.as_micros())
                    .bind(settle.by.map(|u| u.get()))
                    .bind(settle.id.get())
                    .bind(event),
            )
            .await?;
        if done != 1 {
            return Err(StoreError::Conflict {
                what: format!("inbound message {} was dealt with already", settle.id),
                unique: true,
            });
        }
        inbound_id = Some(settle.id.get());
    }
    for a in &mail.attachments {
        tx.execute(
            Sql::new(INSERT_ATTACHMENT)
                .bind(ticket_id.get())
                .bind(event)
                .bind(inbound_id)
                .bind(&a.filename)
                .bind(&a.content_type)
                .bind(a.content.len() as i64)
                .bind(sha256_hex(&a.content))
                .bind(&a.content)
                .bind(a.inline)
                .bind(a.content_id.as_deref())
                .bind(a.public)
                .bind(at.as_micros()),
        )
        .await?;
    }
    for id in &mail.thread_ids {
        tx.execute(
            Sql::new(INSERT_THREAD)
                .bind(id)
                .bind(ticket_id.get())
                .bind(false)
                .bind(at.as_micros()),
        )
        .await?;
    }
    Ok(())
}

impl crate::Store {
    // ----- mailboxes -----

    /// Adds a mailbox. A taken name is a `Conflict`.
    pub async fn create_mailbox(
        &self,
        tenant: TenantId,
        input: &MailboxInput,
        now: Timestamp,
    ) -> Result<MailboxRecord, StoreError> {
        let imap = input.imap.as_ref();
        let row: MailboxRow = self.write_fetch_one(Sql::new(format!(
            "INSERT INTO mailboxes (name, address, enabled, imap_host, imap_port, imap_security, \
             imap_username, imap_password, ca_certificate, folder, processed_folder, unknown_senders, \
             non_participants, ticket_kind, poll_seconds, created_at, updated_at, tenant_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17) \
             RETURNING {MAILBOX_COLUMNS}"
        )).bind(&input.name).bind(&input.address).bind(input.enabled).bind(imap.map(|i| i.host.clone())).bind(imap.map(|i| i64::from(i.port))).bind(imap.map(|i| i.security.as_str())).bind(imap.map(|i| i.username.clone())).bind(imap.map(|i| i.password.clone())).bind(imap.and_then(|i| i.ca_certificate.clone())).bind(&input.folder).bind(input.processed_folder.as_deref()).bind(input.unknown_senders.as_str()).bind(input.non_participants.as_str()).bind(input.ticket_kind.as_str()).bind(input.poll_seconds).bind(now.as_micros()).bind(tenant.get()))
        .await?;
        row.try_into()
    }

    /// Replaces a mailbox's settings.
    pub async fn update_mailbox(
        &self,
        tenant: TenantId,
        id: MailboxId,
        input: &MailboxInput,
        now: Timestamp,
    ) -> Result<MailboxRecord, StoreError> {
        let imap = input.imap.as_ref();
        let row: Option<MailboxRow> = self.write_fetch_optional(Sql::new(format!(
            "UPDATE mailboxes SET name = $1, address = $2, enabled = $3, imap_host = $4, imap_port = $5, \
             imap_security = $6, imap_username = $7, imap_password = $8, ca_certificate = $9, folder = $10, \
             processed_folder = $11, unknown_senders = $12, non_participants = $13, ticket_kind = $14, \
             poll_seconds = $15, updated_at = $16, last_error = NULL WHERE id = $17 AND tenant_id = $18 RETURNING {MAILBOX_COLUMNS}"
        )).bind(&input.name).bind(&input.address).bind(input.enabled).bind(imap.map(|i| i.host.clone())).bind(imap.map(|i| i64::from(i.port))).bind(imap.map(|i| i.security.as_str())).bind(imap.map(|i| i.username.clone())).bind(imap.map(|i| i.password.clone())).bind(imap.and_then(|i| i.ca_certificate.clone())).bind(&input.folder).bind(input.processed_folder.as_deref()).bind(input.unknown_senders.as_str()).bind(input.non_participants.as_str()).bind(input.ticket_kind.as_str()).bind(input.poll_seconds).bind(now.as_micros()).bind(id.get()).bind(tenant.get()))
        .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Replaces a mailbox's stored IMAP password with `new` only if it still is `current`
    /// (re-encryption must not undo a change made meanwhile); `false` when it was not.
    pub async fn replace_mailbox_password(
        &self,
        id: MailboxId,
        current: &str,
        new: &str,
    ) -> Result<bool, StoreError> {
        let done = self
            .writer()
            .execute(
                Sql::new(
                    "UPDATE mailboxes SET imap_password = $1 WHERE id = $2 AND imap_password = $3 \
                     /* all-tenants: re-encrypting every stored password */",
                )
                .bind(new)
                .bind(id.get())
                .bind(current),
            )
            .await?;
        Ok(done == 1)
    }

    /// Every mailbox, by name.
    pub async fn list_mailboxes(&self, tenant: TenantId) -> Result<Vec<MailboxRecord>, StoreError> {
        let rows: Vec<MailboxRow> = self
            .read()
            .fetch_all(
                Sql::new(format!(
                    "SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE tenant_id = $1 ORDER BY name, id"
                ))
                .bind(tenant.get()),
            )
            .await?;
        rows.into_iter().map(MailboxRecord::try_from).collect()
    }

    /// Every mailbox of every tenant, by id: for the desk's own upkeep (re-encrypting stored
    /// passwords, finding a mailbox's own addresses).
    pub async fn list_mailboxes_all_tenants(&self) -> Result<Vec<MailboxRecord>, StoreError> {
        let rows: Vec<MailboxRow> = self
            .read()
            .fetch_all(Sql::new(format!(
                "SELECT {MAILBOX_COLUMNS} FROM mailboxes \
                 /* all-tenants: the desk's own upkeep */ ORDER BY id"
            )))
            .await?;
        rows.into_iter().map(MailboxRecord::try_from).collect()
    }

    /// One mailbox.
    pub async fn get_mailbox(
        &self,
        tenant: TenantId,
        id: MailboxId,
    ) -> Result<MailboxRecord, StoreError> {
        let row: Option<MailboxRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE id = $1 AND tenant_id = $2"
                ))
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Leases one enabled IMAP mailbox whose poll is due at `now` and that no live worker
    /// holds, to `owner` until `lease_until`; `None` when there is none. One node polls a
    /// mailbox at a time; a crashed node's lease simply expires.
    pub async fn claim_mailbox(
        &self,
        now: Timestamp,
        owner: &str,
        lease_until: Timestamp,
    ) -> Result<Option<MailboxRecord>, StoreError> {
        let skip_locked = self.read().dialect().skip_locked();
        let mut tx = self.begin().await?;
        let sql = format!(
            "UPDATE mailboxes SET lease_owner = $1, lease_until = $2 WHERE id IN ( \
               SELECT id FROM mailboxes WHERE enabled AND imap_host IS NOT NULL \
               AND (lease_until IS NULL OR lease_until < $3) \
               AND (last_polled_at IS NULL OR last_polled_at + poll_seconds * 1000000 <= $3) \
               ORDER BY COALESCE(last_polled_at, 0), id LIMIT 1{skip_locked}) \
             /* all-tenants: mail intake polls every tenant's mailboxes */ \
             RETURNING {MAILBOX_COLUMNS}"
        );
        let row: Option<MailboxRow> = tx
            .fetch_optional(
                Sql::new(sql)
                    .bind(owner)
                    .bind(lease_until.as_micros())
                    .bind(now.as_micros()),
            )
            .await?;
        tx.commit().await?;
        row.map(MailboxRecord::try_from).transpose()
    }

    /// Extends `owner`'s lease on a mailbox; `false` when the lease was lost.
    pub async fn renew_mailbox_lease(
        &self,
        id: MailboxId,
        owner: &str,
        lease_until: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = self
            .writer()
            .execute(
                Sql::new(
                    "UPDATE mailboxes SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 \
                     /* all-tenants: this node's claim */",
                )
                .bind(lease_until.as_micros())
                .bind(id.get())
                .bind(owner),
            )
            .await?;
        Ok(done == 1)
    }

    /// Records a finished poll (its error, if it failed) and gives the lease back.
    pub async fn finish_mailbox_poll(
        &self,
        id: MailboxId,
        owner: &str,
        now: Timestamp,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        self.write_execute(Sql::new("UPDATE mailboxes SET last_polled_at = $1, last_error = $2, lease_owner = NULL, lease_until = NULL \
             WHERE id = $3 AND lease_owner = $4 /* all-tenants: this node's claim */",).bind(now.as_micros()).bind(error).bind(id.get()).bind(owner))
        .await?;
        Ok(())
    }

    // ----- organisation domains -----

    /// Replaces an organisation's e-mail domains. A domain another organisation has is a
    /// unique `Conflict`.
    pub async fn set_organization_domains(
        &self,
        tenant: TenantId,
        organization: OrganizationId,
        domains: &[String],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new(
                "DELETE FROM organization_domains WHERE organization_id = $1 AND tenant_id = $2",
            )
            .bind(organization.get())
            .bind(tenant.get()),
        )
        .await?;
        for domain in domains {
            tx.execute(
                Sql::new(
                    "INSERT INTO organization_domains (domain, organization_id, tenant_id) VALUES ($1, $2, $3)",
                )
                .bind(domain)
                .bind(organization.get())
                .bind(tenant.get()),
            )
            .await?;
        }
        tx.changed(Change::of(
            Entity::Organization,
            organization.get(),
            "updated",
        ));
        tx.commit().await?;
        Ok(())
    }

    /// Every domain rule: `(domain, organisation)`, by domain.
    pub async fn list_organization_domains(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<(String, OrganizationId)>, StoreError> {
        let rows: Vec<(String, i64)> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT domain, organization_id FROM organization_domains WHERE tenant_id = $1 \
                     ORDER BY domain",
                )
                .bind(tenant.get()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(d, o)| (d, OrganizationId::new(o)))
            .collect())
    }

    /// The organisation whose rule covers `domain`, if any.
    pub async fn organization_for_domain(
        &self,
        tenant: TenantId,
        domain: &str,
    ) -> Result<Option<OrganizationId>, StoreError> {
        let id: Option<i64> = self
            .read()
            .fetch_optional_scalar(
                Sql::new(
                    "SELECT organization_id FROM organization_domains WHERE domain = $1 \
                     AND tenant_id = $2",
                )
                .bind(domain)
                .bind(tenant.get()),
            )
            .await?;
        Ok(id.map(OrganizationId::new))
    }

    // ----- inbound messages -----

    /// Records an inbound message that changed no ticket (held, quarantined, ignored,
    /// refused). The same Message-ID a second time is a unique `Conflict`.
    pub async fn record_inbound(&self, message: &NewInbound) -> Result<InboundId, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx
            .fetch_scalar(
                Sql::new(INSERT_INBOUND)
                    .bind(message.mailbox_id.map(MailboxId::get))
                    .bind(&message.message_id)
                    .bind(&message.raw)
                    .bind(&message.raw_sha256)
                    .bind(message.from_address.as_deref())
                    .bind(&message.subject)
                    .bind(message.received_at.as_micros())
                    .bind(message.outcome.as_str())
                    .bind(&message.reason)
                    .bind(&message.auto_reply)
                    .bind(message.ticket_id.map(|t| t.get()))
                    .bind(message.html.as_deref())
                    .bind(serde_json::to_string(&message.warnings)?)
                    .bind(None::<i64>)
                    .bind(message.tenant_id.get()),
            )
            .await?;
        tx.commit().await?;
        Ok(InboundId::new(id))
    }

    /// The inbound message with this Message-ID, if it was received before.
    pub async fn find_inbound(
        &self,
        tenant: TenantId,
        message_id: &str,
    ) -> Result<Option<InboundRecord>, StoreError> {
        let row: Option<InboundRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {INBOUND_COLUMNS} FROM inbound_messages WHERE message_id = $1 AND tenant_id = $2"
                ))
                .bind(message_id)
                .bind(tenant.get()),
            )
            .await?;
        row.map(InboundRecord::try_from).transpose()
    }

    /// One inbound message.
    pub async fn get_inbound(
        &self,
        tenant: TenantId,
        id: InboundId,
    ) -> Result<InboundRecord, StoreError> {
        let row: Option<InboundRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {INBOUND_COLUMNS} FROM inbound_messages WHERE id = $1 AND tenant_id = $2"
                ))
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// The raw bytes of an inbound message.
    pub async fn inbound_raw(
        &self,
        tenant: TenantId,
        id: InboundId,
    ) -> Result<Vec<u8>, StoreError> {
        let raw: Option<Vec<u8>> = self
            .read()
            .fetch_optional_scalar(
                Sql::new("SELECT raw FROM inbound_messages WHERE id = $1 AND tenant_id = $2")
                    .bind(id.get())
                    .bind(tenant.get()),
            )
            .await?;
        raw.ok_or(StoreError::NotFound)
    }

    /// Inbound messages newest first, before id `before`, at most `limit`; only those with
    /// these outcomes when `outcomes` is not empty; only unsettled ones when `unsettled`.
    pub async fn list_inbound(
        &self,
        tenant: TenantId,
        outcomes: &[InboundOutcome],
        unsettled: bool,
        before: Option<InboundId>,
        limit: i64,
    ) -> Result<Vec<InboundRecord>, StoreError> {
        let mut qb = Sql::new(format!(
            "SELECT {INBOUND_COLUMNS} FROM inbound_messages WHERE 1 = 1"
        ));
        push_tenant(&mut qb, tenant);
        if !outcomes.is_empty() {
            qb.push(" AND outcome IN (");
            qb.push_list(outcomes.iter().map(|o| o.as_str()));
            qb.push(")");
        }
        if unsettled {
            qb.push(" AND settled_at IS NULL");
        }
        if let Some(before) = before {
            qb.push(" AND id < ").push_bind(before.get());
        }
        qb.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
        let rows: Vec<InboundRow> = self.read().fetch_all(qb).await?;
        rows.into_iter().map(InboundRecord::try_from).collect()
    }

    /// Inbound messages of a ticket inside `scope`, oldest first (none for a ticket outside it).
    pub async fn inbound_of_ticket(
        &self,
        ticket: TicketId,
        scope: &Scope,
    ) -> Result<Vec<InboundRecord>, StoreError> {
        let mut sql = Sql::new(format!(
            "SELECT {INBOUND_COLUMNS} FROM inbound_messages WHERE ticket_id IN \
             (SELECT t.id FROM tickets t WHERE t.id = "
        ));
        sql.push_bind(ticket.get());
        push_scope(&mut sql, scope);
        sql.push(") ORDER BY id");
        let rows: Vec<InboundRow> = self.read().fetch_all(sql).await?;
        rows.into_iter().map(InboundRecord::try_from).collect()
    }

    /// Messages received from `address` at or after `since`.
    pub async fn count_inbound_from(
        &self,
        tenant: TenantId,
        address: &str,
        since: Timestamp,
    ) -> Result<i64, StoreError> {
        self.read().fetch_scalar(Sql::new("SELECT COUNT(*) FROM inbound_messages WHERE from_address = $1 AND received_at >= $2 AND tenant_id = $3",).bind(address).bind(since.as_micros()).bind(tenant.get()))
        .await
    }

    /// Outbox messages of these topics queued to `address` at or after `since`.
    pub async fn count_outbox_to(
        &self,
        tenant: TenantId,
        address: &str,
        topics: &[&str],
        since: Timestamp,
    ) -> Result<i64, StoreError> {
        if topics.is_empty() {
            return Ok(0);
        }
        let mut qb = Sql::new("SELECT COUNT(*) FROM outbox WHERE recipient = ");
        qb.push_bind(address)
            .push(" AND created_at >= ")
            .push_bind(since.as_micros())
            .push(" AND topic IN (");
        qb.push_list(topics.iter().copied());
        qb.push(")");
        push_tenant(&mut qb, tenant);
        self.read().fetch_scalar(qb).await
    }

    /// Marks a held or quarantined message as dealt with (released into a ticket, or
    /// dismissed), once: `false` if it was settled already.
    pub async fn settle_inbound(
        &self,
        tenant: TenantId,
        id: InboundId,
        by: UserId,
        ticket: Option<TicketId>,
        note: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = self.write_execute(Sql::new("UPDATE inbound_messages SET settled_at = $1, settled_by = $2, ticket_id = COALESCE($3, ticket_id), \
             reason = reason || ' ' || $4 WHERE id = $5 AND settled_at IS NULL AND tenant_id = $6",).bind(now.as_micros()).bind(by.get()).bind(ticket.map(|t| t.get())).bind(note).bind(id.get()).bind(tenant.get()))
        .await?;
        Ok(done == 1)
    }

    // ----- threads and attachments -----

    /// The ticket one of these Message-IDs belongs to (the first that matches, in order).
    pub async fn ticket_of_messages(
        &self,
        message_ids: &[String],
    ) -> Result<Option<TicketId>, StoreError> {
        if message_ids.is_empty() {
            return Ok(None);
        }
        let mut qb =
            Sql::new("SELECT message_id, ticket_id FROM mail_threads WHERE message_id IN (");
        qb.push_list(message_ids.iter().map(String::as_str));
        qb.push(")");
        let rows: Vec<(String, i64)> = self.read().fetch_all(qb).await?;
        Ok(message_ids.iter().find_map(|m| {
            rows.iter()
                .find(|(id, _)| id == m)
                .map(|(_, t)| TicketId::new(*t))
        }))
    }

    /// The first inbound Message-ID of a ticket (the thread root for replies), if it came by
    /// mail.
    pub async fn thread_root(&self, ticket: TicketId) -> Result<Option<String>, StoreError> {
        self.read().fetch_optional_scalar(Sql::new("SELECT message_id FROM mail_threads WHERE ticket_id = $1 AND NOT outbound ORDER BY created_at, message_id LIMIT 1",).bind(ticket.get()))
        .await
    }

    /// A ticket's attachments (only the requester-visible ones unless `include_internal`).
    pub async fn list_attachments(
        &self,
        ticket: TicketId,
        scope: &Scope,
        include_internal: bool,
    ) -> Result<Vec<AttachmentRecord>, StoreError> {
        let mut sql = Sql::new(format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE (public OR "
        ));
        sql.push_bind(include_internal)
            .push(") AND ticket_id IN (SELECT t.id FROM tickets t WHERE t.id = ")
            .push_bind(ticket.get());
        push_scope(&mut sql, scope);
        sql.push(") ORDER BY id");
        let rows: Vec<AttachmentRow> = self.read().fetch_all(sql).await?;
        Ok(rows.into_iter().map(AttachmentRecord::from).collect())
    }

    /// One attachment with its bytes.
    pub async fn get_attachment(
        &self,
        id: AttachmentId,
    ) -> Result<(AttachmentRecord, Vec<u8>), StoreError> {
        let row: Option<AttachmentRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE id = $1"
                ))
                .bind(id.get()),
            )
            .await?;
        let record = AttachmentRecord::from(row.ok_or(StoreError::NotFound)?);
        let content: Vec<u8> = self
            .read()
            .fetch_scalar(Sql::new("SELECT content FROM attachments WHERE id = $1").bind(id.get()))
            .await?;
        Ok((record, content))
    }

    // ----- preferences -----

    /// The topics a person has switched off.
    pub async fn disabled_topics(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<Vec<String>, StoreError> {
        self.read().fetch_scalars(Sql::new("SELECT topic FROM mail_preferences WHERE user_id = $1 AND tenant_id = $2 AND NOT enabled ORDER BY topic",).bind(user.get()).bind(tenant.get()))
        .await
    }

    /// `(person, topic)` pairs switched off among `users`.
    pub async fn disabled_topics_of(
        &self,
        tenant: TenantId,
        users: &[UserId],
    ) -> Result<HashSet<(UserId, String)>, StoreError> {
        if users.is_empty() {
            return Ok(HashSet::new());
        }
        let mut qb = Sql::new(
            "SELECT user_id, topic FROM mail_preferences WHERE NOT enabled AND user_id IN (",
        );
        qb.push_list(users.iter().map(|u| u.get()));
        qb.push(")");
        push_tenant(&mut qb, tenant);
        let rows: Vec<(i64, String)> = self.read().fetch_all(qb).await?;
        Ok(rows.into_iter().map(|(u, t)| (UserId::new(u), t)).collect())
    }

    /// Sets a person's choice for each topic given.
    pub async fn set_preferences(
        &self,
        user: UserId,
        choices: &[(String, bool)],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        for (topic, enabled) in choices {
            tx.execute(
                Sql::new(
                    "INSERT INTO mail_preferences (user_id, topic, enabled, tenant_id) \
                     VALUES ($1, $2, $3, (SELECT tenant_id FROM users WHERE id = $1)) \
                     ON CONFLICT (user_id, topic) DO UPDATE SET enabled = excluded.enabled",
                )
                .bind(user.get())
                .bind(topic)
                .bind(*enabled),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    // ----- outbox delivery -----

    /// Claims up to `limit` outbox messages of `topic_prefix` due at `now` and not leased by
    /// a live worker, leasing them to `owner` until `lease_until`. Claims never overlap, on
    /// one node or several; a crashed worker's lease expires and another takes the message.
    pub async fn claim_outbox(
        &self,
        topic_prefix: &str,
        now: Timestamp,
        owner: &str,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<OutboxRecord>, StoreError> {
        let skip_locked = self.read().dialect().skip_locked();
        let sql = format!(
            "UPDATE outbox SET lease_owner = $1, locked_until = $2 WHERE id IN ( \
               SELECT id FROM outbox WHERE done_at IS NULL AND dead_at IS NULL AND available_at <= $3 \
               AND (locked_until IS NULL OR locked_until < $3) AND topic LIKE $4 \
               ORDER BY available_at, id LIMIT $5{skip_locked}) \
             /* all-tenants: delivery works through every tenant's outbox */ \
             RETURNING {OUTBOX_COLUMNS}"
        );
        let mut tx = self.begin().await?;
        let rows: Vec<OutboxRow> = tx
            .fetch_all(
                Sql::new(sql)
                    .bind(owner)
                    .bind(lease_until.as_micros())
                    .bind(now.as_micros())
                    .bind(format!("{topic_prefix}%"))
                    .bind(limit),
            )
            .await?;
        tx.commit().await?;
        let mut records: Vec<OutboxRecord> = rows.into_iter().map(OutboxRecord::from).collect();
        records.sort_by_key(|r| (r.available_at, r.id));
        Ok(records)
    }

    /// Extends `owner`'s lease on one claimed message just before it is sent; `false` when the
    /// lease was lost (another worker took it over).
    pub async fn renew_outbox_lease(
        &self,
        id: OutboxId,
        owner: &str,
        lease_until: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = self.write_execute(Sql::new("UPDATE outbox SET locked_until = $1 WHERE id = $2 AND lease_owner = $3 AND done_at IS NULL \
             /* all-tenants: this node's claim */",).bind(lease_until.as_micros()).bind(id.get()).bind(owner))
        .await?;
        Ok(done == 1)
    }

    /// Records a delivery. `false` when `owner` no longer holds the message (it was taken over
    /// after the lease expired; the other worker records its own outcome).
    pub async fn outbox_delivered(
        &self,
        id: OutboxId,
        owner: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = self.write_execute(Sql::new("UPDATE outbox SET done_at = $1, attempts = attempts + 1, last_error = NULL, lease_owner = NULL, locked_until = NULL \
             WHERE id = $2 AND lease_owner = $3 AND done_at IS NULL /* all-tenants: this node's claim */",).bind(now.as_micros()).bind(id.get()).bind(owner))
        .await?;
        Ok(done == 1)
    }

    /// Settles a message without sending it (its recipient switched the notice off, or has no
    /// address any more), with the reason kept as its note.
    pub async fn outbox_skipped(
        &self,
        id: OutboxId,
        owner: &str,
        note: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.write_execute(Sql::new("UPDATE outbox SET done_at = $1, last_error = $2, lease_owner = NULL, locked_until = NULL \
             WHERE id = $3 AND lease_owner = $4 AND done_at IS NULL /* all-tenants: this node's claim */",).bind(now.as_micros()).bind(note).bind(id.get()).bind(owner))
        .await?;
        Ok(())
    }

    /// Threads outbound Message-IDs to a ticket (idempotent).
    pub async fn add_outbound_threads(
        &self,
        ticket: TicketId,
        message_ids: &[String],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        for id in message_ids {
            tx.execute(
                Sql::new(INSERT_THREAD)
                    .bind(id)
                    .bind(ticket.get())
                    .bind(true)
                    .bind(now.as_micros()),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records a failed attempt: retried at `retry_at`, or a dead letter when `retry_at` is
    /// `None`.
    pub async fn outbox_failed(
        &self,
        id: OutboxId,
        owner: &str,
        error: &str,
        now: Timestamp,
        retry_at: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        self.write_execute(Sql::new("UPDATE outbox SET attempts = attempts + 1, last_error = $1, available_at = COALESCE($2, available_at), \
             dead_at = CASE WHEN $2 IS NULL THEN $3 ELSE NULL END, lease_owner = NULL, locked_until = NULL \
             WHERE id = $4 AND lease_owner = $5 AND done_at IS NULL /* all-tenants: this node's claim */",).bind(error).bind(retry_at.map(|t| t.as_micros())).bind(now.as_micros()).bind(id.get()).bind(owner))
        .await?;
        Ok(())
    }

    /// Outbox messages in `state`, newest first, before id `before`, at most `limit`.
    pub async fn list_outbox(
        &self,
        tenant: TenantId,
        state: Option<OutboxState>,
        before: Option<OutboxId>,
        limit: i64,
    ) -> Result<Vec<OutboxRecord>, StoreError> {
        let condition = state.map_or("TRUE", outbox_condition);
        let mut qb = Sql::new(format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE {condition}"
        ));
        push_tenant(&mut qb, tenant);
        if let Some(before) = before {
            qb.push(" AND id < ").push_bind(before.get());
        }
        qb.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
        let rows: Vec<OutboxRow> = self.read().fetch_all(qb).await?;
        Ok(rows.into_iter().map(OutboxRecord::from).collect())
    }

    /// One outbox message.
    pub async fn get_outbox(
        &self,
        tenant: TenantId,
        id: OutboxId,
    ) -> Result<OutboxRecord, StoreError> {
        let row: Option<OutboxRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = $1 AND tenant_id = $2"
                ))
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        Ok(row.ok_or(StoreError::NotFound)?.into())
    }

    /// Puts a dead letter back in the queue, due at `now` with its attempts reset; `false` if
    /// it is not a dead letter.
    pub async fn retry_outbox(
        &self,
        tenant: TenantId,
        id: OutboxId,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = self.write_execute(Sql::new("UPDATE outbox SET dead_at = NULL, attempts = 0, available_at = $1, lease_owner = NULL, locked_until = NULL \
             WHERE id = $2 AND dead_at IS NOT NULL AND done_at IS NULL AND tenant_id = $3",).bind(now.as_micros()).bind(id.get()).bind(tenant.get()))
        .await?;
        Ok(done == 1)
    }

    /// Counts of outbox messages: `(pending, dead)`.
    pub async fn outbox_counts(&self, tenant: TenantId) -> Result<(i64, i64), StoreError> {
        let pending: i64 = self
            .read()
            .fetch_scalar(
                Sql::new(
                    "SELECT COUNT(*) FROM outbox WHERE done_at IS NULL AND dead_at IS NULL \
                     AND tenant_id = $1",
                )
                .bind(tenant.get()),
            )
            .await?;
        let dead: i64 = self
            .read()
            .fetch_scalar(
                Sql::new(
                    "SELECT COUNT(*) FROM outbox WHERE dead_at IS NOT NULL AND done_at IS NULL \
                     AND tenant_id = $1",
                )
                .bind(tenant.get()),
            )
            .await?;
        Ok((pending, dead))
    }

    // ----- one-time action links -----

    /// Stores a one-time link for `action` (`confirm` or `reopen`) on a ticket for a person.
    pub async fn create_action_token(
        &self,
        token_hash: &str,
        ticket: TicketId,
        user: UserId,
        action: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.write_execute(Sql::new("INSERT INTO mail_action_tokens (token_hash, ticket_id, user_id, action, created_at, expires_at, tenant_id) \
             VALUES ($1, $2, $3, $4, $5, $6, (SELECT tenant_id FROM tickets WHERE id = $2))",).bind(token_hash).bind(ticket.get()).bind(user.get()).bind(action).bind(now.as_micros()).bind(expires_at.as_micros()))
        .await?;
        Ok(())
    }

    /// The link with this hash, if it exists: `(ticket, person, action, expires, used)`.
    pub async fn find_action_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<ActionTokenRecord>, StoreError> {
        let row: Option<(i64, i64, i64, String, i64, Option<i64>)> = self.read().fetch_optional(Sql::new("SELECT tenant_id, ticket_id, user_id, action, expires_at, used_at FROM mail_action_tokens WHERE token_hash = $1 \
             /* all-tenants: a link is found by its hash, before the tenant is known */",).bind(token_hash))
        .await?;
        Ok(row.map(
            |(tenant, ticket, user, action, expires, used)| ActionTokenRecord {
                tenant_id: TenantId::new(tenant),
                ticket_id: TicketId::new(ticket),
                user_id: UserId::new(user),
                action,
                expires_at: Timestamp::from_micros(expires),
                used_at: used.map(Timestamp::from_micros),
            },
        ))
    }

    /// Uses a link, once: `false` if it was used already.
    pub async fn use_action_token(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = self.write_execute(Sql::new("UPDATE mail_action_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
             /* all-tenants: by its hash */").bind(now.as_micros()).bind(token_hash))
            .await?;
        Ok(done == 1)
    }
}

/// A one-time action link as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionTokenRecord {
    /// The tenant of the ticket.
    pub tenant_id: TenantId,
    /// The ticket.
    pub ticket_id: TicketId,
    /// Whose link it is.
    pub user_id: UserId,
    /// `confirm` or `reopen`.
    pub action: String,
    /// Not valid after.
    pub expires_at: Timestamp,
    /// When it was used.
    pub used_at: Option<Timestamp>,
}

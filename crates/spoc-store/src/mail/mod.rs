//! The e-mail channel in storage: mailboxes (with a lease so one node polls each), organisation
//! domain rules, every inbound message kept raw with its outcome and reason, attachments,
//! the Message-IDs that thread mail to tickets, people's notification opt-outs, and the outbox
//! worker's claims, retries and dead letters.
//!
//! Inbound messages that change a ticket are written by the ticket transaction itself (see
//! [`MailWrite`] on [`crate::TicketDraft`] and [`crate::TicketChange`]), so a message is recorded
//! exactly when its ticket change is committed.

mod attachments;
mod inbound;
mod mailboxes;
mod outbox;
mod preferences;
mod tenant_addresses;

pub use spoc_domain::mail::{ImapSecurity, InboundOutcome, OutboxState};
use spoc_domain::mail::{NonParticipants, UnknownSenders};
use spoc_domain::ticket::TicketKind;
use spoc_domain::{
    AttachmentId, EventId, InboundId, MailboxId, OutboxId, TenantId, TicketId, Timestamp, UserId,
};

use crate::StoreError;
use crate::db::Sql;

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

//! The e-mail channel's read models and inputs as the app hands them out and takes them in:
//! mailboxes (never with their password), the IMAP settings an admin types, inbound messages and
//! outbox messages. Adapters convert from these, never from the store's rows.

use spoc_domain::mail::{
    ImapSecurity, InboundOutcome, NonParticipants, OutboxState, UnknownSenders,
};
use spoc_domain::ticket::TicketKind;
use spoc_domain::{EventId, InboundId, MailboxId, OutboxId, TenantId, TicketId, Timestamp, UserId};

/// A mailbox the desk receives mail in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mailbox {
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
    /// The IMAP server it is read from, if it is polled (else it only takes delivered mail).
    pub imap: Option<ImapServer>,
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

/// Where and as whom a mailbox is read over IMAP, without the password (which only the poller
/// gets, through `App::imap_sign_in`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImapServer {
    /// Server host name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Implicit TLS or STARTTLS.
    pub security: ImapSecurity,
    /// Login name.
    pub username: String,
    /// Whether a password is stored (encrypted at rest).
    pub has_password: bool,
    /// Extra trusted CA certificate (PEM) for a server with a private CA.
    pub ca_certificate: Option<String>,
}

/// How Spoc reaches a mailbox over IMAP, password included: what an admin types, and what the
/// poller signs in with.
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
    /// Password (empty on a replacement: keep the stored one). Never logged, never shown.
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

/// A mailbox to add or replace.
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

/// An inbound message as the desk keeps it (without the raw bytes, which only admins download).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundMessage {
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

/// An outbox message as admins see it (without its payload).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Id.
    pub id: OutboxId,
    /// Topic.
    pub topic: String,
    /// Unique key (the same change never queues the same message twice).
    pub idempotency_key: String,
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

impl OutboxEntry {
    /// Where it is: sent once delivered, dead once given up on, else pending.
    pub fn state(&self) -> OutboxState {
        match (self.done_at, self.dead_at) {
            (Some(_), _) => OutboxState::Sent,
            (None, Some(_)) => OutboxState::Dead,
            (None, None) => OutboxState::Pending,
        }
    }
}

impl Mailbox {
    /// The read model of the stored row.
    pub(crate) fn from_record(r: spoc_store::MailboxRecord) -> Self {
        Self {
            id: r.id,
            tenant_id: r.tenant_id,
            name: r.name,
            address: r.address,
            enabled: r.enabled,
            imap: r.imap.map(|i| ImapServer {
                has_password: !i.password.is_empty(),
                host: i.host,
                port: i.port,
                security: i.security,
                username: i.username,
                ca_certificate: i.ca_certificate,
            }),
            folder: r.folder,
            processed_folder: r.processed_folder,
            unknown_senders: r.unknown_senders,
            non_participants: r.non_participants,
            ticket_kind: r.ticket_kind,
            poll_seconds: r.poll_seconds,
            last_polled_at: r.last_polled_at,
            last_error: r.last_error,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl ImapSettings {
    /// The settings as stored, the password as the caller has it (decrypted to sign in).
    pub(crate) fn from_record(s: spoc_store::ImapSettings) -> Self {
        Self {
            host: s.host,
            port: s.port,
            security: s.security,
            username: s.username,
            password: s.password,
            ca_certificate: s.ca_certificate,
        }
    }

    /// The settings to store.
    pub(crate) fn into_record(self) -> spoc_store::ImapSettings {
        spoc_store::ImapSettings {
            host: self.host,
            port: self.port,
            security: self.security,
            username: self.username,
            password: self.password,
            ca_certificate: self.ca_certificate,
        }
    }
}

impl MailboxInput {
    /// The mailbox to store.
    pub(crate) fn into_record(self) -> spoc_store::MailboxInput {
        spoc_store::MailboxInput {
            name: self.name,
            address: self.address,
            enabled: self.enabled,
            imap: self.imap.map(ImapSettings::into_record),
            folder: self.folder,
            processed_folder: self.processed_folder,
            unknown_senders: self.unknown_senders,
            non_participants: self.non_participants,
            ticket_kind: self.ticket_kind,
            poll_seconds: self.poll_seconds,
        }
    }
}

impl InboundMessage {
    /// The read model of the stored row.
    pub(crate) fn from_record(r: spoc_store::InboundRecord) -> Self {
        Self {
            id: r.id,
            mailbox_id: r.mailbox_id,
            message_id: r.message_id,
            size: r.size,
            from_address: r.from_address,
            subject: r.subject,
            received_at: r.received_at,
            outcome: r.outcome,
            reason: r.reason,
            auto_reply: r.auto_reply,
            ticket_id: r.ticket_id,
            event_id: r.event_id,
            html: r.html,
            warnings: r.warnings,
            settled_at: r.settled_at,
            settled_by: r.settled_by,
        }
    }
}

impl OutboxEntry {
    /// The read model of the stored row.
    pub(crate) fn from_record(r: spoc_store::OutboxRecord) -> Self {
        Self {
            id: r.id,
            topic: r.topic,
            idempotency_key: r.idempotency_key,
            recipient: r.recipient,
            ticket_id: r.ticket_id,
            created_at: r.created_at,
            available_at: r.available_at,
            attempts: r.attempts,
            last_error: r.last_error,
            done_at: r.done_at,
            dead_at: r.dead_at,
        }
    }
}

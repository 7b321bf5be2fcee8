//! The wire types of the e-mail channel: mailboxes, inbound messages, the outbox, domains,
//! preferences and attachments.

use serde::{Deserialize, Serialize};
use spoc_app::{Attachment, InboundMessage, IngestResult, Mailbox, OutboxEntry};
use spoc_domain::{MailboxId, TicketId};
use utoipa::{IntoParams, ToSchema};

use spoc_http::params::time;

/// A mailbox as the API shows it. The IMAP password is never shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailboxDto {
    /// Id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// The desk's address for this mailbox.
    pub address: String,
    /// Polled and accepting delivery.
    pub enabled: bool,
    /// IMAP server, when the mailbox is polled.
    pub imap_host: Option<String>,
    /// IMAP port.
    pub imap_port: Option<u16>,
    /// `tls` or `starttls`.
    pub imap_security: Option<String>,
    /// IMAP login.
    pub imap_username: Option<String>,
    /// Whether an IMAP password is stored (encrypted at rest; it is never returned).
    pub has_password: bool,
    /// The same as `has_password`, under its earlier name.
    #[schema(deprecated)]
    pub imap_password_set: bool,
    /// Whether an extra CA certificate is stored.
    pub ca_certificate_set: bool,
    /// Folder read.
    pub folder: String,
    /// Folder processed mail is moved to (`null`: flagged in place).
    pub processed_folder: Option<String>,
    /// `create` or `refuse`.
    pub unknown_senders: String,
    /// `new_ticket` or `hold`.
    pub non_participants: String,
    /// `incident` or `service_request`.
    pub ticket_kind: String,
    /// Seconds between polls.
    pub poll_seconds: i64,
    /// Last poll.
    pub last_polled_at: Option<String>,
    /// What went wrong at the last poll.
    pub last_error: Option<String>,
}

impl From<Mailbox> for MailboxDto {
    fn from(m: Mailbox) -> Self {
        let imap = m.imap.as_ref();
        Self {
            id: m.id.get(),
            name: m.name,
            address: m.address,
            enabled: m.enabled,
            imap_host: imap.map(|i| i.host.clone()),
            imap_port: imap.map(|i| i.port),
            imap_security: imap.map(|i| i.security.as_str().to_owned()),
            imap_username: imap.map(|i| i.username.clone()),
            has_password: imap.is_some_and(|i| i.has_password),
            imap_password_set: imap.is_some_and(|i| i.has_password),
            ca_certificate_set: imap.is_some_and(|i| i.ca_certificate.is_some()),
            folder: m.folder,
            processed_folder: m.processed_folder,
            unknown_senders: m.unknown_senders.as_str().to_owned(),
            non_participants: m.non_participants.as_str().to_owned(),
            ticket_kind: m.ticket_kind.as_str().to_owned(),
            poll_seconds: m.poll_seconds,
            last_polled_at: m.last_polled_at.map(time),
            last_error: m.last_error,
        }
    }
}

/// A mailbox to create or replace.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxInputDto {
    /// Unique name.
    pub name: String,
    /// The desk's address for this mailbox.
    pub address: String,
    /// Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// IMAP server; leave out for a mailbox that only takes delivered mail.
    pub imap_host: Option<String>,
    /// Default 993 for `tls`, 143 for `starttls`.
    pub imap_port: Option<u16>,
    /// `tls` (default) or `starttls`.
    pub imap_security: Option<String>,
    /// IMAP login.
    pub imap_username: Option<String>,
    /// IMAP password; leave out on a replacement to keep the stored one.
    pub imap_password: Option<String>,
    /// Extra trusted CA certificate (PEM), for a server with a private CA.
    pub ca_certificate: Option<String>,
    /// Folder read; default `INBOX`.
    pub folder: Option<String>,
    /// Folder processed mail is moved to; leave out to flag it in place.
    pub processed_folder: Option<String>,
    /// `create` (default) or `refuse`.
    #[schema(schema_with = crate::schema::unknown_senders_or_null)]
    pub unknown_senders: Option<String>,
    /// `new_ticket` (default) or `hold`.
    #[schema(schema_with = crate::schema::non_participants_or_null)]
    pub non_participants: Option<String>,
    /// `incident` (default) or `service_request`.
    #[schema(schema_with = crate::schema::ticket_kind_or_null)]
    pub ticket_kind: Option<String>,
    /// Seconds between polls, 10–3600; default 60.
    pub poll_seconds: Option<i64>,
}

fn yes() -> bool {
    true
}

/// What became of an inbound message.
#[derive(Debug, Serialize, ToSchema)]
pub struct IngestDto {
    /// The inbound record.
    pub inbound_id: i64,
    /// Its Message-ID.
    pub message_id: String,
    /// `ticket_created`, `reply_added`, `held`, `quarantined`, `ignored` or `refused`.
    pub outcome: String,
    /// Why.
    pub reason: String,
    /// The ticket it created or joined.
    pub ticket_id: Option<i64>,
    /// That ticket's reference.
    pub ticket_number: Option<String>,
    /// It had been received before and was not processed again.
    pub duplicate: bool,
}

impl From<IngestResult> for IngestDto {
    fn from(r: IngestResult) -> Self {
        Self {
            inbound_id: r.inbound_id.get(),
            message_id: r.message_id,
            outcome: r.outcome.as_str().to_owned(),
            reason: r.reason,
            ticket_id: r.ticket.as_ref().map(|(id, _)| id.get()),
            ticket_number: r.ticket.map(|(_, n)| n).filter(|n| !n.is_empty()),
            duplicate: r.duplicate,
        }
    }
}

/// Where delivered mail goes.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliverParams {
    /// The mailbox's name (its rules for unknown senders and non-participants apply).
    pub mailbox: Option<String>,
    /// The envelope recipient (`RCPT TO`), when the MTA knows it: mail the provider receives
    /// lands in the tenant this address belongs to (see `docs/mail.md`).
    #[param(max_length = 254)]
    pub recipient: Option<String>,
}

/// An inbound message in the log.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboundDto {
    /// Id.
    pub id: i64,
    /// Mailbox.
    pub mailbox_id: Option<i64>,
    /// Message-ID.
    pub message_id: String,
    /// Size in bytes.
    pub size: i64,
    /// Sender.
    pub from: Option<String>,
    /// Subject.
    pub subject: String,
    /// Received.
    pub received_at: String,
    /// What became of it.
    pub outcome: String,
    /// Why.
    pub reason: String,
    /// Whether an automatic answer was sent, or why not.
    pub auto_reply: String,
    /// The ticket it created or joined.
    pub ticket_id: Option<i64>,
    /// Problems met while reading it.
    pub warnings: Vec<String>,
    /// When a held or quarantined message was dealt with.
    pub settled_at: Option<String>,
}

impl From<InboundMessage> for InboundDto {
    fn from(r: InboundMessage) -> Self {
        Self {
            id: r.id.get(),
            mailbox_id: r.mailbox_id.map(MailboxId::get),
            message_id: r.message_id,
            size: r.size,
            from: r.from_address,
            subject: r.subject,
            received_at: time(r.received_at),
            outcome: r.outcome.as_str().to_owned(),
            reason: r.reason,
            auto_reply: r.auto_reply,
            ticket_id: r.ticket_id.map(TicketId::get),
            warnings: r.warnings,
            settled_at: r.settled_at.map(time),
        }
    }
}

/// Filters of the inbound log.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InboundParams {
    /// Comma-separated outcomes (`held,quarantined`…).
    pub outcome: Option<String>,
    /// Only held or quarantined messages nobody dealt with yet.
    pub unsettled: Option<bool>,
    /// Older than this id (paging).
    pub before: Option<i64>,
    /// At most this many (default 50, at most 200).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// What to do with a held or quarantined message.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseDto {
    /// For `into_ticket`: the ticket to add it to as an internal note.
    pub ticket_id: Option<i64>,
}

/// An outbox message.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxDto {
    /// Id.
    pub id: i64,
    /// Topic, e.g. `mail.agent_reply`.
    pub topic: String,
    /// Its unique key.
    pub idempotency_key: String,
    /// Recipient address, when known before sending.
    pub recipient: Option<String>,
    /// The ticket it is about.
    pub ticket_id: Option<i64>,
    /// `pending`, `sent` or `dead`.
    pub state: String,
    /// Queued.
    pub created_at: String,
    /// Next attempt not before.
    pub available_at: String,
    /// Attempts so far.
    pub attempts: i64,
    /// The last failure (or why it was not sent).
    pub last_error: Option<String>,
    /// Delivered.
    pub done_at: Option<String>,
    /// Given up on.
    pub dead_at: Option<String>,
}

impl From<OutboxEntry> for OutboxDto {
    fn from(r: OutboxEntry) -> Self {
        let state = r.state();
        Self {
            id: r.id.get(),
            topic: r.topic,
            idempotency_key: r.idempotency_key,
            recipient: r.recipient,
            ticket_id: r.ticket_id.map(TicketId::get),
            state: state.as_str().to_owned(),
            created_at: time(r.created_at),
            available_at: time(r.available_at),
            attempts: r.attempts,
            last_error: r.last_error,
            done_at: r.done_at.map(time),
            dead_at: r.dead_at.map(time),
        }
    }
}

/// Which outbox messages.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutboxParams {
    /// `pending`, `sent` or `dead`; absent for every message.
    #[param(schema_with = crate::schema::outbox_state)]
    pub state: Option<String>,
    /// Older than this id (paging).
    pub before: Option<i64>,
    /// At most this many (default 50, at most 200).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// Which mail servers' `Authentication-Results` the desk trusts to prove who sent a message.
/// The schema of the trusted authserv-ids: host names as the app checks them, at most 20.
fn authserv_ids_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(253))
                .pattern(Some("^[A-Za-z0-9_]([A-Za-z0-9._-]*[A-Za-z0-9_])?$")),
        )
        .max_items(Some(20))
        .build()
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailAuthenticationDto {
    /// The authserv-ids of the receiving mail servers (the name each puts first in its
    /// `Authentication-Results`, e.g. `mx.example.com`), at most 20. Mail in a staff member's
    /// name is posted as them only when the topmost results of one of these servers say
    /// `dmarc=pass`, or `dkim=pass`/`spf=pass` for the `From` domain; otherwise it is held for
    /// review. Empty (the default): nobody is trusted, and all such mail is held.
    #[schema(schema_with = authserv_ids_schema)]
    pub trusted_authserv_ids: Vec<String>,
}

/// An organisation's e-mail domains.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainsDto {
    /// Domains like `example.com`: unknown senders from them become the organisation's
    /// customers.
    pub domains: Vec<String>,
}

/// One notification topic, what it is, and whether it is on.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreferenceDto {
    /// The topic, e.g. `agent_reply`.
    pub topic: String,
    /// Whether e-mails of this topic are sent.
    pub email: bool,
    /// What it is, for a person.
    pub description: String,
}

/// Switching one notification topic on or off.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferenceInputDto {
    /// The topic: one of the caller's, as `GET /api/v1/me/notification-preferences` lists them.
    #[schema(schema_with = crate::schema::notice_topic)]
    pub topic: String,
    /// Whether e-mails of this topic are sent.
    pub email: bool,
}

/// An attachment of a ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentDto {
    /// Id.
    pub id: i64,
    /// Ticket.
    pub ticket_id: i64,
    /// The history event it belongs to.
    pub event_id: Option<i64>,
    /// Safe file name.
    pub filename: String,
    /// Media type.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256.
    pub sha256: String,
    /// An inline image of an e-mail.
    pub inline: bool,
    /// Where to download it.
    pub url: String,
}

impl From<Attachment> for AttachmentDto {
    fn from(a: Attachment) -> Self {
        Self {
            url: format!("/api/v1/attachments/{}", a.id),
            id: a.id.get(),
            ticket_id: a.ticket_id.get(),
            event_id: a.event_id.map(|e| e.get()),
            filename: a.filename,
            content_type: a.content_type,
            size: a.size,
            sha256: a.sha256,
            inline: a.inline,
        }
    }
}

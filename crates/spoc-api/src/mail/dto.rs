//! The wire types of the e-mail channel: mailboxes, inbound messages, the outbox, domains,
//! preferences and attachments.

use serde::{Deserialize, Serialize};
use spoc_app::Mailbox;
use utoipa::ToSchema;

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

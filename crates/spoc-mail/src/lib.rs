//! Spoc's wire-level mail code: inbound RFC 5322 messages become [`Inbound`] values, HTML from
//! mail is sanitised for display, and outbound notifications are rendered ([`Notice`]) and built
//! into RFC 5322 bytes ([`build`]).
//!
//! Everything here is a pure function: no I/O, no async, no database and no clock reads. Callers
//! pass the raw bytes, the limits and the current time in, and decide what to do with the result
//! (create a ticket, add a comment, quarantine, send).
//!
//! The pieces:
//!
//! - [`parse`] reads one message with `mail-parser` and never panics. It picks the best plain
//!   text and the sanitised HTML, keeps attachments within [`Limits`] and lists the rest in
//!   [`Inbound::rejected`], keeps forwarded messages, and classifies automated mail
//!   ([`Automation`]) so that no auto-reply loop can start.
//! - [`sanitize_html`] and [`rewrite_cid_images`] make untrusted HTML safe to show: an allowlist
//!   of formatting tags, no scripts or styles, safe links only, remote images not loaded.
//! - [`safe_filename`] turns an attachment's name into one that is safe to show and to offer for
//!   download.
//! - [`strip_reply_prefixes`], [`ticket_reference`] and [`format_ticket_subject`] handle subjects
//!   and the `[INC-000042]` reference that threads mail to tickets.
//! - [`build`] writes an [`Outgoing`] message with stable ids, threading and loop-protection
//!   headers; header injection is impossible because every header value is cleaned and every
//!   [`Address`] is validated.
//! - [`reply_text`] keeps the new part of a reply and drops the quoted history.
//! - [`Notice`] renders the subject, plain text and HTML of each notification from one view model.

mod address;
mod filename;
mod html;
mod inbound;
mod notice;
mod notice_text;
mod outbound;
mod reply;
mod subject;
mod text;

pub use address::{Address, AddressError};
pub use filename::safe_filename;
pub use html::{
    DEFAULT_MAX_HTML_BYTES, SanitizedHtml, html_to_text, rewrite_cid_images, sanitize_html,
    sanitize_html_limited,
};
pub use inbound::{
    Attachment, AuthResult, AuthResults, Automation, AutomationKind, AutomationSignal, Inbound,
    Limits, NO_READABLE_TEXT, ParseError, RejectedAttachment, ReturnPath, parse,
};
pub use notice::{Notice, Rendered, TicketSummary};
pub use outbound::{BuildError, ExtraHeader, Outgoing, build, message_id_for};
pub use reply::reply_text;
pub use subject::{TicketRef, format_ticket_subject, strip_reply_prefixes, ticket_reference};

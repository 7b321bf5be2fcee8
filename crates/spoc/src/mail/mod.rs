//! The e-mail channel's network side, run by `spoc serve`: the SMTP relay that delivers the
//! outbox ([`smtp`]) and the IMAP pollers that read mailboxes ([`imap`]). Both only move bytes
//! and call the app's use cases; what mail means is decided there.

pub mod imap;
pub mod smtp;

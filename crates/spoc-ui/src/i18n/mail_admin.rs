//! Messages of the admin's mail pages (mailboxes, inbound, outbox, relay).

use super::catalogue;

catalogue! {
    /// A message of the admin's mail pages (mailboxes, inbound, outbox, relay).
    MailAdmin {
    }
}

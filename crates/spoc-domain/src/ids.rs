//! Typed identifiers, so that a group id can never be passed where a user id is expected.

use std::fmt;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// Wraps a raw database id.
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }

            /// The raw database id.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

typed_id!(
    /// A ticket (incident, service request, and later problem and change).
    TicketId
);
typed_id!(
    /// A person: customer, agent, lead or admin.
    UserId
);
typed_id!(
    /// A customer organisation.
    OrganizationId
);
typed_id!(
    /// A resolver group.
    GroupId
);
typed_id!(
    /// A category or subcategory of the taxonomy.
    CategoryId
);
typed_id!(
    /// A business service.
    ServiceId
);
typed_id!(
    /// One entry of a ticket's history.
    EventId
);
typed_id!(
    /// A knowledge article.
    ArticleId
);
typed_id!(
    /// A standard operating procedure.
    SopId
);
typed_id!(
    /// A review of an SOP (scheduled, or opened early by its tickets' signals).
    SopReviewId
);
typed_id!(
    /// A business-hours calendar of the SLA setup.
    CalendarId
);
typed_id!(
    /// An SLA policy.
    PolicyId
);
typed_id!(
    /// A mailbox the desk reads mail from.
    MailboxId
);
typed_id!(
    /// One inbound e-mail as received (a ticket, a reply, or held, quarantined, ignored).
    InboundId
);
typed_id!(
    /// A file attached to a ticket (from an e-mail or an upload).
    AttachmentId
);
typed_id!(
    /// A message waiting in, or delivered from, the outbox.
    OutboxId
);
typed_id!(
    /// An API token.
    TokenId
);
typed_id!(
    /// An in-app notification.
    NotificationId
);
typed_id!(
    /// A canned response: a reply text kept for reuse.
    CannedResponseId
);
typed_id!(
    /// An LDAP / Active Directory directory people sign in with and are imported from.
    DirectoryId
);

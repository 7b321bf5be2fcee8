//! The ticket record: kinds, human references, statuses and the current state of one ticket.

use std::fmt;

use crate::org::Tier;
use crate::priority::{Impact, Priority, PriorityMatrix, Urgency};
use crate::text::ValidationError;
use crate::{CategoryId, GroupId, OrganizationId, ServiceId, TicketId, Timestamp, UserId};

macro_rules! name_enum {
    ($(#[$doc:meta])* $name:ident, $field:literal { $($(#[$vdoc:meta])* $variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[derive(serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            /// Every value.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The wire and storage name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }

            /// Parses a wire or storage name.
            pub fn parse(value: &str) -> Result<Self, ValidationError> {
                Self::ALL.iter().copied().find(|v| v.as_str() == value).ok_or_else(|| {
                    let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    ValidationError::new($field, format!("must be one of: {}", names.join(", ")))
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use name_enum;

name_enum!(
    /// What sort of record a ticket is. Problems and changes will join with lifecycles of their
    /// own (`lifecycle::Lifecycle`); the number prefix keeps references readable.
    TicketKind, "kind" {
        /// An unplanned interruption or reduction in quality of a service.
        Incident => "incident",
        /// A user's request for something standard.
        ServiceRequest => "service_request",
    }
);

impl TicketKind {
    /// The reference prefix: `INC`, `REQ`.
    pub const fn prefix(self) -> &'static str {
        match self {
            Self::Incident => "INC",
            Self::ServiceRequest => "REQ",
        }
    }
}

name_enum!(
    /// Where a ticket is in its lifecycle.
    Status, "status" {
        /// Logged, in a group's queue, nobody assigned.
        New => "new",
        /// An agent is assigned but has not started.
        Assigned => "assigned",
        /// Being worked.
        InProgress => "in_progress",
        /// Waiting on the user, a third party or a change; see [`PendingReason`].
        Pending => "pending",
        /// A fix or fulfilment was delivered; waiting for the user's confirmation.
        Resolved => "resolved",
        /// Finished. Terminal.
        Closed => "closed",
        /// Withdrawn or not needed. Terminal.
        Cancelled => "cancelled",
    }
);

impl Status {
    /// Whether the ticket still needs work or confirmation (not closed or cancelled).
    pub const fn is_open(self) -> bool {
        !matches!(self, Self::Closed | Self::Cancelled)
    }

    /// Whether the desk still owes work (new, assigned, in progress, pending).
    pub const fn is_active(self) -> bool {
        matches!(
            self,
            Self::New | Self::Assigned | Self::InProgress | Self::Pending
        )
    }
}

name_enum!(
    /// Why a ticket is pending.
    PendingReason, "reason" {
        /// The desk asked the user something.
        AwaitingUser => "awaiting_user",
        /// A supplier or other outside party is working on it.
        AwaitingThirdParty => "awaiting_third_party",
        /// A change must be implemented first.
        AwaitingChange => "awaiting_change",
    }
);

name_enum!(
    /// How a ticket was resolved.
    ResolutionCode, "code" {
        /// The cause was fixed or the request fulfilled.
        Solved => "solved",
        /// A workaround restores the service; the cause remains.
        Workaround => "workaround",
        /// Could not be reproduced.
        NotReproducible => "not_reproducible",
        /// Already handled by another ticket.
        Duplicate => "duplicate",
        /// Not a fault: advice or training given.
        Advice => "advice",
        /// Not something the desk can or will do.
        Rejected => "rejected",
    }
);

impl ResolutionCode {
    /// The resolution as people read it (pages and mail).
    pub const fn label(self) -> &'static str {
        match self {
            Self::Solved => "Solved",
            Self::Workaround => "Workaround provided",
            Self::NotReproducible => "Could not reproduce",
            Self::Duplicate => "Duplicate of another ticket",
            Self::Advice => "Advice given",
            Self::Rejected => "Rejected",
        }
    }
}

name_enum!(
    /// How the ticket reached the desk.
    Channel, "channel" {
        /// The self-service portal.
        Portal => "portal",
        /// The API.
        Api => "api",
        /// An agent logged it for a caller.
        Phone => "phone",
        /// E-mail.
        Email => "email",
        /// Chat.
        Chat => "chat",
        /// A monitoring tool.
        Monitoring => "monitoring",
    }
);

/// A ticket's human reference, such as `INC-000042`: the kind's prefix and the ticket id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TicketNumber {
    kind: TicketKind,
    id: TicketId,
}

impl TicketNumber {
    /// The reference of ticket `id` of kind `kind`.
    pub const fn new(kind: TicketKind, id: TicketId) -> Self {
        Self { kind, id }
    }

    /// Parses `INC-000042` (prefix case-insensitive, leading zeros optional).
    pub fn parse(value: &str) -> Option<Self> {
        let (prefix, digits) = value.trim().split_once('-')?;
        let kind = TicketKind::ALL
            .iter()
            .copied()
            .find(|k| k.prefix().eq_ignore_ascii_case(prefix))?;
        if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let id: i64 = digits.parse().ok()?;
        (id > 0).then_some(Self {
            kind,
            id: TicketId::new(id),
        })
    }

    /// The kind named by the prefix.
    pub const fn kind(self) -> TicketKind {
        self.kind
    }

    /// The ticket id.
    pub const fn id(self) -> TicketId {
        self.id
    }
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:06}", self.kind.prefix(), self.id.get())
    }
}

/// The current state of one ticket. Changed only through [`crate::lifecycle`] and
/// [`crate::ticket::FieldEdit`], which also return the events that record each change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket {
    /// Database id; the number is derived from it.
    pub id: TicketId,
    /// Incident or service request.
    pub kind: TicketKind,
    /// One-line summary.
    pub title: String,
    /// What the requester wrote.
    pub description: String,
    /// Lifecycle state.
    pub status: Status,
    /// Set exactly when `status` is pending.
    pub pending_reason: Option<PendingReason>,
    /// How much is affected.
    pub impact: Impact,
    /// How soon it is needed.
    pub urgency: Urgency,
    /// Derived from impact × urgency unless overridden.
    pub priority: Priority,
    /// Whether an agent set the priority by hand (with a recorded rationale).
    pub priority_overridden: bool,
    /// Who the ticket is for.
    pub requester_id: UserId,
    /// The requester's organisation at logging time.
    pub organization_id: Option<OrganizationId>,
    /// The owning resolver group. Every ticket has one.
    pub group_id: GroupId,
    /// The agent working it, a member of `group_id`.
    pub assignee_id: Option<UserId>,
    /// The tier of `group_id`.
    pub tier: Tier,
    /// Category of the taxonomy.
    pub category_id: Option<CategoryId>,
    /// Subcategory, a child of `category_id`.
    pub subcategory_id: Option<CategoryId>,
    /// The affected business service.
    pub service_id: Option<ServiceId>,
    /// How it reached the desk.
    pub channel: Channel,
    /// The external supplier's own reference, when a supplier group works it.
    pub supplier_reference: Option<String>,
    /// Set while resolved or closed.
    pub resolution_code: Option<ResolutionCode>,
    /// What was done, for the requester.
    pub resolution_notes: Option<String>,
    /// Number of group changes after logging.
    pub reassignment_count: i64,
    /// Number of reopenings.
    pub reopen_count: i64,
    /// Number of functional escalations.
    pub escalation_count: i64,
    /// Whether a lead has been alerted (hierarchical escalation) since the ticket was last resolved.
    pub escalated: bool,
    /// When it was logged.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// The desk's first public reply.
    pub first_response_at: Option<Timestamp>,
    /// The latest resolution.
    pub resolved_at: Option<Timestamp>,
    /// When it was closed or cancelled.
    pub closed_at: Option<Timestamp>,
    /// Optimistic-concurrency version, incremented by every change.
    pub version: i64,
}

impl Ticket {
    /// The human reference, e.g. `INC-000042`.
    pub fn number(&self) -> TicketNumber {
        TicketNumber::new(self.kind, self.id)
    }
}

/// Derives the priority for new values of impact and urgency, keeping a manual override.
pub fn derived_priority(
    matrix: &PriorityMatrix,
    impact: Impact,
    urgency: Urgency,
    current: Priority,
    overridden: bool,
) -> Priority {
    if overridden {
        current
    } else {
        matrix.priority(impact, urgency)
    }
}

/// How two tickets relate, as seen from one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// Related work; symmetric.
    RelatesTo,
    /// This ticket continues a closed one (a reply to a closed ticket opens it).
    FollowUp,
    /// A later ticket continues this closed one.
    FollowedUpBy,
}

impl LinkKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::RelatesTo, Self::FollowUp, Self::FollowedUpBy];

    /// The API name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::RelatesTo => "relates_to",
            Self::FollowUp => "follow_up",
            Self::FollowedUpBy => "followed_up_by",
        }
    }

    /// Parses an API name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// The same link seen from the other ticket.
    pub const fn reverse(self) -> Self {
        match self {
            Self::RelatesTo => Self::RelatesTo,
            Self::FollowUp => Self::FollowedUpBy,
            Self::FollowedUpBy => Self::FollowUp,
        }
    }

    /// Whether people may make or remove it by hand (follow-ups are made by the mail channel).
    pub const fn is_manual(self) -> bool {
        matches!(self, Self::RelatesTo)
    }
}

impl fmt::Display for LinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        let number = TicketNumber::new(TicketKind::Incident, TicketId::new(42));
        assert_eq!(number.to_string(), "INC-000042");
        assert_eq!(TicketNumber::parse("INC-000042"), Some(number));
        assert_eq!(TicketNumber::parse("inc-42"), Some(number));
        let big = TicketNumber::new(TicketKind::ServiceRequest, TicketId::new(12_345_678));
        assert_eq!(big.to_string(), "REQ-12345678");
        assert_eq!(TicketNumber::parse(&big.to_string()), Some(big));
        for bad in [
            "",
            "INC",
            "INC-",
            "INC-0",
            "XYZ-000001",
            "INC-12a",
            "INC--1",
            "INC-99999999999999999999",
        ] {
            assert_eq!(TicketNumber::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Ok(*status));
        }
        assert!(
            Status::parse("open")
                .unwrap_err()
                .message
                .contains("in_progress")
        );
    }
}

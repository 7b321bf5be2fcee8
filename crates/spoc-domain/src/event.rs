//! What happened to a ticket: one entry per change, appended and never rewritten.
//!
//! Event data is persisted as JSON, so these types derive serde and their shape is a storage
//! format: add variants and optional fields, never rename.

use crate::org::Tier;
use crate::priority::{Impact, Priority, Urgency};
use crate::ticket::{Channel, PendingReason, ResolutionCode, Status, TicketKind};
use crate::{GroupId, UserId};

/// Which escalation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationLevel {
    /// Moved to a higher-tier group.
    Functional,
    /// A lead was alerted.
    Hierarchical,
}

/// One change to a ticket.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventData {
    /// The ticket was logged.
    Created {
        /// Incident or request.
        kind: TicketKind,
        /// Its first status (always new).
        status: Status,
        /// The group it landed in.
        group_id: GroupId,
        /// That group's tier.
        tier: Tier,
        /// Impact at logging.
        impact: Impact,
        /// Urgency at logging.
        urgency: Urgency,
        /// Priority at logging.
        priority: Priority,
        /// How it arrived.
        channel: Channel,
    },
    /// The lifecycle state changed.
    StatusChanged {
        /// Before.
        from: Status,
        /// After.
        to: Status,
        /// Why it is pending, when `to` is pending.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pending_reason: Option<PendingReason>,
        /// The reason given (cancellation, reopening).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The owning group changed: a reassignment.
    GroupChanged {
        /// Before.
        from: GroupId,
        /// After.
        to: GroupId,
        /// The new group's tier.
        tier: Tier,
    },
    /// The assigned agent changed.
    AssigneeChanged {
        /// Before.
        from: Option<UserId>,
        /// After.
        to: Option<UserId>,
    },
    /// A functional or hierarchical escalation.
    Escalated {
        /// Which kind.
        level: EscalationLevel,
        /// The group before (functional) or the current group (hierarchical).
        from_group: GroupId,
        /// The higher-tier group (functional only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_group: Option<GroupId>,
        /// Why.
        reason: String,
    },
    /// The ticket was resolved.
    Resolved {
        /// How.
        code: ResolutionCode,
        /// What was done.
        notes: String,
    },
    /// The ticket's priority changed.
    PriorityChanged {
        /// Before.
        from: Priority,
        /// After.
        to: Priority,
        /// Whether the new priority is a manual override.
        overridden: bool,
        /// The written rationale for an override.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rationale: Option<String>,
    },
    /// An editable field changed (title, description, impact, urgency, category, subcategory,
    /// service, supplier reference). Values are rendered as text; ids as their number.
    FieldChanged {
        /// The field's API name.
        field: String,
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// An SLA clock changed: started, paused, resumed, re-targeted, stopped, warned, breached.
    Sla {
        /// What happened to which clock.
        clock: crate::sla::ClockChange,
    },
    /// A public reply or an internal work note.
    Commented {
        /// Internal notes are for staff only.
        internal: bool,
        /// The text.
        body: String,
    },
    /// The ticket is now handled under this version of an SOP (recorded once, when its
    /// checklist is first used or at resolution; it never changes silently afterwards).
    SopApplied {
        /// The SOP.
        sop_id: i64,
        /// The version in force at that moment.
        version: i64,
        /// The SOP's title then.
        title: String,
    },
    /// A step of the ticket's SOP checklist was ticked or unticked.
    SopStep {
        /// The SOP.
        sop_id: i64,
        /// Its version.
        version: i64,
        /// The step's stable key.
        step: String,
        /// Ticked (true) or unticked (false).
        done: bool,
    },
    /// An answer was recorded on the ticket's SOP checklist (e.g. the verification method).
    SopAnswer {
        /// The SOP.
        sop_id: i64,
        /// Its version.
        version: i64,
        /// The step's stable key.
        step: String,
        /// The answer as recorded.
        answer: String,
    },
    /// A knowledge article was attached to the ticket as used to resolve it.
    ArticleLinked {
        /// The article.
        article_id: i64,
        /// Its title then.
        title: String,
    },
    /// An automated e-mail answered the ticket's mail (an auto-reply, a bounce): kept for
    /// staff, never a reply, no change of status or service level, nobody notified.
    AutomatedMail {
        /// The sender's address (empty when it had none).
        from: String,
        /// The subject.
        subject: String,
        /// Why it counts as automated, and what was done with it.
        reason: String,
        /// Its text.
        text: String,
    },
    /// A notification e-mail about the ticket could not be delivered (the relay refused it for
    /// good, or every retry failed).
    NotificationUndeliverable {
        /// The outbox message (recorded once per message).
        outbox_id: crate::OutboxId,
        /// The address it was for.
        recipient: String,
        /// The notice's topic (`agent_reply`, `resolved`…).
        topic: String,
        /// The relay's answer or the last error.
        reason: String,
    },
    /// A link to another ticket was made (recorded on both tickets).
    Linked {
        /// How they relate, seen from the ticket that records it.
        kind: crate::ticket::LinkKind,
        /// The other ticket.
        ticket_id: crate::TicketId,
        /// Its number then.
        number: String,
    },
    /// A link to another ticket was removed (recorded on both tickets).
    Unlinked {
        /// How they related, seen from the ticket that records it.
        kind: crate::ticket::LinkKind,
        /// The other ticket.
        ticket_id: crate::TicketId,
        /// Its number then.
        number: String,
    },
    /// This ticket was a duplicate and was merged into another; it is closed and its
    /// conversation continues there.
    MergedInto {
        /// The surviving ticket.
        ticket_id: crate::TicketId,
        /// Its number.
        number: String,
    },
    /// The requester was told that the resolved ticket closes by itself (auto-close).
    AutoCloseNotice {
        /// When it closes unless they answer.
        closes_at: crate::Timestamp,
    },
    /// A duplicate was merged into this ticket: its history, files and mail follow this one.
    MergedFrom {
        /// The duplicate.
        ticket_id: crate::TicketId,
        /// Its number.
        number: String,
        /// Its requester, recorded here (see `links::merge`).
        requester_id: UserId,
    },
}

impl EventData {
    /// The storage name of the event's type.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Created { .. } => "created",
            Self::StatusChanged { .. } => "status_changed",
            Self::GroupChanged { .. } => "group_changed",
            Self::AssigneeChanged { .. } => "assignee_changed",
            Self::Escalated { .. } => "escalated",
            Self::Resolved { .. } => "resolved",
            Self::PriorityChanged { .. } => "priority_changed",
            Self::FieldChanged { .. } => "field_changed",
            Self::Commented { .. } => "commented",
            Self::Sla { .. } => "sla",
            Self::SopApplied { .. } => "sop_applied",
            Self::SopStep { .. } => "sop_step",
            Self::SopAnswer { .. } => "sop_answer",
            Self::ArticleLinked { .. } => "article_linked",
            Self::AutomatedMail { .. } => "automated_mail",
            Self::NotificationUndeliverable { .. } => "notification_undeliverable",
            Self::Linked { .. } => "linked",
            Self::Unlinked { .. } => "unlinked",
            Self::MergedInto { .. } => "merged_into",
            Self::MergedFrom { .. } => "merged_from",
            Self::AutoCloseNotice { .. } => "auto_close_notice",
        }
    }

    /// Whether the requester may see this event. Internal notes, routing, escalations,
    /// priority rationales, SOP checklists, attached articles and mail problems (automated
    /// mail, undeliverable notifications) are for staff only.
    pub fn is_public(&self) -> bool {
        match self {
            Self::Created { .. }
            | Self::StatusChanged { .. }
            | Self::Resolved { .. }
            | Self::MergedInto { .. } => true,
            // A follow-up is the requester's own new ticket; other links are the desk's notes.
            Self::Linked { kind, .. } => *kind == crate::ticket::LinkKind::FollowUp,
            Self::Unlinked { .. } | Self::MergedFrom { .. } | Self::AutoCloseNotice { .. } => false,
            Self::Commented { internal, .. } => !internal,
            Self::FieldChanged { field, .. } => field == "title" || field == "description",
            Self::GroupChanged { .. }
            | Self::AssigneeChanged { .. }
            | Self::Escalated { .. }
            | Self::PriorityChanged { .. }
            | Self::Sla { .. }
            | Self::SopApplied { .. }
            | Self::SopStep { .. }
            | Self::SopAnswer { .. }
            | Self::ArticleLinked { .. }
            | Self::AutomatedMail { .. }
            | Self::NotificationUndeliverable { .. } => false,
        }
    }
}

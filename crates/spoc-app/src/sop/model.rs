//! The SOP read models the app hands out: an SOP's document control, its versions and reviews,
//! and a ticket's binding to one version with its checklist. Governance logs are the document
//! core's `LogEntry`. Adapters convert from these, never from the store's rows.

use spoc_domain::document::Versioned;
use spoc_domain::sop::{
    Checklist, ReviewPolicy, ReviewTrigger, SopContent, SopRoles, VersionState,
};
use spoc_domain::{SopId, SopReviewId, TicketId, Timestamp, UserId};
use spoc_store::{SopRecord, SopReviewRecord, SopVersionRecord, TicketSopRecord};

/// One SOP's document control.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sop {
    /// Id.
    pub id: SopId,
    /// Stable key, e.g. `password-reset`.
    pub key: String,
    /// Title of the latest version.
    pub title: String,
    /// The accountable owner.
    pub owner_id: UserId,
    /// The subject-matter reviewer.
    pub reviewer_id: Option<UserId>,
    /// The approver.
    pub approver_id: Option<UserId>,
    /// The version in force, if any.
    pub effective_version: Option<i64>,
    /// The newest version.
    pub latest_version: i64,
    /// Review cadence and triggers.
    pub policy: ReviewPolicy,
    /// When the owner's next scheduled review falls.
    pub next_review_at: Option<Timestamp>,
    /// Created.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
    /// Whether the provider applies it in every tenant (only the provider's SOPs).
    pub provider_wide: bool,
    /// Whether it is the provider's provider-wide SOP read from another tenant: its effective
    /// version only, read-only, without the provider's versions, log or reviews.
    pub from_provider: bool,
}

impl Sop {
    /// Who owns, reviews and approves it.
    pub fn roles(&self) -> SopRoles {
        SopRoles {
            owner: self.owner_id,
            reviewer: self.reviewer_id,
            approver: self.approver_id,
        }
    }
}

impl Sop {
    /// The read model of the stored row.
    pub(crate) fn from_record(r: SopRecord) -> Self {
        Self {
            id: r.id,
            key: r.key,
            title: r.title,
            owner_id: r.owner_id,
            reviewer_id: r.reviewer_id,
            approver_id: r.approver_id,
            effective_version: r.effective_version,
            latest_version: r.latest_version,
            policy: r.policy,
            next_review_at: r.next_review_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            provider_wide: r.provider_wide,
            from_provider: false,
        }
    }
}

/// One version of an SOP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SopVersion {
    /// The SOP.
    pub sop_id: SopId,
    /// 1, 2, …
    pub version: i64,
    /// Where it is.
    pub state: VersionState,
    /// Its content.
    pub content: SopContent,
    /// What changed.
    pub change_summary: String,
    /// Who wrote it (`None`: imported).
    pub author_id: Option<UserId>,
    /// When.
    pub created_at: Timestamp,
    /// When it became effective.
    pub effective_at: Option<Timestamp>,
    /// When it stopped being effective.
    pub superseded_at: Option<Timestamp>,
}

impl SopVersion {
    /// The read model of the stored row.
    pub(crate) fn from_record(r: SopVersionRecord) -> Self {
        Self {
            sop_id: r.sop_id,
            version: r.version,
            state: r.state,
            content: r.content,
            change_summary: r.change_summary,
            author_id: r.author_id,
            created_at: r.created_at,
            effective_at: r.effective_at,
            superseded_at: r.superseded_at,
        }
    }
}

impl Versioned for SopVersion {
    type Content = SopContent;

    fn number(&self) -> i64 {
        self.version
    }

    fn content(&self) -> &SopContent {
        &self.content
    }

    fn change_note(&self) -> &str {
        &self.change_summary
    }

    fn author(&self) -> Option<UserId> {
        self.author_id
    }

    fn written_at(&self) -> Timestamp {
        self.created_at
    }
}

/// A review of an SOP, due or called for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SopReview {
    /// Id.
    pub id: SopReviewId,
    /// The SOP.
    pub sop_id: SopId,
    /// Why.
    pub cause: ReviewTrigger,
    /// Names the crossing (or the scheduled date).
    pub crossing_key: String,
    /// Still open (not yet done).
    pub open: bool,
    /// When it is due (scheduled reviews).
    pub due_at: Option<Timestamp>,
    /// When it was opened.
    pub created_at: Timestamp,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
    /// By whom.
    pub closed_by: Option<UserId>,
    /// What the owner concluded.
    pub note: Option<String>,
    /// The tickets whose signals called for it.
    pub tickets: Vec<TicketId>,
}

impl SopReview {
    /// The read model of the stored row.
    pub(crate) fn from_record(r: SopReviewRecord) -> Self {
        Self {
            id: SopReviewId::new(r.id),
            sop_id: r.sop_id,
            cause: r.cause,
            crossing_key: r.crossing_key,
            open: r.open,
            due_at: r.due_at,
            created_at: r.created_at,
            closed_at: r.closed_at,
            closed_by: r.closed_by,
            note: r.note,
            tickets: r.tickets,
        }
    }
}

/// The SOP version a ticket is handled under, and its checklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketSop {
    /// The ticket.
    pub ticket_id: TicketId,
    /// The SOP.
    pub sop_id: SopId,
    /// The version.
    pub version: i64,
    /// Ticks and answers.
    pub checklist: Checklist,
    /// When the ticket was bound to it.
    pub bound_at: Timestamp,
    /// By whom.
    pub bound_by: Option<UserId>,
}

impl TicketSop {
    /// The read model of the stored row.
    pub(crate) fn from_record(r: TicketSopRecord) -> Self {
        Self {
            ticket_id: r.ticket_id,
            sop_id: SopId::new(r.sop_id),
            version: r.version,
            checklist: r.checklist,
            bound_at: r.bound_at,
            bound_by: r.bound_by,
        }
    }
}

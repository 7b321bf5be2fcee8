//! SOP document control: version states, the governance state machine with separation of
//! duties, who may draft, and the review policy and schedule.

use std::fmt;

use crate::access::Actor;
use crate::text::ValidationError;
use crate::ticket::name_enum;
use crate::user::Role;
use crate::{Timestamp, UserId};

use crate::document::{EditPlan, LogEntry, authors_of};
pub use crate::document::{REVIEW_NOTICE_DAYS, ReviewDue, review_due};

name_enum!(
    /// Where one version of an SOP is in its life.
    VersionState, "state" {
        /// Being written by its author.
        Draft => "draft",
        /// Submitted; the process owner checks it.
        Submitted => "submitted",
        /// Checked by the owner; the subject-matter reviewer validates it.
        Checked => "checked",
        /// Validated; the approver signs it off.
        Validated => "validated",
        /// In force: the version the desk follows.
        Effective => "effective",
        /// Replaced by a newer effective version.
        Superseded => "superseded",
        /// Withdrawn without a replacement.
        Retired => "retired",
    }
);

impl VersionState {
    /// Whether the version is somewhere in review.
    pub const fn in_review(self) -> bool {
        matches!(self, Self::Submitted | Self::Checked | Self::Validated)
    }
}

name_enum!(
    /// A governance action, as named in the API (`/actions/{action}`).
    GovernanceAction, "action" {
        /// The author (or owner) submits a draft.
        Submit => "submit",
        /// The process owner checks it against policy and service design.
        Check => "check",
        /// The subject-matter reviewer validates its technical and compliance steps.
        Validate => "validate",
        /// The approver signs it off; it becomes effective.
        Approve => "approve",
        /// The owner or approver withdraws the effective version.
        Retire => "retire",
        /// Whoever acts at the current review stage sends it back to draft, with a comment.
        Return => "return",
    }
);

/// The people of one SOP's document control.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SopRoles {
    /// The one accountable person; checks versions and schedules reviews.
    pub owner: UserId,
    /// The subject-matter reviewer who validates.
    pub reviewer: Option<UserId>,
    /// Who signs off (a lead or admin).
    pub approver: Option<UserId>,
}

/// What a governance decision needs to know about the version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionFacts {
    /// Its state.
    pub state: VersionState,
    /// Everyone who wrote or revised it (empty for an untouched imported seed).
    pub authors: Vec<UserId>,
    /// Who validated it, once validated.
    pub validated_by: Option<UserId>,
}

/// Why a governance action is refused, as a sentence naming who may act.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GovernanceError {
    /// The action does not apply to a version in this state.
    #[error("{action} is not possible for a version that is {state}; it allows: {allowed}")]
    NotNow {
        /// The state.
        state: VersionState,
        /// The action.
        action: GovernanceAction,
        /// What the state allows.
        allowed: String,
    },
    /// The actor is not the person this step belongs to, or separation of duties forbids it.
    #[error("{0}")]
    Denied(String),
    /// The latest version is in review: it must be sent back to draft before it changes.
    #[error("version {version} is in review ({state}); send it back to draft before changing it")]
    InReview {
        /// The version.
        version: i64,
        /// Its review state.
        state: VersionState,
    },
    /// Something must be supplied first (a reviewer, an approver, a comment).
    #[error("{field}: {message}")]
    Missing {
        /// What.
        field: &'static str,
        /// Why.
        message: String,
    },
}

/// The actions a version in `state` allows, whoever asks.
pub fn allowed_governance(state: VersionState) -> &'static [GovernanceAction] {
    use GovernanceAction::*;
    match state {
        VersionState::Draft => &[Submit],
        VersionState::Submitted => &[Check, Return],
        VersionState::Checked => &[Validate, Return],
        VersionState::Validated => &[Approve, Return],
        VersionState::Effective => &[Retire],
        VersionState::Superseded | VersionState::Retired => &[],
    }
}

/// Whether `user` may be an SOP's approver: a lead or admin.
pub fn may_approve_role(role: Role) -> bool {
    matches!(role, Role::Lead | Role::Admin)
}

/// Decides a governance action by `actor` on a version: its next state, or why not.
/// `comment` is required to send a version back.
pub fn govern(
    version: &VersionFacts,
    roles: SopRoles,
    actor: &Actor,
    action: GovernanceAction,
    comment: Option<&str>,
) -> Result<VersionState, GovernanceError> {
    let denied = |text: &str| Err(GovernanceError::Denied(text.to_owned()));
    if !actor.is_staff() {
        return denied("only staff take part in SOP governance");
    }
    if !allowed_governance(version.state).contains(&action) {
        let allowed = allowed_governance(version.state)
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>();
        return Err(GovernanceError::NotNow {
            state: version.state,
            action,
            allowed: if allowed.is_empty() {
                "nothing".to_owned()
            } else {
                allowed.join(", ")
            },
        });
    }
    // Separation of duties is between people: the system never governs an SOP.
    let Some(me) = actor.user_id() else {
        return denied("only a person can take part in an SOP's governance");
    };
    let is_author = version.authors.contains(&me);
    match action {
        GovernanceAction::Submit => {
            if !is_author && me != roles.owner {
                return denied("only an author of the version or the SOP's owner can submit it");
            }
            if roles.reviewer.is_none() {
                return Err(GovernanceError::Missing {
                    field: "reviewer_id",
                    message: "name a subject-matter reviewer before submitting".to_owned(),
                });
            }
            if roles.approver.is_none() {
                return Err(GovernanceError::Missing {
                    field: "approver_id",
                    message: "name an approver before submitting".to_owned(),
                });
            }
            Ok(VersionState::Submitted)
        }
        GovernanceAction::Check => {
            if me != roles.owner {
                return denied("only the SOP's process owner can check a submitted version");
            }
            Ok(VersionState::Checked)
        }
        GovernanceAction::Validate => {
            if roles.reviewer != Some(me) {
                return denied("only the SOP's subject-matter reviewer can validate it");
            }
            if is_author {
                return denied(
                    "an author of the version cannot validate it; another reviewer must",
                );
            }
            Ok(VersionState::Validated)
        }
        GovernanceAction::Approve => {
            if roles.approver != Some(me) {
                return denied("only the SOP's approver can sign it off");
            }
            if !may_approve_role(actor.role) {
                return denied("only a lead or an admin can sign an SOP off");
            }
            if is_author {
                return denied("an author of the version cannot approve it");
            }
            if version.validated_by == Some(me) {
                return denied("the person who validated a version cannot also approve it");
            }
            Ok(VersionState::Effective)
        }
        GovernanceAction::Retire => {
            if me != roles.owner && roles.approver != Some(me) {
                return denied("only the SOP's owner or approver can retire it");
            }
            Ok(VersionState::Retired)
        }
        GovernanceAction::Return => {
            let stage_owner = match version.state {
                VersionState::Submitted => Some(roles.owner),
                VersionState::Checked => roles.reviewer,
                VersionState::Validated => roles.approver,
                _ => None,
            };
            if stage_owner != Some(me) {
                return denied("only the person at this review stage can send the version back");
            }
            if comment.is_none_or(|c| c.trim().is_empty()) {
                return Err(GovernanceError::Missing {
                    field: "comment",
                    message: "say what must change before it comes back".to_owned(),
                });
            }
            Ok(VersionState::Draft)
        }
    }
}

/// Who may start a new draft version of an existing SOP: its owner, reviewer or approver, and
/// leads and admins.
pub fn may_draft(actor: &Actor, roles: SopRoles) -> bool {
    actor.is_lead()
        || actor.is_user(roles.owner)
        || roles.reviewer.is_some_and(|id| actor.is_user(id))
        || roles.approver.is_some_and(|id| actor.is_user(id))
}

/// Review cadence and early-review thresholds of one SOP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReviewPolicy {
    /// Months between scheduled reviews (1–24; 6–12 is usual).
    pub interval_months: i64,
    /// SLA breaches among the SOP's tickets within the window that call for a review.
    pub breach_threshold: Option<i64>,
    /// Reopenings among the SOP's tickets within the window that call for a review.
    pub reopen_threshold: Option<i64>,
    /// The window, in days.
    pub window_days: i64,
}

impl ReviewPolicy {
    /// The defaults: review every 6 months; early on 3 breaches or 3 reopenings in 30 days.
    pub const DEFAULT: Self = Self {
        interval_months: 6,
        breach_threshold: Some(3),
        reopen_threshold: Some(3),
        window_days: 30,
    };

    /// The months allowed between scheduled reviews.
    pub const INTERVAL_MONTHS: (i64, i64) = (1, 24);
    /// The breach and reopening counts allowed as early-review thresholds.
    pub const THRESHOLD: (i64, i64) = (1, 1000);
    /// The days allowed as the thresholds' window.
    pub const WINDOW_DAYS: (i64, i64) = (1, 365);

    /// Checks the ranges.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let within = |(low, high): (i64, i64), n: i64| (low..=high).contains(&n);
        if !within(Self::INTERVAL_MONTHS, self.interval_months) {
            return Err(ValidationError::new(
                "review_interval_months",
                "must be between 1 and 24 months",
            ));
        }
        for (field, value) in [
            ("breach_threshold", self.breach_threshold),
            ("reopen_threshold", self.reopen_threshold),
        ] {
            if value.is_some_and(|n| !within(Self::THRESHOLD, n)) {
                return Err(ValidationError::new(
                    field,
                    "must be between 1 and 1000, or empty for none",
                ));
            }
        }
        if !within(Self::WINDOW_DAYS, self.window_days) {
            return Err(ValidationError::new(
                "window_days",
                "must be between 1 and 365 days",
            ));
        }
        Ok(())
    }

    /// When the next scheduled review falls after a version becomes effective (or is
    /// reviewed) at `from`: `interval_months` of 30 days later.
    pub fn next_review(&self, from: Timestamp) -> Timestamp {
        crate::document::next_review(from, self.interval_months)
    }
}

/// What governance needs to know about version `number` (state `state`, written by `author`),
/// from the SOP's log: everyone who wrote or revised it, and who validated it last.
pub fn version_facts(
    number: i64,
    state: VersionState,
    author: Option<UserId>,
    log: &[LogEntry],
) -> VersionFacts {
    VersionFacts {
        state,
        authors: authors_of(number, author, log),
        validated_by: log
            .iter()
            .rev()
            .find(|l| l.version == number && l.action == "validate")
            .and_then(|l| l.actor_id),
    }
}

/// How an edit or a restore of an SOP lands, given its latest version: a draft is revised in
/// place; a version in review must be sent back first (an edit never slips past a reviewer);
/// after it took effect, was superseded or retired, a new draft version starts — which goes
/// through governance like any other.
pub fn edit_plan(latest: i64, state: VersionState) -> Result<EditPlan, GovernanceError> {
    match state {
        VersionState::Draft => Ok(EditPlan::ReviseDraft(latest)),
        s if s.in_review() => Err(GovernanceError::InReview {
            version: latest,
            state: s,
        }),
        _ => Ok(EditPlan::NewVersion),
    }
}

//! Standard operating procedures as controlled documents: their content (every field of a
//! service desk SOP), validation, the governance state machine (author drafts → process owner
//! checks → subject-matter reviewer validates → approver signs off → effective), which SOP applies
//! to a ticket, the ticket's checklist, quality checks that must hold before resolve and close,
//! and the signals that call for an early review.
//!
//! Separation of duties: the process owner checks, the designated subject-matter reviewer
//! validates and the designated approver signs off. The reviewer and the approver may never be
//! the version's author, and the approver may not be the person who validated it, so every
//! effective version has been looked at by at least two people other than its author. Only
//! leads and admins may be approvers.

use std::collections::BTreeMap;
use std::fmt;

use crate::access::Actor;
use crate::event::{EscalationLevel, EventData};
use crate::sla::{ClockChange, SlaTarget};
use crate::text::{ValidationError, checked};
use crate::ticket::{Status, Ticket, TicketKind, name_enum};
use crate::user::Role;
use crate::{CategoryId, TicketId, Timestamp, UserId};

/// One day in microseconds.
pub const DAY_MICROS: i64 = 86_400 * 1_000_000;

// ----- content ------------------------------------------------------------------------------------

/// A role in the procedure and what it does.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleDuty {
    /// Who, e.g. "Service desk analyst".
    pub role: String,
    /// What they do here.
    pub duty: String,
}

/// What an answer recorded on a step looks like.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerSpec {
    /// The question beside the step, e.g. "Verification method".
    pub label: String,
    /// The allowed answers; empty means free text.
    #[serde(default)]
    pub options: Vec<String>,
}

/// One step: a single, checkable action with a stable key (kept across versions, so checklists
/// and outcomes can be compared).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Stable key: lower-case letters, digits, `-` and `_`.
    pub key: String,
    /// One sentence, starting with a verb.
    pub text: String,
    /// An answer to record with the step, if the procedure needs evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<AnswerSpec>,
}

/// One branch of a decision point.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionOption {
    /// The answer to the question.
    pub answer: String,
    /// What to do then.
    pub then: String,
}

/// A real choice in the procedure.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionPoint {
    /// Stable key.
    pub key: String,
    /// The step after which the choice comes, if tied to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_step: Option<String>,
    /// The question.
    pub question: String,
    /// The branches.
    pub options: Vec<DecisionOption>,
}

/// A known way the standard path breaks, with the threshold that triggers it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExceptionRule {
    /// Stable key.
    pub key: String,
    /// When it applies.
    pub when: String,
    /// The measurable threshold, e.g. "3 failed verification attempts".
    pub threshold: String,
    /// What to do instead.
    pub action: String,
    /// Another SOP to follow (its key), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_sop: Option<String>,
}

name_enum!(
    /// Functional (to a higher-tier group) or hierarchical (alert the leads).
    EscalationKind, "level" {
        /// Move to a higher-tier group.
        Functional => "functional",
        /// Alert the group's leads.
        Hierarchical => "hierarchical",
    }
);

impl EscalationKind {
    /// The ticket event's level.
    pub const fn level(self) -> EscalationLevel {
        match self {
            Self::Functional => EscalationLevel::Functional,
            Self::Hierarchical => EscalationLevel::Hierarchical,
        }
    }
}

/// When and where to escalate; pre-fills the ticket's escalate form.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationRule {
    /// Stable key.
    pub key: String,
    /// When to escalate.
    pub when: String,
    /// Functional or hierarchical.
    pub level: EscalationKind,
    /// The resolver group to escalate to, by name (functional only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The reason written on the ticket.
    pub reason: String,
}

/// What a quality check requires of the ticket.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Requirement {
    /// A ticket field is set.
    Field {
        /// Which field.
        field: TicketField,
    },
    /// The priority follows the matrix, or its override has a written rationale.
    PriorityRationale,
    /// A step of the checklist is ticked.
    Step {
        /// The step's key.
        step: String,
    },
    /// An answer is recorded on a step (one of `one_of`, when given).
    Answer {
        /// The step's key.
        step: String,
        /// Acceptable answers; empty accepts any.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        one_of: Vec<String>,
    },
}

name_enum!(
    /// A ticket field a quality check can require.
    TicketField, "field" {
        /// The affected service.
        Service => "service",
        /// The category.
        Category => "category",
        /// The subcategory.
        Subcategory => "subcategory",
        /// Impact (always set on a ticket; listed so procedures can state it).
        Impact => "impact",
        /// Urgency (always set on a ticket).
        Urgency => "urgency",
        /// An assigned agent.
        Assignee => "assignee",
    }
);

/// A check that must hold before the ticket is resolved or closed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityCheck {
    /// Stable key.
    pub key: String,
    /// What must be true, as a sentence.
    pub text: String,
    /// How Spoc tells.
    pub requires: Requirement,
}

/// A policy, runbook or process map the procedure relies on.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// Its title.
    pub title: String,
    /// Where it is (a URL or a document number), if anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// The content of one SOP version: everything but document control.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SopContent {
    /// One line.
    pub title: String,
    /// Why the procedure exists.
    pub purpose: String,
    /// What it covers and what not.
    pub scope: String,
    /// What starts it.
    pub trigger: String,
    /// Who does what.
    #[serde(default)]
    pub roles: Vec<RoleDuty>,
    /// What the analyst needs before starting.
    #[serde(default)]
    pub inputs: Vec<String>,
    /// The standard path.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// Real choices.
    #[serde(default)]
    pub decisions: Vec<DecisionPoint>,
    /// The top exceptions and their thresholds.
    #[serde(default)]
    pub exceptions: Vec<ExceptionRule>,
    /// When and where to escalate.
    #[serde(default)]
    pub escalations: Vec<EscalationRule>,
    /// What must be recorded before resolve and close.
    #[serde(default)]
    pub checks: Vec<QualityCheck>,
    /// Policies, runbooks, process maps.
    #[serde(default)]
    pub references: Vec<Reference>,
}

fn check_key(field: &'static str, key: &str) -> Result<(), ValidationError> {
    let ok = !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            format!(
                "key {key:?} must be 1–64 lower-case letters, digits, '-' or '_' (it stays the same across versions)"
            ),
        ))
    }
}

fn unique_keys<'a>(
    field: &'static str,
    keys: impl Iterator<Item = &'a str>,
) -> Result<(), ValidationError> {
    let mut seen = std::collections::BTreeSet::new();
    for key in keys {
        check_key(field, key)?;
        if !seen.insert(key) {
            return Err(ValidationError::new(
                field,
                format!("key {key:?} is used twice"),
            ));
        }
    }
    Ok(())
}

fn line(field: &'static str, value: &str, max: usize) -> Result<(), ValidationError> {
    checked(field, value, 1, max, false).map(|_| ())
}

fn para(field: &'static str, value: &str, max: usize) -> Result<(), ValidationError> {
    checked(field, value, 1, max, true).map(|_| ())
}

/// Whether `text` is one instruction: a single sentence on one line. "Verify the caller and
/// reset the password. Then close." is two steps, not one.
pub fn is_single_sentence(text: &str) -> bool {
    let text = text.trim();
    if text.contains('\n') {
        return false;
    }
    let chars: Vec<char> = text.chars().collect();
    !chars.windows(3).any(|w| {
        matches!(w[0], '.' | '!' | '?') && w[1] == ' ' && (w[2].is_uppercase() || w[2].is_numeric())
    })
}

impl SopContent {
    /// Checks every field: required text present, keys well-formed and unique, each step one
    /// sentence, checks and decisions pointing at steps that exist, answers within the step's
    /// options.
    pub fn validate(&self) -> Result<(), ValidationError> {
        line("title", &self.title, 200)?;
        para("purpose", &self.purpose, 4_000)?;
        para("scope", &self.scope, 4_000)?;
        para("trigger", &self.trigger, 2_000)?;
        for role in &self.roles {
            line("roles", &role.role, 200)?;
            para("roles", &role.duty, 2_000)?;
        }
        for input in &self.inputs {
            line("inputs", input, 500)?;
        }
        if self.steps.is_empty() {
            return Err(ValidationError::new(
                "steps",
                "a procedure needs at least one step",
            ));
        }
        if self.steps.len() > 60 {
            return Err(ValidationError::new(
                "steps",
                "at most 60 steps; split the procedure",
            ));
        }
        unique_keys("steps", self.steps.iter().map(|s| s.key.as_str()))?;
        for step in &self.steps {
            line("steps", &step.text, 300)?;
            if !is_single_sentence(&step.text) {
                return Err(ValidationError::new(
                    "steps",
                    format!(
                        "step {:?} holds more than one instruction; make each step one sentence",
                        step.key
                    ),
                ));
            }
            if let Some(answer) = &step.answer {
                line("steps", &answer.label, 200)?;
                for option in &answer.options {
                    line("steps", option, 200)?;
                }
            }
        }
        let step = |key: &str| self.steps.iter().find(|s| s.key == key);
        unique_keys("decisions", self.decisions.iter().map(|d| d.key.as_str()))?;
        for decision in &self.decisions {
            line("decisions", &decision.question, 500)?;
            if decision.options.len() < 2 {
                return Err(ValidationError::new(
                    "decisions",
                    format!("decision {:?} needs at least two options", decision.key),
                ));
            }
            for option in &decision.options {
                line("decisions", &option.answer, 200)?;
                para("decisions", &option.then, 1_000)?;
            }
            if let Some(after) = &decision.after_step
                && step(after).is_none()
            {
                return Err(ValidationError::new(
                    "decisions",
                    format!(
                        "decision {:?} follows step {after:?}, which does not exist",
                        decision.key
                    ),
                ));
            }
        }
        unique_keys("exceptions", self.exceptions.iter().map(|e| e.key.as_str()))?;
        for exception in &self.exceptions {
            para("exceptions", &exception.when, 1_000)?;
            line("exceptions", &exception.threshold, 300)?;
            para("exceptions", &exception.action, 2_000)?;
            if let Some(sop) = &exception.follow_sop {
                check_key("exceptions", sop)?;
            }
        }
        unique_keys(
            "escalations",
            self.escalations.iter().map(|e| e.key.as_str()),
        )?;
        for rule in &self.escalations {
            para("escalations", &rule.when, 1_000)?;
            para("escalations", &rule.reason, 2_000)?;
            match (rule.level, &rule.group) {
                (EscalationKind::Functional, None) => {
                    return Err(ValidationError::new(
                        "escalations",
                        format!(
                            "functional escalation {:?} must name the group to escalate to",
                            rule.key
                        ),
                    ));
                }
                (EscalationKind::Hierarchical, Some(_)) => {
                    return Err(ValidationError::new(
                        "escalations",
                        format!(
                            "hierarchical escalation {:?} alerts the leads and names no group",
                            rule.key
                        ),
                    ));
                }
                (_, Some(group)) => line("escalations", group, 200)?,
                (_, None) => {}
            }
        }
        unique_keys("checks", self.checks.iter().map(|c| c.key.as_str()))?;
        for check in &self.checks {
            line("checks", &check.text, 300)?;
            match &check.requires {
                Requirement::Field { .. } | Requirement::PriorityRationale => {}
                Requirement::Step { step: key } => {
                    if step(key).is_none() {
                        return Err(ValidationError::new(
                            "checks",
                            format!(
                                "check {:?} requires step {key:?}, which does not exist",
                                check.key
                            ),
                        ));
                    }
                }
                Requirement::Answer { step: key, one_of } => {
                    let Some(spec) = step(key).and_then(|s| s.answer.as_ref()) else {
                        return Err(ValidationError::new(
                            "checks",
                            format!(
                                "check {:?} requires an answer on step {key:?}, which asks for none",
                                check.key
                            ),
                        ));
                    };
                    if let Some(bad) = one_of
                        .iter()
                        .find(|v| !spec.options.is_empty() && !spec.options.contains(v))
                    {
                        return Err(ValidationError::new(
                            "checks",
                            format!(
                                "check {:?} accepts {bad:?}, which is not an option of step {key:?}",
                                check.key
                            ),
                        ));
                    }
                }
            }
        }
        for reference in &self.references {
            line("references", &reference.title, 300)?;
            if let Some(location) = &reference.location {
                line("references", location, 1_000)?;
            }
        }
        Ok(())
    }

    /// The step with `key`.
    pub fn step(&self, key: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.key == key)
    }
}

// ----- document control and governance ------------------------------------------------------------

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
    #[error("a version that is {state} cannot be {action}ed now; it allows: {allowed}")]
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
    let me = actor.user_id;
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
        || actor.user_id == roles.owner
        || roles.reviewer == Some(actor.user_id)
        || roles.approver == Some(actor.user_id)
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

    /// Checks the ranges.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if !(1..=24).contains(&self.interval_months) {
            return Err(ValidationError::new(
                "review_interval_months",
                "must be between 1 and 24 months",
            ));
        }
        for (field, value) in [
            ("breach_threshold", self.breach_threshold),
            ("reopen_threshold", self.reopen_threshold),
        ] {
            if value.is_some_and(|n| !(1..=1000).contains(&n)) {
                return Err(ValidationError::new(
                    field,
                    "must be between 1 and 1000, or empty for none",
                ));
            }
        }
        if !(1..=365).contains(&self.window_days) {
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
        from.plus_micros(self.interval_months * 30 * DAY_MICROS)
    }
}

name_enum!(
    /// How close a scheduled review is.
    ReviewDue, "due" {
        /// More than the notice period away.
        NotDue => "not_due",
        /// Within the notice period.
        Upcoming => "upcoming",
        /// Past its date.
        Overdue => "overdue",
    }
);

/// How many days ahead an owner is told of a scheduled review.
pub const REVIEW_NOTICE_DAYS: i64 = 14;

/// Where a review dated `next_review_at` stands at `now`.
pub fn review_due(next_review_at: Timestamp, now: Timestamp) -> ReviewDue {
    if now >= next_review_at {
        ReviewDue::Overdue
    } else if now.plus_micros(REVIEW_NOTICE_DAYS * DAY_MICROS) >= next_review_at {
        ReviewDue::Upcoming
    } else {
        ReviewDue::NotDue
    }
}

// ----- where the work happens ---------------------------------------------------------------------

/// Which tickets an SOP applies to: a kind and/or a category and/or a subcategory (each `None`
/// matches anything).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SopLink {
    /// Incident or service request.
    pub kind: Option<TicketKind>,
    /// A category.
    pub category_id: Option<CategoryId>,
    /// A subcategory (of `category_id`).
    pub subcategory_id: Option<CategoryId>,
}

impl SopLink {
    /// How specifically this link matches `ticket` (higher is more specific), or `None`.
    pub fn specificity(&self, ticket: &Ticket) -> Option<u8> {
        if self.kind.is_some_and(|k| k != ticket.kind) {
            return None;
        }
        if self
            .category_id
            .is_some_and(|c| ticket.category_id != Some(c))
        {
            return None;
        }
        if self
            .subcategory_id
            .is_some_and(|c| ticket.subcategory_id != Some(c))
        {
            return None;
        }
        Some(
            u8::from(self.kind.is_some())
                + 2 * u8::from(self.category_id.is_some())
                + 4 * u8::from(self.subcategory_id.is_some()),
        )
    }
}

/// The SOP that applies to `ticket` among `candidates` (SOP id and links, effective SOPs
/// only): the most specific match; ties go to the lowest id, so the choice is stable.
pub fn choose_sop(candidates: &[(i64, Vec<SopLink>)], ticket: &Ticket) -> Option<i64> {
    candidates
        .iter()
        .filter_map(|(id, links)| {
            links
                .iter()
                .filter_map(|l| l.specificity(ticket))
                .max()
                .map(|s| (s, *id))
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, id)| id)
}

/// Who ticked a step, and when.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mark {
    /// Who.
    pub by: UserId,
    /// When.
    pub at: Timestamp,
}

/// An answer recorded on a step.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordedAnswer {
    /// The answer.
    pub value: String,
    /// Who recorded it.
    pub by: UserId,
    /// When.
    pub at: Timestamp,
}

/// A ticket's checklist under one SOP version. Persisted as JSON: add fields, never rename.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checklist {
    /// Ticked steps by key.
    #[serde(default)]
    pub done: BTreeMap<String, Mark>,
    /// Recorded answers by step key.
    #[serde(default)]
    pub answers: BTreeMap<String, RecordedAnswer>,
}

/// Why a checklist change is refused.
fn unknown_step(key: &str) -> ValidationError {
    ValidationError::new("step", format!("this SOP version has no step {key:?}"))
}

impl Checklist {
    /// Ticks (`done`) or unticks a step. Returns the event, or `None` when nothing changes.
    pub fn tick(
        &mut self,
        content: &SopContent,
        sop: (i64, i64),
        key: &str,
        done: bool,
        by: UserId,
        at: Timestamp,
    ) -> Result<Option<EventData>, ValidationError> {
        content.step(key).ok_or_else(|| unknown_step(key))?;
        let changed = if done {
            if self.done.contains_key(key) {
                false
            } else {
                self.done.insert(key.to_owned(), Mark { by, at });
                true
            }
        } else {
            self.done.remove(key).is_some()
        };
        Ok(changed.then(|| EventData::SopStep {
            sop_id: sop.0,
            version: sop.1,
            step: key.to_owned(),
            done,
        }))
    }

    /// Records an answer on a step (validated against the step's options). Recording an answer
    /// also ticks the step. Returns the events, empty when nothing changes.
    pub fn answer(
        &mut self,
        content: &SopContent,
        sop: (i64, i64),
        key: &str,
        value: &str,
        by: UserId,
        at: Timestamp,
    ) -> Result<Vec<EventData>, ValidationError> {
        let step = content.step(key).ok_or_else(|| unknown_step(key))?;
        let Some(spec) = &step.answer else {
            return Err(ValidationError::new(
                "answer",
                format!("step {key:?} records no answer; tick it instead"),
            ));
        };
        let value = checked("answer", value, 1, 2_000, true)?;
        if !spec.options.is_empty() && !spec.options.contains(&value) {
            return Err(ValidationError::new(
                "answer",
                format!("{} must be one of: {}", spec.label, spec.options.join(", ")),
            ));
        }
        let mut events = Vec::new();
        if self.answers.get(key).is_none_or(|a| a.value != value) {
            self.answers.insert(
                key.to_owned(),
                RecordedAnswer {
                    value: value.clone(),
                    by,
                    at,
                },
            );
            events.push(EventData::SopAnswer {
                sop_id: sop.0,
                version: sop.1,
                step: key.to_owned(),
                answer: value,
            });
        }
        events.extend(self.tick(content, sop, key, true, by, at)?);
        Ok(events)
    }
}

/// The facts about a ticket that quality checks look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketFacts {
    /// A service is set.
    pub service: bool,
    /// A category is set.
    pub category: bool,
    /// A subcategory is set.
    pub subcategory: bool,
    /// Someone is assigned.
    pub assignee: bool,
    /// The priority was set by hand.
    pub priority_overridden: bool,
    /// The latest manual priority change carries a written rationale.
    pub override_rationale: bool,
}

impl TicketFacts {
    /// The facts of `ticket` given its history.
    pub fn of(ticket: &Ticket, history: &[EventData]) -> Self {
        let override_rationale = history
            .iter()
            .rev()
            .find_map(|e| match e {
                EventData::PriorityChanged {
                    overridden: true,
                    rationale,
                    ..
                } => Some(rationale.as_deref().is_some_and(|r| !r.trim().is_empty())),
                _ => None,
            })
            .unwrap_or(false);
        Self {
            service: ticket.service_id.is_some(),
            category: ticket.category_id.is_some(),
            subcategory: ticket.subcategory_id.is_some(),
            assignee: ticket.assignee_id.is_some(),
            priority_overridden: ticket.priority_overridden,
            override_rationale,
        }
    }
}

/// A quality check that does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingCheck {
    /// The check's key.
    pub key: String,
    /// What must be true.
    pub text: String,
}

/// Whether one check holds.
pub fn check_holds(check: &QualityCheck, checklist: &Checklist, facts: &TicketFacts) -> bool {
    match &check.requires {
        Requirement::Field { field } => match field {
            TicketField::Service => facts.service,
            TicketField::Category => facts.category,
            TicketField::Subcategory => facts.subcategory,
            TicketField::Assignee => facts.assignee,
            TicketField::Impact | TicketField::Urgency => true,
        },
        Requirement::PriorityRationale => !facts.priority_overridden || facts.override_rationale,
        Requirement::Step { step } => checklist.done.contains_key(step),
        Requirement::Answer { step, one_of } => checklist
            .answers
            .get(step)
            .is_some_and(|a| one_of.is_empty() || one_of.contains(&a.value)),
    }
}

/// The quality checks of `content` that do not hold, in the document's order.
pub fn missing_checks(
    content: &SopContent,
    checklist: &Checklist,
    facts: &TicketFacts,
) -> Vec<MissingCheck> {
    content
        .checks
        .iter()
        .filter(|c| !check_holds(c, checklist, facts))
        .map(|c| MissingCheck {
            key: c.key.clone(),
            text: c.text.clone(),
        })
        .collect()
}

// ----- early reviews on operational signals -------------------------------------------------------

name_enum!(
    /// What called for a review.
    ReviewTrigger, "trigger" {
        /// The scheduled date came.
        Scheduled => "scheduled",
        /// Too many SLA breaches among the SOP's tickets.
        SlaBreaches => "sla_breaches",
        /// Too many reopenings among the SOP's tickets.
        Reopenings => "reopenings",
    }
);

/// One operational signal on a ticket handled under an SOP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signal {
    /// The ticket.
    pub ticket_id: TicketId,
    /// The event that carries it (ids increase with time).
    pub event_id: i64,
    /// When.
    pub at: Timestamp,
}

/// Whether `event` is a signal of `trigger`: a breached SLA clock, or a resolved ticket sent
/// back to work.
pub fn is_signal(trigger: ReviewTrigger, event: &EventData) -> bool {
    match trigger {
        ReviewTrigger::Scheduled => false,
        ReviewTrigger::SlaBreaches => matches!(
            event,
            EventData::Sla {
                clock: ClockChange::Breached {
                    target: SlaTarget::FirstResponse
                        | SlaTarget::Resolution
                        | SlaTarget::NextResponse
                }
            }
        ),
        ReviewTrigger::Reopenings => matches!(
            event,
            EventData::StatusChanged {
                from: Status::Resolved,
                to,
                ..
            } if to.is_active()
        ),
    }
}

/// A threshold crossing: the signals that make it up, and a key that names the crossing
/// uniquely (the first signal's event), so every scanner that sees it names it the same way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crossing {
    /// `{trigger}:{first event id}`.
    pub key: String,
    /// The tickets whose signals crossed the threshold, without repeats, in order.
    pub tickets: Vec<TicketId>,
}

/// Whether `signals` (any order) cross `threshold` within the window ending at `now`, counting
/// only signals after `since` (the previous review of this trigger, so one crossing yields one
/// review and the next one needs `threshold` new signals).
pub fn crossing(
    trigger: ReviewTrigger,
    signals: &[Signal],
    threshold: i64,
    window_days: i64,
    since: Option<i64>,
    now: Timestamp,
) -> Option<Crossing> {
    let from = now.plus_micros(-window_days * DAY_MICROS);
    let mut counted: Vec<&Signal> = signals
        .iter()
        .filter(|s| s.at >= from && s.at <= now && since.is_none_or(|e| s.event_id > e))
        .collect();
    counted.sort_by_key(|s| s.event_id);
    if (counted.len() as i64) < threshold.max(1) {
        return None;
    }
    let first = counted.first()?;
    let mut tickets = Vec::new();
    for signal in &counted {
        if !tickets.contains(&signal.ticket_id) {
            tickets.push(signal.ticket_id);
        }
    }
    Some(Crossing {
        key: format!("{}:{}", trigger.as_str(), first.event_id),
        tickets,
    })
}

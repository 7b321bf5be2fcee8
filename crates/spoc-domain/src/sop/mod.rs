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

use std::fmt;

use crate::event::EscalationLevel;
use crate::text::{ValidationError, checked};
use crate::ticket::name_enum;

mod governance;
mod provider;
mod review;
mod work;

pub use governance::*;
pub use provider::*;
pub use review::*;
pub use work::*;

pub use crate::document::DAY_MICROS;

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

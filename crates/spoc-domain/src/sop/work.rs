//! Where the work happens: which SOP applies to a ticket, the ticket's checklist, the facts
//! quality checks look at, and which checks do not hold yet.

use std::collections::BTreeMap;

use crate::event::EventData;
use crate::text::{ValidationError, checked};
use crate::ticket::{Ticket, TicketKind};
use crate::{CategoryId, Timestamp, UserId};

use super::{QualityCheck, Requirement, SopContent, TicketField};

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

//! The SOP editor's line syntax: each list of a procedure is a text box with one entry per line,
//! so a procedure can be written and reviewed in a browser without scripts, and two versions
//! compare line by line. Parsing reports the box and the line of the first mistake.
//!
//! - roles: `Role: duty`
//! - inputs: one per line
//! - steps: `key: Instruction.` optionally followed by ` [Label: option | option]` or ` [Label]`
//! - decisions: `key @after-step: Question? | answer => then | answer => then` (`@after-step`
//!   optional)
//! - exceptions: `key: when | threshold | action` optionally followed by ` | follow: sop-key`
//! - escalations: `key: functional | Group name | when | reason` or
//!   `key: hierarchical | | when | reason`
//! - checks: `key: text | field service` (or `category`, `subcategory`, `impact`, `urgency`,
//!   `assignee`), `| priority rationale`, `| step step-key`, `| answer step-key` or
//!   `| answer step-key = A, B`
//! - references: `title` or `title | location`

use crate::i18n::sops::Sops;
use crate::i18n::{t, tr};
use spoc_domain::ValidationError;
use spoc_domain::sop::{
    AnswerSpec, DecisionOption, DecisionPoint, EscalationKind, EscalationRule, ExceptionRule,
    QualityCheck, Reference, Requirement, RoleDuty, SopContent, Step, TicketField,
};

/// The text boxes of the editor.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct SopText {
    /// One line.
    #[serde(default)]
    pub title: String,
    /// Why.
    #[serde(default)]
    pub purpose: String,
    /// What it covers.
    #[serde(default)]
    pub scope: String,
    /// What starts it.
    #[serde(default)]
    pub trigger: String,
    /// Roles box.
    #[serde(default)]
    pub roles: String,
    /// Inputs box.
    #[serde(default)]
    pub inputs: String,
    /// Steps box.
    #[serde(default)]
    pub steps: String,
    /// Decisions box.
    #[serde(default)]
    pub decisions: String,
    /// Exceptions box.
    #[serde(default)]
    pub exceptions: String,
    /// Escalations box.
    #[serde(default)]
    pub escalations: String,
    /// Checks box.
    #[serde(default)]
    pub checks: String,
    /// References box.
    #[serde(default)]
    pub references: String,
}

fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
}

fn err(field: &'static str, line: usize, message: &str) -> ValidationError {
    ValidationError::new(field, tr(Sops::LineError, &[&line, &message]))
}

fn keyed<'a>(
    field: &'static str,
    n: usize,
    line: &'a str,
    shape: Sops,
) -> Result<(&'a str, &'a str), ValidationError> {
    line.split_once(':')
        .map(|(k, rest)| (k.trim(), rest.trim()))
        .filter(|(k, rest)| !k.is_empty() && !rest.is_empty())
        .ok_or_else(|| err(field, n, &tr(Sops::WriteItAs, &[&t(shape)])))
}

fn parts(rest: &str) -> Vec<String> {
    rest.split('|').map(|p| p.trim().to_owned()).collect()
}

fn parse_requirement(n: usize, text: &str) -> Result<Requirement, ValidationError> {
    let text = text.trim();
    if text == "priority rationale" {
        return Ok(Requirement::PriorityRationale);
    }
    if let Some(field) = text.strip_prefix("field ") {
        let field = TicketField::parse(field.trim())
            .map_err(|e| err("checks", n, &tr(Sops::TheField, &[&e.message])))?;
        return Ok(Requirement::Field { field });
    }
    if let Some(step) = text.strip_prefix("step ") {
        return Ok(Requirement::Step {
            step: step.trim().to_owned(),
        });
    }
    if let Some(rest) = text.strip_prefix("answer ") {
        let (step, one_of) = match rest.split_once('=') {
            Some((step, values)) => (
                step.trim(),
                values
                    .split(',')
                    .map(|v| v.trim().to_owned())
                    .filter(|v| !v.is_empty())
                    .collect(),
            ),
            None => (rest.trim(), Vec::new()),
        };
        return Ok(Requirement::Answer {
            step: step.to_owned(),
            one_of,
        });
    }
    Err(err("checks", n, t(Sops::SayRequirement)))
}

impl SopText {
    /// Parses the boxes into SOP content (not yet validated as a whole).
    pub fn parse(&self) -> Result<SopContent, ValidationError> {
        let mut content = SopContent {
            title: self.title.trim().to_owned(),
            purpose: self.purpose.trim().to_owned(),
            scope: self.scope.trim().to_owned(),
            trigger: self.trigger.trim().to_owned(),
            ..SopContent::default()
        };
        for (n, line) in lines(&self.roles) {
            let (role, duty) = keyed("roles", n, line, Sops::ShapeRole)?;
            content.roles.push(RoleDuty {
                role: role.to_owned(),
                duty: duty.to_owned(),
            });
        }
        content.inputs = lines(&self.inputs).map(|(_, l)| l.to_owned()).collect();
        for (n, line) in lines(&self.steps) {
            let (key, rest) = keyed("steps", n, line, Sops::ShapeStep)?;
            let (text, answer) = match rest.rsplit_once('[') {
                Some((text, spec)) if spec.ends_with(']') => {
                    let spec = &spec[..spec.len() - 1];
                    let (label, options) = match spec.split_once(':') {
                        Some((label, options)) => (
                            label.trim().to_owned(),
                            parts(options)
                                .into_iter()
                                .filter(|o| !o.is_empty())
                                .collect(),
                        ),
                        None => (spec.trim().to_owned(), Vec::new()),
                    };
                    (text.trim(), Some(AnswerSpec { label, options }))
                }
                _ => (rest, None),
            };
            content.steps.push(Step {
                key: key.to_owned(),
                text: text.to_owned(),
                answer,
            });
        }
        for (n, line) in lines(&self.decisions) {
            let (head, rest) = keyed("decisions", n, line, Sops::ShapeDecision)?;
            let (key, after_step) = match head.split_once('@') {
                Some((key, after)) => (key.trim(), Some(after.trim().to_owned())),
                None => (head, None),
            };
            let mut items = parts(rest).into_iter();
            let question = items.next().unwrap_or_default();
            let mut options = Vec::new();
            for item in items {
                let (answer, then) = item
                    .split_once("=>")
                    .ok_or_else(|| err("decisions", n, t(Sops::WriteBranch)))?;
                options.push(DecisionOption {
                    answer: answer.trim().to_owned(),
                    then: then.trim().to_owned(),
                });
            }
            content.decisions.push(DecisionPoint {
                key: key.to_owned(),
                after_step,
                question,
                options,
            });
        }
        for (n, line) in lines(&self.exceptions) {
            let (key, rest) = keyed("exceptions", n, line, Sops::ShapeException)?;
            let items = parts(rest);
            if items.len() < 3 {
                return Err(err(
                    "exceptions",
                    n,
                    &tr(Sops::WriteItAs, &[&t(Sops::ShapeException)]),
                ));
            }
            let follow_sop = items
                .get(3)
                .and_then(|f| f.strip_prefix("follow:"))
                .map(|f| f.trim().to_owned());
            content.exceptions.push(ExceptionRule {
                key: key.to_owned(),
                when: items[0].clone(),
                threshold: items[1].clone(),
                action: items[2].clone(),
                follow_sop,
            });
        }
        for (n, line) in lines(&self.escalations) {
            let (key, rest) = keyed("escalations", n, line, Sops::ShapeEscalation)?;
            let items = parts(rest);
            if items.len() != 4 {
                return Err(err(
                    "escalations",
                    n,
                    &tr(Sops::WriteItAs, &[&t(Sops::ShapeEscalationFull)]),
                ));
            }
            let level = EscalationKind::parse(&items[0])
                .map_err(|e| err("escalations", n, &tr(Sops::TheLevel, &[&e.message])))?;
            content.escalations.push(EscalationRule {
                key: key.to_owned(),
                level,
                group: Some(items[1].clone()).filter(|g| !g.is_empty()),
                when: items[2].clone(),
                reason: items[3].clone(),
            });
        }
        for (n, line) in lines(&self.checks) {
            let (key, rest) = keyed("checks", n, line, Sops::ShapeCheck)?;
            let (text, requirement) = rest
                .rsplit_once('|')
                .ok_or_else(|| err("checks", n, t(Sops::AddRequirement)))?;
            content.checks.push(QualityCheck {
                key: key.to_owned(),
                text: text.trim().to_owned(),
                requires: parse_requirement(n, requirement)?,
            });
        }
        for (_, line) in lines(&self.references) {
            let (title, location) = match line.split_once('|') {
                Some((t, l)) => (
                    t.trim(),
                    Some(l.trim().to_owned()).filter(|l| !l.is_empty()),
                ),
                None => (line, None),
            };
            content.references.push(Reference {
                title: title.to_owned(),
                location,
            });
        }
        Ok(content)
    }

    /// The boxes of `content`.
    pub fn format(content: &SopContent) -> Self {
        let join = |items: Vec<String>| items.join("\n");
        Self {
            title: content.title.clone(),
            purpose: content.purpose.clone(),
            scope: content.scope.clone(),
            trigger: content.trigger.clone(),
            roles: join(
                content
                    .roles
                    .iter()
                    .map(|r| format!("{}: {}", r.role, r.duty))
                    .collect(),
            ),
            inputs: content.inputs.join("\n"),
            steps: join(
                content
                    .steps
                    .iter()
                    .map(|s| match &s.answer {
                        Some(a) if a.options.is_empty() => {
                            format!("{}: {} [{}]", s.key, s.text, a.label)
                        }
                        Some(a) => format!(
                            "{}: {} [{}: {}]",
                            s.key,
                            s.text,
                            a.label,
                            a.options.join(" | ")
                        ),
                        None => format!("{}: {}", s.key, s.text),
                    })
                    .collect(),
            ),
            decisions: join(
                content
                    .decisions
                    .iter()
                    .map(|d| {
                        let head = match &d.after_step {
                            Some(after) => format!("{} @{after}", d.key),
                            None => d.key.clone(),
                        };
                        let branches: Vec<String> = d
                            .options
                            .iter()
                            .map(|o| format!("{} => {}", o.answer, o.then))
                            .collect();
                        format!("{head}: {} | {}", d.question, branches.join(" | "))
                    })
                    .collect(),
            ),
            exceptions: join(
                content
                    .exceptions
                    .iter()
                    .map(|e| {
                        let mut line =
                            format!("{}: {} | {} | {}", e.key, e.when, e.threshold, e.action);
                        if let Some(sop) = &e.follow_sop {
                            // i18n: not text (the line syntax the parser reads back)
                            line.push_str(&format!(" | follow: {sop}"));
                        }
                        line
                    })
                    .collect(),
            ),
            escalations: join(
                content
                    .escalations
                    .iter()
                    .map(|e| {
                        format!(
                            "{}: {} | {} | {} | {}",
                            e.key,
                            e.level.as_str(),
                            e.group.as_deref().unwrap_or(""),
                            e.when,
                            e.reason
                        )
                    })
                    .collect(),
            ),
            checks: join(
                content
                    .checks
                    .iter()
                    .map(|c| {
                        // The requirement keywords are the line syntax the parser reads back.
                        let requirement = match &c.requires {
                            Requirement::Field { field } => format!("field {}", field.as_str()),
                            // i18n: not text
                            Requirement::PriorityRationale => "priority rationale".to_owned(),
                            // i18n: not text
                            Requirement::Step { step } => format!("step {step}"),
                            Requirement::Answer { step, one_of } if one_of.is_empty() => {
                                format!("answer {step}") // i18n: not text
                            }
                            Requirement::Answer { step, one_of } => {
                                format!("answer {step} = {}", one_of.join(", ")) // i18n: not text
                            }
                        };
                        format!("{}: {} | {requirement}", c.key, c.text)
                    })
                    .collect(),
            ),
            references: join(
                content
                    .references
                    .iter()
                    .map(|r| match &r.location {
                        Some(l) => format!("{} | {l}", r.title),
                        None => r.title.clone(),
                    })
                    .collect(),
            ),
        }
    }

    /// The whole procedure as one text, for line diffs between versions.
    pub fn as_document(&self) -> String {
        let mut out = String::new();
        for (name, text) in [
            (Sops::Title, &self.title),
            (Sops::Purpose, &self.purpose),
            (Sops::Scope, &self.scope),
            (Sops::Trigger, &self.trigger),
            (Sops::Roles, &self.roles),
            (Sops::RequiredInputs, &self.inputs),
            (Sops::Steps, &self.steps),
            (Sops::DecisionPoints, &self.decisions),
            (Sops::Exceptions, &self.exceptions),
            (Sops::EscalationRules, &self.escalations),
            (Sops::QualityChecks, &self.checks),
            (Sops::References, &self.references),
        ] {
            out.push_str(&format!("## {}\n{text}\n\n", t(name)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_round_trips_through_the_editor() {
        for seed in spoc_app::seed_sops().unwrap() {
            let text = SopText::format(&seed.content);
            assert_eq!(text.parse().unwrap(), seed.content, "{}", seed.key);
        }
    }

    #[test]
    fn mistakes_name_the_box_and_the_line() {
        let text = SopText {
            steps: "verify: Verify the caller.\nno colon here".to_owned(),
            ..SopText::default()
        };
        let error = text.parse().unwrap_err();
        assert_eq!(error.field, "steps");
        assert!(error.message.starts_with("line 2:"), "{}", error.message);
        let checks = SopText {
            checks: "a: Something | field colour".to_owned(),
            ..SopText::default()
        };
        assert_eq!(checks.parse().unwrap_err().field, "checks");
        let escalations = SopText {
            escalations: "a: sideways | | when | why".to_owned(),
            ..SopText::default()
        };
        assert_eq!(escalations.parse().unwrap_err().field, "escalations");
    }

    #[test]
    fn the_syntax_reads_as_documented() {
        let text = SopText {
            steps: "verify: Verify the caller. [Method: Call-back | Manager]\nnote: Write it down. [Summary]".to_owned(),
            checks: "m: Manager verified | answer verify = Manager\np: Priority explained | priority rationale".to_owned(),
            escalations: "lead: hierarchical | | Disputed | Lead decides.".to_owned(),
            ..SopText::default()
        };
        let content = text.parse().unwrap();
        assert_eq!(
            content.steps[0].answer.as_ref().unwrap().options,
            ["Call-back", "Manager"]
        );
        assert!(content.steps[1].answer.as_ref().unwrap().options.is_empty());
        assert_eq!(
            content.checks[0].requires,
            Requirement::Answer {
                step: "verify".into(),
                one_of: vec!["Manager".into()]
            }
        );
        assert_eq!(content.checks[1].requires, Requirement::PriorityRationale);
        assert_eq!(content.escalations[0].group, None);
    }
}

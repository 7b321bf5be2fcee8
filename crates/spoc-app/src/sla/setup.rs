//! Setting service levels up: business calendars and SLA policies (admins change them, staff
//! read them), and re-applying a changed policy to the open tickets already under it.

use crate::FromRecord;
use crate::auth::permit;
use spoc_domain::credential::{Access, Resource};

use spoc_domain::access::Actor;
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::calendar::{BusinessCalendar, CalendarSpec};
use spoc_domain::event::EventData;
use spoc_domain::sla::{self, PolicyTerms};
use spoc_domain::text::Name;
use spoc_domain::ticket::Ticket;
use spoc_domain::{CalendarId, PolicyId, Timestamp, ValidationError};
use spoc_store::{CalendarRecord, PolicyRecord, StoreError, TicketChange, TicketSla};

use super::SlaSetup;
use crate::{App, AppError};

/// A business calendar: the working hours and holidays SLA clocks run on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// Id.
    pub id: CalendarId,
    /// Unique name.
    pub name: String,
    /// The hours, time zone and holidays.
    pub spec: CalendarSpec,
    /// When added.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

impl FromRecord<CalendarRecord> for Calendar {
    fn from_record(r: CalendarRecord) -> Self {
        Self {
            id: r.id,
            name: r.name,
            spec: r.spec,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// An SLA policy: which tickets it covers, their targets, and what a breach does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Id.
    pub id: PolicyId,
    /// Unique name.
    pub name: String,
    /// Order of evaluation (lower first).
    pub position: i64,
    /// The fallback when no other policy matches (exactly one).
    pub is_default: bool,
    /// The calendar its clocks run on.
    pub calendar_id: CalendarId,
    /// Conditions, targets, pauses, warning, breach actions.
    pub terms: PolicyTerms,
    /// When added.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

impl FromRecord<PolicyRecord> for Policy {
    fn from_record(r: PolicyRecord) -> Self {
        Self {
            id: r.id,
            name: r.name,
            position: r.position,
            is_default: r.is_default,
            calendar_id: r.calendar_id,
            terms: r.terms,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A policy to add or change, besides its name.
#[derive(Clone, Debug)]
pub struct PolicyInput {
    /// Order of evaluation (lower first).
    pub position: i64,
    /// Whether it is the default.
    pub is_default: bool,
    /// Its calendar.
    pub calendar_id: CalendarId,
    /// Its terms.
    pub terms: PolicyTerms,
}

impl App {
    // ----- setup use cases -----

    /// Every calendar (staff).
    pub async fn list_calendars(&self, actor: &Actor) -> Result<Vec<Calendar>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        if !actor.is_staff() {
            return Err(AppError::Forbidden(
                "only agents can look this up".to_owned(),
            ));
        }
        Ok(crate::converted(
            self.store.list_calendars(actor.tenant_id).await?,
        ))
    }

    /// Adds or changes a calendar (admins).
    pub async fn save_calendar(
        &self,
        actor: &Actor,
        id: Option<CalendarId>,
        name: Name,
        spec: CalendarSpec,
    ) -> Result<Calendar, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        BusinessCalendar::new(&spec)?;
        let now = self.now();
        let saved = match id {
            None => {
                self.store
                    .create_calendar(actor.tenant_id, name.as_str(), &spec, now)
                    .await
            }
            Some(id) => {
                self.store
                    .update_calendar(actor.tenant_id, id, name.as_str(), &spec, now)
                    .await
            }
        };
        let calendar = saved.map(Calendar::from_record).map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound { what: "calendar" },
            StoreError::Conflict { unique: true, .. } => {
                AppError::Duplicate(format!("a calendar named {} already exists", name.as_str()))
            }
            other => other.into(),
        })?;
        let action = match id {
            None => AuditAction::CalendarCreated,
            Some(_) => AuditAction::CalendarChanged,
        };
        self.audit(actor, action, AuditTarget::Calendar(calendar.id))
            .await?;
        Ok(calendar)
    }

    /// Every policy in evaluation order (staff).
    pub async fn list_policies(&self, actor: &Actor) -> Result<Vec<Policy>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        if !actor.is_staff() {
            return Err(AppError::Forbidden(
                "only agents can look this up".to_owned(),
            ));
        }
        Ok(crate::converted(
            self.store.list_policies(actor.tenant_id).await?,
        ))
    }

    /// Adds or changes a policy (admins). Changes apply to tickets logged afterwards; tickets
    /// keep the clocks they have.
    pub async fn save_policy(
        &self,
        actor: &Actor,
        id: Option<PolicyId>,
        name: Name,
        input: PolicyInput,
    ) -> Result<Policy, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        input.terms.validate()?;
        if !self
            .store
            .list_calendars(actor.tenant_id)
            .await?
            .iter()
            .any(|c| c.id == input.calendar_id)
        {
            return Err(ValidationError::new(
                "calendar_id",
                format!("there is no calendar {}", input.calendar_id),
            )
            .into());
        }
        let policies = self.store.list_policies(actor.tenant_id).await?;
        let before = id.and_then(|id| policies.iter().find(|p| p.id == id).cloned());
        if let Some(id) = id {
            let current = policies
                .iter()
                .find(|p| p.id == id)
                .ok_or(AppError::NotFound { what: "SLA policy" })?;
            if current.is_default && !input.is_default {
                return Err(ValidationError::new(
                    "is_default",
                    "make another policy the default instead; the desk always needs one",
                )
                .into());
            }
        }
        let input = spoc_store::PolicyInput {
            name: name.into_string(),
            position: input.position,
            is_default: input.is_default,
            calendar_id: input.calendar_id,
            terms: input.terms,
        };
        let now = self.now();
        let saved = match id {
            None => self.store.create_policy(actor.tenant_id, &input, now).await,
            Some(id) => {
                self.store
                    .update_policy(actor.tenant_id, id, &input, now)
                    .await
            }
        };
        let policy = saved.map(Policy::from_record).map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound { what: "SLA policy" },
            StoreError::Conflict { unique: true, .. } => {
                AppError::Duplicate(format!("a policy named {} already exists", input.name))
            }
            other => other.into(),
        })?;
        let action = match before {
            None => AuditAction::PolicyCreated,
            Some(before) => AuditAction::PolicyChanged {
                fields: [
                    ("name", before.name != input.name),
                    ("position", before.position != input.position),
                    ("is_default", before.is_default != input.is_default),
                    ("calendar_id", before.calendar_id != input.calendar_id),
                    ("terms", before.terms != input.terms),
                ]
                .into_iter()
                .filter_map(|(field, changed)| changed.then_some(field))
                .collect(),
            },
        };
        self.audit(actor, action, AuditTarget::Policy(policy.id))
            .await?;
        Ok(policy)
    }

    /// Re-applies a policy's current targets to the open tickets already under it (admins):
    /// each live clock is re-targeted from its original start, keeping the business time used
    /// and the pauses counted, and its due times are computed again; the history records each
    /// re-target. Edits to a policy otherwise apply to tickets logged afterwards only. Returns
    /// how many tickets changed.
    pub async fn reapply_policy(
        &self,
        actor: &Actor,
        policy_id: PolicyId,
    ) -> Result<usize, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let setup = self.sla_setup(actor.tenant_id).await?;
        if setup.policies.iter().all(|p| p.id != policy_id) {
            return Err(AppError::NotFound { what: "SLA policy" });
        }
        let mut changed = 0;
        let mut after = spoc_domain::TicketId::new(0);
        loop {
            let batch = self
                .store
                .open_tickets_under_policy(policy_id, after, 200)
                .await?;
            let Some(&last) = batch.last() else {
                break;
            };
            after = last;
            for id in batch {
                let now = self.now();
                let updated = self
                    .store
                    .update_ticket(
                        id,
                        actor.tenant_id.into(),
                        Some(actor.principal),
                        |ticket, stored| {
                            Ok::<_, AppError>(reapply(&setup, ticket, stored, policy_id, now))
                        },
                    )
                    .await;
                match updated {
                    Ok(updated) if !updated.events.is_empty() => {
                        changed += 1;
                    }
                    Ok(_) | Err(AppError::NotFound { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(changed)
    }
}

/// Decides the re-application of policy `policy_id` to one ticket at `now`.
fn reapply(
    setup: &SlaSetup,
    ticket: &Ticket,
    stored: Option<&TicketSla>,
    policy_id: PolicyId,
    now: Timestamp,
) -> Option<TicketChange> {
    let stored = stored.filter(|s| s.policy_id == policy_id)?;
    let (policy, calendar) = setup.policy(stored.policy_id)?;
    let mut clocks = stored.clocks.clone();
    let changes = sla::reapply(&mut clocks, &policy.terms, ticket.priority);
    if changes.is_empty() {
        return None;
    }
    let mut after = ticket.clone();
    after.version += 1;
    after.updated_at = now;
    Some(TicketChange {
        ticket: after,
        events: changes
            .into_iter()
            .map(|clock| EventData::Sla { clock })
            .collect(),
        outbox: Vec::new(),
        notifications: Vec::new(),
        sla: Some(SlaSetup::finish(policy, calendar, clocks)),
        mail: None,
        sop: None,
        article_use: None,
    })
}

//! Service levels in the use cases: the desk's default calendar and policy, choosing a policy when
//! a ticket is logged, moving its clocks inside every ticket change (same transaction), the timer
//! worker that fires warnings and breaches through leases, and the SLA setup use cases.

use crate::auth::permit;
use spoc_domain::credential::{Access, Resource};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use spoc_domain::access::{Actor, SystemActor};
use spoc_domain::calendar::{BusinessCalendar, CalendarSpec};
use spoc_domain::event::EventData;
use spoc_domain::lifecycle::{self, Command, FieldEdit};
use spoc_domain::mail::NoticeTopic;
use spoc_domain::priority::{Priority, PriorityMatrix};
use spoc_domain::sla::{
    self, ClockChange, ClockState, PolicyTerms, ReplyBy, SlaClock, SlaTarget, choose_policy,
};
use spoc_domain::text::{Name, Reason};
use spoc_domain::ticket::Ticket;
use spoc_domain::{CalendarId, GroupId, PolicyId, TenantId, Timestamp, UserId, ValidationError};
use spoc_store::{
    CalendarRecord, NewNotification, PolicyInput, PolicyRecord, StoreError, TicketChange, TicketSla,
};

use crate::error::not_found;
use crate::{App, AppError};

/// The name of the calendar every fresh desk starts with.
pub const DEFAULT_CALENDAR: &str = "Around the clock (UTC)";
/// The name of the policy every fresh desk starts with.
pub const DEFAULT_POLICY: &str = "Standard";
/// Notification topics.
const SLA_WARNING: &str = "sla.warning";
const SLA_BREACH: &str = "sla.breach";
/// How long a worker holds a claimed timer before another may take it.
const LEASE_MICROS: i64 = 60 * 1_000_000;

/// The policies and their calendars, loaded for one change.
pub(crate) struct SlaSetup {
    policies: Vec<PolicyRecord>,
    calendars: HashMap<CalendarId, BusinessCalendar>,
}

/// One clock as people and the API see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClockView {
    /// What it measures.
    pub target: SlaTarget,
    /// When it falls due, while running.
    pub due_at: Option<Timestamp>,
    /// Its state now.
    pub state: ClockState,
    /// Business time used.
    pub elapsed_micros: i64,
    /// Business time allowed.
    pub target_micros: i64,
    /// Real time spent paused.
    pub paused_micros: i64,
    /// The policy's name.
    pub policy: String,
    /// The calendar's time zone.
    pub time_zone: String,
    /// Whether the calendar is 24×7.
    pub always_open: bool,
    /// The policy's warning share, in percent.
    pub warning_percent: u8,
}

impl SlaSetup {
    fn policy(&self, id: PolicyId) -> Option<(&PolicyRecord, &BusinessCalendar)> {
        let policy = self.policies.iter().find(|p| p.id == id)?;
        Some((policy, self.calendars.get(&policy.calendar_id)?))
    }

    fn finish(
        policy: &PolicyRecord,
        calendar: &BusinessCalendar,
        clocks: Vec<SlaClock>,
    ) -> TicketSla {
        let next_due_at = sla::next_due(&clocks, calendar, policy.terms.warning_percent);
        let resolution_due_at = clocks
            .iter()
            .find(|c| c.target == SlaTarget::Resolution)
            .and_then(|c| c.due_at(calendar).ok().flatten());
        TicketSla {
            policy_id: policy.id,
            clocks,
            next_due_at,
            resolution_due_at,
        }
    }

    /// The policy that applies to a ticket being opened, with its calendar.
    fn chosen(&self, ticket: &Ticket) -> Option<(&PolicyRecord, &BusinessCalendar)> {
        let policy = choose_policy(&self.policies, |p| &p.terms, |p| p.is_default, ticket)?;
        Some((policy, self.calendars.get(&policy.calendar_id)?))
    }

    /// The terms of the policy that applies to a ticket being opened (for `lifecycle::open`).
    pub(crate) fn terms_for(&self, ticket: &Ticket) -> Option<&PolicyTerms> {
        self.chosen(ticket).map(|(policy, _)| &policy.terms)
    }

    /// The stored form of the clocks `lifecycle::open` started for `ticket` (written even when
    /// the policy sets no target for its priority, so later changes know the policy).
    pub(crate) fn opened(&self, ticket: &Ticket, clocks: Vec<SlaClock>) -> Option<TicketSla> {
        let (policy, calendar) = self.chosen(ticket)?;
        Some(Self::finish(policy, calendar, clocks))
    }

    /// Moves a ticket's clocks along a change; returns the new clocks and their history.
    pub(crate) fn advance(
        &self,
        before: &Ticket,
        after: &Ticket,
        current: Option<&TicketSla>,
        reply: Option<ReplyBy>,
        now: Timestamp,
    ) -> Option<(TicketSla, Vec<EventData>)> {
        let current = current?;
        let (policy, calendar) = self.policy(current.policy_id)?;
        let mut clocks = current.clocks.clone();
        let changes = sla::advance(
            &mut clocks,
            &policy.terms,
            calendar,
            before,
            after,
            reply,
            now,
        );
        let next = Self::finish(policy, calendar, clocks);
        if changes.is_empty() && next == *current {
            return None;
        }
        Some((
            next,
            changes
                .into_iter()
                .map(|clock| EventData::Sla { clock })
                .collect(),
        ))
    }

    /// The clocks as people read them at `now`.
    pub(crate) fn view(&self, sla: &TicketSla, now: Timestamp) -> Vec<ClockView> {
        let Some((policy, calendar)) = self.policy(sla.policy_id) else {
            return Vec::new();
        };
        sla.clocks
            .iter()
            .map(|c| ClockView {
                target: c.target,
                due_at: c.due_at(calendar).ok().flatten(),
                state: c.state(calendar, now),
                elapsed_micros: c.elapsed(calendar, now),
                target_micros: c.target_micros,
                paused_micros: c.paused_micros,
                policy: policy.name.clone(),
                time_zone: calendar.time_zone().to_owned(),
                always_open: calendar.is_always_open(),
                warning_percent: policy.terms.warning_percent,
            })
            .collect()
    }
}

/// Adds `changes` to a ticket change as SLA events, with the new clocks.
pub(crate) fn attach(change: &mut TicketChange, moved: Option<(TicketSla, Vec<EventData>)>) {
    if let Some((sla, events)) = moved {
        change.events.extend(events);
        change.sla = Some(sla);
    }
}

fn corrupt(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(StoreError::Corrupt(e.to_string()))
}

impl App {
    /// The policies and calendars in force.
    pub(crate) async fn sla_setup(&self, tenant: TenantId) -> Result<SlaSetup, AppError> {
        let (policies, calendars) = tokio::join!(
            self.store.list_policies(tenant,),
            self.store.list_calendars(tenant,)
        );
        let policies = policies?;
        let calendars = calendars?
            .into_iter()
            .map(|c| {
                BusinessCalendar::new(&c.spec)
                    .map(|cal| (c.id, cal))
                    .map_err(|e| corrupt(format!("calendar {}: {e}", c.id)))
            })
            .collect::<Result<HashMap<_, _>, _>>()?;
        Ok(SlaSetup {
            policies,
            calendars,
        })
    }

    /// Creates the default 24×7 calendar and standard policy on a desk that has no policy yet.
    pub(crate) async fn prepare_sla(&self, tenant: TenantId) -> Result<(), AppError> {
        if !self.store.list_policies(tenant).await?.is_empty() {
            return Ok(());
        }
        let now = self.now();
        let spec = CalendarSpec {
            time_zone: "UTC".to_owned(),
            always_open: true,
            hours: Vec::new(),
            holidays: Vec::new(),
        };
        let calendar = match self
            .store
            .create_calendar(tenant, DEFAULT_CALENDAR, &spec, now)
            .await
        {
            Ok(calendar) => calendar,
            Err(StoreError::Conflict { unique: true, .. }) => self
                .store
                .list_calendars(tenant)
                .await?
                .into_iter()
                .find(|c| c.name == DEFAULT_CALENDAR)
                .ok_or(AppError::NotFound { what: "calendar" })?,
            Err(e) => return Err(e.into()),
        };
        let input = PolicyInput {
            name: DEFAULT_POLICY.to_owned(),
            position: 1000,
            is_default: true,
            calendar_id: calendar.id,
            terms: PolicyTerms::standard(),
        };
        match self.store.create_policy(tenant, &input, now).await {
            Ok(_) | Err(StoreError::Conflict { unique: true, .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// The SLA clocks of these tickets as people read them now.
    pub async fn sla_views(
        &self,
        tenant: TenantId,
        tickets: &[&Ticket],
    ) -> Result<HashMap<spoc_domain::TicketId, Vec<ClockView>>, AppError> {
        let ids: Vec<_> = tickets.iter().map(|t| t.id).collect();
        let stored = self.store.ticket_slas(&ids).await?;
        if stored.is_empty() {
            return Ok(HashMap::new());
        }
        let setup = self.sla_setup(tenant).await?;
        let now = self.now();
        Ok(stored
            .into_iter()
            .map(|(id, sla)| (id, setup.view(&sla, now)))
            .collect())
    }

    // ----- setup use cases -----

    /// Every calendar (staff).
    pub async fn list_calendars(&self, actor: &Actor) -> Result<Vec<CalendarRecord>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        if !actor.is_staff() {
            return Err(AppError::Forbidden(
                "only agents can look this up".to_owned(),
            ));
        }
        Ok(self.store.list_calendars(actor.tenant_id).await?)
    }

    /// Adds or changes a calendar (admins).
    pub async fn save_calendar(
        &self,
        actor: &Actor,
        id: Option<CalendarId>,
        name: Name,
        spec: CalendarSpec,
    ) -> Result<CalendarRecord, AppError> {
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
        saved.map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound { what: "calendar" },
            StoreError::Conflict { unique: true, .. } => {
                AppError::Duplicate(format!("a calendar named {} already exists", name.as_str()))
            }
            other => other.into(),
        })
    }

    /// Every policy in evaluation order (staff).
    pub async fn list_policies(&self, actor: &Actor) -> Result<Vec<PolicyRecord>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        if !actor.is_staff() {
            return Err(AppError::Forbidden(
                "only agents can look this up".to_owned(),
            ));
        }
        Ok(self.store.list_policies(actor.tenant_id).await?)
    }

    /// Adds or changes a policy (admins). Changes apply to tickets logged afterwards; tickets
    /// keep the clocks they have.
    pub async fn save_policy(
        &self,
        actor: &Actor,
        id: Option<PolicyId>,
        name: Name,
        input: PolicyInput,
    ) -> Result<PolicyRecord, AppError> {
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
        let input = PolicyInput {
            name: name.into_string(),
            ..input
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
        saved.map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound { what: "SLA policy" },
            StoreError::Conflict { unique: true, .. } => {
                AppError::Duplicate(format!("a policy named {} already exists", input.name))
            }
            other => other.into(),
        })
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

    // ----- the timer worker -----

    /// Fires every warning and breach due now: claims due tickets through leases (so several
    /// workers, on one node or many, never fire the same timer twice), and for each records the
    /// warning or breach in the ticket's history, notifies the assignee and the group's leads,
    /// and runs the policy's breach actions. Returns how many tickets it handled.
    pub async fn run_due_timers(&self, owner: &str, limit: i64) -> Result<usize, AppError> {
        self.run_due_timers_until(owner, limit, &|| false).await
    }

    /// [`App::run_due_timers`], stopping before the next ticket once `stopping` says so (the
    /// node is shutting down): each ticket's timers fire in one transaction or not at all, and
    /// the claims left over stay with `owner` until it hands them back.
    pub async fn run_due_timers_until(
        &self,
        owner: &str,
        limit: i64,
        stopping: &(dyn Fn() -> bool + Sync),
    ) -> Result<usize, AppError> {
        // The timers act as the system within each ticket's tenant, with the rights the domain
        // gives it (every ticket of that tenant); claiming them is the worker's own bookkeeping.
        let now = self.now();
        let claimed = self
            .store
            .claim_due_timers(now, owner, now.plus_micros(LEASE_MICROS), limit)
            .await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        // The timers of every tenant: each ticket is handled under its own tenant's setup.
        let tenants = self.store.tenants_of_tickets(&claimed).await?;
        let mut setups: HashMap<TenantId, (Actor, SlaSetup, PriorityMatrix)> = HashMap::new();
        let mut handled = 0;
        for id in claimed {
            if stopping() {
                break;
            }
            let Some(&tenant) = tenants.get(&id) else {
                self.store.release_timer(id, owner).await?;
                continue;
            };
            let (actor, setup, matrix) = match setups.entry(tenant) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(new) => {
                    let actor = Actor::system(tenant, SystemActor::SlaTimer);
                    permit(&actor, Some(Resource::Tickets), Access::Write)?;
                    let setup = self.sla_setup(tenant).await?;
                    let matrix = self.priority_matrix(tenant).await?;
                    new.insert((actor, setup, matrix))
                }
            };
            let (actor, setup, matrix) = (&*actor, &*setup, &*matrix);
            let current = self.store.get_ticket(id, &actor.scope()).await;
            let Ok(current) = current else {
                self.store.release_timer(id, owner).await?;
                continue;
            };
            let leads = self.leads_of(tenant, current.group_id).await?;
            let escalation_group = match setup
                .store_policy_for(&self.store.ticket_slas(&[id]).await?, id)
                .and_then(|p| p.terms.on_breach.escalate_to_group)
            {
                Some(group) => Some(self.group_ref_for_timer(tenant, group).await?),
                None => None,
            };
            let updated = self
                .store
                .update_ticket(
                    id,
                    tenant.into(),
                    Some(actor.principal),
                    |ticket, stored| {
                        fire(
                            &Firing {
                                app: self,
                                setup,
                                matrix,
                                leads: &leads,
                                escalation_group,
                            },
                            ticket,
                            stored,
                            now,
                        )
                    },
                )
                .await;
            match updated {
                Ok(updated) if !updated.events.is_empty() => {
                    handled += 1;
                }
                Ok(_) => self.store.release_timer(id, owner).await?,
                Err(e) => {
                    tracing::warn!(ticket = %id, error = %e, "an SLA timer could not be fired; it is retried when its lease ends");
                }
            }
        }
        Ok(handled)
    }

    async fn group_ref_for_timer(
        &self,
        tenant: TenantId,
        group: GroupId,
    ) -> Result<spoc_domain::org::GroupRef, AppError> {
        let record = self
            .store
            .get_group(tenant, group)
            .await
            .map_err(not_found("group"))?;
        Ok(spoc_domain::org::GroupRef {
            id: record.id,
            tier: record.tier,
            external_supplier: record.external_supplier,
        })
    }
}

impl SlaSetup {
    fn store_policy_for(
        &self,
        stored: &HashMap<spoc_domain::TicketId, TicketSla>,
        id: spoc_domain::TicketId,
    ) -> Option<&PolicyRecord> {
        let sla = stored.get(&id)?;
        self.policies.iter().find(|p| p.id == sla.policy_id)
    }
}

/// The priority one step more urgent, if there is one.
fn raised(priority: Priority) -> Option<Priority> {
    match priority {
        Priority::P1 => None,
        Priority::P2 => Some(Priority::P1),
        Priority::P3 => Some(Priority::P2),
        Priority::P4 => Some(Priority::P3),
        Priority::P5 => Some(Priority::P4),
    }
}

/// Decides what the worker does to one ticket at `now`.
/// What the worker knows when it fires one ticket's timers.
struct Firing<'a> {
    app: &'a App,
    setup: &'a SlaSetup,
    matrix: &'a spoc_domain::priority::PriorityMatrix,
    /// The leads of the ticket's group.
    leads: &'a [UserId],
    /// The group a resolution breach escalates to, per the policy.
    escalation_group: Option<spoc_domain::org::GroupRef>,
}

fn fire(
    firing: &Firing<'_>,
    ticket: &Ticket,
    stored: Option<&TicketSla>,
    now: Timestamp,
) -> Result<Option<TicketChange>, AppError> {
    let Firing {
        app,
        setup,
        matrix,
        leads,
        escalation_group,
    } = *firing;
    let Some(stored) = stored else {
        return Ok(None);
    };
    let Some((policy, calendar)) = setup.policy(stored.policy_id) else {
        return Ok(None);
    };
    let mut clocks = stored.clocks.clone();
    let fired = sla::fire_due(&mut clocks, calendar, policy.terms.warning_percent, now);
    if fired.is_empty() {
        return Ok(None);
    }
    let number = ticket.number();
    let mut recipients: Vec<UserId> = ticket
        .assignee_id
        .into_iter()
        .chain(leads.iter().copied())
        .collect();
    recipients.sort_unstable_by_key(|u| u.get());
    recipients.dedup();
    let mut notifications = Vec::new();
    let mut outbox = Vec::new();
    let mut events: Vec<EventData> = Vec::new();
    let mut current = ticket.clone();
    for change in &fired {
        events.push(EventData::Sla {
            clock: change.clone(),
        });
        let (topic, message) = match change {
            ClockChange::Warned { target } => (
                SLA_WARNING,
                format!(
                    "{number}: {} is at {} % of its target",
                    target_label(*target),
                    policy.terms.warning_percent
                ),
            ),
            ClockChange::Breached { target } => (
                SLA_BREACH,
                format!("{number}: {} target breached", target_label(*target)),
            ),
            _ => continue,
        };
        notifications.extend(recipients.iter().map(|&user_id| NewNotification {
            user_id,
            topic: topic.to_owned(),
            message: message.clone(),
        }));
        if let ClockChange::Warned { target } | ClockChange::Breached { target } = change {
            // By e-mail too; the key makes a repeated firing impossible to send twice.
            let notice = if topic == SLA_WARNING {
                NoticeTopic::SlaWarning
            } else {
                NoticeTopic::SlaBreach
            };
            outbox.extend(app.staff_messages(
                notice,
                &recipients,
                Some(*target),
                None,
                &format!(
                    "{topic}:{}:{}:v{}",
                    ticket.id,
                    target.as_str(),
                    ticket.version
                ),
            ));
        }
        if let ClockChange::Breached {
            target: SlaTarget::Resolution,
        } = change
        {
            let actions = &policy.terms.on_breach;
            let reason = |what: &str| {
                Reason::parse(&format!(
                    "SLA breached: resolution target of policy {} — {what}",
                    policy.name
                ))
            };
            if actions.raise_priority
                && let Some(higher) = raised(current.priority)
                && current.status.is_open()
                && let Ok(why) = reason("priority raised")
            {
                let edit = FieldEdit {
                    priority_override: Some(Some((higher, why))),
                    ..FieldEdit::default()
                };
                if let Ok(outcome) = lifecycle::edit(&current, edit, matrix, now) {
                    events.extend(outcome.events);
                    current = outcome.ticket;
                }
            }
            if let Some(group) = escalation_group
                && group.tier > current.tier
                && let Ok(why) = reason("escalated to a higher tier")
                && let Ok(outcome) = lifecycle::decide(
                    &current,
                    Command::EscalateFunctional {
                        group,
                        assignee: None,
                        reason: why,
                    },
                    now,
                )
            {
                events.extend(outcome.events);
                current = outcome.ticket;
            }
            if actions.notify_lead
                && let Ok(why) = reason("leads alerted")
                && let Ok(outcome) =
                    lifecycle::decide(&current, Command::EscalateHierarchical { reason: why }, now)
            {
                events.extend(outcome.events);
                current = outcome.ticket;
            }
        }
    }
    // A priority raised by the breach re-targets the live clocks.
    let mut after_clocks = clocks;
    let retarget = sla::advance(
        &mut after_clocks,
        &policy.terms,
        calendar,
        ticket,
        &current,
        None,
        now,
    );
    events.extend(retarget.into_iter().map(|clock| EventData::Sla { clock }));
    if current.version == ticket.version {
        current.version += 1;
        current.updated_at = now;
    }
    Ok(Some(TicketChange {
        ticket: current,
        events,
        outbox,
        notifications,
        sla: Some(SlaSetup::finish(policy, calendar, after_clocks)),
        mail: None,
        sop: None,
        article_use: None,
    }))
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

/// A target as people name it.
pub fn target_label(target: SlaTarget) -> &'static str {
    match target {
        SlaTarget::FirstResponse => "first response",
        SlaTarget::Resolution => "resolution",
        SlaTarget::NextResponse => "next response",
    }
}

/// How a service-level report is broken down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportBy {
    /// By the group holding the ticket.
    Group,
    /// By priority.
    Priority,
    /// By SLA policy.
    Policy,
}

/// Attainment of one kind of target: met among decided.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attainment {
    /// Targets met.
    pub met: u64,
    /// Targets decided (met or breached) in the period.
    pub decided: u64,
}

impl Attainment {
    /// The share met, in percent, if anything was decided.
    pub fn percent(&self) -> Option<f64> {
        (self.decided > 0).then(|| self.met as f64 * 100.0 / self.decided as f64)
    }
}

/// Mean, median and 90th percentile of durations, in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DurationStats {
    /// How many.
    pub count: u64,
    /// Mean.
    pub mean: i64,
    /// Median.
    pub median: i64,
    /// 90th percentile.
    pub p90: i64,
}

impl DurationStats {
    fn of(mut values: Vec<i64>) -> Self {
        if values.is_empty() {
            return Self::default();
        }
        values.sort_unstable();
        let n = values.len();
        let rank = |p: usize| values[((n * p).div_ceil(100)).clamp(1, n) - 1];
        Self {
            count: n as u64,
            mean: values.iter().sum::<i64>() / n as i64,
            median: rank(50),
            p90: rank(90),
        }
    }
}

/// One line of a service-level report.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportRow {
    /// What the line is about (a group, a priority, a policy).
    pub label: String,
    /// First-response targets.
    pub response: Attainment,
    /// Resolution targets.
    pub resolution: Attainment,
    /// Time to resolution, elapsed.
    pub mttr_elapsed: DurationStats,
    /// Time to resolution on the SLA clock (business time, pauses excluded).
    pub mttr_business: DurationStats,
}

/// The largest number of tickets one report reads.
const REPORT_LIMIT: i64 = 200_000;

impl App {
    /// Service-level attainment and time to resolution over `[from, to)`, per group, priority or
    /// policy (`domain.md` §7). A target counts in the period it was decided: met when its clock
    /// stopped in time, breached when the breach was recorded. Time to resolution counts tickets
    /// resolved in the period, both as elapsed time and as the resolution clock's business time.
    /// Staff only.
    pub async fn sla_report(
        &self,
        actor: &Actor,
        from: Timestamp,
        to: Timestamp,
        by: ReportBy,
    ) -> Result<Vec<ReportRow>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        if !actor.is_staff() {
            return Err(AppError::Forbidden(
                "only agents can see service-level reports".to_owned(),
            ));
        }
        if to <= from {
            return Err(ValidationError::new(
                "to",
                "the end of the period must come after its start",
            )
            .into());
        }
        let tickets = self
            .store
            .tickets_changed_between(actor.tenant_id.into(), from, to, REPORT_LIMIT)
            .await?;
        let mut slas = HashMap::new();
        for chunk in tickets.chunks(500) {
            let ids: Vec<_> = chunk.iter().map(|t| t.id).collect();
            slas.extend(self.store.ticket_slas(&ids).await?);
        }
        let groups: HashMap<GroupId, String> = self
            .store
            .list_groups(actor.tenant_id)
            .await?
            .into_iter()
            .map(|g| (g.id, g.name))
            .collect();
        let policies: HashMap<PolicyId, String> = self
            .store
            .list_policies(actor.tenant_id)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect();
        let in_period = |t: Option<Timestamp>| t.is_some_and(|t| from <= t && t < to);
        struct Acc {
            response: Attainment,
            resolution: Attainment,
            elapsed: Vec<i64>,
            business: Vec<i64>,
        }
        let mut rows: Vec<(String, Acc)> = Vec::new();
        for ticket in &tickets {
            let sla = slas.get(&ticket.id);
            let label = match by {
                ReportBy::Group => groups
                    .get(&ticket.group_id)
                    .cloned()
                    .unwrap_or_else(|| format!("Group {}", ticket.group_id)),
                ReportBy::Priority => {
                    format!("{} {}", ticket.priority.as_str(), ticket.priority.label())
                }
                ReportBy::Policy => sla
                    .and_then(|s| policies.get(&s.policy_id).cloned())
                    .unwrap_or_else(|| "No policy".to_owned()),
            };
            let index = match rows.iter().position(|(l, _)| *l == label) {
                Some(i) => i,
                None => {
                    rows.push((
                        label,
                        Acc {
                            response: Attainment::default(),
                            resolution: Attainment::default(),
                            elapsed: Vec::new(),
                            business: Vec::new(),
                        },
                    ));
                    rows.len() - 1
                }
            };
            let acc = &mut rows[index].1;
            for clock in sla.map(|s| s.clocks.as_slice()).unwrap_or_default() {
                let target = match clock.target {
                    SlaTarget::FirstResponse => &mut acc.response,
                    SlaTarget::Resolution => &mut acc.resolution,
                    SlaTarget::NextResponse => continue,
                };
                if clock.breached_at.is_some() {
                    if in_period(clock.breached_at) {
                        target.decided += 1;
                    }
                } else if in_period(clock.stopped_at) {
                    target.decided += 1;
                    if clock.elapsed_micros <= clock.target_micros {
                        target.met += 1;
                    }
                }
            }
            if in_period(ticket.resolved_at)
                && let Some(resolved) = ticket.resolved_at
            {
                acc.elapsed
                    .push(resolved.as_micros() - ticket.created_at.as_micros());
                if let Some(clock) =
                    sla.and_then(|s| s.clocks.iter().find(|c| c.target == SlaTarget::Resolution))
                {
                    acc.business.push(clock.elapsed_micros);
                }
            }
        }
        let mut report: Vec<ReportRow> = rows
            .into_iter()
            .map(|(label, acc)| ReportRow {
                label,
                response: acc.response,
                resolution: acc.resolution,
                mttr_elapsed: DurationStats::of(acc.elapsed),
                mttr_business: DurationStats::of(acc.business),
            })
            .collect();
        report.sort_by(|a, b| a.label.cmp(&b.label));
        Ok(report)
    }
}

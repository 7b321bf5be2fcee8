//! Service levels in the use cases: the desk's default calendar and policy, choosing a policy when
//! a ticket is logged, moving its clocks inside every ticket change (same transaction), the timer
//! worker that fires warnings and breaches through leases, and the SLA setup use cases.

use std::collections::HashMap;

use spoc_domain::calendar::{BusinessCalendar, CalendarSpec};
use spoc_domain::event::EventData;
use spoc_domain::sla::{
    self, ClockState, PolicyTerms, ReplyBy, SlaClock, SlaTarget, choose_policy,
};
use spoc_domain::ticket::Ticket;
use spoc_domain::{CalendarId, PolicyId, TenantId, Timestamp};
use spoc_store::{PolicyRecord, StoreError, TicketChange, TicketSla};

use crate::{App, AppError};

mod report;
mod setup;
mod timers;

pub use report::{Attainment, DurationStats, ReportBy, ReportRow, target_label};
pub use setup::{Calendar, Policy, PolicyInput};

/// The name of the calendar every fresh desk starts with.
pub const DEFAULT_CALENDAR: &str = "Around the clock (UTC)";
/// The name of the policy every fresh desk starts with.
pub const DEFAULT_POLICY: &str = "Standard";

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
        let input = spoc_store::PolicyInput {
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
}

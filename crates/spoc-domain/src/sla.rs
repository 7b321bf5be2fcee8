//! Service levels: policies that choose targets for a ticket, and the clocks that measure them on
//! a business calendar — started when a ticket is logged, paused while it waits on someone the
//! policy names, re-targeted when the priority changes (elapsed time kept), stopped when the
//! target is met (first public reply, resolution), resumed when a resolution does not hold.
//!
//! Everything here is pure: the app layer loads the policy and calendar, passes `now`, and
//! persists the clocks and the [`ClockChange`]s as history.

use crate::calendar::{BusinessCalendar, NoWorkingTime};
use crate::priority::Priority;
use crate::ticket::{PendingReason, Status, Ticket, TicketKind};
use crate::time::Timestamp;
use crate::{CategoryId, GroupId, OrganizationId, ServiceId};

const MINUTE: i64 = 60_000_000;

/// What a clock measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaTarget {
    /// Until the desk's first public reply.
    FirstResponse,
    /// Until the ticket is resolved.
    Resolution,
    /// From a requester's reply until the desk's next public reply.
    NextResponse,
}

impl SlaTarget {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::FirstResponse => "first_response",
            Self::Resolution => "resolution",
            Self::NextResponse => "next_response",
        }
    }
}

/// A clock's state as people read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Counting.
    Running,
    /// Not counting while the ticket waits.
    Paused,
    /// Stopped within the target.
    Met,
    /// Past the target (running or stopped).
    Breached,
}

/// Targets in business minutes, per priority (P1 first).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PriorityMinutes(pub [i64; 5]);

impl PriorityMinutes {
    /// The target for `priority`, in microseconds of business time.
    pub fn for_priority(&self, priority: Priority) -> i64 {
        let index = usize::try_from(priority.rank() - 1).unwrap_or(0).min(4);
        self.0[index].saturating_mul(MINUTE)
    }
}

/// Which tickets a policy applies to; an empty list matches anything.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConditions {
    /// Ticket kinds.
    #[serde(default)]
    pub kinds: Vec<TicketKind>,
    /// Priorities.
    #[serde(default)]
    pub priorities: Vec<Priority>,
    /// Services.
    #[serde(default)]
    pub service_ids: Vec<ServiceId>,
    /// Requesters' organisations.
    #[serde(default)]
    pub organization_ids: Vec<OrganizationId>,
    /// Categories (matching a ticket's category or subcategory).
    #[serde(default)]
    pub category_ids: Vec<CategoryId>,
}

impl PolicyConditions {
    /// Whether `ticket` meets every condition.
    pub fn matches(&self, ticket: &Ticket) -> bool {
        fn any<T: PartialEq>(list: &[T], value: Option<T>) -> bool {
            list.is_empty() || value.is_some_and(|v| list.contains(&v))
        }
        any(&self.kinds, Some(ticket.kind))
            && any(&self.priorities, Some(ticket.priority))
            && any(&self.service_ids, ticket.service_id)
            && any(&self.organization_ids, ticket.organization_id)
            && (self.category_ids.is_empty()
                || ticket
                    .category_id
                    .is_some_and(|c| self.category_ids.contains(&c))
                || ticket
                    .subcategory_id
                    .is_some_and(|c| self.category_ids.contains(&c)))
    }
}

/// What happens when a resolution target is breached.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreachActions {
    /// Alert the group's leads (hierarchical escalation).
    #[serde(default)]
    pub notify_lead: bool,
    /// Move the ticket to this higher-tier group (functional escalation).
    #[serde(default)]
    pub escalate_to_group: Option<GroupId>,
    /// Raise the priority one step (P3 → P2), recorded as an override.
    #[serde(default)]
    pub raise_priority: bool,
}

/// The terms of a policy.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyTerms {
    /// Which tickets.
    #[serde(default)]
    pub conditions: PolicyConditions,
    /// Time to first response.
    pub first_response: PriorityMinutes,
    /// Time to resolution.
    pub resolution: PriorityMinutes,
    /// Time to each next response after a requester's reply, if measured.
    #[serde(default)]
    pub next_response: Option<PriorityMinutes>,
    /// Pending reasons that pause the clocks.
    #[serde(default)]
    pub pause_on: Vec<PendingReason>,
    /// Warn at this share of the target, in percent (1–99).
    pub warning_percent: u8,
    /// Escalation on breach.
    #[serde(default)]
    pub on_breach: BreachActions,
}

impl PolicyTerms {
    /// The target for `target` at `priority`, if the policy measures it.
    pub fn target(&self, target: SlaTarget, priority: Priority) -> Option<i64> {
        match target {
            SlaTarget::FirstResponse => Some(self.first_response.for_priority(priority)),
            SlaTarget::Resolution => Some(self.resolution.for_priority(priority)),
            SlaTarget::NextResponse => self
                .next_response
                .as_ref()
                .map(|m| m.for_priority(priority)),
        }
    }

    /// Checks the numbers.
    pub fn validate(&self) -> Result<(), crate::ValidationError> {
        let all = [
            Some(&self.first_response),
            Some(&self.resolution),
            self.next_response.as_ref(),
        ];
        for minutes in all.into_iter().flatten() {
            if minutes.0.iter().any(|m| *m <= 0 || *m > 60 * 24 * 366) {
                return Err(crate::ValidationError::new(
                    "targets",
                    "every target must be between 1 minute and 366 days of business time",
                ));
            }
            if minutes.0.windows(2).any(|w| w[0] > w[1]) {
                return Err(crate::ValidationError::new(
                    "targets",
                    "a more urgent priority cannot have a longer target than a less urgent one",
                ));
            }
        }
        if !(1..=99).contains(&self.warning_percent) {
            return Err(crate::ValidationError::new(
                "warning_percent",
                "must be between 1 and 99",
            ));
        }
        Ok(())
    }

    /// The out-of-the-box terms: every ticket, pausing while waiting on the user or a third
    /// party, warning at 75 %, alerting the leads on breach.
    pub fn standard() -> Self {
        Self {
            conditions: PolicyConditions::default(),
            // P1 … P5, business minutes.
            first_response: PriorityMinutes([15, 30, 60, 240, 480]),
            resolution: PriorityMinutes([240, 480, 1440, 4320, 10080]),
            next_response: None,
            pause_on: vec![
                PendingReason::AwaitingUser,
                PendingReason::AwaitingThirdParty,
            ],
            warning_percent: 75,
            on_breach: BreachActions {
                notify_lead: true,
                escalate_to_group: None,
                raise_priority: false,
            },
        }
    }
}

/// The first policy (in order) whose conditions match, else the default.
pub fn choose_policy<'a, P>(
    policies: &'a [P],
    terms: impl Fn(&P) -> &PolicyTerms,
    is_default: impl Fn(&P) -> bool,
    ticket: &Ticket,
) -> Option<&'a P> {
    policies
        .iter()
        .find(|p| !is_default(p) && terms(p).conditions.matches(ticket))
        .or_else(|| policies.iter().find(|p| is_default(p)))
}

/// One clock of one ticket.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SlaClock {
    /// What it measures.
    pub target: SlaTarget,
    /// The business time allowed, in microseconds.
    pub target_micros: i64,
    /// When it started.
    pub started_at: Timestamp,
    /// Business time counted before `running_since` (all of it when not running).
    pub elapsed_micros: i64,
    /// Counting since; `None` while paused or stopped.
    pub running_since: Option<Timestamp>,
    /// Why it is paused.
    pub paused_for: Option<PendingReason>,
    /// Real time spent paused, in microseconds (for explanations).
    pub paused_micros: i64,
    /// Since when it is paused.
    pub paused_since: Option<Timestamp>,
    /// When it was stopped (met, or stopped after a breach).
    pub stopped_at: Option<Timestamp>,
    /// When the warning fired.
    pub warned_at: Option<Timestamp>,
    /// When the breach was recorded.
    pub breached_at: Option<Timestamp>,
}

/// A change of a clock, for the ticket's history.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ClockChange {
    /// Started with a target.
    Started {
        /// Which clock.
        target: SlaTarget,
        /// Target in business microseconds.
        target_micros: i64,
    },
    /// Paused while the ticket waits.
    Paused {
        /// Which clock.
        target: SlaTarget,
        /// On what.
        reason: PendingReason,
    },
    /// Counting again.
    Resumed {
        /// Which clock.
        target: SlaTarget,
    },
    /// New target after a priority change; elapsed time kept.
    Retargeted {
        /// Which clock.
        target: SlaTarget,
        /// Before.
        from_micros: i64,
        /// After.
        to_micros: i64,
    },
    /// The warning share of the target was reached.
    Warned {
        /// Which clock.
        target: SlaTarget,
    },
    /// The target was breached.
    Breached {
        /// Which clock.
        target: SlaTarget,
    },
    /// Stopped: the target was met (or stopped late).
    Stopped {
        /// Which clock.
        target: SlaTarget,
        /// Business time used.
        elapsed_micros: i64,
        /// Within the target.
        met: bool,
    },
}

impl SlaClock {
    /// A clock started at `at` with `target_micros` of business time.
    pub fn start(target: SlaTarget, target_micros: i64, at: Timestamp) -> Self {
        Self {
            target,
            target_micros,
            started_at: at,
            elapsed_micros: 0,
            running_since: Some(at),
            paused_for: None,
            paused_micros: 0,
            paused_since: None,
            stopped_at: None,
            warned_at: None,
            breached_at: None,
        }
    }

    /// Business time used up to `now`.
    pub fn elapsed(&self, calendar: &BusinessCalendar, now: Timestamp) -> i64 {
        self.elapsed_micros
            + self
                .running_since
                .map_or(0, |since| calendar.between(since, now))
    }

    /// When the target falls due, while the clock runs.
    pub fn due_at(&self, calendar: &BusinessCalendar) -> Result<Option<Timestamp>, NoWorkingTime> {
        match self.running_since {
            Some(since) => calendar
                .add(since, (self.target_micros - self.elapsed_micros).max(0))
                .map(Some),
            None => Ok(None),
        }
    }

    /// When the warning falls due (at `percent` of the target), while the clock runs and has not
    /// warned yet.
    pub fn warn_at(
        &self,
        calendar: &BusinessCalendar,
        percent: u8,
    ) -> Result<Option<Timestamp>, NoWorkingTime> {
        if self.warned_at.is_some() || self.breached_at.is_some() {
            return Ok(None);
        }
        let threshold = self.target_micros / 100 * i64::from(percent);
        match self.running_since {
            Some(since) => calendar
                .add(since, (threshold - self.elapsed_micros).max(0))
                .map(Some),
            None => Ok(None),
        }
    }

    /// The state at `now`.
    pub fn state(&self, calendar: &BusinessCalendar, now: Timestamp) -> ClockState {
        let over = self.breached_at.is_some() || self.elapsed(calendar, now) > self.target_micros;
        match (self.stopped_at, self.running_since, over) {
            (_, _, true) => ClockState::Breached,
            (Some(_), _, false) => ClockState::Met,
            (None, Some(_), false) => ClockState::Running,
            (None, None, false) => ClockState::Paused,
        }
    }

    /// Whether the clock still counts or can count again (not stopped).
    pub fn is_live(&self) -> bool {
        self.stopped_at.is_none()
    }

    fn pause(
        &mut self,
        calendar: &BusinessCalendar,
        reason: PendingReason,
        at: Timestamp,
    ) -> Option<ClockChange> {
        let since = self.running_since.take()?;
        self.elapsed_micros += calendar.between(since, at);
        self.paused_for = Some(reason);
        self.paused_since = Some(at);
        Some(ClockChange::Paused {
            target: self.target,
            reason,
        })
    }

    fn resume(&mut self, at: Timestamp) -> Option<ClockChange> {
        if self.running_since.is_some() || self.stopped_at.is_some() {
            return None;
        }
        if let Some(since) = self.paused_since.take() {
            self.paused_micros += (at.as_micros() - since.as_micros()).max(0);
        }
        self.paused_for = None;
        self.running_since = Some(at);
        Some(ClockChange::Resumed {
            target: self.target,
        })
    }

    fn stop(&mut self, calendar: &BusinessCalendar, at: Timestamp) -> Option<ClockChange> {
        if self.stopped_at.is_some() {
            return None;
        }
        if let Some(since) = self.running_since.take() {
            self.elapsed_micros += calendar.between(since, at);
        }
        if let Some(since) = self.paused_since.take() {
            self.paused_micros += (at.as_micros() - since.as_micros()).max(0);
        }
        self.paused_for = None;
        self.stopped_at = Some(at);
        Some(ClockChange::Stopped {
            target: self.target,
            elapsed_micros: self.elapsed_micros,
            met: self.breached_at.is_none() && self.elapsed_micros <= self.target_micros,
        })
    }

    fn restart_stopped(&mut self, at: Timestamp) -> Option<ClockChange> {
        self.stopped_at.take()?;
        self.running_since = Some(at);
        Some(ClockChange::Resumed {
            target: self.target,
        })
    }
}

/// What happened to a ticket, as far as its clocks care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplyBy {
    /// A public reply by an agent.
    Staff,
    /// A reply by the requester.
    Requester,
}

/// Moves `clocks` along a change of `before` into `after` at `now` under `terms`. `reply` says
/// whether the change was a public reply and by whom. Returns the history of the clocks.
///
/// - Entering pending for a reason the policy pauses on pauses every running clock; leaving it
///   resumes them.
/// - The desk's first public reply meets the first-response clock; a staff reply meets a running
///   next-response clock; a requester's reply starts (or restarts) it.
/// - Resolution stops the resolution clock, and the response clocks (the resolution notes reach
///   the requester); reopening resumes the resolution clock (time while resolved is not
///   counted); closing or cancelling stops every clock.
/// - A priority change re-targets every live clock from its original start, keeping elapsed time.
pub fn advance(
    clocks: &mut Vec<SlaClock>,
    terms: &PolicyTerms,
    calendar: &BusinessCalendar,
    before: &Ticket,
    after: &Ticket,
    reply: Option<ReplyBy>,
    now: Timestamp,
) -> Vec<ClockChange> {
    let mut changes = Vec::new();
    if before.priority != after.priority {
        for clock in clocks.iter_mut().filter(|c| c.is_live()) {
            if let Some(target) = terms.target(clock.target, after.priority)
                && target != clock.target_micros
            {
                changes.push(ClockChange::Retargeted {
                    target: clock.target,
                    from_micros: clock.target_micros,
                    to_micros: target,
                });
                clock.target_micros = target;
            }
        }
    }
    let pauses = |t: &Ticket| {
        t.status == Status::Pending
            && t.pending_reason
                .is_some_and(|r| terms.pause_on.contains(&r))
    };
    match (pauses(before), pauses(after)) {
        (false, true) => {
            if let Some(reason) = after.pending_reason {
                for clock in clocks.iter_mut().filter(|c| c.is_live()) {
                    changes.extend(clock.pause(calendar, reason, now));
                }
            }
        }
        (true, false) => {
            for clock in clocks.iter_mut().filter(|c| c.is_live()) {
                changes.extend(clock.resume(now));
            }
        }
        _ => {}
    }
    match reply {
        Some(ReplyBy::Staff) => {
            for clock in clocks
                .iter_mut()
                .filter(|c| matches!(c.target, SlaTarget::FirstResponse | SlaTarget::NextResponse))
            {
                changes.extend(clock.stop(calendar, now));
            }
        }
        Some(ReplyBy::Requester) => {
            if let Some(target) = terms.target(SlaTarget::NextResponse, after.priority)
                && after.status.is_active()
            {
                let live = clocks
                    .iter()
                    .any(|c| c.target == SlaTarget::NextResponse && c.is_live());
                if !live {
                    clocks.retain(|c| c.target != SlaTarget::NextResponse);
                    let mut clock = SlaClock::start(SlaTarget::NextResponse, target, now);
                    if pauses(after) {
                        clock.running_since = None;
                        clock.paused_since = Some(now);
                        clock.paused_for = after.pending_reason;
                    }
                    clocks.push(clock);
                    changes.push(ClockChange::Started {
                        target: SlaTarget::NextResponse,
                        target_micros: target,
                    });
                }
            }
        }
        None => {}
    }
    if before.status != Status::Resolved && after.status == Status::Resolved {
        // The resolution reaches the requester with its notes: it answers them too.
        for clock in clocks.iter_mut() {
            changes.extend(clock.stop(calendar, now));
        }
    }
    if before.status == Status::Resolved && after.status.is_active() {
        for clock in clocks
            .iter_mut()
            .filter(|c| c.target == SlaTarget::Resolution)
        {
            changes.extend(clock.restart_stopped(now));
        }
    }
    if !after.status.is_open() {
        for clock in clocks.iter_mut() {
            changes.extend(clock.stop(calendar, now));
        }
    }
    changes
}

/// Re-applies `terms` to a ticket's clocks, as when an admin re-applies an edited policy to the
/// tickets already under it: every live clock takes the target `terms` set for `priority`,
/// keeping the business time already used and the pauses already counted. Clocks the terms no
/// longer measure are left as they are. Returns the history.
pub fn reapply(
    clocks: &mut [SlaClock],
    terms: &PolicyTerms,
    priority: Priority,
) -> Vec<ClockChange> {
    let mut changes = Vec::new();
    for clock in clocks.iter_mut().filter(|c| c.is_live()) {
        if let Some(target) = terms.target(clock.target, priority)
            && target != clock.target_micros
        {
            changes.push(ClockChange::Retargeted {
                target: clock.target,
                from_micros: clock.target_micros,
                to_micros: target,
            });
            clock.target_micros = target;
        }
    }
    changes
}

/// Fires what is due at `now`: the warning of each running clock at `percent` of its target, and
/// the breach of each running clock past its target. Each fires at most once per clock.
pub fn fire_due(
    clocks: &mut [SlaClock],
    calendar: &BusinessCalendar,
    percent: u8,
    now: Timestamp,
) -> Vec<ClockChange> {
    let mut changes = Vec::new();
    for clock in clocks.iter_mut().filter(|c| c.running_since.is_some()) {
        let elapsed = clock.elapsed(calendar, now);
        if clock.warned_at.is_none()
            && clock.breached_at.is_none()
            && elapsed >= clock.target_micros / 100 * i64::from(percent)
        {
            clock.warned_at = Some(now);
            changes.push(ClockChange::Warned {
                target: clock.target,
            });
        }
        if clock.breached_at.is_none() && elapsed >= clock.target_micros {
            clock.breached_at = Some(now);
            changes.push(ClockChange::Breached {
                target: clock.target,
            });
        }
    }
    changes
}

/// The next instant something is due among `clocks` (a warning or a breach), if any.
pub fn next_due(
    clocks: &[SlaClock],
    calendar: &BusinessCalendar,
    percent: u8,
) -> Option<Timestamp> {
    clocks
        .iter()
        .flat_map(|c| {
            let warn = c.warn_at(calendar, percent).ok().flatten();
            let due = if c.breached_at.is_none() {
                c.due_at(calendar).ok().flatten()
            } else {
                None
            };
            [warn, due]
        })
        .flatten()
        .min()
}

/// The clocks of a newly logged ticket.
pub fn start_clocks(
    terms: &PolicyTerms,
    ticket: &Ticket,
    now: Timestamp,
) -> (Vec<SlaClock>, Vec<ClockChange>) {
    let mut clocks = Vec::new();
    let mut changes = Vec::new();
    for target in [SlaTarget::FirstResponse, SlaTarget::Resolution] {
        if let Some(micros) = terms.target(target, ticket.priority) {
            clocks.push(SlaClock::start(target, micros, now));
            changes.push(ClockChange::Started {
                target,
                target_micros: micros,
            });
        }
    }
    (clocks, changes)
}

/// "4 h 30 min" for a business duration.
pub fn describe_duration(micros: i64) -> String {
    let minutes = micros.max(0) / MINUTE;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// Where a ticket stands against its service levels, as a queue filters by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SlaStanding {
    /// A target was breached.
    Breached,
    /// A warning fired on an open ticket and no target is breached yet.
    AtRisk,
    /// Neither breached nor at risk (tickets without clocks included).
    Ok,
}

impl SlaStanding {
    /// Every standing, most pressing first.
    pub const ALL: [Self; 3] = [Self::Breached, Self::AtRisk, Self::Ok];

    /// The wire name: `breached`, `at_risk`, `ok`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Breached => "breached",
            Self::AtRisk => "at_risk",
            Self::Ok => "ok",
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Breached => "Breached",
            Self::AtRisk => "At risk",
            Self::Ok => "On track",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<Self, crate::ValidationError> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| {
                crate::ValidationError::new("sla", "must be one of breached, at_risk, ok")
            })
    }
}

//! Service-level reports: attainment of targets and time to resolution over a period, per
//! group, priority or policy.

use crate::auth::permit;
use spoc_domain::credential::{Access, Resource};
use std::collections::HashMap;

use spoc_domain::access::Actor;
use spoc_domain::sla::SlaTarget;
use spoc_domain::{GroupId, PolicyId, Timestamp, ValidationError};

use crate::{App, AppError};

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

//! The SLA timer worker: claims due timers through leases and fires warnings and breaches —
//! history, notifications and the policy's breach actions, in the ticket's own transaction.

use crate::auth::permit;
use spoc_domain::credential::{Access, Resource};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use spoc_domain::access::{Actor, SystemActor};
use spoc_domain::event::EventData;
use spoc_domain::lifecycle::{self, Command, FieldEdit};
use spoc_domain::mail::NoticeTopic;
use spoc_domain::priority::{Priority, PriorityMatrix};
use spoc_domain::sla::{self, ClockChange, SlaTarget};
use spoc_domain::text::Reason;
use spoc_domain::ticket::Ticket;
use spoc_domain::{GroupId, TenantId, Timestamp, UserId};
use spoc_store::{NewNotification, PolicyRecord, TicketChange, TicketSla};

use super::SlaSetup;
use super::report::target_label;
use crate::error::not_found;
use crate::{App, AppError};

/// Notification topics.
const SLA_WARNING: &str = "sla.warning";
const SLA_BREACH: &str = "sla.breach";
/// How long a worker holds a claimed timer before another may take it.
const LEASE_MICROS: i64 = 60 * 1_000_000;

impl App {
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
            self.tenant_mail(tenant).await?;
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
                                tenant,
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
    /// The ticket's tenant.
    tenant: TenantId,
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
        tenant,
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
                tenant,
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

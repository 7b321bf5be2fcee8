//! Lifecycle actions on a ticket: assign, escalate, put on hold, resolve, close, reopen… each
//! decided by the domain inside the ticket's one transaction.

use crate::auth::permit;
use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::lifecycle::{self, Action, Command};
use spoc_domain::org::GroupRef;
use spoc_domain::text::{Body, Reason};
use spoc_domain::ticket::{PendingReason, ResolutionCode, Ticket};
use spoc_domain::user::Role;
use spoc_domain::{GroupId, TenantId, TicketId, UserId, ValidationError};
use spoc_store::{Load, NewNotification, StoreError, TicketChange};

use super::{check_version, ticket_not_found, visible};
use crate::{App, AppError};

/// The notification and outbox topic of a hierarchical escalation (a lead is alerted).
const HIERARCHICAL_ESCALATION: &str = "escalation.hierarchical";

/// Escalation parameters.
#[derive(Clone, Debug)]
pub enum EscalationInput {
    /// To a higher-tier group.
    Functional {
        /// The group.
        group_id: GroupId,
        /// Optionally one of its agents.
        assignee_id: Option<UserId>,
        /// Why.
        reason: Reason,
    },
    /// Alert the group's lead(s).
    Hierarchical {
        /// Why.
        reason: Reason,
    },
}

/// A lifecycle action with its parameters.
#[derive(Clone, Debug)]
pub enum ActionInput {
    /// Route to a group (default: the current one) and optionally an agent of it.
    Assign {
        /// Target group.
        group_id: Option<GroupId>,
        /// Target agent.
        assignee_id: Option<UserId>,
    },
    /// Begin work.
    Start,
    /// Wait.
    Pend {
        /// For what.
        reason: PendingReason,
    },
    /// Continue.
    Resume,
    /// Escalate.
    Escalate(EscalationInput),
    /// Deliver.
    Resolve {
        /// How.
        code: ResolutionCode,
        /// What was done.
        notes: Body,
    },
    /// Confirm and finish.
    Close,
    /// The resolution did not hold.
    Reopen {
        /// Why.
        reason: Option<Reason>,
    },
    /// Withdraw.
    Cancel {
        /// Why.
        reason: Option<Reason>,
    },
}

impl ActionInput {
    /// The lifecycle action.
    pub fn action(&self) -> Action {
        match self {
            Self::Assign { .. } => Action::Assign,
            Self::Start => Action::Start,
            Self::Pend { .. } => Action::Pend,
            Self::Resume => Action::Resume,
            Self::Escalate(_) => Action::Escalate,
            Self::Resolve { .. } => Action::Resolve,
            Self::Close => Action::Close,
            Self::Reopen { .. } => Action::Reopen,
            Self::Cancel { .. } => Action::Cancel,
        }
    }
}

impl App {
    /// Performs a lifecycle action.
    pub async fn perform_action(
        &self,
        actor: &Actor,
        id: TicketId,
        expected_version: Option<i64>,
        input: ActionInput,
    ) -> Result<Ticket, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        // Look up what the decision needs before taking the write lock: the target group and
        // the leads to notify. Visibility is checked again under the lock.
        let current = self.get_ticket(actor, id).await?;
        actor.may_perform(&current, input.action())?;
        self.tenant_mail(actor.tenant_id).await?;
        // Resolve and close must pass the quality checks of the ticket's SOP: the SOP is looked
        // up now, the checks (and the binding of an unbound ticket) happen under the lock.
        let gate = self.sop_gate(actor, &current, input.action()).await?;
        let command = match input {
            ActionInput::Assign {
                group_id,
                assignee_id,
            } => {
                let group = self
                    .group_ref(actor.tenant_id, group_id.unwrap_or(current.group_id))
                    .await?;
                self.check_assignee(actor.tenant_id, group.id, assignee_id)
                    .await?;
                Command::Assign {
                    group,
                    assignee: assignee_id,
                }
            }
            ActionInput::Start => {
                if current.assignee_id.is_none() {
                    self.check_assignee(actor.tenant_id, current.group_id, actor.user_id())
                        .await
                        .map_err(|_| {
                            AppError::Forbidden(
                                "only a member of the ticket's group can start it; assign it first"
                                    .to_owned(),
                            )
                        })?;
                }
                Command::Start {
                    actor: actor.person()?,
                }
            }
            ActionInput::Pend { reason } => Command::Pend { reason },
            ActionInput::Resume => Command::Resume,
            ActionInput::Escalate(EscalationInput::Functional {
                group_id,
                assignee_id,
                reason,
            }) => {
                let group = self.group_ref(actor.tenant_id, group_id).await?;
                self.check_assignee(actor.tenant_id, group.id, assignee_id)
                    .await?;
                Command::EscalateFunctional {
                    group,
                    assignee: assignee_id,
                    reason,
                }
            }
            ActionInput::Escalate(EscalationInput::Hierarchical { reason }) => {
                Command::EscalateHierarchical { reason }
            }
            ActionInput::Resolve { code, notes } => Command::Resolve { code, notes },
            ActionInput::Close => Command::Close,
            ActionInput::Reopen { reason } => Command::Reopen { reason },
            ActionInput::Cancel { reason } => Command::Cancel { reason },
        };
        let leads = match &command {
            Command::EscalateHierarchical { .. } => {
                self.leads_of(actor.tenant_id, current.group_id).await?
            }
            _ => Vec::new(),
        };
        let setup = self.sla_setup(actor.tenant_id).await?;
        let now = self.now();
        let load = Load {
            history: gate.is_some(),
        };
        let updated = self
            .store
            .update_ticket_with(
                id,
                actor.tenant_id.into(),
                Some(actor.principal),
                load,
                |state| {
                    let ticket = &state.ticket;
                    let sla = state.sla.as_ref();
                    visible(actor, ticket)?;
                    actor.may_perform(ticket, command.action())?;
                    check_version(ticket, expected_version)?;
                    let binding = match &gate {
                        Some(gate) => gate.check(state, actor.user_id(), now)?,
                        None => None,
                    };
                    let reason = match &command {
                        Command::EscalateHierarchical { reason } => {
                            Some(reason.as_str().to_owned())
                        }
                        _ => None,
                    };
                    let outcome = lifecycle::decide(ticket, command, now)?;
                    let notifications = match &reason {
                        Some(reason) => leads
                            .iter()
                            .map(|&lead| NewNotification {
                                user_id: lead,
                                topic: HIERARCHICAL_ESCALATION.to_owned(),
                                message: format!(
                                    "{} was escalated to you: {reason}",
                                    ticket.number()
                                ),
                            })
                            .collect(),
                        None => Vec::new(),
                    };
                    let mut outbox = self.notice_messages(
                        actor.tenant_id,
                        &outcome.ticket,
                        &outcome.events,
                        Some(actor),
                    );
                    if let Some(reason) = &reason {
                        outbox.extend(self.staff_messages(
                            actor.tenant_id,
                            spoc_domain::mail::NoticeTopic::Escalation,
                            &leads,
                            None,
                            Some(reason),
                            &format!(
                                "{HIERARCHICAL_ESCALATION}:{}:v{}",
                                ticket.id, outcome.ticket.version
                            ),
                        ));
                    }
                    let moved = setup.advance(ticket, &outcome.ticket, sla, None, now);
                    // A ticket resolved under an SOP it was not bound to is bound by the resolve.
                    let (mut events, sop) = match binding {
                        Some((applied, record)) => (vec![applied], Some(record)),
                        None => (Vec::new(), None),
                    };
                    events.extend(outcome.events);
                    let mut change = TicketChange {
                        ticket: outcome.ticket,
                        events,
                        outbox,
                        notifications,
                        sla: None,
                        mail: None,
                        sop,
                        article_use: None,
                    };
                    crate::sla::attach(&mut change, moved);
                    Ok::<_, AppError>(Some(change))
                },
            )
            .await
            .map_err(ticket_not_found)?;
        Ok(updated.ticket)
    }

    async fn group_ref(&self, tenant: TenantId, id: GroupId) -> Result<GroupRef, AppError> {
        let group = self
            .store
            .get_group(tenant, id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => {
                    ValidationError::new("group_id", format!("there is no group {id}")).into()
                }
                other => AppError::from(other),
            })?;
        Ok(GroupRef {
            id: group.id,
            tier: group.tier,
            external_supplier: group.external_supplier,
        })
    }

    /// An assignee must be an active agent, lead or admin who belongs to the group.
    async fn check_assignee(
        &self,
        tenant: TenantId,
        group: GroupId,
        assignee: Option<UserId>,
    ) -> Result<(), AppError> {
        let Some(assignee) = assignee else {
            return Ok(());
        };
        let invalid = || {
            ValidationError::new(
                "assignee_id",
                format!("user {assignee} is not an agent of group {group}"),
            )
        };
        let user = match self.store.get_user(tenant, assignee).await {
            Ok(user) => user,
            Err(StoreError::NotFound) => return Err(invalid().into()),
            Err(e) => return Err(e.into()),
        };
        if !user.active
            || !user.role.is_staff()
            || !self.store.groups_of(assignee).await?.contains(&group)
        {
            return Err(invalid().into());
        }
        Ok(())
    }

    /// The leads to alert for a group: its lead members, or every lead if it has none.
    pub(crate) async fn leads_of(
        &self,
        tenant: TenantId,
        group: GroupId,
    ) -> Result<Vec<UserId>, AppError> {
        let members: Vec<UserId> = self
            .store
            .group_members(tenant, group)
            .await?
            .into_iter()
            .filter(|u| u.active && u.role == Role::Lead)
            .map(|u| u.id)
            .collect();
        if !members.is_empty() {
            return Ok(members);
        }
        Ok(self
            .store
            .users_with_role(tenant, Role::Lead)
            .await?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| u.id)
            .collect())
    }
}

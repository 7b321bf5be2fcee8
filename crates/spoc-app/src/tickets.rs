//! Ticket use cases: log, read, list and search, edit, lifecycle actions, replies and notes,
//! history. Every one checks what the actor may see and do.

use crate::auth::permit;
use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::event::EventData;
use spoc_domain::lifecycle::{self, Action, Command, CommentAuthor, FieldEdit, Opening};
use spoc_domain::org::GroupRef;
use spoc_domain::priority::{Impact, Priority, PriorityMatrix, Urgency};
use spoc_domain::text::{Body, Reason, Title};
use spoc_domain::ticket::{Channel, PendingReason, ResolutionCode, Status, Ticket, TicketKind};
use spoc_domain::user::Role;
use spoc_domain::{
    CategoryId, GroupId, OrganizationId, ServiceId, TenantId, TicketId, UserId, ValidationError,
};
use spoc_store::{
    Cursor, EventRecord, Load, NewNotification, OutboxMessage, SearchText, StoreError,
    TicketChange, TicketDraft, TicketPage, TicketQuery, TicketSort,
};

use crate::error::not_found;
use crate::rate_limits::Limited;

/// The notification and outbox topic of a hierarchical escalation (a lead is alerted).
const HIERARCHICAL_ESCALATION: &str = "escalation.hierarchical";
use crate::{App, AppError, DEFAULT_GROUP_KEY, PRIORITY_MATRIX_KEY};

/// A ticket to log.
#[derive(Clone, Debug)]
pub struct NewTicketInput {
    /// Incident or service request.
    pub kind: TicketKind,
    /// Title.
    pub title: Title,
    /// Description.
    pub description: Body,
    /// Impact.
    pub impact: Impact,
    /// Urgency.
    pub urgency: Urgency,
    /// Category (or a subcategory, whose parent then becomes the category).
    pub category_id: Option<CategoryId>,
    /// Service.
    pub service_id: Option<ServiceId>,
    /// For whom; staff may log on behalf of anyone, customers only for themselves.
    pub requester_id: Option<UserId>,
    /// How it arrived.
    pub channel: Channel,
}

/// Queue filters, as a person states them.
#[derive(Clone, Debug, Default)]
pub struct TicketFilter {
    /// Any of these statuses.
    pub statuses: Vec<Status>,
    /// Kind.
    pub kind: Option<TicketKind>,
    /// Group.
    pub group_id: Option<GroupId>,
    /// Any of these groups (`None`: no restriction; an empty list matches nothing).
    pub any_group_ids: Option<Vec<GroupId>>,
    /// Assignee; `Some(None)` for unassigned.
    pub assignee_id: Option<Option<UserId>>,
    /// Requester.
    pub requester_id: Option<UserId>,
    /// Organisation.
    pub organization_id: Option<OrganizationId>,
    /// Priority.
    pub priority: Option<Priority>,
    /// Category or subcategory.
    pub category_id: Option<CategoryId>,
    /// Free text: a ticket number jumps to that ticket, anything else is a full-text search.
    pub text: Option<String>,
    /// Order.
    pub sort: TicketSort,
    /// Continue after.
    pub after: Option<Cursor>,
    /// Page size (1–200).
    pub limit: u32,
}

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

/// What a channel adds to a ticket being logged.
#[derive(Debug, Default)]
pub(crate) struct LogExtras {
    /// Queue the requester's acknowledgement (not for automated mail, or past the rate limit).
    pub acknowledge: bool,
    /// Further messages to queue with the ticket (keys get the ticket id appended).
    pub outbox: Vec<OutboxMessage>,
    /// The e-mail the ticket came as.
    pub mail: Option<spoc_store::MailWrite>,
}

impl LogExtras {
    /// A ticket from the portal, the API or the phone: acknowledged, nothing else.
    pub(crate) fn acknowledged() -> Self {
        Self {
            acknowledge: true,
            ..Self::default()
        }
    }
}

/// Checks a version the caller sent against the stored one.
fn check_version(ticket: &Ticket, expected: Option<i64>) -> Result<(), AppError> {
    match expected {
        Some(expected) if expected != ticket.version => Err(AppError::VersionConflict {
            expected,
            current: ticket.version,
        }),
        _ => Ok(()),
    }
}

fn visible(actor: &Actor, ticket: &Ticket) -> Result<(), AppError> {
    if actor.can_see(ticket) {
        Ok(())
    } else {
        Err(AppError::NotFound { what: "ticket" })
    }
}

impl App {
    /// The priority matrix in force.
    pub async fn priority_matrix(&self, tenant: TenantId) -> Result<PriorityMatrix, AppError> {
        match self.store.get_setting(tenant, PRIORITY_MATRIX_KEY).await? {
            Some(json) => serde_json::from_str(&json).map_err(|e| {
                AppError::Internal(StoreError::Corrupt(format!("priority matrix: {e}")))
            }),
            None => Ok(PriorityMatrix::default()),
        }
    }

    /// The group new tickets land in.
    pub async fn default_group_id(&self, tenant: TenantId) -> Result<GroupId, AppError> {
        let value = self
            .store
            .get_setting(tenant, DEFAULT_GROUP_KEY)
            .await?
            .ok_or_else(|| {
                AppError::Internal(StoreError::Corrupt(
                    "no default group: run `spoc migrate` or start the server once".to_owned(),
                ))
            })?;
        value
            .parse::<i64>()
            .map(GroupId::new)
            .map_err(|e| AppError::Internal(StoreError::Corrupt(format!("default group: {e}"))))
    }

    /// Checks that a category (or subcategory) and service exist and returns
    /// `(category, subcategory)`.
    async fn resolve_category(
        &self,
        tenant: TenantId,
        category: Option<CategoryId>,
    ) -> Result<(Option<CategoryId>, Option<CategoryId>), AppError> {
        let Some(id) = category else {
            return Ok((None, None));
        };
        let categories = self.store.list_categories(tenant).await?;
        let found = categories.iter().find(|c| c.id == id).ok_or_else(|| {
            ValidationError::new("category_id", format!("there is no category {id}"))
        })?;
        Ok(match found.parent_id {
            Some(parent) => (Some(parent), Some(id)),
            None => (Some(id), None),
        })
    }

    /// The requester of a ticket being logged: an active user.
    async fn active_requester(
        &self,
        tenant: TenantId,
        requester_id: UserId,
    ) -> Result<spoc_store::UserRecord, AppError> {
        match self.store.get_user(tenant, requester_id).await {
            Ok(user) if user.active => Ok(user),
            Ok(_) | Err(StoreError::NotFound) => Err(ValidationError::new(
                "requester_id",
                format!("there is no active user {requester_id}"),
            )
            .into()),
            Err(e) => Err(e.into()),
        }
    }

    /// The group new tickets land in, with its tier.
    async fn landing_group(&self, tenant: TenantId) -> Result<spoc_store::GroupRecord, AppError> {
        let id = self.default_group_id(tenant).await?;
        Ok(self.store.get_group(tenant, id).await?)
    }

    async fn check_service(
        &self,
        tenant: TenantId,
        service: Option<ServiceId>,
    ) -> Result<(), AppError> {
        if let Some(id) = service
            && !self
                .store
                .list_services(tenant)
                .await?
                .iter()
                .any(|s| s.id == id)
        {
            return Err(
                ValidationError::new("service_id", format!("there is no service {id}")).into(),
            );
        }
        Ok(())
    }

    /// Logs a ticket. It lands in the desk's default first-line group.
    pub async fn create_ticket(
        &self,
        actor: &Actor,
        input: NewTicketInput,
    ) -> Result<Ticket, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        let counted = self.check_rate(actor, Limited::Ticket).await?;
        let ticket = self
            .log_ticket(actor, input, LogExtras::acknowledged())
            .await?;
        self.count_rate(counted);
        Ok(ticket)
    }

    /// Logs a ticket with what a channel adds: the e-mail it came as, whether the requester is
    /// acknowledged, further messages to queue in the same transaction.
    pub(crate) async fn log_ticket(
        &self,
        actor: &Actor,
        input: NewTicketInput,
        extras: LogExtras,
    ) -> Result<Ticket, AppError> {
        let requester_id = input.requester_id.or(actor.user_id()).ok_or_else(|| {
            ValidationError::new(
                "requester_id",
                "name the requester: the system logs tickets only on someone's behalf",
            )
        })?;
        actor.may_log_for(requester_id)?;
        // Everything the decision needs, read at once (the reads are independent); the errors
        // are then reported in a fixed order, the requester's first.
        let (requester, category, service, group, matrix, setup) = tokio::join!(
            self.active_requester(actor.tenant_id, requester_id),
            self.resolve_category(actor.tenant_id, input.category_id),
            self.check_service(actor.tenant_id, input.service_id),
            self.landing_group(actor.tenant_id,),
            self.priority_matrix(actor.tenant_id,),
            self.sla_setup(actor.tenant_id,),
        );
        let requester = requester?;
        let (category_id, subcategory_id) = category?;
        service?;
        let group = group?;
        let matrix = matrix?;
        let setup = setup?;
        let opened = lifecycle::open(
            Opening {
                kind: input.kind,
                title: input.title,
                description: input.description,
                impact: input.impact,
                urgency: input.urgency,
                requester_id,
                organization_id: requester.organization_id,
                group: GroupRef {
                    id: group.id,
                    tier: group.tier,
                    external_supplier: group.external_supplier,
                },
                category_id,
                subcategory_id,
                service_id: input.service_id,
                channel: input.channel,
            },
            &matrix,
            self.now(),
            |ticket| setup.terms_for(ticket),
        );
        let mut outbox = if extras.acknowledge {
            let created = lifecycle::created_event(&opened.ticket);
            let mut acknowledgement =
                self.notice_messages(&opened.ticket, std::slice::from_ref(&created), Some(actor));
            // Recorded with the address, so automatic answers to one address can be counted.
            for message in &mut acknowledgement {
                message.recipient = Some(requester.email.clone());
            }
            acknowledgement
        } else {
            Vec::new()
        };
        outbox.extend(extras.outbox);
        let draft = TicketDraft {
            sla: setup.opened(&opened.ticket, opened.clocks),
            ticket: opened.ticket,
            events: opened.events,
            actor: Some(actor.principal),
            outbox,
            mail: extras.mail,
        };
        let created = self.store.create_ticket(draft).await?;
        Ok(created.ticket)
    }

    /// One ticket the actor may see.
    pub async fn get_ticket(&self, actor: &Actor, id: TicketId) -> Result<Ticket, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        self.store
            .get_ticket(id, &actor.scope())
            .await
            .map_err(not_found("ticket"))
    }

    /// A page of the tickets the actor may see that match `filter`.
    pub async fn list_tickets(
        &self,
        actor: &Actor,
        filter: TicketFilter,
    ) -> Result<TicketPage, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let mut query = TicketQuery::new(actor.scope(), actor.sees_internal());
        if let Some(text) = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if let Some(number) = spoc_domain::ticket::TicketNumber::parse(text) {
                let found = self.get_ticket(actor, number.id()).await;
                let tickets = match found {
                    Ok(ticket) if ticket.kind == number.kind() => vec![ticket],
                    Ok(_) | Err(AppError::NotFound { .. }) => Vec::new(),
                    Err(e) => return Err(e),
                };
                return Ok(TicketPage {
                    total: tickets.len() as i64,
                    tickets,
                    next: None,
                });
            }
            query.text = Some(SearchText::parse(text).ok_or_else(|| {
                ValidationError::new(
                    "q",
                    "search for at least one word made of letters or digits",
                )
            })?);
        }
        query.statuses = filter.statuses;
        query.kind = filter.kind;
        query.group_id = filter.group_id;
        query.any_group_ids = filter.any_group_ids;
        query.assignee_id = filter.assignee_id;
        query.requester_id = filter.requester_id;
        query.organization_id = filter.organization_id;
        query.priority = filter.priority;
        query.category_id = filter.category_id;
        query.sort = filter.sort;
        query.after = filter.after;
        query.limit = filter.limit.clamp(1, 200);
        Ok(self.store.list_tickets(&query).await?)
    }

    /// Edits fields of a ticket. Staff only; the caller must say which version they edit.
    pub async fn edit_ticket(
        &self,
        actor: &Actor,
        id: TicketId,
        expected_version: Option<i64>,
        mut change: FieldEdit,
    ) -> Result<Ticket, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        let expected = expected_version.ok_or(AppError::VersionRequired)?;
        if let Some(category) = change.category_id {
            let (category_id, subcategory_id) =
                self.resolve_category(actor.tenant_id, category).await?;
            change.category_id = Some(category_id);
            if change.subcategory_id.is_none() {
                change.subcategory_id = Some(subcategory_id);
            }
        }
        if let Some(Some(sub)) = change.subcategory_id {
            let (parent, child) = self.resolve_category(actor.tenant_id, Some(sub)).await?;
            if child.is_none() {
                return Err(ValidationError::new(
                    "subcategory_id",
                    format!("{sub} is a category, not a subcategory"),
                )
                .into());
            }
            if let Some(category) = change.category_id.flatten().or(parent)
                && Some(category) != parent
            {
                return Err(ValidationError::new(
                    "subcategory_id",
                    "the subcategory belongs to another category",
                )
                .into());
            }
            change.category_id = Some(parent);
        }
        if let Some(service) = change.service_id {
            self.check_service(actor.tenant_id, service).await?;
        }
        if let Some(Some(_)) = &change.supplier_reference {
            // The reference names the case at an external supplier, so it can only be set while
            // a supplier group holds the ticket. Read at the expected version: if the ticket has
            // moved on since, the update below refuses the stale version anyway.
            let current = self.get_ticket(actor, id).await?;
            if current.version == expected
                && !self
                    .store
                    .get_group(actor.tenant_id, current.group_id)
                    .await?
                    .external_supplier
            {
                return Err(ValidationError::new(
                    "supplier_reference",
                    "only a ticket held by an external supplier group (tier 3) takes a supplier reference",
                )
                .into());
            }
        }
        let matrix = self.priority_matrix(actor.tenant_id).await?;
        let setup = self.sla_setup(actor.tenant_id).await?;
        let now = self.now();
        let updated = self
            .store
            .update_ticket(
                id,
                actor.tenant_id.into(),
                Some(actor.principal),
                |ticket, sla| {
                    visible(actor, ticket)?;
                    actor.may_edit()?;
                    check_version(ticket, Some(expected))?;
                    let outcome = lifecycle::edit(ticket, change, &matrix, now)?;
                    let moved = setup.advance(ticket, &outcome.ticket, sla, None, now);
                    let mut change = TicketChange {
                        outbox: self.notice_messages(&outcome.ticket, &outcome.events, Some(actor)),
                        ticket: outcome.ticket,
                        events: outcome.events,
                        notifications: Vec::new(),
                        sla: None,
                        mail: None,
                        sop: None,
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
                    let mut outbox =
                        self.notice_messages(&outcome.ticket, &outcome.events, Some(actor));
                    if let Some(reason) = &reason {
                        outbox.extend(self.staff_messages(
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

    /// Adds a public reply or (staff only) an internal note. Returns the comment's event.
    pub async fn add_comment(
        &self,
        actor: &Actor,
        id: TicketId,
        internal: bool,
        body: Body,
    ) -> Result<EventRecord, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        let counted = self.check_rate(actor, Limited::Reply).await?;
        let event = self
            .comment_with(actor, id, internal, body, None, Vec::new())
            .await?;
        self.count_rate(counted);
        Ok(event)
    }

    /// Adds a comment with what a channel adds: the e-mail it came as, further messages.
    pub(crate) async fn comment_with(
        &self,
        actor: &Actor,
        id: TicketId,
        internal: bool,
        body: Body,
        mail: Option<spoc_store::MailWrite>,
        extra_outbox: Vec<OutboxMessage>,
    ) -> Result<EventRecord, AppError> {
        let setup = self.sla_setup(actor.tenant_id).await?;
        let now = self.now();
        let updated = self
            .store
            .update_ticket(
                id,
                actor.tenant_id.into(),
                Some(actor.principal),
                |ticket, sla| {
                    visible(actor, ticket)?;
                    if internal {
                        actor.may_write_internal_note()?;
                    }
                    let author = CommentAuthor {
                        is_staff: actor.is_staff(),
                        is_requester: actor.is_user(ticket.requester_id),
                    };
                    let reply = match (internal, author.is_staff, author.is_requester) {
                        (true, _, _) => None,
                        (false, true, _) => Some(spoc_domain::sla::ReplyBy::Staff),
                        (false, false, true) => Some(spoc_domain::sla::ReplyBy::Requester),
                        (false, false, false) => None,
                    };
                    let outcome = lifecycle::comment(ticket, author, internal, body, now)?;
                    let moved = setup.advance(ticket, &outcome.ticket, sla, reply, now);
                    let mut outbox =
                        self.notice_messages(&outcome.ticket, &outcome.events, Some(actor));
                    outbox.extend(extra_outbox);
                    let mut change = TicketChange {
                        ticket: outcome.ticket,
                        events: outcome.events,
                        outbox,
                        notifications: Vec::new(),
                        sla: None,
                        mail,
                        sop: None,
                        article_use: None,
                    };
                    crate::sla::attach(&mut change, moved);
                    Ok::<_, AppError>(Some(change))
                },
            )
            .await
            .map_err(ticket_not_found)?;
        updated
            .events
            .into_iter()
            .find(|e| matches!(e.data, EventData::Commented { .. }))
            .ok_or_else(|| {
                AppError::Internal(StoreError::Corrupt("comment event missing".to_owned()))
            })
    }

    /// The ticket's history as the actor may see it.
    pub async fn list_events(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<Vec<EventRecord>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        self.get_ticket(actor, id).await?;
        Ok(self
            .store
            .list_events(id, &actor.scope(), actor.sees_internal())
            .await?)
    }

    /// The ticket's replies (and, for staff, internal notes).
    pub async fn list_comments(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<Vec<EventRecord>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let events = self.list_events(actor, id).await?;
        Ok(events
            .into_iter()
            .filter(|e| matches!(e.data, EventData::Commented { .. }))
            .collect())
    }
}

fn ticket_not_found(error: AppError) -> AppError {
    match error {
        AppError::NotFound { .. } => AppError::NotFound { what: "ticket" },
        other => other,
    }
}

impl App {
    /// Registers a caller who has no account yet: a customer without a password, logged by an
    /// agent taking a phone call. The caller can later be given a password by an admin.
    pub async fn register_caller(
        &self,
        actor: &Actor,
        name: spoc_domain::text::Name,
        email: spoc_domain::text::Email,
        organization_id: Option<OrganizationId>,
    ) -> Result<spoc_store::UserRecord, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        actor.may_register_caller()?;
        self.system_create_user(
            actor.tenant_id,
            crate::UserInput {
                email,
                name,
                role: Role::Customer,
                organization_id,
                super_user: false,
                password: None,
            },
        )
        .await
    }

    /// The display names of the people with these ids, for showing beside tickets the actor
    /// can see. Customers get names only of the people on their own tickets' pages, which the UI
    /// asks for; e-mail addresses are not part of the answer.
    pub async fn people_names(
        &self,
        tenant: TenantId,
        ids: impl IntoIterator<Item = UserId>,
    ) -> Result<std::collections::HashMap<UserId, String>, AppError> {
        let mut ids: Vec<UserId> = ids.into_iter().collect();
        ids.sort_unstable_by_key(|id| id.get());
        ids.dedup();
        Ok(self
            .store
            .get_users(tenant, &ids)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect())
    }
}

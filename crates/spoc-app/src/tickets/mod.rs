//! Ticket use cases: log, read, list and search, edit, lifecycle actions, replies and notes,
//! history. Every one checks what the actor may see and do. The queue, lifecycle actions and the
//! history live in submodules.

use crate::auth::permit;
use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::lifecycle::{self, FieldEdit, Opening};
use spoc_domain::org::GroupRef;
use spoc_domain::priority::{Impact, PriorityMatrix, Urgency};
use spoc_domain::text::{Body, Title};
use spoc_domain::ticket::{Channel, Ticket, TicketKind};
use spoc_domain::user::Role;
use spoc_domain::{
    CategoryId, GroupId, OrganizationId, ServiceId, TenantId, TicketId, UserId, ValidationError,
};
use spoc_store::{OutboxMessage, StoreError, TicketChange, TicketDraft};

use crate::error::not_found;
use crate::rate_limits::Limited;

use crate::{App, AppError, DEFAULT_GROUP_KEY, PRIORITY_MATRIX_KEY};

mod actions;
mod auto_close;
mod history;
mod links;
mod mentions;
mod queue;
pub(crate) mod uploads;

pub use actions::{ActionInput, EscalationInput};
pub use auto_close::AutoCloseRun;
pub use history::{Attachment, HistoryEntry};
pub use links::{TicketLink, TicketRelation};
pub use mentions::MENTION_TOPIC;
pub use queue::{Cursor, TicketFilter, TicketPage, TicketSort};
pub use uploads::{AcceptAll, ScanVerdict, Upload, UploadScanner};

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

    /// Logs a ticket with files sent through the web or the API (checked as
    /// [`App::add_comment_with_files`] checks them; the requester sees them).
    pub async fn create_ticket_with_files(
        &self,
        actor: &Actor,
        input: NewTicketInput,
        files: Vec<Upload>,
    ) -> Result<Ticket, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        let attachments = uploads::accept(files, true, self.scanner.as_ref())?;
        let counted = self.check_rate(actor, Limited::Ticket).await?;
        let mut extras = LogExtras::acknowledged();
        if !attachments.is_empty() {
            extras.mail = Some(spoc_store::MailWrite {
                attachments,
                ..spoc_store::MailWrite::default()
            });
        }
        let ticket = self.log_ticket(actor, input, extras).await?;
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
        self.tenant_mail(actor.tenant_id).await?;
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
            let mut acknowledgement = self.notice_messages(
                actor.tenant_id,
                &opened.ticket,
                std::slice::from_ref(&created),
                Some(actor),
            );
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
        self.tenant_mail(actor.tenant_id).await?;
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
                        outbox: self.notice_messages(
                            actor.tenant_id,
                            &outcome.ticket,
                            &outcome.events,
                            Some(actor),
                        ),
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
    ) -> Result<crate::Person, AppError> {
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

//! Who may see and do what. The app layer asks these questions for every use case, and the store
//! turns [`TicketScope`] into the `WHERE` clause of every ticket query, so that the API, the UI,
//! search and every later channel agree.
//!
//! An actor is a [`Principal`]: a person, or the system itself ([`SystemActor`] names which part:
//! the SLA timers, mail intake, …). The system is asked the same questions as a person; it acts
//! with the rights of a role (see [`SystemActor::role`]), so no check is bypassed for it.

use crate::credential::Credential;
use crate::lifecycle::Action;
use crate::tenant::{TenantId, TenantScope};
use crate::ticket::Ticket;
use crate::user::Role;
use crate::{GroupId, OrganizationId, UserId};

/// The part of Spoc that acts when no person does. Recorded in the history (and the change feed)
/// of what it changed, under its [`as_str`](Self::as_str) name, which is a storage format: add
/// variants, never rename.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemActor {
    /// The SLA timer worker: warnings, breaches and the escalations they cause.
    SlaTimer,
    /// The SOP review scan: scheduled and early reviews it opens.
    SopReview,
    /// Mail intake: what an inbound e-mail does before (or without) a known sender acting,
    /// e.g. recording an automated answer (an auto-reply, a bounce) on a ticket.
    MailIntake,
    /// Mail delivery: the outbox worker, e.g. recording that a notification was undeliverable.
    MailDelivery,
    /// Automation rules (reserved for the automation capability that follows).
    Automation,
    /// An integration acting through the desk on another system's behalf (reserved for the
    /// integrations that follow).
    Integration,
    /// First start and imports: the admin account, the default setup, the shipped SOPs.
    Bootstrap,
}

impl SystemActor {
    /// Every kind, in a stable order.
    pub const ALL: [Self; 7] = [
        Self::SlaTimer,
        Self::SopReview,
        Self::MailIntake,
        Self::MailDelivery,
        Self::Automation,
        Self::Integration,
        Self::Bootstrap,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SlaTimer => "sla_timer",
            Self::SopReview => "sop_review",
            Self::MailIntake => "mail_intake",
            Self::MailDelivery => "mail_delivery",
            Self::Automation => "automation",
            Self::Integration => "integration",
            Self::Bootstrap => "bootstrap",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// How people read it: "SLA timer", "mail intake", ….
    pub fn label(self) -> &'static str {
        match self {
            Self::SlaTimer => "SLA timer",
            Self::SopReview => "SOP review",
            Self::MailIntake => "mail intake",
            Self::MailDelivery => "mail delivery",
            Self::Automation => "automation",
            Self::Integration => "integration",
            Self::Bootstrap => "setup",
        }
    }

    /// The role whose rights it acts with. Every part of the system works every ticket (a lead's
    /// rights: it sees them all and may perform every action); only the set-up changes the
    /// desk's setup (an admin's rights). Automation and integrations get narrower rights when
    /// they are built.
    pub fn role(self) -> Role {
        match self {
            Self::Bootstrap => Role::Admin,
            Self::SlaTimer
            | Self::SopReview
            | Self::MailIntake
            | Self::MailDelivery
            | Self::Automation
            | Self::Integration => Role::Lead,
        }
    }
}

impl std::fmt::Display for SystemActor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who acts: a person, or the system.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Principal {
    /// A person (through a session, an API token, or a trusted caller such as the CLI).
    User(UserId),
    /// A part of the system.
    System(SystemActor),
}

impl Principal {
    /// The person, if a person acts.
    pub fn user_id(self) -> Option<UserId> {
        match self {
            Self::User(id) => Some(id),
            Self::System(_) => None,
        }
    }

    /// The part of the system, if the system acts.
    pub fn system(self) -> Option<SystemActor> {
        match self {
            Self::User(_) => None,
            Self::System(kind) => Some(kind),
        }
    }

    /// Reads a stored pair of columns (`actor_id`, `actor_system`): a person, a part of the
    /// system, or nobody recorded (history written before principals were).
    pub fn from_columns(user_id: Option<UserId>, system: Option<SystemActor>) -> Option<Self> {
        match (user_id, system) {
            (Some(id), _) => Some(Self::User(id)),
            (None, Some(kind)) => Some(Self::System(kind)),
            (None, None) => None,
        }
    }
}

impl From<UserId> for Principal {
    fn from(id: UserId) -> Self {
        Self::User(id)
    }
}

/// Who makes a request — a person (or their token), or the system — with the facts access
/// decisions need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The tenant they belong to; everything they read and write is this tenant's.
    pub tenant_id: TenantId,
    /// Who.
    pub principal: Principal,
    /// Their role.
    pub role: Role,
    /// Their organisation (customers).
    pub organization_id: Option<OrganizationId>,
    /// A customer who sees all tickets of their organisation.
    pub super_user: bool,
    /// The resolver groups they belong to (staff).
    pub group_ids: Vec<GroupId>,
    /// How they authenticated: a session, an API token (perhaps narrowed), or a trusted caller.
    pub credential: Credential,
}

/// Which tickets an actor may see; the store's queries filter by it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TicketScope {
    /// Every ticket (leads, admins).
    All,
    /// Tickets of these groups, plus those assigned to or requested by the user (agents).
    Groups {
        /// The agent.
        user_id: UserId,
        /// Their groups.
        group_ids: Vec<GroupId>,
    },
    /// Tickets of this organisation, plus the user's own (customer super users).
    Organization {
        /// The customer.
        user_id: UserId,
        /// Their organisation.
        organization_id: OrganizationId,
    },
    /// Only tickets the user requested (customers).
    Requester(UserId),
}

impl TicketScope {
    /// Whether `ticket` falls inside this scope.
    pub fn contains(&self, ticket: &Ticket) -> bool {
        match self {
            Self::All => true,
            Self::Groups { user_id, group_ids } => {
                group_ids.contains(&ticket.group_id)
                    || ticket.assignee_id == Some(*user_id)
                    || ticket.requester_id == *user_id
            }
            Self::Organization {
                user_id,
                organization_id,
            } => {
                ticket.organization_id == Some(*organization_id) || ticket.requester_id == *user_id
            }
            Self::Requester(user_id) => ticket.requester_id == *user_id,
        }
    }
}

/// The scope of a ticket read: which tenants, and inside them which tickets. Every ticket read
/// of the store takes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    /// The tenant (or, for the desk's own work, every tenant).
    pub tenant: TenantScope,
    /// The tickets inside it.
    pub tickets: TicketScope,
    /// Further tenants the actor works in through grants (a provider agent's linked accounts),
    /// each with the tickets of it they may see: a read in this scope covers the tickets of
    /// `tenant`/`tickets` and, per part, of that part's tenant inside its ticket scope. Empty
    /// for everyone else.
    pub linked: Vec<ScopePart>,
}

/// One tenant a provider agent works in through a grant, and the tickets of it they may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopePart {
    /// The client tenant.
    pub tenant: TenantId,
    /// Its tickets the linked account may see.
    pub tickets: TicketScope,
}

/// A provider person's work in a client tenant through a grant: the linked account that acts
/// there and the tenant's groups it works.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The client tenant.
    pub tenant_id: TenantId,
    /// The linked account (an agent of that tenant acting for the provider person).
    pub user_id: UserId,
    /// The tenant's resolver groups granted.
    pub group_ids: Vec<GroupId>,
}

impl Link {
    /// The tickets of the client tenant the link covers: an agent's view through the linked
    /// account.
    pub fn ticket_scope(&self) -> TicketScope {
        TicketScope::Groups {
            user_id: self.user_id,
            group_ids: self.group_ids.clone(),
        }
    }

    /// The actor of the linked account, acting for `provider` (whose credential it keeps, so a
    /// narrowed token stays narrowed): an agent of the client tenant in the granted groups.
    pub fn actor(&self, provider: &Actor) -> Actor {
        Actor {
            tenant_id: self.tenant_id,
            principal: Principal::User(self.user_id),
            role: Role::Agent,
            organization_id: None,
            super_user: false,
            group_ids: self.group_ids.clone(),
            credential: provider.credential.clone(),
        }
    }
}

impl Scope {
    /// The tenants a read in this scope covers (its own and the linked ones), or `None` for
    /// the desk's work over every tenant.
    pub fn tenants(&self) -> Option<Vec<TenantId>> {
        let own = self.tenant.tenant()?;
        let mut ids = vec![own];
        ids.extend(self.linked.iter().map(|part| part.tenant));
        Some(ids)
    }

    /// This scope widened by a provider agent's links, each part bound to its own tenant.
    pub fn with_links(mut self, links: &[Link]) -> Self {
        self.linked = links
            .iter()
            .map(|link| ScopePart {
                tenant: link.tenant_id,
                tickets: link.ticket_scope(),
            })
            .collect();
        self
    }

    /// Every ticket of one tenant (the desk's own work for that tenant).
    pub fn tenant(tenant_id: TenantId) -> Self {
        Self {
            tenant: TenantScope::Tenant(tenant_id),
            tickets: TicketScope::All,
            linked: Vec::new(),
        }
    }

    /// Every ticket of every tenant: only for the desk's own work on a ticket it names by its
    /// globally unique id (a background job, a link from an e-mail).
    pub fn all_tenants() -> Self {
        Self {
            tenant: TenantScope::AllTenants,
            tickets: TicketScope::All,
            linked: Vec::new(),
        }
    }
}

/// Why an actor may not do something they can see.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Denied(pub &'static str);

impl Actor {
    /// The system acting as `kind` within one tenant (e.g. the ticket's): it sees every ticket
    /// of that tenant and has the rights of [`SystemActor::role`]; it is not a person, so it has
    /// no organisation or groups.
    pub fn system(tenant_id: TenantId, kind: SystemActor) -> Self {
        Self {
            tenant_id,
            principal: Principal::System(kind),
            role: kind.role(),
            organization_id: None,
            super_user: false,
            group_ids: Vec::new(),
            credential: Credential::Direct,
        }
    }

    /// The person acting, if a person acts.
    pub fn user_id(&self) -> Option<UserId> {
        self.principal.user_id()
    }

    /// The person acting, for what only a person can do (their own account, tokens,
    /// preferences, notifications, feedback); the system is refused with a clear reason.
    pub fn person(&self) -> Result<UserId, Denied> {
        self.user_id()
            .ok_or(Denied("only a person can do this, not the system"))
    }

    /// Whether the actor is this person.
    pub fn is_user(&self, id: UserId) -> bool {
        self.principal == Principal::User(id)
    }

    /// The tickets this actor may see.
    pub fn ticket_scope(&self) -> TicketScope {
        let user_id = match self.principal {
            Principal::System(_) => return TicketScope::All,
            Principal::User(id) => id,
        };
        match self.role {
            Role::Lead | Role::Admin => TicketScope::All,
            Role::Agent => TicketScope::Groups {
                user_id,
                group_ids: self.group_ids.clone(),
            },
            Role::Customer => match (self.super_user, self.organization_id) {
                (true, Some(organization_id)) => TicketScope::Organization {
                    user_id,
                    organization_id,
                },
                _ => TicketScope::Requester(user_id),
            },
        }
    }

    /// The scope of this actor's ticket reads: their tenant, and inside it the tickets they may
    /// see.
    pub fn scope(&self) -> Scope {
        Scope {
            tenant: TenantScope::Tenant(self.tenant_id),
            tickets: self.ticket_scope(),
            linked: Vec::new(),
        }
    }

    /// Whether the actor may see `ticket` at all. A ticket they may not see must look exactly
    /// like one that does not exist.
    pub fn can_see(&self, ticket: &Ticket) -> bool {
        self.ticket_scope().contains(ticket)
    }

    /// Staff see internal notes and internal events; customers never do.
    pub fn sees_internal(&self) -> bool {
        self.role.is_staff()
    }

    /// Staff work tickets; customers raise them.
    pub fn is_staff(&self) -> bool {
        self.role.is_staff()
    }

    /// Admins set the desk up.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Leads and admins work every ticket and may reroute anywhere.
    pub fn is_lead(&self) -> bool {
        matches!(self.role, Role::Lead | Role::Admin)
    }

    /// Whether the actor may perform `action` on a ticket they can see.
    ///
    /// Staff may perform every action. Customers may confirm (close) or reopen a resolution on
    /// tickets they can see, and cancel only what they requested themselves.
    pub fn may_perform(&self, ticket: &Ticket, action: Action) -> Result<(), Denied> {
        if self.is_staff() {
            return Ok(());
        }
        match action {
            Action::Close | Action::Reopen => Ok(()),
            Action::Cancel if self.is_user(ticket.requester_id) => Ok(()),
            Action::Cancel => Err(Denied("only the requester can cancel this ticket")),
            _ => Err(Denied(
                "customers can only confirm, reopen or cancel their tickets",
            )),
        }
    }

    /// Whether the actor may write internal work notes. Only staff may; customers reply publicly.
    pub fn may_write_internal_note(&self) -> Result<(), Denied> {
        if self.is_staff() {
            Ok(())
        } else {
            Err(Denied("only agents can write internal notes"))
        }
    }

    /// Whether the actor may edit the ticket's fields. Only staff may.
    pub fn may_edit(&self) -> Result<(), Denied> {
        if self.is_staff() {
            Ok(())
        } else {
            Err(Denied("only agents can edit ticket fields"))
        }
    }

    /// Whether the actor may log a ticket for `requester`. Staff log on behalf of anyone;
    /// customers only for themselves.
    pub fn may_log_for(&self, requester: UserId) -> Result<(), Denied> {
        if self.is_staff() || self.is_user(requester) {
            Ok(())
        } else {
            Err(Denied("customers can only log tickets for themselves"))
        }
    }

    /// Whether the actor may register a caller (a new customer account without a password) while
    /// logging a ticket on their behalf. Only staff may; admins manage every other kind of account.
    pub fn may_register_caller(&self) -> Result<(), Denied> {
        if self.is_staff() {
            Ok(())
        } else {
            Err(Denied("only agents can register callers"))
        }
    }

    /// Whether the actor may administer users, groups, the taxonomy and settings.
    pub fn may_administer(&self) -> Result<(), Denied> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(Denied("only admins can change the desk's setup"))
        }
    }
}

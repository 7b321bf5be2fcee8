//! What the store hands back besides tickets: people, organisations, groups, taxonomy, services,
//! tokens, sessions and events. Plain data; the web layer converts them to its own wire types.

use spoc_domain::credential::{TokenOrigin, TokenScope};
use spoc_domain::event::EventData;
use spoc_domain::org::Tier;
use spoc_domain::user::Role;
use spoc_domain::{
    CategoryId, EventId, GroupId, NotificationId, OrganizationId, ServiceId, TenantId, TicketId,
    Timestamp, TokenId, UserId,
};

/// A person known to the desk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRecord {
    /// Id.
    pub id: UserId,
    /// The tenant the person belongs to.
    pub tenant_id: TenantId,
    /// Lower-cased e-mail, unique.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Organisation (customers).
    pub organization_id: Option<OrganizationId>,
    /// Sees all of the organisation's tickets.
    pub super_user: bool,
    /// Deactivated users cannot sign in or use tokens.
    pub active: bool,
    /// When created.
    pub created_at: Timestamp,
}

/// A new person.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// The tenant the person joins.
    pub tenant_id: TenantId,
    /// Lower-cased e-mail.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Organisation.
    pub organization_id: Option<OrganizationId>,
    /// Customer super user.
    pub super_user: bool,
    /// Argon2 PHC string, if the user may sign in with a password.
    pub password_hash: Option<String>,
    /// When.
    pub now: Timestamp,
}

/// Changes to a person; `None` keeps a value.
#[derive(Clone, Debug, Default)]
pub struct UserUpdate {
    /// New name.
    pub name: Option<String>,
    /// New role.
    pub role: Option<Role>,
    /// New organisation (`Some(None)` removes it).
    pub organization_id: Option<Option<OrganizationId>>,
    /// New super-user flag.
    pub super_user: Option<bool>,
    /// Activate or deactivate.
    pub active: Option<bool>,
    /// New password hash.
    pub password_hash: Option<String>,
}

/// A customer organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganizationRecord {
    /// Id.
    pub id: OrganizationId,
    /// Unique name.
    pub name: String,
    /// When created.
    pub created_at: Timestamp,
}

/// A resolver group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRecord {
    /// Id.
    pub id: GroupId,
    /// Unique name.
    pub name: String,
    /// Support tier.
    pub tier: Tier,
    /// An external supplier (tier 3 only).
    pub external_supplier: bool,
    /// When created.
    pub created_at: Timestamp,
}

/// A category (no parent) or subcategory (with parent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryRecord {
    /// Id.
    pub id: CategoryId,
    /// Name, unique among siblings.
    pub name: String,
    /// The parent category, for a subcategory.
    pub parent_id: Option<CategoryId>,
    /// When created.
    pub created_at: Timestamp,
}

/// A business service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceRecord {
    /// Id.
    pub id: ServiceId,
    /// Unique name.
    pub name: String,
    /// What it is, for people choosing it.
    pub description: String,
    /// When created.
    pub created_at: Timestamp,
}

/// An API token, without its secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRecord {
    /// Id.
    pub id: TokenId,
    /// Owner.
    pub user_id: UserId,
    /// Free label.
    pub label: String,
    /// When created.
    pub created_at: Timestamp,
    /// Last authenticated request (updated at most once a minute).
    pub last_used_at: Option<Timestamp>,
    /// When revoked.
    pub revoked_at: Option<Timestamp>,
    /// When it stops working by itself, if ever.
    pub expires_at: Option<Timestamp>,
    /// What it may do.
    pub scope: TokenScope,
    /// Where it was created.
    pub origin: TokenOrigin,
}

/// A token to store.
#[derive(Clone, Debug)]
pub struct NewToken<'a> {
    /// Owner.
    pub user: UserId,
    /// Free label.
    pub label: &'a str,
    /// SHA-256 of the secret.
    pub token_hash: &'a str,
    /// Now.
    pub now: Timestamp,
    /// When it stops working, if ever.
    pub expires_at: Option<Timestamp>,
    /// What it may do.
    pub scope: TokenScope,
    /// Where it was created.
    pub origin: TokenOrigin,
}

/// A browser session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// The tenant of the person.
    pub tenant_id: TenantId,
    /// The user.
    pub user_id: UserId,
    /// The CSRF token bound to the session.
    pub csrf_token: String,
    /// When the person signed in.
    pub created_at: Timestamp,
    /// When it stops being valid.
    pub expires_at: Timestamp,
}

/// One of a person's browser sessions, as they review them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionListing {
    /// The hash of the session's id (never the id itself).
    pub id_hash: String,
    /// The session's CSRF token (to tell the session a page is shown in).
    pub csrf_token: String,
    /// When the person signed in.
    pub created_at: Timestamp,
    /// When it stops being valid.
    pub expires_at: Timestamp,
    /// The browser it was started from (its User-Agent, shortened), if known.
    pub user_agent: Option<String>,
}

/// One entry of a ticket's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRecord {
    /// Id, increasing in the order of events.
    pub id: EventId,
    /// The ticket.
    pub ticket_id: TicketId,
    /// When.
    pub at: Timestamp,
    /// Who, when a person acted.
    pub actor_id: Option<UserId>,
    /// Which part of the system acted, when the system did (history written before principals
    /// were recorded has neither).
    pub actor_system: Option<spoc_domain::access::SystemActor>,
    /// Whether the requester may see it.
    pub public: bool,
    /// What happened.
    pub data: EventData,
}

/// A message to deliver later (notification), written with the change that causes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxMessage {
    /// What kind of message, e.g. `mail.agent_reply`.
    pub topic: String,
    /// Unique per logical message, so a retried write never sends twice. Messages queued with
    /// a new ticket get `:{ticket id}` appended by the store (the id is not known before).
    pub idempotency_key: String,
    /// JSON payload.
    pub payload: String,
    /// The recipient's address, for e-mail (kept for rate limits and the admins' view).
    pub recipient: Option<String>,
}

/// A change worth telling one person about, shown in their in-app notifications.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewNotification {
    /// Who is told.
    pub user_id: UserId,
    /// What kind, e.g. `escalation.hierarchical`.
    pub topic: String,
    /// One sentence for a person.
    pub message: String,
}

/// An in-app notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotificationRecord {
    /// Id, increasing.
    pub id: NotificationId,
    /// Who is told.
    pub user_id: UserId,
    /// The ticket it is about, if any.
    pub ticket_id: Option<TicketId>,
    /// What kind.
    pub topic: String,
    /// One sentence for a person.
    pub message: String,
    /// When.
    pub created_at: Timestamp,
    /// When the person marked it read.
    pub read_at: Option<Timestamp>,
}

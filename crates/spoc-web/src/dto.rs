//! The API's wire types: what goes over JSON, with OpenAPI schemas. Converted explicitly from and
//! to the domain and store types; nothing here has behaviour.

use serde::{Deserialize, Deserializer, Serialize};
use spoc_app::{
    CategoryRecord, EventRecord, GroupRecord, NotificationRecord, OrganizationRecord,
    ServiceRecord, TokenRecord, UserRecord,
};
use spoc_domain::Timestamp;
use spoc_domain::access::Actor;
use spoc_domain::event::EventData;
use spoc_domain::lifecycle::allowed_actions;
use spoc_domain::ticket::Ticket;
use utoipa::{IntoParams, ToSchema};

/// RFC 3339 in UTC with microseconds.
pub fn time(at: Timestamp) -> String {
    jiff::Timestamp::from_microsecond(at.as_micros())
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// Distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
pub fn double_option<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketDto {
    /// Database id.
    pub id: i64,
    /// Human reference, e.g. `INC-000042`.
    pub number: String,
    /// `incident` or `service_request`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// `new`, `assigned`, `in_progress`, `pending`, `resolved`, `closed` or `cancelled`.
    pub status: String,
    /// Why it is pending.
    pub pending_reason: Option<String>,
    /// `high`, `medium`, `low`.
    pub impact: String,
    /// `high`, `medium`, `low`.
    pub urgency: String,
    /// `P1`…`P5`.
    pub priority: String,
    /// Whether an agent overrode the derived priority.
    pub priority_overridden: bool,
    /// Requester.
    pub requester_id: i64,
    /// Requester's organisation.
    pub organization_id: Option<i64>,
    /// Owning resolver group.
    pub group_id: i64,
    /// Assigned agent.
    pub assignee_id: Option<i64>,
    /// Support tier of the group (1–3).
    pub tier: i64,
    /// Category.
    pub category_id: Option<i64>,
    /// Subcategory.
    pub subcategory_id: Option<i64>,
    /// Affected service.
    pub service_id: Option<i64>,
    /// How it arrived.
    pub channel: String,
    /// An external supplier's reference.
    pub supplier_reference: Option<String>,
    /// How it was resolved.
    pub resolution_code: Option<String>,
    /// What was done.
    pub resolution_notes: Option<String>,
    /// Group changes since logging.
    pub reassignment_count: i64,
    /// Reopenings.
    pub reopen_count: i64,
    /// Functional escalations.
    pub escalation_count: i64,
    /// A lead has been alerted.
    pub escalated: bool,
    /// Logged at.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
    /// First public reply by the desk.
    pub first_response_at: Option<String>,
    /// Resolved at.
    pub resolved_at: Option<String>,
    /// Closed or cancelled at.
    pub closed_at: Option<String>,
    /// Optimistic-concurrency version; send it back (or as `If-Match`) when changing the ticket.
    pub version: i64,
    /// The actions the caller may take now.
    pub allowed_actions: Vec<String>,
    /// The SLA clocks, one per target (staff only; empty for customers).
    pub sla: Vec<SlaClockDto>,
    /// The SOP the ticket is handled under, with its checklist and quality checks (staff only;
    /// absent when no SOP applies, and always for customers). Single-ticket reads only.
    pub sop: Option<crate::sops::TicketSopDto>,
}

/// One SLA clock of a ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlaClockDto {
    /// `first_response`, `resolution` or `next_response`.
    pub target: String,
    /// When it falls due (RFC 3339), while it runs.
    pub due_at: Option<String>,
    /// `running`, `paused`, `met` or `breached`.
    pub state: String,
    /// Business time used so far, in seconds.
    pub business_seconds_elapsed: i64,
    /// Business time allowed, in seconds.
    pub business_seconds_target: i64,
    /// The policy's name.
    pub policy: String,
}

impl From<&spoc_app::ClockView> for SlaClockDto {
    fn from(c: &spoc_app::ClockView) -> Self {
        Self {
            target: c.target.as_str().to_owned(),
            due_at: c.due_at.map(time),
            state: match c.state {
                spoc_domain::sla::ClockState::Running => "running",
                spoc_domain::sla::ClockState::Paused => "paused",
                spoc_domain::sla::ClockState::Met => "met",
                spoc_domain::sla::ClockState::Breached => "breached",
            }
            .to_owned(),
            business_seconds_elapsed: c.elapsed_micros / 1_000_000,
            business_seconds_target: c.target_micros / 1_000_000,
            policy: c.policy.clone(),
        }
    }
}

impl TicketDto {
    /// The wire form of `t` as `actor` sees it, with its clocks.
    pub fn with_sla(t: Ticket, actor: &Actor, clocks: Option<&Vec<spoc_app::ClockView>>) -> Self {
        let mut dto = Self::new(t, actor);
        if actor.is_staff() {
            dto.sla = clocks
                .map(|c| c.iter().map(SlaClockDto::from).collect())
                .unwrap_or_default();
        }
        dto
    }

    /// The wire form of `t` as `actor` sees it, without clocks.
    pub fn new(t: Ticket, actor: &Actor) -> Self {
        let actions = allowed_actions(t.kind, t.status)
            .iter()
            .filter(|a| actor.may_perform(&t, **a).is_ok())
            .map(|a| a.as_str().to_owned())
            .collect();
        Self {
            id: t.id.get(),
            number: t.number().to_string(),
            kind: t.kind.as_str().to_owned(),
            status: t.status.as_str().to_owned(),
            pending_reason: t.pending_reason.map(|r| r.as_str().to_owned()),
            impact: t.impact.as_str().to_owned(),
            urgency: t.urgency.as_str().to_owned(),
            priority: t.priority.as_str().to_owned(),
            priority_overridden: t.priority_overridden,
            requester_id: t.requester_id.get(),
            organization_id: t.organization_id.map(|o| o.get()),
            group_id: t.group_id.get(),
            assignee_id: t.assignee_id.map(|u| u.get()),
            tier: t.tier.number(),
            category_id: t.category_id.map(|c| c.get()),
            subcategory_id: t.subcategory_id.map(|c| c.get()),
            service_id: t.service_id.map(|s| s.get()),
            channel: t.channel.as_str().to_owned(),
            supplier_reference: t.supplier_reference,
            resolution_code: t.resolution_code.map(|c| c.as_str().to_owned()),
            resolution_notes: t.resolution_notes,
            reassignment_count: t.reassignment_count,
            reopen_count: t.reopen_count,
            escalation_count: t.escalation_count,
            escalated: t.escalated,
            created_at: time(t.created_at),
            updated_at: time(t.updated_at),
            first_response_at: t.first_response_at.map(time),
            resolved_at: t.resolved_at.map(time),
            closed_at: t.closed_at.map(time),
            version: t.version,
            allowed_actions: actions,
            sla: Vec::new(),
            sop: None,
            title: t.title,
            description: t.description,
        }
    }
}

/// A page of tickets.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketListDto {
    /// This page.
    pub items: Vec<TicketDto>,
    /// Matching tickets on all pages.
    pub total: i64,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Logging a ticket.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicketDto {
    /// `incident` or `service_request`.
    #[schema(schema_with = crate::schema::ticket_kind)]
    pub kind: String,
    /// One line, up to 200 characters.
    #[schema(schema_with = crate::schema::title)]
    pub title: String,
    /// Up to 100,000 characters.
    #[schema(schema_with = crate::schema::body)]
    pub description: String,
    /// `high`, `medium` or `low`.
    #[schema(schema_with = crate::schema::impact)]
    pub impact: String,
    /// `high`, `medium` or `low`.
    #[schema(schema_with = crate::schema::urgency)]
    pub urgency: String,
    /// A category or subcategory id.
    #[serde(default)]
    pub category_id: Option<i64>,
    /// A service id.
    #[serde(default)]
    pub service_id: Option<i64>,
    /// For whom (staff only; default: the caller).
    #[serde(default)]
    pub requester_id: Option<i64>,
    /// `portal`, `api`, `phone`, `email`, `chat` or `monitoring` (default `api`).
    #[serde(default)]
    #[schema(schema_with = crate::schema::channel_or_null)]
    pub channel: Option<String>,
}

/// Editing a ticket's fields. Absent fields stay; `null` clears an optional one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketPatchDto {
    /// The version being edited (or send `If-Match`).
    #[serde(default)]
    pub version: Option<i64>,
    /// New title.
    #[serde(default)]
    #[schema(schema_with = crate::schema::title_or_null)]
    pub title: Option<String>,
    /// New description.
    #[serde(default)]
    #[schema(schema_with = crate::schema::body_or_null)]
    pub description: Option<String>,
    /// New impact.
    #[serde(default)]
    #[schema(schema_with = crate::schema::impact_or_null)]
    pub impact: Option<String>,
    /// New urgency.
    #[serde(default)]
    #[schema(schema_with = crate::schema::urgency_or_null)]
    pub urgency: Option<String>,
    /// New category (or subcategory) id, or null.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub category_id: Option<Option<i64>>,
    /// New subcategory id, or null.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub subcategory_id: Option<Option<i64>>,
    /// New service id, or null.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub service_id: Option<Option<i64>>,
    /// The supplier's reference, or null (or empty) to clear it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(schema_with = crate::schema::supplier_reference_to_clear)]
    pub supplier_reference: Option<Option<String>>,
    /// A manual priority (`P1`…`P5`, needs `priority_rationale`), or null to return to the
    /// derived one.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(schema_with = crate::schema::priority_or_null)]
    pub priority: Option<Option<String>>,
    /// Why the priority is overridden.
    #[serde(default)]
    #[schema(schema_with = crate::schema::reason_or_null)]
    pub priority_rationale: Option<String>,
}

/// Parameters of a lifecycle action; which ones apply depends on the action.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionDto {
    /// The version acted on (optional; or send `If-Match`).
    #[serde(default)]
    pub version: Option<i64>,
    /// assign, escalate (functional): the target group.
    #[serde(default)]
    pub group_id: Option<i64>,
    /// assign, escalate (functional): the target agent.
    #[serde(default)]
    pub assignee_id: Option<i64>,
    /// pend: `awaiting_user`, `awaiting_third_party`, `awaiting_change`. escalate, reopen,
    /// cancel: why, in words.
    #[serde(default)]
    pub reason: Option<String>,
    /// escalate: `functional` (to a higher-tier group) or `hierarchical` (alert a lead).
    #[serde(default, rename = "type")]
    pub escalation_type: Option<String>,
    /// resolve: `solved`, `workaround`, `not_reproducible`, `duplicate`, `advice`, `rejected`.
    #[serde(default)]
    #[schema(schema_with = crate::schema::resolution_code_or_null)]
    pub code: Option<String>,
    /// resolve: what was done, for the requester.
    #[serde(default)]
    #[schema(schema_with = crate::schema::body_or_null)]
    pub notes: Option<String>,
}

/// A reply or internal note to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommentDto {
    /// The text.
    #[schema(schema_with = crate::schema::body)]
    pub body: String,
    /// An internal work note, never shown to the requester (staff only).
    #[serde(default)]
    pub internal: bool,
}

/// A reply or internal note.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentDto {
    /// Event id.
    pub id: i64,
    /// Ticket.
    pub ticket_id: i64,
    /// Author.
    pub author_id: Option<i64>,
    /// Internal note.
    pub internal: bool,
    /// Text.
    pub body: String,
    /// When.
    pub created_at: String,
}

impl CommentDto {
    /// The comment of a `commented` event.
    pub fn from_event(event: EventRecord) -> Option<Self> {
        match event.data {
            EventData::Commented { internal, body } => Some(Self {
                id: event.id.get(),
                ticket_id: event.ticket_id.get(),
                author_id: event.actor_id.map(|a| a.get()),
                internal,
                body,
                created_at: time(event.at),
            }),
            _ => None,
        }
    }
}

/// One entry of a ticket's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventDto {
    /// Id, increasing.
    pub id: i64,
    /// When.
    pub at: String,
    /// Who.
    pub actor_id: Option<i64>,
    /// The event type (`created`, `status_changed`, `commented`…).
    #[serde(rename = "type")]
    pub kind: String,
    /// Whether the requester sees it.
    pub public: bool,
    /// What changed (old → new), depending on the type.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl From<EventRecord> for EventDto {
    fn from(event: EventRecord) -> Self {
        Self {
            id: event.id.get(),
            at: time(event.at),
            actor_id: event.actor_id.map(|a| a.get()),
            kind: event.data.kind().to_owned(),
            public: event.public,
            data: serde_json::to_value(&event.data).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// A person.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDto {
    /// Id.
    pub id: i64,
    /// E-mail.
    pub email: String,
    /// Name.
    pub name: String,
    /// `customer`, `agent`, `lead` or `admin`.
    pub role: String,
    /// Organisation.
    pub organization_id: Option<i64>,
    /// Customer who sees the organisation's tickets.
    pub super_user: bool,
    /// Can sign in.
    pub active: bool,
    /// Created at.
    pub created_at: String,
}

impl From<UserRecord> for UserDto {
    fn from(u: UserRecord) -> Self {
        Self {
            id: u.id.get(),
            email: u.email,
            name: u.name,
            role: u.role.as_str().to_owned(),
            organization_id: u.organization_id.map(|o| o.get()),
            super_user: u.super_user,
            active: u.active,
            created_at: time(u.created_at),
        }
    }
}

/// A person to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserDto {
    /// E-mail (unique).
    #[schema(schema_with = crate::schema::email)]
    pub email: String,
    /// Name.
    #[schema(schema_with = crate::schema::name)]
    pub name: String,
    /// `customer`, `agent`, `lead` or `admin`.
    #[schema(schema_with = crate::schema::role)]
    pub role: String,
    /// Organisation.
    #[serde(default)]
    pub organization_id: Option<i64>,
    /// Customer super user.
    #[serde(default)]
    pub super_user: bool,
    /// Initial password (10–1,000 characters); without one the user signs in only with tokens.
    #[serde(default)]
    #[schema(min_length = 10, max_length = 1000)]
    pub password: Option<String>,
}

/// Changes to a person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatchDto {
    /// Name.
    #[serde(default)]
    #[schema(schema_with = crate::schema::name_or_null)]
    pub name: Option<String>,
    /// Role.
    #[serde(default)]
    #[schema(schema_with = crate::schema::role_or_null)]
    pub role: Option<String>,
    /// Organisation, or null.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub organization_id: Option<Option<i64>>,
    /// Super user.
    #[serde(default)]
    pub super_user: Option<bool>,
    /// Active.
    #[serde(default)]
    pub active: Option<bool>,
    /// New password.
    #[serde(default)]
    #[schema(min_length = 10, max_length = 1000)]
    pub password: Option<String>,
    /// Your current password: needed to set your own password, unless your session signed in
    /// within the last 10 minutes.
    #[serde(default)]
    pub current_password: Option<String>,
}

/// An organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationDto {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Created at.
    pub created_at: String,
}

impl From<OrganizationRecord> for OrganizationDto {
    fn from(o: OrganizationRecord) -> Self {
        Self {
            id: o.id.get(),
            name: o.name,
            created_at: time(o.created_at),
        }
    }
}

/// A name, to create something with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameDto {
    /// Name.
    #[schema(schema_with = crate::schema::name)]
    pub name: String,
}

/// A resolver group.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupDto {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// 1, 2 or 3.
    pub tier: i64,
    /// An external supplier (tier 3).
    pub external_supplier: bool,
    /// Created at.
    pub created_at: String,
}

impl From<GroupRecord> for GroupDto {
    fn from(g: GroupRecord) -> Self {
        Self {
            id: g.id.get(),
            name: g.name,
            tier: g.tier.number(),
            external_supplier: g.external_supplier,
            created_at: time(g.created_at),
        }
    }
}

/// A resolver group to add or change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupInputDto {
    /// Name.
    #[schema(schema_with = crate::schema::name)]
    pub name: String,
    /// 1, 2 or 3.
    #[schema(minimum = 1, maximum = 3)]
    pub tier: i64,
    /// An external supplier (tier 3 only).
    #[serde(default)]
    pub external_supplier: bool,
}

/// A category or subcategory.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryDto {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Parent category (for a subcategory).
    pub parent_id: Option<i64>,
}

impl From<CategoryRecord> for CategoryDto {
    fn from(c: CategoryRecord) -> Self {
        Self {
            id: c.id.get(),
            name: c.name,
            parent_id: c.parent_id.map(|p| p.get()),
        }
    }
}

/// A category to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCategoryDto {
    /// Name.
    #[schema(schema_with = crate::schema::name)]
    pub name: String,
    /// Parent category, for a subcategory.
    #[serde(default)]
    pub parent_id: Option<i64>,
}

/// A business service.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceDto {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
}

impl From<ServiceRecord> for ServiceDto {
    fn from(s: ServiceRecord) -> Self {
        Self {
            id: s.id.get(),
            name: s.name,
            description: s.description,
        }
    }
}

/// A service to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewServiceDto {
    /// Name.
    #[schema(schema_with = crate::schema::name)]
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
}

/// The priority matrix: `cells[impact][urgency]`, high/medium/low on both axes.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityMatrixDto {
    /// Rows: impact high, medium, low. Columns: urgency high, medium, low. Values `P1`…`P5`.
    #[schema(schema_with = crate::schema::matrix_cells)]
    pub cells: Vec<Vec<String>>,
}

/// Which group takes new tickets.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DefaultGroupDto {
    /// A tier-1 group.
    pub group_id: i64,
}

/// Signing in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginDto {
    /// E-mail.
    pub email: String,
    /// Password.
    pub password: String,
}

/// A new session: the cookie is set; send `csrf_token` as `X-CSRF-Token` on changes.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDto {
    /// Who signed in.
    pub user: UserDto,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When the session ends.
    pub expires_at: String,
}

/// An API token to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenDto {
    /// A label to recognise it by.
    #[schema(schema_with = crate::schema::label)]
    pub label: String,
    /// When the token stops working (RFC 3339 instant, or a date meaning its UTC midnight; at
    /// most ten years ahead). Give this or `expires_in_days`, not both; without either the
    /// token works until revoked.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// The token stops working after this many days (1–3,650).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 3650)]
    pub expires_in_days: Option<i64>,
    /// A read-only token can only read: every change is refused with 403 `token_scope`.
    #[serde(default)]
    pub read_only: bool,
    /// Only these resources: `tickets`, `knowledge`, `sops`, `admin`. Without it, all of them.
    /// One's own account (`/me…`) and directory look-ups are reachable with any set.
    #[serde(default)]
    #[schema(value_type = Option<Vec<TokenResourceName>>)]
    pub resources: Option<Vec<String>>,
    /// Your current password: needed unless your session signed in within the last 10 minutes.
    /// A request made with an API token can never create tokens.
    #[serde(default)]
    pub current_password: Option<String>,
}

/// The resources a token can be limited to (the names of `spoc_domain::credential::Resource`).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum TokenResourceName {
    /// Tickets, their comments, history, attachments, checklists and ticket reports.
    Tickets,
    /// Knowledge articles, portal suggestions and deflections, the self-service report.
    Knowledge,
    /// SOPs, their reviews and outcome reports.
    Sops,
    /// The desk's setup.
    Admin,
}

/// A new password for the caller.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeDto {
    /// Your current password: needed unless your session signed in within the last 10 minutes.
    #[serde(default)]
    pub current_password: Option<String>,
    /// The new password (10–1,000 characters).
    #[schema(min_length = 10, max_length = 1000)]
    pub new_password: String,
}

/// An API token (the secret only once, at creation).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenDto {
    /// Id.
    pub id: i64,
    /// Label.
    pub label: String,
    /// Created at.
    pub created_at: String,
    /// Last used (updated at most once a minute).
    pub last_used_at: Option<String>,
    /// Revoked at.
    pub revoked_at: Option<String>,
    /// When it stops working by itself; null: never.
    pub expires_at: Option<String>,
    /// Whether it can only read.
    pub read_only: bool,
    /// The resources it is limited to; null: all of them.
    pub resources: Option<Vec<String>>,
    /// Where it was created: `session` (a signed-in browser) or `cli` (the command line).
    pub origin: String,
    /// The secret, present only in the answer that created it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl TokenDto {
    /// The wire form, with the secret if given.
    pub fn new(t: TokenRecord, secret: Option<String>) -> Self {
        Self {
            id: t.id,
            label: t.label,
            created_at: time(t.created_at),
            last_used_at: t.last_used_at.map(time),
            revoked_at: t.revoked_at.map(time),
            expires_at: t.expires_at.map(time),
            read_only: t.scope.read_only,
            resources: t
                .scope
                .resources
                .map(|list| list.iter().map(|r| r.as_str().to_owned()).collect()),
            origin: t.origin.as_str().to_owned(),
            token: secret,
        }
    }
}

/// Sign out of every browser session.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogoutEverywhereDto {
    /// Also revoke every API token created from a browser session (the CLI's stay).
    #[serde(default)]
    pub revoke_browser_tokens: bool,
}

/// What signing out everywhere did.
#[derive(Debug, Serialize, ToSchema)]
pub struct LogoutEverywhereResultDto {
    /// How many API tokens were revoked.
    pub revoked_tokens: u64,
}

/// An in-app notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationDto {
    /// Id, increasing.
    pub id: i64,
    /// The ticket it is about.
    pub ticket_id: Option<i64>,
    /// What kind, e.g. `escalation.hierarchical`.
    pub topic: String,
    /// One sentence.
    pub message: String,
    /// When.
    pub created_at: String,
    /// When it was marked read.
    pub read_at: Option<String>,
}

impl From<NotificationRecord> for NotificationDto {
    fn from(n: NotificationRecord) -> Self {
        Self {
            id: n.id,
            ticket_id: n.ticket_id.map(|t| t.get()),
            topic: n.topic,
            message: n.message,
            created_at: time(n.created_at),
            read_at: n.read_at.map(time),
        }
    }
}

/// Which notifications to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// Only unread ones.
    #[serde(default)]
    pub unread: bool,
    /// At most this many (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// Per-person limits on ticket creation and replies. Over a limit, the API answers 429
/// `rate_limited` with `Retry-After`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimitsDto {
    /// Tickets one person may log within the window (0–1,000,000; default 30).
    #[schema(minimum = 0, maximum = 1000000)]
    pub tickets_per_person: u32,
    /// Replies and notes one person may add within the window (0–1,000,000; default 60).
    #[schema(minimum = 0, maximum = 1000000)]
    pub replies_per_person: u32,
    /// The window in minutes (1–1,440; default 10).
    #[schema(minimum = 1, maximum = 1440)]
    pub window_minutes: u32,
    /// Whether agents, leads and admins are exempt (default true).
    pub staff_exempt: bool,
}

impl From<spoc_app::RateLimits> for RateLimitsDto {
    fn from(l: spoc_app::RateLimits) -> Self {
        Self {
            tickets_per_person: l.tickets_per_person,
            replies_per_person: l.replies_per_person,
            window_minutes: l.window_minutes,
            staff_exempt: l.staff_exempt,
        }
    }
}

impl From<RateLimitsDto> for spoc_app::RateLimits {
    fn from(d: RateLimitsDto) -> Self {
        Self {
            tickets_per_person: d.tickets_per_person,
            replies_per_person: d.replies_per_person,
            window_minutes: d.window_minutes,
            staff_exempt: d.staff_exempt,
        }
    }
}

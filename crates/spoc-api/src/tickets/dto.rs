//! The wire types of tickets: the ticket with its SLA clocks and SOP checklist, changes,
//! actions, comments and history.

use crate::wire::double_option;
use serde::{Deserialize, Serialize};
use spoc_app::HistoryEntry;
use spoc_app::TicketSopView;
use spoc_domain::access::Actor;
use spoc_domain::event::EventData;
use spoc_domain::lifecycle::allowed_actions;
use spoc_domain::ticket::Ticket;
use spoc_http::params::time;
use utoipa::ToSchema;

/// A ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketDto {
    /// Database id.
    pub id: i64,
    /// The tenant the ticket belongs to (a provider agent's queue spans the tenants they are
    /// granted).
    pub tenant_id: i64,
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
    pub sop: Option<TicketSopDto>,
    /// The ticket this one was merged into (it is closed; its conversation continues there).
    /// Single-ticket reads only; absent when the caller may not see the survivor.
    pub merged_into: Option<LinkedTicketDto>,
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
            tenant_id: actor.tenant_id.get(),
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
            merged_into: None,
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
    /// Files to attach, checked as e-mail attachments are (at most 20 MB a file, 30 MB in all,
    /// no programs or scripts; the request body itself is at most 1 MiB). Files of an internal
    /// note are never shown to the requester.
    #[serde(default)]
    pub attachments: Vec<NewAttachmentDto>,
}

/// A file to attach to a comment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAttachmentDto {
    /// Its name (made safe before it is stored).
    pub filename: String,
    /// Its media type; `application/octet-stream` when absent.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Its bytes, base64 (standard alphabet, with padding).
    pub content_base64: String,
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
    pub fn from_event(event: HistoryEntry) -> Option<Self> {
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
    /// Who, when a person acted.
    pub actor_id: Option<i64>,
    /// Which part of the system acted, when the system did: `sla_timer`, `sop_review`,
    /// `mail_intake`, `mail_delivery`, `automation`, `integration` or `bootstrap`. Null when a
    /// person acted (see `actor_id`), and for history recorded before the system was named.
    pub actor_system: Option<String>,
    /// The event type (`created`, `status_changed`, `commented`…).
    #[serde(rename = "type")]
    pub kind: String,
    /// Whether the requester sees it.
    pub public: bool,
    /// What changed (old → new), depending on the type.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl From<HistoryEntry> for EventDto {
    fn from(event: HistoryEntry) -> Self {
        Self {
            id: event.id.get(),
            at: time(event.at),
            actor_id: event.actor_id.map(|a| a.get()),
            actor_system: event.actor_system.map(|s| s.as_str().to_owned()),
            kind: event.data.kind().to_owned(),
            public: event.public,
            data: serde_json::to_value(&event.data).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// One step of a ticket's checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistStepDto {
    /// Stable key.
    pub key: String,
    /// The instruction.
    pub text: String,
    /// Ticked.
    pub done: bool,
    /// Who ticked it.
    pub done_by: Option<i64>,
    /// When (RFC 3339).
    pub done_at: Option<String>,
    /// The question to answer with the step, if any.
    pub answer_label: Option<String>,
    /// The allowed answers (empty: free text).
    pub options: Vec<String>,
    /// The answer recorded.
    pub answer: Option<String>,
}

/// One quality check and whether it holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckStateDto {
    /// Stable key.
    pub key: String,
    /// What must be true.
    pub text: String,
    /// Whether it holds now.
    pub met: bool,
}

/// The SOP a ticket is handled under, and its checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketSopDto {
    /// The SOP.
    pub id: i64,
    /// Its key.
    pub key: String,
    /// The version's title.
    pub title: String,
    /// The version the ticket is handled under (or will be, once work on it begins).
    pub version: i64,
    /// Whether the ticket is bound to this version (from its first checklist use or resolution).
    pub bound: bool,
    /// When it was bound (RFC 3339).
    pub bound_at: Option<String>,
    /// A newer effective version, when the ticket stays on an older one.
    pub newer_effective_version: Option<i64>,
    /// The checklist.
    pub steps: Vec<ChecklistStepDto>,
    /// The quality checks enforced before resolve and close.
    pub checks: Vec<CheckStateDto>,
}

impl From<&TicketSopView> for TicketSopDto {
    fn from(v: &TicketSopView) -> Self {
        let content = &v.version.content;
        Self {
            id: v.sop.id.get(),
            key: v.sop.key.clone(),
            title: content.title.clone(),
            version: v.version.version,
            bound: v.bound.is_some(),
            bound_at: v.bound.as_ref().map(|b| time(b.bound_at)),
            newer_effective_version: v.newer_effective,
            steps: content
                .steps
                .iter()
                .map(|s| {
                    let mark = v.checklist.done.get(&s.key);
                    ChecklistStepDto {
                        key: s.key.clone(),
                        text: s.text.clone(),
                        done: mark.is_some(),
                        done_by: mark.map(|m| m.by.get()),
                        done_at: mark.map(|m| time(m.at)),
                        answer_label: s.answer.as_ref().map(|a| a.label.clone()),
                        options: s
                            .answer
                            .as_ref()
                            .map(|a| a.options.clone())
                            .unwrap_or_default(),
                        answer: v.checklist.answers.get(&s.key).map(|a| a.value.clone()),
                    }
                })
                .collect(),
            checks: content
                .checks
                .iter()
                .map(|c| CheckStateDto {
                    key: c.key.clone(),
                    text: c.text.clone(),
                    met: !v.missing.iter().any(|m| m.key == c.key),
                })
                .collect(),
        }
    }
}

/// A ticket linked to another.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedTicketDto {
    /// How it relates to the ticket asked about: `relates_to`, `follow_up` (the ticket asked
    /// about continues this closed one), `followed_up_by`, `merged_into` (the ticket asked about
    /// was merged into this one) or `merged_from`.
    pub relation: String,
    /// The linked ticket's id.
    pub id: i64,
    /// Its number.
    pub number: String,
    /// Its title.
    pub title: String,
    /// Its status.
    pub status: String,
}

impl From<&spoc_app::TicketLink> for LinkedTicketDto {
    fn from(l: &spoc_app::TicketLink) -> Self {
        Self {
            relation: l.relation.as_str().to_owned(),
            id: l.ticket.id.get(),
            number: l.ticket.number().to_string(),
            title: l.ticket.title.clone(),
            status: l.ticket.status.as_str().to_owned(),
        }
    }
}

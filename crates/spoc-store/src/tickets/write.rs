//! The ticket write path: a change decided under the row lock is written with its events,
//! search entries, clocks, annexes, notifications, outbox rows and mail, and recorded for the
//! change feed, in one transaction.

use crate::changes::{Change, Entity};
use crate::db::{Sql, Tx};
use crate::scope::push_tenant_of;
use crate::{EventRecord, OutboxMessage, Store, StoreError};
use spoc_domain::access::{Principal, SystemActor};
use spoc_domain::event::EventData;
use spoc_domain::tenant::TenantScope;
use spoc_domain::ticket::Ticket;
use spoc_domain::{EventId, TenantId, TicketId, Timestamp, UserId};

use super::{
    EventRow, Load, TICKET_COLUMNS, TicketChange, TicketDraft, TicketRow, TicketState, Updated,
};

/// The `UPDATE` that writes every mutable column, guarded by the version read.
const UPDATE_TICKET: &str = "UPDATE tickets SET title = $1, description = $2, status = $3, \
    pending_reason = $4, impact = $5, urgency = $6, priority = $7, priority_overridden = $8, \
    group_id = $9, assignee_id = $10, tier = $11, category_id = $12, subcategory_id = $13, \
    service_id = $14, supplier_reference = $15, resolution_code = $16, resolution_notes = $17, \
    reassignment_count = $18, reopen_count = $19, escalation_count = $20, escalated = $21, \
    updated_at = $22, first_response_at = $23, resolved_at = $24, closed_at = $25, version = $26 \
    WHERE id = $27 AND version = $28 \
    /* all-tenants: the row just read under its lock in the caller's tenant scope */ \
    RETURNING tenant_id";

/// The `INSERT` of a new ticket: every column as the domain opened it, but the id; its tenant is
/// its requester's (or, when the requester is missing and the foreign key refuses the row, its
/// group's, so that the refusal is the foreign key's).
const INSERT_TICKET: &str = "INSERT INTO tickets (kind, title, description, status, pending_reason, \
    impact, urgency, priority, priority_overridden, requester_id, organization_id, group_id, \
    assignee_id, tier, category_id, subcategory_id, service_id, channel, supplier_reference, \
    resolution_code, resolution_notes, reassignment_count, reopen_count, escalation_count, \
    escalated, created_at, updated_at, first_response_at, resolved_at, closed_at, version, \
    tenant_id) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
    $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, \
    COALESCE((SELECT tenant_id FROM users WHERE id = $10), \
    (SELECT tenant_id FROM resolver_groups WHERE id = $12))) RETURNING id, tenant_id";

const INSERT_OUTBOX: &str = "INSERT INTO outbox (topic, idempotency_key, payload, created_at, available_at, recipient, ticket_id, tenant_id) \
    VALUES ($1, $2, $3, $4, $4, $5, $6, (SELECT tenant_id FROM tickets WHERE id = $6))";

pub(crate) const INSERT_EVENT: &str = "INSERT INTO ticket_events (ticket_id, at, actor_id, actor_system, kind, public, data) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";

const INSERT_NOTIFICATION: &str = "INSERT INTO notifications (user_id, ticket_id, topic, message, created_at, tenant_id) \
    VALUES ($1, $2, $3, $4, $5, (SELECT tenant_id FROM tickets WHERE id = $2))";

const SELECT_TICKET_SOP: &str = "SELECT ticket_id, sop_id, version, checklist, bound_at, bound_by \
    FROM ticket_sop WHERE ticket_id = $1";

const UPSERT_TICKET_SOP: &str = "INSERT INTO ticket_sop (ticket_id, sop_id, version, checklist, bound_at, bound_by) \
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ticket_id) DO UPDATE SET checklist = excluded.checklist";

/// What an event changes in the search index: `(column, text, append)`.
pub(crate) fn search_update(event: &EventData) -> Option<(&'static str, String, bool)> {
    match event {
        EventData::Commented {
            internal: true,
            body,
        } => Some(("internal_notes", body.clone(), true)),
        EventData::Commented {
            internal: false,
            body,
        } => Some(("public_comments", body.clone(), true)),
        EventData::FieldChanged { field, to, .. } if field == "title" || field == "description" => {
            let column = if field == "title" {
                "title"
            } else {
                "description"
            };
            Some((column, to.clone().unwrap_or_default(), false))
        }
        _ => None,
    }
}

/// The change feed's entry for a ticket write: created, commented (a reply or note among its
/// events) or updated; public when the requester could see one of its events.
fn ticket_change(
    tenant: TenantId,
    ticket: &Ticket,
    actor: Option<Principal>,
    events: &[EventRecord],
    created: bool,
) -> Change {
    let kind = if created {
        "created"
    } else if events
        .iter()
        .any(|e| matches!(e.data, EventData::Commented { .. }))
    {
        "commented"
    } else {
        "updated"
    };
    Change {
        tenant,
        entity: Entity::Ticket,
        entity_id: ticket.id.get(),
        kind,
        public: events.iter().any(|e| e.public),
        actor,
    }
}

/// Appends `events` to ticket `ticket`'s history at `at`, with what they change in the search
/// index; returns them as stored.
pub(crate) async fn insert_events(
    tx: &mut Tx,
    ticket: TicketId,
    actor: Option<Principal>,
    at: Timestamp,
    events: Vec<EventData>,
) -> Result<Vec<EventRecord>, StoreError> {
    let key = tx.dialect().ticket_search_key();
    let mut records = Vec::with_capacity(events.len());
    for event in events {
        let id: i64 = tx
            .fetch_scalar(
                Sql::new(INSERT_EVENT)
                    .bind(ticket.get())
                    .bind(at.as_micros())
                    .bind(actor.and_then(Principal::user_id).map(UserId::get))
                    .bind(actor.and_then(Principal::system).map(SystemActor::as_str))
                    .bind(event.kind())
                    .bind(event.is_public())
                    .bind(serde_json::to_string(&event)?),
            )
            .await?;
        if let Some((column, text, append)) = search_update(&event) {
            let sql = if append {
                format!(
                    "UPDATE ticket_search SET {column} = {column} || ' ' || $1 WHERE {key} = $2"
                )
            } else {
                format!("UPDATE ticket_search SET {column} = $1 WHERE {key} = $2")
            };
            tx.execute(Sql::new(sql).bind(text).bind(ticket.get()))
                .await?;
        }
        records.push(EventRecord {
            id: EventId::new(id),
            ticket_id: ticket,
            at,
            actor_id: actor.and_then(Principal::user_id),
            actor_system: actor.and_then(Principal::system),
            public: event.is_public(),
            data: event,
        });
    }
    Ok(records)
}

/// Writes a ticket's clocks (and frees its timer lease).
pub(crate) async fn write_sla(
    tx: &mut Tx,
    ticket: TicketId,
    sla: &crate::TicketSla,
) -> Result<(), StoreError> {
    tx.execute(
        Sql::new(crate::sla::UPSERT_TICKET_SLA)
            .bind(ticket.get())
            .bind(sla.policy_id.get())
            .bind(crate::sla::clocks_json(sla)?)
            .bind(sla.next_due_at.map(|v| v.as_micros()))
            .bind(sla.resolution_due_at.map(|v| v.as_micros())),
    )
    .await?;
    Ok(())
}

async fn write_outbox(
    tx: &mut Tx,
    ticket: TicketId,
    at: Timestamp,
    message: &OutboxMessage,
    key: String,
) -> Result<(), StoreError> {
    tx.execute(
        Sql::new(INSERT_OUTBOX)
            .bind(&message.topic)
            .bind(key)
            .bind(&message.payload)
            .bind(at.as_micros())
            .bind(message.recipient.as_deref())
            .bind(ticket.get()),
    )
    .await?;
    Ok(())
}

/// Writes a new ticket exactly as the domain opened it: the row, its search entry, its clocks,
/// its first events, its outbox messages and its mail.
pub(super) async fn insert_ticket(tx: &mut Tx, draft: TicketDraft) -> Result<Updated, StoreError> {
    let TicketDraft {
        mut ticket,
        events,
        actor,
        sla,
        outbox,
        mail,
    } = draft;
    let t = &ticket;
    let (id, tenant): (i64, i64) = tx
        .fetch_one(
            Sql::new(INSERT_TICKET)
                .bind(t.kind.as_str())
                .bind(&t.title)
                .bind(&t.description)
                .bind(t.status.as_str())
                .bind(t.pending_reason.map(|r| r.as_str()))
                .bind(t.impact.as_str())
                .bind(t.urgency.as_str())
                .bind(t.priority.rank())
                .bind(t.priority_overridden)
                .bind(t.requester_id.get())
                .bind(t.organization_id.map(|o| o.get()))
                .bind(t.group_id.get())
                .bind(t.assignee_id.map(|u| u.get()))
                .bind(t.tier.number())
                .bind(t.category_id.map(|c| c.get()))
                .bind(t.subcategory_id.map(|c| c.get()))
                .bind(t.service_id.map(|s| s.get()))
                .bind(t.channel.as_str())
                .bind(t.supplier_reference.as_deref())
                .bind(t.resolution_code.map(|c| c.as_str()))
                .bind(t.resolution_notes.as_deref())
                .bind(t.reassignment_count)
                .bind(t.reopen_count)
                .bind(t.escalation_count)
                .bind(t.escalated)
                .bind(t.created_at.as_micros())
                .bind(t.updated_at.as_micros())
                .bind(t.first_response_at.map(|v| v.as_micros()))
                .bind(t.resolved_at.map(|v| v.as_micros()))
                .bind(t.closed_at.map(|v| v.as_micros()))
                .bind(t.version),
        )
        .await?;
    ticket.id = TicketId::new(id);
    let tenant = TenantId::new(tenant);
    let key = tx.dialect().ticket_search_key();
    tx.execute(
        Sql::new(format!(
            "INSERT INTO ticket_search ({key}, title, description, public_comments, internal_notes, tenant) \
             VALUES ($1, $2, $3, '', '', $4)"
        ))
        .bind(id)
        .bind(&ticket.title)
        .bind(&ticket.description)
        .bind(tenant.get()),
    )
    .await?;
    if let Some(sla) = &sla {
        write_sla(tx, ticket.id, sla).await?;
    }
    let at = ticket.created_at;
    let events = insert_events(tx, ticket.id, actor, at, events).await?;
    for message in &outbox {
        let key = format!("{}:{}", message.idempotency_key, id);
        write_outbox(tx, ticket.id, at, message, key).await?;
    }
    if let Some(mail) = &mail {
        let created = events.first().map(|e| e.id);
        crate::mail::write_mail(tx, ticket.id, created, at, mail).await?;
    }
    tx.changed(ticket_change(tenant, &ticket, actor, &events, true));
    Ok(Updated { ticket, events })
}

/// Reads a ticket's whole state; inside a write transaction, under its row lock.
pub(crate) async fn load_state(
    tx: &mut Tx,
    id: TicketId,
    tenant: TenantScope,
    load: Load,
) -> Result<TicketState, StoreError> {
    let lock = tx.dialect().for_update();
    let mut sql = Sql::new(format!(
        "SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.id = "
    ));
    sql.push_bind(id.get());
    push_tenant_of(&mut sql, "t", tenant);
    sql.push(lock);
    let row: TicketRow = tx.fetch_one(sql).await?;
    let ticket = Ticket::try_from(row)?;
    let sla = tx
        .fetch_optional::<crate::sla::TicketSlaRow>(
            Sql::new(format!(
                "SELECT {} FROM ticket_sla WHERE ticket_id = $1",
                crate::sla::TICKET_SLA_COLUMNS
            ))
            .bind(id.get()),
        )
        .await?
        .map(crate::TicketSla::try_from)
        .transpose()?;
    let sop = tx
        .fetch_optional::<crate::annex::TicketSopRow>(Sql::new(SELECT_TICKET_SOP).bind(id.get()))
        .await?
        .map(crate::TicketSopRecord::try_from)
        .transpose()?;
    let history = if load.history {
        tx.fetch_all::<EventRow>(
            Sql::new(
                "SELECT id, ticket_id, at, actor_id, actor_system, public, data FROM ticket_events \
                 WHERE ticket_id = $1 ORDER BY id",
            )
            .bind(id.get()),
        )
        .await?
        .into_iter()
        .map(|row| EventRecord::try_from(row).map(|e| e.data))
        .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    Ok(TicketState {
        ticket,
        sla,
        sop,
        history,
    })
}

/// Writes a decided change of `current`: the row (checked against the version read), its
/// events, search entries, clocks, SOP record, article use, outbox messages, mail and in-app
/// notifications.
pub(super) async fn write_change(
    tx: &mut Tx,
    current: &Ticket,
    actor: Option<Principal>,
    change: TicketChange,
) -> Result<Updated, StoreError> {
    let TicketChange {
        mut ticket,
        events,
        outbox,
        notifications,
        sla,
        mail,
        sop,
        article_use,
    } = change;
    // The caller read the clock before it got the lock: a writer that waited behind another
    // must not record its change as earlier than the one committed before it, or event order by
    // id and by time would disagree.
    ticket.updated_at = ticket.updated_at.max(current.updated_at);
    let t = &ticket;
    let tenant: Option<i64> = tx
        .fetch_optional_scalar(
            Sql::new(UPDATE_TICKET)
                .bind(&t.title)
                .bind(&t.description)
                .bind(t.status.as_str())
                .bind(t.pending_reason.map(|r| r.as_str()))
                .bind(t.impact.as_str())
                .bind(t.urgency.as_str())
                .bind(t.priority.rank())
                .bind(t.priority_overridden)
                .bind(t.group_id.get())
                .bind(t.assignee_id.map(|u| u.get()))
                .bind(t.tier.number())
                .bind(t.category_id.map(|c| c.get()))
                .bind(t.subcategory_id.map(|c| c.get()))
                .bind(t.service_id.map(|s| s.get()))
                .bind(t.supplier_reference.as_deref())
                .bind(t.resolution_code.map(|c| c.as_str()))
                .bind(t.resolution_notes.as_deref())
                .bind(t.reassignment_count)
                .bind(t.reopen_count)
                .bind(t.escalation_count)
                .bind(t.escalated)
                .bind(t.updated_at.as_micros())
                .bind(t.first_response_at.map(|v| v.as_micros()))
                .bind(t.resolved_at.map(|v| v.as_micros()))
                .bind(t.closed_at.map(|v| v.as_micros()))
                .bind(t.version)
                .bind(t.id.get())
                .bind(current.version),
        )
        .await?;
    let Some(tenant) = tenant.map(TenantId::new) else {
        return Err(StoreError::VersionConflict {
            current: current.version,
        });
    };
    let at = ticket.updated_at;
    let events = insert_events(tx, ticket.id, actor, at, events).await?;
    if let Some(sla) = &sla {
        write_sla(tx, ticket.id, sla).await?;
    }
    if let Some(sop) = &sop {
        tx.execute(
            Sql::new(UPSERT_TICKET_SOP)
                .bind(ticket.id.get())
                .bind(sop.sop_id)
                .bind(sop.version)
                .bind(serde_json::to_string(&sop.checklist)?)
                .bind(sop.bound_at.as_micros())
                .bind(sop.bound_by.map(UserId::get)),
        )
        .await?;
    }
    if let Some(article) = article_use {
        let added = tx
            .execute(
                Sql::new(
                    "INSERT INTO article_uses (article_id, ticket_id, user_id, created_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (article_id, ticket_id) DO NOTHING",
                )
                .bind(article)
                .bind(ticket.id.get())
                .bind(actor.and_then(Principal::user_id).map(UserId::get))
                .bind(at.as_micros()),
            )
            .await?;
        if added == 1 {
            tx.execute(
                Sql::new(
                    "UPDATE articles SET use_count = use_count + 1 WHERE id = $1 \
                     AND tenant_id = (SELECT tenant_id FROM tickets WHERE id = $2)",
                )
                .bind(article)
                .bind(ticket.id.get()),
            )
            .await?;
        }
    }
    for message in &outbox {
        write_outbox(tx, ticket.id, at, message, message.idempotency_key.clone()).await?;
    }
    if let Some(mail) = &mail {
        let comment = events
            .iter()
            .find(|e| matches!(e.data, EventData::Commented { .. }))
            .or(events.first())
            .map(|e| e.id);
        crate::mail::write_mail(tx, ticket.id, comment, at, mail).await?;
    }
    for note in &notifications {
        tx.execute(
            Sql::new(INSERT_NOTIFICATION)
                .bind(note.user_id.get())
                .bind(ticket.id.get())
                .bind(&note.topic)
                .bind(&note.message)
                .bind(at.as_micros()),
        )
        .await?;
    }
    tx.changed(ticket_change(tenant, &ticket, actor, &events, false));
    Ok(Updated { ticket, events })
}

impl Store {
    /// Applies a change decided by `decide` from the ticket's current state and clocks (see
    /// [`Store::update_ticket_with`]).
    pub async fn update_ticket<E, F>(
        &self,
        id: TicketId,
        tenant: TenantScope,
        actor: Option<Principal>,
        decide: F,
    ) -> Result<Updated, E>
    where
        E: From<StoreError>,
        F: FnOnce(&Ticket, Option<&crate::TicketSla>) -> Result<Option<TicketChange>, E>,
    {
        self.update_ticket_with(id, tenant, actor, Load::default(), |state| {
            decide(&state.ticket, state.sla.as_ref())
        })
        .await
    }

    /// Applies a change decided by `decide` from the ticket's whole state, atomically and in one
    /// commit: the ticket is read and locked with its clocks, its SOP record and (if `load`
    /// asks) its history; `decide` runs (authorisation, the domain's rules, the version check,
    /// the SOP gate); and the new state, its events, search entries, clocks, annexes,
    /// notifications and outbox messages are written in the same transaction. `decide`
    /// returning `Ok(None)`, a change without events, or an error writes nothing.
    pub async fn update_ticket_with<E, F>(
        &self,
        id: TicketId,
        tenant: TenantScope,
        actor: Option<Principal>,
        load: Load,
        decide: F,
    ) -> Result<Updated, E>
    where
        E: From<StoreError>,
        F: FnOnce(&TicketState) -> Result<Option<TicketChange>, E>,
    {
        let mut tx = self.begin().await?;
        let state = load_state(&mut tx, id, tenant, load).await?;
        let change = match decide(&state)? {
            Some(change) if !change.events.is_empty() => change,
            _ => {
                return Ok(Updated {
                    ticket: state.ticket,
                    events: Vec::new(),
                });
            }
        };
        let updated = write_change(&mut tx, &state.ticket, actor, change).await?;
        tx.commit().await?;
        Ok(updated)
    }
}

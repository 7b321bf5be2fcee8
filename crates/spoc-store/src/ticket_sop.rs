//! A ticket's annex: the SOP version it is handled under and its checklist (`ticket_sop`, a
//! table of its own, beside `tickets`), changed under the ticket's row lock with history events
//! (also used to attach knowledge articles), and the ticket histories that SOP outcomes and
//! review triggers are computed from.

use std::collections::HashMap;

use spoc_domain::access::{Principal, Scope};
use spoc_domain::event::EventData;
use spoc_domain::metrics::TicketHistory;
use spoc_domain::tenant::TenantScope;
use spoc_domain::ticket::Ticket;
use spoc_domain::{TicketId, Timestamp};

use crate::annex::{TicketSopRecord, TicketSopRow};
use crate::db::Sql;
use crate::scope::push_scope;
use crate::tickets::{EventRow, Load, TicketChange, Updated};
use crate::{EventRecord, Store, StoreError};

/// A change of a ticket's annex (its SOP checklist, attached articles): events to append, and
/// what to write, decided under the ticket's row lock.
#[derive(Clone, Debug, Default)]
pub struct AnnexChange {
    /// History events.
    pub events: Vec<EventData>,
    /// The ticket's SOP record afterwards (bound version and checklist).
    pub sop: Option<TicketSopRecord>,
    /// An article attached as used to resolve the ticket.
    pub article_use: Option<i64>,
}

impl Store {
    /// The SOP version and checklist of a ticket inside `scope`, if it is bound to one (a ticket
    /// outside the scope has none).
    pub async fn ticket_sop(
        &self,
        ticket: TicketId,
        scope: &Scope,
    ) -> Result<Option<TicketSopRecord>, StoreError> {
        let mut sql = Sql::new(
            "SELECT s.ticket_id, s.sop_id, s.version, s.checklist, s.bound_at, s.bound_by \
             FROM ticket_sop s JOIN tickets t ON t.id = s.ticket_id WHERE s.ticket_id = ",
        );
        sql.push_bind(ticket.get());
        push_scope(&mut sql, scope);
        self.read()
            .fetch_optional::<TicketSopRow>(sql)
            .await?
            .map(TicketSopRecord::try_from)
            .transpose()
    }

    /// Changes a ticket's annex atomically, through the one ticket write path
    /// ([`Store::update_ticket_with`]): the ticket is locked and read with its SOP record,
    /// `decide` says what to append and write; the ticket's version goes up by one (so a
    /// concurrent resolve, which checks the version, sees every checklist change), and the
    /// events, the SOP record and any attached article are written in one transaction.
    /// `decide` returning `None` or no events writes nothing.
    pub async fn update_ticket_annex<E, F>(
        &self,
        id: TicketId,
        tenant: TenantScope,
        actor: Option<Principal>,
        now: Timestamp,
        decide: F,
    ) -> Result<Updated, E>
    where
        E: From<StoreError>,
        F: FnOnce(&Ticket, Option<&TicketSopRecord>) -> Result<Option<AnnexChange>, E>,
    {
        self.update_ticket_with(id, tenant, actor, Load::default(), |state| {
            let Some(change) = decide(&state.ticket, state.sop.as_ref())? else {
                return Ok(None);
            };
            let mut ticket = state.ticket.clone();
            ticket.version += 1;
            ticket.updated_at = now;
            Ok(Some(TicketChange {
                ticket,
                events: change.events,
                outbox: Vec::new(),
                notifications: Vec::new(),
                sla: None,
                mail: None,
                sop: change.sop,
                article_use: change.article_use,
            }))
        })
        .await
    }

    /// The histories of every ticket handled under an SOP, with the version each was handled
    /// under.
    pub async fn sop_histories(&self, sop: i64) -> Result<Vec<(i64, TicketHistory)>, StoreError> {
        let db = self.read();
        let bound: Vec<(i64, i64, i64)> = db
            .fetch_all(
                Sql::new(
                    "SELECT s.ticket_id, s.version, t.created_at FROM ticket_sop s \
                     JOIN tickets t ON t.id = s.ticket_id WHERE s.sop_id = $1 \
                     AND t.tenant_id = (SELECT tenant_id FROM sops WHERE id = $1) ORDER BY s.ticket_id",
                )
                .bind(sop),
            )
            .await?;
        let rows: Vec<EventRow> = db
            .fetch_all(
                Sql::new(
                    "SELECT e.id, e.ticket_id, e.at, e.actor_id, e.actor_system, e.public, e.data FROM ticket_events e \
                     JOIN ticket_sop s ON s.ticket_id = e.ticket_id WHERE s.sop_id = $1 \
                     ORDER BY e.ticket_id, e.id",
                )
                .bind(sop),
            )
            .await?;
        let mut events: HashMap<TicketId, Vec<(Timestamp, EventData)>> = HashMap::new();
        for row in rows {
            let record = EventRecord::try_from(row)?;
            events
                .entry(record.ticket_id)
                .or_default()
                .push((record.at, record.data));
        }
        Ok(bound
            .into_iter()
            .map(|(ticket, version, created)| {
                let ticket_id = TicketId::new(ticket);
                (
                    version,
                    TicketHistory {
                        ticket_id,
                        created_at: Timestamp::from_micros(created),
                        events: events.remove(&ticket_id).unwrap_or_default(),
                    },
                )
            })
            .collect())
    }

    /// Status and SLA events since `since` of the tickets of the SOP's own tenant handled under
    /// it (another tenant's tickets under a provider-wide SOP are that tenant's):
    /// `(ticket, event id, at, data)`, for review triggers.
    pub async fn sop_signal_events(
        &self,
        sop: i64,
        since: Timestamp,
    ) -> Result<Vec<(TicketId, i64, Timestamp, EventData)>, StoreError> {
        let rows: Vec<EventRow> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT e.id, e.ticket_id, e.at, e.actor_id, e.actor_system, e.public, e.data FROM ticket_events e \
                     JOIN ticket_sop s ON s.ticket_id = e.ticket_id JOIN tickets t ON t.id = e.ticket_id \
                     WHERE s.sop_id = $1 AND t.tenant_id = (SELECT tenant_id FROM sops WHERE id = $1) \
                     AND e.at >= $2 AND e.kind IN ('sla', 'status_changed') ORDER BY e.id",
                )
                .bind(sop)
                .bind(since.as_micros()),
            )
            .await?;
        rows.into_iter()
            .map(|row| {
                let record = EventRecord::try_from(row)?;
                Ok((record.ticket_id, record.id.get(), record.at, record.data))
            })
            .collect()
    }
}

//! A ticket's annex: the SOP version it is handled under and its checklist (`ticket_sop`, a
//! table of its own, beside `tickets`), changed under the ticket's row lock with history events
//! (also used to attach knowledge articles), and the ticket histories that SOP outcomes and
//! review triggers are computed from.

use spoc_domain::event::EventData;
use spoc_domain::metrics::TicketHistory;
use spoc_domain::sop::Checklist;
use spoc_domain::ticket::Ticket;
use spoc_domain::{EventId, TicketId, Timestamp, UserId};

use crate::tickets::{INSERT_EVENT, TICKET_COLUMNS, TicketRow, insert_events, search_update};
use crate::{Backend, EventRecord, Store, StoreError, dispatch};

/// The SOP version a ticket is handled under, and its checklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketSopRecord {
    /// The ticket.
    pub ticket_id: TicketId,
    /// The SOP.
    pub sop_id: i64,
    /// The version.
    pub version: i64,
    /// Ticks and answers.
    pub checklist: Checklist,
    /// When the ticket was bound to it.
    pub bound_at: Timestamp,
    /// By whom.
    pub bound_by: Option<UserId>,
}

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

#[derive(sqlx::FromRow)]
struct TicketSopRow {
    ticket_id: i64,
    sop_id: i64,
    version: i64,
    checklist: String,
    bound_at: i64,
    bound_by: Option<i64>,
}

impl TryFrom<TicketSopRow> for TicketSopRecord {
    type Error = StoreError;

    fn try_from(r: TicketSopRow) -> Result<Self, StoreError> {
        Ok(Self {
            ticket_id: TicketId::new(r.ticket_id),
            sop_id: r.sop_id,
            version: r.version,
            checklist: serde_json::from_str(&r.checklist)?,
            bound_at: Timestamp::from_micros(r.bound_at),
            bound_by: r.bound_by.map(UserId::new),
        })
    }
}

impl Store {
    /// The SOP version and checklist of a ticket, if it is bound to one.
    pub async fn ticket_sop(
        &self,
        ticket: TicketId,
    ) -> Result<Option<TicketSopRecord>, StoreError> {
        dispatch!(self, db => {
            let row: Option<TicketSopRow> = sqlx::query_as(
                "SELECT ticket_id, sop_id, version, checklist, bound_at, bound_by FROM ticket_sop WHERE ticket_id = $1",
            )
            .bind(ticket.get())
            .fetch_optional(&db.read)
            .await?;
            row.map(TicketSopRecord::try_from).transpose()
        })
    }

    /// Changes a ticket's annex atomically: the ticket is locked and read with its SOP record,
    /// `decide` says what to append and write; the ticket's version goes up by one (so a
    /// concurrent resolve, which checks the version, sees every checklist change), and the
    /// events, the SOP record and any attached article are written in one transaction.
    /// `decide` returning `None` or no events writes nothing.
    pub async fn update_ticket_annex<E, F>(
        &self,
        id: TicketId,
        actor: Option<UserId>,
        now: Timestamp,
        decide: F,
    ) -> Result<crate::tickets::Updated, E>
    where
        E: From<StoreError>,
        F: FnOnce(&Ticket, Option<&TicketSopRecord>) -> Result<Option<AnnexChange>, E>,
    {
        dispatch!(self, db => {
            let mut tx = db.begin_write().await?;
            let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.id = $1{}", db.for_update());
            let row: Option<TicketRow> = sqlx::query_as(&sql).bind(id.get()).fetch_optional(&mut *tx).await.map_err(StoreError::from)?;
            let current: Ticket = row.ok_or(StoreError::NotFound)?.try_into()?;
            let sop_row: Option<TicketSopRow> = sqlx::query_as(
                "SELECT ticket_id, sop_id, version, checklist, bound_at, bound_by FROM ticket_sop WHERE ticket_id = $1",
            )
            .bind(id.get())
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::from)?;
            let current_sop = sop_row.map(TicketSopRecord::try_from).transpose()?;
            let change = match decide(&current, current_sop.as_ref())? {
                Some(change) if !change.events.is_empty() => change,
                _ => return Ok(crate::tickets::Updated { ticket: current, events: Vec::new() }),
            };
            // Never earlier than the ticket's last write (see `update_ticket`).
            let now = now.max(current.updated_at);
            let result: Result<crate::tickets::Updated, StoreError> = async {
                let mut ticket = current.clone();
                ticket.version += 1;
                ticket.updated_at = now;
                let done = sqlx::query("UPDATE tickets SET version = $1, updated_at = $2 WHERE id = $3 AND version = $4")
                    .bind(ticket.version)
                    .bind(now.as_micros())
                    .bind(id.get())
                    .bind(current.version)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::VersionConflict { current: current.version });
                }
                let backend: Backend = db.backend();
                let events: Vec<EventRecord> = insert_events!(tx, backend, &ticket, actor, now, change.events.clone());
                if let Some(sop) = &change.sop {
                    sqlx::query(
                        "INSERT INTO ticket_sop (ticket_id, sop_id, version, checklist, bound_at, bound_by) \
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ticket_id) DO UPDATE SET checklist = excluded.checklist",
                    )
                    .bind(id.get())
                    .bind(sop.sop_id)
                    .bind(sop.version)
                    .bind(serde_json::to_string(&sop.checklist)?)
                    .bind(sop.bound_at.as_micros())
                    .bind(sop.bound_by.map(UserId::get))
                    .execute(&mut *tx)
                    .await?;
                }
                if let Some(article) = change.article_use {
                    let added = sqlx::query(
                        "INSERT INTO article_uses (article_id, ticket_id, user_id, created_at) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (article_id, ticket_id) DO NOTHING",
                    )
                    .bind(article)
                    .bind(id.get())
                    .bind(actor.map(UserId::get))
                    .bind(now.as_micros())
                    .execute(&mut *tx)
                    .await?;
                    if added.rows_affected() == 1 {
                        sqlx::query("UPDATE articles SET use_count = use_count + 1 WHERE id = $1")
                            .bind(article)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                Ok(crate::tickets::Updated { ticket, events })
            }
            .await;
            let updated = result?;
            tx.commit().await.map_err(StoreError::from)?;
            Ok(updated)
        })
    }

    /// The histories of every ticket handled under an SOP, with the version each was handled
    /// under.
    pub async fn sop_histories(&self, sop: i64) -> Result<Vec<(i64, TicketHistory)>, StoreError> {
        dispatch!(self, db => {
            let bound: Vec<(i64, i64, i64)> = sqlx::query_as(
                "SELECT s.ticket_id, s.version, t.created_at FROM ticket_sop s JOIN tickets t ON t.id = s.ticket_id \
                 WHERE s.sop_id = $1 ORDER BY s.ticket_id",
            )
            .bind(sop)
            .fetch_all(&db.read)
            .await?;
            let rows: Vec<crate::tickets::EventRow> = sqlx::query_as(
                "SELECT e.id, e.ticket_id, e.at, e.actor_id, e.public, e.data FROM ticket_events e \
                 JOIN ticket_sop s ON s.ticket_id = e.ticket_id WHERE s.sop_id = $1 ORDER BY e.ticket_id, e.id",
            )
            .bind(sop)
            .fetch_all(&db.read)
            .await?;
            let mut events: std::collections::HashMap<TicketId, Vec<(Timestamp, EventData)>> = std::collections::HashMap::new();
            for row in rows {
                let record = EventRecord::try_from(row)?;
                events.entry(record.ticket_id).or_default().push((record.at, record.data));
            }
            Ok(bound
                .into_iter()
                .map(|(ticket, version, created)| {
                    let ticket_id = TicketId::new(ticket);
                    (version, TicketHistory {
                        ticket_id,
                        created_at: Timestamp::from_micros(created),
                        events: events.remove(&ticket_id).unwrap_or_default(),
                    })
                })
                .collect())
        })
    }

    /// Status and SLA events since `since` of the tickets handled under an SOP:
    /// `(ticket, event id, at, data)`, for review triggers.
    pub async fn sop_signal_events(
        &self,
        sop: i64,
        since: Timestamp,
    ) -> Result<Vec<(TicketId, i64, Timestamp, EventData)>, StoreError> {
        dispatch!(self, db => {
            let rows: Vec<crate::tickets::EventRow> = sqlx::query_as(
                "SELECT e.id, e.ticket_id, e.at, e.actor_id, e.public, e.data FROM ticket_events e \
                 JOIN ticket_sop s ON s.ticket_id = e.ticket_id \
                 WHERE s.sop_id = $1 AND e.at >= $2 AND e.kind IN ('sla', 'status_changed') ORDER BY e.id",
            )
            .bind(sop)
            .bind(since.as_micros())
            .fetch_all(&db.read)
            .await?;
            rows.into_iter()
                .map(|row| {
                    let record = EventRecord::try_from(row)?;
                    Ok((record.ticket_id, record.id.get(), record.at, record.data))
                })
                .collect()
        })
    }
}

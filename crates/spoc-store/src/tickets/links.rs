//! Links between tickets (`ticket_links`): related work, follow-ups and merges. A link is made or
//! removed by a change of both tickets at once ([`Store::update_ticket_pair_with`]): both rows
//! locked, both histories written, the link row written, one commit.

use crate::db::Sql;
use crate::{Store, StoreError};
use spoc_domain::access::Principal;
use spoc_domain::{TenantId, TicketId, Timestamp, UserId};

use super::write::{load_state, write_change};
use super::{Load, TicketChange, TicketState, Updated};

/// What a stored link says of its first ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StoredLink {
    /// Related work (symmetric; stored once per pair).
    RelatesTo,
    /// The first ticket continues the second, closed one.
    FollowUp,
    /// The first ticket was merged into the second.
    MergedInto,
}

impl StoredLink {
    const fn as_str(self) -> &'static str {
        match self {
            Self::RelatesTo => "relates_to",
            Self::FollowUp => "follow_up",
            Self::MergedInto => "merged_into",
        }
    }

    fn parse(value: &str) -> Result<Self, StoreError> {
        match value {
            "relates_to" => Ok(Self::RelatesTo),
            "follow_up" => Ok(Self::FollowUp),
            "merged_into" => Ok(Self::MergedInto),
            other => Err(StoreError::Corrupt(format!("ticket_links.kind: {other}"))),
        }
    }
}

/// One link of a ticket, seen from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketLinkRecord {
    /// The other ticket.
    pub other: TicketId,
    /// The kind, as said of `from`.
    pub kind: StoredLink,
    /// Whether the ticket asked about is the one the kind is said of (it follows up / was
    /// merged into `other`); `false`: `other` follows up or was merged into it.
    pub outgoing: bool,
    /// When it was made.
    pub created_at: Timestamp,
}

/// Both tickets' changes and the link the change makes or removes between them, said of the
/// first ticket.
#[derive(Clone, Debug)]
pub struct PairChange {
    /// The first ticket's change.
    pub first: TicketChange,
    /// The second ticket's change.
    pub second: TicketChange,
    /// The link, from the first ticket to the second.
    pub link: StoredLink,
    /// Made (`true`) or removed.
    pub add: bool,
}

impl Store {
    /// Applies a change of two tickets of one tenant and the link between them, atomically: both
    /// read and locked (in id order, so two pair changes cannot deadlock), `decide` runs, both
    /// changes are written and the link row is inserted (an existing one is a unique
    /// `Conflict`) or deleted (a missing one is `NotFound`), in one commit.
    pub async fn update_ticket_pair_with<E, F>(
        &self,
        first: TicketId,
        second: TicketId,
        tenant: TenantId,
        actor: Option<Principal>,
        decide: F,
    ) -> Result<(Updated, Updated), E>
    where
        E: From<StoreError>,
        F: FnOnce(&TicketState, &TicketState) -> Result<PairChange, E>,
    {
        if first == second {
            return Err(StoreError::Conflict {
                what: "a ticket cannot be linked to itself".to_owned(),
                unique: true,
            }
            .into());
        }
        let mut tx = self.begin().await?;
        let scope = tenant.into();
        let (a, b) = if first < second {
            let a = load_state(&mut tx, first, scope, Load::default()).await?;
            (
                a,
                load_state(&mut tx, second, scope, Load::default()).await?,
            )
        } else {
            let b = load_state(&mut tx, second, scope, Load::default()).await?;
            (load_state(&mut tx, first, scope, Load::default()).await?, b)
        };
        let change = decide(&a, &b)?;
        let one = write_change(&mut tx, &a.ticket, actor, change.first).await?;
        let two = write_change(&mut tx, &b.ticket, actor, change.second).await?;
        // Related work is symmetric: one row per pair, the lower id first.
        let (from, to) = if change.link == StoredLink::RelatesTo && second < first {
            (second, first)
        } else {
            (first, second)
        };
        if change.add {
            let added = tx
                .execute(
                    Sql::new(
                        "INSERT INTO ticket_links (tenant_id, ticket_id, linked_id, kind, created_at, created_by) \
                         VALUES ((SELECT tenant_id FROM tickets WHERE id = $1), $1, $2, $3, $4, $5) \
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(from.get())
                    .bind(to.get())
                    .bind(change.link.as_str())
                    .bind(one.ticket.updated_at.as_micros())
                    .bind(actor.and_then(Principal::user_id).map(UserId::get)),
                )
                .await?;
            if added == 0 {
                return Err(StoreError::Conflict {
                    what: "ticket_links: the tickets are linked so already".to_owned(),
                    unique: true,
                }
                .into());
            }
        } else {
            let removed = tx
                .execute(
                    Sql::new(
                        "DELETE FROM ticket_links WHERE tenant_id = $1 AND kind = $2 \
                         AND ticket_id = $3 AND linked_id = $4",
                    )
                    .bind(tenant.get())
                    .bind(change.link.as_str())
                    .bind(from.get())
                    .bind(to.get()),
                )
                .await?;
            if removed == 0 {
                return Err(StoreError::NotFound.into());
            }
        }
        tx.commit().await?;
        Ok((one, two))
    }

    /// The links of ticket `id` of `tenant`, both directions, oldest first.
    pub async fn ticket_links(
        &self,
        tenant: TenantId,
        id: TicketId,
    ) -> Result<Vec<TicketLinkRecord>, StoreError> {
        let rows: Vec<(i64, i64, String, i64)> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT ticket_id, linked_id, kind, created_at FROM ticket_links \
                     WHERE tenant_id = $1 AND (ticket_id = $2 OR linked_id = $2) ORDER BY id",
                )
                .bind(tenant.get())
                .bind(id.get()),
            )
            .await?;
        rows.into_iter()
            .map(|(from, to, kind, at)| {
                let outgoing = from == id.get();
                Ok(TicketLinkRecord {
                    other: TicketId::new(if outgoing { to } else { from }),
                    kind: StoredLink::parse(&kind)?,
                    outgoing,
                    created_at: Timestamp::from_micros(at),
                })
            })
            .collect()
    }
}

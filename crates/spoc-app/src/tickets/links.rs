//! Links between tickets and the merge of a duplicate into a surviving ticket (issue #12). The
//! domain decides (`spoc_domain::links`); both tickets change in one transaction with the link.

use crate::auth::permit;
use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::links::{self, LinkKind};
use spoc_domain::ticket::{Status, Ticket};
use spoc_domain::{TicketId, ValidationError};
use spoc_store::{PairChange, StoreError, StoredLink, TicketChange, TicketLinkRecord};

use super::visible;
use crate::{App, AppError};

/// How a linked ticket relates to the one it is shown with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TicketRelation {
    /// A link: related work or a follow-up, as seen from this ticket.
    Link(LinkKind),
    /// This ticket was merged into the other.
    MergedInto,
    /// The other ticket was merged into this one.
    MergedFrom,
}

impl TicketRelation {
    /// The API name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Link(kind) => kind.as_str(),
            Self::MergedInto => "merged_into",
            Self::MergedFrom => "merged_from",
        }
    }
}

/// A ticket linked to another, as the actor may see it.
#[derive(Clone, Debug)]
pub struct TicketLink {
    /// How it relates.
    pub relation: TicketRelation,
    /// The other ticket.
    pub ticket: Ticket,
}

fn relation(record: &TicketLinkRecord) -> TicketRelation {
    match (record.kind, record.outgoing) {
        (StoredLink::RelatesTo, _) => TicketRelation::Link(LinkKind::RelatesTo),
        (StoredLink::FollowUp, true) => TicketRelation::Link(LinkKind::FollowUp),
        (StoredLink::FollowUp, false) => TicketRelation::Link(LinkKind::FollowedUpBy),
        (StoredLink::MergedInto, true) => TicketRelation::MergedInto,
        (StoredLink::MergedInto, false) => TicketRelation::MergedFrom,
    }
}

fn stored(kind: LinkKind) -> (StoredLink, bool) {
    match kind {
        LinkKind::RelatesTo => (StoredLink::RelatesTo, true),
        LinkKind::FollowUp => (StoredLink::FollowUp, true),
        LinkKind::FollowedUpBy => (StoredLink::FollowUp, false),
    }
}

fn change(outcome: spoc_domain::lifecycle::Outcome) -> TicketChange {
    TicketChange {
        ticket: outcome.ticket,
        events: outcome.events,
        outbox: Vec::new(),
        notifications: Vec::new(),
        sla: None,
        mail: None,
        sop: None,
        article_use: None,
    }
}

fn link_error(e: AppError, what: &str) -> AppError {
    match e {
        AppError::Duplicate(_) => {
            ValidationError::new("ticket", format!("the tickets are {what} already")).into()
        }
        other => other,
    }
}

impl App {
    /// The tickets linked to ticket `id` that the actor may see, oldest link first.
    pub async fn ticket_links(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<Vec<TicketLink>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let ticket = self.get_ticket(actor, id).await?;
        let records = self.store.ticket_links(actor.tenant_id, ticket.id).await?;
        let mut links = Vec::with_capacity(records.len());
        for record in &records {
            // A link never opens a ticket the actor may not see (another customer's).
            match self.store.get_ticket(record.other, &actor.scope()).await {
                Ok(other) => links.push(TicketLink {
                    relation: relation(record),
                    ticket: other,
                }),
                Err(StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(links)
    }

    /// The ticket `id` was merged into, if it was (for mail threading: by tenant, any status).
    pub(crate) async fn survivor_of(
        &self,
        tenant: spoc_domain::TenantId,
        id: TicketId,
    ) -> Result<Option<TicketId>, AppError> {
        Ok(self
            .store
            .ticket_links(tenant, id)
            .await?
            .into_iter()
            .find(|l| l.kind == StoredLink::MergedInto && l.outgoing)
            .map(|l| l.other))
    }

    /// Links two tickets the actor may see, or (with `add` false) removes the link. Staff only;
    /// only related-work links are made by hand (follow-ups come from the mail channel).
    pub async fn link_tickets(
        &self,
        actor: &Actor,
        id: TicketId,
        other: TicketId,
        kind: LinkKind,
        add: bool,
    ) -> Result<(), AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        if !actor.is_staff() {
            return Err(AppError::Forbidden(
                "only agents can link tickets".to_owned(),
            ));
        }
        if !kind.is_manual() {
            return Err(ValidationError::new(
                "kind",
                "only related tickets (relates_to) are linked by hand",
            )
            .into());
        }
        self.get_ticket(actor, id).await?;
        if id == other {
            return Err(
                ValidationError::new("ticket", "a ticket cannot be linked to itself").into(),
            );
        }
        self.get_ticket(actor, other).await.map_err(|e| match e {
            AppError::NotFound { .. } => {
                ValidationError::new("ticket", format!("there is no ticket {other} you can see"))
                    .into()
            }
            e => e,
        })?;
        let now = self.now();
        let (link, _) = stored(kind);
        let result = self
            .store
            .update_ticket_pair_with(id, other, actor.tenant_id, Some(actor.principal), |a, b| {
                visible(actor, &a.ticket)?;
                visible(actor, &b.ticket)?;
                let (mine, theirs) = if add {
                    links::link(&a.ticket, &b.ticket, kind, now)?
                } else {
                    links::unlink(&a.ticket, &b.ticket, kind, now)
                };
                Ok::<_, AppError>(PairChange {
                    first: change(mine),
                    second: change(theirs),
                    link,
                    add,
                })
            })
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(AppError::NotFound { .. }) if !add => Err(ValidationError::new(
                "ticket",
                format!("ticket {id} is not linked to {other}"),
            )
            .into()),
            Err(e) => Err(link_error(e, "linked")),
        }
    }

    /// Records that `id` continues the closed ticket `closed` (the mail channel's follow-up),
    /// as the system or person who opened it.
    pub(crate) async fn link_follow_up(
        &self,
        actor: &Actor,
        id: TicketId,
        closed: TicketId,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.store
            .update_ticket_pair_with(
                id,
                closed,
                actor.tenant_id,
                Some(actor.principal),
                |a, b| {
                    let (mine, theirs) =
                        links::link(&a.ticket, &b.ticket, LinkKind::FollowUp, now)?;
                    Ok::<_, AppError>(PairChange {
                        first: change(mine),
                        second: change(theirs),
                        link: StoredLink::FollowUp,
                        add: true,
                    })
                },
            )
            .await
            .map(|_| ())
    }

    /// Merges ticket `duplicate` into `survivor`: the duplicate is closed as merged (its clocks
    /// stop), the survivor records it and its requester, and from then on the duplicate's mail
    /// thread lands on the survivor. Staff only; both tickets in the actor's scope. Returns the
    /// survivor.
    pub async fn merge_tickets(
        &self,
        actor: &Actor,
        duplicate: TicketId,
        survivor: TicketId,
    ) -> Result<Ticket, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        if !actor.is_staff() {
            return Err(AppError::Forbidden(
                "only agents can merge tickets".to_owned(),
            ));
        }
        let current = self.get_ticket(actor, duplicate).await?;
        self.get_ticket(actor, survivor)
            .await
            .map_err(|e| match e {
                AppError::NotFound { .. } => ValidationError::new(
                    "into",
                    format!("there is no ticket {survivor} you can see"),
                )
                .into(),
                e => e,
            })?;
        let has_merged = self
            .store
            .ticket_links(actor.tenant_id, current.id)
            .await?
            .iter()
            .any(|l| l.kind == StoredLink::MergedInto && !l.outgoing);
        let setup = self.sla_setup(actor.tenant_id).await?;
        let now = self.now();
        let (_, kept) = self
            .store
            .update_ticket_pair_with(
                duplicate,
                survivor,
                actor.tenant_id,
                Some(actor.principal),
                |d, s| {
                    visible(actor, &d.ticket)?;
                    visible(actor, &s.ticket)?;
                    let (closed, kept) = links::merge(&d.ticket, &s.ticket, has_merged, now)?;
                    // Closing the duplicate stops its clocks, as any closure does.
                    let moved = setup.advance(&d.ticket, &closed.ticket, d.sla.as_ref(), None, now);
                    let mut first = change(closed);
                    crate::sla::attach(&mut first, moved);
                    Ok::<_, AppError>(PairChange {
                        first,
                        second: change(kept),
                        link: StoredLink::MergedInto,
                        add: true,
                    })
                },
            )
            .await
            .map_err(|e| link_error(e, "merged"))?;
        debug_assert_ne!(kept.ticket.status, Status::Cancelled);
        Ok(kept.ticket)
    }
}

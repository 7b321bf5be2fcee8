//! The queue: listing and searching the tickets an actor may see, one page at a time.

use crate::FromRecord;
use crate::auth::permit;
use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::priority::Priority;
use spoc_domain::sla::SlaStanding;
use spoc_domain::ticket::{Status, Ticket, TicketKind};
use spoc_domain::{
    CategoryId, GroupId, OrganizationId, ServiceId, TenantId, TicketId, Timestamp, UserId,
    ValidationError,
};
use spoc_store::{SearchText, TicketQuery};

use crate::{App, AppError};

/// Queue order. Every order breaks ties by id, so pages never skip or repeat a ticket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TicketSort {
    /// Newest first.
    #[default]
    CreatedDesc,
    /// Oldest first.
    CreatedAsc,
    /// Most recently changed first.
    UpdatedDesc,
    /// Least recently changed first.
    UpdatedAsc,
    /// Most urgent first, then oldest.
    PriorityAsc,
    /// Least urgent first, then newest.
    PriorityDesc,
    /// The running resolution target falling due soonest first; tickets without one last.
    DueAsc,
}

impl TicketSort {
    /// The store's name for this order.
    fn into_store(self) -> spoc_store::TicketSort {
        use spoc_store::TicketSort as Store;
        match self {
            Self::CreatedDesc => Store::CreatedDesc,
            Self::CreatedAsc => Store::CreatedAsc,
            Self::UpdatedDesc => Store::UpdatedDesc,
            Self::UpdatedAsc => Store::UpdatedAsc,
            Self::PriorityAsc => Store::PriorityAsc,
            Self::PriorityDesc => Store::PriorityDesc,
            Self::DueAsc => Store::DueAsc,
        }
    }
}

/// Where the next page starts: the sort key and id of the last ticket of the previous page.
/// Callers pass back what a page gave them; its key means something only to the same sort.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// The sort key's value.
    pub key: i64,
    /// The ticket id.
    pub id: TicketId,
}

impl Cursor {
    /// The store's cursor at the same place.
    fn into_store(self) -> spoc_store::Cursor {
        spoc_store::Cursor {
            key: self.key,
            id: self.id,
        }
    }
}

impl FromRecord<spoc_store::Cursor> for Cursor {
    fn from_record(c: spoc_store::Cursor) -> Self {
        Self {
            key: c.key,
            id: c.id,
        }
    }
}

/// One page of a queue.
#[derive(Clone, Debug)]
pub struct TicketPage {
    /// The tickets on this page.
    pub tickets: Vec<Ticket>,
    /// How many tickets match the query in all (all pages).
    pub total: i64,
    /// Where the next page starts, if there is one.
    pub next: Option<Cursor>,
    /// The tenant of each ticket, in the same order (all the caller's own tenant unless the
    /// queue spans the tenants a provider agent is granted).
    pub tenants: Vec<TenantId>,
}

impl FromRecord<spoc_store::TicketPage> for TicketPage {
    fn from_record(p: spoc_store::TicketPage) -> Self {
        Self {
            tenants: Vec::new(),
            tickets: p.tickets,
            total: p.total,
            next: p.next.map(Cursor::from_record),
        }
    }
}

/// Queue filters, as a person states them.
#[derive(Clone, Debug, Default)]
pub struct TicketFilter {
    /// Any of these statuses.
    pub statuses: Vec<Status>,
    /// Kind.
    pub kind: Option<TicketKind>,
    /// Group.
    pub group_id: Option<GroupId>,
    /// Any of these groups (`None`: no restriction; an empty list matches nothing).
    pub any_group_ids: Option<Vec<GroupId>>,
    /// Assignee; `Some(None)` for unassigned.
    pub assignee_id: Option<Option<UserId>>,
    /// Requester.
    pub requester_id: Option<UserId>,
    /// Organisation.
    pub organization_id: Option<OrganizationId>,
    /// Priority.
    pub priority: Option<Priority>,
    /// Category or subcategory.
    pub category_id: Option<CategoryId>,
    /// Free text: a ticket number jumps to that ticket, anything else is a full-text search.
    pub text: Option<String>,
    /// Any of these priorities (empty: all).
    pub priorities: Vec<Priority>,
    /// Any of these owning groups (empty: all).
    pub group_ids: Vec<GroupId>,
    /// Any of these assignees, `None` for unassigned (empty: all).
    pub assignees: Vec<Option<UserId>>,
    /// Any of these requesters (empty: all).
    pub requester_ids: Vec<UserId>,
    /// Any of these organisations (empty: all).
    pub organization_ids: Vec<OrganizationId>,
    /// Any of these categories, matching category or subcategory (empty: all).
    pub category_ids: Vec<CategoryId>,
    /// Any of these services (empty: all).
    pub service_ids: Vec<ServiceId>,
    /// Any of these service-level standings (empty: all).
    pub sla: Vec<SlaStanding>,
    /// Changed at or after.
    pub updated_since: Option<Timestamp>,
    /// Order.
    pub sort: TicketSort,
    /// Continue after.
    pub after: Option<Cursor>,
    /// Page size (1–200).
    pub limit: u32,
}

impl App {
    /// A page of the tickets the actor may see that match `filter`.
    pub async fn list_tickets(
        &self,
        actor: &Actor,
        filter: TicketFilter,
    ) -> Result<TicketPage, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let links = self.links_of(actor).await?;
        let scope = actor.scope().with_links(&links);
        let spans = !links.is_empty();
        let mut query = TicketQuery::new(scope, actor.sees_internal());
        if let Some(text) = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if let Some(number) = spoc_domain::ticket::TicketNumber::parse(text) {
                let on = self.actor_on_ticket(actor, number.id()).await?;
                let found = self.get_ticket(&on, number.id()).await;
                let tickets = match found {
                    Ok(ticket) if ticket.kind == number.kind() => vec![ticket],
                    Ok(_) | Err(AppError::NotFound { .. }) => Vec::new(),
                    Err(e) => return Err(e),
                };
                return Ok(TicketPage {
                    total: tickets.len() as i64,
                    tenants: vec![on.tenant_id; tickets.len()],
                    tickets,
                    next: None,
                });
            }
            query.text = Some(SearchText::parse(text).ok_or_else(|| {
                ValidationError::new(
                    "q",
                    "search for at least one word made of letters or digits",
                )
            })?);
        }
        query.statuses = filter.statuses;
        query.kind = filter.kind;
        query.group_id = filter.group_id;
        query.any_group_ids = filter.any_group_ids;
        query.assignee_id = filter.assignee_id;
        let mut assignees = filter.assignees;
        if spans {
            // A provider agent's "my groups" and "mine" include their granted groups and their
            // linked accounts (each still bound to its tenant by the scope).
            if let Some(groups) = query.any_group_ids.as_mut() {
                if *groups == actor.group_ids {
                    groups.extend(links.iter().flat_map(|l| l.group_ids.iter().copied()));
                }
            }
            if let (Some(Some(me)), true) = (query.assignee_id, assignees.is_empty()) {
                if actor.is_user(me) {
                    query.assignee_id = None;
                    assignees = std::iter::once(Some(me))
                        .chain(links.iter().map(|l| Some(l.user_id)))
                        .collect();
                }
            }
        }
        query.requester_id = filter.requester_id;
        query.organization_id = filter.organization_id;
        query.priority = filter.priority;
        query.category_id = filter.category_id;
        query.priorities = filter.priorities;
        query.group_ids = filter.group_ids;
        query.assignees = assignees;
        query.requester_ids = filter.requester_ids;
        query.organization_ids = filter.organization_ids;
        query.category_ids = filter.category_ids;
        query.service_ids = filter.service_ids;
        query.sla = filter.sla;
        query.updated_since = filter.updated_since;
        query.sort = filter.sort.into_store();
        query.after = filter.after.map(Cursor::into_store);
        query.limit = filter.limit.clamp(1, 200);
        let mut page = TicketPage::from_record(self.store.list_tickets(&query).await?);
        page.tenants = if spans {
            let ids: Vec<TicketId> = page.tickets.iter().map(|t| t.id).collect();
            let found = self.store.ticket_tenants(&ids).await?;
            ids.iter()
                .map(|id| {
                    found
                        .iter()
                        .find(|(t, _)| t == id)
                        .map_or(actor.tenant_id, |(_, tenant)| *tenant)
                })
                .collect()
        } else {
            vec![actor.tenant_id; page.tickets.len()]
        };
        Ok(page)
    }
}

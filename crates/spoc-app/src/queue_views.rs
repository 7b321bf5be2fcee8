//! The queue's per-person state: saved views (personal, or shared by a lead), the columns each
//! person chose, and unread / "customer replied" marks from when each agent last opened a ticket.

use std::collections::HashMap;

use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::ticket::Ticket;
use spoc_domain::{TicketId, Timestamp, UserId, ValidationError};
use spoc_store::SavedViewRecord;

use crate::auth::permit;
use crate::{App, AppError, FromRecord};

/// The longest view name.
pub const VIEW_NAME_MAX: usize = 80;
/// The longest stored query string of a view.
pub const VIEW_QUERY_MAX: usize = 2000;

/// A column of the queue table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QueueColumn {
    /// Ticket number.
    Number,
    /// Title (always shown; listed for completeness).
    Title,
    /// Status.
    Status,
    /// Priority.
    Priority,
    /// Service-level badge.
    Sla,
    /// Requester.
    Requester,
    /// Organisation.
    Organization,
    /// Owning group.
    Group,
    /// Assignee.
    Assignee,
    /// Category.
    Category,
    /// Age since logged.
    Age,
    /// Last change.
    Updated,
}

impl QueueColumn {
    /// Every column, in table order.
    pub const ALL: [Self; 12] = [
        Self::Number,
        Self::Title,
        Self::Status,
        Self::Priority,
        Self::Sla,
        Self::Requester,
        Self::Organization,
        Self::Group,
        Self::Assignee,
        Self::Category,
        Self::Age,
        Self::Updated,
    ];

    /// The columns a person who never chose sees.
    pub const DEFAULT: [Self; 9] = [
        Self::Number,
        Self::Title,
        Self::Status,
        Self::Priority,
        Self::Sla,
        Self::Requester,
        Self::Group,
        Self::Assignee,
        Self::Age,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Number => "number",
            Self::Title => "title",
            Self::Status => "status",
            Self::Priority => "priority",
            Self::Sla => "sla",
            Self::Requester => "requester",
            Self::Organization => "organization",
            Self::Group => "group",
            Self::Assignee => "assignee",
            Self::Category => "category",
            Self::Age => "age",
            Self::Updated => "updated",
        }
    }

    /// The column heading.
    pub fn label(self) -> &'static str {
        match self {
            Self::Number => "Number",
            Self::Title => "Title",
            Self::Status => "Status",
            Self::Priority => "Priority",
            Self::Sla => "SLA",
            Self::Requester => "Requester",
            Self::Organization => "Organisation",
            Self::Group => "Group",
            Self::Assignee => "Assignee",
            Self::Category => "Category",
            Self::Age => "Age",
            Self::Updated => "Last change",
        }
    }

    /// Parses a stored name.
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == value)
            .ok_or_else(|| ValidationError::new("columns", format!("{value:?} is not a column")))
    }

    /// Parses a comma-separated list, in table order, title always included.
    pub fn parse_list(value: &str) -> Result<Vec<Self>, ValidationError> {
        let mut chosen = vec![Self::Title];
        for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            chosen.push(Self::parse(part)?);
        }
        Ok(Self::ALL
            .into_iter()
            .filter(|c| chosen.contains(c))
            .collect())
    }
}

/// A saved queue view as its reader sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedView {
    /// Its id.
    pub id: i64,
    /// Who made it.
    pub owner_id: UserId,
    /// Shown to every agent (made by a lead or admin), or only to its owner.
    pub shared: bool,
    /// Its name.
    pub name: String,
    /// The queue's query string (filters, order, columns), without the leading `?`.
    pub query: String,
    /// When last changed.
    pub updated_at: Timestamp,
}

impl FromRecord<SavedViewRecord> for SavedView {
    fn from_record(r: SavedViewRecord) -> Self {
        Self {
            id: r.id,
            owner_id: r.owner_id,
            shared: r.shared,
            name: r.name,
            query: r.query,
            updated_at: r.updated_at,
        }
    }
}

/// What a change of a saved view sets.
#[derive(Clone, Debug, Default)]
pub struct SavedViewChange {
    /// A new name.
    pub name: Option<String>,
    /// A new query string.
    pub query: Option<String>,
}

/// How a ticket stands for one agent: changed since they last opened it, and whether the
/// requester wrote the latest public comment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TicketMarks {
    /// Activity after the agent last opened it (or never opened).
    pub unread: bool,
    /// The latest public comment is the requester's.
    pub customer_replied: bool,
}

fn view_name(name: &str) -> Result<String, ValidationError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ValidationError::new("name", "give the view a name"));
    }
    if name.chars().count() > VIEW_NAME_MAX {
        return Err(ValidationError::new(
            "name",
            format!("keep the name to {VIEW_NAME_MAX} characters"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(ValidationError::new(
            "name",
            "use letters, digits and spaces",
        ));
    }
    Ok(name.to_owned())
}

fn view_query(query: &str) -> Result<String, ValidationError> {
    let query = query.trim().trim_start_matches('?');
    if query.len() > VIEW_QUERY_MAX || query.chars().any(char::is_control) {
        return Err(ValidationError::new(
            "query",
            format!("a view's query is at most {VIEW_QUERY_MAX} plain characters"),
        ));
    }
    Ok(query.to_owned())
}

/// Staff only: customers have no queue. Called after `permit`.
fn staff(actor: &Actor) -> Result<UserId, AppError> {
    if !actor.is_staff() {
        return Err(AppError::Forbidden(
            "only staff have queues and views".to_owned(),
        ));
    }
    Ok(actor.person()?)
}

impl App {
    /// The views the actor sees: every shared one and their own personal ones.
    pub async fn list_saved_views(&self, actor: &Actor) -> Result<Vec<SavedView>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let me = staff(actor)?;
        Ok(crate::converted(
            self.store.list_saved_views(actor.tenant_id, me).await?,
        ))
    }

    /// One view the actor sees; another person's personal view is not found.
    pub async fn get_saved_view(&self, actor: &Actor, id: i64) -> Result<SavedView, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let me = staff(actor)?;
        match self.store.get_saved_view(actor.tenant_id, id).await? {
            Some(view) if view.shared || view.owner_id == me => Ok(SavedView::from_record(view)),
            _ => Err(AppError::NotFound { what: "view" }),
        }
    }

    /// Saves a view; a shared one only by a lead or admin.
    pub async fn create_saved_view(
        &self,
        actor: &Actor,
        name: &str,
        query: &str,
        shared: bool,
    ) -> Result<SavedView, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        let me = staff(actor)?;
        if shared && !actor.is_lead() {
            return Err(AppError::Forbidden(
                "only a lead or an admin can share a view".to_owned(),
            ));
        }
        let name = view_name(name)?;
        let query = view_query(query)?;
        let record = self
            .store
            .create_saved_view(actor.tenant_id, me, shared, &name, &query, self.now())
            .await?;
        Ok(SavedView::from_record(record))
    }

    /// The view, if the actor may change it: their own personal view, or (a lead or admin) a
    /// shared one.
    async fn changeable_view(&self, actor: &Actor, id: i64) -> Result<SavedView, AppError> {
        let view = self.get_saved_view(actor, id).await?;
        if view.shared && !actor.is_lead() {
            return Err(AppError::Forbidden(
                "only a lead or an admin can change a shared view".to_owned(),
            ));
        }
        Ok(view)
    }

    /// Renames a view or replaces what it shows.
    pub async fn update_saved_view(
        &self,
        actor: &Actor,
        id: i64,
        change: SavedViewChange,
    ) -> Result<SavedView, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        staff(actor)?;
        self.changeable_view(actor, id).await?;
        let name = change.name.as_deref().map(view_name).transpose()?;
        let query = change.query.as_deref().map(view_query).transpose()?;
        self.store
            .update_saved_view(
                actor.tenant_id,
                id,
                name.as_deref(),
                query.as_deref(),
                self.now(),
            )
            .await?;
        self.get_saved_view(actor, id).await
    }

    /// Deletes a view.
    pub async fn delete_saved_view(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        staff(actor)?;
        self.changeable_view(actor, id).await?;
        self.store.delete_saved_view(actor.tenant_id, id).await?;
        Ok(())
    }

    /// The queue columns the actor chose, or the default set.
    pub async fn queue_columns(&self, actor: &Actor) -> Result<Vec<QueueColumn>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let me = staff(actor)?;
        Ok(match self.store.queue_columns(actor.tenant_id, me).await? {
            Some(stored) => {
                QueueColumn::parse_list(&stored).unwrap_or_else(|_| QueueColumn::DEFAULT.to_vec())
            }
            None => QueueColumn::DEFAULT.to_vec(),
        })
    }

    /// Stores the queue columns the actor chose (the title is always shown).
    pub async fn set_queue_columns(
        &self,
        actor: &Actor,
        columns: &[QueueColumn],
    ) -> Result<Vec<QueueColumn>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        let me = staff(actor)?;
        let names: Vec<&str> = columns.iter().map(|c| c.as_str()).collect();
        let chosen = QueueColumn::parse_list(&names.join(","))?;
        let stored: Vec<&str> = chosen.iter().map(|c| c.as_str()).collect();
        self.store
            .set_queue_columns(actor.tenant_id, me, &stored.join(","), self.now())
            .await?;
        Ok(chosen)
    }

    /// Records that the actor opened a ticket they can see (staff only; others are ignored).
    pub async fn mark_ticket_seen(&self, actor: &Actor, ticket: &Ticket) -> Result<(), AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let Some(me) = actor.user_id() else {
            return Ok(());
        };
        if !actor.is_staff() || !actor.can_see(ticket) {
            return Ok(());
        }
        // Seen as of its last change, so a later change marks it again even on a fast clock.
        let at = self.now().max(ticket.updated_at);
        self.store
            .mark_ticket_seen(actor.tenant_id, me, ticket.id, at)
            .await?;
        Ok(())
    }

    /// The unread and "customer replied" marks of these tickets for the actor (staff only).
    pub async fn ticket_marks(
        &self,
        actor: &Actor,
        tickets: &[&Ticket],
    ) -> Result<HashMap<TicketId, TicketMarks>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let me = staff(actor)?;
        let visible: Vec<&Ticket> = tickets
            .iter()
            .copied()
            .filter(|t| actor.can_see(t))
            .collect();
        let ids: Vec<TicketId> = visible.iter().map(|t| t.id).collect();
        let seen = self
            .store
            .tickets_seen_at(actor.tenant_id, me, &ids)
            .await?;
        let latest = self
            .store
            .latest_public_actors(actor.tenant_id, &ids)
            .await?;
        Ok(visible
            .into_iter()
            .map(|t| {
                let unread = seen.get(&t.id).is_none_or(|at| t.updated_at > *at);
                let customer_replied =
                    t.status.is_active() && latest.get(&t.id) == Some(&t.requester_id);
                (
                    t.id,
                    TicketMarks {
                        unread,
                        customer_replied,
                    },
                )
            })
            .collect())
    }
}

//! View models shared by the desk and the portal — ticket rows and the timeline — built from
//! domain values and the names they refer to, and the markup that renders them.

use std::collections::HashMap;

use maud::{Markup, html};
use spoc_app::{App, AppError, HistoryEntry};
use spoc_domain::access::Actor;
use spoc_domain::event::EventData;
use spoc_domain::ticket::Ticket;
use spoc_domain::{CategoryId, GroupId, OrganizationId, ServiceId, UserId};

use crate::i18n::tr;
use crate::i18n::views::Views;
use crate::page::none;

mod attachments;
#[cfg(test)]
mod fixtures;
mod rows;
mod timeline;

pub use attachments::{AttachmentView, attachment_list, other_attachments, size_text};
pub use rows::{TicketRow, explain_clock, sla_badge, tickets_table};
pub use timeline::{attach_mail, customer_timeline_entries, timeline, timeline_entries};

/// The names tickets refer to by id.
#[derive(Debug, Default)]
pub struct Lookup {
    /// Groups: name and tier.
    pub groups: HashMap<GroupId, (String, i64)>,
    /// Categories and subcategories.
    pub categories: HashMap<CategoryId, String>,
    /// Services.
    pub services: HashMap<ServiceId, String>,
    /// Organisations (staff only).
    pub organizations: HashMap<OrganizationId, String>,
    /// People.
    pub people: HashMap<UserId, String>,
    /// SLA clocks (staff only).
    pub sla: HashMap<spoc_domain::TicketId, Vec<spoc_app::ClockView>>,
}

impl Lookup {
    /// Everything the actor may look up about `tickets` and the people in `events`.
    pub async fn load(
        app: &App,
        actor: &Actor,
        tickets: &[&Ticket],
        events: &[HistoryEntry],
    ) -> Result<Self, AppError> {
        let mut people: Vec<UserId> = Vec::new();
        for ticket in tickets {
            people.push(ticket.requester_id);
            people.extend(ticket.assignee_id);
        }
        people.extend(events.iter().filter_map(|e| e.actor_id));
        for event in events {
            if let EventData::AssigneeChanged { from, to } = &event.data {
                people.extend(from.iter().chain(to.iter()).copied());
            }
        }
        let mut lookup = Self {
            people: app.people_names(actor.tenant_id, people).await?,
            categories: app
                .list_categories(actor.tenant_id)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect(),
            services: app
                .list_services(actor.tenant_id)
                .await?
                .into_iter()
                .map(|s| (s.id, s.name))
                .collect(),
            ..Self::default()
        };
        if actor.is_staff() {
            lookup.groups = app
                .list_groups(actor)
                .await?
                .into_iter()
                .map(|g| (g.id, (g.name, g.tier.number())))
                .collect();
            lookup.organizations = app
                .list_organizations(actor)
                .await?
                .into_iter()
                .map(|o| (o.id, o.name))
                .collect();
            lookup.sla = app.sla_views(actor.tenant_id, tickets).await?;
        }
        Ok(lookup)
    }

    /// Adds another tenant's look-ups (ids are unique across tenants), for a queue that spans
    /// the tenants a provider agent is granted.
    pub fn merge(&mut self, other: Self) {
        self.groups.extend(other.groups);
        self.categories.extend(other.categories);
        self.services.extend(other.services);
        self.organizations.extend(other.organizations);
        self.people.extend(other.people);
        self.sla.extend(other.sla);
    }

    /// A person's name.
    pub fn person(&self, id: UserId) -> String {
        self.people
            .get(&id)
            .cloned()
            .unwrap_or_else(|| tr(Views::UnknownPerson, &[&id]))
    }

    /// A group's name.
    pub fn group(&self, id: GroupId) -> String {
        self.groups
            .get(&id)
            .map(|(name, _)| name.clone())
            .unwrap_or_else(|| tr(Views::UnknownGroup, &[&id]))
    }

    /// A category's name.
    pub fn category(&self, id: Option<CategoryId>) -> Option<String> {
        id.map(|id| {
            self.categories
                .get(&id)
                .cloned()
                .unwrap_or_else(|| tr(Views::UnknownCategory, &[&id]))
        })
    }

    /// A service's name.
    pub fn service(&self, id: Option<ServiceId>) -> Option<String> {
        id.map(|id| {
            self.services
                .get(&id)
                .cloned()
                .unwrap_or_else(|| tr(Views::UnknownService, &[&id]))
        })
    }

    /// An organisation's name.
    pub fn organization(&self, id: Option<OrganizationId>) -> Option<String> {
        id.and_then(|id| self.organizations.get(&id).cloned())
    }
}

/// A `dl` of facts, skipping absent values.
pub fn facts(items: &[(&str, Option<Markup>)]) -> Markup {
    html! {
        dl class="facts" {
            @for (label, value) in items {
                dt { (label) }
                dd { @match value { Some(v) => (v), None => (none()) } }
            }
        }
    }
}

/// Categories and subcategories as options, subcategories under their parent.
pub fn category_options(
    categories: &[spoc_app::Category],
    none_label: &str,
) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), none_label.to_owned())];
    for parent in categories.iter().filter(|c| c.parent_id.is_none()) {
        options.push((parent.id.to_string(), parent.name.clone()));
        for child in categories.iter().filter(|c| c.parent_id == Some(parent.id)) {
            options.push((
                child.id.to_string(),
                format!("{} › {}", parent.name, child.name),
            ));
        }
    }
    options
}

//! One search over what the actor may see: tickets, people, organisations and articles, grouped.
//! A ticket number (`INC-000042`, `#42` or a bare `42`) names one ticket to jump to. Every group
//! comes from the use case that lists it, so the scope rules are theirs: customers find their own
//! tickets and published articles meant for them, never people or organisations; staff find what
//! their role may see. Everything stays within the actor's tenant.

use spoc_domain::TicketId;
use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::ticket::{Ticket, TicketNumber};

use crate::auth::permit;
use crate::directory::{Organization, Person};
use crate::knowledge::{Article, ArticleFilter};
use crate::tickets::TicketFilter;
use crate::{App, AppError};

/// How many hits each group shows at most.
pub const SEARCH_GROUP_LIMIT: usize = 10;

/// What one search found, group by group.
#[derive(Clone, Debug, Default)]
pub struct SearchResults {
    /// The ticket the text names by number, when the actor may see it: go straight there.
    pub ticket: Option<Ticket>,
    /// Tickets whose text matches.
    pub tickets: Vec<Ticket>,
    /// People whose name or address matches (staff only).
    pub people: Vec<Person>,
    /// Organisations whose name matches (staff only).
    pub organizations: Vec<Organization>,
    /// Knowledge articles that match.
    pub articles: Vec<Article>,
}

impl SearchResults {
    /// Whether nothing at all was found.
    pub fn is_empty(&self) -> bool {
        self.ticket.is_none()
            && self.tickets.is_empty()
            && self.people.is_empty()
            && self.organizations.is_empty()
            && self.articles.is_empty()
    }
}

/// The ticket a search text names: `INC-000042` (that kind only), `#42` or `42` (any kind).
pub fn ticket_named(text: &str) -> Option<(TicketId, Option<spoc_domain::ticket::TicketKind>)> {
    let text = text.trim();
    if let Some(number) = TicketNumber::parse(text) {
        return Some((number.id(), Some(number.kind())));
    }
    let digits = text.strip_prefix('#').unwrap_or(text);
    (!digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse::<i64>().ok())
        .flatten()
        .filter(|id| *id > 0)
        .map(|id| (TicketId::new(id), None))
}

impl App {
    /// Searches tickets, people, organisations and articles for `text` as the actor sees them.
    /// Text with no word to search for is a validation error on `q`.
    pub async fn search_everything(
        &self,
        actor: &Actor,
        text: &str,
    ) -> Result<SearchResults, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let text = text.trim();
        let mut results = SearchResults::default();
        if let Some((id, kind)) = ticket_named(text) {
            match self.get_ticket(actor, id).await {
                Ok(ticket) if kind.is_none_or(|k| k == ticket.kind) => {
                    results.ticket = Some(ticket);
                }
                Ok(_) | Err(AppError::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
            if TicketNumber::parse(text).is_some() || text.starts_with('#') {
                return Ok(results);
            }
        }
        let words = spoc_store::SearchText::parse(text).is_some();
        if !words {
            return Err(spoc_domain::ValidationError::new(
                "q",
                "search for at least one word made of letters or digits",
            )
            .into());
        }
        let limit = SEARCH_GROUP_LIMIT;
        results.tickets = self
            .list_tickets(
                actor,
                TicketFilter {
                    text: Some(text.to_owned()),
                    limit: u32::try_from(limit).unwrap_or(10),
                    ..TicketFilter::default()
                },
            )
            .await?
            .tickets;
        if actor.is_staff() {
            results.people = self.list_users(actor, Some(text), limit as i64).await?;
            let wanted = text.to_lowercase();
            results.organizations = self
                .list_organizations(actor)
                .await?
                .into_iter()
                .filter(|o| o.name.to_lowercase().contains(&wanted))
                .take(limit)
                .collect();
        }
        if permit(actor, Some(Resource::Knowledge), Access::Read).is_ok() {
            results.articles = self
                .list_articles(
                    actor,
                    ArticleFilter {
                        q: Some(text.to_owned()),
                        limit: Some(limit as i64),
                        ..ArticleFilter::default()
                    },
                )
                .await?
                .0;
        }
        Ok(results)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_numbers_are_read_as_people_say_them() {
        assert_eq!(ticket_named("42"), Some((TicketId::new(42), None)));
        assert_eq!(ticket_named(" #42 "), Some((TicketId::new(42), None)));
        assert!(
            matches!(ticket_named("INC-000042"), Some((id, Some(_))) if id == TicketId::new(42))
        );
        assert_eq!(ticket_named("0"), None);
        assert_eq!(ticket_named("#"), None);
        assert_eq!(ticket_named("printer 42"), None);
    }
}

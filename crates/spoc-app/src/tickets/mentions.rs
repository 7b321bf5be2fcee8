//! @mentions: an agent names a colleague in a note or reply as `@Full Name`; the colleague gets
//! an in-app notification linking to the ticket. Only staff mention, and only colleagues who can
//! see the ticket (active staff of its group, leads and admins) can be mentioned.

use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::ticket::Ticket;
use spoc_domain::user::Role;
use spoc_domain::{TenantId, TicketId, UserId};
use spoc_store::NewNotification;

use crate::auth::permit;
use crate::directory::Person;
use crate::{App, AppError};

/// The topic of a mention's notification.
pub const MENTION_TOPIC: &str = "mention";

/// The colleagues named in `body` as `@Name` (case-insensitive; a longer name wins over a
/// shorter one it starts with, so `@Ada Agent` is not also `@Ada`), without repeats.
pub(crate) fn mentioned(body: &str, candidates: &[Person]) -> Vec<UserId> {
    let lower = body.to_lowercase();
    let mut by_length: Vec<&Person> = candidates.iter().collect();
    by_length.sort_by_key(|p| std::cmp::Reverse(p.name.chars().count()));
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut found = Vec::new();
    for person in by_length {
        let needle = format!("@{}", person.name.to_lowercase());
        let mut from = 0;
        while let Some(at) = lower[from..].find(&needle) {
            let start = from + at;
            let end = start + needle.len();
            from = end;
            // The name must end there: not `@Ada` inside `@Adam`.
            let ends = lower[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            let overlaps = taken.iter().any(|(s, e)| start < *e && *s < end);
            if ends && !overlaps {
                taken.push((start, end));
                if !found.contains(&person.id) {
                    found.push(person.id);
                }
            }
        }
    }
    found
}

impl App {
    /// The colleagues an agent may mention on a ticket: active staff who can see it (its
    /// group's agents, leads and admins), by name.
    pub async fn mentionable(&self, actor: &Actor, id: TicketId) -> Result<Vec<Person>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        if !actor.is_staff() {
            return Err(AppError::Forbidden(
                "only agents can mention colleagues".to_owned(),
            ));
        }
        let ticket = self.get_ticket(actor, id).await?;
        self.mention_candidates(actor.tenant_id, &ticket).await
    }

    async fn mention_candidates(
        &self,
        tenant: TenantId,
        ticket: &Ticket,
    ) -> Result<Vec<Person>, AppError> {
        let members: Vec<UserId> = self
            .store
            .group_members(tenant, ticket.group_id)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        let mut people: Vec<Person> =
            crate::converted(self.store.list_users(tenant, None, 500).await?);
        people.retain(|p| {
            p.active
                && p.role.is_staff()
                && (matches!(p.role, Role::Lead | Role::Admin) || members.contains(&p.id))
        });
        people.sort_by_key(|p| p.name.to_lowercase());
        Ok(people)
    }

    /// The notifications a staff comment's mentions send (none from customers, none to the
    /// author).
    pub(crate) async fn mention_notifications(
        &self,
        actor: &Actor,
        id: TicketId,
        internal: bool,
        body: &str,
    ) -> Result<Vec<NewNotification>, AppError> {
        if !actor.is_staff() || !body.contains('@') {
            return Ok(Vec::new());
        }
        let ticket = self.get_ticket(actor, id).await?;
        let candidates = self.mention_candidates(actor.tenant_id, &ticket).await?;
        let author = actor.person()?;
        let named: Vec<UserId> = mentioned(body, &candidates)
            .into_iter()
            .filter(|id| *id != author)
            .collect();
        if named.is_empty() {
            return Ok(Vec::new());
        }
        let author_name = self
            .people_names(actor.tenant_id, [author])
            .await?
            .remove(&author)
            .unwrap_or_else(|| "A colleague".to_owned());
        let kind = if internal {
            "an internal note"
        } else {
            "a reply"
        };
        let excerpt: String = body.chars().take(120).collect();
        let more = if body.chars().count() > 120 {
            "…"
        } else {
            ""
        };
        Ok(named
            .into_iter()
            .map(|user_id| NewNotification {
                user_id,
                topic: MENTION_TOPIC.to_owned(),
                message: format!(
                    "{author_name} mentioned you in {kind} on {}: “{excerpt}{more}”",
                    ticket.number()
                ),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spoc_domain::Timestamp;

    fn person(id: i64, name: &str) -> Person {
        Person {
            id: UserId::new(id),
            tenant_id: TenantId::FIRST,
            email: format!("p{id}@example.test"),
            name: name.to_owned(),
            role: Role::Agent,
            organization_id: None,
            super_user: false,
            active: true,
            created_at: Timestamp::from_micros(0),
        }
    }

    #[test]
    fn names_after_an_at_sign_are_mentions() {
        let people = [person(1, "Ada"), person(2, "Ada Agent"), person(3, "Bo Li")];
        assert_eq!(
            mentioned("@ada agent please check, and @Bo Li too", &people),
            vec![UserId::new(2), UserId::new(3)]
        );
        assert_eq!(mentioned("@Ada, then @Adam", &people), vec![UserId::new(1)]);
        assert!(mentioned("ada agent without the sign", &people).is_empty());
        assert!(mentioned("mail ada@example.test", &people).is_empty());
    }
}

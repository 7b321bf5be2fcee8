//! People's notification opt-outs and the one-time action links sent in e-mails.

use std::collections::HashSet;

use spoc_domain::{TenantId, TicketId, Timestamp, UserId};

use super::ActionTokenRecord;
use crate::StoreError;
use crate::db::Sql;
use crate::scope::push_tenant;

impl crate::Store {
    // ----- preferences -----

    /// The topics a person has switched off.
    pub async fn disabled_topics(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<Vec<String>, StoreError> {
        self.read().fetch_scalars(Sql::new("SELECT topic FROM mail_preferences WHERE user_id = $1 AND tenant_id = $2 AND NOT enabled ORDER BY topic",).bind(user.get()).bind(tenant.get()))
        .await
    }

    /// `(person, topic)` pairs switched off among `users`.
    pub async fn disabled_topics_of(
        &self,
        tenant: TenantId,
        users: &[UserId],
    ) -> Result<HashSet<(UserId, String)>, StoreError> {
        if users.is_empty() {
            return Ok(HashSet::new());
        }
        let mut qb = Sql::new(
            "SELECT user_id, topic FROM mail_preferences WHERE NOT enabled AND user_id IN (",
        );
        qb.push_list(users.iter().map(|u| u.get()));
        qb.push(")");
        push_tenant(&mut qb, tenant);
        let rows: Vec<(i64, String)> = self.read().fetch_all(qb).await?;
        Ok(rows.into_iter().map(|(u, t)| (UserId::new(u), t)).collect())
    }

    /// Sets a person's choice for each topic given.
    pub async fn set_preferences(
        &self,
        user: UserId,
        choices: &[(String, bool)],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        for (topic, enabled) in choices {
            tx.execute(
                Sql::new(
                    "INSERT INTO mail_preferences (user_id, topic, enabled, tenant_id) \
                     VALUES ($1, $2, $3, (SELECT tenant_id FROM users WHERE id = $1)) \
                     ON CONFLICT (user_id, topic) DO UPDATE SET enabled = excluded.enabled",
                )
                .bind(user.get())
                .bind(topic)
                .bind(*enabled),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    // ----- one-time action links -----

    /// Stores a one-time link for `action` (`confirm` or `reopen`) on a ticket for a person.
    pub async fn create_action_token(
        &self,
        token_hash: &str,
        ticket: TicketId,
        user: UserId,
        action: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.write_execute(Sql::new("INSERT INTO mail_action_tokens (token_hash, ticket_id, user_id, action, created_at, expires_at, tenant_id) \
             VALUES ($1, $2, $3, $4, $5, $6, (SELECT tenant_id FROM tickets WHERE id = $2))",).bind(token_hash).bind(ticket.get()).bind(user.get()).bind(action).bind(now.as_micros()).bind(expires_at.as_micros()))
        .await?;
        Ok(())
    }

    /// The link with this hash, if it exists: `(ticket, person, action, expires, used)`.
    pub async fn find_action_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<ActionTokenRecord>, StoreError> {
        let row: Option<(i64, i64, i64, String, i64, Option<i64>)> = self.read().fetch_optional(Sql::new("SELECT tenant_id, ticket_id, user_id, action, expires_at, used_at FROM mail_action_tokens WHERE token_hash = $1 \
             /* all-tenants: a link is found by its hash, before the tenant is known */",).bind(token_hash))
        .await?;
        Ok(row.map(
            |(tenant, ticket, user, action, expires, used)| ActionTokenRecord {
                tenant_id: TenantId::new(tenant),
                ticket_id: TicketId::new(ticket),
                user_id: UserId::new(user),
                action,
                expires_at: Timestamp::from_micros(expires),
                used_at: used.map(Timestamp::from_micros),
            },
        ))
    }

    /// Uses a link, once: `false` if it was used already.
    pub async fn use_action_token(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = self.write_execute(Sql::new("UPDATE mail_action_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
             /* all-tenants: by its hash */").bind(now.as_micros()).bind(token_hash))
            .await?;
        Ok(done == 1)
    }
}

//! Each person's reading settings: time zone and language. Read with the session on every page
//! (found by the session's hash, before the tenant is known), written by the person.

use spoc_domain::{TenantId, UserId};

use crate::db::Sql;
use crate::{Store, StoreError};

/// A page's reader, as [`Store::session_reader`] finds them.
#[derive(Debug, sqlx::FromRow)]
pub struct SessionReader {
    /// The time zone chosen.
    pub time_zone: Option<String>,
    /// The language chosen.
    pub language: Option<String>,
    /// The person.
    pub user_id: i64,
    /// Their password hash.
    pub password_hash: Option<String>,
    /// The generated password's remembered `{user id}:{fingerprint}`, if any.
    pub generated: Option<String>,
}

impl Store {
    /// A person's time zone and language, as stored (`None`: not chosen).
    pub async fn person_settings(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<(Option<String>, Option<String>), StoreError> {
        let row: Option<(Option<String>, Option<String>)> = self
            .read()
            .fetch_optional(
                Sql::new(
                    "SELECT time_zone, language FROM person_settings \
                     WHERE tenant_id = $1 AND user_id = $2",
                )
                .bind(tenant.get())
                .bind(user.get()),
            )
            .await?;
        Ok(row.unwrap_or((None, None)))
    }

    /// What a page needs to know of the person whose session has this hash: their time zone
    /// and language, their id and password hash, and the remembered fingerprint of the password
    /// generated at first start (`generated_key` in the settings), to tell whether they still
    /// use it. `None` without such a session.
    pub async fn session_reader(
        &self,
        session_hash: &str,
        generated_key: &str,
    ) -> Result<Option<SessionReader>, StoreError> {
        let row: Option<SessionReader> = self
            .read()
            .fetch_optional(
                Sql::new(
                    "SELECT p.time_zone, p.language, u.id AS user_id, u.password_hash, g.value AS generated \
                     FROM sessions s JOIN users u ON u.id = s.user_id \
                     LEFT JOIN person_settings p ON p.user_id = s.user_id AND p.tenant_id = u.tenant_id \
                     LEFT JOIN settings g ON g.tenant_id = u.tenant_id AND g.key = $2 \
                     /* all-tenants: the session is found by its hash, before the tenant is known */ \
                     WHERE s.id_hash = $1",
                )
                .bind(session_hash)
                .bind(generated_key),
            )
            .await?;
        Ok(row)
    }

    /// Stores a person's time zone and language.
    pub async fn put_person_settings(
        &self,
        tenant: TenantId,
        user: UserId,
        time_zone: Option<&str>,
        language: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.execute(
            Sql::new(
                "INSERT INTO person_settings (user_id, tenant_id, time_zone, language) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE \
                 SET time_zone = excluded.time_zone, language = excluded.language \
                 WHERE person_settings.tenant_id = excluded.tenant_id",
            )
            .bind(user.get())
            .bind(tenant.get())
            .bind(time_zone.map(str::to_owned))
            .bind(language.map(str::to_owned)),
        )
        .await?;
        tx.commit().await
    }
}

//! Each person's reading settings: time zone and language. Read with the session on every page
//! (found by the session's hash, before the tenant is known), written by the person.

use spoc_domain::{TenantId, UserId};

use crate::db::Sql;
use crate::{Store, StoreError};

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

    /// The time zone and language of the person whose live session has this hash.
    pub async fn session_person_settings(
        &self,
        session_hash: &str,
    ) -> Result<(Option<String>, Option<String>), StoreError> {
        let row: Option<(Option<String>, Option<String>)> = self
            .read()
            .fetch_optional(
                Sql::new(
                    "SELECT p.time_zone, p.language FROM sessions s \
                     JOIN person_settings p ON p.user_id = s.user_id \
                     /* all-tenants: the session is found by its hash, before the tenant is known */ \
                     WHERE s.id_hash = $1",
                )
                .bind(session_hash),
            )
            .await?;
        Ok(row.unwrap_or((None, None)))
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

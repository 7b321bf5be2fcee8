//! Provider-wide SOPs: the provider's (tenant 1's) SOPs marked `provider_wide`, which apply in
//! their effective version in every tenant, read-only there.

use spoc_domain::access::Principal;
use spoc_domain::document::DocumentKind;
use spoc_domain::sop::NamedSopLink;
use spoc_domain::ticket::TicketKind;
use spoc_domain::{SopId, TenantId, Timestamp, UserId};

use super::{SOP_COLUMNS, SopRecord, SopRow, corrupt};
use crate::changes::{Change, Entity};
use crate::db::Sql;
use crate::document::insert_log;
use crate::{Store, StoreError};

/// The condition of a provider SOP every tenant may read and work under: provider-wide, with an
/// effective version.
const PROVIDER_WIDE: &str = "(tenant_id = 1 AND provider_wide AND effective_version IS NOT NULL)";

#[derive(sqlx::FromRow)]
struct NamedLinkRow {
    sop_id: i64,
    kind: Option<String>,
    category: Option<String>,
    subcategory: Option<String>,
}

impl Store {
    /// One SOP a person of `tenant` may read: the tenant's own, or a provider-wide SOP of the
    /// provider that has an effective version.
    pub async fn get_readable_sop(
        &self,
        tenant: TenantId,
        id: SopId,
    ) -> Result<SopRecord, StoreError> {
        let row: Option<SopRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {SOP_COLUMNS} FROM sops WHERE id = $1 AND (tenant_id = $2 OR {PROVIDER_WIDE})"
                ))
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        Ok(row.ok_or(StoreError::NotFound)?.into())
    }

    /// The provider's provider-wide SOPs that have an effective version, by title.
    pub async fn list_provider_wide_sops(&self) -> Result<Vec<SopRecord>, StoreError> {
        let rows: Vec<SopRow> = self
            .read()
            .fetch_all(
                Sql::new(format!(
                    "SELECT {SOP_COLUMNS} FROM sops WHERE tenant_id = $1 AND provider_wide \
                     AND effective_version IS NOT NULL ORDER BY title, id"
                ))
                .bind(TenantId::FIRST.get()),
            )
            .await?;
        Ok(rows.into_iter().map(SopRecord::from).collect())
    }

    /// The links of the provider's provider-wide SOPs that have an effective version, by the
    /// names of their categories: `(sop id, links)`.
    pub async fn provider_wide_sop_links(
        &self,
    ) -> Result<Vec<(i64, Vec<NamedSopLink>)>, StoreError> {
        let rows: Vec<NamedLinkRow> = self
            .read()
            .fetch_all(Sql::new(
                "SELECT l.sop_id, l.kind, c.name AS category, sc.name AS subcategory FROM sop_links l \
                 JOIN sops s ON s.id = l.sop_id \
                 LEFT JOIN categories c ON c.id = l.category_id AND c.tenant_id = 1 \
                 LEFT JOIN categories sc ON sc.id = l.subcategory_id AND sc.tenant_id = 1 \
                 WHERE s.tenant_id = 1 AND s.provider_wide AND s.effective_version IS NOT NULL \
                 ORDER BY l.sop_id, l.id",
            ))
            .await?;
        let mut out: Vec<(i64, Vec<NamedSopLink>)> = Vec::new();
        for row in rows {
            let link = NamedSopLink {
                kind: row
                    .kind
                    .as_deref()
                    .map(TicketKind::parse)
                    .transpose()
                    .map_err(corrupt)?,
                category: row.category,
                subcategory: row.subcategory,
            };
            match out.last_mut() {
                Some((id, links)) if *id == row.sop_id => links.push(link),
                _ => out.push((row.sop_id, vec![link])),
            }
        }
        Ok(out)
    }

    /// Makes a provider SOP provider-wide, or stops it being so, with an entry in its governance
    /// log (`provider_wide`, `own_tenant`). Only the provider's SOPs (tenant 1) have the flag.
    pub async fn set_sop_provider_wide(
        &self,
        id: SopId,
        provider_wide: bool,
        actor: Option<UserId>,
        now: Timestamp,
    ) -> Result<SopRecord, StoreError> {
        let provider = TenantId::FIRST;
        let mut tx = self.begin().await?;
        let row: Option<SopRow> = tx
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {SOP_COLUMNS} FROM sops WHERE id = $1 AND tenant_id = $2{}",
                    tx.dialect().for_update()
                ))
                .bind(id.get())
                .bind(provider.get()),
            )
            .await?;
        let current: SopRecord = row.ok_or(StoreError::NotFound)?.into();
        if current.provider_wide == provider_wide {
            return Ok(current);
        }
        tx.execute(
            Sql::new(
                "UPDATE sops SET provider_wide = $1, updated_at = $2 WHERE id = $3 AND tenant_id = $4",
            )
            .bind(provider_wide)
            .bind(now.as_micros())
            .bind(id.get())
            .bind(provider.get()),
        )
        .await?;
        let action = if provider_wide {
            "provider_wide"
        } else {
            "own_tenant"
        };
        tx.execute(insert_log(
            DocumentKind::Sop,
            id.get(),
            current.latest_version,
            action,
            actor.map(Principal::from),
            now,
            None,
        ))
        .await?;
        let row: SopRow = tx
            .fetch_one(
                Sql::new(format!(
                    "SELECT {SOP_COLUMNS} FROM sops WHERE id = $1 AND tenant_id = $2"
                ))
                .bind(id.get())
                .bind(provider.get()),
            )
            .await?;
        tx.changed(Change {
            actor: actor.map(Into::into),
            ..Change::of(provider, Entity::Sop, id.get(), "updated")
        });
        tx.commit().await?;
        Ok(row.into())
    }
}

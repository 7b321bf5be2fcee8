//! Links of an SOP waiting for their categories to exist, by name (see the migration
//! `sop_pending_links`): kept when SOPs are imported before the desk has the categories they
//! name, and turned into real links once it does.

use spoc_domain::sop::SopLink;
use spoc_domain::ticket::TicketKind;
use spoc_domain::{CategoryId, TenantId, Timestamp};

use crate::changes::{Change, Entity};
use crate::db::Sql;
use crate::{Store, StoreError};

/// A link by category names, for categories that did not exist when it was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingSopLink {
    /// Incident or service request; `None` for any kind.
    pub kind: Option<TicketKind>,
    /// The category's name.
    pub category: String,
    /// The subcategory's name, under `category`.
    pub subcategory: Option<String>,
}

/// A pending link as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingSopLinkRecord {
    /// Its id.
    pub id: i64,
    /// The SOP it belongs to.
    pub sop_id: i64,
    /// The link.
    pub link: PendingSopLink,
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    id: i64,
    sop_id: i64,
    kind: Option<String>,
    category_name: String,
    subcategory_name: Option<String>,
}

impl TryFrom<PendingRow> for PendingSopLinkRecord {
    type Error = StoreError;

    fn try_from(r: PendingRow) -> Result<Self, StoreError> {
        let kind = r
            .kind
            .as_deref()
            .map(TicketKind::parse)
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("sop_pending_links.kind: {e}")))?;
        Ok(Self {
            id: r.id,
            sop_id: r.sop_id,
            link: PendingSopLink {
                kind,
                category: r.category_name,
                subcategory: r.subcategory_name,
            },
        })
    }
}

impl Store {
    /// Keeps `links` of SOP `sop_id` until categories of their names exist.
    pub async fn add_pending_sop_links(
        &self,
        sop_id: i64,
        links: &[PendingSopLink],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        if links.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        for link in links {
            tx.execute(
                Sql::new(
                    "INSERT INTO sop_pending_links (sop_id, kind, category_name, subcategory_name, created_at, tenant_id) \
                     VALUES ($1, $2, $3, $4, $5, (SELECT tenant_id FROM sops WHERE id = $1))",
                )
                .bind(sop_id)
                .bind(link.kind.map(|k| k.as_str()))
                .bind(link.category.as_str())
                .bind(link.subcategory.as_deref())
                .bind(now.as_micros()),
            )
            .await?;
        }
        tx.commit().await
    }

    /// Every pending link, oldest first.
    pub async fn pending_sop_links(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<PendingSopLinkRecord>, StoreError> {
        let rows: Vec<PendingRow> = self
            .read()
            .fetch_all(
                Sql::new(
                    "SELECT id, sop_id, kind, category_name, subcategory_name FROM sop_pending_links \
                     WHERE tenant_id = $1 ORDER BY id",
                )
                .bind(tenant.get()),
            )
            .await?;
        rows.into_iter()
            .map(PendingSopLinkRecord::try_from)
            .collect()
    }

    /// Turns pending links into real ones, each `(pending id, link)`, in one transaction. A
    /// pending link another caller resolved meanwhile is skipped, so none is linked twice.
    /// Returns how many were linked.
    pub async fn resolve_pending_sop_links(
        &self,
        tenant: TenantId,
        resolved: &[(i64, SopLink)],
    ) -> Result<usize, StoreError> {
        if resolved.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin().await?;
        let mut linked = 0;
        for (pending, link) in resolved {
            let sop: Option<(i64,)> = tx
                .fetch_optional(
                    Sql::new(
                        "DELETE FROM sop_pending_links WHERE id = $1 AND tenant_id = $2 \
                         RETURNING sop_id",
                    )
                    .bind(*pending)
                    .bind(tenant.get()),
                )
                .await?;
            let Some((sop,)) = sop else { continue };
            // A link set by hand meanwhile to the same categories is not doubled.
            let done = tx
                .execute(
                    Sql::new(
                        "INSERT INTO sop_links (sop_id, kind, category_id, subcategory_id) \
                         SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM sop_links WHERE sop_id = $1 \
                         AND kind IS NOT DISTINCT FROM $2 AND category_id IS NOT DISTINCT FROM $3 \
                         AND subcategory_id IS NOT DISTINCT FROM $4)",
                    )
                    .bind(sop)
                    .bind(link.kind.map(|k| k.as_str()))
                    .bind(link.category_id.map(CategoryId::get))
                    .bind(link.subcategory_id.map(CategoryId::get)),
                )
                .await?;
            if done > 0 {
                tx.changed(Change::of(tenant, Entity::Sop, sop, "updated"));
            }
            linked += done as usize;
        }
        tx.commit().await?;
        Ok(linked)
    }
}

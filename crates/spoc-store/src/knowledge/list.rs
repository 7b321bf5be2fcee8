//! Listing and searching articles: a tenant's own, then the provider's shared ones in their
//! published version.

use super::{
    ARTICLE_COLUMNS, ArticleQuery, ArticleRecord, ArticleRow, CUSTOMER_VISIBLE, SHARED_READABLE,
};
use crate::db::Sql;
use crate::scope::push_tenant_of;
use crate::{Backend, Store, StoreError};
use spoc_domain::TenantId;
use spoc_domain::knowledge::ArticleStatus;

impl Store {
    /// Articles matching `query`, and how many match in all: the tenant's own articles, then —
    /// for every tenant but the provider — the provider's shared ones, in their published
    /// version. Within each part, with a search the best matches come first; otherwise the most
    /// recently changed.
    pub async fn list_articles(
        &self,
        tenant: TenantId,
        query: &ArticleQuery,
    ) -> Result<(Vec<ArticleRecord>, i64), StoreError> {
        let limit = query.limit.clamp(1, 200);
        let offset = query.offset.max(0);
        let (mut records, own_total) = self
            .article_rows(tenant, query, false, Some((limit, offset)))
            .await?;
        // The provider's own list holds its shared articles already; a shared article is only
        // ever published text under no category of the reader's desk.
        let shared_may_match = tenant != TenantId::FIRST
            && query.category.is_none()
            && query.status.is_none_or(|s| s == ArticleStatus::Published);
        if !shared_may_match {
            return Ok((records, own_total));
        }
        let room = limit - i64::try_from(records.len()).unwrap_or(limit);
        let page = (room > 0).then(|| (room, (offset - own_total).max(0)));
        let (shared, shared_total) = self.article_rows(tenant, query, true, page).await?;
        records.extend(shared);
        Ok((records, own_total + shared_total))
    }

    /// One part of [`Self::list_articles`]: the tenant's own articles, or (`shared`) the
    /// provider's shared ones searched and filtered in their published version; the rows of
    /// `page` (limit, offset) — none without one — and how many match in all.
    async fn article_rows(
        &self,
        tenant: TenantId,
        query: &ArticleQuery,
        shared: bool,
        page: Option<(i64, i64)>,
    ) -> Result<(Vec<ArticleRecord>, i64), StoreError> {
        let backend = self.backend();
        // Readers of a shared article only ever reach its published text.
        let published = query.customers_only || shared;
        let build = |count: bool, limit: i64, offset: i64| {
            let columns = if count { "COUNT(*)" } else { ARTICLE_COLUMNS };
            let mut qb = Sql::new(format!("SELECT {columns} FROM articles a"));
            if let Some(search) = &query.search {
                match backend {
                    Backend::Sqlite => {
                        qb.push(
                            " JOIN article_search s ON s.rowid = a.id AND article_search MATCH ",
                        )
                        .push_bind(search.to_article_query(backend, published));
                    }
                    Backend::Postgres => {
                        let column = if published {
                            "published_tsv"
                        } else {
                            "latest_tsv"
                        };
                        qb.push(&format!(" JOIN article_search s ON s.article_id = a.id AND s.{column} @@ to_tsquery('english', "))
                            .push_bind(search.to_article_query(backend, published))
                            .push(")");
                    }
                }
            }
            qb.push(" WHERE 1 = 1");
            if shared {
                qb.push(" AND ").push(SHARED_READABLE);
            } else {
                push_tenant_of(&mut qb, "a", tenant.into());
            }
            if query.customers_only {
                qb.push(" AND ").push(CUSTOMER_VISIBLE);
            }
            if let Some(status) = query.status.filter(|_| !shared) {
                qb.push(" AND a.status = ").push_bind(status.as_str());
            }
            match (query.kind, shared) {
                (Some(kind), false) => {
                    qb.push(" AND a.kind = ").push_bind(kind.as_str());
                }
                (Some(kind), true) => {
                    qb.push(" AND EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = a.id AND v.version = a.published_version AND v.kind = ")
                        .push_bind(kind.as_str())
                        .push(")");
                }
                (None, _) => {}
            }
            if let Some(audience) = query.audience {
                let column = if shared {
                    "a.published_audience"
                } else {
                    "a.audience"
                };
                qb.push(&format!(" AND {column} = "))
                    .push_bind(audience.as_str());
            }
            if let Some(category) = query.category {
                // A category and the subcategories under it.
                qb.push(" AND a.category_id IN (SELECT c.id FROM categories c WHERE c.id = ")
                    .push_bind(category.get())
                    .push(" OR c.parent_id = ")
                    .push_bind(category.get())
                    .push(")");
            }
            if !count {
                match (&query.search, backend) {
                    (Some(_), Backend::Sqlite) => qb.push(" ORDER BY s.rank, a.id DESC"),
                    (Some(search), Backend::Postgres) => {
                        let column = if published {
                            "published_tsv"
                        } else {
                            "latest_tsv"
                        };
                        qb.push(&format!(
                            " ORDER BY ts_rank(s.{column}, to_tsquery('english', "
                        ))
                        .push_bind(search.to_article_query(backend, published))
                        .push(")) DESC, a.id DESC")
                    }
                    (None, _) => qb.push(" ORDER BY a.updated_at DESC, a.id DESC"),
                };
                qb.push(" LIMIT ")
                    .push_bind(limit)
                    .push(" OFFSET ")
                    .push_bind(offset);
            }
            qb
        };
        let rows: Vec<ArticleRow> = match page {
            Some((limit, offset)) => self.read().fetch_all(build(false, limit, offset)).await?,
            None => Vec::new(),
        };
        let total: i64 = self.read().fetch_scalar(build(true, 0, 0)).await?;
        let records = rows
            .into_iter()
            .map(ArticleRecord::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((records, total))
    }
}

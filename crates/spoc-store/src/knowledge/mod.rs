//! Knowledge articles: versions, the workflow log, full-text search in each engine (customers
//! search only published, customer-facing text), use on tickets, feedback and portal
//! deflections.

use crate::changes::{Change, Entity};
use crate::db::{Dialect, Sql};
use crate::document::{insert_log, select_version, select_versions};
use crate::search::SearchText;

mod list;
use crate::{Backend, Store, StoreError};
use spoc_domain::access::Principal;
use spoc_domain::document::{CREATED, DocumentKind, LogEntry, Versioned};
use spoc_domain::knowledge::{
    ArticleContent, ArticleKind, ArticleStatus, ArticleVisibility, Audience,
};
use spoc_domain::{ArticleId, CategoryId, TenantId, Timestamp, UserId};

/// The `INSERT_VERSION` statement for one version of an article.
fn insert_version(
    id: i64,
    version: i64,
    content: &ArticleContent,
    summary: &str,
    author: Option<UserId>,
    now: Timestamp,
) -> Sql {
    Sql::new(INSERT_VERSION)
        .bind(id)
        .bind(version)
        .bind(content.kind.as_str())
        .bind(content.audience.as_str())
        .bind(content.title.as_str())
        .bind(content.body.as_str())
        .bind(content.symptom.as_deref())
        .bind(content.cause.as_deref())
        .bind(content.workaround.as_deref())
        .bind(content.problem_id)
        .bind(summary)
        .bind(author.map(UserId::get))
        .bind(now.as_micros())
        .bind(content.category_id.map(CategoryId::get))
}

/// An article's current state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleRecord {
    /// Id.
    pub id: ArticleId,
    /// Kind of the latest version.
    pub kind: ArticleKind,
    /// Audience of the latest version.
    pub audience: Audience,
    /// Status of the latest version.
    pub status: ArticleStatus,
    /// Title of the latest version.
    pub title: String,
    /// The latest version's number.
    pub latest_version: i64,
    /// The version readers see, once one is published.
    pub published_version: Option<i64>,
    /// That version's audience.
    pub published_audience: Option<Audience>,
    /// That version's title.
    pub published_title: Option<String>,
    /// The problem record of a known error.
    pub problem_id: Option<i64>,
    /// The latest version's category.
    pub category_id: Option<CategoryId>,
    /// Who wrote the first version.
    pub created_by: Option<UserId>,
    /// When.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
    /// Tickets it was used to resolve.
    pub use_count: i64,
    /// "Helpful" votes.
    pub helpful_count: i64,
    /// "Not helpful" votes.
    pub not_helpful_count: i64,
    /// The tenant that owns and edits it.
    pub tenant_id: TenantId,
    /// Whether the provider shares it (published) with every tenant.
    pub shared: bool,
}

impl ArticleRecord {
    /// What its visibility depends on.
    pub fn visibility(&self) -> ArticleVisibility {
        ArticleVisibility {
            status: self.status,
            audience: self.audience,
            published_audience: self.published_audience,
        }
    }
}

/// One version of an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleVersionRecord {
    /// The article.
    pub article_id: ArticleId,
    /// 1, 2, …
    pub version: i64,
    /// Its content.
    pub content: ArticleContent,
    /// What changed and why.
    pub change_summary: String,
    /// Who wrote it.
    pub author_id: Option<UserId>,
    /// When.
    pub created_at: Timestamp,
}

/// One workflow step of an article: `created`, `edited`, `restored`, `submit`, `publish`,
/// `return`, `retire`.
pub type ArticleLogRecord = LogEntry;

impl Versioned for ArticleVersionRecord {
    type Content = ArticleContent;

    fn number(&self) -> i64 {
        self.version
    }

    fn content(&self) -> &ArticleContent {
        &self.content
    }

    fn change_note(&self) -> &str {
        &self.change_summary
    }

    fn author(&self) -> Option<UserId> {
        self.author_id
    }

    fn written_at(&self) -> Timestamp {
        self.created_at
    }
}

/// What to write to an article, decided under its row lock.
#[derive(Clone, Debug)]
pub struct ArticleWrite {
    /// A new version (content, change summary).
    pub new_version: Option<(ArticleContent, String)>,
    /// The status afterwards.
    pub status: ArticleStatus,
    /// Publish the (new) latest version.
    pub publish: bool,
    /// The log entry: action and optional comment.
    pub log: (String, Option<String>),
    /// Who.
    pub actor: Option<UserId>,
    /// When.
    pub now: Timestamp,
}

/// Which articles to list.
#[derive(Clone, Debug, Default)]
pub struct ArticleQuery {
    /// Only what customers may read, searching only published text.
    pub customers_only: bool,
    /// Only this status.
    pub status: Option<ArticleStatus>,
    /// Only this kind.
    pub kind: Option<ArticleKind>,
    /// Only this audience.
    pub audience: Option<Audience>,
    /// Only this category and its subcategories.
    pub category: Option<CategoryId>,
    /// Full-text words (ranked by relevance when given).
    pub search: Option<SearchText>,
    /// At most this many (1–200).
    pub limit: i64,
    /// Skip this many.
    pub offset: i64,
}

#[derive(sqlx::FromRow)]
struct ArticleRow {
    id: i64,
    kind: String,
    audience: String,
    status: String,
    title: String,
    latest_version: i64,
    published_version: Option<i64>,
    published_audience: Option<String>,
    published_title: Option<String>,
    problem_id: Option<i64>,
    category_id: Option<i64>,
    created_by: Option<i64>,
    created_at: i64,
    updated_at: i64,
    use_count: i64,
    helpful_count: i64,
    not_helpful_count: i64,
    tenant_id: i64,
    shared: bool,
}

const ARTICLE_COLUMNS: &str = "a.id, a.kind, a.audience, a.status, a.title, a.latest_version, \
    a.published_version, a.published_audience, a.published_title, a.problem_id, a.category_id, a.created_by, a.created_at, \
    a.updated_at, a.use_count, a.helpful_count, a.not_helpful_count, a.tenant_id, a.shared";

/// The condition (in parentheses) of a provider article another tenant may read: shared, with a
/// published version, not retired. Its reader sees only that published version.
const SHARED_READABLE: &str = "(a.tenant_id = 1 AND a.shared AND a.status <> 'retired' \
    AND a.published_version IS NOT NULL)";

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

impl TryFrom<ArticleRow> for ArticleRecord {
    type Error = StoreError;

    fn try_from(r: ArticleRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: ArticleId::new(r.id),
            kind: ArticleKind::parse(&r.kind).map_err(corrupt)?,
            audience: Audience::parse(&r.audience).map_err(corrupt)?,
            status: ArticleStatus::parse(&r.status).map_err(corrupt)?,
            title: r.title,
            latest_version: r.latest_version,
            published_version: r.published_version,
            published_audience: r
                .published_audience
                .as_deref()
                .map(Audience::parse)
                .transpose()
                .map_err(corrupt)?,
            published_title: r.published_title,
            problem_id: r.problem_id,
            category_id: r.category_id.map(CategoryId::new),
            created_by: r.created_by.map(UserId::new),
            created_at: Timestamp::from_micros(r.created_at),
            updated_at: Timestamp::from_micros(r.updated_at),
            use_count: r.use_count,
            helpful_count: r.helpful_count,
            not_helpful_count: r.not_helpful_count,
            tenant_id: TenantId::new(r.tenant_id),
            shared: r.shared,
        })
    }
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    article_id: i64,
    version: i64,
    kind: String,
    audience: String,
    title: String,
    body: String,
    symptom: Option<String>,
    cause: Option<String>,
    workaround: Option<String>,
    problem_id: Option<i64>,
    category_id: Option<i64>,
    change_summary: String,
    author_id: Option<i64>,
    created_at: i64,
}

const VERSION_COLUMNS: &str = "article_id, version, kind, audience, title, body, symptom, cause, \
    workaround, problem_id, category_id, change_summary, author_id, created_at";

impl TryFrom<VersionRow> for ArticleVersionRecord {
    type Error = StoreError;

    fn try_from(r: VersionRow) -> Result<Self, StoreError> {
        // Stored content was validated when written; it is read back as it is.
        Ok(Self {
            article_id: ArticleId::new(r.article_id),
            version: r.version,
            content: ArticleContent {
                kind: ArticleKind::parse(&r.kind).map_err(corrupt)?,
                audience: Audience::parse(&r.audience).map_err(corrupt)?,
                title: r.title,
                body: r.body,
                symptom: r.symptom,
                cause: r.cause,
                workaround: r.workaround,
                problem_id: r.problem_id,
                category_id: r.category_id.map(CategoryId::new),
            },
            change_summary: r.change_summary,
            author_id: r.author_id.map(UserId::new),
            created_at: Timestamp::from_micros(r.created_at),
        })
    }
}

const INSERT_VERSION: &str = "INSERT INTO article_versions (article_id, version, kind, audience, \
    title, body, symptom, cause, workaround, problem_id, change_summary, author_id, created_at, \
    category_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

/// The WHERE clause (without `WHERE`) of what customers may read.
const CUSTOMER_VISIBLE: &str = "a.status <> 'retired' AND a.published_version IS NOT NULL \
    AND a.audience = 'customers' AND a.published_audience = 'customers'";

impl SearchText {
    /// The article engine's query: staff search the latest version, customers the published one.
    fn to_article_query(&self, backend: Backend, customers: bool) -> String {
        match backend {
            Backend::Sqlite => {
                let columns = if customers {
                    "{published_title published_body}"
                } else {
                    "{title body}"
                };
                self.terms()
                    .iter()
                    .map(|term| format!("{columns} : \"{term}\"*"))
                    .collect::<Vec<_>>()
                    .join(" AND ")
            }
            Backend::Postgres => self
                .terms()
                .iter()
                .map(|term| format!("'{term}':*"))
                .collect::<Vec<_>>()
                .join(" & "),
        }
    }

    /// Like [`Self::to_article_query`] but any word may match (OR), for suggestions while a
    /// person types: more of their words matching ranks an article higher.
    fn to_article_query_any(&self, backend: Backend) -> String {
        match backend {
            Backend::Sqlite => self
                .terms()
                .iter()
                .map(|term| format!("{{published_title published_body}} : \"{term}\"*"))
                .collect::<Vec<_>>()
                .join(" OR "),
            Backend::Postgres => self
                .terms()
                .iter()
                .map(|term| format!("'{term}':*"))
                .collect::<Vec<_>>()
                .join(" | "),
        }
    }
}

impl Store {
    /// Creates an article with its first version (a draft).
    pub async fn create_article(
        &self,
        tenant: TenantId,
        content: &ArticleContent,
        change_summary: &str,
        author: Option<UserId>,
        now: Timestamp,
    ) -> Result<ArticleRecord, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = tx.fetch_scalar(Sql::new("INSERT INTO articles (kind, audience, status, title, latest_version, problem_id, \
             created_by, created_at, updated_at, tenant_id, category_id) VALUES ($1, $2, 'draft', $3, 1, $4, $5, $6, $6, $7, $8) RETURNING id",).bind(content.kind.as_str()).bind(content.audience.as_str()).bind(&content.title).bind(content.problem_id).bind(author.map(UserId::get)).bind(now.as_micros()).bind(tenant.get()).bind(content.category_id.map(CategoryId::get)))
        .await?;
        tx.execute(insert_version(id, 1, content, change_summary, author, now))
            .await?;
        tx.execute(insert_log(
            DocumentKind::Article,
            id,
            1,
            CREATED,
            author.map(Principal::from),
            now,
            None,
        ))
        .await?;
        let key = Dialect::of(self.backend()).article_search_key();
        tx.execute(Sql::new(format!(
            "INSERT INTO article_search ({key}, title, body, published_title, published_body) VALUES ($1, $2, $3, '', '')"
        )).bind(id).bind(&content.title).bind(content.search_text()))
        .await?;
        let row: ArticleRow = tx
            .fetch_one(
                Sql::new(format!(
                    "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = $1 AND a.tenant_id = $2"
                ))
                .bind(id)
                .bind(tenant.get()),
            )
            .await?;
        tx.changed(Change {
            actor: author.map(Into::into),
            ..Change::of(tenant, Entity::Article, id, "created")
        });
        tx.commit().await?;
        row.try_into()
    }

    /// Changes an article atomically: the row is locked and read, `decide` says what to write
    /// (a new version, the new status, whether to publish, the log entry), and everything —
    /// version, row, log, search index — is written in one transaction.
    pub async fn update_article<E, F>(
        &self,
        tenant: TenantId,
        article: ArticleId,
        decide: F,
    ) -> Result<ArticleRecord, E>
    where
        E: From<StoreError>,
        F: FnOnce(&ArticleRecord) -> Result<ArticleWrite, E>,
    {
        let id = article.get();
        let mut tx = self.begin().await?;
        let row: Option<ArticleRow> = tx
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = $1 AND a.tenant_id = $2{}",
                    tx.dialect().for_update()
                ))
                .bind(id)
                .bind(tenant.get()),
            )
            .await?;
        let current: ArticleRecord = row.ok_or(StoreError::NotFound)?.try_into()?;
        let write = decide(&current)?;
        let result: Result<ArticleRecord, StoreError> = async {
            let mut latest = current.latest_version;
            let key = Dialect::of(self.backend()).article_search_key();
            if let Some((content, summary)) = &write.new_version {
                latest += 1;
                tx.execute(insert_version(id, latest, content, summary, write.actor, write.now))
                    .await?;
                tx.execute(Sql::new("UPDATE articles SET kind = $1, audience = $2, title = $3, problem_id = $4, latest_version = $5, category_id = $8 WHERE id = $6 AND tenant_id = $7",).bind(content.kind.as_str()).bind(content.audience.as_str()).bind(&content.title).bind(content.problem_id).bind(latest).bind(id).bind(tenant.get()).bind(content.category_id.map(CategoryId::get)))
                .await?;
                tx.execute(Sql::new(format!("UPDATE article_search SET title = $1, body = $2 WHERE {key} = $3")).bind(&content.title).bind(content.search_text()).bind(id))
                    .await?;
            }
            if write.publish {
                tx.execute(Sql::new("UPDATE articles SET published_version = latest_version, published_audience = audience, published_title = title WHERE id = $1 AND tenant_id = $2").bind(id).bind(tenant.get()))
                    .await?;
                tx.execute(Sql::new(format!(
                    "UPDATE article_search SET published_title = title, published_body = body WHERE {key} = $1"
                )).bind(id))
                .await?;
            }
            if write.status == ArticleStatus::Retired {
                // Nothing of a retired article stays searchable by customers.
                tx.execute(Sql::new(format!(
                    "UPDATE article_search SET published_title = '', published_body = '' WHERE {key} = $1"
                )).bind(id))
                .await?;
            }
            tx.execute(Sql::new("UPDATE articles SET status = $1, updated_at = $2 WHERE id = $3 AND tenant_id = $4").bind(write.status.as_str()).bind(write.now.as_micros()).bind(id).bind(tenant.get()))
                .await?;
            tx.execute(insert_log(DocumentKind::Article, id, latest, &write.log.0, write.actor.map(Principal::from), write.now, write.log.1.as_deref()))
                .await?;
            let row: ArticleRow = tx.fetch_one(Sql::new(format!("SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = $1 AND a.tenant_id = $2")).bind(id).bind(tenant.get()))
                .await?;
            row.try_into()
        }
        .await;
        let record = result?;
        tx.changed(Change::of(tenant, Entity::Article, id, "updated"));
        tx.commit().await?;
        Ok(record)
    }

    /// One article.
    pub async fn get_article(
        &self,
        tenant: TenantId,
        id: ArticleId,
    ) -> Result<ArticleRecord, StoreError> {
        let row: Option<ArticleRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = $1 AND a.tenant_id = $2"
                ))
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// One article a reader of `tenant` may read: the tenant's own, or a provider article it
    /// shares (published, not retired).
    pub async fn get_readable_article(
        &self,
        tenant: TenantId,
        id: ArticleId,
    ) -> Result<ArticleRecord, StoreError> {
        let row: Option<ArticleRow> = self
            .read()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = $1 AND (a.tenant_id = $2 OR {SHARED_READABLE})"
                ))
                .bind(id.get())
                .bind(tenant.get()),
            )
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Shares a provider article with every tenant, or stops sharing it, with an entry in its
    /// workflow log (`shared`, `unshared`). Only the provider's articles (tenant 1) have the flag.
    pub async fn set_article_shared(
        &self,
        id: ArticleId,
        shared: bool,
        actor: Option<UserId>,
        now: Timestamp,
    ) -> Result<ArticleRecord, StoreError> {
        let provider = TenantId::FIRST;
        let mut tx = self.begin().await?;
        let row: Option<ArticleRow> = tx
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = $1 AND a.tenant_id = $2{}",
                    tx.dialect().for_update()
                ))
                .bind(id.get())
                .bind(provider.get()),
            )
            .await?;
        let current: ArticleRecord = row.ok_or(StoreError::NotFound)?.try_into()?;
        if current.shared == shared {
            return Ok(current);
        }
        tx.execute(
            Sql::new(
                "UPDATE articles SET shared = $1, updated_at = $2 WHERE id = $3 AND tenant_id = $4",
            )
            .bind(shared)
            .bind(now.as_micros())
            .bind(id.get())
            .bind(provider.get()),
        )
        .await?;
        let action = if shared { "shared" } else { "unshared" };
        tx.execute(insert_log(
            DocumentKind::Article,
            id.get(),
            current.latest_version,
            action,
            actor.map(Principal::from),
            now,
            None,
        ))
        .await?;
        let row: ArticleRow = tx
            .fetch_one(
                Sql::new(format!(
                    "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = $1 AND a.tenant_id = $2"
                ))
                .bind(id.get())
                .bind(provider.get()),
            )
            .await?;
        tx.changed(Change {
            actor: actor.map(Into::into),
            ..Change::of(provider, Entity::Article, id.get(), "updated")
        });
        tx.commit().await?;
        row.try_into()
    }

    /// Published customer-facing articles where any of the words match, best first: the
    /// portal's suggestions while someone describes their problem.
    pub async fn suggest_articles(
        &self,
        tenant: TenantId,
        search: &SearchText,
        limit: i64,
    ) -> Result<Vec<ArticleRecord>, StoreError> {
        let limit = limit.clamp(1, 20);
        let backend = self.backend();
        let text = search.to_article_query_any(backend);
        let sql = match backend {
            Backend::Sqlite => format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles a JOIN article_search s ON s.rowid = a.id \
                 WHERE article_search MATCH $1 AND (a.tenant_id = $3 OR {SHARED_READABLE}) AND {CUSTOMER_VISIBLE} ORDER BY s.rank, a.id DESC LIMIT $2"
            ),
            Backend::Postgres => format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles a JOIN article_search s ON s.article_id = a.id \
                 WHERE s.published_tsv @@ to_tsquery('english', $1) AND (a.tenant_id = $3 OR {SHARED_READABLE}) AND {CUSTOMER_VISIBLE} \
                 ORDER BY ts_rank(s.published_tsv, to_tsquery('english', $1)) DESC, a.id DESC LIMIT $2"
            ),
        };
        let rows: Vec<ArticleRow> = self
            .read()
            .fetch_all(Sql::new(sql).bind(text).bind(limit).bind(tenant.get()))
            .await?;
        rows.into_iter().map(ArticleRecord::try_from).collect()
    }

    /// Every version of an article, oldest first.
    pub async fn article_versions(
        &self,
        id: ArticleId,
    ) -> Result<Vec<ArticleVersionRecord>, StoreError> {
        let rows: Vec<VersionRow> = self
            .read()
            .fetch_all(select_versions(
                DocumentKind::Article,
                VERSION_COLUMNS,
                id.get(),
            ))
            .await?;
        rows.into_iter()
            .map(ArticleVersionRecord::try_from)
            .collect()
    }

    /// One version of an article.
    pub async fn article_version(
        &self,
        id: ArticleId,
        version: i64,
    ) -> Result<ArticleVersionRecord, StoreError> {
        let row: Option<VersionRow> = self
            .read()
            .fetch_optional(select_version(
                DocumentKind::Article,
                VERSION_COLUMNS,
                id.get(),
                version,
            ))
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// An article's workflow log, oldest first.
    pub async fn article_log(&self, id: ArticleId) -> Result<Vec<ArticleLogRecord>, StoreError> {
        self.document_log(id.into()).await
    }

    /// Records a person's helpful / not-helpful vote (replacing an earlier one) and recounts.
    pub async fn set_article_feedback(
        &self,
        tenant: TenantId,
        article: ArticleId,
        user: UserId,
        helpful: bool,
        now: Timestamp,
    ) -> Result<ArticleRecord, StoreError> {
        let id = article.get();
        let mut tx = self.begin().await?;
        tx.execute(Sql::new("INSERT INTO article_feedback (article_id, user_id, helpful, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (article_id, user_id) DO UPDATE SET helpful = excluded.helpful, created_at = excluded.created_at",).bind(id).bind(user.get()).bind(helpful).bind(now.as_micros()))
        .await?;
        tx.execute(Sql::new("UPDATE articles SET \
             helpful_count = (SELECT COUNT(*) FROM article_feedback f WHERE f.article_id = $1 AND f.helpful), \
             not_helpful_count = (SELECT COUNT(*) FROM article_feedback f WHERE f.article_id = $1 AND NOT f.helpful) \
             WHERE id = $1 AND tenant_id = $2",).bind(id).bind(tenant.get()))
        .await?;
        let row: ArticleRow = tx
            .fetch_one(
                Sql::new(format!(
                    "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = $1 AND a.tenant_id = $2"
                ))
                .bind(id)
                .bind(tenant.get()),
            )
            .await?;
        tx.commit().await?;
        row.try_into()
    }

    /// The articles attached to a ticket as used to resolve it.
    pub async fn ticket_articles(
        &self,
        tenant: TenantId,
        ticket: spoc_domain::TicketId,
    ) -> Result<Vec<ArticleRecord>, StoreError> {
        let rows: Vec<ArticleRow> = self.read().fetch_all(Sql::new(format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a JOIN article_uses u ON u.article_id = a.id \
             WHERE u.ticket_id = $1 AND (a.tenant_id = $2 OR {SHARED_READABLE}) ORDER BY u.created_at, a.id"
        )).bind(ticket.get()).bind(tenant.get()))
        .await?;
        rows.into_iter().map(ArticleRecord::try_from).collect()
    }

    /// Records that a portal session ended with an article instead of a ticket. The same person
    /// ending a session with the same article again within `same_session_micros` is the same
    /// session and is not counted twice. Returns whether it was counted.
    pub async fn record_deflection(
        &self,
        tenant: TenantId,
        user: UserId,
        article: ArticleId,
        query: &str,
        now: Timestamp,
        same_session_micros: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let done = tx.execute(Sql::new("INSERT INTO deflections (user_id, article_id, query, created_at, tenant_id) SELECT $1, $2, $3, $4, $6 \
             WHERE NOT EXISTS (SELECT 1 FROM deflections WHERE user_id = $1 AND article_id = $2 AND created_at > $5)",).bind(user.get()).bind(article.get()).bind(query).bind(now.as_micros()).bind(now.as_micros() - same_session_micros).bind(tenant.get()))
        .await?;
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Portal sessions ended by an article, and tickets logged through the portal, in
    /// `[from, until)`.
    pub async fn self_service_counts(
        &self,
        tenant: TenantId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<(i64, i64), StoreError> {
        let deflected: i64 = self
            .read()
            .fetch_scalar(
                Sql::new(
                    "SELECT COUNT(*) FROM deflections WHERE created_at >= $1 AND created_at < $2 \
                     AND tenant_id = $3",
                )
                .bind(from.as_micros())
                .bind(until.as_micros())
                .bind(tenant.get()),
            )
            .await?;
        let tickets: i64 = self.read().fetch_scalar(Sql::new("SELECT COUNT(*) FROM tickets WHERE channel = 'portal' AND created_at >= $1 AND created_at < $2 AND tenant_id = $3",).bind(from.as_micros()).bind(until.as_micros()).bind(tenant.get()))
        .await?;
        Ok((deflected, tickets))
    }

    /// Deflections per article in `[from, until)`, most first: `(article id, title, count)`.
    pub async fn deflections_by_article(
        &self,
        tenant: TenantId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<(ArticleId, String, i64)>, StoreError> {
        let rows: Vec<(i64, String, i64)> = self.read().fetch_all(Sql::new("SELECT a.id, COALESCE(a.published_title, a.title), COUNT(*) AS n FROM deflections d JOIN articles a ON a.id = d.article_id \
             WHERE d.created_at >= $1 AND d.created_at < $2 AND d.tenant_id = $3 GROUP BY a.id, a.published_title, a.title ORDER BY n DESC, a.id LIMIT 20",).bind(from.as_micros()).bind(until.as_micros()).bind(tenant.get()))
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, title, n)| (ArticleId::new(id), title, n))
            .collect())
    }
}

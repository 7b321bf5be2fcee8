//! The knowledge read models the app hands out: an article's current state and one of its
//! versions. Workflow logs are the document core's `LogEntry`. Adapters convert from these, never
//! from the store's rows.

use spoc_domain::document::Versioned;
use spoc_domain::knowledge::{
    ArticleContent, ArticleKind, ArticleStatus, ArticleVisibility, Audience,
};
use spoc_domain::{ArticleId, Timestamp, UserId};
use spoc_store::{ArticleRecord, ArticleVersionRecord};

/// A knowledge article's current state, as the reader may know it (customers see the published
/// title and version only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
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
    pub category_id: Option<spoc_domain::CategoryId>,
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
    /// Whether the provider shares it with every tenant.
    pub shared: bool,
    /// Whether it is the provider's shared article read from another tenant: its published
    /// version only, read-only, without the provider's counts, people, problem or category.
    pub from_provider: bool,
}

impl Article {
    /// What its visibility depends on.
    pub fn visibility(&self) -> ArticleVisibility {
        ArticleVisibility {
            status: self.status,
            audience: self.audience,
            published_audience: self.published_audience,
        }
    }
}

impl Article {
    /// The read model of the stored row.
    pub(crate) fn from_record(r: ArticleRecord) -> Self {
        Self {
            id: r.id,
            kind: r.kind,
            audience: r.audience,
            status: r.status,
            title: r.title,
            latest_version: r.latest_version,
            published_version: r.published_version,
            published_audience: r.published_audience,
            published_title: r.published_title,
            problem_id: r.problem_id,
            category_id: r.category_id,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
            use_count: r.use_count,
            helpful_count: r.helpful_count,
            not_helpful_count: r.not_helpful_count,
            shared: r.shared,
            from_provider: false,
        }
    }
}

/// One version of an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleVersion {
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

impl ArticleVersion {
    /// The read model of the stored row.
    pub(crate) fn from_record(r: ArticleVersionRecord) -> Self {
        Self {
            article_id: r.article_id,
            version: r.version,
            content: r.content,
            change_summary: r.change_summary,
            author_id: r.author_id,
            created_at: r.created_at,
        }
    }
}

impl Versioned for ArticleVersion {
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

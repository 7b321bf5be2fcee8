//! Knowledge use cases: write, version, restore and review articles; read and search them with
//! the reader's visibility (customers only ever reach published, customer-facing text); attach
//! them to tickets; feedback; portal suggestions and deflections; the self-service report.

use crate::auth::permit;
use spoc_domain::access::Actor;
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::credential::{Access, Resource};
use spoc_domain::event::EventData;
use spoc_domain::knowledge::{
    self, ArticleAction, ArticleContent, ArticleKind, ArticleStatus, Audience, SectionDiff,
};
use spoc_domain::metrics::{self, Ratio};
use spoc_domain::{ArticleId, TicketId, Timestamp, ValidationError};
use spoc_store::{AnnexChange, ArticleQuery, ArticleRecord, ArticleWrite, SearchText, StoreError};

use crate::document::{diff_versions, no_such_version};
use crate::error::not_found;
use crate::{App, AppError};
use spoc_domain::document::{self, EDITED, LogEntry, RESTORED, Restore};

mod model;

pub use model::{Article, ArticleVersion};

/// A new version of an article.
#[derive(Clone, Debug)]
pub struct ArticleInput {
    /// The validated content.
    pub content: ArticleContent,
    /// What changed and why (required from the second version on).
    pub change_summary: String,
}

/// Which articles to list.
#[derive(Clone, Debug, Default)]
pub struct ArticleFilter {
    /// Words to search for.
    pub q: Option<String>,
    /// Only this status (staff).
    pub status: Option<ArticleStatus>,
    /// Only this kind.
    pub kind: Option<ArticleKind>,
    /// Only this audience (staff).
    pub audience: Option<Audience>,
    /// Only this category and its subcategories.
    pub category: Option<spoc_domain::CategoryId>,
    /// Page size (1–200, default 50).
    pub limit: Option<i64>,
    /// Skip this many.
    pub offset: Option<i64>,
}

/// An article as one reader sees it: staff read the latest version, customers the published one.
#[derive(Clone, Debug)]
pub struct ArticleView {
    /// The article.
    pub article: Article,
    /// The version shown.
    pub version: ArticleVersion,
}

/// The self-service resolution report.
#[derive(Clone, Debug)]
pub struct SelfServiceReport {
    /// Portal sessions ended by an article, of those ended by an article or a ticket.
    pub rate: Ratio,
    /// Deflections per article: id, title, count.
    pub by_article: Vec<(ArticleId, String, i64)>,
}

/// What `actor` may know of an article's row: customers learn nothing of unpublished versions,
/// so the title is the published one.
fn for_reader(actor: &Actor, record: ArticleRecord) -> Article {
    let foreign = record.tenant_id != actor.tenant_id;
    let mut record = Article::from_record(record);
    if foreign {
        // The provider's shared article, read from another tenant: its published version as
        // it stands, with nothing of the provider's desk (people, problem, category, counts).
        record.title = record.published_title.clone().unwrap_or_default();
        record.latest_version = record.published_version.unwrap_or(0);
        record.status = ArticleStatus::Published;
        if let Some(audience) = record.published_audience {
            record.audience = audience;
        }
        record.category_id = None;
        record.problem_id = None;
        record.created_by = None;
        record.use_count = 0;
        record.helpful_count = 0;
        record.not_helpful_count = 0;
        record.from_provider = true;
    } else if !actor.is_staff() {
        record.title = record.published_title.clone().unwrap_or_default();
        record.latest_version = record.published_version.unwrap_or(0);
        record.status = ArticleStatus::Published;
        // The row carries the latest version's category, which may be a draft's.
        record.category_id = None;
    }
    record
}

/// A version of the provider's shared article as another tenant reads it: without the
/// provider's people, problem record or category.
fn foreign_version(mut version: ArticleVersion) -> ArticleVersion {
    version.author_id = None;
    version.content.problem_id = None;
    version.content.category_id = None;
    version
}

fn article_not_found(error: StoreError) -> AppError {
    not_found("article")(error)
}

fn summary(text: &str, required: bool) -> Result<String, ValidationError> {
    document::change_note(text, required, "First version")
}

fn workflow_error(error: knowledge::WorkflowError) -> AppError {
    match error {
        knowledge::WorkflowError::Denied(message) => AppError::Forbidden(message.to_owned()),
        other => AppError::Conflict(other.to_string()),
    }
}

impl App {
    /// An article may be filed only under a category of the actor's own desk.
    async fn check_article_category(
        &self,
        actor: &Actor,
        content: &ArticleContent,
    ) -> Result<(), AppError> {
        let Some(category) = content.category_id else {
            return Ok(());
        };
        let known = self.store.list_categories(actor.tenant_id).await?;
        if known.iter().any(|c| c.id == category) {
            Ok(())
        } else {
            Err(
                ValidationError::new("category_id", "is not a category of this service desk")
                    .into(),
            )
        }
    }

    /// A known error's problem record must be a ticket the actor sees on their own desk.
    async fn check_article_problem(
        &self,
        actor: &Actor,
        content: &ArticleContent,
    ) -> Result<(), AppError> {
        let Some(problem) = content.problem_id else {
            return Ok(());
        };
        match self
            .store
            .get_ticket(TicketId::new(problem), &actor.scope())
            .await
        {
            Ok(_) => Ok(()),
            Err(StoreError::NotFound) => Err(ValidationError::new(
                "problem_id",
                format!("there is no ticket {problem} you can see"),
            )
            .into()),
            Err(other) => Err(other.into()),
        }
    }

    /// Writes a new article (a draft). Staff only.
    pub async fn create_article(
        &self,
        actor: &Actor,
        input: ArticleInput,
    ) -> Result<Article, AppError> {
        permit(actor, Some(Resource::Knowledge), Access::Write)?;
        knowledge::may_edit(actor)?;
        let summary = summary(&input.change_summary, false)?;
        self.check_article_category(actor, &input.content).await?;
        self.check_article_problem(actor, &input.content).await?;
        Ok(self
            .store
            .create_article(
                actor.tenant_id,
                &input.content,
                &summary,
                actor.user_id(),
                self.now(),
            )
            .await
            .map(Article::from_record)?)
    }

    /// Reads an article the actor may see (anything else is not found).
    pub async fn get_article(&self, actor: &Actor, id: ArticleId) -> Result<ArticleView, AppError> {
        permit(actor, Some(Resource::Knowledge), Access::Read)?;
        let record = self
            .store
            .get_readable_article(actor.tenant_id, id)
            .await
            .map_err(article_not_found)?;
        if !record.visibility().readable_by(actor) {
            return Err(AppError::NotFound { what: "article" });
        }
        let foreign = record.tenant_id != actor.tenant_id;
        let shown = if actor.is_staff() && !foreign {
            record.latest_version
        } else {
            record
                .published_version
                .ok_or(AppError::NotFound { what: "article" })?
        };
        let version = self
            .store
            .article_version(id, shown)
            .await
            .map_err(article_not_found)?;
        let version = ArticleVersion::from_record(version);
        Ok(ArticleView {
            article: for_reader(actor, record),
            version: if foreign {
                foreign_version(version)
            } else {
                version
            },
        })
    }

    /// Shares a provider article with every tenant (its published version, read-only there),
    /// or stops sharing it. Only the provider's leads and admins; the article's log records it.
    pub async fn share_article(
        &self,
        actor: &Actor,
        id: ArticleId,
        shared: bool,
    ) -> Result<Article, AppError> {
        permit(actor, Some(Resource::Knowledge), Access::Write)?;
        knowledge::may_share(actor)?;
        self.store
            .set_article_shared(id, shared, actor.user_id(), self.now())
            .await
            .map(Article::from_record)
            .map_err(article_not_found)
    }

    /// Saves a new version of an article. `expected_version` is the latest version the editor
    /// started from; if someone saved in between, nothing is written.
    pub async fn edit_article(
        &self,
        actor: &Actor,
        id: ArticleId,
        expected_version: Option<i64>,
        input: ArticleInput,
    ) -> Result<Article, AppError> {
        permit(actor, Some(Resource::Knowledge), Access::Write)?;
        knowledge::may_edit(actor)?;
        let summary = summary(&input.change_summary, true)?;
        self.check_article_category(actor, &input.content).await?;
        self.check_article_problem(actor, &input.content).await?;
        let now = self.now();
        self.store
            .update_article(actor.tenant_id, id, |current| {
                if let Some(expected) = expected_version
                    && expected != current.latest_version
                {
                    return Err(AppError::Conflict(format!(
                        "the article was changed by someone else since version {expected}; it is now at version {}",
                        current.latest_version
                    )));
                }
                let status = knowledge::status_after_edit(current.status)?;
                Ok(ArticleWrite {
                    new_version: Some((input.content, summary)),
                    status,
                    publish: false,
                    log: (EDITED.to_owned(), None),
                    actor: actor.user_id(),
                    now,
                })
            })
            .await
            .map(Article::from_record)
            .map_err(|e| match e {
                AppError::NotFound { .. } => AppError::NotFound { what: "article" },
                other => other,
            })
    }

    /// Restores an old version: a new version with its content, as a draft.
    pub async fn restore_article(
        &self,
        actor: &Actor,
        id: ArticleId,
        version: i64,
    ) -> Result<Article, AppError> {
        permit(actor, Some(Resource::Knowledge), Access::Write)?;
        knowledge::may_edit(actor)?;
        // The article first: another tenant's answers as a missing one, whatever its versions.
        self.staff_article(actor, id).await?;
        let old = self
            .store
            .article_version(id, version)
            .await
            .map_err(no_such_version(version))?;
        let restore = Restore { from: version };
        let now = self.now();
        self.store
            .update_article(actor.tenant_id, id, |current| {
                let status = knowledge::status_after_edit(current.status)?;
                Ok(ArticleWrite {
                    new_version: Some((old.content, restore.change_note())),
                    status,
                    publish: false,
                    log: (RESTORED.to_owned(), Some(restore.log_comment())),
                    actor: actor.user_id(),
                    now,
                })
            })
            .await
            .map(Article::from_record)
    }

    /// Moves an article through its workflow: submit, publish, return, retire.
    pub async fn article_action(
        &self,
        actor: &Actor,
        id: ArticleId,
        action: ArticleAction,
        comment: Option<String>,
    ) -> Result<Article, AppError> {
        permit(actor, Some(Resource::Knowledge), Access::Write)?;
        knowledge::may_edit(actor)?;
        let comment = comment
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .map(|c| spoc_domain::text::Reason::parse_as("comment", &c).map(|r| r.into_string()))
            .transpose()?;
        if action == ArticleAction::Return && comment.is_none() {
            return Err(ValidationError::new("comment", "say what must change").into());
        }
        let now = self.now();
        let article = self
            .store
            .update_article(actor.tenant_id, id, |current| {
                let status = knowledge::decide_article(current.status, action, actor)
                    .map_err(workflow_error)?;
                Ok(ArticleWrite {
                    new_version: None,
                    status,
                    publish: action == ArticleAction::Publish,
                    log: (action.as_str().to_owned(), comment),
                    actor: actor.user_id(),
                    now,
                })
            })
            .await
            .map(Article::from_record)
            .map_err(|e| match e {
                AppError::NotFound { .. } => AppError::NotFound { what: "article" },
                other => other,
            })?;
        if matches!(action, ArticleAction::Publish | ArticleAction::Retire) {
            self.audit(
                actor,
                AuditAction::ArticleGoverned {
                    step: action.as_str(),
                },
                AuditTarget::Article(id),
            )
            .await?;
        }
        Ok(article)
    }

    /// Lists and searches the articles the actor may read. Customers get only published,
    /// customer-facing articles, searched in their published text.
    pub async fn list_articles(
        &self,
        actor: &Actor,
        filter: ArticleFilter,
    ) -> Result<(Vec<Article>, i64), AppError> {
        permit(actor, Some(Resource::Knowledge), Access::Read)?;
        let customers_only = !actor.is_staff();
        let query = ArticleQuery {
            customers_only,
            status: if customers_only { None } else { filter.status },
            kind: filter.kind,
            audience: if customers_only {
                None
            } else {
                filter.audience
            },
            category: filter.category,
            search: filter.q.as_deref().and_then(SearchText::parse),
            limit: filter.limit.unwrap_or(50),
            offset: filter.offset.unwrap_or(0),
        };
        if let Some(limit) = filter.limit
            && !(1..=200).contains(&limit)
        {
            return Err(ValidationError::new("limit", "must be between 1 and 200").into());
        }
        let (records, total) = self.store.list_articles(actor.tenant_id, &query).await?;
        Ok((
            records.into_iter().map(|r| for_reader(actor, r)).collect(),
            total,
        ))
    }

    /// Every version of an article (staff only).
    pub async fn article_versions(
        &self,
        actor: &Actor,
        id: ArticleId,
    ) -> Result<(Vec<ArticleVersion>, Vec<LogEntry>), AppError> {
        permit(actor, Some(Resource::Knowledge), Access::Read)?;
        let log = self.document_history(actor, id.into()).await?;
        let versions = self.store.article_versions(id).await?;
        Ok((
            versions
                .into_iter()
                .map(ArticleVersion::from_record)
                .collect(),
            log,
        ))
    }

    /// One version of an article (staff only).
    pub async fn article_version(
        &self,
        actor: &Actor,
        id: ArticleId,
        version: i64,
    ) -> Result<ArticleVersion, AppError> {
        permit(actor, Some(Resource::Knowledge), Access::Read)?;
        self.staff_article(actor, id).await?;
        self.store
            .article_version(id, version)
            .await
            .map(ArticleVersion::from_record)
            .map_err(not_found("version"))
    }

    /// The line diff between two versions of an article (staff only).
    pub async fn article_diff(
        &self,
        actor: &Actor,
        id: ArticleId,
        from: i64,
        to: i64,
    ) -> Result<Vec<SectionDiff>, AppError> {
        permit(actor, Some(Resource::Knowledge), Access::Read)?;
        let old = self.article_version(actor, id, from).await?;
        let new = self.article_version(actor, id, to).await?;
        Ok(diff_versions(&old, &new))
    }

    /// Records whether an article helped the actor (one vote each; a new vote replaces it).
    pub async fn article_feedback(
        &self,
        actor: &Actor,
        id: ArticleId,
        helpful: bool,
    ) -> Result<Article, AppError> {
        permit(actor, Some(Resource::Knowledge), Access::Write)?;
        let view = self.get_article(actor, id).await?;
        if view.article.from_provider {
            // The provider's counts are its own people's; another tenant's votes are not kept.
            return Err(AppError::Conflict(
                "feedback on an article the provider shares is not recorded".to_owned(),
            ));
        }
        let record = self
            .store
            .set_article_feedback(actor.tenant_id, id, actor.person()?, helpful, self.now())
            .await?;
        Ok(for_reader(actor, record))
    }

    /// Attaches a published article to a ticket as used to resolve it (once per ticket), with
    /// an event in the ticket's history. Staff only.
    pub async fn link_article(
        &self,
        actor: &Actor,
        ticket: TicketId,
        article: ArticleId,
    ) -> Result<Article, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Write)?;
        actor.may_edit()?;
        self.get_ticket(actor, ticket).await?;
        let record = self
            .store
            .get_readable_article(actor.tenant_id, article)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => AppError::from(ValidationError::new(
                    "article_id",
                    format!("there is no article {article}"),
                )),
                other => other.into(),
            })?;
        if record.published_version.is_none() || record.status == ArticleStatus::Retired {
            return Err(ValidationError::new(
                "article_id",
                "only a published article can be recorded as used to resolve a ticket",
            )
            .into());
        }
        let already = self.store.ticket_articles(actor.tenant_id, ticket).await?;
        if already.iter().any(|a| a.id == article) {
            return Ok(for_reader(actor, record));
        }
        let title = for_reader(actor, record).title;
        self.store
            .update_ticket_annex(
                ticket,
                actor.tenant_id.into(),
                Some(actor.principal),
                self.now(),
                |t, _| {
                    if !actor.can_see(t) {
                        return Err(AppError::NotFound { what: "ticket" });
                    }
                    Ok::<_, AppError>(Some(AnnexChange {
                        events: vec![EventData::ArticleLinked {
                            article_id: article.get(),
                            title,
                        }],
                        sop: None,
                        article_use: Some(article.get()),
                    }))
                },
            )
            .await?;
        let record = self
            .store
            .get_readable_article(actor.tenant_id, article)
            .await?;
        Ok(for_reader(actor, record))
    }

    /// The articles used to resolve a ticket the actor may see (staff only; customers get none).
    pub async fn ticket_articles(
        &self,
        actor: &Actor,
        ticket: TicketId,
    ) -> Result<Vec<Article>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        self.get_ticket(actor, ticket).await?;
        if !actor.is_staff() {
            return Ok(Vec::new());
        }
        let articles = self.store.ticket_articles(actor.tenant_id, ticket).await?;
        Ok(articles.into_iter().map(|r| for_reader(actor, r)).collect())
    }

    /// Published, customer-facing articles matching what someone is typing, best first, with
    /// their published version. The same for every reader: suggestions are what the portal
    /// offers.
    pub async fn suggest_articles(
        &self,
        actor: &Actor,
        q: &str,
        limit: i64,
    ) -> Result<Vec<ArticleView>, AppError> {
        permit(actor, Some(Resource::Knowledge), Access::Read)?;
        let Some(search) = SearchText::parse(q) else {
            return Ok(Vec::new());
        };
        let mut views = Vec::new();
        for record in self
            .store
            .suggest_articles(actor.tenant_id, &search, limit)
            .await?
        {
            let Some(published) = record.published_version else {
                continue;
            };
            let foreign = record.tenant_id != actor.tenant_id;
            let version = self.store.article_version(record.id, published).await?;
            let mut article = if foreign {
                for_reader(actor, record)
            } else {
                Article::from_record(record)
            };
            article.title = version.content.title.clone();
            let version = ArticleVersion::from_record(version);
            views.push(ArticleView {
                article,
                version: if foreign {
                    foreign_version(version)
                } else {
                    version
                },
            });
        }
        Ok(views)
    }

    /// "This solved my problem": the portal session ends without a ticket, and is counted —
    /// once per person and article within half an hour (a second click is the same session).
    pub async fn deflect(
        &self,
        actor: &Actor,
        article: ArticleId,
        query: &str,
    ) -> Result<(), AppError> {
        permit(actor, Some(Resource::Knowledge), Access::Write)?;
        let record = self
            .store
            .get_readable_article(actor.tenant_id, article)
            .await
            .map_err(article_not_found)?;
        if !record.visibility().customers_may_read() {
            return Err(AppError::NotFound { what: "article" });
        }
        let query: String = query.trim().chars().take(500).collect();
        self.store
            .record_deflection(
                actor.tenant_id,
                actor.person()?,
                article,
                &query,
                self.now(),
                30 * 60 * 1_000_000,
            )
            .await?;
        Ok(())
    }

    /// The self-service resolution rate over `[from, until)` (staff only).
    pub async fn self_service_report(
        &self,
        actor: &Actor,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<SelfServiceReport, AppError> {
        permit(actor, Some(Resource::Knowledge), Access::Read)?;
        if !actor.is_staff() {
            return Err(AppError::Forbidden("only staff see reports".to_owned()));
        }
        let (deflected, tickets) = self
            .store
            .self_service_counts(actor.tenant_id, from, until)
            .await?;
        Ok(SelfServiceReport {
            rate: metrics::self_service_rate(deflected, tickets),
            by_article: self
                .store
                .deflections_by_article(actor.tenant_id, from, until)
                .await?,
        })
    }
}

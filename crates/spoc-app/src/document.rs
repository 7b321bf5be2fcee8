//! The controlled-document use cases knowledge articles and SOPs share: the workflow history,
//! comparing two versions, and what a restore reads first. Each kind authorises through
//! `permit` with its own resource, and staff alone see a document's history.

use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::document::{DocumentId, DocumentKind, LogEntry, SectionDiff, Sections, Versioned};
use spoc_domain::{ArticleId, ValidationError, document};
use spoc_store::{ArticleRecord, StoreError};

use crate::auth::permit;
use crate::error::not_found;
use crate::{App, AppError};

/// The credential resource a kind of document belongs to.
pub(crate) const fn resource(kind: DocumentKind) -> Resource {
    match kind {
        DocumentKind::Article => Resource::Knowledge,
        DocumentKind::Sop => Resource::Sops,
    }
}

/// The version a restore names does not exist: a mistake in the request, said as such.
pub(crate) fn no_such_version(version: i64) -> impl Fn(StoreError) -> AppError {
    move |error| match error {
        StoreError::NotFound => {
            ValidationError::new("version", format!("there is no version {version}")).into()
        }
        other => AppError::from(other),
    }
}

/// The section-by-section diff from one version to another, of any kind.
pub fn diff_versions<V>(old: &V, new: &V) -> Vec<SectionDiff>
where
    V: Versioned,
    V::Content: Sections,
{
    document::diff_sections(old.content(), new.content())
}

impl App {
    /// A document's workflow log, oldest first: who moved which version, how, and why (staff
    /// only; anyone else learns nothing, not even that it exists — articles a customer may
    /// read say so).
    pub async fn document_history(
        &self,
        actor: &Actor,
        document: DocumentId,
    ) -> Result<Vec<LogEntry>, AppError> {
        permit(actor, Some(resource(document.kind())), Access::Read)?;
        match document {
            DocumentId::Article(id) => {
                self.staff_article(actor, id).await?;
            }
            DocumentId::Sop(id) => {
                if !actor.is_staff() {
                    return Err(AppError::NotFound { what: "SOP" });
                }
                self.store
                    .get_sop(actor.tenant_id, id)
                    .await
                    .map_err(not_found("SOP"))?;
            }
        }
        Ok(self.store.document_log(document).await?)
    }

    /// An article for staff only: a customer learns it exists only if they may read it.
    pub(crate) async fn staff_article(
        &self,
        actor: &Actor,
        id: ArticleId,
    ) -> Result<ArticleRecord, AppError> {
        let record = self
            .store
            .get_article(actor.tenant_id, id)
            .await
            .map_err(not_found("article"))?;
        if !actor.is_staff() {
            return Err(if record.visibility().customers_may_read() {
                AppError::Forbidden("only agents see an article's versions".to_owned())
            } else {
                AppError::NotFound { what: "article" }
            });
        }
        Ok(record)
    }
}

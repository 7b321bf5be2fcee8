//! Knowledge articles: how-tos, FAQs and known errors, their audience, their review workflow
//! (draft → review → published → retired), the content of one version, who may see them, and
//! line diffs between versions.
//!
//! Every edit is a new version; the article's status belongs to its latest version, while
//! readers see the *published* version until a newer one is published. An article reaches
//! customers only when its latest and its published version are both meant for customers, so a
//! draft that narrows the audience takes effect at once and a draft that widens it waits for
//! publication.

use std::fmt;

use crate::access::Actor;
pub use crate::document::{DiffLine, SectionDiff, diff_lines};
use crate::document::{Sections, diff_sections};
use crate::text::{ValidationError, checked};
use crate::ticket::name_enum;

name_enum!(
    /// What sort of article.
    ArticleKind, "kind" {
        /// Step-by-step instructions.
        HowTo => "how_to",
        /// A question and its answer.
        Faq => "faq",
        /// A fault with a known symptom, cause and workaround.
        KnownError => "known_error",
    }
);

name_enum!(
    /// Who an article is written for.
    Audience, "audience" {
        /// Staff only: internal procedures, diagnostics, workarounds not safe for end users.
        Agents => "agents",
        /// Everyone, in the portal too.
        Customers => "customers",
    }
);

name_enum!(
    /// Where the latest version of an article is in its review.
    ArticleStatus, "status" {
        /// Being written; not yet proposed.
        Draft => "draft",
        /// Proposed for publication; waiting for a lead.
        Review => "review",
        /// The latest version is the published one.
        Published => "published",
        /// Withdrawn; read-only, seen by nobody but staff.
        Retired => "retired",
    }
);

name_enum!(
    /// The workflow actions on an article, as named in the API (`/actions/{action}`).
    ArticleAction, "action" {
        /// Propose the latest version for publication.
        Submit => "submit",
        /// Publish the latest version.
        Publish => "publish",
        /// Send the latest version back to draft.
        Return => "return",
        /// Withdraw the article.
        Retire => "retire",
    }
);

impl ArticleKind {
    /// A label for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::HowTo => "How-to",
            Self::Faq => "FAQ",
            Self::KnownError => "Known error",
        }
    }
}

/// The content of one version of an article, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleContent {
    /// How-to, FAQ or known error.
    pub kind: ArticleKind,
    /// Agents only, or customers too.
    pub audience: Audience,
    /// One line, 1–200 characters.
    pub title: String,
    /// Markdown, up to 50,000 characters (rendered and sanitised on output).
    pub body: String,
    /// Known errors: what the user sees.
    pub symptom: Option<String>,
    /// Known errors: why it happens, when known.
    pub cause: Option<String>,
    /// Known errors: how to get going again.
    pub workaround: Option<String>,
    /// Known errors: the problem record it belongs to, once problems exist.
    pub problem_id: Option<i64>,
    /// The category it is filed under (the desk's category tree), if any; set after parsing,
    /// as only the application can check that the category exists.
    pub category_id: Option<crate::CategoryId>,
}

/// The longest article body, in characters.
pub const MAX_BODY_CHARS: usize = 50_000;

fn optional_text(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => checked(field, text, 1, max, true).map(Some),
    }
}

impl ArticleContent {
    /// Validates raw input. A known error needs a symptom and a workaround; other kinds need a
    /// body. `problem_id`, when given, must be a positive id.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        kind: ArticleKind,
        audience: Audience,
        title: &str,
        body: &str,
        symptom: Option<&str>,
        cause: Option<&str>,
        workaround: Option<&str>,
        problem_id: Option<i64>,
    ) -> Result<Self, ValidationError> {
        let title = checked("title", title, 1, 200, false)?;
        let body = if body.trim().is_empty() {
            String::new()
        } else {
            checked("body", body, 1, MAX_BODY_CHARS, true)?
        };
        let symptom = optional_text("symptom", symptom, 10_000)?;
        let cause = optional_text("cause", cause, 10_000)?;
        let workaround = optional_text("workaround", workaround, 10_000)?;
        if kind == ArticleKind::KnownError {
            if symptom.is_none() {
                return Err(ValidationError::new(
                    "symptom",
                    "a known error must describe the symptom",
                ));
            }
            if workaround.is_none() {
                return Err(ValidationError::new(
                    "workaround",
                    "a known error must give a workaround",
                ));
            }
        } else if body.is_empty() {
            return Err(ValidationError::new("body", "must not be empty"));
        }
        if problem_id.is_some_and(|id| id <= 0) {
            return Err(ValidationError::new(
                "problem_id",
                "must be the id of a problem record",
            ));
        }
        Ok(Self {
            kind,
            audience,
            title,
            body,
            symptom,
            cause,
            workaround,
            problem_id,
            category_id: None,
        })
    }

    /// The text the full-text index holds for this version.
    pub fn search_text(&self) -> String {
        [
            Some(self.body.as_str()),
            self.symptom.as_deref(),
            self.cause.as_deref(),
            self.workaround.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n")
    }
}

/// What an article's visibility depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArticleVisibility {
    /// The latest version's status.
    pub status: ArticleStatus,
    /// The latest version's audience.
    pub audience: Audience,
    /// The published version's audience, if a version is published.
    pub published_audience: Option<Audience>,
}

impl ArticleVisibility {
    /// Whether customers may read the article (its published version): it is published, not
    /// retired, and both its published and its latest version are meant for customers.
    pub fn customers_may_read(&self) -> bool {
        self.status != ArticleStatus::Retired
            && self.published_audience == Some(Audience::Customers)
            && self.audience == Audience::Customers
    }

    /// Whether `actor` may read the article at all. Staff read every article, drafts and
    /// retired ones included; customers only what [`Self::customers_may_read`] allows.
    pub fn readable_by(&self, actor: &Actor) -> bool {
        actor.is_staff() || self.customers_may_read()
    }
}

/// Whether `actor` may write new versions of articles: staff only.
pub fn may_edit(actor: &Actor) -> Result<(), crate::access::Denied> {
    if actor.is_staff() {
        Ok(())
    } else {
        Err(crate::access::Denied(
            "only agents can write knowledge articles",
        ))
    }
}

/// Whether `actor` may share a provider article with every tenant, or stop sharing it: the
/// provider's (tenant 1's) leads and admins, who govern its knowledge.
pub fn may_share(actor: &Actor) -> Result<(), crate::access::Denied> {
    if actor.tenant_id != crate::tenant::TenantId::FIRST {
        Err(crate::access::Denied(
            "only the provider shares articles with every tenant",
        ))
    } else if !actor.is_lead() {
        Err(crate::access::Denied(
            "only leads and admins can share articles with every tenant",
        ))
    } else {
        Ok(())
    }
}

/// Why a workflow action is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    /// The action does not apply in this status.
    #[error("an article that is {status} cannot be {action}; it allows: {allowed}")]
    NotNow {
        /// The status now.
        status: ArticleStatus,
        /// The action asked for, in the past tense.
        action: &'static str,
        /// What the status allows.
        allowed: String,
    },
    /// The actor's role may not take it.
    #[error("{0}")]
    Denied(&'static str),
}

/// The actions `status` allows, whoever asks.
pub fn allowed_article_actions(status: ArticleStatus) -> &'static [ArticleAction] {
    use ArticleAction::*;
    match status {
        ArticleStatus::Draft => &[Submit, Publish, Retire],
        ArticleStatus::Review => &[Publish, Return, Retire],
        ArticleStatus::Published => &[Retire],
        ArticleStatus::Retired => &[],
    }
}

fn past(action: ArticleAction) -> &'static str {
    match action {
        ArticleAction::Submit => "submitted",
        ArticleAction::Publish => "published",
        ArticleAction::Return => "returned to draft",
        ArticleAction::Retire => "retired",
    }
}

/// Decides a workflow action: the new status, or why not.
///
/// Any staff member submits a draft for review. Publishing, returning and retiring are editorial
/// decisions for leads and admins, so an agent's article reaches readers only after a second
/// person has looked at it.
pub fn decide_article(
    status: ArticleStatus,
    action: ArticleAction,
    actor: &Actor,
) -> Result<ArticleStatus, WorkflowError> {
    if !actor.is_staff() {
        return Err(WorkflowError::Denied(
            "only agents can change knowledge articles",
        ));
    }
    if !allowed_article_actions(status).contains(&action) {
        let allowed = allowed_article_actions(status)
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>();
        return Err(WorkflowError::NotNow {
            status,
            action: past(action),
            allowed: if allowed.is_empty() {
                "nothing".to_owned()
            } else {
                allowed.join(", ")
            },
        });
    }
    if action != ArticleAction::Submit && !actor.is_lead() {
        return Err(WorkflowError::Denied(
            "only leads and admins can publish, return or retire articles",
        ));
    }
    Ok(match action {
        ArticleAction::Submit => ArticleStatus::Review,
        ArticleAction::Publish => ArticleStatus::Published,
        ArticleAction::Return => ArticleStatus::Draft,
        ArticleAction::Retire => ArticleStatus::Retired,
    })
}

/// The status after an edit (a new version) of an article in `status`: editing starts a new
/// draft, whatever was there; a retired article is read-only.
pub fn status_after_edit(status: ArticleStatus) -> Result<ArticleStatus, ValidationError> {
    if status == ArticleStatus::Retired {
        return Err(ValidationError::new(
            "status",
            "a retired article is read-only",
        ));
    }
    Ok(ArticleStatus::Draft)
}

impl Sections for ArticleContent {
    fn sections(&self) -> Vec<(&'static str, String)> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            ("title", self.title.clone()),
            ("kind", self.kind.as_str().to_owned()),
            ("audience", self.audience.as_str().to_owned()),
            ("symptom", opt(&self.symptom)),
            ("cause", opt(&self.cause)),
            ("workaround", opt(&self.workaround)),
            ("body", self.body.clone()),
        ]
    }
}

/// Compares two versions of an article part by part; unchanged parts are left out.
pub fn diff_articles(old: &ArticleContent, new: &ArticleContent) -> Vec<SectionDiff> {
    diff_sections(old, new)
}

//! The wire types of SOPs: versions, governance, settings, reviews, outcomes.

use crate::document::LogEntryDto;
use serde::{Deserialize, Serialize};
use spoc_app::{Sop, SopSettings, SopVersion};
use spoc_domain::metrics::{DurationSummary, Outcomes, Ratio};
use spoc_domain::sop::{ReviewPolicy, SopContent, SopLink};
use spoc_domain::ticket::TicketKind;
use spoc_domain::{CategoryId, UserId};
use utoipa::{IntoParams, ToSchema};

use spoc_http::error::ApiError;
use spoc_http::params::time;

/// Where an SOP applies.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SopLinkDto {
    /// `incident` or `service_request`; absent for any kind.
    pub kind: Option<String>,
    /// A top-level category; absent for any.
    pub category_id: Option<i64>,
    /// A subcategory of `category_id`; absent for any.
    pub subcategory_id: Option<i64>,
}

impl From<&SopLink> for SopLinkDto {
    fn from(l: &SopLink) -> Self {
        Self {
            kind: l.kind.map(|k| k.as_str().to_owned()),
            category_id: l.category_id.map(CategoryId::get),
            subcategory_id: l.subcategory_id.map(CategoryId::get),
        }
    }
}

impl SopLinkDto {
    fn parse(&self) -> Result<SopLink, ApiError> {
        Ok(SopLink {
            kind: self.kind.as_deref().map(TicketKind::parse).transpose()?,
            category_id: self.category_id.map(CategoryId::new),
            subcategory_id: self.subcategory_id.map(CategoryId::new),
        })
    }
}

/// An SOP's document control.
#[derive(Debug, Serialize, ToSchema)]
pub struct SopSummaryDto {
    /// Id.
    pub id: i64,
    /// Stable key.
    pub key: String,
    /// Title of the latest version.
    pub title: String,
    /// The accountable owner.
    pub owner_id: i64,
    /// The subject-matter reviewer.
    pub reviewer_id: Option<i64>,
    /// The approver.
    pub approver_id: Option<i64>,
    /// The version in force.
    pub effective_version: Option<i64>,
    /// The newest version.
    pub latest_version: i64,
    /// The next scheduled review (RFC 3339).
    pub next_review_at: Option<String>,
    /// Months between scheduled reviews.
    pub review_interval_months: i64,
    /// Early review after this many SLA breaches within the window.
    pub breach_threshold: Option<i64>,
    /// Early review after this many reopenings within the window.
    pub reopen_threshold: Option<i64>,
    /// The trigger window in days.
    pub window_days: i64,
    /// Last change (RFC 3339).
    pub updated_at: String,
    /// The provider applies it in every tenant (only the provider's SOPs).
    pub provider_wide: bool,
    /// The provider's provider-wide SOP read from another tenant: its effective version,
    /// read-only.
    pub from_provider: bool,
}

impl From<&Sop> for SopSummaryDto {
    fn from(r: &Sop) -> Self {
        Self {
            id: r.id.get(),
            key: r.key.clone(),
            title: r.title.clone(),
            owner_id: r.owner_id.get(),
            reviewer_id: r.reviewer_id.map(UserId::get),
            approver_id: r.approver_id.map(UserId::get),
            effective_version: r.effective_version,
            latest_version: r.latest_version,
            next_review_at: r.next_review_at.map(time),
            review_interval_months: r.policy.interval_months,
            breach_threshold: r.policy.breach_threshold,
            reopen_threshold: r.policy.reopen_threshold,
            window_days: r.policy.window_days,
            updated_at: time(r.updated_at),
            provider_wide: r.provider_wide,
            from_provider: r.from_provider,
        }
    }
}

/// One version of an SOP, with its content.
#[derive(Debug, Serialize, ToSchema)]
pub struct SopVersionDto {
    /// 1, 2, …
    pub version: i64,
    /// `draft`, `submitted`, `checked`, `validated`, `effective`, `superseded` or `retired`.
    pub state: String,
    /// The procedure: `title`, `purpose`, `scope`, `trigger`, `roles` (`role`, `duty`),
    /// `inputs`, `steps` (`key`, `text`, optional `answer` {`label`, `options`}), `decisions`
    /// (`key`, `after_step`, `question`, `options` [{`answer`, `then`}]), `exceptions` (`key`,
    /// `when`, `threshold`, `action`, `follow_sop`), `escalations` (`key`, `when`, `level`
    /// functional|hierarchical, `group`, `reason`), `checks` (`key`, `text`, `requires`:
    /// {`kind`:"field","field":…} | {`kind`:"priority_rationale"} | {`kind`:"step","step":…} |
    /// {`kind`:"answer","step":…,"one_of":[…]}), `references` (`title`, `location`).
    #[schema(value_type = Object)]
    pub content: SopContent,
    /// What changed.
    pub change_summary: String,
    /// Who wrote it (absent: imported).
    pub author_id: Option<i64>,
    /// Written (RFC 3339).
    pub created_at: String,
    /// Became effective (RFC 3339).
    pub effective_at: Option<String>,
    /// Stopped being effective (RFC 3339).
    pub superseded_at: Option<String>,
}

impl From<SopVersion> for SopVersionDto {
    fn from(v: SopVersion) -> Self {
        Self {
            version: v.version,
            state: v.state.as_str().to_owned(),
            content: v.content,
            change_summary: v.change_summary,
            author_id: v.author_id.map(UserId::get),
            created_at: time(v.created_at),
            effective_at: v.effective_at.map(time),
            superseded_at: v.superseded_at.map(time),
        }
    }
}

/// A review, due or called for.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewDto {
    /// Id.
    pub id: i64,
    /// The SOP.
    pub sop_id: i64,
    /// `scheduled`, `sla_breaches` or `reopenings`.
    pub cause: String,
    /// Open (not yet addressed).
    pub open: bool,
    /// Scheduled reviews: the date (RFC 3339).
    pub due_at: Option<String>,
    /// Opened (RFC 3339).
    pub created_at: String,
    /// Closed (RFC 3339).
    pub closed_at: Option<String>,
    /// The owner's note, or how it was addressed.
    pub note: Option<String>,
    /// The tickets whose signals called for it.
    pub ticket_ids: Vec<i64>,
}

impl From<&spoc_app::SopReview> for ReviewDto {
    fn from(r: &spoc_app::SopReview) -> Self {
        Self {
            id: r.id.get(),
            sop_id: r.sop_id.get(),
            cause: r.cause.as_str().to_owned(),
            open: r.open,
            due_at: r.due_at.map(time),
            created_at: time(r.created_at),
            closed_at: r.closed_at.map(time),
            note: r.note.clone(),
            ticket_ids: r.tickets.iter().map(|t| t.get()).collect(),
        }
    }
}

/// An SOP with its versions (without content), governance log, links and reviews.
#[derive(Debug, Serialize, ToSchema)]
pub struct SopDto {
    /// Document control.
    #[serde(flatten)]
    pub summary: SopSummaryDto,
    /// Where it applies.
    pub links: Vec<SopLinkDto>,
    /// Every version, oldest first (content at `/versions/{version}`).
    pub versions: Vec<SopVersionSummaryDto>,
    /// Who did each governance step, and when.
    pub log: Vec<LogEntryDto>,
    /// Its reviews, newest first.
    pub reviews: Vec<ReviewDto>,
}

/// A version without its content.
#[derive(Debug, Serialize, ToSchema)]
pub struct SopVersionSummaryDto {
    /// 1, 2, …
    pub version: i64,
    /// Its state.
    pub state: String,
    /// Its title.
    pub title: String,
    /// What changed.
    pub change_summary: String,
    /// Who wrote it.
    pub author_id: Option<i64>,
    /// Written (RFC 3339).
    pub created_at: String,
    /// Became effective (RFC 3339).
    pub effective_at: Option<String>,
}

/// A new SOP.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SopInputDto {
    /// Stable key: lower-case letters, digits and `-`.
    pub key: String,
    /// The procedure (see `SopVersionDto.content`).
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    /// What this version is.
    pub change_summary: String,
    /// Document control.
    #[serde(flatten)]
    pub settings: SopSettingsDto,
}

/// An SOP's document control.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SopSettingsDto {
    /// The accountable owner (staff).
    pub owner_id: i64,
    /// The subject-matter reviewer (staff).
    pub reviewer_id: Option<i64>,
    /// The approver (a lead or admin, not the reviewer).
    pub approver_id: Option<i64>,
    /// Months between scheduled reviews, 1–24 (default 6).
    #[schema(schema_with = crate::schema::review_interval_months)]
    pub review_interval_months: Option<i64>,
    /// Early review after this many SLA breaches in the window (absent: none).
    #[schema(schema_with = crate::schema::review_threshold)]
    pub breach_threshold: Option<i64>,
    /// Early review after this many reopenings in the window (absent: none).
    #[schema(schema_with = crate::schema::review_threshold)]
    pub reopen_threshold: Option<i64>,
    /// The window in days, 1–365 (default 30).
    #[schema(schema_with = crate::schema::review_window_days)]
    pub window_days: Option<i64>,
    /// Where it applies.
    #[serde(default)]
    pub links: Vec<SopLinkDto>,
}

impl SopSettingsDto {
    pub(crate) fn parse(&self) -> Result<SopSettings, ApiError> {
        Ok(SopSettings {
            owner_id: UserId::new(self.owner_id),
            reviewer_id: self.reviewer_id.map(UserId::new),
            approver_id: self.approver_id.map(UserId::new),
            policy: ReviewPolicy {
                interval_months: self
                    .review_interval_months
                    .unwrap_or(ReviewPolicy::DEFAULT.interval_months),
                breach_threshold: self.breach_threshold,
                reopen_threshold: self.reopen_threshold,
                window_days: self
                    .window_days
                    .unwrap_or(ReviewPolicy::DEFAULT.window_days),
            },
            links: self
                .links
                .iter()
                .map(SopLinkDto::parse)
                .collect::<Result<_, _>>()?,
        })
    }
}

/// A new (or revised draft) version.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SopDraftDto {
    /// The procedure (see `SopVersionDto.content`).
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    /// What changed and why.
    pub change_summary: String,
    /// The latest version the edit started from; a later change is a conflict.
    pub version: Option<i64>,
}

/// A review's conclusion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewNoteDto {
    /// What the owner concluded (e.g. "still accurate", "revision drafted as version 3").
    #[schema(schema_with = crate::schema::reason)]
    pub note: String,
}

/// A scheduled review that is upcoming or overdue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduledReviewDto {
    /// The SOP.
    pub sop_id: i64,
    /// Its title.
    pub title: String,
    /// Its owner.
    pub owner_id: i64,
    /// The date (RFC 3339).
    pub next_review_at: Option<String>,
    /// `upcoming` or `overdue`.
    pub due: String,
}

/// Open reviews and scheduled ones that are near or past.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewListingDto {
    /// Open reviews, newest first.
    pub open: Vec<ReviewDto>,
    /// Upcoming and overdue scheduled reviews, soonest first.
    pub scheduled: Vec<ScheduledReviewDto>,
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportDto {
    /// Keys imported (as drafts).
    pub created: Vec<String>,
    /// Keys that already existed.
    pub skipped: Vec<String>,
    /// Links left out because their category does not exist.
    pub unlinked: Vec<String>,
}

/// A checklist change: tick or untick a step, or record an answer (which also ticks it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistChangeDto {
    /// The step's key.
    pub step: String,
    /// Tick (`true`) or untick (`false`).
    pub done: Option<bool>,
    /// The answer to record.
    pub answer: Option<String>,
}

/// A share.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatioDto {
    /// How many qualify.
    pub count: i64,
    /// Out of how many.
    pub of: i64,
    /// In percent; absent when there is nothing to count.
    pub percent: Option<f64>,
}

impl From<Ratio> for RatioDto {
    fn from(r: Ratio) -> Self {
        Self {
            count: r.numerator,
            of: r.denominator,
            percent: r.percent(),
        }
    }
}

/// Durations in seconds.
#[derive(Debug, Serialize, ToSchema)]
pub struct DurationSummaryDto {
    /// How many.
    pub count: i64,
    /// Mean.
    pub mean_seconds: Option<i64>,
    /// Median.
    pub median_seconds: Option<i64>,
    /// 90th percentile (nearest rank).
    pub p90_seconds: Option<i64>,
}

impl From<DurationSummary> for DurationSummaryDto {
    fn from(d: DurationSummary) -> Self {
        let s = |v: Option<i64>| v.map(|m| m / 1_000_000);
        Self {
            count: d.n,
            mean_seconds: s(d.mean),
            median_seconds: s(d.median),
            p90_seconds: s(d.p90),
        }
    }
}

/// Outcomes of the tickets handled under one SOP version (`domain.md` §7).
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeMetricsDto {
    /// Tickets handled under it.
    pub tickets: i64,
    /// Of them, resolved.
    pub resolved: i64,
    /// First contact resolution, of resolved tickets.
    pub first_contact_resolution: RatioDto,
    /// First-response targets met, of those decided.
    pub sla_response: RatioDto,
    /// Resolution targets met, of those decided.
    pub sla_resolution: RatioDto,
    /// Time to resolution, elapsed.
    pub mttr_elapsed: DurationSummaryDto,
    /// Time to resolution on the SLA clock (business time, pauses excluded).
    pub mttr_business: DurationSummaryDto,
    /// Tickets reassigned at least once.
    pub reassignment_rate: RatioDto,
    /// Reassignments per ticket.
    pub mean_reassignments: Option<f64>,
    /// Resolved tickets reopened at least once.
    pub reopen_rate: RatioDto,
}

impl From<Outcomes> for OutcomeMetricsDto {
    fn from(o: Outcomes) -> Self {
        Self {
            tickets: o.n_tickets,
            resolved: o.n_resolved,
            first_contact_resolution: o.first_contact_resolution.into(),
            sla_response: o.sla_response.into(),
            sla_resolution: o.sla_resolution.into(),
            mttr_elapsed: o.time_to_resolution.into(),
            mttr_business: o.business_time_to_resolution.into(),
            reassignment_rate: o.reassigned.into(),
            mean_reassignments: o.mean_reassignments,
            reopen_rate: o.reopened.into(),
        }
    }
}

/// One SOP version's outcomes beside the previous version's.
#[derive(Debug, Serialize, ToSchema)]
pub struct SopOutcomeDto {
    /// The SOP.
    pub sop_id: i64,
    /// The version's title.
    pub title: String,
    /// The version.
    pub version: i64,
    /// Its state.
    pub state: String,
    /// Became effective (RFC 3339).
    pub effective_at: Option<String>,
    /// The tickets handled under it.
    pub ticket_ids: Vec<i64>,
    /// Their outcomes.
    pub outcomes: OutcomeMetricsDto,
    /// The previous effective version of the same SOP, for comparison.
    pub previous_version: Option<i64>,
    /// Its outcomes.
    pub previous_outcomes: Option<OutcomeMetricsDto>,
}

/// Which SOP.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutcomeParams {
    /// Only this SOP.
    pub sop_id: Option<i64>,
    /// The tenant whose report it is (the provider's leads and admins; default: the caller's).
    #[param(minimum = 1)]
    pub tenant_id: Option<i64>,
}

//! The seed procedures that ship with Spoc: embedded, validated, and imported as drafts on a
//! fresh desk and by `spoc sop import`. A link naming a category the desk does not have waits
//! in `sop_pending_links` and is made when that category is created.

use spoc_domain::access::Actor;
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::credential::{Access, Resource};
use spoc_domain::sop::{ReviewPolicy, SopContent, SopLink};
use spoc_domain::ticket::TicketKind;
use spoc_domain::{CategoryId, TenantId, UserId};
use spoc_store::{CategoryRecord, NewSop, PendingSopLink, StoreError};

use crate::auth::permit;
use crate::{App, AppError};

/// What an import did.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    /// Keys imported.
    pub created: Vec<String>,
    /// Keys that already existed (left as they are).
    pub skipped: Vec<String>,
    /// Links left out because their category does not exist: `key: Category / Subcategory`.
    pub unlinked: Vec<String>,
}

/// A seed SOP as shipped: document control defaults, links by category name, and the content.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSop {
    /// Stable key.
    pub key: String,
    /// Months between reviews.
    pub review_interval_months: i64,
    /// Early review after this many SLA breaches in the window.
    #[serde(default)]
    pub breach_threshold: Option<i64>,
    /// Early review after this many reopenings in the window.
    #[serde(default)]
    pub reopen_threshold: Option<i64>,
    /// The window, in days.
    pub window_days: i64,
    /// Where it applies.
    #[serde(default)]
    pub links: Vec<SeedLink>,
    /// Version 1.
    pub content: SopContent,
}

/// A link by names.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedLink {
    /// `incident` or `service_request`.
    #[serde(default)]
    pub kind: Option<String>,
    /// A top-level category's name.
    #[serde(default)]
    pub category: Option<String>,
    /// A subcategory's name under `category`.
    #[serde(default)]
    pub subcategory: Option<String>,
}

/// The seed procedures that ship with Spoc, as (file name, TOML text).
const SEEDS: [(&str, &str); 8] = [
    (
        "incident-logging.toml",
        include_str!("../seeds/sops/incident-logging.toml"),
    ),
    (
        "priority-triage.toml",
        include_str!("../seeds/sops/priority-triage.toml"),
    ),
    (
        "password-reset.toml",
        include_str!("../seeds/sops/password-reset.toml"),
    ),
    (
        "access-request.toml",
        include_str!("../seeds/sops/access-request.toml"),
    ),
    (
        "escalation.toml",
        include_str!("../seeds/sops/escalation.toml"),
    ),
    (
        "major-incident-communication.toml",
        include_str!("../seeds/sops/major-incident-communication.toml"),
    ),
    (
        "ticket-closure.toml",
        include_str!("../seeds/sops/ticket-closure.toml"),
    ),
    (
        "knowledge-update.toml",
        include_str!("../seeds/sops/knowledge-update.toml"),
    ),
];

/// Parses and validates every seed SOP.
pub fn seed_sops() -> Result<Vec<SeedSop>, String> {
    SEEDS
        .iter()
        .map(|(name, text)| {
            let seed: SeedSop = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
            seed.content
                .validate()
                .map_err(|e| format!("{name}: {e}"))?;
            let policy = ReviewPolicy {
                interval_months: seed.review_interval_months,
                breach_threshold: seed.breach_threshold,
                reopen_threshold: seed.reopen_threshold,
                window_days: seed.window_days,
            };
            policy.validate().map_err(|e| format!("{name}: {e}"))?;
            if let Some(link) = seed.links.iter().find(|l| {
                l.kind
                    .as_deref()
                    .is_some_and(|k| TicketKind::parse(k).is_err())
                    || (l.subcategory.is_some() && l.category.is_none())
            }) {
                return Err(format!("{name}: bad link {link:?}"));
            }
            Ok(seed)
        })
        .collect()
}

impl App {
    /// Imports the seed SOPs that ship with Spoc, as drafts owned by `owner`: a desk adopts a
    /// procedure by taking it through its own governance. SOPs whose key exists are left as
    /// they are; links to categories that do not exist are left out (and reported). `actor`
    /// `None` is the first start; otherwise admins only.
    pub async fn import_seed_sops(
        &self,
        tenant: TenantId,
        actor: Option<&Actor>,
        owner: UserId,
    ) -> Result<ImportReport, AppError> {
        if let Some(actor) = actor {
            permit(actor, Some(Resource::Sops), Access::Write)?;
            actor.may_administer()?;
        }
        let seeds = seed_sops().map_err(|e| AppError::Internal(StoreError::Corrupt(e)))?;
        let categories = self.store.list_categories(tenant).await?;
        let mut report = ImportReport::default();
        for seed in seeds {
            if self
                .store
                .find_sop_by_key(tenant, &seed.key)
                .await?
                .is_some()
            {
                report.skipped.push(seed.key);
                continue;
            }
            let mut links = Vec::new();
            let mut pending = Vec::new();
            for link in &seed.links {
                let kind = link.kind.as_deref().map(TicketKind::parse).transpose()?;
                let Some(name) = &link.category else {
                    links.push(SopLink {
                        kind,
                        category_id: None,
                        subcategory_id: None,
                    });
                    continue;
                };
                let wanted = PendingSopLink {
                    kind,
                    category: name.clone(),
                    subcategory: link.subcategory.clone(),
                };
                match link_by_name(&categories, &wanted) {
                    Some(found) => links.push(found),
                    None => {
                        report.unlinked.push(match &wanted.subcategory {
                            Some(sub) => format!("{}: {name} / {sub}", seed.key),
                            None => format!("{}: {name}", seed.key),
                        });
                        pending.push(wanted);
                    }
                }
            }
            let created = self
                .store
                .create_sop(&NewSop {
                    key: seed.key.clone(),
                    change_summary: "Imported from the procedures that ship with Spoc".to_owned(),
                    content: seed.content,
                    owner_id: owner,
                    reviewer_id: None,
                    approver_id: None,
                    policy: ReviewPolicy {
                        interval_months: seed.review_interval_months,
                        breach_threshold: seed.breach_threshold,
                        reopen_threshold: seed.reopen_threshold,
                        window_days: seed.window_days,
                    },
                    links,
                    author_id: None,
                    now: self.now(),
                })
                .await;
            match created {
                Ok(sop) => {
                    // Kept by name until the desk has those categories (a fresh desk has none).
                    self.store
                        .add_pending_sop_links(sop.id.get(), &pending, self.now())
                        .await?;
                    report.created.push(seed.key);
                }
                Err(StoreError::Conflict { unique: true, .. }) => report.skipped.push(seed.key),
                Err(e) => return Err(e.into()),
            }
        }
        self.link_pending_sops(tenant).await?;
        if let Some(actor) = actor {
            self.audit(
                actor,
                AuditAction::SopsImported {
                    added: report.created.len() as u64,
                },
                AuditTarget::Settings,
            )
            .await?;
        }
        Ok(report)
    }

    /// Turns the SOP links waiting for categories into real links where categories of those
    /// names now exist. Runs after an import and whenever a category is created or renamed.
    pub(crate) async fn link_pending_sops(&self, tenant: TenantId) -> Result<usize, AppError> {
        let pending = self.store.pending_sop_links(tenant).await?;
        if pending.is_empty() {
            return Ok(0);
        }
        let categories = self.store.list_categories(tenant).await?;
        let resolved: Vec<(i64, SopLink)> = pending
            .iter()
            .filter_map(|p| link_by_name(&categories, &p.link).map(|link| (p.id, link)))
            .collect();
        let linked = self
            .store
            .resolve_pending_sop_links(tenant, &resolved)
            .await?;
        if linked > 0 {
            tracing::info!(linked, "SOP links waiting for their categories were made");
        }
        Ok(linked)
    }
}

/// The link `wanted` names, if its category (and subcategory, under it) exist; names match
/// ignoring ASCII case, as category names are unique that way.
fn link_by_name(categories: &[CategoryRecord], wanted: &PendingSopLink) -> Option<SopLink> {
    let find = |name: &str, parent: Option<CategoryId>| {
        categories
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name) && c.parent_id == parent)
            .map(|c| c.id)
    };
    let category = find(&wanted.category, None)?;
    let subcategory = match &wanted.subcategory {
        Some(name) => Some(find(name, Some(category))?),
        None => None,
    };
    Some(SopLink {
        kind: wanted.kind,
        category_id: Some(category),
        subcategory_id: subcategory,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sop::{check_sop_key, nfc_content};

    /// Every seed SOP parses, validates, has every part a usable procedure needs, and refers
    /// only to SOPs that ship with it.
    #[test]
    fn every_seed_sop_is_complete_and_valid() {
        let seeds = seed_sops().unwrap();
        assert_eq!(seeds.len(), 8);
        let keys: Vec<&str> = seeds.iter().map(|s| s.key.as_str()).collect();
        for seed in &seeds {
            check_sop_key(&seed.key).unwrap();
            let c = &seed.content;
            assert!(!c.roles.is_empty(), "{}: roles", seed.key);
            assert!(!c.inputs.is_empty(), "{}: inputs", seed.key);
            assert!(c.steps.len() >= 5, "{}: steps", seed.key);
            assert!(!c.decisions.is_empty(), "{}: decisions", seed.key);
            assert!(
                (2..=3).contains(&c.exceptions.len()),
                "{}: top 2–3 exceptions",
                seed.key
            );
            assert!(!c.escalations.is_empty(), "{}: escalations", seed.key);
            assert!(!c.checks.is_empty(), "{}: quality checks", seed.key);
            assert!(!c.references.is_empty(), "{}: references", seed.key);
            for exception in &c.exceptions {
                if let Some(other) = &exception.follow_sop {
                    assert!(
                        keys.contains(&other.as_str()),
                        "{}: follows unknown SOP {other}",
                        seed.key
                    );
                }
            }
        }
        let reset = seeds.iter().find(|s| s.key == "password-reset").unwrap();
        let checks: Vec<&str> = reset
            .content
            .checks
            .iter()
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(
            checks,
            [
                "verification",
                "account-type",
                "reset-method",
                "user-confirmation"
            ]
        );
        let logging = seeds.iter().find(|s| s.key == "incident-logging").unwrap();
        let checks: Vec<&str> = logging
            .content
            .checks
            .iter()
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(
            checks,
            [
                "service",
                "category",
                "impact",
                "urgency",
                "priority-rationale",
                "customer-summary"
            ]
        );
    }

    #[test]
    fn sop_keys_are_slugs() {
        assert!(check_sop_key("password-reset").is_ok());
        for bad in ["", "Password", "a b", "a_b", &"x".repeat(65)] {
            assert!(check_sop_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sop_content_is_nfc_normalised() {
        let mut content = seed_sops().unwrap().remove(0).content;
        content.title = "Re\u{301}initialiser".to_owned();
        if let Some(step) = content.steps.first_mut() {
            step.text = "Ve\u{301}rifier l'appelant.".to_owned();
        }
        let normalised = nfc_content(&content).unwrap();
        assert_eq!(normalised.title, "R\u{e9}initialiser");
        assert_eq!(normalised.steps[0].text, "V\u{e9}rifier l'appelant.");
    }
}

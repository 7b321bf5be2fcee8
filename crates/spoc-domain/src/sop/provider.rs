//! Provider-wide SOPs: an SOP of the provider (tenant 1) that applies in every tenant. Categories
//! are each tenant's own, so the provider's links are carried over by category name.

use crate::CategoryId;
use crate::access::{Actor, Denied};
use crate::tenant::TenantId;
use crate::ticket::TicketKind;

use super::SopLink;

/// One link of a provider-wide SOP, by the names of its category and subcategory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedSopLink {
    /// Incident or service request.
    pub kind: Option<TicketKind>,
    /// The name of the linked category.
    pub category: Option<String>,
    /// The name of the linked subcategory.
    pub subcategory: Option<String>,
}

/// One of a tenant's categories: id, name and parent.
#[derive(Clone, Copy, Debug)]
pub struct TenantCategory<'a> {
    /// Id.
    pub id: CategoryId,
    /// Name.
    pub name: &'a str,
    /// The parent, for a subcategory.
    pub parent_id: Option<CategoryId>,
}

/// The form names are compared in: trimmed, lower case.
fn folded(name: &str) -> String {
    name.trim().to_lowercase()
}

impl NamedSopLink {
    /// The link as it applies in a tenant with `categories`: its category becomes every
    /// top-level category of the tenant with the same name (trimmed, case-insensitive), its
    /// subcategory the same-named subcategory under it. A link without a category, or whose
    /// names the tenant does not have, applies to nothing there.
    pub fn in_tenant(&self, categories: &[TenantCategory<'_>]) -> Vec<SopLink> {
        let Some(category) = &self.category else {
            return Vec::new();
        };
        let category = folded(category);
        let mut out = Vec::new();
        for parent in categories
            .iter()
            .filter(|c| c.parent_id.is_none() && folded(c.name) == category)
        {
            match &self.subcategory {
                None => out.push(SopLink {
                    kind: self.kind,
                    category_id: Some(parent.id),
                    subcategory_id: None,
                }),
                Some(sub) => {
                    let sub = folded(sub);
                    out.extend(
                        categories
                            .iter()
                            .filter(|c| c.parent_id == Some(parent.id) && folded(c.name) == sub)
                            .map(|c| SopLink {
                                kind: self.kind,
                                category_id: Some(parent.id),
                                subcategory_id: Some(c.id),
                            }),
                    );
                }
            }
        }
        out
    }
}

/// Whether `actor` may make one of the provider's SOPs provider-wide, or stop it being so: the
/// provider's (tenant 1's) leads and admins.
pub fn may_make_provider_wide(actor: &Actor) -> Result<(), Denied> {
    if actor.tenant_id != TenantId::FIRST {
        Err(Denied("only the provider makes SOPs provider-wide"))
    } else if !actor.is_lead() {
        Err(Denied("only leads and admins can make SOPs provider-wide"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(id: i64, name: &str, parent: Option<i64>) -> TenantCategory<'_> {
        TenantCategory {
            id: CategoryId::new(id),
            name,
            parent_id: parent.map(CategoryId::new),
        }
    }

    #[test]
    fn links_carry_over_by_trimmed_case_insensitive_name() {
        let categories = [
            cat(7, " Hardware ", None),
            cat(8, "Laptop", Some(7)),
            cat(9, "laptop", None),
        ];
        let link = NamedSopLink {
            kind: Some(TicketKind::Incident),
            category: Some("hardware".into()),
            subcategory: None,
        };
        assert_eq!(
            link.in_tenant(&categories),
            vec![SopLink {
                kind: Some(TicketKind::Incident),
                category_id: Some(CategoryId::new(7)),
                subcategory_id: None,
            }]
        );
        let sub = NamedSopLink {
            kind: None,
            category: Some("HARDWARE".into()),
            subcategory: Some("LAPTOP".into()),
        };
        assert_eq!(
            sub.in_tenant(&categories),
            vec![SopLink {
                kind: None,
                category_id: Some(CategoryId::new(7)),
                subcategory_id: Some(CategoryId::new(8)),
            }]
        );
        let missing = NamedSopLink {
            kind: None,
            category: Some("Network".into()),
            subcategory: None,
        };
        assert!(missing.in_tenant(&categories).is_empty());
        let any = NamedSopLink {
            kind: Some(TicketKind::Incident),
            category: None,
            subcategory: None,
        };
        assert!(any.in_tenant(&categories).is_empty());
    }
}

//! A tenant's own mail addresses, and how mail the provider receives finds its tenant.
//!
//! The provider (the first tenant) may run one shared mailbox — or its relay endpoint — that
//! receives the mail of many client tenants (`support@client-a.example` forwarded into it). Mail
//! received that way is routed: (1) a recipient (the envelope recipient, `Delivered-To`,
//! `X-Original-To`, `To`, `Cc`, in that order) that is a tenant's address → that tenant; (2) else
//! the sender's domain, when exactly one tenant has an organisation domain rule for it → that
//! tenant; (3) else the provider. Mail received through a client tenant's own mailbox stays in
//! that tenant. Only the provider's admins change a tenant's addresses (they decide where mail
//! lands); a tenant's own admins read theirs. Mail for a deactivated tenant stays with the
//! provider, where someone can read it.

use spoc_domain::access::Actor;
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::credential::{Access, Resource};
use spoc_domain::text::Email;
use spoc_domain::{TenantId, ValidationError};
use spoc_store::StoreError;

use crate::auth::permit;
use crate::tenants::is_provider_admin;
use crate::{App, AppError};

/// The most addresses one tenant has.
pub const MAX_TENANT_MAIL_ADDRESSES: usize = 20;

/// Where a message the provider received lands, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Routed {
    /// The tenant.
    pub(crate) tenant: TenantId,
    /// Why, for the inbound log; `None` when it stays with the provider for want of a match.
    pub(crate) why: Option<String>,
}

impl App {
    /// A tenant's mail addresses, the first being the one its tickets are answered from: for
    /// the provider's admins and the tenant's own admins; another tenant is not found.
    pub async fn tenant_mail_addresses(
        &self,
        actor: &Actor,
        tenant: TenantId,
    ) -> Result<Vec<String>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        self.may_see_tenant(actor, tenant)?;
        self.store
            .get_tenant(tenant)
            .await
            .map_err(crate::error::not_found("tenant"))?;
        Ok(self.store.tenant_mail_addresses(tenant).await?)
    }

    /// Replaces a tenant's mail addresses (the provider's admins): each an e-mail address, at
    /// most [`MAX_TENANT_MAIL_ADDRESSES`], none another tenant's address or mailbox. Written to
    /// the audit log.
    pub async fn set_tenant_mail_addresses(
        &self,
        actor: &Actor,
        tenant: TenantId,
        addresses: &[String],
    ) -> Result<Vec<String>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        self.may_see_tenant(actor, tenant)?;
        if !is_provider_admin(actor) {
            return Err(AppError::Forbidden(
                "only the provider's admins can change a tenant's mail addresses".to_owned(),
            ));
        }
        self.store
            .get_tenant(tenant)
            .await
            .map_err(crate::error::not_found("tenant"))?;
        let addresses = checked_addresses(addresses)?;
        let mailboxes = self.store.list_mailboxes_all_tenants().await?;
        if mailboxes.iter().any(|m| {
            m.tenant_id != tenant
                && addresses.contains(&spoc_domain::text::canonical_email(&m.address))
        }) {
            return Err(AppError::Duplicate(
                "another tenant's mailbox has this address".to_owned(),
            ));
        }
        self.store
            .set_tenant_mail_addresses(tenant, &addresses, self.now())
            .await
            .map_err(|e| match e {
                StoreError::Conflict { unique: true, .. } => {
                    AppError::Duplicate("another tenant has this mail address".to_owned())
                }
                StoreError::Conflict { .. } | StoreError::NotFound => {
                    AppError::NotFound { what: "tenant" }
                }
                other => other.into(),
            })?;
        self.audit(
            actor,
            AuditAction::TenantChanged {
                fields: vec!["mail_addresses"],
            },
            AuditTarget::Tenant(tenant),
        )
        .await?;
        Ok(addresses)
    }

    /// The tenant a message received by the provider lands in (see the module's comment).
    pub(crate) async fn route_received(
        &self,
        parsed: &spoc_mail::Inbound,
        envelope: Option<&str>,
    ) -> Result<Routed, AppError> {
        let mut recipients: Vec<String> = Vec::new();
        let mut add = |address: &str| {
            let address = spoc_domain::text::canonical_email(address);
            if !address.is_empty() && !recipients.contains(&address) {
                recipients.push(address);
            }
        };
        if let Some(envelope) = envelope {
            add(envelope);
        }
        for address in parsed
            .delivered_to
            .iter()
            .chain(&parsed.to)
            .chain(&parsed.cc)
        {
            add(address.email());
        }
        let owners = self.store.tenants_of_mail_addresses(&recipients).await?;
        if let Some((address, tenant)) = recipients
            .iter()
            .find_map(|r| owners.iter().find(|(a, _)| a == r))
            && self.receives_mail(*tenant).await?
        {
            return Ok(Routed {
                tenant: *tenant,
                why: Some(format!(
                    "It was sent to {address}, an address of tenant {tenant}."
                )),
            });
        }
        let sender = parsed
            .from
            .as_ref()
            .map(|a| spoc_domain::text::canonical_email(a.email()))
            .unwrap_or_default();
        if let Some((_, domain)) = sender.rsplit_once('@')
            && let [tenant] = self
                .store
                .tenants_with_mail_domain(domain)
                .await?
                .as_slice()
            && self.receives_mail(*tenant).await?
        {
            return Ok(Routed {
                tenant: *tenant,
                why: Some(format!(
                    "Its sender's domain {domain} is an organisation's domain of tenant {tenant}."
                )),
            });
        }
        Ok(Routed {
            tenant: TenantId::FIRST,
            why: None,
        })
    }

    /// Whether mail may be routed to `tenant`: a deactivated tenant's mail stays with the
    /// provider, where someone can read it.
    async fn receives_mail(&self, tenant: TenantId) -> Result<bool, AppError> {
        match self.store.get_tenant(tenant).await {
            Ok(record) => Ok(record.active),
            Err(StoreError::NotFound) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The address a tenant's tickets are answered from: its first mail address, if any.
    pub(crate) async fn tenant_reply_address(
        &self,
        tenant: TenantId,
    ) -> Result<Option<spoc_mail::Address>, AppError> {
        Ok(self
            .store
            .tenant_mail_addresses(tenant)
            .await?
            .first()
            .and_then(|a| spoc_mail::Address::parse(a).ok()))
    }
}

/// The addresses in canonical form, each once, in the order given; refused if one is not an
/// e-mail address or there are too many.
fn checked_addresses(addresses: &[String]) -> Result<Vec<String>, ValidationError> {
    let mut out: Vec<String> = Vec::new();
    for address in addresses {
        let email = Email::parse(address).map_err(|_| {
            ValidationError::new(
                "addresses",
                "each must be an e-mail address like name@example.org",
            )
        })?;
        if !out.iter().any(|a| a == email.as_str()) {
            out.push(email.as_str().to_owned());
        }
    }
    if out.len() > MAX_TENANT_MAIL_ADDRESSES {
        return Err(ValidationError::new(
            "addresses",
            "a tenant has at most 20 mail addresses",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_canonical_distinct_and_checked() {
        let given = vec![
            " Support@Client-A.example ".to_owned(),
            "support@client-a.example".to_owned(),
            "help@client-a.example".to_owned(),
        ];
        assert_eq!(
            checked_addresses(&given).unwrap(),
            ["support@client-a.example", "help@client-a.example"]
        );
        assert!(checked_addresses(&["not an address".to_owned()]).is_err());
        let many: Vec<String> = (0..21).map(|n| format!("a{n}@client.example")).collect();
        assert!(checked_addresses(&many).is_err());
        assert!(checked_addresses(&[]).unwrap().is_empty());
    }
}

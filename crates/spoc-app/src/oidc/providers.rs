//! A tenant's identity providers, as admins set them up: the client secret is encrypted at rest
//! (see `secrets.rs`) and never shown again; group rules may only name the tenant's groups.

use serde::{Deserialize, Serialize};
use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::user::Role;
use spoc_domain::{GroupId, TenantId, Timestamp, ValidationError};
use spoc_store::{OidcProviderInput, OidcProviderRecord, StoreError};

use crate::auth::permit;
use crate::error::not_found;
use crate::{App, AppError};

/// A claim value that gives a role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRule {
    /// The claim's value.
    pub value: String,
    /// The role it gives.
    pub role: Role,
}

/// A claim value that makes a person a member of a group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRule {
    /// The claim's value.
    pub value: String,
    /// The group.
    pub group_id: GroupId,
}

/// An identity provider as admins see it: never its client secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcProvider {
    /// Id.
    pub id: i64,
    /// Its name in addresses.
    pub slug: String,
    /// What the sign-in button says.
    pub display_name: String,
    /// The issuer URL.
    pub issuer: String,
    /// The client id.
    pub client_id: String,
    /// The scopes asked for.
    pub scopes: Vec<String>,
    /// The claim mapped to roles and groups.
    pub claim: Option<String>,
    /// Value → role, first match wins.
    pub role_rules: Vec<RoleRule>,
    /// Value → group.
    pub group_rules: Vec<GroupRule>,
    /// Unknown people with a verified e-mail get an account.
    pub jit: bool,
    /// Their role when no rule gives one.
    pub default_role: Role,
    /// Offered on the sign-in page.
    pub enabled: bool,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

/// A sign-in button: a provider's slug and name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInOption {
    /// Slug.
    pub slug: String,
    /// Name.
    pub display_name: String,
}

/// What an admin sets; `None` leaves a field as it is (on creation: its default, and the slug,
/// name, issuer, client id and secret are required).
#[derive(Clone, Debug, Default)]
pub struct OidcProviderChange {
    /// Slug: 1–40 lowercase letters, digits and `-`.
    pub slug: Option<String>,
    /// Name: 1–80 characters.
    pub display_name: Option<String>,
    /// Issuer: an `https://` URL (`http://` only on this machine).
    pub issuer: Option<String>,
    /// Client id.
    pub client_id: Option<String>,
    /// Client secret.
    pub client_secret: Option<String>,
    /// Scopes (`openid` is always asked for).
    pub scopes: Option<Vec<String>>,
    /// Claim to map (`Some(None)` removes it).
    pub claim: Option<Option<String>>,
    /// Role rules.
    pub role_rules: Option<Vec<RoleRule>>,
    /// Group rules.
    pub group_rules: Option<Vec<GroupRule>>,
    /// Just-in-time accounts.
    pub jit: Option<bool>,
    /// Their default role.
    pub default_role: Option<Role>,
    /// Offered.
    pub enabled: Option<bool>,
}

impl OidcProvider {
    fn from_record(r: OidcProviderRecord) -> Self {
        Self {
            id: r.id,
            slug: r.slug,
            display_name: r.display_name,
            issuer: r.issuer,
            client_id: r.client_id,
            scopes: r.scopes.split(' ').map(str::to_owned).collect(),
            claim: r.claim,
            role_rules: serde_json::from_str(&r.role_map).unwrap_or_default(),
            group_rules: serde_json::from_str(&r.group_map).unwrap_or_default(),
            jit: r.jit,
            default_role: Role::parse(&r.default_role).unwrap_or(Role::Customer),
            enabled: r.enabled,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

fn invalid(field: &'static str, message: &str) -> AppError {
    ValidationError::new(field, message.to_owned()).into()
}

/// Whether `slug` is 1–40 lowercase letters, digits and `-`, starting with a letter or digit.
pub fn valid_slug(slug: &str) -> bool {
    (1..=40).contains(&slug.len())
        && !slug.starts_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Whether `issuer` is an HTTPS URL, or HTTP on this machine (for tests and trials).
fn valid_issuer(issuer: &str) -> bool {
    let rest = if let Some(rest) = issuer.strip_prefix("https://") {
        rest
    } else if let Some(rest) = issuer.strip_prefix("http://") {
        let host = rest.split(['/', ':']).next().unwrap_or_default();
        if !matches!(host, "127.0.0.1" | "localhost") {
            return false;
        }
        rest
    } else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or_default();
    let port_ok = match authority.rsplit_once(':') {
        Some((host, port)) => {
            !host.is_empty() && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
        }
        None => !authority.is_empty(),
    };
    issuer.len() <= 500
        && port_ok
        && !issuer.contains(['?', '#', ' '])
        && !issuer.chars().any(char::is_control)
}

fn bounded(field: &'static str, value: &str, max: usize) -> Result<(), AppError> {
    if value.trim().is_empty() || value.chars().count() > max || value.chars().any(char::is_control)
    {
        return Err(invalid(
            field,
            &format!("must be 1 to {max} characters without control characters"),
        ));
    }
    Ok(())
}

/// The settings after `change`, checked, with the secret still in clear.
struct Settled {
    slug: String,
    display_name: String,
    issuer: String,
    client_id: String,
    client_secret: String,
    scopes: String,
    claim: Option<String>,
    role_map: String,
    group_map: String,
    jit: bool,
    default_role: Role,
    enabled: bool,
}

impl App {
    /// The tenant's providers (admins).
    pub async fn list_oidc_providers(&self, actor: &Actor) -> Result<Vec<OidcProvider>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        let records = self.store.list_oidc_providers(actor.tenant_id).await?;
        Ok(records.into_iter().map(OidcProvider::from_record).collect())
    }

    /// One of the tenant's providers (admins).
    pub async fn get_oidc_provider(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<OidcProvider, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        self.store
            .get_oidc_provider(actor.tenant_id, id)
            .await
            .map(OidcProvider::from_record)
            .map_err(not_found("identity provider"))
    }

    /// Adds a provider (admins).
    pub async fn create_oidc_provider(
        &self,
        actor: &Actor,
        change: OidcProviderChange,
    ) -> Result<OidcProvider, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let settled = self.settle(actor.tenant_id, None, change).await?;
        let secret = self.secret_keys()?.encrypt(&settled.client_secret)?;
        let input = settled.input(&secret);
        let provider = self
            .store
            .insert_oidc_provider(actor.tenant_id, &input, self.now())
            .await
            .map(OidcProvider::from_record)
            .map_err(taken)?;
        self.audit(
            actor,
            spoc_domain::audit::AuditAction::SignInChanged { step: "created" },
            spoc_domain::audit::AuditTarget::OidcProvider(provider.id),
        )
        .await?;
        Ok(provider)
    }

    /// Changes a provider (admins); a new client secret replaces the old one.
    pub async fn update_oidc_provider(
        &self,
        actor: &Actor,
        id: i64,
        change: OidcProviderChange,
    ) -> Result<OidcProvider, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let current = self
            .store
            .get_oidc_provider(actor.tenant_id, id)
            .await
            .map_err(not_found("identity provider"))?;
        let new_secret = change.client_secret.is_some();
        let stored_secret = current.client_secret.clone();
        let mut settled = self.settle(actor.tenant_id, Some(current), change).await?;
        let secret = if new_secret {
            self.secret_keys()?.encrypt(&settled.client_secret)?
        } else {
            std::mem::take(&mut settled.client_secret);
            stored_secret
        };
        let input = settled.input(&secret);
        let provider = self
            .store
            .update_oidc_provider(actor.tenant_id, id, &input, self.now())
            .await
            .map(OidcProvider::from_record)
            .map_err(|e| match e {
                StoreError::NotFound => AppError::NotFound {
                    what: "identity provider",
                },
                other => taken(other),
            })?;
        self.audit(
            actor,
            spoc_domain::audit::AuditAction::SignInChanged { step: "changed" },
            spoc_domain::audit::AuditTarget::OidcProvider(id),
        )
        .await?;
        Ok(provider)
    }

    /// Removes a provider and its links to people (admins).
    pub async fn delete_oidc_provider(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        self.store
            .delete_oidc_provider(actor.tenant_id, id)
            .await
            .map_err(not_found("identity provider"))?;
        self.audit(
            actor,
            spoc_domain::audit::AuditAction::SignInChanged { step: "deleted" },
            spoc_domain::audit::AuditTarget::OidcProvider(id),
        )
        .await
    }

    /// The enabled providers of `tenant`, for the sign-in page (before anyone signs in).
    pub async fn oidc_sign_in_options(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<SignInOption>, AppError> {
        let records = self.store.list_oidc_providers(tenant).await?;
        Ok(records
            .into_iter()
            .filter(|r| r.enabled)
            .map(|r| SignInOption {
                slug: r.slug,
                display_name: r.display_name,
            })
            .collect())
    }

    async fn settle(
        &self,
        tenant: TenantId,
        current: Option<OidcProviderRecord>,
        change: OidcProviderChange,
    ) -> Result<Settled, AppError> {
        let current = current.map(|c| (OidcProvider::from_record(c.clone()), c));
        let required = |field: &'static str, new: Option<String>, old: Option<&String>| {
            new.or_else(|| old.cloned())
                .ok_or_else(|| invalid(field, "is required"))
        };
        let old = current.as_ref().map(|(p, _)| p);
        let slug = required("slug", change.slug, old.map(|p| &p.slug))?;
        if !valid_slug(&slug) {
            return Err(invalid(
                "slug",
                "must be 1 to 40 lowercase letters, digits and '-', not starting with '-'",
            ));
        }
        let display_name = required(
            "display_name",
            change.display_name,
            old.map(|p| &p.display_name),
        )?;
        bounded("display_name", &display_name, 80)?;
        let issuer = required("issuer", change.issuer, old.map(|p| &p.issuer))?;
        if !valid_issuer(&issuer) {
            return Err(invalid(
                "issuer",
                "must be an https:// URL without query or fragment (http:// only on this machine)",
            ));
        }
        let client_id = required("client_id", change.client_id, old.map(|p| &p.client_id))?;
        bounded("client_id", &client_id, 255)?;
        let client_secret = match (change.client_secret, &current) {
            (Some(secret), _) => secret,
            (None, Some(_)) => String::new(),
            (None, None) => return Err(invalid("client_secret", "is required")),
        };
        if current.is_none() || !client_secret.is_empty() {
            bounded("client_secret", &client_secret, 500)?;
        }
        let mut scopes = change
            .scopes
            .or_else(|| old.map(|p| p.scopes.clone()))
            .unwrap_or_else(|| vec!["openid".into(), "email".into(), "profile".into()]);
        if !scopes.iter().any(|s| s == "openid") {
            scopes.insert(0, "openid".to_owned());
        }
        if scopes.len() > 20
            || scopes.iter().any(|s| {
                s.is_empty()
                    || s.len() > 60
                    || !s
                        .bytes()
                        .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
            })
        {
            return Err(invalid(
                "scopes",
                "must be at most 20 scopes of 1 to 60 visible characters each",
            ));
        }
        let claim = match change.claim {
            Some(claim) => claim.filter(|c| !c.is_empty()),
            None => old.and_then(|p| p.claim.clone()),
        };
        if let Some(claim) = &claim {
            bounded("claim", claim, 100)?;
        }
        let role_rules = change
            .role_rules
            .or_else(|| old.map(|p| p.role_rules.clone()))
            .unwrap_or_default();
        let group_rules = change
            .group_rules
            .or_else(|| old.map(|p| p.group_rules.clone()))
            .unwrap_or_default();
        if role_rules.len() > 50 || group_rules.len() > 50 {
            return Err(invalid("role_rules", "may hold at most 50 rules each"));
        }
        for value in role_rules
            .iter()
            .map(|r| &r.value)
            .chain(group_rules.iter().map(|r| &r.value))
        {
            bounded("role_rules", value, 200)?;
        }
        if claim.is_none() && !(role_rules.is_empty() && group_rules.is_empty()) {
            return Err(invalid("claim", "is required when there are rules"));
        }
        for rule in &group_rules {
            // Only the tenant's own groups: another tenant's group is as unknown as none.
            self.store
                .get_group(tenant, rule.group_id)
                .await
                .map_err(not_found("group"))?;
        }
        Ok(Settled {
            slug,
            display_name: display_name.trim().to_owned(),
            issuer,
            client_id,
            client_secret,
            scopes: scopes.join(" "),
            claim,
            role_map: serde_json::to_string(&role_rules).unwrap_or_else(|_| "[]".to_owned()),
            group_map: serde_json::to_string(&group_rules).unwrap_or_else(|_| "[]".to_owned()),
            jit: change.jit.or(old.map(|p| p.jit)).unwrap_or(false),
            default_role: change
                .default_role
                .or(old.map(|p| p.default_role))
                .unwrap_or(Role::Customer),
            enabled: change.enabled.or(old.map(|p| p.enabled)).unwrap_or(true),
        })
    }
}

impl Settled {
    fn input<'a>(&'a self, secret: &'a str) -> OidcProviderInput<'a> {
        OidcProviderInput {
            slug: &self.slug,
            display_name: &self.display_name,
            issuer: &self.issuer,
            client_id: &self.client_id,
            client_secret: secret,
            scopes: &self.scopes,
            claim: self.claim.as_deref(),
            role_map: &self.role_map,
            group_map: &self.group_map,
            jit: self.jit,
            default_role: self.default_role.as_str(),
            enabled: self.enabled,
        }
    }
}

fn taken(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict { unique: true, .. } => {
            AppError::Duplicate("another identity provider has this slug".to_owned())
        }
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_issuers_are_checked() {
        assert!(valid_slug("azure-ad"));
        assert!(!valid_slug("Azure"));
        assert!(!valid_slug("-x"));
        assert!(!valid_slug(""));
        assert!(valid_issuer("https://login.example.com/tenant/v2.0"));
        assert!(valid_issuer("http://127.0.0.1:4000"));
        assert!(!valid_issuer("http://idp.example.com"));
        assert!(!valid_issuer("https://idp.example.com/?x=1"));
        assert!(!valid_issuer("ftp://idp"));
        assert!(!valid_issuer("http://127.0.0.1:"));
        assert!(!valid_issuer("https://:443"));
    }
}

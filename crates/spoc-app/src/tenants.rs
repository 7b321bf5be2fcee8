//! Tenants managed by the provider: the provider's admins (admins of [`TenantId::FIRST`])
//! create, list and change tenants; a tenant's own admins read their tenant and change its
//! brand (name, colours, logo) only. Another tenant is, to anyone else, a tenant that does not
//! exist. Creating a tenant prepares its desk as a fresh desk's (default group, priority
//! matrix, calendar and SLA policy) and, if asked, its first admin, who sets a password through
//! a link handed to the creator.
//!
//! Before anyone signs in, a visit names its tenant by host name or by `/t/{slug}`
//! ([`App::visited_tenant`]); the tenant's [`Brand`] shows on its pages.

use spoc_domain::access::{Actor, SystemActor};
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::credential::{Access, Resource};
use spoc_domain::tenant::{Colour, HostName, LogoType, Slug};
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{TenantId, Timestamp, ValidationError};
use spoc_store::{NewTenant, StoreError, TenantChange, TenantRecord};

use crate::auth::{permit, random_hex, sha256_hex};
use crate::directory::Person;
use crate::error::not_found;
use crate::{App, AppError, FromRecord, UserInput};

/// How long the first admin's set-password link works.
pub const WELCOME_LIFETIME_MICROS: i64 = 7 * 24 * 3600 * 1_000_000;

/// A tenant, as its administrators see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tenant {
    /// Id.
    pub id: TenantId,
    /// Display name (unique).
    pub name: String,
    /// Slug (unique): its portal is at `/t/{slug}`.
    pub slug: String,
    /// Its own host name, if any.
    pub host: Option<String>,
    /// Primary brand colour, `#rrggbb`.
    pub primary_colour: Option<String>,
    /// Accent colour, `#rrggbb`.
    pub accent_colour: Option<String>,
    /// Whether it has a logo.
    pub has_logo: bool,
    /// Changes with every logo change (for the logo's address).
    pub logo_version: i64,
    /// Whether its people may sign in.
    pub active: bool,
    /// When made.
    pub created_at: Timestamp,
}

impl FromRecord<TenantRecord> for Tenant {
    fn from_record(r: TenantRecord) -> Self {
        Self {
            id: r.tenant_id(),
            name: r.name,
            slug: r.slug,
            host: r.host,
            primary_colour: r.primary_colour,
            accent_colour: r.accent_colour,
            has_logo: r.logo_type.is_some(),
            logo_version: r.logo_version,
            active: r.active,
            created_at: Timestamp::from_micros(r.created_at),
        }
    }
}

/// What a tenant's pages show of it: its name, slug, colours and whether it has a logo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Brand {
    /// The tenant.
    pub tenant_id: TenantId,
    /// Its slug (the logo is at `/t/{slug}/logo`).
    pub slug: String,
    /// Its name; `None` for the first tenant, whose pages keep the product's name.
    pub name: Option<String>,
    /// Primary colour, `#rrggbb` (checked again when read, so only that shape reaches a page).
    pub primary_colour: Option<String>,
    /// Accent colour, `#rrggbb`.
    pub accent_colour: Option<String>,
    /// The logo's version if there is a logo.
    pub logo_version: Option<i64>,
}

impl Brand {
    fn of(record: &TenantRecord) -> Self {
        let colour = |value: &Option<String>| {
            value
                .as_deref()
                .and_then(|c| Colour::parse("colour", c).ok())
                .map(|c| c.as_str().to_owned())
        };
        Self {
            tenant_id: record.tenant_id(),
            slug: record.slug.clone(),
            name: (record.tenant_id() != TenantId::FIRST).then(|| record.name.clone()),
            primary_colour: colour(&record.primary_colour),
            accent_colour: colour(&record.accent_colour),
            logo_version: record.logo_type.as_ref().map(|_| record.logo_version),
        }
    }

    /// Whether the brand changes anything on a page (a first tenant without colours or logo
    /// looks exactly as a desk without tenants).
    pub fn shows(&self) -> bool {
        self.name.is_some()
            || self.primary_colour.is_some()
            || self.accent_colour.is_some()
            || self.logo_version.is_some()
    }
}

/// A tenant's first admin.
#[derive(Clone, Debug)]
pub struct FirstAdmin {
    /// E-mail.
    pub email: Email,
    /// Name.
    pub name: Name,
}

/// A tenant to create.
#[derive(Clone, Debug)]
pub struct TenantInput {
    /// Display name.
    pub name: Name,
    /// Slug.
    pub slug: Slug,
    /// Host name.
    pub host: Option<HostName>,
    /// Primary colour.
    pub primary_colour: Option<Colour>,
    /// Accent colour.
    pub accent_colour: Option<Colour>,
    /// Its first admin, if one is to be made.
    pub admin: Option<FirstAdmin>,
}

/// Changes to a tenant: `None` leaves a field; `Some(None)` clears an optional one. A tenant's
/// own admins may change only `name` and the colours.
#[derive(Clone, Debug, Default)]
pub struct TenantPatch {
    /// Display name.
    pub name: Option<Name>,
    /// Slug (provider admins).
    pub slug: Option<Slug>,
    /// Host name (provider admins).
    pub host: Option<Option<HostName>>,
    /// Primary colour.
    pub primary_colour: Option<Option<Colour>>,
    /// Accent colour.
    pub accent_colour: Option<Option<Colour>>,
    /// Active flag (provider admins; the first tenant stays active).
    pub active: Option<bool>,
}

/// A tenant just made, with its first admin and the path of their set-password link.
#[derive(Clone, Debug)]
pub struct CreatedTenant {
    /// The tenant.
    pub tenant: Tenant,
    /// Its first admin, if one was asked for.
    pub admin: Option<Person>,
    /// Where the first admin sets their password (`/login/reset/{secret}`, under the desk's
    /// address); shown once, works for [`WELCOME_LIFETIME_MICROS`] and once.
    pub set_password_path: Option<String>,
}

/// Whether `actor` administers the provider: an admin of the first tenant.
pub fn is_provider_admin(actor: &Actor) -> bool {
    actor.tenant_id == TenantId::FIRST && actor.role == Role::Admin
}

/// The unique-value clash of a tenant write as a sentence about the field.
fn clash(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict { unique: true, what } => {
            let what = what.to_ascii_lowercase();
            if what.contains("slug") {
                AppError::Duplicate("another tenant has this slug".to_owned())
            } else if what.contains("host") {
                AppError::Duplicate("another tenant has this host name".to_owned())
            } else {
                AppError::Duplicate("another tenant has this name".to_owned())
            }
        }
        StoreError::NotFound => AppError::NotFound { what: "tenant" },
        other => other.into(),
    }
}

impl App {
    /// Tenants the actor may see: every tenant for the provider's admins, their own for a
    /// tenant's admins; refused for everyone else.
    pub async fn list_tenants(&self, actor: &Actor) -> Result<Vec<Tenant>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        let all = self.store.list_tenants().await?;
        Ok(all
            .into_iter()
            .filter(|t| is_provider_admin(actor) || t.tenant_id() == actor.tenant_id)
            .map(Tenant::from_record)
            .collect())
    }

    /// One tenant: any for the provider's admins, their own for a tenant's admins; another
    /// tenant is not found.
    pub async fn get_tenant(&self, actor: &Actor, id: TenantId) -> Result<Tenant, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        self.may_see_tenant(actor, id)?;
        self.store
            .get_tenant(id)
            .await
            .map(Tenant::from_record)
            .map_err(not_found("tenant"))
    }

    pub(crate) fn may_see_tenant(&self, actor: &Actor, id: TenantId) -> Result<(), AppError> {
        if actor.is_admin() && (is_provider_admin(actor) || actor.tenant_id == id) {
            Ok(())
        } else {
            Err(AppError::NotFound { what: "tenant" })
        }
    }

    /// Creates a tenant with a prepared desk and, if asked, its first admin (provider admins).
    pub async fn create_tenant(
        &self,
        actor: &Actor,
        input: TenantInput,
    ) -> Result<CreatedTenant, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        if !is_provider_admin(actor) {
            return Err(AppError::Forbidden(
                "only the provider's admins can create tenants".to_owned(),
            ));
        }
        let created = self.system_create_tenant(input).await?;
        self.audit(
            actor,
            AuditAction::TenantCreated,
            AuditTarget::Tenant(created.tenant.id),
        )
        .await?;
        Ok(created)
    }

    /// Creates a tenant without an actor check: for the admin CLI, which runs with the
    /// operator's authority over the data directory.
    pub async fn system_create_tenant(
        &self,
        input: TenantInput,
    ) -> Result<CreatedTenant, AppError> {
        let now = self.now();
        let record = self
            .store
            .insert_tenant(&NewTenant {
                name: input.name.as_str(),
                slug: input.slug.as_str(),
                host: input.host.as_ref().map(HostName::as_str),
                primary_colour: input.primary_colour.as_ref().map(Colour::as_str),
                accent_colour: input.accent_colour.as_ref().map(Colour::as_str),
                now,
            })
            .await
            .map_err(clash)?;
        let tenant = record.tenant_id();
        self.prepare_desk(tenant).await?;
        let (admin, set_password_path) = match input.admin {
            Some(first) => {
                let (person, path) = self.first_admin(tenant, first).await?;
                (Some(person), Some(path))
            }
            None => (None, None),
        };
        Ok(CreatedTenant {
            tenant: Tenant::from_record(record),
            admin,
            set_password_path,
        })
    }

    /// A new tenant's first admin: a member of its default group, owner of its seed SOPs (as
    /// drafts), with a set-password link.
    async fn first_admin(
        &self,
        tenant: TenantId,
        first: FirstAdmin,
    ) -> Result<(Person, String), AppError> {
        let input = UserInput {
            email: first.email,
            name: first.name,
            role: Role::Admin,
            organization_id: None,
            super_user: false,
            password: None,
        };
        let person = self.system_create_user(tenant, input).await?;
        let desk = self.default_group_id(tenant).await?;
        self.store.add_group_member(desk, person.id).await?;
        let setup = Actor::system(tenant, SystemActor::Bootstrap);
        self.import_seed_sops(tenant, Some(&setup), person.id)
            .await?;
        let secret = random_hex(32);
        let now = self.now();
        self.store
            .create_welcome_link(
                tenant,
                person.id,
                &sha256_hex(&secret),
                now,
                now.plus_micros(WELCOME_LIFETIME_MICROS),
            )
            .await?;
        Ok((person, format!("/login/reset/{secret}")))
    }

    /// Every tenant, oldest first, without an actor check (the admin CLI).
    pub async fn system_list_tenants(&self) -> Result<Vec<Tenant>, AppError> {
        Ok(crate::converted(self.store.list_tenants().await?))
    }

    /// Changes a tenant: provider admins anything (but the first tenant stays active); a
    /// tenant's own admins its name and colours only. Another tenant is not found.
    pub async fn update_tenant(
        &self,
        actor: &Actor,
        id: TenantId,
        patch: TenantPatch,
    ) -> Result<Tenant, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        self.may_see_tenant(actor, id)?;
        if !is_provider_admin(actor)
            && (patch.slug.is_some() || patch.host.is_some() || patch.active.is_some())
        {
            return Err(AppError::Forbidden(
                "only the provider's admins can change a tenant's slug, host name or active flag"
                    .to_owned(),
            ));
        }
        if id == TenantId::FIRST && patch.active == Some(false) {
            return Err(ValidationError::new(
                "active",
                "the provider's own tenant cannot be deactivated",
            )
            .into());
        }
        let fields: Vec<&'static str> = [
            ("name", patch.name.is_some()),
            ("slug", patch.slug.is_some()),
            ("host", patch.host.is_some()),
            (
                "colours",
                patch.primary_colour.is_some() || patch.accent_colour.is_some(),
            ),
            ("active", patch.active.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, changed)| changed.then_some(field))
        .collect();
        let change = TenantChange {
            name: patch.name.map(Name::into_string),
            slug: patch.slug.map(|s| s.as_str().to_owned()),
            host: patch.host.map(|h| h.map(|h| h.as_str().to_owned())),
            primary_colour: patch
                .primary_colour
                .map(|c| c.map(|c| c.as_str().to_owned())),
            accent_colour: patch
                .accent_colour
                .map(|c| c.map(|c| c.as_str().to_owned())),
            active: patch.active,
        };
        let note = self.audit_note(
            actor,
            AuditAction::TenantChanged { fields },
            AuditTarget::Tenant(id),
        );
        self.store
            .update_tenant(id, &change, &[note])
            .await
            .map(Tenant::from_record)
            .map_err(clash)
    }

    /// Sets a tenant's logo from an upload, checked by its content (PNG, JPEG or WebP, at most
    /// 256 KiB): whoever may change the tenant's brand.
    pub async fn set_tenant_logo(
        &self,
        actor: &Actor,
        id: TenantId,
        bytes: &[u8],
    ) -> Result<Tenant, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        self.may_see_tenant(actor, id)?;
        let kind = LogoType::sniff(bytes)?;
        self.store
            .set_tenant_logo(
                id,
                Some((bytes, kind.media_type())),
                &[self.logo_changed(actor, id)],
            )
            .await
            .map(Tenant::from_record)
            .map_err(not_found("tenant"))
    }

    /// Removes a tenant's logo: whoever may change the tenant's brand. A tenant without a logo
    /// is `NotFound` (of the logo).
    pub async fn remove_tenant_logo(
        &self,
        actor: &Actor,
        id: TenantId,
    ) -> Result<Tenant, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        self.may_see_tenant(actor, id)?;
        let current = self
            .store
            .get_tenant(id)
            .await
            .map_err(not_found("tenant"))?;
        if current.logo_type.is_none() {
            return Err(AppError::NotFound { what: "logo" });
        }
        self.store
            .set_tenant_logo(id, None, &[self.logo_changed(actor, id)])
            .await
            .map(Tenant::from_record)
            .map_err(not_found("tenant"))
    }

    /// The audit entry of a changed (or removed) logo.
    fn logo_changed(&self, actor: &Actor, id: TenantId) -> spoc_store::AuditNote {
        self.audit_note(
            actor,
            AuditAction::TenantChanged {
                fields: vec!["logo"],
            },
            AuditTarget::Tenant(id),
        )
    }

    /// A tenant's logo (bytes and media type) for whoever may see the tenant.
    pub async fn get_tenant_logo(
        &self,
        actor: &Actor,
        id: TenantId,
    ) -> Result<(Vec<u8>, LogoType), AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        self.may_see_tenant(actor, id)?;
        self.brand_logo(id)
            .await?
            .ok_or(AppError::NotFound { what: "logo" })
    }

    /// A tenant's logo as its pages show it (public, like the brand itself); only a stored
    /// type of the known images is served.
    pub async fn brand_logo(&self, id: TenantId) -> Result<Option<(Vec<u8>, LogoType)>, AppError> {
        Ok(self
            .store
            .tenant_logo(id)
            .await?
            .and_then(|(bytes, media_type)| {
                LogoType::from_media_type(&media_type).map(|kind| (bytes, kind))
            }))
    }

    /// The active tenant a visitor names before signing in: by `slug` (from `/t/{slug}` or the
    /// sign-in form) if given, else by the request's `Host` header.
    pub async fn visited_tenant(
        &self,
        slug: Option<&str>,
        host: Option<&str>,
    ) -> Result<Option<Brand>, AppError> {
        let record = match (slug, host) {
            (Some(slug), _) => match Slug::parse(slug) {
                Ok(slug) => self.store.tenant_by_slug(slug.as_str()).await?,
                Err(_) => None,
            },
            (None, Some(host)) => match HostName::from_header(host) {
                Some(host) => self.store.tenant_by_host(host.as_str()).await?,
                None => None,
            },
            (None, None) => None,
        };
        Ok(record.filter(|t| t.active).map(|t| Brand::of(&t)))
    }

    /// The brand of a signed-in person's tenant.
    pub async fn brand_of(&self, tenant: TenantId) -> Result<Brand, AppError> {
        self.store
            .get_tenant(tenant)
            .await
            .map(|t| Brand::of(&t))
            .map_err(not_found("tenant"))
    }

    /// The brand of the tenant of a browser session (by the cookie's secret): `None` without
    /// such a session, `Some(None)` when the brand changes nothing on a page.
    pub async fn session_brand(&self, secret: &str) -> Option<Option<Brand>> {
        if secret.len() != 64 {
            return None;
        }
        let session = self.store.find_session(&sha256_hex(secret)).await.ok()??;
        let brand = self.brand_of(session.tenant_id).await.ok()?;
        Some(brand.shows().then_some(brand))
    }

    /// How many tenants the desk has (a single-company desk has one).
    pub async fn tenant_count(&self) -> Result<i64, AppError> {
        Ok(self.store.count_tenants().await?)
    }

    /// Whether a tenant's people may sign in.
    pub(crate) async fn tenant_active(&self, tenant: TenantId) -> Result<bool, AppError> {
        match self.store.get_tenant(tenant).await {
            Ok(record) => Ok(record.active),
            Err(StoreError::NotFound) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: i64) -> TenantRecord {
        TenantRecord {
            id,
            name: "Acme".to_owned(),
            slug: "acme".to_owned(),
            host: None,
            primary_colour: Some("#112233".to_owned()),
            accent_colour: Some("red;}body{".to_owned()),
            logo_type: None,
            logo_version: 0,
            active: true,
            created_at: 0,
        }
    }

    #[test]
    fn brands_show_only_clean_colours_and_no_name_for_the_first_tenant() {
        let brand = Brand::of(&record(2));
        assert_eq!(brand.primary_colour.as_deref(), Some("#112233"));
        assert_eq!(brand.accent_colour, None);
        assert_eq!(brand.name.as_deref(), Some("Acme"));
        let mut first = record(1);
        first.primary_colour = None;
        first.accent_colour = None;
        let brand = Brand::of(&first);
        assert_eq!(brand.name, None);
        assert!(!brand.shows());
    }
}

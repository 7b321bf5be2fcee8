//! The wire types of tenants.

use serde::{Deserialize, Serialize};
use spoc_app::{CreatedTenant, Tenant};
use spoc_http::params::time;
use utoipa::ToSchema;

use crate::admin::dto::UserDto;
use crate::wire::double_option;

/// A tenant: a client company with its own desk, portal and brand.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenantDto {
    /// Id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Slug: its portal's sign-in is at `/t/{slug}`.
    pub slug: String,
    /// Its own host name, if any.
    pub host: Option<String>,
    /// Primary brand colour, `#rrggbb`.
    pub primary_colour: Option<String>,
    /// Accent colour, `#rrggbb`.
    pub accent_colour: Option<String>,
    /// Whether it has a logo (`GET /api/v1/tenants/{id}/logo`).
    pub has_logo: bool,
    /// Whether its people may sign in.
    pub active: bool,
    /// Created at.
    pub created_at: String,
}

impl From<Tenant> for TenantDto {
    fn from(t: Tenant) -> Self {
        Self {
            id: t.id.get(),
            name: t.name,
            slug: t.slug,
            host: t.host,
            primary_colour: t.primary_colour,
            accent_colour: t.accent_colour,
            has_logo: t.has_logo,
            active: t.active,
            created_at: time(t.created_at),
        }
    }
}

/// A tenant just created, with its first admin and where they set their password.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedTenantDto {
    /// The tenant.
    pub tenant: TenantDto,
    /// Its first admin, if one was asked for.
    pub admin: Option<UserDto>,
    /// The path (under the desk's address) where the first admin sets their password; shown
    /// only now, works once and for 7 days.
    pub set_password_path: Option<String>,
}

impl From<CreatedTenant> for CreatedTenantDto {
    fn from(c: CreatedTenant) -> Self {
        Self {
            tenant: c.tenant.into(),
            admin: c.admin.map(UserDto::from),
            set_password_path: c.set_password_path,
        }
    }
}

/// A tenant's first admin.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FirstAdminDto {
    /// E-mail.
    #[schema(schema_with = crate::schema::email)]
    pub email: String,
    /// Name.
    #[schema(schema_with = crate::schema::name)]
    pub name: String,
}

/// A tenant to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTenantDto {
    /// Display name (unique).
    #[schema(schema_with = crate::schema::name)]
    pub name: String,
    /// Slug (unique): 2–40 lowercase letters, digits and hyphens.
    #[schema(pattern = "^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$", max_length = 40)]
    pub slug: String,
    /// Its own host name (unique), such as `help.example.org`.
    #[serde(default)]
    #[schema(
        pattern = "^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
        max_length = 253
    )]
    pub host: Option<String>,
    /// Primary colour, `#rrggbb`.
    #[serde(default)]
    #[schema(pattern = "^#[0-9a-fA-F]{6}$", max_length = 7)]
    pub primary_colour: Option<String>,
    /// Accent colour, `#rrggbb`.
    #[serde(default)]
    #[schema(pattern = "^#[0-9a-fA-F]{6}$", max_length = 7)]
    pub accent_colour: Option<String>,
    /// Its first admin, who gets a set-password link.
    #[serde(default)]
    pub admin: Option<FirstAdminDto>,
}

/// Changes to a tenant. A tenant's own admins may change only `name` and the colours.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantPatchDto {
    /// Display name.
    #[serde(default)]
    #[schema(schema_with = crate::schema::name_or_null)]
    pub name: Option<String>,
    /// Slug (provider admins).
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$", max_length = 40)]
    pub slug: Option<String>,
    /// Host name, or null to remove it (provider admins).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, pattern = "^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", max_length = 253)]
    pub host: Option<Option<String>>,
    /// Primary colour, or null to remove it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, pattern = "^#[0-9a-fA-F]{6}$", max_length = 7)]
    pub primary_colour: Option<Option<String>>,
    /// Accent colour, or null to remove it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, pattern = "^#[0-9a-fA-F]{6}$", max_length = 7)]
    pub accent_colour: Option<Option<String>>,
    /// Whether its people may sign in (provider admins; the provider's own tenant stays active).
    #[serde(default)]
    pub active: Option<bool>,
}

/// The schema of a tenant's mail addresses: e-mail addresses as the app checks them, at most 20.
fn mail_addresses_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(spoc_domain::text::Email::MAX_CHARS))
                .pattern(Some(spoc_domain::text::Email::pattern())),
        )
        .max_items(Some(spoc_app::MAX_TENANT_MAIL_ADDRESSES))
        .build()
}

/// A tenant's own mail addresses. Mail the provider receives (its shared mailbox, its relay
/// endpoint) for one of them lands in the tenant; the tenant's tickets are answered from the
/// first. Each address belongs to one tenant of the whole desk.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantMailAddressesDto {
    /// The addresses, the first being the one the tenant's tickets are answered from; at most
    /// 20, each once (compared without regard to case).
    #[schema(schema_with = mail_addresses_schema)]
    pub addresses: Vec<String>,
}

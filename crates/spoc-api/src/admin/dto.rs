//! The wire types of the desk's setup: people, organisations, groups, taxonomy, services
//! and settings.

use crate::wire::double_option;
use serde::{Deserialize, Serialize};
use spoc_app::{Category, Group, Organization, Person, Service};
use spoc_http::params::time;
use utoipa::ToSchema;

/// A person.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDto {
    /// Id.
    pub id: i64,
    /// E-mail.
    pub email: String,
    /// Name.
    pub name: String,
    /// `customer`, `agent`, `lead` or `admin`.
    pub role: String,
    /// Organisation.
    pub organization_id: Option<i64>,
    /// Customer who sees the organisation's tickets.
    pub super_user: bool,
    /// Can sign in.
    pub active: bool,
    /// Created at.
    pub created_at: String,
}

impl From<Person> for UserDto {
    fn from(u: Person) -> Self {
        Self {
            id: u.id.get(),
            email: u.email,
            name: u.name,
            role: u.role.as_str().to_owned(),
            organization_id: u.organization_id.map(|o| o.get()),
            super_user: u.super_user,
            active: u.active,
            created_at: time(u.created_at),
        }
    }
}

/// A person to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserDto {
    /// E-mail (unique).
    #[schema(schema_with = crate::schema::email)]
    pub email: String,
    /// Name.
    #[schema(schema_with = crate::schema::name)]
    pub name: String,
    /// `customer`, `agent`, `lead` or `admin`.
    #[schema(schema_with = crate::schema::role)]
    pub role: String,
    /// Organisation.
    #[serde(default)]
    pub organization_id: Option<i64>,
    /// Customer super user.
    #[serde(default)]
    pub super_user: bool,
    /// Initial password (10–1,000 characters); without one the user signs in only with tokens.
    #[serde(default)]
    #[schema(min_length = 10, max_length = 1000)]
    pub password: Option<String>,
}

/// Changes to a person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatchDto {
    /// Name.
    #[serde(default)]
    #[schema(schema_with = crate::schema::name_or_null)]
    pub name: Option<String>,
    /// Role.
    #[serde(default)]
    #[schema(schema_with = crate::schema::role_or_null)]
    pub role: Option<String>,
    /// Organisation, or null.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub organization_id: Option<Option<i64>>,
    /// Super user.
    #[serde(default)]
    pub super_user: Option<bool>,
    /// Active.
    #[serde(default)]
    pub active: Option<bool>,
    /// New password.
    #[serde(default)]
    #[schema(min_length = 10, max_length = 1000)]
    pub password: Option<String>,
    /// Your current password: needed to set your own password, unless your session signed in
    /// within the last 10 minutes.
    #[serde(default)]
    pub current_password: Option<String>,
}

/// An organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationDto {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Created at.
    pub created_at: String,
}

impl From<Organization> for OrganizationDto {
    fn from(o: Organization) -> Self {
        Self {
            id: o.id.get(),
            name: o.name,
            created_at: time(o.created_at),
        }
    }
}

/// A name, to create something with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameDto {
    /// Name.
    #[schema(schema_with = crate::schema::name)]
    pub name: String,
}

/// A resolver group.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupDto {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// 1, 2 or 3.
    pub tier: i64,
    /// An external supplier (tier 3).
    pub external_supplier: bool,
    /// Created at.
    pub created_at: String,
}

impl From<Group> for GroupDto {
    fn from(g: Group) -> Self {
        Self {
            id: g.id.get(),
            name: g.name,
            tier: g.tier.number(),
            external_supplier: g.external_supplier,
            created_at: time(g.created_at),
        }
    }
}

/// A resolver group to add or change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupInputDto {
    /// Name.
    #[schema(schema_with = crate::schema::name)]
    pub name: String,
    /// 1, 2 or 3.
    #[schema(minimum = 1, maximum = 3)]
    pub tier: i64,
    /// An external supplier (tier 3 only).
    #[serde(default)]
    pub external_supplier: bool,
}

/// A category or subcategory.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryDto {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Parent category (for a subcategory).
    pub parent_id: Option<i64>,
}

impl From<Category> for CategoryDto {
    fn from(c: Category) -> Self {
        Self {
            id: c.id.get(),
            name: c.name,
            parent_id: c.parent_id.map(|p| p.get()),
        }
    }
}

/// A category to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCategoryDto {
    /// Name.
    #[schema(schema_with = crate::schema::name)]
    pub name: String,
    /// Parent category, for a subcategory.
    #[serde(default)]
    pub parent_id: Option<i64>,
}

/// A business service.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceDto {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
}

impl From<Service> for ServiceDto {
    fn from(s: Service) -> Self {
        Self {
            id: s.id.get(),
            name: s.name,
            description: s.description,
        }
    }
}

/// A service to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewServiceDto {
    /// Name.
    #[schema(schema_with = crate::schema::name)]
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
}

/// The priority matrix: `cells[impact][urgency]`, high/medium/low on both axes.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityMatrixDto {
    /// Rows: impact high, medium, low. Columns: urgency high, medium, low. Values `P1`…`P5`.
    #[schema(schema_with = crate::schema::matrix_cells)]
    pub cells: Vec<Vec<String>>,
}

/// Which group takes new tickets.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DefaultGroupDto {
    /// A tier-1 group.
    pub group_id: i64,
}

/// The group new tickets land in: its id as `group_id` (what `PUT` takes), and the group.
#[derive(Debug, Serialize, ToSchema)]
pub struct DefaultGroupSettingDto {
    /// The group's id, as `PUT /api/v1/settings/default-group` takes it.
    pub group_id: i64,
    /// The group.
    #[serde(flatten)]
    pub group: GroupDto,
}

impl From<Group> for DefaultGroupSettingDto {
    fn from(group: Group) -> Self {
        let group = GroupDto::from(group);
        Self {
            group_id: group.id,
            group,
        }
    }
}

/// Per-person limits on ticket creation and replies. Over a limit, the API answers 429
/// `rate_limited` with `Retry-After`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimitsDto {
    /// Tickets one person may log within the window (0–1,000,000; default 30).
    #[schema(minimum = 0, maximum = 1000000)]
    pub tickets_per_person: u32,
    /// Replies and notes one person may add within the window (0–1,000,000; default 60).
    #[schema(minimum = 0, maximum = 1000000)]
    pub replies_per_person: u32,
    /// The window in minutes (1–1,440; default 10).
    #[schema(minimum = 1, maximum = 1440)]
    pub window_minutes: u32,
    /// Whether agents, leads and admins are exempt (default true).
    pub staff_exempt: bool,
}

impl From<spoc_app::RateLimits> for RateLimitsDto {
    fn from(l: spoc_app::RateLimits) -> Self {
        Self {
            tickets_per_person: l.tickets_per_person,
            replies_per_person: l.replies_per_person,
            window_minutes: l.window_minutes,
            staff_exempt: l.staff_exempt,
        }
    }
}

impl From<RateLimitsDto> for spoc_app::RateLimits {
    fn from(d: RateLimitsDto) -> Self {
        Self {
            tickets_per_person: d.tickets_per_person,
            replies_per_person: d.replies_per_person,
            window_minutes: d.window_minutes,
            staff_exempt: d.staff_exempt,
        }
    }
}

//! LDAP / Active Directory directories of a tenant: admins add them (the service account's
//! password encrypted at rest, never shown); people they list sign in by binding as themselves
//! (`sign_in.rs`); a leased worker imports people and group memberships (`sync.rs`) over the
//! client in `client.rs` (TLS always: `ldaps://`, or StartTLS on `ldap://`).

mod client;
mod sign_in;
mod sync;

use serde::{Deserialize, Serialize};
use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::user::Role;
use spoc_domain::{DirectoryId, GroupId, TenantId, Timestamp, ValidationError};
use spoc_store::{DirectoryRecord, StoreError};

use crate::auth::permit;
use crate::error::not_found;
use crate::{App, AppError, FromRecord};

pub use sync::SyncReport;

/// The longest text field of a directory (names, DNs, filters), in characters.
pub const DIRECTORY_TEXT_MAX: usize = 1000;
/// The longest CA certificate (PEM) a directory takes, in bytes.
pub const DIRECTORY_CA_MAX: usize = 20_000;
/// The most group mappings a directory takes.
pub const DIRECTORY_MAPPINGS_MAX: usize = 200;
/// Seconds between syncs: at least this…
pub const SYNC_SECONDS_MIN: i64 = 60;
/// …and at most this (a week).
pub const SYNC_SECONDS_MAX: i64 = 7 * 86_400;

/// A directory group whose members get a role and/or join a resolver group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupMapping {
    /// The group's DN in the directory.
    pub group_dn: String,
    /// The role its members get (the highest of their groups wins).
    pub role: Option<Role>,
    /// The resolver group its members join.
    pub group_id: Option<GroupId>,
}

/// A mapping as stored (JSON in the directory's row).
#[derive(Serialize, Deserialize)]
struct StoredMapping {
    group_dn: String,
    role: Option<String>,
    group_id: Option<i64>,
}

fn mappings_to_json(mappings: &[GroupMapping]) -> String {
    let stored: Vec<StoredMapping> = mappings
        .iter()
        .map(|m| StoredMapping {
            group_dn: m.group_dn.clone(),
            role: m.role.map(|r| r.as_str().to_owned()),
            group_id: m.group_id.map(GroupId::get),
        })
        .collect();
    serde_json::to_string(&stored).unwrap_or_else(|_| "[]".to_owned())
}

pub(crate) fn mappings_from_json(json: &str) -> Vec<GroupMapping> {
    serde_json::from_str::<Vec<StoredMapping>>(json)
        .unwrap_or_default()
        .into_iter()
        .map(|m| GroupMapping {
            group_dn: m.group_dn,
            role: m.role.as_deref().and_then(|r| Role::parse(r).ok()),
            group_id: m.group_id.map(GroupId::new),
        })
        .collect()
}

/// What an admin sets for a directory.
#[derive(Clone, PartialEq, Eq)]
pub struct DirectoryInput {
    /// Unique name within the tenant.
    pub name: String,
    /// Whether people sign in with it and it is synced.
    pub enabled: bool,
    /// `ldaps://host[:port]`, or `ldap://host[:port]` with StartTLS.
    pub url: String,
    /// The CA certificate (PEM) to trust; none: the public roots.
    pub ca_certificate: Option<String>,
    /// The service account's DN.
    pub bind_dn: String,
    /// The service account's password; none on a change keeps the stored one.
    pub bind_password: Option<String>,
    /// Where people are searched.
    pub user_base: String,
    /// Which entries are people, in parentheses.
    pub user_filter: String,
    /// E-mail attribute (`mail`).
    pub email_attribute: String,
    /// Name attribute (`cn`, `displayName`).
    pub name_attribute: String,
    /// Unique id attribute (`entryUUID`, `objectGUID`).
    pub id_attribute: String,
    /// Where groups are searched; none: groups are not imported.
    pub group_base: Option<String>,
    /// Which entries are groups, in parentheses.
    pub group_filter: String,
    /// The group attribute listing its members' DNs (`member`).
    pub member_attribute: String,
    /// Group → role / resolver group.
    pub mappings: Vec<GroupMapping>,
    /// The role of people no mapping gives one.
    pub default_role: Role,
    /// Seconds between syncs.
    pub sync_seconds: i64,
}

impl std::fmt::Debug for DirectoryInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirectoryInput")
            .field("name", &self.name)
            .field("url", &self.url)
            .field("bind_dn", &self.bind_dn)
            .finish_non_exhaustive()
    }
}

/// A directory as admins see it: everything but the service account's password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directory {
    /// Id.
    pub id: DirectoryId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Name.
    pub name: String,
    /// Signs people in and is synced.
    pub enabled: bool,
    /// Server URL.
    pub url: String,
    /// The CA certificate trusted, if any.
    pub ca_certificate: Option<String>,
    /// Service account DN.
    pub bind_dn: String,
    /// Whether a service password is stored.
    pub has_password: bool,
    /// People base DN.
    pub user_base: String,
    /// People filter.
    pub user_filter: String,
    /// E-mail attribute.
    pub email_attribute: String,
    /// Name attribute.
    pub name_attribute: String,
    /// Unique id attribute.
    pub id_attribute: String,
    /// Group base DN.
    pub group_base: Option<String>,
    /// Group filter.
    pub group_filter: String,
    /// Member attribute.
    pub member_attribute: String,
    /// Group mappings.
    pub mappings: Vec<GroupMapping>,
    /// Default role.
    pub default_role: Role,
    /// Seconds between syncs.
    pub sync_seconds: i64,
    /// When the last sync ended.
    pub last_sync_at: Option<Timestamp>,
    /// When the last full pass ended.
    pub last_full_sync_at: Option<Timestamp>,
    /// Why the last sync failed.
    pub last_sync_error: Option<String>,
    /// What the last successful sync did.
    pub last_sync_summary: Option<String>,
    /// When added.
    pub created_at: Timestamp,
    /// When last changed.
    pub updated_at: Timestamp,
}

impl FromRecord<DirectoryRecord> for Directory {
    fn from_record(r: DirectoryRecord) -> Self {
        let i = r.input;
        Self {
            id: r.id,
            tenant_id: r.tenant_id,
            mappings: mappings_from_json(&i.mappings),
            has_password: !i.bind_password.is_empty(),
            name: i.name,
            enabled: i.enabled,
            url: i.url,
            ca_certificate: i.ca_certificate,
            bind_dn: i.bind_dn,
            user_base: i.user_base,
            user_filter: i.user_filter,
            email_attribute: i.email_attribute,
            name_attribute: i.name_attribute,
            id_attribute: i.id_attribute,
            group_base: i.group_base,
            group_filter: i.group_filter,
            member_attribute: i.member_attribute,
            default_role: i.default_role,
            sync_seconds: i.sync_seconds,
            last_sync_at: r.last_sync_at,
            last_full_sync_at: r.last_full_sync_at,
            last_sync_error: r.last_sync_error,
            last_sync_summary: r.last_sync_summary,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl App {
    /// Every directory of the actor's tenant (admins).
    pub async fn list_directories(&self, actor: &Actor) -> Result<Vec<Directory>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        Ok(crate::converted(
            self.store.list_directories(actor.tenant_id).await?,
        ))
    }

    /// One directory (admins).
    pub async fn get_directory(
        &self,
        actor: &Actor,
        id: DirectoryId,
    ) -> Result<Directory, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        self.store
            .get_directory(actor.tenant_id, id)
            .await
            .map(Directory::from_record)
            .map_err(not_found("directory"))
    }

    /// Adds (`id` `None`) or changes a directory (admins). The service password is encrypted;
    /// a change without one keeps the stored one. Mapped resolver groups must be the tenant's.
    pub async fn save_directory(
        &self,
        actor: &Actor,
        id: Option<DirectoryId>,
        input: DirectoryInput,
    ) -> Result<Directory, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        validate(&input)?;
        for group in input.mappings.iter().filter_map(|m| m.group_id) {
            self.store
                .get_group(actor.tenant_id, group)
                .await
                .map_err(|_| {
                    ValidationError::new("mappings", format!("there is no group {group}"))
                })?;
        }
        let password = match input.bind_password.as_deref().filter(|p| !p.is_empty()) {
            Some(clear) => Some(self.secret_keys()?.encrypt(clear)?),
            None => None,
        };
        let now = self.now();
        let mut record = spoc_store::DirectoryInput {
            name: input.name.trim().to_owned(),
            enabled: input.enabled,
            url: input.url.trim().to_owned(),
            ca_certificate: input.ca_certificate.clone(),
            bind_dn: input.bind_dn.trim().to_owned(),
            bind_password: password.clone().unwrap_or_default(),
            user_base: input.user_base.trim().to_owned(),
            user_filter: input.user_filter.trim().to_owned(),
            email_attribute: input.email_attribute.trim().to_owned(),
            name_attribute: input.name_attribute.trim().to_owned(),
            id_attribute: input.id_attribute.trim().to_owned(),
            group_base: input.group_base.as_deref().map(|g| g.trim().to_owned()),
            group_filter: input.group_filter.trim().to_owned(),
            member_attribute: input.member_attribute.trim().to_owned(),
            mappings: mappings_to_json(&input.mappings),
            default_role: input.default_role,
            sync_seconds: input.sync_seconds,
        };
        let saved = match id {
            None => {
                if password.is_none() {
                    return Err(ValidationError::new(
                        "bind_password",
                        "give the service account's password",
                    )
                    .into());
                }
                self.store
                    .create_directory(actor.tenant_id, &record, now)
                    .await
            }
            Some(id) => {
                let current = self
                    .store
                    .get_directory(actor.tenant_id, id)
                    .await
                    .map_err(not_found("directory"))?;
                if password.is_none() {
                    record.bind_password = current.input.bind_password;
                }
                self.store
                    .update_directory(actor.tenant_id, id, &record, now)
                    .await
            }
        };
        let directory = saved
            .map_err(|e| match e {
                StoreError::NotFound => AppError::NotFound { what: "directory" },
                StoreError::Conflict { unique: true, .. } => {
                    AppError::Duplicate(format!("a directory named {} already exists", record.name))
                }
                other => other.into(),
            })
            .map(Directory::from_record)?;
        let step = if id.is_some() { "changed" } else { "created" };
        self.audit(
            actor,
            spoc_domain::audit::AuditAction::SignInChanged { step },
            spoc_domain::audit::AuditTarget::Directory(directory.id.get()),
        )
        .await?;
        Ok(directory)
    }

    /// Removes a directory (admins). The people it provided stay, as local accounts.
    pub async fn delete_directory(&self, actor: &Actor, id: DirectoryId) -> Result<(), AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        self.store
            .delete_directory(actor.tenant_id, id)
            .await
            .map_err(not_found("directory"))?;
        self.audit(
            actor,
            spoc_domain::audit::AuditAction::SignInChanged { step: "deleted" },
            spoc_domain::audit::AuditTarget::Directory(id.get()),
        )
        .await
    }

    /// Checks that the directory answers over TLS and takes the service account's bind, and
    /// counts the people its filter finds (admins).
    pub async fn test_directory(&self, actor: &Actor, id: DirectoryId) -> Result<u64, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let record = self
            .store
            .get_directory(actor.tenant_id, id)
            .await
            .map_err(not_found("directory"))?;
        let settings = self.connection_settings(&record)?;
        client::check_people(
            &settings,
            &record.input.user_base,
            &record.input.user_filter,
        )
        .await
        .map_err(|e| AppError::Conflict(format!("the directory did not answer as hoped: {e}")))
    }
}

impl App {
    /// How to reach a directory as its service account, with the password decrypted.
    fn connection_settings(&self, r: &DirectoryRecord) -> Result<client::Settings, AppError> {
        Ok(client::Settings {
            url: r.input.url.clone(),
            ca_certificate: r.input.ca_certificate.clone(),
            bind_dn: r.input.bind_dn.clone(),
            bind_password: self.reveal(&r.input.bind_password)?,
        })
    }
}

/// Whether `name` may be an attribute name: letters, digits and hyphens, starting with a letter,
/// or an OID.
fn attribute_name(name: &str) -> bool {
    let name = name.trim();
    let mut chars = name.chars();
    let letters = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-');
    let oid = !name.is_empty()
        && name
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    name.len() <= 100 && (letters || oid)
}

fn text(field: &'static str, value: &str, required: bool) -> Result<(), ValidationError> {
    if required && value.trim().is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    if value.chars().count() > DIRECTORY_TEXT_MAX {
        return Err(ValidationError::new(
            field,
            format!("must be at most {DIRECTORY_TEXT_MAX} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

fn filter(field: &'static str, value: &str) -> Result<(), ValidationError> {
    text(field, value, true)?;
    let value = value.trim();
    if !value.starts_with('(') || ldap3::parse_filter(value).is_err() {
        return Err(ValidationError::new(
            field,
            "must be an LDAP filter in parentheses, such as (objectClass=person)",
        ));
    }
    Ok(())
}

fn validate(input: &DirectoryInput) -> Result<(), ValidationError> {
    text("name", &input.name, true)?;
    if input.name.trim().chars().count() > 100 {
        return Err(ValidationError::new(
            "name",
            "must be at most 100 characters",
        ));
    }
    text("url", &input.url, true)?;
    client::parse_url(input.url.trim()).map_err(|e| ValidationError::new("url", e))?;
    if let Some(pem) = &input.ca_certificate {
        if pem.len() > DIRECTORY_CA_MAX || !pem.contains("-----BEGIN CERTIFICATE-----") {
            return Err(ValidationError::new(
                "ca_certificate",
                "must be a PEM certificate (-----BEGIN CERTIFICATE-----) of at most 20,000 bytes",
            ));
        }
        client::roots(Some(pem)).map_err(|e| ValidationError::new("ca_certificate", e))?;
    }
    text("bind_dn", &input.bind_dn, true)?;
    if let Some(password) = &input.bind_password {
        text("bind_password", password, false)?;
    }
    text("user_base", &input.user_base, true)?;
    filter("user_filter", &input.user_filter)?;
    for (field, value) in [
        ("email_attribute", &input.email_attribute),
        ("name_attribute", &input.name_attribute),
        ("id_attribute", &input.id_attribute),
        ("member_attribute", &input.member_attribute),
    ] {
        if !attribute_name(value) {
            return Err(ValidationError::new(
                field,
                "must be an attribute name (letters, digits and hyphens, such as mail)",
            ));
        }
    }
    if let Some(base) = &input.group_base {
        text("group_base", base, true)?;
    }
    filter("group_filter", &input.group_filter)?;
    if input.mappings.len() > DIRECTORY_MAPPINGS_MAX {
        return Err(ValidationError::new(
            "mappings",
            format!("at most {DIRECTORY_MAPPINGS_MAX} mappings"),
        ));
    }
    for mapping in &input.mappings {
        text("mappings", &mapping.group_dn, true)?;
        if mapping.role.is_none() && mapping.group_id.is_none() {
            return Err(ValidationError::new(
                "mappings",
                "each mapping gives a role, a group, or both",
            ));
        }
    }
    if !(SYNC_SECONDS_MIN..=SYNC_SECONDS_MAX).contains(&input.sync_seconds) {
        return Err(ValidationError::new(
            "sync_seconds",
            format!("must be between {SYNC_SECONDS_MIN} and {SYNC_SECONDS_MAX} seconds"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_names_are_checked() {
        assert!(attribute_name("mail"));
        assert!(attribute_name("entryUUID"));
        assert!(attribute_name("1.3.6.1.4.1.1466.115.121.1.15"));
        assert!(!attribute_name("mail)(uid=*"));
        assert!(!attribute_name(""));
        assert!(!attribute_name("1..2"));
    }

    #[test]
    fn mappings_survive_storage() {
        let mappings = vec![GroupMapping {
            group_dn: "cn=staff,ou=groups,dc=example,dc=org".to_owned(),
            role: Some(Role::Agent),
            group_id: Some(GroupId::new(4)),
        }];
        assert_eq!(mappings_from_json(&mappings_to_json(&mappings)), mappings);
    }

    #[test]
    fn filters_must_parse() {
        assert!(filter("f", "(objectClass=person)").is_ok());
        assert!(filter("f", "objectClass=person").is_err());
        assert!(filter("f", "(&(a=b)").is_err());
    }
}

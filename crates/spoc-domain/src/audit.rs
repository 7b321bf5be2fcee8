//! The admin audit log's vocabulary: what was done ([`AuditAction`], with a stable code) and to
//! what ([`AuditTarget`], a kind and an id).
//!
//! An entry holds no personal data: people appear only by id, and an action's details are codes,
//! enum values, field names, keys, ids and counts — never a name, an e-mail address or free
//! text. The types here make that the only thing an entry can say: no variant carries a string
//! that a person typed.

use crate::ids::{
    ArticleId, CalendarId, CategoryId, GroupId, MailboxId, OrganizationId, PolicyId, ServiceId,
    SopId, TokenId, UserId,
};
use crate::tenant::TenantId;
use crate::user::Role;

/// What an admin (or the system) did. Each has a stable code ([`AuditAction::code`]) and details
/// made only of codes, ids and counts ([`AuditAction::details`]).
///
/// Adding an action is one variant here, its code in [`AuditAction::code`] and
/// [`AUDIT_CODES`], and one `app.audit(actor, action, target)` call in the use case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditAction {
    /// A person was added, with this role.
    PersonCreated {
        /// Their role.
        role: Role,
    },
    /// A person's role changed.
    RoleChanged {
        /// Before.
        from: Role,
        /// After.
        to: Role,
    },
    /// A person was deactivated (cannot sign in; sessions ended).
    PersonDeactivated,
    /// A deactivated person was reactivated.
    PersonReactivated,
    /// An admin set another person's (or their own) password.
    PasswordReset,
    /// Other fields of a person changed (their names only).
    PersonChanged {
        /// The fields, e.g. `name`, `email`, `organization_id`, `super_user`, `language`.
        fields: Vec<&'static str>,
    },
    /// An API token was issued for another person.
    TokenIssuedForOther {
        /// The token.
        token: TokenId,
    },
    /// An organisation was added.
    OrganizationCreated,
    /// A resolver group was added.
    GroupCreated,
    /// A resolver group changed (which fields).
    GroupChanged {
        /// The fields, e.g. `name`, `tier`, `external_supplier`.
        fields: Vec<&'static str>,
    },
    /// A person joined a group.
    MemberAdded {
        /// The person.
        user: UserId,
    },
    /// A person left a group.
    MemberRemoved {
        /// The person.
        user: UserId,
    },
    /// A category or subcategory was added.
    CategoryCreated,
    /// A business service was added.
    ServiceCreated,
    /// A business-hours calendar was added.
    CalendarCreated,
    /// A calendar changed.
    CalendarChanged,
    /// An SLA policy was added.
    PolicyCreated,
    /// An SLA policy changed (which fields).
    PolicyChanged {
        /// The fields.
        fields: Vec<&'static str>,
    },
    /// A setting changed, named by its key (e.g. `priority_matrix`, `mail_relay`,
    /// `auto_close`, `rate_limits`, `retention`).
    SettingChanged {
        /// The setting's key.
        key: &'static str,
    },
    /// A mailbox was added.
    MailboxCreated,
    /// A mailbox changed.
    MailboxChanged,
    /// A mailbox was removed.
    MailboxDeleted,
    /// A governance step on an SOP version (submit, approve, publish, retire, …).
    SopGoverned {
        /// The step's code.
        step: &'static str,
        /// The SOP's latest version after the step.
        latest_version: i64,
    },
    /// The shipped SOPs were imported.
    SopsImported {
        /// How many were added.
        added: u64,
    },
    /// A knowledge article's version was published or retired.
    ArticleGoverned {
        /// The step's code (`publish`, `retire`, …).
        step: &'static str,
    },
    /// The keys encrypting stored secrets were rotated.
    SecretsRotated {
        /// How many secrets were re-encrypted.
        secrets: u64,
    },
    /// The retention rule for closed tickets changed.
    RetentionChanged {
        /// `off`, `anonymise` or `delete`.
        mode: &'static str,
        /// After how many months (0 when off).
        months: u32,
    },
    /// The retention worker applied the rule.
    RetentionApplied {
        /// `anonymise` or `delete`.
        mode: &'static str,
        /// How many tickets it anonymised or deleted.
        tickets: u64,
    },
    /// A tenant was created (by the provider's admins).
    TenantCreated,
    /// A tenant's settings or brand changed.
    TenantChanged {
        /// The fields changed (`name`, `slug`, `host`, `colours`, `logo`, `active`).
        fields: Vec<&'static str>,
    },
    /// A grant let the provider's agents work in a tenant (docs/tenants.md).
    GrantAdded {
        /// The grant.
        grant: i64,
    },
    /// A grant was removed.
    GrantRemoved {
        /// The grant.
        grant: i64,
    },
    /// A person's data was erased (anonymised everywhere).
    PersonErased {
        /// Whether the texts they wrote were erased too.
        texts: bool,
    },
    /// An identity provider or directory deprovisioned a person: deactivated, sessions and
    /// tokens ended.
    PersonDeprovisioned {
        /// `scim` or `ldap`.
        by: &'static str,
    },
    /// Sign-in and provisioning were set up: an OpenID provider, an LDAP directory or a SCIM
    /// token was added, changed, removed or revoked.
    SignInChanged {
        /// `created`, `changed`, `deleted` or `revoked`.
        step: &'static str,
    },
}

/// Every action code, in a stable order (the API's filter and the pages' descriptions use it).
pub const AUDIT_CODES: &[&str] = &[
    "person.created",
    "person.role_changed",
    "person.deactivated",
    "person.reactivated",
    "person.password_reset",
    "person.changed",
    "token.issued_for_other",
    "organization.created",
    "group.created",
    "group.changed",
    "group.member_added",
    "group.member_removed",
    "category.created",
    "service.created",
    "calendar.created",
    "calendar.changed",
    "policy.created",
    "policy.changed",
    "setting.changed",
    "mailbox.created",
    "mailbox.changed",
    "mailbox.deleted",
    "sop.governed",
    "sop.imported",
    "article.governed",
    "secrets.rotated",
    "retention.changed",
    "retention.applied",
    "tenant.created",
    "tenant.changed",
    "person.erased",
    "person.deprovisioned",
    "sign_in.changed",
];

impl AuditAction {
    /// The stable code stored and sent on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            Self::PersonCreated { .. } => "person.created",
            Self::RoleChanged { .. } => "person.role_changed",
            Self::PersonDeactivated => "person.deactivated",
            Self::PersonReactivated => "person.reactivated",
            Self::PasswordReset => "person.password_reset",
            Self::PersonChanged { .. } => "person.changed",
            Self::TokenIssuedForOther { .. } => "token.issued_for_other",
            Self::OrganizationCreated => "organization.created",
            Self::GroupCreated => "group.created",
            Self::GroupChanged { .. } => "group.changed",
            Self::MemberAdded { .. } => "group.member_added",
            Self::MemberRemoved { .. } => "group.member_removed",
            Self::CategoryCreated => "category.created",
            Self::ServiceCreated => "service.created",
            Self::CalendarCreated => "calendar.created",
            Self::CalendarChanged => "calendar.changed",
            Self::PolicyCreated => "policy.created",
            Self::PolicyChanged { .. } => "policy.changed",
            Self::SettingChanged { .. } => "setting.changed",
            Self::MailboxCreated => "mailbox.created",
            Self::MailboxChanged => "mailbox.changed",
            Self::MailboxDeleted => "mailbox.deleted",
            Self::SopGoverned { .. } => "sop.governed",
            Self::SopsImported { .. } => "sop.imported",
            Self::ArticleGoverned { .. } => "article.governed",
            Self::SecretsRotated { .. } => "secrets.rotated",
            Self::RetentionChanged { .. } => "retention.changed",
            Self::RetentionApplied { .. } => "retention.applied",
            Self::TenantCreated => "tenant.created",
            Self::TenantChanged { .. } => "tenant.changed",
            Self::GrantAdded { .. } => "tenant.grant_added",
            Self::GrantRemoved { .. } => "tenant.grant_removed",
            Self::PersonErased { .. } => "person.erased",
            Self::PersonDeprovisioned { .. } => "person.deprovisioned",
            Self::SignInChanged { .. } => "sign_in.changed",
        }
    }

    /// The details as (key, value) pairs of codes, ids and counts.
    pub fn details(&self) -> Vec<(&'static str, String)> {
        let fields = |fields: &[&'static str]| vec![("fields", fields.join(","))];
        match self {
            Self::PersonCreated { role } => vec![("role", role.as_str().to_owned())],
            Self::RoleChanged { from, to } => vec![
                ("from", from.as_str().to_owned()),
                ("to", to.as_str().to_owned()),
            ],
            Self::PersonChanged { fields: f }
            | Self::GroupChanged { fields: f }
            | Self::PolicyChanged { fields: f }
            | Self::TenantChanged { fields: f } => fields(f),
            Self::PersonErased { texts } => vec![("texts", texts.to_string())],
            Self::PersonDeprovisioned { by } => vec![("by", (*by).to_owned())],
            Self::SignInChanged { step } => vec![("step", (*step).to_owned())],
            Self::GrantAdded { grant } | Self::GrantRemoved { grant } => {
                vec![("grant_id", grant.to_string())]
            }
            Self::TokenIssuedForOther { token } => vec![("token_id", token.get().to_string())],
            Self::MemberAdded { user } | Self::MemberRemoved { user } => {
                vec![("user_id", user.get().to_string())]
            }
            Self::SettingChanged { key } => vec![("key", (*key).to_owned())],
            Self::SopGoverned {
                step,
                latest_version,
            } => vec![
                ("step", (*step).to_owned()),
                ("latest_version", latest_version.to_string()),
            ],
            Self::SopsImported { added } => vec![("added", added.to_string())],
            Self::ArticleGoverned { step } => vec![("step", (*step).to_owned())],
            Self::SecretsRotated { secrets } => vec![("secrets", secrets.to_string())],
            Self::RetentionChanged { mode, months } => {
                vec![("mode", (*mode).to_owned()), ("months", months.to_string())]
            }
            Self::RetentionApplied { mode, tickets } => vec![
                ("mode", (*mode).to_owned()),
                ("tickets", tickets.to_string()),
            ],
            Self::PersonDeactivated
            | Self::PersonReactivated
            | Self::PasswordReset
            | Self::OrganizationCreated
            | Self::GroupCreated
            | Self::CategoryCreated
            | Self::ServiceCreated
            | Self::CalendarCreated
            | Self::CalendarChanged
            | Self::PolicyCreated
            | Self::MailboxCreated
            | Self::MailboxChanged
            | Self::MailboxDeleted
            | Self::TenantCreated => Vec::new(),
        }
    }
}

/// What an action was done to: a kind and, for an object, its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditTarget {
    /// A person.
    User(UserId),
    /// An organisation.
    Organization(OrganizationId),
    /// A resolver group.
    Group(GroupId),
    /// A category.
    Category(CategoryId),
    /// A business service.
    Service(ServiceId),
    /// A calendar.
    Calendar(CalendarId),
    /// An SLA policy.
    Policy(PolicyId),
    /// A mailbox.
    Mailbox(MailboxId),
    /// An SOP.
    Sop(SopId),
    /// A knowledge article.
    Article(ArticleId),
    /// A tenant.
    Tenant(TenantId),
    /// The desk's settings as a whole (the key is in the details).
    Settings,
    /// The tickets as a whole (retention).
    Tickets,
    /// An OpenID Connect provider.
    OidcProvider(i64),
    /// An LDAP directory.
    Directory(i64),
    /// A SCIM token.
    ScimToken(i64),
}

/// Every target kind, in a stable order.
pub const AUDIT_TARGET_KINDS: &[&str] = &[
    "user",
    "organization",
    "group",
    "category",
    "service",
    "calendar",
    "policy",
    "mailbox",
    "sop",
    "article",
    "tenant",
    "settings",
    "tickets",
    "oidc_provider",
    "directory",
    "scim_token",
];

impl AuditTarget {
    /// The kind's stable code.
    pub fn kind(self) -> &'static str {
        match self {
            Self::User(_) => "user",
            Self::Organization(_) => "organization",
            Self::Group(_) => "group",
            Self::Category(_) => "category",
            Self::Service(_) => "service",
            Self::Calendar(_) => "calendar",
            Self::Policy(_) => "policy",
            Self::Mailbox(_) => "mailbox",
            Self::Sop(_) => "sop",
            Self::Article(_) => "article",
            Self::Tenant(_) => "tenant",
            Self::Settings => "settings",
            Self::Tickets => "tickets",
            Self::OidcProvider(_) => "oidc_provider",
            Self::Directory(_) => "directory",
            Self::ScimToken(_) => "scim_token",
        }
    }

    /// The object's id, if the target is one object.
    pub fn id(self) -> Option<i64> {
        match self {
            Self::User(id) => Some(id.get()),
            Self::Organization(id) => Some(id.get()),
            Self::Group(id) => Some(id.get()),
            Self::Category(id) => Some(id.get()),
            Self::Service(id) => Some(id.get()),
            Self::Calendar(id) => Some(id.get()),
            Self::Policy(id) => Some(id.get()),
            Self::Mailbox(id) => Some(id.get()),
            Self::Sop(id) => Some(id.get()),
            Self::Article(id) => Some(id.get()),
            Self::Tenant(id) => Some(id.get()),
            Self::OidcProvider(id) | Self::Directory(id) | Self::ScimToken(id) => Some(id),
            Self::Settings | Self::Tickets => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once_and_details_are_codes() {
        let actions = [
            AuditAction::PersonCreated { role: Role::Agent },
            AuditAction::RoleChanged {
                from: Role::Customer,
                to: Role::Agent,
            },
            AuditAction::PersonChanged {
                fields: vec!["name", "email"],
            },
            AuditAction::MemberAdded {
                user: UserId::new(7),
            },
            AuditAction::RetentionApplied {
                mode: "delete",
                tickets: 3,
            },
        ];
        for action in &actions {
            assert!(AUDIT_CODES.contains(&action.code()), "{}", action.code());
        }
        let mut codes = AUDIT_CODES.to_vec();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), AUDIT_CODES.len());
        assert_eq!(
            actions[1].details(),
            [("from", "customer".to_owned()), ("to", "agent".to_owned())]
        );
        assert_eq!(actions[2].details(), [("fields", "name,email".to_owned())]);
    }

    #[test]
    fn targets_name_their_kind() {
        assert_eq!(AuditTarget::User(UserId::new(3)).kind(), "user");
        assert_eq!(AuditTarget::User(UserId::new(3)).id(), Some(3));
        assert_eq!(AuditTarget::Settings.id(), None);
        assert!(AUDIT_TARGET_KINDS.contains(&AuditTarget::Tickets.kind()));
    }
}

//! Setting the desk up: people, organisations, resolver groups and their members, the category
//! taxonomy, business services, the priority matrix and the default group. Admins change; staff
//! may look things up (to log a ticket for a caller, to route); everyone signed in may read the
//! taxonomy and services (the portal offers them).

use crate::auth::permit;
use spoc_domain::access::Actor;
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::credential::{Access, Resource};
use spoc_domain::org::{Tier, check_supplier_tier};
use spoc_domain::priority::PriorityMatrix;
use spoc_domain::text::{Email, Name};
use spoc_domain::user::Role;
use spoc_domain::{CategoryId, GroupId, OrganizationId, TenantId, UserId, ValidationError};
use spoc_store::{GroupRecord, NewUser, StoreError, UserRecord};

use crate::directory::{Category, Group, Organization, Person, PersonUpdate, Service};

use crate::FromRecord;
use crate::auth::{check_password, hash_password};
use crate::error::not_found;
use crate::{App, AppError, DEFAULT_GROUP_KEY, PRIORITY_MATRIX_KEY};

/// A person to add.
#[derive(Clone, Debug)]
pub struct UserInput {
    /// E-mail (unique).
    pub email: Email,
    /// Name.
    pub name: Name,
    /// Role.
    pub role: Role,
    /// Organisation.
    pub organization_id: Option<OrganizationId>,
    /// Customer super user.
    pub super_user: bool,
    /// Password, if they sign in with one.
    pub password: Option<String>,
}

/// A resolver group to add or change.
#[derive(Clone, Debug)]
pub struct GroupInput {
    /// Name (unique).
    pub name: Name,
    /// Tier.
    pub tier: Tier,
    /// External supplier (tier 3 only).
    pub external_supplier: bool,
}

fn staff_only(actor: &Actor) -> Result<(), AppError> {
    if actor.is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only agents can look this up".to_owned(),
        ))
    }
}

fn check_super_user(
    role: Role,
    organization: Option<OrganizationId>,
    super_user: bool,
) -> Result<(), AppError> {
    if super_user && (role != Role::Customer || organization.is_none()) {
        return Err(ValidationError::new(
            "super_user",
            "only a customer with an organisation can be a super user",
        )
        .into());
    }
    Ok(())
}

impl App {
    async fn check_organization(
        &self,
        tenant: TenantId,
        organization: Option<OrganizationId>,
    ) -> Result<(), AppError> {
        if let Some(id) = organization {
            self.store
                .get_organization(tenant, id)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound => ValidationError::new(
                        "organization_id",
                        format!("there is no organisation {id}"),
                    )
                    .into(),
                    other => AppError::from(other),
                })?;
        }
        Ok(())
    }

    /// Adds a person without an actor check: for the admin CLI and first start, which run with
    /// the operator's authority over the data directory.
    pub async fn system_create_user(
        &self,
        tenant: TenantId,
        input: UserInput,
    ) -> Result<Person, AppError> {
        self.add_person(tenant, input)
            .await
            .map(Person::from_record)
    }

    /// Adds a person without an actor check, handing back the stored record (for use cases
    /// that go on working with it, such as registering an e-mail's sender).
    pub(crate) async fn add_person(
        &self,
        tenant: TenantId,
        input: UserInput,
    ) -> Result<UserRecord, AppError> {
        check_super_user(input.role, input.organization_id, input.super_user)?;
        self.check_organization(tenant, input.organization_id)
            .await?;
        let password_hash = match input.password {
            Some(password) => {
                check_password(&password)?;
                Some(hash_password(password).await?)
            }
            None => None,
        };
        let user = NewUser {
            tenant_id: tenant,
            email: input.email.as_str().to_owned(),
            name: input.name.into_string(),
            role: input.role,
            organization_id: input.organization_id,
            super_user: input.super_user,
            password_hash,
            now: self.now(),
        };
        self.store.create_user(&user).await.map_err(|e| match e {
            StoreError::Conflict { unique: true, .. } => {
                AppError::Duplicate(format!("a user with e-mail {} already exists", user.email))
            }
            other => other.into(),
        })
    }

    /// Adds a person (admins).
    pub async fn create_user(&self, actor: &Actor, input: UserInput) -> Result<Person, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let role = input.role;
        let person = self.system_create_user(actor.tenant_id, input).await?;
        self.audit(
            actor,
            AuditAction::PersonCreated { role },
            AuditTarget::User(person.id),
        )
        .await?;
        Ok(person)
    }

    /// Changes a person (admins). Deactivating or changing the password ends their sessions.
    /// An admin setting their own password must re-authenticate like anyone changing theirs
    /// (`current_password`, or a fresh sign-in).
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: UserId,
        update: PersonUpdate,
        password: Option<String>,
        current_password: Option<&str>,
    ) -> Result<Person, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        if actor.is_user(id) && password.is_some() {
            self.reauthenticate(actor, current_password).await?;
        }
        let current = self
            .store
            .get_user(actor.tenant_id, id)
            .await
            .map_err(not_found("user"))?;
        self.refuse_linked_account(actor.tenant_id, id).await?;
        if actor.is_user(id)
            && (update.active == Some(false) || update.role.is_some_and(|r| r != Role::Admin))
        {
            return Err(AppError::Forbidden(
                "admins cannot deactivate or demote themselves".to_owned(),
            ));
        }
        let mut update = update.into_store();
        let role = update.role.unwrap_or(current.role);
        let organization = update.organization_id.unwrap_or(current.organization_id);
        let super_user = update.super_user.unwrap_or(current.super_user) && role == Role::Customer;
        if update.super_user == Some(true) {
            check_super_user(role, organization, true)?;
        }
        update.super_user = Some(super_user);
        if let Some(organization) = update.organization_id {
            self.check_organization(actor.tenant_id, organization)
                .await?;
        }
        if let Some(password) = password {
            check_password(&password)?;
            update.password_hash = Some(hash_password(password).await?);
        }
        let password_changed = update.password_hash.is_some();
        // The role, status and other changes are recorded in the change's own transaction, as
        // the store found the person under it.
        let updated = self
            .store
            .update_user_audited(actor.tenant_id, id, &update, |before, after| {
                person_changes(before, after, password_changed)
                    .into_iter()
                    .map(|action| self.audit_note(actor, action, AuditTarget::User(id)))
                    .collect()
            })
            .await
            .map_err(not_found("user"))?;
        Ok(Person::from_record(updated))
    }

    /// One person (staff, or the person themself).
    pub async fn get_user(&self, actor: &Actor, id: UserId) -> Result<Person, AppError> {
        permit(actor, None, Access::Read)?;
        if !actor.is_user(id) {
            staff_only(actor).map_err(|_| AppError::NotFound { what: "user" })?;
        }
        self.store
            .get_user(actor.tenant_id, id)
            .await
            .map(Person::from_record)
            .map_err(not_found("user"))
    }

    /// People matching `text` (staff).
    pub async fn list_users(
        &self,
        actor: &Actor,
        text: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Person>, AppError> {
        permit(actor, None, Access::Read)?;
        staff_only(actor)?;
        Ok(crate::converted(
            self.store
                .list_users(actor.tenant_id, text, limit.clamp(1, 500))
                .await?,
        ))
    }

    /// Adds an organisation (admins).
    pub async fn create_organization(
        &self,
        actor: &Actor,
        name: Name,
    ) -> Result<Organization, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let organization = self
            .system_create_organization(actor.tenant_id, name)
            .await?;
        self.audit(
            actor,
            AuditAction::OrganizationCreated,
            AuditTarget::Organization(organization.id),
        )
        .await?;
        Ok(organization)
    }

    /// Adds an organisation, or returns the one with that name (admin CLI).
    pub async fn system_create_organization(
        &self,
        tenant: TenantId,
        name: Name,
    ) -> Result<Organization, AppError> {
        self.store
            .create_organization(tenant, name.as_str(), self.now())
            .await
            .map(Organization::from_record)
            .map_err(|e| match e {
                StoreError::Conflict { unique: true, .. } => {
                    AppError::Duplicate(format!("an organisation named {name} already exists"))
                }
                other => other.into(),
            })
    }

    /// An organisation by name (admin CLI).
    pub async fn find_organization(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<Option<Organization>, AppError> {
        Ok(self
            .store
            .find_organization_by_name(tenant, name)
            .await?
            .map(Organization::from_record))
    }

    /// Every organisation (staff).
    pub async fn list_organizations(&self, actor: &Actor) -> Result<Vec<Organization>, AppError> {
        permit(actor, None, Access::Read)?;
        staff_only(actor)?;
        Ok(crate::converted(
            self.store.list_organizations(actor.tenant_id).await?,
        ))
    }

    /// Adds a resolver group (admins).
    pub async fn create_group(&self, actor: &Actor, input: GroupInput) -> Result<Group, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        check_supplier_tier(input.tier, input.external_supplier)?;
        let group = self
            .store
            .create_group(
                actor.tenant_id,
                input.name.as_str(),
                input.tier,
                input.external_supplier,
                self.now(),
            )
            .await
            .map(Group::from_record)
            .map_err(|e| match e {
                StoreError::Conflict { unique: true, .. } => {
                    AppError::Duplicate(format!("a group named {} already exists", input.name))
                }
                other => other.into(),
            })?;
        self.audit(
            actor,
            AuditAction::GroupCreated,
            AuditTarget::Group(group.id),
        )
        .await?;
        Ok(group)
    }

    /// Changes a resolver group (admins).
    pub async fn update_group(
        &self,
        actor: &Actor,
        id: GroupId,
        input: GroupInput,
    ) -> Result<Group, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        check_supplier_tier(input.tier, input.external_supplier)?;
        let current = self
            .store
            .get_group(actor.tenant_id, id)
            .await
            .map_err(not_found("group"))?;
        if id == self.default_group_id(actor.tenant_id).await? && input.tier != Tier::One {
            return Err(ValidationError::new(
                "tier",
                "the default group takes new tickets and must stay tier 1",
            )
            .into());
        }
        let group = GroupRecord {
            id,
            name: input.name.into_string(),
            tier: input.tier,
            external_supplier: input.external_supplier,
            created_at: current.created_at,
        };
        let fields: Vec<&'static str> = [
            ("name", current.name != group.name),
            ("tier", current.tier != group.tier),
            (
                "external_supplier",
                current.external_supplier != group.external_supplier,
            ),
        ]
        .into_iter()
        .filter_map(|(field, changed)| changed.then_some(field))
        .collect();
        let updated = self
            .store
            .update_group(actor.tenant_id, &group)
            .await
            .map(Group::from_record)
            .map_err(|e| match e {
                StoreError::Conflict { unique: true, .. } => {
                    AppError::Duplicate(format!("a group named {} already exists", group.name))
                }
                other => not_found("group")(other),
            })?;
        if !fields.is_empty() {
            self.audit(
                actor,
                AuditAction::GroupChanged { fields },
                AuditTarget::Group(id),
            )
            .await?;
        }
        Ok(updated)
    }

    /// Every resolver group (staff).
    pub async fn list_groups(&self, actor: &Actor) -> Result<Vec<Group>, AppError> {
        permit(actor, None, Access::Read)?;
        staff_only(actor)?;
        Ok(crate::converted(
            self.store.list_groups(actor.tenant_id).await?,
        ))
    }

    /// One resolver group (staff).
    pub async fn get_group(&self, actor: &Actor, id: GroupId) -> Result<Group, AppError> {
        permit(actor, None, Access::Read)?;
        staff_only(actor).map_err(|_| AppError::NotFound { what: "group" })?;
        self.store
            .get_group(actor.tenant_id, id)
            .await
            .map(Group::from_record)
            .map_err(not_found("group"))
    }

    /// Adds an agent, lead or admin to a group (admins).
    pub async fn add_group_member(
        &self,
        actor: &Actor,
        group: GroupId,
        user: UserId,
    ) -> Result<(), AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        self.store
            .get_group(actor.tenant_id, group)
            .await
            .map_err(not_found("group"))?;
        let member = self
            .store
            .get_user(actor.tenant_id, user)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => {
                    ValidationError::new("user_id", format!("there is no user {user}")).into()
                }
                other => AppError::from(other),
            })?;
        if !member.role.is_staff() {
            return Err(
                ValidationError::new("user_id", "customers cannot join resolver groups").into(),
            );
        }
        self.refuse_linked_account(actor.tenant_id, user).await?;
        self.store.add_group_member(group, user).await?;
        self.audit(
            actor,
            AuditAction::MemberAdded { user },
            AuditTarget::Group(group),
        )
        .await
    }

    /// Removes a member from a group (admins).
    pub async fn remove_group_member(
        &self,
        actor: &Actor,
        group: GroupId,
        user: UserId,
    ) -> Result<(), AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        self.store
            .get_group(actor.tenant_id, group)
            .await
            .map_err(not_found("membership"))?;
        self.refuse_linked_account(actor.tenant_id, user).await?;
        self.store
            .remove_group_member(group, user)
            .await
            .map_err(not_found("membership"))?;
        self.audit(
            actor,
            AuditAction::MemberRemoved { user },
            AuditTarget::Group(group),
        )
        .await
    }

    /// A group's members (staff).
    pub async fn group_members(
        &self,
        actor: &Actor,
        group: GroupId,
    ) -> Result<Vec<Person>, AppError> {
        permit(actor, None, Access::Read)?;
        staff_only(actor)?;
        self.store
            .get_group(actor.tenant_id, group)
            .await
            .map_err(not_found("group"))?;
        Ok(crate::converted(
            self.store.group_members(actor.tenant_id, group).await?,
        ))
    }

    /// Adds a category, or a subcategory under a top-level category (admins).
    pub async fn create_category(
        &self,
        actor: &Actor,
        name: Name,
        parent: Option<CategoryId>,
    ) -> Result<Category, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let categories = self.store.list_categories(actor.tenant_id).await?;
        if let Some(parent) = parent {
            let found = categories.iter().find(|c| c.id == parent).ok_or_else(|| {
                ValidationError::new("parent_id", format!("there is no category {parent}"))
            })?;
            if found.parent_id.is_some() {
                return Err(ValidationError::new(
                    "parent_id",
                    "subcategories cannot have subcategories",
                )
                .into());
            }
        }
        if categories
            .iter()
            .any(|c| c.parent_id == parent && c.name.eq_ignore_ascii_case(name.as_str()))
        {
            return Err(AppError::Duplicate(format!(
                "a category named {name} already exists there"
            )));
        }
        let created = self
            .store
            .create_category(actor.tenant_id, name.as_str(), parent, self.now())
            .await?;
        // SOPs waiting for a category of this name are linked to it now. The category stands
        // either way; links left waiting are made at the next creation or start-up.
        if let Err(e) = self.link_pending_sops(actor.tenant_id).await {
            tracing::warn!(error = %e, "linking SOPs waiting for a new category failed");
        }
        self.audit(
            actor,
            AuditAction::CategoryCreated,
            AuditTarget::Category(created.id),
        )
        .await?;
        Ok(Category::from_record(created))
    }

    /// The whole taxonomy of a tenant (anyone signed in).
    pub async fn list_categories(&self, tenant: TenantId) -> Result<Vec<Category>, AppError> {
        Ok(crate::converted(self.store.list_categories(tenant).await?))
    }

    /// Adds a business service (admins).
    pub async fn create_service(
        &self,
        actor: &Actor,
        name: Name,
        description: &str,
    ) -> Result<Service, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        if description.chars().count() > 2000 {
            return Err(
                ValidationError::new("description", "must be at most 2000 characters").into(),
            );
        }
        let service = self
            .store
            .create_service(
                actor.tenant_id,
                name.as_str(),
                description.trim(),
                self.now(),
            )
            .await
            .map(Service::from_record)
            .map_err(|e| match e {
                StoreError::Conflict { unique: true, .. } => {
                    AppError::Duplicate(format!("a service named {name} already exists"))
                }
                other => other.into(),
            })?;
        self.audit(
            actor,
            AuditAction::ServiceCreated,
            AuditTarget::Service(service.id),
        )
        .await?;
        Ok(service)
    }

    /// Every business service of a tenant (anyone signed in).
    pub async fn list_services(&self, tenant: TenantId) -> Result<Vec<Service>, AppError> {
        Ok(crate::converted(self.store.list_services(tenant).await?))
    }

    /// Replaces the priority matrix (admins). Existing tickets keep their priority.
    pub async fn set_priority_matrix(
        &self,
        actor: &Actor,
        matrix: PriorityMatrix,
    ) -> Result<PriorityMatrix, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let json = serde_json::to_string(&matrix)
            .map_err(|e| AppError::Internal(StoreError::Corrupt(e.to_string())))?;
        let note = self.audit_note(
            actor,
            AuditAction::SettingChanged {
                key: PRIORITY_MATRIX_KEY,
            },
            AuditTarget::Settings,
        );
        self.store
            .put_setting_audited(actor.tenant_id, (PRIORITY_MATRIX_KEY, &json), &[note])
            .await?;
        Ok(matrix)
    }

    /// Chooses the group new tickets land in (admins). It must be a tier-1 group.
    pub async fn set_default_group(
        &self,
        actor: &Actor,
        group: GroupId,
    ) -> Result<Group, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let record = self
            .store
            .get_group(actor.tenant_id, group)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => {
                    ValidationError::new("group_id", format!("there is no group {group}")).into()
                }
                other => AppError::from(other),
            })?;
        if record.tier != Tier::One {
            return Err(ValidationError::new(
                "group_id",
                "the default group must be a tier-1 (service desk) group",
            )
            .into());
        }
        let note = self.audit_note(
            actor,
            AuditAction::SettingChanged {
                key: DEFAULT_GROUP_KEY,
            },
            AuditTarget::Settings,
        );
        self.store
            .put_setting_audited(
                actor.tenant_id,
                (DEFAULT_GROUP_KEY, &group.get().to_string()),
                &[note],
            )
            .await?;
        Ok(Group::from_record(record))
    }

    /// The group new tickets land in (staff).
    pub async fn default_group(&self, actor: &Actor) -> Result<Group, AppError> {
        permit(actor, None, Access::Read)?;
        staff_only(actor)?;
        Ok(self
            .store
            .get_group(
                actor.tenant_id,
                self.default_group_id(actor.tenant_id).await?,
            )
            .await
            .map(Group::from_record)?)
    }
}

/// What an admin's change of a person did, as audit actions: role, (de)activation, password,
/// and the names of other fields that changed.
fn person_changes(before: &UserRecord, after: &UserRecord, password: bool) -> Vec<AuditAction> {
    let mut actions = Vec::new();
    if before.role != after.role {
        actions.push(AuditAction::RoleChanged {
            from: before.role,
            to: after.role,
        });
    }
    match (before.active, after.active) {
        (true, false) => actions.push(AuditAction::PersonDeactivated),
        (false, true) => actions.push(AuditAction::PersonReactivated),
        _ => {}
    }
    if password {
        actions.push(AuditAction::PasswordReset);
    }
    let fields: Vec<&'static str> = [
        ("name", before.name != after.name),
        ("email", before.email != after.email),
        (
            "organization_id",
            before.organization_id != after.organization_id,
        ),
        ("super_user", before.super_user != after.super_user),
    ]
    .into_iter()
    .filter_map(|(field, changed)| changed.then_some(field))
    .collect();
    if !fields.is_empty() {
        actions.push(AuditAction::PersonChanged { fields });
    }
    actions
}

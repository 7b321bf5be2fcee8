//! The first-run checklist an admin sees on the admin home: each step is read from the desk's
//! data (never ticked by hand) — the generated password replaced, mail sending tested, groups
//! and categories added, the shipped SOPs linked to categories, agents invited. Also the
//! admin's "send a test message" and whether a person still signs in with the password the desk
//! generated at first start.

use spoc_domain::UserId;
use spoc_domain::access::Actor;
use spoc_domain::credential::{Access, Resource};
use spoc_domain::text::Email;
use spoc_domain::user::Role;

use crate::auth::{permit, random_hex, sha256_hex};
use crate::mail::{MailJob, TEST_MESSAGE, mail_topic};
use crate::{App, AppError};

/// The setting that remembers the first admin's generated password: `{user id}:{sha256 of its
/// stored hash}` (never the hash itself).
pub(crate) const GENERATED_PASSWORD_KEY: &str = "generated_password";

/// One step of setting up a desk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupStep {
    /// Replace the password generated at first start.
    ChangePassword,
    /// Mail is on and a test message reached the relay.
    TestMail,
    /// Resolver groups beyond the first-line one, and categories.
    GroupsAndCategories,
    /// The shipped SOPs are linked to categories.
    LinkSops,
    /// At least one agent or lead.
    InviteAgents,
}

impl SetupStep {
    /// Every step, in the order to do them.
    pub const ALL: [Self; 5] = [
        Self::ChangePassword,
        Self::TestMail,
        Self::GroupsAndCategories,
        Self::LinkSops,
        Self::InviteAgents,
    ];

    /// A stable name (for ids and tests).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ChangePassword => "change_password",
            Self::TestMail => "test_mail",
            Self::GroupsAndCategories => "groups_and_categories",
            Self::LinkSops => "link_sops",
            Self::InviteAgents => "invite_agents",
        }
    }
}

impl App {
    /// Remembers `user`'s generated password (at first start), so the checklist can tell when
    /// it was replaced.
    pub(crate) async fn remember_generated_password(
        &self,
        tenant: spoc_domain::TenantId,
        user: UserId,
    ) -> Result<(), AppError> {
        if let Some(hash) = self.store.password_hash(tenant, user).await? {
            self.store
                .init_setting(
                    tenant,
                    GENERATED_PASSWORD_KEY,
                    &format!("{user}:{}", sha256_hex(&hash)),
                )
                .await?;
        }
        Ok(())
    }

    /// Whether the actor still signs in with the password the desk generated at first start.
    pub async fn uses_generated_password(&self, actor: &Actor) -> Result<bool, AppError> {
        permit(actor, None, Access::Read)?;
        let Some(me) = actor.user_id() else {
            return Ok(false);
        };
        let Some(remembered) = self
            .store
            .get_setting(actor.tenant_id, GENERATED_PASSWORD_KEY)
            .await?
        else {
            return Ok(false);
        };
        let Some((user, fingerprint)) = remembered.split_once(':') else {
            return Ok(false);
        };
        if user != me.to_string() {
            return Ok(false);
        }
        let current = self.store.password_hash(actor.tenant_id, me).await?;
        Ok(current.is_some_and(|hash| sha256_hex(&hash) == fingerprint))
    }

    /// The first-run checklist, each step with whether it is done (admins).
    pub async fn setup_checklist(&self, actor: &Actor) -> Result<Vec<(SetupStep, bool)>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        let tenant = actor.tenant_id;
        let password_changed = match self
            .store
            .get_setting(tenant, GENERATED_PASSWORD_KEY)
            .await?
        {
            None => true,
            Some(remembered) => match remembered.split_once(':') {
                Some((user, fingerprint)) => match user.parse::<i64>() {
                    Ok(id) => self
                        .store
                        .password_hash(tenant, UserId::new(id))
                        .await?
                        .is_none_or(|hash| sha256_hex(&hash) != fingerprint),
                    Err(_) => true,
                },
                None => true,
            },
        };
        let mail_tested = self.tenant_mail(tenant).await?.is_some()
            && self
                .store
                .delivered_mail_count(tenant, &mail_topic(TEST_MESSAGE))
                .await?
                > 0;
        let groups = self.store.list_groups(tenant).await?.len();
        let categories = self.store.list_categories(tenant).await?.len();
        let linked = self
            .store
            .sop_links(tenant)
            .await?
            .iter()
            .any(|(_, links)| !links.is_empty());
        let waiting = self.store.pending_sop_links(tenant).await?.len();
        let agents = self
            .store
            .list_users(tenant, None, 500)
            .await?
            .iter()
            .any(|u| u.active && matches!(u.role, Role::Agent | Role::Lead));
        Ok(vec![
            (SetupStep::ChangePassword, password_changed),
            (SetupStep::TestMail, mail_tested),
            (SetupStep::GroupsAndCategories, groups > 1 && categories > 0),
            (SetupStep::LinkSops, linked && waiting == 0),
            (SetupStep::InviteAgents, agents),
        ])
    }

    /// Queues a test message to `to` through the desk's outbound mail (admins). Refused while
    /// mail is off, and for an address mail cannot go to (`to`).
    pub async fn send_test_message(&self, actor: &Actor, to: &str) -> Result<(), AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        if self.tenant_mail(actor.tenant_id).await?.is_none() {
            return Err(spoc_domain::ValidationError::new(
                "to",
                "mail is off on this desk: set the relay and From address under Outgoing mail first",
            )
            .into());
        }
        let address = Email::parse(to)
            .map_err(|_| spoc_domain::ValidationError::new("to", "is not an e-mail address"))?;
        let job = MailJob::to_address(TEST_MESSAGE, address.as_str());
        let message = job.message(
            format!("{}:{}", mail_topic(TEST_MESSAGE), random_hex(8)),
            Some(address.as_str().to_owned()),
        );
        self.store
            .queue_account_mail(actor.tenant_id, &message, self.now())
            .await?;
        Ok(())
    }
}

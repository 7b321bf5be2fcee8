//! Mailboxes: admins add and change them (passwords encrypted at rest, never shown), the poller
//! leases one at a time and signs in with its decrypted password, and an MTA (or an admin) may
//! deliver a message into one over HTTP.

use spoc_domain::access::Actor;
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::credential::{Access, Resource};
use spoc_domain::{MailboxId, TenantId, ValidationError};
use spoc_store::StoreError;

use super::{ImapSettings, IngestResult, Mailbox, MailboxInput};
use crate::auth::permit;
use crate::error::not_found;
use crate::{App, AppError};

/// How long a node holds a mailbox it polls before it must renew the lease.
const MAILBOX_LEASE_MICROS: i64 = 2 * 60 * 1_000_000;

impl App {
    /// Every mailbox (admins).
    pub async fn list_mailboxes(&self, actor: &Actor) -> Result<Vec<Mailbox>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        let mailboxes = self.store.list_mailboxes(actor.tenant_id).await?;
        Ok(mailboxes.into_iter().map(Mailbox::from_record).collect())
    }

    /// One mailbox (admins).
    pub async fn get_mailbox(&self, actor: &Actor, id: MailboxId) -> Result<Mailbox, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        self.store
            .get_mailbox(actor.tenant_id, id)
            .await
            .map(Mailbox::from_record)
            .map_err(not_found("mailbox"))
    }

    /// The mailbox named `name`, for `spoc mail deliver --mailbox NAME` (system use).
    pub async fn mailbox_named(&self, tenant: TenantId, name: &str) -> Result<Mailbox, AppError> {
        self.store
            .list_mailboxes(tenant)
            .await?
            .into_iter()
            .find(|m| m.name == name)
            .map(Mailbox::from_record)
            .ok_or(AppError::NotFound { what: "mailbox" })
    }

    /// Adds (`id` `None`) or replaces a mailbox (admins). Names are unique; addresses and IMAP
    /// settings are checked. A replacement without a password keeps the stored one.
    pub async fn save_mailbox(
        &self,
        actor: &Actor,
        id: Option<MailboxId>,
        input: MailboxInput,
    ) -> Result<Mailbox, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        validate_mailbox(&input)?;
        let mut input = input.into_record();
        // Passwords are stored encrypted, never in clear.
        if let Some(imap) = input.imap.as_mut()
            && !imap.password.is_empty()
        {
            imap.password = self.secret_keys()?.encrypt(&imap.password)?;
        }
        let now = self.now();
        let saved = match id {
            None => {
                self.store
                    .create_mailbox(actor.tenant_id, &input, now)
                    .await
            }
            Some(id) => {
                let current = self
                    .store
                    .get_mailbox(actor.tenant_id, id)
                    .await
                    .map_err(not_found("mailbox"))?;
                if let (Some(new), Some(old)) = (input.imap.as_mut(), current.imap.as_ref())
                    && new.password.is_empty()
                {
                    new.password.clone_from(&old.password);
                }
                self.store
                    .update_mailbox(actor.tenant_id, id, &input, now)
                    .await
            }
        };
        let mailbox = saved
            .map_err(|e| match e {
                StoreError::NotFound => AppError::NotFound { what: "mailbox" },
                StoreError::Conflict { unique: true, .. } => {
                    AppError::Duplicate(format!("a mailbox named {} already exists", input.name))
                }
                other => other.into(),
            })
            .map(Mailbox::from_record)?;
        let action = match id {
            None => AuditAction::MailboxCreated,
            Some(_) => AuditAction::MailboxChanged,
        };
        self.audit(actor, action, AuditTarget::Mailbox(mailbox.id))
            .await?;
        Ok(mailbox)
    }

    /// The IMAP settings of a mailbox with its password decrypted, to sign in with (system
    /// use: the poller). Never shown to anyone.
    pub async fn imap_sign_in(&self, mailbox: &Mailbox) -> Result<Option<ImapSettings>, AppError> {
        let stored = self
            .store
            .get_mailbox(mailbox.tenant_id, mailbox.id)
            .await
            .map_err(not_found("mailbox"))?;
        let Some(mut imap) = stored.imap else {
            return Ok(None);
        };
        imap.password = self.reveal(&imap.password)?;
        Ok(Some(ImapSettings::from_record(imap)))
    }

    /// Takes one message delivered over HTTP (admins, or an MTA holding an admin's token) into
    /// the mailbox named `mailbox` (or none). `recipient` is the envelope recipient, when the
    /// MTA tells it: mail the provider receives is routed by it first.
    pub async fn deliver_inbound(
        &self,
        actor: &Actor,
        mailbox: Option<&str>,
        recipient: Option<&str>,
        raw: &[u8],
    ) -> Result<IngestResult, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let mailbox = match mailbox {
            Some(name) => Some(self.mailbox_named(actor.tenant_id, name).await?),
            None => None,
        };
        if mailbox.as_ref().is_some_and(|m| !m.enabled) {
            return Err(AppError::Forbidden(
                "that mailbox is switched off".to_owned(),
            ));
        }
        self.ingest_mail_for(actor.tenant_id, mailbox.as_ref(), raw, recipient)
            .await
    }

    /// Leases one mailbox that is due to be polled to worker `owner` (system use).
    pub async fn claim_mailbox(&self, owner: &str) -> Result<Option<Mailbox>, AppError> {
        let now = self.now();
        Ok(self
            .store
            .claim_mailbox(now, owner, now.plus_micros(MAILBOX_LEASE_MICROS))
            .await?
            .map(Mailbox::from_record))
    }

    /// Extends `owner`'s lease on a mailbox it is polling; `false` when it was lost.
    pub async fn renew_mailbox_lease(&self, id: MailboxId, owner: &str) -> Result<bool, AppError> {
        let until = self.now().plus_micros(MAILBOX_LEASE_MICROS);
        Ok(self.store.renew_mailbox_lease(id, owner, until).await?)
    }

    /// Records a finished poll (with its error, if it failed) and gives the lease back.
    pub async fn finish_mailbox_poll(
        &self,
        id: MailboxId,
        owner: &str,
        error: Option<&str>,
    ) -> Result<(), AppError> {
        Ok(self
            .store
            .finish_mailbox_poll(id, owner, self.now(), error)
            .await?)
    }
}

fn validate_mailbox(input: &MailboxInput) -> Result<(), ValidationError> {
    if input.name.trim().is_empty() || input.name.chars().count() > 100 {
        return Err(ValidationError::new(
            "name",
            "must be between 1 and 100 characters",
        ));
    }
    spoc_mail::Address::parse(&input.address)
        .map_err(|e| ValidationError::new("address", e.to_string()))?;
    if input.folder.trim().is_empty() {
        return Err(ValidationError::new("folder", "name the folder to read"));
    }
    if input
        .processed_folder
        .as_deref()
        .is_some_and(|f| f.trim() == input.folder.trim())
    {
        return Err(ValidationError::new(
            "processed_folder",
            "must differ from the folder read, or mail would be read again",
        ));
    }
    if !(10..=3600).contains(&input.poll_seconds) {
        return Err(ValidationError::new(
            "poll_seconds",
            "must be between 10 and 3600 seconds",
        ));
    }
    if let Some(imap) = &input.imap {
        if imap.host.trim().is_empty() || imap.host.contains(char::is_whitespace) {
            return Err(ValidationError::new("imap_host", "name the IMAP server"));
        }
        if imap.port == 0 {
            return Err(ValidationError::new(
                "imap_port",
                "must be between 1 and 65535",
            ));
        }
        if imap.username.is_empty() {
            return Err(ValidationError::new("imap_username", "must not be empty"));
        }
        if let Some(pem) = &imap.ca_certificate
            && !pem.contains("-----BEGIN CERTIFICATE-----")
        {
            return Err(ValidationError::new(
                "ca_certificate",
                "must be a PEM certificate (-----BEGIN CERTIFICATE-----)",
            ));
        }
    }
    Ok(())
}

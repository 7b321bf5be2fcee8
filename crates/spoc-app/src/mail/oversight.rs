//! Oversight of the e-mail channel: organisations' e-mail domains, the inbound log (with its
//! held and quarantined messages), the outbox and its dead letters, and the mail servers whose
//! `Authentication-Results` the desk trusts.

use spoc_domain::access::Actor;
use spoc_domain::audit::{AuditAction, AuditTarget};
use spoc_domain::credential::{Access, Resource};
use spoc_domain::mail::{EmailDomain, InboundOutcome, OutboxState};
use spoc_domain::{InboundId, OrganizationId, OutboxId, TenantId, TicketId, ValidationError};
use spoc_store::StoreError;

use super::{InboundMessage, OutboxEntry, may_oversee_mail};
use crate::auth::permit;
use crate::error::not_found;
use crate::{App, AppError};

/// The settings key of the mail servers (authserv-ids) whose `Authentication-Results` the
/// desk trusts, as a JSON array.
const TRUSTED_AUTHSERV_IDS_KEY: &str = "mail_trusted_authserv_ids";
/// At most this many trusted authserv-ids.
const MAX_TRUSTED_AUTHSERV_IDS: usize = 20;

impl App {
    /// An organisation's e-mail domains (admins).
    pub async fn organization_domains(
        &self,
        actor: &Actor,
        organization: OrganizationId,
    ) -> Result<Vec<String>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        self.store
            .get_organization(actor.tenant_id, organization)
            .await
            .map_err(not_found("organization"))?;
        Ok(self
            .store
            .list_organization_domains(actor.tenant_id)
            .await?
            .into_iter()
            .filter(|(_, o)| *o == organization)
            .map(|(d, _)| d)
            .collect())
    }

    /// Sets an organisation's e-mail domains (admins): unknown senders from them become its
    /// customers. A domain can belong to one organisation only.
    pub async fn set_organization_domains(
        &self,
        actor: &Actor,
        organization: OrganizationId,
        domains: &[String],
    ) -> Result<Vec<String>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        self.store
            .get_organization(actor.tenant_id, organization)
            .await
            .map_err(not_found("organization"))?;
        let mut parsed = domains
            .iter()
            .map(|d| EmailDomain::parse(d).map(|d| d.as_str().to_owned()))
            .collect::<Result<Vec<_>, _>>()?;
        parsed.sort();
        parsed.dedup();
        self.store
            .set_organization_domains(actor.tenant_id, organization, &parsed)
            .await
            .map_err(|e| match e {
                StoreError::Conflict { unique: true, .. } => AppError::Duplicate(
                    "one of these domains already belongs to another organisation".to_owned(),
                ),
                other => other.into(),
            })?;
        self.audit(
            actor,
            AuditAction::SettingChanged {
                key: "organization_domains",
            },
            AuditTarget::Organization(organization),
        )
        .await?;
        Ok(parsed)
    }

    /// The inbound log, newest first (admins and leads): only the given outcomes when not
    /// empty, only unsettled held or quarantined ones when `unsettled`.
    pub async fn list_inbound(
        &self,
        actor: &Actor,
        outcomes: &[InboundOutcome],
        unsettled: bool,
        before: Option<InboundId>,
        limit: i64,
    ) -> Result<Vec<InboundMessage>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        may_oversee_mail(actor)?;
        let messages = self
            .store
            .list_inbound(
                actor.tenant_id,
                outcomes,
                unsettled,
                before,
                limit.clamp(1, 200),
            )
            .await?;
        Ok(messages
            .into_iter()
            .map(InboundMessage::from_record)
            .collect())
    }

    /// One inbound message (admins and leads).
    pub async fn get_inbound(
        &self,
        actor: &Actor,
        id: InboundId,
    ) -> Result<InboundMessage, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        may_oversee_mail(actor)?;
        self.store
            .get_inbound(actor.tenant_id, id)
            .await
            .map(InboundMessage::from_record)
            .map_err(not_found("inbound message"))
    }

    /// The raw bytes of an inbound message (admins and leads).
    pub async fn inbound_raw(&self, actor: &Actor, id: InboundId) -> Result<Vec<u8>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        may_oversee_mail(actor)?;
        self.store
            .inbound_raw(actor.tenant_id, id)
            .await
            .map_err(not_found("inbound message"))
    }

    /// The e-mails a ticket's history came with, for the ticket view (staff only, who may see
    /// the ticket; customers see their own replies as text already).
    pub async fn inbound_of_ticket(
        &self,
        actor: &Actor,
        ticket: TicketId,
    ) -> Result<Vec<InboundMessage>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        self.get_ticket(actor, ticket).await?;
        if !actor.is_staff() {
            return Ok(Vec::new());
        }
        let messages = self.store.inbound_of_ticket(ticket, &actor.scope()).await?;
        Ok(messages
            .into_iter()
            .map(InboundMessage::from_record)
            .collect())
    }

    /// One inbound message of a ticket the actor (staff) may see, for showing its sanitised
    /// HTML next to the ticket.
    pub async fn ticket_inbound(
        &self,
        actor: &Actor,
        id: InboundId,
    ) -> Result<InboundMessage, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        let record = self
            .store
            .get_inbound(actor.tenant_id, id)
            .await
            .map_err(not_found("message"))?;
        let ticket = record
            .ticket_id
            .ok_or(AppError::NotFound { what: "message" })?;
        if !actor.is_staff() || self.get_ticket(actor, ticket).await.is_err() {
            return Err(AppError::NotFound { what: "message" });
        }
        Ok(InboundMessage::from_record(record))
    }

    /// The outbox, newest first (admins): the messages in `state`, or every message.
    pub async fn list_outbox(
        &self,
        actor: &Actor,
        state: Option<OutboxState>,
        before: Option<OutboxId>,
        limit: i64,
    ) -> Result<Vec<OutboxEntry>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        let messages = self
            .store
            .list_outbox(actor.tenant_id, state, before, limit.clamp(1, 200))
            .await?;
        Ok(messages.into_iter().map(OutboxEntry::from_record).collect())
    }

    /// Counts of messages waiting and of dead letters (admins).
    pub async fn outbox_counts(&self, actor: &Actor) -> Result<(i64, i64), AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        Ok(self.store.outbox_counts(actor.tenant_id).await?)
    }

    /// Puts a dead letter back in the queue, to be sent at once (admins).
    pub async fn retry_outbox(&self, actor: &Actor, id: OutboxId) -> Result<OutboxEntry, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let record = self
            .store
            .get_outbox(actor.tenant_id, id)
            .await
            .map_err(not_found("outbox message"))?;
        if !self
            .store
            .retry_outbox(actor.tenant_id, id, self.now())
            .await?
        {
            return Err(AppError::Forbidden(format!(
                "message {} is not a dead letter, so there is nothing to retry",
                record.id
            )));
        }
        Ok(OutboxEntry::from_record(
            self.store.get_outbox(actor.tenant_id, id).await?,
        ))
    }
}

impl App {
    /// The mail servers (authserv-ids) whose `Authentication-Results` prove who sent a message
    /// in a staff member's name. Empty (the default): nobody's, so such mail is held.
    pub(crate) async fn trusted_authserv_ids(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<String>, AppError> {
        match self
            .store
            .get_setting(tenant, TRUSTED_AUTHSERV_IDS_KEY)
            .await?
        {
            Some(json) => serde_json::from_str(&json).map_err(|e| {
                AppError::Internal(StoreError::Corrupt(format!(
                    "{TRUSTED_AUTHSERV_IDS_KEY}: {e}"
                )))
            }),
            None => Ok(Vec::new()),
        }
    }

    /// The trusted authserv-ids, for admins.
    pub async fn mail_authentication(&self, actor: &Actor) -> Result<Vec<String>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        self.trusted_authserv_ids(actor.tenant_id).await
    }

    /// Replaces the trusted authserv-ids (admins): the names the receiving mail server puts
    /// first in its `Authentication-Results` (e.g. `mx.example.com`). Each is a host name;
    /// case does not matter; duplicates are dropped.
    pub async fn set_mail_authentication(
        &self,
        actor: &Actor,
        ids: &[String],
    ) -> Result<Vec<String>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        let field = "trusted_authserv_ids";
        if ids.len() > MAX_TRUSTED_AUTHSERV_IDS {
            return Err(ValidationError::new(
                field,
                format!("at most {MAX_TRUSTED_AUTHSERV_IDS} servers can be trusted"),
            )
            .into());
        }
        let mut clean: Vec<String> = Vec::new();
        for id in ids {
            let id = id.trim().to_ascii_lowercase();
            let valid = !id.is_empty()
                && id.len() <= 253
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                && !id.starts_with(['.', '-'])
                && !id.ends_with(['.', '-']);
            if !valid {
                return Err(ValidationError::new(
                    field,
                    format!(
                        "{:?} is not a mail server name like mx.example.com (letters, digits, dots and hyphens)",
                        id.chars().take(100).collect::<String>()
                    ),
                )
                .into());
            }
            if !clean.contains(&id) {
                clean.push(id);
            }
        }
        let json = serde_json::to_string(&clean)
            .map_err(|e| AppError::Internal(StoreError::Corrupt(e.to_string())))?;
        self.store
            .put_setting(actor.tenant_id, TRUSTED_AUTHSERV_IDS_KEY, &json)
            .await?;
        self.audit(
            actor,
            AuditAction::SettingChanged {
                key: TRUSTED_AUTHSERV_IDS_KEY,
            },
            AuditTarget::Settings,
        )
        .await?;
        Ok(clean)
    }
}

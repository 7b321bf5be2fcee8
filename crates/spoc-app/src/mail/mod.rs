//! The e-mail channel's use cases: notifications queued in the same transaction as the change
//! that causes them ([`App::notice_messages`]), inbound mail becoming tickets and replies
//! ([`inbound`]), delivery of the outbox through a [`MailTransport`] with retries and dead
//! letters ([`outbound`]), and the setup and oversight admins need (mailboxes, domain rules, the
//! inbound log with its held and quarantined messages, the outbox) plus each person's
//! notification preferences and the attachments of tickets they may see.

mod inbound;
mod links;
mod outbound;

use crate::auth::permit;
use spoc_domain::credential::{Access, Resource};
use std::future::Future;

use spoc_domain::access::Actor;
use spoc_domain::event::EventData;
use spoc_domain::mail::{Audience, EmailDomain, NoticeTopic, notices};
use spoc_domain::sla::SlaTarget;
use spoc_domain::ticket::Ticket;
use spoc_domain::{
    InboundId, MailboxId, OrganizationId, OutboxId, TenantId, TicketId, UserId, ValidationError,
};
use spoc_store::{
    InboundOutcome, InboundRecord, MailboxInput, MailboxRecord, OutboxMessage, OutboxRecord,
    OutboxState, StoreError,
};

pub use inbound::{IngestResult, Release};
pub use links::{ActionLink, LinkAction};
pub use outbound::{DeliveryStats, MAX_ATTEMPTS as MAX_MAIL_ATTEMPTS};

use crate::error::not_found;
use crate::{App, AppError};

/// How long a node holds a mailbox it polls before it must renew the lease.
const MAILBOX_LEASE_MICROS: i64 = 2 * 60 * 1_000_000;

/// The settings key of the secret that makes outbound Message-IDs unguessable.
pub(crate) const MAIL_SECRET_KEY: &str = "mail_secret";

/// The settings key of the mail servers (authserv-ids) whose `Authentication-Results` the
/// desk trusts, as a JSON array.
const TRUSTED_AUTHSERV_IDS_KEY: &str = "mail_trusted_authserv_ids";
/// At most this many trusted authserv-ids.
const MAX_TRUSTED_AUTHSERV_IDS: usize = 20;

/// How the desk sends mail: its sender address and name, and the address people reach it at
/// (for links in notifications).
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// The `From` address of every notification (`--mail-from`).
    pub from: spoc_mail::Address,
    /// The public base URL of the desk, e.g. `https://desk.example.com` (no trailing slash).
    pub public_url: String,
}

/// Why a message could not be handed to the relay.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth retrying: the relay is down, busy or answered 4xx.
    #[error("{0}")]
    Transient(String),
    /// Retrying cannot help: the relay refused the message or recipient for good (5xx).
    #[error("{0}")]
    Permanent(String),
}

/// Something that hands a built message to a mail relay (SMTP in `spoc serve`; a recorder in
/// tests). `Ok` means the relay accepted responsibility for the message.
pub trait MailTransport: Send + Sync {
    /// Sends `message` (RFC 5322 bytes) from `envelope_from` to `recipients`.
    fn send(
        &self,
        envelope_from: &str,
        recipients: &[String],
        message: &[u8],
    ) -> impl Future<Output = Result<(), SendError>> + Send;
}

/// What an outbox e-mail carries: who gets which notice about what. Rendered when it is sent.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct MailJob {
    /// The notice.
    pub topic: String,
    /// The person it goes to (their current address is used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
    /// Or a bare address (a sender the desk refused attachments from).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The public text it carries (a reply, resolution notes, a reopening reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// For SLA notices, which target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<SlaTarget>,
    /// For escalations, why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For rejection notices: the refused files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<RejectedFile>,
    /// Who caused the notice (the author of a reply), for its wording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<UserId>,
    /// The Message-ID of the mail this answers, for threading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<String>,
}

/// An attachment that was refused.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct RejectedFile {
    /// Its (safe) name.
    pub filename: String,
    /// Its media type.
    pub content_type: String,
    /// Its size in bytes.
    pub size: i64,
    /// Why it was refused.
    pub reason: String,
}

/// The outbox topic of an e-mail notice.
pub(crate) fn mail_topic(topic: &str) -> String {
    format!("mail.{topic}")
}

/// The topic of rejection notices for oversized attachments.
pub(crate) const ATTACHMENT_REJECTED: &str = "attachment_rejected";

impl MailJob {
    pub(crate) fn to_person(topic: NoticeTopic, user: UserId) -> Self {
        Self {
            topic: topic.as_str().to_owned(),
            user_id: Some(user),
            address: None,
            body: None,
            target: None,
            reason: None,
            rejected: Vec::new(),
            actor_id: None,
            in_reply_to: None,
        }
    }

    /// The outbox message; `key` must be unique per logical notice.
    pub(crate) fn message(&self, key: String, recipient: Option<String>) -> OutboxMessage {
        OutboxMessage {
            topic: mail_topic(&self.topic),
            idempotency_key: key,
            payload: serde_json::to_string(self).unwrap_or_default(),
            recipient,
        }
    }
}

impl App {
    /// Sends mail through `config` from now on (`spoc serve --mail-from …`). Without it no
    /// e-mail is queued: notifications stay in-app.
    pub fn with_mail(mut self, config: MailConfig) -> Self {
        self.mail = Some(std::sync::Arc::new(config));
        self
    }

    /// The mail settings, if mail is on.
    pub fn mail_config(&self) -> Option<&MailConfig> {
        self.mail.as_deref()
    }

    /// The e-mails a ticket change sends (none when mail is off): the requester's and the
    /// assignee's notices (see [`spoc_domain::mail::notices`]), one outbox message per person,
    /// keyed by ticket, version, topic and person so the same change never queues one twice.
    /// For a ticket being logged (`version` 1) the store appends the new ticket's id to the key.
    pub(crate) fn notice_messages(
        &self,
        after: &Ticket,
        events: &[EventData],
        actor: Option<&Actor>,
    ) -> Vec<OutboxMessage> {
        if self.mail.is_none() {
            return Vec::new();
        }
        let planned = notices(
            after,
            events,
            actor.and_then(Actor::user_id),
            actor.is_some_and(Actor::is_staff),
        );
        planned
            .into_iter()
            .filter_map(|n| {
                let user = match n.to {
                    Audience::Requester => after.requester_id,
                    Audience::Assignee => after.assignee_id?,
                };
                let mut job = MailJob::to_person(n.topic, user);
                job.body = n.body;
                job.target = n.target;
                job.actor_id = actor.and_then(Actor::user_id);
                let key = if after.version <= 1 {
                    format!("mail.{}:u{}", n.topic, user)
                } else {
                    format!("mail.{}:{}:v{}:u{}", n.topic, after.id, after.version, user)
                };
                Some(job.message(key, None))
            })
            .collect()
    }

    /// E-mails to staff about a ticket (SLA warnings and breaches, escalations), one per
    /// person, keyed by `key` and the person.
    pub(crate) fn staff_messages(
        &self,
        topic: NoticeTopic,
        recipients: &[UserId],
        target: Option<SlaTarget>,
        reason: Option<&str>,
        key: &str,
    ) -> Vec<OutboxMessage> {
        if self.mail.is_none() {
            return Vec::new();
        }
        recipients
            .iter()
            .map(|&user| {
                let mut job = MailJob::to_person(topic, user);
                job.target = target;
                job.reason = reason.map(str::to_owned);
                job.message(format!("{key}:u{user}"), None)
            })
            .collect()
    }

    // ----- preferences -----

    /// The notification topics that concern the actor (by role) and whether each is on.
    pub async fn notification_preferences(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(NoticeTopic, bool)>, AppError> {
        permit(actor, None, Access::Read)?;
        let off = self
            .store
            .disabled_topics(actor.tenant_id, actor.person()?)
            .await?;
        Ok(topics_for(actor)
            .map(|t| (t, !off.iter().any(|o| o == t.as_str())))
            .collect())
    }

    /// Switches the actor's notifications on or off, topic by topic. Topics that do not concern
    /// the actor are refused.
    pub async fn set_notification_preferences(
        &self,
        actor: &Actor,
        choices: &[(String, bool)],
    ) -> Result<Vec<(NoticeTopic, bool)>, AppError> {
        permit(actor, None, Access::Write)?;
        let mine: Vec<NoticeTopic> = topics_for(actor).collect();
        for (topic, _) in choices {
            let known = NoticeTopic::parse(topic).ok();
            if !known.is_some_and(|t| mine.contains(&t)) {
                let names: Vec<&str> = mine.iter().map(|t| t.as_str()).collect();
                return Err(ValidationError::new(
                    "topic",
                    format!(
                        "{topic:?} is not one of your notifications: {}",
                        names.join(", ")
                    ),
                )
                .into());
            }
        }
        self.store.set_preferences(actor.person()?, choices).await?;
        self.notification_preferences(actor).await
    }

    // ----- admin: mailboxes, domain rules, the inbound log, the outbox -----

    /// Every mailbox (admins).
    pub async fn list_mailboxes(&self, actor: &Actor) -> Result<Vec<MailboxRecord>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        Ok(self.store.list_mailboxes(actor.tenant_id).await?)
    }

    /// One mailbox (admins).
    pub async fn get_mailbox(
        &self,
        actor: &Actor,
        id: MailboxId,
    ) -> Result<MailboxRecord, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        self.store
            .get_mailbox(actor.tenant_id, id)
            .await
            .map_err(not_found("mailbox"))
    }

    /// The mailbox named `name`, for `spoc mail deliver --mailbox NAME` (system use).
    pub async fn mailbox_named(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<MailboxRecord, AppError> {
        self.store
            .list_mailboxes(tenant)
            .await?
            .into_iter()
            .find(|m| m.name == name)
            .ok_or(AppError::NotFound { what: "mailbox" })
    }

    /// Adds (`id` `None`) or replaces a mailbox (admins). Names are unique; addresses and IMAP
    /// settings are checked. A replacement without a password keeps the stored one.
    pub async fn save_mailbox(
        &self,
        actor: &Actor,
        id: Option<MailboxId>,
        mut input: MailboxInput,
    ) -> Result<MailboxRecord, AppError> {
        permit(actor, Some(Resource::Admin), Access::Write)?;
        actor.may_administer()?;
        validate_mailbox(&input)?;
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
        saved.map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound { what: "mailbox" },
            StoreError::Conflict { unique: true, .. } => {
                AppError::Duplicate(format!("a mailbox named {} already exists", input.name))
            }
            other => other.into(),
        })
    }

    /// The IMAP settings of a mailbox with its password decrypted, to sign in with (system
    /// use: the poller). Never shown to anyone.
    pub fn imap_sign_in(
        &self,
        mailbox: &MailboxRecord,
    ) -> Result<Option<spoc_store::ImapSettings>, AppError> {
        let Some(imap) = mailbox.imap.as_ref() else {
            return Ok(None);
        };
        let mut imap = imap.clone();
        imap.password = self.reveal(&imap.password)?;
        Ok(Some(imap))
    }

    /// Takes one message delivered over HTTP (admins, or an MTA holding an admin's token) into
    /// the mailbox named `mailbox` (or none).
    pub async fn deliver_inbound(
        &self,
        actor: &Actor,
        mailbox: Option<&str>,
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
        self.ingest_mail(mailbox.as_ref(), raw).await
    }

    /// Leases one mailbox that is due to be polled to worker `owner` (system use).
    pub async fn claim_mailbox(&self, owner: &str) -> Result<Option<MailboxRecord>, AppError> {
        let now = self.now();
        Ok(self
            .store
            .claim_mailbox(now, owner, now.plus_micros(MAILBOX_LEASE_MICROS))
            .await?)
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
    ) -> Result<Vec<InboundRecord>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        may_oversee_mail(actor)?;
        Ok(self
            .store
            .list_inbound(
                actor.tenant_id,
                outcomes,
                unsettled,
                before,
                limit.clamp(1, 200),
            )
            .await?)
    }

    /// One inbound message (admins and leads).
    pub async fn get_inbound(
        &self,
        actor: &Actor,
        id: InboundId,
    ) -> Result<InboundRecord, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        may_oversee_mail(actor)?;
        self.store
            .get_inbound(actor.tenant_id, id)
            .await
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
    ) -> Result<Vec<InboundRecord>, AppError> {
        permit(actor, Some(Resource::Tickets), Access::Read)?;
        self.get_ticket(actor, ticket).await?;
        if !actor.is_staff() {
            return Ok(Vec::new());
        }
        Ok(self.store.inbound_of_ticket(ticket, &actor.scope()).await?)
    }

    /// One inbound message of a ticket the actor (staff) may see, for showing its sanitised
    /// HTML next to the ticket.
    pub async fn ticket_inbound(
        &self,
        actor: &Actor,
        id: InboundId,
    ) -> Result<InboundRecord, AppError> {
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
        Ok(record)
    }

    /// The outbox, newest first (admins): the messages in `state`, or every message.
    pub async fn list_outbox(
        &self,
        actor: &Actor,
        state: Option<OutboxState>,
        before: Option<OutboxId>,
        limit: i64,
    ) -> Result<Vec<OutboxRecord>, AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        Ok(self
            .store
            .list_outbox(actor.tenant_id, state, before, limit.clamp(1, 200))
            .await?)
    }

    /// Counts of messages waiting and of dead letters (admins).
    pub async fn outbox_counts(&self, actor: &Actor) -> Result<(i64, i64), AppError> {
        permit(actor, Some(Resource::Admin), Access::Read)?;
        actor.may_administer()?;
        Ok(self.store.outbox_counts(actor.tenant_id).await?)
    }

    /// Puts a dead letter back in the queue, to be sent at once (admins).
    pub async fn retry_outbox(
        &self,
        actor: &Actor,
        id: OutboxId,
    ) -> Result<OutboxRecord, AppError> {
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
        Ok(self.store.get_outbox(actor.tenant_id, id).await?)
    }
}

/// Who may see and settle the inbound log: admins and leads.
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
        Ok(clean)
    }
}

fn may_oversee_mail(actor: &Actor) -> Result<(), AppError> {
    match actor.role {
        spoc_domain::user::Role::Admin | spoc_domain::user::Role::Lead => Ok(()),
        _ => Err(AppError::Forbidden(
            "only admins and leads can see the mail log".to_owned(),
        )),
    }
}

/// The notices that concern an actor: the requester's for everyone (staff log tickets for
/// themselves too), the staff notices for staff.
fn topics_for(actor: &Actor) -> impl Iterator<Item = NoticeTopic> + '_ {
    NoticeTopic::ALL
        .iter()
        .copied()
        .filter(move |t| t.is_for_requester() || actor.is_staff())
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

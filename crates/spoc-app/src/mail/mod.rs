//! The e-mail channel's use cases: notifications queued in the same transaction as the change
//! that causes them ([`App::notice_messages`]), inbound mail becoming tickets and replies
//! ([`inbound`], reading the message with [`message`]), delivery of the outbox through a
//! [`MailTransport`] with retries and dead letters ([`outbound`]), and the setup and oversight
//! admins need (mailboxes in [`mailboxes`]; domain rules, the inbound log and the outbox in
//! [`oversight`]; held and quarantined messages released in [`release`]) plus each person's
//! notification preferences and the attachments of tickets they may see. The read models and
//! inputs the adapters see are in [`model`].

mod account_mail;
mod inbound;
mod links;
mod mail_text;
mod mailboxes;
mod message;
mod model;
mod outbound;
mod oversight;
mod relay;
mod release;
mod replies;
mod tenant_addresses;

use crate::auth::permit;
use spoc_domain::credential::Access;
use std::future::Future;

use spoc_domain::access::Actor;
use spoc_domain::event::EventData;
use spoc_domain::mail::{Audience, NoticeTopic, notices};
use spoc_domain::sla::SlaTarget;
use spoc_domain::ticket::Ticket;
use spoc_domain::{UserId, ValidationError};
use spoc_store::OutboxMessage;

pub(crate) use account_mail::{PASSWORD_RESET, TEST_MESSAGE};
pub use inbound::IngestResult;
pub use links::{ActionLink, LinkAction};
pub use model::{ImapServer, ImapSettings, InboundMessage, Mailbox, MailboxInput, OutboxEntry};
pub use outbound::{DeliveryStats, MAX_ATTEMPTS as MAX_MAIL_ATTEMPTS};
pub(crate) use relay::RelayCache;
pub use relay::{Relay, RelayInput, RelaySecurity, RelaySettings, parse_sender};
pub use release::Release;
pub use tenant_addresses::MAX_TENANT_MAIL_ADDRESSES;

use crate::{App, AppError};

/// The settings key of the secret that makes outbound Message-IDs unguessable.
pub(crate) const MAIL_SECRET_KEY: &str = "mail_secret";

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

    /// Whether the transport has a relay of its own (`--smtp-url`; test recorders do). Without
    /// one, only the mail of tenants that saved a relay is delivered; the rest waits.
    fn has_own_relay(&self) -> bool {
        true
    }

    /// Sends `message` through `relay` (the one an admin saved), or through the transport's
    /// own relay (`--smtp-url`) when `relay` is `None`. Transports without a notion of relays
    /// (test recorders) just [`MailTransport::send`].
    fn send_through(
        &self,
        relay: Option<&Relay>,
        envelope_from: &str,
        recipients: &[String],
        message: &[u8],
    ) -> impl Future<Output = Result<(), SendError>> + Send {
        let _ = relay;
        self.send(envelope_from, recipients, message)
    }
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
    /// For the auto-close notice: when the resolved ticket closes by itself (µs since the
    /// epoch), said in the recipient's language when the mail is written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<i64>,
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
            closes_at: None,
        }
    }

    /// A message of `topic` (an account topic such as a test message) to a bare address.
    pub(crate) fn to_address(topic: &str, address: &str) -> Self {
        Self {
            topic: topic.to_owned(),
            user_id: None,
            address: Some(address.to_owned()),
            body: None,
            target: None,
            reason: None,
            rejected: Vec::new(),
            actor_id: None,
            in_reply_to: None,
            closes_at: None,
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
        tenant: spoc_domain::TenantId,
        after: &Ticket,
        events: &[EventData],
        actor: Option<&Actor>,
    ) -> Vec<OutboxMessage> {
        if !self.mail_on_cached(tenant) {
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
        tenant: spoc_domain::TenantId,
        topic: NoticeTopic,
        recipients: &[UserId],
        target: Option<SlaTarget>,
        reason: Option<&str>,
        key: &str,
    ) -> Vec<OutboxMessage> {
        if !self.mail_on_cached(tenant) {
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
}

/// Who may see and settle the inbound log: admins and leads.
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

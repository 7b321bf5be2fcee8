//! Outbound mail: the delivery worker's use case. It claims queued e-mails through leases (so
//! several nodes never send the same one), renders each from its notice and the ticket as it is
//! now, hands it to a [`MailTransport`], and records the outcome: delivered, retried later with
//! exponential backoff while the relay is down, or — after the last attempt, or when the relay
//! refuses it for good — a dead letter admins can see and retry.
//!
//! Every e-mail's Message-ID is derived from its outbox key, so a message sent again after a
//! crash between the relay's acceptance and the record of it carries the same Message-ID, and
//! receivers can tell the two copies are one.

use std::collections::HashMap;

use spoc_domain::access::{Principal, Scope, SystemActor};
use spoc_domain::event::EventData;
use spoc_domain::lifecycle;
use spoc_domain::mail::NoticeTopic;
use spoc_domain::sla::SlaTarget;
use spoc_domain::ticket::Ticket;
use spoc_domain::{TenantId, TicketId, Timestamp, UserId};
use spoc_i18n::{Language, Message};
use spoc_store::{NewNotification, OutboxRecord, StoreError, TicketChange};

use super::mail_text::{MailText, say};
use super::{ATTACHMENT_REJECTED, MAIL_SECRET_KEY, MailConfig, MailJob, MailTransport, SendError};
use crate::{App, AppError};

/// How long a worker holds a claimed e-mail before another may take it over. The lease is
/// renewed just before each message is sent, so it only has to outlast one send (the relay's
/// timeout is 30 s); a crashed worker's messages are taken over within a minute.
const LEASE_MICROS: i64 = 60 * 1_000_000;
/// The first retry waits this long; each further one twice as long.
const FIRST_RETRY_MICROS: i64 = 30 * 1_000_000;
/// No retry waits longer than this.
const MAX_RETRY_MICROS: i64 = 60 * 60 * 1_000_000;
/// After this many failed attempts (about seven hours of trying) an e-mail is a dead letter.
pub const MAX_ATTEMPTS: i64 = 12;
/// The in-app notification topic for a notification that could not be delivered.
const UNDELIVERABLE_TOPIC: &str = "notification_undeliverable";
/// The relay's answer is kept up to this many characters on the ticket.
const MAX_REASON_CHARS: usize = 500;

/// What one delivery pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeliveryStats {
    /// Handed to the relay.
    pub sent: usize,
    /// Failed and to be retried.
    pub retrying: usize,
    /// Given up on (dead letters).
    pub dead: usize,
    /// Not sent on purpose (the recipient switched the notice off, or has no address).
    pub skipped: usize,
}

impl DeliveryStats {
    /// How many e-mails the pass handled in all.
    pub fn handled(&self) -> usize {
        self.sent + self.retrying + self.dead + self.skipped
    }
}

/// The wait before attempt `attempts + 1`, after `attempts` failures.
fn backoff(attempts: i64) -> i64 {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    FIRST_RETRY_MICROS
        .saturating_mul(1_i64 << exponent)
        .min(MAX_RETRY_MICROS)
}

/// An e-mail ready to send, or the reason it is not sent.
enum Composed {
    Send {
        recipient: String,
        bytes: Vec<u8>,
        ticket: Option<TicketId>,
        thread_ids: Vec<String>,
    },
    Skip(String),
}

impl App {
    /// Delivers up to `limit` due e-mails through `transport`, as worker `owner`. Nothing
    /// happens while mail is off.
    pub async fn deliver_mail<T: MailTransport>(
        &self,
        transport: &T,
        owner: &str,
        limit: i64,
    ) -> Result<DeliveryStats, AppError> {
        self.deliver_mail_until(transport, owner, limit, &|| false)
            .await
    }

    /// [`App::deliver_mail`], stopping before the next e-mail once `stopping` says so (the
    /// node is shutting down): an e-mail is either sent and recorded or left untouched, and
    /// the claims left over stay with `owner` until it hands them back.
    pub async fn deliver_mail_until<T: MailTransport>(
        &self,
        transport: &T,
        owner: &str,
        limit: i64,
        stopping: &(dyn Fn() -> bool + Sync),
    ) -> Result<DeliveryStats, AppError> {
        let now = self.now();
        let saved_relays = if transport.has_own_relay() {
            None
        } else {
            Some(
                self.store
                    .tenants_with_setting(super::relay::RELAY_KEY)
                    .await?,
            )
        };
        let claimed = self
            .store
            .claim_outbox_of(
                "mail.",
                saved_relays.as_deref(),
                now,
                owner,
                now.plus_micros(LEASE_MICROS),
                limit,
            )
            .await?;
        let mut stats = DeliveryStats::default();
        if claimed.is_empty() {
            return Ok(stats);
        }
        // Each tenant's Message-ID secret, read once per run.
        let mut secrets: HashMap<TenantId, String> = HashMap::new();
        for record in claimed {
            if stopping() {
                break;
            }
            let tenant = record.tenant_id;
            // Read at send time (cached briefly): settings saved in admin apply without a restart.
            let Some(mail) = self.tenant_mail(tenant).await? else {
                self.store
                    .outbox_skipped(record.id, owner, "e-mail is off on this desk", now)
                    .await?;
                stats.skipped += 1;
                continue;
            };
            let config = mail.config.clone();
            let secret = match secrets.get(&tenant) {
                Some(secret) => secret.clone(),
                None => {
                    let secret = self
                        .store
                        .get_setting(tenant, MAIL_SECRET_KEY)
                        .await?
                        .unwrap_or_default();
                    secrets.insert(tenant, secret.clone());
                    secret
                }
            };
            if !self
                .store
                .renew_outbox_lease(record.id, owner, self.now().plus_micros(LEASE_MICROS))
                .await?
            {
                continue;
            }
            let composed = match self.compose(tenant, &config, &secret, &record, now).await {
                Ok(composed) => composed,
                Err(e @ AppError::Unavailable(_)) => return Err(e),
                Err(e) => {
                    // A message that cannot be rendered never will be: set it aside visibly.
                    let why = format!("cannot be composed: {e}");
                    self.store
                        .outbox_failed(record.id, owner, &why, now, None)
                        .await?;
                    stats.dead += 1;
                    let recipient = record.recipient.clone().unwrap_or_default();
                    self.tell_undeliverable(&record, &recipient, &why).await?;
                    continue;
                }
            };
            let (recipient, bytes, ticket, thread_ids) = match composed {
                Composed::Skip(why) => {
                    self.store
                        .outbox_skipped(record.id, owner, &why, now)
                        .await?;
                    stats.skipped += 1;
                    continue;
                }
                Composed::Send {
                    recipient,
                    bytes,
                    ticket,
                    thread_ids,
                } => (recipient, bytes, ticket, thread_ids),
            };
            if let Some(ticket) = ticket {
                // Before sending, so a reply can never arrive for a Message-ID Spoc does not know.
                self.store
                    .add_outbound_threads(ticket, &thread_ids, now)
                    .await?;
            }
            match transport
                .send_through(
                    mail.relay.as_deref(),
                    config.from.email(),
                    std::slice::from_ref(&recipient),
                    &bytes,
                )
                .await
            {
                Ok(()) => {
                    if self
                        .store
                        .outbox_delivered(record.id, owner, self.now())
                        .await?
                    {
                        stats.sent += 1;
                    }
                }
                Err(SendError::Transient(why)) => {
                    let attempts = record.attempts + 1;
                    let retry_at = (attempts < MAX_ATTEMPTS)
                        .then(|| self.now().plus_micros(backoff(attempts)));
                    self.store
                        .outbox_failed(record.id, owner, &why, self.now(), retry_at)
                        .await?;
                    if retry_at.is_some() {
                        stats.retrying += 1;
                    } else {
                        stats.dead += 1;
                        self.tell_undeliverable(&record, &recipient, &why).await?;
                    }
                }
                Err(SendError::Permanent(why)) => {
                    self.store
                        .outbox_failed(record.id, owner, &why, self.now(), None)
                        .await?;
                    stats.dead += 1;
                    self.tell_undeliverable(&record, &recipient, &why).await?;
                }
            }
        }
        Ok(stats)
    }

    /// Tells a ticket's agents that a notification about it became a dead letter: a staff-only
    /// event on the ticket, and an in-app notification to the assignee (or, while nobody is
    /// assigned, the active staff of the ticket's group). Once per outbox message, even when
    /// an admin sends it again and it fails again.
    async fn tell_undeliverable(
        &self,
        record: &OutboxRecord,
        recipient: &str,
        reason: &str,
    ) -> Result<(), AppError> {
        let Some(ticket_id) = record.ticket_id else {
            return Ok(());
        };
        let tenant = record.tenant_id;
        let told = self
            .store
            .list_events(ticket_id, &Scope::tenant(tenant), true)
            .await?
            .iter()
            .any(|e| {
                matches!(e.data, EventData::NotificationUndeliverable { outbox_id, .. } if outbox_id == record.id)
            });
        if told {
            return Ok(());
        }
        let ticket = match self
            .store
            .get_ticket(ticket_id, &Scope::tenant(tenant))
            .await
        {
            Ok(ticket) => ticket,
            Err(StoreError::NotFound) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let people: Vec<UserId> = match ticket.assignee_id {
            Some(assignee) => vec![assignee],
            None => self
                .store
                .group_members(tenant, ticket.group_id)
                .await?
                .into_iter()
                .filter(|u| u.active && u.role.is_staff())
                .map(|u| u.id)
                .collect(),
        };
        let topic = record
            .topic
            .strip_prefix("mail.")
            .unwrap_or(&record.topic)
            .to_owned();
        let recipient = if recipient.is_empty() {
            "its recipient".to_owned()
        } else {
            recipient.to_owned()
        };
        let reason: String = reason.chars().take(MAX_REASON_CHARS).collect();
        let message = format!(
            "The {} notification about {} could not be delivered to {recipient}: {reason}",
            topic.replace('_', " "),
            ticket.number()
        );
        let event = EventData::NotificationUndeliverable {
            outbox_id: record.id,
            recipient,
            topic,
            reason,
        };
        let now = self.now();
        self.store
            .update_ticket(
                ticket_id,
                tenant.into(),
                Some(Principal::System(SystemActor::MailDelivery)),
                |current, _| {
                    let outcome = lifecycle::record(current, event, now)?;
                    Ok::<_, AppError>(Some(TicketChange {
                        ticket: outcome.ticket,
                        events: outcome.events,
                        outbox: Vec::new(),
                        notifications: people
                            .iter()
                            .map(|&user_id| NewNotification {
                                user_id,
                                topic: UNDELIVERABLE_TOPIC.to_owned(),
                                message: message.clone(),
                            })
                            .collect(),
                        sla: None,
                        mail: None,
                        sop: None,
                        article_use: None,
                    }))
                },
            )
            .await?;
        Ok(())
    }

    /// Renders one queued e-mail as it should go out now.
    async fn compose(
        &self,
        tenant: TenantId,
        config: &MailConfig,
        secret: &str,
        record: &OutboxRecord,
        now: Timestamp,
    ) -> Result<Composed, AppError> {
        let job: MailJob = serde_json::from_str(&record.payload)
            .map_err(|e| AppError::Internal(StoreError::Corrupt(format!("outbox payload: {e}"))))?;
        let (recipient, name, is_staff, language) = match (job.user_id, &job.address) {
            (Some(user), _) => {
                let user = match self.store.get_user(tenant, user).await {
                    Ok(user) => user,
                    Err(StoreError::NotFound) => {
                        return Ok(Composed::Skip(
                            "Not sent: the recipient no longer exists.".to_owned(),
                        ));
                    }
                    Err(e) => return Err(e.into()),
                };
                if !user.active {
                    return Ok(Composed::Skip(
                        "Not sent: the recipient's account is deactivated.".to_owned(),
                    ));
                }
                if self
                    .store
                    .disabled_topics(tenant, user.id)
                    .await?
                    .contains(&job.topic)
                {
                    return Ok(Composed::Skip(
                        "Not sent: the recipient switched this notification off.".to_owned(),
                    ));
                }
                // Written in the recipient's language, as they chose it for the pages.
                let (_, language) = self.store.person_settings(tenant, user.id).await?;
                let language = language
                    .as_deref()
                    .and_then(Language::parse)
                    .unwrap_or_default();
                (user.email, user.name, user.role.is_staff(), language)
            }
            (None, Some(address)) => (address.clone(), String::new(), false, Language::En),
            (None, None) => {
                return Ok(Composed::Skip(
                    "Not sent: the message names no recipient.".to_owned(),
                ));
            }
        };
        let Ok(to) = spoc_mail::Address::parse(&recipient) else {
            return Ok(Composed::Skip(format!(
                "Not sent: {recipient:?} is not an address mail can be sent to."
            )));
        };
        let to = if name.is_empty() {
            to
        } else {
            to.with_name(&name)
        };
        let ticket = match record.ticket_id {
            Some(id) => match self.store.get_ticket(id, &Scope::tenant(tenant)).await {
                Ok(ticket) => Some(ticket),
                Err(StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        let domain = config.from.domain().to_owned();
        let message_id =
            spoc_mail::message_id_for(&format!("{secret}:{}", record.idempotency_key), &domain);
        let mut thread_ids = vec![message_id.clone()];
        let mut references = Vec::new();
        if let Some(ticket) = &ticket {
            if let Some(root) = self.store.thread_root(ticket.id).await? {
                references.push(root);
            }
            let ticket_root =
                spoc_mail::message_id_for(&format!("{secret}:ticket:{}", ticket.id), &domain);
            references.push(ticket_root.clone());
            thread_ids.push(ticket_root);
        }
        let in_reply_to = job
            .in_reply_to
            .clone()
            .or_else(|| references.first().cloned());
        let link = ticket.as_ref().map(|t| {
            if is_staff {
                format!("{}/desk/tickets/{}", config.public_url, t.id)
            } else {
                format!("{}/portal/tickets/{}", config.public_url, t.id)
            }
        });
        let sla_line = match (&ticket, job.topic.as_str()) {
            (Some(t), "ticket_logged") => self.sla_line(tenant, t, language).await?,
            _ => None,
        };
        let due_line = match (&ticket, job.target) {
            (Some(t), Some(target)) => self.due_line(tenant, t, target, language).await?,
            _ => None,
        };
        let author = match job.actor_id {
            Some(id) => self
                .store
                .get_users(tenant, &[id])
                .await?
                .into_iter()
                .next()
                .map(|u| u.name),
            None => None,
        };
        let group = match &ticket {
            Some(t) => Some(self.store.get_group(tenant, t.group_id).await?.name),
            None => None,
        };
        // The requester may have no password: the resolution notice carries one-time links.
        let links = match (&ticket, job.topic.as_str()) {
            (Some(t), "resolved")
                if t.status == spoc_domain::ticket::Status::Resolved && !is_staff =>
            {
                let confirm = self
                    .issue_action_link(t, super::LinkAction::Confirm)
                    .await?;
                let reopen = self.issue_action_link(t, super::LinkAction::Reopen).await?;
                Some((
                    format!("{}/mail-actions/{confirm}", config.public_url),
                    format!("{}/mail-actions/{reopen}", config.public_url),
                ))
            }
            (Some(t), "resolved") => {
                let page = format!("{}/portal/tickets/{}#confirm-fix", config.public_url, t.id);
                Some((page.clone(), page))
            }
            _ => None,
        };
        let rendered = render(RenderInput {
            job: &job,
            ticket: ticket.as_ref(),
            link: link.as_deref(),
            portal: &format!("{}/portal", config.public_url),
            author: author.as_deref(),
            group: group.as_deref(),
            sla_line: sla_line.as_deref(),
            due_line: due_line.as_deref(),
            links,
            language,
        })?;
        // A ticket of a tenant with its own addresses is answered from the first, so replies
        // come back to it and are routed to the tenant.
        let own = match &ticket {
            Some(_) => {
                self.tenant_reply_address(tenant)
                    .await?
                    .map(|own| match config.from.name() {
                        Some(name) => own.with_name(name),
                        None => own,
                    })
            }
            None => None,
        };
        let outgoing = spoc_mail::Outgoing {
            from: own.clone().unwrap_or_else(|| config.from.clone()),
            to: vec![to],
            subject: rendered.subject,
            message_id,
            in_reply_to,
            references,
            text: rendered.text,
            html: Some(rendered.html),
            auto_submitted: true,
            headers: Vec::new(),
            reply_to: own,
        };
        let bytes = spoc_mail::build(&outgoing, now.as_micros() / 1_000_000)
            .map_err(|e| AppError::Internal(StoreError::Corrupt(format!("building mail: {e}"))))?;
        Ok(Composed::Send {
            recipient: recipient.clone(),
            bytes,
            ticket: ticket.map(|t| t.id),
            thread_ids,
        })
    }

    /// "We aim to answer by … and to resolve it by …", from the ticket's running clocks.
    async fn sla_line(
        &self,
        tenant: TenantId,
        ticket: &Ticket,
        language: Language,
    ) -> Result<Option<String>, AppError> {
        let views = self.sla_views(tenant, &[ticket]).await?;
        let Some(clocks) = views.get(&ticket.id) else {
            return Ok(None);
        };
        let due = |target: SlaTarget| {
            clocks.iter().find(|c| c.target == target).and_then(|c| {
                c.due_at
                    .map(|d| describe_instant(d, &c.time_zone, language))
            })
        };
        Ok(
            match (due(SlaTarget::FirstResponse), due(SlaTarget::Resolution)) {
                (Some(answer), Some(resolve)) => {
                    Some(MailText::AimBoth.fill(language, &[&answer, &resolve]))
                }
                (None, Some(resolve)) => Some(MailText::AimResolve.fill(language, &[&resolve])),
                (Some(answer), None) => Some(MailText::AimAnswer.fill(language, &[&answer])),
                (None, None) => None,
            },
        )
    }

    /// "Due Tue 1 Dec 14:30 (Europe/Stockholm)" for one clock of the ticket.
    async fn due_line(
        &self,
        tenant: TenantId,
        ticket: &Ticket,
        target: SlaTarget,
        language: Language,
    ) -> Result<Option<String>, AppError> {
        let views = self.sla_views(tenant, &[ticket]).await?;
        Ok(views.get(&ticket.id).and_then(|clocks| {
            clocks.iter().find(|c| c.target == target).and_then(|c| {
                c.due_at.map(|d| {
                    MailText::Due.fill(language, &[&describe_instant(d, &c.time_zone, language)])
                })
            })
        }))
    }
}

/// An instant in a time zone for people: `Tue 1 Dec 2026 14:30 (Europe/Stockholm)`.
fn describe_instant(at: Timestamp, zone: &str, language: Language) -> String {
    let instant =
        jiff::Timestamp::from_microsecond(at.as_micros()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let format = say(MailText::DateFormat, language);
    match jiff::tz::TimeZone::get(zone) {
        Ok(tz) => format!("{} ({zone})", instant.to_zoned(tz).strftime(format)),
        Err(_) => format!("{} (UTC)", instant.strftime(format)),
    }
}

/// What a template needs.
struct RenderInput<'a> {
    job: &'a MailJob,
    ticket: Option<&'a Ticket>,
    link: Option<&'a str>,
    portal: &'a str,
    author: Option<&'a str>,
    group: Option<&'a str>,
    sla_line: Option<&'a str>,
    due_line: Option<&'a str>,
    /// The recipient's language.
    language: Language,
    /// For a resolution notice: the one-time confirm and reopen links.
    links: Option<(String, String)>,
}

/// The notice of `input.job`, rendered into subject, text and HTML.
fn render(input: RenderInput<'_>) -> Result<spoc_mail::Rendered, AppError> {
    use spoc_mail::Notice;
    let job = input.job;
    let language = input.language;
    let say = |msg: MailText| say(msg, language);
    if let Some(rendered) = super::account_mail::render_account_mail(job, language) {
        return Ok(rendered);
    }
    let missing = |what: &str| {
        AppError::Internal(StoreError::Corrupt(format!(
            "a {} notice without {what}",
            job.topic
        )))
    };
    let summary = || -> Result<spoc_mail::TicketSummary, AppError> {
        let ticket = input.ticket.ok_or_else(|| missing("a ticket"))?;
        Ok(spoc_mail::TicketSummary {
            number: ticket.number().to_string(),
            title: ticket.title.clone(),
            url: input
                .link
                .map_or_else(|| input.portal.to_owned(), str::to_owned),
        })
    };
    let body = || job.body.clone().unwrap_or_default();
    let target = || super::mail_text::target(job.target, language);
    let due = || input.due_line.unwrap_or(say(MailText::Now)).to_owned();
    let notice = if job.topic == ATTACHMENT_REJECTED {
        Notice::AttachmentsRejected {
            ticket: input.ticket.map(|_| summary()).transpose()?,
            original_subject: job.reason.clone().unwrap_or_default(),
            files: job
                .rejected
                .iter()
                .map(|r| spoc_mail::RejectedAttachment {
                    filename: r.filename.clone(),
                    content_type: r.content_type.clone(),
                    size: usize::try_from(r.size).unwrap_or(0),
                    reason: r.reason.clone(),
                })
                .collect(),
        }
    } else {
        let topic = NoticeTopic::parse(&job.topic).map_err(|_| missing("a known topic"))?;
        match topic {
            NoticeTopic::TicketLogged => Notice::TicketLogged {
                ticket: summary()?,
                next_step: match input.group {
                    Some(group) => MailText::NextStepGroup.fill(language, &[&group]),
                    None => say(MailText::NextStepDesk).to_owned(),
                },
                sla: input.sla_line.map(str::to_owned),
            },
            NoticeTopic::AgentReply => Notice::AgentReply {
                ticket: summary()?,
                author: input
                    .author
                    .unwrap_or(say(MailText::TheServiceDesk))
                    .to_owned(),
                reply: body(),
            },
            NoticeTopic::PendingOnYou => Notice::PendingOnUser {
                ticket: summary()?,
                request: job
                    .body
                    .clone()
                    .unwrap_or_else(|| say(MailText::PendingDefault).to_owned()),
            },
            NoticeTopic::Resolved => {
                let ticket = input.ticket.ok_or_else(|| missing("a ticket"))?;
                let (confirm_url, reopen_url) = input
                    .links
                    .clone()
                    .ok_or_else(|| missing("confirm and reopen links"))?;
                // The auto-close notice leads with when the ticket closes by itself.
                let notes = match job.closes_at {
                    Some(at) => {
                        let lead = MailText::ClosesBySelf.fill(
                            language,
                            &[
                                &ticket.number(),
                                &describe_instant(Timestamp::from_micros(at), "UTC", language),
                            ],
                        );
                        match body() {
                            notes if notes.is_empty() => lead,
                            notes => format!("{lead}\n\n{notes}"),
                        }
                    }
                    None => body(),
                };
                Notice::Resolved {
                    ticket: summary()?,
                    resolution: ticket
                        .resolution_code
                        .map_or(say(MailText::Resolved), |code| {
                            crate::words::resolution(code, language)
                        })
                        .to_owned(),
                    notes,
                    confirm_url,
                    reopen_url,
                }
            }
            NoticeTopic::Reopened => Notice::Reopened {
                ticket: summary()?,
                reason: job.body.clone(),
            },
            NoticeTopic::Closed => Notice::Closed { ticket: summary()? },
            NoticeTopic::CustomerReply => Notice::CustomerReply {
                ticket: summary()?,
                author: input
                    .author
                    .unwrap_or(say(MailText::TheRequester))
                    .to_owned(),
                reply: body(),
            },
            NoticeTopic::SlaWarning => Notice::SlaWarning {
                ticket: summary()?,
                target: target().to_owned(),
                due: due(),
            },
            NoticeTopic::SlaBreach => Notice::SlaBreach {
                ticket: summary()?,
                target: target().to_owned(),
                due: due(),
            },
            NoticeTopic::Escalation => Notice::Escalated {
                ticket: summary()?,
                reason: job.reason.clone().unwrap_or_default(),
            },
        }
    };
    Ok(notice.render_in("Spoc service desk", language))
}

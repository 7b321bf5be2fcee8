//! Inbound mail: one RFC 5322 message becomes a new ticket, a reply on its ticket, or a recorded
//! message that is held, quarantined, ignored or refused — always with the reason, always with
//! the raw message kept, and written in the same transaction as the ticket change it causes.
//!
//! The same Message-ID never makes two tickets (the store refuses a second record). A message
//! that cannot be read is quarantined and never blocks the ones after it. Only a message that
//! cannot be stored at all (the database is down) is an error, so the caller — the IMAP poller
//! or the MTA behind `spoc mail deliver` — keeps it and tries again.

use spoc_domain::access::{Principal, Scope, SystemActor};
use spoc_domain::event::EventData;
use spoc_domain::lifecycle;
use spoc_domain::mail::{InboundFacts, Route, Sender, ThreadMatch, ThreadVia, route};
use spoc_domain::text::{Email, Name};
use spoc_domain::ticket::TicketNumber;
use spoc_domain::user::Role;
use spoc_domain::{InboundId, TenantId, TicketId, Timestamp};
use spoc_store::{
    InboundRecord, MailWrite, NewInbound, OutboxMessage, SettleInbound, StoreError, TicketChange,
    UserRecord, sha256_hex,
};

use super::message::{
    attachments_of, body_from, derived_message_id, header_message_id, header_subject,
};
use super::{ATTACHMENT_REJECTED, MailJob, Mailbox};
use crate::{App, AppError, UserInput};
use spoc_domain::mail::InboundOutcome;

mod intake;

const HOUR: i64 = 3_600_000_000;

/// What became of one inbound message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngestResult {
    /// The inbound record (the earlier one, for a duplicate).
    pub inbound_id: InboundId,
    /// The message's Message-ID.
    pub message_id: String,
    /// What became of it.
    pub outcome: InboundOutcome,
    /// Why.
    pub reason: String,
    /// The ticket it created or joined, with its reference.
    pub ticket: Option<(TicketId, String)>,
    /// It was received before and was not processed again.
    pub duplicate: bool,
}

/// The parsed message and what it routes on.
pub(super) struct Prepared {
    pub(super) parsed: spoc_mail::Inbound,
    message_id: String,
    sha: String,
    pub(super) sender_address: String,
    pub(super) sender: Option<UserRecord>,
}

/// A message's record before it is written.
pub(super) struct Record<'a> {
    pub(super) tenant: TenantId,
    pub(super) mailbox: Option<&'a Mailbox>,
    pub(super) raw: &'a [u8],
    pub(super) prepared: &'a Prepared,
    pub(super) now: Timestamp,
    /// Why mail the provider received landed in this tenant, when it was routed by an address
    /// or a domain (written before the reason of what became of it).
    pub(super) routed: Option<String>,
}

impl Record<'_> {
    fn inbound(&self, outcome: InboundOutcome, reason: &str, auto_reply: &str) -> NewInbound {
        let p = self.prepared;
        NewInbound {
            tenant_id: self.tenant,
            // A mailbox is named only on its own tenant's records: mail the provider's shared
            // mailbox routed to a client tenant does not point into the provider's set-up.
            mailbox_id: self
                .mailbox
                .filter(|m| m.tenant_id == self.tenant)
                .map(|m| m.id),
            message_id: p.message_id.clone(),
            raw: self.raw.to_vec(),
            raw_sha256: p.sha.clone(),
            from_address: Some(p.sender_address.clone()).filter(|a| !a.is_empty()),
            subject: p.parsed.subject.clone(),
            received_at: self.now,
            outcome,
            reason: match &self.routed {
                Some(why) => format!("{why} {reason}"),
                None => reason.to_owned(),
            },
            auto_reply: auto_reply.to_owned(),
            ticket_id: None,
            html: p.parsed.html.clone(),
            warnings: p.parsed.warnings.clone(),
        }
    }
}

/// The tenant a message is received for: its mailbox's. Mail an MTA delivers without naming a
/// mailbox is the provider's, and routed from there (`route_received`).
fn tenant_of(mailbox: Option<&Mailbox>) -> TenantId {
    mailbox.map_or(TenantId::FIRST, |m| m.tenant_id)
}

impl App {
    /// Takes one inbound message (from a mailbox, or delivered by an MTA when `mailbox` is
    /// `None`) and records what becomes of it. `Err` only when it could not be stored at all.
    pub async fn ingest_mail(
        &self,
        mailbox: Option<&Mailbox>,
        raw: &[u8],
    ) -> Result<IngestResult, AppError> {
        self.ingest_mail_for(tenant_of(mailbox), mailbox, raw, None)
            .await
    }

    /// [`App::ingest_mail`] with the envelope recipient, when the MTA tells it (`spoc mail
    /// deliver --recipient`): mail the provider receives is routed by it first.
    pub async fn ingest_mail_to(
        &self,
        mailbox: Option<&Mailbox>,
        envelope: Option<&str>,
        raw: &[u8],
    ) -> Result<IngestResult, AppError> {
        self.ingest_mail_for(tenant_of(mailbox), mailbox, raw, envelope)
            .await
    }

    /// Takes one inbound message into `tenant` (the mailbox's own tenant when there is one):
    /// a message an admin delivers lands in the admin's tenant, never another's. What the
    /// provider receives (its mailbox, its admins' deliveries) is routed to the tenant it is for
    /// — by a recipient address (`envelope` first, the envelope recipient if the MTA told it),
    /// else by the sender's domain; what a client tenant receives stays there.
    pub(crate) async fn ingest_mail_for(
        &self,
        tenant: TenantId,
        mailbox: Option<&Mailbox>,
        raw: &[u8],
        envelope: Option<&str>,
    ) -> Result<IngestResult, AppError> {
        let tenant = mailbox.map_or(tenant, |m| m.tenant_id);
        let now = self.now();
        let sha = sha256_hex(raw);
        let parsed = match spoc_mail::parse(raw, &spoc_mail::Limits::default()) {
            Ok(parsed) => parsed,
            Err(e) => {
                let message_id = header_message_id(raw).unwrap_or_else(|| derived_message_id(&sha));
                return self
                    .quarantine(tenant, mailbox, raw, &sha, &message_id, &e.to_string(), now)
                    .await;
            }
        };
        let message_id = parsed
            .message_id
            .clone()
            .unwrap_or_else(|| derived_message_id(&sha));
        let (tenant, routed) = if tenant == TenantId::FIRST {
            let routed = self.route_received(&parsed, envelope).await?;
            (routed.tenant, routed.why)
        } else {
            (tenant, None)
        };
        if let Some(existing) = self.store.find_inbound(tenant, &message_id).await? {
            return Ok(duplicate(existing));
        }
        let prepared = self.prepare(tenant, parsed, message_id, sha).await?;
        let record = Record {
            tenant,
            mailbox,
            raw,
            prepared: &prepared,
            now,
            routed,
        };
        match self.process(&record, None, false).await {
            Ok(result) => Ok(result),
            Err(AppError::Duplicate(_)) => {
                // A concurrent delivery of the same message won the race.
                match self
                    .store
                    .find_inbound(tenant, &prepared.message_id)
                    .await?
                {
                    Some(existing) => Ok(duplicate(existing)),
                    None => Err(AppError::Internal(StoreError::Corrupt(
                        "a duplicate inbound message is not on record".to_owned(),
                    ))),
                }
            }
            Err(e @ AppError::Unavailable(_)) => Err(e),
            Err(e) => {
                tracing::warn!(error = %e, "an inbound message could not be processed; it is quarantined");
                self.quarantine(
                    tenant,
                    mailbox,
                    raw,
                    &prepared.sha,
                    &prepared.message_id,
                    &format!("It could not be processed: {e}."),
                    now,
                )
                .await
            }
        }
    }

    /// A parsed message with its sender looked up.
    pub(super) async fn prepare(
        &self,
        tenant: TenantId,
        parsed: spoc_mail::Inbound,
        message_id: String,
        sha: String,
    ) -> Result<Prepared, AppError> {
        let sender_address = parsed
            .from
            .as_ref()
            .map(|a| a.email().to_owned())
            .unwrap_or_default();
        let sender = match sender_address.as_str() {
            "" => None,
            address => self.store.find_user_by_email(tenant, address).await?,
        };
        Ok(Prepared {
            parsed,
            message_id,
            sha,
            sender_address,
            sender,
        })
    }

    /// Records a message that cannot be processed, with the reason.
    #[allow(clippy::too_many_arguments)]
    async fn quarantine(
        &self,
        tenant: TenantId,
        mailbox: Option<&Mailbox>,
        raw: &[u8],
        sha: &str,
        message_id: &str,
        reason: &str,
        now: Timestamp,
    ) -> Result<IngestResult, AppError> {
        if let Some(existing) = self.store.find_inbound(tenant, message_id).await? {
            return Ok(duplicate(existing));
        }
        let inbound = NewInbound {
            tenant_id: tenant,
            mailbox_id: mailbox.filter(|m| m.tenant_id == tenant).map(|m| m.id),
            message_id: message_id.to_owned(),
            raw: raw.to_vec(),
            raw_sha256: sha.to_owned(),
            from_address: None,
            subject: header_subject(raw),
            received_at: now,
            outcome: InboundOutcome::Quarantined,
            reason: reason.to_owned(),
            auto_reply: "Nothing is sent back for a message that could not be read.".to_owned(),
            ticket_id: None,
            html: None,
            warnings: Vec::new(),
        };
        let id = self.store.record_inbound(&inbound).await?;
        Ok(IngestResult {
            inbound_id: id,
            message_id: message_id.to_owned(),
            outcome: InboundOutcome::Quarantined,
            reason: reason.to_owned(),
            ticket: None,
            duplicate: false,
        })
    }

    /// Routes a prepared message and writes what it causes. `settle` names the held or
    /// quarantined record being processed again (instead of writing a new record); `vouched`
    /// says an admin vouched that it comes from the person it names.
    pub(super) async fn process(
        &self,
        record: &Record<'_>,
        settle: Option<SettleInbound>,
        vouched: bool,
    ) -> Result<IngestResult, AppError> {
        let tenant = record.tenant;
        let p = record.prepared;
        let now = record.now;
        let own = self.own_addresses().await?;
        let staff_unverified = match &p.sender {
            Some(user) if user.active && user.role.is_staff() && !vouched => {
                let trusted = self.trusted_authserv_ids(tenant).await?;
                p.parsed.sender_authentication(&trusted).err()
            }
            _ => None,
        };
        let automation = &p.parsed.automation;
        let facts = InboundFacts {
            sender_address: if p.sender_address.is_empty() {
                "the sender".to_owned()
            } else {
                p.sender_address.clone()
            },
            from_own_address: own.contains(&p.sender_address),
            automated: automation.reasons().next().map(str::to_owned),
            sender: match (&p.sender, p.sender_address.is_empty()) {
                (_, true) => Sender::Missing,
                (Some(user), false) => Sender::Known {
                    user_id: user.id,
                    active: user.active,
                },
                (None, false) => Sender::Unknown,
            },
            staff_unverified,
            thread: self.thread_of(tenant, p).await?,
            unknown_senders: record
                .mailbox
                .map_or(spoc_domain::mail::UnknownSenders::Create, |m| {
                    m.unknown_senders
                }),
            non_participants: record
                .mailbox
                .map_or(spoc_domain::mail::NonParticipants::NewTicket, |m| {
                    m.non_participants
                }),
            recent_from_sender: if p.sender_address.is_empty() || settle.is_some() {
                0
            } else {
                self.store
                    .count_inbound_from(tenant, &p.sender_address, now.plus_micros(-HOUR))
                    .await?
            },
        };
        let decision = route(&facts);
        // A participant's reply to a finished ticket starts a follow-up linked to it.
        let follows = (facts.thread.as_ref())
            .filter(|t| t.sender_is_participant && !t.status.is_open())
            .map(|t| t.ticket_id);
        let recent_answers = if p.sender_address.is_empty() {
            0
        } else {
            // Automatic answers: acknowledgements and rejection notices.
            let topics = [
                super::mail_topic(spoc_domain::mail::NoticeTopic::TicketLogged.as_str()),
                super::mail_topic(ATTACHMENT_REJECTED),
            ];
            let topics: Vec<&str> = topics.iter().map(String::as_str).collect();
            self.store
                .count_outbox_to(tenant, &p.sender_address, &topics, now.plus_micros(-HOUR))
                .await?
        };
        let answer = spoc_domain::mail::may_answer_automatically(
            &decision,
            automation.reasons().next(),
            recent_answers,
        );
        match decision {
            Route::Ignore { reason } => {
                self.record_only(record, settle, InboundOutcome::Ignored, &reason, &answer)
                    .await
            }
            Route::Refuse { reason } => {
                self.record_only(record, settle, InboundOutcome::Refused, &reason, &answer)
                    .await
            }
            Route::Hold { reason } => {
                self.record_only(record, settle, InboundOutcome::Held, &reason, &answer)
                    .await
            }
            Route::Automated { ticket_id, reason } => {
                self.automated_on_ticket(record, settle, ticket_id, &reason, &answer)
                    .await
            }
            Route::Reply { ticket_id, reason } => {
                let sender = p
                    .sender
                    .as_ref()
                    .ok_or(AppError::NotFound { what: "sender" })?;
                self.reply_from_mail(record, settle, sender, ticket_id, &reason, &answer)
                    .await
            }
            Route::NewTicket {
                register_sender,
                reason,
            } => {
                let sender = match (&p.sender, register_sender) {
                    (Some(user), _) => user.clone(),
                    (None, _) => self.register_sender(tenant, p).await?,
                };
                let result =
                    (self.ticket_from_mail(record, settle, &sender, &reason, &answer)).await?;
                if let (Some(closed), Some((id, _))) = (follows, &result.ticket) {
                    let actor = self.actor_for(&sender).await?;
                    self.link_follow_up(&actor, *id, closed).await?;
                }
                Ok(result)
            }
        }
    }

    /// Spoc's own addresses: the sender of its notifications and every mailbox's address (of
    /// every tenant: mail between two tenants' mailboxes must not loop either).
    async fn own_addresses(&self) -> Result<Vec<String>, AppError> {
        let mut own: Vec<String> = self
            .store
            .list_mailboxes_all_tenants()
            .await?
            .into_iter()
            .map(|m| m.address.to_lowercase())
            .collect();
        if let Some(config) = self.mail_config() {
            own.push(config.from.email().to_owned());
        }
        // The From addresses admins saved, of every tenant.
        own.extend(self.saved_senders().await?);
        // Every tenant's own addresses: its tickets are answered from the first.
        own.extend(self.store.all_tenant_mail_addresses().await?);
        Ok(own)
    }

    /// The ticket a message answers: by its headers first, then by a reference in its subject.
    async fn thread_of(
        &self,
        tenant: TenantId,
        p: &Prepared,
    ) -> Result<Option<ThreadMatch>, AppError> {
        let mut ids = p.parsed.in_reply_to.clone();
        ids.extend(p.parsed.references.iter().rev().cloned());
        if p.parsed.automation.should_not_auto_reply() {
            // A delivery report names the mail it reports on only inside: the returned
            // message or its headers.
            ids.extend(p.parsed.returned_message_ids.iter().cloned());
        }
        let by_headers = self.store.ticket_of_messages(&ids).await?;
        let (ticket_id, via) = match by_headers {
            Some(id) => (id, ThreadVia::Headers),
            None => match spoc_mail::ticket_reference(&p.parsed.subject) {
                Some(reference) => {
                    let Some(number) =
                        TicketNumber::parse(&format!("{}-{}", reference.prefix, reference.number))
                    else {
                        return Ok(None);
                    };
                    (number.id(), ThreadVia::Subject)
                }
                None => return Ok(None),
            },
        };
        let ticket = match self
            .store
            .get_ticket(ticket_id, &Scope::tenant(tenant))
            .await
        {
            // Mail to a merged ticket continues on the surviving one.
            Ok(ticket) => self.follow_merge(tenant, ticket).await?,
            Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        if via == ThreadVia::Subject
            && spoc_mail::ticket_reference(&p.parsed.subject)
                .is_some_and(|r| !r.prefix.eq_ignore_ascii_case(ticket.kind.prefix()))
        {
            // `[REQ-000042]` does not name incident 42.
            return Ok(None);
        }
        let participant = match &p.sender {
            Some(user) if user.active => self.actor_for(user).await?.can_see(&ticket),
            _ => false,
        };
        Ok(Some(ThreadMatch {
            ticket_id: ticket.id,
            number: ticket.number().to_string(),
            via,
            status: ticket.status,
            sender_is_participant: participant,
        }))
    }

    /// Registers an unknown sender as a customer, of the organisation their domain's rule names.
    pub(super) async fn register_sender(
        &self,
        tenant: TenantId,
        p: &Prepared,
    ) -> Result<UserRecord, AppError> {
        let email = Email::parse(&p.sender_address)?;
        let display = p
            .parsed
            .from
            .as_ref()
            .and_then(|a| a.name().map(str::to_owned))
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| {
                p.sender_address
                    .split('@')
                    .next()
                    .unwrap_or("Customer")
                    .to_owned()
            });
        let name = Name::parse(
            &spoc_domain::text::strip_bidi_controls(&display)
                .chars()
                .take(Name::MAX_CHARS)
                .collect::<String>(),
        )
        .or_else(|_| Name::parse(&p.sender_address))?;
        let domain = p.sender_address.rsplit('@').next().unwrap_or_default();
        let organization_id = self.store.organization_for_domain(tenant, domain).await?;
        match self
            .add_person(
                tenant,
                UserInput {
                    email,
                    name,
                    role: Role::Customer,
                    organization_id,
                    super_user: false,
                    password: None,
                },
            )
            .await
        {
            Ok(user) => Ok(user),
            Err(AppError::Duplicate(_)) => self
                .store
                .find_user_by_email(tenant, &p.sender_address)
                .await?
                .ok_or(AppError::NotFound { what: "user" }),
            Err(e) => Err(e),
        }
    }

    /// Records a message that changes no ticket.
    async fn record_only(
        &self,
        record: &Record<'_>,
        settle: Option<SettleInbound>,
        outcome: InboundOutcome,
        reason: &str,
        answer: &Result<(), String>,
    ) -> Result<IngestResult, AppError> {
        let p = record.prepared;
        let auto_reply = answer.as_ref().err().cloned().unwrap_or_default();
        let id = match settle {
            Some(settle) => {
                // Processed again and still not ticketed: the record stays as it is.
                settle.id
            }
            None => {
                self.store
                    .record_inbound(&record.inbound(outcome, reason, &auto_reply))
                    .await?
            }
        };
        Ok(IngestResult {
            inbound_id: id,
            message_id: p.message_id.clone(),
            outcome,
            reason: reason.to_owned(),
            ticket: None,
            duplicate: false,
        })
    }

    /// Records an automated message (an auto-reply, a bounce) on the ticket it answers, as a
    /// staff-only entry by the system: no reply, no status or service-level change, no
    /// notification, its attachments for staff only.
    async fn automated_on_ticket(
        &self,
        record: &Record<'_>,
        settle: Option<SettleInbound>,
        ticket_id: TicketId,
        reason: &str,
        answer: &Result<(), String>,
    ) -> Result<IngestResult, AppError> {
        let tenant = record.tenant;
        let p = record.prepared;
        let auto_reply = answer.as_ref().err().cloned().unwrap_or_default();
        let mut mail =
            Self::mail_write(record, settle, InboundOutcome::Ignored, reason, &auto_reply);
        for attachment in &mut mail.attachments {
            attachment.public = false;
        }
        let event = EventData::AutomatedMail {
            from: p.sender_address.clone(),
            subject: p.parsed.subject.clone(),
            reason: reason.to_owned(),
            text: body_from(&spoc_mail::reply_text(&p.parsed.text))?.into_string(),
        };
        let now = record.now;
        let updated = self
            .store
            .update_ticket(
                ticket_id,
                tenant.into(),
                Some(Principal::System(SystemActor::MailIntake)),
                |ticket, _| {
                    let outcome = lifecycle::record(ticket, event, now)?;
                    Ok::<_, AppError>(Some(TicketChange {
                        ticket: outcome.ticket,
                        events: outcome.events,
                        outbox: Vec::new(),
                        notifications: Vec::new(),
                        sla: None,
                        mail: Some(mail),
                        sop: None,
                        article_use: None,
                    }))
                },
            )
            .await?;
        Ok(IngestResult {
            inbound_id: self
                .store
                .find_inbound(tenant, &p.message_id)
                .await?
                .map_or(InboundId::new(0), |r| r.id),
            message_id: p.message_id.clone(),
            outcome: InboundOutcome::Ignored,
            reason: reason.to_owned(),
            ticket: Some((updated.ticket.id, updated.ticket.number().to_string())),
            duplicate: false,
        })
    }

    /// The mail written with a ticket change: the record (or the release of a held one), its
    /// attachments and its Message-ID for threading.
    pub(super) fn mail_write(
        record: &Record<'_>,
        settle: Option<SettleInbound>,
        outcome: InboundOutcome,
        reason: &str,
        auto_reply: &str,
    ) -> MailWrite {
        let p = record.prepared;
        let settle = settle.map(|s| SettleInbound { outcome, ..s });
        MailWrite {
            inbound: match settle {
                Some(_) => None,
                None => Some(record.inbound(outcome, reason, auto_reply)),
            },
            attachments: attachments_of(&p.parsed),
            thread_ids: vec![p.message_id.clone()],
            settle,
        }
    }

    /// The rejection notice for attachments that were too large, when answering is allowed.
    fn rejection_notice(p: &Prepared, answer: &Result<(), String>) -> Vec<OutboxMessage> {
        if p.parsed.rejected.is_empty() || answer.is_err() {
            return Vec::new();
        }
        let job = MailJob {
            topic: ATTACHMENT_REJECTED.to_owned(),
            user_id: None,
            address: Some(p.sender_address.clone()),
            body: None,
            target: None,
            reason: Some(p.parsed.subject.clone()),
            rejected: p
                .parsed
                .rejected
                .iter()
                .map(|r| super::RejectedFile {
                    filename: r.filename.clone(),
                    content_type: r.content_type.clone(),
                    size: i64::try_from(r.size).unwrap_or(i64::MAX),
                    reason: r.reason.clone(),
                })
                .collect(),
            actor_id: None,
            in_reply_to: Some(p.message_id.clone()),
            closes_at: None,
        };
        vec![job.message(
            format!("mail.{ATTACHMENT_REJECTED}:{}", p.message_id),
            Some(p.sender_address.clone()),
        )]
    }
}

fn duplicate(existing: InboundRecord) -> IngestResult {
    IngestResult {
        inbound_id: existing.id,
        reason: format!(
            "A message with this Message-ID was received before (inbound message {}); it was not processed again.",
            existing.id
        ),
        message_id: existing.message_id,
        outcome: existing.outcome,
        ticket: existing.ticket_id.map(|t| (t, String::new())),
        duplicate: true,
    }
}

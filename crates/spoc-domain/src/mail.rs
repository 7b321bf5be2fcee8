//! The e-mail channel's rules, as pure decisions: where an inbound message goes (a reply to its
//! ticket, a new ticket, held for review, ignored, refused) and why; whether the desk may answer
//! it automatically; and which notifications a ticket change sends to whom.
//!
//! The adapter parses the message and looks up the facts (is the sender known, which ticket do
//! its headers or subject point at, is the sender part of that ticket, how many messages came
//! from the same address lately); these functions decide. Every decision carries its reason as a
//! sentence, which is recorded with the message so an admin can see why it went where it went.
//!
//! The channel's states live here too: what became of an inbound message (`InboundOutcome`),
//! where an outbox message stands (`OutboxState`) and how a mailbox's IMAP connection is
//! encrypted (`ImapSecurity`); the store maps them to its columns.

use std::fmt;

use crate::event::EventData;
use crate::sla::SlaTarget;
use crate::text::ValidationError;
use crate::ticket::{PendingReason, Status, Ticket, name_enum};
use crate::{TicketId, UserId};

name_enum!(
    /// What a mailbox does with mail from an address that belongs to nobody on the desk.
    UnknownSenders, "unknown_senders" {
        /// Register the sender as a customer (of the organisation their domain belongs to).
        Create => "create",
        /// Refuse the message (it is recorded, not ticketed).
        Refuse => "refuse",
    }
);

name_enum!(
    /// What a mailbox does with a reply from someone who is not part of the ticket it answers.
    NonParticipants, "non_participants" {
        /// Log it as a new ticket of its own: the sender gains no access to the other ticket.
        NewTicket => "new_ticket",
        /// Hold it for an agent to review.
        Hold => "hold",
    }
);

/// How many messages one sender may send within an hour before the desk stops acknowledging
/// them automatically (a loop with an auto-responder that does not say it is one).
pub const ACKNOWLEDGEMENTS_PER_HOUR: i64 = 5;
/// How many messages one sender may send within an hour before further ones are held instead
/// of ticketed (nothing is lost: held messages are kept and can be released).
pub const MESSAGES_PER_HOUR: i64 = 30;

/// The words that mark a message held because nothing proved it came from the member of staff
/// whose address it carries.
const UNVERIFIED_STAFF: &str = "nothing proves the message comes from them";

/// Whether a held message's recorded reason says it was held because nothing proved it came
/// from the member of staff it names (so an admin may vouch for it).
pub fn held_as_unverified_staff(reason: &str) -> bool {
    reason.contains(UNVERIFIED_STAFF)
}

/// How a message was matched to a ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreadVia {
    /// `In-Reply-To` or `References` named a message of the ticket.
    Headers,
    /// The subject carried the ticket's reference in brackets.
    Subject,
}

/// The ticket an inbound message points at, and how the sender relates to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadMatch {
    /// The ticket.
    pub ticket_id: TicketId,
    /// Its reference, e.g. `INC-000042`.
    pub number: String,
    /// How it was found.
    pub via: ThreadVia,
    /// Its status.
    pub status: Status,
    /// Whether the sender may take part in it (the requester, or staff who may see it).
    pub sender_is_participant: bool,
}

/// Who sent a message, as far as the desk knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sender {
    /// A person on the desk.
    Known {
        /// Their id.
        user_id: UserId,
        /// Whether their account is active.
        active: bool,
    },
    /// An address nobody on the desk has.
    Unknown,
    /// The message has no usable sender address.
    Missing,
}

/// The facts an inbound message is routed on.
#[derive(Clone, Debug)]
pub struct InboundFacts {
    /// The sender's address, for sentences.
    pub sender_address: String,
    /// The message came from one of Spoc's own addresses (its sender address or a mailbox).
    pub from_own_address: bool,
    /// Why the message is automated (an auto-reply, a bounce, list or bulk mail), if it is, as
    /// a sentence.
    pub automated: Option<String>,
    /// Who sent it.
    pub sender: Sender,
    /// Why the message is not proven to come from the member of staff whose address it
    /// carries (`None` when the sender is not staff, or is authenticated, or an admin vouched
    /// for the message).
    pub staff_unverified: Option<String>,
    /// The ticket it answers, if any.
    pub thread: Option<ThreadMatch>,
    /// The mailbox's rule for unknown senders.
    pub unknown_senders: UnknownSenders,
    /// The mailbox's rule for replies from non-participants.
    pub non_participants: NonParticipants,
    /// Messages received from the same address within the last hour (this one not counted).
    pub recent_from_sender: i64,
}

/// Where an inbound message goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// Added to its ticket as the sender's reply.
    Reply {
        /// The ticket.
        ticket_id: TicketId,
        /// Why.
        reason: String,
    },
    /// Logged as a new ticket.
    NewTicket {
        /// Register the unknown sender as a customer first.
        register_sender: bool,
        /// Why.
        reason: String,
    },
    /// Kept for an agent to review; nothing is ticketed yet.
    Hold {
        /// Why.
        reason: String,
    },
    /// An automated message (an auto-reply, a bounce) that answers a ticket: recorded on it as
    /// a staff-only entry — not a reply, no change of status or service level, never answered,
    /// never forwarded.
    Automated {
        /// The ticket.
        ticket_id: TicketId,
        /// Why.
        reason: String,
    },
    /// Recorded and not acted on (a loop).
    Ignore {
        /// Why.
        reason: String,
    },
    /// Recorded and refused (an unknown or deactivated sender, no sender at all).
    Refuse {
        /// Why.
        reason: String,
    },
}

impl Route {
    /// The reason recorded with the message.
    pub fn reason(&self) -> &str {
        match self {
            Self::Reply { reason, .. }
            | Self::Automated { reason, .. }
            | Self::NewTicket { reason, .. }
            | Self::Hold { reason }
            | Self::Ignore { reason }
            | Self::Refuse { reason } => reason,
        }
    }
}

/// Decides where an inbound message goes. In order: mail from Spoc itself is never acted on (a
/// loop); automated mail (auto-replies, bounces, lists) never becomes a ticket or a reply — it
/// is recorded on the ticket it answers for staff, or held with the reason "automated"; a
/// message without a sender is refused; mail in a staff member's name that a trusted server
/// did not authenticate is held; a sender over the hourly limit is held; unknown senders
/// follow the mailbox's rule, deactivated ones are refused; a message that answers a ticket
/// joins it only when its sender is part of that ticket (otherwise the mailbox's rule: a new
/// ticket or held) and the ticket is still open (otherwise a new ticket); everything else is a
/// new ticket.
pub fn route(facts: &InboundFacts) -> Route {
    let who = &facts.sender_address;
    if facts.from_own_address {
        return Route::Ignore {
            reason: format!(
                "It was sent from Spoc's own address {who}, so answering it could start a mail loop."
            ),
        };
    }
    if let Some(why) = &facts.automated {
        let why = why.trim_end_matches('.');
        if facts.recent_from_sender >= MESSAGES_PER_HOUR {
            return Route::Hold {
                reason: format!(
                    "Automated: {why}. {who} sent more than {MESSAGES_PER_HOUR} messages within an hour, so it is not recorded on a ticket."
                ),
            };
        }
        return match &facts.thread {
            // Message-IDs of the desk cannot be guessed; a reference in the subject can be
            // typed by anyone, so it counts only from someone who is part of the ticket.
            Some(thread) if thread.via == ThreadVia::Headers || thread.sender_is_participant => {
                Route::Automated {
                    ticket_id: thread.ticket_id,
                    reason: format!(
                        "Automated: {why}. It answers {}, so it is recorded there for staff — not as a reply, and nobody is notified.",
                        thread.number
                    ),
                }
            }
            _ => Route::Hold {
                reason: format!(
                    "Automated: {why}. It answers no ticket of the desk, so it is held instead of starting one."
                ),
            },
        };
    }
    let registered = match facts.sender {
        Sender::Missing => {
            return Route::Refuse {
                reason: "It has no sender address to answer or identify.".to_owned(),
            };
        }
        Sender::Known { active: false, .. } => {
            return Route::Refuse {
                reason: format!("The account of {who} is deactivated."),
            };
        }
        Sender::Known { active: true, .. } => true,
        Sender::Unknown => false,
    };
    if let Some(why) = &facts.staff_unverified {
        return Route::Hold {
            reason: format!(
                "{who} belongs to a member of staff, but {UNVERIFIED_STAFF}: {why}. It is held for review, so that nobody can write in a staff member's name."
            ),
        };
    }
    if facts.recent_from_sender >= MESSAGES_PER_HOUR {
        return Route::Hold {
            reason: format!(
                "{who} sent more than {MESSAGES_PER_HOUR} messages within an hour; further ones are held so a mail loop cannot flood the desk."
            ),
        };
    }
    if !registered && facts.unknown_senders == UnknownSenders::Refuse {
        return Route::Refuse {
            reason: format!(
                "{who} is not known to the desk, and this mailbox refuses unknown senders."
            ),
        };
    }
    let register_sender = !registered;
    let Some(thread) = &facts.thread else {
        return Route::NewTicket {
            register_sender,
            reason:
                "It names no message or ticket reference of the desk, so it starts a new ticket."
                    .to_owned(),
        };
    };
    let number = &thread.number;
    let how = match thread.via {
        ThreadVia::Headers => format!("Its In-Reply-To/References name a message of {number}"),
        ThreadVia::Subject => format!("Its subject carries the reference [{number}]"),
    };
    if !thread.sender_is_participant {
        return match facts.non_participants {
            NonParticipants::NewTicket => Route::NewTicket {
                register_sender,
                reason: format!(
                    "{how}, but {who} is not part of that ticket, so it starts a new ticket and gains no access to {number}."
                ),
            },
            NonParticipants::Hold => Route::Hold {
                reason: format!(
                    "{how}, but {who} is not part of that ticket; held for an agent to review."
                ),
            },
        };
    }
    if !thread.status.is_open() {
        return Route::NewTicket {
            register_sender,
            reason: format!(
                "{how}, which is {}, so it starts a new ticket.",
                thread.status
            ),
        };
    }
    Route::Reply {
        ticket_id: thread.ticket_id,
        reason: format!("{how}, and {who} is part of it."),
    }
}

/// Whether the desk may answer a message automatically (acknowledge a new ticket, report
/// rejected attachments). `automation` is why the message itself is automated, if it is (an
/// auto-reply, a bounce, a list, bulk mail), as a sentence; `recent_acknowledgements` counts automatic answers to the
/// same address within the last hour. `Err` carries the reason the answer is suppressed.
pub fn may_answer_automatically(
    route: &Route,
    automation: Option<&str>,
    recent_acknowledgements: i64,
) -> Result<(), String> {
    match route {
        Route::Ignore { .. } | Route::Refuse { .. } | Route::Hold { .. } => {
            return Err("The message was not ticketed, so nothing is sent back.".to_owned());
        }
        Route::Automated { .. } | Route::Reply { .. } | Route::NewTicket { .. } => {}
    }
    if let Some(why) = automation {
        return Err(format!("Not answered automatically. {why}"));
    }
    if matches!(route, Route::Automated { .. }) {
        return Err("Not answered automatically: the message is automated.".to_owned());
    }
    if recent_acknowledgements >= ACKNOWLEDGEMENTS_PER_HOUR {
        return Err(format!(
            "No automatic answer: this address was already answered automatically {ACKNOWLEDGEMENTS_PER_HOUR} times within the last hour."
        ));
    }
    Ok(())
}

name_enum!(
    /// A kind of notification, which is also what a person can opt out of.
    NoticeTopic, "topic" {
        /// To the requester: the ticket was logged (reference, next step, service level).
        TicketLogged => "ticket_logged",
        /// To the requester: an agent replied.
        AgentReply => "agent_reply",
        /// To the requester: the desk waits for them.
        PendingOnYou => "pending_on_you",
        /// To the requester: resolved; please confirm or reopen.
        Resolved => "resolved",
        /// To the requester (when staff reopened) or the assignee (when the requester did).
        Reopened => "reopened",
        /// To the requester: closed.
        Closed => "closed",
        /// To the assignee: the requester replied.
        CustomerReply => "customer_reply",
        /// To the assignee and leads: an SLA target is at risk.
        SlaWarning => "sla_warning",
        /// To the assignee and leads: an SLA target was breached.
        SlaBreach => "sla_breach",
        /// To the leads: a ticket was escalated to them.
        Escalation => "escalation",
    }
);

impl NoticeTopic {
    /// Whether the topic is for the requester (the customer side).
    pub const fn is_for_requester(self) -> bool {
        matches!(
            self,
            Self::TicketLogged
                | Self::AgentReply
                | Self::PendingOnYou
                | Self::Resolved
                | Self::Reopened
                | Self::Closed
        )
    }

    /// A short description for the preferences page.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::TicketLogged => "A ticket of yours was logged",
            Self::AgentReply => "The desk replied on a ticket of yours",
            Self::PendingOnYou => "The desk is waiting for you",
            Self::Resolved => "A ticket of yours was resolved",
            Self::Reopened => "A ticket was reopened",
            Self::Closed => "A ticket of yours was closed",
            Self::CustomerReply => "The requester replied on a ticket assigned to you",
            Self::SlaWarning => "A service-level target is at risk",
            Self::SlaBreach => "A service-level target was breached",
            Self::Escalation => "A ticket was escalated to you",
        }
    }
}

/// Who a notification goes to, relative to the ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The requester.
    Requester,
    /// The assigned agent.
    Assignee,
}

/// One notification a change causes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// To whom.
    pub to: Audience,
    /// What about.
    pub topic: NoticeTopic,
    /// The public text it carries (an agent's reply, a requester's reply, resolution notes).
    /// Internal notes are never carried: they never reach this function's output.
    pub body: Option<String>,
    /// For SLA notices, which target.
    pub target: Option<SlaTarget>,
}

/// The notifications a ticket change sends to the requester and the assignee: `events` are the
/// change's events, `actor` who made it (`None` for the system). Nobody is told about their own
/// action, except the requester's acknowledgement of a ticket they logged; internal notes and
/// staff-only events notify nobody here. SLA warnings, breaches and
/// escalations to leads are addressed by the use cases that fire them.
pub fn notices(
    after: &Ticket,
    events: &[EventData],
    actor: Option<UserId>,
    actor_is_staff: bool,
) -> Vec<Notice> {
    let mut out = Vec::new();
    let by_requester = actor == Some(after.requester_id);
    let notice = |to, topic, body: Option<&str>| Notice {
        to,
        topic,
        body: body.map(str::to_owned),
        target: None,
    };
    for event in events {
        match event {
            EventData::Created { .. } => {
                out.push(notice(Audience::Requester, NoticeTopic::TicketLogged, None));
            }
            EventData::Commented {
                internal: false,
                body,
            } => {
                if actor_is_staff && !by_requester {
                    out.push(notice(
                        Audience::Requester,
                        NoticeTopic::AgentReply,
                        Some(body),
                    ));
                } else if by_requester {
                    out.push(notice(
                        Audience::Assignee,
                        NoticeTopic::CustomerReply,
                        Some(body),
                    ));
                }
            }
            EventData::Commented { internal: true, .. } => {}
            EventData::StatusChanged {
                to: Status::Pending,
                pending_reason: Some(PendingReason::AwaitingUser),
                ..
            } => out.push(notice(Audience::Requester, NoticeTopic::PendingOnYou, None)),
            EventData::Resolved { notes, .. } => {
                out.push(notice(
                    Audience::Requester,
                    NoticeTopic::Resolved,
                    Some(notes),
                ));
            }
            EventData::StatusChanged {
                from: Status::Resolved,
                to,
                reason,
                ..
            } if to.is_active() => {
                let to = if by_requester {
                    Audience::Assignee
                } else {
                    Audience::Requester
                };
                out.push(notice(to, NoticeTopic::Reopened, reason.as_deref()));
            }
            EventData::StatusChanged {
                to: Status::Closed, ..
            } => out.push(notice(Audience::Requester, NoticeTopic::Closed, None)),
            _ => {}
        }
    }
    out.retain(|n| match n.to {
        // The acknowledgement goes to the requester even when they logged the ticket
        // themselves (portal, e-mail): it carries the reference and what happens next.
        Audience::Requester => !by_requester || n.topic == NoticeTopic::TicketLogged,
        Audience::Assignee => after.assignee_id.is_some() && after.assignee_id != actor,
    });
    out
}

/// A validated e-mail domain for an organisation's domain rule (`example.com`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EmailDomain(String);

impl EmailDomain {
    /// Lowercases and checks a domain: labels of letters, digits and hyphens, at least one dot.
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        let domain = value.trim().trim_start_matches('@').to_ascii_lowercase();
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if domain.len() > 253 || !domain.contains('.') || !domain.split('.').all(label_ok) {
            return Err(ValidationError::new(
                "domains",
                format!("{value:?} is not a domain like example.com"),
            ));
        }
        Ok(Self(domain))
    }

    /// The domain.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How the IMAP connection is encrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImapSecurity {
    /// TLS from the first byte (imaps, port 993).
    Tls,
    /// A plain connection upgraded with STARTTLS before login (port 143).
    StartTls,
}

impl ImapSecurity {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Tls => "tls",
            Self::StartTls => "starttls",
        }
    }

    /// Parses a stored or wire name.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "tls" => Some(Self::Tls),
            "starttls" => Some(Self::StartTls),
            _ => None,
        }
    }
}

/// What became of an inbound message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InboundOutcome {
    /// It became a new ticket.
    TicketCreated,
    /// It was added to a ticket as a reply.
    ReplyAdded,
    /// Kept for an agent to review.
    Held,
    /// It could not be processed; kept with the reason.
    Quarantined,
    /// Recorded and not acted on (loops, bounces).
    Ignored,
    /// Refused (unknown or deactivated sender).
    Refused,
}

impl InboundOutcome {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::TicketCreated => "ticket_created",
            Self::ReplyAdded => "reply_added",
            Self::Held => "held",
            Self::Quarantined => "quarantined",
            Self::Ignored => "ignored",
            Self::Refused => "refused",
        }
    }

    /// Every outcome.
    pub const ALL: [Self; 6] = [
        Self::TicketCreated,
        Self::ReplyAdded,
        Self::Held,
        Self::Quarantined,
        Self::Ignored,
        Self::Refused,
    ];

    /// Parses a stored name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == value)
    }
}

/// Which outbox messages to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxState {
    /// Waiting or retrying.
    Pending,
    /// Delivered.
    Sent,
    /// Dead letters.
    Dead,
}

impl OutboxState {
    /// Every state.
    pub const ALL: [Self; 3] = [Self::Pending, Self::Sent, Self::Dead];

    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Dead => "dead",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

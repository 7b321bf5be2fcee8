//! Notification templates: each [`Notice`] renders a subject, a plain-text body and an HTML body
//! from one view model, through one list of blocks, so the two bodies always say the same.
//!
//! The HTML is written with maud, which escapes every interpolation; links are made only from
//! `http`/`https` URLs.
//!
//! **Invariant:** internal notes never appear in a notification. No variant has a field for
//! them: a caller cannot pass one by mistake. An agent's reply is rendered on its own; the
//! quoted history is not included.

use maud::{DOCTYPE, Markup, html};
use spoc_i18n::{Language, Message};

use crate::inbound::RejectedAttachment;
use crate::notice_text::NoticeText as N;
use crate::subject::format_ticket_subject;
use crate::text::{fold_line, format_size};

/// The ticket a notice is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketSummary {
    /// The human reference, e.g. `INC-000042`.
    pub number: String,
    /// The ticket's title.
    pub title: String,
    /// Where the recipient can see the ticket (portal for customers, desk for agents).
    pub url: String,
}

/// A notification, by what happened. Customer notices say that replies go to the ticket; SLA
/// notices are for agents and leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A ticket was logged for the recipient.
    TicketLogged {
        /// The ticket.
        ticket: TicketSummary,
        /// What happens next, e.g. "Workplace Support will look at it."
        next_step: String,
        /// When to expect an answer, e.g. "We aim to resolve it within 8 business hours.".
        sla: Option<String>,
    },
    /// An agent replied publicly.
    AgentReply {
        /// The ticket.
        ticket: TicketSummary,
        /// Who wrote, e.g. "Alex Agent".
        author: String,
        /// The reply itself, without quoted history.
        reply: String,
    },
    /// The ticket waits for the recipient.
    PendingOnUser {
        /// The ticket.
        ticket: TicketSummary,
        /// What the desk needs.
        request: String,
    },
    /// The ticket was resolved; the recipient may confirm or reopen.
    Resolved {
        /// The ticket.
        ticket: TicketSummary,
        /// The resolution code's label, e.g. "Solved".
        resolution: String,
        /// The resolution notes.
        notes: String,
        /// Confirms the resolution.
        confirm_url: String,
        /// Reopens the ticket.
        reopen_url: String,
    },
    /// The ticket was reopened.
    Reopened {
        /// The ticket.
        ticket: TicketSummary,
        /// Why, if a reason was given.
        reason: Option<String>,
    },
    /// The ticket was closed.
    Closed {
        /// The ticket.
        ticket: TicketSummary,
    },
    /// An SLA target is close (for agents and leads).
    SlaWarning {
        /// The ticket.
        ticket: TicketSummary,
        /// The target, e.g. "Resolution".
        target: String,
        /// When it is due, as the caller formats it, e.g. "Tue 3 Jun 14:30 (in 30 minutes)".
        due: String,
    },
    /// An SLA target was missed (for agents and leads).
    SlaBreach {
        /// The ticket.
        ticket: TicketSummary,
        /// The target, e.g. "First response".
        target: String,
        /// When it was due, as the caller formats it.
        due: String,
    },
    /// The requester replied on a ticket assigned to the recipient (for agents).
    CustomerReply {
        /// The ticket.
        ticket: TicketSummary,
        /// Who wrote, e.g. "Ana Lima".
        author: String,
        /// The reply itself.
        reply: String,
    },
    /// A ticket was escalated to the recipient, a lead (hierarchical escalation).
    Escalated {
        /// The ticket.
        ticket: TicketSummary,
        /// Why, as the person who escalated it wrote.
        reason: String,
    },
    /// Attachments of the recipient's message were refused.
    AttachmentsRejected {
        /// The ticket the message went to, if any.
        ticket: Option<TicketSummary>,
        /// The subject of the recipient's message.
        original_subject: String,
        /// The refused files.
        files: Vec<RejectedAttachment>,
    },
}

/// A rendered notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// The subject, with the ticket reference first.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body, a whole document.
    pub html: String,
}

/// One block of a notice, rendered as text and as HTML.
enum Block {
    /// A paragraph of one line.
    Paragraph(String),
    /// Text written by a person, shown as its paragraphs and lines.
    Message(String),
    /// A labelled link.
    Link { label: String, url: String },
    /// A bulleted list.
    Items(Vec<String>),
}

impl Notice {
    /// Whether the notice goes to agents and leads rather than to the customer.
    pub fn is_for_agents(&self) -> bool {
        matches!(
            self,
            Self::SlaWarning { .. }
                | Self::SlaBreach { .. }
                | Self::CustomerReply { .. }
                | Self::Escalated { .. }
        )
    }

    /// The subject, text and HTML of this notice in English, signed with `desk_name`.
    pub fn render(&self, desk_name: &str) -> Rendered {
        self.render_in(desk_name, Language::En)
    }

    /// The subject, text and HTML of this notice in `language`, signed with `desk_name`.
    pub fn render_in(&self, desk_name: &str, language: Language) -> Rendered {
        let (subject, blocks) = self.content(language);
        let subject = fold_line(&subject);
        let desk_name = fold_line(desk_name);
        let footer = self.footer(&desk_name, language);
        Rendered {
            text: render_text(&blocks, &footer),
            html: render_html(&subject, &blocks, &footer, language).into_string(),
            subject,
        }
    }

    /// The subject and the blocks.
    fn content(&self, language: Language) -> (String, Vec<Block>) {
        let t = |msg: N| msg.text(language).to_owned();
        let f = |msg: N, args: &[&dyn std::fmt::Display]| msg.fill(language, args);
        let view_link = |ticket: &TicketSummary| view_link(ticket, language);
        let hello = Block::Paragraph(t(N::Hello));
        match self {
            Self::TicketLogged {
                ticket,
                next_step,
                sla,
            } => {
                let mut blocks = vec![
                    hello,
                    Block::Paragraph(f(
                        N::Logged,
                        &[&ticket.number, &ticket.title.trim_end_matches('.')],
                    )),
                    Block::Paragraph(f(N::NextStep, &[next_step])),
                ];
                if let Some(sla) = sla {
                    blocks.push(Block::Paragraph(sla.clone()));
                }
                blocks.push(view_link(ticket));
                (format_ticket_subject(&ticket.number, &ticket.title), blocks)
            }
            Self::AgentReply {
                ticket,
                author,
                reply,
            } => (
                format_ticket_subject(&ticket.number, &ticket.title),
                vec![
                    Block::Paragraph(f(N::Replied, &[&fold_line(author), &ticket.number])),
                    Block::Message(reply.clone()),
                    view_link(ticket),
                ],
            ),
            Self::PendingOnUser { ticket, request } => (
                format_ticket_subject(&ticket.number, &f(N::WaitingSubject, &[&ticket.title])),
                vec![
                    hello,
                    Block::Paragraph(f(N::NeedSomething, &[&ticket.number])),
                    Block::Message(request.clone()),
                    Block::Paragraph(t(N::PleaseReply)),
                    view_link(ticket),
                ],
            ),
            Self::Resolved {
                ticket,
                resolution,
                notes,
                confirm_url,
                reopen_url,
            } => (
                format_ticket_subject(&ticket.number, &f(N::ResolvedSubject, &[&ticket.title])),
                vec![
                    hello,
                    Block::Paragraph(f(
                        N::ResolvedText,
                        &[&ticket.number, &ticket.title.trim_end_matches('.')],
                    )),
                    Block::Paragraph(f(N::Resolution, &[&fold_line(resolution)])),
                    Block::Message(notes.clone()),
                    Block::Link {
                        label: t(N::Confirm),
                        url: confirm_url.clone(),
                    },
                    Block::Link {
                        label: t(N::Reopen),
                        url: reopen_url.clone(),
                    },
                ],
            ),
            Self::Reopened { ticket, reason } => {
                let mut blocks = vec![
                    hello,
                    Block::Paragraph(f(N::ReopenedText, &[&ticket.number, &ticket.title])),
                ];
                if let Some(reason) = reason {
                    blocks.push(Block::Paragraph(t(N::ReasonGiven)));
                    blocks.push(Block::Message(reason.clone()));
                }
                blocks.push(view_link(ticket));
                (
                    format_ticket_subject(&ticket.number, &f(N::ReopenedSubject, &[&ticket.title])),
                    blocks,
                )
            }
            Self::Closed { ticket } => (
                format_ticket_subject(&ticket.number, &f(N::ClosedSubject, &[&ticket.title])),
                vec![
                    hello,
                    Block::Paragraph(f(N::ClosedText, &[&ticket.number, &ticket.title])),
                    Block::Paragraph(t(N::ComesBack)),
                    view_link(ticket),
                ],
            ),
            Self::SlaWarning {
                ticket,
                target,
                due,
            } => (
                format_ticket_subject(&ticket.number, &f(N::SlaWarningSubject, &[&ticket.title])),
                vec![
                    Block::Paragraph(f(
                        N::SlaWarningText,
                        &[
                            &target_word(target, language),
                            &ticket.number,
                            &ticket.title,
                            &fold_line(due),
                        ],
                    )),
                    Block::Link {
                        label: "Open the ticket".to_owned(),
                        url: ticket.url.clone(),
                    },
                ],
            ),
            Self::SlaBreach {
                ticket,
                target,
                due,
            } => (
                format_ticket_subject(&ticket.number, &f(N::SlaBreachSubject, &[&ticket.title])),
                vec![
                    Block::Paragraph(f(
                        N::SlaBreachText,
                        &[
                            &ticket.number,
                            &ticket.title,
                            &target_word(target, language),
                            &fold_line(due),
                        ],
                    )),
                    Block::Link {
                        label: "Open the ticket".to_owned(),
                        url: ticket.url.clone(),
                    },
                ],
            ),
            Self::CustomerReply {
                ticket,
                author,
                reply,
            } => (
                format_ticket_subject(
                    &ticket.number,
                    &f(N::CustomerReplySubject, &[&ticket.title]),
                ),
                vec![
                    Block::Paragraph(f(N::Replied, &[&fold_line(author), &ticket.number])),
                    Block::Message(reply.clone()),
                    Block::Link {
                        label: "Open the ticket".to_owned(),
                        url: ticket.url.clone(),
                    },
                ],
            ),
            Self::Escalated { ticket, reason } => (
                format_ticket_subject(&ticket.number, &f(N::EscalatedSubject, &[&ticket.title])),
                vec![
                    Block::Paragraph(f(N::EscalatedText, &[&ticket.number, &ticket.title])),
                    Block::Message(reason.clone()),
                    Block::Link {
                        label: "Open the ticket".to_owned(),
                        url: ticket.url.clone(),
                    },
                ],
            ),
            Self::AttachmentsRejected {
                ticket,
                original_subject,
                files,
            } => {
                let subject = match ticket {
                    Some(ticket) => format_ticket_subject(
                        &ticket.number,
                        &f(N::RejectedSubject, &[&ticket.title]),
                    ),
                    None => f(N::RejectedSubject, &[&fold_line(original_subject)]),
                };
                let mut blocks = vec![
                    hello,
                    Block::Paragraph(f(
                        if files.len() == 1 {
                            N::RejectedOne
                        } else {
                            N::RejectedMany
                        },
                        &[&fold_line(original_subject)],
                    )),
                    Block::Items(
                        files
                            .iter()
                            .map(|f| {
                                format!("{} ({}): {}", f.filename, format_size(f.size), f.reason)
                            })
                            .collect(),
                    ),
                    Block::Paragraph(t(N::RejectedRest)),
                ];
                if let Some(ticket) = ticket {
                    blocks.push(view_link(ticket));
                }
                (subject, blocks)
            }
        }
    }

    /// The lines under the signature separator.
    fn footer(&self, desk_name: &str, language: Language) -> Vec<String> {
        if self.is_for_agents() {
            vec![N::Automatic.fill(language, &[&desk_name])]
        } else {
            let reference = match self {
                Self::TicketLogged { ticket, .. }
                | Self::AgentReply { ticket, .. }
                | Self::PendingOnUser { ticket, .. }
                | Self::Resolved { ticket, .. }
                | Self::Reopened { ticket, .. }
                | Self::Closed { ticket }
                | Self::SlaWarning { ticket, .. }
                | Self::SlaBreach { ticket, .. }
                | Self::CustomerReply { ticket, .. }
                | Self::Escalated { ticket, .. }
                | Self::AttachmentsRejected {
                    ticket: Some(ticket),
                    ..
                } => Some(ticket.number.as_str()),
                Self::AttachmentsRejected { ticket: None, .. } => None,
            };
            let reply_line = match reference {
                Some(number) => N::ReplyKeep.fill(language, &[&fold_line(number)]),
                None => N::ReplyReach.text(language).to_owned(),
            };
            vec![reply_line, desk_name.to_owned()]
        }
    }
}

/// The "view the ticket" link.
fn view_link(ticket: &TicketSummary, language: Language) -> Block {
    Block::Link {
        label: N::ViewTicket.text(language).to_owned(),
        url: ticket.url.clone(),
    }
}

/// The plain-text body: blocks separated by blank lines, then the signature.
fn render_text(blocks: &[Block], footer: &[String]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for block in blocks {
        match block {
            Block::Paragraph(text) => parts.push(fold_line(text)),
            Block::Message(text) => {
                let text = crate::text::clean_body_text(text);
                let text = text.trim();
                if !text.is_empty() {
                    parts.push(text.to_owned());
                }
            }
            Block::Link { label, url } => parts.push(format!("{label}: {}", fold_line(url))),
            Block::Items(items) => parts.push(
                items
                    .iter()
                    .map(|item| format!("- {}", fold_line(item)))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        }
    }
    let mut text = parts.join("\n\n");
    text.push_str("\n\n-- \n");
    text.push_str(&footer.join("\n"));
    text.push('\n');
    text
}

/// The HTML body: the same blocks as a small document.
fn render_html(subject: &str, blocks: &[Block], footer: &[String], language: Language) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(language.as_str()) {
            head {
                meta charset="utf-8";
                title { (subject) }
            }
            body {
                @for block in blocks {
                    @match block {
                        Block::Paragraph(text) => p { (fold_line(text)) },
                        Block::Message(text) => {
                            @let text = crate::text::clean_body_text(text);
                            @for paragraph in text.split("\n\n").map(|p| p.trim_matches('\n')).filter(|p| !p.trim().is_empty()) {
                                p {
                                    @for (i, line) in paragraph.lines().enumerate() {
                                        @if i > 0 { br; }
                                        (line)
                                    }
                                }
                            }
                        },
                        Block::Link { label, url } => p {
                            @if is_web_url(url) {
                                a href=(url) { (label) }
                            } @else {
                                (label) ": " (fold_line(url))
                            }
                        },
                        Block::Items(items) => ul {
                            @for item in items { li { (fold_line(item)) } }
                        },
                    }
                }
                hr;
                p {
                    @for (i, line) in footer.iter().enumerate() {
                        @if i > 0 { br; }
                        small { (line) }
                    }
                }
            }
        }
    }
}

/// Whether `url` may become a link: `https:` or `http:` and nothing odd in it.
fn is_web_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A service-level target's name as a sentence takes it: lower-case in English ("the first
/// response target"), as given in German, where nouns keep their capital.
fn target_word(target: &str, language: Language) -> String {
    let target = fold_line(target);
    match language {
        Language::En => target.to_lowercase(),
        Language::De => target,
    }
}

#[cfg(test)]
mod tests;

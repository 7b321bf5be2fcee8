//! E-mail as the desk sees it: ticket attachments downloaded through the session
//! (`/attachments/{id}`), the e-mail a ticket entry came by (`/desk/tickets/{id}/emails/{mail}`),
//! and the markup both these and the admin's inbound log share — the sanitised HTML of a
//! message with its inline images pointed at the attachment route, and the facts recorded
//! about a message.
//!
//! The HTML was sanitised when the message arrived and is sanitised again here on output
//! (`spoc_mail::rewrite_cid_images` cleans before rewriting): only formatting, safe links and
//! images from the message itself survive. Remote images never load — the sanitiser turns them
//! into `[image: …]` text, and the page's CSP allows images from Spoc only.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use spoc_app::{Attachment, InboundMessage, InboundOutcome};
use spoc_domain::TicketId;

use crate::i18n::desk::Desk;
use crate::i18n::tr_markup;
use crate::i18n::{t, tr};
use crate::page::{Area, Shell, none};
use crate::session::{UiError, Viewer};
use crate::timefmt::{iso, when};
use crate::views::{AttachmentView, attachment_list, facts, size_text};
use spoc_http::AppState;
use spoc_http::download::{INLINE_SAFE, serve_attachment};

/// `GET /attachments/{id}`: one attachment, for anyone whose session may see it (the app
/// decides). Safe images are shown inline, everything else downloads, sandboxed either way.
pub async fn attachment(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = positive_id(&id)?;
    let (record, content) = state
        .app
        .get_attachment(&viewer.actor, spoc_domain::AttachmentId::new(id))
        .await?;
    Ok(serve_attachment(&record, content))
}

/// A positive number from a path, or "not found".
pub fn positive_id(value: &str) -> Result<i64, UiError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(UiError::not_found)
}

/// `GET /desk/tickets/{id}/emails/{mail}`: the e-mail a ticket entry came by (staff who may
/// see the ticket).
pub async fn desk_email(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((ticket, mail)): Path<(String, String)>,
) -> Result<Response, UiError> {
    viewer.require_staff()?;
    let ticket_id = TicketId::new(positive_id(&ticket)?);
    let viewer = viewer.on_ticket(&state.app, ticket_id).await?;
    let record = state
        .app
        .ticket_inbound(
            &viewer.actor,
            spoc_domain::InboundId::new(positive_id(&mail)?),
        )
        .await?;
    if record.ticket_id != Some(ticket_id) {
        return Err(UiError::not_found());
    }
    let ticket = state.app.get_ticket(&viewer.actor, ticket_id).await?;
    let files: Vec<Attachment> = state
        .app
        .list_attachments(&viewer.actor, ticket_id)
        .await?
        .into_iter()
        .filter(|a| a.inbound_message_id == Some(record.id))
        .collect();
    let number = ticket.number().to_string();
    let body = html! {
        div class="page-head" {
            div {
                p class="eyebrow" {
                    a href={ "/desk/tickets/" (ticket.id) } { (number) " " bdi { (ticket.title) } }
                }
                h1 { bdi { (subject_or_none(&record.subject)) } }
                p class="muted break" {
                    (tr_markup(Desk::MailFromReceived, &[
                        html! { (record.from_address.as_deref().unwrap_or(t(Desk::MailUnknownSender))) },
                        html! { time datetime=(iso(record.received_at)) { (when(record.received_at)) } },
                    ]))
                }
            }
            div class="page-actions" {
                a class="button" href={ "/desk/tickets/" (ticket.id) } { (t(Desk::MailBackToTicket)) }
            }
        }
        div class="stack" {
            (message_body(record.html.as_deref(), &files))
            @if !files.is_empty() {
                section class="panel" aria-labelledby="mail-files" {
                    h2 class="panel-title" id="mail-files" { (t(Desk::MailAttachments)) }
                    (attachment_list(&files.iter().map(AttachmentView::of).collect::<Vec<_>>()))
                }
            }
        }
    };
    let title = tr(Desk::MailOnTicket, &[&number]);
    let shell = Shell::new(&title, Area::Desk).current("/desk");
    Ok((
        StatusCode::OK,
        Html(shell.render(Some(&viewer), body).into_string()),
    )
        .into_response())
}

/// A subject, or a note that there was none.
pub fn subject_or_none(subject: &str) -> String {
    if subject.trim().is_empty() {
        t(Desk::MailNoSubject).to_owned()
    } else {
        subject.to_owned()
    }
}

/// The sanitised HTML of a message, shown inside the page, with its `cid:` images pointed at
/// the attachment route when `files` holds them as safe images; every other image is a
/// placeholder. A message without HTML says where its text is.
pub fn message_body(html: Option<&str>, files: &[Attachment]) -> Markup {
    let Some(html) = html.filter(|h| !h.trim().is_empty()) else {
        return html! {
            div class="notice" {
                p { (t(Desk::MailNoHtml)) }
            }
        };
    };
    let safe = spoc_mail::rewrite_cid_images(html, |cid| {
        files
            .iter()
            .find(|f| {
                f.content_id.as_deref() == Some(cid)
                    && INLINE_SAFE.contains(&f.content_type.as_str())
            })
            .map(|f| format!("/attachments/{}", f.id))
    });
    html! {
        section class="mail-view panel" aria-labelledby="mail-body-title" {
            h2 class="panel-title" id="mail-body-title" { (t(Desk::MailTheMessage)) }
            p class="hint mail-note" {
                (t(Desk::MailShownAs))
            }
            div class="mail-html" { (PreEscaped(safe)) }
        }
    }
}

/// An inbound outcome as a badge people read.
pub fn outcome_badge(record: &InboundMessage) -> Markup {
    let (class, text) = outcome_label(record);
    html! { span class={ "badge badge-mail-" (class) } { (text) } }
}

/// An inbound outcome's class suffix and words. Held and quarantined messages that were dealt
/// without becoming part of a ticket read "Dismissed".
pub fn outcome_label(record: &InboundMessage) -> (&'static str, &'static str) {
    match record.outcome {
        InboundOutcome::TicketCreated => ("ticket", t(Desk::MailNewTicket)),
        InboundOutcome::ReplyAdded => ("reply", t(Desk::MailAdded)),
        InboundOutcome::Held | InboundOutcome::Quarantined if record.settled_at.is_some() => {
            ("dismissed", t(Desk::MailDismissed))
        }
        InboundOutcome::Held => ("held", t(Desk::MailHeld)),
        InboundOutcome::Quarantined => ("quarantined", t(Desk::MailQuarantined)),
        InboundOutcome::Ignored => ("ignored", t(Desk::MailIgnored)),
        InboundOutcome::Refused => ("refused", t(Desk::MailRefused)),
    }
}

/// Whether a message waits for someone to deal with it.
pub fn needs_attention(record: &InboundMessage) -> bool {
    matches!(
        record.outcome,
        InboundOutcome::Held | InboundOutcome::Quarantined
    ) && record.settled_at.is_none()
}

/// Everything recorded about a message, as facts. `ticket` is the link to its ticket, if any.
pub fn message_facts(
    record: &InboundMessage,
    mailbox: Option<&str>,
    ticket: Option<Markup>,
) -> Markup {
    facts(&[
        (t(Desk::MailOutcome), Some(outcome_badge(record))),
        (t(Desk::ActWhy), Some(html! { (record.reason) })),
        (
            t(Desk::MailAutoAnswer),
            Some(html! {
                @if record.auto_reply.trim().is_empty() { (t(Desk::MailNoneNeeded)) } @else { (record.auto_reply) }
            }),
        ),
        (t(Desk::MailTicket), ticket),
        (
            t(Desk::MailFrom),
            Some(html! { (record.from_address.as_deref().unwrap_or(t(Desk::MailNoSender))) }),
        ),
        (
            t(Desk::MailReceived),
            Some(html! { time datetime=(iso(record.received_at)) { (when(record.received_at)) } }),
        ),
        (
            t(Desk::MailMailbox),
            Some(match mailbox {
                Some(name) => html! { (name) },
                None => {
                    html! { span class="muted" { (t(Desk::MailDirect)) } }
                }
            }),
        ),
        (t(Desk::MailSize), Some(html! { (size_text(record.size)) })),
        (
            t(Desk::MailMessageId),
            Some(html! { code class="break" { (record.message_id) } }),
        ),
        (
            t(Desk::MailWarnings),
            Some(if record.warnings.is_empty() {
                none()
            } else {
                html! { ul class="plain-list" { @for w in &record.warnings { li { (w) } } } }
            }),
        ),
        (
            t(Desk::MailDealtWith),
            record
                .settled_at
                .map(|at| html! { time datetime=(iso(at)) { (when(at)) } }),
        ),
    ])
}

#[cfg(test)]
pub(crate) mod tests {
    use spoc_domain::{EventId, Timestamp};

    use super::*;

    fn file(id: i64, cid: &str, content_type: &str) -> Attachment {
        Attachment {
            id: spoc_domain::AttachmentId::new(id),
            ticket_id: TicketId::new(1),
            event_id: Some(EventId::new(3)),
            inbound_message_id: Some(spoc_domain::InboundId::new(9)),
            filename: "logo.png".to_owned(),
            content_type: content_type.to_owned(),
            size: 2048,
            sha256: String::new(),
            inline: true,
            content_id: Some(cid.to_owned()),
            public: true,
            created_at: Timestamp::from_micros(0),
        }
    }

    pub(crate) fn record(outcome: InboundOutcome) -> InboundMessage {
        InboundMessage {
            id: spoc_domain::InboundId::new(9),
            mailbox_id: None,
            message_id: "abc@example.test".to_owned(),
            size: 4200,
            from_address: Some("una@example.test".to_owned()),
            subject: "Printer <jammed>".to_owned(),
            received_at: Timestamp::from_micros(1_800_000_000_000_000),
            outcome,
            reason: "It names no message of the desk, so it starts a new ticket.".to_owned(),
            auto_reply: String::new(),
            ticket_id: None,
            event_id: None,
            html: None,
            warnings: vec!["A part had an unknown charset <x>.".to_owned()],
            settled_at: None,
            settled_by: None,
        }
    }

    #[test]
    fn mail_html_is_cleaned_again_and_cid_images_point_at_safe_attachments_only() {
        let html = r#"<p onclick="x()">Hi <script>alert(1)</script></p><img src="cid:logo@x" alt="Logo"><img src="cid:page@x" alt="Page"><img src="https://tracker.test/p.gif" alt="pixel">"#;
        let out = message_body(
            Some(html),
            &[
                file(5, "logo@x", "image/png"),
                file(6, "page@x", "image/svg+xml"),
            ],
        )
        .into_string();
        assert!(
            out.contains(r#"<img src="/attachments/5" alt="Logo">"#),
            "{out}"
        );
        assert!(
            !out.contains("/attachments/6"),
            "an SVG is never an image source: {out}"
        );
        assert!(out.contains("[image: Page]"));
        assert!(!out.contains("tracker.test"), "{out}");
        assert!(
            !out.contains("<script") && !out.contains("onclick"),
            "{out}"
        );
        assert!(out.contains("Remote images are not loaded"));
        let none = message_body(None, &[]).into_string();
        assert!(none.contains("no HTML part"));
    }

    #[test]
    fn outcomes_read_as_words_and_facts_escape_what_senders_wrote() {
        let held = record(InboundOutcome::Held);
        assert!(needs_attention(&held));
        assert_eq!(
            outcome_badge(&held).into_string(),
            r#"<span class="badge badge-mail-held">Held for review</span>"#
        );
        let mut dismissed = record(InboundOutcome::Quarantined);
        dismissed.settled_at = Some(Timestamp::from_micros(1_800_000_100_000_000));
        assert!(!needs_attention(&dismissed));
        assert_eq!(outcome_label(&dismissed).1, "Dismissed");
        let out = message_facts(&held, Some("Support"), None).into_string();
        assert!(out.contains("It names no message of the desk"));
        assert!(out.contains("None was needed."));
        assert!(out.contains("4 KB"));
        assert!(out.contains("abc@example.test"));
        assert!(out.contains("unknown charset &lt;x&gt;"), "{out}");
    }
}

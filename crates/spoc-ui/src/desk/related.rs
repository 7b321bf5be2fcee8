//! Related tickets on the ticket view: the links (relates to, follow-ups) with unlink, the link
//! and merge forms, the "merged into" banner, and the histories of the tickets merged into this
//! one. The forms post to `desk::links`.

use maud::{Markup, html};
use spoc_app::{TicketLink, TicketRelation};
use spoc_domain::links::LinkKind;
use spoc_domain::ticket::Ticket;
use spoc_http::AppState;

use crate::desk::action_forms::TicketForms;
use crate::i18n::desk::Desk;
use crate::i18n::t;
use crate::i18n::tr_markup;
use crate::page::{csrf_field, status_badge, text_input};
use crate::session::{UiError, Viewer};
use crate::views::{Lookup, attach_mail, timeline, timeline_entries};

fn relation_label(relation: TicketRelation) -> &'static str {
    match relation {
        TicketRelation::Link(LinkKind::RelatesTo) => t(Desk::RelRelated),
        TicketRelation::Link(LinkKind::FollowUp) => t(Desk::RelContinues),
        TicketRelation::Link(LinkKind::FollowedUpBy) => t(Desk::RelContinuedBy),
        TicketRelation::MergedInto => t(Desk::RelMergedInto),
        TicketRelation::MergedFrom => t(Desk::RelMergedFrom),
    }
}

/// The banner of a ticket merged into another.
pub(crate) fn merged_banner(links: &[TicketLink]) -> Markup {
    html! {
        @if let Some(link) = links.iter().find(|l| l.relation == TicketRelation::MergedInto) {
            div class="flash merged-banner" role="note" {
                (tr_markup(Desk::RelMergedBanner, &[html! {
                    a href={ "/desk/tickets/" (link.ticket.id) } { (link.ticket.number()) }
                }]))
            }
        }
    }
}

/// The "Related tickets" panel: the links, unlink buttons, and the link and merge forms.
pub(crate) fn links_panel(
    viewer: &Viewer,
    ticket: &Ticket,
    links: &[TicketLink],
    forms: &TicketForms,
) -> Markup {
    let base = format!("/desk/tickets/{}/links", ticket.id);
    let errors = &forms.link_errors;
    let values = &forms.link_values;
    html! {
        section class="panel" id="ticket-links" aria-labelledby="links-title" {
            h2 class="panel-title" id="links-title" { (t(Desk::RelTitle)) }
            @if links.is_empty() {
                p class="muted" { (t(Desk::RelNone)) }
            } @else {
                ul class="link-list" {
                    @for link in links {
                        li {
                            span class="muted" { (relation_label(link.relation)) } " "
                            a href={ "/desk/tickets/" (link.ticket.id) } { (link.ticket.number()) }
                            " " bdi { (link.ticket.title) } " " (status_badge(link.ticket.status))
                            @if link.relation == TicketRelation::Link(LinkKind::RelatesTo) {
                                form method="post" action=(base) class="inline" {
                                    (csrf_field(viewer))
                                    input type="hidden" name="op" value="unlink";
                                    input type="hidden" name="other" value=(link.ticket.id);
                                    button class="button-link" type="submit" { (t(Desk::RelUnlink)) " " span class="visually-hidden" { (link.ticket.number()) } }
                                }
                            }
                        }
                    }
                }
            }
            form method="post" action=(base) class="form" {
                (csrf_field(viewer))
                input type="hidden" name="op" value="link";
                (text_input("link_ticket", "link_ticket", t(Desk::RelLinkLabel), "text",
                    values.link_ticket.as_deref().unwrap_or(""), true, Some(t(Desk::RelLinkHint)), errors))
                div class="form-actions" { button class="button" type="submit" { (t(Desk::RelLink)) } }
            }
            @if ticket.status.is_open() {
                details class="action" open[errors.get("merge_into").is_some()] {
                    summary class="button button-quiet" { (t(Desk::RelMergeMenu)) }
                    form method="post" action=(base) class="form" {
                        (csrf_field(viewer))
                        input type="hidden" name="op" value="merge";
                        (text_input("merge_into", "merge_into", t(Desk::RelKeep), "text",
                            values.merge_into.as_deref().unwrap_or(""), true,
                            Some(t(Desk::RelMergeHint)), errors))
                        div class="form-actions" { button class="button button-danger" type="submit" { (t(Desk::RelMerge)) } }
                    }
                }
            }
        }
    }
}

/// The histories of the tickets merged into this one, each under its number.
pub(crate) async fn merged_histories(
    state: &AppState,
    viewer: &Viewer,
    links: &[TicketLink],
) -> Result<Markup, UiError> {
    let app = &state.app;
    let mut sections = Vec::new();
    for link in links
        .iter()
        .filter(|l| l.relation == TicketRelation::MergedFrom)
    {
        let merged = &link.ticket;
        let events = app.list_events(&viewer.actor, merged.id).await?;
        let lookup = Lookup::load(app, &viewer.actor, &[merged], &events).await?;
        let mut entries = timeline_entries(merged, &events, &lookup);
        let attachments = app.list_attachments(&viewer.actor, merged.id).await?;
        let emails = app.inbound_of_ticket(&viewer.actor, merged.id).await?;
        let loose = attach_mail(
            &mut entries,
            &attachments,
            &emails,
            Some(&format!("/desk/tickets/{}/emails", merged.id)),
        );
        let id = format!("merged-{}", merged.id);
        sections.push(html! {
            section class="merged-history" aria-labelledby=(id) {
                h3 id=(id) { (tr_markup(Desk::RelMergedHistory, &[html! { (merged.number()) }, html! { bdi { (merged.title) } }])) }
                (timeline(&entries))
                (crate::views::other_attachments(&loose))
            }
        });
    }
    Ok(html! { @for section in sections { (section) } })
}

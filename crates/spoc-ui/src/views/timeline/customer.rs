//! The portal's history in the requester's words: what happened to their request, not how the
//! desk keeps its books. SLA clocks, SOP steps, priorities, hierarchical alerts and delivery
//! reports are left out; the rest is said plainly ("asked you for more information" rather than
//! "changed the status from In progress to Pending (waiting for the user)").

use spoc_domain::event::{EscalationLevel, EventData};
use spoc_domain::ticket::{LinkKind, PendingReason, Status};

use super::EntryStyle;
use crate::views::Lookup;

/// How the requester sees one event, or `None` when it is the desk's own business.
pub(super) fn phrase(
    data: &EventData,
    lookup: &Lookup,
) -> Option<(EntryStyle, String, Option<String>)> {
    let event = |what: &str| Some((EntryStyle::Event, what.to_owned(), None));
    match data {
        EventData::Created { channel, .. } => event(&format!(
            "asked for help {}",
            super::channel_phrase(*channel)
        )),
        EventData::StatusChanged {
            from,
            to,
            pending_reason,
            ..
        } => match (from, to) {
            (Status::Resolved | Status::Closed, Status::Assigned | Status::InProgress) => {
                event("reopened the request")
            }
            (_, Status::InProgress) if *from == Status::Pending => {
                event("picked the work up again")
            }
            (_, Status::InProgress) => event("started working on the request"),
            (_, Status::Pending) if *pending_reason == Some(PendingReason::AwaitingUser) => {
                event("asked you for more information")
            }
            (_, Status::Pending) => event("put the request on hold while waiting for someone else"),
            (_, Status::Closed) => event("closed the request"),
            (_, Status::Cancelled) => event("cancelled the request"),
            // Resolution has its own entry with the notes; assignment has its own too.
            (_, Status::Resolved | Status::New | Status::Assigned) => None,
        },
        EventData::GroupChanged { to, .. } => {
            event(&format!("passed the request to {}", lookup.group(*to)))
        }
        EventData::AssigneeChanged { to: Some(id), .. } => {
            event(&format!("handed the request to {}", lookup.person(*id)))
        }
        EventData::AssigneeChanged { to: None, .. } => None,
        EventData::Escalated {
            level: EscalationLevel::Functional,
            to_group: Some(group),
            ..
        } => event(&format!(
            "passed the request to specialists: {}",
            lookup.group(*group)
        )),
        EventData::Escalated { .. } => None,
        EventData::Resolved { notes, .. } => Some((
            EntryStyle::Reply,
            "solved the request".to_owned(),
            Some(notes.clone()),
        )),
        EventData::FieldChanged { field, to, .. } if field == "description" => Some((
            EntryStyle::Event,
            "edited the description".to_owned(),
            to.clone(),
        )),
        EventData::FieldChanged { field, .. } if field == "title" => {
            event("changed the request's title")
        }
        EventData::Commented {
            internal: false,
            body,
        } => Some((EntryStyle::Reply, "replied".to_owned(), Some(body.clone()))),
        EventData::MergedInto { number, .. } => event(&format!(
            "combined this request with {number}, which asks the same; the conversation continues there"
        )),
        EventData::MergedFrom { number, .. } => event(&format!(
            "combined {number}, which asked the same, into this request"
        )),
        EventData::AutoCloseNotice { .. } => {
            event("let you know the request closes by itself soon unless you say it is not fixed")
        }
        EventData::Linked {
            kind: LinkKind::FollowUp,
            number,
            ..
        } => event(&format!("opened this request to continue {number}")),
        EventData::Linked {
            kind: LinkKind::FollowedUpBy,
            number,
            ..
        } => event(&format!("continued this request in {number}")),
        EventData::Commented { internal: true, .. }
        | EventData::Linked { .. }
        | EventData::Unlinked { .. }
        | EventData::FieldChanged { .. }
        | EventData::PriorityChanged { .. }
        | EventData::Sla { .. }
        | EventData::SopApplied { .. }
        | EventData::SopStep { .. }
        | EventData::SopAnswer { .. }
        | EventData::ArticleLinked { .. }
        | EventData::AutomatedMail { .. }
        | EventData::NotificationUndeliverable { .. } => None,
    }
}

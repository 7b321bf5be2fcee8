//! The portal's history in the requester's words: what happened to their request, not how the
//! desk keeps its books. SLA clocks, SOP steps, priorities, hierarchical alerts and delivery
//! reports are left out; the rest is said plainly ("asked you for more information" rather than
//! "changed the status from In progress to Pending (waiting for the user)").

use spoc_domain::event::{EscalationLevel, EventData};
use spoc_domain::ticket::{LinkKind, PendingReason, Status};

use super::EntryStyle;
use crate::i18n::views::Views;
use crate::i18n::{t, tr};
use crate::views::Lookup;

/// How the requester sees one event, or `None` when it is the desk's own business.
pub(super) fn phrase(
    data: &EventData,
    lookup: &Lookup,
) -> Option<(EntryStyle, String, Option<String>)> {
    let event = |what: String| Some((EntryStyle::Event, what, None));
    let said = |msg: Views| event(t(msg).to_owned());
    match data {
        EventData::Created { channel, .. } => event(tr(
            Views::CustomerAskedForHelp,
            &[&super::channel_phrase(*channel)],
        )),
        EventData::StatusChanged {
            from,
            to,
            pending_reason,
            ..
        } => match (from, to) {
            (Status::Resolved | Status::Closed, Status::Assigned | Status::InProgress) => {
                said(Views::CustomerReopened)
            }
            (_, Status::InProgress) if *from == Status::Pending => {
                said(Views::CustomerPickedUpAgain)
            }
            (_, Status::InProgress) => said(Views::CustomerStartedWork),
            (_, Status::Pending) if *pending_reason == Some(PendingReason::AwaitingUser) => {
                said(Views::CustomerAskedForInfo)
            }
            (_, Status::Pending) => said(Views::CustomerOnHold),
            (_, Status::Closed) => said(Views::CustomerClosed),
            (_, Status::Cancelled) => said(Views::CustomerCancelled),
            // Resolution has its own entry with the notes; assignment has its own too.
            (_, Status::Resolved | Status::New | Status::Assigned) => None,
        },
        EventData::GroupChanged { to, .. } => {
            event(tr(Views::CustomerPassedTo, &[&lookup.group(*to)]))
        }
        EventData::AssigneeChanged { to: Some(id), .. } => {
            event(tr(Views::CustomerHandedTo, &[&lookup.person(*id)]))
        }
        EventData::AssigneeChanged { to: None, .. } => None,
        EventData::Escalated {
            level: EscalationLevel::Functional,
            to_group: Some(group),
            ..
        } => event(tr(Views::CustomerToSpecialists, &[&lookup.group(*group)])),
        EventData::Escalated { .. } => None,
        EventData::Resolved { notes, .. } => Some((
            EntryStyle::Reply,
            t(Views::CustomerSolved).to_owned(),
            Some(notes.clone()),
        )),
        EventData::FieldChanged { field, to, .. } if field == "description" => Some((
            EntryStyle::Event,
            t(Views::CustomerEditedDescription).to_owned(),
            to.clone(),
        )),
        EventData::FieldChanged { field, .. } if field == "title" => {
            said(Views::CustomerChangedTitle)
        }
        EventData::Commented {
            internal: false,
            body,
        } => Some((
            EntryStyle::Reply,
            t(Views::CustomerReplied).to_owned(),
            Some(body.clone()),
        )),
        EventData::MergedInto { number, .. } => event(tr(Views::CustomerMergedInto, &[number])),
        EventData::MergedFrom { number, .. } => event(tr(Views::CustomerMergedFrom, &[number])),
        EventData::AutoCloseNotice { .. } => said(Views::CustomerAutoCloseNotice),
        EventData::Linked {
            kind: LinkKind::FollowUp,
            number,
            ..
        } => event(tr(Views::CustomerFollowUp, &[number])),
        EventData::Linked {
            kind: LinkKind::FollowedUpBy,
            number,
            ..
        } => event(tr(Views::CustomerFollowedUpBy, &[number])),
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

#[cfg(test)]
mod tests {
    use spoc_domain::event::EventData;
    use spoc_domain::sla::{ClockChange, SlaTarget};
    use spoc_domain::ticket::{PendingReason, Status};

    use crate::views::fixtures::{event, lookup, ticket};
    use crate::views::{customer_timeline_entries, timeline_entries};

    #[tokio::test]
    async fn both_wordings_are_written_in_the_readers_language() {
        let german = crate::i18n::Reader {
            language: spoc_app::Language::De,
            ..crate::i18n::Reader::default()
        };
        let events = vec![
            event(
                1,
                EventData::StatusChanged {
                    from: Status::InProgress,
                    to: Status::Pending,
                    pending_reason: Some(PendingReason::AwaitingUser),
                    reason: None,
                },
            ),
            event(
                2,
                EventData::Sla {
                    clock: ClockChange::Resumed {
                        target: SlaTarget::Resolution,
                    },
                },
            ),
            event(
                3,
                EventData::FieldChanged {
                    field: "impact".to_owned(),
                    from: Some("low".to_owned()),
                    to: Some("high".to_owned()),
                },
            ),
        ];
        let (staff, customer) = crate::i18n::with_reader(german, async move {
            let staff = timeline_entries(&ticket("x"), &events, &lookup());
            let customer = customer_timeline_entries(&ticket("x"), &events, &lookup());
            (staff, customer)
        })
        .await;
        let staff: Vec<&str> = staff.iter().map(|e| e.what.as_str()).collect();
        assert_eq!(
            staff,
            [
                "hat das Problem beschrieben",
                "hat den Status von In Bearbeitung auf Wartend geändert (Wartet auf die Person)",
                "hat die Uhr für Lösung fortgesetzt",
                "hat die Auswirkung von „niedrig“ auf „hoch“ geändert",
            ]
        );
        let customer: Vec<&str> = customer.iter().map(|e| e.what.as_str()).collect();
        assert_eq!(
            customer,
            [
                "hat das Problem beschrieben",
                "hat Sie um weitere Informationen gebeten"
            ]
        );
    }
}

//! Relations between tickets: links (relates to, follow-up) and the merge of a duplicate into a
//! surviving ticket.
//!
//! A merge closes the duplicate as "merged into" the survivor in the same decision that records
//! it on the survivor. The duplicate's history stays where it was written (history is never
//! rewritten); it is shown with the survivor, its requester is recorded on the survivor's
//! `merged_from` event, and mail that answers the duplicate is threaded onto the survivor.

use crate::Timestamp;
use crate::event::EventData;
use crate::lifecycle::{CommandError, Outcome};
use crate::text::ValidationError;
pub use crate::ticket::LinkKind;
use crate::ticket::{Status, Ticket};

/// Records a new link on both tickets: `(on ticket, on other)`.
pub fn link(
    ticket: &Ticket,
    other: &Ticket,
    kind: LinkKind,
    now: Timestamp,
) -> Result<(Outcome, Outcome), CommandError> {
    if ticket.id == other.id {
        return Err(ValidationError::new("ticket", "a ticket cannot be linked to itself").into());
    }
    let mut mine = Outcome::unchanged(ticket);
    mine.events.push(EventData::Linked {
        kind,
        ticket_id: other.id,
        number: other.number().to_string(),
    });
    let mut theirs = Outcome::unchanged(other);
    theirs.events.push(EventData::Linked {
        kind: kind.reverse(),
        ticket_id: ticket.id,
        number: ticket.number().to_string(),
    });
    Ok((mine.finish(now), theirs.finish(now)))
}

/// Records the removal of a link on both tickets: `(on ticket, on other)`.
pub fn unlink(
    ticket: &Ticket,
    other: &Ticket,
    kind: LinkKind,
    now: Timestamp,
) -> (Outcome, Outcome) {
    let mut mine = Outcome::unchanged(ticket);
    mine.events.push(EventData::Unlinked {
        kind,
        ticket_id: other.id,
        number: other.number().to_string(),
    });
    let mut theirs = Outcome::unchanged(other);
    theirs.events.push(EventData::Unlinked {
        kind: kind.reverse(),
        ticket_id: ticket.id,
        number: ticket.number().to_string(),
    });
    (mine.finish(now), theirs.finish(now))
}

/// Merges `duplicate` into `survivor`: `(duplicate, survivor)` after the merge.
///
/// Rules: not into itself; both open (a closed or cancelled ticket is finished and takes no
/// more conversation); `has_merged` says the duplicate already absorbed other tickets — it is
/// refused, so that a merge never makes a chain (merge those into the survivor directly). The
/// duplicate is closed (its clocks stop with it), the survivor records the duplicate and its
/// requester.
pub fn merge(
    duplicate: &Ticket,
    survivor: &Ticket,
    has_merged: bool,
    now: Timestamp,
) -> Result<(Outcome, Outcome), CommandError> {
    if duplicate.id == survivor.id {
        return Err(ValidationError::new("into", "a ticket cannot be merged into itself").into());
    }
    if !duplicate.status.is_open() {
        return Err(ValidationError::new(
            "into",
            format!(
                "{} is {} and can no longer be merged",
                duplicate.number(),
                duplicate.status.as_str()
            ),
        )
        .into());
    }
    if !survivor.status.is_open() {
        return Err(ValidationError::new(
            "into",
            format!(
                "{} is {}; merge into an open ticket",
                survivor.number(),
                survivor.status.as_str()
            ),
        )
        .into());
    }
    if has_merged {
        return Err(ValidationError::new(
            "into",
            format!(
                "other tickets were merged into {}; merge {} the other way round",
                duplicate.number(),
                survivor.number()
            ),
        )
        .into());
    }
    let mut closed = Outcome::unchanged(duplicate);
    closed.events.push(EventData::MergedInto {
        ticket_id: survivor.id,
        number: survivor.number().to_string(),
    });
    closed.set_status(
        Status::Closed,
        None,
        Some(format!("merged into {}", survivor.number())),
    );
    closed.ticket.closed_at = Some(now);
    let mut kept = Outcome::unchanged(survivor);
    kept.events.push(EventData::MergedFrom {
        ticket_id: duplicate.id,
        number: duplicate.number().to_string(),
        requester_id: duplicate.requester_id,
    });
    Ok((closed.finish(now), kept.finish(now)))
}

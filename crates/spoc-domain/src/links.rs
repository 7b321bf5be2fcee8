//! Relations between tickets: links (relates to, follow-up) and the merge of a duplicate into a
//! surviving ticket.
//!
//! A merge closes the duplicate as "merged into" the survivor in the same decision that records
//! it on the survivor. The duplicate's history stays where it was written (history is never
//! rewritten); it is shown with the survivor, its requester is recorded on the survivor's
//! `merged_from` event, and mail that answers the duplicate is threaded onto the survivor.

use std::fmt;

use crate::event::EventData;
use crate::lifecycle::{CommandError, Outcome};
use crate::text::ValidationError;
use crate::ticket::{Status, Ticket};
use crate::Timestamp;

/// How two tickets relate, as seen from one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// Related work; symmetric.
    RelatesTo,
    /// This ticket continues a closed one (a reply to a closed ticket opens it).
    FollowUp,
    /// A later ticket continues this closed one.
    FollowedUpBy,
}

impl LinkKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::RelatesTo, Self::FollowUp, Self::FollowedUpBy];

    /// The API name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::RelatesTo => "relates_to",
            Self::FollowUp => "follow_up",
            Self::FollowedUpBy => "followed_up_by",
        }
    }

    /// Parses an API name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// The same link seen from the other ticket.
    pub const fn reverse(self) -> Self {
        match self {
            Self::RelatesTo => Self::RelatesTo,
            Self::FollowUp => Self::FollowedUpBy,
            Self::FollowedUpBy => Self::FollowUp,
        }
    }

    /// Whether people may make or remove it by hand (follow-ups are made by the mail channel).
    pub const fn is_manual(self) -> bool {
        matches!(self, Self::RelatesTo)
    }
}

impl fmt::Display for LinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
pub fn unlink(ticket: &Ticket, other: &Ticket, kind: LinkKind, now: Timestamp) -> (Outcome, Outcome) {
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
    closed.set_status(Status::Closed, None, Some(format!("merged into {}", survivor.number())));
    closed.ticket.closed_at = Some(now);
    let mut kept = Outcome::unchanged(survivor);
    kept.events.push(EventData::MergedFrom {
        ticket_id: duplicate.id,
        number: duplicate.number().to_string(),
        requester_id: duplicate.requester_id,
    });
    Ok((closed.finish(now), kept.finish(now)))
}

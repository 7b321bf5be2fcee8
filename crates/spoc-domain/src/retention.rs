//! Retention of closed tickets, per tenant: off (the default), or closed tickets older than N
//! months are anonymised or deleted by the retention worker.
//!
//! **Anonymise** keeps the ticket and everything its metrics are made of (kind, status,
//! priority, group, category, service, requester and assignee ids, times, SLA clocks, the shape
//! of its history), and removes what people wrote: the title becomes [`ANONYMISED_TITLE`], the
//! description and resolution notes are emptied, and every free text in its history (comments,
//! reasons, notes, answers, mail subjects and texts, changed titles) is replaced by
//! [`REDACTED`]. Its attachments, mail threads, inbound messages, outbox messages and
//! notifications go. The requester's own personal data (name, address) is not touched: erasing
//! a person is another action.
//!
//! **Delete** removes the ticket and every row that belongs to it. Counts and reports computed
//! from tickets no longer include it.

use crate::Timestamp;
use crate::ValidationError;
use crate::event::EventData;

/// The title an anonymised ticket keeps.
pub const ANONYMISED_TITLE: &str = "[anonymised]";

/// What replaces a free text in an anonymised ticket's history.
pub const REDACTED: &str = "[removed]";

/// The longest retention period an admin can choose, in months (ten years).
pub const MAX_MONTHS: u32 = 120;

/// What happens to closed tickets past the period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RetentionMode {
    /// Nothing (the default).
    #[default]
    Off,
    /// Their texts, attachments and mail are removed; the ticket and its metrics stay.
    Anonymise,
    /// They are deleted with everything that belongs to them.
    Delete,
}

impl RetentionMode {
    /// Every mode, in a stable order.
    pub const ALL: [Self; 3] = [Self::Off, Self::Anonymise, Self::Delete];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Anonymise => "anonymise",
            Self::Delete => "delete",
        }
    }

    /// Parses a name.
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == value)
            .ok_or_else(|| ValidationError::new("mode", "must be off, anonymise or delete"))
    }
}

/// A tenant's retention rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Retention {
    mode: RetentionMode,
    months: u32,
}

impl Retention {
    /// A rule: `mode` for closed tickets older than `months` (1 to [`MAX_MONTHS`]; ignored when
    /// off).
    pub fn new(mode: RetentionMode, months: i64) -> Result<Self, ValidationError> {
        if mode == RetentionMode::Off {
            return Ok(Self::default());
        }
        match u32::try_from(months) {
            Ok(m) if (1..=MAX_MONTHS).contains(&m) => Ok(Self { mode, months: m }),
            _ => Err(ValidationError::new(
                "months",
                format!("must be between 1 and {MAX_MONTHS} months"),
            )),
        }
    }

    /// A rule as an admin sets it: `months` must be 0 to [`MAX_MONTHS`] whatever the mode (an
    /// answer never holds more, so a request never may), and 1 or more unless off.
    pub fn given(mode: RetentionMode, months: i64) -> Result<Self, ValidationError> {
        if !(0..=i64::from(MAX_MONTHS)).contains(&months) {
            return Err(ValidationError::new(
                "months",
                format!("must be between 1 and {MAX_MONTHS} months"),
            ));
        }
        Self::new(mode, months)
    }

    /// What happens.
    pub fn mode(self) -> RetentionMode {
        self.mode
    }

    /// After how many months (0 when off).
    pub fn months(self) -> u32 {
        self.months
    }

    /// Whether the rule does anything.
    pub fn is_on(self) -> bool {
        self.mode != RetentionMode::Off
    }

    /// The stored form: `mode:months`.
    pub fn to_stored(self) -> String {
        format!("{}:{}", self.mode.as_str(), self.months)
    }

    /// Reads the stored form; anything unreadable is off.
    pub fn from_stored(value: &str) -> Self {
        value
            .split_once(':')
            .and_then(|(mode, months)| {
                let mode = RetentionMode::parse(mode).ok()?;
                Self::new(mode, months.parse().ok()?).ok()
            })
            .unwrap_or_default()
    }

    /// Tickets closed before this instant are due at `now`: `now` less the months, in UTC
    /// calendar months (the same day of the month, or the month's last day).
    pub fn closed_before(self, now: Timestamp) -> Timestamp {
        let back = jiff::Timestamp::from_microsecond(now.as_micros())
            .ok()
            .and_then(|t| {
                t.to_zoned(jiff::tz::TimeZone::UTC)
                    .checked_sub(jiff::Span::new().months(i64::from(self.months)))
                    .ok()
            })
            .map(|z| z.timestamp().as_microsecond());
        Timestamp::from_micros(back.unwrap_or(i64::MIN))
    }
}

/// Whether a field's values are free text people wrote (so anonymising removes them).
fn free_text_field(field: &str) -> bool {
    matches!(
        field,
        "title" | "description" | "supplier_reference" | "resolution_notes"
    )
}

/// An event of an anonymised ticket: the same change, with every free text replaced by
/// [`REDACTED`]; codes, ids, numbers and times stay.
pub fn redact_event(data: &EventData) -> EventData {
    let text = |_: &String| REDACTED.to_owned();
    let mut out = data.clone();
    match &mut out {
        EventData::StatusChanged { reason, .. } => *reason = reason.as_ref().map(text),
        EventData::Escalated { reason, .. } => *reason = text(reason),
        EventData::Resolved { notes, .. } => *notes = text(notes),
        EventData::PriorityChanged { rationale, .. } => {
            *rationale = rationale.as_ref().map(text);
        }
        EventData::FieldChanged { field, from, to } if free_text_field(field) => {
            *from = from.as_ref().map(text);
            *to = to.as_ref().map(text);
        }
        EventData::Commented { body, .. } => *body = text(body),
        EventData::SopAnswer { answer, .. } => *answer = text(answer),
        EventData::AutomatedMail {
            from,
            subject,
            reason,
            text: body,
        } => {
            *from = text(from);
            *subject = text(subject);
            *reason = text(reason);
            *body = text(body);
        }
        EventData::NotificationUndeliverable {
            recipient, reason, ..
        } => {
            *recipient = text(recipient);
            *reason = text(reason);
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_checked_and_stored() {
        assert_eq!(Retention::default().mode(), RetentionMode::Off);
        assert!(Retention::new(RetentionMode::Delete, 0).is_err());
        assert!(Retention::new(RetentionMode::Delete, 121).is_err());
        let rule = Retention::new(RetentionMode::Anonymise, 18).unwrap();
        assert_eq!(Retention::from_stored(&rule.to_stored()), rule);
        assert_eq!(Retention::from_stored("garbage"), Retention::default());
        assert!(!Retention::new(RetentionMode::Off, 99).unwrap().is_on());
    }

    #[test]
    fn a_rule_as_given_keeps_months_in_range_whatever_the_mode() {
        assert_eq!(
            Retention::given(RetentionMode::Off, 0).unwrap(),
            Retention::default()
        );
        assert_eq!(
            Retention::given(RetentionMode::Off, 120).unwrap(),
            Retention::default()
        );
        assert_eq!(
            Retention::given(RetentionMode::Off, 121).unwrap_err().field,
            "months"
        );
        assert!(Retention::given(RetentionMode::Off, -1).is_err());
        assert!(Retention::given(RetentionMode::Delete, 0).is_err());
        assert_eq!(
            Retention::given(RetentionMode::Delete, 120)
                .unwrap()
                .months(),
            120
        );
    }

    #[test]
    fn the_cutoff_is_calendar_months_back() {
        let rule = Retention::new(RetentionMode::Delete, 1).unwrap();
        // 2026-03-31T00:00:00Z less one month is the last day of February.
        let now = Timestamp::from_micros(1_774_915_200_000_000);
        let feb_28 = Timestamp::from_micros(1_772_236_800_000_000);
        assert_eq!(rule.closed_before(now), feb_28);
    }

    #[test]
    fn redaction_keeps_codes_and_drops_texts() {
        let comment = EventData::Commented {
            internal: true,
            body: "Call Jane on 555-0100".into(),
        };
        assert_eq!(
            redact_event(&comment),
            EventData::Commented {
                internal: true,
                body: REDACTED.into()
            }
        );
        let field = EventData::FieldChanged {
            field: "category_id".into(),
            from: Some("3".into()),
            to: Some("4".into()),
        };
        assert_eq!(redact_event(&field), field);
    }
}

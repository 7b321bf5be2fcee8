//! OpenAPI schemas of wire fields whose rules live in the domain: the text rules of
//! `spoc_domain::text` (as a `pattern` and `maxLength` built from the validators' own
//! constants) and the closed sets of names of the domain's enums (as an `enum` of their `ALL`).
//! Wire types name these with `#[schema(schema_with = …)]`, so the document states exactly the
//! rules the handlers apply.

use spoc_domain::knowledge::{ArticleKind, Audience};
use spoc_domain::mail::{NonParticipants, NoticeTopic, UnknownSenders};
use spoc_domain::priority::{Impact, Priority, Urgency};
use spoc_domain::sop::ReviewPolicy;
use spoc_domain::text::{Body, Email, Label, Name, Reason, SupplierReference, Title};
use spoc_domain::ticket::{Channel, TicketKind};
use spoc_domain::user::Role;
use utoipa::openapi::schema::{
    Array, KnownFormat, Object, ObjectBuilder, SchemaFormat, SchemaType, Type,
};

/// A text field: `pattern` states the whole rule, trimmed length and characters alike. (No
/// `maxLength`: white space around the text does not count, so the raw length is not bounded.)
fn text(pattern: String, description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .description(Some(description))
}

/// Makes a string schema also accept `null` (for optional fields).
fn or_null(builder: ObjectBuilder) -> Object {
    builder
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .build()
}

macro_rules! text_schemas {
    ($($(#[$doc:meta])* $name:ident, $optional:ident => $ty:ty, $what:literal;)*) => {
        $(
            $(#[$doc])*
            pub fn $name() -> Object {
                text(
                    <$ty>::pattern(),
                    concat!($what, ": see `pattern`; white space around it is removed."),
                )
                .build()
            }

            /// The same, or `null`.
            pub fn $optional() -> Object {
                or_null(text(
                    <$ty>::pattern(),
                    concat!($what, ": see `pattern`; white space around it is removed."),
                ))
            }
        )*
    };
}

text_schemas! {
    /// A title: one line of 1–200 characters.
    title, title_or_null => Title, "One line of 1–200 characters";
    /// A description, reply, note or article body.
    body, body_or_null => Body, "1–100,000 characters, line breaks allowed, no other control characters";
    /// A reason in words.
    reason, reason_or_null => Reason, "1–2,000 characters, line breaks allowed, no other control characters";
    /// A display name.
    name, name_or_null => Name, "One line of 1–200 characters";
    /// A supplier's reference.
    supplier_reference, supplier_reference_or_null => SupplierReference, "One line of 1–100 characters";
    /// A label.
    label, label_or_null => Label, "One line of 1–100 characters";
}

/// A supplier's reference to set, or empty or `null` to clear it.
pub fn supplier_reference_to_clear() -> Object {
    or_null(text(
        spoc_domain::text::text_pattern(0, SupplierReference::MAX_CHARS, false),
        "One line of up to 100 characters; empty or null clears it.",
    ))
}

/// An e-mail address.
pub fn email() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(Email::pattern()))
        .max_length(Some(Email::MAX_CHARS))
        .description(Some(
            "An e-mail address like name@example.org (stored lower-cased).",
        ))
        .build()
}

/// A closed set of names.
fn one_of<'a>(names: impl IntoIterator<Item = &'a str>, null: bool) -> Object {
    let mut values: Vec<serde_json::Value> =
        names.into_iter().map(serde_json::Value::from).collect();
    let mut builder = ObjectBuilder::new();
    if null {
        values.push(serde_json::Value::Null);
        builder = builder.schema_type(SchemaType::from_iter([Type::String, Type::Null]));
    } else {
        builder = builder.schema_type(Type::String);
    }
    builder.enum_values(Some(values)).build()
}

macro_rules! name_schemas {
    ($($(#[$doc:meta])* $name:ident, $optional:ident => $values:expr;)*) => {
        $(
            $(#[$doc])*
            pub fn $name() -> Object {
                one_of($values, false)
            }

            /// The same, or `null`.
            pub fn $optional() -> Object {
                one_of($values, true)
            }
        )*
    };
}

name_schemas! {
    /// `incident` or `service_request`.
    ticket_kind, ticket_kind_or_null => TicketKind::ALL.iter().map(|v| v.as_str());
    /// An impact.
    impact, impact_or_null => Impact::ALL.iter().map(|v| v.as_str());
    /// An urgency.
    urgency, urgency_or_null => Urgency::ALL.iter().map(|v| v.as_str());
    /// A priority.
    priority, priority_or_null => Priority::ALL.iter().map(|v| v.as_str());
    /// How a ticket arrived.
    channel, channel_or_null => Channel::ALL.iter().map(|v| v.as_str());
    /// A role.
    role, role_or_null => Role::ALL.iter().map(|v| v.as_str());
    /// A notification topic.
    notice_topic, notice_topic_or_null => NoticeTopic::ALL.iter().map(|v| v.as_str());
    /// A kind of article.
    article_kind, article_kind_or_null => ArticleKind::ALL.iter().map(|v| v.as_str());
    /// Who an article is for.
    audience, audience_or_null => Audience::ALL.iter().map(|v| v.as_str());
    /// What a mailbox does with mail from unknown senders.
    unknown_senders, unknown_senders_or_null => UnknownSenders::ALL.iter().map(|v| v.as_str());
    /// What a mailbox does with mail from people not on the ticket.
    non_participants, non_participants_or_null => NonParticipants::ALL.iter().map(|v| v.as_str());
    /// How a ticket was resolved.
    resolution_code, resolution_code_or_null => spoc_domain::ticket::ResolutionCode::ALL.iter().map(|v| v.as_str());
    /// A state of outbox messages.
    outbox_state, outbox_state_or_null => spoc_app::OutboxState::ALL.iter().map(|v| v.as_str());
    /// A status of articles.
    article_status, article_status_or_null => spoc_domain::knowledge::ArticleStatus::ALL.iter().map(|v| v.as_str());
}

/// An optional whole number within `(low, high)`.
fn int_or_null((low, high): (i64, i64), description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(low))
        .maximum(Some(high))
        .description(Some(description))
        .build()
}

/// Months between an SOP's scheduled reviews.
pub fn review_interval_months() -> Object {
    int_or_null(
        ReviewPolicy::INTERVAL_MONTHS,
        "Months between scheduled reviews (default 6).",
    )
}

/// A count of SLA breaches or reopenings that brings an SOP's review forward.
pub fn review_threshold() -> Object {
    int_or_null(
        ReviewPolicy::THRESHOLD,
        "Early review after this many in the window (absent: none).",
    )
}

/// The window of the early-review thresholds.
pub fn review_window_days() -> Object {
    int_or_null(
        ReviewPolicy::WINDOW_DAYS,
        "The window in days (default 30).",
    )
}

/// The cells of the priority matrix: one row per impact, one priority per urgency.
pub fn matrix_cells() -> Array {
    let row = Array::new(priority());
    let mut row = row;
    row.min_items = Some(Urgency::ALL.len());
    row.max_items = Some(Urgency::ALL.len());
    let mut cells = Array::new(row);
    cells.min_items = Some(Impact::ALL.len());
    cells.max_items = Some(Impact::ALL.len());
    cells
}

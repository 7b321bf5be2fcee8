//! Parameters that the API and the pages read alike: instants and report breakdowns, ticket
//! sort orders and listing cursors, and how times are written.

use spoc_app::{Cursor, TicketSort};
use spoc_domain::Timestamp;

use crate::error::ApiError;

/// RFC 3339 in UTC with microseconds.
pub fn time(at: Timestamp) -> String {
    jiff::Timestamp::from_microsecond(at.as_micros())
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// Parses a report bound: a date (UTC midnight) or an RFC 3339 instant.
pub fn parse_instant(
    field: &'static str,
    value: &str,
) -> Result<spoc_domain::Timestamp, spoc_domain::ValidationError> {
    let value = value.trim();
    let micros = if let Ok(date) = value.parse::<jiff::civil::Date>() {
        date.to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp().as_microsecond())
            .ok()
    } else {
        value
            .parse::<jiff::Timestamp>()
            .map(|t| t.as_microsecond())
            .ok()
    };
    micros
        .map(spoc_domain::Timestamp::from_micros)
        .ok_or_else(|| {
            spoc_domain::ValidationError::new(
                field,
                format!("{value:?} is neither a date like 2026-11-01 nor an RFC 3339 instant"),
            )
        })
}

/// Parses a breakdown name.
pub fn parse_by(value: Option<&str>) -> Result<spoc_app::ReportBy, spoc_domain::ValidationError> {
    match value.unwrap_or("group") {
        "group" => Ok(spoc_app::ReportBy::Group),
        "priority" => Ok(spoc_app::ReportBy::Priority),
        "policy" => Ok(spoc_app::ReportBy::Policy),
        _ => Err(spoc_domain::ValidationError::new(
            "by",
            "must be one of: group, priority, policy",
        )),
    }
}

/// Every sort order, by its name in `sort`.
pub const SORTS: [(&str, TicketSort); 7] = [
    ("-created", TicketSort::CreatedDesc),
    ("created", TicketSort::CreatedAsc),
    ("-updated", TicketSort::UpdatedDesc),
    ("updated", TicketSort::UpdatedAsc),
    ("priority", TicketSort::PriorityAsc),
    ("-priority", TicketSort::PriorityDesc),
    ("due", TicketSort::DueAsc),
];

/// The sort order named in a query; `-created` when none is named.
pub fn parse_sort(value: Option<&str>) -> Result<TicketSort, ApiError> {
    let wanted = value.unwrap_or("-created");
    SORTS
        .iter()
        .find(|(name, _)| *name == wanted)
        .map(|(_, sort)| *sort)
        .ok_or_else(|| {
            ApiError::bad_query(format!(
                "unknown sort {wanted:?}; use created, updated or priority, with - for descending, or due"
            ))
        })
}

/// The name of a sort order in queries and cursors.
pub fn sort_name(sort: TicketSort) -> &'static str {
    match sort {
        TicketSort::CreatedDesc => "-created",
        TicketSort::CreatedAsc => "created",
        TicketSort::UpdatedDesc => "-updated",
        TicketSort::UpdatedAsc => "updated",
        TicketSort::PriorityAsc => "priority",
        TicketSort::PriorityDesc => "-priority",
        TicketSort::DueAsc => "due",
    }
}

/// The cursor of a listing's next page: its sort order's name, the sort key and the id.
pub fn encode_cursor(sort: TicketSort, cursor: Cursor) -> String {
    format!("{}~{}~{}", sort_name(sort), cursor.key, cursor.id)
}

/// A cursor that [`encode_cursor`] wrote for the same sort order.
pub fn decode_cursor(sort: TicketSort, value: &str) -> Result<Cursor, ApiError> {
    let invalid =
        || ApiError::bad_query("cursor is not one this listing handed out; start again without it");
    let mut parts = value.split('~');
    let (Some(name), Some(key), Some(id), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid());
    };
    if name != sort_name(sort) {
        return Err(ApiError::bad_query("cursor belongs to another sort order"));
    }
    Ok(Cursor {
        key: key.parse().map_err(|_| invalid())?,
        id: spoc_domain::TicketId::new(id.parse().map_err(|_| invalid())?),
    })
}

/// The `tenant_id` a report is asked for: a tenant's id (1 or more), or none for the caller's.
pub fn tenant_param(value: Option<i64>) -> Result<Option<spoc_domain::TenantId>, ApiError> {
    match value {
        None => Ok(None),
        Some(id) if id >= 1 => Ok(Some(spoc_domain::TenantId::new(id))),
        Some(_) => Err(ApiError::bad_query(
            "tenant_id: must be a tenant's id, 1 or more",
        )),
    }
}

//! Queue filters from a query string, as the API listing and the desk's queue page both take
//! them: every list filter takes comma-separated values, or the same name repeated, and matches
//! any of them; different filters combine. Empty values are ignored.

use spoc_app::TicketFilter;
use spoc_domain::priority::Priority;
use spoc_domain::sla::SlaStanding;
use spoc_domain::ticket::{Status, TicketKind};
use spoc_domain::{CategoryId, GroupId, OrganizationId, ServiceId, Timestamp, UserId};

/// A filter value that does not parse: the parameter's name and what is wrong, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError {
    /// The parameter.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

/// The filter parameters (with the API's `_id` spellings accepted as the same filter).
pub const FILTER_PARAMS: [&str; 11] = [
    "status",
    "priority",
    "kind",
    "group",
    "assignee",
    "requester",
    "organization",
    "category",
    "service",
    "sla",
    "updated_since",
];

/// The canonical name of a filter parameter: `group_id` is `group`, and so on.
pub fn canonical(name: &str) -> Option<&'static str> {
    let base = name.strip_suffix("_id").unwrap_or(name);
    FILTER_PARAMS.iter().copied().find(|p| *p == base)
}

fn ids<T>(
    field: &'static str,
    value: &str,
    make: impl Fn(i64) -> T,
) -> Result<Vec<T>, FilterError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .map(&make)
                .ok_or_else(|| FilterError {
                    field,
                    message: format!("{v:?} is not an id"),
                })
        })
        .collect()
}

fn each<T>(
    field: &'static str,
    value: &str,
    parse: impl Fn(&str) -> Result<Vec<T>, String>,
) -> Result<Vec<T>, FilterError> {
    let mut out = Vec::new();
    for v in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
        out.extend(parse(v).map_err(|message| FilterError { field, message })?);
    }
    Ok(out)
}

/// `2026-12-01` (midnight UTC) or an RFC 3339 time.
fn parse_since(value: &str) -> Result<Timestamp, FilterError> {
    let error = || FilterError {
        field: "updated_since",
        message: format!(
            "{value:?} is not a date like 2026-12-01 or a time like 2026-12-01T08:00:00Z"
        ),
    };
    if let Ok(ts) = value.parse::<jiff::Timestamp>() {
        return Ok(Timestamp::from_micros(ts.as_microsecond()));
    }
    let date: jiff::civil::Date = value.parse().map_err(|_| error())?;
    let ts = date
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_err(|_| error())?
        .timestamp();
    Ok(Timestamp::from_micros(ts.as_microsecond()))
}

/// Adds one parameter to `filter`. `me` is the caller, for `assignee=me`. Returns `false` for a
/// name that is not a filter (the caller decides whether that is an error).
pub fn apply_param(
    filter: &mut TicketFilter,
    name: &str,
    value: &str,
    me: Option<UserId>,
) -> Result<bool, FilterError> {
    let Some(field) = canonical(name) else {
        return Ok(false);
    };
    let value = value.trim();
    if value.is_empty() {
        return Ok(true);
    }
    match field {
        "status" => filter.statuses.extend(each(field, value, |v| match v {
            "open" => Ok(Status::ALL
                .iter()
                .copied()
                .filter(|s| s.is_open())
                .collect()),
            "active" => Ok(Status::ALL
                .iter()
                .copied()
                .filter(|s| s.is_active())
                .collect()),
            v => Status::parse(v).map(|s| vec![s]).map_err(|e| e.message),
        })?),
        "priority" => filter.priorities.extend(each(field, value, |v| {
            Priority::parse(v).map(|p| vec![p]).map_err(|e| e.message)
        })?),
        "kind" => {
            filter.kind = Some(TicketKind::parse(value).map_err(|e| FilterError {
                field,
                message: e.message,
            })?);
        }
        "group" => filter.group_ids.extend(ids(field, value, GroupId::new)?),
        "assignee" => filter.assignees.extend(each(field, value, |v| match v {
            "none" => Ok(vec![None]),
            "me" => me
                .map(|me| vec![Some(me)])
                .ok_or_else(|| "`me` needs a person signed in".to_owned()),
            v => v
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .map(|id| vec![Some(UserId::new(id))])
                .ok_or_else(|| format!("{v:?} is not a user id, `me` or `none`")),
        })?),
        "requester" => filter.requester_ids.extend(ids(field, value, UserId::new)?),
        "organization" => filter
            .organization_ids
            .extend(ids(field, value, OrganizationId::new)?),
        "category" => filter
            .category_ids
            .extend(ids(field, value, CategoryId::new)?),
        "service" => filter
            .service_ids
            .extend(ids(field, value, ServiceId::new)?),
        "sla" => filter.sla.extend(each(field, value, |v| {
            SlaStanding::parse(v)
                .map(|s| vec![s])
                .map_err(|e| e.message)
        })?),
        "updated_since" => filter.updated_since = Some(parse_since(value)?),
        _ => return Ok(false),
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_repeat_and_split() {
        let mut f = TicketFilter::default();
        let me = Some(UserId::new(7));
        assert!(apply_param(&mut f, "assignee_id", "me,none", me).unwrap());
        assert!(apply_param(&mut f, "assignee", "3", me).unwrap());
        assert_eq!(
            f.assignees,
            vec![Some(UserId::new(7)), None, Some(UserId::new(3))]
        );
        assert!(apply_param(&mut f, "priority", "P1, P2", me).unwrap());
        assert_eq!(f.priorities, vec![Priority::P1, Priority::P2]);
        assert!(apply_param(&mut f, "sla", "breached,at_risk", me).unwrap());
        assert_eq!(f.sla, vec![SlaStanding::Breached, SlaStanding::AtRisk]);
        assert!(apply_param(&mut f, "group", "", me).unwrap());
        assert!(f.group_ids.is_empty());
        assert!(!apply_param(&mut f, "colour", "red", me).unwrap());
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let mut f = TicketFilter::default();
        for (name, value) in [
            ("group_id", "x"),
            ("assignee", "nobody"),
            ("sla", "late"),
            ("updated_since", "yesterday"),
            ("requester", "-4"),
            ("status", "open,sleeping"),
        ] {
            let e = apply_param(&mut f, name, value, None).unwrap_err();
            assert_eq!(Some(e.field), canonical(name), "{name}");
        }
        assert_eq!(
            apply_param(&mut f, "assignee", "me", None)
                .unwrap_err()
                .field,
            "assignee"
        );
    }

    #[test]
    fn since_takes_a_date_or_a_time() {
        let mut f = TicketFilter::default();
        apply_param(&mut f, "updated_since", "2026-12-01", None).unwrap();
        let day = f.updated_since.unwrap();
        apply_param(&mut f, "updated_since", "2026-12-01T00:00:00Z", None).unwrap();
        assert_eq!(f.updated_since, Some(day));
    }
}

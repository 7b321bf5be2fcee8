//! Business calendars: working hours and holidays written as short lines.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use spoc_app::Calendar;
use spoc_domain::CalendarId;
use spoc_domain::calendar::{CalendarSpec, HolidaySpec, WEEKDAYS, WorkingHours};
use spoc_domain::text::Name;

use crate::admin::frame::{Showing, admin_post, named_fields, page, parse_path_id, require_admin};
use crate::admin::sla::overview::value;
use crate::admin::sla::overview::{Pairs, hours_text};
use crate::forms::UiForm;
use crate::i18n::admin::Admin;
use crate::i18n::{t, tr};
use crate::page::{FieldErrors, checkbox, csrf_field, error_box, text_input};
use crate::session::{UiError, Viewer, sentence};
use spoc_http::AppState;

pub(crate) fn holidays_text(holidays: &[HolidaySpec]) -> String {
    holidays
        .iter()
        .map(|h| match h {
            HolidaySpec::Date { date } => date.clone(),
            HolidaySpec::Range { from, to } => format!("{from}..{to}"),
            HolidaySpec::Yearly { month, day } => format!("{month:02}-{day:02}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parses hours lines: `mon 08:00-17:00`, `mon-fri 08:00-12:00, 13:00-17:00`, `sat 22:00-06:00`.
pub(crate) fn parse_hours(text: &str) -> Result<Vec<WorkingHours>, String> {
    let mut hours = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
    {
        let bad = || tr(Admin::HoursLineInvalid, &[&n, &line]);
        let (days, times) = line.split_once(char::is_whitespace).ok_or_else(bad)?;
        let day_index = |d: &str| {
            WEEKDAYS
                .iter()
                .position(|w| w.eq_ignore_ascii_case(d.trim()))
        };
        let days: Vec<usize> = match days.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day_index(a).ok_or_else(bad)?, day_index(b).ok_or_else(bad)?);
                if a > b {
                    return Err(bad());
                }
                (a..=b).collect()
            }
            None => vec![day_index(days).ok_or_else(bad)?],
        };
        for span in times.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (start, end) = span.split_once('-').ok_or_else(bad)?;
            for &d in &days {
                hours.push(WorkingHours {
                    day: WEEKDAYS[d].to_owned(),
                    start: start.trim().to_owned(),
                    end: end.trim().to_owned(),
                });
            }
        }
    }
    Ok(hours)
}

/// Parses holiday lines: `2026-12-24`, `2026-12-24..2026-12-31`, `12-25` (every year).
pub(crate) fn parse_holidays(text: &str) -> Vec<HolidaySpec> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| match line.split_once("..") {
            Some((from, to)) => HolidaySpec::Range {
                from: from.trim().to_owned(),
                to: to.trim().to_owned(),
            },
            None => match line.split_once('-') {
                Some((m, d)) if line.len() <= 5 => match (m.parse(), d.parse()) {
                    (Ok(month), Ok(day)) => HolidaySpec::Yearly { month, day },
                    _ => HolidaySpec::Date {
                        date: line.to_owned(),
                    },
                },
                _ => HolidaySpec::Date {
                    date: line.to_owned(),
                },
            },
        })
        .collect()
}

struct CalendarForm {
    name: String,
    time_zone: String,
    always_open: bool,
    hours: String,
    holidays: String,
}

impl CalendarForm {
    fn of(record: &Calendar) -> Self {
        Self {
            name: record.name.clone(),
            time_zone: record.spec.time_zone.clone(),
            always_open: record.spec.always_open,
            hours: hours_text(&record.spec.hours),
            holidays: holidays_text(&record.spec.holidays),
        }
    }

    fn from_pairs(pairs: &Pairs) -> Self {
        Self {
            name: value(pairs, "name").to_owned(),
            time_zone: value(pairs, "time_zone").to_owned(),
            always_open: !value(pairs, "always_open").is_empty(),
            hours: value(pairs, "hours").to_owned(),
            holidays: value(pairs, "holidays").to_owned(),
        }
    }
}

fn calendar_page(
    viewer: &Viewer,
    id: Option<i64>,
    form: &CalendarForm,
    showing: Showing<'_>,
) -> Response {
    let errors = &showing.errors;
    let action = id.map_or_else(
        || "/admin/sla/calendars/new".to_owned(),
        |id| format!("/admin/sla/calendars/{id}"),
    );
    let title = if id.is_some() {
        form.name.clone()
    } else {
        t(Admin::NewCalendar).to_owned()
    };
    let text_area = |id: &str, name: &str, label: &str, hint: &str, value: &str| {
        let error = errors.get(name);
        crate::page::field(
            id,
            label,
            Some(hint),
            error,
            html! {
                textarea id=(id) name=(name) rows="6" class="mono" aria-invalid=[error.map(|_| "true")]
                    aria-describedby=(crate::page::described_by(id, true, error.is_some()).unwrap_or_default()) { (value) }
            },
        )
    };
    let content = html! {
        div class="page-head" { div { p class="eyebrow" { a href="/admin/sla" { (t(Admin::SecServiceLevels)) } } h1 { (title) } } }
        (error_box(errors.get("form")))
        form class="form panel" method="post" action=(action) {
            (csrf_field(viewer))
            (text_input("c-name", "name", t(Admin::Name), "text", &form.name, true, None, errors))
            (text_input("c-tz", "time_zone", t(Admin::TimeZone), "text", &form.time_zone, true, Some(t(Admin::TimeZoneHint)), errors))
            (checkbox("c-always", "always_open", t(Admin::AlwaysOpen), form.always_open, None))
            (text_area("c-hours", "hours", t(Admin::WorkingHours), t(Admin::WorkingHoursHint), &form.hours))
            (text_area("c-holidays", "holidays", t(Admin::Holidays), t(Admin::HolidaysHint), &form.holidays))
            div class="form-actions" { button class="button button-primary" type="submit" { (t(Admin::SaveCalendar)) } }
        }
    };
    page(viewer, "/admin/sla", &title, showing.status, content)
}

pub(crate) async fn new_calendar(viewer: Viewer) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let form = CalendarForm {
        name: String::new(),
        time_zone: "UTC".to_owned(),
        always_open: false,
        hours: "mon-fri 08:00-17:00".to_owned(), // i18n: not text (the hours syntax)
        holidays: String::new(),
    };
    Ok(calendar_page(&viewer, None, &form, Showing::blank()))
}

pub(crate) async fn edit_calendar(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    require_admin(&viewer)?;
    let id = parse_path_id(&id)?;
    let record = state
        .app
        .list_calendars(&viewer.actor)
        .await?
        .into_iter()
        .find(|c| c.id.get() == id)
        .ok_or_else(UiError::not_found)?;
    Ok(calendar_page(
        &viewer,
        Some(id),
        &CalendarForm::of(&record),
        Showing::blank(),
    ))
}

async fn store_calendar(
    state: &AppState,
    viewer: &Viewer,
    id: Option<i64>,
    pairs: &Pairs,
) -> Result<Response, UiError> {
    admin_post(viewer, value(pairs, "csrf"))?;
    let form = CalendarForm::from_pairs(pairs);
    let mut errors = FieldErrors::none();
    let name = Name::parse_as("name", &form.name)
        .map_err(|e| errors.add("name", sentence(&e.message)))
        .ok();
    let hours = parse_hours(&form.hours)
        .map_err(|e| errors.add("hours", sentence(&e)))
        .ok();
    if let (Some(name), Some(hours)) = (name, hours) {
        let spec = CalendarSpec {
            time_zone: form.time_zone.trim().to_owned(),
            always_open: form.always_open,
            hours,
            holidays: parse_holidays(&form.holidays),
        };
        match state
            .app
            .save_calendar(&viewer.actor, id.map(CalendarId::new), name, spec)
            .await
        {
            Ok(_) => return Ok(Redirect::to("/admin/sla?ok=saved").into_response()),
            Err(e) => errors.add_app_error(e, &named_fields())?,
        }
    }
    Ok(calendar_page(viewer, id, &form, Showing::refused(errors)))
}

pub(crate) async fn save_new_calendar(
    State(state): State<AppState>,
    viewer: Viewer,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    store_calendar(&state, &viewer, None, &pairs).await
}

pub(crate) async fn save_calendar(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    let id = parse_path_id(&id)?;
    store_calendar(&state, &viewer, Some(id), &pairs).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_lines_expand_day_ranges_and_split_times() {
        let hours = parse_hours("mon-wed 08:00-12:00, 13:00-17:00\n\nsun 22:00-06:00").unwrap();
        assert_eq!(hours.len(), 7);
        assert_eq!(
            hours[0],
            WorkingHours {
                day: "mon".to_owned(),
                start: "08:00".to_owned(),
                end: "12:00".to_owned()
            }
        );
        assert_eq!(hours[6].day, "sun");
        assert!(
            parse_hours("someday 08:00-17:00")
                .unwrap_err()
                .contains("line 1")
        );
        assert!(parse_hours("fri-mon 08:00-17:00").is_err());
        assert_eq!(
            hours_text(&parse_hours("tue 09:00-10:00").unwrap()),
            "tue 09:00-10:00"
        );
    }

    #[test]
    fn holiday_lines() {
        let holidays = parse_holidays("2026-12-24\n2026-12-27..2026-12-31\n12-25\n");
        assert_eq!(
            holidays,
            vec![
                HolidaySpec::Date {
                    date: "2026-12-24".to_owned()
                },
                HolidaySpec::Range {
                    from: "2026-12-27".to_owned(),
                    to: "2026-12-31".to_owned()
                },
                HolidaySpec::Yearly { month: 12, day: 25 },
            ]
        );
        assert_eq!(
            holidays_text(&holidays),
            "2026-12-24\n2026-12-27..2026-12-31\n12-25"
        );
    }
}

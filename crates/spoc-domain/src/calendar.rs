//! Business calendars: when the desk works. An IANA time zone, weekly working hours (several
//! intervals a day, overnight shifts), holidays (single dates, ranges, yearly), or 24×7.
//!
//! Business time is real elapsed time inside working intervals: an interval is fixed in local
//! wall-clock time on each date and turned into instants with the zone's rules for that date, so a
//! night shift that spans a DST change is 7 or 9 real hours, and office hours on a holiday are
//! none. Durations are whole microseconds, like [`Timestamp`].
//!
//! The three operations are consistent with each other: for `n > 0`, `add(s, n)` is the earliest
//! instant `t` with `between(s, t) = n`, it always lies inside working time (or at the end of an
//! interval), and `add(s, a + b) = add(add(s, a), b)`.

use std::collections::HashSet;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;

use crate::text::ValidationError;
use crate::time::Timestamp;

/// Seconds in a day.
const DAY_SECONDS: u32 = 86_400;
/// How far ahead a calendar is searched for working time before it is declared to have none.
const MAX_SEARCH_DAYS: u32 = 3_700;
const MICROS_PER_SECOND: i64 = 1_000_000;

/// The days of the week, Monday first, as written in a calendar.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A calendar as an admin writes it (and as it is stored).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// IANA time zone name, e.g. `Europe/Stockholm`.
    pub time_zone: String,
    /// Open around the clock, every day (hours and holidays are then ignored).
    #[serde(default)]
    pub always_open: bool,
    /// Working hours, any number per day.
    #[serde(default)]
    pub hours: Vec<WorkingHours>,
    /// Days off.
    #[serde(default)]
    pub holidays: Vec<HolidaySpec>,
}

/// One working interval on a weekday, `start`–`end` as `HH:MM`. `end` may be `24:00`; an `end`
/// before `start` is an overnight shift that continues on the next day.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingHours {
    /// `mon` … `sun`.
    pub day: String,
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`.
    pub end: String,
}

/// A day off: one date, an inclusive range of dates, or the same day every year.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum HolidaySpec {
    /// `{"date": "2026-12-24"}`.
    Date {
        /// The date.
        date: String,
    },
    /// `{"from": "2026-12-24", "to": "2026-12-31"}`.
    Range {
        /// First day.
        from: String,
        /// Last day (inclusive).
        to: String,
    },
    /// `{"month": 12, "day": 25}` — every year; a 29 February holiday only in leap years.
    Yearly {
        /// 1–12.
        month: i8,
        /// 1–31.
        day: i8,
    },
}

/// A validated calendar, ready for arithmetic.
#[derive(Clone, Debug)]
pub struct BusinessCalendar {
    zone: TimeZone,
    zone_name: String,
    always_open: bool,
    /// Per weekday (Monday first): sorted, disjoint `[start, end)` in seconds since local
    /// midnight, `end ≤ 86400`.
    week: [Vec<(u32, u32)>; 7],
    dates: HashSet<Date>,
    ranges: Vec<(Date, Date)>,
    yearly: Vec<(i8, i8)>,
}

/// The calendar has no working time in the next ten years (every day off).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the calendar has no working time in the next ten years")]
pub struct NoWorkingTime;

fn parse_clock(field: &'static str, value: &str) -> Result<u32, ValidationError> {
    let invalid =
        || ValidationError::new(field, format!("{value:?} is not a time of day like 08:30"));
    let (h, m) = value.trim().split_once(':').ok_or_else(invalid)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(invalid());
    }
    let h: u32 = h.parse().map_err(|_| invalid())?;
    let m: u32 = m.parse().map_err(|_| invalid())?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(invalid());
    }
    Ok(h * 3600 + m * 60)
}

fn parse_date(field: &'static str, value: &str) -> Result<Date, ValidationError> {
    value.trim().parse::<Date>().map_err(|_| {
        ValidationError::new(field, format!("{value:?} is not a date like 2026-12-24"))
    })
}

impl BusinessCalendar {
    /// Validates `spec`: a known time zone, well-formed hours and dates, and — unless always
    /// open — some working time in the week.
    pub fn new(spec: &CalendarSpec) -> Result<Self, ValidationError> {
        let zone = TimeZone::get(spec.time_zone.trim()).map_err(|_| {
            ValidationError::new(
                "time_zone",
                format!(
                    "{:?} is not an IANA time zone such as Europe/Stockholm",
                    spec.time_zone
                ),
            )
        })?;
        let mut week: [Vec<(u32, u32)>; 7] = Default::default();
        for hours in &spec.hours {
            let day = WEEKDAYS
                .iter()
                .position(|d| d.eq_ignore_ascii_case(hours.day.trim()))
                .ok_or_else(|| {
                    ValidationError::new(
                        "hours",
                        format!(
                            "{:?} is not one of mon, tue, wed, thu, fri, sat, sun",
                            hours.day
                        ),
                    )
                })?;
            let start = parse_clock("hours", &hours.start)?;
            let end = parse_clock("hours", &hours.end)?;
            if start == end {
                return Err(ValidationError::new(
                    "hours",
                    format!("{} {}–{} is empty", hours.day, hours.start, hours.end),
                ));
            }
            if start == DAY_SECONDS {
                return Err(ValidationError::new(
                    "hours",
                    "a shift cannot start at 24:00; start it at 00:00 the next day",
                ));
            }
            if start < end {
                week[day].push((start, end));
            } else {
                // Overnight: the rest of this day, then the morning of the next.
                week[day].push((start, DAY_SECONDS));
                if end > 0 {
                    week[(day + 1) % 7].push((0, end));
                }
            }
        }
        for day in &mut week {
            day.sort_unstable();
            let mut merged: Vec<(u32, u32)> = Vec::with_capacity(day.len());
            for &(s, e) in day.iter() {
                match merged.last_mut() {
                    Some(last) if s <= last.1 => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            *day = merged;
        }
        if !spec.always_open && week.iter().all(Vec::is_empty) {
            return Err(ValidationError::new(
                "hours",
                "give some working hours, or make the calendar always open (24×7)",
            ));
        }
        let mut dates = HashSet::new();
        let mut ranges = Vec::new();
        let mut yearly = Vec::new();
        for holiday in &spec.holidays {
            match holiday {
                HolidaySpec::Date { date } => {
                    dates.insert(parse_date("holidays", date)?);
                }
                HolidaySpec::Range { from, to } => {
                    let (from, to) = (parse_date("holidays", from)?, parse_date("holidays", to)?);
                    if to < from {
                        return Err(ValidationError::new(
                            "holidays",
                            format!("the range {from} – {to} ends before it starts"),
                        ));
                    }
                    ranges.push((from, to));
                }
                HolidaySpec::Yearly { month, day } => {
                    // 2024 is a leap year, so 29 February is accepted.
                    if Date::new(2024, *month, *day).is_err() {
                        return Err(ValidationError::new(
                            "holidays",
                            format!("{month}/{day} is not a day of the year"),
                        ));
                    }
                    yearly.push((*month, *day));
                }
            }
        }
        Ok(Self {
            zone,
            zone_name: spec.time_zone.trim().to_owned(),
            always_open: spec.always_open,
            week,
            dates,
            ranges,
            yearly,
        })
    }

    /// Around the clock in `time_zone`.
    pub fn always_open(time_zone: &str) -> Result<Self, ValidationError> {
        Self::new(&CalendarSpec {
            time_zone: time_zone.to_owned(),
            always_open: true,
            hours: Vec::new(),
            holidays: Vec::new(),
        })
    }

    /// The time zone's name.
    pub fn time_zone(&self) -> &str {
        &self.zone_name
    }

    /// Whether this calendar is 24×7.
    pub fn is_always_open(&self) -> bool {
        self.always_open
    }

    /// Whether `date` is a day off.
    pub fn is_holiday(&self, date: Date) -> bool {
        self.dates.contains(&date)
            || self
                .ranges
                .iter()
                .any(|(from, to)| *from <= date && date <= *to)
            || self
                .yearly
                .iter()
                .any(|&(m, d)| date.month() == m && date.day() == d)
    }

    fn local_date(&self, at: i64) -> Date {
        match jiff::Timestamp::from_microsecond(at) {
            Ok(ts) => ts.to_zoned(self.zone.clone()).date(),
            Err(_) => Date::ZERO,
        }
    }

    /// The instant of local time `seconds` after midnight on `date` (24:00 is the next
    /// midnight). Wall times skipped by a DST change move forward; repeated ones take the first.
    fn instant(&self, date: Date, seconds: u32) -> i64 {
        let (date, seconds) = if seconds >= DAY_SECONDS {
            (date.tomorrow().unwrap_or(date), seconds - DAY_SECONDS)
        } else {
            (date, seconds)
        };
        let time = Time::new(
            i8::try_from(seconds / 3600).unwrap_or(0),
            i8::try_from(seconds / 60 % 60).unwrap_or(0),
            i8::try_from(seconds % 60).unwrap_or(0),
            0,
        )
        .unwrap_or(Time::midnight());
        self.zone
            .to_timestamp(DateTime::from_parts(date, time))
            .map(|ts| ts.as_microsecond())
            .unwrap_or(i64::MAX)
    }

    /// The working intervals of `date` as instants `[start, end)`.
    fn intervals(&self, date: Date) -> impl Iterator<Item = (i64, i64)> + '_ {
        let day = usize::try_from(date.weekday().to_monday_zero_offset()).unwrap_or(0);
        let open = !self.is_holiday(date);
        self.week[day]
            .iter()
            .filter(move |_| open)
            .map(move |&(s, e)| {
                let start = self.instant(date, s);
                (start, self.instant(date, e).max(start))
            })
    }

    /// The instant `business` microseconds of working time after `start`: the earliest `t` with
    /// `between(start, t) = business`. Zero (or less) is `start` itself.
    pub fn add(&self, start: Timestamp, business: i64) -> Result<Timestamp, NoWorkingTime> {
        if business <= 0 {
            return Ok(start);
        }
        if self.always_open {
            return Ok(start.plus_micros(business));
        }
        let start = start.as_micros();
        let mut remaining = business;
        let mut date = self.local_date(start);
        for _ in 0..MAX_SEARCH_DAYS {
            for (from, to) in self.intervals(date) {
                let from = from.max(start);
                if from >= to {
                    continue;
                }
                let available = to - from;
                if remaining <= available {
                    return Ok(Timestamp::from_micros(from + remaining));
                }
                remaining -= available;
            }
            date = date.tomorrow().map_err(|_| NoWorkingTime)?;
        }
        Err(NoWorkingTime)
    }

    /// Working time in `[from, to)`, in microseconds (zero if `to ≤ from`).
    pub fn between(&self, from: Timestamp, to: Timestamp) -> i64 {
        let (from, to) = (from.as_micros(), to.as_micros());
        if to <= from {
            return 0;
        }
        if self.always_open {
            return to - from;
        }
        let mut total = 0;
        let mut date = self.local_date(from);
        let last = self.local_date(to);
        while date <= last {
            for (start, end) in self.intervals(date) {
                let (start, end) = (start.max(from), end.min(to));
                if start < end {
                    total += end - start;
                }
            }
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        total
    }

    /// The first instant at or after `at` that is working time.
    pub fn next_working_instant(&self, at: Timestamp) -> Result<Timestamp, NoWorkingTime> {
        if self.always_open {
            return Ok(at);
        }
        let at = at.as_micros();
        let mut date = self.local_date(at);
        for _ in 0..MAX_SEARCH_DAYS {
            for (from, to) in self.intervals(date) {
                let from = from.max(at);
                if from < to {
                    return Ok(Timestamp::from_micros(from));
                }
            }
            date = date.tomorrow().map_err(|_| NoWorkingTime)?;
        }
        Err(NoWorkingTime)
    }

    /// Whether `at` is inside working time.
    pub fn is_working(&self, at: Timestamp) -> bool {
        self.next_working_instant(at) == Ok(at)
    }
}

/// Whole seconds of a business duration in microseconds (rounded down).
pub const fn seconds(micros: i64) -> i64 {
    micros / MICROS_PER_SECOND
}

//! Business calendars: exact across DST changes (Europe, America, Australia), holidays (also on
//! weekends, ranges, yearly, 29 February), overnight shifts and year ends; and the algebra that
//! ties `add`, `between` and `next_working_instant` together, checked on random calendars.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use spoc_domain::Timestamp;
use spoc_domain::calendar::{BusinessCalendar, CalendarSpec, HolidaySpec, WorkingHours};

const HOUR: i64 = 3_600_000_000;
const MINUTE: i64 = 60_000_000;

/// The instant of a local wall-clock time in `zone` (`2026-03-29T09:00`).
fn at(zone: &str, local: &str) -> Timestamp {
    let dt: jiff::civil::DateTime = local.parse().unwrap();
    let tz = jiff::tz::TimeZone::get(zone).unwrap();
    Timestamp::from_micros(tz.to_timestamp(dt).unwrap().as_microsecond())
}

/// `instant` as local time in `zone`, for readable failures.
fn local(zone: &str, instant: Timestamp) -> String {
    let tz = jiff::tz::TimeZone::get(zone).unwrap();
    jiff::Timestamp::from_microsecond(instant.as_micros())
        .unwrap()
        .to_zoned(tz)
        .strftime("%Y-%m-%dT%H:%M%:z")
        .to_string()
}

fn hours(list: &[(&str, &str, &str)]) -> Vec<WorkingHours> {
    list.iter()
        .map(|(day, start, end)| WorkingHours {
            day: (*day).to_owned(),
            start: (*start).to_owned(),
            end: (*end).to_owned(),
        })
        .collect()
}

fn office(zone: &str, holidays: Vec<HolidaySpec>) -> BusinessCalendar {
    let days: Vec<(&str, &str, &str)> = ["mon", "tue", "wed", "thu", "fri"]
        .iter()
        .map(|d| (*d, "09:00", "17:00"))
        .collect();
    BusinessCalendar::new(&CalendarSpec {
        time_zone: zone.to_owned(),
        always_open: false,
        hours: hours(&days),
        holidays,
    })
    .unwrap()
}

fn nights(zone: &str) -> BusinessCalendar {
    let days: Vec<(&str, &str, &str)> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|d| (*d, "22:00", "06:00"))
        .collect();
    BusinessCalendar::new(&CalendarSpec {
        time_zone: zone.to_owned(),
        always_open: false,
        hours: hours(&days),
        holidays: Vec::new(),
    })
    .unwrap()
}

/// Spring-forward and fall-back nights of 2026 in three hemispheres and continents.
const DST: [(&str, &str, &str); 3] = [
    // zone, the day before the spring-forward night, the day before the fall-back night
    ("Europe/Stockholm", "2026-03-28", "2026-10-24"),
    ("America/New_York", "2026-03-07", "2026-10-31"),
    // Southern hemisphere: clocks go back in April and forward in October.
    ("Australia/Sydney", "2026-10-03", "2026-04-04"),
];

#[test]
fn around_the_clock_counts_real_hours_across_dst() {
    for (zone, spring_eve, autumn_eve) in DST {
        let cal = BusinessCalendar::always_open(zone).unwrap();
        let day_after = |d: &str| {
            let date: jiff::civil::Date = d.parse().unwrap();
            date.tomorrow().unwrap().to_string()
        };
        let spring = cal.between(
            at(zone, &format!("{spring_eve}T12:00")),
            at(zone, &format!("{}T12:00", day_after(spring_eve))),
        );
        assert_eq!(
            spring,
            23 * HOUR,
            "{zone}: the spring-forward day has 23 hours"
        );
        let autumn = cal.between(
            at(zone, &format!("{autumn_eve}T12:00")),
            at(zone, &format!("{}T12:00", day_after(autumn_eve))),
        );
        assert_eq!(autumn, 25 * HOUR, "{zone}: the fall-back day has 25 hours");
        // 24 business hours from noon land at 13:00 local after spring-forward, 11:00 after fall-back.
        let due = cal
            .add(at(zone, &format!("{spring_eve}T12:00")), 24 * HOUR)
            .unwrap();
        assert_eq!(
            local(zone, due)[11..16],
            *"13:00",
            "{zone}: {}",
            local(zone, due)
        );
        let due = cal
            .add(at(zone, &format!("{autumn_eve}T12:00")), 24 * HOUR)
            .unwrap();
        assert_eq!(
            local(zone, due)[11..16],
            *"11:00",
            "{zone}: {}",
            local(zone, due)
        );
    }
}

#[test]
fn night_shifts_across_dst_are_seven_or_nine_hours() {
    for (zone, spring_eve, autumn_eve) in DST {
        let cal = nights(zone);
        let night = |eve: &str| {
            let date: jiff::civil::Date = eve.parse().unwrap();
            cal.between(
                at(zone, &format!("{eve}T12:00")),
                at(zone, &format!("{}T12:00", date.tomorrow().unwrap())),
            )
        };
        assert_eq!(night(spring_eve), 7 * HOUR, "{zone} spring-forward night");
        assert_eq!(night(autumn_eve), 9 * HOUR, "{zone} fall-back night");
        assert_eq!(night("2026-06-15"), 8 * HOUR, "{zone} an ordinary night");
    }
}

#[test]
fn office_hours_are_untouched_by_dst_at_night() {
    for (zone, spring_eve, _) in DST {
        let cal = office(zone, Vec::new());
        // From Friday 16:00 local in the week of the change, 2 business hours is Monday 10:00.
        let eve: jiff::civil::Date = spring_eve.parse().unwrap();
        let friday = (0..7)
            .map(|i| eve.checked_add(jiff::Span::new().days(i - 3)).unwrap())
            .find(|d| d.weekday() == jiff::civil::Weekday::Friday)
            .unwrap();
        let due = cal
            .add(at(zone, &format!("{friday}T16:00")), 2 * HOUR)
            .unwrap();
        let monday = friday.checked_add(jiff::Span::new().days(3)).unwrap();
        assert_eq!(
            due,
            at(zone, &format!("{monday}T10:00")),
            "{zone}: {}",
            local(zone, due)
        );
        assert_eq!(
            cal.between(
                at(zone, &format!("{friday}T08:00")),
                at(zone, &format!("{monday}T18:00"))
            ),
            16 * HOUR
        );
    }
}

#[test]
fn holidays_single_ranges_yearly_and_on_weekends() {
    let zone = "Europe/Stockholm";
    let cal = office(
        zone,
        vec![
            HolidaySpec::Yearly { month: 12, day: 25 },
            HolidaySpec::Yearly { month: 12, day: 26 }, // a Saturday in 2026: changes nothing
            HolidaySpec::Date {
                date: "2026-12-24".to_owned(),
            },
            HolidaySpec::Range {
                from: "2026-12-31".to_owned(),
                to: "2027-01-01".to_owned(),
            },
        ],
    );
    // Wednesday 23 December 16:00 + 2 h: 1 h on the 23rd, then 24th, 25th (holidays), weekend,
    // so Monday 28th 10:00.
    let due = cal.add(at(zone, "2026-12-23T16:00"), 2 * HOUR).unwrap();
    assert_eq!(due, at(zone, "2026-12-28T10:00"), "{}", local(zone, due));
    // Across the year end: Wednesday 30th 16:30 + 1 h → Monday 4 January 09:30.
    let due = cal.add(at(zone, "2026-12-30T16:30"), HOUR).unwrap();
    assert_eq!(due, at(zone, "2027-01-04T09:30"), "{}", local(zone, due));
    // The two weeks from 21 December hold six working days: 21–23 and 28–30 December.
    assert_eq!(
        cal.between(at(zone, "2026-12-21T00:00"), at(zone, "2027-01-04T00:00")),
        6 * 8 * HOUR
    );
    // Yearly recurrence applies to other years too: 25 December 2028 is a Monday.
    assert_eq!(
        cal.between(at(zone, "2028-12-25T00:00"), at(zone, "2028-12-26T00:00")),
        0
    );
    assert!(cal.is_holiday("2031-12-25".parse().unwrap()));
}

#[test]
fn leap_days() {
    let zone = "America/New_York";
    let cal = office(zone, vec![HolidaySpec::Yearly { month: 2, day: 29 }]);
    // 2028-02-29 is a Tuesday and a holiday; Monday 28th 16:00 + 2 h → Wednesday 1 March 10:00.
    let due = cal.add(at(zone, "2028-02-28T16:00"), 2 * HOUR).unwrap();
    assert_eq!(due, at(zone, "2028-03-01T10:00"), "{}", local(zone, due));
    // In a common year the holiday simply does not occur.
    let due = cal.add(at(zone, "2027-02-26T16:00"), 2 * HOUR).unwrap();
    assert_eq!(due, at(zone, "2027-03-01T10:00"), "{}", local(zone, due));
    let always = BusinessCalendar::always_open(zone).unwrap();
    assert_eq!(
        always.between(at(zone, "2028-02-28T00:00"), at(zone, "2028-03-01T00:00")),
        48 * HOUR
    );
}

#[test]
fn next_working_instant_and_edges() {
    let zone = "Australia/Sydney";
    let cal = office(zone, Vec::new());
    let saturday = at(zone, "2026-11-28T11:00");
    assert_eq!(
        cal.next_working_instant(saturday).unwrap(),
        at(zone, "2026-11-30T09:00")
    );
    let inside = at(zone, "2026-11-30T10:15");
    assert_eq!(cal.next_working_instant(inside).unwrap(), inside);
    assert!(cal.is_working(inside) && !cal.is_working(saturday));
    // The end of a working day is not working time; adding up to it stops exactly there.
    let end = at(zone, "2026-11-30T17:00");
    assert!(!cal.is_working(end));
    assert_eq!(cal.add(at(zone, "2026-11-30T16:00"), HOUR).unwrap(), end);
    assert_eq!(
        cal.add(saturday, 0).unwrap(),
        saturday,
        "nothing to add: the start itself"
    );
    assert_eq!(cal.between(end, inside), 0, "reversed intervals are empty");
}

#[test]
fn invalid_calendars_are_explained() {
    let spec = |zone: &str, hours: Vec<WorkingHours>, holidays: Vec<HolidaySpec>| CalendarSpec {
        time_zone: zone.to_owned(),
        always_open: false,
        hours,
        holidays,
    };
    let cases = [
        (
            spec("Mars/Olympus", hours(&[("mon", "09:00", "17:00")]), vec![]),
            "time_zone",
        ),
        (spec("UTC", vec![], vec![]), "hours"),
        (
            spec("UTC", hours(&[("monday", "09:00", "17:00")]), vec![]),
            "hours",
        ),
        (
            spec("UTC", hours(&[("mon", "9", "17:00")]), vec![]),
            "hours",
        ),
        (
            spec("UTC", hours(&[("mon", "09:00", "24:30")]), vec![]),
            "hours",
        ),
        (
            spec("UTC", hours(&[("mon", "09:00", "09:00")]), vec![]),
            "hours",
        ),
        (
            spec(
                "UTC",
                hours(&[("mon", "09:00", "17:00")]),
                vec![HolidaySpec::Date {
                    date: "2026-02-30".to_owned(),
                }],
            ),
            "holidays",
        ),
        (
            spec(
                "UTC",
                hours(&[("mon", "09:00", "17:00")]),
                vec![HolidaySpec::Yearly { month: 2, day: 30 }],
            ),
            "holidays",
        ),
        (
            spec(
                "UTC",
                hours(&[("mon", "09:00", "17:00")]),
                vec![HolidaySpec::Range {
                    from: "2026-02-02".to_owned(),
                    to: "2026-02-01".to_owned(),
                }],
            ),
            "holidays",
        ),
    ];
    for (spec, field) in cases {
        let error = BusinessCalendar::new(&spec).unwrap_err();
        assert_eq!(error.field, field, "{spec:?}: {error}");
    }
    // A calendar whose every day is a holiday has no working time, and says so.
    let closed = BusinessCalendar::new(&spec(
        "UTC",
        hours(&[("mon", "09:00", "17:00")]),
        vec![HolidaySpec::Range {
            from: "2026-01-01".to_owned(),
            to: "2099-12-31".to_owned(),
        }],
    ))
    .unwrap();
    assert!(closed.add(at("UTC", "2026-06-01T10:00"), HOUR).is_err());
    // Overlapping and touching intervals merge; 24:00 is the end of the day.
    let merged = BusinessCalendar::new(&spec(
        "UTC",
        hours(&[
            ("mon", "09:00", "12:00"),
            ("mon", "11:00", "13:00"),
            ("mon", "13:00", "24:00"),
        ]),
        vec![],
    ))
    .unwrap();
    assert_eq!(
        merged.between(at("UTC", "2026-11-30T00:00"), at("UTC", "2026-12-01T00:00")),
        15 * HOUR
    );
}

// ----- properties ----------------------------------------------------------------------------

const ZONES: [&str; 6] = [
    "UTC",
    "Europe/Stockholm",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Australia/Lord_Howe", // a 30-minute DST shift
];

fn arb_calendar() -> impl Strategy<Value = BusinessCalendar> {
    let interval = (0u32..48, 1u32..48)
        .prop_map(|(start, len)| (start * 30, (start * 30 + len * 30) % (24 * 60)));
    let day = prop::collection::vec(interval, 0..3);
    (
        0..ZONES.len(),
        prop::collection::vec(day, 7),
        prop::collection::vec((0i64..400, 0i64..5), 0..6),
        prop::bool::weighted(0.1),
    )
        .prop_filter_map(
            "needs working time",
            |(zone, week, holidays, always_open)| {
                let mut hours = Vec::new();
                for (i, day) in week.iter().enumerate() {
                    for &(start, end) in day {
                        if start == end {
                            continue;
                        }
                        let clock = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
                        hours.push(WorkingHours {
                            day: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][i].to_owned(),
                            start: clock(start),
                            end: clock(end),
                        });
                    }
                }
                let base: jiff::civil::Date = "2026-01-01".parse().ok()?;
                let holidays = holidays
                    .into_iter()
                    .map(|(offset, len)| HolidaySpec::Range {
                        from: base
                            .checked_add(jiff::Span::new().days(offset))
                            .unwrap()
                            .to_string(),
                        to: base
                            .checked_add(jiff::Span::new().days(offset + len))
                            .unwrap()
                            .to_string(),
                    })
                    .collect();
                BusinessCalendar::new(&CalendarSpec {
                    time_zone: ZONES[zone].to_owned(),
                    always_open,
                    hours,
                    holidays,
                })
                .ok()
            },
        )
}

fn arb_start() -> impl Strategy<Value = Timestamp> {
    // Anywhere in 2026 (where the holidays above fall), to the minute and a few odd microseconds.
    (0i64..365 * 24 * 60, 0i64..3).prop_map(|(minute, extra)| {
        Timestamp::from_micros(1_767_225_600_000_000 + minute * MINUTE + extra * 7)
    })
}

fn arb_amount() -> impl Strategy<Value = i64> {
    prop_oneof![0i64..=5 * MINUTE, 0i64..=40 * HOUR, Just(0)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn adding_is_associative(cal in arb_calendar(), start in arb_start(), a in arb_amount(), b in arb_amount()) {
        let once = cal.add(start, a + b).unwrap();
        let twice = cal.add(cal.add(start, a).unwrap(), b).unwrap();
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn between_undoes_add(cal in arb_calendar(), start in arb_start(), n in arb_amount()) {
        let due = cal.add(start, n).unwrap();
        prop_assert_eq!(cal.between(start, due), n);
        prop_assert!(due >= start);
    }

    #[test]
    fn results_lie_in_working_time(cal in arb_calendar(), start in arb_start(), n in 1i64..=40 * HOUR) {
        let due = cal.add(start, n).unwrap();
        // The last microsecond before the due time was working time.
        prop_assert_eq!(cal.between(due.plus_micros(-1), due), 1);
        // And it is the earliest such instant: one microsecond less is not enough.
        prop_assert_eq!(cal.between(start, due.plus_micros(-1)), n - 1);
    }

    #[test]
    fn between_is_additive_and_bounded(cal in arb_calendar(), a in arb_start(), x in 0i64..=72 * HOUR, y in 0i64..=72 * HOUR) {
        let b = a.plus_micros(x);
        let c = b.plus_micros(y);
        prop_assert_eq!(cal.between(a, c), cal.between(a, b) + cal.between(b, c));
        prop_assert!(cal.between(a, b) <= x);
    }

    #[test]
    fn the_next_working_instant_starts_the_next_business_microsecond(cal in arb_calendar(), start in arb_start()) {
        let next = cal.next_working_instant(start).unwrap();
        prop_assert!(next >= start);
        prop_assert_eq!(cal.between(start, next), 0);
        prop_assert_eq!(cal.add(start, 1).unwrap(), next.plus_micros(1));
    }
}

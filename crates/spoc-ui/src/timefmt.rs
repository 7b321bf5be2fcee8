//! Times as people read them: an absolute date in the reader's time zone (the one they chose,
//! else the server's), labelled with the zone's abbreviation, and an age.

use spoc_domain::Timestamp;

use crate::i18n::words::Words;
use crate::i18n::{t, tr};

/// `25 Nov 2026, 14:05 CET` in the reader's time zone (see `i18n::reader`).
pub fn when(at: Timestamp) -> String {
    let zone = crate::i18n::reader()
        .time_zone
        .unwrap_or_else(jiff::tz::TimeZone::system);
    when_in(at, &zone)
}

/// `25 Nov 2026, 14:05 CET` in `zone`.
pub fn when_in(at: Timestamp, zone: &jiff::tz::TimeZone) -> String {
    let Ok(ts) = jiff::Timestamp::from_microsecond(at.as_micros()) else {
        return String::new();
    };
    ts.to_zoned(zone.clone())
        .strftime(t(Words::DateTimeFormat))
        .to_string()
}

/// The name of the server's time zone (the default for people who chose none).
pub fn server_zone_name() -> String {
    jiff::tz::TimeZone::system()
        .iana_name()
        .unwrap_or("UTC")
        .to_owned()
}

/// The machine-readable form for `<time datetime>`.
pub fn iso(at: Timestamp) -> String {
    spoc_http::params::time(at)
}

/// How long ago, compactly: `just now`, `5 min`, `3 h`, `2 d`, `6 wk`.
pub fn age(now: Timestamp, at: Timestamp) -> String {
    let seconds = (now.as_micros() - at.as_micros()).max(0) / 1_000_000;
    match seconds {
        0..60 => t(Words::JustNow).to_owned(),
        60..3_600 => tr(Words::AgeMinutes, &[&(seconds / 60)]),
        3_600..86_400 => tr(Words::AgeHours, &[&(seconds / 3_600)]),
        86_400..1_209_600 => tr(Words::AgeDays, &[&(seconds / 86_400)]),
        _ => tr(Words::AgeWeeks, &[&(seconds / 604_800)]),
    }
}

/// How long ago, as a phrase: `just now`, `5 min ago`, `3 h ago` (never "just now ago").
pub fn ago(now: Timestamp, at: Timestamp) -> String {
    if (now.as_micros() - at.as_micros()) < 60_000_000 {
        return t(Words::JustNow).to_owned();
    }
    tr(Words::Ago, &[&age(now, at)])
}

/// A count of times in words: `never`, `once`, `twice`, `3 times`.
pub fn times(count: i64) -> String {
    match count {
        i64::MIN..=0 => t(Words::TimesNever).to_owned(),
        1 => t(Words::TimesOnce).to_owned(),
        2 => t(Words::TimesTwice).to_owned(),
        n => tr(Words::TimesMany, &[&n]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_compact() {
        let now = Timestamp::from_micros(10_000_000_000_000);
        let ago = |s: i64| age(now, Timestamp::from_micros(now.as_micros() - s * 1_000_000));
        assert_eq!(ago(5), "just now");
        assert_eq!(super::ago(now, now), "just now");
        assert_eq!(
            super::ago(now, Timestamp::from_micros(now.as_micros() - 300_000_000)),
            "5 min ago"
        );
        assert_eq!(times(0), "never");
        assert_eq!(times(1), "once");
        assert_eq!(times(2), "twice");
        assert_eq!(times(7), "7 times");
        assert_eq!(ago(-5), "just now");
        assert_eq!(ago(300), "5 min");
        assert_eq!(ago(3 * 3600 + 5), "3 h");
        assert_eq!(ago(2 * 86_400), "2 d");
        assert_eq!(ago(42 * 86_400), "6 wk");
    }

    #[test]
    fn times_are_shown_in_the_zone_and_labelled() {
        // 1 Dec 2026 13:05 UTC.
        let at = Timestamp::from_micros(1_796_130_300_000_000);
        let berlin = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
        assert_eq!(when_in(at, &berlin), "1 Dec 2026, 14:05 CET");
        let new_york = jiff::tz::TimeZone::get("America/New_York").unwrap();
        assert_eq!(when_in(at, &new_york), "1 Dec 2026, 08:05 EST");
    }

    #[tokio::test]
    async fn times_and_ages_are_written_in_the_readers_language() {
        let german = crate::i18n::Reader {
            language: spoc_app::Language::De,
            ..crate::i18n::Reader::default()
        };
        let at = Timestamp::from_micros(1_796_130_300_000_000);
        let (when, ago, times) = crate::i18n::with_reader(german, async move {
            let berlin = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
            let earlier = Timestamp::from_micros(at.as_micros() - 300_000_000);
            (when_in(at, &berlin), super::ago(at, earlier), times(3))
        })
        .await;
        assert_eq!(when, "1.12.2026, 14:05 CET");
        assert_eq!(ago, "vor 5 Min.");
        assert_eq!(times, "3-mal");
    }
}

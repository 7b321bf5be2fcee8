//! Times as people read them: an absolute date in the server's time zone, and an age.

use spoc_domain::Timestamp;

/// `25 Nov 2026, 14:05` in the server's time zone.
pub fn when(at: Timestamp) -> String {
    let Ok(ts) = jiff::Timestamp::from_microsecond(at.as_micros()) else {
        return String::new();
    };
    ts.to_zoned(jiff::tz::TimeZone::system())
        .strftime("%-d %b %Y, %H:%M")
        .to_string()
}

/// The machine-readable form for `<time datetime>`.
pub fn iso(at: Timestamp) -> String {
    spoc_http::params::time(at)
}

/// How long ago, compactly: `just now`, `5 min`, `3 h`, `2 d`, `6 wk`.
pub fn age(now: Timestamp, at: Timestamp) -> String {
    let seconds = (now.as_micros() - at.as_micros()).max(0) / 1_000_000;
    match seconds {
        0..60 => "just now".to_owned(),
        60..3_600 => format!("{} min", seconds / 60),
        3_600..86_400 => format!("{} h", seconds / 3_600),
        86_400..1_209_600 => format!("{} d", seconds / 86_400),
        _ => format!("{} wk", seconds / 604_800),
    }
}

/// How long ago, as a phrase: `just now`, `5 min ago`, `3 h ago` (never "just now ago").
pub fn ago(now: Timestamp, at: Timestamp) -> String {
    match age(now, at) {
        short if short == "just now" => short,
        short => format!("{short} ago"),
    }
}

/// A count of times in words: `never`, `once`, `twice`, `3 times`.
pub fn times(count: i64) -> String {
    match count {
        i64::MIN..=0 => "never".to_owned(),
        1 => "once".to_owned(),
        2 => "twice".to_owned(),
        n => format!("{n} times"),
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
}

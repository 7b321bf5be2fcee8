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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_compact() {
        let now = Timestamp::from_micros(10_000_000_000_000);
        let ago = |s: i64| age(now, Timestamp::from_micros(now.as_micros() - s * 1_000_000));
        assert_eq!(ago(5), "just now");
        assert_eq!(ago(-5), "just now");
        assert_eq!(ago(300), "5 min");
        assert_eq!(ago(3 * 3600 + 5), "3 h");
        assert_eq!(ago(2 * 86_400), "2 d");
        assert_eq!(ago(42 * 86_400), "6 wk");
    }
}

//! Business-calendar arithmetic.

use std::time::Instant;

use anyhow::bail;
use spoc_domain::Timestamp;

/// Business-calendar arithmetic: nanoseconds per `add` and per `between` on an office calendar
/// (Europe/Stockholm, 08:00–17:00 Monday–Friday, yearly holidays) and on 24×7, over one million
/// random starts in a year.
pub(super) fn bench_calendar() -> anyhow::Result<()> {
    use spoc_domain::calendar::{BusinessCalendar, CalendarSpec, HolidaySpec, WorkingHours};
    const N: usize = 1_000_000;
    const HOUR: i64 = 3_600_000_000;
    let office = BusinessCalendar::new(&CalendarSpec {
        time_zone: "Europe/Stockholm".to_owned(),
        always_open: false,
        hours: ["mon", "tue", "wed", "thu", "fri"]
            .iter()
            .map(|d| WorkingHours {
                day: (*d).to_owned(),
                start: "08:00".to_owned(),
                end: "17:00".to_owned(),
            })
            .collect(),
        holidays: [
            (1, 1),
            (1, 6),
            (5, 1),
            (6, 6),
            (12, 24),
            (12, 25),
            (12, 26),
            (12, 31),
        ]
        .into_iter()
        .map(|(month, day)| HolidaySpec::Yearly { month, day })
        .collect(),
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let always =
        BusinessCalendar::always_open("Europe/Stockholm").map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let year_start = 1_767_225_600_000_000_i64; // 2026-01-01T00:00Z
    let cases: Vec<(Timestamp, i64)> = (0..N)
        .map(|_| {
            let start = year_start + (next() % (365 * 24 * 3600)) as i64 * 1_000_000;
            // Targets from 15 minutes to a week of business time, like the default policy's.
            let amount = [
                HOUR / 4,
                HOUR,
                4 * HOUR,
                8 * HOUR,
                24 * HOUR,
                72 * HOUR,
                168 * HOUR,
            ][(next() % 7) as usize];
            (Timestamp::from_micros(start), amount)
        })
        .collect();
    println!("Business-calendar arithmetic, {N} calls each:");
    for (name, calendar) in [("office hours + holidays", &office), ("24×7", &always)] {
        let started = Instant::now();
        let mut dues = Vec::with_capacity(N);
        for (start, amount) in &cases {
            dues.push(
                calendar
                    .add(*start, *amount)
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
            );
        }
        let add_ns = started.elapsed().as_nanos() as f64 / N as f64;
        let started = Instant::now();
        let mut total = 0i64;
        for ((start, _), due) in cases.iter().zip(&dues) {
            total = total.wrapping_add(calendar.between(*start, *due));
        }
        let between_ns = started.elapsed().as_nanos() as f64 / N as f64;
        let expected: i64 = cases.iter().map(|(_, a)| *a).fold(0i64, i64::wrapping_add);
        if total != expected {
            bail!("between(start, add(start, n)) != n in the benchmark");
        }
        println!("  {name:<24} add {add_ns:>8.0} ns/call   between {between_ns:>8.0} ns/call");
    }
    Ok(())
}

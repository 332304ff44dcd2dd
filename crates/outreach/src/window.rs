//! When a message may go: the campaign's sending window in the recipient's timezone, and a
//! mailbox's daily allowance while it warms up. Pure functions of an instant, so tests move the
//! clock across days and DST changes.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Days of the week (ISO: Monday 1 … Sunday 7) and the local hours a campaign sends in.
#[derive(Debug, Clone)]
pub struct Window {
    pub days: Vec<u32>,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub tz: Tz,
}

impl Window {
    /// Whether `at` falls inside the window.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&self.tz);
        let time = local.time();
        self.days.contains(&local.weekday().number_from_monday())
            && time >= self.start
            && time < self.end
    }

    /// The first instant at or after `at` inside the window (`at` itself when it is inside).
    pub fn next_open(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        if self.contains(at) {
            return at;
        }
        let local = at.with_timezone(&self.tz);
        // Eight days reach every weekday of the window from any start.
        for offset in 0..8 {
            let day = local.date_naive() + Duration::days(offset);
            if !self.days.contains(&day.weekday().number_from_monday()) {
                continue;
            }
            let open = self.local_instant(day, self.start);
            if open >= at {
                return open;
            }
            // Later on the opening day itself: `at` is past the window's end (or in a DST
            // gap at its start), so the next day is tried.
        }
        // A window with no days cannot be stored; answer a day later rather than never.
        at + Duration::days(1)
    }

    /// `day` at local `time`, as an instant. In a DST gap the time does not exist: the first
    /// instant after the gap stands for it; in an overlap, the earlier of the two.
    fn local_instant(&self, day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
        let naive = day.and_time(time);
        for shift in 0..=4 {
            let candidate = naive + Duration::minutes(30 * shift);
            if let Some(instant) = self.tz.from_local_datetime(&candidate).earliest() {
                return instant.with_timezone(&Utc);
            }
        }
        Utc.from_utc_datetime(&naive)
    }
}

/// How a mailbox warms up: `start` messages on its first day, `step` more each day after, up
/// to its daily cap.
#[derive(Debug, Clone, Copy)]
pub struct Warmup {
    pub enabled: bool,
    pub start: i32,
    pub step: i32,
    pub started_on: NaiveDate,
}

/// What a mailbox may send on `day` (UTC).
pub fn allowance(daily_cap: i32, warmup: Warmup, day: NaiveDate) -> i32 {
    if !warmup.enabled {
        return daily_cap;
    }
    let days = (day - warmup.started_on).num_days().max(0);
    let ramp = i64::from(warmup.start) + i64::from(warmup.step) * days;
    i32::try_from(ramp.min(i64::from(daily_cap))).unwrap_or(daily_cap)
}

/// Midnight (UTC) starting the day after `at`: when daily allowances renew.
pub fn next_day(at: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = at.date_naive() + Duration::days(1);
    Utc.from_utc_datetime(&tomorrow.and_time(NaiveTime::MIN))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn weekdays_9_to_17(tz: &str) -> Window {
        Window {
            days: vec![1, 2, 3, 4, 5],
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            tz: tz.parse().unwrap(),
        }
    }

    #[test]
    fn inside_the_window_is_now_and_outside_is_the_next_opening() {
        let w = weekdays_9_to_17("Europe/Lisbon");
        // Tuesday 2026-12-08 10:00 in Lisbon (UTC+0 in winter).
        assert_eq!(
            w.next_open(utc("2026-12-08T10:00:00Z")),
            utc("2026-12-08T10:00:00Z")
        );
        // Tuesday 18:00: Wednesday 09:00.
        assert_eq!(
            w.next_open(utc("2026-12-08T18:00:00Z")),
            utc("2026-12-09T09:00:00Z")
        );
        // Friday 17:00 sharp is closed: Monday 09:00.
        assert_eq!(
            w.next_open(utc("2026-12-11T17:00:00Z")),
            utc("2026-12-14T09:00:00Z")
        );
        // Saturday: Monday.
        assert_eq!(
            w.next_open(utc("2026-12-12T08:00:00Z")),
            utc("2026-12-14T09:00:00Z")
        );
    }

    #[test]
    fn the_recipients_timezone_decides() {
        let tokyo = weekdays_9_to_17("Asia/Tokyo");
        // 2026-12-08T01:00Z is 10:00 on Tuesday in Tokyo: open there, night in Lisbon.
        assert!(tokyo.contains(utc("2026-12-08T01:00:00Z")));
        assert!(!weekdays_9_to_17("Europe/Lisbon").contains(utc("2026-12-08T01:00:00Z")));
    }

    #[test]
    fn the_window_follows_local_time_across_dst_changes() {
        let w = weekdays_9_to_17("America/New_York");
        // DST ends Sunday 2026-11-01: Friday 09:00 is 13:00Z (EDT), Monday 09:00 is 14:00Z (EST).
        assert_eq!(
            w.next_open(utc("2026-10-30T12:00:00Z")),
            utc("2026-10-30T13:00:00Z")
        );
        assert_eq!(
            w.next_open(utc("2026-10-30T22:00:00Z")),
            utc("2026-11-02T14:00:00Z")
        );
        // DST starts Sunday 2026-03-08: Monday 09:00 is 13:00Z again.
        assert_eq!(
            w.next_open(utc("2026-03-06T22:00:00Z")),
            utc("2026-03-09T13:00:00Z")
        );
    }

    #[test]
    fn a_window_opening_in_a_dst_gap_opens_right_after_it() {
        let w = Window {
            days: vec![7],
            start: NaiveTime::from_hms_opt(2, 30, 0).unwrap(),
            end: NaiveTime::from_hms_opt(5, 0, 0).unwrap(),
            tz: "America/New_York".parse().unwrap(),
        };
        // Sunday 2026-03-08 02:30 does not exist in New York: 03:00 EDT = 07:00Z.
        assert_eq!(
            w.next_open(utc("2026-03-08T00:00:00Z")),
            utc("2026-03-08T07:00:00Z")
        );
    }

    #[test]
    fn warmup_ramps_to_the_cap() {
        let started_on = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let warmup = Warmup {
            enabled: true,
            start: 5,
            step: 2,
            started_on,
        };
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert_eq!(allowance(40, warmup, day(1)), 5);
        assert_eq!(allowance(40, warmup, day(2)), 7);
        assert_eq!(allowance(40, warmup, day(11)), 25);
        assert_eq!(allowance(40, warmup, day(31)), 40);
        assert_eq!(
            allowance(
                40,
                Warmup {
                    enabled: false,
                    ..warmup
                },
                day(1)
            ),
            40
        );
    }

    #[test]
    fn daily_allowances_renew_at_utc_midnight() {
        assert_eq!(
            next_day(utc("2026-12-08T23:59:59Z")),
            utc("2026-12-09T00:00:00Z")
        );
    }
}

//! DATE as users write it (`2018`, `2018-05`, `2018-05-25`, `20180525`,
//! `20180525093211`, RFC 3339) and as the archive writes it (14-digit timestamps).
//!
//! A partial date stands for a span: `2018` is all of 2018. [`DateSpec::start`] and
//! [`DateSpec::end`] give that span as 14-digit timestamps, and [`DateSpec::target`]
//! the instant used for "closest capture to DATE" (the span's start).
//!
//! ```
//! use policydiff::date::DateSpec;
//! let d: DateSpec = "2018-05".parse().unwrap();
//! assert_eq!(d.start(), "20180501000000");
//! assert_eq!(d.end(), "20180531235959");
//! ```

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use std::fmt;
use std::str::FromStr;

/// A user's DATE: an instant and how precisely it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateSpec {
    start: NaiveDateTime,
    end: NaiveDateTime,
}

impl DateSpec {
    /// First second of the span, as a 14-digit Wayback timestamp.
    pub fn start(&self) -> String {
        self.start.format("%Y%m%d%H%M%S").to_string()
    }

    /// Last second of the span, as a 14-digit Wayback timestamp.
    pub fn end(&self) -> String {
        self.end.format("%Y%m%d%H%M%S").to_string()
    }

    /// The instant a "closest capture" search aims at.
    pub fn target(&self) -> NaiveDateTime {
        self.start
    }

    pub fn start_datetime(&self) -> NaiveDateTime {
        self.start
    }

    pub fn end_datetime(&self) -> NaiveDateTime {
        self.end
    }
}

/// As precise as it was given: `2018`, `2018-05`, `2018-05-25`, or a 14-digit
/// timestamp, so that printing a DATE and parsing it again gives the same span.
impl fmt::Display for DateSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (s, e) = (self.start, self.end);
        let midnight = s.time() == chrono::NaiveTime::MIN;
        let last_second = |d: NaiveDate| d.and_hms_opt(23, 59, 59) == Some(e);
        let last_of_month = |d: NaiveDate| {
            let next = if d.month() == 12 {
                NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
            };
            next.and_then(|n| n.pred_opt())
        };
        let day = s.date();
        if midnight
            && day.ordinal() == 1
            && NaiveDate::from_ymd_opt(day.year(), 12, 31).is_some_and(last_second)
        {
            write!(f, "{}", s.format("%Y"))
        } else if midnight && day.day() == 1 && last_of_month(day).is_some_and(last_second) {
            write!(f, "{}", s.format("%Y-%m"))
        } else if midnight && last_second(day) {
            write!(f, "{}", s.format("%Y-%m-%d"))
        } else {
            write!(f, "{}", self.start())
        }
    }
}

/// Why a DATE was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' is not a DATE (use 2018, 2018-05, 2018-05-25, 20180525, 20180525093211 or RFC 3339)",
            self.0
        )
    }
}

impl std::error::Error for DateError {}

fn last_day_of_month(year: i32, month: u32) -> Option<u32> {
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt().map(|d| d.day())
}

fn span(start: NaiveDate, end: NaiveDate) -> Option<DateSpec> {
    Some(DateSpec { start: start.and_hms_opt(0, 0, 0)?, end: end.and_hms_opt(23, 59, 59)? })
}

impl FromStr for DateSpec {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateError(s.to_string());
        let t = s.trim();
        if t.contains('T') || t.contains(' ') && t.len() > 10 {
            let dt = DateTime::parse_from_rfc3339(t).map_err(|_| err())?;
            let utc = dt.with_timezone(&Utc).naive_utc();
            return Ok(DateSpec { start: utc, end: utc });
        }
        let digits: String = t.chars().filter(|c| *c != '-').collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(err());
        }
        let dashed = t.contains('-');
        let num = |a: usize, b: usize| digits.get(a..b).and_then(|x| x.parse::<u32>().ok());
        match (digits.len(), dashed) {
            (4, false) => {
                let y = num(0, 4).ok_or_else(err)? as i32;
                span(
                    NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(err)?,
                    NaiveDate::from_ymd_opt(y, 12, 31).ok_or_else(err)?,
                )
                .ok_or_else(err)
            }
            (6, true) => {
                let y = num(0, 4).ok_or_else(err)? as i32;
                let m = num(4, 6).ok_or_else(err)?;
                let last = last_day_of_month(y, m).ok_or_else(err)?;
                span(
                    NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(err)?,
                    NaiveDate::from_ymd_opt(y, m, last).ok_or_else(err)?,
                )
                .ok_or_else(err)
            }
            (8, _) => {
                if dashed && t.len() != 10 {
                    return Err(err());
                }
                let d = NaiveDate::from_ymd_opt(
                    num(0, 4).ok_or_else(err)? as i32,
                    num(4, 6).ok_or_else(err)?,
                    num(6, 8).ok_or_else(err)?,
                )
                .ok_or_else(err)?;
                span(d, d).ok_or_else(err)
            }
            (14, false) => {
                let dt = parse_timestamp(&digits).ok_or_else(err)?;
                Ok(DateSpec { start: dt, end: dt })
            }
            _ => Err(err()),
        }
    }
}

/// Parses a 14-digit Wayback timestamp (shorter ones are padded as the archive does).
pub fn parse_timestamp(ts: &str) -> Option<NaiveDateTime> {
    if ts.len() < 4 || ts.len() > 14 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let padded = format!("{ts:0<14}");
    // A short timestamp pads month and day to 01, not 00.
    let mut p = padded.into_bytes();
    if ts.len() < 6 {
        p[4] = b'0';
        p[5] = b'1';
    }
    if ts.len() < 8 {
        p[6] = b'0';
        p[7] = b'1';
    }
    let s = String::from_utf8(p).ok()?;
    NaiveDateTime::parse_from_str(&s, "%Y%m%d%H%M%S").ok()
}

/// Formats an instant as a 14-digit Wayback timestamp.
pub fn format_timestamp(dt: NaiveDateTime) -> String {
    dt.format("%Y%m%d%H%M%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_form_parses() {
        for (input, start, end) in [
            ("2018", "20180101000000", "20181231235959"),
            ("2018-05", "20180501000000", "20180531235959"),
            ("2018-02", "20180201000000", "20180228235959"),
            ("2018-05-25", "20180525000000", "20180525235959"),
            ("20180525", "20180525000000", "20180525235959"),
            ("20180525093211", "20180525093211", "20180525093211"),
            ("2018-05-25T09:32:11Z", "20180525093211", "20180525093211"),
            ("2018-05-25T11:32:11+02:00", "20180525093211", "20180525093211"),
        ] {
            let d: DateSpec = input.parse().unwrap();
            assert_eq!((d.start().as_str(), d.end().as_str()), (start, end), "{input}");
        }
    }

    #[test]
    fn a_date_prints_as_precisely_as_it_was_given() {
        for (given, printed) in [
            ("2018", "2018"),
            ("2018-05", "2018-05"),
            ("2018-12", "2018-12"),
            ("2018-02", "2018-02"),
            ("20180525", "2018-05-25"),
            ("20180525093211", "20180525093211"),
            ("2018-05-25T09:32:11Z", "20180525093211"),
        ] {
            let date: DateSpec = given.parse().unwrap();
            assert_eq!(date.to_string(), printed, "{given}");
            assert_eq!(printed.parse::<DateSpec>().unwrap(), date, "{given} round-trips");
        }
    }

    #[test]
    fn malformed_dates_are_errors_not_panics() {
        for bad in ["", "18", "2018-13", "2018-02-30", "20181340", "yesterday", "2018-5", "99999999999999"] {
            assert!(bad.parse::<DateSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn short_timestamps_pad_like_the_archive() {
        assert_eq!(format_timestamp(parse_timestamp("2018").unwrap()), "20180101000000");
        assert!(parse_timestamp("2018ab").is_none());
    }
}

//! Terraform's date and time functions. Timestamps are RFC 3339 strings; `timestamp` and
//! `plantimestamp` are the evaluator's, since they depend on when they run.

use ::time::format_description::well_known::Rfc3339;
use ::time::{Duration, OffsetDateTime, UtcOffset};

use super::*;

pub const NAMES: &[&str] = &["formatdate", "timeadd", "timecmp"];

pub fn call(a: &Args<'_>, _directory: &Path) -> Result<Value, String> {
    let Args { name, values: _ } = *a;
    match name {
        "formatdate" => {
            a.count(2)?;
            string(format_date(&a.text(0)?, parse(&a.text(1)?)?)?)
        }
        "timeadd" => {
            a.count(2)?;
            let (timestamp, duration) = (parse(&a.text(0)?)?, a.text(1)?);
            let nanoseconds = go_duration(&duration).ok_or_else(|| {
                format!("`{duration}` is not a duration, such as `1h30m` or `-10s`")
            })?;
            let duration = i64::try_from(nanoseconds)
                .map(Duration::nanoseconds)
                .map_err(|_| format!("`{duration}` is too long a duration"))?;
            let later = timestamp
                .checked_add(duration)
                .ok_or_else(|| "the result is outside the years a timestamp can have".to_owned())?;
            string(rfc3339(later))
        }
        "timecmp" => {
            a.count(2)?;
            let (first, second) = (parse(&a.text(0)?)?, parse(&a.text(1)?)?);
            numeric(match first.cmp(&second) {
                std::cmp::Ordering::Less => -1.0,
                std::cmp::Ordering::Equal => 0.0,
                std::cmp::Ordering::Greater => 1.0,
            })
        }
        _ => Err(no_such(name)),
    }
}

/// Now, as `timestamp` and `plantimestamp` give it: RFC 3339 in UTC, to the second.
pub fn now() -> String {
    rfc3339(OffsetDateTime::now_utc())
}

/// When this run began, as `plantimestamp` gives it: the same for every call in one run.
pub fn plan_time() -> &'static str {
    static STARTED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    STARTED.get_or_init(now)
}

fn parse(text: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
        format!("`{text}` is not an RFC 3339 timestamp, such as `2024-01-02T15:04:05Z`")
    })
}

/// A timestamp as Go's `time.RFC3339` layout writes it: whole seconds, `Z` for UTC.
fn rfc3339(time: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
        time.year(),
        u8::from(time.month()),
        time.day(),
        time.hour(),
        time.minute(),
        time.second(),
        offset(time.offset(), true, "Z")
    )
}

/// An offset as `+hh:mm` (or `+hhmm` without `colon`), or `utc` when it is zero.
fn offset(offset: UtcOffset, colon: bool, utc: &str) -> String {
    if offset.is_utc() && !utc.is_empty() {
        return utc.to_owned();
    }
    let (hours, minutes, _) = offset.as_hms();
    let sign = if offset.is_negative() { '-' } else { '+' };
    let separator = if colon { ":" } else { "" };
    format!(
        "{sign}{:02}{separator}{:02}",
        hours.unsigned_abs(),
        minutes.unsigned_abs()
    )
}

/// `formatdate`: each run of one letter is a field (`YYYY`, `MMM`, `DD`, `hh`, `ZZZ`, ...),
/// text in single quotes is literal (`''` is a quote), and anything else is itself.
fn format_date(spec: &str, time: OffsetDateTime) -> Result<String, String> {
    let chars: Vec<char> = spec.chars().collect();
    let mut out = String::new();
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if c == '\'' {
            if chars.get(index + 1) == Some(&'\'') {
                out.push('\'');
                index += 2;
                continue;
            }
            // Literal text up to the closing quote; `''` inside it is a quote.
            index += 1;
            loop {
                match (chars.get(index), chars.get(index + 1)) {
                    (None, _) => return Err("the format has a quote `'` that is not closed".into()),
                    (Some('\''), Some('\'')) => {
                        out.push('\'');
                        index += 2;
                    }
                    (Some('\''), _) => break,
                    (Some(&c), _) => {
                        out.push(c);
                        index += 1;
                    }
                }
            }
            index += 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            index += 1;
            continue;
        }
        let run = chars[index..].iter().take_while(|&&next| next == c).count();
        let token: String = chars[index..index + run].iter().collect();
        index += run;
        let hour12 = match time.hour() % 12 {
            0 => 12,
            hour => hour,
        };
        let field = match token.as_str() {
            "YYYY" => format!("{:04}", time.year()),
            "YY" => format!("{:02}", time.year() % 100),
            "MMMM" => time.month().to_string(),
            "MMM" => time.month().to_string()[..3].to_owned(),
            "MM" => format!("{:02}", u8::from(time.month())),
            "M" => u8::from(time.month()).to_string(),
            "DD" => format!("{:02}", time.day()),
            "D" => time.day().to_string(),
            "EEEE" => time.weekday().to_string(),
            "EEE" => time.weekday().to_string()[..3].to_owned(),
            "hh" => format!("{:02}", time.hour()),
            "h" => time.hour().to_string(),
            "HH" => format!("{hour12:02}"),
            "H" => hour12.to_string(),
            "AA" | "aa" => {
                let marker = if time.hour() < 12 { "AM" } else { "PM" };
                match token.as_str() {
                    "AA" => marker.to_owned(),
                    _ => marker.to_ascii_lowercase(),
                }
            }
            "mm" => format!("{:02}", time.minute()),
            "m" => time.minute().to_string(),
            "ss" => format!("{:02}", time.second()),
            "s" => time.second().to_string(),
            "ZZZZZ" => offset(time.offset(), true, ""),
            "ZZZZ" => offset(time.offset(), false, ""),
            "ZZZ" => offset(time.offset(), false, "UTC"),
            "Z" => offset(time.offset(), true, "Z"),
            _ => {
                return Err(format!(
                    "`{token}` is not a part of a date `formatdate` knows; quote literal letters, as in `'T'`"
                ));
            }
        };
        out.push_str(&field);
    }
    Ok(out)
}

/// A duration in Go's notation (`1h30m`, `-1.5h`, `300ms`, `0`), in nanoseconds, as
/// `timeadd` and the AWS provider's duration arguments take it.
pub fn go_duration(text: &str) -> Option<i128> {
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let number: f64 = match &rest[..digits] {
            "" | "." => return None,
            digits => digits.parse().ok()?,
        };
        rest = &rest[digits..];
        let unit = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let nanoseconds = match &rest[..unit] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += number * nanoseconds;
        rest = &rest[unit..];
    }
    let total = total.round() as i128;
    Some(if negative { -total } else { total })
}

//! `timezone:` as Jekyll applies it. Jekyll sets `ENV['TZ']` from it, so Ruby shows every
//! time of the site in that zone: a front-matter or `time:` timestamp (UTC when it names no
//! offset, as Psych reads it) is the same instant shown at the zone's offset, while a date
//! alone, a file name's date or a string `Time.parse` reads without an offset is that civil
//! time in the zone. Without `timezone:` the zone is UTC, as on a build machine with no `TZ`.
//!
//! The zone is the process's, as `ENV['TZ']` is Ruby's: `load` sets it from each build's
//! config before anything reads a date, so the filters, which see no config, find it here.

use crate::diagnostics::Diagnostic;
use crate::frontmatter;
use jiff::tz::TimeZone;
use liquid_core::model::DateTime;
use serde_json::{Map, Value};
use std::sync::{PoisonError, RwLock};

static ZONE: RwLock<Option<TimeZone>> = RwLock::new(None);

/// Sets the build's zone from `_config.yml`'s `timezone:`; a name the built-in zone database
/// does not hold is a warning at the key, and the build's times stay in UTC.
pub fn apply(raw: &Map<String, Value>, text: &str) -> Option<Diagnostic> {
    let name = match raw.get("timezone") {
        None | Some(Value::Null) => String::new(),
        Some(v) => crate::frontmatter::text(Some(v)).trim().to_string(),
    };
    let (zone, warning) = if name.is_empty() {
        (TimeZone::UTC, None)
    } else {
        match TimeZone::get(&name) {
            Ok(zone) => (zone, None),
            Err(_) => {
                let message = format!("`timezone: {name}` is no IANA time zone name (such as `Europe/Berlin`): the site's times are shown in UTC");
                let at = super::key_pos(text, "timezone");
                let w = Diagnostic::warning("unknown-timezone", "_config.yml", at, message);
                (TimeZone::UTC, Some(w))
            }
        }
    };
    *ZONE.write().unwrap_or_else(PoisonError::into_inner) = Some(zone);
    warning
}

fn zone() -> TimeZone {
    let zone = ZONE.read().unwrap_or_else(PoisonError::into_inner);
    zone.clone().unwrap_or(TimeZone::UTC)
}

fn timestamp(t: &DateTime) -> jiff::Timestamp {
    jiff::Timestamp::from_second(t.unix_timestamp()).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

fn offset(seconds: i32) -> time::UtcOffset {
    offset_of(seconds).unwrap_or(time::UtcOffset::UTC)
}

/// The environment variable of the reproducible-builds convention: the build's time as
/// whole seconds since 1970 (UTC).
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// `site.time`: the config's `time:` when it reads as a date, else `SOURCE_DATE_EPOCH`, else
/// the moment it is asked for (`load` asks once, for `LoadedSite::time`), as Jekyll's `Site#reset`
/// sets it; whole seconds, as Ruby shows a `Time` and Jekyll compares a post's date with it.
/// Jekyll reads no `SOURCE_DATE_EPOCH`: it is what makes a build that shows its time again
/// byte for byte, clean, cached or served.
/// Shown in the site's zone (this module), as Jekyll's `Time` is.
pub fn site_time(config: &Map<String, Value>) -> DateTime {
    let mut time = fixed_time(config).unwrap_or_else(DateTime::now);
    if let Ok(whole) = time.replace_nanosecond(0) {
        *time = whole;
    }
    local(time)
}

/// The build's time when the clock does not give it: `time:` (a timestamp, or the zone's
/// civil time, as [`read`] tells) or `SOURCE_DATE_EPOCH`.
pub fn fixed_time(config: &Map<String, Value>) -> Option<DateTime> {
    let written = config.get("time").map(|t| frontmatter::text(Some(t)));
    written
        .as_deref()
        .and_then(|t| DateTime::from_str(t).map(|d| read(t, d)))
        .or_else(epoch_time)
}

/// `SOURCE_DATE_EPOCH` as a time, when it is set to whole seconds before the year 10000.
pub fn epoch_time() -> Option<DateTime> {
    let secs: u64 = std::env::var(SOURCE_DATE_EPOCH).ok()?.trim().parse().ok()?;
    // The year 10000 starts here: `time` holds no later year.
    (secs < 253_402_300_800).then(|| {
        let mut t = DateTime::from_ymd(1970, 1, 1);
        *t += std::time::Duration::from_secs(secs);
        t
    })
}

/// `t` as Ruby's `Time#localtime` shows it: the same instant at the zone's offset then.
pub fn local(t: DateTime) -> DateTime {
    let at = zone().to_offset(timestamp(&t));
    t.with_offset(offset(at.seconds()))
}

/// `t`'s date and time of day read as the zone's civil time (Ruby's `Time.local`; a time
/// the clocks skip moves forward by the gap, as Ruby moves it), its offset ignored.
pub fn civil(t: DateTime) -> DateTime {
    let naive = jiff::civil::DateTime::new(
        t.year() as i16,
        t.month() as i8,
        t.day() as i8,
        t.hour() as i8,
        t.minute() as i8,
        t.second() as i8,
        t.nanosecond() as i32,
    );
    let Ok(zoned) = naive.and_then(|n| n.to_zoned(zone())) else {
        return t;
    };
    let shift = zoned.offset().seconds() - t.offset().whole_seconds();
    let mut instant = t;
    *instant -= time::Duration::seconds(shift.into());
    local(instant)
}

/// A time read from `text` (front matter, `time:`, a `date` filter's input): an instant
/// when the text names an offset or is a YAML timestamp with a time of day (Psych's, UTC
/// without one), shown in the zone; else the zone's civil time.
pub fn read(text: &str, t: DateTime) -> DateTime {
    if yaml_timestamp(text) {
        local(t)
    } else {
        parsed(text, t)
    }
}

/// A time read from a string as Ruby's `Time.parse` reads it (a front matter's quoted
/// `date`, a string given to a date filter): an instant when the text names an offset (as
/// [`front_matter`] writes a YAML timestamp), shown in the zone; else the zone's civil time.
pub fn parsed(text: &str, t: DateTime) -> DateTime {
    if names_offset(text) {
        local(t)
    } else {
        civil(t)
    }
}

/// A front matter parsed (`frontmatter::parse_with_warnings`), each top-level value that YAML
/// writes as a plain (unquoted) timestamp made the text Ruby shows for the `Time` Psych reads
/// it as ([`ruby_time`]): Jekyll's data holds a time there, and a quoted one stays a string
/// (a doc's `date` then read by `Time.parse`, as the zone's civil time). The text names its
/// offset, so every later reading of it takes the same instant.
pub fn front_matter(
    yaml: &str,
    path: &std::path::Path,
    yaml_line: usize,
) -> Result<(Map<String, Value>, Vec<Diagnostic>), crate::error::SourceError> {
    let (mut fm, warnings) = frontmatter::parse_with_warnings(yaml, path, yaml_line)?;
    for (key, value) in fm.iter_mut() {
        let Value::String(s) = value else { continue };
        // Most values are no timestamp: told by their first bytes before any line is read.
        let b = s.as_bytes();
        if !(b.len() >= 14 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-') {
            continue;
        }
        let plain = frontmatter::key_line(yaml, key)
            .and_then(|i| yaml.lines().nth(i))
            .and_then(|l| l.get(key.len() + 1..))
            .is_some_and(|v| v.trim_start().starts_with(|c: char| c.is_ascii_digit()));
        if let Some(shown) = plain.then(|| ruby_time(s)).flatten() {
            *s = shown;
        }
    }
    Ok((fm, warnings))
}

/// YAML 1.1's timestamp with a time of day (`2019-11-02 22:30:00`, `2019-11-02T22:30:00.5Z`,
/// `2019-11-02 22:30:00 +09:00`) as Ruby's `Time#to_s` shows the time Psych makes of it:
/// without an offset it is UTC shown in the zone, `Z` is shown as UTC, an offset is kept.
/// None for other text.
pub fn ruby_time(text: &str) -> Option<String> {
    let (day, rest) = text.split_once(['T', 't', ' ', '\t'])?;
    let mut ymd = day.splitn(3, '-');
    let mut part = |max: usize| {
        let p = ymd.next()?;
        (!p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let (y, m, d) = (part(4)?, part(2)?, part(2)?);
    if day.len() < 8 || !day.starts_with(|c: char| c.is_ascii_digit()) || day.find('-') != Some(4) {
        return None;
    }
    let rest = rest.trim_start_matches([' ', '\t']);
    let digits_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let (clock, zone_text) = rest.split_at(digits_end);
    let (clock, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let hms: Vec<&str> = clock.split(':').collect();
    let ok = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if hms.len() != 3 || !ok(hms[0], 1..=2) || !ok(hms[1], 2..=2) || !ok(hms[2], 2..=2) {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let zone_text = zone_text.trim_start_matches([' ', '\t']);
    let offset = match zone_text {
        "" => None,
        "Z" => Some(0),
        z => {
            let (sign, z) = match z.as_bytes()[0] {
                b'+' => (1, &z[1..]),
                b'-' => (-1, &z[1..]),
                _ => return None,
            };
            let (h, mm) = match z.split_once(':') {
                Some((h, mm)) => (h, Some(mm)),
                None if z.len() > 2 => (&z[..z.len() - 2], Some(&z[z.len() - 2..])),
                None => (z, None),
            };
            if !ok(h, 1..=2) || mm.is_some_and(|mm| !ok(mm, 2..=2)) {
                return None;
            }
            let minutes: i32 = mm.map_or(Some(0), |mm| mm.parse().ok())?;
            Some(sign * (h.parse::<i32>().ok()? * 3600 + minutes * 60))
        }
    };
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    let date = time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?)
        .ok()?;
    let [h, mi, s] = [hms[0], hms[1], hms[2]].map(|p| p.parse::<u8>().unwrap_or(u8::MAX));
    let clock = time::Time::from_hms(h, mi, s).ok()?;
    let utc = time::PrimitiveDateTime::new(date, clock).assume_utc();
    let mut t = DateTime::from_ymd(1970, 1, 1);
    Some(match zone_text {
        "Z" => {
            *t = utc;
            t.format("%Y-%m-%d %H:%M:%S UTC").ok()?
        }
        _ => {
            *t = match offset {
                None => utc,
                Some(secs) => {
                    time::PrimitiveDateTime::new(date, clock).assume_offset(offset_of(secs)?)
                }
            };
            let t = if offset.is_none() { local(t) } else { t };
            t.format("%Y-%m-%d %H:%M:%S %z").ok()?
        }
    })
}

/// The offset of `seconds` east of UTC; None past what an offset can be (±25:59:59).
fn offset_of(seconds: i32) -> Option<time::UtcOffset> {
    time::UtcOffset::from_whole_seconds(seconds).ok()
}

/// Whether a time's text ends in a zone: `Z`, `UTC`/`GMT`, or a numeric offset after its
/// time of day.
pub fn names_offset(text: &str) -> bool {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    if upper.ends_with("UTC") || upper.ends_with("GMT") {
        return true;
    }
    if t.len() > 10 && (t.ends_with('Z') || t.ends_with('z')) {
        return t[..t.len() - 1].ends_with(|c: char| c.is_ascii_digit());
    }
    // `+09`, `+0900`, `+09:00` after the seconds or minutes of a time of day.
    let Some(sign) = t.rfind(['+', '-']) else {
        return false;
    };
    let (head, tail) = (&t[..sign], &t[sign + 1..]);
    let digits = tail.replace(':', "");
    head.contains(':')
        && !digits.is_empty()
        && digits.len() <= 4
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Psych's timestamp with a time of day: `2019-11-02 22:30:00`, `2019-11-02T22:30:00.5`
/// (a string as it is written unquoted in YAML; quoted, Jekyll reads it with `Time.parse`,
/// which endpaper cannot tell apart once parsed).
fn yaml_timestamp(text: &str) -> bool {
    let b = text.trim().as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if !(digits(0..4) && b.get(4) == Some(&b'-')) {
        return false;
    }
    // The day's end, then `T` or spaces, then `h:mm:ss` or `hh:mm:ss`.
    let Some(sep) = b
        .iter()
        .position(|&c| matches!(c, b' ' | b'T' | b't' | b'\t'))
    else {
        return false;
    };
    let time = text.trim()[sep..].trim_start_matches([' ', 'T', 't', '\t']);
    let tb = time.as_bytes();
    let h = if tb.get(1) == Some(&b':') { 1 } else { 2 };
    tb.len() >= h + 6
        && tb[..h].iter().all(u8::is_ascii_digit)
        && tb[h] == b':'
        && tb[h + 1..h + 3].iter().all(u8::is_ascii_digit)
        && tb[h + 3] == b':'
        && tb[h + 4..h + 6].iter().all(u8::is_ascii_digit)
}

/// A date in a form Ruby's `Time.parse` reads and `liquid`'s does not, rewritten as
/// `YYYY-MM-DD HH:MM:SS +ZZZZ` (UTC when no zone is given).
pub fn loose_date(s: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let iso = s.len() >= 10
        && s.is_char_boundary(10)
        && s[..10].bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let (day, rest) = if iso {
        (
            s[..10].to_string(),
            s[10..].trim_start_matches(['T', 't', ' ']),
        )
    } else {
        let words: Vec<&str> = s
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        let month = words.iter().find_map(|w| {
            let w = w.to_ascii_lowercase();
            MONTHS.iter().position(|m| {
                w.len() >= 3 && m.starts_with(&w[..3]) && w.chars().all(|c| c.is_ascii_alphabetic())
            })
        })?;
        let numbers: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| w.bytes().all(|b| b.is_ascii_digit()))
            .collect();
        let year = numbers.iter().find(|n| n.len() == 4)?;
        let dd = numbers.iter().find(|n| n.len() <= 2)?;
        let time = words
            .iter()
            .find(|w| w.contains(':'))
            .copied()
            .unwrap_or("");
        (
            format!("{year}-{:02}-{:02}", month + 1, dd.parse::<u32>().ok()?),
            time,
        )
    };
    let rest = rest.trim();
    let split = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let (time, zone) = rest.split_at(split);
    let mut hms: Vec<&str> = time.split('.').next().unwrap_or("").split(':').collect();
    if hms == [""] {
        hms.clear();
    }
    if hms.len() > 3 || hms.iter().any(|p| p.is_empty() || p.len() > 2) {
        return None;
    }
    while hms.len() < 3 {
        hms.push("00");
    }
    let zone = match zone.trim() {
        "" | "Z" | "z" | "UTC" | "GMT" => "+0000".to_string(),
        z if (z.starts_with('+') || z.starts_with('-')) && z.len() == 6 => z.replace(':', ""),
        z if (z.starts_with('+') || z.starts_with('-')) && z.len() == 5 => z.to_string(),
        _ => return None,
    };
    Some(format!(
        "{day} {:0>2}:{:0>2}:{:0>2} {zone}",
        hms[0], hms[1], hms[2]
    ))
}

/// `t` formatted by strftime `fmt`, `%Z` giving the zone's abbreviation (`JST`, `UTC`) as
/// Ruby's `Time#zone` does for a time at the zone's offset.
pub fn format(t: &DateTime, fmt: &str) -> Option<String> {
    let fmt = if fmt.contains("%Z") {
        let zone = zone();
        let info = zone.to_offset_info(timestamp(t));
        if info.offset().seconds() == t.offset().whole_seconds() {
            with_zone_name(fmt, info.abbreviation())
        } else {
            fmt.to_string()
        }
    } else {
        fmt.to_string()
    };
    t.format(&fmt).ok()
}

/// `fmt` with each `%Z` (not a `%%` then `Z`) written as `name`.
fn with_zone_name(fmt: &str, name: &str) -> String {
    let mut out = String::with_capacity(fmt.len());
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Z') => out.push_str(&name.replace('%', "%%")),
            Some(n) => {
                out.push('%');
                out.push(n);
            }
            None => out.push('%'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_timestamps_are_told_from_civil_times() {
        for s in [
            "2019-11-02 22:30:00 -0500",
            "2019-11-02T22:30:00Z",
            "2019-11-02 22:30 +09:00",
            "Sat, 02 Nov 2019 22:30:00 GMT",
        ] {
            assert!(names_offset(s), "{s}");
        }
        for s in [
            "2019-11-02",
            "2019-11-02 22:30:00",
            "2019-11-02 23:45",
            "Nov 2, 2019",
        ] {
            assert!(!names_offset(s), "{s}");
        }
        assert!(yaml_timestamp("2019-11-02 22:30:00"));
        assert!(yaml_timestamp("2019-11-02T22:30:00.25"));
        assert!(!yaml_timestamp("2019-11-02 23:45"));
        assert!(!yaml_timestamp("2019-11-02"));
    }

    #[test]
    fn yaml_timestamps_are_shown_as_ruby_shows_psychs_times() {
        // Without an offset: the same instant in the zone (UTC without `timezone:`; other
        // tests may set one), naming its offset.
        let shown = ruby_time("2019-11-02 22:30:00").unwrap();
        assert!(
            shown.starts_with("2019-11-0") && names_offset(&shown),
            "{shown}"
        );
        assert_eq!(
            ruby_time("2019-11-02T22:30:00.25Z").as_deref(),
            Some("2019-11-02 22:30:00 UTC")
        );
        assert_eq!(
            ruby_time("2019-1-2 2:30:00 +09:00").as_deref(),
            Some("2019-01-02 02:30:00 +0900")
        );
        assert_eq!(
            ruby_time("2019-11-02 22:30:00 -5").as_deref(),
            Some("2019-11-02 22:30:00 -0500")
        );
        for text in [
            "2019-11-02",
            "2019-11-02 22:30",
            "2019-02-30 10:00:00",
            "on 2019-11-02 22:30:00",
            "2019-11-02 22:30:00 EST",
        ] {
            assert_eq!(ruby_time(text), None, "{text}");
        }
    }

    #[test]
    fn only_a_plain_timestamp_is_made_a_time() {
        let yaml = "plain: 2019-11-02 22:30:00\nquoted: \"2019-11-02 22:30:00\"\nsingle: '2019-11-02 22:30:00'\n";
        let (fm, _) = front_matter(yaml, std::path::Path::new("a.md"), 2).unwrap();
        assert!(names_offset(fm["plain"].as_str().unwrap()), "{fm:?}");
        assert_eq!(fm["quoted"], "2019-11-02 22:30:00");
        assert_eq!(fm["single"], "2019-11-02 22:30:00");
    }

    #[test]
    fn a_percent_then_z_is_kept_and_only_zone_names_are_written() {
        assert_eq!(with_zone_name("%H %Z %%Z", "JST"), "%H JST %%Z");
    }
}

//! Where real time enters: the system clock, or `--now`.

use mailseal::Time;

use crate::failure::{bad_input, Failure};

/// The system clock: the CLI, like the wasm boundary, is where real time enters (time.rs).
#[allow(clippy::disallowed_methods)]
pub(crate) fn system_now() -> Result<Time, Failure> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| bad_input("the system clock is before 1970"))?;
    Ok(Time::from_unix(
        i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
    ))
}

/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` or `YYYY-MM-DD` (midnight UTC), 1970..9999.
/// Fractions of a second are dropped ([`Time`] counts seconds).
pub(crate) fn parse_time(s: &str) -> Result<Time, String> {
    let bad = || format!("`{s}` is not an RFC 3339 time such as 2026-12-01T00:00:00Z");
    let digits = |from: usize, len: usize| -> Option<u16> {
        let part = s.get(from..from + len)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let byte_in =
        |at: usize, allowed: &[u8]| s.as_bytes().get(at).is_some_and(|c| allowed.contains(c));
    let two = |from: usize| digits(from, 2).and_then(|v| u8::try_from(v).ok());

    let (Some(year), true, Some(month), true, Some(day)) = (
        digits(0, 4),
        byte_in(4, b"-"),
        two(5),
        byte_in(7, b"-"),
        two(8),
    ) else {
        return Err(bad());
    };
    let (hour, minute, second, mut rest) = if s.len() == 10 {
        (0, 0, 0, "Z")
    } else {
        let (true, Some(h), true, Some(m), true, Some(sec)) = (
            byte_in(10, b"Tt "),
            two(11),
            byte_in(13, b":"),
            two(14),
            byte_in(16, b":"),
            two(17),
        ) else {
            return Err(bad());
        };
        (h, m, sec, s.get(19..).unwrap_or_default())
    };
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        rest = fraction.get(n..).filter(|_| n > 0).ok_or_else(bad)?;
    }
    let offset_secs = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return Err(bad()),
            };
            let hh = rest.get(1..3).and_then(|v| v.parse::<i64>().ok());
            let mm = rest.get(4..6).and_then(|v| v.parse::<i64>().ok());
            match (hh, rest.get(3..4), mm, rest.len()) {
                (Some(hh), Some(":"), Some(mm), 6) if hh < 24 && mm < 60 => {
                    sign * (hh * 3600 + mm * 60)
                }
                _ => return Err(bad()),
            }
        }
    };
    let utc = der::DateTime::new(year, month, day, hour, minute, second).map_err(|_| bad())?;
    Ok(Time::from_der(&utc).plus_secs(-offset_secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339() {
        let t = |s| parse_time(s).map(Time::unix);
        assert_eq!(t("2026-12-01T00:00:00Z"), Ok(1_796_083_200));
        assert_eq!(t("2026-12-01"), Ok(1_796_083_200));
        assert_eq!(t("2026-12-01t00:00:00.123z"), Ok(1_796_083_200));
        assert_eq!(t("2026-12-01T02:30:00+02:30"), Ok(1_796_083_200));
        assert_eq!(t("2026-11-30T23:00:00-01:00"), Ok(1_796_083_200));
        for bad in [
            "",
            "2026-12-01T00:00:00",
            "2026-13-01",
            "2026-12-01T25:00:00Z",
            "2026-12-01T00:00:00.Z",
            "2026-12-01T00:00:00+0200",
            "１９７０-01-01",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }
}

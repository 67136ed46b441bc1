//! The one place mailseal represents time.
//!
//! Library code never reads the clock (`SystemTime::now()` panics on wasm32 and hides an input):
//! every operation that depends on time takes a [`Time`] from its caller. The wasm boundary and
//! the CLI are the only places that read a real clock.

use core::fmt;
use core::time::Duration;

/// A point in time, seconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(i64);

impl Time {
    /// From seconds since the Unix epoch.
    pub const fn from_unix(secs: i64) -> Self {
        Time(secs)
    }

    /// Seconds since the Unix epoch.
    pub const fn unix(self) -> i64 {
        self.0
    }

    /// From milliseconds since the epoch, as JavaScript's `Date.getTime()` gives them.
    pub fn from_unix_millis(ms: f64) -> Option<Self> {
        if !ms.is_finite() {
            return None;
        }
        let secs = (ms / 1000.0).floor();
        if !(-62_135_596_800.0..=253_402_300_799.0).contains(&secs) {
            return None;
        }
        Some(Time(secs as i64))
    }

    /// This time plus `secs` seconds, saturating.
    pub fn plus_secs(self, secs: i64) -> Self {
        Time(self.0.saturating_add(secs))
    }

    /// As an ASN.1 `der::DateTime` (only for times between 1970 and 9999).
    pub fn to_der(self) -> Option<der::DateTime> {
        let secs = u64::try_from(self.0).ok()?;
        der::DateTime::from_unix_duration(Duration::from_secs(secs)).ok()
    }

    /// From an ASN.1 `der::DateTime`.
    pub fn from_der(dt: &der::DateTime) -> Self {
        let secs = dt.unix_duration().as_secs();
        Time(i64::try_from(secs).unwrap_or(i64::MAX))
    }

    /// From an X.509 `Time` (UTCTime or GeneralizedTime).
    #[cfg(feature = "smime")]
    pub fn from_x509(t: &x509_cert::time::Time) -> Self {
        Time::from_der(&t.to_date_time())
    }

    /// Reads `YYYY-MM-DDTHH:MM:SSZ` (what [`Time::to_rfc3339`] writes); `None` otherwise.
    pub fn from_rfc3339(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
            return None;
        }
        if b[16] != b':' || b[19] != b'Z' {
            return None;
        }
        let n = |r: core::ops::Range<usize>| s.get(r)?.parse::<u16>().ok();
        let (y, mo, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
        let (h, mi, sec) = (n(11..13)?, n(14..16)?, n(17..19)?);
        let dt = der::DateTime::new(
            y,
            u8::try_from(mo).ok()?,
            u8::try_from(d).ok()?,
            u8::try_from(h).ok()?,
            u8::try_from(mi).ok()?,
            u8::try_from(sec).ok()?,
        )
        .ok()?;
        Some(Time::from_der(&dt))
    }

    /// RFC 3339 / ISO 8601 in UTC, e.g. `2026-11-23T08:00:00Z`.
    pub fn to_rfc3339(self) -> String {
        let (y, m, d, hh, mm, ss) = civil_from_unix(self.0);
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// Proleptic Gregorian calendar from Unix seconds (Howard Hinnant's days-from-civil inverse).
fn civil_from_unix(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        (rem / 3600) as u32,
        ((rem % 3600) / 60) as u32,
        (rem % 60) as u32,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339() {
        assert_eq!(Time::from_unix(0).to_rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Time::from_unix(1_795_420_800).to_rfc3339(),
            "2026-11-23T08:00:00Z"
        );
        assert_eq!(
            Time::from_unix(951_782_400).to_rfc3339(),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn der_round_trip() {
        let t = Time::from_unix(1_795_420_800);
        let d = t.to_der().expect("in range");
        assert_eq!(Time::from_der(&d), t);
        assert_eq!(d.to_string(), t.to_rfc3339());
    }

    #[test]
    fn millis_reject_nan() {
        assert!(Time::from_unix_millis(f64::NAN).is_none());
        assert_eq!(Time::from_unix_millis(1500.0), Some(Time::from_unix(1)));
    }
}

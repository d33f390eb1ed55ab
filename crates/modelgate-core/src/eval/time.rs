//! Metrics per period, the trend, and when performance first falls a given
//! share below the first period: the out-of-time analysis that suggests a
//! retraining interval (Tiwari, *ML Checklist*, 2021: "model performance
//! degrades by 5% after 2 months, so one can decide to retrain every two
//! months").
//!
//! Timestamps are ISO 8601 dates or date-times (`2024-01-31`, `2024/01/31`,
//! `2024-01-31T12:00:00Z`, with or without seconds, fraction or offset) or
//! Unix seconds. The wall-clock date as written is used: an offset is read but
//! not applied, so a row belongs to the day printed in the file. Periods are
//! calendar days, ISO weeks (starting Monday) or months; when not chosen, the
//! finest of the three whose median period holds at least `min_period_rows`
//! rows (else months), so each figure rests on enough rows. Periods with fewer
//! than `min_period_rows` rows are listed but not used for the trend (the
//! least-squares slope of the primary metric against the period's position, as
//! `numpy.polyfit(deg=1)`) or for the drop from the first used period.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::align::{Findings, Prepared};
use super::metrics::{direction, MetricSet};
use super::slices::group_metrics;
use super::table::{Table, Value};
use super::{EvalOptions, Severity};
use crate::stats::psi::quantile_sorted;

/// A calendar period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Calendar days.
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    /// Calendar months.
    Month,
}

impl Period {
    fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }
}

/// Days from 1970-01-01 to a civil date (Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number (Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn digits(s: &[u8]) -> Option<i64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0i64, |a, d| a * 10 + i64::from(d - b'0')))
}

/// Seconds since 1970-01-01 of an ISO date or date-time string (wall clock, offset ignored).
pub fn parse_iso(s: &str) -> Option<f64> {
    let b = s.trim().as_bytes();
    if b.len() < 10 || !(b[4] == b'-' || b[4] == b'/') || b[7] != b[4] {
        return None;
    }
    let (y, m, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let month_days = [31, if leap(y) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d < 1 || d > month_days[(m - 1) as usize] {
        return None;
    }
    let mut secs = (days_from_civil(y, m, d) * 86_400) as f64;
    let rest = &b[10..];
    if rest.is_empty() {
        return Some(secs);
    }
    if !(rest[0] == b'T' || rest[0] == b' ') || rest.len() < 6 || rest[3] != b':' {
        return None;
    }
    let (h, mi) = (digits(&rest[1..3])?, digits(&rest[4..6])?);
    if h > 23 || mi > 59 {
        return None;
    }
    secs += (h * 3600 + mi * 60) as f64;
    let mut t = &rest[6..];
    if t.first() == Some(&b':') {
        let sec = digits(t.get(1..3)?)?;
        if sec > 60 {
            return None;
        }
        secs += sec as f64;
        t = &t[3..];
        if t.first() == Some(&b'.') {
            let n = t[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            let frac: f64 = std::str::from_utf8(&t[..=n]).ok()?.parse().ok()?;
            secs += frac;
            t = &t[1 + n..];
        }
    }
    match t {
        [] | [b'Z'] | [b'z'] => Some(secs),
        [b'+' | b'-', h1, h2, b':', m1, m2] | [b'+' | b'-', h1, h2, m1, m2] => {
            let (oh, om) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            (oh <= 23 && om <= 59).then_some(secs)
        }
        _ => None,
    }
}

/// The timestamp of a cell in seconds since 1970-01-01: an ISO date-time, or a
/// number of Unix seconds within the years 1 to 9999.
pub fn parse_timestamp(table: &Table, col: usize, row: usize) -> Option<f64> {
    match table.value(col, row) {
        // Unix seconds between the years 1 and 9999, like the ISO forms.
        Value::Number(x) if (-62_135_596_800.0..=253_402_300_799.0).contains(&x) => Some(x),
        Value::Text(id) => parse_iso(table.text(id)),
        _ => None,
    }
}

fn date_string(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// (sort key, label, first day) of the period holding `day`.
fn period_of(day: i64, period: Period) -> (i64, String, i64) {
    match period {
        Period::Day => (day, date_string(day), day),
        Period::Week => {
            // 1970-01-01 was a Thursday: Monday is day 4 of that week.
            let monday = day - (day + 3).rem_euclid(7);
            (monday, date_string(monday), monday)
        }
        Period::Month => {
            let (y, m, _) = civil_from_days(day);
            (y * 12 + m - 1, format!("{y:04}-{m:02}"), days_from_civil(y, m, 1))
        }
    }
}

/// One period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodMetrics {
    /// `2024-01-31` (day), the Monday `2024-01-29` (week) or `2024-01` (month).
    pub period: String,
    /// Its first day.
    pub start: String,
    /// Rows in it.
    pub rows: usize,
    /// The primary metric (and accuracy or MAE).
    pub metrics: MetricSet,
    /// Whether it has enough rows to count for the trend and the drop.
    pub used: bool,
}

/// Performance over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeReport {
    /// The timestamp column.
    pub column: String,
    /// The period used.
    pub period: Period,
    /// Whether the period was chosen automatically.
    pub automatic: bool,
    /// Rows with a usable timestamp.
    pub rows: usize,
    /// The periods in order.
    pub periods: Vec<PeriodMetrics>,
    /// Change of the primary metric per period (least squares over used periods).
    pub slope: Option<f64>,
    /// The relative drop that counts as degradation.
    pub drop: f64,
    /// The first used period, whose value is the reference.
    pub first_period: Option<String>,
    /// The first later period whose value is worse than the first by at least `drop`.
    pub degraded_period: Option<String>,
    /// Days from the start of the first period to the start of the degraded one.
    pub degraded_after_days: Option<i64>,
    /// The same in periods (days, weeks or calendar months).
    pub degraded_after_periods: Option<i64>,
    /// A suggested retraining interval, in words.
    pub suggestion: String,
}

pub(crate) fn run(
    prep: &Prepared,
    table: &Table,
    options: &EvalOptions,
    findings: &mut Findings,
) -> Option<TimeReport> {
    let name = prep.columns.timestamp.as_ref()?;
    let col = table.column(name)?;
    let mut stamps = Vec::new(); // (evaluated index, seconds)
    for (i, &r) in prep.rows.iter().enumerate() {
        match parse_timestamp(table, col, r) {
            Some(t) => stamps.push((i, t)),
            None => findings.add("unparsable_timestamp", Severity::Warning, &table.source, Some(name), r as u64 + 1, || {
                "the timestamp is missing or not an ISO date; these rows are left out of the analysis over time".into()
            }),
        }
    }
    if stamps.is_empty() {
        return None;
    }
    let day = |t: f64| (t / 86_400.0).floor() as i64;
    let bucket = |period: Period| {
        let mut buckets: BTreeMap<i64, (String, i64, Vec<usize>)> = BTreeMap::new();
        for &(i, t) in &stamps {
            let (key, label, start) = period_of(day(t), period);
            buckets.entry(key).or_insert_with(|| (label, start, Vec::new())).2.push(i);
        }
        buckets
    };
    let (period, automatic, buckets) = match options.period {
        Some(p) => (p, false, bucket(p)),
        None => {
            // The finest period whose median size reaches min_period_rows, else months.
            let mut chosen = None;
            for p in [Period::Day, Period::Week, Period::Month] {
                let b = bucket(p);
                let mut sizes: Vec<f64> = b.values().map(|v| v.2.len() as f64).collect();
                sizes.sort_by(f64::total_cmp);
                if p == Period::Month || quantile_sorted(&sizes, 0.5) >= options.min_period_rows as f64 {
                    chosen = Some((p, true, b));
                    break;
                }
            }
            chosen.unwrap_or_else(|| (Period::Month, true, bucket(Period::Month)))
        }
    };
    let primary = prep.primary.as_str();
    let periods: Vec<(i64, PeriodMetrics, i64)> = buckets
        .into_iter()
        .map(|(key, (label, start, idx))| {
            let metrics = group_metrics(prep, &idx, options);
            let used = idx.len() >= options.min_period_rows && metrics.get(primary).is_some();
            (
                key,
                PeriodMetrics { period: label, start: date_string(start), rows: idx.len(), metrics, used },
                start,
            )
        })
        .collect();
    let used: Vec<(usize, f64)> = periods
        .iter()
        .enumerate()
        .filter(|(_, p)| p.1.used)
        .filter_map(|(i, p)| p.1.metrics.get(primary).map(|v| (i, v)))
        .collect();
    let slope = (used.len() >= 2).then(|| {
        let mx = used.iter().map(|u| u.0 as f64).sum::<f64>() / used.len() as f64;
        let my = used.iter().map(|u| u.1).sum::<f64>() / used.len() as f64;
        let sxy: f64 = used.iter().map(|u| (u.0 as f64 - mx) * (u.1 - my)).sum();
        let sxx: f64 = used.iter().map(|u| (u.0 as f64 - mx) * (u.0 as f64 - mx)).sum();
        sxy / sxx
    });
    let (higher, _) = direction(primary);
    let first = used.first().copied();
    let degraded = first.and_then(|(fi, fv)| {
        let limit =
            if higher { fv * (1.0 - options.retrain_drop) } else { fv * (1.0 + options.retrain_drop) };
        used.iter().skip(1).find(|u| if higher { u.1 < limit } else { u.1 > limit }).map(|u| (fi, u.0))
    });
    let (after_days, after_periods) = match degraded {
        Some((a, b)) => {
            let days = periods[b].2 - periods[a].2;
            let n = match period {
                Period::Day => days,
                Period::Week => days / 7,
                Period::Month => periods[b].0 - periods[a].0,
            };
            (Some(days), Some(n))
        }
        None => (None, None),
    };
    let pct = super::short(options.retrain_drop * 100.0);
    let unit = |n: i64| format!("{n} {}{}", period.name(), if n == 1 { "" } else { "s" });
    let suggestion = match (degraded, after_periods) {
        (Some((a, b)), Some(n)) => format!(
            "{primary} is {pct}% or more worse than in the first period ({}) by {}, {} later: consider retraining at least every {}",
            periods[a].1.period,
            periods[b].1.period,
            unit(n),
            unit(n.max(1))
        ),
        _ if used.len() < 2 => format!(
            "too few periods with at least {} rows to see a trend; no retraining interval suggested",
            options.min_period_rows
        ),
        _ => format!(
            "{primary} is never {pct}% worse than in the first period over {} {}s; no retraining is suggested within this span",
            used.len(),
            period.name()
        ),
    };
    Some(TimeReport {
        column: name.clone(),
        period,
        automatic,
        rows: stamps.len(),
        drop: options.retrain_drop,
        first_period: first.map(|(i, _)| periods[i].1.period.clone()),
        degraded_period: degraded.map(|(_, b)| periods[b].1.period.clone()),
        degraded_after_days: after_days,
        degraded_after_periods: after_periods,
        suggestion,
        slope,
        periods: periods.into_iter().map(|p| p.1).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_and_weeks() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28), 2);
        for d in [-1000, 0, 19_000, 20_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        // 2024-01-03 is a Wednesday; its week starts on Monday 2024-01-01.
        assert_eq!(period_of(days_from_civil(2024, 1, 3), Period::Week).1, "2024-01-01");
        assert_eq!(period_of(days_from_civil(2024, 1, 7), Period::Week).1, "2024-01-01");
        assert_eq!(period_of(days_from_civil(2024, 1, 8), Period::Week).1, "2024-01-08");
        assert_eq!(period_of(days_from_civil(2015, 12, 31), Period::Month).1, "2015-12");
    }

    #[test]
    fn iso_forms() {
        let day = 86_400.0 * days_from_civil(2024, 1, 31) as f64;
        assert_eq!(parse_iso("2024-01-31"), Some(day));
        assert_eq!(parse_iso("2024/01/31"), Some(day));
        assert_eq!(parse_iso("2024-01-31T12:30"), Some(day + 45_000.0));
        assert_eq!(parse_iso("2024-01-31 12:30:15.5+02:00"), Some(day + 45_015.5));
        assert_eq!(parse_iso("2023-02-29"), None);
        assert_eq!(parse_iso("2024-02-29"), Some(86_400.0 * days_from_civil(2024, 2, 29) as f64));
        assert_eq!(parse_iso("31/01/2024"), None);
        assert_eq!(parse_iso("2024-01-31T25:00"), None);
    }
}

//! Values as the charts read them: durations in a unit that keeps the value axis on whole
//! minutes, hours or days, counts with their thousands grouped, rates in percent.

use super::window::{HOUR_MS, MINUTE_MS};
use crate::chart::Grouped;

/// The unit a chart of durations counts in, so its axis steps are whole minutes, hours or days
/// (a step of 2,000,000 ms would read "33 min 20 s").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl TimeUnit {
    /// The unit for a chart whose largest value is `max_ms`: the axis then spans a few to a few
    /// dozen of them.
    pub fn for_max(max_ms: f64) -> TimeUnit {
        if max_ms < 5.0 * MINUTE_MS as f64 {
            TimeUnit::Seconds
        } else if max_ms < 5.0 * HOUR_MS as f64 {
            TimeUnit::Minutes
        } else if max_ms < 5.0 * 24.0 * HOUR_MS as f64 {
            TimeUnit::Hours
        } else {
            TimeUnit::Days
        }
    }

    pub fn ms(self) -> f64 {
        match self {
            TimeUnit::Seconds => 1000.0,
            TimeUnit::Minutes => MINUTE_MS as f64,
            TimeUnit::Hours => HOUR_MS as f64,
            TimeUnit::Days => 24.0 * HOUR_MS as f64,
        }
    }

    /// A value counted in this unit, as people read it (`1 h 20 min`).
    pub fn format(self, value: f64) -> String {
        super::format_duration((value * self.ms()).round().max(0.0) as u64)
    }
}

/// `data` in milliseconds → the same in the unit that fits its largest value, and that unit.
pub fn in_time_unit(mut data: Grouped, stacked: bool) -> (Grouped, TimeUnit) {
    let max = (0..data.keys.len())
        .map(|c| {
            let values = data
                .series
                .iter()
                .map(|s| s.values.get(c).copied().unwrap_or(0.0));
            if stacked {
                values.sum()
            } else {
                values.fold(0.0, f64::max)
            }
        })
        .fold(0.0, f64::max);
    let unit = TimeUnit::for_max(max);
    for s in &mut data.series {
        for v in &mut s.values {
            *v /= unit.ms();
        }
    }
    (data, unit)
}

/// A count with thousands grouped (`12,500`), whole.
pub fn format_count(value: f64) -> String {
    let whole = value.round().max(0.0) as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A percentage with one decimal (`12.5 %`).
pub fn format_percent(value: f64) -> String {
    let tenths = (value * 10.0).round().max(0.0) as u64;
    format!("{}.{} %", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Series;

    fn series(label: &str, values: Vec<f64>) -> Series {
        Series {
            label: label.to_string(),
            values,
        }
    }

    #[test]
    fn durations_are_charted_in_a_unit_that_keeps_the_axis_readable() {
        assert_eq!(TimeUnit::for_max(40_000.0), TimeUnit::Seconds);
        assert_eq!(TimeUnit::for_max(80.0 * 60_000.0), TimeUnit::Minutes);
        assert_eq!(TimeUnit::for_max(30.0 * 3_600_000.0), TimeUnit::Hours);
        assert_eq!(TimeUnit::for_max(9.0 * 86_400_000.0), TimeUnit::Days);
        let data = Grouped {
            keys: vec!["Ann".into()],
            series: vec![
                series("a", vec![3_600_000.0]),
                series("b", vec![1_200_000.0]),
            ],
        };
        let (scaled, unit) = in_time_unit(data.clone(), true);
        assert_eq!(unit, TimeUnit::Minutes);
        assert_eq!(scaled.series[0].values, [60.0]);
        assert_eq!(unit.format(80.0), "1 h 20 min");
        assert_eq!(in_time_unit(data, false).1, TimeUnit::Minutes);
        assert_eq!(TimeUnit::Hours.format(2.0), "2 h 00 min");
        assert_eq!(TimeUnit::Days.format(3.0), "3 d 0 h");
        // Every tick of a nice axis reads as a whole number of the unit.
        for max in [
            45_000.0,
            4.0 * 3_600_000.0,
            50.0 * 3_600_000.0,
            30.0 * 86_400_000.0,
        ] {
            let unit = TimeUnit::for_max(max);
            let (_, step) = crate::chart::nice_axis(max / unit.ms());
            assert_eq!(step.fract(), 0.0, "{max}");
        }
    }

    #[test]
    fn counts_and_rates_read_at_every_magnitude() {
        assert_eq!(format_count(0.0), "0");
        assert_eq!(format_count(999.0), "999");
        assert_eq!(format_count(12_500.0), "12,500");
        assert_eq!(format_count(1_234_567.4), "1,234,567");
        assert_eq!(format_percent(12.345), "12.3 %");
        assert_eq!(format_percent(0.0), "0.0 %");
        assert_eq!(format_percent(100.0), "100.0 %");
    }
}

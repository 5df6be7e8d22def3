//! Geometry of the console's bar charts (inline SVG drawn by the views): a "nice" value axis and
//! one rectangle per value, grouped side by side or stacked. Pure numbers, so it is tested here and
//! the views only draw what [`Drawing`] says.

mod drawing;

pub use drawing::{CategoryLabel, Drawing, DrawnBar, GridLine};

/// The drawing's size in SVG user units; the SVG scales to its container.
pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 220.0;
/// Room for the value axis labels (left; [`Drawing`] widens it for long labels) and the
/// category labels (below).
const LEFT: f64 = 56.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 36.0;

/// Named values, one per category.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    pub values: Vec<f64>,
}

/// Categories (the x axis) and the series measured for each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grouped {
    /// Raw keys (epoch ms, channel names, agent names); the view turns them into labels.
    pub keys: Vec<String>,
    pub series: Vec<Series>,
}

impl Grouped {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
            || self
                .series
                .iter()
                .all(|s| s.values.iter().all(|v| *v == 0.0))
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub category: usize,
    pub series: usize,
    pub value: f64,
    pub rect: Rect,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub bars: Vec<Bar>,
    /// Value axis ticks: the value and its y position, from 0 up to the axis maximum.
    pub ticks: Vec<(f64, f64)>,
    /// The x centre of each category, for its label.
    pub centres: Vec<f64>,
    /// The plot area inside the margins.
    pub plot: Rect,
}

/// The axis maximum and tick step for values up to `max`: steps of 1, 2 or 5 times a power of
/// ten (at least 1), about four ticks, the maximum a whole number of steps at or above `max`.
pub fn nice_axis(max: f64) -> (f64, f64) {
    if !max.is_finite() || max <= 0.0 {
        return (1.0, 1.0);
    }
    let rough = max / 4.0;
    // The power of ten at or below `rough`, at least 1: the values are counts and milliseconds,
    // so a step is a whole number.
    let mut magnitude = 1.0;
    while magnitude * 10.0 <= rough {
        magnitude *= 10.0;
    }
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * magnitude);
    ((max / step).ceil() * step, step)
}

/// Lays out `data` as vertical bars: per category, the series side by side (`stacked == false`)
/// or on top of each other, in a plot that starts `left` units from the drawing's left edge.
/// Negative and non-finite values count as 0.
pub fn layout(data: &Grouped, stacked: bool, left: f64) -> Layout {
    let plot = Rect {
        x: left,
        y: TOP,
        width: WIDTH - left - RIGHT,
        height: HEIGHT - TOP - BOTTOM,
    };
    let value = |s: &Series, c: usize| {
        s.values
            .get(c)
            .copied()
            .filter(|v| v.is_finite() && *v > 0.0)
            .unwrap_or(0.0)
    };
    let categories = data.keys.len();
    let peak = (0..categories)
        .map(|c| {
            let values = data.series.iter().map(|s| value(s, c));
            if stacked {
                values.sum()
            } else {
                values.fold(0.0, f64::max)
            }
        })
        .fold(0.0, f64::max);
    let (max, step) = nice_axis(peak);
    let y_of = |v: f64| plot.y + plot.height - v / max * plot.height;
    let slot = plot.width / categories.max(1) as f64;
    // A fifth of each slot stays empty between categories.
    let group = slot * 0.8;
    let lanes = if stacked { 1 } else { data.series.len().max(1) };
    let bar_width = group / lanes as f64;
    let mut bars = Vec::new();
    let mut centres = Vec::new();
    for c in 0..categories {
        let left = plot.x + slot * c as f64 + (slot - group) / 2.0;
        centres.push(plot.x + slot * (c as f64 + 0.5));
        let mut base = 0.0;
        for (s, series) in data.series.iter().enumerate() {
            let v = value(series, c);
            let (x, bottom) = if stacked {
                (left, base)
            } else {
                (left + bar_width * s as f64, 0.0)
            };
            let top = bottom + v;
            bars.push(Bar {
                category: c,
                series: s,
                value: v,
                rect: Rect {
                    x,
                    y: y_of(top),
                    width: bar_width,
                    height: y_of(bottom) - y_of(top),
                },
            });
            if stacked {
                base = top;
            }
        }
    }
    let ticks = (0..)
        .map(|i| i as f64 * step)
        .take_while(|v| *v <= max + step / 2.0)
        .map(|v| (v, y_of(v)))
        .collect();
    Layout {
        bars,
        ticks,
        centres,
        plot,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grouped(keys: &[&str], series: &[(&str, &[f64])]) -> Grouped {
        Grouped {
            keys: keys.iter().map(|k| k.to_string()).collect(),
            series: series
                .iter()
                .map(|(l, v)| Series {
                    label: l.to_string(),
                    values: v.to_vec(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_axis_is_nice_and_covers_the_maximum() {
        assert_eq!(nice_axis(0.0), (1.0, 1.0));
        assert_eq!(nice_axis(f64::NAN), (1.0, 1.0));
        assert_eq!(nice_axis(7.0), (8.0, 2.0));
        assert_eq!(nice_axis(10.0), (10.0, 5.0));
        assert_eq!(nice_axis(93.0), (100.0, 50.0));
        assert_eq!(nice_axis(0.3), (1.0, 1.0), "whole steps for counts");
        for max in [1.0, 3.7, 12.0, 99.0, 1234.0, 3_600_000.0] {
            let (top, step) = nice_axis(max);
            assert!(top >= max, "{max}");
            let mantissa = step / 10f64.powi(step.log10().floor() as i32);
            assert!(
                [1.0, 2.0, 5.0].iter().any(|m| (m - mantissa).abs() < 1e-9),
                "{max}: step {step}"
            );
            assert!((top / step - (top / step).round()).abs() < 1e-9);
            assert!(top / step <= 8.0, "{max}: too many ticks");
        }
    }

    #[test]
    fn grouped_bars_stand_side_by_side_with_heights_in_proportion() {
        let data = grouped(
            &["a", "b"],
            &[("offered", &[10.0, 4.0]), ("handled", &[5.0, 0.0])],
        );
        let l = layout(&data, false, LEFT);
        assert_eq!(l.bars.len(), 4);
        let (a_offered, a_handled) = (&l.bars[0].rect, &l.bars[1].rect);
        assert!((a_handled.x - (a_offered.x + a_offered.width)).abs() < 1e-9);
        assert!((a_offered.height - 2.0 * a_handled.height).abs() < 1e-9);
        // Every bar stands on the baseline and stays inside the plot.
        let baseline = l.plot.y + l.plot.height;
        for bar in &l.bars {
            assert!((bar.rect.y + bar.rect.height - baseline).abs() < 1e-9);
            assert!(
                bar.rect.x >= l.plot.x
                    && bar.rect.x + bar.rect.width <= l.plot.x + l.plot.width + 1e-9
            );
            assert!(bar.rect.y >= l.plot.y - 1e-9);
        }
        assert_eq!(l.bars[3].rect.height, 0.0);
        assert_eq!(l.centres.len(), 2);
    }

    #[test]
    fn stacked_bars_sit_on_each_other_and_reach_the_total() {
        let data = grouped(
            &["ann"],
            &[
                ("engaged", &[30.0]),
                ("hold", &[10.0]),
                ("wrap-up", &[-5.0]),
            ],
        );
        let l = layout(&data, true, LEFT);
        let (engaged, hold, wrap) = (&l.bars[0].rect, &l.bars[1].rect, &l.bars[2].rect);
        assert!((hold.y + hold.height - engaged.y).abs() < 1e-9);
        assert_eq!(wrap.height, 0.0, "a negative value draws nothing");
        assert_eq!(engaged.x, hold.x);
        let total_height = engaged.height + hold.height;
        let (max, _) = nice_axis(40.0);
        assert!((total_height - 40.0 / max * l.plot.height).abs() < 1e-9);
    }

    #[test]
    fn ticks_run_from_zero_to_the_axis_maximum() {
        let l = layout(&grouped(&["x"], &[("n", &[7.0])]), false, LEFT);
        let values: Vec<f64> = l.ticks.iter().map(|t| t.0).collect();
        assert_eq!(values, [0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(l.ticks[0].1, l.plot.y + l.plot.height);
        assert!((l.ticks.last().unwrap().1 - l.plot.y).abs() < 1e-9);
    }

    #[test]
    fn empty_data_draws_nothing_and_says_so() {
        assert!(grouped(&[], &[]).is_empty());
        assert!(grouped(&["a"], &[("n", &[0.0])]).is_empty());
        assert!(!grouped(&["a"], &[("n", &[1.0])]).is_empty());
        assert!(
            layout(&grouped(&[], &[("n", &[])]), false, LEFT)
                .bars
                .is_empty()
        );
    }
}

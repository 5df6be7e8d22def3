//! What a chart draws, as plain data for the view: grid lines with their value labels, bars with
//! their tooltips, category labels, the legend and the values as a table. The view renders it
//! with `view!` (SVG elements, text escaped by Leptos), so no markup is ever written as a string.

use super::{Grouped, HEIGHT, LEFT, WIDTH, layout};

/// A horizontal grid line at a tick of the value axis, with its label left of the plot.
#[derive(Clone, Debug, PartialEq)]
pub struct GridLine {
    pub y: i64,
    pub x1: i64,
    pub x2: i64,
    pub label: String,
    /// Where the label's right end sits (`text-anchor="end"`).
    pub label_x: i64,
}

/// One bar: its series (the colour class `s0`…`s3`), its box, and what its tooltip says.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnBar {
    pub series: usize,
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    pub tooltip: String,
}

/// A category's label under the plot, centred on its bars.
#[derive(Clone, Debug, PartialEq)]
pub struct CategoryLabel {
    pub x: i64,
    pub y: i64,
    pub text: String,
}

/// Everything one chart shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Drawing {
    pub width: i64,
    pub height: i64,
    pub grid: Vec<GridLine>,
    pub bars: Vec<DrawnBar>,
    pub categories: Vec<CategoryLabel>,
    /// Series labels, in colour order.
    pub legend: Vec<String>,
    /// The values as a table: a row per category, its label and one cell per series.
    pub rows: Vec<(String, Vec<String>)>,
}

/// Roughly how wide a value label is in SVG units at the charts' font size: enough to keep the
/// longest label (`23 h 59 min`, `12,500`) inside the drawing.
const UNITS_PER_CHAR: f64 = 6.5;
/// At most this many category labels under the plot; beyond it every n-th, so none overlap.
const MAX_CATEGORY_LABELS: usize = 12;

/// Whole SVG units: the drawing needs no finer grain.
fn units(v: f64) -> i64 {
    v.round() as i64
}

impl Drawing {
    /// The drawing of `data`: `key` turns a category key into its label, `value` formats a value
    /// (a count, a duration). The plot's left margin grows to fit the widest value label.
    pub fn new(
        data: &Grouped,
        stacked: bool,
        key: &dyn Fn(&str) -> String,
        value: &dyn Fn(f64) -> String,
    ) -> Drawing {
        let first = layout(data, stacked, LEFT);
        let widest = first
            .ticks
            .iter()
            .map(|(v, _)| value(*v).chars().count())
            .max()
            .unwrap_or(0);
        let left = LEFT.max(widest as f64 * UNITS_PER_CHAR + 10.0);
        let plot = if left > LEFT {
            layout(data, stacked, left)
        } else {
            first
        };
        let labels: Vec<String> = data.keys.iter().map(|k| key(k)).collect();
        let plot_right = plot.plot.x + plot.plot.width;
        let grid = plot
            .ticks
            .iter()
            .map(|(v, y)| GridLine {
                y: units(*y),
                x1: units(plot.plot.x),
                x2: units(plot_right),
                label: value(*v),
                label_x: units(plot.plot.x) - 6,
            })
            .collect();
        let bars = plot
            .bars
            .iter()
            .filter(|b| b.rect.height > 0.0)
            .map(|b| DrawnBar {
                series: b.series % 4,
                x: units(b.rect.x),
                y: units(b.rect.y),
                width: units(b.rect.width).max(1),
                height: units(b.rect.height).max(1),
                tooltip: format!(
                    "{} · {}: {}",
                    labels[b.category],
                    data.series[b.series].label,
                    value(b.value)
                ),
            })
            .collect();
        let every = labels.len().div_ceil(MAX_CATEGORY_LABELS).max(1);
        let categories = plot
            .centres
            .iter()
            .zip(&labels)
            .step_by(every)
            .map(|(x, text)| CategoryLabel {
                x: units(*x),
                y: units(HEIGHT) - 14,
                text: text.clone(),
            })
            .collect();
        let rows = labels
            .iter()
            .enumerate()
            .map(|(c, label)| {
                let cells = data
                    .series
                    .iter()
                    .map(|s| value(s.values.get(c).copied().unwrap_or(0.0)))
                    .collect();
                (label.clone(), cells)
            })
            .collect();
        Drawing {
            width: units(WIDTH),
            height: units(HEIGHT),
            grid,
            bars,
            categories,
            legend: data.series.iter().map(|s| s.label.clone()).collect(),
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Series;

    fn data(keys: &[&str], values: &[f64]) -> Grouped {
        Grouped {
            keys: keys.iter().map(|k| k.to_string()).collect(),
            series: vec![Series {
                label: "Tasks <all>".into(),
                values: values.to_vec(),
            }],
        }
    }

    fn count(v: f64) -> String {
        (v as u64).to_string()
    }

    #[test]
    fn one_bar_per_value_above_zero_with_its_tooltip() {
        let d = Drawing::new(
            &data(&["a", "b", "c"], &[2.0, 0.0, 5.0]),
            false,
            &|k| k.to_uppercase(),
            &count,
        );
        assert_eq!(d.bars.len(), 2);
        assert_eq!(d.bars[0].tooltip, "A · Tasks <all>: 2");
        assert_eq!(d.bars[1].tooltip, "C · Tasks <all>: 5");
        assert!(d.bars[1].height > d.bars[0].height);
        assert_eq!(d.legend, ["Tasks <all>"]);
    }

    #[test]
    fn every_value_is_in_the_table_also_zero() {
        let d = Drawing::new(
            &data(&["a", "b"], &[3.0, 0.0]),
            false,
            &|k| k.into(),
            &count,
        );
        assert_eq!(
            d.rows,
            [
                ("a".to_string(), vec!["3".to_string()]),
                ("b".to_string(), vec!["0".to_string()])
            ]
        );
    }

    #[test]
    fn the_left_margin_fits_the_widest_value_label() {
        let long = |v: f64| format!("{} h 20 min", v as u64);
        let narrow = Drawing::new(&data(&["a"], &[9.0]), false, &|k| k.into(), &count);
        let wide = Drawing::new(&data(&["a"], &[9.0]), false, &|k| k.into(), &long);
        let label_room = |d: &Drawing| d.grid[0].label_x;
        let widest = wide.grid.iter().map(|g| g.label.len()).max().unwrap() as f64;
        assert!(
            label_room(&wide) as f64 >= widest * UNITS_PER_CHAR,
            "{wide:?}"
        );
        assert!(label_room(&wide) > label_room(&narrow));
        assert!(wide.bars[0].x > narrow.bars[0].x, "the plot moves right");
        assert!(wide.bars[0].x + wide.bars[0].width <= wide.width);
    }

    #[test]
    fn category_labels_thin_out_so_they_never_overlap() {
        let keys: Vec<String> = (0..30).map(|i| i.to_string()).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let d = Drawing::new(&data(&keys, &[1.0; 30]), false, &|k| k.into(), &count);
        assert!(d.categories.len() <= MAX_CATEGORY_LABELS);
        assert_eq!(d.categories[0].text, "0");
        assert_eq!(d.categories[1].text, "3");
        assert_eq!(d.rows.len(), 30, "the table keeps every category");
    }
}

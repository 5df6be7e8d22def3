//! A chart as one `<figure>` of markup: the SVG image (`role="img"`, a title and a description),
//! its legend, and its values as a table. Written as text and set as the container's HTML, so the
//! wasm carries no per-element view code for the dozen SVG and figure elements; every text that
//! comes from the API is escaped here.

use super::{Grouped, HEIGHT, WIDTH, layout};

/// What a chart says about itself and how its keys and values read.
pub struct Figure<'a> {
    /// Unique on the page: the SVG's title and description are referred to by id.
    pub id: u32,
    pub title: &'a str,
    pub description: &'a str,
    pub data: &'a Grouped,
    pub stacked: bool,
    pub key: &'a dyn Fn(&str) -> String,
    pub value: &'a dyn Fn(f64) -> String,
}

/// `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole number of SVG units (the drawing needs no finer grain, and the wasm no float printer).
fn units(v: f64) -> i64 {
    (v + 0.5).floor() as i64
}

impl Figure<'_> {
    pub fn html(&self) -> String {
        let f = self;
        let plot = layout(f.data, f.stacked);
        let labels: Vec<String> = f.data.keys.iter().map(|k| escape(&(f.key)(k))).collect();
        let series: Vec<String> = f.data.series.iter().map(|s| escape(&s.label)).collect();
        let (title, id) = (escape(f.title), f.id);
        let mut out = format!(
            "<figure class=\"chart\" data-testid=\"chart\"><svg viewBox=\"0 0 {} {}\" role=\"img\" \
             aria-labelledby=\"chart{id}-title\" aria-describedby=\"chart{id}-desc\">\
             <title id=\"chart{id}-title\">{title}</title><desc id=\"chart{id}-desc\">{}</desc>",
            units(WIDTH),
            units(HEIGHT),
            escape(f.description)
        );
        for (value, y) in &plot.ticks {
            let (x, y) = (units(plot.plot.x), units(*y));
            out += &format!(
                "<line class=\"grid\" x1=\"{x}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\"></line>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                units(plot.plot.x + plot.plot.width),
                x - 6,
                y + 4,
                escape(&(f.value)(*value))
            );
        }
        for bar in plot.bars.iter().filter(|b| b.rect.height > 0.0) {
            let r = bar.rect;
            out += &format!(
                "<rect class=\"s{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{} · {}: {}</title></rect>",
                bar.series % 4,
                units(r.x),
                units(r.y),
                units(r.width).max(1),
                units(r.height).max(1),
                labels[bar.category],
                series[bar.series],
                escape(&(f.value)(bar.value))
            );
        }
        // Every label when they fit, else every n-th, so they never overlap.
        let every = labels.len().div_ceil(12).max(1);
        for (i, x) in plot
            .centres
            .iter()
            .enumerate()
            .filter(|(i, _)| i % every == 0)
        {
            out += &format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                units(*x),
                units(HEIGHT) - 14,
                labels[i]
            );
        }
        out += &format!("</svg><figcaption><strong>{title}</strong><ul class=\"legend\">");
        for (s, label) in series.iter().enumerate() {
            out += &format!("<li><span class=\"swatch s{}\"></span>{label}</li>", s % 4);
        }
        out += "</ul></figcaption><details><summary>Values as a table</summary>\
                <table class=\"data\"><thead><tr><th scope=\"col\">—</th>";
        for label in &series {
            out += &format!("<th scope=\"col\">{label}</th>");
        }
        out += "</tr></thead><tbody>";
        for (c, label) in labels.iter().enumerate() {
            out += &format!("<tr><th scope=\"row\">{label}</th>");
            for s in &f.data.series {
                let v = s.values.get(c).copied().unwrap_or(0.0);
                out += &format!("<td>{}</td>", escape(&(f.value)(v)));
            }
            out += "</tr>";
        }
        out += "</tbody></table></details></figure>";
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Series;

    fn figure_of(keys: &[&str], values: &[f64]) -> String {
        let data = Grouped {
            keys: keys.iter().map(|k| k.to_string()).collect(),
            series: vec![Series {
                label: "Tasks <all>".into(),
                values: values.to_vec(),
            }],
        };
        Figure {
            id: 7,
            title: "Tasks & more",
            description: "Per \"channel\".",
            data: &data,
            stacked: false,
            key: &|k| k.to_uppercase(),
            value: &|v| (v as u64).to_string(),
        }
        .html()
    }

    #[test]
    fn the_image_is_named_and_described_for_assistive_technology() {
        let html = figure_of(&["chat"], &[3.0]);
        assert!(html.contains(
            "role=\"img\" aria-labelledby=\"chart7-title\" aria-describedby=\"chart7-desc\""
        ));
        assert!(html.contains("<title id=\"chart7-title\">Tasks &amp; more</title>"));
        assert!(html.contains("<desc id=\"chart7-desc\">Per &quot;channel&quot;.</desc>"));
        assert!(html.contains("<summary>Values as a table</summary>"));
        assert!(html.contains("<tr><th scope=\"row\">CHAT</th><td>3</td></tr>"));
    }

    #[test]
    fn text_from_the_api_is_escaped_everywhere() {
        let html = figure_of(&["<img src=x onerror=alert(1)>"], &[1.0]);
        assert!(!html.contains("<img") && !html.contains("<IMG"), "{html}");
        assert!(html.contains("&lt;IMG SRC=X ONERROR=ALERT(1)&gt;"));
        assert!(html.contains("Tasks &lt;all&gt;"));
        assert_eq!(escape("a'b\"c&<>"), "a&#39;b&quot;c&amp;&lt;&gt;");
    }

    #[test]
    fn one_bar_per_value_above_zero_in_whole_units() {
        let html = figure_of(&["a", "b", "c"], &[2.0, 0.0, 5.0]);
        assert_eq!(html.matches("<rect ").count(), 2);
        let svg = &html[..html.find("</svg>").unwrap()];
        let numbers: Vec<&str> = svg
            .split('"')
            .filter(|part| part.starts_with(|c: char| c.is_ascii_digit() || c == '-'))
            .collect();
        assert!(!numbers.is_empty());
        assert!(
            numbers
                .iter()
                .all(|n| n.parse::<i64>().is_ok() || n.contains(' ')),
            "{numbers:?}"
        );
        assert_eq!(
            html.matches("<tr><th scope=\"row\">").count(),
            3,
            "every value in the table"
        );
    }
}

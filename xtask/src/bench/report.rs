//! The bench's one table (Markdown, pasted into the README) and its JSON twin.

use serde_json::{Value, json};

use super::stats::Summary;

/// One line of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub measure: String,
    /// The median, or the single figure when a measure is taken once.
    pub value: String,
    /// `min – max`, or empty when there is one sample.
    pub range: String,
    pub detail: String,
}

impl Row {
    pub fn single(
        measure: impl Into<String>,
        value: impl Into<String>,
        detail: impl Into<String>,
    ) -> Row {
        Row {
            measure: measure.into(),
            value: value.into(),
            range: String::new(),
            detail: detail.into(),
        }
    }

    /// A median with its range, each figure rendered by `unit`.
    pub fn summary(
        measure: impl Into<String>,
        summary: &Summary,
        unit: fn(f64) -> String,
        detail: impl Into<String>,
    ) -> Row {
        Row {
            measure: measure.into(),
            value: unit(summary.median),
            range: format!("{} – {}", unit(summary.min), unit(summary.max)),
            detail: detail.into(),
        }
    }
}

/// What one section produced.
#[derive(Debug)]
pub enum Status {
    Ok,
    /// Measured, but a budget was exceeded: the message names what grew.
    OverBudget(String),
    /// Measured, but a figure missed the target the project set for it (the message says which).
    MissedTarget(String),
    Failed(String),
    Skipped,
}

impl Status {
    /// A measuring section's verdict: failed when something could not be measured, else missed
    /// when a figure is over its target, else ok.
    pub fn from_findings(problems: &[String], missed: &[String]) -> Status {
        if !problems.is_empty() {
            Status::Failed(problems.join("; "))
        } else if !missed.is_empty() {
            Status::MissedTarget(missed.join("; "))
        } else {
            Status::Ok
        }
    }
}

#[derive(Debug)]
pub struct Section {
    pub name: &'static str,
    pub status: Status,
    pub rows: Vec<Row>,
    /// The section's raw figures for report.json.
    pub data: Value,
}

impl Section {
    pub fn ok(name: &'static str, rows: Vec<Row>, data: Value) -> Section {
        Section {
            name,
            status: Status::Ok,
            rows,
            data,
        }
    }

    pub fn failed(name: &'static str, error: impl Into<String>) -> Section {
        Section {
            name,
            status: Status::Failed(error.into()),
            rows: Vec::new(),
            data: Value::Null,
        }
    }

    pub fn skipped(name: &'static str) -> Section {
        Section {
            name,
            status: Status::Skipped,
            rows: Vec::new(),
            data: Value::Null,
        }
    }

    pub fn status_word(&self) -> &'static str {
        match self.status {
            Status::Ok => "ok",
            Status::OverBudget(_) => "over budget",
            Status::MissedTarget(_) => "missed its target",
            Status::Failed(_) => "failed",
            Status::Skipped => "skipped",
        }
    }

    pub fn problem(&self) -> Option<&str> {
        match &self.status {
            Status::OverBudget(message)
            | Status::MissedTarget(message)
            | Status::Failed(message) => Some(message),
            Status::Ok | Status::Skipped => None,
        }
    }
}

/// `| section | measure | median | min – max | detail |`, one row per figure; a failed section
/// shows one FAILED row with the first line of its error, so the table never silently shrinks.
pub fn markdown(sections: &[Section]) -> String {
    let mut out = String::from(
        "| section | measure | median | min – max | detail |\n|---|---|---:|---:|---|\n",
    );
    for section in sections {
        let mut rows: Vec<Row> = section.rows.clone();
        match &section.status {
            Status::Failed(error) => rows.push(Row::single("**FAILED**", "–", first_line(error))),
            Status::OverBudget(message) => {
                rows.push(Row::single("**OVER BUDGET**", "–", first_line(message)))
            }
            Status::MissedTarget(message) => {
                rows.push(Row::single("**MISSED TARGET**", "–", first_line(message)))
            }
            Status::Skipped => rows.push(Row::single("skipped", "–", "not selected with --only")),
            Status::Ok => {}
        }
        for row in rows {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                section.name,
                cell(&row.measure),
                cell(&row.value),
                cell(&row.range),
                cell(&row.detail)
            ));
        }
    }
    out
}

/// report.json: when and where it was measured, each section's status and figures, and the table.
pub fn json_report(sections: &[Section], table: &str, context: Value) -> Value {
    let mut by_name = serde_json::Map::new();
    for section in sections {
        by_name.insert(
            section.name.to_string(),
            json!({
                "status": section.status_word(),
                "problem": section.problem(),
                "data": section.data,
            }),
        );
    }
    json!({"context": context, "sections": by_name, "table_markdown": table})
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// Table cells must not break the Markdown row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn ms(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0} ms")
    } else if value >= 10.0 {
        format!("{value:.1} ms")
    } else {
        format!("{value:.2} ms")
    }
}

/// Bytes as kB (1 kB = 1000 bytes, as budgets are stated).
pub fn kb(bytes: f64) -> String {
    format!("{:.1} kB", bytes / 1000.0)
}

pub fn per_second(value: f64) -> String {
    format!("{value:.0} req/s")
}

/// A figure without a unit (cumulative layout shift).
pub fn plain(value: f64) -> String {
    format!("{value:.3}")
}

pub fn score(value: f64) -> String {
    format!("{value:.0}")
}

pub fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / (1024.0 * 1024.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::stats::summarize;

    #[test]
    fn renders_rows_failures_and_skips() {
        let sections = vec![
            Section::ok(
                "bundle",
                vec![Row::single(
                    "wasm (brotli)",
                    kb(123_456.0),
                    "raw 800.0 kB | gzip",
                )],
                Value::Null,
            ),
            Section {
                name: "sign-in",
                status: Status::Ok,
                rows: vec![Row::summary(
                    "total",
                    &summarize(&[3.0, 1.0, 2.0]).unwrap(),
                    ms,
                    "10 runs",
                )],
                data: Value::Null,
            },
            Section::failed("proxy", "the proxy did not start\nmore detail"),
            Section::skipped("lighthouse"),
        ];
        let table = markdown(&sections);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines[0],
            "| section | measure | median | min – max | detail |"
        );
        assert_eq!(
            lines[2],
            "| bundle | wasm (brotli) | 123.5 kB |  | raw 800.0 kB \\| gzip |"
        );
        assert_eq!(
            lines[3],
            "| sign-in | total | 2.00 ms | 1.00 ms – 3.00 ms | 10 runs |"
        );
        assert_eq!(
            lines[4],
            "| proxy | **FAILED** | – |  | the proxy did not start |"
        );
        assert_eq!(
            lines[5],
            "| lighthouse | skipped | – |  | not selected with --only |"
        );
        assert_eq!(lines.len(), 6);
    }

    #[test]
    fn json_names_each_status() {
        let sections = vec![
            Section::failed("proxy", "boom"),
            Section {
                name: "bundle",
                status: Status::OverBudget("wasm grew".into()),
                rows: vec![],
                data: json!({"total_brotli": 1}),
            },
        ];
        let report = json_report(&sections, "table", json!({"cores": 2}));
        assert_eq!(report["sections"]["proxy"]["status"], "failed");
        assert_eq!(report["sections"]["proxy"]["problem"], "boom");
        assert_eq!(report["sections"]["bundle"]["status"], "over budget");
        assert_eq!(report["sections"]["bundle"]["data"]["total_brotli"], 1);
        assert_eq!(report["table_markdown"], "table");
    }

    #[test]
    fn units() {
        assert_eq!(ms(1.234), "1.23 ms");
        assert_eq!(ms(12.34), "12.3 ms");
        assert_eq!(ms(1234.4), "1234 ms");
        assert_eq!(kb(150_000.0), "150.0 kB");
        assert_eq!(mib(10.0 * 1024.0 * 1024.0), "10.0 MiB");
    }
}

//! The run's results as a CSV to download: one line per row of the file (or entry of an undo),
//! `email,result,reason`, written by [`crate::csv`] (which also guards cells that a spreadsheet
//! would run as formulas: an email or a team name in a reason may start with `=`).

use std::collections::HashMap;

use super::bulk_answer::{Outcome, RowOutcome};
use super::diff::Preview;
use super::undo::UndoPlan;

pub const SUMMARY_HEADER: [&str; 3] = ["email", "result", "reason"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultKind {
    Done,
    Failed,
    OutcomeUnknown,
    /// The user already had what the row asks: nothing written.
    Unchanged,
    /// The row has errors: nothing written.
    Invalid,
    /// Changed, but the run stopped (cancel) before its request was sent.
    NotSent,
    /// An undo entry that was not undone.
    Skipped,
}

impl ResultKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultKind::Done => "done",
            ResultKind::Failed => "failed",
            ResultKind::OutcomeUnknown => "outcome unknown",
            ResultKind::Unchanged => "unchanged",
            ResultKind::Invalid => "invalid",
            ResultKind::NotSent => "not sent",
            ResultKind::Skipped => "skipped",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultLine {
    /// The row (CSV line or journal entry) it is for; lines are listed in this order.
    pub row: usize,
    pub email: String,
    pub result: ResultKind,
    pub reason: String,
}

/// One line per row of a preview: errors, unchanged rows, and the changed rows' outcomes (a
/// changed row without an outcome was not sent).
pub fn result_lines(preview: &Preview, outcomes: &[RowOutcome]) -> Vec<ResultLine> {
    let by_row: HashMap<usize, &RowOutcome> = outcomes.iter().map(|o| (o.row, o)).collect();
    let mut lines: Vec<ResultLine> = Vec::new();
    for error in &preview.errors {
        // Errors come sorted by line: a row's second error joins its first's line.
        match lines.last_mut() {
            Some(last) if last.row == error.line => {
                last.reason = format!("{}; {}", last.reason, error);
            }
            _ => lines.push(ResultLine {
                row: error.line,
                email: error.email.clone(),
                result: ResultKind::Invalid,
                reason: error.to_string(),
            }),
        }
    }
    for diff in &preview.unchanged {
        lines.push(ResultLine {
            row: diff.row,
            email: diff.email.clone(),
            result: ResultKind::Unchanged,
            reason: "already as the row asks; nothing written".to_owned(),
        });
    }
    for diff in &preview.changed {
        let (result, reason) = match by_row.get(&diff.row).map(|o| &o.outcome) {
            Some(Outcome::Done) => (ResultKind::Done, String::new()),
            Some(Outcome::Failed { reason }) => (ResultKind::Failed, reason.clone()),
            Some(Outcome::Unknown { reason }) => (ResultKind::OutcomeUnknown, reason.clone()),
            None => (
                ResultKind::NotSent,
                "the run stopped before this row was sent; nothing written".to_owned(),
            ),
        };
        lines.push(ResultLine {
            row: diff.row,
            email: diff.email.clone(),
            result,
            reason,
        });
    }
    lines.sort_by_key(|line| line.row);
    lines
}

/// [`result_lines`] of an undo, with its skipped entries.
pub fn undo_result_lines(plan: &UndoPlan, outcomes: &[RowOutcome]) -> Vec<ResultLine> {
    let mut lines = result_lines(&plan.preview, outcomes);
    lines.extend(plan.skipped.iter().map(|skipped| ResultLine {
        row: skipped.entry,
        email: skipped.email.clone(),
        result: ResultKind::Skipped,
        reason: skipped.reason.clone(),
    }));
    lines.sort_by_key(|line| line.row);
    lines
}

/// The CSV file of result lines.
pub fn summary_csv(lines: &[ResultLine]) -> String {
    crate::csv::write(
        &SUMMARY_HEADER,
        lines.iter().map(|line| {
            [
                line.email.clone(),
                line.result.as_str().to_owned(),
                line.reason.clone(),
            ]
        }),
    )
}

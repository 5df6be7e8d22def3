//! A row that cannot be applied, with the line and column to fix and why. A row may have several;
//! each is reported, so one pass over the file finds them all.

use std::fmt;

use super::directory::RecordKind;
use super::template::Column;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The 1-based line the row starts on.
    pub line: usize,
    /// The row's email cell as written (trimmed), which the summary CSV lists; may be empty.
    pub email: String,
    /// The 1-based column of the cell at fault; `None` when the row as a whole is.
    pub column_number: Option<usize>,
    /// The template column of that cell, when it is one (a cell past the header's is not).
    pub column: Option<Column>,
    pub kind: RowErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowErrorKind {
    /// The email cell is blank.
    EmptyEmail,
    /// No user has this email.
    UnknownEmail,
    /// Several users have this email (compared case-insensitively).
    AmbiguousEmail { ids: Vec<String> },
    /// No record of this kind has this name.
    UnknownName { kind: RecordKind, name: String },
    /// Several records of this kind share this name (compared case-insensitively).
    AmbiguousName {
        kind: RecordKind,
        name: String,
        ids: Vec<String>,
    },
    /// The same email was on an earlier row; the earlier row is kept.
    DuplicateRow { first_line: usize },
    /// A cell's text is not a value of its column; `expected` says what is.
    InvalidValue {
        value: String,
        expected: &'static str,
    },
    /// More cells than the header has columns.
    TooManyCells { cells: usize, columns: usize },
    /// A team to create, but the row names no site and the user has none to create it in.
    NoSiteForNewTeam { team: String },
}

impl RowError {
    /// The reason alone, without line and column: what the preview shows beside the row.
    pub fn reason(&self) -> String {
        match &self.kind {
            RowErrorKind::EmptyEmail => "the email is empty".to_owned(),
            RowErrorKind::UnknownEmail => {
                format!("no user has the email \"{}\"", self.email)
            }
            RowErrorKind::AmbiguousEmail { ids } => format!(
                "{} users have the email \"{}\" (ids {})",
                ids.len(),
                self.email,
                ids.join(", ")
            ),
            RowErrorKind::UnknownName { kind, name } => {
                format!("no {} is named \"{name}\"", kind.noun())
            }
            RowErrorKind::AmbiguousName { kind, name, ids } => format!(
                "{} {}s are named \"{name}\" (ids {}); rename one of them",
                ids.len(),
                kind.noun(),
                ids.join(", ")
            ),
            RowErrorKind::DuplicateRow { first_line } => format!(
                "\"{}\" is already on line {first_line}; only that row is used",
                self.email
            ),
            RowErrorKind::InvalidValue { value, expected } => {
                format!("\"{value}\" is not valid here; expected {expected}")
            }
            RowErrorKind::TooManyCells { cells, columns } => {
                format!("the row has {cells} cells but the header {columns} columns")
            }
            RowErrorKind::NoSiteForNewTeam { team } => format!(
                "the team \"{team}\" does not exist and is to be created, but neither the row nor the user has a site to create it in; fill in the site column"
            ),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Line {}", self.line)?;
        if let Some(number) = self.column_number {
            write!(f, ", column {number}")?;
        }
        if let Some(column) = self.column {
            write!(f, " ({})", column.header())?;
        }
        write!(f, ": {}", self.reason())
    }
}

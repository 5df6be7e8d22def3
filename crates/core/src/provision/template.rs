//! The provisioning file's columns, its downloadable template, and the reading of a [`Table`]
//! into rows of wanted settings.
//!
//! Columns: `email` (required: it says which user a row is for), then `teams`, `site`,
//! `skill profile`, `desktop profile`, `multimedia profile`, `Contact Center enabled`, each
//! optional and in any order. Headers match case-insensitively after trimming, with runs of
//! spaces taken as one. An unknown or repeated header is refused: a misspelt `skil profile` would
//! otherwise be ignored and the person would believe the profiles were set.
//!
//! Cells:
//! - A column that is absent, and a cell that is blank, mean "leave as is": the file cannot clear
//!   a setting (an agent without a desktop profile cannot sign in, so clearing is left to Control
//!   Hub and to the undo).
//! - `teams` lists team names separated by [`TEAM_SEPARATOR`] (`Sales|Support`); blank parts are
//!   ignored. The list replaces the user's teams. A team name cannot contain `|`.
//! - `Contact Center enabled` is `true`/`false`, `yes`/`no` or `1`/`0`, in any case.
//! - Names are taken as written (trimmed), even when they look like a formula (`=Sales`, `+1`,
//!   `@desk`): the console evaluates nothing, and they are names. The one exception undoes the
//!   guard that [`crate::csv`] adds to such cells: a leading `'` before `=`, `+`, `-`, `@`, a tab or
//!   a carriage return is dropped, so a file the console wrote reads back as the values it held.

use std::fmt;

use super::csv_read::{self, ReadError, Record, Separator, Table};
use super::row_error::{RowError, RowErrorKind};
use super::settings::Field;

/// Between team names in the `teams` cell: not a CSV separator in either dialect, and not a
/// character team names are known to use.
pub const TEAM_SEPARATOR: char = '|';

/// A column of the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Email,
    Setting(Field),
}

impl Column {
    /// In the template's order.
    pub const ALL: [Column; 7] = [
        Column::Email,
        Column::Setting(Field::Teams),
        Column::Setting(Field::Site),
        Column::Setting(Field::SkillProfile),
        Column::Setting(Field::DesktopProfile),
        Column::Setting(Field::MultimediaProfile),
        Column::Setting(Field::ContactCenterEnabled),
    ];

    /// The header as the template writes it.
    pub fn header(self) -> &'static str {
        match self {
            Column::Email => "email",
            Column::Setting(field) => field.label(),
        }
    }

    fn from_header(text: &str) -> Option<Column> {
        let wanted = normalise_header(text);
        Column::ALL
            .into_iter()
            .find(|column| normalise_header(column.header()) == wanted)
    }
}

fn normalise_header(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The template to download: the header and one example row, written by [`crate::csv`].
pub fn template_csv() -> String {
    let example = [
        "agent@example.com",
        "Sales|Support",
        "Main site",
        "Standard skills",
        "Agent desktop",
        "Voice and chat",
        "true",
    ];
    let header: Vec<&str> = Column::ALL.iter().map(|c| c.header()).collect();
    crate::csv::write(&header, [example.map(str::to_owned)])
}

/// What a cell asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellValue {
    /// The `teams` cell's names, in file order, blank parts left out.
    Names(Vec<String>),
    /// A site's or profile's name.
    Name(String),
    Flag(bool),
}

/// A non-blank setting cell of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowCell {
    pub field: Field,
    /// 1-based.
    pub column_number: usize,
    pub value: CellValue,
}

/// One data row: its email, the settings it asks for, and what is wrong with its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    /// Trimmed; may be empty or invalid, in which case `errors` says so.
    pub email: String,
    pub email_column: usize,
    /// Only the non-blank, valid cells, in file order.
    pub cells: Vec<RowCell>,
    pub errors: Vec<RowError>,
}

/// A file read into rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub separator: Separator,
    /// The header's columns in file order.
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// Why a file's header (or lack of rows) was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    UnknownColumn {
        column_number: usize,
        name: String,
    },
    UnnamedColumn {
        column_number: usize,
    },
    RepeatedColumn {
        column: Column,
        first: usize,
        second: usize,
    },
    MissingEmailColumn,
    /// A header and no row.
    NoRows,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known = Column::ALL.map(Column::header).join(", ");
        match self {
            TemplateError::UnknownColumn {
                column_number,
                name,
            } => write!(
                f,
                "Column {column_number} of the header, \"{}\", is not a column of the template. The columns are: {known}.",
                name.trim()
            ),
            TemplateError::UnnamedColumn { column_number } => write!(
                f,
                "Column {column_number} of the header is blank. Name it (the columns are: {known}) or delete the column."
            ),
            TemplateError::RepeatedColumn {
                column,
                first,
                second,
            } => write!(
                f,
                "The header has \"{}\" twice (columns {first} and {second}). Keep one of them.",
                column.header()
            ),
            TemplateError::MissingEmailColumn => write!(
                f,
                "The header has no \"email\" column, which says which user each row is for. The columns are: {known}."
            ),
            TemplateError::NoRows => write!(
                f,
                "The file has a header but no rows. Add one row per user below the header."
            ),
        }
    }
}

/// Why an upload was refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadError {
    Read(ReadError),
    Template(TemplateError),
}

impl fmt::Display for UploadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UploadError::Read(e) => e.fmt(f),
            UploadError::Template(e) => e.fmt(f),
        }
    }
}

/// Reads the bytes of an upload (or of pasted text) into rows: [`csv_read::read`] then [`rows`].
pub fn read_upload(bytes: &[u8]) -> Result<Upload, UploadError> {
    let table = csv_read::read(bytes).map_err(UploadError::Read)?;
    rows(&table).map_err(UploadError::Template)
}

/// Reads a table's header and rows. Problems of single cells become the rows' `errors`.
pub fn rows(table: &Table) -> Result<Upload, TemplateError> {
    let columns = header_columns(&table.header)?;
    if table.rows.is_empty() {
        return Err(TemplateError::NoRows);
    }
    Ok(Upload {
        separator: table.separator,
        rows: table.rows.iter().map(|r| read_row(&columns, r)).collect(),
        columns,
    })
}

fn header_columns(header: &Record) -> Result<Vec<Column>, TemplateError> {
    let mut columns: Vec<Column> = Vec::new();
    for (i, name) in header.cells.iter().enumerate() {
        let column_number = i + 1;
        if name.trim().is_empty() {
            return Err(TemplateError::UnnamedColumn { column_number });
        }
        let column = Column::from_header(name).ok_or_else(|| TemplateError::UnknownColumn {
            column_number,
            name: name.clone(),
        })?;
        if let Some(first) = columns.iter().position(|c| *c == column) {
            return Err(TemplateError::RepeatedColumn {
                column,
                first: first + 1,
                second: column_number,
            });
        }
        columns.push(column);
    }
    if !columns.contains(&Column::Email) {
        return Err(TemplateError::MissingEmailColumn);
    }
    Ok(columns)
}

/// A cell's text as a value: trimmed, with [`crate::csv`]'s formula guard taken off.
fn cell_text(raw: &str) -> &str {
    let text = raw.trim();
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

/// A plausible address: something on each side of the last `@`, no spaces. Anything else cannot
/// be a user's email, and saying "not an email" helps more than "no user has it".
fn looks_like_email(text: &str) -> bool {
    match text.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && !domain.is_empty() && !text.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn parse_flag(text: &str) -> Option<bool> {
    match text.to_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

fn read_row(columns: &[Column], record: &Record) -> Row {
    let email_at = columns
        .iter()
        .position(|c| *c == Column::Email)
        .unwrap_or(0);
    let email = cell_text(record.cells.get(email_at).map_or("", String::as_str)).to_owned();
    let mut row = Row {
        line: record.line,
        email,
        email_column: email_at + 1,
        cells: Vec::new(),
        errors: Vec::new(),
    };
    let error = |row: &Row, column_number, column, kind| RowError {
        line: row.line,
        email: row.email.clone(),
        column_number,
        column,
        kind,
    };
    if record.cells.len() > columns.len() {
        let kind = RowErrorKind::TooManyCells {
            cells: record.cells.len(),
            columns: columns.len(),
        };
        row.errors
            .push(error(&row, Some(columns.len() + 1), None, kind));
    }
    if row.email.is_empty() {
        let e = error(
            &row,
            Some(row.email_column),
            Some(Column::Email),
            RowErrorKind::EmptyEmail,
        );
        row.errors.push(e);
    } else if !looks_like_email(&row.email) {
        let kind = RowErrorKind::InvalidValue {
            value: row.email.clone(),
            expected: "an email address",
        };
        let e = error(&row, Some(row.email_column), Some(Column::Email), kind);
        row.errors.push(e);
    }
    for (i, column) in columns.iter().enumerate() {
        let Column::Setting(field) = *column else {
            continue;
        };
        // Cells missing at the end of a short row are blank: "leave as is".
        let text = cell_text(record.cells.get(i).map_or("", String::as_str));
        if text.is_empty() {
            continue;
        }
        let value = match field {
            Field::Teams => {
                let names: Vec<String> = text
                    .split(TEAM_SEPARATOR)
                    .map(str::trim)
                    .filter(|name| !name.is_empty())
                    .map(str::to_owned)
                    .collect();
                if names.is_empty() {
                    continue;
                }
                CellValue::Names(names)
            }
            Field::ContactCenterEnabled => match parse_flag(text) {
                Some(flag) => CellValue::Flag(flag),
                None => {
                    let kind = RowErrorKind::InvalidValue {
                        value: text.to_owned(),
                        expected: "true, false, yes, no, 1 or 0",
                    };
                    let e = error(&row, Some(i + 1), Some(*column), kind);
                    row.errors.push(e);
                    continue;
                }
            },
            _ => CellValue::Name(text.to_owned()),
        };
        row.cells.push(RowCell {
            field,
            column_number: i + 1,
            value,
        });
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formula_guard_comes_off_but_formula_like_names_stay() {
        assert_eq!(cell_text(" '=Sales "), "=Sales");
        assert_eq!(cell_text("'@desk"), "@desk");
        assert_eq!(cell_text("=Sales"), "=Sales");
        assert_eq!(cell_text("'quoted'"), "'quoted'");
        assert_eq!(cell_text("O'Brien"), "O'Brien");
    }

    #[test]
    fn emails_need_something_on_each_side_of_the_at() {
        assert!(looks_like_email("a@b"));
        assert!(looks_like_email("\"odd@local\"@example.com"));
        assert!(!looks_like_email("a@"));
        assert!(!looks_like_email("@b"));
        assert!(!looks_like_email("a b@c"));
        assert!(!looks_like_email("ab"));
    }

    #[test]
    fn flags_take_three_spellings_each_in_any_case() {
        for yes in ["true", "TRUE", "Yes", "1"] {
            assert_eq!(parse_flag(yes), Some(true), "{yes}");
        }
        for no in ["false", "No", "0", "FALSE"] {
            assert_eq!(parse_flag(no), Some(false), "{no}");
        }
        for bad in ["y", "2", "on", "tru"] {
            assert_eq!(parse_flag(bad), None, "{bad}");
        }
    }

    #[test]
    fn headers_ignore_case_outer_and_repeated_spaces() {
        assert_eq!(
            Column::from_header("  contact   CENTER enabled "),
            Some(Column::Setting(Field::ContactCenterEnabled))
        );
        assert_eq!(Column::from_header("Email"), Some(Column::Email));
        assert_eq!(Column::from_header("skills"), None);
    }
}

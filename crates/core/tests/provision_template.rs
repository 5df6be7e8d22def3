//! The template's columns and cells: headers, the teams list, the Contact Center flag, formula-like
//! names, and the downloadable template itself.

mod provision_common;

use provision_common::HEADER;
use wxcc_core::provision::csv_read::Separator;
use wxcc_core::provision::row_error::RowErrorKind;
use wxcc_core::provision::settings::Field;
use wxcc_core::provision::template::{
    CellValue, Column, Row, TEAM_SEPARATOR, TemplateError, UploadError, read_upload, template_csv,
};

fn rows(text: &str) -> Vec<Row> {
    read_upload(text.as_bytes()).expect("the file is read").rows
}

fn template_error(text: &str) -> TemplateError {
    match read_upload(text.as_bytes()) {
        Err(UploadError::Template(e)) => e,
        other => panic!("expected a template error, got {other:?}"),
    }
}

fn value(row: &Row, field: Field) -> Option<&CellValue> {
    row.cells
        .iter()
        .find(|c| c.field == field)
        .map(|c| &c.value)
}

#[test]
fn the_template_has_every_column_and_an_example_row_that_reads_back() {
    let text = template_csv();
    assert_eq!(
        text,
        format!(
            "{HEADER}\r\nagent@example.com,Sales|Support,Main site,Standard skills,Agent desktop,Voice and chat,true\r\n"
        )
    );
    let upload = read_upload(text.as_bytes()).unwrap();
    assert_eq!(upload.columns, Column::ALL);
    let row = &upload.rows[0];
    assert!(row.errors.is_empty(), "{:?}", row.errors);
    assert_eq!(row.email, "agent@example.com");
    assert_eq!(
        value(row, Field::Teams),
        Some(&CellValue::Names(vec!["Sales".into(), "Support".into()]))
    );
    assert_eq!(
        value(row, Field::DesktopProfile),
        Some(&CellValue::Name("Agent desktop".into()))
    );
    assert_eq!(
        value(row, Field::ContactCenterEnabled),
        Some(&CellValue::Flag(true))
    );
    assert_eq!(row.cells.len(), 6);
}

#[test]
fn headers_match_in_any_case_and_order_with_spaces_trimmed() {
    let upload = read_upload(
        " Contact center ENABLED ; EMAIL;Desktop  Profile\nno;ann@example.com;Agent desktop\n"
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(upload.separator, Separator::Semicolon);
    assert_eq!(
        upload.columns,
        [
            Column::Setting(Field::ContactCenterEnabled),
            Column::Email,
            Column::Setting(Field::DesktopProfile)
        ]
    );
    let row = &upload.rows[0];
    assert_eq!(row.email, "ann@example.com");
    assert_eq!(row.email_column, 2);
    assert_eq!(
        value(row, Field::ContactCenterEnabled),
        Some(&CellValue::Flag(false))
    );
    // Absent columns ask for nothing.
    assert_eq!(value(row, Field::Site), None);
}

#[test]
fn an_unknown_column_is_refused_naming_it_and_the_known_ones() {
    let error = template_error("email,teams,skil profile\na@example.com,,\n");
    assert_eq!(
        error,
        TemplateError::UnknownColumn {
            column_number: 3,
            name: "skil profile".into()
        }
    );
    let message = error.to_string();
    assert!(message.contains("Column 3"), "{message}");
    assert!(message.contains("\"skil profile\""), "{message}");
    assert!(
        message.contains("skill profile, desktop profile"),
        "{message}"
    );
}

#[test]
fn a_missing_email_column_is_refused() {
    let error = template_error("teams,site\nSales,Main site\n");
    assert_eq!(error, TemplateError::MissingEmailColumn);
    assert!(error.to_string().contains("no \"email\" column"));
}

#[test]
fn a_repeated_or_blank_header_is_refused() {
    assert_eq!(
        template_error("email,site,Site\na@example.com,x,y\n"),
        TemplateError::RepeatedColumn {
            column: Column::Setting(Field::Site),
            first: 2,
            second: 3
        }
    );
    assert_eq!(
        template_error("email,,site\na@example.com,x,y\n"),
        TemplateError::UnnamedColumn { column_number: 2 }
    );
}

#[test]
fn a_header_without_rows_is_refused() {
    let error = template_error(&format!("{HEADER}\r\n\r\n,,,,,,\r\n"));
    assert_eq!(error, TemplateError::NoRows);
    assert!(error.to_string().contains("no rows"));
}

#[test]
fn the_teams_cell_splits_on_the_bar_and_drops_blank_names() {
    assert_eq!(TEAM_SEPARATOR, '|');
    let rows = rows("email,teams\na@example.com, Sales | |Night shift|\nb@example.com, | \n");
    assert_eq!(
        value(&rows[0], Field::Teams),
        Some(&CellValue::Names(vec![
            "Sales".into(),
            "Night shift".into()
        ]))
    );
    // Only bars: nothing asked, as for a blank cell.
    assert_eq!(value(&rows[1], Field::Teams), None);
    assert!(rows[1].errors.is_empty());
}

#[test]
fn the_contact_center_flag_takes_true_false_yes_no_1_0_and_nothing_else() {
    let text = "email,Contact Center enabled\n\
                a@example.com,YES\nb@example.com,0\nc@example.com,False\nd@example.com,maybe\n";
    let rows = rows(text);
    let flags: Vec<_> = rows
        .iter()
        .map(|r| value(r, Field::ContactCenterEnabled).cloned())
        .collect();
    assert_eq!(
        flags,
        [
            Some(CellValue::Flag(true)),
            Some(CellValue::Flag(false)),
            Some(CellValue::Flag(false)),
            None
        ]
    );
    let error = &rows[3].errors[0];
    assert_eq!((error.line, error.column_number), (5, Some(2)));
    assert_eq!(
        error.kind,
        RowErrorKind::InvalidValue {
            value: "maybe".into(),
            expected: "true, false, yes, no, 1 or 0"
        }
    );
    assert_eq!(
        error.to_string(),
        "Line 5, column 2 (Contact Center enabled): \"maybe\" is not valid here; expected true, false, yes, no, 1 or 0"
    );
}

#[test]
fn formula_like_names_are_plain_names_and_the_export_guard_comes_off() {
    let rows = rows("email,teams,site\na@example.com,=SUM(A1)|@desk,'=Main\n");
    assert_eq!(
        value(&rows[0], Field::Teams),
        Some(&CellValue::Names(vec!["=SUM(A1)".into(), "@desk".into()]))
    );
    assert_eq!(
        value(&rows[0], Field::Site),
        Some(&CellValue::Name("=Main".into()))
    );
}

#[test]
fn an_empty_or_malformed_email_is_an_error_of_its_cell() {
    let rows = rows("teams,email\nSales,\nSales,not-an-email\n");
    let first = &rows[0].errors[0];
    assert_eq!(
        (first.line, first.column_number, first.column),
        (2, Some(2), Some(Column::Email))
    );
    assert_eq!(first.kind, RowErrorKind::EmptyEmail);
    let second = &rows[1].errors[0];
    assert_eq!((second.line, second.column_number), (3, Some(2)));
    assert_eq!(
        second.kind,
        RowErrorKind::InvalidValue {
            value: "not-an-email".into(),
            expected: "an email address"
        }
    );
}

#[test]
fn extra_cells_are_an_error_and_missing_ones_are_blank() {
    let rows = rows("email,teams,site\na@example.com,Sales,Main site,oops\nb@example.com\n");
    let error = &rows[0].errors[0];
    assert_eq!(
        (error.line, error.column_number, error.column),
        (2, Some(4), None)
    );
    assert_eq!(
        error.kind,
        RowErrorKind::TooManyCells {
            cells: 4,
            columns: 3
        }
    );
    // The row's other cells are still read, so all its errors show at once.
    assert_eq!(rows[0].cells.len(), 2);
    assert!(rows[1].errors.is_empty());
    assert!(rows[1].cells.is_empty());
}

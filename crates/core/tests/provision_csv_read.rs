//! The CSV reader against a corpus of hostile files: byte order marks, other encodings, mixed
//! separators, broken quoting, the limits, and the shapes spreadsheets write.

use wxcc_core::provision::csv_read::{
    MAX_BYTES, MAX_DATA_ROWS, ReadError, Record, Separator, Table, read,
};

fn cells(table: &Table) -> Vec<Vec<&str>> {
    table
        .rows
        .iter()
        .map(|r| r.cells.iter().map(String::as_str).collect())
        .collect()
}

fn lines(table: &Table) -> Vec<usize> {
    table.rows.iter().map(|r| r.line).collect()
}

#[test]
fn a_utf8_bom_is_dropped_and_the_header_reads_the_same() {
    let plain = read(b"email,teams\r\nann@example.com,Sales\r\n").unwrap();
    let with_bom = read(b"\xEF\xBB\xBFemail,teams\r\nann@example.com,Sales\r\n").unwrap();
    assert_eq!(with_bom, plain);
    assert_eq!(with_bom.header.cells, ["email", "teams"]);
    assert_eq!(with_bom.header.line, 1);
}

#[test]
fn utf16_and_workbooks_are_named_as_such() {
    assert_eq!(read(b"\xFF\xFEe\0m\0"), Err(ReadError::Utf16));
    assert_eq!(read(b"\xFE\xFF\0e\0m"), Err(ReadError::Utf16));
    assert_eq!(read(b"PK\x03\x04\x14\0\x06\0"), Err(ReadError::Workbook));
    assert_eq!(read(b"\xD0\xCF\x11\xE0\xA1\xB1"), Err(ReadError::Workbook));
    for error in [ReadError::Utf16, ReadError::Workbook] {
        assert!(error.to_string().contains("CSV UTF-8"), "{error}");
    }
}

#[test]
fn invalid_utf8_names_the_byte_offset_and_the_line() {
    // "José" in Windows-1252: é is the single byte 0xE9.
    let mut bytes = b"email,teams\r\nann@example.com,Sales\nJos".to_vec();
    let offset = bytes.len();
    bytes.extend(b"\xE9@example.com,Support\n");
    assert_eq!(
        read(&bytes),
        Err(ReadError::InvalidUtf8 { offset, line: 3 })
    );
    let message = read(&bytes).unwrap_err().to_string();
    assert!(message.contains(&format!("offset {offset}")), "{message}");
    assert!(message.contains("line 3"), "{message}");

    // The offset counts the BOM: it is a position in the file as uploaded.
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend(&bytes);
    assert_eq!(
        read(&with_bom),
        Err(ReadError::InvalidUtf8 {
            offset: offset + 3,
            line: 3
        })
    );

    // A multi-byte character cut short at the end, after CR-only line ends.
    let cut = b"email\rann@example.com\r\xC3";
    assert_eq!(
        read(cut),
        Err(ReadError::InvalidUtf8 {
            offset: cut.len() - 1,
            line: 3
        })
    );
}

#[test]
fn the_separator_is_the_one_of_the_header() {
    let semicolons =
        read("email;teams;site\nann@example.com;Sales, EMEA;Main\n".as_bytes()).unwrap();
    assert_eq!(semicolons.separator, Separator::Semicolon);
    // In a semicolon file, a comma is text.
    assert_eq!(
        cells(&semicolons),
        [["ann@example.com", "Sales, EMEA", "Main"]]
    );

    let commas = read(b"email,teams\nann@example.com,Sales; EMEA\n").unwrap();
    assert_eq!(commas.separator, Separator::Comma);
    assert_eq!(cells(&commas), [["ann@example.com", "Sales; EMEA"]]);

    // A separator inside a quoted header cell does not count.
    let quoted = read(b"\"email;x\",teams\na,b\n").unwrap();
    assert_eq!(quoted.separator, Separator::Comma);
    assert_eq!(quoted.header.cells, ["email;x", "teams"]);

    // One column: no separator on the header line at all.
    let single = read(b"email\nann@example.com\n").unwrap();
    assert_eq!(single.separator, Separator::Comma);
    assert_eq!(cells(&single), [["ann@example.com"]]);
}

#[test]
fn a_header_with_both_separators_is_refused() {
    assert_eq!(
        read(b"\n\nemail,teams;site\na,b,c\n"),
        Err(ReadError::HeaderMixesSeparators { line: 3 })
    );
    let message = read(b"email,teams;site\n").unwrap_err().to_string();
    assert!(message.contains("commas and semicolons"), "{message}");
}

#[test]
fn a_line_written_with_the_other_separator_is_refused() {
    let text = b"email,teams,site\nann@example.com,Sales,Main\nbob@example.com;Support;East\n";
    assert_eq!(
        read(text),
        Err(ReadError::MixedSeparators {
            line: 3,
            header: Separator::Comma
        })
    );
    let message = read(text).unwrap_err().to_string();
    assert!(
        message.contains("Line 3 is separated by semicolons but the header by commas"),
        "{message}"
    );

    let semicolon_header = b"email;teams\nann@example.com,Sales\n";
    assert_eq!(
        read(semicolon_header),
        Err(ReadError::MixedSeparators {
            line: 2,
            header: Separator::Semicolon
        })
    );
    // Quoted, the other separator is text again.
    let quoted = read(b"email,teams\n\"ann@example.com;x\"\n").unwrap();
    assert_eq!(cells(&quoted), [["ann@example.com;x"]]);
}

#[test]
fn quoted_fields_hold_separators_quotes_and_line_breaks() {
    let text = "email,teams,site\r\n\
                \"ann@example.com\",\"Sales, EMEA|Support\",\"Main \"\"HQ\"\"\"\r\n\
                bob@example.com,\"Night\r\nshift\",\"two\nlines\"\r\n\
                cat@example.com,,\r\n";
    let table = read(text.as_bytes()).unwrap();
    assert_eq!(
        cells(&table),
        [
            vec!["ann@example.com", "Sales, EMEA|Support", "Main \"HQ\""],
            vec!["bob@example.com", "Night\r\nshift", "two\nlines"],
            vec!["cat@example.com", "", ""],
        ]
    );
    // A record keeps the line it starts on; the next counts the lines inside quotes.
    assert_eq!(lines(&table), [2, 3, 6]);
}

#[test]
fn spaces_around_a_quoted_field_are_ignored_and_a_stray_quote_is_text() {
    let table = read(b"email,teams\n  \"ann@example.com\"  , 5\" display \n").unwrap();
    assert_eq!(cells(&table), [["ann@example.com", " 5\" display "]]);
}

#[test]
fn an_unbalanced_quote_names_the_line_where_its_field_opens() {
    let text = b"email,teams\nann@example.com,\"two\nlines\"\nbob@example.com,\"Sales\ncat@example.com,Support\n";
    assert_eq!(
        read(text),
        Err(ReadError::UnclosedQuote { line: 4, column: 2 })
    );
    let message = read(text).unwrap_err().to_string();
    assert!(message.starts_with("Line 4, column 2:"), "{message}");

    assert_eq!(
        read(b"\"email"),
        Err(ReadError::UnclosedQuote { line: 1, column: 1 })
    );
}

#[test]
fn text_after_a_closing_quote_is_refused_with_its_line_and_column() {
    assert_eq!(
        read(b"email,teams\nann@example.com,\"Sales\"x\n"),
        Err(ReadError::TextAfterQuote { line: 2, column: 2 })
    );
    assert_eq!(
        read(b"email,teams\nann@example.com,\"Sa\nles\" \"\n"),
        Err(ReadError::TextAfterQuote { line: 3, column: 2 })
    );
}

#[test]
fn formula_like_cells_are_read_as_the_text_they_are() {
    let table = read(b"email,teams\n=cmd|' /C calc'!A0,+SUM(A1)\n@desk,-2+3\n").unwrap();
    assert_eq!(
        cells(&table),
        [["=cmd|' /C calc'!A0", "+SUM(A1)"], ["@desk", "-2+3"]]
    );
}

fn rows_file(rows: usize) -> Vec<u8> {
    let mut text = String::from("email,teams\r\n");
    for i in 0..rows {
        text.push_str(&format!("user{i}@example.com,Sales\r\n"));
    }
    text.into_bytes()
}

#[test]
fn exactly_the_row_limit_is_read() {
    let table = read(&rows_file(MAX_DATA_ROWS)).unwrap();
    assert_eq!(table.rows.len(), 5_000);
    assert_eq!(table.rows.last().unwrap().line, 5_001);
}

#[test]
fn one_row_past_the_limit_refuses_the_file() {
    let error = read(&rows_file(MAX_DATA_ROWS + 1)).unwrap_err();
    assert_eq!(error, ReadError::TooManyRows { line: 5_002 });
    let message = error.to_string();
    assert!(message.contains("more than 5,000 rows"), "{message}");
    assert!(message.contains("Split it"), "{message}");
}

#[test]
fn blank_lines_count_toward_no_limit() {
    let mut text = String::from("email\n\n");
    for i in 0..MAX_DATA_ROWS {
        text.push_str(&format!("u{i}@example.com\n\n,\n  \n"));
    }
    let table = read(text.as_bytes()).unwrap();
    assert_eq!(table.rows.len(), MAX_DATA_ROWS);
    assert_eq!(table.rows[1].line, 7);
}

#[test]
fn more_than_two_megabytes_is_refused_and_exactly_two_is_read() {
    let mut exact = b"email,teams\n".to_vec();
    let row = format!("ann@example.com,{}\n", "x".repeat(1_000));
    let mut rows = 0;
    while exact.len() + row.len() <= MAX_BYTES {
        exact.extend(row.as_bytes());
        rows += 1;
    }
    // Padding to the byte: a last line of spaces, which is blank.
    exact.resize(MAX_BYTES, b' ');
    assert_eq!(exact.len(), 2 * 1024 * 1024);
    let table = read(&exact).unwrap();
    assert_eq!(table.rows.len(), rows);

    exact.push(b'\n');
    let error = read(&exact).unwrap_err();
    assert_eq!(
        error,
        ReadError::TooLarge {
            bytes: MAX_BYTES + 1
        }
    );
    let message = error.to_string();
    assert!(
        message.contains("the limit is 2 MB (2,097,152 bytes)"),
        "{message}"
    );
    assert!(message.contains("Split it"), "{message}");
}

#[test]
fn an_empty_file_is_refused() {
    for empty in [
        &b""[..],
        b"\xEF\xBB\xBF",
        b"\r\n\r\n",
        b"  \n,,,\n;;\n",
        b"\"\"\n",
    ] {
        assert_eq!(read(empty), Err(ReadError::Empty), "{empty:?}");
    }
    assert!(ReadError::Empty.to_string().contains("template"));
}

#[test]
fn a_header_alone_is_a_table_without_rows() {
    let table = read(b"email,teams\r\n").unwrap();
    assert_eq!(
        table.header,
        Record {
            line: 1,
            cells: vec!["email".into(), "teams".into()]
        }
    );
    assert!(table.rows.is_empty());
}

#[test]
fn a_trailing_line_end_changes_nothing() {
    let with = read(b"email,teams\nann@example.com,Sales\n").unwrap();
    let without = read(b"email,teams\nann@example.com,Sales").unwrap();
    assert_eq!(with, without);
    // A trailing separator is a last, empty cell.
    let trailing = read(b"email,teams\nann@example.com,").unwrap();
    assert_eq!(cells(&trailing), [["ann@example.com", ""]]);
}

#[test]
fn crlf_lf_and_cr_line_ends_read_alike() {
    let expected = [vec!["a@x", "1"], vec!["b@x", "2"]];
    for text in [
        &b"e,t\r\na@x,1\r\nb@x,2\r\n"[..],
        b"e,t\na@x,1\nb@x,2\n",
        b"e,t\ra@x,1\rb@x,2\r",
        b"e,t\r\na@x,1\nb@x,2\r",
    ] {
        let table = read(text).unwrap();
        assert_eq!(cells(&table), expected, "{text:?}");
        assert_eq!(lines(&table), [2, 3], "{text:?}");
    }
}

#[test]
fn blank_lines_are_skipped_and_lines_keep_their_numbers() {
    let table =
        read(b"\n\nemail,teams\n\nann@example.com,Sales\n   \n,\nbob@example.com,\n\n").unwrap();
    assert_eq!(table.header.line, 3);
    assert_eq!(lines(&table), [5, 8]);
}

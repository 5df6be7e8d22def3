//! Reads an uploaded or pasted CSV file (bytes as the browser gives them) into records that keep
//! their line numbers, so every later error can name a line and a column.
//!
//! What it accepts, and why:
//! - UTF-8, with or without a byte order mark (Excel's "CSV UTF-8" writes one). Other encodings
//!   are refused rather than guessed: a guessed Windows-1252 "é" would silently become a different
//!   team name. UTF-16 (Excel's "Unicode text") and Excel workbooks get their own message.
//! - A comma or a semicolon as the separator (Excel writes semicolons where the decimal mark is a
//!   comma). The separator is detected from the header line, outside quotes. A header that holds
//!   both is refused. In the data, the other character is ordinary text (a team may be called
//!   "Sales; EMEA"), except that a line holding the other character outside quotes and not one of
//!   the header's is refused as a file mixing separators (when the header has several columns):
//!   that is what a line pasted from another export looks like, and reading it as one long email
//!   would only hide the cause. A line mixing both is read with the header's separator.
//! - RFC 4180 quoting: a field that starts with `"` (spaces before it are ignored) runs to the
//!   next lone `"`, and may hold separators, line breaks and doubled quotes (`""` is one `"`).
//!   Only spaces and tabs may follow the closing quote. A `"` inside an unquoted field is kept as
//!   text (`5" display`), as spreadsheets read it.
//! - CRLF, LF or CR line ends, with or without one after the last line. Blank records (nothing
//!   but whitespace, separators of either kind and quotes, such as the `,,,` spreadsheets leave
//!   below a table) are skipped and count toward no limit but the size.
//!
//! Limits: [`MAX_BYTES`] of file and [`MAX_DATA_ROWS`] rows after the header. A larger file is
//! refused as a whole, never cut short: half an onboarding applied is worse than none.

use std::fmt;

/// The most rows after the header one upload may hold: a bulk run of this size takes minutes at
/// the API's pace, which is as long as anyone should watch a progress bar before a cancel.
pub const MAX_DATA_ROWS: usize = 5_000;

/// The largest file accepted (2 MiB): 5,000 rows of seven cells fit with room to spare (about 420
/// bytes a row), and the whole text is held in memory several times while it is checked.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

/// The character between cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    Comma,
    Semicolon,
}

impl Separator {
    pub fn as_char(self) -> char {
        match self {
            Separator::Comma => ',',
            Separator::Semicolon => ';',
        }
    }

    fn other(self) -> Separator {
        match self {
            Separator::Comma => Separator::Semicolon,
            Separator::Semicolon => Separator::Comma,
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Separator::Comma => "commas",
            Separator::Semicolon => "semicolons",
        }
    }
}

/// One record: its cells as written (unquoted, not trimmed) and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub cells: Vec<String>,
}

/// A whole file: the header record, then the data records in file order (blank ones left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub separator: Separator,
    pub header: Record,
    pub rows: Vec<Record>,
}

/// Why a file was refused as a whole. The messages say what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// No bytes, or only a byte order mark, blank lines and separators.
    Empty,
    /// More than [`MAX_BYTES`].
    TooLarge { bytes: usize },
    /// More than [`MAX_DATA_ROWS`] rows; `line` is where the first row past the limit starts.
    TooManyRows { line: usize },
    /// A UTF-16 byte order mark.
    Utf16,
    /// An Excel workbook (`.xlsx` or `.xls`) instead of its CSV export.
    Workbook,
    /// Bytes that are not UTF-8; `offset` counts bytes from 0 at the file's start (BOM included).
    InvalidUtf8 { offset: usize, line: usize },
    /// A quoted field that never closes; `line` and `column` are where it opens.
    UnclosedQuote { line: usize, column: usize },
    /// Something other than spaces between a closing quote and the end of its cell.
    TextAfterQuote { line: usize, column: usize },
    /// The header line holds both commas and semicolons outside quotes.
    HeaderMixesSeparators { line: usize },
    /// A data line written with the other separator (see the module's notes).
    MixedSeparators { line: usize, header: Separator },
}

/// `5000` → `5,000`: the limits are shown as people write them.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Bytes as megabytes with one decimal, in integer arithmetic (no float printer in the wasm).
fn megabytes(bytes: usize) -> String {
    let tenths = bytes * 10 / (1024 * 1024);
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

const SPLIT_ADVICE: &str =
    "Split it into files of at most 5,000 rows and upload them one after another.";
const SAVE_AS_UTF8: &str =
    "Save it as \"CSV UTF-8\" (Excel: File › Save As › CSV UTF-8) and upload that file.";

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Empty => write!(
                f,
                "The file is empty. It needs a header line (download the template) and at least one row."
            ),
            ReadError::TooLarge { bytes } => write!(
                f,
                "The file is {} ({} bytes); the limit is 2 MB ({} bytes). {SPLIT_ADVICE}",
                megabytes(*bytes),
                thousands(*bytes),
                thousands(MAX_BYTES)
            ),
            ReadError::TooManyRows { line } => write!(
                f,
                "The file has more than {} rows (row {} starts on line {}). {SPLIT_ADVICE}",
                thousands(MAX_DATA_ROWS),
                thousands(MAX_DATA_ROWS + 1),
                thousands(*line)
            ),
            ReadError::Utf16 => write!(f, "The file is UTF-16 text, not UTF-8. {SAVE_AS_UTF8}"),
            ReadError::Workbook => write!(
                f,
                "The file is an Excel workbook, not CSV text. {SAVE_AS_UTF8}"
            ),
            ReadError::InvalidUtf8 { offset, line } => write!(
                f,
                "The file is not UTF-8 text: the byte at offset {} (line {}) is not valid UTF-8. {SAVE_AS_UTF8}",
                thousands(*offset),
                thousands(*line)
            ),
            ReadError::UnclosedQuote { line, column } => write!(
                f,
                "Line {line}, column {column}: a quoted field starts here and is never closed. Add the closing \" (a \" inside the field is written twice: \"\")."
            ),
            ReadError::TextAfterQuote { line, column } => write!(
                f,
                "Line {line}, column {column}: text follows the closing \" of a quoted field. Write a \" inside a quoted field twice (\"\"), or quote the whole cell."
            ),
            ReadError::HeaderMixesSeparators { line } => write!(
                f,
                "Line {line} (the header) holds both commas and semicolons. Separate every cell of the file with the same one."
            ),
            ReadError::MixedSeparators { line, header } => write!(
                f,
                "Line {line} is separated by {} but the header by {}. Separate every cell of the file with the same one.",
                header.other().plural(),
                header.plural()
            ),
        }
    }
}

/// Reads a whole file. See the module's notes for what is accepted.
pub fn read(bytes: &[u8]) -> Result<Table, ReadError> {
    if bytes.len() > MAX_BYTES {
        return Err(ReadError::TooLarge { bytes: bytes.len() });
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ReadError::Utf16);
    }
    // Zip (xlsx) and OLE (xls) signatures.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(ReadError::Workbook);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ReadError::InvalidUtf8 {
        offset: e.valid_up_to(),
        line: line_at(bytes, e.valid_up_to()),
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);

    let separator = detect_separator(text)?;
    let mut parser = Parser {
        text: text.as_bytes(),
        at: 0,
        line: 1,
        separator: separator.as_char() as u8,
        other: separator.other().as_char() as u8,
    };
    let mut header: Option<Record> = None;
    let mut rows = Vec::new();
    while let Some(raw) = parser.next_record(text)? {
        if is_blank(&text[raw.span.clone()]) {
            continue;
        }
        let Some(header) = &header else {
            header = Some(raw.record);
            continue;
        };
        if raw.only_other_separator && header.cells.len() > 1 {
            return Err(ReadError::MixedSeparators {
                line: raw.record.line,
                header: separator,
            });
        }
        if rows.len() == MAX_DATA_ROWS {
            return Err(ReadError::TooManyRows {
                line: raw.record.line,
            });
        }
        rows.push(raw.record);
    }
    let header = header.ok_or(ReadError::Empty)?;
    Ok(Table {
        separator,
        header,
        rows,
    })
}

/// The 1-based line of a byte offset, counting line ends as the parser does (CRLF, LF, CR).
fn line_at(bytes: &[u8], offset: usize) -> usize {
    let before = &bytes[..offset];
    // A CR ending `before` is a line end of its own: the byte after it is the invalid one.
    let breaks = before
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && before.get(i + 1) != Some(&b'\n')))
        .count();
    breaks + 1
}

/// A record that says nothing: only whitespace, separators of either kind and quotes. Decided on
/// the record's text, not its cells, so that it does not depend on the separator (which is
/// detected from the first record that is not blank).
fn is_blank(record_text: &str) -> bool {
    record_text
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, ',' | ';' | '"'))
}

/// The separator of the header, the first record that is not blank: the one of commas and
/// semicolons that occurs outside quotes (a comma when neither does: a file of one column).
fn detect_separator(text: &str) -> Result<Separator, ReadError> {
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    let (mut line, mut header_line, mut record_start) = (1, 1, 0);
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        at += 1;
        match (quoted, b) {
            (_, b'"') => quoted = !quoted,
            (false, b',') => commas += 1,
            (false, b';') => semicolons += 1,
            (_, b'\r' | b'\n') => {
                if b == b'\r' && bytes.get(at) == Some(&b'\n') {
                    at += 1;
                }
                line += 1;
                if !quoted {
                    if !is_blank(&text[record_start..at]) {
                        break;
                    }
                    (commas, semicolons, header_line, record_start) = (0, 0, line, at);
                }
            }
            _ => {}
        }
    }
    match (commas, semicolons) {
        (_, 0) => Ok(Separator::Comma),
        (0, _) => Ok(Separator::Semicolon),
        _ => Err(ReadError::HeaderMixesSeparators { line: header_line }),
    }
}

struct RawRecord {
    record: Record,
    /// Where the record's text lies, line end included.
    span: std::ops::Range<usize>,
    /// The other separator appears outside quotes and the header's separator nowhere.
    only_other_separator: bool,
}

/// Walks the text's bytes: separators, quotes and line ends are ASCII, which never occurs inside
/// a multi-byte UTF-8 sequence, so every cell boundary is a char boundary.
struct Parser<'a> {
    text: &'a [u8],
    at: usize,
    line: usize,
    separator: u8,
    other: u8,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    /// Consumes a line end at `at` if there is one, counting the line.
    fn line_end(&mut self) -> bool {
        match self.peek() {
            Some(b'\r') => {
                self.at += 1;
                if self.peek() == Some(b'\n') {
                    self.at += 1;
                }
            }
            Some(b'\n') => self.at += 1,
            _ => return false,
        }
        self.line += 1;
        true
    }

    fn next_record(&mut self, text: &str) -> Result<Option<RawRecord>, ReadError> {
        if self.at >= self.text.len() {
            return Ok(None);
        }
        let (line, start) = (self.line, self.at);
        let mut cells = Vec::new();
        let mut has_other_separator = false;
        loop {
            let column = cells.len() + 1;
            let mut start = self.at;
            while matches!(self.text.get(start), Some(b' ' | b'\t')) {
                start += 1;
            }
            let cell = if self.text.get(start) == Some(&b'"') {
                self.at = start + 1;
                self.quoted_cell(text, column)?
            } else {
                let cell_start = self.at;
                while let Some(b) = self.peek() {
                    if b == self.separator || b == b'\r' || b == b'\n' {
                        break;
                    }
                    has_other_separator |= b == self.other;
                    self.at += 1;
                }
                text[cell_start..self.at].to_owned()
            };
            cells.push(cell);
            match self.peek() {
                Some(b) if b == self.separator => self.at += 1,
                _ => {
                    self.line_end();
                    break;
                }
            }
        }
        Ok(Some(RawRecord {
            span: start..self.at,
            only_other_separator: has_other_separator && cells.len() == 1,
            record: Record { line, cells },
        }))
    }

    /// From just after an opening quote to the end of the cell (before its separator or line end).
    fn quoted_cell(&mut self, text: &str, column: usize) -> Result<String, ReadError> {
        let opened = ReadError::UnclosedQuote {
            line: self.line,
            column,
        };
        let mut cell = String::new();
        let mut piece_start = self.at;
        loop {
            match self.peek() {
                None => return Err(opened),
                Some(b'"') if self.text.get(self.at + 1) == Some(&b'"') => {
                    cell.push_str(&text[piece_start..=self.at]);
                    self.at += 2;
                    piece_start = self.at;
                }
                Some(b'"') => {
                    cell.push_str(&text[piece_start..self.at]);
                    self.at += 1;
                    break;
                }
                Some(b'\r' | b'\n') => {
                    // Kept in the cell as written; only the line count moves.
                    self.line_end();
                }
                Some(_) => self.at += 1,
            }
        }
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
        match self.peek() {
            None | Some(b'\r' | b'\n') => Ok(cell),
            Some(b) if b == self.separator => Ok(cell),
            Some(_) => Err(ReadError::TextAfterQuote {
                line: self.line,
                column,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(5_000), "5,000");
        assert_eq!(thousands(2_097_152), "2,097,152");
    }

    #[test]
    fn megabytes_rounds_down_to_a_tenth() {
        assert_eq!(megabytes(MAX_BYTES), "2.0 MB");
        assert_eq!(megabytes(MAX_BYTES + MAX_BYTES / 4), "2.5 MB");
    }

    #[test]
    fn line_at_counts_crlf_lf_and_cr_once_each() {
        assert_eq!(line_at(b"a\r\nb\nc\rd", 0), 1);
        assert_eq!(line_at(b"a\r\nb\nc\rd", 3), 2);
        assert_eq!(line_at(b"a\r\nb\nc\rd", 5), 3);
        assert_eq!(line_at(b"a\r\nb\nc\rd", 7), 4);
    }
}

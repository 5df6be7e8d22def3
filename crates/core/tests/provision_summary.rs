//! The results CSV (one line per row, formula-like cells guarded), and the round trip between the
//! console's CSV writer and its reader.

mod provision_common;

use provision_common::{directory, resolve_text};
use wxcc_core::provision::bulk_answer::{Outcome, RowOutcome};
use wxcc_core::provision::csv_read::read;
use wxcc_core::provision::diff::preview;
use wxcc_core::provision::resolve::ResolveOptions;
use wxcc_core::provision::settings::Field;
use wxcc_core::provision::summary::{
    ResultKind, ResultLine, result_lines, summary_csv, undo_result_lines,
};
use wxcc_core::provision::template::{CellValue, read_upload};
use wxcc_core::provision::undo::{SkippedUndo, UndoPlan};

fn outcome(row: usize, email: &str, outcome: Outcome) -> RowOutcome {
    RowOutcome {
        row,
        user_id: String::new(),
        email: email.into(),
        outcome,
    }
}

#[test]
fn every_row_gets_one_result_line_in_file_order() {
    let text = "email,site,skill profile\n\
        ann@example.com,East,\n\
        nobody@example.com,Moon,Gold\n\
        cat@example.com,East,\n\
        bob@example.com,East,\n\
        =cmd@example.com,East,\n\
        twin@example.com,East,Standard skills\n";
    let preview = preview(&resolve_text(text, ResolveOptions::default()), &directory());
    let outcomes = [
        outcome(2, "Ann@Example.com", Outcome::Done),
        outcome(
            5,
            "bob@example.com",
            Outcome::Failed {
                reason: "siteId: not found (HTTP 400)".into(),
            },
        ),
    ];
    let lines = result_lines(&preview, &outcomes);
    let kinds: Vec<(usize, ResultKind)> = lines.iter().map(|l| (l.row, l.result)).collect();
    assert_eq!(
        kinds,
        [
            (2, ResultKind::Done),
            (3, ResultKind::Invalid),
            (4, ResultKind::Unchanged),
            (5, ResultKind::Failed),
            (6, ResultKind::Invalid),
            (7, ResultKind::Invalid),
        ]
    );
    // A row's errors share its line.
    assert_eq!(
        lines[1].reason,
        "Line 3, column 1 (email): no user has the email \"nobody@example.com\"; \
         Line 3, column 2 (site): no site is named \"Moon\"; \
         Line 3, column 3 (skill profile): 2 skill profiles are named \"Gold\" (ids sp-gold1, sp-gold2); rename one of them"
    );
    let csv = summary_csv(&lines);
    let mut csv_lines = csv.split("\r\n");
    assert_eq!(csv_lines.next(), Some("email,result,reason"));
    assert_eq!(csv_lines.next(), Some("Ann@Example.com,done,"));
    assert_eq!(
        csv_lines.nth(2),
        Some("bob@example.com,failed,siteId: not found (HTTP 400)")
    );
    // The email that looks like a formula is guarded in the file, as are reasons starting so.
    assert!(
        csv_lines
            .next()
            .unwrap()
            .starts_with("'=cmd@example.com,invalid,")
    );
}

#[test]
fn a_changed_row_without_an_outcome_was_not_sent() {
    let preview = preview(
        &resolve_text(
            "email,site\nann@example.com,East\ncat@example.com,Main site\n",
            ResolveOptions::default(),
        ),
        &directory(),
    );
    let lines = result_lines(
        &preview,
        &[outcome(
            2,
            "Ann@Example.com",
            Outcome::Unknown {
                reason: "the network failed".into(),
            },
        )],
    );
    assert_eq!(lines[0].result, ResultKind::OutcomeUnknown);
    assert_eq!(lines[1].result, ResultKind::NotSent);
    assert_eq!(ResultKind::OutcomeUnknown.as_str(), "outcome unknown");
}

#[test]
fn an_undos_summary_lists_its_skipped_entries() {
    let plan = UndoPlan {
        skipped: vec![SkippedUndo {
            entry: 1,
            user_id: "u1".into(),
            email: "ann@example.com".into(),
            reason: "changed since: its version was 4 after the write and is 9 now".into(),
        }],
        ..UndoPlan::default()
    };
    assert_eq!(
        undo_result_lines(&plan, &[]),
        [ResultLine {
            row: 1,
            email: "ann@example.com".into(),
            result: ResultKind::Skipped,
            reason: "changed since: its version was 4 after the write and is 9 now".into()
        }]
    );
    assert_eq!(
        summary_csv(&undo_result_lines(&plan, &[])),
        "email,result,reason\r\nann@example.com,skipped,changed since: its version was 4 after the write and is 9 now\r\n"
    );
}

/// A small deterministic generator (xorshift), so the round trip sees thousands of cells without
/// a property-testing dependency the crate does not have.
struct Cells(u64);

impl Cells {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Text over an alphabet of what breaks CSV: separators, quotes, line ends, spaces, bars,
    /// apostrophes, formula starters, and characters of two, three and four bytes.
    fn cell(&mut self, formula_starts: bool) -> String {
        const PIECES: [&str; 20] = [
            "a", "Z", "7", ",", ";", "\"", "\"\"", "\n", "\r\n", "\r", " ", "\t", "|", "'", "é",
            "€", "😀", "=", "+", "@",
        ];
        let len = (self.next() % 8) as usize;
        let mut text: String = (0..len)
            .map(|_| PIECES[(self.next() % PIECES.len() as u64) as usize])
            .collect();
        let starts_like_a_formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
        if starts_like_a_formula && !formula_starts {
            text.insert(0, 'x');
        }
        text
    }
}

#[test]
fn cells_written_by_the_csv_writer_read_back_the_same() {
    let mut cells = Cells(0x9E37_79B9_7F4A_7C15);
    for _ in 0..300 {
        let rows: Vec<Vec<String>> = (0..1 + cells.next() % 5)
            .map(|_| {
                // The first cell is never blank: a row of blank cells is skipped by design.
                let mut row = vec![format!("k{}", cells.cell(false))];
                row.extend((0..2).map(|_| cells.cell(false)));
                row
            })
            .collect();
        let text = wxcc_core::csv::write(&["a", "b", "c"], rows.clone());
        let table = read(text.as_bytes()).unwrap_or_else(|e| panic!("{e}: {text:?}"));
        let back: Vec<Vec<String>> = table.rows.into_iter().map(|r| r.cells).collect();
        assert_eq!(back, rows, "{text:?}");
    }
}

#[test]
fn formula_like_names_written_by_the_csv_writer_read_back_as_the_same_names() {
    let mut cells = Cells(0xD1B5_4A32_D192_ED03);
    let mut tried = 0;
    for _ in 0..1_000 {
        let name = cells.cell(true);
        // Names as the template reads them: trimmed, not blank, no team separator.
        let name = name.replace('|', "").trim().to_owned();
        if name.is_empty() || !name.starts_with(['=', '+', '-', '@']) {
            continue;
        }
        let text = wxcc_core::csv::write(
            &["email", "site"],
            [vec!["a@example.com".to_owned(), name.clone()]],
        );
        let upload = read_upload(text.as_bytes()).unwrap_or_else(|e| panic!("{e}: {text:?}"));
        let site = upload.rows[0]
            .cells
            .iter()
            .find(|c| c.field == Field::Site)
            .map(|c| c.value.clone());
        assert_eq!(site, Some(CellValue::Name(name)), "{text:?}");
        tried += 1;
    }
    assert!(
        tried >= 100,
        "only {tried} formula-like names were generated"
    );
}

//! CSV export of any table the console shows (RFC 4180: comma-separated, CRLF line ends, fields
//! quoted when they hold a comma, a quote or a line break). Values are the raw API values, so
//! machines can read ids and epoch milliseconds back; text that a spreadsheet would run as a
//! formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`
//! (OWASP's advice against CSV injection), except plain numbers such as `-5`.

/// The whole file: a header row naming the columns, then one row per record.
pub fn write<R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    let mut out = String::new();
    push_row(&mut out, header.iter().map(|h| h.to_string()));
    for row in rows {
        push_row(&mut out, row);
    }
    out
}

fn push_row(out: &mut String, cells: impl IntoIterator<Item = String>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&field(&cell));
    }
    out.push_str("\r\n");
}

/// One field, neutralised and quoted as needed.
pub fn field(value: &str) -> String {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(value);
    let value = if formula {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// A plain decimal number (`-5`, `+7`, `-1.5e3`): JSON's number syntax with an optional `+`.
/// Stricter than `f64`'s parser, which also takes `inf` and `NaN`: a cell such as `-inf` is text
/// to a spreadsheet, so it is neutralised like any other text starting with `-`.
fn is_number(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['-', '+']).unwrap_or(e))),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    digits(whole) && fraction.is_none_or(digits) && exponent.is_none_or(digits)
}

/// A JSON value as a CSV cell: strings as they are, `null` and missing as empty, other values as
/// compact JSON.
pub fn cell(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_commas_quotes_and_line_breaks() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field(""), "");
    }

    #[test]
    fn formulas_are_neutralised_but_numbers_kept() {
        assert_eq!(field("=1+1"), "'=1+1");
        assert_eq!(field("+SUM(A1)"), "'+SUM(A1)");
        assert_eq!(field("-2+3"), "'-2+3");
        assert_eq!(field("@cmd"), "'@cmd");
        assert_eq!(field("\tx"), "'\tx");
        assert_eq!(field("\r=x"), "\"'\r=x\"");
        assert_eq!(
            field("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(field("-5"), "-5");
        assert_eq!(field("-1.5e3"), "-1.5e3");
        assert_eq!(field("+7"), "+7");
        assert_eq!(field("-inf"), "'-inf");
        assert_eq!(field("-NaN"), "'-NaN");
        assert_eq!(field("-1."), "'-1.");
        assert_eq!(field("-.5"), "'-.5");
        assert_eq!(field("-1e"), "'-1e");
        assert_eq!(field("+1e+9"), "+1e+9");
        assert_eq!(field("-0x10"), "'-0x10");
    }

    #[test]
    fn a_file_has_the_header_then_one_crlf_row_per_record() {
        let csv = write(
            &["id", "name", "createdTime"],
            [
                vec!["u1".to_string(), "Ann, A.".into(), "1739145600000".into()],
                vec!["u2".to_string(), "=evil()".into(), String::new()],
            ],
        );
        assert_eq!(
            csv,
            "id,name,createdTime\r\nu1,\"Ann, A.\",1739145600000\r\nu2,'=evil(),\r\n"
        );
    }

    #[test]
    fn cells_keep_the_raw_api_values() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"s":"x","n":1739145600000,"f":1.5,"b":true,"z":null,"a":[1,"b"]}"#,
        )
        .unwrap();
        assert_eq!(cell(v.get("s")), "x");
        assert_eq!(cell(v.get("n")), "1739145600000");
        assert_eq!(cell(v.get("f")), "1.5");
        assert_eq!(cell(v.get("b")), "true");
        assert_eq!(cell(v.get("z")), "");
        assert_eq!(cell(v.get("missing")), "");
        assert_eq!(cell(v.get("a")), "[1,\"b\"]");
    }

    #[test]
    fn a_written_file_reads_back_with_a_reference_parser() {
        // The reference: a minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF).
        fn read(text: &str) -> Vec<Vec<String>> {
            let (mut rows, mut row, mut cur, mut quoted, mut chars) = (
                vec![],
                vec![],
                String::new(),
                false,
                text.chars().peekable(),
            );
            while let Some(c) = chars.next() {
                match (quoted, c) {
                    (true, '"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        cur.push('"');
                    }
                    (true, '"') => quoted = false,
                    (true, c) => cur.push(c),
                    (false, '"') => quoted = true,
                    (false, ',') => row.push(std::mem::take(&mut cur)),
                    (false, '\r') if chars.peek() == Some(&'\n') => {
                        chars.next();
                        row.push(std::mem::take(&mut cur));
                        rows.push(std::mem::take(&mut row));
                    }
                    (false, c) => cur.push(c),
                }
            }
            rows
        }
        let values = ["a,b", "q\"uote", "line\r\nbreak", "plain", "", "é ü"];
        let csv = write(&["x"], values.iter().map(|v| vec![v.to_string()]));
        let back: Vec<String> = read(&csv)
            .into_iter()
            .skip(1)
            .map(|r| r[0].clone())
            .collect();
        assert_eq!(back, values);
    }
}

//! The RSQL subset the Contact Center configuration APIs document for `filter`:
//! `==`, `!=`, `=in=`, `=out=`, `;` (and), `,` (or), parentheses, quoted values and `*` wildcards.
//!
//! Pure parsing and evaluation over JSON records; the API adapter maps errors to 400 responses.
//! The operators and the conditions are core's, the ones the SPA's filter builder writes, so what
//! the builder writes is what this parser reads (`tests/rsql_roundtrip.rs` checks it).

use serde_json::Value;
use wxcc_core::rsql::{AND, Filter, OR, Op};

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Compare(Filter),
}

/// Why a filter could not be parsed; the message names the problem and the position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses an RSQL expression such as `id=in=("a","b");active==true`.
pub fn parse(input: &str) -> Result<Expr, ParseError> {
    let mut p = Parser {
        chars: input.chars().collect(),
        pos: 0,
    };
    p.skip_ws();
    if p.at_end() {
        return Err(ParseError(
            "the filter is empty; give an expression such as id==\"…\"".into(),
        ));
    }
    let expr = p.or()?;
    p.skip_ws();
    if !p.at_end() {
        return Err(p.error(&format!("unexpected '{}'", p.chars[p.pos])));
    }
    Ok(expr)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

const RESERVED: &[char] = &['"', '\'', '(', ')', ';', ',', '=', '!', '~', '<', '>', ' '];

impl Parser {
    fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn error(&self, what: &str) -> ParseError {
        ParseError(format!(
            "invalid filter at character {}: {what}",
            self.pos + 1
        ))
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(OR) {
            self.pos += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut parts = vec![self.constraint()?];
        while self.peek() == Some(AND) {
            self.pos += 1;
            parts.push(self.constraint()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn constraint(&mut self) -> Result<Expr, ParseError> {
        self.skip_ws();
        if self.peek() == Some('(') {
            self.pos += 1;
            let inner = self.or()?;
            self.skip_ws();
            if self.peek() != Some(')') {
                return Err(self.error("missing ')'"));
            }
            self.pos += 1;
            self.skip_ws();
            return Ok(inner);
        }
        let field = self.unreserved();
        if field.is_empty() {
            return Err(self.error("expected a field name"));
        }
        self.skip_ws();
        let op = self.operator()?;
        self.skip_ws();
        let values = if op.takes_list() {
            self.list()?
        } else {
            vec![self.value()?]
        };
        self.skip_ws();
        Ok(Expr::Compare(Filter::new(field, op, values)))
    }

    fn unreserved(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(|c| !RESERVED.contains(&c)) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    fn operator(&mut self) -> Result<Op, ParseError> {
        let rest: String = self.chars[self.pos..].iter().take(6).collect();
        if let Some(op) = Op::ALL
            .into_iter()
            .find(|op| rest.starts_with(op.as_rsql()))
        {
            self.pos += op.as_rsql().chars().count();
            return Ok(op);
        }
        let [first @ .., last] = Op::ALL.map(Op::as_rsql);
        Err(self.error(&format!(
            "unsupported operator near '{rest}'; supported operators are {} and {last}",
            first.join(", ")
        )))
    }

    fn list(&mut self) -> Result<Vec<String>, ParseError> {
        if self.peek() != Some('(') {
            return Err(self.error("=in= and =out= need a list such as (\"a\",\"b\")"));
        }
        self.pos += 1;
        let mut values = vec![self.value()?];
        loop {
            self.skip_ws();
            match self.peek() {
                Some(',') => {
                    self.pos += 1;
                    self.skip_ws();
                    values.push(self.value()?);
                }
                Some(')') => {
                    self.pos += 1;
                    return Ok(values);
                }
                _ => return Err(self.error("missing ')' after the list of values")),
            }
        }
    }

    fn value(&mut self) -> Result<String, ParseError> {
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.pos += 1;
                let mut out = String::new();
                loop {
                    match self.peek() {
                        None => return Err(self.error("unterminated quoted value")),
                        Some('\\') => {
                            self.pos += 1;
                            match self.peek() {
                                Some(c) => out.push(c),
                                None => return Err(self.error("unterminated quoted value")),
                            }
                            self.pos += 1;
                        }
                        Some(c) if c == q => {
                            self.pos += 1;
                            return Ok(out);
                        }
                        Some(c) => {
                            out.push(c);
                            self.pos += 1;
                        }
                    }
                }
            }
            _ => {
                let v = self.unreserved();
                if v.is_empty() {
                    Err(self.error("expected a value (quote values that contain spaces or reserved characters)"))
                } else {
                    Ok(v)
                }
            }
        }
    }
}

impl Expr {
    /// Every field name the expression refers to.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Expr::And(parts) | Expr::Or(parts) => parts.iter().flat_map(Expr::fields).collect(),
            Expr::Compare(filter) => vec![filter.selector()],
        }
    }

    /// Whether `record` satisfies the expression. `resolve` maps a filter field name to the record's field.
    pub fn matches(&self, record: &Value, resolve: &dyn Fn(&str) -> String) -> bool {
        match self {
            Expr::And(parts) => parts.iter().all(|p| p.matches(record, resolve)),
            Expr::Or(parts) => parts.iter().any(|p| p.matches(record, resolve)),
            Expr::Compare(filter) => {
                let actual = record
                    .get(resolve(filter.selector()))
                    .unwrap_or(&Value::Null);
                let hit = filter.values().iter().any(|v| value_matches(actual, v));
                match filter.op() {
                    Op::Eq | Op::In => hit,
                    Op::Ne | Op::Out => !hit,
                }
            }
        }
    }
}

/// Compares a record value with a filter literal; arrays match when any element does.
fn value_matches(actual: &Value, wanted: &str) -> bool {
    match actual {
        Value::Array(items) => items.iter().any(|i| value_matches(i, wanted)),
        Value::String(s) => text_matches(s, wanted),
        Value::Null => wanted == "null",
        Value::Bool(b) => wanted == if *b { "true" } else { "false" },
        Value::Number(n) => n.to_string() == wanted,
        Value::Object(_) => false,
    }
}

fn text_matches(actual: &str, pattern: &str) -> bool {
    if !pattern.contains('*') {
        return actual == pattern;
    }
    // `*` is a wildcard (case-insensitive), as in rsql-jpa's LIKE translation.
    let actual = actual.to_lowercase();
    let pieces: Vec<String> = pattern
        .to_lowercase()
        .split('*')
        .map(str::to_string)
        .collect();
    let mut rest = actual.as_str();
    for (i, piece) in pieces.iter().enumerate() {
        if piece.is_empty() {
            continue;
        }
        if i == 0 {
            match rest.strip_prefix(piece.as_str()) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == pieces.len() - 1 {
            return rest.ends_with(piece.as_str());
        } else {
            match rest.find(piece.as_str()) {
                Some(at) => rest = &rest[at + piece.len()..],
                None => return false,
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn same(f: &str) -> String {
        f.to_string()
    }

    fn eval(filter: &str, record: &Value) -> bool {
        parse(filter).unwrap().matches(record, &same)
    }

    #[test]
    fn parses_each_documented_example() {
        assert_eq!(
            parse("id==\"57efb0e6\"").unwrap(),
            Expr::Compare(Filter::eq("id", "57efb0e6"))
        );
        assert_eq!(
            parse("id!=\"a\"").unwrap(),
            Expr::Compare(Filter::ne("id", "a"))
        );
        assert_eq!(
            parse("id=in=(\"a\",\"b\")").unwrap(),
            Expr::Compare(Filter::is_in("id", ["a", "b"]))
        );
        assert_eq!(
            parse("id=out=(a, 'b')").unwrap(),
            Expr::Compare(Filter::not_in("id", ["a", "b"]))
        );
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let e = parse("a==1;b==2,c==3").unwrap();
        match e {
            Expr::Or(parts) => {
                assert!(matches!(parts[0], Expr::And(_)));
                assert!(matches!(parts[1], Expr::Compare(_)));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(parse("a==1;(b==2,c==3)").unwrap(), Expr::And(_)));
    }

    #[test]
    fn evaluates_against_json() {
        let r = json!({"id": "x", "active": true, "name": "Sales Team 1", "teamIds": ["t1", "t2"], "n": 5});
        assert!(eval("id==x", &r));
        assert!(!eval("id!=x", &r));
        assert!(eval("active==true;n==5", &r));
        assert!(eval("id==nope,name==\"Sales Team 1\"", &r));
        assert!(eval("id=in=(a,x)", &r));
        assert!(!eval("id=out=(a,x)", &r));
        assert!(eval("teamIds==t2", &r));
        assert!(eval("name==*team*", &r));
        assert!(eval("name==sales*", &r));
        assert!(!eval("name==*support*", &r));
        assert!(eval("missing==null", &r));
        assert!(eval("name=='Sales Team 1';(id==q,active==true)", &r));
    }

    #[test]
    fn tolerates_spaces_around_operators() {
        let r = json!({"id": "x", "n": 1});
        assert!(eval("id == x ; n =in= (1, 2)", &r));
    }

    #[test]
    fn escapes_in_quotes() {
        let r = json!({"name": "say \"hi\""});
        assert!(eval(r#"name=="say \"hi\"""#, &r));
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(parse("").unwrap_err().0.contains("empty"));
        assert!(
            parse("id=gt=5")
                .unwrap_err()
                .0
                .contains("unsupported operator")
        );
        assert!(parse("id==\"open").unwrap_err().0.contains("unterminated"));
        assert!(parse("id=in=a").unwrap_err().0.contains("list"));
        assert!(parse("(id==a").unwrap_err().0.contains("missing ')'"));
        assert!(parse("==a").unwrap_err().0.contains("field name"));
        assert!(parse("id==a)").unwrap_err().0.contains("unexpected ')'"));
        assert!(parse("id==").unwrap_err().0.contains("expected a value"));
    }

    #[test]
    fn fields_lists_every_selector() {
        assert_eq!(
            parse("a==1;(b==2,c=in=(3))").unwrap().fields(),
            vec!["a", "b", "c"]
        );
    }
}

//! The `filter`/`extFilter` grammar, compiled once per request and evaluated per record:
//! `{<field>: {<operator>: <value>}}`, nested objects followed to their scalar fields, and
//! `and`/`or` lists and `not` (the reference: "Filter shape", operator table). The GraphQL types
//! already refused unknown fields and operators; this module gives them meaning.

use async_graphql::Value as GqlValue;
use regex::Regex;

use super::fields::Kind;
use super::records::{Rec, Val};

/// A compiled filter.
#[derive(Debug)]
pub enum Filter {
    All(Vec<Filter>),
    Any(Vec<Filter>),
    Not(Box<Filter>),
    Leaf { path: String, op: Op },
}

#[derive(Debug)]
pub enum Op {
    Equals(Literal),
    NotEquals(Literal),
    Match(Regex),
    Contains(String),
    Gt(f64),
    Gte(f64),
    Lt(f64),
    Lte(f64),
}

#[derive(Debug, PartialEq)]
pub enum Literal {
    Null,
    Str(String),
    Num(f64),
    Bool(bool),
}

impl Literal {
    fn equals(&self, value: &Val) -> bool {
        match (self, value) {
            (Literal::Null, Val::Null) => true,
            (Literal::Str(a), Val::Str(b)) => a == b.as_ref(),
            (Literal::Bool(a), Val::Bool(b)) => a == b,
            (Literal::Num(a), v) => v.number() == Some(*a),
            _ => false,
        }
    }
}

/// A refused filter, as the message of a 400.
pub type FilterError = String;

/// Compiles `value` (an input object of `kind`'s filter types), its paths prefixed by `prefix`.
/// `arguments` counts the operator arguments, for the documented cap.
pub fn compile(
    kind: &Kind,
    value: &GqlValue,
    prefix: &str,
    arguments: &mut usize,
) -> Result<Filter, FilterError> {
    let GqlValue::Object(fields) = value else {
        return Ok(Filter::All(Vec::new()));
    };
    let mut parts = Vec::new();
    for (name, inner) in fields {
        let name = name.as_str();
        match name {
            "and" | "or" => {
                let list = match inner {
                    GqlValue::List(items) => items.as_slice(),
                    GqlValue::Null => &[],
                    other => std::slice::from_ref(other),
                };
                let compiled = list
                    .iter()
                    .map(|v| compile(kind, v, prefix, arguments))
                    .collect::<Result<Vec<_>, _>>()?;
                parts.push(if name == "and" {
                    Filter::All(compiled)
                } else {
                    Filter::Any(compiled)
                });
            }
            "not" if *inner != GqlValue::Null => parts.push(Filter::Not(Box::new(compile(
                kind, inner, prefix, arguments,
            )?))),
            "not" => {}
            _ => {
                let path = if prefix.is_empty() {
                    name.to_string()
                } else {
                    format!("{prefix}.{name}")
                };
                if kind.field(&path).is_some() {
                    parts.extend(leaf(&path, inner, arguments)?);
                } else {
                    parts.push(compile(kind, inner, &path, arguments)?);
                }
            }
        }
    }
    Ok(Filter::All(parts))
}

fn leaf(
    path: &str,
    operators: &GqlValue,
    arguments: &mut usize,
) -> Result<Vec<Filter>, FilterError> {
    let GqlValue::Object(operators) = operators else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (op, value) in operators {
        *arguments += 1;
        let number = || {
            literal(value)
                .and_then(|l| match l {
                    Literal::Num(n) => Some(n),
                    _ => None,
                })
                .ok_or_else(|| format!("{path}: {op} needs a number"))
        };
        let text = || match value {
            GqlValue::String(s) => Ok(s.clone()),
            GqlValue::Enum(e) => Ok(e.to_string()),
            _ => Err(format!("{path}: {op} needs a string")),
        };
        let op = match op.as_str() {
            "equals" => Op::Equals(literal(value).unwrap_or(Literal::Null)),
            "notequals" => Op::NotEquals(literal(value).unwrap_or(Literal::Null)),
            "match" => Op::Match(pattern(path, &text()?)?),
            "contains" => Op::Contains(text()?),
            "gt" => Op::Gt(number()?),
            "gte" => Op::Gte(number()?),
            "lt" => Op::Lt(number()?),
            "lte" => Op::Lte(number()?),
            other => return Err(format!("{path}: unknown operator {other}")),
        };
        out.push(Filter::Leaf {
            path: path.to_string(),
            op,
        });
    }
    Ok(out)
}

fn literal(value: &GqlValue) -> Option<Literal> {
    Some(match value {
        GqlValue::Null => Literal::Null,
        GqlValue::String(s) => Literal::Str(s.clone()),
        GqlValue::Enum(e) => Literal::Str(e.to_string()),
        GqlValue::Boolean(b) => Literal::Bool(*b),
        GqlValue::Number(n) => Literal::Num(n.as_f64()?),
        _ => return None,
    })
}

/// `match` is a whole-value pattern (Elasticsearch's regexp query, which Cisco's examples read
/// like: `".+"` means "not empty"). Cisco's own example `"+1408.+"` starts with a `+`, which no
/// regex dialect reads as a repetition there, so a leading `+` is taken literally.
fn pattern(path: &str, text: &str) -> Result<Regex, FilterError> {
    let escaped;
    let source = match text.strip_prefix('+') {
        Some(rest) => {
            escaped = format!(r"\+{rest}");
            escaped.as_str()
        }
        None => text,
    };
    Regex::new(&format!("^(?:{source})$"))
        .map_err(|e| format!("{path}: match pattern {text:?} is not a valid pattern: {e}"))
}

/// A record a filter or an aggregation looks at: a root record, or an entry of one of its lists
/// (a task's activity, a session's channel or that channel's activity), with its ancestors.
#[derive(Clone)]
pub struct Unit<'a> {
    pub chain: Vec<Rec<'a>>,
    /// Position of each record of the chain: the root's among the roots, each entry's in its list.
    pub positions: Vec<usize>,
}

impl<'a> Unit<'a> {
    pub fn root(rec: Rec<'a>) -> Self {
        Unit {
            chain: vec![rec],
            positions: vec![0],
        }
    }

    /// The values at a dotted path from the root: from the entry this unit stands for when the
    /// path goes through its list, else every value the path reaches.
    pub fn values(&self, path: &str, out: &mut Vec<Val<'a>>) {
        let mut rec = self.chain[0];
        let mut rest = path;
        for next in &self.chain[1..] {
            match rec
                .list_prefix()
                .and_then(|p| rest.strip_prefix(p))
                .and_then(|r| r.strip_prefix('.'))
            {
                Some(inner) => {
                    rec = *next;
                    rest = inner;
                }
                None => break,
            }
        }
        rec.values(rest, out);
    }
}

impl Filter {
    /// Whether the unit passes. A path that reaches several values (a list) passes when one of
    /// them does; `notequals` passes when none equals.
    pub fn matches(&self, unit: &Unit) -> bool {
        match self {
            Filter::All(parts) => parts.iter().all(|p| p.matches(unit)),
            Filter::Any(parts) => parts.iter().any(|p| p.matches(unit)),
            Filter::Not(inner) => !inner.matches(unit),
            Filter::Leaf { path, op } => {
                let mut values = Vec::new();
                unit.values(path, &mut values);
                let number = |v: &Val, test: &dyn Fn(f64) -> bool| v.number().is_some_and(test);
                match op {
                    Op::Equals(l) => values.iter().any(|v| l.equals(v)),
                    Op::NotEquals(l) => !values.iter().any(|v| l.equals(v)),
                    Op::Match(re) => values
                        .iter()
                        .any(|v| v.text().is_some_and(|t| re.is_match(t))),
                    Op::Contains(part) => values
                        .iter()
                        .any(|v| v.text().is_some_and(|t| t.contains(part.as_str()))),
                    Op::Gt(n) => values.iter().any(|v| number(v, &|x| x > *n)),
                    Op::Gte(n) => values.iter().any(|v| number(v, &|x| x >= *n)),
                    Op::Lt(n) => values.iter().any(|v| number(v, &|x| x < *n)),
                    Op::Lte(n) => values.iter().any(|v| number(v, &|x| x <= *n)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_is_anchored_and_takes_ciscos_leading_plus_literally() {
        let re = pattern("origin", "+1408.+").unwrap();
        assert!(re.is_match("+14085550100"));
        assert!(!re.is_match("x+14085550100"));
        let not_empty = pattern("teamName", ".+").unwrap();
        assert!(not_empty.is_match("A") && !not_empty.is_match(""));
        assert!(pattern("origin", "(").is_err());
    }
}

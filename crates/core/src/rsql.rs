//! The conditions of the RSQL the Contact Center list endpoints accept in `filter`: `==`, `!=`,
//! `=in=`, `=out=`, joined with [`AND`] (`;`) and [`OR`] (`,`) in the raw filter text. The SPA's
//! filter builder writes them; the sandbox's parser reads them back into the same [`Filter`]s.
//!
//! The spec notes that values with spaces must be enclosed in quotes; any value that is not made
//! only of plainly safe characters is double-quoted, with `"` and `\` escaped by a backslash.
//! The result still has to be URL-encoded as a query value (e.g. with `route::form_encode`).

use std::fmt;

/// Joins two conditions that must both hold; binds tighter than [`OR`].
pub const AND: char = ';';
/// Joins two conditions of which one must hold.
pub const OR: char = ',';

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    In,
    Out,
}

impl Op {
    /// Every operator, in the order the filter builder offers them.
    pub const ALL: [Op; 4] = [Op::Eq, Op::Ne, Op::In, Op::Out];

    /// The operator's RSQL text, the one place it is written.
    pub fn as_rsql(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::In => "=in=",
            Op::Out => "=out=",
        }
    }

    /// The operator whose RSQL text is `text`.
    pub fn from_rsql(text: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.as_rsql() == text)
    }

    /// `=in=` and `=out=` take a parenthesised list of values; `==` and `!=` take one value.
    pub fn takes_list(self) -> bool {
        matches!(self, Op::In | Op::Out)
    }
}

/// One condition: `selector op value`, or `selector op (v1,v2…)` for `In`/`Out`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    selector: String,
    op: Op,
    values: Vec<String>,
}

/// Why a filter cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RsqlError {
    /// The attribute name is empty or contains characters RSQL reserves.
    BadSelector(String),
    /// `=in=`/`=out=` with no values.
    WrongValueCount { selector: String },
}

impl fmt::Display for RsqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadSelector(s) => write!(
                f,
                "\"{s}\" is not a valid attribute name for a filter; pick an attribute from the list (letters, digits, '.', '_')."
            ),
            Self::WrongValueCount { selector } => {
                write!(
                    f,
                    "the condition on \"{selector}\" has no value; enter at least one value or remove the condition."
                )
            }
        }
    }
}

impl std::error::Error for RsqlError {}

impl Filter {
    /// `selector op values`, as a parser reads it back. `Eq` and `Ne` are written with the first
    /// value only; [`Filter::eq`] and [`Filter::ne`] give them exactly one.
    pub fn new(selector: impl Into<String>, op: Op, values: Vec<String>) -> Filter {
        Filter {
            selector: selector.into(),
            op,
            values,
        }
    }

    pub fn eq(selector: impl Into<String>, value: impl Into<String>) -> Filter {
        Filter::new(selector, Op::Eq, vec![value.into()])
    }

    pub fn ne(selector: impl Into<String>, value: impl Into<String>) -> Filter {
        Filter::new(selector, Op::Ne, vec![value.into()])
    }

    pub fn is_in<I: IntoIterator<Item = S>, S: Into<String>>(
        selector: impl Into<String>,
        values: I,
    ) -> Filter {
        Filter::new(
            selector,
            Op::In,
            values.into_iter().map(Into::into).collect(),
        )
    }

    pub fn not_in<I: IntoIterator<Item = S>, S: Into<String>>(
        selector: impl Into<String>,
        values: I,
    ) -> Filter {
        Filter::new(
            selector,
            Op::Out,
            values.into_iter().map(Into::into).collect(),
        )
    }

    /// The attribute the condition is on.
    pub fn selector(&self) -> &str {
        &self.selector
    }

    pub fn op(&self) -> Op {
        self.op
    }

    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// Checks the selector and the number of values.
    pub fn validate(&self) -> Result<(), RsqlError> {
        if !is_valid_selector(&self.selector) {
            return Err(RsqlError::BadSelector(self.selector.clone()));
        }
        // `eq` and `ne` always hold one value; `is_in` and `not_in` may have been given none.
        if !self.values.is_empty() {
            Ok(())
        } else {
            Err(RsqlError::WrongValueCount {
                selector: self.selector.clone(),
            })
        }
    }

    /// The RSQL text. Call [`Filter::validate`] first for user input.
    pub fn to_rsql(&self) -> String {
        let Filter {
            selector,
            op,
            values,
        } = self;
        if op.takes_list() {
            let list: Vec<String> = values.iter().map(|v| quote_value(v)).collect();
            format!("{selector}{}({})", op.as_rsql(), list.join(","))
        } else {
            let value = values.first().map(String::as_str).unwrap_or("");
            format!("{selector}{}{}", op.as_rsql(), quote_value(value))
        }
    }
}

/// Attribute names: letters, digits, `.`, `_` (dotted paths like `team.id`).
pub fn is_valid_selector(selector: &str) -> bool {
    !selector.is_empty()
        && selector
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
        && !selector.starts_with('.')
}

fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '@' | '*' | '+' | '/')
}

/// A value as RSQL: unchanged if it is non-empty and made only of plainly safe characters,
/// otherwise in double quotes with `\` and `"` escaped.
pub fn quote_value(value: &str) -> String {
    if !value.is_empty() && value.chars().all(is_plain) {
        return value.to_owned();
    }
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID1: &str = "57efb0e6-5af0-4245-a67d-d3c5045cdb6e";
    const ID2: &str = "a421e0b2-732e-46f3-a057-39160a53afb9";

    #[test]
    fn matches_the_spec_examples() {
        assert_eq!(Filter::eq("id", ID1).to_rsql(), format!("id=={ID1}"));
        assert_eq!(Filter::ne("id", ID1).to_rsql(), format!("id!={ID1}"));
        assert_eq!(
            Filter::is_in("id", [ID1, ID2]).to_rsql(),
            format!("id=in=({ID1},{ID2})")
        );
        assert_eq!(
            Filter::not_in("id", [ID1, ID2]).to_rsql(),
            format!("id=out=({ID1},{ID2})")
        );
    }

    #[test]
    fn quotes_values_with_spaces_and_specials() {
        assert_eq!(
            Filter::eq("firstName", "Mary Ann").to_rsql(),
            r#"firstName=="Mary Ann""#
        );
        assert_eq!(quote_value(r#"say "hi"\now"#), r#""say \"hi\"\\now""#);
        assert_eq!(quote_value(""), r#""""#);
        for special in [
            "a;b",
            "a,b",
            "(a)",
            "a=b",
            "a!b",
            "it's",
            "a<b",
            "a~b",
            "tab\there",
            "Zoë",
        ] {
            let quoted = quote_value(special);
            assert!(
                quoted.starts_with('"') && quoted.ends_with('"'),
                "{special}"
            );
        }
        assert_eq!(quote_value("agent@example.com"), "agent@example.com");
        assert_eq!(quote_value("Sales*"), "Sales*");
    }

    #[test]
    fn conditions_joined_by_the_builder_stay_apart() {
        // The SPA joins conditions with `;` and `,`: a value holding either must be quoted.
        let joined = [
            Filter::eq("active", "true"),
            Filter::eq("firstName", "Ann;Lee"),
            Filter::is_in("lastName", ["Lee", "O,Neil"]),
        ]
        .map(|f| f.to_rsql())
        .join(";");
        assert_eq!(
            joined,
            r#"active==true;firstName=="Ann;Lee";lastName=in=(Lee,"O,Neil")"#
        );
    }

    #[test]
    fn each_operator_reads_back_from_its_text() {
        for op in Op::ALL {
            assert_eq!(Op::from_rsql(op.as_rsql()), Some(op));
        }
        assert_eq!(Op::from_rsql("=gt="), None);
        assert_eq!(
            Op::ALL.map(Op::takes_list),
            [false, false, true, true],
            "only =in= and =out= take a list"
        );
    }

    #[test]
    fn validation_catches_what_the_server_would_reject() {
        assert_eq!(
            Filter::eq("first name", "x").validate(),
            Err(RsqlError::BadSelector("first name".into()))
        );
        assert_eq!(
            Filter::eq("", "x").validate(),
            Err(RsqlError::BadSelector(String::new()))
        );
        assert_eq!(
            Filter::is_in("id", Vec::<String>::new()).validate(),
            Err(RsqlError::WrongValueCount {
                selector: "id".into()
            })
        );
        assert_eq!(Filter::eq("team.id", "x").validate(), Ok(()));
        assert_eq!(Filter::ne("a_b", "y").validate(), Ok(()));
        assert_eq!(Filter::not_in("id", ["a", "b"]).validate(), Ok(()));
        assert_eq!(
            Filter::eq(".id", "x").validate(),
            Err(RsqlError::BadSelector(".id".into()))
        );
    }

    #[test]
    fn url_encoding_keeps_the_filter_intact() {
        let rsql = [
            Filter::eq("firstName", "Ann Lee"),
            Filter::eq("email", "a+b@x.com"),
        ]
        .map(|f| f.to_rsql())
        .join(";");
        let query = serde_urlencoded::to_string([("filter", rsql.as_str())]).unwrap();
        let back: Vec<(String, String)> = serde_urlencoded::from_str(&query).unwrap();
        assert_eq!(back[0].1, rsql);
        assert!(!query.contains(' ') && !query.contains(';'));
    }
}

//! Every filter core's builder writes (`wxcc_core::rsql`, what the SPA sends) is read back by the
//! sandbox's parser as the same selector, operator and values: alone, and joined with `;` and `,`
//! as the SPA's filter builder joins conditions. The runs record what they generated, and each
//! test checks that its corpus held the characters quoting can get wrong, so a generator that
//! drifted to easy values would fail the test instead of passing it quietly.

use std::cell::RefCell;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};
use wxcc_core::rsql::{AND, Filter, OR, Op};
use wxcc_sandbox::rsql::{Expr, parse};

/// Characters RSQL gives a meaning to, or that quoting and unquoting can get wrong.
const TRICKY: &[char] = &[
    '"', '\'', '\\', ' ', ',', '(', ')', ';', '=', '!', '~', '<', '>', '*', '\t', '\n', 'é', '日',
    '🙂', '\u{a0}',
];

/// Attribute names the builder accepts: letters, digits, `_` and `.`, not starting with `.`.
fn selector() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_][A-Za-z0-9._]{0,12}"
}

/// Values: empty, the unquoted kind (ids, emails, wildcards), a mix weighted to the tricky
/// characters, and any text at all.
fn value() -> impl Strategy<Value = String> {
    let tricky_mix = vec(
        prop_oneof![select(TRICKY), proptest::char::range('a', 'z')],
        1..10,
    )
    .prop_map(|chars| chars.into_iter().collect::<String>());
    prop_oneof![
        1 => Just(String::new()),
        2 => "[A-Za-z0-9._:@*+/-]{1,12}",
        4 => tricky_mix,
        2 => any::<String>(),
    ]
}

/// A condition as the SPA's builder makes one, with each operator's constructor.
fn filter() -> impl Strategy<Value = Filter> {
    (selector(), select(Op::ALL.to_vec()), vec(value(), 1..4)).prop_map(|(selector, op, values)| {
        match op {
            Op::Eq => Filter::eq(selector, values[0].clone()),
            Op::Ne => Filter::ne(selector, values[0].clone()),
            Op::In => Filter::is_in(selector, values),
            Op::Out => Filter::not_in(selector, values),
        }
    })
}

/// A first condition, then conditions each joined to the text before it by `;` or `,`.
fn joined() -> impl Strategy<Value = (Filter, Vec<(char, Filter)>)> {
    (filter(), vec((select(vec![AND, OR]), filter()), 1..5))
}

/// Runs `check` on `cases` generated values (seeded, so a failure reproduces) and returns them.
fn run_recording<S>(
    strategy: S,
    cases: u32,
    check: impl Fn(&S::Value) -> Result<(), TestCaseError>,
) -> Vec<S::Value>
where
    S: Strategy,
    S::Value: Clone,
{
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let seen = RefCell::new(Vec::new());
    let result = runner.run(&strategy, |generated| {
        seen.borrow_mut().push(generated.clone());
        check(&generated)
    });
    if let Err(error) = result {
        match error {
            TestError::Fail(why, minimal) => panic!("{why}; smallest failing case: {minimal:?}"),
            TestError::Abort(why) => panic!("aborted: {why}"),
        }
    }
    seen.into_inner()
}

/// What the parser should read for `first` followed by `rest`: `;` binds tighter than `,`, and a
/// group of one is the condition itself.
fn expected_tree(first: &Filter, rest: &[(char, Filter)]) -> Expr {
    let mut groups = vec![vec![first.clone()]];
    for (join, filter) in rest {
        if *join == OR {
            groups.push(Vec::new());
        }
        if let Some(group) = groups.last_mut() {
            group.push(filter.clone());
        }
    }
    let mut ors: Vec<Expr> = groups
        .into_iter()
        .map(|group| {
            let mut ands: Vec<Expr> = group.into_iter().map(Expr::Compare).collect();
            if ands.len() == 1 {
                ands.remove(0)
            } else {
                Expr::And(ands)
            }
        })
        .collect();
    if ors.len() == 1 {
        ors.remove(0)
    } else {
        Expr::Or(ors)
    }
}

fn assert_covers_the_tricky_values(filters: &[&Filter]) {
    let values: Vec<&str> = filters
        .iter()
        .flat_map(|f| f.values())
        .map(String::as_str)
        .collect();
    for c in TRICKY {
        assert!(
            values.iter().any(|v| v.contains(*c)),
            "no generated value holds {c:?}"
        );
    }
    assert!(
        values.iter().any(|v| v.is_empty()),
        "no empty value generated"
    );
    for op in Op::ALL {
        assert!(
            filters.iter().any(|f| f.op() == op),
            "no {} condition generated",
            op.as_rsql()
        );
    }
    assert!(
        filters
            .iter()
            .any(|f| f.op().takes_list() && f.values().len() > 1),
        "no list of several values generated"
    );
}

#[test]
fn every_filter_the_builder_writes_parses_back_to_itself() {
    let corpus = run_recording(filter(), 2_000, |filter| {
        let text = filter.to_rsql();
        prop_assert_eq!(parse(&text), Ok(Expr::Compare(filter.clone())), "{}", text);
        Ok(())
    });
    assert_covers_the_tricky_values(&corpus.iter().collect::<Vec<_>>());
}

#[test]
fn filters_joined_as_the_spa_joins_them_parse_back_with_and_binding_tighter() {
    let corpus = run_recording(joined(), 1_000, |(first, rest)| {
        let mut text = first.to_rsql();
        for (join, filter) in rest {
            text.push(*join);
            text.push_str(&filter.to_rsql());
        }
        prop_assert_eq!(parse(&text), Ok(expected_tree(first, rest)), "{}", text);
        Ok(())
    });
    let joins: Vec<char> = corpus
        .iter()
        .flat_map(|(_, rest)| rest.iter().map(|(join, _)| *join))
        .collect();
    assert!(joins.contains(&AND) && joins.contains(&OR));
    let mixed = corpus.iter().any(|(_, rest)| {
        let joins: Vec<char> = rest.iter().map(|(join, _)| *join).collect();
        joins.contains(&AND) && joins.contains(&OR)
    });
    assert!(mixed, "no text joins conditions with both ; and ,");
    let filters: Vec<&Filter> = corpus
        .iter()
        .flat_map(|(first, rest)| std::iter::once(first).chain(rest.iter().map(|(_, f)| f)))
        .collect();
    assert_covers_the_tricky_values(&filters);
}

#[test]
fn the_tree_the_joined_test_expects_follows_rsql_precedence() {
    // The oracle of the joined test, checked on a case worked out by hand.
    let [a, b, c, d] = ["a", "b", "c", "d"].map(|s| Filter::eq(s, "1"));
    let rest = [(AND, b.clone()), (OR, c.clone()), (AND, d.clone())];
    assert_eq!(
        expected_tree(&a, &rest),
        Expr::Or(vec![
            Expr::And(vec![Expr::Compare(a), Expr::Compare(b)]),
            Expr::And(vec![Expr::Compare(c), Expr::Compare(d)]),
        ])
    );
}

//! The API budget fields of `config.json`: `api_requests_per_minute` (what this console may spend
//! of the client id's rate limit, in every tab together) and `api_reserve_percent` (the share
//! background work leaves to what the person is looking at).

use serde_json::{Map, Value};

use super::ConfigError;
use crate::scheduler::{Budget, DEFAULT_RESERVE_PERCENT, MAX_RESERVE_PERCENT};

pub(super) const REQUESTS_PER_MINUTE: &str = "api_requests_per_minute";
pub(super) const RESERVE_PERCENT: &str = "api_reserve_percent";

/// A whole number field as written (`None` when missing or null); any other type, or a fraction,
/// is reported. Numbers beyond `i64` read as `i64::MAX`, which validation then calls too large.
pub(super) fn read_whole_number(
    map: &Map<String, Value>,
    field: &str,
    errors: &mut Vec<ConfigError>,
) -> Option<i64> {
    match map.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
        Some(Value::Number(n)) if n.as_u64().is_some() => Some(i64::MAX),
        Some(other) => {
            errors.push(ConfigError::new(
                field,
                format!("must be a whole number, but is {other}."),
                format!("Write a number without quotes or decimals, e.g. \"{field}\": 300."),
            ));
            None
        }
    }
}

/// The budget the scheduler runs with; every out-of-range value is reported.
pub(super) fn validate_budget(
    requests_per_minute: Option<i64>,
    reserve_percent: Option<i64>,
    errors: &mut Vec<ConfigError>,
) -> Budget {
    let default = Budget::default();
    let requests_per_minute = match requests_per_minute {
        None => default.requests_per_minute,
        Some(n) => u32::try_from(n).ok().filter(|n| *n >= 1).unwrap_or_else(|| {
            errors.push(ConfigError::new(
                REQUESTS_PER_MINUTE,
                format!("is {n}, but the console needs at least one request a minute."),
                format!(
                    "Use your integration's rate limit per client id (Webex documents {} requests per minute), or leave the field out for that default.",
                    default.requests_per_minute
                ),
            ));
            default.requests_per_minute
        }),
    };
    let reserve_percent = match reserve_percent {
        None => DEFAULT_RESERVE_PERCENT,
        Some(n) => u8::try_from(n)
            .ok()
            .filter(|n| *n <= MAX_RESERVE_PERCENT)
            .unwrap_or_else(|| {
                errors.push(ConfigError::new(
                    RESERVE_PERCENT,
                    format!("is {n}, but must lie between 0 and {MAX_RESERVE_PERCENT} (percent of the budget)."),
                    format!(
                        "Use a share such as {DEFAULT_RESERVE_PERCENT}, so that background work (counts, CSV exports) can still move, or leave the field out."
                    ),
                ));
                DEFAULT_RESERVE_PERCENT
            }),
    };
    Budget {
        requests_per_minute,
        reserve_percent,
    }
}

#[cfg(test)]
mod tests {
    use crate::config::load_config;
    use crate::config::test_support::{ORIGIN, fields};
    use crate::scheduler::Budget;

    fn with(extra: &str) -> String {
        format!(r#"{{"client_id":"c","token_proxy_url":"/p"{extra}}}"#)
    }

    #[test]
    fn the_budget_defaults_to_webexs_documented_limit_with_a_reserve() {
        let config = load_config(&with(""), ORIGIN, "/").unwrap();
        assert_eq!(
            config.api_budget,
            Budget {
                requests_per_minute: 300,
                reserve_percent: 20
            }
        );
        let config = load_config(
            &with(r#","api_requests_per_minute":50,"api_reserve_percent":0"#),
            ORIGIN,
            "/",
        )
        .unwrap();
        assert_eq!(
            config.api_budget,
            Budget {
                requests_per_minute: 50,
                reserve_percent: 0
            }
        );
    }

    #[test]
    fn wrong_budget_values_are_reported_with_a_fix() {
        for (extra, field) in [
            (r#","api_requests_per_minute":0"#, "api_requests_per_minute"),
            (
                r#","api_requests_per_minute":-5"#,
                "api_requests_per_minute",
            ),
            (
                r#","api_requests_per_minute":99999999999"#,
                "api_requests_per_minute",
            ),
            (
                r#","api_requests_per_minute":18446744073709551615"#,
                "api_requests_per_minute",
            ),
            (
                r#","api_requests_per_minute":12.5"#,
                "api_requests_per_minute",
            ),
            (
                r#","api_requests_per_minute":"300""#,
                "api_requests_per_minute",
            ),
            (r#","api_reserve_percent":91"#, "api_reserve_percent"),
            (r#","api_reserve_percent":-1"#, "api_reserve_percent"),
        ] {
            let errors = load_config(&with(extra), ORIGIN, "/").unwrap_err();
            assert_eq!(fields(&errors), [field], "{extra}");
            assert!(!errors[0].problem.is_empty() && !errors[0].fix.is_empty());
        }
        let both = load_config(
            &with(r#","api_requests_per_minute":0,"api_reserve_percent":100"#),
            ORIGIN,
            "/",
        )
        .unwrap_err();
        assert_eq!(
            fields(&both),
            ["api_requests_per_minute", "api_reserve_percent"]
        );
    }

    #[test]
    fn a_misspelt_budget_field_is_suggested() {
        let config = load_config(&with(r#","apiRequestsPerMinute":50"#), ORIGIN, "/").unwrap();
        assert!(config.warnings[0].contains("did you mean \"api_requests_per_minute\""));
    }
}

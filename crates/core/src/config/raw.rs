//! `config.json` as written: every field read by type, each wrongly typed one reported.

use serde_json::{Map, Value};

use super::ConfigError;

/// `config.json` as written, every field optional. Build it with [`RawConfig::from_json_str`]
/// (which reports wrongly-typed fields) or directly in tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawConfig {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    /// Either form of `scopes` in the file (list, or space-separated string) ends up here.
    pub scopes: Option<Vec<String>>,
    pub authorize_url: Option<String>,
    pub token_proxy_url: Option<String>,
    pub proxy_mode: Option<String>,
    pub region: Option<String>,
    pub api_base_url: Option<String>,
    pub identity_api_base_url: Option<String>,
    pub logout_url: Option<String>,
    /// Whole numbers as written; [`super::validate()`] checks their range.
    pub api_requests_per_minute: Option<i64>,
    pub api_reserve_percent: Option<i64>,
    /// Fields the app does not know; reported as warnings, not errors, so an old app keeps working
    /// with a newer config file.
    pub unknown_fields: Vec<String>,
}

pub(super) const KNOWN_FIELDS: [&str; 12] = [
    "client_id",
    "redirect_uri",
    "scopes",
    "authorize_url",
    "token_proxy_url",
    "proxy_mode",
    "region",
    "api_base_url",
    "identity_api_base_url",
    "logout_url",
    super::budget::REQUESTS_PER_MINUTE,
    super::budget::RESERVE_PERCENT,
];

// Fields are read by reference (not taken out of the map): removal would link BTreeMap's
// rebalancing code into the wasm for nothing.
fn read_string(
    map: &Map<String, Value>,
    field: &str,
    errors: &mut Vec<ConfigError>,
) -> Option<String> {
    match map.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            errors.push(ConfigError::new(
                field,
                format!("must be a string, but is {}.", json_kind(other)),
                format!("Write it in double quotes, e.g. \"{field}\": \"…\"."),
            ));
            None
        }
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn read_scopes(map: &Map<String, Value>, errors: &mut Vec<ConfigError>) -> Option<Vec<String>> {
    let fix =
        "Use a list like [\"cjp:config_read\", \"spark:people_read\"] or a space-separated string.";
    match map.get("scopes") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.split_whitespace().map(str::to_owned).collect()),
        Some(Value::Array(items)) => {
            let mut scopes = Vec::new();
            for item in items {
                match item {
                    Value::String(s) => scopes.push(s.clone()),
                    other => {
                        errors.push(ConfigError::new(
                            "scopes",
                            format!(
                                "contains {}, but every scope must be a string.",
                                json_kind(other)
                            ),
                            fix,
                        ));
                        return None;
                    }
                }
            }
            Some(scopes)
        }
        Some(other) => {
            errors.push(ConfigError::new(
                "scopes",
                format!("must be a list of strings, but is {}.", json_kind(other)),
                fix,
            ));
            None
        }
    }
}

impl RawConfig {
    /// Parses the text of `config.json`, reporting every wrongly-typed field at once.
    pub fn from_json_str(text: &str) -> Result<RawConfig, Vec<ConfigError>> {
        let value: Value = crate::json::parse(text).map_err(|e| {
            vec![ConfigError::new(
                "config.json",
                format!("is not valid JSON: {e}."),
                "Check for a missing comma or quote, or a trailing comma, near where the message points.",
            )]
        })?;
        let Value::Object(map) = value else {
            return Err(vec![ConfigError::new(
                "config.json",
                format!("must be a JSON object, but is {}.", json_kind(&value)),
                "Wrap the settings in { … }, e.g. {\"client_id\": \"…\", \"token_proxy_url\": \"/proxy\"}.",
            )]);
        };
        let mut errors = Vec::new();
        let mut raw = RawConfig {
            client_id: read_string(&map, "client_id", &mut errors),
            redirect_uri: read_string(&map, "redirect_uri", &mut errors),
            scopes: read_scopes(&map, &mut errors),
            authorize_url: read_string(&map, "authorize_url", &mut errors),
            token_proxy_url: read_string(&map, "token_proxy_url", &mut errors),
            proxy_mode: read_string(&map, "proxy_mode", &mut errors),
            region: read_string(&map, "region", &mut errors),
            api_base_url: read_string(&map, "api_base_url", &mut errors),
            identity_api_base_url: read_string(&map, "identity_api_base_url", &mut errors),
            logout_url: read_string(&map, "logout_url", &mut errors),
            api_requests_per_minute: super::budget::read_whole_number(
                &map,
                super::budget::REQUESTS_PER_MINUTE,
                &mut errors,
            ),
            api_reserve_percent: super::budget::read_whole_number(
                &map,
                super::budget::RESERVE_PERCENT,
                &mut errors,
            ),
            unknown_fields: Vec::new(),
        };
        raw.unknown_fields = map
            .keys()
            .filter(|key| !KNOWN_FIELDS.contains(&key.as_str()))
            .cloned()
            .collect();
        if errors.is_empty() {
            Ok(raw)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_config;
    use crate::config::test_support::{ORIGIN, fields};

    #[test]
    fn json_type_errors_are_all_reported() {
        let errors = RawConfig::from_json_str(r#"{"client_id": 5, "scopes": [1], "region": true}"#)
            .unwrap_err();
        assert_eq!(fields(&errors), ["client_id", "scopes", "region"]);
        assert!(errors[0].problem.contains("a number"));
    }

    #[test]
    fn broken_json_and_non_objects_say_so() {
        let errors = load_config("{\"client_id\": \"x\",}", ORIGIN, "/").unwrap_err();
        assert_eq!(fields(&errors), ["config.json"]);
        assert!(errors[0].problem.contains("line 1"));
        let errors = load_config("[]", ORIGIN, "/").unwrap_err();
        assert!(errors[0].problem.contains("a list"));
        assert!(load_config("", ORIGIN, "/").is_err());
    }
}

//! `_headers` (the Netlify / Cloudflare Pages format the build writes) as CloudFront sees it: one
//! response headers policy for the default behaviour (the `/*` rule) and one cache behaviour per
//! other rule, and the way back from a template to the headers each path gets, so a test can show
//! that the template and `_headers` agree.

use serde_json::{Value, json};

use crate::util::Result;

/// One `_headers` rule: a path pattern and the headers every matching response gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

/// Reads `_headers`: a path at the start of a line, its `Name: value` lines indented below it.
pub fn parse(text: &str) -> Result<Vec<Rule>> {
    let mut rules: Vec<Rule> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            rules.push(Rule {
                path: trimmed.to_string(),
                headers: Vec::new(),
            });
            continue;
        }
        let (name, value) = trimmed.split_once(':').ok_or_else(|| {
            format!(
                "_headers line {}: `{trimmed}` is not `Name: value`",
                number + 1
            )
        })?;
        let rule = rules
            .last_mut()
            .ok_or_else(|| format!("_headers line {}: a header before any path", number + 1))?;
        rule.headers
            .push((name.trim().to_string(), value.trim().to_string()));
    }
    Ok(rules)
}

/// Whether a `_headers` path pattern matches a request path: `*` matches anything (slashes too),
/// `:name` one path segment.
pub fn headers_pattern_matches(pattern: &str, path: &str) -> bool {
    glob(pattern.as_bytes(), path.as_bytes(), true)
}

/// Whether a CloudFront path pattern matches a request path: `*` matches anything, `?` one
/// character; the leading `/` is optional.
pub fn cloudfront_pattern_matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.strip_prefix('/').unwrap_or(pattern);
    let path = path.strip_prefix('/').unwrap_or(path);
    glob(pattern.as_bytes(), path.as_bytes(), false)
}

fn glob(pattern: &[u8], text: &[u8], placeholders: bool) -> bool {
    match pattern.first() {
        None => text.is_empty(),
        Some(b'*') => (0..=text.len()).any(|skip| glob(&pattern[1..], &text[skip..], placeholders)),
        Some(b':') if placeholders => {
            let name_end = pattern[1..]
                .iter()
                .position(|c| !c.is_ascii_alphanumeric() && *c != b'_')
                .map_or(pattern.len(), |p| p + 1);
            let segment_end = text.iter().position(|c| *c == b'/').unwrap_or(text.len());
            segment_end > 0 && glob(&pattern[name_end..], &text[segment_end..], placeholders)
        }
        Some(b'?') if !placeholders => {
            !text.is_empty() && glob(&pattern[1..], &text[1..], placeholders)
        }
        Some(c) => text.first() == Some(c) && glob(&pattern[1..], &text[1..], placeholders),
    }
}

/// The headers a path gets from `_headers`: every matching rule, later rules overriding a header of
/// the same name.
pub fn headers_for(rules: &[Rule], path: &str) -> Vec<(String, String)> {
    let mut headers = Vec::new();
    for rule in rules
        .iter()
        .filter(|r| headers_pattern_matches(&r.path, path))
    {
        merge(&mut headers, &rule.headers);
    }
    headers
}

fn merge(into: &mut Vec<(String, String)>, from: &[(String, String)]) {
    for (name, value) in from {
        match into.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some(existing) => existing.1 = value.clone(),
            None => into.push((name.clone(), value.clone())),
        }
    }
}

/// A cache behaviour for one `_headers` rule other than `/*`.
#[derive(Debug, PartialEq)]
pub struct Behaviour {
    /// The CloudFront path pattern (the rule's path below the base path).
    pub path_pattern: String,
    /// The logical id of its response headers policy.
    pub policy: String,
    /// What the policy sets: the `/*` headers with the rule's own over them.
    pub headers: Vec<(String, String)>,
    /// The `_headers` path it comes from.
    pub source: String,
}

/// The CloudFront side of `_headers`.
#[derive(Debug, PartialEq)]
pub struct Layout {
    /// The default behaviour's policy (`SiteHeaders`): the `/*` rule.
    pub default: Vec<(String, String)>,
    pub behaviours: Vec<Behaviour>,
}

pub const DEFAULT_POLICY: &str = "SiteHeaders";

/// One default policy for `/*` and a behaviour per other rule, with paths below `base_path`.
pub fn layout(rules: &[Rule], base_path: &str) -> Result<Layout> {
    let mut default = Vec::new();
    for rule in rules.iter().filter(|r| r.path == "/*") {
        merge(&mut default, &rule.headers);
    }
    let prefix = base_path.trim_end_matches('/');
    let mut behaviours: Vec<Behaviour> = Vec::new();
    for rule in rules.iter().filter(|r| r.path != "/*") {
        if rule.path == "/" || !rule.path.starts_with('/') {
            return Err(format!(
                "_headers path `{}` has no CloudFront cache behaviour equivalent (only the default \
                 behaviour matches the bare root)",
                rule.path
            ));
        }
        let pattern = format!("{prefix}{}", placeholders_as_stars(&rule.path));
        let mut headers = default.clone();
        merge(&mut headers, &rule.headers);
        match behaviours.iter_mut().find(|b| b.path_pattern == pattern) {
            Some(existing) => merge(&mut existing.headers, &rule.headers),
            None => behaviours.push(Behaviour {
                policy: format!("{DEFAULT_POLICY}{}", behaviours.len() + 1),
                path_pattern: pattern,
                headers,
                source: rule.path.clone(),
            }),
        }
    }
    if behaviours.len() > MAX_SITE_BEHAVIOURS {
        return Err(format!(
            "_headers has {} path rules besides /*, but a CloudFront distribution takes {} cache \
             behaviours by default (one is the proxy's): join rules with patterns such as /*.wasm",
            behaviours.len(),
            MAX_SITE_BEHAVIOURS + 1
        ));
    }
    Ok(Layout {
        default,
        behaviours,
    })
}

/// CloudFront's default quota of cache behaviours per distribution, less the proxy's.
const MAX_SITE_BEHAVIOURS: usize = 24;

fn placeholders_as_stars(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with(':') {
                "*"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

const REFERRER_POLICIES: [&str; 8] = [
    "no-referrer",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
];

/// A response headers policy resource (CloudFormation, as JSON) that sets exactly `headers`:
/// the security headers CloudFront knows by name in `SecurityHeadersConfig`, the rest as custom
/// headers. Every header overrides what the origin sent.
pub fn policy_resource(name: &str, comment: &str, headers: &[(String, String)]) -> Result<Value> {
    let mut security = serde_json::Map::new();
    let mut custom = Vec::new();
    for (name, value) in headers {
        let unsupported = |why: &str| format!("`{name}: {value}` in _headers: {why}");
        match name.to_ascii_lowercase().as_str() {
            "content-security-policy" => {
                // CloudFront's own limit on this header's value.
                if value.len() > 1783 {
                    return Err(unsupported("CloudFront allows at most 1783 characters"));
                }
                security.insert(
                    "ContentSecurityPolicy".into(),
                    json!({"ContentSecurityPolicy": value, "Override": true}),
                );
            }
            "strict-transport-security" => {
                let hsts = Hsts::parse(value).ok_or_else(|| {
                    unsupported("not `max-age=N[; includeSubDomains][; preload]`")
                })?;
                security.insert(
                    "StrictTransportSecurity".into(),
                    json!({"AccessControlMaxAgeSec": hsts.max_age, "IncludeSubdomains": hsts.include_subdomains,
                           "Preload": hsts.preload, "Override": true}),
                );
            }
            "x-frame-options" => {
                let option = value.to_ascii_uppercase();
                if option != "DENY" && option != "SAMEORIGIN" {
                    return Err(unsupported("CloudFront knows only DENY and SAMEORIGIN"));
                }
                security.insert(
                    "FrameOptions".into(),
                    json!({"FrameOption": option, "Override": true}),
                );
            }
            "referrer-policy" => {
                if !REFERRER_POLICIES.contains(&value.as_str()) {
                    return Err(unsupported("not a single referrer policy CloudFront knows"));
                }
                security.insert(
                    "ReferrerPolicy".into(),
                    json!({"ReferrerPolicy": value, "Override": true}),
                );
            }
            "x-content-type-options" => {
                if value != "nosniff" {
                    return Err(unsupported("CloudFront sets only nosniff"));
                }
                security.insert("ContentTypeOptions".into(), json!({"Override": true}));
            }
            "x-xss-protection" => return Err(unsupported("not supported by this translation")),
            _ => custom.push(json!({"Header": name, "Value": value, "Override": true})),
        }
    }
    let mut config = serde_json::Map::new();
    config.insert(
        "Name".into(),
        json!({"Fn::Sub": format!("${{AWS::StackName}}-{name}")}),
    );
    config.insert("Comment".into(), json!(comment));
    if !security.is_empty() {
        config.insert("SecurityHeadersConfig".into(), Value::Object(security));
    }
    if !custom.is_empty() {
        config.insert("CustomHeadersConfig".into(), json!({"Items": custom}));
    }
    Ok(json!({
        "Type": "AWS::CloudFront::ResponseHeadersPolicy",
        "Properties": {"ResponseHeadersPolicyConfig": config},
    }))
}

/// The headers a response headers policy resource sets, as `_headers` would write them.
pub fn policy_headers(resource: &Value) -> Vec<(String, String)> {
    let config = &resource["Properties"]["ResponseHeadersPolicyConfig"];
    let security = &config["SecurityHeadersConfig"];
    let mut headers = Vec::new();
    if let Some(csp) = security["ContentSecurityPolicy"]["ContentSecurityPolicy"].as_str() {
        headers.push(("Content-Security-Policy".to_string(), csp.to_string()));
    }
    let hsts = &security["StrictTransportSecurity"];
    if let Some(max_age) = hsts["AccessControlMaxAgeSec"].as_u64() {
        let value = Hsts {
            max_age,
            include_subdomains: hsts["IncludeSubdomains"].as_bool() == Some(true),
            preload: hsts["Preload"].as_bool() == Some(true),
        };
        headers.push(("Strict-Transport-Security".to_string(), value.to_string()));
    }
    if let Some(option) = security["FrameOptions"]["FrameOption"].as_str() {
        headers.push(("X-Frame-Options".to_string(), option.to_string()));
    }
    if let Some(policy) = security["ReferrerPolicy"]["ReferrerPolicy"].as_str() {
        headers.push(("Referrer-Policy".to_string(), policy.to_string()));
    }
    if security["ContentTypeOptions"].is_object() {
        headers.push(("X-Content-Type-Options".to_string(), "nosniff".to_string()));
    }
    for item in config["CustomHeadersConfig"]["Items"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if let (Some(name), Some(value)) = (item["Header"].as_str(), item["Value"].as_str()) {
            headers.push((name.to_string(), value.to_string()));
        }
    }
    headers
}

/// Header lists compared as browsers see them: names case-insensitively, order ignored, HSTS by
/// its parts.
pub fn same_headers(a: &[(String, String)], b: &[(String, String)]) -> bool {
    let canonical = |list: &[(String, String)]| {
        let mut out: Vec<(String, String)> = list
            .iter()
            .map(|(name, value)| {
                let name = name.to_ascii_lowercase();
                let value = match name.as_str() {
                    "strict-transport-security" => {
                        Hsts::parse(value).map_or(value.clone(), |h| h.to_string())
                    }
                    "x-frame-options" => value.to_ascii_uppercase(),
                    _ => value.clone(),
                };
                (name, value)
            })
            .collect();
        out.sort();
        out
    };
    canonical(a) == canonical(b)
}

/// `Strict-Transport-Security` by its parts.
struct Hsts {
    max_age: u64,
    include_subdomains: bool,
    preload: bool,
}

impl Hsts {
    fn parse(value: &str) -> Option<Hsts> {
        let mut hsts = Hsts {
            max_age: u64::MAX,
            include_subdomains: false,
            preload: false,
        };
        for part in value.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let lower = part.to_ascii_lowercase();
            if let Some(age) = lower.strip_prefix("max-age=") {
                hsts.max_age = age.parse().ok()?;
            } else if lower == "includesubdomains" {
                hsts.include_subdomains = true;
            } else if lower == "preload" {
                hsts.preload = true;
            } else {
                return None;
            }
        }
        (hsts.max_age != u64::MAX).then_some(hsts)
    }
}

impl std::fmt::Display for Hsts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "max-age={}", self.max_age)?;
        if self.include_subdomains {
            write!(f, "; includeSubDomains")?;
        }
        if self.preload {
            write!(f, "; preload")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "/*\n  Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\n  \
        Referrer-Policy: no-referrer\n  X-Content-Type-Options: nosniff\n  X-Frame-Options: DENY\n  \
        Strict-Transport-Security: max-age=63072000; includeSubDomains\n  \
        Cross-Origin-Opener-Policy: same-origin\n# assets\n/config.json\n  Cache-Control: no-cache\n\
        /assets/:file\n  Cache-Control: public, max-age=31536000, immutable\n";

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_rules_and_refuses_what_is_not_headers() {
        let rules = parse(SAMPLE).unwrap();
        assert_eq!(
            rules.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(),
            ["/*", "/config.json", "/assets/:file"]
        );
        assert_eq!(rules[0].headers.len(), 6);
        assert_eq!(rules[1].headers, pairs(&[("Cache-Control", "no-cache")]));
        assert!(parse("  X: y\n").unwrap_err().contains("before any path"));
        assert!(parse("/*\n  no colon\n").unwrap_err().contains("line 2"));
    }

    #[test]
    fn patterns_match_as_each_host_documents() {
        assert!(headers_pattern_matches("/*", "/"));
        assert!(headers_pattern_matches("/*", "/a/b.js"));
        assert!(headers_pattern_matches("/assets/:file", "/assets/app.js"));
        assert!(!headers_pattern_matches("/assets/:file", "/assets/a/b.js"));
        assert!(!headers_pattern_matches("/config.json", "/config.jsonx"));
        assert!(cloudfront_pattern_matches("/proxy/*", "/proxy/token"));
        assert!(cloudfront_pattern_matches("*.wasm", "/x/app-1.wasm"));
        assert!(cloudfront_pattern_matches("/a?c", "/abc"));
        assert!(!cloudfront_pattern_matches("/config.json", "/index.html"));
    }

    #[test]
    fn every_rule_but_the_default_gets_a_behaviour_with_the_default_headers_under_its_own() {
        let rules = parse(SAMPLE).unwrap();
        let layout = layout(&rules, "/console/").unwrap();
        assert_eq!(layout.default, rules[0].headers);
        let patterns: Vec<&str> = layout
            .behaviours
            .iter()
            .map(|b| b.path_pattern.as_str())
            .collect();
        assert_eq!(patterns, ["/console/config.json", "/console/assets/*"]);
        let config = &layout.behaviours[0];
        assert_eq!(config.policy, "SiteHeaders1");
        assert_eq!(config.headers.len(), 7);
        assert!(
            config
                .headers
                .contains(&("Cache-Control".into(), "no-cache".into()))
        );
        let root = parse("/*\n  A: b\n/\n  Cache-Control: no-cache\n").unwrap();
        assert!(layout_err(&root).contains("bare root"));
        let many: String = (0..25)
            .map(|i| format!("/f{i}.js\n  Cache-Control: no-cache\n"))
            .collect();
        assert!(layout_err(&parse(&many).unwrap()).contains("25 path rules"));
    }

    fn layout_err(rules: &[Rule]) -> String {
        layout(rules, "/").unwrap_err()
    }

    #[test]
    fn a_policy_gives_back_exactly_its_headers() {
        let rules = parse(SAMPLE).unwrap();
        let merged = headers_for(&rules, "/config.json");
        let resource = policy_resource("site-1", "_headers /config.json", &merged).unwrap();
        let config = &resource["Properties"]["ResponseHeadersPolicyConfig"];
        assert_eq!(
            config["SecurityHeadersConfig"]["StrictTransportSecurity"]["AccessControlMaxAgeSec"],
            63072000
        );
        assert_eq!(
            config["CustomHeadersConfig"]["Items"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert!(same_headers(&policy_headers(&resource), &merged));
        let mut changed = merged.clone();
        changed[0].1.push_str("; img-src *");
        assert!(!same_headers(&policy_headers(&resource), &changed));
    }

    #[test]
    fn headers_cloudfront_cannot_set_are_refused_by_name() {
        for (name, value) in [
            ("X-Frame-Options", "ALLOW-FROM https://x"),
            ("X-Content-Type-Options", "other"),
            ("Referrer-Policy", "no-referrer, origin"),
            ("Strict-Transport-Security", "max-age=soon"),
        ] {
            let error = policy_resource("p", "c", &pairs(&[(name, value)])).unwrap_err();
            assert!(error.contains(name), "{error}");
        }
        let long = "x".repeat(1784);
        assert!(policy_resource("p", "c", &pairs(&[("Content-Security-Policy", &long)])).is_err());
    }
}

//! The `_headers` file of Netlify and Cloudflare Pages: a path pattern on its own line, then
//! indented `Name: value` lines that apply to every response whose path matches.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pattern: String,
    pub headers: Vec<(String, String)>,
}

impl Rule {
    /// `/*` matches everything, `/docs/*` everything below /docs/, anything else exactly.
    pub fn matches(&self, path: &str) -> bool {
        match self.pattern.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => path == self.pattern,
        }
    }
}

/// Parses the file; a header line before any pattern, or without a colon, is an error that says
/// which line is wrong.
pub fn parse(text: &str) -> Result<Vec<Rule>, String> {
    let mut rules: Vec<Rule> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let number = number + 1;
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if !line.starts_with(char::is_whitespace) {
            rules.push(Rule {
                pattern: line.trim().to_string(),
                headers: Vec::new(),
            });
            continue;
        }
        let rule = rules.last_mut().ok_or(format!(
            "_headers line {number}: a header comes before any path pattern"
        ))?;
        let (name, value) = line
            .trim()
            .split_once(':')
            .ok_or(format!("_headers line {number}: expected `Name: value`"))?;
        rule.headers
            .push((name.trim().to_string(), value.trim().to_string()));
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_patterns_and_headers() {
        let rules = parse("/*\n  Referrer-Policy: no-referrer\n  X-A: b: c\n/config.json\n  Cache-Control: no-cache\n").unwrap();
        assert_eq!(rules.len(), 2);
        assert!(rules[0].matches("/anything/at/all"));
        assert_eq!(rules[0].headers[1], ("X-A".to_string(), "b: c".to_string()));
        assert!(rules[1].matches("/config.json"));
        assert!(!rules[1].matches("/config.json.bak"));
    }

    #[test]
    fn rejects_headers_without_a_pattern() {
        assert!(parse("  X-A: b\n").unwrap_err().contains("line 1"));
        assert!(parse("/*\n  no colon\n").unwrap_err().contains("line 2"));
    }
}

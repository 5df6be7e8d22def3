//! The one HTML escaper, for the pages written as text on the server side (the sandbox's consent
//! and error pages). The SPA writes no markup as text: Leptos escapes what its views show.

/// `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_both_quotes_become_entities() {
        assert_eq!(escape("a'b\"c&<>"), "a&#39;b&quot;c&amp;&lt;&gt;");
        assert_eq!(
            escape("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(escape("plain é"), "plain é");
    }
}

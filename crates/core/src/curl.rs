//! "Copy as cURL" for the explorer. The redacted form (the default) refers to the token through
//! `$WXCC_ACCESS_TOKEN` and never contains it.

use crate::secret::AccessToken;

/// The environment variable the redacted command reads the token from.
pub const TOKEN_ENV_VAR: &str = "WXCC_ACCESS_TOKEN";

/// Single-quotes a word for POSIX shells (`'` becomes `'\''`).
pub fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// Renders the request as a multi-line cURL command. The `Authorization` header is always built
/// from `token`; any `Authorization` in `headers` is dropped. With `reveal == false` the token is
/// written as `"Bearer $WXCC_ACCESS_TOKEN"` (double quotes, so the shell expands it), and should the
/// token appear anywhere else (URL, header) it is replaced by `[redacted]`.
pub fn render_curl(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    token: &AccessToken,
    reveal: bool,
) -> String {
    let scrub = |text: &str| -> String {
        if reveal || token.is_empty() {
            text.to_owned()
        } else {
            text.replace(token.secret(), "[redacted]")
        }
    };
    let method = method.trim().to_ascii_uppercase();
    let method = if !method.is_empty() && method.chars().all(|c| c.is_ascii_alphabetic()) {
        method
    } else {
        shell_quote(&scrub(&method))
    };
    let mut parts = vec![
        format!("curl --request {method}"),
        format!("--url {}", shell_quote(&scrub(url))),
    ];
    parts.push(if reveal {
        format!(
            "--header {}",
            shell_quote(&format!("Authorization: Bearer {}", token.secret()))
        )
    } else {
        format!("--header \"Authorization: Bearer ${TOKEN_ENV_VAR}\"")
    });
    for (name, value) in headers {
        if name.trim().eq_ignore_ascii_case("authorization") {
            continue;
        }
        parts.push(format!(
            "--header {}",
            shell_quote(&scrub(&format!("{}: {}", name.trim(), value)))
        ));
    }
    parts.join(" \\\n  ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "ZDI3MGEyYzQtNmFl_PF84_1eb65fdf-9643-417f-9974-ad72cae0e10f";
    const URL: &str = "https://api.wxcc-us1.cisco.com/organization/o/v2/user?filter=firstName%3D%3D%22Ann%22&page=0";

    #[test]
    fn redacted_form_uses_the_variable_and_never_the_token() {
        let token = AccessToken::new(TOKEN);
        let headers = [
            ("Accept", "application/json"),
            ("Authorization", &*format!("Bearer {TOKEN}")),
            ("X-Echo", TOKEN),
        ];
        let url_with_token = format!("{URL}&access_token={TOKEN}");
        let curl = render_curl("get", &url_with_token, &headers, &token, false);
        assert!(!curl.contains(TOKEN), "{curl}");
        assert!(!curl.contains("ZDI3MGEy"));
        assert_eq!(
            curl,
            format!(
                "curl --request GET \\\n  --url '{URL}&access_token=[redacted]' \\\n  --header \"Authorization: Bearer $WXCC_ACCESS_TOKEN\" \\\n  --header 'Accept: application/json' \\\n  --header 'X-Echo: [redacted]'"
            )
        );
    }

    #[test]
    fn revealed_form_has_the_token_once() {
        let token = AccessToken::new(TOKEN);
        let curl = render_curl("GET", URL, &[], &token, true);
        assert_eq!(curl.matches(TOKEN).count(), 1);
        assert!(curl.contains(&format!("--header 'Authorization: Bearer {TOKEN}'")));
    }

    #[test]
    fn quoting_survives_hostile_input() {
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        let curl = render_curl(
            "GET; rm -rf /",
            "https://x/?q=$(id)'",
            &[("X-A", "`id`")],
            &AccessToken::new("t0k"),
            false,
        );
        assert!(curl.starts_with("curl --request 'GET; RM -RF /'"));
        assert!(curl.contains(r"--url 'https://x/?q=$(id)'\'''"));
        assert!(curl.contains("--header 'X-A: `id`'"));
    }
}

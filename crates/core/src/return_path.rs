//! Where sign-in returns to: the path and query of the deep link the user opened while signed
//! out. It is stored with the pending sign-in and only ever used as a same-origin, app-relative
//! path, so a crafted value can never send the user to another site (no open redirect).

use percent_encoding::percent_decode_str;

/// The longest return path kept; a longer one returns to the start page.
const MAX_LEN: usize = 2_048;

/// Keeps `path` only if it is an app-relative path on this origin (`/x…`): not `//host`, no
/// backslash (which browsers read as `/`), no control or space characters, no scheme, nothing that
/// becomes one of those once percent-decoded (`/%2F%2Fevil.example`, `/%5Cevil`), and not the
/// callback itself.
pub fn safe_return_path(path: &str) -> Option<String> {
    let plain = |text: &str| {
        text.starts_with('/')
            && !text.starts_with("//")
            && !text.contains('\\')
            && !text.chars().any(|c| c.is_control() || c.is_whitespace())
    };
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    let route = path.split(['?', '#']).next().unwrap_or_default();
    let ok = path.len() <= MAX_LEN
        && plain(path)
        && plain(&decoded)
        && !decoded
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .contains(':')
        && route != "/callback"
        && !route.starts_with("/callback/");
    ok.then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_paths_with_queries_are_kept() {
        for good in [
            "/",
            "/config/users?page=2",
            "/config/users?filter=name%3D%3D%22a+b%22&pageSize=10",
            "/explorer?endpoint=users-list&p.from=1&run=1",
            "/activity?from=1&to=2#tasks",
            "/token",
        ] {
            assert_eq!(safe_return_path(good).as_deref(), Some(good), "{good}");
        }
    }

    #[test]
    fn hostile_paths_are_refused() {
        for bad in [
            "",
            "users",
            "//evil.example",
            "//evil.example/config/users",
            "///evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "https:evil.example",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " /config",
            "/config\n/users",
            "/a\tb",
            "/%2F%2Fevil.example",
            "/%2f/evil.example",
            "%2F%2Fevil.example",
            "/%5Cevil.example",
            "/%5cevil.example",
            "/javascript%3Aalert(1)",
            "/%0d%0aSet-Cookie:x",
            "/%E0%A4%A",
            "/%ff",
            "/callback",
            "/callback?code=x&state=y",
            "/callback/",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
        let long = format!("/config/users?q={}", "a".repeat(MAX_LEN));
        assert_eq!(safe_return_path(&long), None);
    }

    #[test]
    fn every_kept_path_resolves_to_this_origin() {
        // The reference: what a browser's URL parser makes of the path against the app's origin.
        let base = url::Url::parse("https://console.example.com/").unwrap();
        for candidate in [
            "/config/users?page=2",
            "/%2e%2e/%2e%2e/x",
            "/a/../../b",
            "/.%2e/x",
            "/x?next=//evil.example",
            "/x#//evil.example",
            "/@evil.example",
            "/x@evil.example:80",
        ] {
            if let Some(kept) = safe_return_path(candidate) {
                let resolved = base.join(&kept).unwrap();
                assert_eq!(resolved.origin(), base.origin(), "{candidate}");
            }
        }
    }
}

//! The console's pages and how an address maps to one.
//!
//! The app has nine flat routes, so the SPA matches them here with a plain function instead of
//! a router crate's nested matcher (`leptos_router` is large for the size budget: see the README,
//! Performance). Paths are relative to the deployment's base path (`/console/token` is `/token`
//! under `/console/`); the shell strips the base and keeps the query separately.

use percent_encoding::percent_decode_str;

/// One page of the console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    /// The redirect URI.
    Callback,
    /// The token inspector.
    Token,
    /// The grant-flow view.
    Flow,
    /// A configuration list (`/config/users`) or one item (`/config/users/<id>`).
    Config {
        slug: String,
        id: Option<String>,
    },
    Activity,
    Explorer,
    /// Bulk provisioning from a CSV file.
    Provision,
    NotFound,
}

impl Route {
    /// Matches an in-app path such as `/config/users/42`. A trailing slash is ignored; segments
    /// are percent-decoded; anything else, or an undecodable segment, is `NotFound`.
    pub fn parse(path: &str) -> Route {
        let Some(rest) = path.strip_prefix('/') else {
            return Route::NotFound;
        };
        if rest.starts_with('/') {
            return Route::NotFound;
        }
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let segments: Option<Vec<String>> = if rest.is_empty() {
            Some(Vec::new())
        } else {
            rest.split('/').map(percent_decode).collect()
        };
        let Some(segments) = segments else {
            return Route::NotFound;
        };
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        match segments.as_slice() {
            [] => Route::Home,
            ["callback"] => Route::Callback,
            ["token"] => Route::Token,
            ["flow"] => Route::Flow,
            ["activity"] => Route::Activity,
            ["explorer"] => Route::Explorer,
            ["provision"] => Route::Provision,
            ["config", slug] if !slug.is_empty() => Route::Config {
                slug: slug.to_string(),
                id: None,
            },
            ["config", slug, id] if !slug.is_empty() && !id.is_empty() => Route::Config {
                slug: slug.to_string(),
                id: Some(id.to_string()),
            },
            _ => Route::NotFound,
        }
    }
}

/// The in-app part of a browser path: `/console/token` under the base `/console/` is `/token`.
/// `None` when the path is outside the base (the app is not responsible for it).
pub fn strip_base<'a>(pathname: &'a str, base: &str) -> Option<&'a str> {
    let base = base.trim_end_matches('/');
    let rest = pathname.strip_prefix(base)?;
    if rest.is_empty() {
        Some("/")
    } else if rest.starts_with('/') {
        Some(rest)
    } else {
        None
    }
}

/// The pairs of a query string (`location.search`, with or without the leading `?`), form-decoded
/// (`+` is a space), in order and with repeats. Every query core reads goes through here.
pub fn query_pairs(search: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(search.trim_start_matches('?').as_bytes())
        .into_owned()
        .collect()
}

/// The value of `key` in a query string (see [`query_pairs`]); the first one wins when a key
/// repeats.
pub fn query_value(search: &str, key: &str) -> Option<String> {
    query_pairs(search)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// Pairs as a form-encoded query string (no leading `?`; a space becomes `+`).
pub fn form_encode<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// `%XX` decoding of one path segment; `None` for a broken escape (a `%` not followed by two hex
/// digits, which `percent_decode_str` would keep as text) or bytes that are not UTF-8.
fn percent_decode(segment: &str) -> Option<String> {
    let escapes_are_whole = segment.split('%').skip(1).all(|after| {
        after
            .as_bytes()
            .get(..2)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !escapes_are_whole {
        return None;
    }
    percent_decode_str(segment)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(slug: &str, id: Option<&str>) -> Route {
        Route::Config {
            slug: slug.into(),
            id: id.map(Into::into),
        }
    }

    #[test]
    fn every_page_matches_its_path() {
        let table = [
            ("/", Route::Home),
            ("/callback", Route::Callback),
            ("/token", Route::Token),
            ("/flow", Route::Flow),
            ("/activity", Route::Activity),
            ("/explorer", Route::Explorer),
            ("/provision", Route::Provision),
            ("/config/users", config("users", None)),
            ("/config/users/42", config("users", Some("42"))),
        ];
        for (path, route) in table {
            assert_eq!(Route::parse(path), route, "{path}");
        }
    }

    #[test]
    fn a_trailing_slash_is_the_same_page() {
        assert_eq!(Route::parse("/token/"), Route::Token);
        assert_eq!(Route::parse("/config/teams/"), config("teams", None));
    }

    #[test]
    fn segments_are_percent_decoded() {
        assert_eq!(
            Route::parse("/config/users/a%20b%2Fc"),
            config("users", Some("a b/c"))
        );
        assert_eq!(
            Route::parse("/config/users/caf%C3%A9"),
            config("users", Some("café"))
        );
        assert_eq!(
            Route::parse("/config/users/caf%c3%a9%41"),
            config("users", Some("caféA")),
            "lowercase hex too"
        );
    }

    #[test]
    fn unknown_or_malformed_paths_are_not_found() {
        for path in [
            "",
            "token",
            "/nope",
            "/config",
            "/config/",
            "/config//42",
            "/config/users/42/more",
            "/token/extra",
            "/config/users/%zz",
            "/config/users/%4",
            "/config/users/%ff",
            "/config/users/%+1",
            "/config/users/%%41",
            "/config/users/a%",
            "//",
        ] {
            assert_eq!(Route::parse(path), Route::NotFound, "{path:?}");
        }
    }

    #[test]
    fn the_base_path_is_stripped_only_when_it_is_a_prefix_of_whole_segments() {
        assert_eq!(strip_base("/token", "/"), Some("/token"));
        assert_eq!(strip_base("/", "/"), Some("/"));
        assert_eq!(strip_base("/console/token", "/console/"), Some("/token"));
        assert_eq!(strip_base("/console/", "/console/"), Some("/"));
        assert_eq!(strip_base("/console", "/console/"), Some("/"));
        assert_eq!(strip_base("/consoles/token", "/console/"), None);
        assert_eq!(strip_base("/other/token", "/console/"), None);
    }

    #[test]
    fn query_pairs_keep_order_and_repeats() {
        let pairs = |search| {
            query_pairs(search)
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(pairs("?b=2&a=1&b=3"), ["b=2", "a=1", "b=3"]);
        assert_eq!(pairs("x=a+b%26c&flag&=v"), ["x=a b&c", "flag=", "=v"]);
        assert_eq!(
            pairs("??state=s"),
            ["state=s"],
            "every leading ? is dropped"
        );
        assert!(pairs("").is_empty() && pairs("?").is_empty());
    }

    #[test]
    fn query_values_are_decoded_and_the_first_wins() {
        let search = "?endpoint=users-list&p.filter=name%3D%3D%22a+b%22&run=1&run=2";
        assert_eq!(
            query_value(search, "endpoint").as_deref(),
            Some("users-list")
        );
        assert_eq!(
            query_value(search, "p.filter").as_deref(),
            Some("name==\"a b\"")
        );
        assert_eq!(query_value(search, "run").as_deref(), Some("1"));
        assert_eq!(query_value(search, "missing"), None);
        assert_eq!(
            query_value("from=1&to=2", "to").as_deref(),
            Some("2"),
            "without the leading ?"
        );
        assert_eq!(query_value("", "to"), None);
    }
}

//! Which calls are one request, which answers are kept, and what a write makes stale.
//!
//! - Identical GETs (same method and URL) in flight are one request: [`coalescing_key`]. Writes
//!   never are: two identical POSTs are two intentions.
//! - Paged list answers are kept for [`DEFAULT_FRESH_FOR_MS`], the one-item pages the overview
//!   counts with for [`COUNT_FRESH_FOR_MS`], and shared by the tabs: [`is_cacheable`],
//!   [`fresh_for_ms`], [`is_fresh`].
//! - A successful write makes every kept answer under the collection it touched stale:
//!   [`touched_prefix`], [`is_touched`].
//! - An explicit "Refresh" asks for [`Freshness::Refresh`]: the network, whatever is kept.

use serde_json::Value;

/// How long a kept list answer is served without asking the API again.
pub const DEFAULT_FRESH_FOR_MS: u64 = 30_000;

/// How long a kept count (a one-item page) is served. Longer than a list: the overview asks for
/// nine at every visit, which at a person's share of a busy org's budget (a few calls a minute) would
/// leave it waiting most of each minute, and a total that is minutes old is still the total the
/// person expects; writes from this console make it stale at once, and the overview's "Refresh
/// counts" asks again.
pub const COUNT_FRESH_FOR_MS: u64 = 300_000;

/// Where the kept answers live in localStorage: this prefix, then the coalescing key.
pub const STORAGE_PREFIX: &str = "wxcc.api-cache ";

/// Whether a call may be answered from what is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Freshness {
    /// A fresh kept answer will do (the default for every view).
    #[default]
    Cached,
    /// The person pressed "Refresh": ask the API, and keep its answer for the others.
    Refresh,
}

/// The key under which identical requests in flight become one, or `None` for a write.
pub fn coalescing_key(method: &str, url: &str) -> Option<String> {
    method
        .eq_ignore_ascii_case("GET")
        .then(|| format!("GET {url}"))
}

/// The localStorage key of a kept answer.
pub fn storage_key(coalescing_key: &str) -> String {
    format!("{STORAGE_PREFIX}{coalescing_key}")
}

/// Whether `key` (of localStorage) holds a kept answer.
pub fn is_storage_key(key: &str) -> bool {
    key.starts_with(STORAGE_PREFIX)
}

fn path_of(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

fn query_of(url: &str) -> &str {
    url.split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(q))
        .unwrap_or("")
}

/// Whether a GET's answer is a list or a count worth keeping: the paged lists answer to `page` /
/// `pageSize`, and the overview counts with a one-item page. Single records, the identity API
/// and anything else are asked every time.
pub fn is_cacheable(method: &str, url: &str) -> bool {
    method.eq_ignore_ascii_case("GET")
        && query_of(url).split('&').any(|pair| {
            let name = pair.split('=').next().unwrap_or("");
            name == "page" || name == "pageSize"
        })
}

/// How long the kept answer to `url` is served: a count's one-item page longer than a list.
pub fn fresh_for_ms(url: &str) -> u64 {
    let is_count = query_of(url).split('&').any(|pair| pair == "pageSize=1");
    if is_count {
        COUNT_FRESH_FOR_MS
    } else {
        DEFAULT_FRESH_FOR_MS
    }
}

/// Whether an answer kept at `stored_at_ms` may still be served at `now_ms`. One stored "in the
/// future" (the clock moved back) is not trusted.
pub fn is_fresh(stored_at_ms: u64, now_ms: u64, fresh_for_ms: u64) -> bool {
    stored_at_ms <= now_ms && now_ms - stored_at_ms < fresh_for_ms
}

/// The address prefix a successful write makes stale, or `None` for reads. A write to a record
/// (`PUT …/team/{id}`, `PATCH`, `DELETE`) touches its collection (`…/team`), where the lists and
/// counts that show it live; a `POST` touches the collection it posts to, and a bulk write
/// (`PATCH …/user/bulk`, `POST …/team/bulk`) the collection it writes into. The Search API's POST
/// is a read and touches nothing.
pub fn touched_prefix(method: &str, url: &str) -> Option<String> {
    let method = method.to_ascii_uppercase();
    let path = path_of(url).trim_end_matches('/');
    match method.as_str() {
        "GET" | "HEAD" | "OPTIONS" => None,
        _ if path.ends_with("/bulk") => Some(path.trim_end_matches("/bulk").to_string()),
        "POST" if path.ends_with(crate::catalogue::search::PATH) => None,
        "POST" => Some(path.to_string()),
        _ => Some(match path.rsplit_once('/') {
            Some((collection, _id))
                if collection.contains("://") || collection.starts_with('/') =>
            {
                collection.to_string()
            }
            _ => path.to_string(),
        }),
    }
}

/// Whether the kept answer for `cached_url` lies under `prefix` (whole path segments: `…/team`
/// touches `…/team?page=0` and `…/team/7`, not `…/teams`). Version segments do not count: the
/// writes live at `…/user/bulk` while the lists that show the users are `…/v2/user`.
pub fn is_touched(prefix: &str, cached_url: &str) -> bool {
    let prefix = without_versions(prefix.trim_end_matches('/'));
    let path = without_versions(path_of(cached_url).trim_end_matches('/'));
    path == prefix
        || path
            .strip_prefix(&prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// `path` without its `v2`, `v3`, … segments.
fn without_versions(path: &str) -> String {
    let is_version = |segment: &str| {
        segment.len() > 1
            && segment.starts_with('v')
            && segment[1..].bytes().all(|b| b.is_ascii_digit())
    };
    path.split('/')
        .filter(|segment| !is_version(segment))
        .collect::<Vec<_>>()
        .join("/")
}

/// A kept answer, as stored in localStorage (no token, no header but the tracking id).
#[derive(Clone, Debug, PartialEq)]
pub struct CachedAnswer {
    pub url: String,
    pub status: u16,
    pub tracking_id: Option<String>,
    pub stored_at_ms: u64,
    /// The answer's JSON text, as the API sent it.
    pub body: String,
}

impl CachedAnswer {
    pub fn encode(&self) -> String {
        crate::json::ObjectWriter::default()
            .text("url", &self.url)
            .number("status", u64::from(self.status))
            .optional_text("tracking_id", self.tracking_id.as_deref())
            .number("stored_at_ms", self.stored_at_ms)
            .text("body", &self.body)
            .finish()
    }

    /// `None` for text this build does not read; the caller then asks the API.
    pub fn decode(text: &str) -> Option<CachedAnswer> {
        let value: Value = crate::json::parse(text).ok()?;
        use crate::json::{optional_number, optional_text};
        Some(CachedAnswer {
            url: optional_text(&value, "url").ok()??,
            status: u16::try_from(optional_number(&value, "status").ok()??).ok()?,
            tracking_id: optional_text(&value, "tracking_id").ok()?,
            stored_at_ms: optional_number(&value, "stored_at_ms").ok()??,
            body: optional_text(&value, "body").ok()??,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: &str = "https://api.example.com/organization/o1";

    #[test]
    fn identical_gets_share_a_key_and_writes_never_do() {
        let url = format!("{ORG}/team?page=0&pageSize=10");
        assert_eq!(coalescing_key("GET", &url), coalescing_key("get", &url));
        assert_ne!(
            coalescing_key("GET", &url),
            coalescing_key("GET", &format!("{ORG}/team?page=1&pageSize=10"))
        );
        for write in ["POST", "PUT", "PATCH", "DELETE"] {
            assert_eq!(coalescing_key(write, &url), None, "{write}");
        }
    }

    #[test]
    fn lists_and_counts_are_kept_records_and_writes_are_not() {
        assert!(is_cacheable(
            "GET",
            &format!("{ORG}/team?page=0&pageSize=1")
        ));
        assert!(is_cacheable(
            "GET",
            &format!("{ORG}/v2/user?filter=x&pageSize=25")
        ));
        assert!(!is_cacheable("GET", &format!("{ORG}/team/7")));
        assert!(!is_cacheable("GET", "https://webexapis.com/v1/people/me"));
        assert!(!is_cacheable("GET", &format!("{ORG}/team?pages=3")));
        assert!(!is_cacheable("POST", &format!("{ORG}/team?page=0")));
    }

    #[test]
    fn an_answer_is_fresh_for_thirty_seconds() {
        let stored = 1_000_000;
        assert!(is_fresh(stored, stored, DEFAULT_FRESH_FOR_MS));
        assert!(is_fresh(stored, stored + 29_999, DEFAULT_FRESH_FOR_MS));
        assert!(!is_fresh(stored, stored + 30_000, DEFAULT_FRESH_FOR_MS));
        assert!(
            !is_fresh(stored + 1, stored, DEFAULT_FRESH_FOR_MS),
            "stored in the future"
        );
    }

    #[test]
    fn a_count_is_kept_five_minutes_and_a_list_thirty_seconds() {
        assert_eq!(
            fresh_for_ms(&format!("{ORG}/v2/team?page=0&pageSize=1")),
            300_000
        );
        assert_eq!(
            fresh_for_ms(&format!("{ORG}/v2/team?pageSize=1&page=0")),
            300_000
        );
        for list in [
            "?page=0&pageSize=10",
            "?page=1&pageSize=100",
            "?pageSize=15",
        ] {
            assert_eq!(
                fresh_for_ms(&format!("{ORG}/v2/team{list}")),
                30_000,
                "{list}"
            );
        }
    }

    #[test]
    fn a_write_makes_its_collections_lists_and_counts_stale() {
        let put = touched_prefix("PUT", &format!("{ORG}/team/7?x=1")).unwrap();
        assert_eq!(put, format!("{ORG}/team"));
        assert_eq!(
            touched_prefix("DELETE", &format!("{ORG}/team/7")),
            Some(put.clone())
        );
        assert_eq!(
            touched_prefix("POST", &format!("{ORG}/team")),
            Some(put.clone())
        );
        assert!(is_touched(&put, &format!("{ORG}/team?page=0&pageSize=1")));
        assert!(is_touched(&put, &format!("{ORG}/team/7")));
        assert!(!is_touched(&put, &format!("{ORG}/teams?page=0")));
        assert!(!is_touched(&put, &format!("{ORG}/queue?page=0")));
        assert!(is_touched(
            &put,
            &format!("{ORG}/v2/team?page=0&pageSize=1")
        ));
        assert!(!is_touched(&put, &format!("{ORG}/v2/teams?page=0")));
        let bulk_users = touched_prefix("PATCH", &format!("{ORG}/user/bulk")).unwrap();
        assert!(is_touched(
            &bulk_users,
            &format!("{ORG}/v2/user?page=0&pageSize=100")
        ));
        assert!(!is_touched(&bulk_users, &format!("{ORG}/v2/team?page=0")));
        let one_user = touched_prefix("PATCH", &format!("{ORG}/user/u1")).unwrap();
        assert!(is_touched(&one_user, &format!("{ORG}/v2/user?page=0")));
        let bulk_teams = touched_prefix("POST", &format!("{ORG}/team/bulk")).unwrap();
        assert_eq!(bulk_teams, format!("{ORG}/team"));
        assert!(is_touched(&bulk_teams, &format!("{ORG}/v2/team?page=0")));
        for read in ["GET", "HEAD"] {
            assert_eq!(touched_prefix(read, &format!("{ORG}/team/7")), None);
        }
        assert_eq!(
            touched_prefix("POST", "https://api.example.com/search?orgId=o1"),
            None
        );
    }

    #[test]
    fn a_kept_answer_round_trips_and_foreign_text_reads_as_none() {
        let answer = CachedAnswer {
            url: format!("{ORG}/team?page=0"),
            status: 200,
            tracking_id: Some("t-1".into()),
            stored_at_ms: 1_700_000_000_000,
            body: "{\"data\":[{\"name\":\"a \\\"b\\\"\"}]}".into(),
        };
        assert_eq!(CachedAnswer::decode(&answer.encode()), Some(answer.clone()));
        let without_tracking = CachedAnswer {
            tracking_id: None,
            ..answer
        };
        assert_eq!(
            CachedAnswer::decode(&without_tracking.encode()),
            Some(without_tracking)
        );
        for text in [
            "",
            "[]",
            "{\"url\":1}",
            "{\"url\":\"u\",\"status\":70000,\"stored_at_ms\":1,\"body\":\"{}\"}",
        ] {
            assert_eq!(CachedAnswer::decode(text), None, "{text}");
        }
        assert!(is_storage_key(&storage_key("GET x")));
        assert!(!is_storage_key("wxcc.session"));
    }
}

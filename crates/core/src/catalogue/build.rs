//! [`build_url`]: a filled-in explorer form as the request URL.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::{Endpoint, Param, ParamIn};

/// Why a URL could not be built from the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildUrlError {
    /// A required parameter is blank.
    Missing {
        name: &'static str,
        location: ParamIn,
    },
    /// A path parameter is `.` or `..`: the browser would resolve it as a directory step and call
    /// a different endpoint, whatever the encoding.
    DotSegment { name: &'static str },
}

impl BuildUrlError {
    /// The parameter at fault, so the form can highlight it.
    pub fn param(&self) -> &'static str {
        match self {
            BuildUrlError::Missing { name, .. } | BuildUrlError::DotSegment { name } => name,
        }
    }
}

impl fmt::Display for BuildUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildUrlError::Missing { name, .. } if *name == "orgid" || *name == "orgId" => write!(
                f,
                "{name} is required and your organization ID is not known yet: type it in, or sign in again."
            ),
            BuildUrlError::Missing { name, location } => write!(
                f,
                "{name} ({location} parameter) is required: fill it in and send again."
            ),
            BuildUrlError::DotSegment { name } => write!(
                f,
                "{name} cannot be \".\" or \"..\": enter the resource ID instead."
            ),
        }
    }
}

impl std::error::Error for BuildUrlError {}

/// Builds the request URL: `base` (trailing `/` ignored) + the path with its parameters
/// percent-encoded + the non-blank query parameters, form-encoded in catalogue order.
///
/// `values` are (name, value) pairs from the form; values are trimmed, blank ones count as not
/// given, and names the endpoint does not have are ignored. An organization ID parameter
/// (`orgid`/`orgId`, see [`Param::is_org_id`]) left blank is filled from `org_id`.
pub fn build_url(
    base: &str,
    endpoint: &Endpoint,
    values: &[(&str, &str)],
    org_id: &str,
) -> Result<String, BuildUrlError> {
    let value_of = |param: &Param| -> Option<&str> {
        let given = values
            .iter()
            .find(|(name, _)| *name == param.name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty());
        let fallback = Some(org_id.trim()).filter(|id| param.is_org_id() && !id.is_empty());
        given.or(fallback)
    };

    let mut path = endpoint.path.to_owned();
    let mut query: Vec<(&str, &str)> = Vec::new();
    for param in endpoint.params {
        let value = value_of(param);
        if value.is_none() && param.required {
            return Err(BuildUrlError::Missing {
                name: param.name,
                location: param.location,
            });
        }
        let Some(value) = value else { continue };
        match param.location {
            ParamIn::Path => {
                if value == "." || value == ".." {
                    return Err(BuildUrlError::DotSegment { name: param.name });
                }
                path = path.replace(&format!("{{{}}}", param.name), &encode_path_segment(value));
            }
            ParamIn::Query => {
                query.push((param.name, value));
            }
        }
    }

    let mut url = format!("{}{path}", base.trim_end_matches('/'));
    if !query.is_empty() {
        url.push('?');
        url.push_str(&crate::route::form_encode(&query));
    }
    Ok(url)
}

/// Everything but RFC 3986's unreserved characters (letters, digits, `-`, `.`, `_`, `~`), so a
/// path value can never add a segment (`/`), start the query (`?`) or the fragment (`#`).
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::catalogued;

    const BASE: &str = "https://api.wxcc-us1.cisco.com";
    const ORG: &str = "org-1";

    #[test]
    fn fills_the_org_id_and_sends_query_params_in_catalogue_order() {
        let url = build_url(
            &format!("{BASE}/"),
            catalogued("users-list"),
            &[
                ("pageSize", "50"),
                ("page", "2"),
                ("filter", "firstName==\"Ann Lee\""),
            ],
            ORG,
        );
        assert_eq!(
            url.as_deref(),
            Ok("https://api.wxcc-us1.cisco.com/organization/org-1/v2/user\
                ?filter=firstName%3D%3D%22Ann+Lee%22&page=2&pageSize=50")
        );
    }

    #[test]
    fn an_explicit_org_id_wins_over_the_sign_in() {
        let url = build_url(
            BASE,
            catalogued("team-get"),
            &[("orgid", "other"), ("id", "t1")],
            ORG,
        );
        assert_eq!(
            url.as_deref(),
            Ok("https://api.wxcc-us1.cisco.com/organization/other/team/t1")
        );
    }

    #[test]
    fn fills_the_org_id_query_parameter_too() {
        let url = build_url(BASE, catalogued("tasks-list"), &[("from", "1000")], ORG);
        assert_eq!(
            url.as_deref(),
            Ok("https://api.wxcc-us1.cisco.com/v1/tasks?from=1000&orgId=org-1")
        );
        // No sign-in org and an optional orgId: left out, the API infers it from the token.
        let url = build_url(BASE, catalogued("tasks-list"), &[("from", "1000")], "");
        assert_eq!(
            url.as_deref(),
            Ok("https://api.wxcc-us1.cisco.com/v1/tasks?from=1000")
        );
    }

    #[test]
    fn path_values_are_percent_encoded() {
        let url = build_url(BASE, catalogued("team-get"), &[("id", "a/b?c#d e%")], ORG);
        assert_eq!(
            url.as_deref(),
            Ok("https://api.wxcc-us1.cisco.com/organization/org-1/team/a%2Fb%3Fc%23d%20e%25")
        );
        let url = build_url(BASE, catalogued("user-get"), &[("id", "é")], "o r g");
        assert_eq!(
            url.as_deref(),
            Ok("https://api.wxcc-us1.cisco.com/organization/o%20r%20g/user/%C3%A9")
        );
    }

    #[test]
    fn path_values_keep_only_unreserved_characters() {
        let kept: String = (0u8..=0x7f)
            .map(char::from)
            .filter(|c| encode_path_segment(&c.to_string()) == c.to_string())
            .collect();
        assert_eq!(
            kept,
            "-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~"
        );
        assert_eq!(encode_path_segment("\u{0}\u{7f}%"), "%00%7F%25");
    }

    #[test]
    fn literal_path_text_after_a_placeholder_is_kept() {
        let url = build_url(
            "",
            catalogued("flow-export"),
            &[
                ("projectId", "5e5c9ad6d61f870d6d778c1b"),
                ("flowId", "f1"),
                ("version", "draft"),
            ],
            ORG,
        );
        assert_eq!(
            url.as_deref(),
            Ok("/flow-store/org-1/project/5e5c9ad6d61f870d6d778c1b/flows/f1:export?version=draft")
        );
    }

    #[test]
    fn reports_a_missing_required_parameter_by_name() {
        let err = build_url(BASE, catalogued("team-get"), &[("id", "  ")], ORG).unwrap_err();
        assert_eq!(
            err,
            BuildUrlError::Missing {
                name: "id",
                location: ParamIn::Path
            }
        );
        assert_eq!(err.param(), "id");
        assert!(err.to_string().contains("fill it in"), "{err}");

        let err =
            build_url(BASE, catalogued("queue-statistics"), &[("from", "1")], ORG).unwrap_err();
        assert_eq!(err.param(), "to");

        let err = build_url(BASE, catalogued("users-list"), &[], " ").unwrap_err();
        assert_eq!(err.param(), "orgid");
        assert!(err.to_string().contains("sign in again"), "{err}");
    }

    #[test]
    fn blank_and_unknown_values_are_left_out() {
        let url = build_url(
            BASE,
            catalogued("sites-list"),
            &[("search", " "), ("bogus", "1"), ("attributes", " id ")],
            ORG,
        );
        assert_eq!(
            url.as_deref(),
            Ok("https://api.wxcc-us1.cisco.com/organization/org-1/v2/site?attributes=id")
        );
    }

    #[test]
    fn dot_segments_are_refused() {
        for dots in [".", ".."] {
            let err = build_url(BASE, catalogued("team-get"), &[("id", dots)], ORG).unwrap_err();
            assert_eq!(err, BuildUrlError::DotSegment { name: "id" });
        }
        // A dot inside an ID is fine.
        assert!(build_url(BASE, catalogued("team-get"), &[("id", "a.b")], ORG).is_ok());
    }
}

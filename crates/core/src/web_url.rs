//! Absolute `http(s)` URLs as config.json needs them: parsed strictly, serialised canonically.
//!
//! The `url` crate (WHATWG) is large for the SPA's size budget (see the README, Performance) for
//! the handful of URLs in config.json. This parser accepts a strict subset of what browsers
//! accept and says what is wrong with anything else: `http` or `https`, `//` after the scheme, a
//! DNS name (ASCII letters, digits, `-`, `.`; IDNs in their `xn--` form), a dotted-quad IPv4 or a
//! bracketed IPv6 address, an optional port, then path, query and fragment. Like a browser it
//! lowercases scheme and host, drops the default port, resolves `.`/`..` path segments,
//! percent-encodes non-ASCII and the characters a URL may not carry as they are, and writes IPv6
//! addresses as the URL standard does.
//!
//! `against_url_crate` (tests) checks that whatever this parser accepts, the `url` crate reads
//! the same way, and lists what it refuses on purpose that browsers accept.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Why a string is not a usable absolute URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlError {
    /// No `scheme:` at the start.
    NotAbsolute,
    /// A scheme other than http and https (lowercased, without the `:`).
    Scheme(String),
    /// `http:` or `https:` not followed by `//`.
    NoSlashes,
    /// Spaces, tabs, line breaks or other control characters.
    Whitespace,
    /// `\`, which browsers read as `/` in http(s) URLs.
    Backslash,
    EmptyHost,
    /// A host with characters a DNS name cannot have.
    InvalidHost,
    InvalidIpv4,
    InvalidIpv6,
    InvalidPort,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UrlError::NotAbsolute => "relative URL without a scheme",
            UrlError::Scheme(_) => "not an http or https URL",
            UrlError::NoSlashes => "expected // after the scheme",
            UrlError::Whitespace => "contains spaces or control characters",
            UrlError::Backslash => "contains a backslash (write / instead)",
            UrlError::EmptyHost => "empty host",
            UrlError::InvalidHost => {
                "invalid host name (ASCII letters, digits, - and . only; write international names as xn--)"
            }
            UrlError::InvalidIpv4 => "invalid IPv4 address",
            UrlError::InvalidIpv6 => "invalid IPv6 address",
            UrlError::InvalidPort => "invalid port number",
        })
    }
}

impl std::error::Error for UrlError {}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Host {
    Domain(String),
    Ipv4(Ipv4Addr),
    Ipv6(Ipv6Addr),
}

/// A parsed absolute `http` or `https` URL. `Display` gives its canonical form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebUrl {
    https: bool,
    has_credentials: bool,
    host: Host,
    /// `None` when absent or the scheme's default.
    port: Option<u16>,
    /// Starts with `/`.
    path: String,
    query: Option<String>,
    fragment: Option<String>,
}

impl WebUrl {
    pub fn parse(input: &str) -> Result<WebUrl, UrlError> {
        if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(UrlError::Whitespace);
        }
        if input.contains('\\') {
            return Err(UrlError::Backslash);
        }
        let (scheme, rest) = split_scheme(input).ok_or(UrlError::NotAbsolute)?;
        let https = match scheme.as_str() {
            "https" => true,
            "http" => false,
            _ => return Err(UrlError::Scheme(scheme)),
        };
        let rest = rest.strip_prefix("//").ok_or(UrlError::NoSlashes)?;
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, rest) = rest.split_at(authority_end);
        // Credentials are never kept, only noted (config.json is public: they are refused).
        let (has_credentials, host_port) = match authority.rfind('@') {
            Some(at) => (true, &authority[at + 1..]),
            None => (false, authority),
        };
        let (host, port) = parse_host_port(host_port)?;
        let default_port = if https { 443 } else { 80 };
        let (before_fragment, fragment) = match rest.split_once('#') {
            Some((before, fragment)) => (before, Some(encode(fragment, FRAGMENT))),
            None => (rest, None),
        };
        let (path, query) = match before_fragment.split_once('?') {
            Some((path, query)) => (path, Some(encode(query, SPECIAL_QUERY))),
            None => (before_fragment, None),
        };
        Ok(WebUrl {
            https,
            has_credentials,
            host,
            port: port.filter(|p| *p != default_port),
            path: normalise_path(path),
            query,
            fragment,
        })
    }

    pub fn scheme(&self) -> &'static str {
        if self.https { "https" } else { "http" }
    }

    /// `scheme://host[:port]`, as in `location.origin` and a CSP source.
    pub fn origin(&self) -> String {
        let mut origin = format!("{}://{}", self.scheme(), self.host);
        if let Some(port) = self.port {
            origin.push_str(&format!(":{port}"));
        }
        origin
    }

    /// Whether the URL had `user:password@` (which is dropped from it).
    pub fn has_credentials(&self) -> bool {
        self.has_credentials
    }

    pub fn fragment(&self) -> Option<&str> {
        self.fragment.as_deref()
    }

    /// `localhost`, `127.0.0.0/8` or `::1`: where plain http is acceptable.
    pub fn is_loopback(&self) -> bool {
        match &self.host {
            Host::Domain(d) => d == "localhost",
            Host::Ipv4(ip) => ip.is_loopback(),
            Host::Ipv6(ip) => ip.is_loopback(),
        }
    }

    /// This URL's origin with an absolute path (`/proxy`), which may carry a query and fragment.
    pub fn with_absolute_path(&self, path: &str) -> Result<WebUrl, UrlError> {
        WebUrl::parse(&format!("{}{path}", self.origin()))
    }
}

impl fmt::Display for WebUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin(), self.path)?;
        if let Some(query) = &self.query {
            write!(f, "?{query}")?;
        }
        if let Some(fragment) = &self.fragment {
            write!(f, "#{fragment}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Domain(d) => f.write_str(d),
            Host::Ipv4(ip) => write!(f, "{ip}"),
            Host::Ipv6(ip) => write!(f, "[{}]", whatwg_ipv6(ip)),
        }
    }
}

/// An IPv6 address as browsers write it: lowercase hex pieces, the first longest run of two or
/// more zero pieces as `::`, and never `Ipv6Addr`'s dotted IPv4 tail (`::ffff:1.2.3.4`).
fn whatwg_ipv6(ip: &Ipv6Addr) -> String {
    let pieces = ip.segments();
    let mut longest_zeros: Option<(usize, usize)> = None;
    let mut start = 0;
    while start < pieces.len() {
        let len = pieces[start..].iter().take_while(|p| **p == 0).count();
        if len >= 2 && longest_zeros.is_none_or(|(_, longest)| len > longest) {
            longest_zeros = Some((start, len));
        }
        start += len.max(1);
    }
    let hex = |pieces: &[u16]| {
        pieces
            .iter()
            .map(|p| format!("{p:x}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    match longest_zeros {
        Some((start, len)) => format!("{}::{}", hex(&pieces[..start]), hex(&pieces[start + len..])),
        None => hex(&pieces),
    }
}

/// `https:` → ("https", rest). The scheme is a letter, then letters, digits, `+`, `-`, `.`.
fn split_scheme(input: &str) -> Option<(String, &str)> {
    let (scheme, rest) = input.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| (scheme.to_ascii_lowercase(), rest))
}

fn parse_host_port(host_port: &str) -> Result<(Host, Option<u16>), UrlError> {
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let (inside, after) = bracketed.split_once(']').ok_or(UrlError::InvalidIpv6)?;
        let ip: Ipv6Addr = inside.parse().map_err(|_| UrlError::InvalidIpv6)?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or(UrlError::InvalidPort)?),
        };
        (Host::Ipv6(ip), port)
    } else {
        let (name, port) = match host_port.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host_port, None),
        };
        (parse_name(name)?, port)
    };
    let port = match port {
        // `host:` with nothing after it means the default port, as in browsers.
        None | Some("") => None,
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => {
            Some(digits.parse::<u16>().map_err(|_| UrlError::InvalidPort)?)
        }
        Some(_) => return Err(UrlError::InvalidPort),
    };
    Ok((host, port))
}

fn parse_name(name: &str) -> Result<Host, UrlError> {
    if name.is_empty() {
        return Err(UrlError::EmptyHost);
    }
    let name = name.to_ascii_lowercase();
    let valid = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
    if !valid || name.starts_with('.') || name.contains("..") {
        return Err(UrlError::InvalidHost);
    }
    // A name whose last label is a number (decimal, or hexadecimal as `0x…`) is an IPv4 address
    // to a browser: only the dotted-quad form is taken.
    let last_label = name
        .trim_end_matches('.')
        .rsplit('.')
        .next()
        .unwrap_or_default();
    let ends_in_a_number = last_label.bytes().all(|b| b.is_ascii_digit())
        || last_label
            .strip_prefix("0x")
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()));
    if ends_in_a_number {
        return name
            .trim_end_matches('.')
            .parse::<Ipv4Addr>()
            .map(Host::Ipv4)
            .map_err(|_| UrlError::InvalidIpv4);
    }
    Ok(Host::Domain(name))
}

// The URL standard's percent-encode sets (https://url.spec.whatwg.org/#percent-encoded-bytes),
// each built on the C0 control set: `CONTROLS` (C0 controls and DEL) plus every non-ASCII byte,
// which `utf8_percent_encode` always encodes.

/// The fragment percent-encode set: the C0 control set plus space, `"`, `<`, `>`, `` ` ``.
const FRAGMENT: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');
/// The query percent-encode set: the C0 control set plus space, `"`, `#`, `<`, `>`.
const QUERY: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'<').add(b'>');
/// The special-query percent-encode set, which http(s) queries use: the query set plus `'`.
const SPECIAL_QUERY: &AsciiSet = &QUERY.add(b'\'');
/// The path percent-encode set: the query set plus `?`, `` ` ``, `{`, `}`.
const PATH: &AsciiSet = &QUERY.add(b'?').add(b'`').add(b'{').add(b'}');

fn encode(text: &str, set: &'static AsciiSet) -> String {
    utf8_percent_encode(text, set).to_string()
}

/// Resolves `.` and `..` segments (also written `%2e`) and percent-encodes; empty is `/`.
fn normalise_path(path: &str) -> String {
    let mut segments: Vec<String> = Vec::new();
    let raw: Vec<&str> = path.split('/').skip(1).collect();
    for (i, segment) in raw.iter().enumerate() {
        let last = i + 1 == raw.len();
        match segment.to_ascii_lowercase().as_str() {
            "." | "%2e" => {
                if last {
                    segments.push(String::new());
                }
            }
            ".." | ".%2e" | "%2e." | "%2e%2e" => {
                segments.pop();
                if last {
                    segments.push(String::new());
                }
            }
            _ => segments.push(encode(segment, PATH)),
        }
    }
    format!("/{}", segments.join("/"))
}

#[cfg(test)]
mod against_url_crate;

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(input: &str) -> String {
        WebUrl::parse(input).unwrap().to_string()
    }

    #[test]
    fn canonical_forms_match_what_browsers_serialise() {
        let table = [
            ("https://webexapis.com/v1", "https://webexapis.com/v1"),
            ("HTTPS://WebexAPIs.COM", "https://webexapis.com/"),
            ("https://example.com:443/a", "https://example.com/a"),
            ("http://127.0.0.1:80/", "http://127.0.0.1/"),
            ("http://127.0.0.1:8787/v1", "http://127.0.0.1:8787/v1"),
            ("http://[::1]:8080/x", "http://[::1]:8080/x"),
            ("http://[0:0:0:0:0:0:0:1]/", "http://[::1]/"),
            ("http://[::FFFF:1.2.3.4]/", "http://[::ffff:102:304]/"),
            ("http://[1:0:0:2:0:0:0:3]/", "http://[1:0:0:2::3]/"),
            ("http://[1:0:0:2:0:0:3:4]/", "http://[1::2:0:0:3:4]/"),
            ("http://[1:2:3:4:5:6:7:0]/", "http://[1:2:3:4:5:6:7:0]/"),
            ("http://[0:0:0:0:0:0:0:0]/", "http://[::]/"),
            ("https://h.example/a/./b/../c", "https://h.example/a/c"),
            ("https://h.example/a/%2E%2e/b", "https://h.example/b"),
            ("https://h.example/a/..", "https://h.example/"),
            ("https://h.example/../../x", "https://h.example/x"),
            ("https://h.example/caf\u{e9}", "https://h.example/caf%C3%A9"),
            (
                "https://h.example/p?q=a\"b&r=\u{e9}",
                "https://h.example/p?q=a%22b&r=%C3%A9",
            ),
            ("https://h.example/?q='a'", "https://h.example/?q=%27a%27"),
            ("https://h.example?x=1", "https://h.example/?x=1"),
            ("https://h.example:/p", "https://h.example/p"),
            ("https://h.example/p#frag", "https://h.example/p#frag"),
            (
                "https://xn--caf-dma.example/",
                "https://xn--caf-dma.example/",
            ),
            ("https://a.0xg/", "https://a.0xg/"),
            ("https://0x1.a/", "https://0x1.a/"),
        ];
        for (input, expected) in table {
            assert_eq!(canonical(input), expected, "{input}");
        }
    }

    #[test]
    fn each_part_percent_encodes_exactly_its_whatwg_set() {
        // The bytes each part encodes beyond controls, DEL and space.
        let table: [(&AsciiSet, &[u8]); 3] = [
            (PATH, b"\"#<>?`{}"),
            (SPECIAL_QUERY, b"\"#<>'"),
            (FRAGMENT, b"\"<>`"),
        ];
        for (set, extra) in table {
            let encoded: Vec<u8> = (0u8..=0x7f)
                .filter(|b| {
                    let text = char::from(*b).to_string();
                    encode(&text, set) != text
                })
                .collect();
            let expected: Vec<u8> = (0u8..=0x7f)
                .filter(|b| *b <= b' ' || *b == 0x7f || extra.contains(b))
                .collect();
            assert_eq!(encoded, expected, "{extra:?}");
            assert_eq!(encode("\u{1}\u{7f} \u{e9}", set), "%01%7F%20%C3%A9");
        }
        assert_eq!(
            encode("a%2Fb%zz", PATH),
            "a%2Fb%zz",
            "existing escapes stay"
        );
    }

    #[test]
    fn origins_omit_default_ports_and_paths() {
        let origin = |s: &str| WebUrl::parse(s).unwrap().origin();
        assert_eq!(
            origin("https://Example.com:443/a?b#c"),
            "https://example.com"
        );
        assert_eq!(origin("http://localhost:8080/x"), "http://localhost:8080");
        assert_eq!(
            origin("https://example.com:8443"),
            "https://example.com:8443"
        );
        assert_eq!(origin("http://[::1]:3000"), "http://[::1]:3000");
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let table = [
            ("example.com", UrlError::NotAbsolute),
            ("/relative", UrlError::NotAbsolute),
            ("ftp://example.com", UrlError::Scheme("ftp".into())),
            ("JavaScript:alert(1)", UrlError::Scheme("javascript".into())),
            ("https:example.com", UrlError::NoSlashes),
            ("https:/example.com", UrlError::NoSlashes),
            ("https://exa mple.com", UrlError::Whitespace),
            ("https://example.com/\n", UrlError::Whitespace),
            ("https://", UrlError::EmptyHost),
            ("https:///path", UrlError::EmptyHost),
            ("https://user@", UrlError::EmptyHost),
            ("https://exa%6dple.com", UrlError::InvalidHost),
            ("https://caf\u{e9}.example", UrlError::InvalidHost),
            ("https://a..b", UrlError::InvalidHost),
            ("https://.a", UrlError::InvalidHost),
            ("https://h\\x", UrlError::Backslash),
            ("https://h/a\\b", UrlError::Backslash),
            ("https://256.1.1.1", UrlError::InvalidIpv4),
            ("https://127.1", UrlError::InvalidIpv4),
            ("https://a.0x1f", UrlError::InvalidIpv4),
            ("https://a.0X", UrlError::InvalidIpv4),
            ("https://[::1", UrlError::InvalidIpv6),
            ("https://[nope]", UrlError::InvalidIpv6),
            ("https://[::1]x", UrlError::InvalidPort),
            ("https://h:99999", UrlError::InvalidPort),
            ("https://h:8o", UrlError::InvalidPort),
        ];
        for (input, expected) in table {
            assert_eq!(WebUrl::parse(input), Err(expected), "{input:?}");
        }
        assert!(UrlError::InvalidHost.to_string().contains("xn--"));
    }

    #[test]
    fn credentials_are_noted_and_never_kept() {
        let url = WebUrl::parse("https://user:hunter2@example.com/x").unwrap();
        assert!(url.has_credentials());
        assert_eq!(url.to_string(), "https://example.com/x");
        assert!(!format!("{url:?}").contains("hunter2"));
        assert!(
            !WebUrl::parse("https://example.com/@x")
                .unwrap()
                .has_credentials()
        );
    }

    #[test]
    fn loopback_hosts() {
        for url in [
            "http://localhost:1",
            "http://LOCALHOST",
            "http://127.0.0.1",
            "http://127.9.9.9",
            "http://[::1]",
        ] {
            assert!(WebUrl::parse(url).unwrap().is_loopback(), "{url}");
        }
        for url in [
            "http://localhost.example.com",
            "http://10.0.0.1",
            "http://[::2]",
            "http://0.0.0.0",
        ] {
            assert!(!WebUrl::parse(url).unwrap().is_loopback(), "{url}");
        }
    }

    #[test]
    fn an_absolute_path_joins_the_origin() {
        let page = WebUrl::parse("https://app.example.com/sub/page?x").unwrap();
        assert_eq!(
            page.with_absolute_path("/proxy").unwrap().to_string(),
            "https://app.example.com/proxy"
        );
        assert_eq!(
            page.with_absolute_path("/a/../proxy#f").unwrap().fragment(),
            Some("f")
        );
    }
}

//! `WebUrl` checked against the `url` crate, a WHATWG URL parser as browsers implement it.
//!
//! The property: whenever `WebUrl` accepts an input, `url` accepts it too and reads the same
//! scheme, host, port, path, query and fragment, and `WebUrl`'s canonical form is `url`'s
//! serialisation without credentials. Inputs come from a seeded generator (reproducible, no
//! extra dependency) that combines tricky parts: mixed-case schemes, credentials, DNS names,
//! IPv4 and IPv6 forms, ports, dot segments, escapes, every printable ASCII character and some
//! non-ASCII ones in path, query and fragment.
//!
//! The converse does not hold on purpose: `WebUrl` refuses some inputs browsers accept, because
//! a config value written that way is far more likely a mistake than intended.
//! [`browsers_accept_what_web_url_refuses_on_purpose`] lists them.

use super::{UrlError, WebUrl};
use url::Url;

/// SplitMix64: a tiny, well-distributed generator, so every run checks the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// Up to `max` characters, mostly from `common`, sometimes from [`RARE`].
    fn text(&mut self, common: &[char], max: usize) -> String {
        (0..self.below(max + 1))
            .map(|_| {
                if self.one_in(10) {
                    RARE[self.below(RARE.len())]
                } else {
                    common[self.below(common.len())]
                }
            })
            .collect()
    }
}

/// Characters a URL part may carry as they are or encoded: the printable ASCII ones.
fn printable_ascii() -> Vec<char> {
    (0x21u8..=0x7e).map(char::from).collect()
}

/// Non-ASCII text: encoded in path, query and fragment, refused in host names.
const RARE: &[char] = &['é', 'ß', '😀', '\u{200b}', '\u{fffd}'];
/// What `WebUrl` refuses anywhere: whitespace, controls and backslash.
const REFUSED: &[&str] = &[" ", "\t", "\n", "\u{7f}", "\u{a0}", "\\"];

const SCHEMES: &[&str] = &["http", "https", "HTTP", "hTtPs"];
const OTHER_SCHEMES: &[&str] = &["ftp", "http+x", "javascript"];
const SEPARATORS: &[&str] = &["://"];
const SHORT_SEPARATORS: &[&str] = &[":/", ":", ":///"];
const USERINFO: &[&str] = &[
    "",
    "",
    "",
    "user@",
    "user:pa%20ss@",
    ":@",
    "@",
    "a@b@",
    "[::1]@",
    "u:p:q@",
];
const HOSTS: &[&str] = &[
    "example.com",
    "WebexAPIs.COM",
    "a-b.c_d.example",
    "localhost",
    "localhost.",
    "xn--caf-dma.example",
    "x",
    "1a",
    "a1.b2",
    "127.0.0.1",
    "10.0.0.255",
    "1.2.3.4.",
    "0.0.0.0",
    "255.255.255.255",
    "256.0.0.1",
    "127.1",
    "0x7f.0.0.1",
    "010.0.0.1",
    "a.0x1",
    "a.123",
    "[::1]",
    "[0:0:0:0:0:0:0:1]",
    "[2001:DB8::1]",
    "[1:2:3:4:5:6:7:8]",
    "[1::]",
    "[1:0:0:2::3]",
    "[0:0:1:0:0:1:0:0]",
    "[::ffff:1.2.3.4]",
    "[::1.2.3.4]",
    "[::1%eth0]",
    "[v1.x]",
    "",
    ".",
    "a..b",
    "exa%6dple.com",
    "café.example",
];
const PORTS: &[&str] = &[
    "", "", "", ":", ":0", ":80", ":443", ":8080", ":0080", ":65535", ":65536", ":8o", ": 1",
];
const SEGMENTS: &[&str] = &[
    "", ".", "..", "%2e", "%2E%2e", ".%2E", "%2e.", "...", "a", "v1", "%41", "%zz", "%", "%2F",
];

fn host(rng: &mut Rng) -> String {
    if !rng.one_in(4) {
        return rng.pick(HOSTS).to_owned();
    }
    let alphabet: Vec<char> = "abcxyz0189-_.".chars().collect();
    let labels = 1 + rng.below(3);
    (0..labels)
        .map(|_| rng.text(&alphabet, 6))
        .collect::<Vec<_>>()
        .join(".")
}

fn path(rng: &mut Rng) -> String {
    // Everything but the characters that end the path.
    let alphabet: Vec<char> = printable_ascii()
        .into_iter()
        .filter(|c| !matches!(c, '/' | '?' | '#'))
        .collect();
    (0..rng.below(5))
        .map(|_| {
            let mut segment = if rng.one_in(2) {
                rng.pick(SEGMENTS).to_owned()
            } else {
                rng.text(&alphabet, 5)
            };
            // The url crate keeps a segment like `C:` or `C|` before `..` in any scheme; the
            // standard does so only in file URLs, as WebUrl does (servo/rust-url#1130).
            if looks_like_a_drive_letter(&segment) {
                segment.push('x');
            }
            format!("/{segment}")
        })
        .collect()
}

/// Mostly `usual`, one time in ten `unusual`.
fn mostly<'a>(rng: &mut Rng, usual: &[&'a str], unusual: &[&'a str]) -> &'a str {
    if rng.one_in(10) {
        rng.pick(unusual)
    } else {
        rng.pick(usual)
    }
}

fn looks_like_a_drive_letter(segment: &str) -> bool {
    matches!(segment.as_bytes(), [letter, b':' | b'|'] if letter.is_ascii_alphabetic())
}

fn input(rng: &mut Rng) -> String {
    let mut url = format!(
        "{}{}{}{}{}{}",
        mostly(rng, SCHEMES, OTHER_SCHEMES),
        mostly(rng, SEPARATORS, SHORT_SEPARATORS),
        rng.pick(USERINFO),
        host(rng),
        rng.pick(PORTS),
        path(rng)
    );
    if rng.one_in(2) {
        url.push('?');
        url.push_str(&rng.text(&printable_ascii(), 8));
    }
    if rng.one_in(3) {
        url.push('#');
        url.push_str(&rng.text(&printable_ascii(), 6));
    }
    if rng.one_in(10) {
        let at = rng.below(url.chars().count() + 1);
        let (at, _) = url.char_indices().nth(at).unwrap_or((url.len(), ' '));
        url.insert_str(at, rng.pick(REFUSED));
    }
    url
}

/// What `WebUrl` read, in `url`'s terms.
fn parts(url: &WebUrl) -> (&str, String, Option<u16>, &str, Option<&str>, Option<&str>) {
    (
        url.scheme(),
        url.host.to_string(),
        url.port,
        &url.path,
        url.query.as_deref(),
        url.fragment(),
    )
}

fn check_against_url_crate(input: &str, ours: &WebUrl) {
    let theirs = Url::parse(input)
        .unwrap_or_else(|e| panic!("WebUrl accepts {input:?}, the url crate refuses it: {e}"));
    let expected = (
        theirs.scheme(),
        theirs.host_str().unwrap_or_default().to_owned(),
        theirs.port(),
        theirs.path(),
        theirs.query(),
        theirs.fragment(),
    );
    assert_eq!(parts(ours), expected, "parts of {input:?}");
    let theirs_has_credentials = !theirs.username().is_empty() || theirs.password().is_some();
    assert!(
        ours.has_credentials() || !theirs_has_credentials,
        "credentials in {input:?} went unnoticed"
    );
    let mut without_credentials = theirs.clone();
    without_credentials
        .set_username("")
        .and_then(|()| without_credentials.set_password(None))
        .expect("an http(s) URL can drop its credentials");
    assert_eq!(
        ours.to_string(),
        without_credentials.as_str(),
        "canonical form of {input:?}"
    );
    assert_eq!(
        ours.origin(),
        theirs.origin().ascii_serialization(),
        "origin of {input:?}"
    );
}

#[test]
fn whatever_web_url_accepts_the_url_crate_reads_the_same_way() {
    const INPUTS: usize = 20_000;
    let mut rng = Rng(0x0005_EED0_F0CC);
    let mut accepted = 0;
    for _ in 0..INPUTS {
        let input = input(&mut rng);
        if let Ok(ours) = WebUrl::parse(&input) {
            check_against_url_crate(&input, &ours);
            accepted += 1;
        }
    }
    // Both outcomes must be common, or the generator tests little.
    assert!(
        (INPUTS / 5..INPUTS * 4 / 5).contains(&accepted),
        "{accepted} of {INPUTS} generated inputs accepted"
    );
}

#[test]
fn the_canonical_examples_agree_with_the_url_crate() {
    for input in [
        "https://webexapis.com/v1",
        "HTTPS://WebexAPIs.COM",
        "http://[0:0:0:0:0:0:0:1]:8080/x",
        "https://h.example/a/%2E%2e/b?q=a\"b&r=\u{e9}#f`",
        "https://user:hunter2@example.com/x",
        "https://h.example:/p",
    ] {
        check_against_url_crate(input, &WebUrl::parse(input).unwrap());
    }
}

#[test]
fn browsers_accept_what_web_url_refuses_on_purpose() {
    let table = [
        // Browsers drop tabs and line breaks and trim spaces; in a config value they are typos.
        (" https://example.com", UrlError::Whitespace),
        ("https://exa\tmple.com", UrlError::Whitespace),
        // Browsers read `\` as `/` in http(s) URLs.
        ("https://example.com\\a", UrlError::Backslash),
        // Browsers take a missing or short `//`.
        ("https:example.com", UrlError::NoSlashes),
        ("https:/example.com", UrlError::NoSlashes),
        // Browsers map international names to `xn--` with IDNA; here they must be written so.
        ("https://caf\u{e9}.example", UrlError::InvalidHost),
        // Browsers decode escapes in host names.
        ("https://exa%6dple.com", UrlError::InvalidHost),
        // Browsers take shortened, octal and hexadecimal IPv4 forms; only dotted quads here.
        ("http://127.1", UrlError::InvalidIpv4),
        ("http://0x7f.0.0.1", UrlError::InvalidIpv4),
        ("http://010.0.0.1", UrlError::InvalidIpv4),
        ("http://2130706433", UrlError::InvalidIpv4),
    ];
    for (input, error) in table {
        assert!(Url::parse(input).is_ok(), "the url crate accepts {input:?}");
        assert_eq!(WebUrl::parse(input), Err(error), "{input:?}");
    }
    // An empty userinfo (`https://@host`) is no credential to a browser; WebUrl still notes it,
    // so config validation refuses it with the other credentials.
    assert!(
        WebUrl::parse("https://@example.com")
            .unwrap()
            .has_credentials()
    );
    assert_eq!(Url::parse("https://@example.com").unwrap().username(), "");
}

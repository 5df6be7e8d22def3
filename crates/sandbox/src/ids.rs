//! Identifiers: deterministic ones for seeded data, unguessable ones for tokens and codes.

use base64::Engine;
use rand::Rng;

/// Small deterministic generator (SplitMix64) so the same seed always yields the same data,
/// independent of any crate's RNG algorithm choices.
#[derive(Debug, Clone)]
pub struct SeededRng(u64);

impl SeededRng {
    #[cfg(test)]
    pub fn new(seed: u64) -> Self {
        SeededRng(seed)
    }

    /// A generator for a named sub-stream, so adding data of one kind never shifts another.
    pub fn derive(seed: u64, stream: &str) -> Self {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in stream.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        SeededRng(seed ^ h)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform-enough integer in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A version-4-shaped UUID string.
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64().to_be_bytes();
        let b = self.next_u64().to_be_bytes();
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&a);
        bytes[8..].copy_from_slice(&b);
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        format_uuid(&bytes)
    }
}

fn format_uuid(b: &[u8; 16]) -> String {
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A random v4 UUID for tracking ids.
pub fn random_uuid() -> String {
    let mut bytes: [u8; 16] = rand::rng().random();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    format_uuid(&bytes)
}

/// `n` random letters and digits (from the OS-seeded thread RNG). Webex's tokens and codes use no
/// other characters before their `_<ciCluster>_<orgId>` tail, so `split('_')` finds exactly three parts.
pub fn random_alphanumeric(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// The Webex cluster marker that sits between the random part and the org id of a token.
pub const CI_CLUSTER: &str = "P0A1";

/// Length of the random part of tokens and codes, as in Webex's (README, fidelity table).
const RANDOM_PART_LEN: usize = 64;

/// `<letters and digits>_<ciCluster>_<orgId>`, the one shape of Webex's user tokens and codes.
fn webex_shaped(org_id: &str) -> String {
    format!(
        "{}_{CI_CLUSTER}_{org_id}",
        random_alphanumeric(RANDOM_PART_LEN)
    )
}

/// An access token in Webex's shape.
pub fn access_token(org_id: &str) -> String {
    webex_shaped(org_id)
}

/// A refresh token: Webex formats it like an access token (webex-js-sdk reads the org from either).
pub fn refresh_token(org_id: &str) -> String {
    webex_shaped(org_id)
}

/// An authorization code: Webex's documented examples carry the same tail.
pub fn authorization_code(org_id: &str) -> String {
    webex_shaped(org_id)
}

/// An access token without Webex's `_<ciCluster>_<orgId>` tail (the `opaque_tokens` fault), so
/// clients must find the org through `/v1/people/me`.
pub fn opaque_token() -> String {
    random_alphanumeric(96)
}

/// Webex's public id form: base64 of `ciscospark://us/<KIND>/<uuid>`, without padding.
pub fn hydra_id(kind: &str, uuid: &str) -> String {
    base64::engine::general_purpose::STANDARD_NO_PAD
        .encode(format!("ciscospark://us/{kind}/{uuid}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = SeededRng::derive(7, "users");
        let mut b = SeededRng::derive(7, "users");
        assert_eq!(a.uuid(), b.uuid());
        assert_ne!(
            SeededRng::derive(7, "users").uuid(),
            SeededRng::derive(8, "users").uuid()
        );
    }

    #[test]
    fn uuid_shape() {
        let id = SeededRng::new(1).uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
    }

    /// Splits like Cisco's samples and SDK do (`token.split('_')`, exactly three parts, org id last).
    fn assert_webex_shape(token: &str, org: &str) {
        let parts: Vec<&str> = token.split('_').collect();
        assert_eq!(parts.len(), 3, "{token}");
        assert_eq!(parts[0].len(), RANDOM_PART_LEN, "{token}");
        assert!(
            parts[0].bytes().all(|b| b.is_ascii_alphanumeric()),
            "{token}"
        );
        assert_eq!(parts[1], CI_CLUSTER, "{token}");
        assert_eq!(parts[2], org, "{token}");
    }

    #[test]
    fn ten_thousand_of_each_split_into_three_parts_with_the_org_last() {
        let org = "9a8b7c6d-0000-4000-8000-000000000000";
        for _ in 0..10_000 {
            assert_webex_shape(&access_token(org), org);
            assert_webex_shape(&refresh_token(org), org);
            assert_webex_shape(&authorization_code(org), org);
        }
    }

    #[test]
    fn opaque_tokens_have_no_tail() {
        for _ in 0..1_000 {
            let t = opaque_token();
            assert!(t.bytes().all(|b| b.is_ascii_alphanumeric()), "{t}");
        }
    }

    #[test]
    fn hydra_org_id_decodes() {
        let id = hydra_id("ORGANIZATION", "abc");
        let raw = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(id)
            .unwrap();
        assert_eq!(raw, b"ciscospark://us/ORGANIZATION/abc");
    }
}

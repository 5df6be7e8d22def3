//! Where Contact Center API calls go: a data-centre region or an explicit base URL.

use std::fmt;
use std::str::FromStr;

/// A Webex Contact Center data-centre region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Region {
    #[default]
    Us1,
    Eu1,
    Eu2,
    Anz1,
    Ca1,
    Jp1,
    Sg1,
    In1,
}

impl Region {
    /// Every region, in the order the region switcher lists them.
    pub const ALL: [Region; 8] = [
        Region::Us1,
        Region::Eu1,
        Region::Eu2,
        Region::Anz1,
        Region::Ca1,
        Region::Jp1,
        Region::Sg1,
        Region::In1,
    ];

    /// The short code used in config and host names, e.g. `eu1`.
    pub fn code(self) -> &'static str {
        match self {
            Region::Us1 => "us1",
            Region::Eu1 => "eu1",
            Region::Eu2 => "eu2",
            Region::Anz1 => "anz1",
            Region::Ca1 => "ca1",
            Region::Jp1 => "jp1",
            Region::Sg1 => "sg1",
            Region::In1 => "in1",
        }
    }

    /// A human label for the region switcher.
    pub fn label(self) -> &'static str {
        match self {
            Region::Us1 => "United States (us1)",
            Region::Eu1 => "Europe – United Kingdom (eu1)",
            Region::Eu2 => "Europe – Germany (eu2)",
            Region::Anz1 => "Australia and New Zealand (anz1)",
            Region::Ca1 => "Canada (ca1)",
            Region::Jp1 => "Japan (jp1)",
            Region::Sg1 => "Singapore (sg1)",
            Region::In1 => "India (in1)",
        }
    }

    /// The Contact Center API base URL, e.g. `https://api.wxcc-us1.cisco.com`.
    pub fn api_base_url(self) -> String {
        format!("https://api.wxcc-{}.cisco.com", self.code())
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The text is not one of the region codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRegion(pub String);

impl fmt::Display for UnknownRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a Webex Contact Center region; use one of {}",
            self.0,
            region_list()
        )
    }
}

impl std::error::Error for UnknownRegion {}

pub(super) fn region_list() -> String {
    Region::ALL
        .iter()
        .map(|r| r.code())
        .collect::<Vec<_>>()
        .join(", ")
}

impl FromStr for Region {
    type Err = UnknownRegion;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Region::ALL
            .into_iter()
            .find(|r| r.code() == wanted)
            .ok_or_else(|| UnknownRegion(s.to_owned()))
    }
}

/// Where Contact Center API calls go: a region's host, or an explicit base URL (sandbox, proxy).
///
/// Stored as a plain string (`Display`, [`ApiBase::from_text`]): the region code (`"eu1"`) or
/// the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiBase {
    Region(Region),
    Explicit(String),
}

impl ApiBase {
    /// The base URL without a trailing slash.
    pub fn url(&self) -> String {
        match self {
            ApiBase::Region(region) => region.api_base_url(),
            ApiBase::Explicit(url) => url.clone(),
        }
    }

    /// The stored form back: a region code, or else an explicit URL.
    pub fn from_text(text: &str) -> ApiBase {
        match text.parse::<Region>() {
            Ok(region) => ApiBase::Region(region),
            Err(_) => ApiBase::Explicit(text.to_owned()),
        }
    }

    /// The region, when the base came from one.
    pub fn region(&self) -> Option<Region> {
        match self {
            ApiBase::Region(region) => Some(*region),
            ApiBase::Explicit(_) => None,
        }
    }
}

impl fmt::Display for ApiBase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiBase::Region(region) => f.write_str(region.code()),
            ApiBase::Explicit(url) => f.write_str(url),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_api_bases_round_trip_through_their_text() {
        for region in Region::ALL {
            assert_eq!(region.to_string().parse::<Region>(), Ok(region));
            assert_eq!(
                region.api_base_url(),
                format!("https://api.wxcc-{region}.cisco.com")
            );
            let base = ApiBase::Region(region);
            assert_eq!(ApiBase::from_text(&base.to_string()), base);
        }
        assert!("us2".parse::<Region>().is_err());
        assert_eq!(ApiBase::from_text(" JP1 "), ApiBase::Region(Region::Jp1));
        let explicit = ApiBase::from_text("http://127.0.0.1:1");
        assert_eq!(explicit, ApiBase::Explicit("http://127.0.0.1:1".into()));
        assert_eq!(explicit.to_string(), "http://127.0.0.1:1");
    }
}

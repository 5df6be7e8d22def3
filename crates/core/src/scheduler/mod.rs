//! The rules of the console's one request scheduler (issue 25): Webex rate-limits the Contact
//! Center APIs per client id, so every tab of every person shares one budget. The browser adapter
//! (`src/api/scheduler.rs`) only reads the clock and storage and sends; every decision is here:
//!
//! - [`bucket`]: the token bucket (requests per minute, a reserve background work may not spend,
//!   the pause a 429 imposes) and its small state the tabs share;
//! - [`cache`]: which GETs are one request (coalescing keys), which answers are kept and how long,
//!   what a write makes stale;
//! - [`news`]: what the tabs tell each other about the budget.

pub mod bucket;
pub mod cache;
pub mod news;

pub use bucket::{BucketState, Budget, Wait};
pub use cache::{CachedAnswer, Freshness};
pub use news::BudgetNews;

/// Webex Contact Center's documented default rate limit per client id (developer portal,
/// `webex-contact-center/docs/rate-limiting`).
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 300;
/// The share of the budget kept for what the person is looking at when config.json does not say.
pub const DEFAULT_RESERVE_PERCENT: u8 = 20;
/// The largest reserve config.json may ask for: background work must always be able to move.
pub const MAX_RESERVE_PERCENT: u8 = 90;

/// Who is waiting for a call's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Priority {
    /// What the person is looking at: a list, a record, an explorer request.
    #[default]
    Foreground,
    /// Work nobody is watching call by call: overview counts, CSV paging, bulk writes. It yields
    /// to foreground calls and never spends the reserve.
    Background,
}

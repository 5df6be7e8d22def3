//! The browser side of the one API budget (issue 25); the rules are `wxcc_core::scheduler`'s.
//!
//! Design: the bucket's small state lives in localStorage and every tab reads and writes it under
//! one Web Lock (`wxcc.api-budget`). No tab leads: there is no election, nothing to hand over when
//! a leading tab closes, and no request and answer over the channel for every call; the lock
//! serialises the read-modify-write, which is synchronous, so it is held only for that moment.
//! Identical GETs in flight in this tab are one request; a cacheable GET also holds a lock of its
//! own (`wxcc.api-get …`) while it asks the API, so a second tab asking the same waits and is then
//! answered from the kept answer. Kept answers are list and count bodies in localStorage (never a
//! token or a header but the tracking id), cleared when this tab's session ends. A 429 pauses the
//! shared state and tells the other tabs over the BroadcastChannel `wxcc.api-budget`, so every
//! tab shows the one countdown at once. Without Web Locks each tab still keeps to the budget it
//! reads, but two tabs may spend the same token (the README says so).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use futures::channel::oneshot;
use leptos::prelude::*;
use wxcc_core::api_error::{ApiError, ApiErrorKind};
use wxcc_core::scheduler::cache;
use wxcc_core::scheduler::{BucketState, BudgetNews, CachedAnswer, Freshness, Priority};

use super::ApiCall;
use crate::browser;
use crate::ctx::{Auth, Ctx};
use crate::tabs;

const BUDGET_LOCK: &str = "wxcc.api-budget";
const BUDGET_KEY: &str = "wxcc.api-budget";
const CHANNEL: &str = "wxcc.api-budget";

/// An answer from the network with the body text it came as (what the cache keeps).
pub(super) struct Fetched {
    pub call: ApiCall,
    pub body: String,
}

/// The request itself, boxed so that the scheduler exists once in the wasm, not once per caller.
pub(super) type Fetch = Pin<Box<dyn Future<Output = Result<Fetched, ApiError>>>>;

type Waiters = Vec<oneshot::Sender<Result<ApiCall, ApiError>>>;

thread_local! {
    /// This tab's GETs in flight, by coalescing key, with the calls waiting for the same answer.
    static IN_FLIGHT: RefCell<HashMap<String, Waiters>> = RefCell::new(HashMap::new());
    /// This tab's calls waiting for a token: foreground and background.
    static QUEUED: Cell<(u32, u32)> = const { Cell::new((0, 0)) };
    static NEWS: RefCell<Option<tabs::Channel>> = const { RefCell::new(None) };
}

/// Listens for other tabs' pauses, shows one still running, and forgets the kept answers when
/// this tab's session ends. Once per page.
pub fn start(ctx: Ctx) {
    show_pause(ctx, read_state().paused_at(browser::now_ms()));
    if let Some(channel) = tabs::Channel::open(CHANNEL) {
        channel.listen(move |text| {
            if let Some(BudgetNews::Paused { until_ms }) = BudgetNews::decode(&text) {
                show_pause(ctx, Some(until_ms));
            }
        });
        NEWS.with(|news| *news.borrow_mut() = Some(channel));
    }
    // Only the end of a session this tab had: a tab passing through "signed out" on its way to
    // adopting another tab's session must not empty every tab's answers.
    let was_signed_in = Cell::new(false);
    crate::load::effect(move || {
        let signed_in = ctx.signed_in();
        let ended = ctx.auth.with(|a| matches!(a, Auth::SignedOut { .. }));
        if was_signed_in.replace(signed_in) && ended {
            forget_kept_answers(|_| true);
        }
    });
}

/// Answers a call: from this tab's identical GET in flight, from a fresh kept answer (unless
/// `freshness` asks for the network), or by running `send`, whose successful answer is kept when
/// it is a list or count. A successful write makes what it touched stale.
pub(super) async fn answer(
    method: &'static str,
    url: &str,
    freshness: Freshness,
    send: Fetch,
) -> Result<ApiCall, ApiError> {
    let Some(key) = cache::coalescing_key(method, url) else {
        let fetched = send.await?;
        if let Some(prefix) = cache::touched_prefix(method, url) {
            forget_kept_answers(|answer| cache::is_touched(&prefix, &answer.url));
        }
        return Ok(fetched.call);
    };
    // A Refresh wants the network: it does not join a call that may be answered from the cache.
    if freshness == Freshness::Cached
        && let Some(joined) = join_in_flight(&key)
    {
        return joined.await.unwrap_or_else(|_| Err(abandoned()));
    }
    // A Refresh while the same GET is in flight goes on its own, leaving that one's waiters be.
    let flight = InFlight::begin(&key);
    let result = if cache::is_cacheable(method, url) {
        let lock = format!("wxcc.api-get {key}");
        tabs::exclusive(&lock, |_turn| fetch_or_keep(&key, freshness, send)).await
    } else {
        send.await.map(|fetched| fetched.call)
    };
    if let Some(flight) = flight {
        flight.finish(&result);
    }
    result
}

async fn fetch_or_keep(key: &str, freshness: Freshness, send: Fetch) -> Result<ApiCall, ApiError> {
    if freshness == Freshness::Cached
        && let Some(call) = kept_answer(key)
    {
        return Ok(call);
    }
    let fetched = send.await?;
    keep(
        key,
        &CachedAnswer {
            url: fetched.call.url.clone(),
            status: fetched.call.status,
            tracking_id: fetched.call.tracking_id.clone(),
            stored_at_ms: browser::now_ms(),
            body: fetched.body,
        },
    );
    Ok(fetched.call)
}

/// Waits until the shared budget grants this call a token. Calls that have to wait are counted in
/// `ctx.api_queued`, which the layout shows.
pub(super) async fn take_token(ctx: Ctx, priority: Priority) {
    let budget = ctx.config.with_value(|c| c.api_budget);
    let mut queued = false;
    loop {
        let foreground_queued = QUEUED.with(|q| q.get().0);
        let decision = tabs::exclusive(BUDGET_LOCK, |_turn| async move {
            let now = browser::now_ms();
            let mut state = read_state();
            let decision = state.take(&budget, priority, foreground_queued, now);
            write_state(&state);
            decision
        })
        .await;
        let wait = match decision {
            Ok(()) => break,
            Err(wait) => wait,
        };
        if !queued {
            queued = true;
            count_queued(ctx, priority, true);
        }
        if wait.paused {
            show_pause(ctx, Some(wait.until_ms));
        }
        let ms = wait.until_ms.saturating_sub(browser::now_ms()).max(1);
        browser::sleep_ms(ms.min(u64::from(u32::MAX)) as u32).await;
    }
    if queued {
        count_queued(ctx, priority, false);
    }
}

/// A 429 answered: every call of every tab waits until `until_ms`, with one countdown.
pub(super) async fn pause(ctx: Ctx, until_ms: u64) {
    tabs::exclusive(BUDGET_LOCK, |_turn| async move {
        let mut state = read_state();
        state.pause(&ctx.config.with_value(|c| c.api_budget), until_ms);
        write_state(&state);
    })
    .await;
    show_pause(ctx, Some(until_ms));
    NEWS.with(|news| {
        if let Some(channel) = news.borrow().as_ref() {
            channel.post(&BudgetNews::Paused { until_ms }.encode());
        }
    });
}

/// The countdown every tab shows: the latest deadline wins, and it hides once it has passed.
fn show_pause(ctx: Ctx, until_ms: Option<u64>) {
    if let Some(until_ms) = until_ms {
        ctx.retry_until
            .update(|until| *until = (*until).max(until_ms));
    }
}

fn count_queued(ctx: Ctx, priority: Priority, waiting: bool) {
    let (foreground, background) = QUEUED.with(|q| {
        let (mut foreground, mut background) = q.get();
        let count = match priority {
            Priority::Foreground => &mut foreground,
            Priority::Background => &mut background,
        };
        *count = if waiting {
            *count + 1
        } else {
            count.saturating_sub(1)
        };
        q.set((foreground, background));
        (foreground, background)
    });
    ctx.api_queued.set(foreground + background);
}

fn join_in_flight(key: &str) -> Option<oneshot::Receiver<Result<ApiCall, ApiError>>> {
    IN_FLIGHT.with(|flights| {
        let mut flights = flights.borrow_mut();
        let waiters = flights.get_mut(key)?;
        let (tx, rx) = oneshot::channel();
        waiters.push(tx);
        Some(rx)
    })
}

/// This tab's one request for a key; dropped unfinished (its task ended), it lets the waiters go
/// with an error rather than leaving them waiting.
struct InFlight {
    key: String,
}

impl InFlight {
    /// `None` when this tab already has a request for `key` in flight.
    fn begin(key: &str) -> Option<InFlight> {
        IN_FLIGHT.with(|flights| {
            let mut flights = flights.borrow_mut();
            if flights.contains_key(key) {
                return None;
            }
            flights.insert(key.to_string(), Vec::new());
            Some(InFlight {
                key: key.to_string(),
            })
        })
    }

    fn finish(self, result: &Result<ApiCall, ApiError>) {
        for waiter in self.take_waiters() {
            let _ = waiter.send(result.clone());
        }
    }

    fn take_waiters(&self) -> Waiters {
        IN_FLIGHT.with(|flights| flights.borrow_mut().remove(&self.key).unwrap_or_default())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        // After `finish` the entry is gone and this finds no waiters.
        drop(self.take_waiters());
    }
}

fn abandoned() -> ApiError {
    ApiError {
        status: 0,
        kind: ApiErrorKind::Client,
        message: "The request this view was waiting for was abandoned before it answered. Press \
                  Retry to ask again."
            .into(),
        tracking_id: None,
        error_code: None,
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    browser::window().local_storage().ok().flatten()
}

fn read_state() -> BucketState {
    let text = local_storage().and_then(|s| s.get_item(BUDGET_KEY).ok().flatten());
    BucketState::decode_or_full(text.as_deref())
}

fn write_state(state: &BucketState) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(BUDGET_KEY, &state.encode());
    }
}

fn is_fresh(answer: &CachedAnswer, now_ms: u64) -> bool {
    cache::is_fresh(
        answer.stored_at_ms,
        now_ms,
        cache::fresh_for_ms(&answer.url),
    )
}

/// A fresh kept answer for `key`; a stale or unreadable one is removed.
fn kept_answer(key: &str) -> Option<ApiCall> {
    let storage = local_storage()?;
    let storage_key = cache::storage_key(key);
    let text = storage.get_item(&storage_key).ok().flatten()?;
    let answer = CachedAnswer::decode(&text).filter(|a| is_fresh(a, browser::now_ms()));
    let Some(answer) = answer else {
        let _ = storage.remove_item(&storage_key);
        return None;
    };
    let json = wxcc_core::json::parse(&answer.body).ok()?;
    Some(ApiCall {
        url: answer.url,
        status: answer.status,
        json,
        tracking_id: answer.tracking_id,
        elapsed_ms: 0.0,
    })
}

/// Keeps an answer for the other tabs; when storage is full, stale answers make room first, and
/// if there is still none the answer is simply not kept.
fn keep(key: &str, answer: &CachedAnswer) {
    let Some(storage) = local_storage() else {
        return;
    };
    let storage_key = cache::storage_key(key);
    let text = answer.encode();
    if storage.set_item(&storage_key, &text).is_err() {
        let now = browser::now_ms();
        forget_kept_answers(|a| !is_fresh(a, now));
        let _ = storage.set_item(&storage_key, &text);
    }
}

/// Removes every kept answer `stale` says yes to (an unreadable one always goes).
fn forget_kept_answers(stale: impl Fn(&CachedAnswer) -> bool) {
    let Some(storage) = local_storage() else {
        return;
    };
    let count = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| cache::is_storage_key(k))
        .collect();
    for key in keys {
        let text = storage.get_item(&key).ok().flatten().unwrap_or_default();
        if CachedAnswer::decode(&text).is_none_or(|answer| stale(&answer)) {
            let _ = storage.remove_item(&key);
        }
    }
}

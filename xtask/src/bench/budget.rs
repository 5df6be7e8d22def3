//! The org's API budget (issue 25), on a stack of its own whose sandbox enforces Webex's older
//! documented limit, [`SANDBOX_LIMIT`] requests a minute per client id: a scripted session of 20
//! views in 2 minutes with back-and-forth navigation (tests/bench/budget.mjs), replayed by one person,
//! then by [`PEOPLE`] people at once, each browser's budget set to its share of the limit. Reported:
//! the API requests per view, the time from each navigation to its data, the views with no data
//! within 15 s and the 429s. Targets for the people at once: no 429 and every view with its data.

use serde_json::{Value, json};

use super::report::{Row, Section, Status, ms};
use super::stats::summarize;
use crate::services::Stack;
use crate::util::Result;

/// The sandbox's per-client limit: Webex's older generic rate-limiting page (the current Contact
/// Center page says 300); the busy org on one machine.
pub const SANDBOX_LIMIT: u32 = 50;
/// People using the console at once in the second run.
pub const PEOPLE: u32 = 3;
/// Views in the scripted session (tests/bench/budget.mjs's SCRIPT).
const VIEWS: usize = 20;
const SCRIPT: &str = "tests/bench/budget.mjs";

/// What each person's config.json allows: their share of the client id's limit.
pub fn share_per_person() -> u32 {
    SANDBOX_LIMIT / PEOPLE
}

/// The figures of one run of the script.
#[derive(Debug, PartialEq)]
pub struct RunFigures {
    pub sessions: usize,
    pub views: usize,
    pub requests: u64,
    pub limited: u64,
    /// Views whose data was not on screen within the script's 15 s.
    pub without_data: usize,
    /// Time to data of the views that showed it.
    pub times: Vec<f64>,
    /// Sessions that stopped early, with why.
    pub errors: Vec<String>,
}

pub fn figures(output: &Value) -> Result<RunFigures> {
    let sessions = output["sessions"]
        .as_array()
        .ok_or("the budget script printed no sessions")?;
    let mut figures = RunFigures {
        sessions: sessions.len(),
        views: 0,
        requests: output["requests"].as_u64().unwrap_or(0),
        limited: output["limited"].as_u64().unwrap_or(0),
        without_data: 0,
        times: Vec::new(),
        errors: Vec::new(),
    };
    for session in sessions {
        let views = session["views"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        if let Some(error) = session["error"].as_str() {
            figures
                .errors
                .push(format!("session {}: {error}", session["session"]));
        } else if views.len() != VIEWS {
            figures.errors.push(format!(
                "session {}: {} of {VIEWS} views",
                session["session"],
                views.len()
            ));
        }
        figures.views += views.len();
        for view in views {
            match view["ms"].as_f64() {
                Some(ms) => figures.times.push(ms),
                None => figures.without_data += 1,
            }
        }
    }
    Ok(figures)
}

/// The rows for one run, labelled `who`, and the targets it missed (`held` says whether the
/// targets apply to it).
pub fn run_rows(who: &str, f: &RunFigures, held: bool) -> (Vec<Row>, Vec<String>) {
    let per_view = if f.views == 0 {
        0.0
    } else {
        f.requests as f64 / f.views as f64
    };
    let mut rows = vec![Row::single(
        format!("{who}: API requests"),
        f.requests.to_string(),
        format!("{per_view:.2} per view over {} views", f.views),
    )];
    if let Some(summary) = summarize(&f.times) {
        rows.push(Row::summary(
            format!("{who}: navigation → data on screen"),
            &summary,
            ms,
            format!("{} views", summary.n),
        ));
    }
    rows.push(Row::single(
        format!("{who}: views with no data within 15 s"),
        f.without_data.to_string(),
        if held { "target 0" } else { "" },
    ));
    rows.push(Row::single(
        format!("{who}: 429 answers"),
        f.limited.to_string(),
        if held { "target 0" } else { "" },
    ));
    let mut missed = Vec::new();
    if held && f.limited > 0 {
        missed.push(format!("{who}: the API answered {} times 429", f.limited));
    }
    if held && f.without_data > 0 {
        missed.push(format!(
            "{who}: {} of {} views showed no data within 15 s",
            f.without_data, f.views
        ));
    }
    (rows, missed)
}

fn run_script(stack: &Stack, sessions: u32, budget: Option<u32>) -> Result<Value> {
    let mut args = vec![
        "--origin".to_string(),
        stack.spa_origin.clone(),
        "--identity".into(),
        stack.identity_url.clone(),
        "--api".into(),
        stack.api_url.clone(),
        "--sessions".into(),
        sessions.to_string(),
    ];
    if let Some(budget) = budget {
        args.extend(["--budget".to_string(), budget.to_string()]);
    }
    super::script::run(SCRIPT, &args)
}

/// `stack` is the budget's own stack (its sandbox at [`SANDBOX_LIMIT`]), or why it did not start.
pub fn section(stack: std::result::Result<&Stack, &str>) -> Section {
    let stack = match stack {
        Ok(stack) => stack,
        Err(error) => {
            return Section::failed("budget", format!("the local stack did not start: {error}"));
        }
    };
    let share = share_per_person();
    let runs = [
        ("one person".to_string(), 1, None, false),
        (
            format!("{PEOPLE} people at once, {share}/min each"),
            PEOPLE,
            Some(share),
            true,
        ),
    ];
    let mut all_rows = Vec::new();
    let mut problems = Vec::new();
    let mut missed = Vec::new();
    let mut data = serde_json::Map::new();
    for (who, sessions, budget, held) in runs {
        crate::util::heading(&format!(
            "budget: {who}, {VIEWS} views in 2 minutes each, sandbox limit {SANDBOX_LIMIT}/min"
        ));
        match run_script(stack, sessions, budget).and_then(|output| {
            let f = figures(&output)?;
            data.insert(who.clone(), output);
            Ok(f)
        }) {
            Ok(f) => {
                problems.extend(f.errors.iter().map(|e| format!("{who}: {e}")));
                let (rows, over) = run_rows(&who, &f, held);
                all_rows.extend(rows);
                missed.extend(over);
            }
            Err(error) => problems.push(format!("{who}: {error}")),
        }
    }
    let status = Status::from_findings(&problems, &missed);
    Section {
        name: "budget",
        status,
        rows: all_rows,
        data: json!({"sandbox_limit": SANDBOX_LIMIT, "people": PEOPLE, "runs": Value::Object(data)}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(n: u64, views: usize, missing: usize, error: Option<&str>) -> Value {
        let views: Vec<Value> = (0..views)
            .map(|i| json!({"view": "Users", "requests": 1, "ms": if i < missing { Value::Null } else { json!(100 + i) }}))
            .collect();
        json!({"session": n, "views": views, "error": error})
    }

    #[test]
    fn figures_count_views_without_data_and_short_sessions() {
        let output = json!({"sessions": [session(1, 20, 2, None), session(2, 7, 0, Some("timeout"))], "requests": 40, "limited": 3});
        let f = figures(&output).unwrap();
        assert_eq!((f.sessions, f.views, f.requests, f.limited), (2, 27, 40, 3));
        assert_eq!((f.without_data, f.times.len()), (2, 25));
        assert_eq!(f.errors, ["session 2: timeout"]);
        assert!(figures(&json!({})).is_err());
    }

    #[test]
    fn the_people_at_once_are_held_to_no_429_and_every_view_shown() {
        let output = json!({"sessions": [session(1, 20, 1, None)], "requests": 30, "limited": 2});
        let f = figures(&output).unwrap();
        let (rows, missed) = run_rows("3 people", &f, true);
        assert_eq!(rows[0].value, "30");
        assert_eq!(rows[0].detail, "1.50 per view over 20 views");
        assert_eq!(missed.len(), 2, "{missed:?}");
        let (_, missed) = run_rows("one person", &f, false);
        assert!(missed.is_empty());
        assert_eq!(share_per_person(), 16);
    }
}

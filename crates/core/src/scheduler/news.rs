//! What a tab tells the others about the budget over their BroadcastChannel (`wxcc.api-budget`),
//! so that one 429 shows one countdown in every tab at once, not only when each next calls.

/// One message about the shared budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BudgetNews {
    /// A 429 paused every call until this time (epoch ms).
    Paused { until_ms: u64 },
}

const PAUSED: &str = "paused";

impl BudgetNews {
    pub fn encode(&self) -> String {
        match self {
            BudgetNews::Paused { until_ms } => format!("{PAUSED}\n{until_ms}"),
        }
    }

    /// `None` for anything this build does not know (a newer build's message in another tab).
    pub fn decode(text: &str) -> Option<BudgetNews> {
        match text.split_once('\n')? {
            (PAUSED, ms) => Some(BudgetNews::Paused {
                until_ms: ms.parse().ok()?,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_round_trips_and_unknown_text_is_ignored() {
        let news = BudgetNews::Paused {
            until_ms: 1_700_000_002_000,
        };
        assert_eq!(BudgetNews::decode(&news.encode()), Some(news));
        for text in ["", "paused", "paused\n", "paused\nsoon", "resumed\n1"] {
            assert_eq!(BudgetNews::decode(text), None, "{text:?}");
        }
    }
}

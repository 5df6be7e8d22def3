//! The Activity page's state in its address, so a view of a window can be bookmarked, shared and
//! reloaded: `/activity?view=queues&window=last-7-days`, or `window=custom&from=…&to=…` (epoch ms).

use super::window::{Preset, WindowChoice};
use crate::route::{form_encode, query_value};

/// One view at a time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Overview,
    Queues,
    Agents,
    Tasks,
}

impl View {
    pub const ALL: [View; 4] = [View::Overview, View::Queues, View::Agents, View::Tasks];

    pub fn slug(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Queues => "queues",
            View::Agents => "agents",
            View::Tasks => "tasks",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            View::Overview => "Overview",
            View::Queues => "Queues",
            View::Agents => "Agents",
            View::Tasks => "Task records",
        }
    }

    fn from_slug(slug: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.slug() == slug)
    }
}

/// What the address says: the view and the window (defaults for anything missing or unknown).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Address {
    pub view: View,
    pub window: WindowChoice,
}

impl Address {
    /// Reads `location.search`.
    pub fn from_query(search: &str) -> Address {
        let number = |key| query_value(search, key).and_then(|v| v.parse::<u64>().ok());
        let view = query_value(search, "view")
            .and_then(|v| View::from_slug(&v))
            .unwrap_or_default();
        let window = match query_value(search, "window").as_deref() {
            Some("custom") => match (number("from"), number("to")) {
                (Some(from), Some(to)) => WindowChoice::Custom { from, to },
                _ => WindowChoice::default(),
            },
            Some(slug) => Preset::from_slug(slug)
                .map(WindowChoice::Preset)
                .unwrap_or_default(),
            None => WindowChoice::default(),
        };
        Address { view, window }
    }

    /// The in-app path of this state.
    pub fn path(&self) -> String {
        let mut pairs = vec![("view", self.view.slug().to_string())];
        match self.window {
            WindowChoice::Preset(preset) => pairs.push(("window", preset.slug().to_string())),
            WindowChoice::Custom { from, to } => {
                pairs.push(("window", "custom".into()));
                pairs.push(("from", from.to_string()));
                pairs.push(("to", to.to_string()));
            }
        }
        format!("/activity?{}", form_encode(&pairs))
    }

    pub fn with_view(self, view: View) -> Address {
        Address { view, ..self }
    }

    pub fn with_window(self, window: WindowChoice) -> Address {
        Address { window, ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_round_trips_every_view_and_window() {
        let windows = Preset::ALL
            .into_iter()
            .map(WindowChoice::Preset)
            .chain([WindowChoice::Custom { from: 5, to: 9 }]);
        for window in windows {
            for view in View::ALL {
                let address = Address { view, window };
                let path = address.path();
                let search = path.split_once('?').unwrap().1;
                assert_eq!(Address::from_query(search), address, "{path}");
            }
        }
        assert_eq!(
            Address::default().with_view(View::Agents).path(),
            "/activity?view=agents&window=today"
        );
    }

    #[test]
    fn missing_or_unknown_parts_fall_back_to_the_overview_of_today() {
        assert_eq!(Address::from_query(""), Address::default());
        let odd = Address::from_query("?view=charts&window=last-year");
        assert_eq!(odd, Address::default());
        let half = Address::from_query("?view=tasks&window=custom&from=5");
        assert_eq!(half.view, View::Tasks);
        assert_eq!(half.window, WindowChoice::default());
        // The old page's address (from/to without a window) opens the default window.
        assert_eq!(
            Address::from_query("?from=1&to=2").window,
            WindowChoice::default()
        );
    }
}

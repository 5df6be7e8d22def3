//! Cursor paging of the task records view: the cursors of the pages after the first, for the
//! window they belong to, and the rule that "Next" takes the end cursor of the answer to the page
//! the view is on, never of an answer still shown while that page loads (the page's loader keeps
//! the previous answer on screen, so a quick second "Next" would otherwise push the same cursor
//! again and the view would count pages it never showed).

use super::window::Window;

/// Which page an answer answers: the window and the cursor it was asked with (`None`: the first
/// page).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub window: Window,
    pub cursor: Option<String>,
}

/// The cursors of the pages after the first, for one window; another window starts again on its
/// first page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pager {
    window: Option<Window>,
    cursors: Vec<String>,
}

impl Pager {
    fn stack(&self, window: Window) -> &[String] {
        if self.window == Some(window) {
            &self.cursors
        } else {
            &[]
        }
    }

    /// The page the view is on in `window`.
    pub fn key(&self, window: Window) -> PageKey {
        PageKey {
            window,
            cursor: self.stack(window).last().cloned(),
        }
    }

    /// Its number, from 1.
    pub fn number(&self, window: Window) -> usize {
        self.stack(window).len() + 1
    }

    pub fn has_previous(&self, window: Window) -> bool {
        !self.stack(window).is_empty()
    }

    /// Whether "Next" can go on from `shown`, the answer on screen with its end cursor: only
    /// when it answers the page the view is on and has a next page.
    pub fn can_go_next(&self, window: Window, shown: &PageKey, end_cursor: Option<&str>) -> bool {
        end_cursor.is_some() && *shown == self.key(window)
    }

    /// "Next": on to the page after `shown`; nothing when [`Pager::can_go_next`] says no.
    pub fn next(&mut self, window: Window, shown: &PageKey, end_cursor: Option<&str>) -> bool {
        let Some(cursor) = end_cursor.filter(|_| self.can_go_next(window, shown, end_cursor))
        else {
            return false;
        };
        let mut cursors = self.stack(window).to_vec();
        cursors.push(cursor.to_string());
        *self = Pager {
            window: Some(window),
            cursors,
        };
        true
    }

    /// "Previous": back one page (nothing on the first).
    pub fn previous(&mut self, window: Window) {
        let mut cursors = self.stack(window).to_vec();
        cursors.pop();
        *self = Pager {
            window: Some(window),
            cursors,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Window = Window {
        from: 1_772_409_600_000,
        to: 1_772_496_000_000,
    };
    const OTHER: Window = Window {
        from: 1_772_323_200_000,
        to: 1_772_409_600_000,
    };

    /// The sandbox's and Webex's raw cursors: the next page's number.
    fn answer_to(key: &PageKey, pages: usize) -> Option<String> {
        let page = key.cursor.as_deref().map_or(0, |c| c.parse().unwrap());
        (page + 1 < pages).then(|| (page + 1).to_string())
    }

    #[test]
    fn next_follows_the_cursors_to_the_last_page() {
        let mut pager = Pager::default();
        for number in 1..=4 {
            let shown = pager.key(DAY);
            assert_eq!(pager.number(DAY), number);
            let end = answer_to(&shown, 4);
            assert_eq!(pager.next(DAY, &shown, end.as_deref()), number < 4);
        }
        assert_eq!(pager.number(DAY), 4);
        assert_eq!(pager.key(DAY).cursor.as_deref(), Some("3"));
        pager.previous(DAY);
        assert_eq!(pager.key(DAY).cursor.as_deref(), Some("2"));
    }

    #[test]
    fn next_while_the_next_page_loads_does_nothing() {
        let mut pager = Pager::default();
        let first = pager.key(DAY);
        let end = answer_to(&first, 4);
        assert!(pager.next(DAY, &first, end.as_deref()));
        // Page 2 is loading: the first page's answer is still on screen.
        assert!(!pager.can_go_next(DAY, &first, end.as_deref()));
        assert!(!pager.next(DAY, &first, end.as_deref()));
        assert_eq!(pager.number(DAY), 2);
        // Page 2 arrived: its own cursor leads on.
        let second = pager.key(DAY);
        let end = answer_to(&second, 4);
        assert!(pager.next(DAY, &second, end.as_deref()));
        assert_eq!(pager.key(DAY).cursor.as_deref(), Some("2"));
    }

    #[test]
    fn another_window_starts_on_its_first_page() {
        let mut pager = Pager::default();
        let first = pager.key(DAY);
        assert!(pager.next(DAY, &first, Some("1")));
        assert_eq!(pager.number(OTHER), 1);
        assert!(!pager.has_previous(OTHER));
        // An answer of the old window does not page the new one.
        let shown = pager.key(DAY);
        assert!(!pager.next(OTHER, &shown, Some("2")));
        assert!(pager.has_previous(DAY));
        pager.previous(DAY);
        assert!(!pager.has_previous(DAY));
    }
}

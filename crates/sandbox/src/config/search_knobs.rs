//! The `search_*` knobs (declared with the others in `config::Knobs`) stand for what Cisco's
//! Search API documentation leaves open, marked UNCONFIRMED or CONFLICT in the reference notes.
//! Each default is the stricter reading. This checks their values, for the config file and the
//! control endpoint alike. It lives with the knobs, not in `search`, so the config does not
//! import the Search API's module (which imports the config).

use super::{Knobs, check_one_of};

/// A message naming the first `search_*` knob with a value the sandbox does not know.
pub fn check_knobs(knobs: &Knobs) -> Result<(), String> {
    check_one_of(
        "search_future_to",
        &knobs.search_future_to,
        &["reject", "clamp"],
    )?;
    check_one_of(
        "search_variables",
        &knobs.search_variables,
        &["accept", "persisted_only"],
    )?;
    check_one_of(
        "search_asr_total_duration_unit",
        &knobs.search_asr_total_duration_unit,
        &["ms", "s"],
    )?;
    if !matches!(knobs.search_query_error_status, 200 | 400) {
        return Err(format!(
            "search_query_error_status must be 200 or 400, got {}",
            knobs.search_query_error_status
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_each_bad_value_is_named() {
        assert_eq!(check_knobs(&Knobs::default()), Ok(()));
        let bad = Knobs {
            search_future_to: "later".into(),
            ..Knobs::default()
        };
        assert!(check_knobs(&bad).unwrap_err().contains("search_future_to"));
        let bad = Knobs {
            search_query_error_status: 500,
            ..Knobs::default()
        };
        let err = check_knobs(&bad).unwrap_err();
        assert!(err.contains("search_query_error_status"), "{err}");
    }
}

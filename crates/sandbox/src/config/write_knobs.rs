//! The knobs of the configuration writes (declared with the others in `config::Knobs`): what
//! Cisco's spec leaves open about them, and the bulk fault. This checks their values, for the
//! config file and the control endpoint alike.

use super::{Knobs, check_one_of, check_share};

pub const STALE_VERSION: &[&str] = &["refuse400", "refuse409", "accept"];
pub const TEAM_DTO_IN: &[&str] = &["body", "query"];
pub const WRITE_UNKNOWN_FIELDS: &[&str] = &["refuse", "ignore"];

/// A message naming the first write knob with a value the sandbox does not know.
pub fn check_knobs(knobs: &Knobs) -> Result<(), String> {
    check_one_of("stale_version", &knobs.stale_version, STALE_VERSION)?;
    check_one_of("team_dto_in", &knobs.team_dto_in, TEAM_DTO_IN)?;
    check_one_of(
        "write_unknown_fields",
        &knobs.write_unknown_fields,
        WRITE_UNKNOWN_FIELDS,
    )?;
    check_share("bulk_item_failure_rate", knobs.bulk_item_failure_rate)?;
    if knobs.bulk_max_items == 0 {
        return Err("bulk_max_items must be at least 1".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_file_sets_them_and_the_defaults_are_the_strict_readings() {
        let k = Knobs::default();
        assert_eq!(
            (
                k.stale_version.as_str(),
                k.team_dto_in.as_str(),
                k.write_unknown_fields.as_str()
            ),
            ("refuse400", "body", "refuse")
        );
        assert_eq!((k.bulk_item_failure_rate, k.bulk_max_items), (0.0, 100));
        let c: crate::config::SandboxConfig = toml::from_str(
            "stale_version = \"refuse409\"\nbulk_item_failure_rate = 0.25\nteam_dto_in = \"query\"",
        )
        .unwrap();
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(c.knobs.stale_version, "refuse409");
        assert_eq!(
            (c.knobs.bulk_item_failure_rate, c.knobs.bulk_max_items),
            (0.25, 100)
        );
        let bad: crate::config::SandboxConfig =
            toml::from_str("stale_version = \"retry\"").unwrap();
        assert!(bad.validate().unwrap_err().contains("stale_version"));
    }

    #[test]
    fn defaults_are_valid_and_each_bad_value_is_named() {
        assert_eq!(check_knobs(&Knobs::default()), Ok(()));
        for bad in [
            Knobs {
                stale_version: "refuse412".into(),
                ..Knobs::default()
            },
            Knobs {
                team_dto_in: "form".into(),
                ..Knobs::default()
            },
            Knobs {
                write_unknown_fields: "warn".into(),
                ..Knobs::default()
            },
            Knobs {
                bulk_item_failure_rate: 1.5,
                ..Knobs::default()
            },
            Knobs {
                bulk_max_items: 0,
                ..Knobs::default()
            },
        ] {
            let err = check_knobs(&bad).unwrap_err();
            let named = [
                "stale_version",
                "team_dto_in",
                "write_unknown_fields",
                "bulk_item_failure_rate",
                "bulk_max_items",
            ]
            .iter()
            .any(|n| err.starts_with(n));
            assert!(named, "{err}");
        }
    }
}

//! Which console features each OAuth scope unlocks, so views whose scope was not granted are shown
//! disabled with the scope they need, instead of failing with 403.

/// A part of the console gated by a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feature {
    Users,
    Teams,
    Sites,
    Queues,
    EntryPoints,
    /// Desktop and skill profiles.
    Profiles,
    AuxCodes,
    AddressBooks,
    /// Tasks, agent activities, agent and queue statistics.
    Activity,
    /// Creating and changing configuration (the console itself only reads; shown for completeness).
    ConfigWrite,
    /// Agent actions on tasks (accept, hold, transfer…).
    AgentActions,
    /// Your own Webex profile (`/v1/people/me`), also the fallback for the orgId.
    YourProfile,
}

impl Feature {
    /// Every feature, in menu order.
    pub const ALL: [Feature; 12] = [
        Feature::Users,
        Feature::Teams,
        Feature::Sites,
        Feature::Queues,
        Feature::EntryPoints,
        Feature::Profiles,
        Feature::AuxCodes,
        Feature::AddressBooks,
        Feature::Activity,
        Feature::ConfigWrite,
        Feature::AgentActions,
        Feature::YourProfile,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Feature::Users => "Users",
            Feature::Teams => "Teams",
            Feature::Sites => "Sites",
            Feature::Queues => "Queues",
            Feature::EntryPoints => "Entry points",
            Feature::Profiles => "Desktop and skill profiles",
            Feature::AuxCodes => "Auxiliary codes",
            Feature::AddressBooks => "Address books",
            Feature::Activity => "Tasks, agent activity and statistics",
            Feature::ConfigWrite => "Change configuration",
            Feature::AgentActions => "Agent actions on tasks",
            Feature::YourProfile => "Your profile",
        }
    }

    /// Any one of these scopes unlocks the feature; the first is the one to ask for.
    pub fn required_scopes(self) -> &'static [&'static str] {
        match self {
            Feature::Users
            | Feature::Teams
            | Feature::Sites
            | Feature::Queues
            | Feature::EntryPoints
            | Feature::Profiles
            | Feature::AuxCodes
            | Feature::AddressBooks => &["cjp:config_read", "cjp:config_write"],
            Feature::Activity => &["cjp:config_read", "cjds:admin_org_read", "cjp:config_write"],
            Feature::ConfigWrite => &["cjp:config_write"],
            Feature::AgentActions => &["cjp:user"],
            Feature::YourProfile => &["spark:people_read"],
        }
    }

    /// Whether a granted scope unlocks the feature.
    pub fn is_available<S: AsRef<str>>(self, granted: &[S]) -> bool {
        self.required_scopes()
            .iter()
            .any(|needed| granted.iter().any(|g| g.as_ref() == *needed))
    }

    /// The text on a disabled view: which scope it needs and how to get it.
    pub fn how_to_unlock(self) -> String {
        let scope = self.required_scopes()[0];
        format!(
            "{} needs the {scope} scope, which this sign-in was not granted. Add \"{scope}\" to scopes in config.json \
             and to your integration on developer.webex.com, make sure your Webex account has a Contact Center \
             administrator role, then sign in again.",
            self.label()
        )
    }

    /// What a 403 for this feature means when Webex did not say which scopes it granted: the
    /// sign-in lacks the scope, or the account the role.
    pub fn forbidden_advice(self) -> String {
        let scope = self.required_scopes()[0];
        format!(
            "{} needs the {scope} scope and a Contact Center administrator role. Webex refused the call, so \
             this sign-in lacks one of them: check that \"{scope}\" is in scopes in config.json and on your \
             integration, and ask your administrator for the role, then sign in again.",
            self.label()
        )
    }
}

/// One catalogued scope, for the inspector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeInfo {
    pub scope: &'static str,
    pub description: &'static str,
}

/// The scopes the console knows about.
pub const SCOPE_CATALOGUE: [ScopeInfo; 6] = [
    ScopeInfo {
        scope: "cjp:config_read",
        description: "Read Contact Center configuration, tasks and statistics",
    },
    ScopeInfo {
        scope: "cjp:config_write",
        description: "Read and change Contact Center configuration",
    },
    ScopeInfo {
        scope: "cjp:user",
        description: "Act as a Contact Center agent (tasks, states)",
    },
    ScopeInfo {
        scope: "spark:people_read",
        description: "Read your Webex profile and your organization's people",
    },
    ScopeInfo {
        scope: "cjds:admin_org_read",
        description: "Read Contact Center analytics and journey data of the organization",
    },
    ScopeInfo {
        scope: "cjds:admin_org_write",
        description: "Change Contact Center analytics and journey data of the organization",
    },
];

/// Catalogue entry of a scope, if known.
pub fn scope_info(scope: &str) -> Option<&'static ScopeInfo> {
    SCOPE_CATALOGUE.iter().find(|info| info.scope == scope)
}

/// Features a single scope unlocks, in menu order.
pub fn features_unlocked_by(scope: &str) -> Vec<Feature> {
    Feature::ALL
        .into_iter()
        .filter(|f| f.required_scopes().contains(&scope))
        .collect()
}

/// Granted vs requested, for the inspector.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScopeComparison {
    /// Requested and granted.
    pub granted: Vec<String>,
    /// Requested but not granted (the user or the admin withheld them).
    pub missing: Vec<String>,
    /// Granted without being requested.
    pub extra: Vec<String>,
}

/// Compares scopes in the order they were requested (then granted), ignoring duplicates.
pub fn granted_vs_requested<S: AsRef<str>, R: AsRef<str>>(
    granted: &[S],
    requested: &[R],
) -> ScopeComparison {
    let has = |list: &[String], s: &str| list.iter().any(|x| x == s);
    let mut result = ScopeComparison::default();
    for r in requested.iter().map(AsRef::as_ref) {
        let bucket = if granted.iter().any(|g| g.as_ref() == r) {
            &mut result.granted
        } else {
            &mut result.missing
        };
        if !has(bucket, r) {
            bucket.push(r.to_owned());
        }
    }
    for g in granted.iter().map(AsRef::as_ref) {
        if !requested.iter().any(|r| r.as_ref() == g) && !has(&result.extra, g) {
            result.extra.push(g.to_owned());
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_read_unlocks_the_configuration_lists() {
        let unlocked = features_unlocked_by("cjp:config_read");
        for f in [
            Feature::Users,
            Feature::Teams,
            Feature::Sites,
            Feature::Queues,
            Feature::EntryPoints,
            Feature::Profiles,
            Feature::AuxCodes,
            Feature::AddressBooks,
            Feature::Activity,
        ] {
            assert!(unlocked.contains(&f), "{f:?}");
        }
        assert!(!unlocked.contains(&Feature::ConfigWrite));
        assert_eq!(
            features_unlocked_by("spark:people_read"),
            [Feature::YourProfile]
        );
        assert_eq!(features_unlocked_by("cjp:user"), [Feature::AgentActions]);
        assert_eq!(
            features_unlocked_by("cjds:admin_org_read"),
            [Feature::Activity]
        );
        assert!(features_unlocked_by("unknown:scope").is_empty());
    }

    #[test]
    fn availability_and_unlock_text() {
        let granted = ["spark:people_read"];
        assert!(Feature::YourProfile.is_available(&granted));
        assert!(!Feature::Users.is_available(&granted));
        assert!(Feature::Users.is_available(&["cjp:config_write".to_owned()]));
        let text = Feature::Users.how_to_unlock();
        assert!(text.contains("cjp:config_read") && text.contains("sign in again"));
    }

    #[test]
    fn every_catalogued_scope_is_described_and_every_feature_scope_catalogued() {
        for f in Feature::ALL {
            for s in f.required_scopes() {
                assert!(scope_info(s).is_some(), "{s}");
            }
        }
        assert_eq!(scope_info("cjp:user").unwrap().scope, "cjp:user");
    }

    #[test]
    fn compares_granted_and_requested() {
        let c = granted_vs_requested(
            &["cjp:config_read", "spark:kms", "cjp:config_read"],
            &["cjp:config_read", "spark:people_read", "spark:people_read"],
        );
        assert_eq!(c.granted, ["cjp:config_read"]);
        assert_eq!(c.missing, ["spark:people_read"]);
        assert_eq!(c.extra, ["spark:kms"]);
        assert_eq!(
            granted_vs_requested::<&str, &str>(&[], &[]),
            ScopeComparison::default()
        );
    }

    #[test]
    fn a_forbidden_answer_names_the_scope_and_the_role() {
        let advice = Feature::Users.forbidden_advice();
        assert!(
            advice.contains(Feature::Users.required_scopes()[0]),
            "{advice}"
        );
        assert!(advice.contains("administrator role"), "{advice}");
    }
}

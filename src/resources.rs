//! The Contact Center configuration lists the console shows, described once so one generic view
//! serves them all (paging, RSQL filter builder, attribute projection, search, detail).

use wxcc_core::scopes::Feature;

pub struct Resource {
    /// The console's path, e.g. `/teams`.
    pub slug: &'static str,
    pub label: &'static str,
    /// Singular, for "1 team".
    pub noun: &'static str,
    /// The list endpoint below `/organization/{orgId}/`.
    pub api: &'static str,
    pub feature: Feature,
    /// JSON fields shown as columns (the first is the item's title).
    pub columns: &'static [&'static str],
    /// Fields offered by the filter builder and the attribute picker.
    pub fields: &'static [&'static str],
}

pub const RESOURCES: [Resource; 9] = [
    Resource {
        slug: "users",
        label: "Users",
        noun: "user",
        api: "v2/user",
        feature: Feature::Users,
        columns: &["firstName", "lastName", "email", "active"],
        fields: &[
            "id",
            "firstName",
            "lastName",
            "email",
            "active",
            "teamIds",
            "agentProfileId",
            "siteId",
        ],
    },
    Resource {
        slug: "teams",
        label: "Teams",
        noun: "team",
        api: "v2/team",
        feature: Feature::Teams,
        columns: &["name", "siteName", "teamType", "active"],
        fields: &[
            "id",
            "name",
            "siteId",
            "siteName",
            "teamType",
            "teamStatus",
            "active",
        ],
    },
    Resource {
        slug: "sites",
        label: "Sites",
        noun: "site",
        api: "v2/site",
        feature: Feature::Sites,
        columns: &["name", "active"],
        fields: &["id", "name", "active", "multimediaProfileId"],
    },
    Resource {
        slug: "queues",
        label: "Queues",
        noun: "queue",
        api: "v2/contact-service-queue",
        feature: Feature::Queues,
        columns: &["name", "channelType", "queueType", "active"],
        fields: &[
            "id",
            "name",
            "channelType",
            "queueType",
            "routingType",
            "active",
        ],
    },
    Resource {
        slug: "entry-points",
        label: "Entry points",
        noun: "entry point",
        api: "v2/entry-point",
        feature: Feature::EntryPoints,
        columns: &["name", "channelType", "active"],
        fields: &["id", "name", "channelType", "entryPointType", "active"],
    },
    Resource {
        slug: "desktop-profiles",
        label: "Desktop profiles",
        noun: "desktop profile",
        api: "v2/agent-profile",
        feature: Feature::Profiles,
        columns: &["name", "description", "active"],
        fields: &["id", "name", "description", "active"],
    },
    Resource {
        slug: "skill-profiles",
        label: "Skill profiles",
        noun: "skill profile",
        api: "v2/skill-profile",
        feature: Feature::Profiles,
        columns: &["name", "description"],
        fields: &["id", "name", "description"],
    },
    Resource {
        slug: "aux-codes",
        label: "Auxiliary codes",
        noun: "auxiliary code",
        api: "v2/auxiliary-code",
        feature: Feature::AuxCodes,
        columns: &["name", "workTypeCode", "active"],
        fields: &["id", "name", "workTypeCode", "active", "defaultCode"],
    },
    Resource {
        slug: "address-books",
        label: "Address books",
        noun: "address book",
        api: "v3/address-book",
        feature: Feature::AddressBooks,
        columns: &["name", "parentType"],
        fields: &["id", "name", "parentType"],
    },
];

pub fn by_slug(slug: &str) -> Option<&'static Resource> {
    RESOURCES.iter().find(|r| r.slug == slug)
}

/// A cell's text: strings as they are, other JSON values compactly, missing as an em dash.
pub fn cell(item: &serde_json::Value, field: &str) -> String {
    value_text(item.get(field).unwrap_or(&serde_json::Value::Null))
}

/// A value's text in a table: strings as they are, booleans as yes/no, null as an em dash, other
/// JSON values compactly.
pub fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        other => other.to_string(),
    }
}

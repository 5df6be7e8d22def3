//! The configuration entity kinds served under `/organization/{orgid}/…` and what the spec says
//! about each: its path, search columns, unfilterable and required fields.

/// Configuration entity kinds served under `/organization/{orgid}/…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Collection {
    User,
    Team,
    Site,
    ContactServiceQueue,
    EntryPoint,
    AgentProfile,
    SkillProfile,
    AuxiliaryCode,
    AddressBook,
}

impl Collection {
    pub const ALL: [Collection; 9] = [
        Collection::User,
        Collection::Team,
        Collection::Site,
        Collection::ContactServiceQueue,
        Collection::EntryPoint,
        Collection::AgentProfile,
        Collection::SkillProfile,
        Collection::AuxiliaryCode,
        Collection::AddressBook,
    ];

    /// Path after `/organization/{orgid}/`.
    pub fn path(self) -> &'static str {
        match self {
            Collection::User => "v2/user",
            Collection::Team => "v2/team",
            Collection::Site => "v2/site",
            Collection::ContactServiceQueue => "v2/contact-service-queue",
            Collection::EntryPoint => "v2/entry-point",
            Collection::AgentProfile => "v2/agent-profile",
            Collection::SkillProfile => "v2/skill-profile",
            Collection::AuxiliaryCode => "v2/auxiliary-code",
            Collection::AddressBook => "v3/address-book",
        }
    }

    /// Columns the `search` parameter looks in (from the spec's parameter description).
    pub fn search_columns(self) -> &'static [&'static str] {
        match self {
            Collection::User => &["firstName", "lastName", "email"],
            Collection::Site => &["name"],
            Collection::AddressBook => &["name", "number"],
            _ => &["name", "description"],
        }
    }

    /// Fields the spec says cannot be used in `filter`.
    pub fn unfilterable(self) -> &'static [&'static str] {
        match self {
            Collection::User => &[
                "organizationId",
                "xspVersion",
                "createdTime",
                "lastUpdatedTime",
            ],
            Collection::Team => &[
                "organizationId",
                "userIds",
                "queueRankings",
                "createdTime",
                "lastUpdatedTime",
            ],
            Collection::ContactServiceQueue => &[
                "organizationId",
                "queueSkillRequirements",
                "xspVersion",
                "createdTime",
                "lastUpdatedTime",
            ],
            Collection::EntryPoint => &[
                "organizationId",
                "xspVersion",
                "createdTime",
                "lastUpdatedTime",
            ],
            Collection::SkillProfile => &[
                "organizationId",
                "activeSkills",
                "activeEnumSkills",
                "createdTime",
                "lastUpdatedTime",
            ],
            _ => &["organizationId", "createdTime", "lastUpdatedTime"],
        }
    }

    /// Fields the spec marks `required` on the DTO; `attributes` projections always keep them.
    pub fn required_fields(self) -> &'static [&'static str] {
        match self {
            Collection::User | Collection::Team => &[],
            Collection::Site => &["active", "multimediaProfileId", "name"],
            Collection::ContactServiceQueue => &[
                "active",
                "callDistributionGroups",
                "channelType",
                "checkAgentAvailability",
                "maxActiveContacts",
                "maxTimeInQueue",
                "name",
                "queueRoutingType",
                "queueType",
                "routingType",
                "serviceLevelThreshold",
            ],
            Collection::EntryPoint => &[
                "active",
                "assetId",
                "channelType",
                "controlFlowScriptUrl",
                "entryPointType",
                "imiOrgType",
                "maximumActiveContacts",
                "name",
                "overflowNumber",
                "serviceLevelThreshold",
                "socialChannelType",
            ],
            Collection::AgentProfile => &[
                "accessBuddyTeam",
                "accessEntryPoint",
                "accessIdleCode",
                "accessQueue",
                "accessWrapUpCode",
                "active",
                "agentDNValidation",
                "name",
                "parentType",
            ],
            Collection::SkillProfile => &["activeSkills", "name"],
            Collection::AuxiliaryCode => &[
                "active",
                "defaultCode",
                "name",
                "workTypeCode",
                "workTypeId",
            ],
            Collection::AddressBook => &["name", "parentType"],
        }
    }

    /// Filter field aliases the spec documents (e.g. `userId` on teams matches `userIds`).
    pub fn filter_alias(self, field: &str) -> Option<&'static str> {
        match (self, field) {
            (Collection::Team, "userId") => Some("userIds"),
            _ => None,
        }
    }

    /// Largest page size; bigger requests are clamped to it (as the spec says).
    pub fn max_page_size(self) -> u64 {
        1000
    }
}

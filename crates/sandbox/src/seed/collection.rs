//! The configuration entity kinds served under `/organization/{orgid}/…` and what the spec says
//! about each: its paths, search columns, unfilterable and required fields.

/// Configuration entity kinds served under `/organization/{orgid}/…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Collection {
    User,
    UserProfile,
    Team,
    Site,
    ContactServiceQueue,
    EntryPoint,
    AgentProfile,
    SkillProfile,
    Skill,
    MultimediaProfile,
    DesktopLayout,
    AuxiliaryCode,
    WorkType,
    AddressBook,
    BusinessHours,
    HolidayList,
    DialNumber,
    DialPlan,
    OutdialAni,
    CadVariable,
    AudioFile,
}

/// What the spec says about one entity kind. Paths are relative to `/organization/{orgid}/`.
#[derive(Debug)]
pub struct Rules {
    /// Paged lists (`{meta, data}`); the first is the one the SPA uses.
    pub lists: &'static [&'static str],
    /// Single items: `<path>/{id}`.
    pub items: &'static [&'static str],
    /// The older list under the bare entity name, answered as a plain JSON array, where the spec has one.
    pub legacy_list: Option<&'static str>,
    /// Fields the legacy list's item schema (`…DTOList`) leaves out.
    pub legacy_omits: &'static [&'static str],
    /// Columns the `search` parameter looks in (from the spec's parameter description).
    pub search_columns: &'static [&'static str],
    /// Fields the spec's `filter` description excludes, besides [`ALWAYS_UNFILTERABLE`].
    pub unfilterable: &'static [&'static str],
    /// Fields the spec marks `required` on the DTO; `attributes` projections always keep them.
    pub required: &'static [&'static str],
}

/// Fields no configuration list can filter on.
pub const ALWAYS_UNFILTERABLE: &[&str] = &["organizationId", "createdTime", "lastUpdatedTime"];

const NAME_DESCRIPTION: &[&str] = &["name", "description"];
const NAME: &[&str] = &["name"];

impl Collection {
    pub const ALL: [Collection; 21] = [
        Collection::User,
        Collection::UserProfile,
        Collection::Team,
        Collection::Site,
        Collection::ContactServiceQueue,
        Collection::EntryPoint,
        Collection::AgentProfile,
        Collection::SkillProfile,
        Collection::Skill,
        Collection::MultimediaProfile,
        Collection::DesktopLayout,
        Collection::AuxiliaryCode,
        Collection::WorkType,
        Collection::AddressBook,
        Collection::BusinessHours,
        Collection::HolidayList,
        Collection::DialNumber,
        Collection::DialPlan,
        Collection::OutdialAni,
        Collection::CadVariable,
        Collection::AudioFile,
    ];

    pub fn rules(self) -> &'static Rules {
        match self {
            Collection::User => &Rules {
                lists: &["v2/user"],
                items: &["user"],
                legacy_list: Some("user"),
                legacy_omits: &[],
                search_columns: &["firstName", "lastName", "email"],
                unfilterable: &["xspVersion"],
                required: &[],
            },
            Collection::UserProfile => &Rules {
                lists: &["v3/user-profile"],
                items: &["v3/user-profile"],
                legacy_list: None,
                legacy_omits: &[],
                search_columns: &["name", "profileType", "description"],
                unfilterable: &[
                    "userProfileAppModules",
                    "entryPoints",
                    "sites",
                    "queues",
                    "teams",
                    "editableFolderIds",
                    "viewableFolderIds",
                    "nonViewableFolderIds",
                ],
                required: &[
                    "active",
                    "name",
                    "permissionAccessLevel",
                    "profileType",
                    "resourceAccessLevel",
                ],
            },
            Collection::Team => &Rules {
                lists: &["v2/team"],
                items: &["team"],
                legacy_list: Some("team"),
                legacy_omits: &[],
                search_columns: NAME_DESCRIPTION,
                unfilterable: &["userIds", "queueRankings"],
                required: &[],
            },
            Collection::Site => &Rules {
                lists: &["v2/site"],
                items: &["site"],
                legacy_list: Some("site"),
                legacy_omits: &[],
                search_columns: NAME,
                unfilterable: &[],
                required: &["active", "multimediaProfileId", "name"],
            },
            Collection::ContactServiceQueue => &Rules {
                lists: &["v2/contact-service-queue", "v3/contact-service-queue"],
                items: &["contact-service-queue", "v2/contact-service-queue"],
                legacy_list: Some("contact-service-queue"),
                legacy_omits: &["agents", "callDistributionGroups", "queueSkillRequirements"],
                search_columns: NAME_DESCRIPTION,
                unfilterable: &["queueSkillRequirements", "xspVersion"],
                required: &[
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
            },
            Collection::EntryPoint => &Rules {
                lists: &["v2/entry-point"],
                items: &["entry-point"],
                legacy_list: Some("entry-point"),
                legacy_omits: &[],
                search_columns: NAME_DESCRIPTION,
                unfilterable: &["xspVersion"],
                required: &[
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
            },
            Collection::AgentProfile => &Rules {
                lists: &["v2/agent-profile"],
                items: &["agent-profile"],
                legacy_list: Some("agent-profile"),
                legacy_omits: &[],
                search_columns: NAME_DESCRIPTION,
                unfilterable: &[
                    "autoWrapAfterSeconds",
                    "wrapUpCodes",
                    "idleCodes",
                    "queues",
                    "entryPoints",
                    "buddyTeams",
                    "dialPlans",
                    "agentDNValidationCriteria",
                    "agentDNValidationCriterions",
                    "loginVoiceOptions",
                    "viewableStatistics",
                    "thresholdRules",
                ],
                required: &[
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
            },
            Collection::SkillProfile => &Rules {
                lists: &["v2/skill-profile"],
                items: &["skill-profile"],
                legacy_list: Some("skill-profile"),
                legacy_omits: &["activeSkills", "activeEnumSkills"],
                search_columns: NAME_DESCRIPTION,
                unfilterable: &["activeSkills", "activeEnumSkills"],
                required: &["activeSkills", "name"],
            },
            Collection::Skill => &Rules {
                lists: &["v2/skill"],
                items: &["skill"],
                legacy_list: Some("skill"),
                legacy_omits: &[],
                search_columns: NAME,
                unfilterable: &["enumSkillValues"],
                required: &["active", "name", "serviceLevelThreshold", "skillType"],
            },
            Collection::MultimediaProfile => &Rules {
                lists: &["v2/multimedia-profile"],
                items: &["multimedia-profile"],
                legacy_list: Some("multimedia-profile"),
                legacy_omits: &[],
                search_columns: NAME_DESCRIPTION,
                unfilterable: &[],
                required: &[
                    "active",
                    "blendingMode",
                    "blendingModeEnabled",
                    "chat",
                    "email",
                    "name",
                    "social",
                    "telephony",
                ],
            },
            Collection::DesktopLayout => &Rules {
                lists: &["v2/desktop-layout"],
                items: &["desktop-layout"],
                legacy_list: None,
                legacy_omits: &[],
                search_columns: NAME,
                unfilterable: &[
                    "validatedTime",
                    "defaultJsonModifiedTime",
                    "modifiedTime",
                    "teamIds",
                ],
                required: &[
                    "defaultJsonModified",
                    "editedBy",
                    "global",
                    "jsonFileContent",
                    "jsonFileName",
                    "name",
                    "status",
                    "validated",
                ],
            },
            Collection::AuxiliaryCode => &Rules {
                lists: &["v2/auxiliary-code"],
                items: &["auxiliary-code"],
                legacy_list: Some("auxiliary-code"),
                legacy_omits: &[],
                search_columns: NAME_DESCRIPTION,
                unfilterable: &["validBurnoutForWrapUpCode", "validBurnoutForIdleCode"],
                required: &[
                    "active",
                    "defaultCode",
                    "name",
                    "workTypeCode",
                    "workTypeId",
                ],
            },
            Collection::WorkType => &Rules {
                lists: &["v2/work-type"],
                items: &["work-type"],
                legacy_list: None,
                legacy_omits: &[],
                search_columns: NAME,
                unfilterable: &[],
                required: &["active", "name", "workTypeCode"],
            },
            Collection::AddressBook => &Rules {
                lists: &["v3/address-book"],
                // `address-book/{id}` (with its entries) is answered by its own handler.
                items: &["v3/address-book"],
                legacy_list: Some("address-book"),
                legacy_omits: &[],
                search_columns: &["name", "number"],
                unfilterable: &[],
                required: &["name", "parentType"],
            },
            Collection::BusinessHours => &Rules {
                lists: &["v2/business-hours"],
                items: &["business-hours"],
                legacy_list: Some("business-hours"),
                legacy_omits: &["workingHours"],
                search_columns: NAME,
                unfilterable: &["workingHours"],
                required: &["name", "timezone", "workingHours"],
            },
            Collection::HolidayList => &Rules {
                lists: &["v2/holiday-list"],
                items: &["holiday-list"],
                legacy_list: Some("holiday-list"),
                legacy_omits: &["holidays"],
                search_columns: NAME,
                unfilterable: &["holidays"],
                required: &["holidays", "name"],
            },
            Collection::DialNumber => &Rules {
                lists: &["v2/dial-number"],
                items: &["dial-number"],
                legacy_list: Some("dial-number"),
                legacy_omits: &[],
                search_columns: &["dialledNumber"],
                unfilterable: &[],
                required: &["entryPointId", "entryPointName"],
            },
            Collection::DialPlan => &Rules {
                lists: &["v2/dial-plan"],
                items: &["dial-plan"],
                legacy_list: Some("dial-plan"),
                legacy_omits: &[],
                search_columns: NAME,
                unfilterable: &[],
                required: &["active", "name", "regularExpression"],
            },
            Collection::OutdialAni => &Rules {
                lists: &["v2/outdial-ani"],
                items: &["outdial-ani"],
                legacy_list: Some("outdial-ani"),
                legacy_omits: &["outdialANIEntries"],
                search_columns: NAME_DESCRIPTION,
                unfilterable: &["outdialANIEntries"],
                required: &["name"],
            },
            Collection::CadVariable => &Rules {
                lists: &["v2/cad-variable"],
                items: &["cad-variable"],
                legacy_list: None,
                legacy_omits: &[],
                search_columns: NAME,
                unfilterable: &[],
                required: &[
                    "active",
                    "agentEditable",
                    "agentViewable",
                    "defaultValue",
                    "name",
                    "reportable",
                    "variableType",
                ],
            },
            Collection::AudioFile => &Rules {
                lists: &["v2/audio-file"],
                items: &["audio-file"],
                legacy_list: None,
                legacy_omits: &[],
                search_columns: NAME,
                unfilterable: &[],
                required: &["contentType", "name"],
            },
        }
    }

    /// The paged list path the SPA uses (after `/organization/{orgid}/`).
    pub fn path(self) -> &'static str {
        self.rules().lists[0]
    }

    pub fn search_columns(self) -> &'static [&'static str] {
        self.rules().search_columns
    }

    /// Whether the spec's `filter` description excludes this field.
    pub fn is_unfilterable(self, field: &str) -> bool {
        ALWAYS_UNFILTERABLE.contains(&field) || self.rules().unfilterable.contains(&field)
    }

    /// The fields the spec excludes from `filter`, for error messages.
    pub fn unfilterable(self) -> Vec<&'static str> {
        let mut all = ALWAYS_UNFILTERABLE.to_vec();
        all.extend(self.rules().unfilterable);
        all
    }

    pub fn required_fields(self) -> &'static [&'static str] {
        self.rules().required
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_belongs_to_one_kind() {
        let mut owners = std::collections::HashMap::new();
        for c in Collection::ALL {
            let rules = c.rules();
            assert!(!rules.lists.is_empty() && !rules.items.is_empty(), "{c:?}");
            // A list and an item path may coincide (`v3/user-profile`), never across kinds.
            for path in rules
                .lists
                .iter()
                .chain(rules.items)
                .chain(&rules.legacy_list)
            {
                assert_eq!(*owners.entry(*path).or_insert(c), c, "{path}");
            }
        }
    }
}

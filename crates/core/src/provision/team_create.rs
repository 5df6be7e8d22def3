//! Creating the teams a run needs, through `POST /organization/{orgid}/team/bulk` (the spec's
//! `BulkRequestDTOTeamDTO`; its single-team `POST .../team` takes the team as a query parameter,
//! which the bulk form avoids). Answers are read as for users (see [`super::bulk_answer`]); a
//! created team's id is the last segment of its result's `href`.
//!
//! A new team gets what `TeamDTO` requires and nothing the file did not say: its name and site,
//! `teamType: AGENT` (agents are what the file assigns; a capacity team cannot have users),
//! `teamStatus: IN_SERVICE` and `active: true` (the team is made to take contacts), and
//! `rankQueuesForTeam: false` (no queue ranking, which the file cannot describe).

use std::ops::Range;

use super::batches::MAX_ITEMS_PER_REQUEST;
use super::bulk_answer::{ItemResult, item_results};
use super::resolve::TeamToCreate;
use crate::json::ObjectWriter;

/// What became of one team to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamCreation {
    Created {
        id: String,
    },
    Failed {
        reason: String,
    },
    /// Reload the teams and look for it by name and site.
    Unknown {
        reason: String,
    },
}

/// The teams to create, as index ranges of at most [`MAX_ITEMS_PER_REQUEST`] each.
pub fn team_batches(teams: &[TeamToCreate]) -> Vec<Range<usize>> {
    (0..teams.len())
        .step_by(MAX_ITEMS_PER_REQUEST)
        .map(|start| start..(start + MAX_ITEMS_PER_REQUEST).min(teams.len()))
        .collect()
}

fn identifier(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// The body creating `teams[range]`; each item's `itemIdentifier` is the team's index.
pub fn team_bulk_body(teams: &[TeamToCreate], range: Range<usize>, org_id: &str) -> String {
    let items: Vec<String> = range
        .filter_map(|i| teams.get(i).map(|team| (i, team)))
        .map(|(i, team)| {
            let item = ObjectWriter::default()
                .text("name", &team.name)
                .text("siteId", &team.site_id)
                .text("teamType", "AGENT")
                .text("teamStatus", "IN_SERVICE")
                .boolean("active", true)
                .boolean("rankQueuesForTeam", false)
                .text("organizationId", org_id)
                .finish();
            ObjectWriter::default()
                .number("itemIdentifier", u64::from(identifier(i)))
                .text("requestAction", "SAVE")
                .json("item", &item)
                .finish()
        })
        .collect();
    ObjectWriter::default()
        .json("items", &format!("[{}]", items.join(",")))
        .finish()
}

/// One creation per index of `range`, from the answer's status and body.
pub fn read_team_bulk_answer(range: Range<usize>, status: u16, body: &str) -> Vec<TeamCreation> {
    let identifiers: Vec<u32> = range.map(identifier).collect();
    item_results(&identifiers, status, body)
        .into_iter()
        .map(|result| match result {
            ItemResult::Succeeded { href } => match href.as_deref().and_then(id_from_href) {
                Some(id) => TeamCreation::Created { id },
                None => TeamCreation::Unknown {
                    reason: "created, but the answer gives no address to take its id from; reload the teams".to_owned(),
                },
            },
            ItemResult::Failed(reason) => TeamCreation::Failed { reason },
            ItemResult::Unknown(reason) => TeamCreation::Unknown { reason },
        })
        .collect()
}

/// `/api/organization/{org}/team/{id}` → the id.
fn id_from_href(href: &str) -> Option<String> {
    let path = href.split(['?', '#']).next()?.trim_end_matches('/');
    let (rest, id) = path.rsplit_once('/')?;
    (rest.ends_with("/team") && !id.is_empty()).then(|| id.to_owned())
}

/// The ids of the teams created, by index, for [`super::batches::plan_writes`].
pub fn created_team_ids(creations: &[TeamCreation]) -> Vec<Option<String>> {
    creations
        .iter()
        .map(|c| match c {
            TeamCreation::Created { id } => Some(id.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_the_last_segment_of_a_team_address() {
        assert_eq!(
            id_from_href("/api/organization/o1/team/7b26d174-0016").as_deref(),
            Some("7b26d174-0016")
        );
        assert_eq!(
            id_from_href("https://api.example/organization/o1/team/t9/?x=1").as_deref(),
            Some("t9")
        );
        assert_eq!(id_from_href("/api/organization/o1/site/s1"), None);
        assert_eq!(id_from_href("/api/organization/o1/team/"), None);
    }
}

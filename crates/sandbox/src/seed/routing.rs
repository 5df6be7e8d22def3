//! Routing configuration: queues, entry points and their dialled numbers, dial plans, outdial
//! ANIs, business hours with their holiday lists, global (CAD) variables and audio prompts.

use serde_json::{Value, json};

use super::people::SITES;
use super::profiles::FUNCTIONS;
use super::{Collection, OrgData, field, record};
use crate::ids::SeededRng;

const CHANNELS: [&str; 5] = ["TELEPHONY", "TELEPHONY", "CHAT", "EMAIL", "SOCIAL_CHANNEL"];

fn channel_label(channel: &str) -> String {
    channel.to_lowercase().replace("_channel", "")
}

pub(super) fn queues(rng: &mut SeededRng, org: &str, data: &OrgData) -> Vec<Value> {
    let teams = data.records(Collection::Team);
    (0..30)
        .map(|i| {
            let function = FUNCTIONS[i % FUNCTIONS.len()];
            let channel = CHANNELS[i % CHANNELS.len()];
            let groups: Vec<Value> = (0..1 + rng.below(2))
                .map(|_| json!({"teamId": field(rng.pick(teams), "id")}))
                .collect();
            let threshold = 30 + rng.below(5) * 15;
            let max_active = 50 + rng.below(200);
            let max_time = 600 + rng.below(6) * 300;
            let mut q = json!({
                "name": format!("{function} {} Queue {}", channel_label(channel), i / FUNCTIONS.len() + 1),
                "description": format!("{function} requests over {}", channel.to_lowercase()),
                "queueType": "INBOUND", "checkAgentAvailability": true, "channelType": channel,
                "serviceLevelThreshold": threshold, "maxActiveContacts": max_active,
                "maxTimeInQueue": max_time, "timezone": SITES[i % SITES.len()].1, "active": true,
                "monitoringPermitted": true, "parkingPermitted": false, "recordingPermitted": true,
                "recordingAllCallsPermitted": false, "pauseRecordingPermitted": true, "recordingPauseDuration": 10,
                "routingType": "LONGEST_AVAILABLE_AGENT", "queueRoutingType": "TEAM_BASED",
                "callDistributionGroups": [{"agentGroups": groups, "order": 1, "duration": 0}],
                "xspVersion": "xsp-24.0", "systemDefault": false, "manuallyAssignable": false,
            });
            if channel == "SOCIAL_CHANNEL" {
                q["socialChannelType"] = json!("WHATSAPP");
            }
            record(rng, org, q)
        })
        .collect()
}

pub(super) fn entry_points(rng: &mut SeededRng, org: &str) -> Vec<Value> {
    (0..20)
        .map(|i| {
            let function = FUNCTIONS[i % FUNCTIONS.len()];
            let channel = CHANNELS[i % CHANNELS.len()];
            let max_active = 100 + rng.below(400);
            let asset = rng.uuid();
            record(
                rng,
                org,
                json!({
                    "name": format!("{function} {} EP {}", channel_label(channel), i / FUNCTIONS.len() + 1),
                    "description": format!("{function} entry point"), "entryPointType": "INBOUND", "channelType": channel,
                    // The spec marks socialChannelType required on every entry point, whatever the channel.
                    "socialChannelType": "MESSENGER", "active": true,
                    "serviceLevelThreshold": 30, "maximumActiveContacts": max_active,
                    "controlFlowScriptUrl": "https://flow.wxcc-sandbox.example.com/flows/default",
                    "overflowNumber": "", "timezone": SITES[i % SITES.len()].1, "imiOrgType": "MIXED_MODE",
                    "assetId": asset, "xspVersion": "xsp-24.0", "systemDefault": false, "callbackEnabled": false,
                }),
            )
        })
        .collect()
}

/// One dialled number per telephony entry point, naming it as the spec requires.
pub(super) fn dial_numbers(rng: &mut SeededRng, org: &str, data: &OrgData) -> Vec<Value> {
    data.records(Collection::EntryPoint)
        .iter()
        .filter(|e| field(e, "channelType") == "TELEPHONY")
        .enumerate()
        .map(|(i, ep)| {
            record(
                rng,
                org,
                json!({
                    "dialledNumber": format!("+1800555{:04}", 100 + i), "entryPointId": field(ep, "id"),
                    "entryPointName": field(ep, "name"), "defaultAni": i == 0,
                }),
            )
        })
        .collect()
}

pub(super) fn dial_plans(rng: &mut SeededRng, org: &str) -> Vec<Value> {
    [
        ("US Dial Plan", r"^\+1[2-9]\d{9}$", "+1"),
        ("UK Dial Plan", r"^\+44\d{10}$", "+44"),
        ("Internal Extensions", r"^\d{4}$", ""),
    ]
    .into_iter()
    .map(|(name, regex, prefix)| {
        record(
            rng,
            org,
            json!({
                "name": name, "description": format!("{name} for outdial"), "regularExpression": regex,
                "prefix": prefix, "strippedChars": "()- ", "active": true, "systemDefault": false,
            }),
        )
    })
    .collect()
}

/// Outdial ANI lists, each with its entries inline (`OutdialANIDTO.outdialANIEntries`).
pub(super) fn outdial_anis(rng: &mut SeededRng, org: &str) -> Vec<Value> {
    [("Sales Outdial", 100), ("Support Outdial", 200)]
        .into_iter()
        .map(|(name, base)| {
            let entries: Vec<Value> = ["Main", "Backup"]
                .iter()
                .enumerate()
                .map(|(i, kind)| {
                    record(
                        rng,
                        org,
                        json!({"name": format!("{name} {kind}"), "number": format!("+1800555{:04}", base + i),
                               "defaultANIEntry": i == 0}),
                    )
                })
                .collect();
            record(
                rng,
                org,
                json!({"name": name, "description": format!("Caller ids for {}", name.to_lowercase()),
                       "outdialANIEntries": entries}),
            )
        })
        .collect()
}

pub(super) fn holiday_lists(rng: &mut SeededRng, org: &str) -> Vec<Value> {
    [
        (
            "US Holidays",
            &[
                ("New Year", "2026-01-01"),
                ("Independence Day", "2026-07-04"),
                ("Thanksgiving", "2026-11-26"),
                ("Christmas Day", "2026-12-25"),
            ][..],
        ),
        (
            "EU Holidays",
            &[
                ("New Year", "2026-01-01"),
                ("Labour Day", "2026-05-01"),
                ("Christmas Day", "2026-12-25"),
            ][..],
        ),
    ]
    .into_iter()
    .map(|(name, days)| {
        let holidays: Vec<Value> = days
            .iter()
            .map(|(holiday, day)| {
                json!({"name": holiday, "startDate": day, "endDate": day, "frequency": "DontRepeat"})
            })
            .collect();
        record(
            rng,
            org,
            json!({"name": name, "description": format!("{name} closures"),
                   "holidaysCount": holidays.len(), "holidays": holidays}),
        )
    })
    .collect()
}

/// Business hours per region, each closed on the days of a seeded holiday list.
pub(super) fn business_hours(rng: &mut SeededRng, org: &str, data: &OrgData) -> Vec<Value> {
    let holiday_list = |name: &str| -> String {
        data.records(Collection::HolidayList)
            .iter()
            .find(|h| field(h, "name") == name)
            .map(|h| field(h, "id").to_string())
            .unwrap_or_default()
    };
    [
        ("Americas Hours", "America/Chicago", "US Holidays"),
        ("EMEA Hours", "Europe/Berlin", "EU Holidays"),
        ("APAC Hours", "Australia/Sydney", "EU Holidays"),
    ]
    .into_iter()
    .map(|(name, timezone, holidays)| {
        let working_hours = json!([
            {"name": "Weekdays", "days": ["MON", "TUE", "WED", "THU", "FRI"], "startTime": "08:00", "endTime": "18:00"},
            {"name": "Saturday", "days": ["SAT"], "startTime": "09:00", "endTime": "13:00"},
        ]);
        record(
            rng,
            org,
            json!({"name": name, "description": format!("Opening hours ({timezone})"), "timezone": timezone,
                   "workingHours": working_hours, "workingHoursCount": 2, "holidaysId": holiday_list(holidays)}),
        )
    })
    .collect()
}

/// Global variables flows and the desktop share (CAD variables).
pub(super) fn cad_variables(rng: &mut SeededRng, org: &str) -> Vec<Value> {
    [
        ("customerName", "STRING", "", "Customer Name"),
        ("accountNumber", "STRING", "", "Account Number"),
        ("orderId", "STRING", "", "Order"),
        ("priority", "INTEGER", "0", "Priority"),
        ("isVip", "BOOLEAN", "false", "VIP"),
        ("callbackTime", "DATE_TIME", "", "Callback Time"),
    ]
    .into_iter()
    .map(|(name, kind, default, label)| {
        record(
            rng,
            org,
            json!({
                "name": name, "description": format!("{label} of the contact"), "active": true,
                "agentEditable": kind == "STRING", "agentViewable": true, "variableType": kind,
                "defaultValue": default, "reportable": kind != "DATE_TIME", "sensitive": name == "accountNumber",
                "desktopLabel": label, "systemDefault": false,
            }),
        )
    })
    .collect()
}

/// Audio prompts flows play.
pub(super) fn audio_files(rng: &mut SeededRng, org: &str) -> Vec<Value> {
    [
        "welcome.wav",
        "hold-music.wav",
        "after-hours.wav",
        "queue-position.wav",
        "goodbye.wav",
    ]
    .into_iter()
    .map(|name| {
        let blob = rng.uuid();
        record(
            rng,
            org,
            json!({
                "name": name, "contentType": "AUDIO_WAV", "blobId": blob,
                "url": format!("https://audio.wxcc-sandbox.example.com/{org}/{name}"),
                "description": format!("Prompt {}", name.trim_end_matches(".wav")), "systemDefault": false,
            }),
        )
    })
    .collect()
}

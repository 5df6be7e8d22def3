//! Settings as JSON properties keyed by the spec's names: the bulk request's items and the
//! journal's records both write them so, and the journal reads them back.

use serde_json::Value;

use super::settings::{Field, FieldValue, Setting};
use crate::json::ObjectWriter;

/// Writes settings as properties of a JSON object, `null` for "not set" (which is how the bulk
/// endpoint is told to clear a property).
pub(crate) fn write_settings(mut object: ObjectWriter, settings: &[Setting]) -> ObjectWriter {
    for setting in settings {
        let key = setting.field.json_name();
        object = match &setting.value {
            FieldValue::Ids(ids) => object.texts(key, ids),
            FieldValue::Id(id) => object.optional_text(key, id.as_deref()),
            FieldValue::Flag(Some(flag)) => object.boolean(key, *flag),
            FieldValue::Flag(None) => object.json(key, "null"),
        };
    }
    object
}

/// Reads the settings present in a JSON object written by [`write_settings`]; `None` when one is
/// of the wrong type.
pub(crate) fn read_settings(object: &Value) -> Option<Vec<Setting>> {
    let map = object.as_object()?;
    let mut settings = Vec::new();
    for field in Field::ALL {
        let Some(value) = map.get(field.json_name()) else {
            continue;
        };
        let value = match (field, value) {
            (Field::Teams, Value::Array(items)) => FieldValue::Ids(
                items
                    .iter()
                    .map(|item| item.as_str().map(str::to_owned))
                    .collect::<Option<_>>()?,
            ),
            (Field::ContactCenterEnabled, Value::Bool(flag)) => FieldValue::Flag(Some(*flag)),
            (Field::ContactCenterEnabled, Value::Null) => FieldValue::Flag(None),
            (Field::Teams | Field::ContactCenterEnabled, _) => return None,
            (_, Value::String(id)) => FieldValue::Id(Some(id.clone())),
            (_, Value::Null) => FieldValue::Id(None),
            _ => return None,
        };
        settings.push(Setting { field, value });
    }
    Some(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_written_read_back_the_same() {
        let settings = vec![
            Setting {
                field: Field::Teams,
                value: FieldValue::Ids(vec!["t1".into(), "t2".into()]),
            },
            Setting {
                field: Field::Site,
                value: FieldValue::Id(None),
            },
            Setting {
                field: Field::DesktopProfile,
                value: FieldValue::Id(Some("d1".into())),
            },
            Setting {
                field: Field::ContactCenterEnabled,
                value: FieldValue::Flag(None),
            },
        ];
        let text = write_settings(ObjectWriter::default(), &settings).finish();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(read_settings(&value), Some(settings));
        let wrong: Value = serde_json::json!({"teamIds": "t1"});
        assert_eq!(read_settings(&wrong), None);
    }
}

//! Settings as JSON properties keyed by the spec's names, as the bulk request's items carry them.

use super::settings::{FieldValue, Setting};
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

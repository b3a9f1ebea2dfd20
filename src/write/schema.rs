use arrow::datatypes::{DataType, Field, Fields, Schema, SchemaRef};
use std::sync::Arc;

pub const SCHEMA_VERSION: &str = "1";

fn utf8(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Utf8, nullable)
}

fn u32(name: &str) -> Field {
    Field::new(name, DataType::UInt32, false)
}

fn list_of(name: &str, item: DataType) -> Field {
    Field::new(
        name,
        DataType::List(Arc::new(Field::new("item", item, false))),
        false,
    )
}

pub(crate) fn evidence_fields() -> Fields {
    Fields::from(vec![
        utf8("rule", false),
        utf8("label", false),
        utf8("mode", false),
        u32("char_start"),
        u32("char_end"),
    ])
}

/// Record schema v1 (design.md). `text` is nullable only so that a text-free release keeps the same
/// schema; a full release has no null text.
pub fn record_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        utf8("record_id", false),
        utf8("article_id", false),
        utf8("input", false),
        utf8("publisher", true),
        utf8("url", true),
        utf8("date", true),
        utf8("author", true),
        u32("sentence_index"),
        utf8("kind", false),
        u32("char_start"),
        u32("char_end"),
        u32("byte_start"),
        u32("byte_end"),
        utf8("text", true),
        utf8("text_sha256", false),
        utf8("lang", false),
        utf8("stance", false),
        list_of("stances", DataType::Utf8),
        list_of("actors", DataType::Utf8),
        list_of("evidence", DataType::Struct(evidence_fields())),
        utf8("split", false),
    ]))
}

/// The schema as the JSON document kept in `schemas/record.v1.json`.
pub fn schema_json() -> serde_json::Value {
    fn ty(dt: &DataType) -> serde_json::Value {
        match dt {
            DataType::Utf8 => "utf8".into(),
            DataType::UInt32 => "uint32".into(),
            DataType::List(item) => serde_json::json!({ "list": field(item) }),
            DataType::Struct(fields) => {
                serde_json::json!({ "struct": fields.iter().map(|f| field(f)).collect::<Vec<_>>() })
            }
            other => format!("{other:?}").into(),
        }
    }
    fn field(f: &Field) -> serde_json::Value {
        serde_json::json!({ "name": f.name(), "type": ty(f.data_type()), "nullable": f.is_nullable() })
    }
    let schema = record_schema();
    serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "fields": schema.fields().iter().map(|f| field(f)).collect::<Vec<_>>(),
    })
}

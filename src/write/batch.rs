use super::schema::{evidence_fields, record_schema};
use crate::record::Record;
use arrow::array::{
    ArrayRef, ListBuilder, RecordBatch, StringBuilder, StructBuilder, UInt32Builder,
};
use arrow::datatypes::{DataType, Field};
use std::sync::Arc;

/// Builds one Arrow batch from records, in order.
pub(super) fn to_batch(records: &[Record]) -> Result<RecordBatch, arrow::error::ArrowError> {
    let n = records.len();
    let strings = |get: &dyn Fn(&Record) -> Option<&str>| -> ArrayRef {
        let mut b = StringBuilder::with_capacity(n, n * 16);
        for r in records {
            b.append_option(get(r));
        }
        Arc::new(b.finish())
    };
    let numbers = |get: &dyn Fn(&Record) -> u32| -> ArrayRef {
        let mut b = UInt32Builder::with_capacity(n);
        for r in records {
            b.append_value(get(r));
        }
        Arc::new(b.finish())
    };
    let lists = |get: &dyn Fn(&Record) -> &[String]| -> ArrayRef {
        let item = Field::new("item", DataType::Utf8, false);
        let mut b = ListBuilder::new(StringBuilder::new()).with_field(Arc::new(item));
        for r in records {
            for s in get(r) {
                b.values().append_value(s);
            }
            b.append(true);
        }
        Arc::new(b.finish())
    };
    let evidence: ArrayRef = {
        let fields = evidence_fields();
        let item = Field::new("item", DataType::Struct(fields.clone()), false);
        let values = StructBuilder::from_fields(fields, 0);
        let mut b = ListBuilder::new(values).with_field(Arc::new(item));
        for r in records {
            for e in &r.evidence {
                let s = b.values();
                s.field_builder::<StringBuilder>(0)
                    .expect("rule")
                    .append_value(&e.rule);
                s.field_builder::<StringBuilder>(1)
                    .expect("label")
                    .append_value(&e.label);
                s.field_builder::<StringBuilder>(2)
                    .expect("mode")
                    .append_value(e.mode.as_str());
                s.field_builder::<UInt32Builder>(3)
                    .expect("start")
                    .append_value(e.char_start);
                s.field_builder::<UInt32Builder>(4)
                    .expect("end")
                    .append_value(e.char_end);
                s.append(true);
            }
            b.append(true);
        }
        Arc::new(b.finish())
    };
    let columns: Vec<ArrayRef> = vec![
        strings(&|r| Some(&r.record_id)),
        strings(&|r| Some(&r.article_id)),
        strings(&|r| Some(&r.input)),
        strings(&|r| r.publisher.as_deref()),
        strings(&|r| r.url.as_deref()),
        strings(&|r| r.date.as_deref()),
        strings(&|r| r.author.as_deref()),
        numbers(&|r| r.sentence_index),
        strings(&|r| Some(&r.kind)),
        numbers(&|r| r.char_start),
        numbers(&|r| r.char_end),
        numbers(&|r| r.byte_start),
        numbers(&|r| r.byte_end),
        strings(&|r| r.text.as_deref()),
        strings(&|r| Some(&r.text_sha256)),
        strings(&|r| Some(&r.lang)),
        strings(&|r| Some(&r.stance)),
        lists(&|r| &r.stances),
        lists(&|r| &r.actors),
        evidence,
        strings(&|r| Some(&r.split)),
    ];
    RecordBatch::try_new(record_schema(), columns)
}

/// The inverse of `to_batch`: records back from a batch of schema v1 (for verify, audit, diff, export).
pub fn from_batch(batch: &RecordBatch) -> Result<Vec<Record>, String> {
    use crate::label::{Evidence, Mode};
    use arrow::array::{Array, AsArray, ListArray, StringArray, StructArray, UInt32Array};
    use arrow::datatypes::UInt32Type;
    if batch.schema().fields() != record_schema().fields() {
        return Err("the schema is not claimset record schema v1".into());
    }
    let s = |i: usize| -> &StringArray { batch.column(i).as_string::<i32>() };
    let u = |i: usize| -> &UInt32Array { batch.column(i).as_primitive::<UInt32Type>() };
    let l = |i: usize| -> &ListArray { batch.column(i).as_list::<i32>() };
    let opt = |a: &StringArray, row: usize| (!a.is_null(row)).then(|| a.value(row).to_string());
    let list = |a: &ListArray, row: usize| -> Vec<String> {
        let values = a.value(row);
        let values = values.as_string::<i32>();
        (0..values.len())
            .map(|i| values.value(i).to_string())
            .collect()
    };
    let mut records = Vec::with_capacity(batch.num_rows());
    for row in 0..batch.num_rows() {
        let evidence_list = l(19).value(row);
        let ev: &StructArray = evidence_list.as_struct();
        let mut evidence = Vec::with_capacity(ev.len());
        for i in 0..ev.len() {
            let mode = match ev.column(2).as_string::<i32>().value(i) {
                "asserted" => Mode::Asserted,
                "negated" => Mode::Negated,
                "hypothetical" => Mode::Hypothetical,
                other => return Err(format!("row {row}: unknown evidence mode `{other}`")),
            };
            evidence.push(Evidence {
                rule: ev.column(0).as_string::<i32>().value(i).to_string(),
                label: ev.column(1).as_string::<i32>().value(i).to_string(),
                mode,
                char_start: ev.column(3).as_primitive::<UInt32Type>().value(i),
                char_end: ev.column(4).as_primitive::<UInt32Type>().value(i),
            });
        }
        records.push(Record {
            record_id: s(0).value(row).to_string(),
            article_id: s(1).value(row).to_string(),
            input: s(2).value(row).to_string(),
            publisher: opt(s(3), row),
            url: opt(s(4), row),
            date: opt(s(5), row),
            author: opt(s(6), row),
            sentence_index: u(7).value(row),
            kind: s(8).value(row).to_string(),
            char_start: u(9).value(row),
            char_end: u(10).value(row),
            byte_start: u(11).value(row),
            byte_end: u(12).value(row),
            text: opt(s(13), row),
            text_sha256: s(14).value(row).to_string(),
            lang: s(15).value(row).to_string(),
            stance: s(16).value(row).to_string(),
            stances: list(l(17), row),
            actors: list(l(18), row),
            evidence,
            split: s(20).value(row).to_string(),
        });
    }
    Ok(records)
}

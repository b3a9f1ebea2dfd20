//! `croissant.json`: MLCommons Croissant 1.1 metadata, as validated by `mlcroissant` (checked by
//! `tests/python/test_croissant.py`): one FileObject with sha256 per data file, a FileSet over
//! them, a `splits` RecordSet (`cr:Split`) and a `records` RecordSet with every field of schema v1,
//! whose `split` field references the splits.

use crate::manifest::Manifest;
use crate::write::record_schema;
use arrow::datatypes::DataType;
use serde_json::{Value, json};

/// The JSON-LD context of Croissant 1.1, exactly as `mlcroissant` writes it (anything else makes it
/// warn that the context is not standard).
fn context() -> Value {
    json!({
        "@language": "en",
        "@vocab": "https://schema.org/",
        "arrayShape": "cr:arrayShape",
        "citeAs": "cr:citeAs",
        "column": "cr:column",
        "conformsTo": "dct:conformsTo",
        "containedIn": "cr:containedIn",
        "cr": "http://mlcommons.org/croissant/",
        "rai": "http://mlcommons.org/croissant/RAI/",
        "data": {"@id": "cr:data", "@type": "@json"},
        "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
        "dct": "http://purl.org/dc/terms/",
        "description": {"@container": "@language"},
        "equivalentProperty": "cr:equivalentProperty",
        "examples": {"@id": "cr:examples", "@type": "@json"},
        "extract": "cr:extract",
        "field": "cr:field",
        "fileProperty": "cr:fileProperty",
        "fileObject": "cr:fileObject",
        "fileSet": "cr:fileSet",
        "format": "cr:format",
        "includes": "cr:includes",
        "isArray": "cr:isArray",
        "isLiveDataset": "cr:isLiveDataset",
        "jsonPath": "cr:jsonPath",
        "key": "cr:key",
        "md5": "cr:md5",
        "name": {"@container": "@language"},
        "parentField": "cr:parentField",
        "path": "cr:path",
        "recordSet": "cr:recordSet",
        "references": "cr:references",
        "regex": "cr:regex",
        "repeated": "cr:repeated",
        "replace": "cr:replace",
        "samplingRate": "cr:samplingRate",
        "sc": "https://schema.org/",
        "separator": "cr:separator",
        "source": "cr:source",
        "subField": "cr:subField",
        "transform": "cr:transform"
    })
}

fn data_type(dt: &DataType) -> &'static str {
    match dt {
        DataType::UInt32 => "sc:Integer",
        _ => "sc:Text",
    }
}

/// What a column holds (design.md, record schema v1).
fn column_doc(name: &str) -> &'static str {
    match name {
        "record_id" => "sha256 (hex) of article_id, sentence_index and text (schemas/hashes.md)",
        "article_id" => "The input's id when it has one, else sha256 (hex) of the article text",
        "input" => "The input path relative to its root, plus #N for JSON inputs",
        "publisher" => "Publisher carried from the input (null when absent)",
        "url" => "URL carried from the input (null when absent)",
        "date" => "Date carried from the input (null when absent)",
        "author" => "Author carried from the input (null when absent)",
        "sentence_index" => "0-based position of the sentence in the article",
        "kind" => "headline, dateline, byline or body",
        "char_start" => "Start offset in Unicode code points into the article text",
        "char_end" => "End offset (exclusive) in Unicode code points into the article text",
        "byte_start" => "Start offset in UTF-8 bytes into the article text",
        "byte_end" => "End offset (exclusive) in UTF-8 bytes into the article text",
        "text" => "The sentence exactly as in the source (null only in a text-free release)",
        "text_sha256" => "sha256 (hex) of the sentence's UTF-8 bytes",
        "lang" => "ar or en",
        "stance" => "Primary label: cooperation, threat, reassurance or none",
        "stances" => "Every stance that holds (sorted); empty for none",
        "actors" => "Actor ids mentioned (sorted, unique)",
        "evidence" => "Every rule that fired, with its label, mode and span",
        "rule" => "Rule code",
        "label" => "The label the rule gave (a stance, none, or actor:<id>)",
        "mode" => "asserted, negated or hypothetical",
        "split" => "train, validation or test (decided per article)",
        _ => "",
    }
}

const FILES: &str = "parquet-files";
const SPLITS_SET: &str = "splits";
const SPLIT_NAME: &str = "splits/split_name";

pub fn render_croissant(m: &Manifest) -> String {
    let d = &m.dataset;
    let mut distribution: Vec<Value> = m
        .data_files
        .iter()
        .map(|f| {
            json!({
                "@type": "cr:FileObject",
                "@id": f.path,
                "name": f.path,
                "description": format!("{} split, {} rows", f.split, f.rows),
                "contentUrl": f.path,
                "contentSize": format!("{} B", f.bytes),
                "encodingFormat": "application/x-parquet",
                "sha256": f.sha256,
            })
        })
        .collect();
    // The record set reads every data file through one FileSet (Croissant cannot union
    // FileObjects); its glob matches exactly the FileObjects above.
    distribution.push(json!({
        "@type": "cr:FileSet",
        "@id": FILES,
        "name": FILES,
        "description": "All data files of the release, one or more per split.",
        "encodingFormat": "application/x-parquet",
        "includes": "data/*.parquet",
    }));
    let source_of = |column: &str| -> Value {
        json!({ "fileSet": { "@id": FILES }, "extract": { "column": column } })
    };
    let mut fields = Vec::new();
    for field in record_schema().fields() {
        let name = field.name().as_str();
        let id = format!("records/{name}");
        let mut f = json!({
            "@type": "cr:Field",
            "@id": id,
            "name": name,
            "description": column_doc(name),
            "source": source_of(name),
        });
        match field.data_type() {
            DataType::List(item) => {
                f["isArray"] = json!(true);
                match item.data_type() {
                    DataType::Struct(sub) => {
                        f["subField"] = sub
                            .iter()
                            .map(|s| {
                                json!({
                                    "@type": "cr:Field",
                                    "@id": format!("{id}/{}", s.name()),
                                    "name": s.name(),
                                    "description": column_doc(s.name()),
                                    "dataType": data_type(s.data_type()),
                                    "source": {
                                        "fileSet": { "@id": FILES },
                                        "extract": { "column": name },
                                        "transform": { "jsonPath": s.name() }
                                    }
                                })
                            })
                            .collect();
                    }
                    other => f["dataType"] = json!(data_type(other)),
                }
            }
            other => f["dataType"] = json!(data_type(other)),
        }
        if name == "split" {
            f["references"] = json!({ "field": { "@id": SPLIT_NAME } });
        }
        fields.push(f);
    }
    let splits: Vec<Value> = m
        .data_files
        .iter()
        .map(|f| f.split.as_str())
        .fold(Vec::<&str>::new(), |mut v, s| {
            if !v.contains(&s) {
                v.push(s);
            }
            v
        })
        .into_iter()
        .map(|s| json!({ SPLIT_NAME: s }))
        .collect();
    let mut doc = json!({
        "@context": context(),
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.1",
        "name": d.name,
        "description": if d.description.is_empty() { format!("claimset release {} {}", d.name, d.version) } else { d.description.clone() },
        "version": d.version,
        "license": d.license,
        "inLanguage": "ar",
        "distribution": distribution,
        "recordSet": [
            {
                "@type": "cr:RecordSet",
                "@id": SPLITS_SET,
                "name": SPLITS_SET,
                "description": "The splits of the release (split by article).",
                "dataType": "cr:Split",
                "key": { "@id": SPLIT_NAME },
                "field": [{
                    "@type": "cr:Field",
                    "@id": SPLIT_NAME,
                    "name": "split_name",
                    "description": "train, validation or test",
                    "dataType": "sc:Text",
                }],
                "data": splits,
            },
            {
                "@type": "cr:RecordSet",
                "@id": "records",
                "name": "records",
                "description": "One row per sentence (claimset record schema v1).",
                "key": { "@id": "records/record_id" },
                "field": fields,
            }
        ],
    });
    if !d.citation.is_empty() {
        doc["citeAs"] = json!(d.citation);
    }
    let mut s = serde_json::to_string_pretty(&doc).expect("json serializes");
    s.push('\n');
    s
}

//! `croissant.json`: MLCommons Croissant 1.0 metadata (FileObjects with sha256, one RecordSet with
//! every field of schema v1).

use crate::manifest::Manifest;
use crate::write::record_schema;
use arrow::datatypes::DataType;
use serde_json::{Value, json};

fn context() -> Value {
    json!({
        "@language": "en",
        "@vocab": "https://schema.org/",
        "citeAs": "cr:citeAs",
        "column": "cr:column",
        "conformsTo": "dct:conformsTo",
        "cr": "http://mlcommons.org/croissant/",
        "rai": "http://mlcommons.org/croissant/RAI/",
        "data": {"@id": "cr:data", "@type": "@json"},
        "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
        "dct": "http://purl.org/dc/terms/",
        "examples": {"@id": "cr:examples", "@type": "@json"},
        "extract": "cr:extract",
        "field": "cr:field",
        "fileProperty": "cr:fileProperty",
        "fileObject": "cr:fileObject",
        "fileSet": "cr:fileSet",
        "format": "cr:format",
        "includes": "cr:includes",
        "isLiveDataset": "cr:isLiveDataset",
        "jsonPath": "cr:jsonPath",
        "key": "cr:key",
        "md5": "cr:md5",
        "parentField": "cr:parentField",
        "path": "cr:path",
        "recordSet": "cr:recordSet",
        "references": "cr:references",
        "regex": "cr:regex",
        "repeated": "cr:repeated",
        "replace": "cr:replace",
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

pub fn render_croissant(m: &Manifest) -> String {
    let d = &m.dataset;
    let distribution: Vec<Value> = m
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
    let source_of = |column: &str| -> Value {
        // One FileObject per split; a FileSet would need an enclosing archive, so the record set
        // reads from the first file set of all data files via `includes`.
        json!({ "fileSet": { "@id": "parquet-files" }, "extract": { "column": column } })
    };
    let mut fields = Vec::new();
    for field in record_schema().fields() {
        let id = format!("records/{}", field.name());
        let mut f = json!({
            "@type": "cr:Field",
            "@id": id,
            "name": field.name(),
            "description": field.name(),
        });
        match field.data_type() {
            DataType::List(item) => match item.data_type() {
                DataType::Struct(sub) => {
                    f["repeated"] = json!(true);
                    f["dataType"] = json!("sc:Text");
                    f["source"] = source_of(field.name());
                    f["subField"] = json!(
                        sub.iter()
                            .map(|s| json!({
                                "@type": "cr:Field",
                                "@id": format!("{id}/{}", s.name()),
                                "name": s.name(),
                                "dataType": data_type(s.data_type()),
                                "source": {
                                    "fileSet": { "@id": "parquet-files" },
                                    "extract": { "column": field.name() },
                                    "transform": { "jsonPath": s.name() }
                                }
                            }))
                            .collect::<Vec<_>>()
                    );
                }
                other => {
                    f["repeated"] = json!(true);
                    f["dataType"] = json!(data_type(other));
                    f["source"] = source_of(field.name());
                }
            },
            other => {
                f["dataType"] = json!(data_type(other));
                f["source"] = source_of(field.name());
            }
        }
        fields.push(f);
    }
    let mut dist = distribution;
    dist.push(json!({
        "@type": "cr:FileSet",
        "@id": "parquet-files",
        "name": "parquet-files",
        "encodingFormat": "application/x-parquet",
        "includes": "data/*.parquet",
    }));
    let doc = json!({
        "@context": context(),
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "name": d.name,
        "description": if d.description.is_empty() { format!("claimset release {} {}", d.name, d.version) } else { d.description.clone() },
        "version": d.version,
        "license": d.license,
        "citeAs": d.citation,
        "distribution": dist,
        "recordSet": [{
            "@type": "cr:RecordSet",
            "@id": "records",
            "name": "records",
            "description": "One row per sentence (claimset record schema v1).",
            "key": { "@id": "records/record_id" },
            "field": fields,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("json serializes");
    s.push('\n');
    s
}

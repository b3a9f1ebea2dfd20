//! The dataset card (`README.md`): Hugging Face YAML front matter and sections after "Datasheets for
//! Datasets", filled from the manifest.

use crate::manifest::Manifest;
use crate::write::record_schema;
use arrow::datatypes::DataType;
use std::fmt::Write;

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

fn hf_feature(dt: &DataType) -> String {
    match dt {
        DataType::Utf8 => "string".into(),
        DataType::UInt32 => "uint32".into(),
        other => format!("{other:?}"),
    }
}

pub fn render_card(m: &Manifest) -> String {
    let mut s = String::new();
    let d = &m.dataset;
    let license = if d.license.is_empty() {
        "unknown"
    } else {
        &d.license
    };
    let _ = writeln!(s, "---");
    let _ = writeln!(s, "license: {}", yaml_str(&license.to_ascii_lowercase()));
    let _ = writeln!(s, "language:\n- ar");
    let _ = writeln!(s, "pretty_name: {}", yaml_str(&d.name));
    let _ = writeln!(
        s,
        "task_categories:\n- text-classification\n- token-classification"
    );
    let _ = writeln!(s, "configs:\n- config_name: default\n  data_files:");
    for f in &m.data_files {
        let _ = writeln!(s, "  - split: {}\n    path: {}", f.split, yaml_str(&f.path));
    }
    let _ = writeln!(s, "dataset_info:\n  features:");
    for field in record_schema().fields() {
        let _ = writeln!(s, "  - name: {}", field.name());
        match field.data_type() {
            DataType::List(item) => match item.data_type() {
                DataType::Struct(fields) => {
                    let _ = writeln!(s, "    list:");
                    for f in fields {
                        let _ = writeln!(
                            s,
                            "    - name: {}\n      dtype: {}",
                            f.name(),
                            hf_feature(f.data_type())
                        );
                    }
                }
                other => {
                    let _ = writeln!(s, "    list: {}", hf_feature(other));
                }
            },
            other => {
                let _ = writeln!(s, "    dtype: {}", hf_feature(other));
            }
        }
    }
    let _ = writeln!(s, "  splits:");
    for f in &m.data_files {
        let _ = writeln!(
            s,
            "  - name: {}\n    num_bytes: {}\n    num_examples: {}",
            f.split, f.bytes, f.rows
        );
    }
    let _ = writeln!(s, "---\n");

    let total = m.totals();
    let _ = writeln!(s, "# {} {}\n", d.name, d.version);
    if !d.description.is_empty() {
        let _ = writeln!(s, "{}\n", d.description.trim());
    }
    let _ = writeln!(
        s,
        "Sentence-level claim and stance records (schema v{}) built by claimset from {} input file(s). \
         Content hash `{}`; verify with `claimset verify <this directory>` (the claimset, rustc and \
         parquet versions are in `manifest.json` under `built_with`).\n",
        m.schema_version,
        m.inputs.len(),
        m.content_sha256
    );
    let _ = writeln!(s, "## Motivation\n");
    let _ = writeln!(
        s,
        "Training and evaluation data for stance classification (cooperation, threat, reassurance) and \
         political actor recognition in Modern Standard Arabic news, with rule evidence for every label.\n"
    );
    let _ = writeln!(s, "## Composition\n");
    let _ = writeln!(
        s,
        "| split | articles | sentences | cooperation | threat | reassurance | none | abstain |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|");
    for sp in m.splits.iter().chain(std::iter::once(&total)) {
        let get = |k: &str| sp.stances.get(k).copied().unwrap_or(0);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            sp.split,
            sp.articles,
            sp.rows,
            get("cooperation"),
            get("threat"),
            get("reassurance"),
            sp.stance.get("none").copied().unwrap_or(0),
            sp.abstain
        );
    }
    let _ = writeln!(
        s,
        "\nOne row per sentence. `stances` holds every label that holds, `stance` the primary one; \
         `evidence` lists every rule that fired with its span. Rows with no stance evidence are abstains \
         (no rule fired), apart from a decided `none`.\n"
    );
    let _ = writeln!(s, "## Collection\n");
    let _ = writeln!(
        s,
        "| input | articles | bytes | sha256 |\n|---|---|---|---|"
    );
    for i in &m.inputs {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | `{}` |",
            i.path, i.articles, i.bytes, i.sha256
        );
    }
    if !m.quarantined.is_empty() {
        let _ = writeln!(
            s,
            "\n{} input problem(s) were quarantined (see `manifest.json`).",
            m.quarantined.len()
        );
    }
    for f in &m.filters {
        let _ = writeln!(
            s,
            "\nFilter `{}` removed {} article(s) and {} sentence(s).",
            f.filter, f.removed_articles, f.removed_sentences
        );
    }
    let _ = writeln!(s, "\n## Labeling\n");
    let _ = writeln!(
        s,
        "Labels come from claimset's rule engine (rule set sha256 `{}`, source `{}`), implementing the \
         project's labeling guide. They are silver labels: rule output, not human annotation. Each label \
         is explained by its `evidence` (rule code, span, mode: asserted, negated or hypothetical); \
         `claimset rules explain CODE` documents every rule.\n",
        m.rules.sha256, m.rules.source
    );
    let _ = writeln!(s, "## Uses\n");
    let _ = writeln!(
        s,
        "Training and evaluating stance and actor classifiers; auditing rule behaviour. Not suited for \
         judging individuals or outlets: labels describe sentences, are produced by rules, and carry their \
         errors.\n"
    );
    let _ = writeln!(s, "## Distribution\n");
    let _ = writeln!(s, "License: {license}.");
    if !d.citation.is_empty() {
        let _ = writeln!(s, "\nCitation:\n\n```\n{}\n```", d.citation.trim());
    }
    if m.options.without_text {
        let _ = writeln!(
            s,
            "\nThis release carries no sentence text: restore it from your own copy of the sources with \
             `claimset hydrate`; every `text_sha256` is checked."
        );
    }
    let _ = writeln!(s, "\n## Maintenance\n");
    let _ = writeln!(
        s,
        "Releases are immutable and versioned (MAJOR when existing records or splits change, MINOR when \
         records or columns are added, PATCH for metadata). Parent version: {}. Rebuild and compare with \
         `claimset verify --rebuild`.",
        d.parent.as_deref().unwrap_or("none")
    );
    s
}

//! Stage 6, manifest: the release's lineage and every hash needed to verify it.
//!
//! Guarantee: nothing in a manifest depends on the clock, the machine, the thread count or the order
//! in which inputs were named; the same claimset build gives the same bytes anywhere.

use crate::error::{Error, Result};
use crate::spec::Spec;
use crate::write::WriterSettings;
use std::collections::BTreeMap;
use std::path::Path;

pub const MANIFEST_FILE: &str = "manifest.json";
pub const MANIFEST_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub manifest_version: u32,
    pub schema_version: String,
    pub dataset: DatasetInfo,
    /// The spec the release was built from, as parsed (for ad hoc builds, the equivalent spec).
    pub spec: Spec,
    /// The spec file as given on the command line, when it was a relative path (for `verify --rebuild`).
    pub spec_path: Option<String>,
    pub rules: RulesInfo,
    pub options: BuildOptions,
    pub inputs: Vec<InputRecord>,
    /// Files in input directories that claimset does not read (reported, not silently dropped).
    pub ignored_files: Vec<String>,
    /// Articles or files skipped under `--on-error quarantine`, with their reasons.
    pub quarantined: Vec<Quarantined>,
    pub filters: Vec<FilterCount>,
    pub parquet: WriterSettings,
    pub splits: Vec<SplitStats>,
    pub data_files: Vec<DataFile>,
    /// Every other file of the release (card, Croissant, audit), with its hash.
    pub files: Vec<FileEntry>,
    /// Logical hash over the records in release order (schemas/hashes.md).
    pub content_sha256: String,
    pub built_with: BuiltWith,
    /// sha256 of this manifest's canonical bytes with this field empty (schemas/hashes.md): any
    /// change to the manifest itself is detected.
    pub manifest_sha256: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetInfo {
    pub name: String,
    pub version: String,
    pub parent: Option<String>,
    pub description: String,
    pub license: String,
    pub citation: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesInfo {
    pub sha256: String,
    /// `bundled` or the rule-set directory relative to the spec.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildOptions {
    pub unit: crate::segment::Unit,
    pub without_text: bool,
    pub on_error: String,
    pub max_article_bytes: u64,
    /// `I/N` for a shard result, None for a whole release.
    pub shard: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputRecord {
    /// Index into `spec.inputs` of the root this file was found under.
    pub root: usize,
    /// Path relative to that root: the `input` column's prefix.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    /// Articles read from the file (before filters; quarantined ones not counted).
    pub articles: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quarantined {
    pub input: String,
    pub position: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterCount {
    pub filter: String,
    pub removed_articles: u64,
    pub removed_sentences: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitStats {
    pub split: String,
    pub articles: u64,
    pub rows: u64,
    /// Rows per primary `stance`.
    pub stance: BTreeMap<String, u64>,
    /// Rows whose `stances` holds each label.
    pub stances: BTreeMap<String, u64>,
    /// Rows where no stance rule fired (abstain), as opposed to a decided none.
    pub abstain: u64,
}

impl SplitStats {
    /// Counts one record (its row, labels and abstain); articles are counted by the caller.
    pub fn count(&mut self, record: &crate::record::Record) {
        self.rows += 1;
        *self.stance.entry(record.stance.clone()).or_default() += 1;
        for label in &record.stances {
            *self.stances.entry(label.clone()).or_default() += 1;
        }
        if !record
            .evidence
            .iter()
            .any(|e| !e.label.starts_with("actor:"))
        {
            self.abstain += 1;
        }
    }

    /// Adds another's counts (articles, rows, labels, abstain) to these.
    pub fn add(&mut self, other: &SplitStats) {
        self.articles += other.articles;
        self.rows += other.rows;
        self.abstain += other.abstain;
        for (k, v) in &other.stance {
            *self.stance.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &other.stances {
            *self.stances.entry(k.clone()).or_default() += v;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataFile {
    pub path: String,
    pub split: String,
    pub rows: u64,
    pub sha256: String,
    pub bytes: u64,
    /// Logical hash over this file's records (schemas/hashes.md).
    pub content_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuiltWith {
    pub claimset: String,
    pub rustc: String,
    pub parquet: String,
}

impl BuiltWith {
    /// The versions this binary was built with (recorded by build.rs).
    pub fn current() -> Self {
        BuiltWith {
            claimset: env!("CARGO_PKG_VERSION").to_string(),
            rustc: env!("CLAIMSET_RUSTC_VERSION").to_string(),
            parquet: env!("CLAIMSET_PARQUET_VERSION").to_string(),
        }
    }
}

impl Manifest {
    fn serialize(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a manifest always serializes");
        bytes.push(b'\n');
        bytes
    }

    /// The self hash: sha256 of the canonical bytes with `manifest_sha256` empty.
    pub fn self_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut blank = self.clone();
        blank.manifest_sha256 = String::new();
        hex::encode(Sha256::digest(blank.serialize()))
    }

    /// The canonical bytes (pretty JSON, fields in declaration order, final newline), with the
    /// self hash filled in.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut sealed = self.clone();
        sealed.manifest_sha256 = self.self_hash();
        sealed.serialize()
    }

    pub fn read(release: &Path) -> Result<Manifest> {
        let path = release.join(MANIFEST_FILE);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| {
            Error::Verify(format!("{}: not a claimset manifest: {e}", path.display()))
        })?;
        if manifest.to_bytes() != bytes || manifest.self_hash() != manifest.manifest_sha256 {
            return Err(Error::Verify(format!(
                "{}: the manifest was changed (its bytes do not match its own sha256 or canonical form)",
                path.display()
            )));
        }
        Ok(manifest)
    }

    /// Row and label counts summed over splits.
    pub fn totals(&self) -> SplitStats {
        let mut total = SplitStats {
            split: "all".into(),
            ..Default::default()
        };
        for s in &self.splits {
            total.add(s);
        }
        total
    }
}

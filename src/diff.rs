//! `claimset diff OLD NEW`: what changed between two releases, and the semantic version bump it
//! needs (TFDS practice: MAJOR when existing records or split membership change, MINOR when records
//! or columns are only added, PATCH when only metadata changes).

use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::write::read_data_file;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

/// What a record contributes to a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    split: String,
    stance: String,
    stances: Vec<String>,
    actors: Vec<String>,
    rules: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Relabeled {
    pub record_id: String,
    pub old_stances: Vec<String>,
    pub new_stances: Vec<String>,
    pub old_actors: Vec<String>,
    pub new_actors: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DiffReport {
    pub old: String,
    pub new: String,
    pub old_rows: u64,
    pub new_rows: u64,
    pub added: u64,
    pub removed: u64,
    pub relabeled: u64,
    pub split_moves: u64,
    /// old primary stance → new primary stance → records (records in both releases).
    pub transitions: BTreeMap<String, BTreeMap<String, u64>>,
    /// rule code → (firings in old, firings in new), only rules whose count changed.
    pub rule_changes: BTreeMap<String, (u64, u64)>,
    pub schema_changed: bool,
    pub metadata_changed: bool,
    pub required_bump: Bump,
    pub actual_bump: Bump,
    /// False when NEW's version is too small a bump for the change.
    pub version_ok: bool,
    /// The first relabeled records, as examples.
    pub examples: Vec<Relabeled>,
}

fn rows(
    release: &Path,
    manifest: &Manifest,
) -> Result<(HashMap<String, Row>, BTreeMap<String, u64>)> {
    let mut out = HashMap::new();
    let mut rules: BTreeMap<String, u64> = BTreeMap::new();
    for f in &manifest.data_files {
        read_data_file(&release.join(&f.path), &mut |records| {
            for r in records {
                let mut fired: Vec<String> = r.evidence.iter().map(|e| e.rule.clone()).collect();
                fired.sort();
                fired.dedup();
                for code in &fired {
                    *rules.entry(code.clone()).or_default() += 1;
                }
                out.insert(
                    r.record_id,
                    Row {
                        split: r.split,
                        stance: r.stance,
                        stances: r.stances,
                        actors: r.actors,
                        rules: fired,
                    },
                );
            }
            Ok(())
        })?;
    }
    Ok((out, rules))
}

fn bump_between(old: &semver::Version, new: &semver::Version) -> Bump {
    if new.major > old.major {
        Bump::Major
    } else if new.major == old.major && new.minor > old.minor {
        Bump::Minor
    } else if new.major == old.major && new.minor == old.minor && new > old {
        Bump::Patch
    } else {
        Bump::None
    }
}

pub fn diff(old_dir: &Path, new_dir: &Path) -> Result<DiffReport> {
    let old_m = Manifest::read(old_dir)?;
    let new_m = Manifest::read(new_dir)?;
    let (old, old_rules) = rows(old_dir, &old_m)?;
    let (new, new_rules) = rows(new_dir, &new_m)?;
    let mut report = DiffReport {
        old: format!("{} {}", old_m.dataset.name, old_m.dataset.version),
        new: format!("{} {}", new_m.dataset.name, new_m.dataset.version),
        old_rows: old.len() as u64,
        new_rows: new.len() as u64,
        added: 0,
        removed: 0,
        relabeled: 0,
        split_moves: 0,
        transitions: BTreeMap::new(),
        rule_changes: BTreeMap::new(),
        schema_changed: old_m.schema_version != new_m.schema_version,
        metadata_changed: false,
        required_bump: Bump::None,
        actual_bump: Bump::None,
        version_ok: true,
        examples: Vec::new(),
    };
    let mut relabeled_ids: Vec<&String> = Vec::new();
    for (id, o) in &old {
        match new.get(id) {
            None => report.removed += 1,
            Some(n) => {
                *report
                    .transitions
                    .entry(o.stance.clone())
                    .or_default()
                    .entry(n.stance.clone())
                    .or_default() += 1;
                if o.split != n.split {
                    report.split_moves += 1;
                }
                if o.stances != n.stances || o.actors != n.actors || o.stance != n.stance {
                    report.relabeled += 1;
                    relabeled_ids.push(id);
                }
            }
        }
    }
    report.added = new.keys().filter(|id| !old.contains_key(*id)).count() as u64;
    relabeled_ids.sort();
    for id in relabeled_ids.into_iter().take(20) {
        let (o, n) = (&old[id], &new[id]);
        report.examples.push(Relabeled {
            record_id: id.clone(),
            old_stances: o.stances.clone(),
            new_stances: n.stances.clone(),
            old_actors: o.actors.clone(),
            new_actors: n.actors.clone(),
        });
    }
    for code in old_rules.keys().chain(new_rules.keys()) {
        let (a, b) = (
            old_rules.get(code).copied().unwrap_or(0),
            new_rules.get(code).copied().unwrap_or(0),
        );
        if a != b {
            report.rule_changes.insert(code.clone(), (a, b));
        }
    }
    // Metadata: anything in the manifest beyond versions, hashes and toolchain.
    let strip = |m: &Manifest| {
        let mut m = m.clone();
        m.dataset.version = String::new();
        m.dataset.parent = None;
        m.spec.version = String::new();
        m.spec.parent = None;
        m.files = Vec::new();
        m.data_files = Vec::new();
        m.content_sha256 = String::new();
        m.manifest_sha256 = String::new();
        m.built_with.claimset = String::new();
        m.built_with.rustc = String::new();
        m.built_with.parquet = String::new();
        m
    };
    report.metadata_changed = strip(&old_m) != strip(&new_m);
    report.required_bump = if report.removed > 0
        || report.relabeled > 0
        || report.split_moves > 0
        || report.schema_changed
    {
        Bump::Major
    } else if report.added > 0 {
        Bump::Minor
    } else if report.metadata_changed || old_m.content_sha256 != new_m.content_sha256 {
        Bump::Patch
    } else {
        Bump::None
    };
    let parse = |v: &str| {
        semver::Version::parse(v).map_err(|e| Error::Verify(format!("version `{v}`: {e}")))
    };
    report.actual_bump = bump_between(
        &parse(&old_m.dataset.version)?,
        &parse(&new_m.dataset.version)?,
    );
    report.version_ok = report.actual_bump >= report.required_bump;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps_between_versions() {
        let v = |s: &str| semver::Version::parse(s).unwrap();
        assert_eq!(bump_between(&v("1.2.3"), &v("2.0.0")), Bump::Major);
        assert_eq!(bump_between(&v("1.2.3"), &v("1.3.0")), Bump::Minor);
        assert_eq!(bump_between(&v("1.2.3"), &v("1.2.4")), Bump::Patch);
        assert_eq!(bump_between(&v("1.2.3"), &v("1.2.3")), Bump::None);
        assert_eq!(bump_between(&v("1.2.3"), &v("1.1.0")), Bump::None);
    }
}

//! `claimset verify`: recomputes every hash a manifest records and checks every file of the release.
//!
//! Guarantee: any change to any file of a release (a flipped byte, a truncation, an extra, missing or
//! renamed file) makes `verify` fail, naming the first thing that does not hold.

use crate::error::{Error, Result};
use crate::manifest::{MANIFEST_FILE, Manifest, SplitStats};
use crate::record::{ContentHasher, record_id, release_content_hash, text_sha256};
use crate::release::publish_file_entry as file_entry;
use crate::write::{ARTICLES_FILE, DataFileReader, SCHEMA_VERSION, read_articles};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What a successful verification checked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VerifyReport {
    pub files: usize,
    pub rows: u64,
    pub content_sha256: String,
}

pub fn verify(release: &Path) -> Result<VerifyReport> {
    let fail = |msg: String| Err(Error::Verify(msg));
    let mut clock = crate::audit::Clock::new();
    let manifest = Manifest::read(release)?;

    // Exactly the files the manifest names, no more, no fewer.
    let mut expected: BTreeSet<String> = BTreeSet::new();
    expected.insert(MANIFEST_FILE.to_string());
    expected.extend(manifest.data_files.iter().map(|f| f.path.clone()));
    expected.extend(manifest.files.iter().map(|f| f.path.clone()));
    let mut present: BTreeSet<String> = BTreeSet::new();
    for entry in walkdir::WalkDir::new(release).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io(release, e.into()))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(release).unwrap_or(entry.path());
        present.insert(rel.to_string_lossy().replace('\\', "/"));
    }
    if let Some(extra) = present.difference(&expected).next() {
        return fail(format!("{extra}: file not listed in the manifest"));
    }
    if let Some(missing) = expected.difference(&present).next() {
        return fail(format!("{missing}: listed in the manifest but missing"));
    }

    // Whole-file hashes, in parallel; the first mismatch in manifest order is reported.
    let listed: Vec<(&str, u64, &str)> = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes, f.sha256.as_str()))
        .chain(
            manifest
                .data_files
                .iter()
                .map(|f| (f.path.as_str(), f.bytes, f.sha256.as_str())),
        )
        .collect();
    let entries: Vec<Result<_>> = listed
        .par_iter()
        .map(|(path, _, _)| file_entry(release, path))
        .collect();
    for ((path, bytes, sha256), entry) in listed.iter().zip(entries) {
        let entry = entry?;
        if entry.bytes != *bytes || entry.sha256 != *sha256 {
            return fail(format!(
                "{path}: sha256 {} ({} bytes), manifest says {sha256} ({bytes} bytes)",
                entry.sha256, entry.bytes
            ));
        }
    }

    clock.lap("verify: file hashes");
    // Every data file's footer, then every row group decoded and checked in parallel; the
    // record hashes are then folded in file order.
    let mut readers = Vec::with_capacity(manifest.data_files.len());
    for f in &manifest.data_files {
        let reader = DataFileReader::open(&release.join(&f.path))
            .map_err(|e| Error::Verify(format!("{}: unreadable Parquet: {e}", f.path)))?;
        let footer = reader.footer();
        let want = [
            ("claimset.schema_version", SCHEMA_VERSION),
            ("claimset.dataset", manifest.dataset.name.as_str()),
            ("claimset.version", manifest.dataset.version.as_str()),
            ("claimset.rules_sha256", manifest.rules.sha256.as_str()),
            ("claimset.content_sha256", manifest.content_sha256.as_str()),
            ("claimset.file_content_sha256", f.content_sha256.as_str()),
        ];
        for (key, value) in want {
            match footer.get(key) {
                Some(v) if v == value => {}
                Some(v) => {
                    return fail(format!("{}: footer {key} is {v}, expected {value}", f.path));
                }
                None => return fail(format!("{}: footer key {key} missing", f.path)),
            }
        }
        readers.push(reader);
    }
    let tasks: Vec<(usize, usize)> = readers
        .iter()
        .enumerate()
        .flat_map(|(fi, r)| (0..r.row_groups()).map(move |rg| (fi, rg)))
        .collect();
    let checked: Vec<Result<GroupCheck>> = tasks
        .par_iter()
        .map(|&(fi, rg)| {
            let f = &manifest.data_files[fi];
            check_row_group(
                &readers[fi],
                rg,
                &f.path,
                &f.split,
                manifest.options.without_text,
            )
        })
        .collect();
    clock.lap("verify: row groups");
    let mut rows = 0u64;
    let mut recount: BTreeMap<String, SplitStats> = BTreeMap::new();
    let mut groups = tasks.iter().zip(checked).peekable();
    for (fi, f) in manifest.data_files.iter().enumerate() {
        let mut content = ContentHasher::default();
        while let Some(((_, _), group)) = groups.next_if(|((gfi, _), _)| *gfi == fi) {
            let group = group?;
            for hash in &group.hashes {
                content.push(hash);
            }
            for (split, stats) in &group.stats {
                recount.entry(split.clone()).or_default().add(stats);
            }
        }
        if content.rows() != f.rows {
            return fail(format!(
                "{}: {} rows, manifest says {}",
                f.path,
                content.rows(),
                f.rows
            ));
        }
        let file_content = content.finish();
        if file_content != f.content_sha256 {
            return fail(format!(
                "{}: content hash {file_content}, manifest says {}",
                f.path, f.content_sha256
            ));
        }
        rows += f.rows;
    }

    let content_sha256 = release_content_hash(
        manifest
            .data_files
            .iter()
            .map(|f| (f.path.as_str(), f.rows, f.content_sha256.as_str())),
    );
    if content_sha256 != manifest.content_sha256 {
        return fail(format!(
            "release content hash {content_sha256}, manifest says {}",
            manifest.content_sha256
        ));
    }
    clock.lap("verify: content hashes");
    let articles = read_articles(&release.join(ARTICLES_FILE))?;
    for a in &articles {
        recount.entry(a.split.clone()).or_default().articles += 1;
    }
    for stats in &manifest.splits {
        let mut found = recount.remove(&stats.split).unwrap_or_default();
        found.split = stats.split.clone();
        if &found != stats {
            return fail(format!(
                "split {}: the data hold {} articles and {} rows with labels {:?}, the manifest says {} articles and {} rows with labels {:?}",
                stats.split,
                found.articles,
                found.rows,
                found.stances,
                stats.articles,
                stats.rows,
                stats.stances
            ));
        }
    }
    if let Some((split, _)) = recount.into_iter().next() {
        return fail(format!(
            "split `{split}` is in the data but not in the manifest"
        ));
    }
    clock.lap("verify: article table");
    Ok(VerifyReport {
        files: present.len(),
        rows,
        content_sha256,
    })
}

/// What one row group contributes: its record hashes in order and its split counts.
struct GroupCheck {
    hashes: Vec<[u8; 32]>,
    stats: BTreeMap<String, SplitStats>,
}

fn check_row_group(
    reader: &DataFileReader,
    index: usize,
    path: &str,
    split: &str,
    without_text: bool,
) -> Result<GroupCheck> {
    let records = reader.read_row_group(index).map_err(|e| match e {
        Error::Verify(_) => e,
        other => Error::Verify(format!("{path}: unreadable Parquet: {other}")),
    })?;
    let first_row = reader.first_row(index);
    let mut group = GroupCheck {
        hashes: Vec::with_capacity(records.len()),
        stats: BTreeMap::new(),
    };
    for (k, record) in records.iter().enumerate() {
        check_record(record, split, without_text)
            .map_err(|e| Error::Verify(format!("{path}: row {}: {e}", first_row + k as u64)))?;
        group.hashes.push(record.hash());
        group
            .stats
            .entry(record.split.clone())
            .or_default()
            .count(record);
    }
    Ok(group)
}

fn check_record(
    record: &crate::record::Record,
    split: &str,
    without_text: bool,
) -> std::result::Result<(), String> {
    if record.split != split {
        return Err(format!("split `{}` in the {split} file", record.split));
    }
    match &record.text {
        Some(text) => {
            let sha = text_sha256(text);
            if sha != record.text_sha256 {
                return Err(format!(
                    "text_sha256 {} but the text hashes to {sha}",
                    record.text_sha256
                ));
            }
            let id = record_id(&record.article_id, record.sentence_index, text);
            if id != record.record_id {
                return Err(format!(
                    "record_id {} but recomputes to {id}",
                    record.record_id
                ));
            }
            if record.char_end.checked_sub(record.char_start) != Some(text.chars().count() as u32)
                || record.byte_end.checked_sub(record.byte_start) != Some(text.len() as u32)
            {
                return Err("offsets do not span the text".into());
            }
        }
        None if without_text => {}
        None => return Err("text is null in a release built with text".into()),
    }
    Ok(())
}

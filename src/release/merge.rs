//! `claimset merge`: shard results (`build --shard I/N`) into one release whose bytes do not depend
//! on N.
//!
//! Every shard read every input and kept the articles whose shard key fell in its shard, in
//! canonical order; merging the shards' sorted streams by canonical position (input path, position
//! in the file, sentence index) restores the single-machine order, and sealing goes through the
//! same code as `build`.

use super::build::stage_and_publish;
use super::build::{BuildReport, data_file_name, seal};
use super::publish::release_dir;
use crate::error::{Error, Result};
use crate::manifest::{FilterCount, Manifest, SplitStats};
use crate::record::Record;
use crate::split::SPLITS;
use crate::write::{ARTICLES_FILE, ArticleWriter, RecordStream, SplitWriter, read_articles};
use std::cmp::Ordering;
use std::path::{Path, PathBuf};

/// The directory a shard result is written to: `<out>/<name>/shards/<version>/<I>-of-<N>`.
pub fn shard_dir(out: &Path, name: &str, version: &str, shard: super::Shard) -> PathBuf {
    out.join(name)
        .join("shards")
        .join(version)
        .join(format!("{}-of-{}", shard.index, shard.count))
}

/// Canonical position of an `input` value: its path, then its 1-based line or 0-based index.
fn input_key(input: &str) -> (&str, Option<u64>) {
    match input.rsplit_once('#') {
        Some((path, n)) => match n.parse() {
            Ok(n) => (path, Some(n)),
            Err(_) => (input, None),
        },
        None => (input, None),
    }
}

fn record_order(a: &Record, b: &Record) -> Ordering {
    input_key(&a.input)
        .cmp(&input_key(&b.input))
        .then(a.sentence_index.cmp(&b.sentence_index))
}

/// Everything but the shard field and the shard's own counts must agree between shards.
fn common_part(m: &Manifest) -> Manifest {
    let mut c = m.clone();
    c.options.shard = None;
    c.splits = Vec::new();
    c.filters = Vec::new();
    c.data_files = Vec::new();
    c.files = Vec::new();
    c.content_sha256 = String::new();
    c.manifest_sha256 = String::new();
    c
}

pub fn merge(shard_dirs: &[PathBuf], out: &Path) -> Result<BuildReport> {
    if shard_dirs.is_empty() {
        return Err(Error::Usage(
            "merge needs the shard result directories".into(),
        ));
    }
    let mut shards: Vec<(u32, PathBuf, Manifest)> = Vec::new();
    let mut count = None;
    for dir in shard_dirs {
        crate::verify::verify(dir)
            .map_err(|e| Error::Release(format!("shard {}: {e}", dir.display())))?;
        let m = Manifest::read(dir)?;
        let shard: super::Shard = m
            .options
            .shard
            .as_deref()
            .ok_or_else(|| {
                Error::Release(format!(
                    "{} is a release, not a shard result",
                    dir.display()
                ))
            })?
            .parse()
            .map_err(Error::Release)?;
        if *count.get_or_insert(shard.count) != shard.count {
            return Err(Error::Release(format!(
                "{}: shard {shard} does not belong with shards of {}",
                dir.display(),
                count.unwrap_or(0)
            )));
        }
        shards.push((shard.index, dir.clone(), m));
    }
    shards.sort_by_key(|s| s.0);
    let n = count.unwrap_or(0);
    for (expected, (index, dir, _)) in shards.iter().enumerate() {
        if *index as usize != expected {
            let what = if (*index as usize) < expected {
                "twice"
            } else {
                "missing"
            };
            return Err(Error::Release(format!(
                "shard {expected}/{n} is {what} (at {})",
                dir.display()
            )));
        }
    }
    if shards.len() != n as usize {
        return Err(Error::Release(format!(
            "{} of {n} shards given",
            shards.len()
        )));
    }
    let base = common_part(&shards[0].2);
    for (index, dir, m) in &shards[1..] {
        let other = common_part(m);
        if other.built_with != base.built_with {
            return Err(Error::Release(format!(
                "shard {index} ({}) was built by another claimset build",
                dir.display()
            )));
        }
        if other.rules != base.rules {
            return Err(Error::Release(format!(
                "shard {index} ({}) was built with other rules",
                dir.display()
            )));
        }
        if other != base {
            return Err(Error::Release(format!(
                "shard {index} ({}) was built from another spec, inputs or options",
                dir.display()
            )));
        }
    }

    let target = release_dir(out, &base.dataset.name, &base.dataset.version);
    stage_and_publish(target, |staging| {
        let data_dir = staging.join("data");
        std::fs::create_dir_all(&data_dir).map_err(|e| Error::io(&data_dir, e))?;
        let mut writers: [Option<SplitWriter>; 3] = [None, None, None];
        for (split, slot) in writers.iter_mut().enumerate() {
            let name = data_file_name(split);
            let mut streams = Vec::new();
            for (_, dir, m) in &shards {
                if m.data_files.iter().any(|f| f.path == name) {
                    streams.push(RecordStream::open(&dir.join(&name))?);
                }
            }
            if streams.is_empty() {
                continue;
            }
            let mut writer = SplitWriter::create(&staging.join(&name), &base.parquet)?;
            loop {
                let mut best: Option<usize> = None;
                for i in 0..streams.len() {
                    let Some(head) = streams[i].peek()? else {
                        continue;
                    };
                    let head = head.clone();
                    match best {
                        None => best = Some(i),
                        Some(b) => {
                            let current = streams[b].peek()?.expect("best has a head").clone();
                            match record_order(&head, &current) {
                                Ordering::Less => best = Some(i),
                                Ordering::Equal => {
                                    return Err(Error::Release(format!(
                                        "shards overlap: {} sentence {} is in two shards",
                                        head.input, head.sentence_index
                                    )));
                                }
                                Ordering::Greater => {}
                            }
                        }
                    }
                }
                let Some(b) = best else { break };
                let record = streams[b].pop().expect("peeked");
                let hash = record.hash();
                writer.push(record, &hash)?;
            }
            *slot = Some(writer);
        }

        let mut articles = Vec::new();
        for (_, dir, _) in &shards {
            articles.extend(read_articles(&dir.join(ARTICLES_FILE))?);
        }
        articles.sort_by(|a, b| input_key(&a.input).cmp(&input_key(&b.input)));
        if let Some(w) = articles.windows(2).find(|w| w[0].input == w[1].input) {
            return Err(Error::Release(format!(
                "shards overlap: article {} is in two shards",
                w[0].input
            )));
        }
        let mut table = ArticleWriter::create(&staging.join(ARTICLES_FILE), &base.parquet)?;
        for a in articles {
            table.push(a)?;
        }
        table.finish()?;

        let mut manifest = base.clone();
        manifest.splits = SPLITS
            .iter()
            .map(|s| SplitStats {
                split: s.to_string(),
                ..Default::default()
            })
            .collect();
        let mut filters: Vec<FilterCount> = shards[0].2.filters.clone();
        for f in &mut filters {
            f.removed_articles = 0;
            f.removed_sentences = 0;
        }
        for (_, _, m) in &shards {
            for (total, s) in manifest.splits.iter_mut().zip(&m.splits) {
                total.add(s);
            }
            for (total, f) in filters.iter_mut().zip(&m.filters) {
                total.removed_articles += f.removed_articles;
                total.removed_sentences += f.removed_sentences;
            }
        }
        manifest.filters = filters;
        seal(
            staging,
            manifest,
            writers,
            crate::audit::AuditOptions::default().threads,
        )
    })
}

use super::config::{BuildConfig, OnError};
use super::publish::{self, release_dir};
use super::{render_card, render_croissant};
use crate::error::{Error, InputError, Result};
use crate::label::RuleSet;
use crate::manifest::{
    BuildOptions, BuiltWith, DataFile, DatasetInfo, FilterCount, InputRecord, Manifest,
    Quarantined, RulesInfo, SplitStats,
};
use crate::pipeline::{ProcessedArticle, Processor};
use crate::read::{self, Article, FileDigest, InputFile};
use crate::record::release_content_hash;
use crate::segment::Segmenter;
use crate::split::{SPLITS, keyed_point};
use crate::write::{ARTICLES_FILE, ArticleRow, ArticleWriter, SCHEMA_VERSION, SplitWriter};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;

/// How a build ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publication {
    /// The release was written and renamed into place.
    Published,
    /// The same release (identical files) was already there; nothing changed.
    AlreadyPublished,
}

#[derive(Debug)]
pub struct BuildReport {
    pub manifest: Manifest,
    pub path: PathBuf,
    pub publication: Publication,
}

/// Articles per batch handed to the worker threads: large enough to keep both cores busy, small
/// enough that memory stays flat.
const BATCH_ARTICLES: usize = 256;
const BATCH_BYTES: usize = 4 << 20;

enum Event {
    Batch(Vec<read::ReadItem>),
    FileDone(usize, FileDigest, u64),
    /// A file that stopped with an error, and how many articles it gave before the error.
    FileFailed(usize, InputError, u64),
}

/// Builds a release: reads, processes and writes into a temporary directory beside the target,
/// verifies it, and renames it into place. Either a complete, verified release is published or
/// nothing is.
pub fn build(config: &BuildConfig) -> Result<BuildReport> {
    let rules = match &config.rules_dir {
        Some(dir) => RuleSet::load(dir)?,
        None => RuleSet::bundled()?,
    };
    let (files, ignored) = read::discover(&config.roots)?;
    let target = match config.shard {
        Some(shard) => super::shard_dir(
            &config.out_dir,
            &config.spec.name,
            &config.spec.version,
            shard,
        ),
        None => release_dir(&config.out_dir, &config.spec.name, &config.spec.version),
    };
    stage_and_publish(target, |staging| {
        write_release(config, &rules, &files, ignored, staging)
    })
}

/// Writes a release into a fresh staging directory beside `target` with `write`, then publishes
/// it there; on any error the staging directory is removed and nothing is published. Shared by
/// build, merge and hydrate.
pub(crate) fn stage_and_publish(
    target: PathBuf,
    write: impl FnOnce(&Path) -> Result<Manifest>,
) -> Result<BuildReport> {
    let staging = publish::staging_dir(&target)?;
    let manifest = match write(&staging) {
        Ok(manifest) => manifest,
        Err(e) => {
            let _ = publish::discard(&staging);
            return Err(e);
        }
    };
    let publication = publish::publish(&staging, &target)?;
    Ok(BuildReport {
        manifest,
        path: target,
        publication,
    })
}

/// What the main thread records: the inputs read and the problems met, in canonical order.
#[derive(Default)]
struct Ledger {
    inputs: Vec<InputRecord>,
    quarantined: Vec<Quarantined>,
}

/// What the writer thread counts.
struct Totals {
    splits: Vec<SplitStats>,
    removed_empty: u64,
    removed_duplicate: (u64, u64),
    removed_boilerplate: u64,
}

fn write_release(
    config: &BuildConfig,
    rules: &RuleSet,
    files: &[InputFile],
    ignored: Vec<String>,
    staging: &Path,
) -> Result<Manifest> {
    let mut clock = crate::audit::Clock::new();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|e| Error::Config(format!("cannot start {} threads: {e}", config.threads)))?;
    let segmenter = Segmenter::new(config.spec.unit);
    let processor = Processor {
        segmenter: &segmenter,
        rules,
        split: &config.spec.split,
        without_text: config.without_text,
    };
    let data_dir = staging.join("data");
    std::fs::create_dir_all(&data_dir).map_err(|e| Error::io(&data_dir, e))?;

    let progress = progress_bar(config, files);
    let mut writers: [Option<SplitWriter>; 3] = [None, None, None];
    let mut ledger = Ledger::default();
    let mut totals = Totals {
        splits: SPLITS
            .iter()
            .map(|s| SplitStats {
                split: s.to_string(),
                ..Default::default()
            })
            .collect(),
        removed_empty: 0,
        removed_duplicate: (0, 0),
        removed_boilerplate: 0,
    };
    let boilerplate = match config.spec.filters.boilerplate_min_articles {
        Some(min) => Some(boilerplate_keys(config, files, &pool, &segmenter, min)?),
        None => None,
    };
    let mut seen: HashSet<[u8; 32]> = HashSet::new();
    clock.lap("start");
    let mut article_table = ArticleWriter::create(&staging.join(ARTICLES_FILE), &config.writer)?;

    let sink = Sink {
        config,
        data_dir: &data_dir,
        writers: &mut writers,
        totals: &mut totals,
        seen: &mut seen,
        boilerplate: boilerplate.as_ref(),
        article_table: &mut article_table,
    };
    let consumer = Consumer {
        config,
        pool: &pool,
        processor: &processor,
        files,
        ledger: &mut ledger,
        progress: &progress,
    };
    if config.threads == 1 {
        run_inline(config, files, consumer, sink)?;
    } else {
        run_staged(config, files, consumer, sink)?;
    }
    progress.finish_and_clear();
    article_table.finish()?;
    clock.lap("read, process, write");

    let mut filters = Vec::new();
    if config.spec.filters.drop_empty_articles {
        filters.push(FilterCount {
            filter: "drop_empty_articles".into(),
            removed_articles: totals.removed_empty,
            removed_sentences: 0,
        });
    }
    if config.spec.filters.drop_duplicate_articles {
        filters.push(FilterCount {
            filter: "drop_duplicate_articles".into(),
            removed_articles: totals.removed_duplicate.0,
            removed_sentences: totals.removed_duplicate.1,
        });
    }

    if let Some(min) = config.spec.filters.boilerplate_min_articles {
        filters.push(FilterCount {
            filter: format!("boilerplate_min_articles={min}"),
            removed_articles: 0,
            removed_sentences: totals.removed_boilerplate,
        });
    }

    let manifest = Manifest {
        manifest_version: crate::manifest::MANIFEST_VERSION,
        schema_version: SCHEMA_VERSION.to_string(),
        dataset: DatasetInfo {
            name: config.spec.name.clone(),
            version: config.spec.version.clone(),
            parent: config.spec.parent.clone(),
            description: config.spec.description.clone(),
            license: config.spec.license.clone(),
            citation: config.spec.citation.clone(),
        },
        spec: config.spec.clone(),
        spec_path: config.spec_path.clone(),
        rules: RulesInfo {
            sha256: rules.sha256(),
            source: config
                .spec
                .rules
                .clone()
                .unwrap_or_else(|| "bundled".to_string()),
        },
        options: BuildOptions {
            unit: config.spec.unit,
            without_text: config.without_text,
            on_error: config.on_error.as_str().to_string(),
            max_article_bytes: config.limits.max_article_bytes as u64,
            shard: config.shard.map(|s| s.to_string()),
        },
        inputs: ledger.inputs,
        ignored_files: ignored,
        quarantined: ledger.quarantined,
        filters,
        parquet: config.writer.clone(),
        splits: totals.splits,
        data_files: Vec::new(),
        files: Vec::new(),
        content_sha256: String::new(),
        built_with: BuiltWith::current(),
        manifest_sha256: String::new(),
    };

    // The workers' threads end here: memory they allocated and the writer freed goes back to
    // the allocator before the audit loads the release.
    drop(pool);
    seal(staging, manifest, writers, config.threads)
}

/// Closes the data files of a staged release and writes everything derived from them (footer keys,
/// card, Croissant, audit, manifest), then verifies the staged release. `manifest` arrives complete
/// but for `data_files`, `files` and `content_sha256`. Shared by `build` and `merge`, so both give the
/// same bytes for the same records. `threads` bounds the audit's and the verification's workers.
pub(crate) fn seal(
    staging: &Path,
    mut manifest: Manifest,
    writers: [Option<SplitWriter>; 3],
    threads: usize,
) -> Result<Manifest> {
    let threads = threads.max(1);
    let mut clock = crate::audit::Clock::new();
    // Content hashes are known once every record is pushed; the footer of every file carries the
    // release's, so they are computed before any file is closed.
    let mut open: Vec<(usize, SplitWriter)> = writers
        .into_iter()
        .enumerate()
        .filter_map(|(i, w)| w.map(|w| (i, w)))
        .collect();
    let paths: Vec<String> = open.iter().map(|(i, _)| data_file_name(*i)).collect();
    let splits: Vec<usize> = open.iter().map(|(i, _)| *i).collect();
    let contents: Vec<String> = open.iter().map(|(_, w)| w.content_sha256()).collect();
    let content_sha256 = release_content_hash(
        open.iter()
            .zip(&paths)
            .zip(&contents)
            .map(|(((_, w), p), c)| (p.as_str(), w.rows(), c.as_str())),
    );
    let footer = |file_content: &str| {
        vec![
            (
                "claimset.schema_version".to_string(),
                SCHEMA_VERSION.to_string(),
            ),
            (
                "claimset.dataset".to_string(),
                manifest.dataset.name.clone(),
            ),
            (
                "claimset.version".to_string(),
                manifest.dataset.version.clone(),
            ),
            (
                "claimset.rules_sha256".to_string(),
                manifest.rules.sha256.clone(),
            ),
            (
                "claimset.content_sha256".to_string(),
                content_sha256.clone(),
            ),
            (
                "claimset.file_content_sha256".to_string(),
                file_content.to_string(),
            ),
            (
                "claimset.license".to_string(),
                manifest.dataset.license.clone(),
            ),
        ]
    };
    // Each file's last row group is compressed and the file hashed on a thread of its own.
    let finished: Vec<Result<(crate::write::DataFileSummary, crate::manifest::FileEntry)>> =
        std::thread::scope(|scope| {
            let handles: Vec<_> = open
                .drain(..)
                .zip(&paths)
                .zip(&contents)
                .map(|(((_, writer), path), content)| {
                    let footer = footer(content);
                    scope.spawn(move || -> Result<_> {
                        let summary = writer.finish(&footer)?;
                        Ok((summary, publish::file_entry(staging, path)?))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(Error::Release("a data file writer panicked".into()))
                    })
                })
                .collect()
        });
    let mut data_files = Vec::new();
    for ((split, done), path) in splits.iter().zip(finished).zip(&paths) {
        let (summary, entry) = done?;
        let split = *split;
        data_files.push(DataFile {
            path: path.clone(),
            split: SPLITS[split].to_string(),
            rows: summary.rows,
            sha256: entry.sha256,
            bytes: entry.bytes,
            content_sha256: summary.content_sha256,
        });
    }

    clock.lap("close data files");
    manifest.data_files = data_files;
    manifest.files = Vec::new();
    manifest.content_sha256 = content_sha256;

    // The audit of the staged data and article table: a gate missed with `fail = true` stops the
    // build here (shard results are audited but never stopped: their merge is what counts).
    let options = crate::audit::AuditOptions {
        threads,
        gold: None,
    };
    let audit = crate::audit::audit(staging, &manifest, &options)?;
    if audit.status == crate::audit::Status::Fail && manifest.options.shard.is_none() {
        return Err(Error::Release(format!(
            "the audit failed ({}); see the spec's [audit] table",
            crate::audit::missed_gates(&audit).join("; ")
        )));
    }
    crate::audit::write_files(staging, &audit)?;
    clock.lap("audit");

    // Derived documents, then the manifest that covers them.
    let card = render_card(&manifest);
    write_file(staging, "README.md", card.as_bytes())?;
    let croissant = render_croissant(&manifest);
    write_file(staging, "croissant.json", croissant.as_bytes())?;
    for name in [
        ARTICLES_FILE,
        "README.md",
        "croissant.json",
        crate::audit::AUDIT_JSON,
        crate::audit::AUDIT_HTML,
    ] {
        manifest.files.push(publish::file_entry(staging, name)?);
    }
    manifest.files.sort_by(|a, b| a.path.cmp(&b.path));
    write_file(
        staging,
        crate::manifest::MANIFEST_FILE,
        &manifest.to_bytes(),
    )?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Config(format!("cannot start {threads} threads: {e}")))?;
    pool.install(|| crate::verify::verify(staging))
        .map_err(|e| Error::Release(format!("the new release does not verify: {e}")))?;
    clock.lap("card, manifest, verify");
    Ok(manifest)
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
}

pub(crate) fn data_file_name(split: usize) -> String {
    format!("data/{}-00000-of-00001.parquet", SPLITS[split])
}

/// Three stages at once: the reader thread parses inputs, the pool processes batches, the writer
/// thread filters and writes them (in order), so reading and writing overlap processing.
fn run_staged(
    config: &BuildConfig,
    files: &[InputFile],
    mut consumer: Consumer,
    mut sink: Sink,
) -> Result<()> {
    std::thread::scope(|scope| -> Result<()> {
        let (sender, receiver) = sync_channel::<Event>(4);
        let reader = scope.spawn(move || read_all(config, files, |e| sender.send(e).is_ok()));
        let (to_writer, from_main) = sync_channel::<Vec<(Article, ProcessedArticle)>>(2);
        let writer = scope.spawn(move || -> Result<()> {
            for batch in from_main.iter() {
                for (article, done) in batch {
                    sink.accept(&article, done)?;
                }
            }
            Ok(())
        });
        let result = (|| -> Result<()> {
            for event in receiver.iter() {
                if let Some(batch) = consumer.handle(event)?
                    && to_writer.send(batch).is_err()
                {
                    // The writer stopped on an error, which is reported below.
                    return Ok(());
                }
            }
            Ok(())
        })();
        // Stop the reader if we stopped early: dropping the receiver ends its sends.
        drop(receiver);
        drop(to_writer);
        let _ = reader.join();
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(Error::Release("the writer thread panicked".into())));
        // A writer error stops the main loop quietly (its sends fail), so it comes first.
        written.and(result)
    })
}

/// One thread does everything in turn, so `--threads 1` keeps to one core (a shard worker on a
/// cluster node, say); the output bytes are the same as [`run_staged`]'s.
fn run_inline(
    config: &BuildConfig,
    files: &[InputFile],
    mut consumer: Consumer,
    mut sink: Sink,
) -> Result<()> {
    let mut result = Ok(());
    read_all(config, files, |event| {
        let step = consumer.handle(event).and_then(|batch| {
            for (article, done) in batch.into_iter().flatten() {
                sink.accept(&article, done)?;
            }
            Ok(())
        });
        match step {
            Ok(()) => true,
            Err(e) => {
                result = Err(e);
                false
            }
        }
    });
    result
}

/// The reader: files in canonical order, articles batched, each event handed to `emit`, which
/// says whether to go on.
fn read_all(config: &BuildConfig, files: &[InputFile], mut emit: impl FnMut(Event) -> bool) {
    for (index, file) in files.iter().enumerate() {
        let mut batch = Vec::new();
        let mut batch_bytes = 0usize;
        let mut articles = 0u64;
        let mut stopped = false;
        let mut sink = |item: read::ReadItem| {
            if stopped {
                return;
            }
            if let Ok(article) = &item {
                batch_bytes += article.text.len();
                articles += 1;
            }
            batch.push(item);
            if batch.len() >= BATCH_ARTICLES || batch_bytes >= BATCH_BYTES {
                batch_bytes = 0;
                if !emit(Event::Batch(std::mem::take(&mut batch))) {
                    stopped = true;
                }
            }
        };
        let result = read::read_file(file, &config.spec.fields, config.limits, &mut sink);
        if stopped {
            return;
        }
        if !batch.is_empty() && !emit(Event::Batch(batch)) {
            return;
        }
        let event = match result {
            Ok(digest) => Event::FileDone(index, digest, articles),
            Err(e) => Event::FileFailed(index, e, articles),
        };
        if !emit(event) {
            return;
        }
    }
}

/// Where processed articles go: the split writers, the article table and the running totals.
struct Sink<'a> {
    config: &'a BuildConfig,
    data_dir: &'a Path,
    writers: &'a mut [Option<SplitWriter>; 3],
    totals: &'a mut Totals,
    seen: &'a mut HashSet<[u8; 32]>,
    /// Keys of sentences that recur in too many articles (the boilerplate filter), when enabled.
    boilerplate: Option<&'a HashSet<u64>>,
    article_table: &'a mut ArticleWriter,
}

/// Turns reader events into processed batches for the sink, recording inputs and problems.
struct Consumer<'a> {
    config: &'a BuildConfig,
    pool: &'a rayon::ThreadPool,
    processor: &'a Processor<'a>,
    files: &'a [InputFile],
    ledger: &'a mut Ledger,
    progress: &'a indicatif::ProgressBar,
}

impl Consumer<'_> {
    /// Handles one event; a batch of articles comes back processed, in input order.
    fn handle(&mut self, event: Event) -> Result<Option<Vec<(Article, ProcessedArticle)>>> {
        let config = self.config;
        match event {
            Event::Batch(items) => {
                let mut articles: Vec<Article> = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Ok(article) => articles.push(article),
                        Err(e) => quarantine(config, self.ledger, e)?,
                    }
                }
                if let Some(shard) = config.shard {
                    articles.retain(|a| {
                        keyed_point(b"shard", b"", &a.fingerprint()) % shard.count as u64
                            == shard.index as u64
                    });
                }
                let processor = self.processor;
                let processed: Vec<ProcessedArticle> = self
                    .pool
                    .install(|| articles.par_iter().map(|a| processor.process(a)).collect());
                return Ok(Some(articles.into_iter().zip(processed).collect()));
            }
            Event::FileDone(index, digest, articles) => {
                let file = &self.files[index];
                self.ledger.inputs.push(InputRecord {
                    root: file.root,
                    path: file.name.clone(),
                    sha256: digest.sha256,
                    bytes: digest.bytes,
                    articles,
                });
                self.progress.inc(file_len(&file.path));
            }
            Event::FileFailed(index, e, articles) => {
                let file = &self.files[index];
                quarantine(config, self.ledger, e)?;
                // The articles read before the error (e.g. a truncated .gz) are in the release, so
                // the file is listed among the inputs with its raw bytes' digest, like any other.
                if let Ok((sha256, bytes)) = publish::sha256_file(&file.path) {
                    self.ledger.inputs.push(InputRecord {
                        root: file.root,
                        path: file.name.clone(),
                        sha256,
                        bytes,
                        articles,
                    });
                }
                self.progress.inc(file_len(&file.path));
            }
        }
        Ok(None)
    }
}

impl Sink<'_> {
    /// Applies the filters, then writes the article's records and its row of the article table.
    fn accept(&mut self, article: &Article, done: ProcessedArticle) -> Result<()> {
        let filters = &self.config.spec.filters;
        let totals = &mut *self.totals;
        if filters.drop_empty_articles && article.is_empty() {
            totals.removed_empty += 1;
            return Ok(());
        }
        let first = self.seen.insert(done.fingerprint) || article.is_empty();
        if filters.drop_duplicate_articles && !first {
            totals.removed_duplicate.0 += 1;
            totals.removed_duplicate.1 += done.records.len() as u64;
            return Ok(());
        }
        let mut records = done.records;
        if let Some(keys) = self.boilerplate {
            let before = records.len();
            records.retain(|(r, _)| {
                let text = &article.text[r.byte_start as usize..r.byte_end as usize];
                !keys.contains(&sentence_key(text))
            });
            totals.removed_boilerplate += (before - records.len()) as u64;
        }
        let body = &article.text[article.body.clone()];
        self.article_table.push(ArticleRow {
            article_id: article.article_id.clone(),
            input: article.input.clone(),
            split: SPLITS[done.split].to_string(),
            fingerprint: hex::encode(done.fingerprint),
            sentences: records.len() as u32,
            body_chars: body.chars().count() as u32,
            empty: body.trim().is_empty(),
        })?;
        let stats = &mut totals.splits[done.split];
        stats.articles += 1;
        for (record, hash) in records {
            stats.count(&record);
            let writer = match &mut self.writers[done.split] {
                Some(w) => w,
                slot => {
                    let path = self
                        .data_dir
                        .join(data_file_name(done.split).trim_start_matches("data/"));
                    slot.insert(SplitWriter::create(&path, &self.config.writer)?)
                }
            };
            writer.push(record, &hash)?;
        }
        Ok(())
    }
}

fn quarantine(config: &BuildConfig, ledger: &mut Ledger, e: InputError) -> Result<()> {
    match config.on_error {
        OnError::Fail => Err(Error::Input(e)),
        OnError::Quarantine => {
            ledger.quarantined.push(Quarantined {
                input: display_input(config, &e.path),
                position: e.position.to_string(),
                reason: e.reason,
            });
            Ok(())
        }
    }
}

/// An input path as the manifest may show it: relative to its root, never machine-specific.
fn display_input(config: &BuildConfig, path: &Path) -> String {
    for root in &config.roots {
        if let Ok(rel) = path.strip_prefix(root) {
            if rel.as_os_str().is_empty() {
                return root
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
            }
            return rel.to_string_lossy().replace('\\', "/");
        }
    }
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn progress_bar(config: &BuildConfig, files: &[InputFile]) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !config.progress || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let total: u64 = files.iter().map(|f| file_len(&f.path)).sum();
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} building [{bar:30}] {bytes}/{total_bytes} ({eta})",
        )
        .expect("a valid template")
        .progress_chars("=> "),
    );
    bar
}

/// The key of a sentence for boilerplate counting: its whitespace-collapsed text, hashed.
fn sentence_key(text: &str) -> u64 {
    let digest = read::fingerprint(text);
    u64::from_le_bytes(digest[..8].try_into().expect("32-byte digest"))
}

/// Pre-pass of the boilerplate filter: the sentences that occur in at least `min_articles`
/// different articles (duplicate articles counted once). It reads every input, whatever the
/// shard, so every shard drops the same sentences.
fn boilerplate_keys(
    config: &BuildConfig,
    files: &[InputFile],
    pool: &rayon::ThreadPool,
    segmenter: &Segmenter,
    min_articles: u32,
) -> Result<HashSet<u64>> {
    let mut counts: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    let mut seen: HashSet<[u8; 32]> = HashSet::new();
    for file in files {
        let mut articles = Vec::new();
        // Problems are reported by the main pass; here they only mean fewer sentences to count.
        let _ = read::read_file(file, &config.spec.fields, config.limits, &mut |item| {
            if let Ok(a) = item {
                articles.push(a);
            }
        });
        articles.retain(|a| seen.insert(a.fingerprint()));
        let keys: Vec<Vec<u64>> = pool.install(|| {
            articles
                .par_iter()
                .map(|a| {
                    let mut keys: Vec<u64> = segmenter
                        .segment(&a.text)
                        .iter()
                        .map(|s| sentence_key(&a.text[s.byte_start..s.byte_end]))
                        .collect();
                    keys.sort_unstable();
                    keys.dedup();
                    keys
                })
                .collect()
        });
        for key in keys.into_iter().flatten() {
            *counts.entry(key).or_default() += 1;
        }
    }
    Ok(counts
        .into_iter()
        .filter(|(_, n)| *n >= min_articles.max(2))
        .map(|(k, _)| k)
        .collect())
}

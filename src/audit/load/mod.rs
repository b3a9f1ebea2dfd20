//! Reading a release for the audit: only the columns it needs, row groups in parallel, strings
//! and labels interned, texts reduced to fixed-size facts, sentences put back into canonical
//! order (the article table's order).
//!
//! Type problems (a wrong schema, a label outside the label set, a record in the wrong split file,
//! an article table that does not match the data …) are counted, not fatal: the audit reports them.
//!
//! Memory: one [`Sentence`] (40 bytes) per record, one entry per distinct text in the band table,
//! one [`ArticleInfo`] per article; no text. Row groups are decoded a few at a time.
//!
//! Limits, stated: texts, article ids and fingerprints are compared by 64-bit keys of claimset's
//! own non-cryptographic hash (a release crafted to collide can merge two of them in the report,
//! never crash it or make it depend on timing); an article whose `input` changes between its rows
//! is taken as two articles, so such a table does not match the data; a data file holds at most
//! `u32::MAX` rows.

mod decode;
mod release;
mod runs;
mod tables;

pub use release::{ArticleInfo, Ev, MODES, Release, Sentence, TextFacts, TypeFindings};

use super::Params;
use crate::audit::minhash::key64;
use crate::audit::texts::{Pos, TextSource};
use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::split::SPLITS;
use crate::write::{ARTICLES_FILE, articles_schema, read_articles_with};
use arrow::array::AsArray;
use decode::{Chunk, Task, Work, open_meta, read_chunk};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ParquetRecordBatchReaderBuilder};
use rayon::prelude::*;
use runs::{ArticleRun, Run, stitch};
use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;
use tables::{BandTable, Interner, SharedBands};

/// Reads every data file and the article table of `release` as `manifest` describes them.
pub fn load(release: &Path, manifest: &Manifest, params: &Params) -> Result<Release> {
    let mut clock = crate::audit::Clock::new();
    let mut types = TypeFindings::default();
    let mut source = TextSource::default();
    if manifest.data_files.len() > u16::MAX as usize {
        return Err(Error::Verify(format!(
            "{} data files: the audit reads at most {}",
            manifest.data_files.len(),
            u16::MAX
        )));
    }
    // Metadata and schema of every data file, then one task per row group.
    let mut metas: Vec<(usize, u64, usize, ArrowReaderMetadata)> = Vec::new();
    for (fi, f) in manifest.data_files.iter().enumerate() {
        match open_meta(&release.join(&f.path))?.and_then(rows_fit) {
            Ok(meta) => {
                let mut row = 0u64;
                for rg in 0..meta.metadata().num_row_groups() {
                    metas.push((fi, row, rg, meta.clone()));
                    row += meta.metadata().row_group(rg).num_rows() as u64;
                }
                source.push(release.join(&f.path), Some(meta));
                types.files.push((f.path.clone(), None));
            }
            Err(problem) => {
                *types
                    .violations
                    .entry("data_file_schema".into())
                    .or_default() += 1;
                source.push(release.join(&f.path), None);
                types.files.push((f.path.clone(), Some(problem)));
            }
        }
    }
    let tasks: Vec<Task> = metas
        .iter()
        .map(|(fi, row, rg, meta)| Task {
            release,
            path: &manifest.data_files[*fi].path,
            split: &manifest.data_files[*fi].split,
            file: *fi,
            row_group: *rg,
            first_row: *row,
            meta,
        })
        .collect();
    let bands = SharedBands::default();
    // Row counts come from the files' footers: reserve for them, but not beyond what a sane
    // release holds (the vector grows past that if the rows are really there).
    let rows: u64 = tasks
        .iter()
        .map(|t| t.meta.metadata().row_group(t.row_group).num_rows() as u64)
        .fold(0u64, u64::saturating_add);
    let mut merged = Merged::new(manifest.data_files.len(), rows.min(1 << 24) as usize);
    // Row groups are decoded a few at a time (as many as the threads can take, twice over) and
    // merged at once into the release's tables, so only those few are ever held beside them.
    let wave = rayon::current_num_threads().max(1) * 2;
    for tasks in tasks.chunks(wave) {
        let chunks: Vec<Chunk> = tasks
            .par_iter()
            .map_init(
                || Work::new(params, Some(&bands)),
                |work, task| read_chunk(task, work),
            )
            .collect::<Result<Vec<_>>>()?;
        for chunk in chunks {
            merged.add(chunk, &mut types);
        }
    }
    drop(tasks);
    drop(metas);
    let mut sentence_bands: BandTable = bands
        .into_inner()
        .map_err(|_| Error::Verify("a thread reading the release failed".into()))?;
    sentence_bands.freeze();
    clock.lap("  decode");
    let Merged {
        mut strings,
        lists,
        evidence_lists,
        label_rows,
        mut all,
        file_ranges,
        runs_per_file,
        mut text_available,
    } = merged;
    if manifest.options.without_text {
        text_available = false;
    }
    let file_split = |fi: usize| {
        SPLITS
            .iter()
            .position(|s| *s == manifest.data_files[fi].split)
            .unwrap_or(0)
    };
    // Each split's stream: its data files in manifest order; runs stitched across row groups.
    let mut run_streams: [Vec<Vec<Run>>; 3] = Default::default();
    // Each split's sentences (indices into `all`) as ranges, one per data file, in stream order.
    let mut streams: [Vec<std::ops::Range<usize>>; 3] = Default::default();
    for (fi, runs) in runs_per_file.into_iter().enumerate() {
        run_streams[file_split(fi)].extend(runs);
        streams[file_split(fi)].push(file_ranges[fi].clone());
    }
    clock.lap("  merge");
    let mut work = Work::new(params, None);
    let runs: Vec<Vec<ArticleRun>> = run_streams
        .into_iter()
        .map(|stream| stitch(stream, &mut work))
        .collect();

    // Articles: from the article table when it matches the runs, else from the runs.
    let table = match read_table(release, &mut strings) {
        Ok(rows) => Some(rows),
        Err(problem) => {
            types.add("article_table", || problem.clone());
            None
        }
    };
    let plan = table.as_ref().and_then(|rows| match_table(rows, &runs));
    let article_table_ok = plan.is_some();
    // Sized once (the table's rows, or the runs), not grown by doubling.
    let article_count = match &table {
        Some(rows) => rows.len(),
        None => runs.iter().map(Vec::len).sum(),
    };
    let mut articles = Vec::with_capacity(article_count);
    let mut article_bands = Vec::with_capacity(article_count);
    // Per split, the article index of each run in stream order.
    let mut run_article: [Vec<u32>; 3] = Default::default();
    let mut runs: Vec<std::vec::IntoIter<ArticleRun>> =
        runs.into_iter().map(|r| r.into_iter()).collect();
    let mut placed = 0u32;
    match (table, plan) {
        (Some(rows), Some(plan)) => {
            for (row, split) in rows.into_iter().zip(plan) {
                let index = articles.len() as u32;
                let bands = if row.sentences > 0 {
                    run_article[split].push(index);
                    runs[split].next().map(|r| r.bands)
                } else {
                    None
                };
                article_bands.push(bands.unwrap_or_default());
                articles.push(ArticleInfo {
                    input: row.input,
                    split: split as u8,
                    fingerprint: row.fingerprint,
                    empty: row.empty,
                    first: placed,
                    sentences: row.sentences,
                });
                placed += row.sentences;
            }
        }
        (table, _) => {
            if table.is_some() {
                types.add("article_table_matches_data", || {
                    format!(
                        "{ARTICLES_FILE} does not match the data files; articles are taken from the data"
                    )
                });
            }
            // Articles as the data show them (splits in order). Fingerprints and emptiness are
            // then unknown; inputs are read back from each article's first row.
            let firsts: Vec<Pos> = runs
                .iter()
                .flat_map(|r| r.as_slice())
                .map(|r| r.pos)
                .collect();
            let inputs = source.fetch_inputs(&firsts)?;
            for (split, stream) in runs.iter_mut().enumerate() {
                for run in stream {
                    run_article[split].push(articles.len() as u32);
                    article_bands.push(run.bands);
                    articles.push(ArticleInfo {
                        input: strings.id(inputs.get(&run.pos).map_or("", |s| s.as_str())),
                        split: split as u8,
                        fingerprint: None,
                        empty: false,
                        first: placed,
                        sentences: run.rows,
                    });
                    placed += run.rows;
                }
            }
        }
    }
    // Each sentence's article: runs cover their split's stream in order.
    for (split, stream) in streams.iter().enumerate() {
        let mut rows = stream.iter().flat_map(|r| r.clone());
        for &a in &run_article[split] {
            let n = articles[a as usize].sentences as usize;
            for i in rows.by_ref().take(n) {
                all[i].article = a;
            }
        }
    }
    drop(streams);
    clock.lap("  articles");
    // In place (no second copy of every sentence): an article's rows are consecutive in its
    // split's stream, so (article, position) is the canonical order.
    all.par_sort_unstable_by_key(|s| (s.article, s.pos()));
    clock.lap("  order");
    Ok(Release {
        strings: strings.values,
        sentences: all,
        articles,
        text_available,
        article_table_ok,
        types,
        article_bands,
        sentence_bands,
        label_rows: label_rows.values,
        lists: lists
            .values
            .into_iter()
            .map(Vec::into_boxed_slice)
            .collect(),
        evidence_lists: evidence_lists
            .values
            .into_iter()
            .map(Vec::into_boxed_slice)
            .collect(),
        source,
    })
}

/// The split of each table row when the table matches the data: each row with sentences is the
/// next run of its split (same article id, as many rows, `sentence_index` 0, 1, 2 …), and every run
/// is used.
fn match_table(rows: &[TableRow], runs: &[Vec<ArticleRun>]) -> Option<Vec<usize>> {
    let mut cursors = [0usize; 3];
    let mut plan = Vec::with_capacity(rows.len());
    for row in rows {
        let split = row.split? as usize;
        if row.sentences > 0 {
            let run = runs[split].get(cursors[split])?;
            let same = run.article == row.article && run.rows == row.sentences && run.from_zero;
            if !same {
                return None;
            }
            cursors[split] += 1;
        }
        plan.push(split);
    }
    (cursors.iter().zip(runs).all(|(c, r)| *c == r.len())).then_some(plan)
}

/// A file's metadata when its row counts are usable: none negative and at most `u32::MAX` rows
/// in all (the audit numbers rows with 32 bits).
fn rows_fit(meta: ArrowReaderMetadata) -> std::result::Result<ArrowReaderMetadata, String> {
    let mut total = 0u64;
    for (k, rg) in meta.metadata().row_groups().iter().enumerate() {
        let n = u64::try_from(rg.num_rows())
            .map_err(|_| format!("row group {k} has a negative row count in the footer"))?;
        total = total.saturating_add(n);
    }
    if total > u32::MAX as u64 {
        return Err(format!(
            "{total} rows: the audit reads at most {} per file",
            u32::MAX
        ));
    }
    Ok(meta)
}

/// What the audit keeps of an article table row.
struct TableRow {
    /// Index into [`SPLITS`], None for a split name outside them.
    split: Option<u8>,
    article: u64,
    /// String id of the input (interned: many articles share one input file).
    input: u32,
    /// None when the table leaves it empty (unknown).
    fingerprint: Option<u64>,
    sentences: u32,
    empty: bool,
}

fn read_table(
    release: &Path,
    strings: &mut Interner<str>,
) -> std::result::Result<Vec<TableRow>, String> {
    let path = release.join(ARTICLES_FILE);
    if !path.exists() {
        return Err(format!("{ARTICLES_FILE} is missing"));
    }
    let file = File::open(&path).map_err(|e| format!("{ARTICLES_FILE}: {e}"))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| format!("{ARTICLES_FILE}: unreadable Parquet: {e}"))?;
    if builder.schema().fields() != articles_schema().fields() {
        return Err(format!("{ARTICLES_FILE}: not the article table schema"));
    }
    read_articles_with(&path, |row| TableRow {
        split: SPLITS.iter().position(|s| *s == row.split).map(|i| i as u8),
        article: key64(row.article_id.as_bytes()),
        input: strings.id(row.input),
        fingerprint: (!row.fingerprint.is_empty()).then(|| key64(row.fingerprint.as_bytes())),
        sentences: row.sentences,
        empty: row.empty,
    })
    .map_err(|e| format!("{ARTICLES_FILE}: {e}"))
}

/// Rows and, per rule, the sentences where it fired: what the drift check needs of a parent release.
pub fn rule_coverage(release: &Path, manifest: &Manifest) -> Result<(u64, BTreeMap<String, u64>)> {
    let mut rows = 0u64;
    let mut coverage: BTreeMap<String, u64> = BTreeMap::new();
    for f in &manifest.data_files {
        let path = release.join(&f.path);
        let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file)?;
        let mask = ProjectionMask::columns(builder.parquet_schema(), ["evidence"]);
        for batch in builder.with_projection(mask).build()? {
            let batch = batch?;
            let Some(col) = batch.column_by_name("evidence") else {
                continue;
            };
            let list = col.as_list::<i32>();
            let rules = list
                .values()
                .as_struct()
                .column(0)
                .as_string::<i32>()
                .clone();
            let offsets = list.value_offsets();
            let mut seen: Vec<&str> = Vec::new();
            for i in 0..batch.num_rows() {
                rows += 1;
                seen.clear();
                for k in offsets[i] as usize..offsets[i + 1] as usize {
                    seen.push(rules.value(k));
                }
                seen.sort_unstable();
                seen.dedup();
                for r in &seen {
                    *coverage.entry(r.to_string()).or_default() += 1;
                }
            }
        }
    }
    Ok((rows, coverage))
}

/// The release's tables as row groups are merged into them (in file order).
struct Merged {
    strings: Interner<str>,
    lists: Interner<[u32]>,
    evidence_lists: Interner<[Ev]>,
    label_rows: Interner<tables::LabelRow>,
    all: Vec<Sentence>,
    file_ranges: Vec<std::ops::Range<usize>>,
    runs_per_file: Vec<Vec<Vec<Run>>>,
    text_available: bool,
}

impl Merged {
    fn new(files: usize, rows: usize) -> Merged {
        let mut strings = Interner::<str>::default();
        for s in SPLITS {
            strings.id(s);
        }
        Merged {
            strings,
            lists: Interner::default(),
            evidence_lists: Interner::default(),
            label_rows: Interner::default(),
            all: Vec::with_capacity(rows),
            file_ranges: vec![0..0; files],
            runs_per_file: (0..files).map(|_| Vec::new()).collect(),
            text_available: true,
        }
    }

    /// Adds one row group's chunk, its ids translated to the release's tables.
    fn add(&mut self, chunk: Chunk, types: &mut TypeFindings) {
        let map: Vec<u32> = chunk
            .strings
            .values
            .iter()
            .map(|s| self.strings.id(s))
            .collect();
        let list_map: Vec<u32> = chunk
            .lists
            .values
            .iter()
            .map(|l| {
                self.lists
                    .id(&l.iter().map(|&x| map[x as usize]).collect::<Vec<_>>())
            })
            .collect();
        let ev_map: Vec<u32> = chunk
            .evidence
            .values
            .iter()
            .map(|l| {
                let remapped: Vec<Ev> = l
                    .iter()
                    .map(|e| Ev {
                        rule: map[e.rule as usize],
                        label: map[e.label as usize],
                        mode: e.mode,
                    })
                    .collect();
                self.evidence_lists.id(&remapped)
            })
            .collect();
        let label_map: Vec<u32> = chunk
            .labels
            .values
            .iter()
            .map(|r| {
                self.label_rows.id(&tables::LabelRow {
                    kind: map[r.kind as usize],
                    lang: map[r.lang as usize],
                    stance: map[r.stance as usize],
                    stances: list_map[r.stances as usize],
                    actors: list_map[r.actors as usize],
                    evidence: ev_map[r.evidence as usize],
                })
            })
            .collect();
        types.merge(chunk.types);
        let range = &mut self.file_ranges[chunk.file];
        if range.start == range.end {
            *range = self.all.len()..self.all.len();
        }
        for mut s in chunk.sentences {
            s.labels = label_map[s.labels as usize];
            if s.text().is_none() {
                self.text_available = false;
            }
            self.all.push(s);
        }
        range.end = self.all.len();
        self.runs_per_file[chunk.file].push(chunk.runs);
    }
}

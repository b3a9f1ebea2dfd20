//! Reading a release for the audit: only the columns it needs, row groups in parallel, strings
//! interned, sentences put back into canonical order (the article table's order).
//!
//! Type problems (a wrong schema, a label outside the label set, a record in the wrong split file,
//! an article table that does not match the data …) are counted, not fatal: the audit reports them.

use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::split::SPLITS;
use crate::write::{ARTICLES_FILE, articles_schema, read_articles, record_schema};
use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::UInt32Type;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::path::Path;

/// Columns of record schema v1 the audit reads.
const COLUMNS: [&str; 13] = [
    "article_id",
    "input",
    "sentence_index",
    "kind",
    "char_start",
    "char_end",
    "text",
    "lang",
    "stance",
    "stances",
    "actors",
    "evidence",
    "split",
];

pub const MODES: [&str; 3] = ["asserted", "negated", "hypothetical"];
/// How many examples of type problems are kept.
const MAX_PROBLEM_EXAMPLES: usize = 20;

/// One evidence entry, interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ev {
    pub rule: u32,
    pub label: u32,
    /// Index into [`MODES`].
    pub mode: u8,
}

/// One sentence of the release, as the audit keeps it.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// Index into `Release::articles`.
    pub article: u32,
    /// Index into [`SPLITS`].
    pub split: u8,
    pub sentence_index: u32,
    pub kind: u32,
    pub lang: u32,
    pub stance: u32,
    pub stances: Box<[u32]>,
    pub actors: Box<[u32]>,
    pub evidence: Box<[Ev]>,
    pub char_start: u32,
    pub char_end: u32,
    pub text: Option<Box<str>>,
    // Used only to match the article table.
    article_id: u32,
    input: u32,
}

impl Sentence {
    /// Length in code points (from the text when present, else from the offsets).
    pub fn chars(&self) -> u32 {
        match &self.text {
            Some(t) => t.chars().count() as u32,
            None => self.char_end.saturating_sub(self.char_start),
        }
    }
}

/// One article, in canonical order.
#[derive(Debug, Clone)]
pub struct ArticleInfo {
    pub input: String,
    pub split: u8,
    /// Hex sha256 of the whitespace-collapsed body; empty when unknown.
    pub fingerprint: String,
    pub empty: bool,
    /// Index of its first sentence in `Release::sentences`.
    pub first: u32,
    pub sentences: u32,
}

/// Schema and type findings.
#[derive(Debug, Clone, Default)]
pub struct TypeFindings {
    /// Per file: None when its schema is as expected, else the problem.
    pub files: Vec<(String, Option<String>)>,
    pub violations: BTreeMap<String, u64>,
    pub examples: Vec<String>,
}

impl TypeFindings {
    pub fn add(&mut self, check: &str, example: impl FnOnce() -> String) {
        *self.violations.entry(check.to_string()).or_default() += 1;
        if self.examples.len() < MAX_PROBLEM_EXAMPLES {
            self.examples.push(example());
        }
    }

    fn merge(&mut self, other: TypeFindings) {
        for (k, v) in other.violations {
            *self.violations.entry(k).or_default() += v;
        }
        for e in other.examples {
            if self.examples.len() < MAX_PROBLEM_EXAMPLES {
                self.examples.push(e);
            }
        }
    }
}

/// A release in memory.
pub struct Release {
    pub strings: Vec<String>,
    pub sentences: Vec<Sentence>,
    pub articles: Vec<ArticleInfo>,
    /// False when the release was built without text (text checks are skipped).
    pub text_available: bool,
    /// True when the article table was read and matches the data.
    pub article_table_ok: bool,
    pub types: TypeFindings,
}

impl Release {
    pub fn str(&self, id: u32) -> &str {
        &self.strings[id as usize]
    }
}

#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
    strings: Vec<String>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.ids.insert(s.to_string(), id);
        self.strings.push(s.to_string());
        id
    }
}

struct Chunk {
    /// Position of the data file in `manifest.data_files`.
    file: usize,
    sentences: Vec<Sentence>,
    strings: Interner,
    types: TypeFindings,
}

/// Opens one data file's metadata and checks its schema.
fn open_meta(path: &Path) -> Result<std::result::Result<ArrowReaderMetadata, String>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let meta = match ArrowReaderMetadata::load(&file, ArrowReaderOptions::new()) {
        Ok(m) => m,
        Err(e) => return Ok(Err(format!("unreadable Parquet: {e}"))),
    };
    let want = record_schema();
    let got = meta.schema();
    if got.fields() != want.fields() {
        let detail = want
            .fields()
            .iter()
            .zip(got.fields().iter())
            .find(|(a, b)| a != b)
            .map(|(a, b)| {
                format!(
                    "column `{}`: {} (nullable {}), expected `{}`: {} (nullable {})",
                    b.name(),
                    b.data_type(),
                    b.is_nullable(),
                    a.name(),
                    a.data_type(),
                    a.is_nullable()
                )
            })
            .unwrap_or_else(|| {
                format!(
                    "{} columns, expected {}",
                    got.fields().len(),
                    want.fields().len()
                )
            });
        return Ok(Err(format!("not record schema v1: {detail}")));
    }
    Ok(Ok(meta))
}

/// Reads every data file and the article table of `release` as `manifest` describes them.
pub fn load(release: &Path, manifest: &Manifest) -> Result<Release> {
    let mut types = TypeFindings::default();
    // Metadata and schema of every data file, then one task per row group.
    let mut tasks: Vec<(usize, usize, u64, ArrowReaderMetadata)> = Vec::new();
    for (fi, f) in manifest.data_files.iter().enumerate() {
        match open_meta(&release.join(&f.path))? {
            Ok(meta) => {
                let mut row = 0u64;
                for rg in 0..meta.metadata().num_row_groups() {
                    tasks.push((fi, rg, row, meta.clone()));
                    row += meta.metadata().row_group(rg).num_rows() as u64;
                }
                types.files.push((f.path.clone(), None));
            }
            Err(problem) => {
                *types
                    .violations
                    .entry("data_file_schema".into())
                    .or_default() += 1;
                types.files.push((f.path.clone(), Some(problem)));
            }
        }
    }
    let chunks: Vec<Chunk> = tasks
        .par_iter()
        .map(|(fi, rg, row, meta)| {
            let f = &manifest.data_files[*fi];
            read_chunk(release, &f.path, &f.split, *fi, *rg, *row, meta)
        })
        .collect::<Result<Vec<_>>>()?;

    // Merge the chunks' strings into one table.
    let mut global = Interner::default();
    for s in SPLITS {
        global.id(s);
    }
    let mut per_file: Vec<Vec<Sentence>> = vec![Vec::new(); manifest.data_files.len()];
    let mut text_available = true;
    for chunk in chunks {
        let map: Vec<u32> = chunk.strings.strings.iter().map(|s| global.id(s)).collect();
        let m = |id: &mut u32| *id = map[*id as usize];
        types.merge(chunk.types);
        let out = &mut per_file[chunk.file];
        out.reserve(chunk.sentences.len());
        for mut s in chunk.sentences {
            m(&mut s.kind);
            m(&mut s.lang);
            m(&mut s.stance);
            m(&mut s.article_id);
            m(&mut s.input);
            s.stances.iter_mut().for_each(m);
            s.actors.iter_mut().for_each(m);
            for e in s.evidence.iter_mut() {
                m(&mut e.rule);
                m(&mut e.label);
            }
            if s.text.is_none() {
                text_available = false;
            }
            out.push(s);
        }
    }
    if manifest.options.without_text {
        text_available = false;
    }

    // Canonical order: walk the article table, taking each article's sentences from its split's
    // stream (data files of a split in manifest order).
    let mut streams: [Vec<Sentence>; 3] = Default::default();
    for (fi, sentences) in per_file.into_iter().enumerate() {
        let split = SPLITS
            .iter()
            .position(|s| *s == manifest.data_files[fi].split)
            .unwrap_or(0);
        streams[split].extend(sentences);
    }
    let table = match read_table(release) {
        Ok(rows) => Some(rows),
        Err(problem) => {
            types.add("article_table", || problem.clone());
            None
        }
    };
    // First check that the table matches the data, then move the sentences.
    let plan: Option<Vec<usize>> = table.as_ref().and_then(|rows| {
        let mut cursors = [0usize; 3];
        let mut plan = Vec::with_capacity(rows.len());
        for row in rows {
            let split = SPLITS.iter().position(|s| *s == row.split)?;
            let aid = global.ids.get(&row.article_id).copied();
            let (start, n) = (cursors[split], row.sentences as usize);
            let stream = &streams[split];
            if start + n > stream.len() {
                return None;
            }
            let same = stream[start..start + n]
                .iter()
                .enumerate()
                .all(|(k, s)| Some(s.article_id) == aid && s.sentence_index == k as u32);
            if !same {
                return None;
            }
            cursors[split] += n;
            plan.push(split);
        }
        (cursors.iter().zip(&streams).all(|(c, s)| *c == s.len())).then_some(plan)
    });
    let article_table_ok = plan.is_some();
    let mut sentences = Vec::with_capacity(streams.iter().map(Vec::len).sum());
    let mut articles = Vec::new();
    match (table, plan) {
        (Some(rows), Some(plan)) => {
            let mut iters: Vec<std::vec::IntoIter<Sentence>> =
                streams.into_iter().map(|s| s.into_iter()).collect();
            for (row, split) in rows.into_iter().zip(plan) {
                let first = sentences.len() as u32;
                let index = articles.len() as u32;
                sentences.extend(iters[split].by_ref().take(row.sentences as usize).map(
                    |mut s| {
                        s.article = index;
                        s
                    },
                ));
                articles.push(ArticleInfo {
                    input: row.input,
                    split: split as u8,
                    fingerprint: row.fingerprint,
                    empty: row.empty,
                    first,
                    sentences: row.sentences,
                });
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
            // Articles as the data show them (splits in order; a new article wherever the article
            // changes or sentence_index restarts). Fingerprints and emptiness are then unknown.
            for (split, stream) in streams.into_iter().enumerate() {
                let mut last: Option<(u32, u32)> = None;
                for mut s in stream {
                    let key = (s.article_id, s.input);
                    if last != Some(key) || s.sentence_index == 0 {
                        articles.push(ArticleInfo {
                            input: global.strings[s.input as usize].clone(),
                            split: split as u8,
                            fingerprint: String::new(),
                            empty: false,
                            first: sentences.len() as u32,
                            sentences: 0,
                        });
                        last = Some(key);
                    }
                    let a = articles.last_mut().expect("an article was pushed");
                    a.sentences += 1;
                    s.article = articles.len() as u32 - 1;
                    sentences.push(s);
                }
            }
        }
    }
    Ok(Release {
        strings: global.strings,
        sentences,
        articles,
        text_available,
        article_table_ok,
        types,
    })
}

fn read_table(release: &Path) -> std::result::Result<Vec<crate::write::ArticleRow>, String> {
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
    read_articles(&path).map_err(|e| format!("{ARTICLES_FILE}: {e}"))
}

#[allow(clippy::too_many_arguments)]
fn read_chunk(
    release: &Path,
    path: &str,
    file_split: &str,
    fi: usize,
    rg: usize,
    first_row: u64,
    meta: &ArrowReaderMetadata,
) -> Result<Chunk> {
    let full = release.join(path);
    let file = File::open(&full).map_err(|e| Error::io(&full, e))?;
    let mask = ProjectionMask::columns(meta.parquet_schema(), COLUMNS.iter().copied());
    let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(file, meta.clone())
        .with_projection(mask)
        .with_row_groups(vec![rg])
        .with_batch_size(8192)
        .build()?;
    let mut chunk = Chunk {
        file: fi,
        sentences: Vec::new(),
        strings: Interner::default(),
        types: TypeFindings::default(),
    };
    let mut row = first_row;
    for batch in reader {
        let batch = batch?;
        decode(&batch, path, file_split, &mut row, &mut chunk);
    }
    Ok(chunk)
}

fn decode(batch: &RecordBatch, path: &str, file_split: &str, row: &mut u64, chunk: &mut Chunk) {
    let col = |name: &str| batch.column_by_name(name).expect("projected column");
    let article_id = col("article_id").as_string::<i32>();
    let input = col("input").as_string::<i32>();
    let sentence_index = col("sentence_index").as_primitive::<UInt32Type>();
    let kind = col("kind").as_string::<i32>();
    let char_start = col("char_start").as_primitive::<UInt32Type>();
    let char_end = col("char_end").as_primitive::<UInt32Type>();
    let text = col("text").as_string::<i32>();
    let lang = col("lang").as_string::<i32>();
    let stance = col("stance").as_string::<i32>();
    let stances = col("stances").as_list::<i32>();
    let actors = col("actors").as_list::<i32>();
    let evidence = col("evidence").as_list::<i32>();
    let split = col("split").as_string::<i32>();
    let stance_values = stances.values().as_string::<i32>().clone();
    let actor_values = actors.values().as_string::<i32>().clone();
    let ev = evidence.values().as_struct();
    let ev_rule = ev.column(0).as_string::<i32>();
    let ev_label = ev.column(1).as_string::<i32>();
    let ev_mode = ev.column(2).as_string::<i32>();
    let strings = &mut chunk.strings;
    let types = &mut chunk.types;
    for i in 0..batch.num_rows() {
        let r = *row;
        *row += 1;
        let at = || format!("{path}: row {r}");
        if split.value(i) != file_split {
            types.add("record_split_matches_file", || {
                format!(
                    "{}: split `{}` in the {file_split} file",
                    at(),
                    split.value(i)
                )
            });
        }
        let range = |offsets: &[i32]| offsets[i] as usize..offsets[i + 1] as usize;
        let st: Box<[u32]> = range(stances.value_offsets())
            .map(|k| strings.id(stance_values.value(k)))
            .collect();
        let ac: Box<[u32]> = range(actors.value_offsets())
            .map(|k| strings.id(actor_values.value(k)))
            .collect();
        let evs: Box<[Ev]> = range(evidence.value_offsets())
            .map(|k| {
                let mode = match MODES.iter().position(|m| *m == ev_mode.value(k)) {
                    Some(m) => m as u8,
                    None => {
                        types.add("evidence_mode", || {
                            format!("{}: evidence mode `{}`", at(), ev_mode.value(k))
                        });
                        0
                    }
                };
                Ev {
                    rule: strings.id(ev_rule.value(k)),
                    label: strings.id(ev_label.value(k)),
                    mode,
                }
            })
            .collect();
        chunk.sentences.push(Sentence {
            article: 0,
            split: SPLITS.iter().position(|s| *s == file_split).unwrap_or(0) as u8,
            sentence_index: sentence_index.value(i),
            kind: strings.id(kind.value(i)),
            lang: strings.id(lang.value(i)),
            stance: strings.id(stance.value(i)),
            stances: st,
            actors: ac,
            evidence: evs,
            char_start: char_start.value(i),
            char_end: char_end.value(i),
            text: (!text.is_null(i)).then(|| text.value(i).into()),
            article_id: strings.id(article_id.value(i)),
            input: strings.id(input.value(i)),
        });
    }
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

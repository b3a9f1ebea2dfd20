//! Decoding one row group: the values the audit checks, the facts of each text, the band keys of
//! each new text, and the runs of articles. The text itself is dropped with the row group.

use super::release::{Ev, MODES, Sentence, TextFacts, TypeFindings};
use super::runs::Run;
use super::tables::{Interner, LabelRow, SharedBands};
use crate::audit::Params;
use crate::audit::articles::{push_words, shingles_from_words};
use crate::audit::minhash::{Banding, Signer, collapsed_key, key64};
use crate::audit::sentences::{char_shingles_normalized, is_invisible};
use crate::audit::texts::Pos;
use crate::error::{Error, Result};
use crate::normalize::{Normalized, normalize_into};
use crate::split::SPLITS;
use crate::write::record_schema;
use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::UInt32Type;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
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

/// What one row group gives.
pub(super) struct Chunk {
    /// Position of the data file in `manifest.data_files`.
    pub file: usize,
    pub sentences: Vec<Sentence>,
    /// Chunk-local interning (merged into the release's tables afterwards).
    pub strings: Interner<str>,
    pub lists: Interner<[u32]>,
    pub evidence: Interner<[Ev]>,
    pub labels: Interner<LabelRow>,
    pub types: TypeFindings,
    pub runs: Vec<Run>,
}

/// What decoding needs besides the rows: the check settings, the shared band table and reusable
/// buffers.
pub(super) struct Work<'a> {
    params: &'a Params,
    bands: Option<&'a SharedBands>,
    sentence_signer: Signer,
    article_signer: Signer,
    norm: Normalized,
    collapsed: String,
    shingles: Vec<u64>,
    keys: Vec<u32>,
}

impl<'a> Work<'a> {
    pub fn new(params: &'a Params, bands: Option<&'a SharedBands>) -> Work<'a> {
        Work {
            params,
            bands,
            sentence_signer: Signer::new(Banding::for_threshold(params.sentence_jaccard)),
            article_signer: Signer::new(Banding::for_threshold(params.article_jaccard)),
            norm: Normalized::default(),
            collapsed: String::new(),
            shingles: Vec::new(),
            keys: Vec::new(),
        }
    }

    /// Facts of one text (the record at `pos`), its band keys into the shared table (once per
    /// distinct normalized text); its words are appended to `words` when given.
    fn text(&mut self, t: &str, pos: Pos, words: Option<&mut Vec<u64>>) -> TextFacts {
        normalize_into(t, &mut self.norm);
        let facts = TextFacts {
            key: collapsed_key(t, &mut self.collapsed),
            norm_key: key64(self.norm.text.as_bytes()),
            chars: t.chars().count() as u32,
            visible: t.chars().any(|c| !c.is_whitespace() && !is_invisible(c)),
            blank: t.trim().is_empty(),
            short: t.trim().chars().count() < self.params.min_chars as usize,
        };
        if let Some(bands) = self.bands {
            let wanted = bands
                .lock()
                .map(|b| b.wants(facts.norm_key, pos))
                .unwrap_or(false);
            if wanted {
                self.shingles.clear();
                char_shingles_normalized(
                    &self.norm.text,
                    self.params.min_sentence_chars_near,
                    &mut self.shingles,
                );
                let keys = self.sign(true);
                if let Ok(mut b) = bands.lock() {
                    b.insert(facts.norm_key, pos, &keys);
                }
            }
        }
        if let Some(words) = words {
            push_words(&self.norm.text, words);
        }
        facts
    }

    /// Band keys of the shingles in `self.shingles` (none when there are none).
    fn sign(&mut self, sentence: bool) -> Box<[u32]> {
        if self.shingles.is_empty() {
            return Box::default();
        }
        let signer = if sentence {
            &self.sentence_signer
        } else {
            &self.article_signer
        };
        self.keys.clear();
        self.keys.resize(signer.bands(), 0);
        signer.band_keys(&self.shingles, &mut self.keys);
        self.keys.as_slice().into()
    }

    /// An article's band keys from its word hashes.
    pub fn article(&mut self, words: &[u64]) -> Box<[u32]> {
        self.shingles.clear();
        shingles_from_words(words, self.params.min_article_words, &mut self.shingles);
        self.sign(false)
    }
}

/// Opens one data file's metadata and checks its schema.
pub(super) fn open_meta(path: &Path) -> Result<std::result::Result<ArrowReaderMetadata, String>> {
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

/// One row group of one data file.
pub(super) struct Task<'a> {
    pub release: &'a Path,
    pub path: &'a str,
    pub split: &'a str,
    pub file: usize,
    pub row_group: usize,
    pub first_row: u64,
    pub meta: &'a ArrowReaderMetadata,
}

pub(super) fn read_chunk(task: &Task, work: &mut Work) -> Result<Chunk> {
    let full = task.release.join(task.path);
    let file = File::open(&full).map_err(|e| Error::io(&full, e))?;
    let mask = ProjectionMask::columns(task.meta.parquet_schema(), COLUMNS.iter().copied());
    let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(file, task.meta.clone())
        .with_projection(mask)
        .with_row_groups(vec![task.row_group])
        .with_batch_size(8192)
        .build()?;
    let mut chunk = Chunk {
        file: task.file,
        sentences: Vec::new(),
        strings: Interner::default(),
        lists: Interner::default(),
        evidence: Interner::default(),
        labels: Interner::default(),
        types: TypeFindings::default(),
        runs: Vec::new(),
    };
    let mut row = task.first_row;
    for batch in reader {
        let batch = batch?;
        decode(&batch, task, &mut row, &mut chunk, work);
    }
    Ok(chunk)
}

fn decode(batch: &RecordBatch, task: &Task, row: &mut u64, chunk: &mut Chunk, work: &mut Work) {
    let (path, file_split) = (task.path, task.split);
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
    let split_index = SPLITS.iter().position(|s| *s == file_split).unwrap_or(0) as u8;
    let strings = &mut chunk.strings;
    let types = &mut chunk.types;
    let mut list: Vec<u32> = Vec::new();
    let mut evs: Vec<Ev> = Vec::new();
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
        list.clear();
        list.extend(range(stances.value_offsets()).map(|k| strings.id(stance_values.value(k))));
        let st = chunk.lists.id(&list);
        list.clear();
        list.extend(range(actors.value_offsets()).map(|k| strings.id(actor_values.value(k))));
        let ac = chunk.lists.id(&list);
        evs.clear();
        for k in range(evidence.value_offsets()) {
            let mode = match MODES.iter().position(|m| *m == ev_mode.value(k)) {
                Some(m) => m as u8,
                None => {
                    types.add("evidence_mode", || {
                        format!("{}: evidence mode `{}`", at(), ev_mode.value(k))
                    });
                    0
                }
            };
            evs.push(Ev {
                rule: strings.id(ev_rule.value(k)),
                label: strings.id(ev_label.value(k)),
                mode,
            });
        }
        let ev_id = chunk.evidence.id(&evs);
        let labels = chunk.labels.id(&LabelRow {
            kind: strings.id(kind.value(i)),
            lang: strings.id(lang.value(i)),
            stance: strings.id(stance.value(i)),
            stances: st,
            actors: ac,
            evidence: ev_id,
        });
        let pos = Pos {
            file: chunk.file as u32,
            row: r as u32,
        };
        let (aid, inp) = (
            key64(article_id.value(i).as_bytes()),
            key64(input.value(i).as_bytes()),
        );
        let index = sentence_index.value(i);
        let runs = &mut chunk.runs;
        if runs
            .last()
            .is_none_or(|l| !l.continues_with(aid, inp, index))
        {
            // The previous run ended inside this row group: unless it is the first (which may
            // have begun in the previous one), it is a whole article.
            if runs.len() >= 2 {
                runs.last_mut().expect("two runs").finish(work);
            }
            runs.push(Run {
                rows: 0,
                first_index: index,
                last_index: index,
                consecutive: true,
                pos,
                article: aid,
                input_key: inp,
                words: Vec::new(),
                bands: None,
            });
        }
        let run = runs.last_mut().expect("a run was pushed");
        run.push_row(index);
        let words = (kind.value(i) != "headline").then_some(&mut run.words);
        let facts = (!text.is_null(i)).then(|| work.text(text.value(i), pos, words));
        let span = char_end.value(i).checked_sub(char_start.value(i));
        match facts {
            Some(f) if span != Some(f.chars) => types.add("offsets_span_text", || {
                format!("{}: offsets do not span the text", at())
            }),
            None if span.is_none() => types.add("offsets_span_text", || {
                format!("{}: char_end before char_start", at())
            }),
            _ => {}
        }
        chunk.sentences.push(Sentence::new(
            pos,
            split_index,
            index,
            span.unwrap_or(0),
            labels,
            facts,
        ));
    }
}

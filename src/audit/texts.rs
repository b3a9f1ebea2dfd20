//! Sentence texts read back on demand.
//!
//! The audit keeps fixed-size facts per sentence ([`super::load::TextFacts`]) and never the whole
//! release's text: the few texts it shows (examples) or compares exactly (near-duplicate candidate
//! pairs) are fetched here, only from the row groups that hold them, row groups in parallel. So
//! the audit's memory grows with the number of sentences (tens of bytes each), not with their text.

use crate::error::{Error, Result};
use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::UInt32Type;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ParquetRecordBatchReaderBuilder, RowSelection,
};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fs::File;
use std::path::PathBuf;

/// Where a record sits: its data file (position in `manifest.data_files`) and row in that file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Pos {
    pub file: u32,
    pub row: u32,
}

/// One readable data file.
struct FileText {
    path: PathBuf,
    meta: ArrowReaderMetadata,
    /// First row of every row group, ascending.
    starts: Vec<u64>,
}

/// The data files of a release, opened for reading texts by position.
#[derive(Default)]
pub struct TextSource {
    /// By data file index; None for a file the audit could not read as record schema v1.
    files: Vec<Option<FileText>>,
}

impl TextSource {
    pub(crate) fn push(&mut self, path: PathBuf, meta: Option<ArrowReaderMetadata>) {
        self.files.push(meta.map(|meta| {
            let mut starts = Vec::new();
            let mut row = 0u64;
            for rg in meta.metadata().row_groups() {
                starts.push(row);
                row += rg.num_rows() as u64;
            }
            FileText { path, meta, starts }
        }));
    }

    /// The row group holding `pos`, as one number ordered like the positions (0 for a file the
    /// audit could not read).
    pub fn block(&self, pos: Pos) -> u64 {
        let rg = match self.files.get(pos.file as usize) {
            Some(Some(f)) => f.starts.partition_point(|&s| s <= pos.row as u64) as u64,
            _ => 0,
        };
        (pos.file as u64) << 32 | rg
    }

    /// The texts at `wanted` (null texts and unreadable files are left out).
    pub fn fetch(&self, wanted: &[Pos]) -> Result<HashMap<Pos, Box<str>>> {
        self.read(wanted, &["text"], |batch, i| {
            let text = batch.column(0).as_string::<i32>();
            (!text.is_null(i)).then(|| text.value(i).into())
        })
    }

    /// The `input` values at `wanted`.
    pub fn fetch_inputs(&self, wanted: &[Pos]) -> Result<HashMap<Pos, String>> {
        self.read(wanted, &["input"], |batch, i| {
            Some(batch.column(0).as_string::<i32>().value(i).to_string())
        })
    }

    /// The offsets (`char_start`, `char_end`) at `wanted`.
    pub fn fetch_offsets(&self, wanted: &[Pos]) -> Result<HashMap<Pos, (u32, u32)>> {
        self.read(wanted, &["char_start", "char_end"], |batch, i| {
            let start = batch.column(0).as_primitive::<UInt32Type>();
            let end = batch.column(1).as_primitive::<UInt32Type>();
            Some((start.value(i), end.value(i)))
        })
    }

    /// Reads `columns` (in schema order) at `wanted`, one task per row group holding wanted rows.
    fn read<T: Send>(
        &self,
        wanted: &[Pos],
        columns: &[&str],
        value: impl Fn(&RecordBatch, usize) -> Option<T> + Sync,
    ) -> Result<HashMap<Pos, T>> {
        let mut wanted = wanted.to_vec();
        wanted.sort_unstable();
        wanted.dedup();
        let mut tasks: Vec<(u32, usize, Vec<Pos>)> = Vec::new();
        for pos in wanted {
            let Some(Some(f)) = self.files.get(pos.file as usize) else {
                continue;
            };
            let rg = f.starts.partition_point(|&s| s <= pos.row as u64) - 1;
            match tasks.last_mut() {
                Some((file, g, rows)) if *file == pos.file && *g == rg => rows.push(pos),
                _ => tasks.push((pos.file, rg, vec![pos])),
            }
        }
        let found: Vec<Vec<(Pos, T)>> = tasks
            .par_iter()
            .map(|(file, rg, rows)| {
                let f = self.files[*file as usize]
                    .as_ref()
                    .expect("tasks name readable files");
                read_rows(f, *rg, rows, columns, &value)
            })
            .collect::<Result<_>>()?;
        Ok(found.into_iter().flatten().collect())
    }
}

fn read_rows<T>(
    f: &FileText,
    rg: usize,
    rows: &[Pos],
    columns: &[&str],
    value: &impl Fn(&RecordBatch, usize) -> Option<T>,
) -> Result<Vec<(Pos, T)>> {
    let first = f.starts[rg];
    let total = f.meta.metadata().row_group(rg).num_rows() as usize;
    let offsets = rows.iter().map(|p| (p.row as u64 - first) as usize);
    let selection = RowSelection::from_consecutive_ranges(offsets.map(|o| o..o + 1), total);
    let file = File::open(&f.path).map_err(|e| Error::io(&f.path, e))?;
    let mask = ProjectionMask::columns(f.meta.parquet_schema(), columns.iter().copied());
    let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(file, f.meta.clone())
        .with_projection(mask)
        .with_row_groups(vec![rg])
        .with_row_selection(selection)
        .with_batch_size(8192)
        .build()?;
    let mut out = Vec::with_capacity(rows.len());
    let mut next = rows.iter();
    for batch in reader {
        let batch = batch?;
        for i in 0..batch.num_rows() {
            let Some(&pos) = next.next() else { break };
            if let Some(v) = value(&batch, i) {
                out.push((pos, v));
            }
        }
    }
    Ok(out)
}

/// Fetched texts by canonical sentence index.
#[derive(Default)]
pub struct Texts(HashMap<u32, Box<str>>);

impl Texts {
    pub(crate) fn new(map: HashMap<u32, Box<str>>) -> Texts {
        Texts(map)
    }

    /// The text of sentence `i`, when it was fetched and is not null.
    pub fn get(&self, i: u32) -> Option<&str> {
        self.0.get(&i).map(|t| &**t)
    }
}

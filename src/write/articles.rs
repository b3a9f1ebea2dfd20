//! The article table (`meta/articles.parquet`): one row per article of the release, so the audit can
//! count empty and duplicate articles from the release alone.

use crate::error::{Error, Result};
use arrow::array::{ArrayRef, BooleanBuilder, RecordBatch, StringBuilder, UInt32Builder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const ARTICLES_FILE: &str = "meta/articles.parquet";

/// One article of a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRow {
    pub article_id: String,
    pub input: String,
    pub split: String,
    /// Hex sha256 of the whitespace-collapsed body (design.md).
    pub fingerprint: String,
    pub sentences: u32,
    /// Unicode code points in the body.
    pub body_chars: u32,
    pub empty: bool,
}

pub fn articles_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("article_id", DataType::Utf8, false),
        Field::new("input", DataType::Utf8, false),
        Field::new("split", DataType::Utf8, false),
        Field::new("fingerprint", DataType::Utf8, false),
        Field::new("sentences", DataType::UInt32, false),
        Field::new("body_chars", DataType::UInt32, false),
        Field::new("empty", DataType::Boolean, false),
    ]))
}

pub struct ArticleWriter {
    path: PathBuf,
    writer: ArrowWriter<File>,
    buffer: Vec<ArticleRow>,
    row_group_rows: usize,
}

impl ArticleWriter {
    pub fn create(path: &Path, settings: &super::WriterSettings) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        let writer = ArrowWriter::try_new(file, articles_schema(), Some(settings.properties()?))?;
        Ok(ArticleWriter {
            path: path.to_path_buf(),
            writer,
            buffer: Vec::new(),
            row_group_rows: settings.row_group_rows.max(1),
        })
    }

    pub fn push(&mut self, row: ArticleRow) -> Result<()> {
        self.buffer.push(row);
        if self.buffer.len() >= self.row_group_rows {
            self.write_row_group()?;
        }
        Ok(())
    }

    fn write_row_group(&mut self) -> Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let n = self.buffer.len();
        let strings = |get: &dyn Fn(&ArticleRow) -> &str| -> ArrayRef {
            let mut b = StringBuilder::with_capacity(n, n * 32);
            for r in &self.buffer {
                b.append_value(get(r));
            }
            Arc::new(b.finish())
        };
        let id = strings(&|r| &r.article_id);
        let input = strings(&|r| &r.input);
        let split = strings(&|r| &r.split);
        let fp = strings(&|r| &r.fingerprint);
        let mut sentences = UInt32Builder::with_capacity(n);
        let mut chars = UInt32Builder::with_capacity(n);
        let mut empty = BooleanBuilder::with_capacity(n);
        for r in &self.buffer {
            sentences.append_value(r.sentences);
            chars.append_value(r.body_chars);
            empty.append_value(r.empty);
        }
        let batch = RecordBatch::try_new(
            articles_schema(),
            vec![
                id,
                input,
                split,
                fp,
                Arc::new(sentences.finish()),
                Arc::new(chars.finish()),
                Arc::new(empty.finish()),
            ],
        )?;
        self.writer.write(&batch)?;
        self.writer.flush()?;
        self.buffer.clear();
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        self.write_row_group()?;
        let file = self.writer.into_inner()?;
        file.sync_all().map_err(|e| Error::io(&self.path, e))
    }
}

/// Reads the article table of a release, in release order.
pub fn read_articles(path: &Path) -> Result<Vec<ArticleRow>> {
    read_articles_with(path, |row| ArticleRow {
        article_id: row.article_id.to_string(),
        input: row.input.to_string(),
        split: row.split.to_string(),
        fingerprint: row.fingerprint.to_string(),
        sentences: row.sentences,
        body_chars: row.body_chars,
        empty: row.empty,
    })
}

/// One row of the article table, borrowed from the batch being read.
pub struct ArticleFields<'a> {
    pub article_id: &'a str,
    pub input: &'a str,
    pub split: &'a str,
    pub fingerprint: &'a str,
    pub sentences: u32,
    pub body_chars: u32,
    pub empty: bool,
}

/// Reads the article table, keeping of each row what `keep` makes of it (so a reader that needs
/// little of each row never holds the whole table's strings).
pub fn read_articles_with<T>(
    path: &Path,
    mut keep: impl FnMut(ArticleFields<'_>) -> T,
) -> Result<Vec<T>> {
    use arrow::array::{Array, AsArray};
    use arrow::datatypes::UInt32Type;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)?;
    // Sized once from the footer (bounded, in case it lies), not grown by doubling: at scale
    // the doubling's old and new buffers together were the audit's peak.
    let declared = builder.metadata().file_metadata().num_rows();
    let mut rows = Vec::with_capacity(declared.clamp(0, 1 << 22) as usize);
    let reader = builder.build()?;
    for batch in reader {
        let batch = batch?;
        if batch.schema().fields() != articles_schema().fields() {
            return Err(Error::Verify(format!(
                "{}: not a claimset article table",
                path.display()
            )));
        }
        let s = |i: usize| batch.column(i).as_string::<i32>().clone();
        let (id, input, split, fp) = (s(0), s(1), s(2), s(3));
        let sentences = batch.column(4).as_primitive::<UInt32Type>().clone();
        let chars = batch.column(5).as_primitive::<UInt32Type>().clone();
        let empty = batch.column(6).as_boolean().clone();
        for i in 0..batch.num_rows() {
            rows.push(keep(ArticleFields {
                article_id: id.value(i),
                input: input.value(i),
                split: split.value(i),
                fingerprint: fp.value(i),
                sentences: sentences.value(i),
                body_chars: chars.value(i),
                empty: empty.value(i) && !empty.is_null(i),
            }));
        }
    }
    Ok(rows)
}

use super::batch::to_batch;
use super::schema::record_schema;
use crate::error::{Error, Result};
use crate::record::{ContentHasher, Record};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;
use std::fs::File;
use std::path::{Path, PathBuf};

/// Every Parquet setting that shapes the output bytes; recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WriterSettings {
    pub compression: String,
    pub zstd_level: i32,
    pub row_group_rows: usize,
    /// Records encoded at a time: the writer holds this many records in memory (plus the
    /// compressed pages of the open row group). Page boundaries depend on it, so it is recorded.
    #[serde(default = "default_encode_rows")]
    pub encode_rows: usize,
    pub data_page_bytes: usize,
    /// Columns written without a dictionary (near-unique values gain nothing from one).
    pub plain_columns: Vec<String>,
    pub created_by: String,
}

impl Default for WriterSettings {
    fn default() -> Self {
        WriterSettings {
            compression: "zstd".into(),
            zstd_level: 3,
            row_group_rows: 8_192,
            encode_rows: default_encode_rows(),
            data_page_bytes: 1 << 20,
            plain_columns: ["record_id", "text", "text_sha256"]
                .map(String::from)
                .to_vec(),
            // A fixed string: arrow-rs would otherwise embed its own version in every file.
            created_by: "claimset".into(),
        }
    }
}

impl WriterSettings {
    pub(crate) fn properties(&self) -> Result<WriterProperties> {
        if self.compression != "zstd" {
            return Err(Error::Config(format!(
                "unsupported Parquet compression `{}` (only zstd)",
                self.compression
            )));
        }
        let level = ZstdLevel::try_new(self.zstd_level)?;
        let mut builder = WriterProperties::builder()
            .set_compression(Compression::ZSTD(level))
            .set_max_row_group_row_count(Some(self.row_group_rows.max(1)))
            .set_data_page_size_limit(self.data_page_bytes.max(1024))
            .set_dictionary_enabled(true)
            .set_statistics_enabled(EnabledStatistics::Chunk)
            .set_created_by(self.created_by.clone());
        for column in &self.plain_columns {
            builder =
                builder.set_column_dictionary_enabled(ColumnPath::from(column.as_str()), false);
        }
        Ok(builder.build())
    }
}

fn default_encode_rows() -> usize {
    4096
}

/// What the manifest records of one data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFileSummary {
    pub rows: u64,
    pub content_sha256: String,
}

/// Writes the records of one split to one Parquet file, a row group every `row_group_rows` rows.
pub struct SplitWriter {
    path: PathBuf,
    writer: ArrowWriter<File>,
    buffer: Vec<Record>,
    row_group_rows: usize,
    encode_rows: usize,
    content: ContentHasher,
}

impl SplitWriter {
    pub fn create(path: &Path, settings: &WriterSettings) -> Result<Self> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        let writer = ArrowWriter::try_new(file, record_schema(), Some(settings.properties()?))?;
        Ok(SplitWriter {
            path: path.to_path_buf(),
            writer,
            buffer: Vec::with_capacity(settings.encode_rows.clamp(1, 1 << 16)),
            encode_rows: settings.encode_rows.max(1),
            row_group_rows: settings.row_group_rows.max(1),
            content: ContentHasher::default(),
        })
    }

    /// Appends one record (with its precomputed record hash). Records are encoded in slices of
    /// `encode_rows` and a row group is closed every `row_group_rows` rows, so memory holds one
    /// slice of records plus the compressed pages of the open row group, not a row group of records.
    pub fn push(&mut self, record: Record, hash: &[u8; 32]) -> Result<()> {
        self.content.push(hash);
        self.buffer.push(record);
        if self.buffer.len() >= self.slice_rows() {
            self.encode_buffer()?;
        }
        Ok(())
    }

    /// Rows to buffer before the next encode: a slice, or fewer to end the row group exactly.
    fn slice_rows(&self) -> usize {
        let in_group = self.writer.in_progress_rows();
        self.encode_rows
            .min(self.row_group_rows - in_group % self.row_group_rows)
    }

    fn encode_buffer(&mut self) -> Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let batch = to_batch(&self.buffer)?;
        self.writer.write(&batch)?;
        self.buffer.clear();
        if self.writer.in_progress_rows() >= self.row_group_rows {
            self.writer.flush()?;
        }
        Ok(())
    }

    pub fn rows(&self) -> u64 {
        self.content.rows()
    }

    /// The content hash of everything pushed so far.
    pub fn content_sha256(&self) -> String {
        self.content.clone().finish()
    }

    /// Writes what is buffered, the footer keys, and closes the file (synced to disk).
    pub fn finish(mut self, footer: &[(String, String)]) -> Result<DataFileSummary> {
        self.encode_buffer()?;
        self.writer.flush()?;
        for (key, value) in footer {
            self.writer
                .append_key_value_metadata(KeyValue::new(key.clone(), value.clone()));
        }
        let summary = DataFileSummary {
            rows: self.content.rows(),
            content_sha256: self.content.clone().finish(),
        };
        let file = self.writer.into_inner()?;
        file.sync_all().map_err(|e| Error::io(&self.path, e))?;
        Ok(summary)
    }
}

/// Reads a whole data file, calling `each` per row group's records (keeps memory to one row group).
pub fn read_data_file(
    path: &Path,
    each: &mut dyn FnMut(Vec<Record>) -> Result<()>,
) -> Result<std::collections::BTreeMap<String, String>> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)?;
    let footer = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .map(|kvs| {
            kvs.iter()
                .map(|kv| (kv.key.clone(), kv.value.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    let reader = builder.with_batch_size(8192).build()?;
    for batch in reader {
        let batch = batch?;
        let records = super::batch::from_batch(&batch)
            .map_err(|e| Error::Verify(format!("{}: {e}", path.display())))?;
        each(records)?;
    }
    Ok(footer)
}

/// A data file opened for reading by row group, so that row groups can be decoded in parallel.
pub struct DataFileReader {
    path: PathBuf,
    meta: parquet::arrow::arrow_reader::ArrowReaderMetadata,
}

impl DataFileReader {
    pub fn open(path: &Path) -> Result<Self> {
        use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions};
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let meta = ArrowReaderMetadata::load(&file, ArrowReaderOptions::new())?;
        Ok(DataFileReader {
            path: path.to_path_buf(),
            meta,
        })
    }

    /// The footer's key-value metadata.
    pub fn footer(&self) -> std::collections::BTreeMap<String, String> {
        self.meta
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .map(|kvs| {
                kvs.iter()
                    .map(|kv| (kv.key.clone(), kv.value.clone().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn row_groups(&self) -> usize {
        self.meta.metadata().num_row_groups()
    }

    /// The file row of the first record of row group `index`.
    pub fn first_row(&self, index: usize) -> u64 {
        (0..index)
            .map(|rg| self.meta.metadata().row_group(rg).num_rows() as u64)
            .sum()
    }

    /// The records of one row group, in file order (each call opens its own file handle).
    pub fn read_row_group(&self, index: usize) -> Result<Vec<Record>> {
        use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let file = File::open(&self.path).map_err(|e| Error::io(&self.path, e))?;
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(file, self.meta.clone())
            .with_row_groups(vec![index])
            .with_batch_size(8192)
            .build()?;
        let mut records = Vec::new();
        for batch in reader {
            records.extend(
                super::batch::from_batch(&batch?)
                    .map_err(|e| Error::Verify(format!("{}: {e}", self.path.display())))?,
            );
        }
        Ok(records)
    }
}

/// Records of a data file, one at a time, in file order (for merging shards).
pub struct RecordStream {
    path: PathBuf,
    reader: parquet::arrow::arrow_reader::ParquetRecordBatchReader,
    buffer: std::collections::VecDeque<Record>,
}

impl RecordStream {
    pub fn open(path: &Path) -> Result<Self> {
        use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)?
            .with_batch_size(4096)
            .build()?;
        Ok(RecordStream {
            path: path.to_path_buf(),
            reader,
            buffer: Default::default(),
        })
    }

    pub fn peek(&mut self) -> Result<Option<&Record>> {
        if self.buffer.is_empty()
            && let Some(batch) = self.reader.next()
        {
            let records = super::batch::from_batch(&batch?)
                .map_err(|e| Error::Verify(format!("{}: {e}", self.path.display())))?;
            self.buffer.extend(records);
        }
        Ok(self.buffer.front())
    }

    pub fn pop(&mut self) -> Option<Record> {
        self.buffer.pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(i: u32) -> Record {
        let text = format!("جملة رقم {i}.");
        Record {
            record_id: crate::record::record_id("a", i, &text),
            article_id: "a".into(),
            input: "in.txt".into(),
            publisher: None,
            url: None,
            date: None,
            author: None,
            sentence_index: i,
            kind: "body".into(),
            char_start: 0,
            char_end: text.chars().count() as u32,
            byte_start: 0,
            byte_end: text.len() as u32,
            text_sha256: crate::record::text_sha256(&text),
            text: Some(text),
            lang: "ar".into(),
            stance: "none".into(),
            stances: vec![],
            actors: vec![],
            evidence: vec![],
            split: "train".into(),
        }
    }

    /// Row groups are cut every `row_group_rows` rows whatever the encode slice, including a
    /// slice larger than a row group and one that does not divide it; records come back in order.
    #[test]
    fn row_groups_are_cut_by_count_whatever_the_slice() {
        let dir = tempfile::tempdir().unwrap();
        for (group, slice) in [(10, 4), (10, 25), (7, 7), (8, 3)] {
            let settings = WriterSettings {
                row_group_rows: group,
                encode_rows: slice,
                ..WriterSettings::default()
            };
            let path = dir.path().join(format!("{group}-{slice}.parquet"));
            let mut writer = SplitWriter::create(&path, &settings).unwrap();
            let n = 53u32;
            for i in 0..n {
                let r = record(i);
                let hash = r.hash();
                writer.push(r, &hash).unwrap();
            }
            let summary = writer.finish(&[]).unwrap();
            assert_eq!(summary.rows, n as u64);
            let reader = DataFileReader::open(&path).unwrap();
            let sizes: Vec<u64> = (0..reader.row_groups())
                .map(|g| reader.read_row_group(g).unwrap().len() as u64)
                .collect();
            let mut want = vec![group as u64; n as usize / group];
            if !(n as usize).is_multiple_of(group) {
                want.push((n as usize % group) as u64);
            }
            assert_eq!(sizes, want, "row_group_rows {group}, encode_rows {slice}");
            let mut all = Vec::new();
            for g in 0..reader.row_groups() {
                all.extend(reader.read_row_group(g).unwrap());
            }
            assert_eq!(all, (0..n).map(record).collect::<Vec<_>>());
            assert_eq!(reader.first_row(1), group as u64);
        }
    }
}

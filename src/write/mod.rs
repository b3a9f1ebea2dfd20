//! Stage 5, write: records to Parquet, deterministically.
//!
//! Guarantees: the bytes of a data file depend only on the records pushed, in order, and on the
//! writer settings recorded in the manifest: never on thread count, batch sizes upstream, the clock
//! or the machine. Row groups are cut every `row_group_rows` rows, by count alone.

mod articles;
mod batch;
mod parquet_file;
mod schema;

pub use articles::{
    ARTICLES_FILE, ArticleFields, ArticleRow, ArticleWriter, articles_schema, read_articles,
    read_articles_with,
};
pub use batch::from_batch;
pub use parquet_file::{
    DataFileReader, DataFileSummary, RecordStream, SplitWriter, WriterSettings, read_data_file,
};
pub use schema::{SCHEMA_VERSION, record_schema, schema_json};

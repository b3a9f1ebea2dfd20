//! Stage 1, read: turns input paths into articles, in canonical order.
//!
//! Guarantees:
//! - Files are visited sorted by their `input` name (byte order), whatever order they were named in;
//!   articles within a file keep their position. That is the canonical order of design.md.
//! - Every article's `text` is exactly what later offsets index (a UTF-8 BOM is dropped, line endings are
//!   kept as they are).
//! - Every problem names the file and the line, byte offset or array index where it sits.

mod article;
mod discover;
mod fields;
mod hashing;
mod json;
mod text;

pub use article::{Article, fingerprint};
pub use discover::{InputFile, InputKind, discover};
pub use fields::FieldMap;
pub use hashing::FileDigest;

use crate::error::InputError;

/// Limits that protect a run from inputs too large to process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Limits {
    /// Largest article text accepted, in bytes.
    pub max_article_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_article_bytes: 8 * 1024 * 1024,
        }
    }
}

/// One item read from an input: an article, or a problem with one article of it (the reader carries
/// on after such a problem where the format allows, so quarantine can skip just that article).
pub type ReadItem = Result<Article, InputError>;

/// Reads one input file, calling `sink` for every article or per-article problem, in file order.
/// Returns the digest of the file's raw bytes, or an error that stops the whole file (unreadable,
/// truncated compression, not valid JSON as a whole).
pub fn read_file(
    file: &InputFile,
    fields: &FieldMap,
    limits: Limits,
    sink: &mut dyn FnMut(ReadItem),
) -> Result<FileDigest, InputError> {
    match file.kind {
        InputKind::Text => text::read(file, limits, sink),
        InputKind::JsonLines | InputKind::JsonLinesGz => {
            json::read_lines(file, fields, limits, sink)
        }
        InputKind::JsonArray => json::read_array(file, fields, limits, sink),
    }
}

//! Library errors. Every variant that concerns an input names the file and the position in it, so a
//! user can go straight to the problem.

use std::path::PathBuf;

/// Where in an input file a problem sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// 1-based line of a text or JSON Lines file (for `.gz`, of the decompressed stream).
    Line(u64),
    /// 1-based line and column, as JSON parsers report them.
    LineColumn(u64, u64),
    /// 0-based byte offset into the (decompressed) file.
    Byte(u64),
    /// 0-based index in a JSON array.
    Index(u64),
    /// The file as a whole.
    File,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Position::Line(l) => write!(f, "line {l}"),
            Position::LineColumn(l, c) => write!(f, "line {l}, column {c}"),
            Position::Byte(b) => write!(f, "byte {b}"),
            Position::Index(i) => write!(f, "array index {i}"),
            Position::File => write!(f, "whole file"),
        }
    }
}

/// A problem with one input: which file, where, and what.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}: {position}: {reason}", path.display())]
pub struct InputError {
    pub path: PathBuf,
    pub position: Position,
    pub reason: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Spec { path: PathBuf, message: String },
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error(transparent)]
    Rules(#[from] crate::label::RuleError),
    #[error("writing Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    #[error("building Arrow data: {0}")]
    Arrow(#[from] arrow::error::ArrowError),
    #[error("{0}")]
    Release(String),
    #[error("verification failed: {0}")]
    Verify(String),
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

use crate::read::Limits;
use crate::spec::Spec;
use crate::write::WriterSettings;
use std::path::PathBuf;

/// What to do with an article that cannot be read.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// Stop with exit 2 and publish nothing.
    Fail,
    /// Skip the article, record it in the manifest and the audit, exit 1.
    Quarantine,
}

impl OnError {
    pub fn as_str(self) -> &'static str {
        match self {
            OnError::Fail => "fail",
            OnError::Quarantine => "quarantine",
        }
    }
}

/// `I/N`: this build handles the articles whose shard key falls in shard I of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("shard `{s}`: expected I/N"))?;
        let index: u32 = i
            .parse()
            .map_err(|_| format!("shard `{s}`: I is not a number"))?;
        let count: u32 = n
            .parse()
            .map_err(|_| format!("shard `{s}`: N is not a number"))?;
        if count == 0 || index >= count {
            return Err(format!("shard `{s}`: need 0 <= I < N"));
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// A build, fully checked before any work starts (the CLI's arguments and the spec, resolved).
#[derive(Debug, Clone)]
pub struct BuildConfig {
    pub spec: Spec,
    /// The spec file as given, kept in the manifest only when it is a relative path.
    pub spec_path: Option<String>,
    /// Input roots resolved against the spec's directory, in `spec.inputs` order.
    pub roots: Vec<PathBuf>,
    /// Rule-set directory; None for the rules bundled into this binary.
    pub rules_dir: Option<PathBuf>,
    pub out_dir: PathBuf,
    pub threads: usize,
    pub on_error: OnError,
    pub limits: Limits,
    pub without_text: bool,
    pub writer: WriterSettings,
    pub shard: Option<Shard>,
    pub progress: bool,
}

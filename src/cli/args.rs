//! Raw command-line arguments (the "low" arguments), before any checking.

use crate::release::{OnError, Shard};
use crate::segment::Unit;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "claimset",
    version,
    about = "Turn news articles into claim-and-stance datasets: segmented, labeled with evidence, \
             written as verified, content-hashed Parquet releases.",
    after_help = "Exit codes: 0 ok, 1 finished with problems (e.g. quarantined inputs, audit warnings), 2 failed."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a dataset release from a spec (default: the bundled sample) or from inputs.
    Build(BuildArgs),
    /// Split articles into sentences: one JSON object per sentence on stdout.
    Segment(SegmentArgs),
    /// Label the sentences of an article: a table, or JSON records with evidence.
    Label(LabelArgs),
    /// Check every hash and file of a release (exit 0 when all hold, 2 otherwise).
    Verify(VerifyArgs),
    /// Compare two releases: records added, removed, relabeled, split moves, rule firings, and
    /// the version bump the change needs (exit 1 when NEW's version is too small a bump).
    Diff(DiffArgs),
    /// Write a release's records in another format (JSON Lines) for tools that do not read Parquet.
    Export(ExportArgs),
    /// Restore the text of a text-free release from your own copy of the sources.
    Hydrate(HydrateArgs),
    /// Merge shard results (`build --shard I/N`) into one release, byte-identical to a
    /// single-machine build.
    Merge(MergeArgs),
    /// List, explain and test the labeling rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Score the pipeline against a gold file (labeling guide format).
    Eval(EvalArgs),
    /// Audit a release: data-quality checks and the spec's gates (exit 0 pass, 1 warn, 2 fail).
    Audit(super::audit::AuditArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Dataset spec (`dataset.toml` or its directory). Default: the bundled `datasets/sample`.
    pub spec: Option<PathBuf>,
    /// Input files or directories (ad hoc build, instead of a spec).
    #[arg(long = "input", value_name = "PATH", conflicts_with = "spec")]
    pub inputs: Vec<PathBuf>,
    /// Dataset name (ad hoc build).
    #[arg(long, requires = "inputs")]
    pub name: Option<String>,
    /// Dataset version, semver (ad hoc build; overrides nothing in a spec).
    #[arg(long = "version", value_name = "X.Y.Z", requires = "inputs")]
    pub dataset_version: Option<String>,
    /// License of the sources (ad hoc build).
    #[arg(long, requires = "inputs")]
    pub license: Option<String>,
    /// Output directory; the release goes to OUT/NAME/VERSION.
    #[arg(long, default_value = "releases")]
    pub out: PathBuf,
    /// Worker threads (default: all cores). At 1 every stage runs in turn on one thread (one
    /// core); above 1 reading and writing get a thread each beside the workers. Output bytes do
    /// not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// What to do with an input that cannot be read.
    #[arg(long, value_enum, default_value = "fail")]
    pub on_error: OnError,
    /// Largest article accepted, in bytes.
    #[arg(long, default_value_t = 8 * 1024 * 1024)]
    pub max_article_bytes: usize,
    /// Segmentation unit (overrides the spec).
    #[arg(long, value_enum)]
    pub unit: Option<UnitArg>,
    /// Build a release without the `text` column (restore it with `claimset hydrate`).
    #[arg(long)]
    pub without_text: bool,
    /// Process only shard I of N (for cluster builds; combine with `claimset merge`).
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// No progress bar and no summary table.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum UnitArg {
    Sentence,
    Clause,
}

impl From<UnitArg> for Unit {
    fn from(u: UnitArg) -> Unit {
        match u {
            UnitArg::Sentence => Unit::Sentence,
            UnitArg::Clause => Unit::Clause,
        }
    }
}

#[derive(Debug, Args)]
pub struct SegmentArgs {
    /// Article file (`.txt`, `.jsonl`, `.jsonl.gz`, `.json`) or `-` for stdin text. Default: stdin.
    pub file: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "sentence")]
    pub unit: UnitArg,
}

#[derive(Debug, Args)]
pub struct LabelArgs {
    /// Article file or `-` for stdin text. Default: stdin.
    pub file: Option<PathBuf>,
    /// JSON Lines records with evidence instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Rule-set directory (holding `rules/` and `lexicon/`). Default: the bundled rules.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "sentence")]
    pub unit: UnitArg,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    pub release: PathBuf,
    /// Also rebuild from the recorded spec and inputs and compare every byte.
    #[arg(long)]
    pub rebuild: bool,
    /// Inputs for --rebuild of an ad hoc build (default: the recorded spec's inputs).
    #[arg(long = "input", value_name = "PATH", requires = "rebuild")]
    pub inputs: Vec<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    pub old: PathBuf,
    pub new: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    Jsonl,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    pub release: PathBuf,
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: ExportFormat,
    /// Write here instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct HydrateArgs {
    /// A release built with --without-text.
    pub release: PathBuf,
    /// The sources (files or directories) the release was built from.
    #[arg(long = "input", value_name = "PATH", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output directory; the full release goes to OUT/NAME/VERSION.
    #[arg(long, default_value = "releases")]
    pub out: PathBuf,
    #[arg(long)]
    pub json: bool,
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard result directories (or one directory holding them, such as `OUT/NAME/shards/VERSION`).
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Output directory; the release goes to OUT/NAME/VERSION.
    #[arg(long, default_value = "releases")]
    pub out: PathBuf,
    #[arg(long)]
    pub json: bool,
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List every rule: code, label, name.
    List {
        /// Rule-set directory (holding `rules/` and `lexicon/`). Default: the bundled rules.
        #[arg(long)]
        rules: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Show a rule's documentation and examples.
    Explain {
        code: String,
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Run every rule's positive and negative examples (exit 2 when one fails).
    Test {
        #[arg(long)]
        rules: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold file (JSON Lines, one sentence per line; see the gold README).
    #[arg(long)]
    pub gold: PathBuf,
    /// Directory of the gold articles (default: `articles/` beside the gold file).
    #[arg(long)]
    pub articles: Option<PathBuf>,
    /// Person → state map for state-level actor scores (default: `persons.json` beside the gold file).
    #[arg(long)]
    pub persons: Option<PathBuf>,
    #[arg(long)]
    pub rules: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
    /// How many errors to list in the table (JSON lists all).
    #[arg(long, default_value_t = 20)]
    pub errors: usize,
}

/// `claimset` with no arguments: `claimset build` with its defaults.
#[derive(Debug, Parser)]
pub struct DefaultBuild {
    #[command(flatten)]
    pub args: BuildArgs,
}

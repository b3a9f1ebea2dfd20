//! Stage 7, audit: the data-quality report of a release, computed from the release alone.
//!
//! The build runs it on the staged release before publishing and stores `audit.json` and
//! `audit.html` in the release (covered by the manifest); `claimset audit RELEASE` recomputes it
//! from the published files, never writing into the release. Both give the same bytes: the report
//! depends only on the release's files and manifest (never on `manifest.files`, the clock, the
//! machine, the thread count or the release's path), lists are in documented orders, maps are
//! sorted and fractions are rounded to [`report::DECIMALS`] decimals. The one outside input is the
//! parent release, read from `../<parent version>` beside the release when present.
//!
//! # Checks
//! - **Schema and types**: every data file has record schema v1; every record sits in its split's
//!   file, has a known `stance`, `kind`, `lang` and evidence mode, `stances` sorted, unique and
//!   consistent with `stance`, actor ids of the form `[a-z0-9_+-]+` sorted and unique, evidence
//!   labels a stance, `none` or `actor:<id>`, offsets that span the text; the article table
//!   (`meta/articles.parquet`) matches the data files.
//! - **Sentences**: empty, whitespace-only, too short (fewer than `min_sentence_chars`, default 3,
//!   code points after trimming) and too long (more than `max_sentence_chars`, default 1000); a
//!   length histogram.
//! - **Articles with no text**: the article table's `empty` (body empty or whitespace only).
//! - **Exact duplicates**: articles with the fingerprint (design.md) of an earlier non-empty article
//!   in canonical order (empty articles are not counted); sentences whose whitespace-collapsed text
//!   equals an earlier sentence's.
//! - **Near-duplicates** ([`minhash`]): MinHash (64 permutations, fixed seeds) with LSH banding, then
//!   exact Jaccard verification, over distinct texts. Articles: word 3-grams of the normalized text
//!   of their non-headline sentences ([`crate::normalize`]; words are runs of word characters),
//!   Jaccard ≥ `near_duplicate_article_jaccard` (default 0.8), articles of at least
//!   `near_duplicate_min_article_words` words (default 20). Sentences: character 5-grams of the
//!   normalized text, Jaccard ≥ `near_duplicate_sentence_jaccard` (default 0.8), sentences of at least
//!   `near_duplicate_min_sentence_chars` normalized characters (default 30). Word 3-grams suit
//!   articles (long, reworded wire copy); character 5-grams suit sentences, where Arabic clitics
//!   (و، ب، ال …) glued to words would make a single changed letter change a whole word shingle.
//! - **Label conflicts**: sentences with identical normalized text but different `stances`.
//! - **Leakage**: validation and test sentences whose text (exact, or near as above) occurs in
//!   another split; validation and test articles with a near-duplicate in another split.
//! - **Labels**: per split, sentences per `stance` and per `stances` label, abstain (no stance rule
//!   fired: [`crate::label::Labels::is_abstain`]) apart from decided none, kinds, languages, actors;
//!   class imbalance over the release; the smallest label count in any split.
//! - **Rules**, in Snorkel's terms: per rule, coverage (share of sentences where it fired), overlap
//!   (another stance rule fired too) and conflict (another stance rule gave a label it did not);
//!   with `--gold`, per-rule precision against the gold and the votes it gets wrong.
//! - **Drift** against the parent release: rows and articles per split, Jensen-Shannon divergence of
//!   the `stance` distribution, rule coverage.
//! - **Build problems**: quarantined inputs with their reasons, filter counts, ignored files.
//!
//! # Memory
//! The audit never holds the release's text. Loading keeps a 40-byte [`load::Sentence`] per record
//! (keys of the collapsed and normalized text, lengths, one interned label row), the band keys
//! of each distinct text and of each article; row groups are decoded a few at a time. Texts are
//! read back from the data files only for what is shown (examples) and for the exact Jaccard check
//! of candidate pairs, in batches of at most [`TEXT_BUDGET`] bytes ordered by row group.
//!
//! # Gates
//! The spec's `[audit]` table ([`crate::spec::AuditThresholds`]) sets gates: a `max_*` exceeded or
//! a `min_*` missed makes the status `warn` (exit 1), or `fail` (exit 2; the build publishes
//! nothing) when `fail = true`. Unset gates are not checked; schema and type problems always are
//! (`schema_violations`, at most 0).

mod articles;
mod drift;
mod gates;
mod gold;
mod html;
mod labels;
mod load;
pub mod minhash;
pub mod report;
mod sentences;
mod summary;
mod texts;

pub use html::render_html;
pub use report::{Audit, Status};
pub use summary::render_summary;

use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::spec::AuditThresholds;
use std::path::{Path, PathBuf};

pub const AUDIT_JSON: &str = "audit.json";
pub const AUDIT_HTML: &str = "audit.html";

pub const DEFAULT_MIN_SENTENCE_CHARS: u32 = 3;
pub const DEFAULT_MAX_SENTENCE_CHARS: u32 = 1000;
pub const DEFAULT_NEAR_JACCARD: f64 = 0.8;
pub const DEFAULT_NEAR_MIN_ARTICLE_WORDS: u32 = 20;
pub const DEFAULT_NEAR_MIN_SENTENCE_CHARS: u32 = 30;
/// How many examples each list keeps.
pub const EXAMPLES: usize = 10;
/// Example texts are cut to this many characters.
pub const EXAMPLE_CHARS: usize = 240;
/// Bytes of text the near-duplicate verification holds at once (it reads candidates' texts back in
/// batches of this size).
pub(crate) const TEXT_BUDGET: u64 = 16 << 20;

/// How to run an audit (nothing here changes the report but `gold`).
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// Worker threads.
    pub threads: usize,
    /// A gold file (labeling guide format) for per-rule precision.
    pub gold: Option<PathBuf>,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            gold: None,
        }
    }
}

/// The check settings in force, from the spec's `[audit]` table and the defaults.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    pub min_chars: u32,
    pub max_chars: u32,
    pub article_jaccard: f64,
    pub sentence_jaccard: f64,
    pub min_article_words: u32,
    pub min_sentence_chars_near: u32,
}

impl Params {
    fn from(t: &AuditThresholds) -> Params {
        Params {
            min_chars: t.min_sentence_chars.unwrap_or(DEFAULT_MIN_SENTENCE_CHARS),
            max_chars: t.max_sentence_chars.unwrap_or(DEFAULT_MAX_SENTENCE_CHARS),
            article_jaccard: t
                .near_duplicate_article_jaccard
                .unwrap_or(DEFAULT_NEAR_JACCARD),
            sentence_jaccard: t
                .near_duplicate_sentence_jaccard
                .unwrap_or(DEFAULT_NEAR_JACCARD),
            min_article_words: t
                .near_duplicate_min_article_words
                .unwrap_or(DEFAULT_NEAR_MIN_ARTICLE_WORDS),
            min_sentence_chars_near: t
                .near_duplicate_min_sentence_chars
                .unwrap_or(DEFAULT_NEAR_MIN_SENTENCE_CHARS),
        }
    }
}

/// Audits the release in `release` described by `manifest` (which may be the in-memory manifest of
/// a staged release: only its data files, splits, spec, options and build records are used).
pub fn audit(release: &Path, manifest: &Manifest, options: &AuditOptions) -> Result<Audit> {
    manifest
        .spec
        .audit
        .check()
        .map_err(|e| Error::Config(e.to_string()))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.max(1))
        .build()
        .map_err(|e| Error::Config(format!("cannot start {} threads: {e}", options.threads)))?;
    pool.install(|| run(release, manifest, options))
}

fn run(release: &Path, manifest: &Manifest, options: &AuditOptions) -> Result<Audit> {
    let params = Params::from(&manifest.spec.audit);
    let mut clock = Clock::new();
    let mut data = load::load(release, manifest, &params)?;
    clock.lap("load");
    let types = labels::check_types(&mut data);
    clock.lap("types");
    let sentences = sentences::check(&data, &params)?;
    // Band keys serve only the near-duplicate checks: each set is freed once its check is done
    // (at scale, the article check would otherwise hold the sentences' keys too).
    data.free_sentence_bands();
    clock.lap("sentences");
    let articles = articles::check(&data, &params)?;
    data.free_article_bands();
    clock.lap("articles");
    let labels = labels::distributions(&data);
    let rules = labels::rules(&data);
    clock.lap("labels and rules");
    let drift = drift::check(release, manifest, &labels, &rules)?;
    clock.lap("drift");
    let gold = match &options.gold {
        Some(path) => Some(gold::check(&data, path)?),
        None => None,
    };
    let t = &manifest.spec.audit;
    let mut audit = Audit {
        audit_version: report::AUDIT_VERSION,
        dataset: report::DatasetRef {
            name: manifest.dataset.name.clone(),
            version: manifest.dataset.version.clone(),
            parent: manifest.dataset.parent.clone(),
            content_sha256: manifest.content_sha256.clone(),
        },
        status: Status::Pass,
        gates: Vec::new(),
        settings: report::Settings {
            min_sentence_chars: params.min_chars,
            max_sentence_chars: params.max_chars,
            fail: t.fail.unwrap_or(false),
            near_duplicate_articles: near_settings(
                "word 3-grams of the normalized text of non-headline sentences",
                params.article_jaccard,
                params.min_article_words,
            ),
            near_duplicate_sentences: near_settings(
                "character 5-grams of the normalized text",
                params.sentence_jaccard,
                params.min_sentence_chars_near,
            ),
        },
        totals: totals(&data),
        schema: types,
        articles: articles.report,
        sentences: sentences.report,
        label_conflicts: sentences.conflicts,
        leakage: report::LeakageReport {
            articles: articles.leakage,
            ..sentences.leakage
        },
        labels,
        rules,
        drift,
        build: build_problems(manifest),
        gold,
    };
    let (gates, status) = gates::evaluate(&audit, t);
    audit.gates = gates;
    audit.status = status;
    Ok(audit)
}

/// Phase timings on stderr when `CLAIMSET_TIMING` is set (for profiling; never in any output file).
pub(crate) struct Clock {
    on: bool,
    last: std::time::Instant,
}

impl Clock {
    pub(crate) fn new() -> Clock {
        Clock {
            on: std::env::var_os("CLAIMSET_TIMING").is_some(),
            last: std::time::Instant::now(),
        }
    }

    pub(crate) fn lap(&mut self, what: &str) {
        if self.on {
            eprintln!(
                "timing: {what}: {:.2} s, {}",
                self.last.elapsed().as_secs_f64(),
                memory_now()
            );
            self.last = std::time::Instant::now();
        }
    }
}

/// Resident and peak resident memory of this process (Linux), for the timing lines.
fn memory_now() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| "?".into())
    };
    format!("rss {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}

fn near_settings(shingles: &str, jaccard: f64, min_size: u32) -> report::NearSettings {
    let banding = minhash::Banding::for_threshold(jaccard);
    report::NearSettings {
        shingles: shingles.to_string(),
        jaccard: report::round(jaccard),
        min_size,
        permutations: minhash::PERMUTATIONS as u32,
        bands: banding.bands as u32,
        rows: banding.rows as u32,
    }
}

fn totals(data: &load::Release) -> report::Totals {
    let mut splits: Vec<report::SplitTotal> = crate::split::SPLITS
        .iter()
        .map(|s| report::SplitTotal {
            split: s.to_string(),
            articles: 0,
            sentences: 0,
        })
        .collect();
    for a in &data.articles {
        splits[a.split as usize].articles += 1;
    }
    for s in &data.sentences {
        splits[s.split as usize].sentences += 1;
    }
    report::Totals {
        articles: data.articles.len() as u64,
        sentences: data.sentences.len() as u64,
        splits,
    }
}

const MAX_LISTED: usize = 100;

fn build_problems(manifest: &Manifest) -> report::BuildProblems {
    report::BuildProblems {
        quarantined_total: manifest.quarantined.len() as u64,
        quarantined: manifest
            .quarantined
            .iter()
            .take(MAX_LISTED)
            .cloned()
            .collect(),
        filters: manifest.filters.clone(),
        ignored_files_total: manifest.ignored_files.len() as u64,
        ignored_files: manifest
            .ignored_files
            .iter()
            .take(MAX_LISTED)
            .cloned()
            .collect(),
    }
}

/// `audit.json`'s bytes: pretty JSON, final newline.
pub fn to_json(audit: &Audit) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(audit).expect("an audit always serializes");
    bytes.push(b'\n');
    bytes
}

/// Writes `audit.json` and `audit.html` into `dir` (the build's staging directory).
pub fn write_files(dir: &Path, audit: &Audit) -> Result<()> {
    let json = dir.join(AUDIT_JSON);
    std::fs::write(&json, to_json(audit)).map_err(|e| Error::io(&json, e))?;
    let html = dir.join(AUDIT_HTML);
    std::fs::write(&html, render_html(audit)).map_err(|e| Error::io(&html, e))
}

/// The gates an audit missed, as one line each (`max_duplicate_article_rate: 0.0249 > 0.01`).
pub fn missed_gates(audit: &Audit) -> Vec<String> {
    audit
        .gates
        .iter()
        .filter(|g| !g.ok)
        .map(|g| {
            let op = if g.bound == "max" { ">" } else { "<" };
            format!("{}: {} {op} {}", g.gate, g.value, g.limit)
        })
        .collect()
}

/// Reads a release's stored audit (`audit.json`), when it has one.
pub fn read_stored(release: &Path) -> Result<Option<Audit>> {
    let path = release.join(AUDIT_JSON);
    if !path.exists() {
        return Ok(None);
    }
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| Error::Verify(format!("{}: not a claimset audit: {e}", path.display())))
}

/// Cuts a text to [`EXAMPLE_CHARS`] characters (with an ellipsis when cut).
pub(crate) fn shorten(text: &str) -> String {
    let mut chars = text.char_indices();
    match chars.nth(EXAMPLE_CHARS) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

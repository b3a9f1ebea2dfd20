//! The audit report: what `audit.json` holds. Field order is declaration order, maps are BTreeMaps,
//! lists have a documented order, and every fraction is rounded to [`DECIMALS`] decimals, so the same
//! release always gives the same bytes.

use crate::manifest::{FilterCount, Quarantined};
use std::collections::BTreeMap;

pub const AUDIT_VERSION: u32 = 1;
pub const DECIMALS: i32 = 6;

/// Rounds to [`DECIMALS`] decimals (and turns NaN into 0).
pub fn round(x: f64) -> f64 {
    if !x.is_finite() {
        return 0.0;
    }
    let f = 10f64.powi(DECIMALS);
    let r = (x * f).round() / f;
    if r == 0.0 { 0.0 } else { r }
}

/// `part / whole`, rounded; 0 when `whole` is 0.
pub fn rate(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round(part as f64 / whole as f64)
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Audit {
    pub audit_version: u32,
    pub dataset: DatasetRef,
    /// pass, warn (a gate missed) or fail (a gate missed and the spec says `fail = true`).
    pub status: Status,
    /// Every gate checked, in a fixed order: the schema gate, then the spec's, in field order.
    pub gates: Vec<Gate>,
    pub settings: Settings,
    pub totals: Totals,
    pub schema: SchemaReport,
    pub articles: ArticleReport,
    pub sentences: SentenceReport,
    pub label_conflicts: ConflictReport,
    pub leakage: LeakageReport,
    pub labels: LabelReport,
    pub rules: RuleReport,
    pub drift: DriftReport,
    pub build: BuildProblems,
    /// Only with `claimset audit --gold FILE` (never in the stored audit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gold: Option<GoldReport>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DatasetRef {
    pub name: String,
    pub version: String,
    pub parent: Option<String>,
    pub content_sha256: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Gate {
    /// The spec key (`max_duplicate_article_rate`, …) or `schema_violations`.
    pub gate: String,
    pub value: f64,
    /// `max` or `min`.
    pub bound: String,
    pub limit: f64,
    pub ok: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    pub min_sentence_chars: u32,
    pub max_sentence_chars: u32,
    pub fail: bool,
    pub near_duplicate_articles: NearSettings,
    pub near_duplicate_sentences: NearSettings,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NearSettings {
    pub shingles: String,
    pub jaccard: f64,
    /// Items below this size (words or characters) are left out.
    pub min_size: u32,
    pub permutations: u32,
    pub bands: u32,
    pub rows: u32,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Totals {
    pub articles: u64,
    pub sentences: u64,
    /// train, validation, test.
    pub splits: Vec<SplitTotal>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SplitTotal {
    pub split: String,
    pub articles: u64,
    pub sentences: u64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SchemaReport {
    /// No problem of any kind.
    pub ok: bool,
    pub files: Vec<FileSchema>,
    /// The article table was read and matches the data files.
    pub article_table: bool,
    /// Problems per check name.
    pub violations: BTreeMap<String, u64>,
    /// The first problems found, in release order.
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FileSchema {
    pub path: String,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ArticleRef {
    pub input: String,
    pub split: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ArticleReport {
    pub total: u64,
    /// Body empty or whitespace only (article table `empty`).
    pub empty: u64,
    pub empty_rate: f64,
    /// The first empty articles, in canonical order.
    pub empty_examples: Vec<ArticleRef>,
    /// Non-empty articles with the fingerprint of an earlier article.
    pub duplicates: u64,
    pub duplicate_rate: f64,
    /// Fingerprints held by more than one non-empty article.
    pub duplicate_groups: u64,
    /// Largest groups first (ties: earliest first).
    pub duplicate_examples: Vec<DuplicateArticles>,
    pub near: NearReport,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DuplicateArticles {
    pub copies: u64,
    pub first: ArticleRef,
    pub others: Vec<ArticleRef>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NearReport {
    /// Items that took part (distinct texts at or above the minimum size).
    pub eligible: u64,
    pub candidate_pairs: u64,
    pub similar_pairs: u64,
    /// Groups of distinct texts linked by similar pairs.
    pub clusters: u64,
    /// Items near-duplicating an earlier, different item (first occurrences of each distinct text
    /// in a cluster, but the cluster's first).
    pub near_duplicates: u64,
    /// Over all items (articles or sentences).
    pub rate: f64,
    /// Largest clusters first (ties: earliest first).
    pub examples: Vec<NearCluster>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NearCluster {
    /// Distinct texts in the cluster.
    pub size: u64,
    /// Smallest verified similarity among the cluster's pairs.
    pub min_jaccard: f64,
    pub splits: Vec<String>,
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Member {
    pub input: String,
    pub split: String,
    /// For sentences: its index; none for articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence_index: Option<u32>,
    /// For sentences: the text; for articles: the first sentence (shortened).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SentenceReport {
    pub total: u64,
    /// False for a release built without text: text checks are then skipped (counts 0).
    pub text_available: bool,
    pub empty: u64,
    pub whitespace_only: u64,
    /// Nothing visible: only invisible format characters (bidi controls, zero-width characters)
    /// and whitespace.
    pub invisible_only: u64,
    /// Fewer than `min_sentence_chars` characters (trimmed), something visible.
    pub too_short: u64,
    /// More than `max_sentence_chars` characters.
    pub too_long: u64,
    /// (empty + whitespace_only + invisible_only) / total.
    pub empty_rate: f64,
    pub short_rate: f64,
    pub long_rate: f64,
    pub short_examples: Vec<Member>,
    pub long_examples: Vec<Member>,
    pub length: LengthStats,
    /// Sentences whose whitespace-collapsed text equals an earlier sentence's (empty ones excluded).
    pub duplicates: u64,
    pub duplicate_rate: f64,
    /// Distinct texts held by more than one sentence.
    pub duplicate_groups: u64,
    /// Most repeated texts first (ties: earliest first): boilerplate candidates.
    pub top_repeated: Vec<Repeated>,
    pub near: NearReport,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LengthStats {
    pub mean: f64,
    pub p50: u32,
    pub p90: u32,
    pub p99: u32,
    pub max: u32,
    pub histogram: Vec<Bin>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bin {
    /// Characters, inclusive.
    pub from: u32,
    /// Characters, exclusive; none for the last bin.
    pub to: Option<u32>,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Repeated {
    pub text: String,
    pub sentences: u64,
    pub articles: u64,
    pub splits: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ConflictReport {
    /// Distinct normalized texts found with more than one label set.
    pub groups: u64,
    /// Sentences in those groups.
    pub sentences: u64,
    pub rate: f64,
    /// Largest groups first (ties: earliest first).
    pub examples: Vec<Conflict>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Conflict {
    pub text: String,
    pub sentences: u64,
    /// Sentences per label set (`stances` joined by `+`, `none` when empty).
    pub labels: BTreeMap<String, u64>,
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LeakageReport {
    /// Sentences in validation and test.
    pub eval_sentences: u64,
    /// Of those, sentences whose whitespace-collapsed text occurs in another split.
    pub exact: u64,
    /// Of those, sentences with no exact match but a near-duplicate in another split.
    pub near: u64,
    /// (exact + near) / eval_sentences.
    pub rate: f64,
    pub exact_rate: f64,
    /// Distinct texts (exact) present in more than one split.
    pub texts_across_splits: u64,
    /// Sentences of `split` with a match in `other` (every ordered pair of splits).
    pub pairs: Vec<LeakPair>,
    pub examples: Vec<Leak>,
    pub articles: ArticleLeakage,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LeakPair {
    pub split: String,
    pub other: String,
    pub exact: u64,
    pub near: u64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Leak {
    /// `exact` or `near`.
    pub kind: String,
    pub text: String,
    pub splits: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ArticleLeakage {
    pub eval_articles: u64,
    /// Same fingerprint in another split (0 when splits are assigned by fingerprint).
    pub exact: u64,
    /// Near-duplicate of an article of another split.
    pub near: u64,
    pub rate: f64,
    pub examples: Vec<NearCluster>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LabelReport {
    /// train, validation, test, then `all`.
    pub splits: Vec<SplitLabels>,
    pub imbalance: Imbalance,
    /// The smallest `stances` count of any label in any split.
    pub min_examples: MinExamples,
    /// Every actor, most mentioned first (ties: by id): sentences per split.
    pub actors: Vec<ActorCount>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SplitLabels {
    pub split: String,
    pub articles: u64,
    pub sentences: u64,
    /// Sentences per primary `stance`.
    pub stance: BTreeMap<String, u64>,
    /// Sentences whose `stances` holds each label.
    pub stances: BTreeMap<String, u64>,
    /// No stance rule fired (only actor evidence, or none at all).
    pub abstain: u64,
    /// `stance` none decided by a rule (not an abstain).
    pub decided_none: u64,
    pub abstain_rate: f64,
    pub kinds: BTreeMap<String, u64>,
    pub langs: BTreeMap<String, u64>,
    /// Sentences with at least one actor.
    pub with_actors: u64,
    pub distinct_actors: u64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Imbalance {
    /// `stances` counts over the release.
    pub counts: BTreeMap<String, u64>,
    pub majority: String,
    pub minority: String,
    /// majority / minority (0 when the minority has no example).
    pub ratio: f64,
    /// Majority share of all stance labels.
    pub majority_share: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MinExamples {
    pub split: String,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ActorCount {
    pub actor: String,
    pub total: u64,
    pub train: u64,
    pub validation: u64,
    pub test: u64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RuleReport {
    /// Sentences where at least one stance rule (a rule with a stance or `none` label) fired.
    pub covered: u64,
    pub coverage: f64,
    /// Sentences where two or more stance rules fired.
    pub overlapping: u64,
    /// Sentences where stance rules with different labels fired.
    pub conflicting: u64,
    pub conflict_rate: f64,
    /// Every rule found in the evidence, by code.
    pub rules: Vec<RuleStats>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RuleStats {
    pub rule: String,
    /// `stance` (votes a stance or none) or `actor`.
    pub kind: String,
    /// Sentences where it fired.
    pub sentences: u64,
    /// sentences / all sentences (Snorkel's coverage).
    pub coverage: f64,
    /// Sentences where it and another stance rule fired (stance rules only).
    pub overlaps: u64,
    pub overlap: f64,
    /// Sentences where another stance rule gave a label this rule did not (stance rules only).
    pub conflicts: u64,
    pub conflict: f64,
    /// Sentences per effective label (`actor` for all actor labels).
    pub labels: BTreeMap<String, u64>,
    /// Evidence entries per mode.
    pub modes: BTreeMap<String, u64>,
    /// Sentences per split (train, validation, test).
    pub per_split: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DriftReport {
    pub parent: Option<String>,
    /// The parent release was found beside this one (`../<parent version>`) and read.
    pub found: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Per split, then `all`: articles and rows in parent and here.
    pub rows: Vec<RowDrift>,
    /// Jensen-Shannon divergence (base 2, 0 = same, 1 = disjoint) of the primary `stance`
    /// distribution, per split then `all`.
    pub label_jsd: BTreeMap<String, f64>,
    /// Share of each primary `stance` over the release: parent and here.
    pub labels_parent: BTreeMap<String, f64>,
    pub labels_current: BTreeMap<String, f64>,
    /// Every rule of either release, by code.
    pub rules: Vec<RuleDrift>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RowDrift {
    pub split: String,
    pub parent_rows: u64,
    pub rows: u64,
    pub parent_articles: u64,
    pub articles: u64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RuleDrift {
    pub rule: String,
    pub parent_coverage: f64,
    pub coverage: f64,
    pub delta: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BuildProblems {
    pub quarantined_total: u64,
    /// The first quarantined inputs, as the manifest lists them.
    pub quarantined: Vec<Quarantined>,
    pub filters: Vec<FilterCount>,
    pub ignored_files_total: u64,
    pub ignored_files: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GoldReport {
    pub gold_file: String,
    pub gold_sentences: u64,
    /// Gold articles found in the release (by `input` = file name).
    pub articles_found: u64,
    pub articles_missing: Vec<String>,
    /// Release sentences overlapping a gold sentence (the ones scored).
    pub sentences_scored: u64,
    pub rules: Vec<GoldRule>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GoldRule {
    pub rule: String,
    /// Scored sentences where it fired (one vote per label it gave).
    pub fired: u64,
    pub correct: u64,
    pub wrong: u64,
    pub precision: f64,
    /// The first wrong votes, in release order.
    pub wrong_examples: Vec<GoldError>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GoldError {
    pub file: String,
    pub start: u32,
    pub end: u32,
    pub text: String,
    /// What the rule said.
    pub label: String,
    pub gold_stances: Vec<String>,
    pub gold_actors: Vec<String>,
}

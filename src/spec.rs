//! Dataset specs (`datasets/<name>/dataset.toml`) and the checks on names and versions.

use crate::error::{Error, Result};
use crate::read::FieldMap;
use crate::segment::Unit;
use crate::split::SplitConfig;
use std::path::{Path, PathBuf};

/// A dataset spec as written in `dataset.toml`. Also recorded, as parsed, in every manifest.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub name: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default = "unknown")]
    pub license: String,
    #[serde(default)]
    pub citation: String,
    /// Input files or directories, relative to the spec's directory.
    pub inputs: Vec<String>,
    /// Rule-set directory relative to the spec (holding `rules/` and `lexicon/`); the bundled rules when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<String>,
    #[serde(default = "sentence_unit")]
    pub unit: Unit,
    #[serde(default)]
    pub split: SplitConfig,
    #[serde(default)]
    pub fields: FieldMap,
    #[serde(default)]
    pub filters: Filters,
    #[serde(default)]
    pub audit: AuditThresholds,
}

fn unknown() -> String {
    "unknown".into()
}

fn sentence_unit() -> Unit {
    Unit::Sentence
}

/// Build-time filters acting on what the audit finds; each records its count in the manifest.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Filters {
    /// Drop articles whose body is empty or whitespace only.
    pub drop_empty_articles: bool,
    /// Drop articles with the fingerprint of an earlier article (the first in canonical order stays).
    pub drop_duplicate_articles: bool,
    /// Drop sentences whose whitespace-collapsed text recurs in at least this many articles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boilerplate_min_articles: Option<u32>,
}

/// The `[audit]` table: gates on the audit and the settings of its checks (documented in
/// `src/audit/mod.rs`). Exceeding a `max_*` or missing a `min_*` gives a warning (exit 1), or a
/// failure (exit 2, nothing published) when `fail` is true. An unset gate is not checked; an unset
/// setting takes its documented default. Rates are fractions in [0, 1].
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuditThresholds {
    /// Articles with the fingerprint of an earlier non-empty article, over all articles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_duplicate_article_rate: Option<f64>,
    /// Articles whose body is empty or whitespace only, over all articles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_empty_article_rate: Option<f64>,
    /// Validation and test sentences whose text (exact or near) also occurs in another split, over
    /// validation and test sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_sentence_leakage_rate: Option<f64>,
    /// Sentences whose normalized text also occurs with different labels, over all sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_label_conflict_rate: Option<f64>,
    /// Fewest sentences any split may hold for each stance label (`stances` counts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_examples_per_label: Option<u64>,
    /// Articles near-duplicating an earlier, different article, over all articles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_near_duplicate_article_rate: Option<f64>,
    /// Sentences whose whitespace-collapsed text equals an earlier sentence's, over all sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_duplicate_sentence_rate: Option<f64>,
    /// Sentences near-duplicating an earlier, different sentence, over all sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_near_duplicate_sentence_rate: Option<f64>,
    /// Validation and test articles near-duplicating an article of another split.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_article_leakage_rate: Option<f64>,
    /// Empty or whitespace-only sentences, over all sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_empty_sentence_rate: Option<f64>,
    /// Sentences shorter than `min_sentence_chars`, over all sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_short_sentence_rate: Option<f64>,
    /// Sentences longer than `max_sentence_chars`, over all sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_long_sentence_rate: Option<f64>,
    /// Sentences where no stance rule fired, over all sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_abstain_rate: Option<f64>,
    /// Most over least frequent stance label (`stances` counts over the release).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_class_imbalance: Option<f64>,
    /// Sentences where stance rules with different labels fired, over all sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_rule_conflict_rate: Option<f64>,
    /// Jensen-Shannon divergence (base 2) of the `stance` distribution from the parent release's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_label_drift: Option<f64>,
    /// Setting: a sentence with fewer characters (code points, trimmed) is too short. Default 3.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_sentence_chars: Option<u32>,
    /// Setting: a sentence with more characters (code points) is too long. Default 1000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_sentence_chars: Option<u32>,
    /// Setting: Jaccard similarity of word 3-gram sets from which two articles are near-duplicates.
    /// Default 0.8; between 0.5 and 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_duplicate_article_jaccard: Option<f64>,
    /// Setting: Jaccard similarity of character 5-gram sets from which two sentences are
    /// near-duplicates. Default 0.8; between 0.5 and 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_duplicate_sentence_jaccard: Option<f64>,
    /// Setting: articles with fewer words are left out of near-duplicate detection. Default 20.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_duplicate_min_article_words: Option<u32>,
    /// Setting: sentences with fewer normalized characters are left out of near-duplicate
    /// detection. Default 30.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_duplicate_min_sentence_chars: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail: Option<bool>,
}

impl AuditThresholds {
    /// Rates within [0, 1], similarity thresholds within [0.5, 1], lengths consistent.
    pub fn check(&self) -> std::result::Result<(), String> {
        let rates = [
            (
                "max_duplicate_article_rate",
                self.max_duplicate_article_rate,
            ),
            ("max_empty_article_rate", self.max_empty_article_rate),
            ("max_sentence_leakage_rate", self.max_sentence_leakage_rate),
            ("max_label_conflict_rate", self.max_label_conflict_rate),
            (
                "max_near_duplicate_article_rate",
                self.max_near_duplicate_article_rate,
            ),
            (
                "max_duplicate_sentence_rate",
                self.max_duplicate_sentence_rate,
            ),
            (
                "max_near_duplicate_sentence_rate",
                self.max_near_duplicate_sentence_rate,
            ),
            ("max_article_leakage_rate", self.max_article_leakage_rate),
            ("max_empty_sentence_rate", self.max_empty_sentence_rate),
            ("max_short_sentence_rate", self.max_short_sentence_rate),
            ("max_long_sentence_rate", self.max_long_sentence_rate),
            ("max_abstain_rate", self.max_abstain_rate),
            ("max_rule_conflict_rate", self.max_rule_conflict_rate),
            ("max_label_drift", self.max_label_drift),
        ];
        for (name, value) in rates {
            if let Some(v) = value
                && !(0.0..=1.0).contains(&v)
            {
                return Err(format!(
                    "[audit] {name} = {v}: expected a fraction between 0 and 1"
                ));
            }
        }
        for (name, value) in [
            (
                "near_duplicate_article_jaccard",
                self.near_duplicate_article_jaccard,
            ),
            (
                "near_duplicate_sentence_jaccard",
                self.near_duplicate_sentence_jaccard,
            ),
        ] {
            if let Some(v) = value
                && !(0.5..=1.0).contains(&v)
            {
                return Err(format!(
                    "[audit] {name} = {v}: expected a Jaccard similarity between 0.5 and 1"
                ));
            }
        }
        if let Some(v) = self.max_class_imbalance
            && (v.is_nan() || v < 1.0)
        {
            return Err(format!(
                "[audit] max_class_imbalance = {v}: expected a ratio of at least 1"
            ));
        }
        if let (Some(min), Some(max)) = (self.min_sentence_chars, self.max_sentence_chars)
            && min > max
        {
            return Err(format!(
                "[audit] min_sentence_chars = {min} is above max_sentence_chars = {max}"
            ));
        }
        Ok(())
    }
}

impl Spec {
    /// Reads a spec from `dataset.toml` or from the directory holding it.
    pub fn load(path: &Path) -> Result<(Spec, PathBuf)> {
        let file = if path.is_dir() {
            path.join("dataset.toml")
        } else {
            path.to_path_buf()
        };
        let text = std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))?;
        let spec = parse(&text).map_err(|message| Error::Spec {
            path: file.clone(),
            message,
        })?;
        Ok((spec, file))
    }
}

/// Parses spec text; errors carry the line and column.
pub fn parse(text: &str) -> std::result::Result<Spec, String> {
    let spec: Spec = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    check_name(&spec.name)?;
    check_version(&spec.version)?;
    if let Some(parent) = &spec.parent {
        check_version(parent)?;
    }
    if spec.inputs.is_empty() {
        return Err("`inputs` is empty: name at least one input file or directory".into());
    }
    spec.split.check()?;
    spec.audit.check()?;
    Ok(spec)
}

/// A toml error as "line L, column C: message".
pub fn toml_error(text: &str, e: &toml::de::Error) -> String {
    match e.span() {
        Some(span) => {
            let (line, column) = line_column(text, span.start);
            format!("line {line}, column {column}: {}", e.message())
        }
        None => e.message().to_string(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Dataset names become directory names: lowercase ASCII letters, digits, `-`, `_` and `.`, starting
/// with a letter or digit; never a path separator or `..`.
pub fn check_name(name: &str) -> std::result::Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
        && !name.contains("..");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "invalid dataset name `{name}`: use lowercase letters, digits, `-`, `_` and `.`, starting with a letter or digit"
        ))
    }
}

/// Versions are semantic versions (`X.Y.Z`, optional pre-release), nothing else.
pub fn check_version(version: &str) -> std::result::Result<semver::Version, String> {
    let parsed = semver::Version::parse(version)
        .map_err(|e| format!("invalid version `{version}`: {e} (expected semver such as 1.0.0)"))?;
    if !parsed.build.is_empty() {
        return Err(format!(
            "invalid version `{version}`: build metadata (`+…`) is not allowed"
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_versions_are_checked() {
        assert!(check_name("sample").is_ok());
        assert!(check_name("news-2015_v1.a").is_ok());
        for bad in ["", "../x", "a/b", "/abs", "A", "a..b", ".hidden", "a\\b"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert!(check_version("1.2.3").is_ok());
        for bad in ["1.2", "v1.2.3", "../1.0.0", "1.0.0/x", "1.0.0+build"] {
            assert!(check_version(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn spec_errors_name_line_and_column() {
        let err = parse("name = \"x\"\nversion = 1\ninputs = []\n").unwrap_err();
        assert!(err.starts_with("line 2, column 11"), "{err}");
        let err =
            parse("name = \"x\"\nversion = \"1.0.0\"\ninputs = [\"a\"]\nbogus = 1\n").unwrap_err();
        assert!(err.starts_with("line 4"), "{err}");
    }
}

//! Loading of the rule and lexicon files (TOML), with errors that name file, line and column.

use super::{RuleError, Stance};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Examples attached to a rule: sentences written for it (never copied from a corpus).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub positive: Vec<String>,
    #[serde(default)]
    pub negative: Vec<String>,
}

/// One rule as written in a `rules/*.toml` file (`[[rule]]` tables).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub code: Spanned<String>,
    pub name: String,
    pub doc: String,
    pub label: Spanned<String>,
    #[serde(default)]
    pub terms: Vec<Spanned<String>>,
    /// Label given when a negator is in scope: "none" (default), "same", or a stance label.
    #[serde(default)]
    pub negated: Option<Spanned<String>>,
    /// Tokens to look back for a negator (default 3; 0 disables negation).
    #[serde(default)]
    pub negation_window: Option<usize>,
    /// Fire only when a negator is in scope (e.g. «لن نسمح»).
    #[serde(default)]
    pub only_negated: bool,
    /// This rule's own negators, replacing the function-word list (e.g. only لن/لا for a
    /// forward-looking commitment, not the narrative لم).
    #[serde(default)]
    pub negators: Vec<String>,
    /// Require an accepted actor mention within this many tokens (0 = no requirement).
    #[serde(default)]
    pub near_actor: usize,
    /// Require one of these words within 2 tokens after the term, then an actor within 3 tokens.
    #[serde(default)]
    pub prep: Vec<String>,
    /// Ignore the term when the next token is one of these.
    #[serde(default)]
    pub not_after: Vec<String>,
    /// Fire only when the next token (same clause) is one of these.
    #[serde(default)]
    pub needs_after: Vec<String>,
    /// Ignore the term when the previous token is one of these.
    #[serde(default)]
    pub not_before: Vec<String>,
    /// Pronoun suffixes allowed on the term (default true).
    #[serde(default)]
    pub suffixes: Option<bool>,
    /// Allow the article ال / لل to be added (default true for stance rules).
    #[serde(default)]
    pub article: Option<bool>,
    /// none rules: sentence kinds this rule decides as none.
    #[serde(default)]
    pub kinds: Vec<Spanned<String>>,
    /// actor rules: which alias role of the lexicon this rule covers.
    #[serde(default)]
    pub role: Option<Spanned<String>>,
    /// actor rules: guard words (see each rule's doc).
    #[serde(default)]
    pub block_prev: Vec<String>,
    #[serde(default)]
    pub block_next: Vec<String>,
    #[serde(default)]
    pub block_window: Option<usize>,
    #[serde(default)]
    pub examples: Examples,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleFile {
    #[serde(default)]
    pub rule: Vec<RawRule>,
}

/// Context name: `form` counts as the actor only when the previous token is in `prev` or the
/// next token in `next`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextName {
    pub form: String,
    #[serde(default)]
    pub prev: Vec<String>,
    #[serde(default)]
    pub next: Vec<String>,
}

/// An actor of the lexicon.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub wikidata: Option<String>,
    /// person → the state or organisation served (id).
    #[serde(default)]
    pub serves: Option<String>,
    #[serde(default)]
    pub valid_from: Option<String>,
    #[serde(default)]
    pub valid_to: Option<String>,
    /// Names (Arabic and English): always the actor (ACT001).
    #[serde(default)]
    pub names: Vec<String>,
    /// Capitals / seats: the actor only as a metonym (ACT002).
    #[serde(default)]
    pub capitals: Vec<String>,
    /// Demonym adjectives and plural people nouns: the actor only when qualifying the state,
    /// its government, forces, officials, relations (ACT003).
    #[serde(default)]
    pub demonyms: Vec<String>,
    /// Institutions and offices that stand for the actor (ACT004).
    #[serde(default)]
    pub institutions: Vec<String>,
    /// Ambiguous names that need a context word (ACT006).
    #[serde(default)]
    pub context: Vec<ContextName>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActorFile {
    #[serde(default)]
    pub actor: Vec<Spanned<Actor>>,
}

/// Function words used by the per-rule logic (`lexicon/function_words.toml`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FunctionWords {
    pub negators: Vec<String>,
    pub conditionals: Vec<String>,
    #[serde(default)]
    pub conditional_window: Option<usize>,
    /// Tokens that end a negation/condition scope (besides punctuation).
    #[serde(default)]
    pub scope_breakers: Vec<String>,
}

pub(crate) fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let byte = byte.min(text.len());
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

pub(crate) fn err_at(
    path: &Path,
    text: &str,
    span: std::ops::Range<usize>,
    msg: String,
) -> RuleError {
    let (line, column) = line_col(text, span.start);
    RuleError::Invalid {
        path: path.to_path_buf(),
        line,
        column,
        message: msg,
    }
}

pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
) -> Result<T, RuleError> {
    toml::from_str::<T>(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        RuleError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().to_string(),
        }
    })
}

pub(crate) fn parse_label(s: &str) -> Option<Option<Stance>> {
    match s {
        "cooperation" => Some(Some(Stance::Cooperation)),
        "threat" => Some(Some(Stance::Threat)),
        "reassurance" => Some(Some(Stance::Reassurance)),
        "none" => Some(Some(Stance::None)),
        "actor" => Some(None),
        _ => None,
    }
}

/// Every `*.toml` file under `dir`, recursively, sorted by relative path (as `/`-joined string).
pub(crate) fn toml_files(root: &Path, sub: &str) -> Result<Vec<(String, PathBuf)>, RuleError> {
    let mut out = BTreeMap::new();
    let base = root.join(sub);
    let mut stack = vec![base.clone()];
    if !base.is_dir() {
        return Err(RuleError::Io {
            path: base,
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "directory not found"),
        });
    }
    while let Some(d) = stack.pop() {
        let rd = std::fs::read_dir(&d).map_err(|e| RuleError::Io {
            path: d.clone(),
            source: e,
        })?;
        for ent in rd {
            let ent = ent.map_err(|e| RuleError::Io {
                path: d.clone(),
                source: e,
            })?;
            let p = ent.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().and_then(|e| e.to_str()) == Some("toml") {
                let rel = p.strip_prefix(root).unwrap_or(&p);
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(rel, p);
            }
        }
    }
    Ok(out.into_iter().collect())
}

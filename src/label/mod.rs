//! Stance and actor labeling of sentences, driven by rule files (`rules/`) and lexicons
//! (`lexicon/`), implementing `docs/labeling-guide.md`.
//!
//! # Data
//! `RuleSet::load(root)` reads, under the crate root `root`:
//! - `rules/*.toml` (recursively): `[[rule]]` tables, each with a stable `code` (`COOP001`,
//!   `THRT001`, `REAS001`, `NONE001`, `ACT001`, …), `name`, `doc`, `label`
//!   (`cooperation`, `threat`, `reassurance`, `none` or `actor`), its patterns and
//!   `examples.positive` / `examples.negative`;
//! - `lexicon/actors*.toml`: `[[actor]]` tables (id, name, type, wikidata, serves, validity,
//!   aliases by role: `names`, `capitals`, `demonyms`, `institutions`, `context`);
//! - `lexicon/function_words.toml`: negators, conditionals and scope breakers.
//!
//! Every lexicon and rule string is normalized ([`crate::normalize`]) and compiled at load into one
//! Aho-Corasick automaton (overlapping search); clitics are handled per entry: proclitics
//! و/ف + ب/ك/ل (+ س on cue words), the article ال (لل after ل) on cue words, pronoun suffixes
//! ه ها هم هما كم كما نا ك هن ي and the accusative ا on cue words (with ة→ت before a suffix). A hit counts only when
//! the rest of its token is such a clitic, so دروس never matches روس and لبنان never matches لبن.
//!
//! # Labeling
//! For one sentence: actor hits (longest first) are checked by their role's guard (capitals only
//! as metonyms, demonyms only when qualifying the state, context names only next to their
//! context word) and become `actor:<id>` evidence; cue hits strictly inside an actor name are
//! not cues (`NONE002` evidence, when that rule exists); other cue hits are checked by their
//! rule's logic (neighbouring words, actor proximity, cue + preposition + actor) and get a mode:
//! `negated` when a negator is within the rule's window before the cue in the same clause (the
//! label then becomes the rule's `negated` label: e.g. a negated threat is reassurance),
//! `hypothetical` when a conditional (إذا، لو، في حال …) opens the clause, else `asserted`.
//! Datelines and bylines are decided `none` by the `none` rules that list their kind.
//!
//! # Output
//! `stances`: every stance label among the evidence (sorted; `none` excluded). `stance`: the
//! primary label by the precedence **reassurance > threat > cooperation** (a reassurance
//! answers a threat and is the rarest, most specific signal; a threat outranks cooperation
//! because fighting/danger is what a sentence with both is mostly about); `none` when no stance
//! label fired. `is_abstain()` is true when no stance rule (including a `none` rule) fired: actor
//! evidence alone is still an abstain.
//!
//! # Rule-set hash
//! [`RuleSet::sha256`]: sha256 over every `*.toml` file under `rules/` and `lexicon/`, in
//! byte order of their `/`-separated paths relative to the root; for each file: the path bytes,
//! a NUL byte, the content length as u64 little-endian, the content bytes.

mod bundled;
mod load;
mod matcher;

pub use load::{Actor, ContextName, Examples};

use crate::normalize::{Normalized, is_word_char, normalize_into, normalize_str};
use load::*;
use matcher::{Trie, WordTable};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    Cooperation,
    Threat,
    Reassurance,
    None,
}

impl Stance {
    pub fn as_str(&self) -> &'static str {
        match self {
            Stance::Cooperation => "cooperation",
            Stance::Threat => "threat",
            Stance::Reassurance => "reassurance",
            Stance::None => "none",
        }
    }
    fn rank(&self) -> u8 {
        match self {
            Stance::Reassurance => 3,
            Stance::Threat => 2,
            Stance::Cooperation => 1,
            Stance::None => 0,
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Asserted,
    Negated,
    Hypothetical,
}

impl Mode {
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::Asserted => "asserted",
            Mode::Negated => "negated",
            Mode::Hypothetical => "hypothetical",
        }
    }
}

/// One rule hit. `label` is the effective label (`cooperation`, `threat`, `reassurance`, `none`
/// or `actor:<id>`); offsets are Unicode code points into the article.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Evidence {
    pub rule: String,
    pub label: String,
    pub mode: Mode,
    pub char_start: u32,
    pub char_end: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Labels {
    pub stance: Stance,
    pub stances: Vec<Stance>,
    pub actors: Vec<String>,
    pub evidence: Vec<Evidence>,
}

impl Labels {
    /// True when no stance rule (including an explicit `none` rule) fired.
    pub fn is_abstain(&self) -> bool {
        !self.evidence.iter().any(|e| !e.label.starts_with("actor:"))
    }
}

/// A rule as loaded: identity, documentation and examples.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Rule {
    pub code: String,
    pub name: String,
    pub doc: String,
    pub label: String,
    /// Relative path of the file that defines it.
    pub file: String,
    pub examples: Examples,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExampleFailure {
    pub code: String,
    pub example: String,
    /// true: a positive example that did not fire the rule; false: a negative one that did.
    pub expected_fire: bool,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: TOML error: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    Name,
    Capital,
    Demonym,
    Institution,
    Context,
}

impl Role {
    fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "names" => Role::Name,
            "capitals" => Role::Capital,
            "demonyms" => Role::Demonym,
            "institutions" => Role::Institution,
            "context" => Role::Context,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pfx {
    Name,
    AfterLl,
    Cue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sfx {
    None,
    Pron,
    PronReq,
}

#[derive(Debug, Clone, Copy)]
enum Target {
    Actor { actor: u32, role: Role, ctx: u32 },
    Cue { rule: u32 },
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    target: Target,
    pfx: Pfx,
    sfx: Sfx,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum NegPolicy {
    Same,
    To(Stance),
}

#[derive(Debug, Default)]
struct Logic {
    stance: Option<Stance>,
    negated: Option<NegPolicy>,
    neg_window: usize,
    near_actor: usize,
    only_negated: bool,
    /// this rule's own negators (empty: the function-word list)
    negators: WordSet,
    prep: WordSet,
    not_after: WordSet,
    needs_after: WordSet,
    not_before: WordSet,
    kinds: Vec<String>,
    role: Option<String>,
    block_prev: WordSet,
    block_next: WordSet,
    block_window: usize,
}

/// The compiled rule set (immutable, `Send + Sync`).
pub struct RuleSet {
    rules: Vec<Rule>,
    logic: Vec<Logic>,
    actors: Vec<Actor>,
    actor_index: HashMap<String, usize>,
    ctx: Vec<(WordSet, WordSet)>,
    role_rule: HashMap<Role, usize, std::hash::BuildHasherDefault<Fx>>,
    name_not_cue: Option<usize>,
    kind_rules: Vec<usize>,
    trie: Trie,
    words: WordTable,
    pat_entries: Vec<Vec<Entry>>,
    negators: WordSet,
    conditionals: WordSet,
    breakers: WordSet,
    cond_window: usize,
    sha: String,
}

// no ي: after a cue word it is nearly always a nisba adjective (اجتماعي، سياسي), not "my"
const PRON: &[&str] = &["ه", "ها", "هم", "هما", "كم", "كما", "نا", "ك", "هن", "ا"];

fn pfx_ok(p: Pfx, s: &str) -> bool {
    match p {
        Pfx::AfterLl => matches!(s, "" | "و" | "ف"),
        Pfx::Name => matches!(
            s,
            "" | "و" | "ف" | "ب" | "ك" | "ل" | "وب" | "وك" | "ول" | "فب" | "فك" | "فل"
        ),
        Pfx::Cue => matches!(
            s,
            "" | "و"
                | "ف"
                | "ب"
                | "ك"
                | "ل"
                | "وب"
                | "وك"
                | "ول"
                | "فب"
                | "فك"
                | "فل"
                | "س"
                | "وس"
                | "فس"
                | "لت"
                | "ولت"
        ),
    }
}

fn sfx_ok(x: Sfx, s: &str) -> bool {
    match x {
        Sfx::None => s.is_empty(),
        Sfx::Pron => s.is_empty() || PRON.contains(&s),
        Sfx::PronReq => PRON.contains(&s),
    }
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    s: usize,
    e: usize,
    /// punctuation (clause boundary) between the previous token and this one
    brk: bool,
}

fn strip_conj(t: &str) -> &str {
    t.strip_prefix('و')
        .or_else(|| t.strip_prefix('ف'))
        .unwrap_or(t)
}

/// FxHash-style hasher for the small word sets probed per token (SipHash costs more than the
/// rest of the lookup).
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut h = self.0;
        let mut c = bytes.chunks_exact(8);
        for w in &mut c {
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w.try_into().unwrap())).wrapping_mul(K);
        }
        for &b in c.remainder() {
            h = (h.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
        self.0 = h;
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

type WordSet = HashSet<String, std::hash::BuildHasherDefault<Fx>>;

fn in_set(set: &WordSet, t: &str) -> bool {
    if set.contains(t) {
        return true;
    }
    let a = strip_conj(t);
    if a.len() != t.len() && set.contains(a) {
        return true;
    }
    for p in ['ب', 'ل', 'ك'] {
        if let Some(b) = a.strip_prefix(p)
            && set.contains(b)
        {
            return true;
        }
    }
    false
}

fn norm_set(v: &[String]) -> WordSet {
    v.iter()
        .map(|s| normalize_str(s))
        .filter(|s| !s.is_empty())
        .collect()
}

struct Cand {
    ps: usize,
    pe: usize,
    ts: usize,
    te: usize,
    entry: Entry,
}

impl RuleSet {
    /// Loads `root/rules/**/*.toml` and `root/lexicon/**/*.toml` (root = the crate root): reads
    /// the files and calls [`RuleSet::from_files`] (same rule set, same hash).
    pub fn load(root: &Path) -> Result<RuleSet, RuleError> {
        let mut files = Vec::new();
        for sub in ["rules", "lexicon"] {
            for (rel, p) in toml_files(root, sub)? {
                let b = std::fs::read(&p).map_err(|e| RuleError::Io {
                    path: p.clone(),
                    source: e,
                })?;
                let s = String::from_utf8(b).map_err(|e| RuleError::Io {
                    path: p.clone(),
                    source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
                })?;
                files.push((rel, s));
            }
        }
        Self::build(root, files)
    }

    /// Builds the rule set from file contents: `(path, content)` pairs where the path is
    /// `/`-joined and relative to the root (`rules/threat.toml`, `lexicon/actors.toml`), e.g.
    /// the bundled files embedded with `include_str!`. Every path must be a `*.toml` file under
    /// `rules/` or `lexicon/`; the hash is the same as [`RuleSet::load`] gives for the same files.
    pub fn from_files(files: Vec<(String, String)>) -> Result<RuleSet, RuleError> {
        Self::build(Path::new(""), files)
    }

    fn build(root: &Path, files: Vec<(String, String)>) -> Result<RuleSet, RuleError> {
        let mut rule_files: Vec<(String, PathBuf)> = Vec::new();
        let mut lex_files: Vec<(String, PathBuf)> = Vec::new();
        let mut all: Vec<(String, String)> = Vec::with_capacity(files.len());
        for (rel, text) in files {
            let p = root.join(&rel);
            if !rel.ends_with(".toml") {
                return Err(RuleError::Invalid {
                    path: p,
                    line: 0,
                    column: 0,
                    message: "not a .toml file".into(),
                });
            }
            if rel.starts_with("rules/") {
                rule_files.push((rel.clone(), p));
            } else if rel.starts_with("lexicon/") {
                lex_files.push((rel.clone(), p));
            } else {
                return Err(RuleError::Invalid {
                    path: p,
                    line: 0,
                    column: 0,
                    message: "rule-set files must be under rules/ or lexicon/".into(),
                });
            }
            all.push((rel, text));
        }
        rule_files.sort_by(|a, b| a.0.cmp(&b.0));
        lex_files.sort_by(|a, b| a.0.cmp(&b.0));
        all.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        for w in all.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(RuleError::Invalid {
                    path: root.join(&w[0].0),
                    line: 0,
                    column: 0,
                    message: "file given twice".into(),
                });
            }
        }
        let mut h = Sha256::new();
        for (rel, b) in &all {
            h.update(rel.as_bytes());
            h.update([0u8]);
            h.update((b.len() as u64).to_le_bytes());
            h.update(b.as_bytes());
        }
        let sha = hex::encode(h.finalize());
        let content: HashMap<String, String> = all.into_iter().collect();

        let mut patterns: Vec<String> = Vec::new();
        let mut pat_index: HashMap<String, usize> = HashMap::new();
        let mut pat_entries: Vec<Vec<Entry>> = Vec::new();
        let mut add = |pat: String, e: Entry| {
            let i = *pat_index.entry(pat.clone()).or_insert_with(|| {
                patterns.push(pat);
                pat_entries.push(Vec::new());
                pat_entries.len() - 1
            });
            pat_entries[i].push(e);
        };

        // function words
        let mut fw = FunctionWords::default();
        let mut actors: Vec<Actor> = Vec::new();
        let mut actor_index = HashMap::new();
        let mut ctx = Vec::new();
        let mut actor_entries: Vec<(String, Entry)> = Vec::new();
        for (rel, p) in &lex_files {
            let text = &content[rel];
            if rel.ends_with("function_words.toml") {
                fw = parse_toml(p, text)?;
                continue;
            }
            let f: ActorFile = parse_toml(p, text)?;
            for sa in f.actor {
                let span = sa.span();
                let a = sa.into_inner();
                let valid = !a.id.is_empty()
                    && a.id.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b"_+-".contains(&b)
                    });
                if !valid {
                    return Err(err_at(
                        p,
                        text,
                        span,
                        format!("actor id `{}` does not match [a-z0-9_+-]+", a.id),
                    ));
                }
                if !matches!(
                    a.kind.as_str(),
                    "state"
                        | "organisation"
                        | "armed_group"
                        | "party"
                        | "person"
                        | "opposition"
                        | "region"
                ) {
                    return Err(err_at(
                        p,
                        text,
                        span,
                        format!("actor `{}`: unknown type `{}`", a.id, a.kind),
                    ));
                }
                if actor_index.contains_key(&a.id) {
                    return Err(err_at(
                        p,
                        text,
                        span,
                        format!("duplicate actor id `{}`", a.id),
                    ));
                }
                let ai = actors.len() as u32;
                actor_index.insert(a.id.clone(), actors.len());
                for (role, list) in [
                    (Role::Name, &a.names),
                    (Role::Capital, &a.capitals),
                    (Role::Demonym, &a.demonyms),
                    (Role::Institution, &a.institutions),
                ] {
                    for s in list {
                        let n = normalize_str(s);
                        if n.is_empty() {
                            return Err(err_at(
                                p,
                                text,
                                span,
                                format!("actor `{}`: empty alias", a.id),
                            ));
                        }
                        actor_entries.push((
                            n,
                            Entry {
                                target: Target::Actor {
                                    actor: ai,
                                    role,
                                    ctx: 0,
                                },
                                pfx: Pfx::Name,
                                sfx: Sfx::None,
                            },
                        ));
                    }
                }
                for c in &a.context {
                    let n = normalize_str(&c.form);
                    if n.is_empty() || (c.prev.is_empty() && c.next.is_empty()) {
                        return Err(err_at(
                            p,
                            text,
                            span,
                            format!(
                                "actor `{}`: context name needs a form and prev/next words",
                                a.id
                            ),
                        ));
                    }
                    let ci = ctx.len() as u32;
                    ctx.push((norm_set(&c.prev), norm_set(&c.next)));
                    actor_entries.push((
                        n,
                        Entry {
                            target: Target::Actor {
                                actor: ai,
                                role: Role::Context,
                                ctx: ci,
                            },
                            pfx: Pfx::Name,
                            sfx: Sfx::None,
                        },
                    ));
                }
                actors.push(a);
            }
        }
        // serves must point to known actors
        for a in &actors {
            if let Some(s) = &a.serves
                && !actor_index.contains_key(s)
            {
                return Err(RuleError::Invalid {
                    path: root.join("lexicon"),
                    line: 0,
                    column: 0,
                    message: format!("actor `{}` serves unknown actor `{}`", a.id, s),
                });
            }
        }
        for (n, e) in actor_entries {
            if let Some(rest) = n.strip_prefix("ال") {
                add(
                    format!("لل{rest}"),
                    Entry {
                        pfx: Pfx::AfterLl,
                        ..e
                    },
                );
            }
            add(n, e);
        }

        // rules
        let mut rules: Vec<Rule> = Vec::new();
        let mut logic: Vec<Logic> = Vec::new();
        let mut codes: HashMap<String, String> = HashMap::new();
        let mut role_rule: HashMap<Role, usize, std::hash::BuildHasherDefault<Fx>> =
            HashMap::default();
        let mut name_not_cue = None;
        let mut kind_rules = Vec::new();
        for (rel, p) in &rule_files {
            let text = &content[rel];
            let f: RuleFile = parse_toml(p, text)?;
            for r in f.rule {
                let code = r.code.get_ref().clone();
                let cspan = r.code.span();
                let code_ok = code.len() >= 4
                    && code.bytes().take_while(|b| b.is_ascii_uppercase()).count() >= 2
                    && code
                        .bytes()
                        .skip_while(|b| b.is_ascii_uppercase())
                        .all(|b| b.is_ascii_digit())
                    && code.bytes().last().is_some_and(|b| b.is_ascii_digit());
                if !code_ok {
                    return Err(err_at(
                        p,
                        text,
                        cspan,
                        format!("invalid rule code `{code}` (expected e.g. THRT001)"),
                    ));
                }
                if let Some(prev) = codes.get(&code) {
                    return Err(err_at(
                        p,
                        text,
                        cspan,
                        format!("duplicate rule code `{code}` (first defined in {prev})"),
                    ));
                }
                codes.insert(code.clone(), rel.clone());
                let label = r.label.get_ref().clone();
                let stance = match parse_label(&label) {
                    Some(s) => s,
                    None => {
                        return Err(err_at(
                            p,
                            text,
                            r.label.span(),
                            format!("unknown label `{label}`"),
                        ));
                    }
                };
                let ri = rules.len();
                let mut lg = Logic {
                    stance,
                    neg_window: r.negation_window.unwrap_or(3),
                    near_actor: r.near_actor,
                    only_negated: r.only_negated,
                    negators: norm_set(&r.negators),
                    prep: norm_set(&r.prep),
                    not_after: norm_set(&r.not_after),
                    needs_after: norm_set(&r.needs_after),
                    not_before: norm_set(&r.not_before),
                    block_prev: norm_set(&r.block_prev),
                    block_next: norm_set(&r.block_next),
                    block_window: r.block_window.unwrap_or(1),
                    ..Default::default()
                };
                if let Some(n) = &r.negated {
                    lg.negated = Some(match n.get_ref().as_str() {
                        "same" => NegPolicy::Same,
                        s => match parse_label(s) {
                            Some(Some(st)) => NegPolicy::To(st),
                            _ => {
                                return Err(err_at(
                                    p,
                                    text,
                                    n.span(),
                                    format!("unknown negated label `{s}`"),
                                ));
                            }
                        },
                    });
                }
                for k in &r.kinds {
                    if !matches!(
                        k.get_ref().as_str(),
                        "headline" | "dateline" | "byline" | "body"
                    ) {
                        return Err(err_at(
                            p,
                            text,
                            k.span(),
                            format!("unknown sentence kind `{}`", k.get_ref()),
                        ));
                    }
                    lg.kinds.push(k.get_ref().clone());
                }
                if !lg.kinds.is_empty() {
                    if stance != Some(Stance::None) {
                        return Err(err_at(
                            p,
                            text,
                            cspan,
                            "`kinds` is only for none rules".into(),
                        ));
                    }
                    kind_rules.push(ri);
                }
                if stance.is_none() {
                    // actor rule
                    let Some(role) = &r.role else {
                        return Err(err_at(p, text, cspan, "actor rule needs `role` (names, capitals, demonyms, institutions, context)".into()));
                    };
                    let Some(ro) = Role::parse(role.get_ref()) else {
                        return Err(err_at(
                            p,
                            text,
                            role.span(),
                            format!("unknown actor role `{}`", role.get_ref()),
                        ));
                    };
                    if role_rule.insert(ro, ri).is_some() {
                        return Err(err_at(
                            p,
                            text,
                            role.span(),
                            format!("two actor rules for role `{}`", role.get_ref()),
                        ));
                    }
                    if !r.terms.is_empty() {
                        return Err(err_at(
                            p,
                            text,
                            cspan,
                            "actor rules take their patterns from the lexicon, not `terms`".into(),
                        ));
                    }
                } else if let Some(role) = &r.role {
                    if role.get_ref() != "name_not_cue" || stance != Some(Stance::None) {
                        return Err(err_at(
                            p,
                            text,
                            role.span(),
                            format!("unknown role `{}` for a stance rule", role.get_ref()),
                        ));
                    }
                    name_not_cue = Some(ri);
                    lg.role = Some("name_not_cue".into());
                } else if r.terms.is_empty() && lg.kinds.is_empty() {
                    return Err(err_at(
                        p,
                        text,
                        cspan,
                        format!("rule `{code}` has no terms"),
                    ));
                }
                let sfx_on = r.suffixes.unwrap_or(true);
                let art_on = r.article.unwrap_or(true);
                for t in &r.terms {
                    let n = normalize_str(t.get_ref());
                    if n.is_empty()
                        || !is_word_char(n.chars().next().unwrap())
                        || !is_word_char(n.chars().last().unwrap())
                    {
                        return Err(err_at(
                            p,
                            text,
                            t.span(),
                            format!(
                                "invalid pattern `{}`: must start and end with a letter or digit",
                                t.get_ref()
                            ),
                        ));
                    }
                    if n.contains("  ") {
                        return Err(err_at(
                            p,
                            text,
                            t.span(),
                            format!("invalid pattern `{}`", t.get_ref()),
                        ));
                    }
                    let tg = Target::Cue { rule: ri as u32 };
                    let sfx = if sfx_on { Sfx::Pron } else { Sfx::None };
                    let mut forms = vec![n.clone()];
                    if art_on && !n.starts_with("ال") && !n.contains(' ') {
                        forms.push(format!("ال{n}"));
                    }
                    for f in forms {
                        if let Some(rest) = f.strip_prefix("ال") {
                            add(
                                format!("لل{rest}"),
                                Entry {
                                    target: tg,
                                    pfx: Pfx::AfterLl,
                                    sfx,
                                },
                            );
                        }
                        if sfx_on && f.ends_with('ه') {
                            let stem = &f[..f.len() - 'ه'.len_utf8()];
                            add(
                                format!("{stem}ت"),
                                Entry {
                                    target: tg,
                                    pfx: Pfx::Cue,
                                    sfx: Sfx::PronReq,
                                },
                            );
                        }
                        add(
                            f,
                            Entry {
                                target: tg,
                                pfx: Pfx::Cue,
                                sfx,
                            },
                        );
                    }
                }
                if r.examples.positive.is_empty() || r.examples.negative.is_empty() {
                    return Err(err_at(
                        p,
                        text,
                        cspan,
                        format!(
                            "rule `{code}` needs at least one positive and one negative example"
                        ),
                    ));
                }
                rules.push(Rule {
                    code,
                    name: r.name,
                    doc: r.doc,
                    label,
                    file: rel.clone(),
                    examples: r.examples,
                });
                logic.push(lg);
            }
        }
        // every used actor role needs a rule
        for pe in &pat_entries {
            for e in pe {
                if let Target::Actor { role, .. } = e.target
                    && !role_rule.contains_key(&role)
                {
                    return Err(RuleError::Invalid {
                        path: root.join("rules"),
                        line: 0,
                        column: 0,
                        message: format!("no actor rule for role {role:?}"),
                    });
                }
            }
        }
        let trie = Trie::new(&patterns).map_err(|message| RuleError::Invalid {
            path: root.to_path_buf(),
            line: 0,
            column: 0,
            message,
        })?;
        Ok(RuleSet {
            rules,
            logic,
            actors,
            actor_index,
            ctx,
            role_rule,
            name_not_cue,
            kind_rules,
            trie,
            words: WordTable::new(),
            pat_entries,
            negators: norm_set(&fw.negators),
            conditionals: norm_set(&fw.conditionals),
            breakers: norm_set(&fw.scope_breakers),
            cond_window: fw.conditional_window.unwrap_or(8),
            sha,
        })
    }

    pub fn sha256(&self) -> String {
        self.sha.clone()
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn actor(&self, id: &str) -> Option<&Actor> {
        self.actor_index.get(id).map(|&i| &self.actors[i])
    }

    /// Benchmark helper: normalizes `sentence`, finds the pattern hits that pass the clitic
    /// checks and returns their number (normalize + match, without the labeling logic).
    #[doc(hidden)]
    pub fn match_count(&self, sentence: &str) -> usize {
        SCRATCH.with(|b| {
            let mut b = b.borrow_mut();
            let sc = &mut *b;
            normalize_into(sentence, &mut sc.norm);
            self.tokenize(&sc.norm, &mut sc.toks);
            sc.acts.clear();
            sc.cues.clear();
            self.candidates(sentence, &sc.norm, &sc.toks, &mut sc.acts, &mut sc.cues);
            sc.acts.len() + sc.cues.len()
        })
    }

    /// Former benchmark helper, kept for callers: same as [`RuleSet::match_count`] (normalizing
    /// already normalized text changes nothing).
    #[doc(hidden)]
    pub fn raw_match_count(&self, text: &str) -> usize {
        self.match_count(text)
    }

    /// Benchmark helper: (trie nodes, transition table bytes).
    #[doc(hidden)]
    pub fn matcher_stats(&self) -> (usize, usize) {
        self.trie.stats()
    }

    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }

    /// Labels the sentence `article[byte_start..byte_end]`, whose first character is the
    /// article's `char_start`-th code point; `kind` is `headline`, `dateline`, `byline` or `body`.
    pub fn label(
        &self,
        article: &str,
        byte_start: usize,
        byte_end: usize,
        char_start: usize,
        kind: &str,
    ) -> Labels {
        SCRATCH.with(|b| {
            let mut b = b.borrow_mut();
            self.label_with(article, byte_start, byte_end, char_start, kind, &mut b)
        })
    }

    /// Word tokens of normalized text from its word bounds; `brk` marks a token preceded by
    /// punctuation (a clause boundary) or the sentence start.
    fn tokenize(&self, norm: &Normalized, out: &mut Vec<Tok>) {
        out.clear();
        let tb = norm.text.as_bytes();
        let mut prev_end = usize::MAX;
        for w in norm.word_bounds().chunks_exact(2) {
            let (s, e) = (w[0] as usize, w[1] as usize);
            // words are separated by exactly one space unless there is punctuation between
            let brk = prev_end == usize::MAX || s != prev_end + 1 || tb[prev_end] != b' ';
            out.push(Tok { s, e, brk });
            prev_end = e;
        }
    }

    /// Every pattern hit that starts at a token start or right after an allowed proclitic and
    /// whose clitics fit its entry (unresolved; in token order).
    fn candidates(
        &self,
        src: &str,
        norm: &Normalized,
        toks: &[Tok],
        acts: &mut Vec<Cand>,
        cues: &mut Vec<Cand>,
    ) {
        let t = norm.text.as_str();
        let tb = t.as_bytes();
        let n = tb.len();
        for tk in toks {
            let s = tk.s;
            let ns = 1 + proclitic_len(tb, s, tk.e);
            let starts = [s, s + 2, s + 4, s + 6];
            for &ps in &starts[..ns] {
                self.trie.walk(tb, ps, |pid, pe| {
                    let mut te = pe;
                    while te < n && te - pe <= 8 {
                        let (w, l) = self.words.at(tb, te);
                        if !w {
                            break;
                        }
                        te += l;
                    }
                    let pre = &t[s..ps];
                    let suf = &t[pe..te];
                    for &e in &self.pat_entries[pid] {
                        if !pfx_ok(e.pfx, pre) || !sfx_ok(e.sfx, suf) {
                            continue;
                        }
                        // a ه that was ة in the source is the word's own ending (الأمانة), not
                        // the pronoun suffix of the term (الأمان + ه)
                        if suf.starts_with('ه') && src[norm.source_offset(pe)..].starts_with('ة')
                        {
                            continue;
                        }
                        let c = Cand {
                            ps,
                            pe,
                            ts: s,
                            te,
                            entry: e,
                        };
                        match e.target {
                            Target::Actor { .. } => acts.push(c),
                            Target::Cue { .. } => cues.push(c),
                        }
                    }
                });
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn label_with(
        &self,
        article: &str,
        bs: usize,
        be: usize,
        cs: usize,
        kind: &str,
        sc: &mut Scratch,
    ) -> Labels {
        let sent = &article[bs..be];
        // sentence-kind none rules
        for &ri in &self.kind_rules {
            if self.logic[ri].kinds.iter().any(|k| k == kind) {
                let cend = cs + sent.chars().count();
                return Labels {
                    stance: Stance::None,
                    stances: vec![],
                    actors: vec![],
                    evidence: vec![Evidence {
                        rule: self.rules[ri].code.clone(),
                        label: "none".into(),
                        mode: Mode::Asserted,
                        char_start: cs as u32,
                        char_end: cend as u32,
                    }],
                };
            }
        }
        let Scratch {
            norm,
            toks,
            acts,
            cues,
            ev,
            actor_toks,
            actor_ids,
        } = sc;
        normalize_into(sent, norm);
        let t = norm.text.as_str();
        self.tokenize(norm, toks);
        acts.clear();
        cues.clear();
        self.candidates(sent, norm, toks, acts, cues);
        if acts.is_empty() && cues.is_empty() {
            return Labels {
                stance: Stance::None,
                stances: vec![],
                actors: vec![],
                evidence: vec![],
            };
        }
        resolve(acts);
        resolve(cues);
        ev.clear();
        actor_toks.clear();
        actor_ids.clear();
        let toks: &[Tok] = toks;
        let tok_at = |pos: usize| -> usize {
            match toks.binary_search_by(|tk| {
                if tk.e <= pos {
                    std::cmp::Ordering::Less
                } else if tk.s > pos {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            }) {
                Ok(i) => i,
                Err(i) => i.min(toks.len().saturating_sub(1)),
            }
        };
        let tok_str = |i: usize| -> &str { &t[toks[i].s..toks[i].e] };
        // actors
        for c in acts.iter() {
            let Target::Actor { actor, role, ctx } = c.entry.target else {
                continue;
            };
            let ti = tok_at(c.ps);
            let tj = tok_at(c.pe.saturating_sub(1));
            let ri = self.role_rule[&role];
            let lg = &self.logic[ri];
            let pre = &t[c.ts..c.ps];
            let ok = match role {
                Role::Name | Role::Institution => true,
                Role::Capital => {
                    let clitic_loc = pre.ends_with('ب') || pre.ends_with('ل') || pre.ends_with('ك');
                    let quoted = t[..c.ts]
                        .chars()
                        .next_back()
                        .is_some_and(|ch| matches!(ch, '«' | '"' | '“' | '”'));
                    !clitic_loc
                        && !quoted
                        && !self.blocked_before(toks, ti, lg, t)
                        && !self.blocked_after(toks, tj, lg, t)
                }
                Role::Demonym => {
                    !self.blocked_before(toks, ti, lg, t) && !self.blocked_after(toks, tj, lg, t)
                }
                Role::Context => {
                    let (prev, next) = &self.ctx[ctx as usize];
                    (ti > 0 && !toks[ti].brk && in_set(prev, tok_str(ti - 1)))
                        || (tj + 1 < toks.len()
                            && !toks[tj + 1].brk
                            && in_set(next, tok_str(tj + 1)))
                }
            };
            if ok {
                ev.push((c.ts, c.te, ri, Lab::Actor(actor), Mode::Asserted));
                actor_ids.push(actor);
                actor_toks.push((ti, tj));
            }
        }
        // cues
        for c in cues.iter() {
            let Target::Cue { rule } = c.entry.target else {
                continue;
            };
            let ri = rule as usize;
            let lg = &self.logic[ri];
            // strictly inside an actor name?
            if acts
                .iter()
                .any(|a| a.ps <= c.ps && a.pe >= c.pe && (a.pe - a.ps) > (c.pe - c.ps))
            {
                if let Some(nr) = self.name_not_cue {
                    let a = acts.iter().find(|a| a.ps <= c.ps && a.pe >= c.pe).unwrap();
                    ev.push((a.ts, a.te, nr, Lab::St(Stance::None), Mode::Asserted));
                }
                continue;
            }
            let ti = tok_at(c.ps);
            let tj = tok_at(c.pe.saturating_sub(1));
            if !lg.not_before.is_empty() && ti > 0 && in_set(&lg.not_before, tok_str(ti - 1)) {
                continue;
            }
            if !lg.not_after.is_empty()
                && tj + 1 < toks.len()
                && in_set(&lg.not_after, tok_str(tj + 1))
            {
                continue;
            }
            let next_ok = tj + 1 < toks.len()
                && !toks[tj + 1].brk
                && in_set(&lg.needs_after, tok_str(tj + 1));
            if !lg.needs_after.is_empty() && !next_ok {
                continue;
            }
            if lg.near_actor > 0
                && !actor_toks
                    .iter()
                    .any(|&(a, b)| a <= tj + lg.near_actor && b + lg.near_actor >= ti)
            {
                continue;
            }
            if !lg.prep.is_empty() {
                let mut found = false;
                for (k, tk) in toks
                    .iter()
                    .enumerate()
                    .take((tj + 3).min(toks.len()))
                    .skip(tj + 1)
                {
                    if tk.brk {
                        break;
                    }
                    if in_set(&lg.prep, tok_str(k))
                        && actor_toks.iter().any(|&(a, _)| a > k && a <= k + 3)
                    {
                        found = true;
                        break;
                    }
                }
                if !found {
                    continue;
                }
            }
            // mode
            let mut mode = Mode::Asserted;
            let mut k = ti;
            let mut dist = 0;
            while k > 0 && dist < self.cond_window.max(lg.neg_window) {
                if toks[k].brk {
                    break;
                }
                k -= 1;
                dist += 1;
                let w = tok_str(k);
                if in_set(&self.breakers, w) {
                    break;
                }
                let negs = if lg.negators.is_empty() {
                    &self.negators
                } else {
                    &lg.negators
                };
                if dist <= lg.neg_window && (negs.contains(w) || negs.contains(strip_conj(w))) {
                    mode = Mode::Negated;
                    break;
                }
                if dist <= self.cond_window
                    && (self.conditionals.contains(w) || self.conditionals.contains(strip_conj(w)))
                {
                    mode = Mode::Hypothetical;
                }
            }
            if lg.only_negated && mode != Mode::Negated {
                continue;
            }
            let base = lg.stance.unwrap_or(Stance::None);
            let label = if mode == Mode::Negated {
                match lg.negated.unwrap_or(NegPolicy::To(Stance::None)) {
                    NegPolicy::Same => base,
                    NegPolicy::To(s) => s,
                }
            } else {
                base
            };
            ev.push((c.ts, c.te, ri, Lab::St(label), mode));
        }
        // build
        let mut stances: Vec<Stance> = Vec::new();
        for e in ev.iter() {
            if let Lab::St(s) = e.3
                && s != Stance::None
                && !stances.contains(&s)
            {
                stances.push(s);
            }
        }
        stances.sort();
        let stance = stances
            .iter()
            .copied()
            .max_by_key(|s| s.rank())
            .unwrap_or(Stance::None);
        actor_ids
            .sort_unstable_by(|&a, &b| self.actors[a as usize].id.cmp(&self.actors[b as usize].id));
        actor_ids.dedup();
        let actors: Vec<String> = actor_ids
            .iter()
            .map(|&a| self.actors[a as usize].id.clone())
            .collect();
        // char offsets: walk the sentence once, in order of source offsets
        let mut spans: Vec<(usize, usize, usize)> = ev
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let r = norm.source_range(e.0, e.1);
                (r.start, r.end, i)
            })
            .collect();
        spans.sort_unstable();
        let sb = sent.as_bytes();
        let count = |a: usize, b: usize| sb[a..b].iter().filter(|&&x| (x as i8) >= -0x40).count();
        let mut evidence: Vec<Evidence> = Vec::with_capacity(ev.len());
        let (mut pos, mut cpos) = (0usize, cs);
        for (s, e, i) in spans {
            cpos += count(pos, s);
            pos = s;
            let c1 = cpos + count(s, e);
            let (_, _, ri, lab, mode) = ev[i];
            let label = match lab {
                Lab::Actor(a) => format!("actor:{}", self.actors[a as usize].id),
                Lab::St(s) => s.as_str().to_string(),
            };
            evidence.push(Evidence {
                rule: self.rules[ri].code.clone(),
                label,
                mode,
                char_start: cpos as u32,
                char_end: c1 as u32,
            });
        }
        evidence.sort_by(|a, b| {
            (a.char_start, a.char_end, &a.rule, &a.label).cmp(&(
                b.char_start,
                b.char_end,
                &b.rule,
                &b.label,
            ))
        });
        evidence.dedup();
        Labels {
            stance,
            stances,
            actors,
            evidence,
        }
    }

    fn blocked_before(&self, toks: &[Tok], ti: usize, lg: &Logic, t: &str) -> bool {
        let mut k = ti;
        for _ in 0..lg.block_window {
            if k == 0 || toks[k].brk {
                return false;
            }
            k -= 1;
            if in_set(&lg.block_prev, &t[toks[k].s..toks[k].e]) {
                return true;
            }
        }
        false
    }

    fn blocked_after(&self, toks: &[Tok], tj: usize, lg: &Logic, t: &str) -> bool {
        if lg.block_next.is_empty() || tj + 1 >= toks.len() || toks[tj + 1].brk {
            return false;
        }
        in_set(&lg.block_next, &t[toks[tj + 1].s..toks[tj + 1].e])
    }

    /// Runs every rule's examples: each positive example must fire the rule, each negative must
    /// not. Returns the failures (empty when all pass).
    pub fn test_examples(&self) -> Vec<ExampleFailure> {
        let mut out = Vec::new();
        for r in &self.rules {
            for (list, want) in [(&r.examples.positive, true), (&r.examples.negative, false)] {
                for ex in list {
                    let kind = if ex.starts_with("[dateline] ") {
                        "dateline"
                    } else if ex.starts_with("[byline] ") {
                        "byline"
                    } else {
                        "body"
                    };
                    let text = ex
                        .strip_prefix("[dateline] ")
                        .or_else(|| ex.strip_prefix("[byline] "))
                        .unwrap_or(ex);
                    let l = self.label(text, 0, text.len(), 0, kind);
                    // fired = evidence of this rule carrying the rule's own label (a negated threat that
                    // became reassurance does not "fire" the threat rule)
                    let fired = l
                        .evidence
                        .iter()
                        .any(|e| e.rule == r.code && (e.label == r.label || r.label == "actor"));
                    if fired != want {
                        out.push(ExampleFailure {
                            code: r.code.clone(),
                            example: ex.clone(),
                            expected_fire: want,
                            message: format!(
                                "{} example {} fire {}; evidence: {:?}",
                                if want { "positive" } else { "negative" },
                                if want { "did not" } else { "did" },
                                r.code,
                                l.evidence
                                    .iter()
                                    .map(|e| format!("{}={}/{}", e.rule, e.label, e.mode.as_str()))
                                    .collect::<Vec<_>>()
                            ),
                        });
                    }
                }
            }
        }
        out
    }
}

/// Leftmost-longest selection among valid candidates; candidates with the same span are all kept.
fn resolve(v: &mut Vec<Cand>) {
    v.sort_by(|a, b| a.ps.cmp(&b.ps).then((b.pe - b.ps).cmp(&(a.pe - a.ps))));
    let mut last_end = 0usize;
    let mut last_span = (usize::MAX, usize::MAX);
    v.retain(|c| {
        if (c.ps, c.pe) == last_span {
            return true;
        }
        if c.ps >= last_end {
            last_end = c.pe;
            last_span = (c.ps, c.pe);
            return true;
        }
        false
    });
}

// proclitic letter flags, by the low byte of U+06xx
const P1: u8 = 1; // و ف ب ك ل س (a first proclitic)
const CONJ: u8 = 2; // و ف
const P2: u8 = 4; // ب ك ل س (after و/ف)
const F_LAM: u8 = 8;
const F_TA: u8 = 16;
const F_WAW: u8 = 32;

const fn build_pfx_flags() -> [u8; 256] {
    let mut t = [0u8; 256];
    t[0x48] = P1 | CONJ | F_WAW; // و
    t[0x41] = P1 | CONJ; // ف
    t[0x28] = P1 | P2; // ب
    t[0x43] = P1 | P2; // ك
    t[0x44] = P1 | P2 | F_LAM; // ل
    t[0x33] = P1 | P2; // س
    t[0x2A] = F_TA; // ت
    t
}

static PFX_FLAGS: [u8; 256] = build_pfx_flags();

/// Proclitic flags of the character at byte `i` (0 unless a U+06xx letter wholly before `end`).
#[inline(always)]
fn pflags(t: &[u8], i: usize, end: usize) -> u8 {
    if i + 1 < end && (t[i] == 0xD8 || t[i] == 0xD9) {
        PFX_FLAGS[(((t[i] & 3) << 6) | (t[i + 1] & 0x3F)) as usize]
    } else {
        0
    }
}

/// Number of proclitic letters (0–3) that a pattern may follow at the start of the token
/// `t[s..e]` (see `pfx_ok`): و ف ب ك ل س; then ب ك ل س after و/ف, or ت after ل; then ت after و ل.
/// Each is followed by at least one more character of the token.
#[inline(always)]
fn proclitic_len(t: &[u8], s: usize, e: usize) -> usize {
    let c1 = pflags(t, s, e);
    let c2 = pflags(t, s + 2, e);
    let c3 = pflags(t, s + 4, e);
    let l1 = (c1 & P1 != 0) & (s + 2 < e);
    let l2 = l1
        & (((c1 & CONJ != 0) & (c2 & P2 != 0)) | ((c1 & F_LAM != 0) & (c2 & F_TA != 0)))
        & (s + 4 < e);
    let l3 = l2 & (c1 & F_WAW != 0) & (c2 & F_LAM != 0) & (c3 & F_TA != 0) & (s + 6 < e);
    l1 as usize + l2 as usize + l3 as usize
}

#[derive(Debug, Clone, Copy)]
enum Lab {
    Actor(u32),
    St(Stance),
}

/// Per-thread buffers reused across sentences.
#[derive(Default)]
struct Scratch {
    norm: Normalized,
    toks: Vec<Tok>,
    acts: Vec<Cand>,
    cues: Vec<Cand>,
    ev: Vec<(usize, usize, usize, Lab, Mode)>,
    actor_toks: Vec<(usize, usize)>,
    actor_ids: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The proclitic starts hand-coded in `candidates` are exactly the union of `pfx_ok`.
    #[test]
    fn proclitic_starts_match_pfx_ok() {
        let letters = ["و", "ف", "ب", "ك", "ل", "س", "ت", "ا", "م"];
        let mut all = vec![String::new()];
        for a in letters {
            all.push(a.to_string());
            for b in letters {
                all.push(format!("{a}{b}"));
                for c in letters {
                    all.push(format!("{a}{b}{c}"));
                }
            }
        }
        let w = WordTable::new();
        for p in all {
            let any = pfx_ok(Pfx::Name, &p) || pfx_ok(Pfx::AfterLl, &p) || pfx_ok(Pfx::Cue, &p);
            let text = format!("{p}ىىى");
            let tb = text.as_bytes();
            let (s, mut e) = (0, 0);
            while e < tb.len() && w.at(tb, e).0 {
                e += w.at(tb, e).1;
            }
            // the candidate starts cover exactly the allowed proclitic strings that fit
            let k = proclitic_len(tb, s, e);
            let found = p.len() <= 2 * k && p.len() % 2 == 0 && (p.is_empty() || e > p.len());
            assert_eq!(found, any, "{p}");
        }
    }
}

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

pub use load::{Actor, ContextName, Examples};

use crate::normalize::{Normalized, is_word_char, normalize_into, normalize_str};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use load::*;
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
    prep: HashSet<String>,
    not_after: HashSet<String>,
    not_before: HashSet<String>,
    kinds: Vec<String>,
    role: Option<String>,
    block_prev: HashSet<String>,
    block_next: HashSet<String>,
    block_window: usize,
}

/// The compiled rule set (immutable, `Send + Sync`).
pub struct RuleSet {
    rules: Vec<Rule>,
    logic: Vec<Logic>,
    actors: Vec<Actor>,
    actor_index: HashMap<String, usize>,
    ctx: Vec<(HashSet<String>, HashSet<String>)>,
    role_rule: HashMap<Role, usize>,
    name_not_cue: Option<usize>,
    kind_rules: Vec<usize>,
    ac: AhoCorasick,
    pat_entries: Vec<Vec<Entry>>,
    negators: HashSet<String>,
    conditionals: HashSet<String>,
    breakers: HashSet<String>,
    cond_window: usize,
    sha: String,
}

const PRON: &[&str] = &[
    "ه", "ها", "هم", "هما", "كم", "كما", "نا", "ك", "هن", "ي", "ا",
];

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

fn tokenize(t: &str, out: &mut Vec<Tok>) {
    out.clear();
    let mut start: Option<usize> = None;
    let mut brk = true;
    for (i, c) in t.char_indices() {
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
            }
        } else {
            if let Some(s) = start.take() {
                out.push(Tok { s, e: i, brk });
                brk = false;
            }
            if !matches!(c, ' ') {
                brk = true;
            }
        }
    }
    if let Some(s) = start {
        out.push(Tok { s, e: t.len(), brk });
    }
}

fn strip_conj(t: &str) -> &str {
    t.strip_prefix('و')
        .or_else(|| t.strip_prefix('ف'))
        .unwrap_or(t)
}

fn in_set(set: &HashSet<String>, t: &str) -> bool {
    if set.contains(t) {
        return true;
    }
    let a = strip_conj(t);
    if a.len() != t.len() && set.contains(a) {
        return true;
    }
    for p in ['ب', 'ل', 'ك'] {
        if let Some(b) = a.strip_prefix(p) {
            if set.contains(b) {
                return true;
            }
        }
    }
    false
}

fn norm_set(v: &[String]) -> HashSet<String> {
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
    /// Loads `root/rules/**/*.toml` and `root/lexicon/**/*.toml` (root = the crate root).
    pub fn load(root: &Path) -> Result<RuleSet, RuleError> {
        let rule_files = toml_files(root, "rules")?;
        let lex_files = toml_files(root, "lexicon")?;
        // hash
        let mut all: Vec<(String, Vec<u8>)> = Vec::new();
        for (rel, p) in rule_files.iter().chain(lex_files.iter()) {
            let b = std::fs::read(p).map_err(|e| RuleError::Io {
                path: p.clone(),
                source: e,
            })?;
            all.push((rel.clone(), b));
        }
        all.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let mut h = Sha256::new();
        for (rel, b) in &all {
            h.update(rel.as_bytes());
            h.update([0u8]);
            h.update((b.len() as u64).to_le_bytes());
            h.update(b);
        }
        let sha = hex::encode(h.finalize());
        let content: HashMap<String, String> = all
            .into_iter()
            .map(|(r, b)| {
                let s = String::from_utf8(b).unwrap_or_default();
                (r, s)
            })
            .collect();

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
            if let Some(s) = &a.serves {
                if !actor_index.contains_key(s) {
                    return Err(RuleError::Invalid {
                        path: root.join("lexicon"),
                        line: 0,
                        column: 0,
                        message: format!("actor `{}` serves unknown actor `{}`", a.id, s),
                    });
                }
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
        let mut role_rule = HashMap::new();
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
                    prep: norm_set(&r.prep),
                    not_after: norm_set(&r.not_after),
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
                if let Target::Actor { role, .. } = e.target {
                    if !role_rule.contains_key(&role) {
                        return Err(RuleError::Invalid {
                            path: root.join("rules"),
                            line: 0,
                            column: 0,
                            message: format!("no actor rule for role {role:?}"),
                        });
                    }
                }
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&patterns)
            .map_err(|e| RuleError::Invalid {
                path: root.to_path_buf(),
                line: 0,
                column: 0,
                message: format!("automaton: {e}"),
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
            ac,
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

    /// Benchmark helper: number of raw automaton matches in normalized `text`.
    #[doc(hidden)]
    pub fn raw_match_count(&self, text: &str) -> usize {
        self.ac.find_overlapping_iter(text).count()
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
        thread_local! {
            static BUF: std::cell::RefCell<(Normalized, Vec<Tok>)> = std::cell::RefCell::new((Normalized::default(), Vec::new()));
        }
        BUF.with(|b| {
            let mut b = b.borrow_mut();
            let (norm, toks) = &mut *b;
            self.label_with(article, byte_start, byte_end, char_start, kind, norm, toks)
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn label_with(
        &self,
        article: &str,
        bs: usize,
        be: usize,
        cs: usize,
        kind: &str,
        norm: &mut Normalized,
        toks: &mut Vec<Tok>,
    ) -> Labels {
        let sent = &article[bs..be];
        let mut ev: Vec<(usize, usize, usize, String, Mode)> = Vec::new(); // (nstart, nend, rule, label, mode)
        let mut actors: Vec<String> = Vec::new();
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
        normalize_into(sent, norm);
        let t = norm.text.as_str();
        let tb = t.as_bytes();
        // candidates
        let mut acts: Vec<Cand> = Vec::new();
        let mut cues: Vec<Cand> = Vec::new();
        for m in self.ac.find_overlapping_iter(t) {
            let (ps, pe) = (m.start(), m.end());
            // token extension
            let mut ts = ps;
            while ts > 0 {
                let c = t[..ts].chars().next_back().unwrap();
                if !is_word_char(c) {
                    break;
                }
                ts -= c.len_utf8();
                if ps - ts > 8 {
                    break;
                }
            }
            let mut te = pe;
            while te < tb.len() {
                let c = t[te..].chars().next().unwrap();
                if !is_word_char(c) {
                    break;
                }
                te += c.len_utf8();
                if te - pe > 8 {
                    break;
                }
            }
            let pre = &t[ts..ps];
            let suf = &t[pe..te];
            for &e in &self.pat_entries[m.pattern().as_usize()] {
                if !pfx_ok(e.pfx, pre) || !sfx_ok(e.sfx, suf) {
                    continue;
                }
                let c = Cand {
                    ps,
                    pe,
                    ts,
                    te,
                    entry: e,
                };
                match e.target {
                    Target::Actor { .. } => acts.push(c),
                    Target::Cue { .. } => cues.push(c),
                }
            }
        }
        if acts.is_empty() && cues.is_empty() {
            return Labels {
                stance: Stance::None,
                stances: vec![],
                actors: vec![],
                evidence: vec![],
            };
        }
        let acts = resolve(acts);
        let cues = resolve(cues);
        tokenize(t, toks);
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
        let mut actor_toks: Vec<(usize, usize)> = Vec::new(); // token index range of accepted actors
        for c in &acts {
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
                let id = &self.actors[actor as usize].id;
                ev.push((c.ts, c.te, ri, format!("actor:{id}"), Mode::Asserted));
                actors.push(id.clone());
                actor_toks.push((ti, tj));
            }
        }
        // cues
        for c in &cues {
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
                    ev.push((a.ts, a.te, nr, "none".into(), Mode::Asserted));
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
            if lg.near_actor > 0
                && !actor_toks
                    .iter()
                    .any(|&(a, b)| a <= tj + lg.near_actor && b + lg.near_actor >= ti)
            {
                continue;
            }
            if !lg.prep.is_empty() {
                let mut found = false;
                for k in tj + 1..(tj + 3).min(toks.len()) {
                    if toks[k].brk {
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
                if dist <= lg.neg_window
                    && (self.negators.contains(w) || self.negators.contains(strip_conj(w)))
                {
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
            ev.push((c.ts, c.te, ri, label.as_str().to_string(), mode));
        }
        // build
        let mut stances: Vec<Stance> = Vec::new();
        for e in &ev {
            let s = match e.3.as_str() {
                "cooperation" => Stance::Cooperation,
                "threat" => Stance::Threat,
                "reassurance" => Stance::Reassurance,
                _ => continue,
            };
            if !stances.contains(&s) {
                stances.push(s);
            }
        }
        stances.sort();
        let stance = stances
            .iter()
            .copied()
            .max_by_key(|s| s.rank())
            .unwrap_or(Stance::None);
        actors.sort();
        actors.dedup();
        // char offsets
        let mut evidence: Vec<Evidence> = ev
            .into_iter()
            .map(|(ns, ne, ri, label, mode)| {
                let r = norm.source_range(ns, ne);
                let c0 = cs + sent[..r.start].chars().count();
                let c1 = c0 + sent[r.start..r.end].chars().count();
                Evidence {
                    rule: self.rules[ri].code.clone(),
                    label,
                    mode,
                    char_start: c0 as u32,
                    char_end: c1 as u32,
                }
            })
            .collect();
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
fn resolve(mut v: Vec<Cand>) -> Vec<Cand> {
    v.sort_by(|a, b| a.ps.cmp(&b.ps).then((b.pe - b.ps).cmp(&(a.pe - a.ps))));
    let mut out: Vec<Cand> = Vec::with_capacity(v.len());
    let mut last_end = 0usize;
    let mut last_span = (usize::MAX, usize::MAX);
    for c in v {
        if (c.ps, c.pe) == last_span {
            out.push(c);
            continue;
        }
        if c.ps >= last_end {
            last_end = c.pe;
            last_span = (c.ps, c.pe);
            out.push(c);
        }
    }
    out
}

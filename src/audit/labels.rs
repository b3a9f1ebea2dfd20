//! Type checks on the values, label and actor distributions, and per-rule statistics.

use super::load::{MODES, Release, TypeFindings};
use super::report::*;
use crate::split::SPLITS;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

pub const STANCE_LABELS: [&str; 3] = ["cooperation", "threat", "reassurance"];
const KINDS: [&str; 4] = ["headline", "dateline", "byline", "body"];
const LANGS: [&str; 2] = ["ar", "en"];

/// What each interned string may be.
struct Classes {
    /// Index into STANCE_LABELS, 3 for `none`.
    stance: Vec<Option<u8>>,
    kind: Vec<bool>,
    lang: Vec<bool>,
    actor_id: Vec<bool>,
    /// `actor:<id>` with a valid id.
    actor_label: Vec<bool>,
}

fn is_actor_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'+' | b'-')
        })
}

fn classes(data: &Release) -> Classes {
    let strings = &data.strings;
    Classes {
        stance: strings
            .iter()
            .map(|s| {
                if s == "none" {
                    Some(3)
                } else {
                    STANCE_LABELS.iter().position(|l| l == s).map(|i| i as u8)
                }
            })
            .collect(),
        kind: strings
            .iter()
            .map(|s| KINDS.contains(&s.as_str()))
            .collect(),
        lang: strings
            .iter()
            .map(|s| LANGS.contains(&s.as_str()))
            .collect(),
        actor_id: strings.iter().map(|s| is_actor_id(s)).collect(),
        actor_label: strings
            .iter()
            .map(|s| s.strip_prefix("actor:").is_some_and(is_actor_id))
            .collect(),
    }
}

/// Precedence of the primary label: reassurance > threat > cooperation.
fn rank(stance: u8) -> u8 {
    match stance {
        2 => 3,
        1 => 2,
        0 => 1,
        _ => 0,
    }
}

/// Checks every value of every record; returns the schema report (with the loader's findings).
pub(crate) fn check_types(data: &mut Release) -> SchemaReport {
    let c = classes(data);
    let mut f = std::mem::take(&mut data.types);
    let data = &*data;
    let findings: Vec<TypeFindings> = data
        .sentences
        .par_chunks(8192)
        .map(|chunk| {
            let mut f = TypeFindings::default();
            for s in chunk {
                let at = || {
                    format!(
                        "{} sentence {}",
                        data.input(s.article as usize),
                        s.sentence_index
                    )
                };
                let stance = c.stance[data.stance(s) as usize];
                if stance.is_none() {
                    f.add("stance_value", || {
                        format!("{}: stance `{}`", at(), data.str(data.stance(s)))
                    });
                }
                // Sorted in label order (cooperation, threat, reassurance), each once.
                let mut prev: Option<u8> = None;
                let mut best: Option<u8> = None;
                for &l in data.stances(s).iter() {
                    let name = data.str(l);
                    match c.stance[l as usize] {
                        Some(k) if k < 3 => {
                            if best.is_none_or(|b| rank(k) > rank(b)) {
                                best = Some(k);
                            }
                            if prev.is_some_and(|p| p >= k) {
                                f.add("stances_sorted_unique", || {
                                    format!("{}: stances not in label order or repeated", at())
                                });
                            }
                            prev = Some(k);
                        }
                        _ => f.add("stances_value", || {
                            format!("{}: stances holds `{name}`", at())
                        }),
                    }
                }
                if let Some(st) = stance {
                    let expected = best.unwrap_or(3);
                    if st != expected {
                        f.add("stance_matches_stances", || {
                            format!(
                                "{}: stance `{}` with stances {:?}",
                                at(),
                                data.str(data.stance(s)),
                                data.stances(s)
                                    .iter()
                                    .map(|&l| data.str(l))
                                    .collect::<Vec<_>>()
                            )
                        });
                    }
                }
                if !c.kind[data.kind(s) as usize] {
                    f.add("kind_value", || {
                        format!("{}: kind `{}`", at(), data.str(data.kind(s)))
                    });
                }
                if !c.lang[data.lang(s) as usize] {
                    f.add("lang_value", || {
                        format!("{}: lang `{}`", at(), data.str(data.lang(s)))
                    });
                }
                let mut prev: Option<&str> = None;
                for &a in data.actors(s).iter() {
                    let name = data.str(a);
                    if !c.actor_id[a as usize] {
                        f.add("actor_id", || format!("{}: actor id `{name}`", at()));
                    }
                    if prev.is_some_and(|p| p >= name) {
                        f.add("actors_sorted_unique", || {
                            format!("{}: actors not sorted and unique", at())
                        });
                    }
                    prev = Some(name);
                }
                for e in data.evidence(s).iter() {
                    if c.stance[e.label as usize].is_none() && !c.actor_label[e.label as usize] {
                        f.add("evidence_label", || {
                            format!("{}: evidence label `{}`", at(), data.str(e.label))
                        });
                    }
                }
                // Offsets are checked while loading (they are not kept).
            }
            f
        })
        .collect();
    for other in findings {
        for (k, v) in other.violations {
            *f.violations.entry(k).or_default() += v;
        }
        for e in other.examples {
            if f.examples.len() < 20 {
                f.examples.push(e);
            }
        }
    }
    if !data.text_available && data.sentences.iter().any(|s| s.text().is_some()) {
        f.add("text_null", || {
            "some records have text and others none".to_string()
        });
    }
    let files = f
        .files
        .iter()
        .map(|(path, problem)| FileSchema {
            path: path.clone(),
            ok: problem.is_none(),
            problem: problem.clone(),
        })
        .collect();
    SchemaReport {
        ok: f.violations.is_empty() && data.article_table_ok,
        files,
        article_table: data.article_table_ok,
        violations: f.violations,
        examples: f.examples,
    }
}

/// True when no stance rule fired on the sentence (`Labels::is_abstain`).
pub(crate) fn abstains(data: &Release, s: &super::load::Sentence) -> bool {
    !data
        .evidence(s)
        .iter()
        .any(|e| !data.str(e.label).starts_with("actor:"))
}

pub(crate) fn distributions(data: &Release) -> LabelReport {
    let mut splits: Vec<SplitLabels> = SPLITS
        .iter()
        .chain(["all"].iter())
        .map(|s| SplitLabels {
            split: s.to_string(),
            articles: 0,
            sentences: 0,
            stance: BTreeMap::new(),
            stances: STANCE_LABELS.iter().map(|l| (l.to_string(), 0)).collect(),
            abstain: 0,
            decided_none: 0,
            abstain_rate: 0.0,
            kinds: BTreeMap::new(),
            langs: BTreeMap::new(),
            with_actors: 0,
            distinct_actors: 0,
        })
        .collect();
    for a in &data.articles {
        splits[a.split as usize].articles += 1;
        splits[3].articles += 1;
    }
    let mut actors: HashMap<u32, [u64; 3]> = HashMap::new();
    for s in &data.sentences {
        let abstain = abstains(data, s);
        for k in [s.split as usize, 3] {
            let t = &mut splits[k];
            t.sentences += 1;
            *t.stance
                .entry(data.str(data.stance(s)).to_string())
                .or_default() += 1;
            for &l in data.stances(s).iter() {
                *t.stances.entry(data.str(l).to_string()).or_default() += 1;
            }
            if abstain {
                t.abstain += 1;
            } else if data.str(data.stance(s)) == "none" {
                t.decided_none += 1;
            }
            *t.kinds
                .entry(data.str(data.kind(s)).to_string())
                .or_default() += 1;
            *t.langs
                .entry(data.str(data.lang(s)).to_string())
                .or_default() += 1;
            if !data.actors(s).is_empty() {
                t.with_actors += 1;
            }
        }
        for &a in data.actors(s).iter() {
            actors.entry(a).or_default()[s.split as usize] += 1;
        }
    }
    for (k, t) in splits.iter_mut().enumerate() {
        t.abstain_rate = rate(t.abstain, t.sentences);
        t.distinct_actors = actors
            .values()
            .filter(|c| {
                if k == 3 {
                    c.iter().sum::<u64>() > 0
                } else {
                    c[k] > 0
                }
            })
            .count() as u64;
    }
    let mut actor_counts: Vec<ActorCount> = actors
        .iter()
        .map(|(&a, c)| ActorCount {
            actor: data.str(a).to_string(),
            total: c.iter().sum(),
            train: c[0],
            validation: c[1],
            test: c[2],
        })
        .collect();
    actor_counts.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.actor.cmp(&b.actor)));

    let all = &splits[3];
    let counts: BTreeMap<String, u64> = STANCE_LABELS
        .iter()
        .map(|l| (l.to_string(), all.stances.get(*l).copied().unwrap_or(0)))
        .collect();
    let (mut majority, mut minority) = (STANCE_LABELS[0], STANCE_LABELS[0]);
    for l in STANCE_LABELS {
        if counts[l] > counts[majority] {
            majority = l;
        }
        if counts[l] < counts[minority] {
            minority = l;
        }
    }
    let labelled: u64 = counts.values().sum();
    let imbalance = Imbalance {
        majority: majority.to_string(),
        minority: minority.to_string(),
        ratio: round(counts[majority] as f64 / counts[minority].max(1) as f64),
        majority_share: rate(counts[majority], labelled),
        counts,
    };
    let mut min = MinExamples {
        split: SPLITS[0].to_string(),
        label: STANCE_LABELS[0].to_string(),
        count: u64::MAX,
    };
    for t in &splits[..3] {
        for l in STANCE_LABELS {
            let c = t.stances.get(l).copied().unwrap_or(0);
            if c < min.count {
                min = MinExamples {
                    split: t.split.clone(),
                    label: l.to_string(),
                    count: c,
                };
            }
        }
    }
    LabelReport {
        splits,
        imbalance,
        min_examples: min,
        actors: actor_counts,
    }
}

#[derive(Default, Clone)]
struct RuleAcc {
    sentences: u64,
    overlaps: u64,
    conflicts: u64,
    stance: bool,
    labels: HashMap<u32, u64>,
    actor_sentences: u64,
    modes: [u64; 3],
    per_split: [u64; 3],
}

#[derive(Default)]
struct RulesAcc {
    rules: HashMap<u32, RuleAcc>,
    covered: u64,
    overlapping: u64,
    conflicting: u64,
}

impl RulesAcc {
    fn merge(mut self, other: RulesAcc) -> RulesAcc {
        self.covered += other.covered;
        self.overlapping += other.overlapping;
        self.conflicting += other.conflicting;
        for (rule, o) in other.rules {
            let a = self.rules.entry(rule).or_default();
            a.sentences += o.sentences;
            a.overlaps += o.overlaps;
            a.conflicts += o.conflicts;
            a.stance |= o.stance;
            a.actor_sentences += o.actor_sentences;
            for (l, n) in o.labels {
                *a.labels.entry(l).or_default() += n;
            }
            for k in 0..3 {
                a.modes[k] += o.modes[k];
                a.per_split[k] += o.per_split[k];
            }
        }
        self
    }
}

/// Per rule: coverage, overlap and conflict (Snorkel's labeling-function analysis), labels, modes.
pub(crate) fn rules(data: &Release) -> RuleReport {
    let c = classes(data);
    let n = data.sentences.len() as u64;
    let acc = data
        .sentences
        .par_chunks(8192)
        .map(|chunk| {
            let mut acc = RulesAcc::default();
            // (rule, stance label or u8::MAX for actor labels, label id)
            let mut hits: Vec<(u32, u8, u32)> = Vec::new();
            for s in chunk {
                hits.clear();
                for e in data.evidence(s).iter() {
                    let a = acc.rules.entry(e.rule).or_default();
                    a.modes[e.mode as usize] += 1;
                    let class = c.stance[e.label as usize].unwrap_or(u8::MAX);
                    hits.push((e.rule, class, e.label));
                }
                hits.sort_unstable();
                hits.dedup();
                // Stance labels (bits) per rule on this sentence.
                let mut votes: Vec<(u32, u8)> = Vec::new();
                for &(rule, class, _) in &hits {
                    if class == u8::MAX {
                        continue;
                    }
                    match votes.last_mut() {
                        Some((r, bits)) if *r == rule => *bits |= 1 << class,
                        _ => votes.push((rule, 1 << class)),
                    }
                }
                if !votes.is_empty() {
                    acc.covered += 1;
                }
                if votes.len() > 1 {
                    acc.overlapping += 1;
                }
                let mut any_conflict = false;
                for &(rule, bits) in &votes {
                    let a = acc.rules.entry(rule).or_default();
                    a.stance = true;
                    if votes.len() > 1 {
                        a.overlaps += 1;
                    }
                    if votes.iter().any(|&(r, b)| r != rule && b & !bits != 0) {
                        a.conflicts += 1;
                        any_conflict = true;
                    }
                }
                if any_conflict {
                    acc.conflicting += 1;
                }
                let mut last_rule = u32::MAX;
                let mut actor_counted = false;
                for &(rule, class, label) in &hits {
                    let a = acc.rules.entry(rule).or_default();
                    if rule != last_rule {
                        a.sentences += 1;
                        a.per_split[s.split as usize] += 1;
                        last_rule = rule;
                        actor_counted = false;
                    }
                    if class == u8::MAX {
                        if !actor_counted {
                            a.actor_sentences += 1;
                            actor_counted = true;
                        }
                    } else {
                        *a.labels.entry(label).or_default() += 1;
                    }
                }
            }
            acc
        })
        .reduce(RulesAcc::default, RulesAcc::merge);
    let mut rules: Vec<RuleStats> = acc
        .rules
        .iter()
        .map(|(&rule, a)| {
            let mut labels: BTreeMap<String, u64> = a
                .labels
                .iter()
                .map(|(&l, &n)| (data.str(l).to_string(), n))
                .collect();
            if a.actor_sentences > 0 {
                labels.insert("actor".into(), a.actor_sentences);
            }
            RuleStats {
                rule: data.str(rule).to_string(),
                kind: if a.stance { "stance" } else { "actor" }.to_string(),
                sentences: a.sentences,
                coverage: rate(a.sentences, n),
                overlaps: a.overlaps,
                overlap: rate(a.overlaps, n),
                conflicts: a.conflicts,
                conflict: rate(a.conflicts, n),
                labels,
                modes: MODES
                    .iter()
                    .enumerate()
                    .map(|(k, m)| (m.to_string(), a.modes[k]))
                    .collect(),
                per_split: a.per_split.to_vec(),
            }
        })
        .collect();
    rules.sort_by(|a, b| a.rule.cmp(&b.rule));
    RuleReport {
        covered: acc.covered,
        coverage: rate(acc.covered, n),
        overlapping: acc.overlapping,
        conflicting: acc.conflicting,
        conflict_rate: rate(acc.conflicting, n),
        rules,
    }
}

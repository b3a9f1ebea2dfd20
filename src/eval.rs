//! `claimset eval`: the whole pipeline on gold articles, scored as the gold README defines.
//!
//! For each gold sentence, the labels of every output sentence that overlaps its span are united;
//! per-label true/false positives and false negatives are counted over gold sentences; actors
//! likewise as sets, by id and after mapping persons to the state they serve. Segmentation is
//! scored by exact (start, end) span matches.

use crate::error::{Error, Result};
use crate::label::RuleSet;
use crate::segment::Segmenter;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

pub const LABELS: [&str; 3] = ["cooperation", "threat", "reassurance"];

#[derive(Debug, Clone, serde::Deserialize)]
pub struct GoldSentence {
    pub file: String,
    pub start: usize,
    pub end: usize,
    #[serde(default)]
    pub text: String,
    pub stances: Vec<String>,
    pub actors: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Score {
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Score {
    fn from_counts(tp: u64, fp: u64, fn_: u64) -> Score {
        let p = if tp + fp == 0 {
            0.0
        } else {
            tp as f64 / (tp + fp) as f64
        };
        let r = if tp + fn_ == 0 {
            0.0
        } else {
            tp as f64 / (tp + fn_) as f64
        };
        let f1 = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        Score {
            tp,
            fp,
            fn_,
            precision: round(p),
            recall: round(r),
            f1: round(f1),
        }
    }
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EvalError {
    pub file: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub gold_stances: Vec<String>,
    pub predicted_stances: Vec<String>,
    pub gold_actors: Vec<String>,
    pub predicted_actors: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EvalReport {
    pub articles: usize,
    pub sentences: usize,
    pub labels: BTreeMap<String, Score>,
    pub micro: Score,
    pub macro_f1: f64,
    pub actors: Score,
    pub actors_state: Score,
    pub segmentation: Score,
    pub errors: Vec<EvalError>,
}

/// Reads a gold file (JSON Lines), naming the line of any problem.
pub fn read_gold(path: &Path) -> Result<Vec<GoldSentence>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let s: GoldSentence = serde_json::from_str(line).map_err(|e| {
            Error::Input(crate::error::InputError {
                path: path.to_path_buf(),
                position: crate::error::Position::LineColumn(i as u64 + 1, e.column() as u64),
                reason: format!("not a gold sentence: {e}"),
            })
        })?;
        out.push(s);
    }
    Ok(out)
}

/// Person → state or organisation, from the gold's `persons.json` (absent: none).
pub fn read_persons(path: &Path) -> Result<HashMap<String, String>> {
    if !path.exists() {
        return Ok(HashMap::new());
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("{}: not a person map: {e}", path.display())))
}

pub fn evaluate(
    gold: &[GoldSentence],
    articles_dir: &Path,
    persons: &HashMap<String, String>,
    rules: &RuleSet,
    segmenter: &Segmenter,
) -> Result<EvalReport> {
    let mut by_file: BTreeMap<&str, Vec<&GoldSentence>> = BTreeMap::new();
    for g in gold {
        by_file.entry(g.file.as_str()).or_default().push(g);
    }
    let to_state = |id: &str| -> String {
        if let Some(state) = persons.get(id) {
            return state.clone();
        }
        match rules.actor(id).and_then(|a| a.serves.clone()) {
            Some(state) => state,
            None => id.to_string(),
        }
    };
    let mut counts: BTreeMap<&str, (u64, u64, u64)> =
        LABELS.iter().map(|l| (*l, (0, 0, 0))).collect();
    let (mut actor, mut state, mut seg) = ((0, 0, 0), (0, 0, 0), (0, 0, 0));
    let mut errors = Vec::new();
    for (file, sentences) in &by_file {
        let path = articles_dir.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let predicted: Vec<_> = segmenter
            .segment(&text)
            .into_iter()
            .map(|s| {
                let labels = rules.label(
                    &text,
                    s.byte_start,
                    s.byte_end,
                    s.char_start,
                    s.kind.as_str(),
                );
                (s, labels)
            })
            .collect();
        let gold_spans: BTreeSet<(usize, usize)> =
            sentences.iter().map(|g| (g.start, g.end)).collect();
        let pred_spans: BTreeSet<(usize, usize)> = predicted
            .iter()
            .map(|(s, _)| (s.char_start, s.char_end))
            .collect();
        let hits = gold_spans.intersection(&pred_spans).count() as u64;
        seg.0 += hits;
        seg.1 += pred_spans.len() as u64 - hits;
        seg.2 += gold_spans.len() as u64 - hits;
        for g in sentences {
            let mut stances = BTreeSet::new();
            let mut actors = BTreeSet::new();
            for (s, labels) in &predicted {
                if s.char_start < g.end && g.start < s.char_end {
                    stances.extend(labels.stances.iter().map(|x| x.as_str().to_string()));
                    actors.extend(labels.actors.iter().cloned());
                }
            }
            let gold_stances: BTreeSet<String> = g.stances.iter().cloned().collect();
            for label in LABELS {
                let (p, t) = (stances.contains(label), gold_stances.contains(label));
                let c = counts.get_mut(label).expect("every label counted");
                match (p, t) {
                    (true, true) => c.0 += 1,
                    (true, false) => c.1 += 1,
                    (false, true) => c.2 += 1,
                    _ => {}
                }
            }
            let gold_actors: BTreeSet<String> = g.actors.iter().cloned().collect();
            add_sets(&mut actor, &actors, &gold_actors);
            let ps: BTreeSet<String> = actors.iter().map(|a| to_state(a)).collect();
            let gs: BTreeSet<String> = gold_actors.iter().map(|a| to_state(a)).collect();
            add_sets(&mut state, &ps, &gs);
            if stances != gold_stances || actors != gold_actors {
                let chars: String = text.chars().skip(g.start).take(g.end - g.start).collect();
                errors.push(EvalError {
                    file: file.to_string(),
                    start: g.start,
                    end: g.end,
                    text: chars,
                    gold_stances: gold_stances.into_iter().collect(),
                    predicted_stances: stances.into_iter().collect(),
                    gold_actors: gold_actors.into_iter().collect(),
                    predicted_actors: actors.into_iter().collect(),
                });
            }
        }
    }
    let labels: BTreeMap<String, Score> = counts
        .iter()
        .map(|(l, (tp, fp, fn_))| (l.to_string(), Score::from_counts(*tp, *fp, *fn_)))
        .collect();
    let (tp, fp, fn_) = counts
        .values()
        .fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
    let macro_f1 = round(labels.values().map(|s| s.f1).sum::<f64>() / LABELS.len() as f64);
    Ok(EvalReport {
        articles: by_file.len(),
        sentences: gold.len(),
        labels,
        micro: Score::from_counts(tp, fp, fn_),
        macro_f1,
        actors: Score::from_counts(actor.0, actor.1, actor.2),
        actors_state: Score::from_counts(state.0, state.1, state.2),
        segmentation: Score::from_counts(seg.0, seg.1, seg.2),
        errors,
    })
}

fn add_sets(c: &mut (u64, u64, u64), predicted: &BTreeSet<String>, gold: &BTreeSet<String>) {
    let hits = predicted.intersection(gold).count() as u64;
    c.0 += hits;
    c.1 += predicted.len() as u64 - hits;
    c.2 += gold.len() as u64 - hits;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_from_counts() {
        let s = Score::from_counts(8, 2, 2);
        assert_eq!((s.precision, s.recall, s.f1), (0.8, 0.8, 0.8));
        assert_eq!(Score::from_counts(0, 0, 0).f1, 0.0);
    }
}

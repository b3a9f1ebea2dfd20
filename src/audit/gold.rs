//! Per-rule precision against a gold file (labeling guide format, as `claimset eval` reads it).
//!
//! Gold sentences are matched to the release's sentences as `eval` does: by article (the gold
//! `file` is the release's `input`, as in a release built from the gold's `articles/` directory) and
//! by overlapping character spans. A release sentence overlapping gold sentences gets the union of
//! their labels. Each distinct label a rule gave on a scored sentence is one vote: a stance vote is
//! right when the gold holds that stance, a `none` vote when the gold holds no stance, an
//! `actor:<id>` vote when the gold lists that actor.

use super::load::Release;
use super::report::*;
use super::{EXAMPLES, shorten};
use crate::error::Result;
use crate::eval::{GoldSentence, read_gold};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

#[derive(Default)]
struct Acc {
    fired: u64,
    correct: u64,
    wrong: u64,
    /// Wrong votes shown, with their sentence (the text is read at the end).
    examples: Vec<(u32, GoldError)>,
}

pub(crate) fn check(data: &Release, path: &Path) -> Result<GoldReport> {
    let gold = read_gold(path)?;
    let mut by_file: BTreeMap<&str, Vec<&GoldSentence>> = BTreeMap::new();
    for g in &gold {
        by_file.entry(g.file.as_str()).or_default().push(g);
    }
    let mut article_of: HashMap<&str, usize> = HashMap::new();
    for (a, info) in data.articles.iter().enumerate() {
        article_of.entry(data.str(info.input)).or_insert(a);
    }
    let mut missing = Vec::new();
    let mut found = 0u64;
    let mut scored = 0u64;
    let mut rules: BTreeMap<String, Acc> = BTreeMap::new();
    // The offsets of the gold articles' sentences, read back from the data files.
    let offsets = data.offsets(by_file.keys().filter_map(|f| article_of.get(f)).flat_map(
        |&a| {
            let info = &data.articles[a];
            info.first..info.first + info.sentences
        },
    ))?;
    for (file, sentences) in &by_file {
        let Some(&a) = article_of.get(file) else {
            missing.push(file.to_string());
            continue;
        };
        found += 1;
        let info = &data.articles[a];
        for index in info.first..info.first + info.sentences {
            let s = &data.sentences[index as usize];
            let Some(&(char_start, char_end)) = offsets.get(&index) else {
                continue;
            };
            let (start, end) = (char_start as usize, char_end as usize);
            let overlapping: Vec<&&GoldSentence> = sentences
                .iter()
                .filter(|g| g.start < end && start < g.end)
                .collect();
            if overlapping.is_empty() {
                continue;
            }
            scored += 1;
            let stances: BTreeSet<&str> = overlapping
                .iter()
                .flat_map(|g| g.stances.iter().map(String::as_str))
                .collect();
            let actors: BTreeSet<&str> = overlapping
                .iter()
                .flat_map(|g| g.actors.iter().map(String::as_str))
                .collect();
            let mut votes: Vec<(&str, &str)> = data
                .evidence(s)
                .iter()
                .map(|e| (data.str(e.rule), data.str(e.label)))
                .collect();
            votes.sort_unstable();
            votes.dedup();
            for (rule, label) in votes {
                let right = match label.strip_prefix("actor:") {
                    Some(id) => actors.contains(id),
                    None if label == "none" => stances.is_empty(),
                    None => stances.contains(label),
                };
                let acc = rules.entry(rule.to_string()).or_default();
                acc.fired += 1;
                if right {
                    acc.correct += 1;
                } else {
                    acc.wrong += 1;
                    if acc.examples.len() < EXAMPLES {
                        acc.examples.push((
                            index,
                            GoldError {
                                file: file.to_string(),
                                start: char_start,
                                end: char_end,
                                text: String::new(),
                                label: label.to_string(),
                                gold_stances: stances.iter().map(|x| x.to_string()).collect(),
                                gold_actors: actors.iter().map(|x| x.to_string()).collect(),
                            },
                        ));
                    }
                }
            }
        }
    }
    let texts = data.texts(
        rules
            .values()
            .flat_map(|a| a.examples.iter().map(|(i, _)| *i)),
    )?;
    Ok(GoldReport {
        gold_file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        gold_sentences: gold.len() as u64,
        articles_found: found,
        articles_missing: missing,
        sentences_scored: scored,
        rules: rules
            .into_iter()
            .map(|(rule, a)| GoldRule {
                rule,
                fired: a.fired,
                correct: a.correct,
                wrong: a.wrong,
                precision: rate(a.correct, a.fired),
                wrong_examples: a
                    .examples
                    .into_iter()
                    .map(|(i, e)| GoldError {
                        text: texts.get(i).map(shorten).unwrap_or_default(),
                        ..e
                    })
                    .collect(),
            })
            .collect(),
    })
}

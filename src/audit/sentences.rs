//! Sentence checks: lengths, exact and near duplicates, label conflicts and leakage across splits.

use super::load::{Release, TextFacts};
use super::minhash::{self, hash64};
use super::report::*;
use super::texts::Texts;
use super::{EXAMPLES, Params, TEXT_BUDGET, shorten};
use crate::error::Result;
use crate::normalize::{Normalized, normalize_into};
use crate::split::SPLITS;
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::BTreeMap;

pub(crate) struct SentenceChecks {
    pub report: SentenceReport,
    pub conflicts: ConflictReport,
    pub leakage: LeakageReport,
}

/// Histogram bin edges (characters).
const EDGES: [u32; 14] = [0, 1, 10, 20, 40, 60, 80, 120, 160, 240, 320, 480, 640, 1000];
const SHINGLE_SEED: u64 = 0x5348_494e_474c_4535;
const CHAR_SHINGLE: usize = 5;

/// Format characters that show nothing: zero-width and bidi controls, BOM, soft hyphen (the ones
/// [`crate::normalize`] removes).
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF | 0x061C | 0x00AD)
}

thread_local! {
    static NORM: RefCell<Normalized> = RefCell::new(Normalized::default());
}

/// Character 5-gram hashes of `text`'s normalized form (one shingle for shorter texts); nothing when
/// the normalized text has fewer than `min_chars` characters.
pub(crate) fn char_shingles(text: &str, min_chars: u32, out: &mut Vec<u64>) {
    NORM.with(|n| {
        let mut norm = n.borrow_mut();
        normalize_into(text, &mut norm);
        char_shingles_normalized(&norm.text, min_chars, out);
    })
}

/// [`char_shingles`] of an already normalized text.
pub(crate) fn char_shingles_normalized(t: &str, min_chars: u32, out: &mut Vec<u64>) {
    let chars = t.chars().count();
    if chars < min_chars as usize || chars == 0 {
        return;
    }
    if chars <= CHAR_SHINGLE {
        out.push(hash64(t.as_bytes(), SHINGLE_SEED));
        return;
    }
    // Ring of the start offsets of the last CHAR_SHINGLE characters.
    let mut starts = [0usize; CHAR_SHINGLE];
    for (k, (i, _)) in t.char_indices().enumerate() {
        if k >= CHAR_SHINGLE {
            let from = starts[k % CHAR_SHINGLE];
            out.push(hash64(&t.as_bytes()[from..i], SHINGLE_SEED));
        }
        starts[k % CHAR_SHINGLE] = i;
    }
    let from = starts[chars % CHAR_SHINGLE];
    out.push(hash64(&t.as_bytes()[from..], SHINGLE_SEED));
}

fn member(data: &Release, texts: &Texts, i: usize) -> Member {
    let s = &data.sentences[i];
    Member {
        input: data.input(s.article as usize).to_string(),
        split: SPLITS[s.split as usize].to_string(),
        sentence_index: Some(s.sentence_index),
        text: texts.get(i as u32).map(shorten),
    }
}

/// Sentences as near-duplicate items: distinct texts, by a representative sentence.
struct SentenceItems<'a> {
    data: &'a Release,
    /// Representative sentence of each item.
    items: &'a [u32],
    min_chars: u32,
}

impl minhash::Items for SentenceItems<'_> {
    type Batch = Texts;

    fn size(&self, item: u32) -> u64 {
        let s = &self.data.sentences[self.items[item as usize] as usize];
        s.text().map_or(0, |t| t.bytes())
    }

    fn block(&self, item: u32) -> u64 {
        self.data.block(self.items[item as usize])
    }

    fn load(&self, items: &[u32]) -> Result<Texts> {
        self.data
            .texts(items.iter().map(|&k| self.items[k as usize]))
    }

    fn shingles(&self, batch: &Texts, item: u32, out: &mut Vec<u64>) {
        if let Some(t) = batch.get(self.items[item as usize]) {
            char_shingles(t, self.min_chars, out);
        }
    }
}

fn splits_of(mask: u8) -> Vec<String> {
    (0..3)
        .filter(|b| mask & (1 << b) != 0)
        .map(|b| SPLITS[b].to_string())
        .collect()
}

/// Bit per stance label (cooperation 1, threat 2, reassurance 4) of every interned string.
pub(crate) fn label_bits(data: &Release) -> Vec<u8> {
    data.strings
        .iter()
        .map(|s| match s.as_str() {
            "cooperation" => 1,
            "threat" => 2,
            "reassurance" => 4,
            _ => 0,
        })
        .collect()
}

pub(crate) fn label_set_name(bits: u8) -> String {
    let names: Vec<&str> = [(1, "cooperation"), (2, "threat"), (4, "reassurance")]
        .iter()
        .filter(|(b, _)| bits & b != 0)
        .map(|(_, n)| *n)
        .collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join("+")
    }
}

pub(crate) fn check(data: &Release, p: &Params) -> Result<SentenceChecks> {
    let mut clock = super::Clock::new();
    let n = data.sentences.len();
    // Facts of every sentence (without text: lengths from the offsets, no keys).
    let basics = Facts(data);
    let available = data.text_available;
    clock.lap("  sentence basics");

    // Lengths.
    let (mut empty, mut blank, mut invisible, mut short, mut long) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let (mut short_examples, mut long_examples) = (Vec::new(), Vec::new());
    let mut histogram: Vec<Bin> = EDGES
        .iter()
        .enumerate()
        .map(|(k, &from)| Bin {
            from,
            to: EDGES.get(k + 1).copied(),
            count: 0,
        })
        .collect();
    for i in 0..n {
        let b = basics.get(i);
        let bin = EDGES.partition_point(|&e| e <= b.chars) - 1;
        histogram[bin].count += 1;
        if !available {
            continue;
        }
        if b.chars == 0 {
            empty += 1;
        } else if b.blank {
            blank += 1;
        } else if !b.visible {
            invisible += 1;
        } else if b.short {
            short += 1;
            if short_examples.len() < EXAMPLES {
                short_examples.push(i);
            }
        }
        if b.chars > p.max_chars {
            long += 1;
            if long_examples.len() < EXAMPLES {
                long_examples.push(i);
            }
        }
    }
    let mut lengths: Vec<u32> = (0..n).map(|i| basics.get(i).chars).collect();
    lengths.par_sort_unstable();
    let pct = |q: u64| -> u32 {
        if lengths.is_empty() {
            return 0;
        }
        let rank = (q * lengths.len() as u64).div_ceil(100).max(1);
        lengths[rank as usize - 1]
    };
    let total_chars: u64 = lengths.iter().map(|&l| l as u64).sum();
    let length = LengthStats {
        mean: if n == 0 {
            0.0
        } else {
            round(total_chars as f64 / n as f64)
        },
        p50: pct(50),
        p90: pct(90),
        p99: pct(99),
        max: lengths.last().copied().unwrap_or(0),
        histogram,
    };
    drop(lengths);
    clock.lap("  lengths");

    // Exact groups of whitespace-collapsed text (sentences with nothing visible excluded).
    let mut order: Vec<u32> = (0..n as u32)
        .filter(|&i| available && basics.get(i as usize).visible)
        .collect();
    order.par_sort_unstable_by_key(|&i| (basics.get(i as usize).key, i));
    // Per group, by representative: split mask and sentences per split.
    let mut group_splits: Vec<[u32; 3]> = Vec::new();
    let mut group_of = vec![u32::MAX; n];
    // (rep, sentences, articles): u32 counts, as the audit holds one per distinct text.
    let mut groups: Vec<(u32, u32, u32)> = Vec::new();
    for run in order.chunk_by(|&a, &b| basics.get(a as usize).key == basics.get(b as usize).key) {
        let first = run[0];
        let g = groups.len() as u32;
        let mut per_split = [0u32; 3];
        let mut articles = 0u32;
        let mut last_article = u32::MAX;
        for &i in run {
            group_of[i as usize] = g;
            let s = &data.sentences[i as usize];
            per_split[s.split as usize] += 1;
            if s.article != last_article {
                articles += 1;
                last_article = s.article;
            }
        }
        groups.push((first, run.len() as u32, articles));
        group_splits.push(per_split);
    }
    drop(order);
    let mask_of =
        |c: &[u32; 3]| -> u8 { (0..3).filter(|&k| c[k] > 0).fold(0u8, |m, k| m | 1 << k) };
    let duplicates: u64 = groups.iter().map(|g| g.1 as u64 - 1).sum();
    let duplicate_groups = groups.iter().filter(|g| g.1 > 1).count() as u64;
    let mut by_size: Vec<usize> = (0..groups.len()).filter(|&g| groups[g].1 > 1).collect();
    by_size.sort_by_key(|&g| (std::cmp::Reverse(groups[g].1), groups[g].0));
    by_size.truncate(EXAMPLES);

    clock.lap("  exact groups");
    // Near duplicates among the distinct texts (group representatives, in canonical order).
    let mut items: Vec<u32> = groups.iter().map(|g| g.0).collect();
    items.sort_unstable();
    let item_group: Vec<u32> = items.iter().map(|&i| group_of[i as usize]).collect();
    let band_entries: Vec<u32> = items
        .iter()
        .map(|&i| data.sentence_band_entry(&data.sentences[i as usize]))
        .collect();
    let near = minhash::near_duplicates(
        items.len(),
        p.sentence_jaccard,
        |k| data.band_keys(band_entries[k]),
        &SentenceItems {
            data,
            items: &items,
            min_chars: p.min_sentence_chars_near,
        },
        TEXT_BUDGET,
    )?;
    clock.lap("  near duplicates");
    let clusters = cluster_summary(&near, items.len());
    // Leakage: per sentence, the splits of its exact group and of its near cluster.
    let mut cluster_counts: Vec<[u32; 3]> = vec![[0; 3]; items.len()];
    for (k, &g) in item_group.iter().enumerate() {
        let root = near.root[k] as usize;
        for s in 0..3 {
            cluster_counts[root][s] += group_splits[g as usize][s];
        }
    }
    let mut item_of_group = vec![0u32; groups.len()];
    for (k, &g) in item_group.iter().enumerate() {
        item_of_group[g as usize] = k as u32;
    }
    let mut pairs = [[(0u64, 0u64); 3]; 3];
    let (mut eval, mut exact_leaks, mut near_leaks) = (0u64, 0u64, 0u64);
    for (i, s) in data.sentences.iter().enumerate() {
        let split = s.split as usize;
        if split > 0 {
            eval += 1;
        }
        let g = group_of[i];
        if g == u32::MAX {
            continue;
        }
        let em = mask_of(&group_splits[g as usize]);
        let root = near.root[item_of_group[g as usize] as usize] as usize;
        let cm = mask_of(&cluster_counts[root]);
        for (o, pair) in pairs[split].iter_mut().enumerate() {
            if o == split {
                continue;
            }
            if em & (1 << o) != 0 {
                pair.0 += 1;
            } else if cm & (1 << o) != 0 {
                pair.1 += 1;
            }
        }
        if split > 0 {
            let others = !(1u8 << split) & 0b111;
            if em & others != 0 {
                exact_leaks += 1;
            } else if cm & others != 0 {
                near_leaks += 1;
            }
        }
    }
    let split_counts = |c: &[u32; 3]| -> BTreeMap<String, u64> {
        (0..3)
            .filter(|&k| c[k] > 0)
            .map(|k| (SPLITS[k].to_string(), c[k] as u64))
            .collect()
    };
    let mut across: Vec<usize> = (0..groups.len())
        .filter(|&g| mask_of(&group_splits[g]).count_ones() > 1)
        .collect();
    let texts_across_splits = across.len() as u64;
    across.sort_by_key(|&g| (std::cmp::Reverse(groups[g].1), groups[g].0));
    across.truncate(EXAMPLES / 2);
    let near_across: Vec<&Cluster> = clusters
        .iter()
        .filter(|c| {
            mask_of(&cluster_counts[c.root as usize]).count_ones() > 1
                // not already an exact leak within one group only
                && c.members.iter().all(|&k| mask_of(&group_splits[item_group[k as usize] as usize]).count_ones() == 1)
        })
        .take(EXAMPLES / 2)
        .collect();

    clock.lap("  leakage");
    let conflicts = label_conflicts(data, &basics);
    clock.lap("  conflicts");

    // Every example text, read back at once.
    let mut wanted: Vec<u32> = Vec::new();
    wanted.extend(
        short_examples
            .iter()
            .chain(&long_examples)
            .map(|&i| i as u32),
    );
    wanted.extend(by_size.iter().map(|&g| groups[g].0));
    wanted.extend(across.iter().map(|&g| groups[g].0));
    wanted.extend(near_across.iter().map(|c| items[c.root as usize]));
    for c in clusters.iter().take(EXAMPLES) {
        wanted.extend(c.members.iter().take(5).map(|&k| items[k as usize]));
    }
    for (_, first, _, members) in &conflicts.found {
        wanted.push(*first);
        wanted.extend(members.iter().take(4));
    }
    let texts = data.texts(wanted)?;
    let text = |i: u32| texts.get(i).map(shorten).unwrap_or_default();
    let short_examples = short_examples
        .iter()
        .map(|&i| member(data, &texts, i))
        .collect();
    let long_examples = long_examples
        .iter()
        .map(|&i| member(data, &texts, i))
        .collect();
    let top_repeated: Vec<Repeated> = by_size
        .iter()
        .map(|&g| Repeated {
            text: text(groups[g].0),
            sentences: groups[g].1 as u64,
            articles: groups[g].2 as u64,
            splits: splits_of(mask_of(&group_splits[g])),
        })
        .collect();
    let mut leak_examples = Vec::new();
    for &g in &across {
        leak_examples.push(Leak {
            kind: "exact".into(),
            text: text(groups[g].0),
            splits: split_counts(&group_splits[g]),
        });
    }
    for c in &near_across {
        leak_examples.push(Leak {
            kind: "near".into(),
            text: text(items[c.root as usize]),
            splits: split_counts(&cluster_counts[c.root as usize]),
        });
    }
    let near_report = NearReport {
        eligible: near.eligible,
        candidate_pairs: near.candidates,
        similar_pairs: near.pairs.len() as u64,
        clusters: clusters.len() as u64,
        near_duplicates: clusters.iter().map(|c| c.size.saturating_sub(1)).sum(),
        rate: rate(
            clusters.iter().map(|c| c.size.saturating_sub(1)).sum(),
            n as u64,
        ),
        examples: clusters
            .iter()
            .take(EXAMPLES)
            .map(|c| NearCluster {
                size: c.size,
                min_jaccard: round(c.min_jaccard),
                splits: splits_of(c.members.iter().fold(0, |m, &k| {
                    m | mask_of(&group_splits[item_group[k as usize] as usize])
                })),
                members: c
                    .members
                    .iter()
                    .take(5)
                    .map(|&k| member(data, &texts, items[k as usize] as usize))
                    .collect(),
            })
            .collect(),
    };

    let mut leak_pairs = Vec::new();
    for (a, row) in pairs.iter().enumerate() {
        for (b, &(exact, near)) in row.iter().enumerate() {
            if a != b {
                leak_pairs.push(LeakPair {
                    split: SPLITS[a].to_string(),
                    other: SPLITS[b].to_string(),
                    exact,
                    near,
                });
            }
        }
    }
    let leakage = LeakageReport {
        eval_sentences: eval,
        exact: exact_leaks,
        near: near_leaks,
        rate: rate(exact_leaks + near_leaks, eval),
        exact_rate: rate(exact_leaks, eval),
        texts_across_splits,
        pairs: leak_pairs,
        examples: leak_examples,
        articles: ArticleLeakage {
            eval_articles: 0,
            exact: 0,
            near: 0,
            rate: 0.0,
            examples: Vec::new(),
        },
    };

    let conflicts = conflicts.render(data, &texts);

    let report = SentenceReport {
        total: n as u64,
        text_available: available,
        empty,
        whitespace_only: blank,
        invisible_only: invisible,
        too_short: short,
        too_long: long,
        empty_rate: rate(empty + blank + invisible, n as u64),
        short_rate: rate(short, n as u64),
        long_rate: rate(long, n as u64),
        short_examples,
        long_examples,
        length,
        duplicates,
        duplicate_rate: rate(duplicates, n as u64),
        duplicate_groups,
        top_repeated,
        near: near_report,
    };
    Ok(SentenceChecks {
        report,
        conflicts,
        leakage,
    })
}

/// Facts of every sentence (without text: lengths from the offsets, no keys).
struct Facts<'a>(&'a Release);

impl Facts<'_> {
    fn get(&self, i: usize) -> TextFacts {
        let s = &self.0.sentences[i];
        s.text().unwrap_or(TextFacts {
            chars: s.chars(),
            visible: s.chars() > 0,
            ..Default::default()
        })
    }
}

/// A near-duplicate cluster over items.
pub(crate) struct Cluster {
    pub root: u32,
    pub size: u64,
    pub min_jaccard: f64,
    /// Items in order (the first is the root).
    pub members: Vec<u32>,
}

/// Clusters of more than one item, largest first (ties: earliest root first).
pub(crate) fn cluster_summary(near: &minhash::NearDuplicates, n: usize) -> Vec<Cluster> {
    let mut counts = vec![0u32; n];
    for &r in &near.root {
        counts[r as usize] += 1;
    }
    let mut by_root: BTreeMap<u32, Cluster> = BTreeMap::new();
    for k in 0..n as u32 {
        let root = near.root[k as usize];
        if counts[root as usize] < 2 {
            continue;
        }
        let c = by_root.entry(root).or_insert_with(|| Cluster {
            root,
            size: 0,
            min_jaccard: 1.0,
            members: Vec::new(),
        });
        c.size += 1;
        c.members.push(k);
    }
    for &(i, _, s) in &near.pairs {
        if let Some(c) = by_root.get_mut(&near.root[i as usize]) {
            c.min_jaccard = c.min_jaccard.min(s);
        }
    }
    let mut out: Vec<Cluster> = by_root.into_values().collect();
    out.sort_by_key(|c| (std::cmp::Reverse(c.size), c.root));
    out
}

fn label_conflicts(data: &Release, basics: &Facts) -> Conflicts {
    let n = data.sentences.len();
    if !data.text_available {
        return Conflicts {
            groups: 0,
            sentences: 0,
            found: Vec::new(),
        };
    }
    let bits = label_bits(data);
    let label = |i: usize| -> u8 {
        data.stances(&data.sentences[i])
            .iter()
            .fold(0u8, |m, &l| m | bits[l as usize])
    };
    let mut order: Vec<u32> = (0..n as u32)
        .filter(|&i| basics.get(i as usize).visible)
        .collect();
    order.par_sort_unstable_by_key(|&i| (basics.get(i as usize).norm_key, i));
    let mut found: Vec<ConflictGroup> = Vec::new();
    let mut sentences = 0u64;
    for run in
        order.chunk_by(|&a, &b| basics.get(a as usize).norm_key == basics.get(b as usize).norm_key)
    {
        let first = label(run[0] as usize);
        if run.iter().all(|&i| label(i as usize) == first) {
            continue;
        }
        sentences += run.len() as u64;
        let mut labels: BTreeMap<String, u64> = BTreeMap::new();
        let mut members: Vec<u32> = Vec::new();
        let mut seen: Vec<u8> = Vec::new();
        for &i in run {
            let l = label(i as usize);
            *labels.entry(label_set_name(l)).or_default() += 1;
            if !seen.contains(&l) {
                seen.push(l);
                members.push(i);
            }
        }
        found.push((run.len() as u64, run[0], labels, members));
    }
    let groups = found.len() as u64;
    found.sort_by_key(|f| (std::cmp::Reverse(f.0), f.1));
    found.truncate(EXAMPLES);
    Conflicts {
        groups,
        sentences,
        found,
    }
}

/// Label conflicts before their example texts are read.
struct Conflicts {
    groups: u64,
    sentences: u64,
    /// The largest groups (at most [`EXAMPLES`]).
    found: Vec<ConflictGroup>,
}

impl Conflicts {
    fn render(self, data: &Release, texts: &Texts) -> ConflictReport {
        let n = data.sentences.len() as u64;
        ConflictReport {
            groups: self.groups,
            sentences: self.sentences,
            rate: rate(self.sentences, n),
            examples: self
                .found
                .into_iter()
                .map(|(size, first, labels, members)| Conflict {
                    text: texts.get(first).map(shorten).unwrap_or_default(),
                    sentences: size,
                    labels,
                    members: members
                        .iter()
                        .take(4)
                        .map(|&i| member(data, texts, i as usize))
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A group of identical normalized sentences with different labels: key, count, labels seen, rows.
type ConflictGroup = (u64, u32, BTreeMap<String, u64>, Vec<u32>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_shingles_cover_every_window() {
        let mut out = Vec::new();
        char_shingles("abcdefg", 1, &mut out);
        assert_eq!(out.len(), 3);
        assert_eq!(out[0], hash64(b"abcde", SHINGLE_SEED));
        assert_eq!(out[2], hash64(b"cdefg", SHINGLE_SEED));
        out.clear();
        char_shingles("مرحبا بكم", 1, &mut out);
        assert_eq!(out.len(), 5);
        out.clear();
        char_shingles("abc", 1, &mut out);
        assert_eq!(out, vec![hash64(b"abc", SHINGLE_SEED)]);
        out.clear();
        char_shingles("abc", 10, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn label_set_names() {
        assert_eq!(label_set_name(0), "none");
        assert_eq!(label_set_name(3), "cooperation+threat");
    }
}

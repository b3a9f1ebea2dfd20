//! Article checks: no text, exact duplicates by fingerprint, near-duplicates (word 3-grams) and
//! near-duplicate leakage across splits.

use super::load::Release;
use super::minhash::{self, fmix64, hash64};
use super::report::*;
use super::sentences::cluster_summary;
use super::texts::Texts;
use super::{EXAMPLES, Params, TEXT_BUDGET};
use crate::error::Result;
use crate::normalize::{Normalized, is_word_char, normalize_into};
use crate::split::SPLITS;
use std::cell::RefCell;
use std::collections::HashMap;

pub(crate) struct ArticleChecks {
    pub report: ArticleReport,
    pub leakage: ArticleLeakage,
}

const WORD_SEED: u64 = 0x574f_5244_5345_4544;

thread_local! {
    static NORM: RefCell<Normalized> = RefCell::new(Normalized::default());
}

/// Appends the hashes of the words (runs of word characters) of an already normalized text.
pub(crate) fn push_words(normalized: &str, words: &mut Vec<u64>) {
    for w in normalized.split(|c: char| !is_word_char(c)) {
        if !w.is_empty() {
            words.push(hash64(w.as_bytes(), WORD_SEED));
        }
    }
}

/// Word 3-gram hashes of a stream of word hashes (one shingle for fewer than 3 words); nothing when
/// there are fewer than `min_words` words.
pub(crate) fn shingles_from_words(words: &[u64], min_words: u32, out: &mut Vec<u64>) {
    if words.is_empty() || words.len() < min_words as usize {
        return;
    }
    if words.len() < 3 {
        out.push(fmix64(words.iter().fold(0, |h, &w| h.rotate_left(21) ^ w)));
        return;
    }
    out.extend(
        words
            .windows(3)
            .map(|w| fmix64(w[0] ^ w[1].rotate_left(21) ^ w[2].rotate_left(42))),
    );
}

/// Word 3-gram hashes of the normalized text of `texts` read as one stream of words.
pub(crate) fn word_shingles<'a>(
    texts: impl Iterator<Item = &'a str>,
    min_words: u32,
    words: &mut Vec<u64>,
    out: &mut Vec<u64>,
) {
    words.clear();
    NORM.with(|n| {
        let mut norm = n.borrow_mut();
        for t in texts {
            normalize_into(t, &mut norm);
            push_words(&norm.text, words);
        }
    });
    shingles_from_words(words, min_words, out);
}

fn article_ref(data: &Release, a: usize) -> ArticleRef {
    ArticleRef {
        input: data.input(a).to_string(),
        split: SPLITS[data.articles[a].split as usize].to_string(),
    }
}

pub(crate) fn check(data: &Release, p: &Params) -> Result<ArticleChecks> {
    let n = data.articles.len();
    let table = data.article_table_ok;
    // Empty articles.
    let empty: Vec<usize> = (0..n).filter(|&a| data.articles[a].empty).collect();
    // Exact duplicates: the first non-empty article of each fingerprint is the representative.
    let mut first_of: HashMap<u64, usize> = HashMap::new();
    let mut rep = vec![usize::MAX; n];
    let mut copies: Vec<Vec<usize>> = Vec::new();
    let mut group_of = vec![usize::MAX; n];
    for a in 0..n {
        let info = &data.articles[a];
        if info.empty {
            continue;
        }
        let g = info.fingerprint.and_then(|f| first_of.get(&f).copied());
        match g {
            Some(g) => {
                copies[g].push(a);
                rep[a] = copies[g][0];
                group_of[a] = g;
            }
            None => {
                if let Some(f) = info.fingerprint {
                    first_of.insert(f, copies.len());
                }
                group_of[a] = copies.len();
                rep[a] = a;
                copies.push(vec![a]);
            }
        }
    }
    let duplicates: u64 = copies.iter().map(|c| c.len() as u64 - 1).sum();
    let mut dup_groups: Vec<&Vec<usize>> = copies.iter().filter(|c| c.len() > 1).collect();
    let duplicate_groups = dup_groups.len() as u64;
    dup_groups.sort_by_key(|c| (std::cmp::Reverse(c.len()), c[0]));
    let duplicate_examples = dup_groups
        .iter()
        .take(EXAMPLES)
        .map(|c| DuplicateArticles {
            copies: c.len() as u64,
            first: article_ref(data, c[0]),
            others: c[1..]
                .iter()
                .take(5)
                .map(|&a| article_ref(data, a))
                .collect(),
        })
        .collect();

    // Near duplicates among the representatives, in canonical order.
    let items: Vec<usize> = copies.iter().map(|c| c[0]).collect();
    let headline = data
        .strings
        .iter()
        .position(|s| s == "headline")
        .map(|i| i as u32);
    let near = minhash::near_duplicates(
        items.len(),
        p.article_jaccard,
        |k| &data.article_bands[items[k]],
        &ArticleItems {
            data,
            items: &items,
            headline,
            min_words: p.min_article_words,
        },
        TEXT_BUDGET,
    )?;
    let clusters = cluster_summary(&near, items.len());
    let mask = |members: &[usize]| -> u8 {
        members
            .iter()
            .fold(0u8, |m, &a| m | 1 << data.articles[a].split)
    };
    let group_mask: Vec<u8> = copies.iter().map(|c| mask(c)).collect();
    let splits_of = |m: u8| -> Vec<String> {
        (0..3)
            .filter(|b| m & (1 << b) != 0)
            .map(|b| SPLITS[b].to_string())
            .collect()
    };
    let cluster_mask = |c: &super::sentences::Cluster| -> u8 {
        c.members
            .iter()
            .fold(0u8, |m, &k| m | group_mask[group_of[items[k as usize]]])
    };
    // The first sentence (the headline for news) of each example member, to recognise it.
    let shown = |c: &super::sentences::Cluster| {
        c.members
            .iter()
            .take(5)
            .map(|&k| &data.articles[items[k as usize]])
            .filter(|info| info.sentences > 0)
            .map(|info| info.first)
            .collect::<Vec<u32>>()
    };
    let texts = data.texts(
        clusters.iter().take(EXAMPLES).flat_map(shown).chain(
            clusters
                .iter()
                .filter(|c| cluster_mask(c).count_ones() > 1)
                .take(EXAMPLES)
                .flat_map(shown),
        ),
    )?;
    let near_cluster = |c: &super::sentences::Cluster| NearCluster {
        size: c.size,
        min_jaccard: round(c.min_jaccard),
        splits: splits_of(cluster_mask(c)),
        members: c
            .members
            .iter()
            .take(5)
            .map(|&k| {
                let a = items[k as usize];
                let r = article_ref(data, a);
                let info = &data.articles[a];
                // The first sentence (the headline for news), to recognise the article.
                let first = (info.sentences > 0)
                    .then(|| texts.get(info.first))
                    .flatten()
                    .map(super::shorten);
                Member {
                    input: r.input,
                    split: r.split,
                    sentence_index: None,
                    text: first,
                }
            })
            .collect(),
    };
    let near_duplicates: u64 = clusters.iter().map(|c| c.size - 1).sum();
    let near_report = NearReport {
        eligible: near.eligible,
        candidate_pairs: near.candidates,
        similar_pairs: near.pairs.len() as u64,
        clusters: clusters.len() as u64,
        near_duplicates,
        rate: rate(near_duplicates, n as u64),
        examples: clusters.iter().take(EXAMPLES).map(near_cluster).collect(),
    };

    // Leakage: validation and test articles with a duplicate or near-duplicate in another split.
    let mut root_mask = vec![0u8; items.len()];
    for (k, &a) in items.iter().enumerate() {
        root_mask[near.root[k] as usize] |= group_mask[group_of[a]];
    }
    let mut item_of = vec![usize::MAX; n];
    for (k, &a) in items.iter().enumerate() {
        item_of[a] = k;
    }
    let (mut eval, mut exact, mut near_leaks) = (0u64, 0u64, 0u64);
    for a in 0..n {
        let split = data.articles[a].split;
        if split == 0 {
            continue;
        }
        eval += 1;
        if group_of[a] == usize::MAX {
            continue;
        }
        let others = !(1u8 << split) & 0b111;
        let em = group_mask[group_of[a]];
        let cm = root_mask[near.root[item_of[rep[a]]] as usize];
        if em & others != 0 {
            exact += 1;
        } else if cm & others != 0 {
            near_leaks += 1;
        }
    }
    let leak_examples = clusters
        .iter()
        .filter(|c| cluster_mask(c).count_ones() > 1)
        .take(EXAMPLES)
        .map(near_cluster)
        .collect();

    Ok(ArticleChecks {
        report: ArticleReport {
            total: n as u64,
            empty: empty.len() as u64,
            empty_rate: rate(empty.len() as u64, n as u64),
            empty_examples: empty
                .iter()
                .take(EXAMPLES)
                .map(|&a| article_ref(data, a))
                .collect(),
            duplicates: if table { duplicates } else { 0 },
            duplicate_rate: if table {
                rate(duplicates, n as u64)
            } else {
                0.0
            },
            duplicate_groups: if table { duplicate_groups } else { 0 },
            duplicate_examples: if table {
                duplicate_examples
            } else {
                Vec::new()
            },
            near: near_report,
        },
        leakage: ArticleLeakage {
            eval_articles: eval,
            exact,
            near: near_leaks,
            rate: rate(exact + near_leaks, eval),
            examples: leak_examples,
        },
    })
}

/// Articles as near-duplicate items: representatives of exact-duplicate groups.
struct ArticleItems<'a> {
    data: &'a Release,
    items: &'a [usize],
    headline: Option<u32>,
    min_words: u32,
}

impl ArticleItems<'_> {
    /// The article's sentences that count (not headlines).
    fn sentences(&self, item: u32) -> impl Iterator<Item = u32> + '_ {
        let a = &self.data.articles[self.items[item as usize]];
        (a.first..a.first + a.sentences).filter(move |&i| {
            Some(self.data.kind(&self.data.sentences[i as usize])) != self.headline
        })
    }
}

impl minhash::Items for ArticleItems<'_> {
    type Batch = Texts;

    fn size(&self, item: u32) -> u64 {
        self.sentences(item)
            .map(|i| {
                self.data.sentences[i as usize]
                    .text()
                    .map_or(0, |t| t.bytes())
            })
            .sum()
    }

    fn block(&self, item: u32) -> u64 {
        let a = &self.data.articles[self.items[item as usize]];
        if a.sentences == 0 {
            0
        } else {
            self.data.block(a.first)
        }
    }

    fn load(&self, items: &[u32]) -> Result<Texts> {
        self.data
            .texts(items.iter().flat_map(|&k| self.sentences(k)))
    }

    fn shingles(&self, batch: &Texts, item: u32, out: &mut Vec<u64>) {
        let texts = self.sentences(item).filter_map(|i| batch.get(i));
        let mut words = Vec::new();
        word_shingles(texts, self.min_words, &mut words, out);
    }
}

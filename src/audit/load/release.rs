//! The release as the audit holds it: one small fixed-size [`Sentence`] per record, strings and
//! label lists interned, texts left in the data files and read back on demand.

use super::tables::{BandTable, LabelRow};
use crate::audit::texts::{Pos, TextSource, Texts};
use crate::error::Result;
use std::collections::{BTreeMap, HashMap};

pub const MODES: [&str; 3] = ["asserted", "negated", "hypothetical"];
/// How many examples of type problems are kept.
const MAX_PROBLEM_EXAMPLES: usize = 20;

/// One evidence entry, interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ev {
    pub rule: u32,
    pub label: u32,
    /// Index into [`MODES`].
    pub mode: u8,
}

const HAS_TEXT: u8 = 1;
const VISIBLE: u8 = 2;
const BLANK: u8 = 4;
const SHORT: u8 = 8;

/// One sentence of the release, as the audit keeps it.
///
/// Kept small (40 bytes, a test holds it there): the audit holds one per record, and that is what
/// its memory grows with. The text stays in the data files ([`Release::texts`]), and so do the
/// offsets (checked while loading, read back for the gold check); the labels are one interned row
/// ([`Release::kind`], [`Release::stances`] …).
#[derive(Debug, Clone)]
pub struct Sentence {
    /// Index into `Release::articles`.
    pub article: u32,
    pub sentence_index: u32,
    /// Interned [`LabelRow`].
    pub(super) labels: u32,
    /// Where the record is (data file and row), to read its text back.
    row: u32,
    file: u16,
    /// Index into [`crate::split::SPLITS`].
    pub split: u8,
    flags: u8,
    /// Code points of the text, or of the offsets' span when the text is null.
    chars: u32,
    key: u64,
    norm_key: u64,
}

/// Fixed-size facts of one sentence's text, computed while loading.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextFacts {
    /// Key of the whitespace-collapsed text.
    pub key: u64,
    /// Key of the normalized text.
    pub norm_key: u64,
    pub chars: u32,
    /// Some character is neither whitespace nor an invisible format character.
    pub visible: bool,
    /// Nothing is left after trimming whitespace.
    pub blank: bool,
    /// Fewer than `min_sentence_chars` characters are left after trimming.
    pub short: bool,
}

impl TextFacts {
    /// About the bytes the text takes when read back (Arabic letters take two in UTF-8).
    pub fn bytes(&self) -> u64 {
        self.chars as u64 * 2
    }
}

impl Sentence {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        pos: Pos,
        split: u8,
        sentence_index: u32,
        span_chars: u32,
        labels: u32,
        text: Option<TextFacts>,
    ) -> Sentence {
        let t = text.unwrap_or_default();
        let flag = |on: bool, bit: u8| if on { bit } else { 0 };
        let flags = flag(text.is_some(), HAS_TEXT)
            | flag(t.visible, VISIBLE)
            | flag(t.blank, BLANK)
            | flag(t.short, SHORT);
        Sentence {
            article: 0,
            sentence_index,
            labels,
            row: pos.row,
            file: pos.file as u16,
            split,
            flags,
            chars: if text.is_some() { t.chars } else { span_chars },
            key: t.key,
            norm_key: t.norm_key,
        }
    }

    pub fn pos(&self) -> Pos {
        Pos {
            file: self.file as u32,
            row: self.row,
        }
    }

    /// The facts of the text; None when the text is null.
    pub fn text(&self) -> Option<TextFacts> {
        (self.flags & HAS_TEXT != 0).then_some(TextFacts {
            key: self.key,
            norm_key: self.norm_key,
            chars: self.chars,
            visible: self.flags & VISIBLE != 0,
            blank: self.flags & BLANK != 0,
            short: self.flags & SHORT != 0,
        })
    }

    /// Length in code points (from the text when present, else from the offsets).
    pub fn chars(&self) -> u32 {
        self.chars
    }
}

/// One article, in canonical order.
#[derive(Debug, Clone)]
pub struct ArticleInfo {
    /// String id of the input ([`Release::str`]).
    pub input: u32,
    pub split: u8,
    /// Key of the fingerprint (hex sha256 of the whitespace-collapsed body); None when unknown.
    pub fingerprint: Option<u64>,
    pub empty: bool,
    /// Index of its first sentence in `Release::sentences`.
    pub first: u32,
    pub sentences: u32,
}

/// Schema and type findings.
#[derive(Debug, Clone, Default)]
pub struct TypeFindings {
    /// Per file: None when its schema is as expected, else the problem.
    pub files: Vec<(String, Option<String>)>,
    pub violations: BTreeMap<String, u64>,
    pub examples: Vec<String>,
}

impl TypeFindings {
    pub fn add(&mut self, check: &str, example: impl FnOnce() -> String) {
        *self.violations.entry(check.to_string()).or_default() += 1;
        if self.examples.len() < MAX_PROBLEM_EXAMPLES {
            self.examples.push(example());
        }
    }

    pub(super) fn merge(&mut self, other: TypeFindings) {
        for (k, v) in other.violations {
            *self.violations.entry(k).or_default() += v;
        }
        for e in other.examples {
            if self.examples.len() < MAX_PROBLEM_EXAMPLES {
                self.examples.push(e);
            }
        }
    }
}

/// A release in memory.
pub struct Release {
    pub strings: Vec<String>,
    pub sentences: Vec<Sentence>,
    pub articles: Vec<ArticleInfo>,
    /// False when the release was built without text (text checks are skipped).
    pub text_available: bool,
    /// True when the article table was read and matches the data.
    pub article_table_ok: bool,
    pub types: TypeFindings,
    /// Per article (same order as `articles`): near-duplicate band keys of its word 3-grams;
    /// empty when it has too few words to take part.
    pub article_bands: Vec<Box<[u32]>>,
    /// Near-duplicate band keys of each distinct sentence text, by its key.
    pub(super) sentence_bands: BandTable,
    pub(super) label_rows: Vec<LabelRow>,
    /// Interned `stances` and `actors` lists (string ids).
    pub(super) lists: Vec<Box<[u32]>>,
    /// Interned `evidence` lists.
    pub(super) evidence_lists: Vec<Box<[Ev]>>,
    pub(super) source: TextSource,
}

impl Release {
    pub fn str(&self, id: u32) -> &str {
        &self.strings[id as usize]
    }

    /// The input of article `a`.
    pub fn input(&self, a: usize) -> &str {
        self.str(self.articles[a].input)
    }

    /// Frees the sentences' near-duplicate band keys once their check is done, so later checks
    /// do not hold them.
    pub fn free_sentence_bands(&mut self) {
        self.sentence_bands = BandTable::default();
    }

    /// Frees the articles' near-duplicate band keys once their check is done.
    pub fn free_article_bands(&mut self) {
        self.article_bands = Vec::new();
    }

    fn row(&self, s: &Sentence) -> &LabelRow {
        &self.label_rows[s.labels as usize]
    }

    /// `kind`, as a string id.
    pub fn kind(&self, s: &Sentence) -> u32 {
        self.row(s).kind
    }

    /// `lang`, as a string id.
    pub fn lang(&self, s: &Sentence) -> u32 {
        self.row(s).lang
    }

    /// `stance`, as a string id.
    pub fn stance(&self, s: &Sentence) -> u32 {
        self.row(s).stance
    }

    pub fn stances(&self, s: &Sentence) -> &[u32] {
        &self.lists[self.row(s).stances as usize]
    }

    pub fn actors(&self, s: &Sentence) -> &[u32] {
        &self.lists[self.row(s).actors as usize]
    }

    pub fn evidence(&self, s: &Sentence) -> &[Ev] {
        &self.evidence_lists[self.row(s).evidence as usize]
    }

    /// A handle on the near-duplicate band keys of a sentence's text
    /// ([`crate::audit::minhash::Signer`]), for [`Release::band_keys`]; its keys are empty when the
    /// text is null or too short to take part. The near-duplicate check reads each item's keys
    /// once per band, so it resolves the handles once.
    pub fn sentence_band_entry(&self, s: &Sentence) -> u32 {
        s.text()
            .map_or(u32::MAX, |t| self.sentence_bands.entry(t.norm_key))
    }

    /// The band keys behind a handle from [`Release::sentence_band_entry`].
    pub fn band_keys(&self, entry: u32) -> &[u32] {
        self.sentence_bands.keys_of(entry)
    }

    /// The row group holding a sentence ([`TextSource::block`]), to batch reads by row group.
    pub fn block(&self, sentence: u32) -> u64 {
        self.source.block(self.sentences[sentence as usize].pos())
    }

    /// Reads the offsets (`char_start`, `char_end`) of the given sentences back from the data files.
    pub fn offsets(
        &self,
        sentences: impl IntoIterator<Item = u32>,
    ) -> Result<HashMap<u32, (u32, u32)>> {
        let wanted: Vec<u32> = sentences.into_iter().collect();
        let positions: Vec<Pos> = wanted
            .iter()
            .map(|&i| self.sentences[i as usize].pos())
            .collect();
        let found = self.source.fetch_offsets(&positions)?;
        Ok(wanted
            .into_iter()
            .filter_map(|i| {
                let pos = self.sentences[i as usize].pos();
                found.get(&pos).map(|&o| (i, o))
            })
            .collect())
    }

    /// Reads the texts of the given sentences (canonical indices) back from the data files.
    pub fn texts(&self, sentences: impl IntoIterator<Item = u32>) -> Result<Texts> {
        let mut wanted: Vec<u32> = sentences.into_iter().collect();
        wanted.sort_unstable();
        wanted.dedup();
        let positions: Vec<Pos> = wanted
            .iter()
            .map(|&i| &self.sentences[i as usize])
            .filter(|s| s.text().is_some())
            .map(Sentence::pos)
            .collect();
        let mut found = self.source.fetch(&positions)?;
        Ok(Texts::new(
            wanted
                .into_iter()
                .filter_map(|i| {
                    let pos = self.sentences[i as usize].pos();
                    found.remove(&pos).map(|t| (i, t))
                })
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_sentence_stays_small() {
        assert!(std::mem::size_of::<super::Sentence>() <= 40);
    }
}

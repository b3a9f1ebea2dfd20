//! One article through segment → normalize → label → records. Pure: the same article, rules and
//! settings always give the same records, on any thread.

use crate::label::RuleSet;
use crate::read::Article;
use crate::record::{Record, record_id, text_sha256};
use crate::segment::Segmenter;
use crate::split::{SPLITS, SplitConfig};

/// Everything one article turns into.
pub struct ProcessedArticle {
    pub split: usize,
    pub fingerprint: [u8; 32],
    /// Records in sentence order, each with its record hash.
    pub records: Vec<(Record, [u8; 32])>,
}

pub struct Processor<'a> {
    pub segmenter: &'a Segmenter,
    pub rules: &'a RuleSet,
    pub split: &'a SplitConfig,
    pub without_text: bool,
}

impl Processor<'_> {
    pub fn process(&self, article: &Article) -> ProcessedArticle {
        let fingerprint = article.fingerprint();
        let split = self.split.assign(&fingerprint);
        let sentences = self.segmenter.segment(&article.text);
        let mut records = Vec::with_capacity(sentences.len());
        for (index, sentence) in sentences.iter().enumerate() {
            let text = &article.text[sentence.byte_start..sentence.byte_end];
            let labels = self.rules.label(
                &article.text,
                sentence.byte_start,
                sentence.byte_end,
                sentence.char_start,
                sentence.kind.as_str(),
            );
            let index = index as u32;
            let record = Record {
                record_id: record_id(&article.article_id, index, text),
                article_id: article.article_id.clone(),
                input: article.input.clone(),
                publisher: article.publisher.clone(),
                url: article.url.clone(),
                date: article.date.clone(),
                author: article.author.clone(),
                sentence_index: index,
                kind: sentence.kind.as_str().to_string(),
                // Articles are capped far below 4 GiB (config check), so offsets fit in u32.
                char_start: sentence.char_start as u32,
                char_end: sentence.char_end as u32,
                byte_start: sentence.byte_start as u32,
                byte_end: sentence.byte_end as u32,
                text: (!self.without_text).then(|| text.to_string()),
                text_sha256: text_sha256(text),
                lang: detect_lang(text).to_string(),
                stance: labels.stance.as_str().to_string(),
                stances: labels
                    .stances
                    .iter()
                    .map(|s| s.as_str().to_string())
                    .collect(),
                actors: labels.actors,
                evidence: labels.evidence,
                split: SPLITS[split].to_string(),
            };
            let hash = record.hash();
            records.push((record, hash));
        }
        ProcessedArticle {
            split,
            fingerprint,
            records,
        }
    }
}

/// `ar` when Arabic letters are at least as many as Latin ones, else `en`.
pub fn detect_lang(text: &str) -> &'static str {
    let (mut arabic, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            latin += 1;
        } else if ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{0750}'..='\u{077F}').contains(&c) {
            arabic += 1;
        }
    }
    if latin > arabic { "en" } else { "ar" }
}

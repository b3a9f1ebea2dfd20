//! One output row (schema v1) and the exact bytes behind its hashes (documented in
//! `schemas/hashes.md`, checked independently by `scripts/verify_release.py`).

use crate::label::Evidence;
use sha2::{Digest, Sha256};

/// One sentence of one article, labeled: a row of schema v1.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Record {
    pub record_id: String,
    pub article_id: String,
    pub input: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
    pub sentence_index: u32,
    pub kind: String,
    pub char_start: u32,
    pub char_end: u32,
    pub byte_start: u32,
    pub byte_end: u32,
    /// None only in a text-free release.
    pub text: Option<String>,
    pub text_sha256: String,
    pub lang: String,
    pub stance: String,
    pub stances: Vec<String>,
    pub actors: Vec<String>,
    pub evidence: Vec<Evidence>,
    pub split: String,
}

/// `record_id`: sha256 over `str(article_id) ‖ u32le(sentence_index) ‖ str(text)`.
pub fn record_id(article_id: &str, sentence_index: u32, text: &str) -> String {
    let mut h = Sha256::new();
    put_str(&mut h, article_id);
    h.update(sentence_index.to_le_bytes());
    put_str(&mut h, text);
    hex::encode(h.finalize())
}

/// `text_sha256`: sha256 of the sentence's UTF-8 bytes.
pub fn text_sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl Record {
    /// The record hash: sha256 over every column in schema order, each encoded as in
    /// `schemas/hashes.md`. The content hash of a file or release is built from these.
    pub fn hash(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        put_str(&mut h, &self.record_id);
        put_str(&mut h, &self.article_id);
        put_str(&mut h, &self.input);
        put_opt(&mut h, self.publisher.as_deref());
        put_opt(&mut h, self.url.as_deref());
        put_opt(&mut h, self.date.as_deref());
        put_opt(&mut h, self.author.as_deref());
        h.update(self.sentence_index.to_le_bytes());
        put_str(&mut h, &self.kind);
        for n in [
            self.char_start,
            self.char_end,
            self.byte_start,
            self.byte_end,
        ] {
            h.update(n.to_le_bytes());
        }
        put_opt(&mut h, self.text.as_deref());
        put_str(&mut h, &self.text_sha256);
        put_str(&mut h, &self.lang);
        put_str(&mut h, &self.stance);
        put_list(&mut h, &self.stances);
        put_list(&mut h, &self.actors);
        h.update((self.evidence.len() as u64).to_le_bytes());
        for e in &self.evidence {
            put_str(&mut h, &e.rule);
            put_str(&mut h, &e.label);
            put_str(&mut h, e.mode.as_str());
            h.update(e.char_start.to_le_bytes());
            h.update(e.char_end.to_le_bytes());
        }
        put_str(&mut h, &self.split);
        h.finalize().into()
    }
}

/// A string: its byte length as u64 little-endian, then its UTF-8 bytes.
fn put_str(h: &mut Sha256, s: &str) {
    h.update((s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

/// A nullable string: byte 0 for null, else byte 1 and the string.
fn put_opt(h: &mut Sha256, s: Option<&str>) {
    match s {
        None => h.update([0u8]),
        Some(s) => {
            h.update([1u8]);
            put_str(h, s);
        }
    }
}

/// A list of strings: the count as u64 little-endian, then each string.
fn put_list(h: &mut Sha256, items: &[String]) {
    h.update((items.len() as u64).to_le_bytes());
    for s in items {
        put_str(h, s);
    }
}

/// Content hash over a sequence of record hashes: sha256 of their 32-byte digests concatenated.
#[derive(Clone, Default)]
pub struct ContentHasher {
    hasher: Sha256,
    rows: u64,
}

impl ContentHasher {
    pub fn push(&mut self, record_hash: &[u8; 32]) {
        self.hasher.update(record_hash);
        self.rows += 1;
    }
    pub fn rows(&self) -> u64 {
        self.rows
    }
    pub fn finish(self) -> String {
        hex::encode(self.hasher.finalize())
    }
}

/// The release content hash: sha256 over, for each data file in release order (splits train,
/// validation, test; shards in order), `str(path) ‖ u64le(rows) ‖ file content hash (32 raw bytes)`.
pub fn release_content_hash<'a>(
    files: impl IntoIterator<Item = (&'a str, u64, &'a str)>,
) -> String {
    let mut h = Sha256::new();
    for (path, rows, content) in files {
        put_str(&mut h, path);
        h.update(rows.to_le_bytes());
        h.update(hex::decode(content).unwrap_or_default());
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_id_depends_on_every_part() {
        let base = record_id("a", 0, "t");
        assert_ne!(base, record_id("a", 1, "t"));
        assert_ne!(base, record_id("b", 0, "t"));
        assert_ne!(base, record_id("a", 0, "u"));
        // Length prefixes keep ("ab","c") apart from ("a","bc").
        assert_ne!(record_id("ab", 0, "c"), record_id("a", 0, "bc"));
    }
}

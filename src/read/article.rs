use sha2::{Digest, Sha256};
use std::ops::Range;

/// One article as the rest of the pipeline sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The input's id when it has one, else the sha256 (hex) of `text`.
    pub article_id: String,
    /// Input path relative to its root, plus `#N` for JSON inputs.
    pub input: String,
    /// The article text every offset indexes.
    pub text: String,
    /// Byte range of the body inside `text`: the content for JSON with a headline field, else all of it.
    pub body: Range<usize>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
}

impl Article {
    /// sha256 of the body with every run of Unicode whitespace collapsed to one space, trimmed
    /// (design.md). Duplicate detection and split grouping both use it.
    pub fn fingerprint(&self) -> [u8; 32] {
        fingerprint(&self.text[self.body.clone()])
    }

    /// True when the body holds nothing but whitespace.
    pub fn is_empty(&self) -> bool {
        self.text[self.body.clone()].trim().is_empty()
    }
}

/// The fingerprint of a body text, streamed into the hasher without building the collapsed copy.
pub fn fingerprint(body: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    let mut first = true;
    for word in body.split_whitespace() {
        if !first {
            hasher.update(b" ");
        }
        hasher.update(word.as_bytes());
        first = false;
    }
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_collapses_whitespace() {
        assert_eq!(fingerprint("  a \u{a0}\n b  "), fingerprint("a b"));
        assert_ne!(fingerprint("a b"), fingerprint("ab"));
        let empty: [u8; 32] = Sha256::digest(b"").into();
        assert_eq!(fingerprint(" \n "), empty);
    }
}

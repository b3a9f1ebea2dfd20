//! The audit on the real corpus (`../shared/corpus/saudinewsnet`): the articles with no content and
//! the exact duplicate articles it reports equal an independent count made here straight from the
//! corpus files (flate2 + serde_json, design.md's fingerprint), and the audit recomputed from the
//! published release is byte-identical to the one the build stored.
//!
//! Skips (with a message) when `../shared` is absent. Builds the whole corpus (~31,000 articles,
//! ~310,000 sentences) with the test binary: about a minute on two cores.

mod common;

use common::*;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::BufRead;
use std::path::Path;

/// (articles, empty, duplicates) counted from the corpus files in canonical order (file names in
/// byte order, then line order). Empty: the `content` is empty or whitespace only. Duplicate: a
/// non-empty article whose fingerprint (sha256 of the content with every run of Unicode whitespace
/// collapsed to one space, trimmed) an earlier non-empty article already had.
fn count_from_corpus(corpus: &Path) -> (u64, u64, u64) {
    let mut files: Vec<_> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".jsonl.gz"))
        .collect();
    files.sort();
    let (mut articles, mut empty, mut duplicates) = (0u64, 0u64, 0u64);
    let mut seen: HashSet<[u8; 32]> = HashSet::new();
    for path in files {
        let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(
            std::fs::File::open(&path).unwrap(),
        ));
        for line in reader.lines() {
            let line = line.unwrap();
            if line.trim().is_empty() {
                continue;
            }
            let value: serde_json::Value = serde_json::from_str(&line).unwrap();
            articles += 1;
            let content = value
                .get("content")
                .or_else(|| value.get("text"))
                .and_then(|v| v.as_str())
                .unwrap_or("");
            if content.trim().is_empty() {
                empty += 1;
                continue;
            }
            let collapsed = content.split_whitespace().collect::<Vec<_>>().join(" ");
            if !seen.insert(Sha256::digest(collapsed.as_bytes()).into()) {
                duplicates += 1;
            }
        }
    }
    (articles, empty, duplicates)
}

#[test]
fn the_corpus_audit_reports_its_empty_and_duplicate_articles() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus/saudinewsnet");
    let (articles, empty, duplicates) = count_from_corpus(&corpus);
    // The corpus's known defects.
    assert_eq!((empty, duplicates), (354, 772));

    let tmp = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let out = claimset(&[
        "build",
        "--input",
        path_str(&corpus),
        "--name",
        "corpus",
        "--version",
        "0.1.0",
        "--out",
        path_str(tmp.path()),
        "--quiet",
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "built and audited the corpus in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let release = tmp.path().join("corpus/0.1.0");
    let stored = std::fs::read(release.join("audit.json")).unwrap();
    let audit: claimset::audit::Audit = serde_json::from_slice(&stored).unwrap();
    assert_eq!(audit.articles.total, articles);
    assert_eq!(audit.articles.empty, empty, "articles with no content");
    assert_eq!(
        audit.articles.duplicates, duplicates,
        "exact duplicate articles"
    );
    assert!(audit.schema.ok, "{:?}", audit.schema);
    assert!(audit.sentences.total > 300_000);
    // The corpus holds wire copies and boilerplate: near-duplicates and leakage exist.
    assert!(audit.articles.near.near_duplicates > 0);
    assert!(audit.sentences.near.near_duplicates > 0);
    assert!(audit.leakage.exact > 0);

    // Recomputed from the published release: the same bytes.
    let out = claimset_ok(&["audit", path_str(&release), "--json"]);
    assert!(
        out.stdout == stored,
        "the recomputed audit differs from the stored audit.json"
    );
}

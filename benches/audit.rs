//! Audit benchmark: the whole SaudiNewsNet corpus (~31,000 articles, ~310,000 sentences) audited
//! at 1 and 2 threads, near-duplicate detection included. Plain timing, printed as a table.
//!
//! The release is built once into `target/audit-bench/` (reused by later runs; delete the directory
//! to rebuild it). Data: `$CLAIMSET_SHARED` or `$CARGO_MANIFEST_DIR/../shared`; skips with a
//! message when absent. Run: `cargo bench --bench audit`. Target: under 30 s at 2 threads.

use claimset::audit::{AuditOptions, audit, to_json};
use claimset::manifest::Manifest;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn shared_dir() -> PathBuf {
    std::env::var_os("CLAIMSET_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn main() {
    let corpus = shared_dir().join("corpus/saudinewsnet");
    if !corpus.is_dir() {
        eprintln!(
            "skipping the audit benchmark: {} is absent",
            corpus.display()
        );
        return;
    }
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/audit-bench");
    let release = out.join("corpus/0.1.0");
    if Manifest::read(&release).is_err() {
        eprintln!("building the corpus release into {} …", out.display());
        let started = Instant::now();
        let code = claimset::cli::main(
            [
                "claimset",
                "build",
                "--input",
                corpus.to_str().expect("a UTF-8 path"),
                "--name",
                "corpus",
                "--version",
                "0.1.0",
                "--out",
                out.to_str().expect("a UTF-8 path"),
                "--quiet",
            ]
            .map(Into::into),
        );
        assert!(code <= 1, "the build failed (exit {code})");
        eprintln!("built in {:.1} s", started.elapsed().as_secs_f64());
    }
    let manifest = Manifest::read(&release).expect("a readable release");
    let sentences: u64 = manifest.splits.iter().map(|s| s.rows).sum();
    let articles: u64 = manifest.splits.iter().map(|s| s.articles).sum();
    println!(
        "audit of {articles} articles, {sentences} sentences ({})",
        release.display()
    );
    println!(
        "{:>8} {:>10} {:>14} {:>10}",
        "threads", "seconds", "sentences/s", "status"
    );
    let mut reports = Vec::new();
    for threads in [1, 2] {
        let started = Instant::now();
        let report = audit(
            &release,
            &manifest,
            &AuditOptions {
                threads,
                gold: None,
            },
        )
        .expect("the audit runs");
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{threads:>8} {secs:>10.2} {:>14.0} {:>10}",
            sentences as f64 / secs,
            report.status.as_str()
        );
        reports.push(to_json(&report));
    }
    assert!(
        reports.windows(2).all(|w| w[0] == w[1]),
        "the report depends on the thread count"
    );
}

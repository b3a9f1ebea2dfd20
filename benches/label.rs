//! Throughput of normalize, normalize + match, and the full label() over the SaudiNewsNet corpus
//! (harness = false), single-threaded. text = trim(title) + "\n" + trim(content), split naively
//! on ". " and newlines. Prints MB/s per stage (best of 3 runs each).
//! Corpus: $CLAIMSET_SHARED/corpus/saudinewsnet or $CARGO_MANIFEST_DIR/../shared/corpus/saudinewsnet.
//! BENCH_FILES=N limits the number of corpus files; BENCH_MODE=norm|match|label runs one stage.
use claimset::label::RuleSet;
use claimset::normalize::{Normalized, normalize_into};
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

/// Sentence spans (byte start, byte end, char start) of every text.
fn split(texts: &[String]) -> Vec<Vec<(usize, usize, usize)>> {
    texts
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            let b = t.as_bytes();
            let (mut start, mut cstart, mut i) = (0usize, 0usize, 0usize);
            while i <= b.len() {
                let end_here = i == b.len()
                    || b[i] == b'\n'
                    || (b[i] == b'.' && i + 1 < b.len() && b[i + 1] == b' ');
                if end_here {
                    let e = if i < b.len() && b[i] == b'.' {
                        i + 1
                    } else {
                        i
                    };
                    if e > start {
                        out.push((start, e, cstart));
                        cstart += t[start..e].chars().count();
                    }
                    let next = (i + 1).min(b.len());
                    cstart += t[e..next].chars().count();
                    start = next;
                    i += 1;
                    continue;
                }
                i += 1;
            }
            out
        })
        .collect()
}

/// CPU time of this thread in seconds (Linux: /proc/thread-self/schedstat), if available; the
/// machine may be shared, so MB/s is reported against CPU time as well as wall time.
fn thread_cpu() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(s.split_whitespace().next()?.parse::<f64>().ok()? / 1e9)
}

fn main() {
    let shared = std::env::var("CLAIMSET_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let dir = shared.join("corpus/saudinewsnet");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        println!(
            "bench label: SKIPPED — corpus not found at {} (set CLAIMSET_SHARED)",
            dir.display()
        );
        return;
    };
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".jsonl.gz"))
        .collect();
    files.sort();
    let max: usize = std::env::var("BENCH_FILES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(files.len());
    let mut texts = Vec::new();
    for f in files.iter().take(max) {
        let mut s = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(f).unwrap())
            .read_to_string(&mut s)
            .unwrap();
        for line in s.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            texts.push(format!(
                "{}\n{}",
                v["title"].as_str().unwrap_or("").trim(),
                v["content"].as_str().unwrap_or("").trim()
            ));
        }
    }
    let spans = split(&texts);
    let t0 = Instant::now();
    let rs = RuleSet::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{e}"));
    let (nodes, tbytes) = rs.matcher_stats();
    println!(
        "rule set loaded in {:.1} ms (trie: {} nodes, {:.1} MB transitions)",
        t0.elapsed().as_secs_f64() * 1e3,
        nodes,
        tbytes as f64 / 1e6
    );
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let nsent: usize = spans.iter().map(|s| s.len()).sum();
    println!(
        "{} articles, {} sentences, {:.1} MB",
        texts.len(),
        nsent,
        bytes as f64 / 1e6
    );
    let only = std::env::var("BENCH_MODE").unwrap_or_default();
    for mode in ["norm", "match", "label"] {
        if !only.is_empty() && only != mode {
            continue;
        }
        let mut best = f64::MAX;
        let mut best_cpu = f64::MAX;
        let mut out = 0usize;
        let mut norm = Normalized::default();
        for _ in 0..3 {
            let t0 = Instant::now();
            let c0 = thread_cpu();
            out = 0;
            for (t, sp) in texts.iter().zip(&spans) {
                for &(s, e, c) in sp {
                    out += match mode {
                        "norm" => {
                            normalize_into(&t[s..e], &mut norm);
                            norm.text.len()
                        }
                        "match" => rs.match_count(&t[s..e]),
                        _ => rs.label(t, s, e, c, "body").evidence.len(),
                    };
                }
            }
            best = best.min(t0.elapsed().as_secs_f64());
            if let (Some(a), Some(b)) = (c0, thread_cpu()) {
                best_cpu = best_cpu.min(b - a);
            }
        }
        let what = match mode {
            "norm" => "normalize only        ",
            "match" => "normalize + match     ",
            _ => "full label()          ",
        };
        let cpu = if best_cpu < f64::MAX {
            format!(
                ", CPU {:.3} s → {:>7.1} MB/s",
                best_cpu,
                bytes as f64 / 1e6 / best_cpu
            )
        } else {
            String::new()
        };
        println!(
            "{what} best of 3: wall {:.3} s → {:>7.1} MB/s per core{cpu} ({} {})",
            best,
            bytes as f64 / 1e6 / best,
            out,
            if mode == "norm" {
                "bytes out"
            } else if mode == "match" {
                "hits"
            } else {
                "evidence items"
            }
        );
    }
}

//! Segmentation benchmark: exact-span P/R/F1 on the gold dev and test parts and
//! throughput (MB/s, one thread) on the SaudiNewsNet corpus, for claimset's segmenter,
//! `unicode-segmentation` and `icu_segmenter`. Plain timing, printed as a table.
//!
//! Data: `$CLAIMSET_SHARED` or `$CARGO_MANIFEST_DIR/../shared` (gold/ and corpus/saudinewsnet/).
//! Skips with a message when that directory is absent.
//! Run: `cargo bench --bench segment`

use std::collections::{BTreeMap, HashSet};
use std::hint::black_box;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Instant;

use claimset::segment::{Segmenter, Unit};
use unicode_segmentation::UnicodeSegmentation;

type Spans = Vec<(usize, usize)>;

fn shared_dir() -> PathBuf {
    std::env::var_os("CLAIMSET_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// Byte spans -> trimmed, non-empty char spans.
fn to_char_spans(text: &str, byte_spans: impl IntoIterator<Item = (usize, usize)>) -> Spans {
    let mut out = Vec::new();
    let (mut cb, mut cc) = (0usize, 0usize);
    for (s, e) in byte_spans {
        let piece = &text[s..e];
        let t = piece.trim_start();
        let s = s + (piece.len() - t.len());
        let e = s + t.trim_end().len();
        if s >= e {
            continue;
        }
        cc += text[cb..s].chars().count();
        let a = cc;
        cc += text[s..e].chars().count();
        cb = e;
        out.push((a, cc));
    }
    out
}

fn seg_claimset(seg: &Segmenter, text: &str) -> Spans {
    seg.segment(text)
        .iter()
        .map(|s| (s.char_start, s.char_end))
        .collect()
}

fn seg_unicode(text: &str) -> Spans {
    let spans: Vec<(usize, usize)> = text
        .split_sentence_bound_indices()
        .map(|(i, s)| (i, i + s.len()))
        .collect();
    to_char_spans(text, spans)
}

fn seg_icu(text: &str) -> Spans {
    let seg = icu_segmenter::SentenceSegmenter::new(Default::default());
    let breaks: Vec<usize> = seg.segment_str(text).collect();
    to_char_spans(text, breaks.windows(2).map(|w| (w[0], w[1])))
}

/// Gold spans per file, for one part (`dev` or `test`).
fn load_gold(shared: &Path, part: &str) -> BTreeMap<String, Spans> {
    let f = std::fs::File::open(shared.join(format!("gold/{part}.jsonl"))).expect("gold jsonl");
    let mut m: BTreeMap<String, Spans> = BTreeMap::new();
    for line in BufReader::new(f).lines() {
        let line = line.expect("read gold");
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line).expect("gold json");
        let file = v["file"].as_str().expect("file").to_string();
        let s = v["start"].as_u64().expect("start") as usize;
        let e = v["end"].as_u64().expect("end") as usize;
        m.entry(file).or_default().push((s, e));
    }
    m
}

#[derive(Default, Clone, Copy)]
struct Prf {
    matched: usize,
    predicted: usize,
    gold: usize,
}
impl Prf {
    fn p(&self) -> f64 {
        self.matched as f64 / self.predicted.max(1) as f64
    }
    fn r(&self) -> f64 {
        self.matched as f64 / self.gold.max(1) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn score(shared: &Path, gold: &BTreeMap<String, Spans>, f: &dyn Fn(&str) -> Spans) -> Prf {
    let mut prf = Prf::default();
    for (file, spans) in gold {
        let text =
            std::fs::read_to_string(shared.join("gold/articles").join(file)).expect("article");
        let pred = f(&text);
        let g: HashSet<(usize, usize)> = spans.iter().copied().collect();
        prf.matched += pred.iter().filter(|s| g.contains(s)).count();
        prf.predicted += pred.len();
        prf.gold += spans.len();
    }
    prf
}

/// Article texts of the corpus: trim(title) + "\n" + trim(content).
fn load_corpus(dir: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.to_string_lossy().ends_with(".jsonl.gz"));
    files.sort();
    let mut texts = Vec::new();
    for p in files {
        let f = std::fs::File::open(&p).expect("corpus file");
        let r = BufReader::new(flate2::read::MultiGzDecoder::new(f));
        for line in r.lines() {
            let line = line.expect("gzip line");
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = match serde_json::from_str(&line) {
                Ok(v) => v,
                Err(_) => continue,
            };
            let title = v["title"].as_str().unwrap_or("").trim();
            let content = v["content"].as_str().unwrap_or("").trim();
            texts.push(format!("{title}\n{content}"));
        }
    }
    texts
}

/// Best of `runs` timed passes over all texts; returns MB/s (1 MB = 10^6 bytes).
fn throughput(texts: &[String], runs: usize, f: &dyn Fn(&str) -> usize) -> f64 {
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let t0 = Instant::now();
        let mut n = 0usize;
        for t in texts {
            n += f(black_box(t));
        }
        black_box(n);
        best = best.min(t0.elapsed().as_secs_f64());
    }
    bytes as f64 / 1e6 / best
}

fn main() {
    let shared = shared_dir();
    if !shared.join("gold").is_dir() {
        println!(
            "segment bench: skipped — shared data not found at {} (set CLAIMSET_SHARED)",
            shared.display()
        );
        return;
    }
    let seg = Segmenter::new(Unit::Sentence);
    let dev = load_gold(&shared, "dev");
    let test = load_gold(&shared, "test");
    let cs = |t: &str| seg_claimset(&seg, t);
    let names = ["claimset", "unicode-segmentation", "icu_segmenter"];
    let fns: [&dyn Fn(&str) -> Spans; 3] = [&cs, &seg_unicode, &seg_icu];

    let corpus_dir = shared.join("corpus/saudinewsnet");
    let texts = load_corpus(&corpus_dir);
    let mb: f64 = texts.iter().map(|t| t.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "gold: dev {} files, test {} files; corpus: {} articles, {:.1} MB",
        dev.len(),
        test.len(),
        texts.len(),
        mb
    );

    let icu = icu_segmenter::SentenceSegmenter::new(Default::default());
    let tp_fns: [&dyn Fn(&str) -> usize; 3] = [
        &|t: &str| seg.segment(t).len(),
        &|t: &str| {
            t.split_sentence_bound_indices()
                .filter(|(_, s)| !s.trim().is_empty())
                .count()
        },
        &|t: &str| icu.segment_str(t).count(),
    ];
    let runs: usize = std::env::var("CLAIMSET_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);

    println!();
    println!(
        "| segmenter | dev P | dev R | dev F1 | test P | test R | test F1 | MB/s (1 thread) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for k in 0..3 {
        let d = score(&shared, &dev, fns[k]);
        let t = score(&shared, &test, fns[k]);
        let tp = if texts.is_empty() {
            f64::NAN
        } else {
            throughput(&texts, runs, tp_fns[k])
        };
        println!(
            "| {} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} | {:.0} |",
            names[k],
            d.p(),
            d.r(),
            d.f1(),
            t.p(),
            t.r(),
            t.f1(),
            tp
        );
        println!(
            "|   errors ({}) | dev: {} FP, {} FN | | | test: {} FP, {} FN | | | |",
            names[k],
            d.predicted - d.matched,
            d.gold - d.matched,
            t.predicted - t.matched,
            t.gold - t.matched
        );
    }
}

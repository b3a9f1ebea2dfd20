//! Sharded builds: `build --shard I/N` on every shard, then `merge`, gives the single-machine
//! release byte for byte; a merge of an incomplete, repeated, mixed or mismatched set of shards
//! fails with exit 2 and publishes nothing.

mod common;

use common::{claimset, claimset_ok, corpus_sample, file_hashes, path_str, shared, writable_copy};
use std::path::{Path, PathBuf};

const NAME: &str = "shardtest";
const VERSION: &str = "1.0.0";

const ACTORS: [&str; 8] = [
    "روسيا",
    "إيران",
    "داعش",
    "تركيا",
    "مصر",
    "السعودية",
    "الصين",
    "فرنسا",
];
const SENTENCES: [&str; 8] = [
    "أعلنت {a} استعدادها للتعاون مع {b} في مجال الطاقة.",
    "هددت {a} بشن هجوم على مواقع تابعة لـ{b}.",
    "حذرت {a} من تهديد متزايد تمثله {b} في المنطقة.",
    "أكدت {a} أنها لا تشكل تهديدا لأحد.",
    "لم تهدد {b} بشن هجوم على جيرانها.",
    "بحث وزيرا خارجية {a} و{b} سبل التعاون الاقتصادي.",
    "وارتفعت أسعار النفط في الأسواق العالمية يوم الأحد.",
    "وقال المتحدث إن الاجتماع المقبل سيعقد في العاصمة.",
];

/// `n` synthetic articles in the news-dump shape, with one empty and one repeated content (the
/// filters must count them the same way in shards and in the single build).
fn synthetic(dir: &Path, n: usize) -> PathBuf {
    let mut lines = Vec::new();
    for k in 0..n {
        let a = ACTORS[k % ACTORS.len()];
        let b = ACTORS[(3 * k + 1) % ACTORS.len()];
        let body: Vec<String> = (0..3 + k % 4)
            .map(|j| {
                SENTENCES[(k + 3 * j) % SENTENCES.len()]
                    .replace("{a}", a)
                    .replace("{b}", b)
            })
            .chain([format!("وأشار التقرير رقم {k} إلى أن المفاوضات مستمرة.")])
            .collect();
        let content = match k {
            7 => String::new(),
            11 => lines_content(&lines, 3),
            _ => body.join(if k % 3 == 0 { "\n" } else { " " }),
        };
        let source = ["الرياض", "عكاظ", "سبق"][k % 3];
        let obj = serde_json::json!({
            "source": source,
            "url": format!("https://news.example/ar/{k}"),
            "date_extracted": format!("2015-07-{:02} 10:00:00", 21 + k % 9),
            "title": format!("{a} و{b}: تطورات جديدة ({k})"),
            "author": "",
            "content": content,
        });
        lines.push(obj.to_string());
    }
    let path = dir.join("synthetic.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// The content of an earlier line, with its whitespace changed (still a duplicate after collapsing).
fn lines_content(lines: &[String], index: usize) -> String {
    let v: serde_json::Value = serde_json::from_str(&lines[index]).unwrap();
    v["content"].as_str().unwrap().replace(' ', "  ")
}

/// An input directory: synthetic articles, plus corpus articles when `../shared` is there.
fn input(dir: &Path) -> PathBuf {
    let input = dir.join("input");
    std::fs::create_dir_all(&input).unwrap();
    synthetic(&input, 90);
    if let Some(shared) = shared() {
        corpus_sample(&shared, "2015-07-21.jsonl.gz", 120, &input);
        corpus_sample(&shared, "2015-08-06.jsonl.gz", 80, &input);
    }
    input
}

fn build(input: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "build",
        "--input",
        path_str(input),
        "--name",
        NAME,
        "--version",
        VERSION,
        "--out",
        path_str(out),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    claimset_ok(&args);
}

fn shard(input: &Path, out: &Path, index: usize, count: usize, extra: &[&str]) -> PathBuf {
    let spec = format!("{index}/{count}");
    let mut args = vec!["--shard", spec.as_str()];
    args.extend_from_slice(extra);
    build(input, out, &args);
    let dir = out
        .join(NAME)
        .join("shards")
        .join(VERSION)
        .join(format!("{index}-of-{count}"));
    assert!(
        dir.join("manifest.json").is_file(),
        "{} missing",
        dir.display()
    );
    dir
}

/// Runs `merge` and expects it to fail with exit 2, `expect` in its message, and nothing published.
fn merge_fails(dirs: &[&Path], out: &Path, expect: &str) {
    let mut args = vec!["merge", "--out", path_str(out), "--quiet"];
    args.extend(dirs.iter().map(|d| path_str(d)));
    let result = claimset(&args);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "merge {dirs:?}: {stderr}");
    assert!(
        stderr.contains(expect),
        "merge {dirs:?}: expected {expect:?} in:\n{stderr}"
    );
    assert!(
        !out.join(NAME).join(VERSION).exists(),
        "a failed merge published {}",
        out.display()
    );
    if out.exists() {
        let leftovers: Vec<_> = walkdir::WalkDir::new(out)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().display().to_string())
            .collect();
        assert!(leftovers.is_empty(), "a failed merge left {leftovers:?}");
    }
}

#[test]
fn four_shards_merge_to_the_single_build_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input(tmp.path());

    let single = tmp.path().join("single");
    build(&input, &single, &["--threads", "1"]);

    let sharded = tmp.path().join("sharded");
    let dirs: Vec<PathBuf> = (0..4)
        .map(|i| shard(&input, &sharded, i, 4, &["--threads", "2"]))
        .collect();
    // Each shard holds some articles and no article is in two shards: the article tables add up.
    let single_manifest = claimset::manifest::Manifest::read(&single.join(NAME).join(VERSION))
        .expect("single manifest");
    let mut total = 0;
    for dir in &dirs {
        let m = claimset::manifest::Manifest::read(dir).expect("shard manifest");
        let articles: u64 = m.splits.iter().map(|s| s.articles).sum();
        assert!(articles > 0, "{} holds no article", dir.display());
        total += articles;
    }
    let single_articles: u64 = single_manifest.splits.iter().map(|s| s.articles).sum();
    assert_eq!(total, single_articles);

    // The directory of shard results stands for all of them.
    let merged = tmp.path().join("merged");
    let shards_dir = sharded.join(NAME).join("shards").join(VERSION);
    claimset_ok(&[
        "merge",
        path_str(&shards_dir),
        "--out",
        path_str(&merged),
        "--quiet",
    ]);
    let want = file_hashes(&single.join(NAME).join(VERSION));
    assert!(want.keys().any(|k| k.ends_with(".parquet")), "{want:?}");
    assert_eq!(file_hashes(&merged.join(NAME).join(VERSION)), want);
    claimset_ok(&["verify", path_str(&merged.join(NAME).join(VERSION))]);

    // Shards named one by one, in another order, give the same bytes.
    let merged2 = tmp.path().join("merged2");
    let mut args = vec!["merge", "--out", path_str(&merged2), "--quiet"];
    args.extend(dirs.iter().rev().map(|d| path_str(d)));
    claimset_ok(&args);
    assert_eq!(file_hashes(&merged2.join(NAME).join(VERSION)), want);
}

#[test]
fn merge_refuses_incomplete_repeated_mixed_or_mismatched_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input(tmp.path());
    let four = tmp.path().join("four");
    let dirs: Vec<PathBuf> = (0..4).map(|i| shard(&input, &four, i, 4, &[])).collect();
    let d: Vec<&Path> = dirs.iter().map(|p| p.as_path()).collect();

    // A shard missing, at the end and in the middle.
    merge_fails(&d[..3], &tmp.path().join("m1"), "4 shards given");
    merge_fails(&[d[0], d[1], d[3]], &tmp.path().join("m2"), "missing");

    // The same shard twice: as the same directory and as a copy elsewhere.
    merge_fails(
        &[d[0], d[1], d[2], d[3], d[2]],
        &tmp.path().join("m3"),
        "twice",
    );
    let copy = tmp.path().join("copy-of-2");
    writable_copy(d[2], &copy);
    merge_fails(&[d[0], d[1], d[2], &copy], &tmp.path().join("m4"), "twice");

    // Shards of another N: 0/2 and 1/2 cover the same articles as 0..3/4.
    let two = tmp.path().join("two");
    let half0 = shard(&input, &two, 0, 2, &[]);
    let half1 = shard(&input, &two, 1, 2, &[]);
    merge_fails(
        &[d[0], d[1], &half1],
        &tmp.path().join("m5"),
        "does not belong",
    );
    merge_fails(
        &[&half0, d[1], d[2], d[3]],
        &tmp.path().join("m6"),
        "does not belong",
    );

    // Shard 3 built with other options (clause units; text left out).
    let other = tmp.path().join("other");
    let clause = shard(&input, &other, 3, 4, &["--unit", "clause"]);
    merge_fails(
        &[d[0], d[1], d[2], &clause],
        &tmp.path().join("m7"),
        "another spec",
    );
    let other2 = tmp.path().join("other2");
    let textless = shard(&input, &other2, 3, 4, &["--without-text"]);
    merge_fails(
        &[d[0], d[1], d[2], &textless],
        &tmp.path().join("m8"),
        "another spec",
    );

    // Shard 3 built from other inputs.
    let more = tmp.path().join("more-input");
    writable_copy(&input, &more);
    std::fs::write(
        more.join("extra.jsonl"),
        "{\"title\": \"خبر\", \"content\": \"هددت روسيا بشن هجوم.\", \"url\": \"https://x.example/1\"}\n",
    )
    .unwrap();
    let other3 = tmp.path().join("other3");
    let wider = shard(&more, &other3, 3, 4, &[]);
    merge_fails(
        &[d[0], d[1], d[2], &wider],
        &tmp.path().join("m9"),
        "another spec",
    );

    // A release is not a shard result.
    let single = tmp.path().join("single");
    build(&input, &single, &[]);
    let release = single.join(NAME).join(VERSION);
    merge_fails(&[&release], &tmp.path().join("m10"), "not a shard result");

    // And the good set still merges (the failures above changed nothing).
    let merged = tmp.path().join("merged");
    let mut args = vec!["merge", "--out", path_str(&merged), "--quiet"];
    args.extend(d.iter().map(|p| path_str(p)));
    claimset_ok(&args);
    assert_eq!(
        file_hashes(&merged.join(NAME).join(VERSION)),
        file_hashes(&release)
    );
}

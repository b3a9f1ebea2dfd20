//! End-to-end: build releases with the binary, read them back, verify them, tamper with them.

mod common;

use claimset::manifest::Manifest;
use claimset::write::read_data_file;
use common::*;
use std::path::Path;

fn records(release: &Path) -> Vec<claimset::record::Record> {
    let manifest = Manifest::read(release).unwrap();
    let mut out = Vec::new();
    for f in &manifest.data_files {
        read_data_file(&release.join(&f.path), &mut |rs| {
            out.extend(rs);
            Ok(())
        })
        .unwrap();
    }
    out
}

fn build_sample(out: &Path) -> std::path::PathBuf {
    claimset_ok(&[
        "build",
        "datasets/sample",
        "--out",
        path_str(out),
        "--quiet",
    ]);
    out.join("sample/0.1.0")
}

#[test]
fn sample_builds_twelve_records_with_exact_offsets() {
    let tmp = tempfile::tempdir().unwrap();
    let release = build_sample(tmp.path());
    let article =
        std::fs::read_to_string(repo().join("datasets/sample/input/000_fb2f630a25c13fd9.txt"))
            .unwrap();
    let recs = records(&release);
    assert_eq!(recs.len(), 12);
    let kinds: Vec<&str> = recs.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(&kinds[..3], ["headline", "dateline", "byline"]);
    assert!(kinds[3..].iter().all(|k| *k == "body"));
    let chars: Vec<char> = article.chars().collect();
    for (i, r) in recs.iter().enumerate() {
        let text = r.text.as_deref().unwrap();
        let by_chars: String = chars[r.char_start as usize..r.char_end as usize]
            .iter()
            .collect();
        assert_eq!(by_chars, text);
        assert_eq!(&article[r.byte_start as usize..r.byte_end as usize], text);
        assert_eq!(r.sentence_index as usize, i);
        assert_eq!(r.input, "000_fb2f630a25c13fd9.txt");
    }
    // The seed's central claims come out labeled.
    assert!(
        recs[0].stances.contains(&"cooperation".to_string()),
        "{:?}",
        recs[0]
    );
    assert!(recs[0].actors.contains(&"russia".to_string()));
    assert!(recs[0].actors.contains(&"taliban".to_string()));
    assert_eq!(recs[1].stance, "none");
    assert_eq!(recs[2].stance, "none");
    assert!(
        recs.iter()
            .any(|r| r.stances.contains(&"reassurance".to_string()))
    );
    assert!(
        recs.iter()
            .any(|r| r.stances.contains(&"threat".to_string()))
    );
    claimset_ok(&["verify", path_str(&release)]);
}

#[test]
fn output_bytes_do_not_depend_on_threads_or_input_order() {
    let Some(shared) = shared() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let a = corpus_sample(&shared, "2015-07-21.jsonl.gz", 150, tmp.path());
    let b = corpus_sample(&shared, "2015-08-11.jsonl.gz", 150, tmp.path());
    let (sa, sb) = (path_str(&a), path_str(&b));
    let one = tmp.path().join("one");
    let four = tmp.path().join("four");
    claimset_ok(&[
        "build",
        "--input",
        sa,
        "--input",
        sb,
        "--name",
        "c",
        "--version",
        "1.0.0",
        "--out",
        path_str(&one),
        "--threads",
        "1",
        "--quiet",
    ]);
    claimset_ok(&[
        "build",
        "--input",
        sb,
        "--input",
        sa,
        "--name",
        "c",
        "--version",
        "1.0.0",
        "--out",
        path_str(&four),
        "--threads",
        "4",
        "--quiet",
    ]);
    let (h1, h4) = (
        file_hashes(&one.join("c/1.0.0")),
        file_hashes(&four.join("c/1.0.0")),
    );
    assert!(h1.len() >= 5, "{h1:?}");
    assert_eq!(h1, h4);
    // A few articles of the real corpus: offsets index the article text of design.md.
    let recs = records(&one.join("c/1.0.0"));
    assert!(recs.len() > 1000);
    let splits: std::collections::BTreeSet<&str> = recs.iter().map(|r| r.split.as_str()).collect();
    assert_eq!(splits.len(), 3);
    claimset_ok(&["verify", path_str(&one.join("c/1.0.0"))]);
}

#[test]
fn rebuilding_is_a_noop_and_different_content_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let release = build_sample(tmp.path());
    let before = file_hashes(&release);
    let out = claimset_ok(&["build", "datasets/sample", "--out", path_str(tmp.path())]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("already published"));
    assert_eq!(before, file_hashes(&release));
    // Same name and version, other content: refused, nothing changes.
    let other = tmp.path().join("other.txt");
    std::fs::write(&other, "عنوان\nنص آخر مختلف.").unwrap();
    let out = claimset(&[
        "build",
        "--input",
        path_str(&other),
        "--name",
        "sample",
        "--version",
        "0.1.0",
        "--out",
        path_str(tmp.path()),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bump the version"));
    assert_eq!(before, file_hashes(&release));
}

#[test]
fn published_files_are_read_only() {
    let tmp = tempfile::tempdir().unwrap();
    let release = build_sample(tmp.path());
    for (rel, _) in file_hashes(&release) {
        let perms = std::fs::metadata(release.join(&rel)).unwrap().permissions();
        assert!(perms.readonly(), "{rel} is writable");
    }
}

#[test]
fn verify_fails_after_any_change() {
    let tmp = tempfile::tempdir().unwrap();
    let release = build_sample(tmp.path());
    let files: Vec<String> = file_hashes(&release).into_keys().collect();
    let mut case = 0;
    let mut check = |what: &str, change: &dyn Fn(&Path)| {
        case += 1;
        let copy = tmp.path().join(format!("copy{case}"));
        writable_copy(&release, &copy);
        change(&copy);
        let out = claimset(&["verify", path_str(&copy)]);
        assert_eq!(out.status.code(), Some(2), "verify passed after: {what}");
        assert!(!out.stderr.is_empty());
    };
    for rel in &files {
        let len = std::fs::metadata(release.join(rel)).unwrap().len() as usize;
        // A flipped byte at the start, middle and end of every file.
        for at in [0, len / 2, len - 1] {
            check(&format!("flip byte {at} of {rel}"), &|dir| {
                let path = dir.join(rel);
                let mut bytes = std::fs::read(&path).unwrap();
                bytes[at] ^= 0x01;
                std::fs::write(&path, bytes).unwrap();
            });
        }
        check(&format!("truncate {rel}"), &|dir| {
            let path = dir.join(rel);
            let bytes = std::fs::read(&path).unwrap();
            std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        });
        check(&format!("remove {rel}"), &|dir| {
            std::fs::remove_file(dir.join(rel)).unwrap()
        });
        check(&format!("rename {rel}"), &|dir| {
            std::fs::rename(dir.join(rel), dir.join(format!("{rel}.renamed"))).unwrap()
        });
    }
    check("extra file", &|dir| {
        std::fs::write(dir.join("data/extra.parquet"), b"x").unwrap()
    });
    check("extra hidden file", &|dir| {
        std::fs::write(dir.join(".hidden"), b"").unwrap()
    });
}

#[test]
fn bad_input_fails_with_position_and_publishes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("bad.jsonl");
    std::fs::write(
        &input,
        "{\"title\":\"a\",\"content\":\"نص أول.\"}\n{\"title\":\"b\",\"content\":5}\n{\"title\":\"c\",\"content\":\"نص.\"}\n",
    )
    .unwrap();
    let out_dir = tmp.path().join("out");
    let args = [
        "build",
        "--input",
        path_str(&input),
        "--name",
        "bad",
        "--version",
        "1.0.0",
        "--out",
        path_str(&out_dir),
    ];
    let out = claimset(&args);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.jsonl") && err.contains("line 2"), "{err}");
    assert!(!out_dir.join("bad/1.0.0").exists());
    // Quarantine: the rest is published, the problem is recorded, exit 1.
    let mut q = args.to_vec();
    q.extend(["--on-error", "quarantine"]);
    let out = claimset(&q);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = Manifest::read(&out_dir.join("bad/1.0.0")).unwrap();
    assert_eq!(manifest.quarantined.len(), 1);
    assert_eq!(manifest.quarantined[0].input, "bad.jsonl");
    assert!(manifest.quarantined[0].position.contains("line 2"));
    assert_eq!(manifest.totals().articles, 2);
}

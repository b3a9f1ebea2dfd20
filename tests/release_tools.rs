//! diff, export, hydrate and verify --rebuild on real releases.

mod common;

use claimset::manifest::Manifest;
use common::*;

fn adhoc(
    input: &str,
    name: &str,
    version: &str,
    out: &str,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "build",
        "--input",
        input,
        "--name",
        name,
        "--version",
        version,
        "--out",
        out,
        "--quiet",
    ];
    args.extend(extra);
    claimset(&args)
}

fn articles(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    let path = dir.join("news.jsonl");
    let mut lines = String::new();
    for i in 0..n {
        lines.push_str(&format!(
            "{{\"id\":\"a{i}\",\"title\":\"روسيا تهدد بفرض عقوبات {i}\",\"content\":\"قال الوزير إن روسيا ستتعاون مع إيران في المجال الأمني {i}. وأكد أن الوضع مستقر.\"}}\n"
        ));
    }
    std::fs::write(&path, lines).unwrap();
    path
}

#[test]
fn without_text_then_hydrate_gives_the_full_release() {
    let tmp = tempfile::tempdir().unwrap();
    let input = articles(tmp.path(), 30);
    let (full, bare, hyd) = (
        tmp.path().join("full"),
        tmp.path().join("bare"),
        tmp.path().join("hyd"),
    );
    assert!(
        adhoc(path_str(&input), "n", "1.0.0", path_str(&full), &[])
            .status
            .success()
    );
    let out = adhoc(
        path_str(&input),
        "n",
        "1.0.0",
        path_str(&bare),
        &["--without-text"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    claimset_ok(&["verify", path_str(&bare.join("n/1.0.0"))]);
    claimset_ok(&[
        "hydrate",
        path_str(&bare.join("n/1.0.0")),
        "--input",
        path_str(&input),
        "--out",
        path_str(&hyd),
        "--quiet",
    ]);
    assert_eq!(
        file_hashes(&full.join("n/1.0.0")),
        file_hashes(&hyd.join("n/1.0.0"))
    );
    // Different sources are refused by their text hashes.
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let changed = std::fs::read_to_string(&input)
        .unwrap()
        .replace("مستقر", "هادئ");
    std::fs::write(other.join("news.jsonl"), changed).unwrap();
    let out = claimset(&[
        "hydrate",
        path_str(&bare.join("n/1.0.0")),
        "--input",
        path_str(&other.join("news.jsonl")),
        "--out",
        path_str(&tmp.path().join("h2")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("text_sha256") || err.contains("outside the source"),
        "{err}"
    );
}

#[test]
fn diff_reports_changes_and_required_bump() {
    let tmp = tempfile::tempdir().unwrap();
    let small = articles(&tmp.path().join("s").tap_mkdir(), 10);
    let big = articles(&tmp.path().join("b").tap_mkdir(), 20);
    let out = path_str(tmp.path()).to_string();
    assert!(
        adhoc(path_str(&small), "d", "1.0.0", &out, &[])
            .status
            .success()
    );
    assert!(
        adhoc(path_str(&big), "d", "1.1.0", &out, &[])
            .status
            .success()
    );
    assert!(
        adhoc(path_str(&big), "d", "1.0.1", &out, &[])
            .status
            .success()
    );
    let old = tmp.path().join("d/1.0.0");
    let ok = claimset(&[
        "diff",
        path_str(&old),
        path_str(&tmp.path().join("d/1.1.0")),
        "--json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(report["removed"], 0);
    assert!(report["added"].as_u64().unwrap() > 0);
    assert_eq!(report["required_bump"], "minor");
    assert_eq!(ok.status.code(), Some(0));
    // A patch bump for added records is too small: exit 1.
    let small_bump = claimset(&[
        "diff",
        path_str(&old),
        path_str(&tmp.path().join("d/1.0.1")),
    ]);
    assert_eq!(small_bump.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&small_bump.stdout).contains("TOO SMALL"));
}

#[test]
fn export_jsonl_has_every_record() {
    let tmp = tempfile::tempdir().unwrap();
    claimset_ok(&[
        "build",
        "datasets/sample",
        "--out",
        path_str(tmp.path()),
        "--quiet",
    ]);
    let out = claimset_ok(&[
        "export",
        path_str(&tmp.path().join("sample/0.1.0")),
        "--format",
        "jsonl",
    ]);
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 12);
    assert!(lines[0]["evidence"].as_array().is_some());
}

#[test]
fn verify_rebuild_compares_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    claimset_ok(&[
        "build",
        "datasets/sample",
        "--out",
        path_str(tmp.path()),
        "--quiet",
    ]);
    let release = tmp.path().join("sample/0.1.0");
    claimset_ok(&["verify", path_str(&release), "--rebuild"]);
    let manifest = Manifest::read(&release).unwrap();
    assert_eq!(
        manifest.spec_path.as_deref(),
        Some("datasets/sample/dataset.toml")
    );
    // An ad hoc release rebuilds from --input; the wrong input is named as a difference.
    let input = articles(tmp.path(), 5);
    assert!(
        adhoc(path_str(&input), "r", "1.0.0", path_str(tmp.path()), &[])
            .status
            .success()
    );
    let r = tmp.path().join("r/1.0.0");
    claimset_ok(&[
        "verify",
        path_str(&r),
        "--rebuild",
        "--input",
        path_str(&input),
    ]);
    std::fs::write(
        &input,
        std::fs::read_to_string(&input)
            .unwrap()
            .replace("مستقر", "هادئ"),
    )
    .unwrap();
    let out = claimset(&[
        "verify",
        path_str(&r),
        "--rebuild",
        "--input",
        path_str(&input),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("differs"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

trait TapMkdir {
    fn tap_mkdir(self) -> Self;
}

impl TapMkdir for std::path::PathBuf {
    fn tap_mkdir(self) -> Self {
        std::fs::create_dir_all(&self).unwrap();
        self
    }
}

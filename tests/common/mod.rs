//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository (or `$CLAIMSET_SHARED`), when present.
pub fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("CLAIMSET_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared"));
    if dir.join("corpus").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping: {} is absent (tests that need the shared corpus and gold run in CI)",
            dir.display()
        );
        None
    }
}

pub fn claimset(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimset"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the claimset binary runs")
}

pub fn claimset_ok(args: &[&str]) -> Output {
    let out = claimset(args);
    assert!(
        out.status.success(),
        "claimset {args:?} failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

/// sha256 of every file under `dir`, by relative path.
pub fn file_hashes(dir: &Path) -> std::collections::BTreeMap<String, String> {
    use sha2::{Digest, Sha256};
    let mut out = std::collections::BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let bytes = std::fs::read(entry.path()).unwrap();
            out.insert(rel, hex::encode(Sha256::digest(&bytes)));
        }
    }
    out
}

/// Copies a release to a writable place (published files are read-only).
pub fn writable_copy(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(src).unwrap();
        let to = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
            let mut perms = std::fs::metadata(&to).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&to, perms).unwrap();
        }
    }
}

/// The first `n` articles of one corpus file, written as a `.jsonl` in `dir`.
pub fn corpus_sample(shared: &Path, file: &str, n: usize, dir: &Path) -> PathBuf {
    use std::io::BufRead;
    let gz = std::fs::File::open(shared.join("corpus/saudinewsnet").join(file)).unwrap();
    let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(gz));
    let lines: Vec<String> = reader.lines().take(n).map(|l| l.unwrap()).collect();
    let out = dir.join(file.trim_end_matches(".gz"));
    std::fs::write(&out, lines.join("\n") + "\n").unwrap();
    out
}

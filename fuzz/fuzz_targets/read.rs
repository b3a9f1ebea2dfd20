//! Fuzzes the input readers (`claimset::read::read_file`) on arbitrary bytes, as every input kind.
//! Run: `cargo +nightly fuzz run read fuzz/corpus/read fuzz/seeds/read` (from the repository root).
//!
//! The readers only read files (there is no public entry point on bytes), so each input is written
//! to a scratch directory (on /dev/shm when there is one) as `.txt`, `.jsonl`, `.json`, and gzipped
//! as `.jsonl.gz`: whole and cut short at a point the first byte chooses. Checked for every article:
//! the text fits the limit, the body is a char-aligned range of it, the `input` names the file; for
//! every problem: the path is the file's; a `.txt` yields exactly one item.
#![no_main]

use claimset::read::{FieldMap, InputFile, InputKind, Limits, ReadItem, read_file};
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("claimset-fuzz-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

fn check(name: &str, kind: InputKind, bytes: &[u8], limits: Limits) {
    let path = scratch().join(name);
    std::fs::write(&path, bytes).unwrap();
    let file = InputFile {
        path: path.clone(),
        name: name.to_string(),
        kind,
        root: 0,
    };
    let mut items: Vec<ReadItem> = Vec::new();
    let result = read_file(&file, &FieldMap::default(), limits, &mut |item| {
        items.push(item)
    });
    for item in &items {
        match item {
            Ok(a) => {
                assert!(a.text.len() <= limits.max_article_bytes, "over the limit");
                assert!(a.body.start <= a.body.end && a.body.end <= a.text.len());
                assert!(
                    a.text.is_char_boundary(a.body.start) && a.text.is_char_boundary(a.body.end)
                );
                assert!(!a.article_id.is_empty());
                if kind.is_json() {
                    assert!(a.input.starts_with(&format!("{name}#")), "{}", a.input);
                } else {
                    assert_eq!(a.input, name);
                    let raw = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
                    assert_eq!(
                        a.text.as_bytes(),
                        raw,
                        "a .txt article is the file less its BOM"
                    );
                }
            }
            Err(e) => assert_eq!(e.path, path),
        }
    }
    match (&result, kind) {
        (Ok(digest), _) => assert_eq!(digest.bytes, bytes.len() as u64),
        (Err(e), _) => assert_eq!(e.path, path),
    }
    if kind == InputKind::Text {
        assert_eq!(items.len(), 1, "a .txt file is one article or one problem");
        assert!(result.is_ok());
    }
    if kind == InputKind::JsonLines {
        // At most one item per line.
        let lines = bytes.split(|&b| b == b'\n').count();
        assert!(
            items.len() <= lines,
            "{} items from {lines} lines",
            items.len()
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let small = Limits {
        max_article_bytes: 64,
    };
    for limits in [Limits::default(), small] {
        check("a.txt", InputKind::Text, data, limits);
        check("a.jsonl", InputKind::JsonLines, data, limits);
        check("a.json", InputKind::JsonArray, data, limits);
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    let gz = gz.finish().unwrap();
    check("a.jsonl.gz", InputKind::JsonLinesGz, &gz, Limits::default());
    let cut = data.first().map_or(0, |&b| gz.len() * b as usize / 256);
    check(
        "b.jsonl.gz",
        InputKind::JsonLinesGz,
        &gz[..cut],
        Limits::default(),
    );
});

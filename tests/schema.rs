//! `schemas/record.v1.json` is the code's Arrow schema (`claimset::write::schema_json()`), byte for byte.
//! After a deliberate schema change, regenerate it with `CLAIMSET_BLESS=1 cargo test --test schema`.

use std::path::Path;

#[test]
fn record_schema_file_matches_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/record.v1.json");
    let mut want = serde_json::to_string_pretty(&claimset::write::schema_json()).unwrap();
    want.push('\n');
    if std::env::var_os("CLAIMSET_BLESS").is_some_and(|v| !v.is_empty() && v != "0") {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} differs from claimset::write::schema_json(). If the schema change is intended (and the \
         schema version and schemas/hashes.md were updated with it), regenerate the file with\n\
         \n    CLAIMSET_BLESS=1 cargo test --test schema\n",
        path.display()
    );
}

/// The worked example of `schemas/hashes.md`: if this fails, the code and the document disagree.
#[test]
fn hashes_md_test_vectors() {
    use claimset::label::{Evidence, Mode};
    use claimset::record::{ContentHasher, Record, record_id, release_content_hash, text_sha256};

    let text = "تعاون";
    assert_eq!(
        record_id("article-1", 2, text),
        "cdc4b348b159d57a20553dbd725e50f1efe4bcf24a52bb56c2a63c7498325390"
    );
    assert_eq!(
        text_sha256(text),
        "6ad990bf1d0a46b153da1fe67fabdc4dcc507b019f786aaf776f2c92daf3a111"
    );
    let record = Record {
        record_id: record_id("article-1", 2, text),
        article_id: "article-1".into(),
        input: "in.jsonl#1".into(),
        publisher: Some("الأهرام".into()),
        url: None,
        date: Some("2021-08-26".into()),
        author: None,
        sentence_index: 2,
        kind: "body".into(),
        char_start: 10,
        char_end: 15,
        byte_start: 19,
        byte_end: 29,
        text: Some(text.into()),
        text_sha256: text_sha256(text),
        lang: "ar".into(),
        stance: "cooperation".into(),
        stances: vec!["cooperation".into()],
        actors: vec![],
        evidence: vec![Evidence {
            rule: "COOP001".into(),
            label: "cooperation".into(),
            mode: Mode::Asserted,
            char_start: 10,
            char_end: 15,
        }],
        split: "train".into(),
    };
    let hash = record.hash();
    assert_eq!(
        hex(&hash),
        "b4892b201375bed3ff3dcdb39419d0f9c89dac96280420be16faa7fb24127fdc"
    );
    let mut content = ContentHasher::default();
    content.push(&hash);
    let file = content.finish();
    assert_eq!(
        file,
        "ebcc96126ffac1b33351d0898cbdcc5bf1a23783490bfb49a4136f32446d6f1f"
    );
    assert_eq!(
        release_content_hash([("data/train-00000-of-00001.parquet", 1, file.as_str())]),
        "5486aeb462f04c2a4cf04446a10ba1940d56969d76fa9f60ddac3f4be8c80a3d"
    );
    assert_eq!(
        ContentHasher::default().finish(),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

//! Property tests over the fuzz targets' entry points (`fuzz/fuzz_targets/`), so the default test
//! suite checks the same contracts on every run:
//! - the readers (`claimset::read::read_file`) on arbitrary bytes as `.txt`, `.jsonl`, `.json` and
//!   gzipped `.jsonl.gz` (whole and cut short): no panic, every article within the limit with a
//!   char-aligned body, every problem naming the file, a `.txt` giving exactly one item;
//! - normalize: the normalized → source byte map is monotone, on char boundaries and in range;
//! - label (bundled rules) on arbitrary strings, alone and segmented inside an article: no panic,
//!   evidence inside the sentence, stances and actors sorted and unique.
//!
//! The segmenter's own contract is checked by the property tests of `tests/segment.rs`.

use claimset::label::{RuleSet, Stance};
use claimset::normalize::normalize;
use claimset::read::{FieldMap, InputFile, InputKind, Limits, ReadItem, read_file};
use claimset::segment::{Segmenter, Unit};
use proptest::prelude::*;
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::bundled().expect("the bundled rules load"))
}

// ---------- readers ----------

fn check_read(dir: &Path, name: &str, kind: InputKind, bytes: &[u8], limits: Limits) {
    let path = dir.join(name);
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
                assert!(a.text.is_char_boundary(a.body.start));
                assert!(a.text.is_char_boundary(a.body.end));
                assert!(!a.article_id.is_empty());
                if kind.is_json() {
                    assert!(a.input.starts_with(&format!("{name}#")), "{}", a.input);
                } else {
                    assert_eq!(a.input, name);
                    let raw = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
                    assert_eq!(a.text.as_bytes(), raw);
                }
            }
            Err(e) => assert_eq!(e.path, path),
        }
    }
    match &result {
        Ok(digest) => assert_eq!(digest.bytes, bytes.len() as u64),
        Err(e) => assert_eq!(e.path, path),
    }
    if kind == InputKind::Text {
        assert_eq!(items.len(), 1, "a .txt file is one article or one problem");
        assert!(result.is_ok());
    }
    if kind == InputKind::JsonLines {
        let lines = bytes.split(|&b| b == b'\n').count();
        assert!(
            items.len() <= lines,
            "{} items from {lines} lines",
            items.len()
        );
    }
}

fn check_all_readers(bytes: &[u8], cut: u8) {
    let dir = tempfile::tempdir().unwrap();
    for limits in [
        Limits::default(),
        Limits {
            max_article_bytes: 64,
        },
    ] {
        check_read(dir.path(), "a.txt", InputKind::Text, bytes, limits);
        check_read(dir.path(), "a.jsonl", InputKind::JsonLines, bytes, limits);
        check_read(dir.path(), "a.json", InputKind::JsonArray, bytes, limits);
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    let gz = gz.finish().unwrap();
    check_read(
        dir.path(),
        "a.jsonl.gz",
        InputKind::JsonLinesGz,
        &gz,
        Limits::default(),
    );
    let cut = gz.len() * cut as usize / 256;
    check_read(
        dir.path(),
        "b.jsonl.gz",
        InputKind::JsonLinesGz,
        &gz[..cut],
        Limits::default(),
    );
}

/// JSON values of the shapes news dumps have, and the wrong ones.
fn json_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "\"[^\"\\\\]{0,40}\"".prop_map(|s| s),
        "\"(\\\\[nrt\"\\\\/]|\\\\u[0-9a-fA-F]{4}|[ا-ي .،])*\"".prop_map(|s| s),
        (0i64..1000).prop_map(|n| n.to_string()),
        Just("null".to_string()),
        Just("true".to_string()),
        Just("[\"a\",1]".to_string()),
        Just("{\"text\":\"x\"}".to_string()),
        (1usize..200).prop_map(|d| format!("{}{}", "[".repeat(d), "]".repeat(d))),
    ]
}

fn json_object() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("content"),
        Just("text"),
        Just("title"),
        Just("id"),
        Just("url"),
        Just("source"),
        Just("date"),
        Just("author"),
        Just("other"),
    ];
    prop::collection::vec((key, json_value()), 0..5).prop_map(|fields| {
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", body.join(","))
    })
}

/// Bytes that look like each input format, damaged in places.
fn input_bytes() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        4 => json_object(),
        1 => "[ -~]{0,30}".prop_map(|s| s),
        1 => Just(String::new()),
        1 => json_object().prop_map(|o| format!("\u{feff}  {o}\r")),
    ];
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        prop::collection::vec(line.clone(), 0..8).prop_map(|ls| ls.join("\n").into_bytes()),
        prop::collection::vec(json_object(), 0..6)
            .prop_map(|os| format!("[{}]", os.join(",")).into_bytes()),
        (
            prop::collection::vec(line, 0..6),
            any::<prop::sample::Index>(),
            any::<u8>()
        )
            .prop_map(|(ls, at, byte)| {
                let mut b = ls.join("\n").into_bytes();
                if !b.is_empty() {
                    let i = at.index(b.len());
                    b[i] = byte;
                }
                b
            }),
        "(\u{feff})?[ء-ي .،؟!\r\n\u{200f}]{0,200}".prop_map(|s| s.into_bytes()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn readers_never_panic_and_keep_their_contract(bytes in input_bytes(), cut in any::<u8>()) {
        check_all_readers(&bytes, cut);
    }
}

// ---------- normalize + label ----------

fn check_normalize(s: &str) {
    let n = normalize(s);
    let mut prev = 0usize;
    for i in n.text.char_indices().map(|(i, _)| i).chain([n.text.len()]) {
        let o = n.source_offset(i);
        assert!(o <= s.len(), "{s:?}: offset {o} past the source");
        assert!(
            s.is_char_boundary(o),
            "{s:?}: offset {o} inside a character"
        );
        assert!(o >= prev, "{s:?}: map not monotone at {i}: {o} < {prev}");
        prev = o;
    }
    assert_eq!(n.source_offset(n.text.len()), s.len());
    let bounds = n.word_bounds();
    assert_eq!(bounds.len() % 2, 0);
    assert!(bounds.windows(2).all(|w| w[0] <= w[1]), "{s:?}: {bounds:?}");
    for w in bounds.chunks_exact(2) {
        let (a, b) = (w[0] as usize, w[1] as usize);
        assert!(b <= n.text.len() && n.text.is_char_boundary(a) && n.text.is_char_boundary(b));
        let r = n.source_range(a, b);
        assert!(r.start <= r.end && r.end <= s.len(), "{s:?}: {r:?}");
        assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
    }
}

/// Labels `article[start..end]` as a sentence of `kind` and checks the result.
fn check_label(article: &str, start: usize, end: usize, kind: &str) {
    let cs = article[..start].chars().count();
    let ce = cs + article[start..end].chars().count();
    let l = rules().label(article, start, end, cs, kind);
    for e in &l.evidence {
        assert!(
            cs as u32 <= e.char_start && e.char_start <= e.char_end && e.char_end as usize <= ce,
            "{article:?} {start}..{end}: evidence {e:?} outside the sentence {cs}..{ce}"
        );
    }
    assert!(l.stances.windows(2).all(|w| w[0] < w[1]), "{:?}", l.stances);
    assert!(l.actors.windows(2).all(|w| w[0] < w[1]), "{:?}", l.actors);
    assert!(!l.stances.contains(&Stance::None));
    assert_eq!(l.stance == Stance::None, l.stances.is_empty(), "{l:?}");
    if !l.stances.is_empty() {
        assert!(l.stances.contains(&l.stance));
    }
}

/// Words the rules and lexicon know, clitics, marks, controls and punctuation, to build sentences
/// that fire rules (the fuzz seeds do the same).
fn news_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("روسيا"),
        Just("وبروسيا"),
        Just("موسكو"),
        Just("الروسي"),
        Just("طالبان"),
        Just("الحوثيين"),
        Just("للحوثيين"),
        Just("إيران"),
        Just("الأمم المتحدة"),
        Just("بوتين"),
        Just("تعاون"),
        Just("التعاون"),
        Just("تهديد"),
        Just("هجوم"),
        Just("غارات"),
        Just("لن"),
        Just("تسمح"),
        Just("لا"),
        Just("لم"),
        Just("إذا"),
        Just("لو"),
        Just("قال"),
        Just("أكد"),
        Just("اتفاق"),
        Just("الحوار"),
        Just("قلقين"),
        Just("غير"),
        Just("عدم"),
        Just("التدخل"),
        Just("الرياض - واس"),
        Just("ﻻ"),
        Just("ﺍﻟﻌﺮﺏ"),
        Just("ـ"),
        Just("\u{064e}"),
        Just("\u{0651}"),
        Just("\u{200f}"),
        Just("\u{202b}"),
        Just("\u{2067}"),
        Just("\u{feff}"),
        Just("\u{00ad}"),
        Just("ة"),
        Just("ى"),
        Just("١٢٣"),
        Just("۴"),
        Just("."),
        Just("،"),
        Just("؟"),
        Just("!"),
        Just("«"),
        Just("»"),
        Just("("),
        Just("\n"),
        Just("\r\n"),
        Just("  "),
        Just("U.S."),
        Just("Iran"),
        Just("ﬁ"),
        Just("Ⅻ"),
        Just("ß"),
        Just("İ"),
        Just("\u{fdfa}"),
        Just("\u{fb50}"),
        Just("ﷲ"),
    ];
    prop::collection::vec((piece, prop::bool::ANY), 0..30).prop_map(|ps| {
        let mut s = String::new();
        for (p, space) in ps {
            s.push_str(p);
            if space {
                s.push(' ');
            }
        }
        s
    })
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        news_text(),
        "[\u{0600}-\u{06ff}\u{fb50}-\u{fdff}\u{fe70}-\u{feff} a-zA-Z0-9.،\n]{0,120}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn normalize_maps_back_into_the_source(s in any_text()) {
        check_normalize(&s);
    }

    #[test]
    fn label_keeps_evidence_inside_the_sentence(s in any_text(), head in any_text()) {
        for kind in ["headline", "dateline", "byline", "body"] {
            check_label(&s, 0, s.len(), kind);
        }
        // The same text as the second line of an article: char_start is not 0.
        let article = format!("{head}\n{s}");
        check_label(&article, head.len() + 1, article.len(), "body");
    }

    #[test]
    fn segmented_articles_label_within_each_sentence(s in any_text()) {
        for unit in [Unit::Sentence, Unit::Clause] {
            for sent in Segmenter::new(unit).segment(&s) {
                check_label(&s, sent.byte_start, sent.byte_end, sent.kind.as_str());
            }
        }
    }
}

#[test]
fn seed_inputs_of_the_fuzz_targets_hold() {
    // The seed corpora of fuzz/seeds/ run through the same checks, so a seed that stops holding
    // shows up here first.
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    for entry in std::fs::read_dir(seeds.join("read")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for cut in [0, 100, 200, 255] {
            check_all_readers(&bytes, cut);
        }
    }
    for target in ["label", "segment"] {
        for entry in std::fs::read_dir(seeds.join(target)).unwrap() {
            let text = String::from_utf8(std::fs::read(entry.unwrap().path()).unwrap()).unwrap();
            check_normalize(&text);
            check_label(&text, 0, text.len(), "body");
            for sent in Segmenter::new(Unit::Sentence).segment(&text) {
                check_label(&text, sent.byte_start, sent.byte_end, sent.kind.as_str());
            }
        }
    }
}

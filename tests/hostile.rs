//! Hostile input (issue 8): every fixture of `tests/hostile/` (its README documents each outcome)
//! and the large ones generated here into a tempdir, built with the binary in both `--on-error`
//! modes; broken rule files, specs, dataset names and versions.
//!
//! A refused input: by default (`--on-error fail`) exit 2, the error names the file and the line,
//! byte offset or array index, and nothing is published (no release, no staging directory); with
//! `--on-error quarantine` the bad article is skipped and listed with its reason in the manifest and
//! the audit, everything else is published and verifies, exit 1.

mod common;

use claimset::manifest::Manifest;
use claimset::record::Record;
use claimset::segment::{Segmenter, Unit};
use claimset::write::read_data_file;
use common::*;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

const NAME: &str = "hostile";
const VERSION: &str = "1.0.0";
/// `tests/hostile/good.txt`, built beside every fixture: one article of four sentences.
const GOOD_ROWS: u64 = 4;

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/hostile").join(name)
}

fn build(out: &Path, inputs: &[&Path], extra: &[&str]) -> Output {
    let mut args: Vec<&str> = vec!["build"];
    for input in inputs {
        args.extend(["--input", path_str(input)]);
    }
    args.extend([
        "--name",
        NAME,
        "--version",
        VERSION,
        "--out",
        path_str(out),
        "--quiet",
    ]);
    args.extend(extra);
    claimset(&args)
}

fn release(out: &Path) -> PathBuf {
    out.join(NAME).join(VERSION)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// No release at the final path and no staging directory left beside it.
fn assert_nothing_published(out: &Path) {
    assert!(
        !release(out).exists(),
        "a release was published at {}",
        release(out).display()
    );
    if let Ok(entries) = std::fs::read_dir(out.join(NAME)) {
        let left: Vec<_> = entries.map(|e| e.unwrap().file_name()).collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }
}

fn records(release: &Path) -> Vec<Record> {
    let manifest = Manifest::read(release).unwrap();
    let mut out = Vec::new();
    for f in &manifest.data_files {
        read_data_file(&release.join(&f.path), &mut |rs| {
            out.extend(rs);
            Ok(())
        })
        .unwrap();
    }
    out.sort_by(|a, b| (&a.input, a.sentence_index).cmp(&(&b.input, b.sentence_index)));
    out
}

fn audit_json(release: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(release.join("audit.json")).unwrap()).unwrap()
}

/// Every input is listed with the articles it gave, and they add up to the published articles.
fn check_inputs_add_up(manifest: &Manifest) {
    let listed: u64 = manifest.inputs.iter().map(|i| i.articles).sum();
    assert_eq!(listed, manifest.totals().articles, "{:?}", manifest.inputs);
}

/// Builds `bad` (beside `good.txt`) in both modes. `problems`: the (position, part of the reason)
/// of every quarantined article, in file order; `kept`: the articles of `bad` still published.
fn refused(bad: &Path, problems: &[(&str, &str)], kept: u64) -> (TempDir, Vec<Record>) {
    let good = fixture("good.txt");
    let name = bad.file_name().unwrap().to_string_lossy().into_owned();
    let tmp = tempfile::tempdir().unwrap();

    let fail_out = tmp.path().join("fail");
    let out = build(&fail_out, &[bad, &good], &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{name}: {err}");
    let (position, reason) = problems[0];
    assert!(
        err.contains(&format!("{}: {position}: ", bad.display())) && err.contains(reason),
        "{name}: the error should name the file, `{position}` and `{reason}`:\n{err}"
    );
    assert!(err.contains("nothing was published"), "{err}");
    assert_nothing_published(&fail_out);

    let q_out = tmp.path().join("quarantine");
    let out = build(&q_out, &[bad, &good], &["--on-error", "quarantine"]);
    assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
    let rel = release(&q_out);
    claimset_ok(&["verify", path_str(&rel)]);
    let manifest = Manifest::read(&rel).unwrap();
    assert_eq!(
        manifest.quarantined.len(),
        problems.len(),
        "{:?}",
        manifest.quarantined
    );
    for (q, (position, reason)) in manifest.quarantined.iter().zip(problems) {
        assert_eq!(q.input, name);
        assert_eq!(&q.position, position, "{q:?}");
        assert!(q.reason.contains(reason), "{q:?} should say `{reason}`");
    }
    let audit = audit_json(&rel);
    assert_eq!(audit["build"]["quarantined_total"], problems.len() as u64);
    assert_eq!(audit["build"]["quarantined"][0]["input"], name.as_str());
    // Everything else is there: good.txt whole, and every other article of the bad file.
    assert_eq!(manifest.totals().articles, kept + 1, "{name}");
    let from_bad = manifest.inputs.iter().find(|i| i.path == name);
    assert_eq!(
        from_bad.map(|i| i.articles),
        Some(kept),
        "{:?}",
        manifest.inputs
    );
    check_inputs_add_up(&manifest);
    let recs = records(&rel);
    assert_eq!(
        recs.iter().filter(|r| r.input == "good.txt").count() as u64,
        GOOD_ROWS
    );
    (tmp, recs)
}

/// Builds `input` (beside `good.txt`) in the default mode: accepted, exit 0, verifies.
fn accepted(input: &Path, articles: u64, extra: &[&str]) -> (TempDir, PathBuf) {
    let good = fixture("good.txt");
    let tmp = tempfile::tempdir().unwrap();
    let out = build(tmp.path(), &[input, &good], extra);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}: {}",
        input.display(),
        stderr(&out)
    );
    let rel = release(tmp.path());
    claimset_ok(&["verify", path_str(&rel)]);
    let manifest = Manifest::read(&rel).unwrap();
    assert!(manifest.quarantined.is_empty());
    assert_eq!(manifest.totals().articles, articles + 1);
    check_inputs_add_up(&manifest);
    (tmp, rel)
}

/// Every record of `input` indexes `text` exactly, by bytes and by code points, and its evidence
/// lies inside it.
fn check_offsets(recs: &[Record], input: &str, text: &str) {
    let chars: Vec<char> = text.chars().collect();
    let mine: Vec<&Record> = recs.iter().filter(|r| r.input == input).collect();
    assert!(!mine.is_empty(), "no records from {input}");
    for r in mine {
        let t = r.text.as_deref().unwrap();
        assert_eq!(&text[r.byte_start as usize..r.byte_end as usize], t);
        let by_chars: String = chars[r.char_start as usize..r.char_end as usize]
            .iter()
            .collect();
        assert_eq!(by_chars, t);
        for e in &r.evidence {
            assert!(
                r.char_start <= e.char_start && e.char_end <= r.char_end,
                "{e:?} outside {r:?}"
            );
        }
    }
}

// ---- Refused: bad bytes, bad JSON, bad types, missing fields. ----

#[test]
fn invalid_utf8_in_a_txt() {
    refused(
        &fixture("invalid_utf8.txt"),
        &[("byte 30", "invalid UTF-8")],
        0,
    );
}

#[test]
fn invalid_utf8_inside_a_json_string() {
    let (_t, recs) = refused(
        &fixture("invalid_utf8_in_string.jsonl"),
        &[("line 2, column 25", "invalid unicode code point")],
        2,
    );
    // The lines around the bad one are published; the bad one is not.
    assert!(
        recs.iter()
            .any(|r| r.input == "invalid_utf8_in_string.jsonl#1")
    );
    assert!(
        recs.iter()
            .any(|r| r.input == "invalid_utf8_in_string.jsonl#3")
    );
    assert!(
        !recs
            .iter()
            .any(|r| r.input == "invalid_utf8_in_string.jsonl#2")
    );
}

#[test]
fn nul_bytes_in_a_txt() {
    refused(&fixture("nul.txt"), &[("byte 15", "NUL byte")], 0);
}

#[test]
fn raw_nul_byte_inside_a_json_string() {
    refused(
        &fixture("nul_in_json.jsonl"),
        &[("line 2, column 23", "control character")],
        2,
    );
}

#[test]
fn binary_file_named_txt() {
    refused(&fixture("binary.txt"), &[("byte 8", "NUL byte")], 0);
}

#[test]
fn binary_file_named_jsonl_gz() {
    refused(
        &fixture("not_gzip.jsonl.gz"),
        &[("line 1", "invalid gzip header")],
        0,
    );
}

#[test]
fn empty_json_array_file() {
    refused(
        &fixture("empty.json"),
        &[("line 1, column 0", "not a JSON array of article objects")],
        0,
    );
}

#[test]
fn malformed_line_in_the_middle_of_json_lines() {
    let (_t, recs) = refused(
        &fixture("malformed_middle.jsonl"),
        &[(
            "line 3, column 37",
            "invalid JSON: EOF while parsing a string",
        )],
        4,
    );
    for line in [1, 2, 4, 5] {
        let input = format!("malformed_middle.jsonl#{line}");
        assert!(recs.iter().any(|r| r.input == input), "{input} is missing");
    }
}

#[test]
fn columns_count_from_the_start_of_an_indented_line() {
    // Line 2 is indented by four blanks and has a trailing comma: the column is the closing
    // brace's, counted from the start of the line as it is in the file.
    let bad = fixture("indented_malformed.jsonl");
    let text = std::fs::read_to_string(&bad).unwrap();
    let line = text.lines().nth(1).unwrap();
    assert!(line.starts_with("    {"));
    let column = line.rfind('}').unwrap() + 1;
    assert_eq!(column, 30);
    refused(&bad, &[("line 2, column 30", "trailing comma")], 2);
}

#[test]
fn content_is_a_number() {
    refused(
        &fixture("content_number.jsonl"),
        &[("line 2", "field `content` is a number, expected a string")],
        2,
    );
}

#[test]
fn content_is_an_array() {
    refused(
        &fixture("content_array.jsonl"),
        &[("line 2", "field `content` is an array, expected a string")],
        2,
    );
}

#[test]
fn wrong_types_in_a_json_array() {
    refused(
        &fixture("wrong_types.json"),
        &[
            ("array index 1", "field `content` is an object"),
            (
                "array index 3",
                "expected a JSON object with the article's fields",
            ),
        ],
        2,
    );
}

#[test]
fn missing_text_field() {
    let (_t, recs) = refused(
        &fixture("missing_fields.jsonl"),
        &[("line 2", "no text field (looked for content, text)")],
        2,
    );
    // Line 3 has neither id nor title: accepted, its id is the sha256 of its text.
    let r = recs
        .iter()
        .find(|r| r.input == "missing_fields.jsonl#3")
        .unwrap();
    assert_eq!(r.article_id.len(), 64);
    assert_eq!(r.kind, "body");
}

#[test]
fn truncated_gzip_keeps_the_articles_before_the_cut() {
    let bad = fixture("truncated.jsonl.gz");
    // The complete lines that decompress before the cut.
    let mut text = Vec::new();
    let mut decoder = flate2::read::MultiGzDecoder::new(std::fs::File::open(&bad).unwrap());
    let mut buf = [0u8; 4096];
    loop {
        match decoder.read(&mut buf) {
            Ok(0) => panic!("the fixture should be truncated"),
            Ok(n) => text.extend_from_slice(&buf[..n]),
            Err(_) => break,
        }
    }
    let complete = text.iter().filter(|&&b| b == b'\n').count() as u64;
    assert!(complete > 10 && complete < 300, "{complete}");
    let position = format!("line {}", complete + 1);
    let (_t, recs) = refused(&bad, &[(&position, "deflate")], complete);
    let last = format!("truncated.jsonl.gz#{complete}");
    assert!(recs.iter().any(|r| r.input == last), "{last} is missing");
}

#[test]
fn deeply_nested_json_is_refused_in_the_text_field_and_skipped_elsewhere() {
    let tmp = tempfile::tempdir().unwrap();
    let depth = 1_000_000;
    let nest = |open: &str, close: &str| format!("{}{}", open.repeat(depth), close.repeat(depth));
    let lines = tempfile::Builder::new()
        .suffix(".jsonl")
        .tempfile_in(tmp.path())
        .unwrap();
    let text = format!(
        "{{\"id\":\"n1\",\"content\":\"نص أول.\"}}\n{{\"id\":\"n2\",\"content\":{}}}\n{{\"id\":\"n3\",\"content\":\"نص ثالث.\",\"meta\":{}}}\n",
        nest("[", "]"),
        nest("{\"a\":", "}").replacen("{\"a\":}", "{\"a\":1}", 1),
    );
    std::fs::write(lines.path(), text).unwrap();
    refused(lines.path(), &[("line 2", "recursion limit exceeded")], 2);

    let array = tmp.path().join("nested.json");
    let text = format!(
        "[{},{{\"id\":\"n1\",\"content\":\"نص.\",\"x\":{}}}]",
        nest("[", "]"),
        nest("[", "]")
    );
    std::fs::write(&array, text).unwrap();
    refused(&array, &[("array index 0", "expected a JSON object")], 1);
}

// ---- Accepted: empty and whitespace-only files, BOM, CRLF, bidi controls, long words. ----

#[test]
fn empty_and_whitespace_only_txt_are_empty_articles() {
    for name in ["empty.txt", "whitespace.txt"] {
        let (_t, rel) = accepted(&fixture(name), 1, &[]);
        // An article with no sentences: in the article table, counted as empty by the audit.
        assert!(!records(&rel).iter().any(|r| r.input == name));
        let audit = audit_json(&rel);
        assert_eq!(audit["articles"]["empty"], 1, "{name}");
        assert_eq!(audit["articles"]["empty_examples"][0]["input"], name);
        // drop_empty_articles (a spec filter) is how to leave them out; see the README.
    }
}

#[test]
fn empty_and_whitespace_only_json_lines_hold_no_articles() {
    for name in ["empty.jsonl", "whitespace.jsonl"] {
        let (_t, rel) = accepted(&fixture(name), 0, &[]);
        let manifest = Manifest::read(&rel).unwrap();
        let input = manifest.inputs.iter().find(|i| i.path == name).unwrap();
        assert_eq!(input.articles, 0);
    }
}

#[test]
fn utf8_bom_is_dropped_and_offsets_index_the_text_after_it() {
    let (_t, rel) = accepted(&fixture("bom.txt"), 1, &[]);
    let raw = std::fs::read_to_string(fixture("bom.txt")).unwrap();
    let text = raw.strip_prefix('\u{feff}').unwrap();
    let recs = records(&rel);
    check_offsets(&recs, "bom.txt", text);
    assert_eq!(
        recs.iter()
            .find(|r| r.input == "bom.txt")
            .unwrap()
            .text
            .as_deref(),
        Some("عنوان الخبر")
    );

    let (_t, rel) = accepted(&fixture("bom.jsonl"), 2, &[]);
    let recs = records(&rel);
    let first = recs.iter().find(|r| r.input == "bom.jsonl#1").unwrap();
    assert_eq!(first.article_id, "h1");
    assert!(!first.text.as_deref().unwrap().contains('\u{feff}'));
}

#[test]
fn crlf_line_endings_and_offsets_index_the_file_exactly() {
    let (_t, rel) = accepted(&fixture("crlf.txt"), 1, &[]);
    let text = std::fs::read_to_string(fixture("crlf.txt")).unwrap();
    let recs = records(&rel);
    check_offsets(&recs, "crlf.txt", &text);
    let mine: Vec<&Record> = recs.iter().filter(|r| r.input == "crlf.txt").collect();
    // The same sentences and kinds as the same article with LF endings.
    let lf = text.replace("\r\n", "\n");
    let sentences = Segmenter::new(Unit::Sentence).segment(&lf);
    assert_eq!(mine.len(), 4);
    assert_eq!(mine.len(), sentences.len());
    for (r, s) in mine.iter().zip(&sentences) {
        assert_eq!(r.text.as_deref(), Some(&lf[s.byte_start..s.byte_end]));
        assert_eq!(r.kind, s.kind.as_str());
    }
    assert!(
        mine.iter()
            .all(|r| !r.text.as_deref().unwrap().contains('\r'))
    );
}

#[test]
fn bidi_controls_are_kept_and_do_not_hide_actors() {
    let (_t, rel) = accepted(&fixture("bidi.txt"), 1, &[]);
    let text = std::fs::read_to_string(fixture("bidi.txt")).unwrap();
    let recs = records(&rel);
    check_offsets(&recs, "bidi.txt", &text);
    let body = recs
        .iter()
        .find(|r| r.input == "bidi.txt" && r.kind == "body")
        .unwrap();
    assert!(body.text.as_deref().unwrap().contains('\u{200f}'));
    // «رو‏سيا» with a right-to-left mark inside, «طالبان» inside an isolate.
    assert!(body.actors.contains(&"russia".to_string()), "{body:?}");
    assert!(body.actors.contains(&"taliban".to_string()), "{body:?}");
}

#[test]
fn very_long_words() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("long_words.txt");
    let text = format!(
        "عنوان\n{} {} {} {}. وأكدت روسيا التعاون مع الصين.\n",
        "ب".repeat(500_000),
        "بَ".repeat(250_000),
        "x".repeat(262_144),
        "1".repeat(100_000)
    );
    std::fs::write(&path, &text).unwrap();
    let (_t, rel) = accepted(&path, 1, &[]);
    let recs = records(&rel);
    check_offsets(&recs, "long_words.txt", &text);
    let last = recs.iter().rfind(|r| r.input == "long_words.txt").unwrap();
    assert!(last.actors.contains(&"russia".to_string()), "{last:?}");
}

// ---- Large inputs, generated: too large to process, a million sentences. ----

/// `bytes` bytes of Arabic words and spaces: one line, no punctuation.
fn one_long_line(bytes: usize) -> String {
    let words = "سلام حوار تعاون اتفاق بيان وزير مدينة طريق ";
    let mut s = words.repeat(bytes / words.len() + 1);
    let mut cut = bytes;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    s
}

#[test]
fn a_50_mb_line_is_refused_by_default_and_accepted_with_a_higher_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("line_50mb.txt");
    let text = one_long_line(50 << 20);
    std::fs::write(&path, &text).unwrap();
    let (_t, _) = refused(
        &path,
        &[(
            "whole file",
            &format!(
                "article is {} bytes, over the limit of 8388608 (raise --max-article-bytes to accept it)",
                text.len()
            ),
        )],
        0,
    );
    let (_t, rel) = accepted(&path, 1, &["--max-article-bytes", "60000000"]);
    let manifest = Manifest::read(&rel).unwrap();
    assert_eq!(manifest.options.max_article_bytes, 60_000_000);
    let recs = records(&rel);
    let mine: Vec<&Record> = recs.iter().filter(|r| r.input == "line_50mb.txt").collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].byte_start, mine[0].byte_end as usize),
        (0, text.len())
    );
    assert_eq!(mine[0].text.as_deref(), Some(text.trim_end()));

    // The same line as the content of a JSON Lines record: refused by its line, the rest kept.
    let jsonl = tmp.path().join("line_50mb.jsonl");
    let line = format!("{{\"id\":\"big\",\"content\":\"{text}\"}}");
    let small = "{\"id\":\"small\",\"content\":\"نص قصير.\"}";
    std::fs::write(&jsonl, format!("{small}\n{line}\n{small}\n")).unwrap();
    refused(
        &jsonl,
        &[(
            "line 2",
            "too large for an article of at most 8388608 bytes (raise --max-article-bytes",
        )],
        2,
    );

    // And as element 1 of a JSON array: refused by its index.
    let array = tmp.path().join("line_50mb.json");
    std::fs::write(&array, format!("[{small},\n{line},\n{small}]")).unwrap();
    refused(
        &array,
        &[(
            "array index 1",
            &format!(
                "article is {} bytes, over the limit of 8388608 (raise --max-article-bytes to accept it)",
                text.len()
            ),
        )],
        2,
    );
}

#[test]
fn a_million_one_word_sentences() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("million.txt");
    let text: Vec<&str> = (0..1_000_000)
        .map(|i| if i % 2 == 0 { "لا." } else { "نعم." })
        .collect();
    let text = text.join(" ");
    assert!(text.len() < 8 << 20);
    std::fs::write(&path, &text).unwrap();
    let good = fixture("good.txt");
    let out = build(tmp.path(), &[&path, &good], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The build verified the release before publishing it; check the counts it recorded.
    let manifest = Manifest::read(&release(tmp.path())).unwrap();
    assert_eq!(manifest.totals().rows, 1_000_000 + GOOD_ROWS);
    let input = manifest
        .inputs
        .iter()
        .find(|i| i.path == "million.txt")
        .unwrap();
    assert_eq!((input.articles, input.bytes), (1, text.len() as u64));
}

// ---- Other files in an input directory. ----

#[test]
fn unknown_files_in_a_directory_are_listed_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(fixture("good.txt"), dir.join("good.txt")).unwrap();
    std::fs::copy(fixture("binary.txt"), dir.join("photo.png")).unwrap();
    let out = tmp.path().join("out");
    let o = build(&out, &[&dir], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let manifest = Manifest::read(&release(&out)).unwrap();
    assert_eq!(manifest.ignored_files, ["photo.png"]);
    assert_eq!(manifest.totals().articles, 1);
}

// ---- Rule files: file, line and column; duplicate codes, unknown labels, bad patterns. ----

/// A writable copy of `rules/` and `lexicon/`.
fn rules_copy() -> TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for sub in ["rules", "lexicon"] {
        writable_copy(&repo().join(sub), &tmp.path().join(sub));
    }
    tmp
}

/// `claimset rules test --rules DIR` after `change`: exit 2, the error names `file:line:column`.
fn broken_rules(change: &dyn Fn(&Path), file: &str, line: usize, column: usize, message: &str) {
    let tmp = rules_copy();
    claimset_ok(&["rules", "test", "--rules", path_str(tmp.path())]);
    change(tmp.path());
    let out = claimset(&["rules", "test", "--rules", path_str(tmp.path())]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let at = format!("{}:{line}:{column}: ", tmp.path().join(file).display());
    assert!(
        err.contains(&at) && err.contains(message),
        "expected `{at}` and `{message}` in:\n{err}"
    );
}

fn append(path: &Path, text: &str) -> (usize, usize) {
    let old = std::fs::read_to_string(path).unwrap();
    let start_line = old.lines().count() + 1;
    std::fs::write(path, format!("{old}{text}")).unwrap();
    (start_line, old.len())
}

const EXTRA_RULE: &str = "\n[[rule]]\ncode = \"{code}\"\nname = \"extra\"\ndoc = \"A rule added by the test.\"\nlabel = \"{label}\"\nterms = [{terms}]\n";

fn extra_rule(code: &str, label: &str, terms: &str) -> String {
    EXTRA_RULE
        .replace("{code}", code)
        .replace("{label}", label)
        .replace("{terms}", terms)
}

#[test]
fn duplicate_rule_code_is_refused_at_load() {
    let lines = std::fs::read_to_string(repo().join("rules/threat.toml"))
        .unwrap()
        .lines()
        .count();
    // The appended table starts with a blank line, then `[[rule]]`, then `code = ...` at column 8.
    broken_rules(
        &|dir| {
            append(
                &dir.join("rules/threat.toml"),
                &extra_rule("COOP001", "threat", "\"تهديد جديد\""),
            );
        },
        "rules/threat.toml",
        lines + 3,
        8,
        "duplicate rule code `COOP001` (first defined in rules/cooperation.toml)",
    );
}

#[test]
fn unknown_label_is_refused_at_load() {
    let lines = std::fs::read_to_string(repo().join("rules/threat.toml"))
        .unwrap()
        .lines()
        .count();
    broken_rules(
        &|dir| {
            append(
                &dir.join("rules/threat.toml"),
                &extra_rule("THRT901", "menace", "\"تهديد جديد\""),
            );
        },
        "rules/threat.toml",
        lines + 6,
        9,
        "unknown label `menace`",
    );
}

#[test]
fn invalid_patterns_are_refused_at_load() {
    let lines = std::fs::read_to_string(repo().join("rules/threat.toml"))
        .unwrap()
        .lines()
        .count();
    for (terms, column) in [("\"،\"", 10), ("\"كلمة\", \"«تهديد»\"", 18), ("\"\"", 10)]
    {
        broken_rules(
            &|dir| {
                append(
                    &dir.join("rules/threat.toml"),
                    &extra_rule("THRT901", "threat", terms),
                );
            },
            "rules/threat.toml",
            lines + 7,
            column,
            "invalid pattern",
        );
    }
}

#[test]
fn rule_file_syntax_and_unknown_keys_name_line_and_column() {
    // A TOML syntax error.
    broken_rules(
        &|dir| {
            std::fs::write(
                dir.join("rules/broken.toml"),
                "[[rule]]\ncode = \"X\nname = 1\n",
            )
            .unwrap();
        },
        "rules/broken.toml",
        2,
        10,
        "TOML error",
    );
    // An unknown key in a rule.
    broken_rules(
        &|dir| {
            std::fs::write(
                dir.join("rules/extra.toml"),
                extra_rule("THRT901", "threat", "\"تهديد جديد\"") + "colour = \"red\"\n",
            )
            .unwrap();
        },
        "rules/extra.toml",
        8,
        1,
        "unknown field `colour`",
    );
    // A lexicon actor with an id claimset cannot use.
    broken_rules(
        &|dir| {
            std::fs::write(
                dir.join("lexicon/actors_extra.toml"),
                "\n[[actor]]\nid = \"Bad Id\"\nname = \"x\"\ntype = \"state\"\nnames = [\"اسم\"]\n",
            )
            .unwrap();
        },
        "lexicon/actors_extra.toml",
        2,
        1,
        "actor id `Bad Id` does not match",
    );
}

// ---- Dataset names, versions and specs. ----

#[test]
fn dataset_names_and_versions_are_validated_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a/out");
    let good = fixture("good.txt");
    let try_build = |name: &str, version: &str| {
        claimset(&[
            "build",
            "--input",
            path_str(&good),
            "--name",
            name,
            "--version",
            version,
            "--out",
            path_str(&out),
            "--quiet",
        ])
    };
    let abs = tmp.path().join("abs");
    for name in [
        "../x",
        "..",
        ".",
        "a/b",
        "a\\b",
        path_str(&abs),
        "/tmp/x",
        "",
        "A",
        ".hidden",
        "a..b",
        "x/../../y",
    ] {
        let o = try_build(name, "1.0.0");
        assert_eq!(o.status.code(), Some(2), "name {name:?} was accepted");
        assert!(
            stderr(&o).contains("invalid dataset name"),
            "{}",
            stderr(&o)
        );
    }
    for version in [
        "1.0",
        "1",
        "v1.0.0",
        "../1.0.0",
        "1.0.0/x",
        "/1.0.0",
        "1.0.0/../../x",
        "1.0.0+build",
        "latest",
        "",
    ] {
        let o = try_build("ok", version);
        assert_eq!(o.status.code(), Some(2), "version {version:?} was accepted");
        assert!(stderr(&o).contains("invalid version"), "{}", stderr(&o));
    }
    // Nothing was created anywhere: not the output directory, not a path outside it.
    let made: Vec<_> = walkdir::WalkDir::new(tmp.path())
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect();
    assert!(made.is_empty(), "{made:?}");
    // A pre-release is semver: accepted.
    let o = try_build("ok", "1.0.0-rc.1");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("ok/1.0.0-rc.1/manifest.json").exists());
}

fn write_spec(dir: &Path, body: &str) -> PathBuf {
    std::fs::create_dir_all(dir.join("input")).unwrap();
    std::fs::copy(fixture("good.txt"), dir.join("input/good.txt")).unwrap();
    let spec = dir.join("dataset.toml");
    std::fs::write(&spec, body).unwrap();
    spec
}

#[test]
fn spec_errors_name_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let head = "name = \"s\"\nversion = \"1.0.0\"\ninputs = [\"input\"]\n";
    for (body, at, message) in [
        (
            format!("{head}bogus = 1\n"),
            "line 4, column 1",
            "unknown field `bogus`",
        ),
        (
            format!("{head}\n[split]\n  seeed = 3\n"),
            "line 6, column 3",
            "unknown field `seeed`",
        ),
        (
            format!("{head}[filters]\ndrop_empty_articles = \"yes\"\n"),
            "line 5, column 23",
            "invalid type",
        ),
        (
            "name = \"s\"\nversion = 1\ninputs = [\"input\"]\n".to_string(),
            "line 2, column 11",
            "invalid type",
        ),
        (
            "name = \"s\"\nversion = \"1.0.0\"\ninputs = [\"input\"\n".to_string(),
            "line 3",
            "",
        ),
        (
            "name = \"../s\"\nversion = \"1.0.0\"\ninputs = [\"input\"]\n".to_string(),
            "",
            "invalid dataset name `../s`",
        ),
        (
            "name = \"s\"\nversion = \"1.0\"\ninputs = [\"input\"]\n".to_string(),
            "",
            "invalid version `1.0`",
        ),
    ] {
        let spec = write_spec(tmp.path(), &body);
        let o = claimset(&["build", path_str(&spec), "--out", path_str(&out), "--quiet"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{body}: {err}");
        assert!(
            err.contains(&format!("{}: {at}", spec.display())) && err.contains(message),
            "expected `{at}` and `{message}` for\n{body}\nin:\n{err}"
        );
        assert!(!out.exists(), "{body}");
    }
    // The same spec without the mistake builds.
    let spec = write_spec(tmp.path(), head);
    let o = claimset(&["build", path_str(&spec), "--out", path_str(&out), "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

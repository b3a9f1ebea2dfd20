//! The audit's checks, one by one, on tiny synthetic releases written record by record (so every
//! defect is exactly where the test put it), plus the audit of a real build through the binary:
//! stored in the release, byte-identical when recomputed, gating the build's exit code, never
//! modifying a published release.

mod common;

use claimset::audit::{Audit, AuditOptions, Status, audit, render_html, to_json};
use claimset::label::{Evidence, Mode};
use claimset::manifest::*;
use claimset::record::{Record, record_id, text_sha256};
use claimset::write::{ARTICLES_FILE, ArticleRow, ArticleWriter, SplitWriter, WriterSettings};
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// Synthetic releases

#[derive(Clone)]
struct S {
    text: String,
    stances: Vec<&'static str>,
    evidence: Vec<(&'static str, &'static str)>,
    actors: Vec<&'static str>,
    kind: &'static str,
}

/// A body sentence with no label (an abstain).
fn s(text: &str) -> S {
    S {
        text: text.to_string(),
        stances: vec![],
        evidence: vec![],
        actors: vec![],
        kind: "body",
    }
}

impl S {
    /// Adds a stance vote: the rule's evidence and, for stance labels, the label in `stances`.
    fn vote(mut self, rule: &'static str, label: &'static str) -> S {
        self.evidence.push((rule, label));
        if label != "none" && !label.starts_with("actor:") && !self.stances.contains(&label) {
            self.stances.push(label);
            let order = |l: &&str| {
                ["cooperation", "threat", "reassurance"]
                    .iter()
                    .position(|x| x == l)
            };
            self.stances.sort_by_key(order);
        }
        self
    }
    fn actor(mut self, rule: &'static str, id: &'static str) -> S {
        let label: &'static str = Box::leak(format!("actor:{id}").into_boxed_str());
        self.evidence.push((rule, label));
        self.actors.push(id);
        self.actors.sort();
        self
    }
}

#[derive(Clone)]
struct A {
    input: String,
    split: &'static str,
    sentences: Vec<S>,
    /// Defaults to the fingerprint of the sentences joined by spaces.
    fingerprint: Option<String>,
}

fn art(input: &str, split: &'static str, sentences: Vec<S>) -> A {
    A {
        input: input.to_string(),
        split,
        sentences,
        fingerprint: None,
    }
}

fn primary(stances: &[&str]) -> String {
    for l in ["reassurance", "threat", "cooperation"] {
        if stances.contains(&l) {
            return l.to_string();
        }
    }
    "none".to_string()
}

fn records_of(a: &A) -> Vec<Record> {
    let mut out = Vec::new();
    let (mut c, mut b) = (0u32, 0u32);
    for (i, s) in a.sentences.iter().enumerate() {
        let chars = s.text.chars().count() as u32;
        let bytes = s.text.len() as u32;
        out.push(Record {
            record_id: record_id(&a.input, i as u32, &s.text),
            article_id: a.input.clone(),
            input: a.input.clone(),
            publisher: None,
            url: None,
            date: None,
            author: None,
            sentence_index: i as u32,
            kind: s.kind.to_string(),
            char_start: c,
            char_end: c + chars,
            byte_start: b,
            byte_end: b + bytes,
            text: Some(s.text.clone()),
            text_sha256: text_sha256(&s.text),
            lang: "ar".into(),
            stance: primary(&s.stances),
            stances: s.stances.iter().map(|x| x.to_string()).collect(),
            actors: s.actors.iter().map(|x| x.to_string()).collect(),
            evidence: s
                .evidence
                .iter()
                .map(|(rule, label)| Evidence {
                    rule: rule.to_string(),
                    label: label.to_string(),
                    mode: Mode::Asserted,
                    char_start: c,
                    char_end: c + chars,
                })
                .collect(),
            split: a.split.to_string(),
        });
        c += chars + 1;
        b += bytes + 1;
    }
    out
}

fn fingerprint_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let collapsed: Vec<&str> = text.split_whitespace().collect();
    hex::encode(Sha256::digest(collapsed.join(" ").as_bytes()))
}

const SPLITS: [&str; 3] = ["train", "validation", "test"];

/// Writes a release of `articles` (in canonical order) into `dir`; returns its manifest (also
/// written, sealed, so that a child release finds it as its parent). `edit` may change records
/// before they are written (to plant type problems).
fn write_release_with(
    dir: &Path,
    version: &str,
    parent: Option<&str>,
    audit_toml: &str,
    articles: &[A],
    edit: &dyn Fn(&mut Record),
) -> Manifest {
    std::fs::create_dir_all(dir.join("data")).unwrap();
    let settings = WriterSettings::default();
    let mut table = ArticleWriter::create(&dir.join(ARTICLES_FILE), &settings).unwrap();
    let mut per_split: [Vec<Record>; 3] = Default::default();
    let mut stats: Vec<SplitStats> = SPLITS
        .iter()
        .map(|s| SplitStats {
            split: s.to_string(),
            ..Default::default()
        })
        .collect();
    for a in articles {
        let k = SPLITS.iter().position(|s| *s == a.split).unwrap();
        let body: Vec<&str> = a.sentences.iter().map(|s| s.text.as_str()).collect();
        let body = body.join(" ");
        table
            .push(ArticleRow {
                article_id: a.input.clone(),
                input: a.input.clone(),
                split: a.split.to_string(),
                fingerprint: a
                    .fingerprint
                    .clone()
                    .unwrap_or_else(|| fingerprint_hex(&body)),
                sentences: a.sentences.len() as u32,
                body_chars: body.chars().count() as u32,
                empty: body.trim().is_empty(),
            })
            .unwrap();
        stats[k].articles += 1;
        for mut r in records_of(a) {
            edit(&mut r);
            let st = &mut stats[k];
            st.rows += 1;
            *st.stance.entry(r.stance.clone()).or_default() += 1;
            for l in &r.stances {
                *st.stances.entry(l.clone()).or_default() += 1;
            }
            if !r.evidence.iter().any(|e| !e.label.starts_with("actor:")) {
                st.abstain += 1;
            }
            per_split[k].push(r);
        }
    }
    table.finish().unwrap();
    let mut data_files = Vec::new();
    for (k, records) in per_split.into_iter().enumerate() {
        if records.is_empty() {
            continue;
        }
        let path = format!("data/{}-00000-of-00001.parquet", SPLITS[k]);
        let mut w = SplitWriter::create(&dir.join(&path), &settings).unwrap();
        let rows = records.len() as u64;
        for r in records {
            let h = r.hash();
            w.push(r, &h).unwrap();
        }
        w.finish(&[]).unwrap();
        data_files.push(DataFile {
            path,
            split: SPLITS[k].to_string(),
            rows,
            sha256: String::new(),
            bytes: 0,
            content_sha256: String::new(),
        });
    }
    let parent_line = parent
        .map(|p| format!("parent = \"{p}\"\n"))
        .unwrap_or_default();
    let spec = claimset::spec::parse(&format!(
        "name = \"synthetic\"\nversion = \"{version}\"\n{parent_line}inputs = [\"in\"]\n[audit]\n{audit_toml}\n"
    ))
    .unwrap();
    let manifest = Manifest {
        manifest_version: MANIFEST_VERSION,
        schema_version: "1".into(),
        dataset: DatasetInfo {
            name: "synthetic".into(),
            version: version.into(),
            parent: parent.map(String::from),
            description: String::new(),
            license: "unknown".into(),
            citation: String::new(),
        },
        spec,
        spec_path: None,
        rules: RulesInfo {
            sha256: "0".repeat(64),
            source: "bundled".into(),
        },
        options: BuildOptions {
            unit: claimset::segment::Unit::Sentence,
            without_text: false,
            on_error: "quarantine".into(),
            max_article_bytes: 1 << 20,
            shard: None,
        },
        inputs: Vec::new(),
        ignored_files: vec!["notes.docx".into()],
        quarantined: vec![Quarantined {
            input: "broken.jsonl".into(),
            position: "line 3".into(),
            reason: "not JSON".into(),
        }],
        filters: Vec::new(),
        parquet: settings,
        splits: stats,
        data_files,
        files: Vec::new(),
        content_sha256: "0".repeat(64),
        built_with: BuiltWith::current(),
        manifest_sha256: String::new(),
    };
    std::fs::write(dir.join(MANIFEST_FILE), manifest.to_bytes()).unwrap();
    manifest
}

fn write_release(dir: &Path, audit_toml: &str, articles: &[A]) -> Manifest {
    write_release_with(dir, "1.0.0", None, audit_toml, articles, &|_| {})
}

fn run(dir: &Path, manifest: &Manifest) -> Audit {
    audit(
        dir,
        manifest,
        &AuditOptions {
            threads: 1,
            gold: None,
        },
    )
    .unwrap()
}

fn audit_of(articles: &[A]) -> Audit {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("synthetic/1.0.0");
    let m = write_release(&dir, "", articles);
    run(&dir, &m)
}

/// Filler articles so that near-duplicate articles have enough words (20).
fn long_text(seed: &str, words: usize) -> String {
    (0..words)
        .map(|i| format!("{seed}{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------------
// Checks

#[test]
fn empty_and_duplicate_articles_by_fingerprint() {
    let mut empty1 = art("e1.txt", "train", vec![]);
    empty1.fingerprint = Some(fingerprint_hex(""));
    let mut empty2 = art("e2.txt", "test", vec![]);
    empty2.fingerprint = Some(fingerprint_hex(""));
    let a = art("a.txt", "train", vec![s("الخبر الأول"), s("جملة ثانية")]);
    // Same body up to whitespace: a duplicate of a.txt, which comes first.
    let mut a2 = art("b.txt", "train", vec![s("الخبر   الأول"), s("جملة ثانية")]);
    a2.fingerprint = Some(fingerprint_hex("الخبر الأول جملة ثانية"));
    let a3 = art("c.txt", "train", vec![s("الخبر الأول"), s("جملة ثانية")]);
    let other = art("d.txt", "validation", vec![s("نص مختلف تماما")]);
    let r = audit_of(&[empty1, a, empty2, a2, a3, other]);
    assert_eq!(r.articles.total, 6);
    assert_eq!(r.articles.empty, 2, "two articles with no text");
    assert_eq!(
        r.articles.duplicates, 2,
        "b and c repeat a; empty ones are not duplicates"
    );
    assert_eq!(r.articles.duplicate_groups, 1);
    let g = &r.articles.duplicate_examples[0];
    assert_eq!(g.copies, 3);
    assert_eq!(g.first.input, "a.txt");
    assert_eq!(
        g.others
            .iter()
            .map(|o| o.input.as_str())
            .collect::<Vec<_>>(),
        ["b.txt", "c.txt"]
    );
    assert_eq!(
        r.articles
            .empty_examples
            .iter()
            .map(|e| e.input.as_str())
            .collect::<Vec<_>>(),
        ["e1.txt", "e2.txt"]
    );
    assert!((r.articles.empty_rate - 2.0 / 6.0).abs() < 1e-6);
}

#[test]
fn sentence_lengths_empty_blank_invisible_short_long() {
    let long = "ك".repeat(1001);
    let r = audit_of(&[art(
        "a.txt",
        "train",
        vec![
            s(""),
            s("   "),
            s("\u{202c}"),
            s("نص"),
            s("نص كامل"),
            s(&long),
        ],
    )]);
    let se = &r.sentences;
    assert_eq!(
        (
            se.empty,
            se.whitespace_only,
            se.invisible_only,
            se.too_short,
            se.too_long
        ),
        (1, 1, 1, 1, 1)
    );
    assert_eq!(se.short_examples[0].text.as_deref(), Some("نص"));
    assert_eq!(se.length.max, 1001);
    assert_eq!(se.length.histogram.iter().map(|b| b.count).sum::<u64>(), 6);
    assert_eq!(
        se.length.histogram[0].count, 1,
        "the empty sentence is in bin 0"
    );
    assert!((se.empty_rate - 0.5).abs() < 1e-6);
}

#[test]
fn length_bounds_come_from_the_spec() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("synthetic/1.0.0");
    let m = write_release(
        &dir,
        "min_sentence_chars = 8\nmax_sentence_chars = 10\n",
        &[art(
            "a.txt",
            "train",
            vec![s("قصير"), s("جملة طولها كبير جدا")],
        )],
    );
    let r = run(&dir, &m);
    assert_eq!((r.sentences.too_short, r.sentences.too_long), (1, 1));
    assert_eq!(r.settings.min_sentence_chars, 8);
    assert_eq!(r.settings.max_sentence_chars, 10);
}

#[test]
fn exact_duplicate_sentences_by_collapsed_whitespace() {
    let r = audit_of(&[
        art(
            "a.txt",
            "train",
            vec![s("وقال الوزير إن المحادثات مستمرة"), s("// انتهى //")],
        ),
        art(
            "b.txt",
            "train",
            vec![s("وقال  الوزير\nإن المحادثات مستمرة"), s("// انتهى //")],
        ),
        art("c.txt", "train", vec![s("// انتهى //"), s("جملة فريدة")]),
    ]);
    assert_eq!(r.sentences.duplicates, 3);
    assert_eq!(r.sentences.duplicate_groups, 2);
    let top = &r.sentences.top_repeated[0];
    assert_eq!(
        (top.text.as_str(), top.sentences, top.articles),
        ("// انتهى //", 3, 3)
    );
}

#[test]
fn near_duplicate_sentences_and_not_unrelated_ones() {
    let base = "أعلنت وزارة الخارجية السعودية اليوم عن توقيع اتفاقية تعاون جديدة مع الجانب الفرنسي";
    let near =
        "أعلنت وزارة الخارجية السعودية اليوم عن توقيع اتفاقية تعاون جديدة مع الجانب الفرنسي كذلك";
    let other = "شهدت أسواق الأسهم الخليجية تراجعا ملحوظا في تعاملات نهاية الأسبوع الماضي بسبب النفط";
    let r = audit_of(&[
        art("a.txt", "train", vec![s(base)]),
        art("b.txt", "train", vec![s(other)]),
        art("c.txt", "train", vec![s(near)]),
    ]);
    let n = &r.sentences.near;
    assert_eq!(n.near_duplicates, 1, "{n:?}");
    assert_eq!(n.clusters, 1);
    let c = &n.examples[0];
    assert_eq!(c.size, 2);
    assert!(c.min_jaccard >= 0.8 && c.min_jaccard < 1.0);
    assert_eq!(c.members[0].input, "a.txt");
    assert_eq!(c.members[1].input, "c.txt");
    assert_eq!(r.sentences.duplicates, 0);
}

#[test]
fn near_duplicate_threshold_is_configurable() {
    let base = "أعلنت وزارة الخارجية السعودية اليوم عن توقيع اتفاقية تعاون جديدة مع الجانب الفرنسي";
    let near =
        "أعلنت وزارة الخارجية السعودية اليوم عن توقيع اتفاقية تعاون جديدة مع الجانب الفرنسي كذلك";
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("synthetic/1.0.0");
    let arts = [
        art("a.txt", "train", vec![s(base)]),
        art("b.txt", "train", vec![s(near)]),
    ];
    let m = write_release(&dir, "near_duplicate_sentence_jaccard = 0.99\n", &arts);
    let r = run(&dir, &m);
    assert_eq!(r.sentences.near.near_duplicates, 0);
    assert_eq!(r.settings.near_duplicate_sentences.jaccard, 0.99);
}

#[test]
fn near_duplicate_articles_by_word_shingles() {
    let body = long_text("كلمة", 60);
    let mut edited: Vec<String> = body.split(' ').map(String::from).collect();
    edited[30] = "تعديل".into();
    let edited = edited.join(" ");
    let r = audit_of(&[
        art("a.txt", "train", vec![s("عنوان أول"), s(&body)]),
        art("b.txt", "test", vec![s(&long_text("غير", 60))]),
        art("c.txt", "test", vec![s("عنوان آخر"), s(&edited)]),
        // Too short to take part.
        art("d.txt", "train", vec![s("قصير جدا")]),
    ]);
    let n = &r.articles.near;
    assert_eq!(n.eligible, 3);
    assert_eq!(n.near_duplicates, 1, "{n:?}");
    assert_eq!(n.examples[0].members[0].input, "a.txt");
    assert_eq!(n.examples[0].members[1].input, "c.txt");
    // c.txt is in test, a.txt in train: article leakage.
    assert_eq!(r.leakage.articles.eval_articles, 2);
    assert_eq!(r.leakage.articles.near, 1);
    assert_eq!(r.leakage.articles.exact, 0);
}

#[test]
fn label_conflicts_on_identical_normalized_text() {
    // Same text but for harakat and alef forms: normalized, they are equal.
    let r = audit_of(&[
        art(
            "a.txt",
            "train",
            vec![s("أكد الوزير دعم المملكة").vote("COOP001", "cooperation")],
        ),
        art(
            "b.txt",
            "train",
            vec![s("اكد الوزيرُ دعم المملكة").vote("THRT001", "threat")],
        ),
        art(
            "c.txt",
            "train",
            vec![s("أكد الوزير دعم المملكة").vote("COOP001", "cooperation")],
        ),
        // Same labels everywhere: no conflict.
        art("d.txt", "train", vec![s("جملة متكررة"), s("جملة متكررة")]),
    ]);
    let c = &r.label_conflicts;
    assert_eq!((c.groups, c.sentences), (1, 3));
    assert_eq!(
        c.examples[0].labels,
        BTreeMap::from([("cooperation".to_string(), 2), ("threat".to_string(), 1)])
    );
    assert_eq!(c.examples[0].members.len(), 2, "one example per label set");
}

#[test]
fn leakage_exact_and_near_across_splits() {
    let shared = "وقال المتحدث باسم التحالف إن العمليات العسكرية مستمرة في المحافظات الجنوبية";
    let near = "وقال المتحدث باسم التحالف ان العمليات العسكرية مستمرة في المحافظات الجنوبية اليوم";
    let r = audit_of(&[
        art(
            "a.txt",
            "train",
            vec![s(shared), s("جملة تدريب فقط لا تتكرر أبدا في أي مكان آخر")],
        ),
        art(
            "b.txt",
            "test",
            vec![s(shared), s("جملة اختبار فريدة لا تظهر في أي قسم آخر")],
        ),
        art("c.txt", "validation", vec![s(near)]),
    ]);
    let l = &r.leakage;
    assert_eq!(l.eval_sentences, 3);
    assert_eq!(l.exact, 1, "{l:?}");
    assert_eq!(l.near, 1, "{l:?}");
    assert!((l.rate - 2.0 / 3.0).abs() < 1e-6);
    assert_eq!(l.texts_across_splits, 1);
    let pair = |a: &str, b: &str| {
        l.pairs
            .iter()
            .find(|p| p.split == a && p.other == b)
            .map(|p| (p.exact, p.near))
            .unwrap()
    };
    assert_eq!(pair("test", "train"), (1, 0));
    assert_eq!(pair("train", "test"), (1, 0));
    assert_eq!(pair("validation", "train"), (0, 1));
    assert_eq!(pair("validation", "test"), (0, 1));
    assert_eq!(l.examples[0].kind, "exact");
}

#[test]
fn label_and_actor_distributions_abstain_apart_from_decided_none() {
    let r = audit_of(&[
        art(
            "a.txt",
            "train",
            vec![
                s("تهديد").vote("THRT001", "threat").actor("ACT001", "iran"),
                s("تعاون وتهديد")
                    .vote("COOP001", "cooperation")
                    .vote("THRT002", "threat"),
                s("خبر").vote("NONE001", "none"),
                s("إيران فقط").actor("ACT001", "iran"),
                s("لا شيء"),
            ],
        ),
        art(
            "b.txt",
            "test",
            vec![
                s("طمأنة")
                    .vote("REAS001", "reassurance")
                    .actor("ACT001", "usa"),
            ],
        ),
    ]);
    let split = |name: &str| r.labels.splits.iter().find(|s| s.split == name).unwrap();
    let train = split("train");
    assert_eq!(train.sentences, 5);
    assert_eq!(train.abstain, 2, "actor evidence alone is an abstain");
    assert_eq!(train.decided_none, 1);
    assert_eq!(train.stance["threat"], 2);
    assert_eq!(train.stance["none"], 3);
    assert_eq!(train.stances["cooperation"], 1);
    assert_eq!(train.with_actors, 2);
    assert_eq!(train.distinct_actors, 1);
    let all = split("all");
    assert_eq!(all.sentences, 6);
    assert!((all.abstain_rate - 2.0 / 6.0).abs() < 1e-6);
    let im = &r.labels.imbalance;
    assert_eq!(
        (im.majority.as_str(), im.minority.as_str()),
        ("threat", "cooperation")
    );
    assert_eq!(im.ratio, 2.0);
    // validation has nothing: the smallest count is 0.
    assert_eq!(r.labels.min_examples.count, 0);
    assert_eq!(r.labels.actors[0].actor, "iran");
    assert_eq!((r.labels.actors[0].total, r.labels.actors[0].train), (2, 2));
}

#[test]
fn rule_coverage_overlap_and_conflict() {
    let r = audit_of(&[art(
        "a.txt",
        "train",
        vec![
            // COOP001 and THRT001 disagree.
            s("1")
                .vote("COOP001", "cooperation")
                .vote("THRT001", "threat"),
            // COOP001 and COOP002 agree: overlap, no conflict.
            s("2")
                .vote("COOP001", "cooperation")
                .vote("COOP002", "cooperation"),
            // COOP001 alone, plus an actor rule (no vote).
            s("3").vote("COOP001", "cooperation").actor("ACT001", "usa"),
            s("4"),
        ],
    )]);
    let rule = |code: &str| r.rules.rules.iter().find(|x| x.rule == code).unwrap();
    let coop = rule("COOP001");
    assert_eq!((coop.sentences, coop.overlaps, coop.conflicts), (3, 2, 1));
    assert_eq!(coop.coverage, 0.75);
    assert_eq!(coop.overlap, 0.5);
    assert_eq!(coop.conflict, 0.25);
    assert_eq!(coop.kind, "stance");
    let thrt = rule("THRT001");
    assert_eq!((thrt.sentences, thrt.overlaps, thrt.conflicts), (1, 1, 1));
    let coop2 = rule("COOP002");
    assert_eq!((coop2.overlaps, coop2.conflicts), (1, 0));
    let act = rule("ACT001");
    assert_eq!(
        (act.kind.as_str(), act.sentences, act.overlaps),
        ("actor", 1, 0)
    );
    assert_eq!(act.labels["actor"], 1);
    assert_eq!(
        (r.rules.covered, r.rules.overlapping, r.rules.conflicting),
        (3, 2, 1)
    );
    assert_eq!(r.rules.coverage, 0.75);
}

#[test]
fn type_problems_are_found_and_gated() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("synthetic/1.0.0");
    let m = write_release_with(
        &dir,
        "1.0.0",
        None,
        "",
        &[art(
            "a.txt",
            "train",
            vec![
                s("أ")
                    .vote("COOP001", "cooperation")
                    .vote("THRT001", "threat"),
                s("ب"),
            ],
        )],
        &|r| {
            if r.sentence_index == 0 {
                r.stances = vec!["threat".into(), "cooperation".into()];
                r.stance = "cooperation".into();
            } else {
                r.stance = "maybe".into();
                r.kind = "footer".into();
                r.actors = vec!["Bad Id".into()];
            }
        },
    );
    let r = run(&dir, &m);
    let v = &r.schema.violations;
    assert!(!r.schema.ok);
    for check in [
        "stances_sorted_unique",
        "stance_matches_stances",
        "stance_value",
        "kind_value",
        "actor_id",
    ] {
        assert_eq!(v.get(check), Some(&1), "{check}: {v:?}");
    }
    assert_eq!(r.status, Status::Warn);
    assert!(!r.gates[0].ok && r.gates[0].gate == "schema_violations");
}

#[test]
fn an_article_table_that_does_not_match_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("synthetic/1.0.0");
    let arts = [
        art("a.txt", "train", vec![s("واحد"), s("اثنان")]),
        art("b.txt", "train", vec![s("ثلاثة")]),
    ];
    let m = write_release(&dir, "", &arts);
    // Replace the table by one that claims a single sentence for a.txt.
    let mut w =
        ArticleWriter::create(&dir.join(ARTICLES_FILE), &WriterSettings::default()).unwrap();
    w.push(ArticleRow {
        article_id: "a.txt".into(),
        input: "a.txt".into(),
        split: "train".into(),
        fingerprint: "x".into(),
        sentences: 1,
        body_chars: 4,
        empty: false,
    })
    .unwrap();
    w.finish().unwrap();
    let r = run(&dir, &m);
    assert!(!r.schema.article_table);
    assert_eq!(
        r.schema.violations.get("article_table_matches_data"),
        Some(&1)
    );
    // Articles then come from the data.
    assert_eq!(r.articles.total, 2);
    assert_eq!(r.sentences.total, 3);
    assert_eq!(r.status, Status::Warn);
}

#[test]
fn gates_give_pass_warn_and_fail() {
    let arts = [
        art("a.txt", "train", vec![s("نفس الخبر")]),
        art("b.txt", "train", vec![s("نفس الخبر")]),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("synthetic/1.0.0");
    let m = write_release(&dir, "max_duplicate_article_rate = 0.6\n", &arts);
    let r = run(&dir, &m);
    assert_eq!(r.status, Status::Pass);
    let g = r
        .gates
        .iter()
        .find(|g| g.gate == "max_duplicate_article_rate")
        .unwrap();
    assert_eq!((g.value, g.limit, g.ok), (0.5, 0.6, true));

    let m = write_release(
        &dir,
        "max_duplicate_article_rate = 0.1\nmin_examples_per_label = 1\n",
        &arts,
    );
    let r = run(&dir, &m);
    assert_eq!(r.status, Status::Warn);
    let missed: Vec<&str> = r
        .gates
        .iter()
        .filter(|g| !g.ok)
        .map(|g| g.gate.as_str())
        .collect();
    assert_eq!(
        missed,
        ["max_duplicate_article_rate", "min_examples_per_label"]
    );
    assert_eq!(
        claimset::audit::missed_gates(&r),
        [
            "max_duplicate_article_rate: 0.5 > 0.1",
            "min_examples_per_label: 0 < 1"
        ]
    );

    let m = write_release(
        &dir,
        "max_duplicate_article_rate = 0.1\nfail = true\n",
        &arts,
    );
    assert_eq!(run(&dir, &m).status, Status::Fail);
}

#[test]
fn bad_thresholds_are_refused() {
    for bad in [
        "max_duplicate_article_rate = 1.5",
        "near_duplicate_sentence_jaccard = 0.2",
        "max_class_imbalance = 0.5",
        "min_sentence_chars = 10\nmax_sentence_chars = 5",
        "no_such_gate = 1",
    ] {
        let text = format!("name = \"x\"\nversion = \"1.0.0\"\ninputs = [\"a\"]\n[audit]\n{bad}\n");
        assert!(claimset::spec::parse(&text).is_err(), "{bad}");
    }
}

#[test]
fn drift_against_the_parent_release() {
    let tmp = tempfile::tempdir().unwrap();
    let parent_dir = tmp.path().join("synthetic/1.0.0");
    write_release_with(
        &parent_dir,
        "1.0.0",
        None,
        "",
        &[art(
            "a.txt",
            "train",
            vec![
                s("1").vote("THRT001", "threat"),
                s("2").vote("THRT001", "threat"),
                s("3"),
                s("4"),
            ],
        )],
        &|_| {},
    );
    let dir = tmp.path().join("synthetic/1.1.0");
    let m = write_release_with(
        &dir,
        "1.1.0",
        Some("1.0.0"),
        "max_label_drift = 0.05\n",
        &[
            art(
                "a.txt",
                "train",
                vec![
                    s("1").vote("COOP001", "cooperation"),
                    s("2").vote("THRT001", "threat"),
                    s("3"),
                    s("4"),
                ],
            ),
            art("b.txt", "test", vec![s("5")]),
        ],
        &|_| {},
    );
    let r = run(&dir, &m);
    let d = &r.drift;
    assert!(d.found, "{:?}", d.note);
    let all = d.rows.iter().find(|x| x.split == "all").unwrap();
    assert_eq!((all.parent_rows, all.rows), (4, 5));
    assert!(d.label_jsd["all"] > 0.05, "{:?}", d.label_jsd);
    assert_eq!(d.labels_parent["threat"], 0.5);
    let rule = |c: &str| d.rules.iter().find(|x| x.rule == c).unwrap();
    assert_eq!(
        (rule("THRT001").parent_coverage, rule("THRT001").coverage),
        (0.5, 0.2)
    );
    assert_eq!(
        (rule("COOP001").parent_coverage, rule("COOP001").coverage),
        (0.0, 0.2)
    );
    assert_eq!(r.status, Status::Warn, "the drift gate is missed");

    // A declared parent that is not there is noted, not an error, and its gate is not checked.
    let orphan = tmp.path().join("other/2.0.0");
    let m = write_release_with(
        &orphan,
        "2.0.0",
        Some("1.9.0"),
        "max_label_drift = 0.0\n",
        &[art("a.txt", "train", vec![s("1")])],
        &|_| {},
    );
    let r = run(&orphan, &m);
    assert!(!r.drift.found);
    assert!(r.drift.note.as_deref().unwrap().contains("not found"));
    assert_eq!(r.status, Status::Pass);
}

#[test]
fn build_problems_are_carried() {
    let r = audit_of(&[art("a.txt", "train", vec![s("1")])]);
    assert_eq!(r.build.quarantined_total, 1);
    assert_eq!(r.build.quarantined[0].reason, "not JSON");
    assert_eq!(r.build.ignored_files, ["notes.docx"]);
}

#[test]
fn gold_precision_per_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("synthetic/1.0.0");
    // Sentences: "aaaa" at 0..4, "bbbb" at 5..9, "cccc" at 10..14.
    let m = write_release(
        &dir,
        "",
        &[art(
            "g.txt",
            "train",
            vec![
                s("aaaa").vote("THRT001", "threat").actor("ACT001", "iran"),
                s("bbbb").vote("THRT001", "threat"),
                s("cccc").vote("NONE001", "none"),
            ],
        )],
    );
    let gold = tmp.path().join("gold.jsonl");
    std::fs::write(
        &gold,
        [
            r#"{"file": "g.txt", "start": 0, "end": 4, "stances": ["threat"], "actors": ["iran"]}"#,
            r#"{"file": "g.txt", "start": 5, "end": 9, "stances": ["cooperation"], "actors": []}"#,
            r#"{"file": "g.txt", "start": 10, "end": 14, "stances": [], "actors": []}"#,
            r#"{"file": "missing.txt", "start": 0, "end": 3, "stances": [], "actors": []}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let r = audit(
        &dir,
        &m,
        &AuditOptions {
            threads: 1,
            gold: Some(gold),
        },
    )
    .unwrap();
    let g = r.gold.as_ref().unwrap();
    assert_eq!(
        (g.gold_sentences, g.articles_found, g.sentences_scored),
        (4, 1, 3)
    );
    assert_eq!(g.articles_missing, ["missing.txt"]);
    let rule = |c: &str| g.rules.iter().find(|x| x.rule == c).unwrap();
    let t = rule("THRT001");
    assert_eq!((t.fired, t.correct, t.wrong, t.precision), (2, 1, 1, 0.5));
    assert_eq!(t.wrong_examples[0].text, "bbbb");
    assert_eq!(t.wrong_examples[0].gold_stances, ["cooperation"]);
    assert_eq!(rule("ACT001").precision, 1.0);
    assert_eq!(rule("NONE001").precision, 1.0);
}

#[test]
fn the_report_does_not_depend_on_threads_and_is_stable() {
    let mut arts = Vec::new();
    for i in 0..40 {
        let split = SPLITS[i % 3];
        arts.push(art(
            &format!("{i:02}.txt"),
            split,
            vec![
                s("// انتهى //"),
                s(&format!(
                    "الجملة رقم {i} في الخبر مع نص إضافي يكفي للمقارنة بين الجمل"
                )),
                s(&long_text(&format!("ك{}", i % 5), 25)).vote("THRT001", "threat"),
            ],
        ));
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("synthetic/1.0.0");
    let m = write_release(&dir, "", &arts);
    let one = audit(
        &dir,
        &m,
        &AuditOptions {
            threads: 1,
            gold: None,
        },
    )
    .unwrap();
    let two = audit(
        &dir,
        &m,
        &AuditOptions {
            threads: 2,
            gold: None,
        },
    )
    .unwrap();
    assert_eq!(to_json(&one), to_json(&two));
    assert_eq!(render_html(&one), render_html(&two));
    assert!(one.sentences.near.near_duplicates > 0);
    // The JSON reads back to the same report.
    let back: Audit = serde_json::from_slice(&to_json(&one)).unwrap();
    assert_eq!(back, one);
}

#[test]
fn html_is_self_contained_and_escaped() {
    let r = audit_of(&[art(
        "<script>.txt",
        "train",
        vec![s("<b>نص</b> & \"اقتباس\""), s("<b>نص</b> & \"اقتباس\"")],
    )]);
    let html = render_html(&r);
    for banned in [
        "<script", "http://", "https://", "@import", "url(", "<link", "<img", "src=",
    ] {
        assert!(!html.contains(banned), "{banned}");
    }
    assert!(html.contains("&lt;b&gt;نص&lt;/b&gt; &amp; &quot;اقتباس&quot;"));
    assert!(html.contains("dir=\"auto\""));
    assert!(html.contains("<svg"));
    assert!(html.starts_with("<!DOCTYPE html>"));
}

// ---------------------------------------------------------------------------------------------
// Through the binary

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
fn the_build_stores_the_audit_and_a_recomputed_audit_is_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let release = build_sample(tmp.path());
    let manifest = Manifest::read(&release).unwrap();
    for name in ["audit.json", "audit.html"] {
        assert!(
            manifest.files.iter().any(|f| f.path == name),
            "{name} is not covered by the manifest"
        );
    }
    claimset_ok(&["verify", path_str(&release)]);
    let stored = std::fs::read(release.join("audit.json")).unwrap();
    let before = file_hashes(&release);

    let out = claimset_ok(&["audit", path_str(&release), "--json"]);
    assert_eq!(
        out.stdout, stored,
        "claimset audit --json differs from the stored audit.json"
    );
    let html = tmp.path().join("report.html");
    let out = claimset_ok(&["audit", path_str(&release), "--html", path_str(&html)]);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("audit sample 0.1.0: PASS"), "{table}");
    assert!(table.contains("identical"), "{table}");
    assert_eq!(
        std::fs::read(&html).unwrap(),
        std::fs::read(release.join("audit.html")).unwrap()
    );
    // Library and binary agree too.
    let lib = audit(&release, &manifest, &AuditOptions::default()).unwrap();
    assert_eq!(to_json(&lib), stored);

    // Never into the release.
    let inside = release.join("other.html");
    let out = claimset(&["audit", path_str(&release), "--html", path_str(&inside)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!inside.exists());
    assert_eq!(
        file_hashes(&release),
        before,
        "auditing changed the release"
    );
}

fn spec_with_audit(dir: &Path, audit_toml: &str) -> std::path::PathBuf {
    let input = dir.join("input");
    std::fs::create_dir_all(&input).unwrap();
    let article =
        std::fs::read(repo().join("datasets/sample/input/000_fb2f630a25c13fd9.txt")).unwrap();
    std::fs::write(input.join("a.txt"), &article).unwrap();
    std::fs::write(input.join("b.txt"), &article).unwrap();
    std::fs::write(input.join("c.txt"), " \n").unwrap();
    let spec = dir.join("dataset.toml");
    std::fs::write(
        &spec,
        format!(
            "name = \"gated\"\nversion = \"1.0.0\"\ninputs = [\"input\"]\n[audit]\n{audit_toml}\n"
        ),
    )
    .unwrap();
    spec
}

#[test]
fn audit_gates_set_the_exit_codes_of_build_and_audit() {
    let tmp = tempfile::tempdir().unwrap();
    // A warning: the build publishes and exits 1; the audit exits 1.
    let spec = spec_with_audit(&tmp.path().join("warn"), "max_empty_article_rate = 0.1");
    let out_dir = tmp.path().join("out-warn");
    let out = claimset(&[
        "build",
        path_str(&spec),
        "--out",
        path_str(&out_dir),
        "--quiet",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("max_empty_article_rate"));
    let release = out_dir.join("gated/1.0.0");
    assert!(release.join("audit.json").exists());
    let stored: Audit =
        serde_json::from_slice(&std::fs::read(release.join("audit.json")).unwrap()).unwrap();
    assert_eq!(stored.status, Status::Warn);
    assert_eq!((stored.articles.empty, stored.articles.duplicates), (1, 1));
    let out = claimset(&["audit", path_str(&release)]);
    assert_eq!(out.status.code(), Some(1));

    // A failure: nothing is published, exit 2, the failed gate named.
    let spec = spec_with_audit(
        &tmp.path().join("fail"),
        "max_duplicate_article_rate = 0.0\nfail = true",
    );
    let out_dir = tmp.path().join("out-fail");
    let out = claimset(&[
        "build",
        path_str(&spec),
        "--out",
        path_str(&out_dir),
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("max_duplicate_article_rate"), "{err}");
    assert!(
        !out_dir.join("gated/1.0.0").exists(),
        "a failed audit published a release"
    );
}

use claimset::label::{Mode, RuleSet, Stance};
use std::path::Path;

fn rs() -> RuleSet {
    RuleSet::load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_rule_has_examples_and_they_pass() {
    let rs = rs();
    for r in rs.rules() {
        assert!(
            !r.examples.positive.is_empty() && !r.examples.negative.is_empty(),
            "{} lacks examples",
            r.code
        );
    }
    let f = rs.test_examples();
    assert!(f.is_empty(), "{:#?}", f);
}

#[test]
fn seed_article() {
    let rs = rs();
    let shared = std::env::var("CLAIMSET_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let Ok(text) = std::fs::read_to_string(shared.join("seed/000_fb2f630a25c13fd9.txt")) else {
        return;
    };
    let first = text.lines().next().unwrap();
    let l = rs.label(&text, 0, first.len(), 0, "headline");
    assert!(
        l.actors.contains(&"russia".to_string()) && l.actors.contains(&"taliban".to_string()),
        "{l:?}"
    );
    assert!(l.stances.contains(&Stance::Cooperation), "{l:?}");
}

#[test]
fn negation_and_hypothetical() {
    let rs = rs();
    let s = "أكدت الحركة أنها لن تسمح لأي جهة باستخدام أراضيها لمهاجمة روسيا.";
    let l = rs.label(s, 0, s.len(), 0, "body");
    assert_eq!(l.stance, Stance::Reassurance, "{l:?}");
    let s = "قال الوزير إننا غير قلقين من الوضع.";
    let l = rs.label(s, 0, s.len(), 0, "body");
    assert_eq!(l.stances, vec![Stance::Reassurance], "{l:?}");
    assert!(l.evidence.iter().any(|e| e.mode == Mode::Negated));
    let s = "وإذا استمرت الميليشيات في خروقاتها فسيتم الرد بقصف مواقعها.";
    let l = rs.label(s, 0, s.len(), 0, "body");
    assert!(
        l.evidence.iter().any(|e| e.mode == Mode::Hypothetical),
        "{l:?}"
    );
}

#[test]
fn dateline_is_decided_none_and_plain_is_abstain() {
    let rs = rs();
    let s = "الرياض - واس";
    let l = rs.label(s, 0, s.len(), 0, "dateline");
    assert!(!l.is_abstain() && l.stance == Stance::None);
    let s = "صدر العدد الجديد من المجلة.";
    let l = rs.label(s, 0, s.len(), 0, "body");
    assert!(l.is_abstain());
}

#[test]
fn clitics_and_boundaries() {
    let rs = rs();
    for (s, want) in [
        ("وبروسيا", true),
        ("دروس", false),
        ("لبنان", true),
        ("للحوثيين", true),
        ("المنتخب الروسي", false),
    ] {
        let l = rs.label(s, 0, s.len(), 0, "body");
        let has = l
            .actors
            .iter()
            .any(|a| a == "russia" || a == "lebanon" || a == "houthis");
        assert_eq!(has, want, "{s}: {l:?}");
    }
}

#[test]
fn offsets_are_article_chars() {
    let rs = rs();
    let art = "عنوان\nقال الرئيسُ الروسيّ إن موسكو ترى الحل.";
    let bs = art.find('\n').unwrap() + 1;
    let cs = art[..bs].chars().count();
    let l = rs.label(art, bs, art.len(), cs, "body");
    for e in &l.evidence {
        let t: String = art
            .chars()
            .skip(e.char_start as usize)
            .take((e.char_end - e.char_start) as usize)
            .collect();
        assert!(
            !t.is_empty() && !t.starts_with(' ') && !t.ends_with(' '),
            "{e:?} {t}"
        );
    }
    assert!(l.actors.contains(&"russia".to_string()));
}

#[test]
fn from_files_matches_load() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for sub in ["rules", "lexicon"] {
        for e in std::fs::read_dir(root.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().and_then(|x| x.to_str()) == Some("toml") {
                let rel = format!("{sub}/{}", p.file_name().unwrap().to_string_lossy());
                files.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    files.reverse(); // order must not matter
    let a = rs();
    let b = RuleSet::from_files(files).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.sha256(), b.sha256());
    assert_eq!(a.rules().len(), b.rules().len());
    let s = "أكدت الحركة أنها لن تسمح لأي جهة باستخدام أراضيها لمهاجمة روسيا.";
    assert_eq!(
        a.label(s, 0, s.len(), 0, "body"),
        b.label(s, 0, s.len(), 0, "body")
    );
    assert!(RuleSet::from_files(vec![("other/x.toml".into(), String::new())]).is_err());
}

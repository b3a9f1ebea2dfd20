//! Tests for `claimset::segment`: the contract (proptest), each behaviour of the issue,
//! the hand-written hard cases, the seed article, and linear time on pathological input.

use claimset::segment::{Segmenter, Sentence, SentenceKind, Unit};
use proptest::prelude::*;

/// Checks the documented contract; returns an error message on the first violation.
fn check_contract(text: &str, sents: &[Sentence]) -> Result<(), String> {
    let mut prev_end = 0usize;
    for (k, s) in sents.iter().enumerate() {
        if s.byte_start >= s.byte_end {
            return Err(format!("sentence {k} empty"));
        }
        if s.byte_start < prev_end {
            return Err(format!("sentence {k} overlaps or out of order"));
        }
        let piece = text
            .get(s.byte_start..s.byte_end)
            .ok_or(format!("sentence {k}: bad byte span"))?;
        if piece.trim() != piece {
            return Err(format!(
                "sentence {k} has surrounding whitespace: {piece:?}"
            ));
        }
        let gap = &text[prev_end..s.byte_start];
        if !gap.chars().all(char::is_whitespace) {
            return Err(format!(
                "non-whitespace outside sentences before {k}: {gap:?}"
            ));
        }
        if text[..s.byte_start].chars().count() != s.char_start
            || text[..s.byte_end].chars().count() != s.char_end
        {
            return Err(format!(
                "sentence {k}: char offsets disagree with byte offsets"
            ));
        }
        prev_end = s.byte_end;
    }
    if !text[prev_end..].chars().all(char::is_whitespace) {
        return Err("non-whitespace after the last sentence".into());
    }
    Ok(())
}

fn texts(text: &str) -> Vec<&str> {
    Segmenter::new(Unit::Sentence)
        .segment(text)
        .iter()
        .map(|s| &text[s.byte_start..s.byte_end])
        .collect()
}

fn clauses(text: &str) -> Vec<&str> {
    Segmenter::new(Unit::Clause)
        .segment(text)
        .iter()
        .map(|s| &text[s.byte_start..s.byte_end])
        .collect()
}

// ---------- contract: proptest ----------

const ALPHABET: &[char] = &[
    'ا', 'ب', 'ت', 'د', 'م', 'و', 'ه', 'ـ', 'ً', 'ص', 'ج', 'أ', 'ل', 'ي', ' ', ' ', ' ', '\u{a0}',
    '\t', '\n', '\r', '\u{2028}', '\u{200b}', '\u{200f}', '.', '.', '.', '!', '?', '؟', '…', '،',
    '؛', ':', '«', '»', '“', '”', '"', '(', ')', '-', '1', '9', '٣', '٫', '٬', ',', '/', 'a', 'Z',
    'D', 'r', '@', '\u{feff}', '\u{0085}', '\u{3000}', 'é',
];

fn arabic_heavy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..400).prop_map(String::from_iter)
}

fn word_soup() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "قال",
        "د.",
        "أ.د.",
        "2018م.",
        "10:46",
        "م.",
        "هـ.",
        "ص.ب.",
        "Dr.",
        "U.S.",
        "e.g.",
        "www.a.sa",
        "a.b@c.com",
        "«نعم.»",
        "كما",
        "،",
        "؛",
        "..",
        "...",
        "؟!",
        "1.",
        "سوريا.وذلك",
        "\n",
        "\r\n",
        " ",
        "الخميس",
        "26/أغسطس/2021",
        "-",
        "وكما",
        "في حين",
        "بينما",
        "4,053",
        "٣٫٥",
    ]);
    prop::collection::vec(words, 0..120).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
    #[test]
    fn contract_any_string(s in any::<String>()) {
        for unit in [Unit::Sentence, Unit::Clause] {
            let out = Segmenter::new(unit).segment(&s);
            prop_assert!(check_contract(&s, &out).is_ok(), "{:?}", check_contract(&s, &out));
        }
    }
    #[test]
    fn contract_arabic_punct(s in arabic_heavy()) {
        for unit in [Unit::Sentence, Unit::Clause] {
            let out = Segmenter::new(unit).segment(&s);
            prop_assert!(check_contract(&s, &out).is_ok(), "{:?}", check_contract(&s, &out));
        }
    }
    #[test]
    fn contract_word_soup(s in word_soup()) {
        for unit in [Unit::Sentence, Unit::Clause] {
            let out = Segmenter::new(unit).segment(&s);
            prop_assert!(check_contract(&s, &out).is_ok(), "{:?}", check_contract(&s, &out));
        }
    }
    /// Clauses only ever subdivide sentences.
    #[test]
    fn clauses_refine_sentences(s in word_soup()) {
        let sents = Segmenter::new(Unit::Sentence).segment(&s);
        for c in Segmenter::new(Unit::Clause).segment(&s) {
            prop_assert!(sents.iter().any(|x| x.byte_start <= c.byte_start && c.byte_end <= x.byte_end));
        }
    }
}

// ---------- hard cases file ----------

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let hex: String = it.by_ref().take(4).collect();
                out.push(
                    char::from_u32(u32::from_str_radix(&hex, 16).expect("hex")).expect("char"),
                );
            }
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

#[test]
fn hard_cases() {
    let src = include_str!("segment_hard_cases.txt");
    let seg = Segmenter::new(Unit::Sentence);
    let mut n_cases = 0;
    let mut failures = Vec::new();
    for (ln, line) in src.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (n, text) = line.split_once('\t').expect("N<TAB>text");
        let n: usize = n.parse().expect("count");
        let text = unescape(text);
        let out = seg.segment(&text);
        check_contract(&text, &out).unwrap();
        n_cases += 1;
        if out.len() != n {
            let got: Vec<&str> = out
                .iter()
                .map(|s| &text[s.byte_start..s.byte_end])
                .collect();
            failures.push(format!(
                "line {}: expected {n}, got {}: {got:?}",
                ln + 1,
                out.len()
            ));
        }
    }
    assert!(n_cases >= 40, "only {n_cases} hard cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------- behaviour, one test per bullet ----------

#[test]
fn ends_at_terminators_and_runs() {
    assert_eq!(
        texts("جملة أولى. جملة ثانية! جملة ثالثة؟ جملة رابعة… جملة خامسة?! جملة سادسة.."),
        vec![
            "جملة أولى.",
            "جملة ثانية!",
            "جملة ثالثة؟",
            "جملة رابعة…",
            "جملة خامسة?!",
            "جملة سادسة..",
        ]
    );
}

#[test]
fn ends_at_line_breaks_including_crlf_and_separators() {
    let t = "عنوان\r\nسطر أول بلا نقطة\r\nسطر ثان\u{2028}سطر ثالث\n\nسطر رابع";
    assert_eq!(
        texts(t),
        vec![
            "عنوان",
            "سطر أول بلا نقطة",
            "سطر ثان",
            "سطر ثالث",
            "سطر رابع"
        ]
    );
}

#[test]
fn closers_stay_with_sentence() {
    assert_eq!(
        texts("قال «انتهى الأمر.» ثم غادر. وعاد (بعد ساعة.) وجلس."),
        vec!["قال «انتهى الأمر.»", "ثم غادر.", "وعاد (بعد ساعة.)", "وجلس.",]
    );
    assert_eq!(
        texts("قال: \"نعم!\" وابتسم."),
        vec!["قال: \"نعم!\"", "وابتسم."]
    );
}

#[test]
fn glued_single_terminator_between_arabic_words() {
    assert_eq!(
        texts("أنهى كلمته سريعا!وأعلنت اللجنة النتائج"),
        vec!["أنهى كلمته سريعا!", "وأعلنت اللجنة النتائج"]
    );
    assert_eq!(texts("زار سوريا.وذلك أمس"), vec!["زار سوريا.", "وذلك أمس"]);
    assert_eq!(texts("انتظرنا..ثم وصلنا"), vec!["انتظرنا..ثم وصلنا"]);
}

#[test]
fn not_ends_clause_punctuation() {
    assert_eq!(texts("قال، ثم أضاف؛ وختم: انتهى").len(), 1);
}

#[test]
fn not_ends_numbers_and_dates() {
    for t in [
        "بلغ 4,053 كم",
        "نما 3.5 بالمئة",
        "بلغ ٤٬٠٥٣ كم",
        "نما ٣٫٥ بالمئة",
        "الساعة 10:46 مساء",
        "بتاريخ 26/8/2021 صدر",
        "في عام 2018م. الموافق لذكرى التأسيس",
        "في 10:46 م. حتى منتصف الليل",
    ] {
        assert_eq!(texts(t).len(), 1, "{t}");
    }
    assert_eq!(texts("تأسست عام 2018م. وتضم مئة عضو").len(), 2);
}

#[test]
fn not_ends_abbreviations() {
    for t in [
        "حاضر د. خالد اليوم",
        "كرم أ.د. سعد",
        "كرم ا.د. سعد",
        "مراسلة ص.ب. 55 جدة",
        "وفد ج.م.ع وصل",
        "عاد م. فهد إلى عمله",
        "met Dr. Smith today",
        "the U.S. team won",
        "some e.g. cases",
        "met J. Smith",
    ] {
        assert_eq!(texts(t).len(), 1, "{t}");
    }
}

#[test]
fn ellipsis_and_quotation_continuation() {
    assert_eq!(texts("هتفوا «يعيش.. يعيش.. الوطن» طويلا").len(), 1);
    assert_eq!(texts("كتب «هل هذا وقتها؟» وذلك قبل سفره").len(), 1);
    assert_eq!(texts("قالت: «كان ذلك صعبا.»، ثم ابتسمت").len(), 1);
    assert_eq!(texts("انتهى الأمر... ثم بدأ من جديد").len(), 2);
}

#[test]
fn urls_emails_lists_mixed() {
    assert_eq!(texts("زوروا www.spa.gov.sa للمزيد").len(), 1);
    assert_eq!(texts("راسلوا a.b@c.com للمزيد").len(), 1);
    assert_eq!(
        texts("عنوان\n1. البند الأول\n2. البند الثاني"),
        vec!["عنوان", "1. البند الأول", "2. البند الثاني"]
    );
    assert_eq!(
        texts("بدأ الاجتماع. The talks went well. ثم انتهى."),
        vec!["بدأ الاجتماع.", "The talks went well.", "ثم انتهى."]
    );
}

#[test]
fn headline_is_one_sentence_only_with_more_lines() {
    let t = "خبر عاجل. تفاصيل لاحقا\nالنص. وهنا جملة.";
    assert_eq!(
        texts(t),
        vec!["خبر عاجل. تفاصيل لاحقا", "النص.", "وهنا جملة."]
    );
    assert_eq!(texts("خبر عاجل. تفاصيل لاحقا").len(), 2);
    let s = Segmenter::new(Unit::Sentence).segment(t);
    assert_eq!(s[0].kind, SentenceKind::Headline);
    assert!(s[1..].iter().all(|x| x.kind == SentenceKind::Body));
}

#[test]
fn kinds_dateline_byline() {
    let t = "عنوان الخبر\nالأحد 5/سبتمبر/2021 - 11:20 ص\nنورة القحطاني\nبدأ المؤتمر. واستمر يومين.";
    let s = Segmenter::new(Unit::Sentence).segment(t);
    let kinds: Vec<_> = s.iter().map(|x| x.kind).collect();
    assert_eq!(
        kinds,
        vec![
            SentenceKind::Headline,
            SentenceKind::Dateline,
            SentenceKind::Byline,
            SentenceKind::Body,
            SentenceKind::Body
        ]
    );
    assert_eq!(SentenceKind::Dateline.as_str(), "dateline");
    assert_eq!(
        serde_json::to_string(&SentenceKind::Byline).unwrap(),
        "\"byline\""
    );
}

#[test]
fn flattened_dateline_split_off() {
    let t = "عنوان الخبر\nالأحد 5/سبتمبر/2021 - 11:20 ص بدأ المؤتمر في موعده. واستمر يومين.";
    let out = texts(t);
    assert_eq!(
        out,
        vec![
            "عنوان الخبر",
            "الأحد 5/سبتمبر/2021 - 11:20 ص",
            "بدأ المؤتمر في موعده.",
            "واستمر يومين."
        ]
    );
    let s = Segmenter::new(Unit::Sentence).segment(t);
    assert_eq!(s[1].kind, SentenceKind::Dateline);
    // Also without a headline line.
    let t2 = "الأحد 5/سبتمبر/2021 - 11:20 ص بدأ المؤتمر في موعده.";
    let s2 = Segmenter::new(Unit::Sentence).segment(t2);
    assert_eq!(s2.len(), 2);
    assert_eq!(s2[0].kind, SentenceKind::Dateline);
}

#[test]
fn clause_unit_splits_long_run_ons() {
    let t = "أعلنت الحكومة عن خطة جديدة لدعم المشاريع الصغيرة في المناطق الريفية، كما قررت زيادة الميزانية المخصصة للتعليم والتدريب المهني؛ وأكدت أن التنفيذ سيبدأ خلال الأشهر الثلاثة المقبلة بإشراف لجنة مستقلة.";
    let c = clauses(t);
    assert_eq!(c.len(), 3, "{c:?}");
    assert!(c[0].ends_with('،') && c[1].ends_with('؛'));
    assert!(c[1].starts_with("كما"));
    // Connectives with و/ف prefix and two-word connectives.
    let t2 = "استمرت المفاوضات بين الطرفين لساعات طويلة دون نتيجة، ولذلك تقرر تأجيل الجلسة إلى الأسبوع المقبل في العاصمة.";
    assert_eq!(clauses(t2).len(), 2);
    let t3 = "ارتفعت أسعار النفط في الأسواق العالمية خلال تعاملات اليوم، في حين تراجعت أسعار الذهب بشكل طفيف في المعاملات الفورية.";
    assert_eq!(clauses(t3).len(), 2);
    // No connective after the comma, or a side too short: no split.
    assert_eq!(clauses("استمرت المفاوضات بين الطرفين لساعات طويلة دون نتيجة، وتقرر تأجيل الجلسة إلى الأسبوع المقبل في العاصمة.").len(), 1);
    assert_eq!(
        clauses("قال الوزير، كما هو متوقع، إن الخطة جاهزة للتنفيذ الفوري في كل المناطق.").len(),
        1
    );
    assert_eq!(Segmenter::new(Unit::Clause).unit(), Unit::Clause);
    // Headlines are never clause-split.
    let h = format!("{t}\nنص.");
    assert_eq!(clauses(&h)[0], t);
}

// ---------- seed article ----------

#[test]
fn seed_article_twelve_sentences() {
    let shared = std::env::var_os("CLAIMSET_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let path = shared.join("seed/000_fb2f630a25c13fd9.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("seed article not found at {}: skipped", path.display());
        return;
    };
    let s = Segmenter::new(Unit::Sentence).segment(&text);
    check_contract(&text, &s).unwrap();
    assert_eq!(s.len(), 12);
    let kinds: Vec<_> = s.iter().map(|x| x.kind).collect();
    let mut want = vec![
        SentenceKind::Headline,
        SentenceKind::Dateline,
        SentenceKind::Byline,
    ];
    want.extend([SentenceKind::Body; 9]);
    assert_eq!(kinds, want);
    assert_eq!(
        &text[s[1].byte_start..s[1].byte_end],
        "الخميس 26/أغسطس/2021 - 10:46 م"
    );
    assert_eq!(&text[s[2].byte_start..s[2].byte_end], "محمود البتاكوشي");
    let body: Vec<&str> = text
        .lines()
        .skip(3)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    for (x, line) in s[3..].iter().zip(body) {
        assert_eq!(&text[x.byte_start..x.byte_end], line);
    }
    assert!(
        s.iter()
            .any(|x| text[x.byte_start..x.byte_end].contains("4,053"))
    );
}

// ---------- pathological input ----------
// Time is measured in `benches/segment.rs`, never asserted here: this test checks that huge and
// degenerate inputs complete and keep the contract (a quadratic scan would not finish).

#[test]
fn pathological_inputs_keep_the_contract() {
    type Maker = Box<dyn Fn(usize) -> String>;
    let makers: Vec<(&str, Maker)> = vec![
        (
            "one long line without punctuation",
            Box::new(|n| "كلمة ".repeat(n)),
        ),
        ("one-word sentences", Box::new(|n| "كلمة. ".repeat(n))),
        ("run of dots", Box::new(|n| ".".repeat(5 * n))),
        ("dots and spaces", Box::new(|n| ". ".repeat(2 * n))),
        ("abbreviations", Box::new(|n| "د. ".repeat(n))),
        ("open quotes", Box::new(|n| "«..  ".repeat(n))),
        (
            "long whitespace after terminator",
            Box::new(|n| format!("كلمة.{}«»", " ".repeat(5 * n)).repeat(2)),
        ),
        (
            "commas and connectives",
            Box::new(|n| "كلام طويل، كما ".repeat(n)),
        ),
        ("semicolons", Box::new(|n| "؛".repeat(n))),
        ("glued dots", Box::new(|n| "سوريا.وذلك".repeat(n))),
        ("line breaks", Box::new(|n| "\r\n".repeat(n))),
    ];
    for (name, make) in makers {
        let text = make(50_000);
        for unit in [Unit::Sentence, Unit::Clause] {
            let out = Segmenter::new(unit).segment(&text);
            if let Err(e) = check_contract(&text, &out) {
                panic!("{name} ({unit:?}): {e}");
            }
        }
    }
    // A 50 MB line without punctuation completes (and is one sentence).
    let big = "ب".repeat(25_000_000);
    let out = Segmenter::new(Unit::Sentence).segment(&big);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].char_end, 25_000_000);
}
